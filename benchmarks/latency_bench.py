"""Release -> first reply audio, stage by stage, for spoken turns pressed at the pace of speech.

Every clip is one press on a fresh companion (its own empty store): fed in 50 ms frames at
the pace of speech, then `--tail` seconds of quiet (the moment between the last word and the
release), then released and answered by `run_turn` as the device loop runs it, with
`[stt] open_decoder = "whisper"` (Vosk grammar + Whisper base) and the Piper voice for
English with its start-up cache of opening phrases filled. Groups:

- `ko free`: real read Korean (deeply_ko: two women reading everyday lines at 0.4 m; read
  in place, never copied), every Nth clip;
- `en command` / `en free`: English lines rendered by the Piper voice (resampled to 16 kHz),
  commands whose reply opens with a fixed phrase and free speech (feelings, news);
- `ko command (espeak-ng)`: synthetic Korean commands (espeak-ng, unintelligible to every
  recogniser here: a mechanism check of the grammar path's speed, not of hearing).

Per turn, from the turn's own timings (`turn --json`): release -> first reply audio (the
reply's first block handed to the speaker; the "thinking" earcon is timed apart), when the
transcript was chosen, Whisper's decode after the release and while held, whether a decode
made while held was the answer, NLU, policy, commit, synthesis of the first piece.

    PYTHONPATH=device python benchmarks/latency_bench.py [--every 36] [--tail 0.3]
        [--window 30] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from earpiece.companion.policy import Companion
from earpiece.config import SttSettings, load_settings
from earpiece.hardware.wavfile import resample
from earpiece.nlu.model import NluModel
from earpiece.runtime.render_ahead import ClockAhead, opening_phrases
from earpiece.runtime.turn import run_turn
from earpiece.speech.piper import VoiceFiles
from earpiece.speech.stt import RATE, SpeechRecognizer
from earpiece.speech.tts import Synthesizer
from earpiece.speech.whisper import WhisperHearing, WhisperOptions
from earpiece.store.database import Store
from voice_real_bench import clips, deeply_ko, read

FRAME = 800
EN_COMMANDS = (
    "What time is it?", "What's the date today?", "Tell me a joke.", "Thank you so much.",
    "Good morning!", "Who are you?", "Turn it up a little.", "Please stop.",
    "What can you do?", "Say that again.", "Good night.", "How are you today?",
)  # fmt: skip
"""Requests whose replies open with a fixed phrase (cached at start-up) or a short sentence."""
EN_FREE = (
    "I had a really long day at work and I'm tired.",
    "My daughter is coming to visit this weekend.",
    "I miss my husband a lot these days.",
    "The weather was lovely so I went for a walk in the park.",
    "I couldn't sleep last night, my back hurt.",
    "We had dinner with the neighbours and it was fun.",
    "I'm a bit nervous about the doctor's appointment.",
    "My grandson called me today, he got a new job.",
)
KO_COMMANDS = ("지금 몇 시야", "오늘 무슨 요일이야", "고마워요", "안녕", "잘 자", "그만",
               "더 크게", "다시 말해 줘", "너는 누구야", "농담 하나 해 봐")  # fmt: skip


class FirstReply:
    """The earpiece as a list of (time, samples) played, one clip at a time."""

    def __init__(self) -> None:
        import threading

        self.plays: list[tuple[float, int]] = []
        self._lock = threading.Lock()

    def play(self, samples: np.ndarray, rate: int) -> bool:
        with self._lock:
            self.plays.append((time.perf_counter(), len(samples)))
        return True

    def stop(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


def press(stt: SpeechRecognizer, samples: np.ndarray, tail_s: float):
    """Feed the clip and `tail_s` of quiet at the pace of speech; the session at the release."""
    quiet = (np.random.default_rng(0).normal(0, 20, int(tail_s * RATE))).astype(np.int16)
    audio = np.concatenate([samples, quiet])
    session = stt.session()
    began = time.perf_counter()
    for i, at in enumerate(range(0, len(audio), FRAME)):
        session.feed(audio[at : at + FRAME])
        time.sleep(max(0.0, began + (i + 1) * FRAME / RATE - time.perf_counter()))
    return session


def turn_row(stt, tts, nlu, settings, samples, tail_s: float, scratch: Path) -> dict[str, Any]:
    companion = Companion(Store.open(scratch), nlu, settings,
                          clock=lambda: datetime.now().astimezone())  # fmt: skip
    session = press(stt, samples, tail_s)
    released = time.perf_counter()
    turn = run_turn(session, companion, tts, FirstReply(), released)
    companion.store.close()
    t = turn.timings_ms
    first = turn.speech.sentences[0] if turn.speech and turn.speech.sentences else None
    return {
        "transcript": turn.transcript, "decoder": turn.decoder, "stage": turn.stage,
        "lang": turn.lang, "outcome": turn.outcome.value, "reply": turn.reply is not None,
        "reply_text": turn.reply.text if turn.reply else "",
        "first_audio_ms": t.get("release_to_first_audio") if turn.reply else None,
        "timings": t, "whisper": turn.whisper,
        "voice": turn.speech.voice if turn.speech else "",
        "first_piece": first.to_dict() if first else None,
        "audio_s": len(samples) / RATE, "load": os.getloadavg()[0],
    }  # fmt: skip


def piper_clip(tts: Synthesizer, text: str) -> np.ndarray:
    samples, rate = tts.neural().render(text)
    audio = resample(samples / 32768.0, rate, RATE)
    lead = np.zeros(int(0.2 * RATE), np.float32)
    return (np.concatenate([lead, audio]) * 32767 * 0.5).astype(np.int16)


def espeak_clip(text: str, scratch: Path) -> np.ndarray:
    from voice_data import speak

    return speak(text, scratch / "cmd.wav", "ko", 160, 50)


def stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": float(np.median(values)) if values else float("nan"),
            "p90": float(np.percentile(values, 90)) if values else float("nan")}  # fmt: skip


def summary(rows: list[dict]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in dict.fromkeys(r["group"] for r in rows):
        mine = [r for r in rows if r["group"] == group]
        replied = [r for r in mine if r["first_audio_ms"] is not None]
        reused = [r for r in replied if (r["whisper"] or {}).get("reused")]
        fresh = [r for r in replied if r["whisper"] and not r["whisper"].get("reused")]
        fast = [r for r in replied if r["stage"] == "fast"]

        def stage(rs: list[dict], key: str) -> float:
            got = [r["timings"][key] for r in rs if key in r["timings"]]
            return float(np.median(got)) if got else float("nan")

        out[group] = {
            "turns": len(mine), "replied": len(replied),
            "release_to_first_audio": stats([r["first_audio_ms"] for r in replied]),
            "held_decode_was_the_answer": stats([r["first_audio_ms"] for r in reused]),
            "decoded_after_release": stats([r["first_audio_ms"] for r in fresh]),
            "grammar_at_release": stats([r["first_audio_ms"] for r in fast]),
            "thinking_earcons": sum("thinking_earcon" in r["timings"] for r in mine),
            "thinking_earcon_p50": stage(mine, "thinking_earcon"),
            "stages_p50": {k: stage(replied, k) for k in (
                "stt_final", "whisper_decode", "whisper_while_held", "nlu", "policy",
                "commit", "tts_first_audio")},
            "first_piece_cached": sum(bool(r["first_piece"] and r["first_piece"]["cached"])
                                      for r in replied),
            "first_piece_ahead": sum(bool(r["first_piece"] and r["first_piece"]["ahead"])
                                     for r in replied),
            "voices": sorted({r["voice"] for r in replied}),
            "outcomes": {o: sum(r["outcome"] == o for r in mine)
                         for o in ("acted", "confirming", "answered", "not_heard")},
            "load": float(np.mean([r["load"] for r in mine])),
        }  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=36, help="every Nth deeply_ko clip")
    parser.add_argument("--tail", type=float, default=0.3, help="quiet before the release, s")
    parser.add_argument("--window", type=float, default=None, help="whisper_window_pad_s")
    parser.add_argument("--groups", nargs="*", default=["ko free", "en command", "en free",
                                                         "ko command (espeak-ng)"])  # fmt: skip
    parser.add_argument("--limit", type=int, default=0, help="at most N clips per group")
    parser.add_argument("--phrases", type=int, default=0, help="render ahead only N (a smoke run)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-english-grammar", action="store_true",
                        help="without the English command grammar")  # fmt: skip
    parser.add_argument("--no-clock-ahead", action="store_true",
                        help="without the clock's replies rendered ahead (as before)")  # fmt: skip
    args = parser.parse_args()
    settings = load_settings(None)
    s = SttSettings(open_decoder="whisper")
    settings = settings.model_copy(update={"stt": s})
    window = s.whisper_window_pad_s if args.window is None else args.window
    hearing = WhisperHearing(WhisperOptions(beam=s.whisper_beam, threads=s.whisper_threads,
                                            window_pad_s=window))  # fmt: skip
    english = None
    if not args.no_english_grammar:  # as `earpiece run` loads it (cli/voice.py)
        from earpiece.speech.english_grammar import EnglishGrammar

        english = EnglishGrammar.shared()
    stt = SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active, hearing,
                                english)  # fmt: skip
    nlu = NluModel.load()
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, english=VoiceFiles.packaged())
    began = time.perf_counter()
    phrases = opening_phrases({"name": settings.companion.name_en})[: args.phrases or None]
    english = any(g.startswith("en") for g in args.groups)
    # rendered now, as on a device up for a few minutes (the start-up thread runs at the
    # lowest priority: on a machine shared with other jobs it would take an hour)
    if english:
        tts.render_ahead(phrases, now=len(phrases))
    print(f"{tts.cached} phrases rendered ahead in {time.perf_counter() - began:.0f} s",
          file=sys.stderr)  # fmt: skip
    clock: ClockAhead | None = None
    first: dict[str, Any] = {}
    ticking = 0.0
    if english and not args.no_clock_ahead:  # as `earpiece run` keeps them (cli/voice.py)
        clock = ClockAhead(tts, lambda: datetime.now().astimezone())
        clock.refresh()
        first = {"rendered": clock.rendered, "cpu_s": round(clock.cpu_s, 2)}
        ticking = time.perf_counter()
        clock.start()
    stt.transcribe(np.zeros(RATE, np.int16))  # warm up
    todo: list[tuple[str, str, np.ndarray]] = []
    with tempfile.TemporaryDirectory(prefix="earpiece-latency-") as scratch_dir:
        scratch = Path(scratch_dir)
        if "ko free" in args.groups:
            folder = deeply_ko()
            if folder is None:
                print("deeply_ko is absent: no real Korean measured", file=sys.stderr)
            else:
                for clip in clips(folder)[:: args.every]:
                    todo.append(("ko free", clip["text"], read(folder, clip["clip"])))
        if "en command" in args.groups:
            todo += [("en command", t, piper_clip(tts, t)) for t in EN_COMMANDS]
        if "en free" in args.groups:
            todo += [("en free", t, piper_clip(tts, t)) for t in EN_FREE]
        if "ko command (espeak-ng)" in args.groups:
            todo += [("ko command (espeak-ng)", t, espeak_clip(t, scratch)) for t in KO_COMMANDS]
        if args.limit:
            todo = [x for g in dict.fromkeys(x[0] for x in todo)
                    for x in [y for y in todo if y[0] == g][: args.limit]]  # fmt: skip
        rows = []
        for n, (group, text, samples) in enumerate(todo):
            row = turn_row(stt, tts, nlu, settings, samples, args.tail, scratch / f"s{n}")
            row.update(group=group, said=text)
            rows.append(row)
            print(f"{group}: {row['first_audio_ms']} ms {row['outcome']} "
                  f"{row['transcript']!r}", file=sys.stderr)  # fmt: skip
    result: dict[str, Any] = {"window_pad_s": window, "tail_s": args.tail,
                              "summary": summary(rows)}  # fmt: skip
    if clock is not None:
        clock.stop()
        result["clock_ahead"] = {  # the first pass, then each minute's renewals
            "first": first, "rendered": clock.rendered - first["rendered"],
            "cpu_s": round(clock.cpu_s - first["cpu_s"], 2),
            "minutes": round((time.perf_counter() - ticking) / 60, 2)}  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps({**result, "rows": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
