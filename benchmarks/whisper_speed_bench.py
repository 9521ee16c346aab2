"""What Whisper's decode options cost in time and in hearing, on a fixed subset of real Korean.

Every 9th clip of deeply_ko (64 clips; two women reading everyday lines at 0.4 m: read speech,
not conversation), each decoded whole by Whisper base int8 under each setting, the language
detected (`auto`) unless the setting fixes it. Reported per setting: CER (pooled over the
clips, spaces and punctuation ignored), how many transcripts equal the reference setting's
(squashed), how many were dropped by the guards, CPU seconds per decode p50 / p90 and the CPU
real-time factor (CPU time, all threads: a fair measure on a machine shared with other jobs;
wall time is printed beside it). The reference is a greedy decode on Whisper's full 30-second
window, the language told on its own encoder pass; "before" is how the product decoded
until now (a separate detection pass, then faster-whisper's `transcribe`).

    PYTHONPATH=device python benchmarks/whisper_speed_bench.py [--every 9] [--json OUT]
        [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from earpiece.speech.whisper import WhisperHearing, WhisperOptions, squash
from voice_real_bench import clips, deeply_ko, edits, read

BASE = WhisperOptions(bias=False)
REFERENCE = "greedy, 30 s window"
OLD = "before: detection pass, then faster-whisper transcribe (greedy, 30 s)"
FALLBACK = "before, with faster-whisper's defaults: beam 5 + temperature fallback"
SETTINGS: dict[str, WhisperOptions | str] = {
    REFERENCE: BASE,
    "greedy, speech + 4 s": replace(BASE, window_pad_s=4.0),
    "greedy, speech + 2 s": replace(BASE, window_pad_s=2.0),
    "greedy, speech + 8 s": replace(BASE, window_pad_s=8.0),
    "greedy, speech + 15 s": replace(BASE, window_pad_s=15.0),
    "beam 5, 30 s window": replace(BASE, beam=5),
    OLD: "old",
    FALLBACK: "fallback",
    "beam 5, speech + 4 s": replace(BASE, beam=5, window_pad_s=4.0),
    "greedy, speech + 4 s, 1 thread": replace(BASE, threads=1, window_pad_s=4.0),
}
"""In the order they are measured (a run cut short still has the first ones); all but
the two "before" rows tell the language on the decode's own encoder pass."""


def old_decode(hearing: WhisperHearing, samples: np.ndarray, fallback: bool = False) -> str:
    """The product's decode before: a separate detection pass, then faster-whisper's
    transcribe on the full window (optionally with its default beam 5 and fallback)."""
    lang, _ = hearing.detect(samples)
    audio = samples.astype(np.float32) / 32768.0
    extra = {} if fallback else {"beam_size": 1, "temperature": 0.0}
    segments, _ = hearing.main.transcribe(audio, language=lang, vad_filter=True,
                                          condition_on_previous_text=False,
                                          without_timestamps=True, **extra)  # fmt: skip
    return " ".join(s.text.strip() for s in segments).strip()


def measure(every: int, only: list[str], out: Path | None) -> dict[str, dict]:
    folder = deeply_ko()
    if folder is None:
        raise SystemExit("deeply_ko is absent (../shared/data/public/deeply_ko): nothing measured")
    chosen = clips(folder)[::every]
    audio = [read(folder, c["clip"]) for c in chosen]
    seconds = sum(len(a) for a in audio) / 16_000
    ref_chars = sum(len(squash(c["text"])) for c in chosen)
    result: dict[str, dict] = {}
    if out is not None and out.exists():  # a run cut short goes on where it stopped
        result = json.loads(out.read_text(encoding="utf-8"))["settings"]
    for name, setting in SETTINGS.items():
        if (only and name not in only and name != REFERENCE) or name in result:
            continue
        hearing = WhisperHearing(setting if isinstance(setting, WhisperOptions) else BASE)

        def decode(s: np.ndarray, hearing=hearing, setting=setting) -> tuple[str, bool]:
            if isinstance(setting, str):
                return old_decode(hearing, s, fallback=setting == "fallback"), False
            heard = hearing.decode(s)
            return heard.raw, bool(heard.dropped)

        decode(audio[0])  # warm up this setting's shapes
        texts, times, cpus, dropped = [], [], [], 0
        for samples in audio:
            began, cpu = time.perf_counter(), time.process_time()
            text, was_dropped = decode(samples)
            times.append(time.perf_counter() - began)
            cpus.append(time.process_time() - cpu)
            texts.append(text)
            dropped += was_dropped
        reference = result[REFERENCE]["texts"] if result else texts
        result[name] = {
            "clips": len(texts),
            "cer": sum(edits(c["text"], t) for c, t in zip(chosen, texts, strict=True))
            / ref_chars,
            "same_as_reference": sum(squash(t) == squash(r)
                                     for t, r in zip(texts, reference, strict=True)),
            "dropped": dropped,
            "p50_ms": float(np.median(times)) * 1000,
            "p90_ms": float(np.percentile(times, 90)) * 1000,
            "cpu_p50_ms": float(np.median(cpus)) * 1000,
            "cpu_p90_ms": float(np.percentile(cpus, 90)) * 1000,
            "cpu_rtf": sum(cpus) / seconds,
            "load": os.getloadavg()[0],
            "texts": texts,
        }  # fmt: skip
        print(table({name: result[name]}).splitlines()[-1], flush=True)
        if out:
            refs = [c["text"] for c in chosen]
            out.write_text(json.dumps({"refs": refs, "settings": result}, ensure_ascii=False,
                                      indent=1))  # fmt: skip
    return result


def table(result: dict[str, dict[str, float]]) -> str:
    lines = ["| setting | clips | CER | same text as reference | dropped by guards "
             "| CPU s per decode p50 / p90 | CPU RTF | wall p50 / p90 ms (loaded) |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, r in result.items():
        lines.append(f"| {name} | {r['clips']} | {r['cer']:.3f} | {r['same_as_reference']} "
                     f"| {r['dropped']} | {r['cpu_p50_ms'] / 1000:.2f} / "
                     f"{r['cpu_p90_ms'] / 1000:.2f} | {r['cpu_rtf']:.3f} "
                     f"| {r['p50_ms']:.0f} / {r['p90_ms']:.0f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=9)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    began = time.perf_counter()
    result = measure(args.every, args.only, args.json)
    print(table(result))
    print(f"load average {os.getloadavg()[0]:.1f}; {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
