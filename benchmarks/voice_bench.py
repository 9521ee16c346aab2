"""Voice, honestly: every spoken turn counted, intent checked, wrong actions counted, release ->
first audio at the first buffer written, and two naive baselines beside Earpiece.

Speech (benchmarks/voice_data.py `bench_set`): a fixed set of 54 Korean commands covering
every intent (written once, not picked for working), each said three times by espeak-ng
with a random voice variant, speed (120-200 wpm), pitch and noise (clean / 20 dB / 10 dB
SNR); 40 free sentences people wrote to each other (3i4k and GoEmotions-ko test splits);
12 noise-only clips. Every clip is fed at the pace of speech in 50 ms frames, as a held
button feeds it, then released. Clips are made in a cache dir, not in git.

Baselines, with the same model, NLU and companion: "held" decodes with one open-vocabulary
recogniser while the button is held (what a competent simple Vosk app does), then answers
and renders the whole reply (every phrase once, 20 free sentences, 6 noise clips); "after"
records, then decodes after the release (the first `--baseline` commands, for latency).
    python benchmarks/voice_bench.py [--cache DIR] [--baseline N] [--tune]

`--tune` adds the open decoder's CER and RTF at several beam settings (clean clips).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import time
import wave
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np

from earpiece.companion.policy import Companion
from earpiece.config import load_settings
from earpiece.hardware.microphone import FRAME
from earpiece.hardware.wavfile import STT_RATE, read_for_stt
from earpiece.nlu.model import NluModel
from earpiece.runtime.turn import run_turn
from earpiece.speech.decision import STATE_CHANGING
from earpiece.speech.stt import RATE, SpeechRecognizer
from earpiece.speech.tts import Synthesizer, sentences
from earpiece.store.database import Store

sys.path.insert(0, str(Path(__file__).parent))
from nlu_bench import percentile
from voice_data import Clip, bench_set, read_index


class FirstBuffer:
    """A speaker writing blocks into an open WAV file; notes when the first block is written."""

    def __init__(self, path: Path) -> None:
        self._out = wave.open(str(path), "wb")  # noqa: SIM115 - kept open like a sound stream
        self._out.setnchannels(1)
        self._out.setsampwidth(2)
        self._out.setframerate(22050)
        self.first: float | None = None
        self._lock = threading.Lock()

    def play(self, samples: np.ndarray, rate: int) -> bool:
        block = int(rate * 0.05)
        with self._lock:  # an earcon from another thread waits its turn, as on the device
            for start in range(0, len(samples), block):
                self._out.writeframes(samples[start : start + block].astype(np.int16).tobytes())
                if self.first is None:
                    self.first = time.perf_counter()
        return True

    def stop(self) -> None:
        pass

    def close(self) -> None:
        self._out.close()


def press(stt: SpeechRecognizer, clip: np.ndarray, words: dict[str, list[str]] | None = None):
    """Feed a clip at the pace of speech, as a held button does (biased toward `words` when
    it starts, as the device does); return the session."""
    session = stt.session()
    if words is not None:
        session.bias(words)
    start = time.perf_counter()
    for i, at in enumerate(range(0, len(clip), FRAME)):
        session.feed(clip[at : at + FRAME])
        time.sleep(max(0.0, start + (i + 1) * FRAME / STT_RATE - time.perf_counter()))
    return session


def companion_in(state: Path, nlu: NluModel) -> Companion:
    return Companion(Store.open(state), nlu, load_settings(None),
                     clock=lambda: datetime.now().astimezone())  # fmt: skip


def changed(store: Store) -> bool:
    """Did the turn change the person's state (the store starts empty for every turn)?"""
    return any(store.count(t) for t in ("facts", "reminders", "letters", "settings"))


def earpiece(stt, tts, nlu, clips: list[Clip], folder: Path) -> list[dict]:
    """Every clip as one Earpiece turn on a fresh companion."""
    rows = []
    for n, clip in enumerate(clips):
        samples = read_for_stt(Path(clip.path))
        companion = companion_in(folder / f"state-{n}", nlu)
        session = press(stt, samples)
        speaker = FirstBuffer(folder / "reply.wav")
        released = time.perf_counter()
        turn = run_turn(session, companion, tts, speaker, released)
        speaker.close()
        intent = turn.reply.intent if turn.reply else None
        readings = {d: nlu.understand(t).intent for d, t in turn.transcripts.items() if t}
        rows.append({
            "kind": clip.kind, "said": clip.intent, "snr": clip.snr, "heard": intent,
            "decision": turn.decision.value, "outcome": turn.outcome.value,
            "stage": turn.stage, "state_changed": changed(companion.store),
            "first_ms": (speaker.first - released) * 1000 if speaker.first else None,
            "readings": readings,
        })  # fmt: skip
        companion.store.close()
        if n % 20 == 0:
            print(f"earpiece {n}/{len(clips)}", file=sys.stderr)
    return rows


