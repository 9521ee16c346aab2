"""Footprint per configuration: resident memory and load time of what `earpiece run` loads.

Each configuration runs in a fresh interpreter: import, load the NLU model, the
Vosk model(s) with both decoders, espeak-ng and the state database, then decode
two seconds of espeak-ng speech once (the decoders' working memory). Reported:
RSS after loading, peak RSS (VmHWM) after the decode, and the load time.

An English Vosk model is measured when $EARPIECE_BENCH_VOSK_EN names an
unpacked model directory (none installs offline here, so it is skipped with a note).
    python benchmarks/footprint_bench.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EN_ENV = "EARPIECE_BENCH_VOSK_EN"
CONFIGS = {
    "text only (no Vosk)": [],
    "ko": ["ko"],
    "en": ["en"],
    "ko+en": ["ko", "en"],
    "ko + Whisper base": ["ko", "whisper"],
    "ko + Whisper base + English grammar (the default)": ["ko", "whisper", "en-grammar"],
}
BOARDS = [
    # name, RAM MiB left for Earpiece on Raspberry Pi OS Lite (64-bit), load-time factor vs here
    ("Pi 5 (4 GB)", 3600, 2.0),
    ("Pi 4 (2 GB)", 1700, 4.0),
    ("Pi 4 (1 GB)", 750, 4.0),
    ("Pi Zero 2 W (512 MB)", 330, 10.0),
]
"""RAM: total minus the firmware's share, the kernel and a Lite system's services (~120 MiB);
factor: load time is CPU- and storage-bound, a rough single-core/SD ratio to this machine.
Estimates, not measurements on a Pi."""


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def one(langs: list[str]) -> dict:
    """Load everything `earpiece run` would for these languages; measure in this process."""
    start = time.perf_counter()
    import numpy as np

    from earpiece.nlu.model import NluModel
    from earpiece.speech.stt import SpeechRecognizer
    from earpiece.speech.tts import Synthesizer
    from earpiece.store.database import Store

    imported = time.perf_counter()
    nlu = NluModel.load()
    nlu.understand("안녕")
    recognizers = []
    whisper = None
    if "whisper" in langs:  # every decoder [stt] open_decoder = "whisper" loads
        from earpiece.speech.whisper import WhisperHearing

        whisper = WhisperHearing()
    english = None
    if "en-grammar" in langs:  # [stt] english_grammar: the English command grammar
        from earpiece.speech.english_grammar import EnglishGrammar

        english = EnglishGrammar.shared()
    for lang in (x for x in langs if x not in ("whisper", "en-grammar")):
        model = os.environ[EN_ENV] if lang == "en" else ""
        recognizers.append(SpeechRecognizer.load(model, lang, whisper=whisper, english=english))
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
    with tempfile.TemporaryDirectory() as state:
        store = Store.open(Path(state))
        for stt in recognizers:
            stt.session().cancel()  # waits for the decoders to be built
        loaded = time.perf_counter()
        rss_loaded = _status("VmRSS")
        speech = _speech(tts)
        for stt in recognizers:
            stt.transcribe(speech)
        if whisper is not None:
            whisper.decode(speech, "en")  # an English turn too
        store.close()
    return {
        "import_s": imported - start,
        "load_s": loaded - start,
        "rss_mib": rss_loaded,
        "peak_mib": _status("VmHWM"),
        "speech_s": len(speech) / 16000,
        "numpy": np.__version__,
    }


def _speech(tts: object):
    """Two seconds or so of Korean speech from espeak-ng, at 16 kHz int16."""
    from earpiece.hardware.wavfile import read_for_stt

    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        subprocess.run(
            ["espeak-ng", "-v", "ko", "-w", wav.name, "내일 아침 일곱 시에 깨워 줘"], check=True
        )
        return read_for_stt(Path(wav.name))


def measure() -> tuple[dict[str, dict], list[str]]:
    results, notes = {}, []
    for name, langs in CONFIGS.items():
        if "en" in langs and not os.environ.get(EN_ENV):
            notes.append(
                f"{name}: skipped, no English Vosk model (set ${EN_ENV} to an unpacked "
                "model directory, e.g. vosk-model-small-en-us-0.15)"
            )
            continue
        proc = subprocess.run(
            [sys.executable, __file__, "--one", name], capture_output=True, text=True, check=False
        )
        if proc.returncode:
            notes.append(f"{name}: failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results, notes


def _onnxruntime_wheels() -> str:
    """Whether PyPI has onnxruntime wheels for 64-bit and 32-bit ARM (checked with pip)."""
    found = []
    for label, platform_tag in (("aarch64", "manylinux_2_28_aarch64"), ("armv7l", "linux_armv7l")):
        with tempfile.TemporaryDirectory() as where:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--platform",
                    platform_tag,
                    "--python-version",
                    "3.11",
                    "-d",
                    where,
                    "--disable-pip-version-check",
                    "-q",
                    "onnxruntime",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            wheels = [p.name for p in Path(where).glob("*.whl")]
        found.append(
            f"{label}: {wheels[0] if wheels else 'no wheel'}"
            if proc.returncode == 0 or wheels
            else f"{label}: no wheel"
        )
    return "; ".join(found)


def _fits(peak: float, ram: float) -> str:
    if peak < 0.8 * ram:
        return "yes"
    return "tight" if peak < ram else "**no**"


def table(results: dict[str, dict], notes: list[str], wheels: str) -> str:
    lines = [
        "| configuration | import s | load s | RSS loaded MiB | peak RSS MiB |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['import_s']:.2f} | {r['load_s']:.2f} | "
            f"{r['rss_mib']:.0f} | {r['peak_mib']:.0f} |"
        )
    lines += [
        "",
        *[f"- {n}" for n in notes],
        "",
        "Pi estimate (RSS as measured: model memory is the same on arm64; load time "
        "scaled by a rough per-board factor; not measured on a Pi). Fits: peak RSS "
        "under 80% of the RAM left for Earpiece; tight: under 100%:",
        "",
        "| board | RAM for Earpiece MiB | "
        + " | ".join(f"{n}: fits? / load s" for n in results)
        + " |",
        "|---|---|" + "---|" * len(results),
    ]
    for board, ram, factor in BOARDS:
        cells = [
            f"{_fits(r['peak_mib'], ram)} / ~{r['load_s'] * factor:.0f}" for r in results.values()
        ]
        lines.append(f"| {board} | ~{ram} | " + " | ".join(cells) + " |")
    lines += ["", f"onnxruntime wheels on PyPI for Python 3.11: {wheels}."]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(CONFIGS[sys.argv[2]])))
    else:
        found, skipped = measure()
        print(table(found, skipped, _onnxruntime_wheels()))
