"""Choosing the Whisper turn decision's thresholds on real read Korean, with a held-out half.

Every deeply_ko clip (two speakers reading everyday lines; CC BY-NC-ND, read in place, never
copied; see voice_real_bench.py) is heard once as a press would hear it with no config: the
Vosk grammar decoder's words, then Whisper base with the person's words as its prompt (a
fresh companion's), language detected. Each clip's signals are cached in `--cache` (one JSON
line per clip), so a clip is decoded once; the run can be stopped and resumed, and the clips
are taken in an order whose every prefix spreads over the corpus.

Then, with no more decoding: each candidate decision (`speech/decision.py`, a sureness score
made of Whisper's signals and two thresholds) is chosen on one half of the clips (split by a
hash of the clip's name) and reported on the other half (held out), and the other way round:
"didn't catch" share, intent agreement on what was
understood (the intent understood equals the one the NLU gives the true words), CER on what
was understood, and wrong state changes (an act on a state-changing intent the true words do
not have). Choosing: the most value (VALUE: right and sure best, wrong and sure worst), with "didn't
catch" <= 10 % (or the guards' own drops, if more) and no wrong state change on the fitting
half. (Two speakers only: a split by speaker was too uneven on the clips decoded here.)

    nice PYTHONPATH=device python benchmarks/whisper_decision_fit.py --decode [--limit N]
    PYTHONPATH=device python benchmarks/whisper_decision_fit.py --fit
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from earpiece.nlu.labels import STATE_CHANGING, UNKNOWN
from voice_real_bench import clips, deeply_ko, edits, read, squash

CACHE = Path(tempfile.gettempdir()) / "earpiece-whisper-decision.jsonl"


def spread(n: int) -> list[int]:
    """0..n-1 in an order whose every prefix spreads over the whole range (bit reversal)."""
    bits = max(1, math.ceil(math.log2(max(2, n))))
    order = sorted(range(1 << bits), key=lambda i: int(f"{i:0{bits}b}"[::-1], 2))
    return [i for i in order if i < n]


def decode(cache: Path, limit: int | None, threads: int, lang: str | None) -> None:
    from rapidfuzz import fuzz

    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.nlu.model import NluModel
    from earpiece.runtime.bias import PersonWords
    from earpiece.speech.confidence import phrase_match
    from earpiece.speech.stt import SpeechRecognizer
    from earpiece.speech.whisper import WhisperHearing, WhisperOptions
    from earpiece.store.database import Store

    folder = deeply_ko()
    if folder is None:
        raise SystemExit("deeply_ko is absent (../shared/data/public/deeply_ko): nothing measured")
    done = {json.loads(line)["clip"] for line in cache.read_text("utf-8").splitlines()} if (
        cache.exists()) else set()  # fmt: skip
    settings = load_settings(None)
    s = settings.stt
    hearing = WhisperHearing(WhisperOptions(model=s.whisper_model, beam=s.whisper_beam,
                                            threads=threads, default_lang=s.lang,
                                            no_speech_max=s.whisper_no_speech_max,
                                            logprob_min=s.whisper_logprob_min))  # fmt: skip
    stt = SpeechRecognizer.load(s.model, s.lang, s.grammar, s.beam, s.max_active, hearing)
    nlu = NluModel.load()
    scratch = tempfile.TemporaryDirectory(prefix="earpiece-fit-")
    companion = Companion(Store.open(Path(scratch.name)), nlu, settings,
                          clock=lambda: datetime.now().astimezone())  # fmt: skip
    words = PersonWords(companion).words()
    for which, listed in words.items():
        hearing.bias(which, listed)
    every = clips(folder)
    todo = [every[i] for i in spread(len(every)) if every[i]["clip"] not in done]
    for n, clip in enumerate(todo[:limit]):
        samples = read(folder, clip["clip"])
        session = stt.hear(samples)
        grammar = session.finish(wait_open=False).grammar or ""
        session.cancel()  # Whisper's worker waits a second before it decodes: nothing spent
        heard = hearing.decode(samples, lang)  # None: detected, as a press is
        by_grammar = companion.understand(grammar) if grammar else None
        by_whisper = companion.understand(heard.text) if heard.text.strip() else None
        signals = heard.to_dict()
        row = {
            "clip": clip["clip"], "speaker": clip["speaker"], "noise": clip["noise"],
            "truth": clip["text"], "true_intent": nlu.understand(clip["text"]).intent,
            "grammar": grammar, "g_phrase_match": phrase_match(grammar, stt.phrases),
            "g_intent": by_grammar.intent if by_grammar else None,
            "heard": signals.pop("text"), **signals,
            "intent": by_whisper.intent if by_whisper else None,
            "nlu_conf": by_whisper.confidence if by_whisper else 0.0,
            "agreement": fuzz.ratio(squash(grammar), squash(heard.raw)) / 100 if grammar else 0.0,
            "decode_ms": heard.decode_ms, "audio_s": len(samples) / 16000,
        }  # fmt: skip
        with cache.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{n + 1}/{len(todo)} {heard.decode_ms:.0f} ms {heard.text!r}", file=sys.stderr)
    companion.store.close()
    scratch.cleanup()


@dataclass(frozen=True)
class Rule:
    """A sureness score over Whisper's signals and the two thresholds on it."""

    score: str
    heard: float
    act: float

    def sureness(self, r: dict[str, Any]) -> float:
        return SCORES[self.score](r)