def baseline(stt, tts, nlu, clips: list[Clip], folder: Path, held: bool) -> list[dict]:
    """One open recogniser; `held`: fed while held, else fed after the release. The whole
    reply is rendered before it plays; every turn is acted on (no confidence)."""
    rows = []
    for n, clip in enumerate(clips):
        samples = read_for_stt(Path(clip.path))
        companion = companion_in(folder / f"base-{held}-{n}", nlu)
        rec = stt._recognizer(None)  # built before the press, as a simple app would
        start = time.perf_counter()
        for i, at in enumerate(range(0, len(samples), FRAME)):
            if held:
                rec.AcceptWaveform(samples[at : at + FRAME].tobytes())
            time.sleep(max(0.0, start + (i + 1) * FRAME / STT_RATE - time.perf_counter()))
        released = time.perf_counter()
        if not held:
            for at in range(0, len(samples), FRAME):
                rec.AcceptWaveform(samples[at : at + FRAME].tobytes())
        text = " ".join(w for w in json.loads(rec.FinalResult()).get("text", "").split()
                        if not w.startswith("["))  # fmt: skip
        first, intent, outcome = None, None, "not_heard"
        if text:
            reply = companion.respond(text)
            intent, outcome = reply.intent, reply.outcome.value
            rendered = [tts.render(s, reply.lang) for s in sentences(reply.text)]
            speaker = FirstBuffer(folder / "base.wav")
            for samples_, rate in rendered:
                speaker.play(samples_, rate)
            speaker.close()
            first = (speaker.first - released) * 1000 if speaker.first else None
        rows.append({"kind": clip.kind, "said": clip.intent, "snr": clip.snr, "heard": intent,
                     "decision": "act" if text else "not_heard", "outcome": outcome,
                     "stage": "open", "state_changed": changed(companion.store),
                     "first_ms": first})  # fmt: skip
        companion.store.close()
    return rows


def accuracy(rows: list[dict]) -> dict[str, float]:
    """Shares of command turns: right, not heard, and the wrong ones split three ways: asked
    about a wrong state change, answered with a wrong harmless intent, wrong state change
    made without asking."""
    cmds = [r for r in rows if r["kind"] == "command"]
    n = len(cmds) or 1
    right = sum(r["heard"] == r["said"] and r["outcome"] != "not_heard" for r in cmds)
    not_heard = sum(r["outcome"] == "not_heard" for r in cmds)
    wrong = [r for r in cmds if r["outcome"] != "not_heard" and r["heard"] != r["said"]]
    wrong_actions = sum(r["decision"] == "act" and r["heard"] in STATE_CHANGING for r in wrong)
    return {"n": len(cmds), "right": right / n, "not_heard": not_heard / n,
            "right_or_not_heard": (right + not_heard) / n,
            "wrong_confirm": sum(r["decision"] == "confirm" and r["heard"] in STATE_CHANGING
                                 for r in wrong) / n,
            "wrong_answer": sum(r["heard"] not in STATE_CHANGING for r in wrong) / n,
            "wrong_actions": wrong_actions / n}  # fmt: skip


def ceiling(rows: list[dict]) -> str:
    """What recognition allows: the share of command turns in which some decoder's transcript
    reads (through the same NLU) as the intent said. A turn can be right only then, so no
    confidence or decision rule can make more turns right than this."""
    cmds = [r for r in rows if r["kind"] == "command"]
    if not cmds:
        return ""
    shares = {}
    for name, pick in (("grammar", ("grammar",)), ("open", ("open",)),
                       ("either", ("grammar", "open"))):  # fmt: skip
        hits = sum(any(r.get("readings", {}).get(d) == r["said"] for d in pick) for r in cmds)
        shares[name] = hits / len(cmds)
    return (
        f"Recognition ceiling (commands): a transcript reads as the intent said in "
        f"{shares['grammar']:.1%} of turns for the grammar decoder, {shares['open']:.1%} "
        f"for the open decoder, {shares['either']:.1%} for either: the most any decision "
        f"rule could get right on this speech."
    )


