"""Hearing real people: real read Korean (deeply_ko) through the product's turn, with Whisper.

Every clip is one press on a fresh companion (its own empty store), heard by the recogniser
`[stt]` configures (Vosk grammar for commands, Whisper or Vosk open for free speech), then
`run_turn` as `earpiece turn --wav` runs it. Reported:

- CER on what was understood (turns not ended as "didn't catch"), and per decoder over all
  clips (spaces and punctuation ignored; pooled = edits / reference characters);
- intent agreement: the intent the turn understood equals the intent the NLU gives the true
  words (the clip's text), over the turns not ended as "didn't catch";
- outcome shares (acted / confirming / answered / not_heard), wrong state changes (the store
  changed while the true words' intent changes nothing), Whisper's RTF, peak RSS;
- `--guards`: synthetic silence, noise, coughs, clicks and tones (made here, seeded): turns
  that answered or acted on words;
- `--names N`: the gain of biasing Whisper toward a remembered word (see `names`);
- `--latency N`: the first N clips pressed at the pace of speech: release -> first audio.

deeply_ko: Deeply Inc. Korean Read Speech Corpus sample (CC BY-NC-ND 4.0), two speakers
reading everyday lines at 0.4 m in one room: read speech, not conversation. It is read from
`<repo>/../shared/data/public/deeply_ko` (else /work/shared/...), never copied; absent, the
bench says so and stops.

    PYTHONPATH=device python benchmarks/voice_real_bench.py [--every N] [--decoder whisper|vosk]
        [--guards] [--names N] [--latency N] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from earpiece.companion.policy import Companion  # noqa: E402
from earpiece.config import Settings, SttSettings, load_settings  # noqa: E402
from earpiece.nlu.model import NluModel  # noqa: E402
from earpiece.runtime.bias import PersonWords  # noqa: E402
from earpiece.runtime.turn import run_turn  # noqa: E402
from earpiece.speech.decision import STATE_CHANGING  # noqa: E402
from earpiece.speech.stt import RATE, SpeechRecognizer  # noqa: E402
from earpiece.speech.tts import Synthesizer  # noqa: E402
from earpiece.store.database import Store  # noqa: E402
from voice_bench import FirstBuffer, changed, press  # noqa: E402

OUTCOMES = ("acted", "confirming", "answered", "not_heard")


def deeply_ko() -> Path | None:
    """The corpus folder, or None when it is not on this machine."""
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        folder = base / "data" / "public" / "deeply_ko"
        if (folder / "clips.tsv").is_file():
            return folder
    return None


def clips(folder: Path) -> list[dict[str, str]]:
    with (folder / "clips.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def squash(text: str | None) -> str:
    return re.sub(r"[\W_]+", "", (text or "").lower())


def edits(ref: str, hyp: str | None) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(squash(ref), squash(hyp))


def read(folder: Path, clip: str) -> np.ndarray:
    import soundfile as sf

    samples, rate = sf.read(folder / "audio" / f"{clip}.flac", dtype="int16")
    if rate != RATE:
        raise SystemExit(f"{clip}: {rate} Hz, expected {RATE}")
    return samples


def recogniser(decoder: str, dual_below: float = 0.95,
               threads: int = 2) -> tuple[SpeechRecognizer, Settings]:  # fmt: skip
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions

    settings = load_settings(None)
    s = SttSettings(
        open_decoder=decoder,
        whisper_dual_below=dual_below,  # type: ignore[arg-type]
        whisper_threads=threads,
    )
    settings = settings.model_copy(update={"stt": s})
    whisper = None
    if decoder == "whisper":
        whisper = WhisperHearing(WhisperOptions(beam=s.whisper_beam, threads=s.whisper_threads,
                                                english_model=s.whisper_english_model,
                                                window_pad_s=s.whisper_window_pad_s,
                                                dual_below=s.whisper_dual_below))  # fmt: skip
    return SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active,
                                 whisper), settings  # fmt: skip


def turn_of(stt, tts, nlu, settings, samples, folder: Path, realtime: bool) -> dict[str, Any]:
    companion = Companion(Store.open(folder), nlu, settings,
                          clock=lambda: datetime.now().astimezone())  # fmt: skip
    words = PersonWords(companion).words()  # at the press, as the device does
    session = press(stt, samples, words) if realtime else stt.hear(samples, words=words)
    speaker = FirstBuffer(folder / "reply.wav")
    released = time.perf_counter()
    turn = run_turn(session, companion, tts, speaker, released, keep_open=True)
    speaker.close()
    row: dict[str, Any] = {"transcript": turn.transcript, "decoder": turn.decoder,
           "lang": turn.lang, "transcripts": dict(turn.transcripts), "outcome": turn.outcome.value,
           "decision": turn.decision.value, "intent": turn.reply.intent if turn.reply else None,
           "nlu_intent": (turn.reply.nlu_intent or turn.reply.intent) if turn.reply else None,
           "state_changed": changed(companion.store), "whisper": turn.whisper,
           "timings": turn.timings_ms,
           "first_ms": turn.timings_ms.get("release_to_first_audio")  # the reply's, not an earcon
           if turn.reply else None}  # fmt: skip
    name = session.open_name
    if row["transcripts"].get(name) is None:
        row["transcripts"][name] = session.open_result()
    companion.store.close()
    return row


def real(args, stt, tts, nlu, settings, folder: Path, scratch: Path) -> list[dict]:
    rows: list[dict] = []
    done: dict[str, dict] = {}
    if args.rows and args.rows.exists():  # a run cut short goes on where it stopped
        for line in args.rows.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["clip"]] = row
    chosen = clips(folder)[:: args.every]
    if args.shortest:  # short presses: where the language is least sure
        chosen = sorted(chosen, key=lambda c: float(c["seconds"]))[: args.shortest]
    if args.reverse:  # a second process from the other end (both append to --rows)
        chosen = chosen[::-1]
    stt.transcribe(np.zeros(RATE, np.int16))  # warm up: the first decode loads and plans
    for n, clip in enumerate(chosen):
        if clip["clip"] in done or (args.reverse and _done_elsewhere(args.rows, clip["clip"])):
            if clip["clip"] in done:
                rows.append(done[clip["clip"]])
            continue
        samples = read(folder, clip["clip"])
        row = turn_of(stt, tts, nlu, settings, samples, scratch / f"s{n}", n < args.latency)
        truth = nlu.understand(clip["text"])
        row.update(clip=clip["clip"], text=clip["text"], noise=clip["noise"],
                   audio_s=len(samples) / RATE, true_intent=truth.intent,
                   realtime=n < args.latency)  # fmt: skip
        rows.append(row)
        if args.rows:
            with args.rows.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        if n % 20 == 0:
            print(f"{n}/{len(chosen)} {row['outcome']} {row['transcript']!r}", file=sys.stderr)
    return rows


def _done_elsewhere(rows: Path | None, clip: str) -> bool:
    """Whether another process already appended this clip's row (the two meet halfway)."""
    return rows is not None and rows.exists() and f'"clip": "{clip}"' in rows.read_text("utf-8")


