"""Runs the int8 ONNX model: one utterance in, intent + emotion + slots out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.nlu.act import Act, combine, settle_korean, speech_act
from earpiece.nlu.encoder import load_in_background, one_blas_thread
from earpiece.nlu.featurizer import FeatureSpec, dense_matrix, normalize
from earpiece.nlu.labels import NEUTRAL, UNKNOWN
from earpiece.nlu.lang import language

INPUT = "features"
EMBEDDING = "embedding"
"""Second input, present when the manifest's `embedding` names a sentence encoder."""
OUTPUTS = ("intent_probs", "emotion_probs", "act_probs")
"""The graph's input and output names: a contract between training/export.py and this file.
A model built before the act head (two outputs) still loads; its acts come from the rules."""
ACTS: tuple[Act, ...] = tuple(Act)

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
        self.embedding = manifest.get("embedding")
        """{'encoder': ..., 'dim': ...} when the graph also reads a sentence embedding."""
        self.act_langs = frozenset(manifest.get("act", {}).get("learned_langs", ()))
        """Languages whose speech act comes from the act head; the others use nlu/act.py."""
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one tiny matmul: threads cost more than they give
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # No arena and no memory-pattern plan: onnxruntime then mallocs each run's few small
        # tensors and frees them, instead of keeping an arena that only grows (0.3-1 MiB less
        # resident; outputs and latency unchanged, measured on the dev split).
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own, unexported classes
            raise ModelError(f"{path}: not a loadable ONNX model ({exc}); {REBUILD}") from None
        self._check_shapes()
        if self.embedding:
            self._check_encoder()

    def _check_encoder(self) -> None:
        """A missing sentence encoder package fails here, at start-up (nothing is loaded:
        `load` starts that in the background, else the first embedding loads it)."""
        from earpiece.nlu.encoder import EncoderError, check_installed

        try:
            check_installed()
        except EncoderError as exc:
            raise ModelError(
                f"{self.path}: this model reads sentence embeddings, but {exc}"
            ) from None

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
            with model_path.open("rb") as f:  # streamed: no 2 MB copy left in the heap
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            if digest != manifest.get("sha256"):
                raise ModelError(
                    f"{model_path}: sha256 {digest[:12]}... does not match the manifest "
                    f"({str(manifest.get('sha256'))[:12]}...): "
                    f"the file is corrupt or stale; {REBUILD}"
                )
        one_blas_thread()  # before the encoder's thread starts using BLAS
        model = cls(model_path, manifest, threshold)
        if model.embedding:  # the first `understand` waits for it; start-up does not
            load_in_background()
        return model

    def _check_shapes(self) -> None:
        inputs = {i.name: i.shape for i in self._session.get_inputs()}
        outputs = [o.name for o in self._session.get_outputs()]
        expected = {INPUT: self.spec.dim}
        if self.embedding:
            expected[EMBEDDING] = int(self.embedding["dim"])
        if set(inputs) != set(expected) or any(inputs[k][1] != v for k, v in expected.items()):
            raise ModelError(f"{self.path}: input does not match the manifest; {REBUILD}")
        if outputs not in (list(OUTPUTS), list(OUTPUTS[:2])):
            raise ModelError(f"{self.path}: outputs {outputs} are not {list(OUTPUTS)}; {REBUILD}")
        self._outputs = outputs
        if len(outputs) == 2:
            self.act_langs = frozenset()

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, ...]:
        """Intent, emotion (and act, when the graph has that head) probabilities per text."""
        feeds = {INPUT: dense_matrix(texts, self.spec)}
        if self.embedding:
            from earpiece.nlu.encoder import shared

            clipped = [normalize(t, self.spec.max_chars) for t in texts]
            feeds[EMBEDDING] = shared().embed(clipped)
        return tuple(self._session.run(self._outputs, feeds))

    def classify(self, texts: list[str]) -> list[tuple[str, float, str, float]]:
        """(intent, confidence, emotion, emotion confidence) per text, threshold applied."""
        return [row[:4] for row in self._classify(texts)]

    def _classify(self, texts: list[str]) -> list[tuple[str, float, str, float, Act | None]]:
        if not texts:
            return []
        probs = self.probabilities(texts)
        p_act = probs[2] if len(probs) > 2 else [None] * len(texts)
        out: list[tuple[str, float, str, float, Act | None]] = []
        for text, pi, pe, pa in zip(texts, probs[0], probs[1], p_act, strict=True):
            if not normalize(text, self.spec.max_chars):
                out.append((UNKNOWN, 0.0, NEUTRAL, 0.0, None))
                continue
            i, e = int(pi.argmax()), int(pe.argmax())
            intent = self.intents[i] if pi[i] >= self.threshold else UNKNOWN
            act = ACTS[int(pa.argmax())] if pa is not None else None
            conf, e_conf = round(float(pi[i]), 4), round(float(pe[e]), 4)
            out.append((intent, conf, self.emotions[e], e_conf, act))
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
        rows = self._classify(texts)
        for text, (intent, conf, emotion, e_conf, learned) in zip(texts, rows, strict=True):
            clipped = text[: self.spec.max_chars]
            lang = language(clipped, default_lang)
            slots = extract_slots(intent, clipped, lang, moment) if intent != UNKNOWN else {}
            rule = speech_act(clipped, lang)
            act = combine(rule, learned) if lang in self.act_langs else rule
            if lang == "ko":
                act = settle_korean(act, rule, clipped)
            results.append(Understanding(text, lang, intent, conf, emotion, e_conf, slots, act))
        return results