def unconfirmed(rows: list[dict], kind: str) -> tuple[int, int, int]:
    """(turns, state-changing intents acted on without asking, turns that changed state)."""
    mine = [r for r in rows if r["kind"] == kind]
    acted = sum(r["decision"] == "act" and r["heard"] in STATE_CHANGING for r in mine)
    return len(mine), acted, sum(r["state_changed"] for r in mine)


def rtf(stt: SpeechRecognizer, clips: list[Clip]) -> dict[str, float]:
    """Decoding time / audio time, each decoder alone on fresh recognisers, as fast as it goes."""
    audio, spent = 0.0, {"grammar": 0.0, "open": 0.0}
    for clip in clips:
        samples = read_for_stt(Path(clip.path))
        audio += len(samples) / RATE
        for name, phrases in (("grammar", stt.phrases), ("open", None)):
            rec = stt._recognizer(phrases)
            start = time.perf_counter()
            for at in range(0, len(samples), FRAME):
                rec.AcceptWaveform(samples[at : at + FRAME].tobytes())
            rec.FinalResult()
            spent[name] += time.perf_counter() - start
    return {k: v / audio for k, v in spent.items()}


def tune(clips: list[Clip]) -> str:
    """The open decoder's character error rate and real-time factor at several beams, on
    clean clips (commands and free speech), each setting on a freshly loaded model."""
    import gc

    import vosk
    from rapidfuzz.distance import Levenshtein

    from earpiece.speech.modeldir import tuned
    from earpiece.speech.stt import resolve_model_dir

    clean = [c for c in clips if c.snr is None and c.kind != "noise"][:16]
    audio = [read_for_stt(Path(c.path)) for c in clean]
    seconds = sum(len(a) for a in audio) / RATE
    lines = [
        "| beam | max-active | lattice-beam | CER | real-time factor |",
        "|---|---|---|---|---|",
    ]
    for beam, active, lattice in ((10.0, 3000, 2.0), (7.0, 1000, 2.0), (7.0, 1000, 1.0),
                                  (5.0, 500, 1.0), (4.0, 300, 1.0)):  # fmt: skip
        private = Path(tempfile.mkdtemp(prefix="earpiece-tune-"))  # never the shared cache
        folder = tuned(resolve_model_dir(""), beam, active, cache=private)
        conf = folder / "conf" / "model.conf"
        text = conf.read_text(encoding="utf-8")
        conf.write_text("\n".join(line for line in text.splitlines()
                                  if not line.startswith("--lattice-beam"))
                        + f"\n--lattice-beam={lattice}\n", encoding="utf-8")  # fmt: skip
        model = vosk.Model(str(folder))
        errors = chars = 0
        spent = 0.0
        for clip, samples in zip(clean, audio, strict=True):
            rec = vosk.KaldiRecognizer(model, RATE)
            start = time.perf_counter()
            for at in range(0, len(samples), FRAME):
                rec.AcceptWaveform(samples[at : at + FRAME].tobytes())
            said = json.loads(rec.FinalResult()).get("text", "")
            spent += time.perf_counter() - start
            ref = "".join(ch for ch in clip.text if ch.isalnum())
            hyp = "".join(ch for ch in said if ch.isalnum())
            errors += Levenshtein.distance(ref, hyp)
            chars += len(ref)
        lines.append(f"| {beam:g} | {active} | {lattice:g} | {errors / chars:.2f} | "
                     f"{spent / seconds:.2f} |")  # fmt: skip
        del model
        gc.collect()
        shutil.rmtree(private, ignore_errors=True)
    return "\n".join(lines)