def synthetic(seed: int = 7) -> list[tuple[str, np.ndarray]]:
    """Silence, noise, coughs, clicks and music-like tones: nothing to hear (2.5 s each)."""
    rng = np.random.default_rng(seed)
    n = int(2.5 * RATE)
    t = np.arange(n) / RATE
    out: list[tuple[str, np.ndarray]] = [("digital silence", np.zeros(n))]
    for level in (30, 300, 3000):
        out.append((f"white noise rms {level}", rng.normal(0, level, n)))
    pink = np.cumsum(rng.normal(0, 1, n))
    pink -= np.convolve(pink, np.ones(400) / 400, "same")
    out.append(("brown-ish noise", pink / pink.std() * 2000))
    out.append(("mains hum 50 Hz", 3000 * np.sin(2 * np.pi * 50 * t)))
    for k in range(3):
        cough = np.zeros(n)
        for start in rng.uniform(0.2, 2.0, 2 + k):
            i = int(start * RATE)
            m = int(0.25 * RATE)
            env = np.exp(-np.linspace(0, 6, m))
            burst = rng.normal(0, 1, m)
            burst = np.convolve(burst, np.ones(8) / 8, "same")  # duller than white noise
            cough[i : i + m] += 9000 * env * burst[: len(cough[i : i + m])]
        out.append((f"coughs {k + 2}", cough))
    clicks = np.zeros(n)
    for i in rng.integers(0, n - 40, 12):
        clicks[i : i + 40] = 20000 * np.hanning(40)
    out.append(("clicks", clicks))
    for name, notes in (("chord", (261.6, 329.6, 392.0)), ("melody", (440, 494, 523, 587))):
        if name == "chord":
            wave = sum(np.sin(2 * np.pi * f * t) for f in notes)
        else:
            seg = n // len(notes)
            wave = np.concatenate([np.sin(2 * np.pi * f * t[:seg]) for f in notes])
            wave = np.pad(wave, (0, n - len(wave)))
        out.append((f"music-like {name}", 4000 * wave / np.abs(wave).max()))
    sweep = np.sin(2 * np.pi * (200 + 800 * t / 2.5) * t)
    out.append(("tone sweep", 4000 * sweep))
    return [(name, np.clip(x, -32768, 32767).astype(np.int16)) for name, x in out]


