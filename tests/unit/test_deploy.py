"""deploy/: install.sh (shellcheck, --dry-run here), the systemd units, the compose file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL = DEPLOY / "install.sh"
TOUCHED = [
    "/opt/earpiece",
    "/etc/earpiece",
    "/etc/systemd/system/earpiece.service",
    "/etc/systemd/system/earpiece-failed.service",
    "/etc/systemd/system/earpiece.service.d",
    "/etc/systemd/journald.conf.d/earpiece.conf",
    "/etc/asound.conf",
    "/var/lib/earpiece",
]
"""What a real install writes; a dry run must leave each as it was."""


def test_shell_scripts_are_shellcheck_clean():
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (`apt-get install shellcheck`; make does it)")
    scripts = sorted(DEPLOY.glob("*.sh"))
    assert INSTALL in scripts
    proc = subprocess.run(
        [shellcheck, "--severity=info", *map(str, scripts)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout


def state_of(paths: list[str]) -> dict[str, tuple[bool, float | None]]:
    return {
        p: (os.path.lexists(p), os.path.getmtime(p) if os.path.exists(p) else None) for p in paths
    }


def dry_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(INSTALL), "--dry-run", *args], capture_output=True, text=True, timeout=120
    )


def actions(out: str) -> list[str]:
    return [line[2:] for line in out.splitlines() if line.startswith("+ ")]


@pytest.mark.parametrize("board", ["pi5", "pi4", "pi-zero-2w"])
def test_dry_run_prints_every_action_and_changes_nothing(board: str):
    before = state_of(TOUCHED)
    proc = dry_run("--board", board, "--boot", "i2s-audio,shutdown-button", "--start")
    assert proc.returncode == 0, proc.stderr
    assert state_of(TOUCHED) == before
    done = actions(proc.stdout)
    text = "\n".join(done)
    assert "dry run" in proc.stdout
    # a venv that sees Debian's lgpio, the board's config, the unit enabled and started
    assert "python3 -m venv --system-site-packages /opt/earpiece/venv" in text or (
        "venv /opt/earpiece/venv exists" in proc.stdout
    )
    assert f"firmware_config/boards/{board}.toml /etc/earpiece/earpiece.toml" in text or (
        "/etc/earpiece/earpiece.toml exists: kept" in proc.stdout
    )
    assert "systemctl enable earpiece.service" in done
    assert done[-1] == "systemctl restart earpiece.service"
    assert any("/etc/systemd/system/earpiece.service" in a for a in done) or (
        "earpiece.service is up to date" in proc.stdout
    )
    assert "append" in text and "i2s-audio.txt" in text and "shutdown-button.txt" in text
    # the service user, in audio (and gpio where the group exists)
    assert any(a.startswith("useradd --system") for a in done) or "user earpiece exists" in (
        proc.stdout
    )
    installs = [a for a in done if "apt-get install" in a]
    if installs:  # only what is missing is installed; lgpio is always asked for on a Pi
        assert "shellcheck" not in installs[0]  # test tools are not installed on a device
    for line in done:  # nothing outside the install's own places
        assert not re.search(r"\brm\b|/home/|\bmkfs\b|\bdd\b", line), line


def test_dry_run_off_a_pi_installs_no_lgpio_and_no_asound_conf():
    proc = dry_run("--board", "pi5")
    generic = dry_run()
    assert generic.returncode == 0, generic.stderr
    if Path("/proc/device-tree/model").exists():
        pytest.skip("this is a Raspberry Pi")
    assert "board: none" in generic.stdout
    assert "python3-lgpio" not in generic.stdout
    assert "/etc/asound.conf" not in "\n".join(actions(generic.stdout))
    assert "/etc/asound.conf" in proc.stdout  # with a board it is installed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--board", "pi3"], "unknown board 'pi3'"),
        (["--frobnicate"], "unknown option"),
        (["--boot", "nope"], "no snippet nope"),
        (["--board", "pi4", "--card", "x;rm"], "--card"),
        (["--boot", "rtc,shutdown-button"], "both use GPIO3"),
        (["--boot", "i2s-audio,i2s-mic-only"], "pick one"),
        (["--bluetooth", "00:11:22"], "--bluetooth"),
        (["--capture-card", "a b"], "--card"),
    ],
)
def test_bad_options_are_refused_clearly_before_any_action(args: list[str], message: str):
    proc = dry_run(*args)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert actions(proc.stdout) == []  # found before apt, useradd, venv or pip


def test_rtc_goes_with_the_gpio26_shutdown_button():
    proc = dry_run("--board", "pi4", "--boot", "rtc,shutdown-button-gpio26")
    assert proc.returncode == 0, proc.stderr
    assert "shutdown-button-gpio26.txt" in proc.stdout


def test_install_is_idempotent_and_pinned():
    """Copies mirror the checkout (stale files go), the userland's architecture is asked,
    and pip installs from the hash-pinned lock through the wheelhouse, never upgrading."""
    text = INSTALL.read_text()
    assert 'ARCH="$(dpkg --print-architecture' in text  # the userland, not the kernel
    assert "cp -a" not in text and "rsync -a --delete" in text
    assert "--upgrade" not in text
    assert "--require-hashes" in text and "--no-index --find-links" in text
    done = "\n".join(actions(dry_run("--board", "pi5").stdout))
    assert "rsync -a --delete" in done
    assert "earpiece-failed.service" in done and "earpiece.service.d/sync.conf" in done


def test_real_run_needs_root():
    if os.geteuid() == 0:
        pytest.skip("running as root: a real run would install")
    proc = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "run as root" in proc.stderr


def unit_copy(tmp_path: Path, name: str) -> Path:
    """The unit with ExecStart pointing at this venv's `earpiece` (not installed at /opt here)."""
    text = (UNITS / name).read_text()
    script = Path(sys.executable).with_name("earpiece")
    copy = tmp_path / name
    copy.write_text(text.replace("/opt/earpiece/venv/bin/earpiece", str(script)))
    return copy


