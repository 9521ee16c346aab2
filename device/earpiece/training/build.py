"""Builds the NLU model from models/nlu/data: train, export, quantize to int8, measure."""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from earpiece.nlu.featurizer import FeatureSpec, sparse_features
from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS
from earpiece.nlu.model import FP32_FILE, MANIFEST_FILE, MODEL_FILE, NluModel
from earpiece.training import metrics
from earpiece.training.dataset import Example, data_hash, load_split
from earpiece.training.export import quantize_int8, write_fp32
from earpiece.training.network import TrainSpec, train
from earpiece.training.noise import corrupt
from earpiece.training.phrases import write_phrases

DEFAULT_THRESHOLD = 0.45
AUGMENT_RATES = (0.08, 0.15)
"""Each training utterance is also seen once with each of these simulated error rates."""


def augment(examples: list[Example], seed: int) -> list[Example]:
    """The examples, plus copies with simulated recognition errors (seeded, so repeatable)."""
    rng = random.Random(seed)
    out = list(examples)
    for rate in AUGMENT_RATES:
        for ex in examples:
            noisy = corrupt(ex.text, rate, rng)
            if noisy and noisy != ex.text:
                out.append(Example(noisy, ex.intent, ex.emotion, ex.lang))
    return out


def featurize(examples: list[Example], spec: FeatureSpec):  # -> scipy.sparse.csr_matrix
    from scipy import sparse

    indptr, indices, values = [0], [], []
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


def evaluate(model: NluModel, dev: list[Example]) -> dict[str, dict[str, dict[str, float]]]:
    """Accuracy and macro-F1 of both heads on the dev split: overall and per language."""
    predictions = model.classify([ex.text for ex in dev])
    result: dict[str, dict[str, dict[str, float]]] = {}
    for scope in ("all", *LANGS):
        rows = [
            (ex, p) for ex, p in zip(dev, predictions, strict=True) if scope in ("all", ex.lang)
        ]
        result[scope] = {
            "intent": metrics.report(
                [ex.intent for ex, _ in rows], [p[0] for p in (r[1] for r in rows)]
            ),
            "emotion": metrics.report(
                [ex.emotion for ex, _ in rows], [p[2] for p in (r[1] for r in rows)]
            ),
            "n": {"utterances": len(rows)},
        }
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    data_dir: Path,
    out_dir: Path,
    features: FeatureSpec | None = None,
    spec: TrainSpec | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    say: Callable[[str], None] = lambda _: None,
) -> dict:
    """Train and write earpiece-nlu.{fp32,int8}.onnx and manifest.json into out_dir."""
    features = features or FeatureSpec()
    spec = spec or TrainSpec()
    train_set, dev_set = load_split(data_dir, "train"), load_split(data_dir, "dev")
    say(f"data: {len(train_set)} training and {len(dev_set)} dev utterances")
    examples = augment(train_set, spec.seed)
    x = featurize(examples, features)
    y_i = np.array([INTENTS.index(ex.intent) for ex in examples])
    y_e = np.array([EMOTIONS.index(ex.emotion) for ex in examples])
    say(f"training on {len(examples)} utterances (with simulated recognition errors)")
    weights = train(x, y_i, y_e, len(INTENTS), len(EMOTIONS), spec)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        fp32, int8 = Path(tmp) / FP32_FILE, Path(tmp) / MODEL_FILE
        write_fp32(weights, fp32)
        quantize_int8(fp32, int8)
        manifest = _manifest(data_dir, features, spec, threshold, train_set, dev_set, fp32, int8)
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


def _manifest(data_dir, features, spec, threshold, train_set, dev_set, fp32, int8) -> dict:
    counts = {
        lang: {
            "train": sum(ex.lang == lang for ex in train_set),
            "dev": sum(ex.lang == lang for ex in dev_set),
        }
        for lang in LANGS
    }
    return {
        "model": MODEL_FILE,
        "sha256": _sha256(int8),
        "bytes": int8.stat().st_size,
        "fp32": {"file": FP32_FILE, "sha256": _sha256(fp32), "bytes": fp32.stat().st_size},
        "intents": list(INTENTS),
        "emotions": list(EMOTIONS),
        "threshold": threshold,
        "features": features.to_dict(),
        "training": {**spec.to_dict(), "augment_rates": list(AUGMENT_RATES)},
        "data": {"sha256": data_hash(data_dir), "utterances": counts},
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