def guards(stt, tts, nlu, settings, scratch: Path) -> list[dict]:
    rows = []
    for n, (name, samples) in enumerate(synthetic()):
        row = turn_of(stt, tts, nlu, settings, samples, scratch / f"g{n}", False)
        row["clip"] = name
        rows.append(row)
    return rows


def names(folder: Path, count: int, threads: int) -> dict[str, float]:
    """Bias gain: a clip's longest word (3+ Hangul syllables: names, places, rare nouns)
    stands for a word the person told the companion; Whisper is given it among 15 other such
    words (from other clips) as its prompt, or nothing. Share of clips whose transcript holds
    the word exactly (spaces ignored), with and without the prompt."""
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions

    hearing = WhisperHearing(WhisperOptions(lang="ko", english_model="", threads=threads))
    rows = clips(folder)[3::7][:count]
    words = []
    for clip in rows:
        found = [w for w in re.findall(r"[\uac00-\ud7a3]+", clip["text"]) if len(w) >= 3]
        words.append(max(found, key=len) if found else "")
    hits: Counter[str] = Counter()
    for k, (clip, word) in enumerate(zip(rows, words, strict=True)):
        if not word:
            continue
        samples = read(folder, clip["clip"])
        others = [w for j, w in enumerate(words) if w and j != k][:15]
        for label, prompt in (("plain", []), ("biased", [*others[:7], word, *others[7:]])):
            hearing.bias("ko", prompt)
            heard = hearing.decode(samples, "ko")
            hits[label] += word in squash(heard.raw)
        hits["n"] += 1
    return {"n": hits["n"], "plain": hits["plain"] / max(1, hits["n"]),
            "biased": hits["biased"] / max(1, hits["n"])}  # fmt: skip


