"""Fit the spoken turn's confidence (speech/turn_confidence.json) on espeak-ng speech.

1. makes the calibration clips (benchmarks/voice_data.py: NLU dev-split commands of every
   intent, 3i4k/GoEmotions-ko train-split free speech, noise; varied voices, speeds,
   pitches, clean / 20 dB / 10 dB SNR) in a cache dir, not in git;
2. decodes every clip with the real recogniser (grammar + open decoder) and NLU, caching
   what they heard (decoded.jsonl);
3. fits two logistic regressions (scikit-learn): `fast` on what is ready at the release,
   `full` with the open decoder too; label: the turn's intent is the one said (free speech
   and noise: never right);
4. picks the thresholds (act / ask first / not heard) on the same data and writes the
   coefficients, thresholds and how they were made into the JSON.

    PYTHONPATH=device python tools/calibrate_voice.py [--cache DIR] [--every N] [--renlu]

`--renlu` keeps the cached transcripts but understands them again with the current NLU model:
after a retrain of the NLU (whose confidence is a feature) without decoding again.

`--every 2` (the default) decodes every second command and free sentence of the set:
the open decoder is slow on a shared 2-core machine.
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from earpiece.speech.confidence import (  # noqa: E402
    FAST_FEATURES,
    FULL_FEATURES,
    MODEL_FILE,
    Heard,
    features,
)
from earpiece.speech.decision import STATE_CHANGING, pick_decoder  # noqa: E402
from earpiece.speech.stt import Transcripts, Word  # noqa: E402
from voice_data import Clip, calibration_set, read_index  # noqa: E402

FREE_INTENTS = ("unknown", "remember_fact", "write_letter", "share_feeling")
"""Intents the turn never takes from the grammar decoder alone (runtime/turn.py)."""
CLOCK = datetime(2026, 11, 27, 14, 10, tzinfo=ZoneInfo("Asia/Seoul"))


def decode(clips: list[Clip], out: Path, grammar_only: bool = False) -> list[dict]:
    """What the recogniser and the NLU make of every clip (cached in `out`); `grammar_only`:
    the open decoder is not run (its fields are empty), for the fast model's extra data."""
    from earpiece.hardware.wavfile import read_for_stt
    from earpiece.nlu.model import NluModel
    from earpiece.speech.stt import SpeechRecognizer

    done = {}
    if out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            done[rec["path"]] = rec
    stt, nlu = SpeechRecognizer.load(), NluModel.load()
    with out.open("a", encoding="utf-8") as f:
        for n, clip in enumerate(clips):
            if clip.path in done:
                continue
            heard = hear(stt, read_for_stt(Path(clip.path)), grammar_only)
            rec = {"path": clip.path, **record(heard, nlu)}
            done[clip.path] = rec
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            f.flush()
            if n % 20 == 0:
                print(f"decoded {n}/{len(clips)}", file=sys.stderr)
    return [done[c.path] for c in clips]


def renlu(cached: Path) -> None:
    """Understand the cached transcripts again with the current NLU model (in place)."""
    from earpiece.nlu.model import NluModel

    if not cached.is_file():
        return
    nlu = NluModel.load()

    def understood(text: str | None):
        if not text:
            return None
        u = nlu.understand(text, CLOCK, "ko")
        return [u.intent, u.confidence]

    lines = []
    for line in cached.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        rec["by_grammar"], rec["by_open"] = understood(rec["grammar"]), understood(rec["open"])
        lines.append(json.dumps(rec, ensure_ascii=False))
    cached.write_text("\n".join(lines) + "\n", encoding="utf-8")


def hear(stt, samples: np.ndarray, grammar_only: bool) -> Transcripts:
    if not grammar_only:
        return stt.transcribe(samples)
    session = stt.session()
    session.pause_open()
    for start in range(0, len(samples), 800):
        session.feed(samples[start : start + 800])
    heard = session.finish(wait_open=False)
    session.cancel()
    return heard


def record(heard: Transcripts, nlu) -> dict:
    def understood(text: str | None):
        if not text:
            return None
        u = nlu.understand(text, CLOCK, "ko")
        return [u.intent, u.confidence]

    return {
        "grammar": heard.grammar, "open": heard.open, "audio_s": heard.audio_s,
        "garbage": heard.garbage,
        "grammar_words": [[w.text, w.conf] for w in heard.grammar_words],
        "open_words": [[w.text, w.conf] for w in heard.open_words],
        "by_grammar": understood(heard.grammar), "by_open": understood(heard.open),
    }  # fmt: skip


def rebuild(rec: dict) -> tuple[Transcripts, Heard | None, Heard | None]:
    g_words = tuple(Word(t, c) for t, c in rec["grammar_words"])
    o_words = tuple(Word(t, c) for t, c in rec["open_words"])
    heard = Transcripts(rec["grammar"], rec["open"], 0.0, 0.0, rec["audio_s"], g_words, o_words,
                        rec["garbage"])  # fmt: skip
    g = Heard(*rec["by_grammar"]) if rec["by_grammar"] else None
    o = Heard(*rec["by_open"]) if rec["by_open"] else None
    return heard, g, o