@pytest.mark.parametrize(
    "name", ["earpiece.service", "earpiece-home.service", "earpiece-failed.service"]
)
def test_units_pass_systemd_analyze_verify(name: str, tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (`apt-get install systemd`)")
    unit = unit_copy(tmp_path, name)
    proc = subprocess.run(
        [analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr  # no unknown keys, no bad values


def test_verify_catches_a_broken_unit(tmp_path: Path):
    """The check above can fail: a misspelt key is reported."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = unit_copy(tmp_path, "earpiece.service")
    unit.write_text(unit.read_text().replace("Restart=on-failure", "Restrat=on-failure"))
    proc = subprocess.run(
        [analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert "Restrat" in proc.stderr


def unit_keys(name: str) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def test_device_unit_restarts_watches_and_is_hardened():
    keys = unit_keys("earpiece.service")
    assert keys["Type"] == ["notify"] and keys["Restart"] == ["on-failure"]
    assert int(keys["WatchdogSec"][0]) >= 30
    for key, value in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("PrivateTmp", "yes"),
        ("DevicePolicy", "closed"),
        ("ReadWritePaths", "/var/lib/earpiece"),
        ("User", "earpiece"),
        ("StandardOutput", "journal"),
    ]:
        assert keys[key] == [value], key
    allowed = {v.split()[0] for v in keys["DeviceAllow"]}
    assert allowed == {"char-alsa", "char-gpiochip", "/dev/gpiomem"}  # sound and GPIO only
    assert "ProtectClock" not in keys  # it would forbid the read-only adjtimex(2)
    # the syscall filter lets the clock check read the NTP status, and denies with EPERM
    assert "adjtimex clock_adjtime" in keys["SystemCallFilter"]
    assert keys["SystemCallErrorNumber"] == ["EPERM"]


def test_home_unit_has_no_devices():
    keys = unit_keys("earpiece-home.service")
    assert keys["PrivateDevices"] == ["yes"] and keys["Restart"] == ["on-failure"]
    # the database lives in the unit's own state dir; the config is where
    # `earpiece-home-setup init /etc/earpiece-home HOST` writes it (docs/sync.md)
    assert keys["ExecStart"] == [
        "/opt/earpiece/venv/bin/earpiece home --db /var/lib/earpiece-home/home.sqlite3"
    ]
    assert keys["StateDirectory"] == ["earpiece-home"]
    assert "EARPIECE_CONFIG=/etc/earpiece-home/home.toml" in keys["Environment"]


def test_device_unit_exposure_is_low(tmp_path: Path):
    """systemd's own hardening score for the unit: 'OK' (below 4.0 of 10)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = unit_copy(tmp_path, "earpiece.service")
    proc = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(r"Overall exposure level for \S+: ([\d.]+)", proc.stdout + proc.stderr)
    if found is None:
        pytest.skip(f"this systemd-analyze cannot score offline: {proc.stderr[:200]}")
    assert float(found.group(1)) < 4.0, proc.stdout[-2000:]


def test_compose_runs_mosquitto_and_home():
    yaml = pytest.importorskip("yaml", reason="PyYAML is in the dev extra")
    doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = doc["services"]
    assert set(services) == {"mosquitto", "home"}
    assert services["mosquitto"]["image"].startswith("eclipse-mosquitto:2")
    assert services["mosquitto"]["ports"] == ["8883:8883"]  # TLS only
    home = services["home"]
    assert home["depends_on"] == ["mosquitto"] and "ports" not in home
    assert (DEPLOY / home["build"]["dockerfile"].removeprefix("deploy/")).is_file()
    assert home["cap_drop"] == ["ALL"] and home["read_only"] is True
    assert home["environment"]["TZ"].startswith("${TZ:-")  # the page's times name a zone


def test_home_setup_device_bundle_names_the_port_init_was_given(tmp_path: Path):
    """`PORT=18883 earpiece-home-setup init`, then `device` without PORT: the bundle's broker
    is on 18883, where the broker listens (it said 8883)."""
    if not (shutil.which("openssl") and shutil.which("mosquitto_passwd")):
        pytest.fail("openssl and mosquitto are not installed: run `make test`")
    setup = ROOT / "deploy" / "home" / "earpiece-home-setup"
    env = {**os.environ, "PORT": "18883", "RUN_AS": "nobody-earpiece-test"}
    subprocess.run(
        [str(setup), "init", str(tmp_path), "localhost"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    env.pop("PORT")
    subprocess.run(
        [str(setup), "device", str(tmp_path), "ann", "pocket"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    bundle = (tmp_path / "devices" / "ann-pocket" / "sync.toml").read_text()
    assert 'broker = "mqtts://HOME-HOST:18883"' in bundle, bundle
    assert "18883" in (tmp_path / "mosquitto.conf").read_text()


def asound(*args: str) -> str:
    proc = subprocess.run(
        ["bash", str(INSTALL), "--print-asound", *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def default_pcms(text: str) -> tuple[str, str]:
    found = re.search(
        r'pcm\.!default \{.*?playback\.pcm "(\w+)".*?capture\.pcm "(\w+)"', text, re.S
    )
    assert found, text
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("args", "playback", "capture", "cards"),
    [
        ([], "earpiece_out", "earpiece_in", {"sndrpigooglevoi"}),
        (
            ["--capture-card", "sndrpii2scard", "--playback-card", "Headset"],
            "earpiece_out",
            "earpiece_in",
            {"sndrpii2scard", "Headset"},
        ),
        (
            ["--capture-card", "sndrpii2scard", "--bluetooth", "00:11:22:33:44:55"],
            "earpiece_bt",
            "earpiece_in",
            {"sndrpii2scard", "sndrpigooglevoi"},
        ),
        (["--bluetooth", "00:11:22:33:44:55"], "earpiece_bt", "earpiece_bt", {"sndrpigooglevoi"}),
    ],
)
def test_asound_conf_expresses_separate_capture_and_playback(
    args: list[str], playback: str, capture: str, cards: set[str], tmp_path: Path
):
    from tests.unit.test_firmware_config import alsa_load

    text = asound(*args)
    assert default_pcms(text) == (playback, capture)
    assert set(re.findall(r"hw:CARD=(\w+)", text)) == cards
    assert "EARPIECE_" not in text
    if "--bluetooth" in args:
        assert 'device "00:11:22:33:44:55"' in text and 'profile "sco"' in text
    result, lib, top = alsa_load(text, tmp_path)
    assert result == 0
    lib.snd_config_delete(top)


def test_bluetooth_install_sets_up_hfp_and_reconnects():
    done = "\n".join(actions(dry_run("--board", "pi4", "--bluetooth", "00:11:22:33:44:55").stdout))
    assert "bluez-alsa-utils" in done and "libasound2-plugin-bluez" in done
    assert "/etc/systemd/system/bluealsa.service.d/earpiece.conf" in done
    assert "earpiece-bt-connect@00:11:22:33:44:55.timer" in done
    assert "-p hfp-ag" in (DEPLOY / "install.sh").read_text()
    unit = unit_keys("earpiece.service")
    assert "bluetooth.service" in unit["After"][0] and "bluealsa.service" in unit["After"][0]
    assert "Wants" not in unit  # a wired earpiece does not pull Bluetooth in


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("arch", ["arm64", "amd64"])
def test_lock_pins_every_dependency_with_a_hash(arch: str):
    """deploy/requirements-<arch>.lock: one exact version and sha256 per package, covering
    every base dependency in pyproject.toml (stale after a dependency change: rerun
    deploy/lock.sh) and the build backend, so install.sh can build Earpiece offline."""
    import tomllib

    lock = DEPLOY / f"requirements-{arch}.lock"
    assert lock.is_file(), "run deploy/lock.sh"
    pinned = {}
    for line in lock.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)((?: --hash=sha256:[0-9a-f]{64})+)", line)
        assert found, line
        assert canonical(found.group(1)) not in pinned, f"twice: {line}"
        pinned[canonical(found.group(1))] = found.group(2)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for requirement in wanted:
        name = canonical(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0])
        assert name in pinned, f"{name} is not in {lock.name}: rerun deploy/lock.sh"


def sync_dropin(config: Path) -> str:
    proc = subprocess.run(
        ["bash", str(INSTALL), "--print-sync-dropin", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def sync_config(tmp_path: Path, broker: str) -> Path:
    path = tmp_path / "earpiece.toml"
    path.write_text(
        f'[sync]\nbroker = "{broker}"\nusername = "pi"\npassword = "p"\ndevice = "pi"\n'
    )
    return path


def test_without_sync_the_dropin_allows_nothing(tmp_path: Path):
    text = sync_dropin(ROOT / "firmware_config" / "earpiece.toml")
    assert "[Service]" in text and "IPAddressAllow" not in text and "IPAddressDeny" not in text
    assert "IPAddressAllow" not in sync_dropin(tmp_path / "missing.toml")


def test_with_sync_only_the_broker_is_allowed(tmp_path: Path):
    text = sync_dropin(sync_config(tmp_path, "mqtts://192.168.1.10:8883"))
    assert text.splitlines()[-1] == "IPAddressAllow=192.168.1.10"
    text = sync_dropin(sync_config(tmp_path, "mqtts://[fd00::5]:8883"))
    assert text.splitlines()[-1] == "IPAddressAllow=fd00::5"
    named = sync_dropin(sync_config(tmp_path, "mqtts://localhost:8883")).splitlines()[-1]
    assert named.startswith("IPAddressAllow=") and "127.0.0.1" in named  # resolved now
    assert "IPAddressDeny" not in named  # the unit's deny-all stays


def test_a_dead_unit_is_shown_and_the_signal_stops_on_restart():
    keys = unit_keys("earpiece.service")
    assert keys["OnFailure"] == ["earpiece-failed.service"]
    failed = unit_keys("earpiece-failed.service")
    assert failed["Conflicts"] == ["earpiece.service"]  # starting the device stops the signal
    assert failed["ExecStart"] == ["/opt/earpiece/venv/bin/earpiece dead-signal"]
    assert failed["PrivateNetwork"] == ["yes"]


def test_dead_signal_blinks_until_stopped(tmp_path: Path):
    import signal
    import time

    env = {**os.environ, "GPIOZERO_PIN_FACTORY": "mock", "EARPIECE_STATE_DIR": str(tmp_path)}
    script = Path(sys.executable).with_name("earpiece")
    proc = subprocess.Popen(
        [str(script), "dead-signal"], env=env, stderr=subprocess.PIPE, text=True
    )
    time.sleep(3)
    assert proc.poll() is None  # it keeps signalling
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert "journalctl -u earpiece" in stderr
