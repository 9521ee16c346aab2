"""K-fold cross-validation of the crisis detector on the hand-written statements.

    python -m earpiece.training.safety --misses     (the trainer runs these folds)

Each fold of models/safety/data/<lang>.<label>.txt (by a hash of the line) is scored by a
classifier trained on the other folds plus the same ordinary text as the shipped model, with
the other folds as its statement bank, clause by clause, and judged the way the device judges
(rules, then classifier). The trainer stacks the folds' scores, chooses thresholds on
them and prints the recall / false-alarm curve per language.
"""

from __future__ import annotations

import sys
import zlib
from dataclasses import dataclass

import numpy as np

from earpiece.training import safety_data as train

GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""Crisis thresholds the curve is printed at (besides the chosen ones)."""


@dataclass(frozen=True)
class Fold:
    """One statement's out-of-fold parts: per clause, the LR probabilities and the margin."""

    example: train.Example
    probs: np.ndarray
    """[clauses, classes]; row 0 is the whole utterance."""
    margin: np.ndarray
    """[clauses] closeness to the bank's crisis statements minus to its negatives."""
    rules: str | None


@dataclass(frozen=True)
class Scored:
    """One statement with its out-of-fold verdict parts, the clause maxima."""

    example: train.Example
    rules: str | None
    crisis: float
    emergency: float


def fold_of(text: str, folds: int) -> int:
    """The fold a statement falls in, by a hash of its text (stable across runs)."""
    return zlib.crc32(text.strip().lower().encode()) % folds


def margins(vectors: np.ndarray, bank: np.ndarray, crisis: np.ndarray) -> np.ndarray:
    """The device's closeness margin (Classifier.margin) against a given bank."""
    sims = vectors @ bank.T
    k = train.NEIGHBOURS
    return np.sort(sims[:, crisis], axis=1)[:, -k:].mean(axis=1) - np.sort(
        sims[:, ~crisis], axis=1
    )[:, -k:].mean(axis=1)


def out_of_fold(own: list[train.Example], ordinary: list[train.Example], folds: int) -> list[Fold]:
    """Every own statement scored by a model and a bank that never saw it."""
    import scipy.sparse as sp

    from earpiece.nlu import safety

    x_own = train.features([e.text for e in own])
    x_ord = train.features([e.text for e in ordinary])
    literal = [safety.without_figures(e.text) for e in own]
    vectors = train.embed(literal)
    fold = np.array([fold_of(e.text, folds) for e in own])
    y_own = np.array([train.CLASSES.index(e.label) for e in own])
    y_ord = np.array([train.CLASSES.index(e.label) for e in ordinary])
    w_ord = train.ordinary_weights(ordinary)
    banked = np.array([e.label in ("crisis", "none") for e in own])
    is_crisis = np.array([e.label == "crisis" for e in own])
    out: dict[int, Fold] = {}
    for k in range(folds):
        keep = fold != k
        kept = [e for e, m in zip(own, keep, strict=True) if m]
        w_own = train.own_weights(kept, len(ordinary))
        x = sp.vstack([x_own[keep], x_ord]).tocsr()
        y = np.concatenate([y_own[keep], y_ord])
        weights, bias = train.fit(x, y, np.concatenate([w_own, w_ord]))
        bank = vectors[keep & banked]
        bank_crisis = is_crisis[keep & banked]
        for i in np.flatnonzero(~keep).tolist():
            if not literal[i].strip():  # all figure of speech: the device reads no further
                none = np.array([[1.0, 0.0, 0.0]], np.float32)
                found = _label(safety.rules(own[i].text))
                out[i] = Fold(own[i], none, np.array([-1.0]), found)
                continue
            parts = safety.clauses(literal[i][:500])
            v = train.embed(parts)
            out[i] = Fold(
                own[i],
                train.probabilities(weights, bias, parts),
                margins(v, bank, bank_crisis),
                _label(safety.rules(own[i].text)),
            )
        print(f"fold {k + 1}/{folds} done", file=sys.stderr)
    return [out[i] for i in range(len(own))]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit_stack(folds: list[Fold]) -> tuple[float, float, float]:
    """(a, b, c) of sigmoid(a * crisis log-odds + b * margin + c), fitted on whole utterances
    out of fold: crisis statements against everything else hand-written."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[_logit(f.probs[0, 1]), f.margin[0]] for f in folds])
    y = np.array([f.example.label == "crisis" for f in folds])
    model = LogisticRegression(C=10.0).fit(x, y)
    a, b = model.coef_[0]
    return float(a), float(b), float(model.intercept_[0])


def score(folds: list[Fold], stack: tuple[float, float, float]) -> list[Scored]:
    """Each statement's stacked crisis score and emergency probability, clause by clause as
    the device combines them (safety.clause_max)."""
    from earpiece.nlu.safety import clause_max

    a, b, c = stack
    out = []
    for f in folds:
        crisis = 1 / (1 + np.exp(-(a * _logit(f.probs[:, 1]) + b * f.margin + c)))
        out.append(
            Scored(
                f.example,
                f.rules,
                clause_max(crisis, train.CLAUSE_PENALTY),
                clause_max(f.probs[:, 2], train.CLAUSE_PENALTY),
            )
        )
    return out


def verdict(s: Scored, crisis_t: float, emergency_t: float) -> str | None:
    """The device's verdict at the given thresholds."""
    if s.rules is not None:
        return s.rules
    if s.crisis >= crisis_t:
        return "crisis"
    if s.emergency >= emergency_t:
        return "emergency"
    return None