def lat(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "- | -"
    return f"{percentile(got, 50):.0f} | {percentile(got, 95):.0f}"


def report(mine, held, after, rates, clips) -> str:
    a, h = accuracy(mine), accuracy(held)
    lines = [
        "| commands (all intents, 3 voices each) | turns | right | didn't catch | right or "
        "didn't catch | asked about a wrong state change | answered a wrong harmless intent "
        "| wrong state change without asking |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in (("Earpiece", a), ("naive, decodes while held", h)):
        lines.append(f"| {name} | {m['n']} | {m['right']:.1%} | {m['not_heard']:.1%} | "
                     f"{m['right_or_not_heard']:.1%} | {m['wrong_confirm']:.1%} | "
                     f"{m['wrong_answer']:.1%} | **{m['wrong_actions']:.1%}** |")  # fmt: skip
    by_snr = []
    for snr in (None, 20.0, 10.0):
        sub = accuracy([r for r in mine if r["snr"] == snr])
        name = "clean" if snr is None else f"{snr:.0f} dB"
        by_snr.append(f"{name}: right {sub['right']:.0%}, right or didn't catch "
                      f"{sub['right_or_not_heard']:.0%} ({sub['n']})")  # fmt: skip
    lines += ["", "Earpiece by noise: " + "; ".join(by_snr) + ".", ""]
    lines += [ceiling(mine), ""]
    lines += ["| free speech / noise | turns | state-changing intent acted on without asking | "
              "turns that changed state | outcomes |", "|---|---|---|---|---|"]  # fmt: skip
    for name, rows in (("Earpiece", mine), ("naive, decodes while held", held)):
        for kind in ("free", "noise"):
            n, acted, changed_ = unconfirmed(rows, kind)
            outs = Counter(r["outcome"] for r in rows if r["kind"] == kind)
            lines.append(f"| {name}: {kind} | {n} | **{acted}** | {changed_} | "
                         f"{', '.join(f'{k} {v}' for k, v in sorted(outs.items()))} |")  # fmt: skip
    lines += ["", "| release -> first audio (first buffer written) | turns | p50 ms | p95 ms |",
              "|---|---|---|---|"]  # fmt: skip
    groups = [
        ("Earpiece, commands", [r for r in mine if r["kind"] == "command"]),
        ("... decided at the release (grammar, fast model)",
         [r for r in mine if r["kind"] == "command" and r["stage"] == "fast"]),
        ("... waited for the open decoder",
         [r for r in mine if r["kind"] == "command" and r["stage"] == "full"]),
        ("Earpiece, free speech", [r for r in mine if r["kind"] == "free"]),
        ("naive, decodes while held (commands)", [r for r in held if r["kind"] == "command"]),
        ("naive, decodes after the release (commands)",
         [r for r in after if r["kind"] == "command"]),
        ("naive, decodes while held (free speech)", [r for r in held if r["kind"] == "free"]),
    ]  # fmt: skip
    for name, rows in groups:
        lines.append(f"| {name} | {sum(r['first_ms'] is not None for r in rows)} | "
                     f"{lat([r['first_ms'] for r in rows])} |")  # fmt: skip
    audio = {k: np.mean([len(read_for_stt(Path(c.path))) / RATE for c in clips if c.kind == k])
             for k in ("command", "free")}  # fmt: skip
    lines += ["", "| decoder | real-time factor (decode time / audio time, alone) |", "|---|---|",
              f"| grammar + garbage loop, commands | {rates['command']['grammar']:.3f} |",
              f"| open vocabulary, commands | {rates['command']['open']:.3f} |",
              f"| open vocabulary, free speech | {rates['free']['open']:.3f} |", "",
              f"Clips average {audio['command']:.1f} s (commands) and {audio['free']:.1f} s "
              "(free speech), 0.3 s of silence either side included."]  # fmt: skip
    return "\n".join(lines)


def main() -> str:
    args = sys.argv
    cache = Path(args[args.index("--cache") + 1]) if "--cache" in args else (
        Path(tempfile.gettempdir()) / "earpiece-voice-bench")  # fmt: skip
    n_base = int(args[args.index("--baseline") + 1]) if "--baseline" in args else 30
    if not (cache / "index.jsonl").is_file():
        bench_set(cache)
    clips = read_index(cache)
    stt, nlu = SpeechRecognizer.load(), NluModel.load()
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mine = earpiece(stt, tts, nlu, clips, folder)
        (cache / "earpiece.jsonl").write_text("\n".join(json.dumps(r) for r in mine) + "\n")
        commands = [c for c in clips if c.kind == "command"]
        first_round = commands[: len(commands) // 3]  # every phrase once
        free = [c for c in clips if c.kind == "free"][:20]
        noise = [c for c in clips if c.kind == "noise"][:6]
        held = baseline(stt, tts, nlu, first_round + free + noise, folder, held=True)
        after = baseline(stt, tts, nlu, commands[:n_base], folder, held=False)
    rates = {k: rtf(stt, [c for c in clips if c.kind == k][:12]) for k in ("command", "free")}
    beams = tune(clips) if "--tune" in args else ""
    return report(mine, held, after, rates, clips) + ("\n\n" + beams if beams else "")


if __name__ == "__main__":
    print(main())