SCORES = {
    "conf": lambda r: math.exp(r["avg_logprob"]) * (1 - r["no_speech_prob"]),
    "conf_ratio": lambda r: math.exp(r["avg_logprob"]) * (1 - r["no_speech_prob"])
    * min(1.0, 2.4 / max(r["compression_ratio"], 1e-6)) ** 2,
    "conf_agree": lambda r: math.exp(r["avg_logprob"]) * (1 - r["no_speech_prob"])
    * (0.8 + 0.2 * r["agreement"]),
    "logprob": lambda r: math.exp(r["avg_logprob"]),
}  # fmt: skip
"""Candidate sureness scores: Whisper's confidence as the product has it; with repetition
(compression ratio) held against it; with agreement with the grammar's words for it; the
mean token probability alone."""


def outcome(rule: Rule, r: dict[str, Any]) -> str:
    """not_heard, confirm or act, as decide_whisper decides with this rule (no question
    pending: every clip is one press on a fresh companion)."""
    from earpiece.speech.decision import decide_whisper

    if not r["heard"]:
        return "not_heard"
    return decide_whisper(rule.sureness(r), r["intent"] or UNKNOWN, r["g_intent"],
                               False, False, anything_heard=True,
                               grammar_whole=r["g_phrase_match"] == 1.0, heard_at=rule.heard,
                               act_at=rule.act).value  # fmt: skip


VALUE = {("act", True): 1.0, ("confirm", True): 0.8, ("act", False): -1.0,
         ("confirm", False): -0.3}  # fmt: skip
"""What a turn is worth, by its outcome and whether its intent was the one said: answered
right is best, asking first (or answering unsure) a little less; a wrong answer given as
sure costs as much as a right one gains, a wrong one given unsure less; "didn't catch" 0."""


def measure(rule: Rule, rows: list[dict[str, Any]]) -> dict[str, float]:
    decided = [(r, outcome(rule, r)) for r in rows]
    kept = [r for r, o in decided if o != "not_heard"]
    chars = sum(len(squash(r["truth"])) for r in kept)
    value = sum(VALUE[o, r["intent"] == r["true_intent"]] for r, o in decided if o != "not_heard")
    return {
        "clips": len(rows),
        "value": value / max(1, len(rows)),
        "not_heard": 1 - len(kept) / max(1, len(rows)),
        "intent_agreement": sum(r["intent"] == r["true_intent"] for r in kept) / max(1, len(kept)),
        "cer_understood": sum(edits(r["truth"], r["heard"]) for r in kept) / max(1, chars),
        "acted": sum(o == "act" for _, o in decided) / max(1, len(rows)),
        "wrong_state_changes": sum(o == "act" and r["intent"] in STATE_CHANGING
                                   and r["true_intent"] != r["intent"] for r, o in decided),
    }  # fmt: skip


def choose(rows: list[dict[str, Any]]) -> tuple[Rule, dict[str, float]]:
    best: tuple[float, Rule, dict[str, float]] | None = None
    grid = [round(x, 3) for x in np.arange(0.10, 0.81, 0.025)]
    dropped = sum(not r["heard"] for r in rows) / max(1, len(rows))  # the guards': no rule helps
    for score, heard, act in itertools.product(SCORES, grid, grid):
        if act < heard:
            continue
        rule = Rule(score, heard, act)
        m = measure(rule, rows)
        if m["not_heard"] > max(0.10, dropped) or m["wrong_state_changes"]:
            continue
        value = m["value"]
        if best is None or value > best[0]:
            best = (value, rule, m)
    assert best is not None, "no rule meets the constraints"
    return best[1], best[2]


def fit(cache: Path) -> dict[str, object]:
    rows = [json.loads(line) for line in cache.read_text("utf-8").splitlines()]
    out: dict[str, object] = {"clips": len(rows)}
    from earpiece.speech.decision import WHISPER_ACT, WHISPER_HEARD

    now = Rule("conf", WHISPER_HEARD, WHISPER_ACT)
    for r in rows:
        r["half"] = zlib.crc32(r["clip"].encode()) % 2
    for fit_on, held in ((0, 1), (1, 0)):
        mine = [r for r in rows if r["half"] == fit_on]
        other = [r for r in rows if r["half"] == held]
        rule, on_fit = choose(mine)
        out[f"fit_half{fit_on}_test_half{held}"] = {
            "rule": rule.__dict__, "fit": on_fit, "held_out": measure(rule, other),
            "current_rule_held_out": measure(now, other),
        }  # fmt: skip
    rule, on_all = choose(rows)
    out["chosen_on_all"] = {"rule": rule.__dict__, "all": on_all,
                            "current_rule_all": measure(now, rows)}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--decode", action="store_true")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--lang", choices=("ko",), help="skip language detection (half the cost: "
                        "one encoder pass; every clip is Korean)")  # fmt: skip
    args = parser.parse_args()
    if args.decode:
        decode(args.cache, args.limit, args.threads, args.lang)
    if args.fit:
        print(json.dumps(fit(args.cache), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