def english(stt, tts, nlu, settings, scratch: Path, per_intent: int) -> dict[str, object]:
    """Synthetic English commands (espeak-ng gmw/en-us, 150 wpm; one NLU phrase per intent,
    seeded): the turn's intent right, wrong state changes; then base against tiny.en on the
    same clips (WER, decode time), language given."""
    import random
    import subprocess

    from earpiece.hardware.wavfile import read_for_stt
    from earpiece.nlu.phrases import load_phrases
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions

    by_intent: dict[str, list[str]] = {}
    for text, intent in load_phrases("en"):
        by_intent.setdefault(intent, []).append(text)
    rng = random.Random(11)
    said = [(t, i) for i in sorted(by_intent) for t in rng.sample(by_intent[i], per_intent)]
    rows, audio = [], []
    for n, (text, intent) in enumerate(said):
        wav = scratch / f"en{n}.wav"
        subprocess.run(["espeak-ng", "-v", "gmw/en-us", "-s", "150", "-w", str(wav), text],
                       check=True)  # fmt: skip
        samples = read_for_stt(wav)
        audio.append(samples)
        row = turn_of(stt, tts, nlu, settings, samples, scratch / f"e{n}", False)
        right = row["intent"] == intent and row["outcome"] != "not_heard"
        wrong_change = row["state_changed"] and (intent not in STATE_CHANGING
                                                 or row["intent"] != intent)  # fmt: skip
        rows.append({"said": text, "intent": intent, "heard": row["transcript"],
                     "got": row["intent"], "outcome": row["outcome"], "lang": row["lang"],
                     "right": right, "wrong_change": wrong_change})  # fmt: skip
    out: dict[str, object] = {
        "turns": len(rows), "right": sum(r["right"] for r in rows) / len(rows),
        "wrong_state_changes": sum(r["wrong_change"] for r in rows),
        "lang_en": sum(r["lang"] == "en" for r in rows) / len(rows),
        "outcomes": dict(Counter(r["outcome"] for r in rows)),
        "misses": [r for r in rows if not r["right"]][:12],
    }  # fmt: skip
    from rapidfuzz.distance import Levenshtein

    for model in ("base", "tiny.en"):
        hearing = WhisperHearing(WhisperOptions(model="base", english_model=model if model
                                                != "base" else "", lang="en"))  # fmt: skip
        errs = words = 0
        began = time.perf_counter()
        for (text, _), samples in zip(said, audio, strict=True):
            got = hearing.decode(samples, "en").raw
            ref, hyp = squash_words(text), squash_words(got)
            errs += Levenshtein.distance(ref, hyp)
            words += len(ref)
        out[f"wer_{model}"] = errs / max(1, words)
        out[f"decode_ms_{model}"] = (time.perf_counter() - began) * 1000 / len(said)
    return out


def squash_words(text: str) -> list[str]:
    return [w for w in re.split(r"\W+", text.lower()) if w]


def summary(rows: list[dict], open_name: str) -> dict[str, object]:
    understood = [r for r in rows if r["outcome"] != "not_heard"]
    ref_chars = sum(len(squash(r["text"])) for r in understood)
    out: dict[str, object] = {"clips": len(rows), "understood": len(understood)}
    out["cer_understood"] = (sum(edits(r["text"], r["transcript"]) for r in understood)
                             / max(1, ref_chars))  # fmt: skip
    for name in ("grammar", open_name):
        chars = sum(len(squash(r["text"])) for r in rows)
        out[f"cer_{name}_all"] = sum(edits(r["text"], r["transcripts"].get(name))
                                     for r in rows) / max(1, chars)  # fmt: skip
    agree = [r["intent"] == r["true_intent"] for r in understood]
    out["intent_agreement"] = sum(agree) / max(1, len(agree))
    out["intent_agreement_all"] = sum(agree) / max(1, len(rows))
    # the NLU's reading of the heard words against its reading of the true words: the hearing's
    # part alone ('intent' above is what the companion took the turn as: a fact told in passing
    # is kept as remember_fact, which the NLU alone calls share_feeling in both)
    read = [r["nlu_intent"] == r["true_intent"] for r in understood if "nlu_intent" in r]
    out["nlu_intent_agreement"] = sum(read) / len(read) if read else None
    shares = Counter(r["outcome"] for r in rows)
    out["outcomes"] = {o: shares[o] / max(1, len(rows)) for o in OUTCOMES}
    out["wrong_state_changes"] = sum(r["state_changed"] and r["true_intent"] not in STATE_CHANGING
                                     for r in rows)  # fmt: skip
    out["state_changes"] = sum(r["state_changed"] for r in rows)
    decode = [r["timings"].get("whisper_decode") for r in rows if r["whisper"]]
    audio = sum(r["audio_s"] for r in rows if r["whisper"])
    out["whisper_rtf"] = sum(d for d in decode if d) / 1000 / audio if audio else None
    out["whisper_decode_p50_ms"] = float(np.median([d for d in decode if d])) if decode else None
    out["langs"] = dict(Counter(r["lang"] for r in rows))
    dropped = Counter((r["whisper"] or {}).get("dropped", "") for r in rows)
    out["whisper_dropped"] = {k: v for k, v in dropped.items() if k}
    lat = [r["first_ms"] for r in rows if r.get("realtime") and r["first_ms"] is not None
           and r["outcome"] != "not_heard"]  # fmt: skip
    if lat:
        out["release_to_first_audio_ms"] = {"n": len(lat), "p50": float(np.median(lat)),
                                            "p90": float(np.percentile(lat, 90))}  # fmt: skip
    return out