def hard_false_alarms(scored: list[Scored], lang: str, crisis_t: float, emergency_t: float):
    """Share of the language's hard negatives that raise any alarm."""
    neg = [s for s in scored if s.example.lang == lang and s.example.label == "none"]
    return sum(verdict(s, crisis_t, emergency_t) is not None for s in neg) / max(1, len(neg))


def recall(scored: list[Scored], lang: str, label: str, crisis_t: float, emergency_t: float):
    """(found, total) of the language's statements of a label."""
    pos = [s for s in scored if s.example.lang == lang and s.example.label == label]
    return sum(verdict(s, crisis_t, emergency_t) == label for s in pos), len(pos)


def print_curve(scored: list[Scored], thresholds: dict[str, dict[str, float]]) -> None:
    """The recall / hard-negative false-alarm curve per language, chosen thresholds marked."""
    print("| lang | crisis threshold | crisis found | hard negatives alarmed |")
    print("|---|---|---|---|")
    for lang in train.LANGS:
        em = thresholds["emergency"][lang]
        chosen = thresholds["crisis"][lang]
        for t in sorted({*GRID, chosen}):
            found, n = recall(scored, lang, "crisis", t, em)
            fa = hard_false_alarms(scored, lang, t, em)
            neg = sum(1 for s in scored if s.example.lang == lang and s.example.label == "none")
            mark = " (chosen)" if t == chosen else ""
            print(
                f"| {lang} | {t:.3f}{mark} | {found}/{n} ({found / n:.3f}) "
                f"| {round(fa * neg)}/{neg} ({fa:.3f}) |"
            )
        found, n = recall(scored, lang, "emergency", chosen, em)
        print(f"| {lang} | emergency at {em} | {found}/{n} emergencies | |")


def print_misses(scored: list[Scored], thresholds: dict[str, dict[str, float]]) -> None:
    """Out-of-fold misses and false alarms at the chosen thresholds, as TSV."""
    for s in scored:
        lang = s.example.lang
        v = verdict(s, thresholds["crisis"][lang], thresholds["emergency"][lang])
        want = None if s.example.label == "none" else s.example.label
        if v != want:
            print(
                f"MISS\t{lang}\t{s.example.label}\t{v}\t{s.rules}\t"
                f"{s.crisis:.2f}\t{s.emergency:.2f}\t{s.example.text}"
            )


def device_scores(model, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text, the classifier's (crisis score, emergency probability) of its most alarming
    clause, as arrays; the rules are left out (the caps are the classifier's)."""
    from earpiece.nlu import safety

    crisis, emergency = [], []
    for text in texts:
        parts = safety.clauses(safety.without_figures(text)[:500])
        if not "".join(parts).strip():
            crisis.append(0.0)
            emergency.append(0.0)
            continue
        c, e = model.scores(parts, train.embed(parts))
        crisis.append(c)
        emergency.append(e)
    return np.array(crisis), np.array(emergency)


def device_verdicts(texts: list[str]) -> list[str | None]:
    """What the device answers to each text (safety.danger with an unknown intent), with the
    embeddings memoised."""
    from earpiece.nlu import safety

    out = []
    for text in texts:
        found = safety.rules(text)
        if found is None:
            parts = safety.clauses(safety.without_figures(text)[:500])
            if "".join(parts).strip():
                found = safety.by_meaning(parts, train.embed(parts))
        out.append(_label(found))
    return out


def _label(found) -> str | None:
    return None if found is None else found.value