def table(clips: list[Clip], recs: list[dict], phrases: list[str], fillers: frozenset[str]):
    """Features, labels and intents of every clip, for the fast and the full model."""
    rows = []
    for clip, rec in zip(clips, recs, strict=True):
        heard, g, o = rebuild(rec)
        feats = features(heard, g, o, phrases, fillers)
        chosen = pick_decoder(g, o, free=False)
        full_intent = o if chosen == "open" else g
        rows.append({
            "kind": clip.kind, "said": clip.intent, "snr": clip.snr, "feats": feats,
            "fast_intent": g.intent if g else None,
            "full_intent": full_intent.intent if full_intent else None,
        })  # fmt: skip
    return rows


def fit(rows: list[dict], names: tuple[str, ...], key: str) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r["feats"][n] for n in names] for r in rows], dtype=float)
    y = np.array([r["kind"] == "command" and r[key] == r["said"] for r in rows], dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight=None, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return {"features": list(names), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(), "coef": model.coef_[0].round(6).tolist(),
            "intercept": round(float(model.intercept_[0]), 6),
            "positives": int(y.sum()), "n": len(y)}  # fmt: skip


def prob(model: dict, feats: dict) -> float:
    from earpiece.speech.confidence import Logistic

    return Logistic.from_json(model).probability(feats)


def outcomes(rows: list[dict], p_fast, p_full, fast_act: float, act: float, heard: float,
             fast_reject: float = 0.0) -> dict:  # fmt: skip
    """Counts of what the turn would do over the rows, per kind."""
    counts: dict[str, dict[str, int]] = {}
    for r, pf, pa in zip(rows, p_fast, p_full, strict=True):
        if pf < fast_reject:
            decision, intent = "not_heard", None
        elif pf >= fast_act and r["fast_intent"] not in (None, *FREE_INTENTS, *STATE_CHANGING):
            decision, intent = "act", r["fast_intent"]
        else:
            intent = r["full_intent"]
            decision = ("not_heard" if intent is None or pa < heard else
                        "act" if pa >= act else "confirm")  # fmt: skip
        right = r["kind"] == "command" and intent == r["said"]
        changing = intent in STATE_CHANGING
        label = (
            "not_heard"
            if decision == "not_heard"
            else (
                f"{decision}_{'right' if right else 'wrong'}_{'change' if changing else 'harmless'}"
            )
        )
        c = counts.setdefault(r["kind"], {})
        c[label] = c.get(label, 0) + 1
    return counts


def score(counts: dict) -> tuple[bool, float, dict]:
    cmd = counts.get("command", {})
    n = sum(cmd.values()) or 1
    right = sum(v for k, v in cmd.items() if "_right_" in k)
    not_heard = cmd.get("not_heard", 0)
    wrong_act_change = cmd.get("act_wrong_change", 0)
    neg_unconfirmed = sum(counts.get(k, {}).get("act_wrong_change", 0) for k in ("free", "noise"))
    summary = {"right": right / n, "right_or_not_heard": (right + not_heard) / n,
               "wrong_unconfirmed_actions": wrong_act_change / n,
               "negatives_unconfirmed_actions": neg_unconfirmed}  # fmt: skip
    ok = (summary["right_or_not_heard"] >= 0.96 and summary["wrong_unconfirmed_actions"] <= 0.01
          and neg_unconfirmed == 0)  # fmt: skip
    return ok, summary["right"], summary


def choose(rows, p_fast, p_full, fast_rows, p_fast_all) -> tuple[dict, dict]:
    """The thresholds, on this data.

    fast_act: just above the highest fast confidence of any wrong turn the fast path could
    take (a harmless intent from the grammar decoder: wrong intent, free speech or noise),
    over every clip the grammar decoder heard; so no calibration turn is answered wrongly
    without waiting. State-changing intents never take the fast path.
    fast_reject: just under the lowest fast confidence of any command the full model gets
    right (so rejecting early loses none of them), at most 0.5.
    heard and act: grid search, most right turns with right-or-not-heard >= 96 %,
    unconfirmed wrong state changes <= 1 % and none on free speech or noise."""
    takeable = [(r, pf) for r, pf in zip(fast_rows, p_fast_all, strict=True)
                if r["fast_intent"] not in (None, *FREE_INTENTS, *STATE_CHANGING)]  # fmt: skip
    wrong = [
        pf for r, pf in takeable if not (r["kind"] == "command" and r["fast_intent"] == r["said"])
    ]
    fast_act = round(min(1.01, max(wrong, default=0.0) + 0.01), 4)
    saved = [pf for r, pf in zip(rows, p_fast, strict=True)
             if r["kind"] == "command" and r["full_intent"] == r["said"]]  # fmt: skip
    fast_reject = round(min([0.5, *saved]) * 0.9, 4)
    grid = [round(v, 3) for v in np.linspace(0.05, 0.99, 48)]
    best, best_summary, best_key = None, None, None
    for heard in grid:
        for act in [a for a in grid if a >= heard] + [1.01]:
            counts = outcomes(rows, p_fast, p_full, fast_act, act, heard, fast_reject)
            ok, right, summary = score(counts)
            if not ok:
                continue
            key = (right, summary["right_or_not_heard"], act)
            if best_key is None or key > best_key:
                best, best_summary, best_key = (act, heard), summary, key
    if best is None:  # nothing meets the limits: hear nothing rather than act wrongly
        best = (1.01, 1.01)
        best_summary = score(outcomes(rows, p_fast, p_full, fast_act, *best, fast_reject))[2]
    act, heard = best
    return {"fast_act": fast_act, "act": act, "heard": heard,
            "fast_reject": fast_reject}, best_summary  # fmt: skip


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def subset(clips: list[Clip], every: int) -> list[Clip]:
    """Every `every`-th command and free sentence (the set is shuffled by nothing: it goes
    intent by intent, so this keeps every intent), and all noise clips (cheap to decode)."""
    kept, seen = [], {"command": 0, "free": 0}
    for clip in clips:
        if clip.kind in seen:
            seen[clip.kind] += 1
            if (seen[clip.kind] - 1) % every:
                continue
        kept.append(clip)
    return kept


OPTIONS = {"--cache": True, "--every": True, "--renlu": False}
"""The options and whether each takes a value."""


def _check_args(argv: list[str]) -> None:
    """Exit with the usage on -h/--help or an unknown option, before anything is written."""
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        raise SystemExit(0)
    rest = iter(argv)
    for arg in rest:
        if arg not in OPTIONS or (OPTIONS[arg] and next(rest, None) is None):
            print(__doc__, file=sys.stderr)
            raise SystemExit(f"calibrate_voice: bad option {arg!r}")


def main() -> None:
    _check_args(sys.argv[1:])
    cache = Path(_arg("--cache", str(Path.home() / ".cache" / "earpiece" / "voice-calibration")))
    if not (cache / "index.jsonl").is_file():
        calibration_set(cache)
    every = read_index(cache)
    clips = subset(every, int(_arg("--every", "2")))
    if "--renlu" in sys.argv:
        renlu(cache / "decoded.jsonl")
        renlu(cache / "decoded-grammar.jsonl")
    recs = decode(clips, cache / "decoded.jsonl")
    rest = [c for c in every if c not in clips]
    rest_recs = decode(rest, cache / "decoded-grammar.jsonl", grammar_only=True)
    from earpiece.speech.stt import SpeechRecognizer

    stt = SpeechRecognizer.load()
    rows = table(clips, recs, stt.phrases, stt.fillers)
    fast_rows = rows + table(rest, rest_recs, stt.phrases, stt.fillers)
    fast = fit(fast_rows, FAST_FEATURES, "fast_intent")
    full = fit(rows, FULL_FEATURES, "full_intent")
    p_fast = [prob(fast, r["feats"]) for r in rows]
    p_fast_all = [prob(fast, r["feats"]) for r in fast_rows]
    p_full = [prob(full, r["feats"]) for r in rows]
    thresholds, summary = choose(rows, p_fast, p_full, fast_rows, p_fast_all)
    kinds = {k: sum(c.kind == k for c in clips) for k in ("command", "free", "noise")}
    fast_kinds = {k: sum(c.kind == k for c in every) for k in ("command", "free", "noise")}
    body = {
        "fast": fast, "full": full, "thresholds": thresholds,
        "made": {
            "by": "tools/calibrate_voice.py", "date": datetime.now().date().isoformat(),
            "clips": kinds,
            "clips_fast_model": fast_kinds,
            "speech": "espeak-ng ko voices " + ", ".join(__import__("voice_data").VOICES)
                      + "; speed 120-200 wpm, pitch 25-75; clean, 20 dB, 10 dB SNR "
                      "(white/pink/brown/hum noise)",
            "commands": "models/nlu/data/ko/intents_*.dev.tsv, up to 8 per intent, seed 11",
            "free_speech": "3i4k train_val + GoEmotions-ko train (seed 11)",
            "model": "sklearn LogisticRegression C=1 on standardised features; label: the "
                     "turn's intent is the one said (free speech / noise: 0)",
            "thresholds": "fast_act: above every wrong turn the fast path could take; "
                          "fast_reject: under every command the full model gets right; "
                          "heard/act: grid search maximising right turns with right-or-not-"
                          "heard >= 96%, unconfirmed wrong state changes <= 1%, none on free "
                          "speech/noise",
            "on_calibration_set": {k: round(v, 3) for k, v in summary.items()},
            "python": platform.python_version(),
        },
    }  # fmt: skip
    MODEL_FILE.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"thresholds": thresholds, **summary, "clips": kinds}, indent=1))
    for name, p, key, data in (("fast", p_fast_all, "fast_intent", fast_rows),
                               ("full", p_full, "full_intent", rows)):  # fmt: skip
        y = [r["kind"] == "command" and r[key] == r["said"] for r in data]
        print(name, "coef", dict(zip(body[name]["features"], body[name]["coef"], strict=True)))
        print(name, "positives", sum(y), "of", len(y), "brier", round(float(np.mean(
            (np.array(p) - np.array(y)) ** 2)), 4))  # fmt: skip


if __name__ == "__main__":
    main()
