"""Runs the int8 ONNX model: one utterance in, intent + emotion + slots out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.nlu.act import Act, speech_act
from earpiece.nlu.featurizer import FeatureSpec, dense_matrix, language, normalize
from earpiece.nlu.labels import NEUTRAL, UNKNOWN

INPUT = "features"
OUTPUTS = ("intent_probs", "emotion_probs")
"""The graph's input and output names: a contract between training/export.py and this file."""

MODEL_FILE = "earpiece-nlu.int8.onnx"
FP32_FILE = "earpiece-nlu.fp32.onnx"
MANIFEST_FILE = "manifest.json"
REBUILD = "rebuild it with `earpiece train` (or restore it with `git checkout models/nlu`)"


class ModelError(Exception):
    """The NLU model or its manifest is missing, corrupt or does not match."""


@dataclass(frozen=True)
class Understanding:
    """What one utterance means: the NLU's whole answer."""

    text: str
    lang: str
    intent: str
    confidence: float
    emotion: str
    emotion_confidence: float
    slots: dict[str, str] = field(default_factory=dict)
    act: Act = Act.STATEMENT
    """Question, request or statement (nlu/act.py)."""

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "act": self.act.value}


def default_model_path() -> Path:
    return paths.nlu_dir() / MODEL_FILE


def read_manifest(model_path: Path) -> dict:
    """The manifest beside a model file, checked for the keys inference needs."""
    manifest_path = model_path.parent / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        _ = manifest["intents"], manifest["emotions"], manifest["features"], manifest["threshold"]
    except FileNotFoundError:
        raise ModelError(f"{manifest_path}: the NLU manifest is missing; {REBUILD}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{manifest_path}: the NLU manifest is unreadable ({exc}); {REBUILD}"
        ) from None
    return manifest


class NluModel:
    """The intent and emotion model, loaded once per process.

    >>> nlu = NluModel.load()
    >>> nlu.understand("지금 몇 시야").intent
    'ask_time'
    """

    def __init__(self, path: Path, manifest: dict, threshold: float | None = None) -> None:
        import onnxruntime as ort

        self.path = path
        self.manifest = manifest
        self.intents: list[str] = list(manifest["intents"])
        self.emotions: list[str] = list(manifest["emotions"])
        self.spec = FeatureSpec.from_dict(manifest["features"])
        self.threshold = float(threshold if threshold is not None else manifest["threshold"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one tiny matmul: threads cost more than they give
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own, unexported classes
            raise ModelError(f"{path}: not a loadable ONNX model ({exc}); {REBUILD}") from None
        self._check_shapes()

    @classmethod
    def load(
        cls, path: Path | str | None = None, threshold: float | None = None, verify: bool = True
    ) -> NluModel:
        """Load a model and its manifest; `verify` checks the file's sha256 against the manifest."""
        model_path = Path(path) if path else default_model_path()
        if not model_path.is_file():
            raise ModelError(f"{model_path}: the NLU model is missing; {REBUILD}")
        manifest = read_manifest(model_path)
        if verify and model_path.name == manifest.get("model"):
            digest = hashlib.sha256(model_path.read_bytes()).hexdigest()
            if digest != manifest.get("sha256"):
                raise ModelError(
                    f"{model_path}: sha256 {digest[:12]}... does not match the manifest "
                    f"({str(manifest.get('sha256'))[:12]}...): "
                    f"the file is corrupt or stale; {REBUILD}"
                )
        return cls(model_path, manifest, threshold)

    def _check_shapes(self) -> None:
        inputs = self._session.get_inputs()
        outputs = [o.name for o in self._session.get_outputs()]
        if len(inputs) != 1 or inputs[0].name != INPUT or inputs[0].shape[1] != self.spec.dim:
            raise ModelError(f"{self.path}: input does not match the manifest; {REBUILD}")
        if outputs != list(OUTPUTS):
            raise ModelError(f"{self.path}: outputs {outputs} are not {list(OUTPUTS)}; {REBUILD}")

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Intent and emotion probabilities, [len(texts), labels] each."""
        feats = dense_matrix(texts, self.spec)
        intent, emotion = self._session.run(list(OUTPUTS), {INPUT: feats})
        return intent, emotion

    def classify(self, texts: list[str]) -> list[tuple[str, float, str, float]]:
        """(intent, confidence, emotion, emotion confidence) per text, threshold applied."""
        if not texts:
            return []
        p_intent, p_emotion = self.probabilities(texts)
        out = []
        for text, pi, pe in zip(texts, p_intent, p_emotion, strict=True):
            if not normalize(text, self.spec.max_chars):
                out.append((UNKNOWN, 0.0, NEUTRAL, 0.0))
                continue
            i, e = int(pi.argmax()), int(pe.argmax())
            intent = self.intents[i] if pi[i] >= self.threshold else UNKNOWN
            out.append((intent, round(float(pi[i]), 4), self.emotions[e], round(float(pe[e]), 4)))
        return out

    def understand(
        self, text: str, now: datetime | None = None, default_lang: str = "ko"
    ) -> Understanding:
        """The whole answer for one utterance, slots resolved against `now`."""
        return self.understand_many([text], now, default_lang)[0]

    def understand_many(
        self, texts: list[str], now: datetime | None = None, default_lang: str = "ko"
    ) -> list[Understanding]:
        from earpiece.nlu.slots import extract_slots

        moment = now or datetime.now().astimezone()
        results = []
        for text, (intent, conf, emotion, e_conf) in zip(texts, self.classify(texts), strict=True):
            clipped = text[: self.spec.max_chars]
            lang = language(clipped, default_lang)
            slots = extract_slots(intent, clipped, lang, moment) if intent != UNKNOWN else {}
            act = speech_act(clipped, lang)
            results.append(Understanding(text, lang, intent, conf, emotion, e_conf, slots, act))
        return results