def companion_agreement(rows: list[dict], nlu: NluModel, settings: Settings) -> float | None:
    """The voice turn's intent (what the companion took it as) against the intent a fresh
    companion reports for the clip's true words typed: the product's understanding, heard
    against read, with the same policy on both sides."""
    understood = [r for r in rows if r["outcome"] != "not_heard" and r.get("text")]
    if not understood:
        return None
    agree = 0
    with tempfile.TemporaryDirectory(prefix="earpiece-agree-") as scratch:
        for n, row in enumerate(understood):
            store = Store.open(Path(scratch) / f"s{n}")
            companion = Companion(store, nlu, settings,
                                  clock=lambda: datetime.now().astimezone())  # fmt: skip
            agree += companion.respond(row["text"]).intent == row["intent"]
            store.close()
    return agree / len(understood)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="every Nth clip (1: all 572)")
    parser.add_argument("--decoder", choices=("whisper", "vosk"), default="whisper")
    parser.add_argument("--guards", action="store_true")
    parser.add_argument("--names", type=int, default=0)
    parser.add_argument("--latency", type=int, default=0)
    parser.add_argument("--english", type=int, default=0, help="English phrases per intent")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rows", type=Path, help="each clip's row appended here (resumable)")
    parser.add_argument("--skip-real", action="store_true", help="no deeply_ko clips")
    parser.add_argument("--reverse", action="store_true", help="take the clips last first")
    parser.add_argument("--summarise", action="store_true", help="only summarise --rows")
    parser.add_argument("--threads", type=int, default=2, help="Whisper's CPU threads")
    parser.add_argument("--shortest", type=int, default=0, help="only the N shortest clips")
    parser.add_argument(
        "--dual-below",
        type=float,
        default=0.95,
        help="[stt] whisper_dual_below (0: one language per press)",
    )
    args = parser.parse_args()
    folder = deeply_ko()
    if folder is None:
        print("deeply_ko is absent (../shared/data/public/deeply_ko): nothing measured")
        return
    if args.summarise:
        kept = {}
        for line in args.rows.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kept[row["clip"]] = row
        out = summary(list(kept.values()), "whisper" if args.decoder == "whisper" else "open")
        out["companion_intent_agreement"] = companion_agreement(
            list(kept.values()), NluModel.load(), load_settings(None)
        )
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    nlu = NluModel.load()
    stt, settings = recogniser(args.decoder, args.dual_below, args.threads)
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
    result: dict[str, object] = {"decoder": args.decoder, "every": args.every}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="earpiece-realbench-") as scratch:
        rows = [] if args.skip_real else real(args, stt, tts, nlu, settings, folder,
                                              Path(scratch))  # fmt: skip
        open_name = "whisper" if args.decoder == "whisper" else "open"
        if rows:
            result["deeply_ko"] = summary(rows, open_name)
            result["deeply_ko"]["companion_intent_agreement"] = companion_agreement(
                rows, nlu, settings
            )
        if args.guards:
            g = guards(stt, tts, nlu, settings, Path(scratch))
            result["guards"] = {
                "clips": len(g),
                "answered_or_acted": [r["clip"] for r in g
                                      if r["outcome"] in ("answered", "acted", "confirming")],
                "rows": [{k: r[k] for k in ("clip", "outcome", "transcripts")} for r in g],
            }  # fmt: skip
        if args.english:
            result["english_synthetic"] = english(stt, tts, nlu, settings, Path(scratch),
                                                  args.english)  # fmt: skip
    if args.names:
        result["names"] = names(folder, args.names, 2)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["seconds"] = time.perf_counter() - began
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({**result, "rows": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
