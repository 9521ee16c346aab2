"""English commands heard while the button is held: a pocketsphinx grammar decoder.

The Korean device's Vosk grammar knows only Korean commands, and English speech waits for
Whisper. This decoder runs beside it on the same frames, over the NLU's English command
phrases (the phrase source the Korean grammar uses, nlu/phrases.py) compiled into one word
tree (a finite-state grammar: 1.5k phrases, ~2.3k states), with pocketsphinx's en-us
acoustic model and CMUdict, both shipped in the pocketsphinx wheel (BSD-2-Clause).

Out-of-grammar speech: a grammar decoder always finds its nearest phrase. Its words are
taken as a command only when they are a whole phrase, the phrase's words cover most of the
speech (pocketsphinx fills what it cannot match with silence and noise words: a Korean
sentence comes out as a short phrase in a long silence), and the press is short. A free
phone loop decoded beside it (its per-frame score against the grammar path's) was measured
and did not tell Korean or free English from commands (benchmarks/README.md, "English
command grammar"), so it is not run; the turn also asks the Korean grammar's own view
before taking an English command (runtime/turn.py).
"""

from __future__ import annotations

import logging
import math
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from earpiece.nlu.labels import STATE_CHANGING

log = logging.getLogger(__name__)

LEFT_OUT = frozenset(
    {"share_feeling", "affirm", "deny", "set_reminder", "remember_fact", "write_letter"}
)
"""Intents whose phrases are not in the grammar: free speech (feelings, facts, letters,
reminders with their times) is Whisper's, and a yes or no is never taken from a grammar."""
MAX_WORDS = 6
"""Longer phrases are left out: long commands are free speech in all but name."""
MIN_COVER = 0.9
"""Share of the speech (first to last loud 10 ms frame) the phrase's words must cover."""
LIKELY_COVER = 0.8
"""From this cover (with the other rules) the press is likely English: not answered from the
English grammar, but the Korean grammar's nearest phrase is not taken at the release either
(Whisper decides); on 425 real Korean presses this held one press back for Whisper."""
MAX_COVER = 1.5
"""...and at most this (words stretched far over the quiet around the speech)."""
PHONE_MS = (40.0, 160.0)
"""Plausible mean length of one phone of the phrase (ms): a phrase stretched over a longer
sentence, or squeezed into a cough, is not what was said."""
MIN_SCORE = -40.0
"""The grammar path's per-frame log score (pocketsphinx units) under which a phrase is not
taken: the commands said by two synthetic voices scored -11 to -36, Korean sentences taken
otherwise -45 and -50 (benchmarks/README.md, "English command grammar")."""
LOUD_SHARE = 0.1
"""A 10 ms frame is speech when its RMS is at least this share of the loudest one's."""
MAX_PRESS_S = 3.5
"""A press longer than this is never taken as an English command (commands are short)."""
_LOG_BASE = math.log(1.0001)  # pocketsphinx's log base


@dataclass(frozen=True)
class EnglishHeard:
    """What the English grammar decoder made of a press."""

    text: str
    """The phrase heard ("" when nothing)."""
    whole: bool
    """The words are one whole phrase of the grammar."""
    intent: str | None
    """The phrase's intent in the phrase source (None: not whole)."""
    cover: float
    """The phrase's words' frames over the speech's (first to last loud frame)."""
    phone_ms: float
    """Mean length of one phone of the phrase as heard (ms; 0: nothing heard)."""
    score: float
    """The grammar path's log score per frame (pocketsphinx units; higher is better)."""
    seconds: float

    @property
    def taken(self) -> bool:
        """A whole phrase shaped like the speech of a short press: an English command."""
        return self.likely and self.cover >= MIN_COVER

    @property
    def likely(self) -> bool:
        """The same with a looser cover: English, likely enough to keep the Korean grammar's
        fast path from answering the press (Whisper decides)."""
        return (
            self.whole
            and self.intent is not None
            and LIKELY_COVER <= self.cover <= MAX_COVER
            and PHONE_MS[0] <= self.phone_ms <= PHONE_MS[1]
            and self.score >= MIN_SCORE
            and self.seconds <= MAX_PRESS_S
        )

    @property
    def harmless(self) -> bool:
        return self.intent is not None and self.intent not in STATE_CHANGING

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "whole": self.whole,
            "intent": self.intent,
            "cover": round(self.cover, 3),
            "phone_ms": round(self.phone_ms, 1),
            "score": round(self.score, 2),
            "taken": self.taken,
            "likely": self.likely,
        }


def english_phrases(known: Callable[[str], bool] | None = None) -> dict[str, str]:
    """{phrase: intent}: the NLU's English command phrases the grammar holds."""
    from earpiece.nlu.phrases import load_phrases

    out: dict[str, str] = {}
    for text, intent in load_phrases("en"):
        words = text.split()
        if intent in LEFT_OUT or not words or len(words) > MAX_WORDS:
            continue
        if known is not None and not all(known(w) for w in words):
            continue
        out.setdefault(text, intent)
    return out


def _tree(phrases: list[str]) -> tuple[int, list[tuple[int, int, float, str]]]:
    """(final state, transitions) of one word tree holding every phrase (state 0: start)."""
    final = 1
    nodes: dict[tuple[str, ...], int] = {(): 0}
    arcs: list[tuple[int, int, float, str]] = []
    for phrase in sorted(phrases):
        words = tuple(phrase.split())
        for k, word in enumerate(words):
            here = nodes[words[:k]]
            if k == len(words) - 1:
                arcs.append((here, final, 1.0, word))
            elif words[: k + 1] not in nodes:
                nodes[words[: k + 1]] = len(nodes) + 1
                arcs.append((here, nodes[words[: k + 1]], 1.0, word))
    return final, arcs


def _model_files() -> tuple[str, str]:
    from pocketsphinx import get_model_path

    base = os.path.join(get_model_path(), "en-us")
    return os.path.join(base, "en-us"), os.path.join(base, "cmudict-en-us.dict")


class EnglishGrammar:
    """The grammar, built once; one pocketsphinx decoder reused press after press.

    Threads: `session` is called by the loop thread; each session decodes on its own
    `stt-english` thread, one at a time (a new press waits for the previous one's worker
    to let go of the decoder, which a cancel makes immediate).
    """

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        hmm, dic = _model_files()
        self._decoder = Decoder(hmm=hmm, dict=dic, lm=None, logfn=os.devnull)
        self.phrases = english_phrases(lambda w: self._decoder.lookup_word(w) is not None)
        self.phones = {
            w: len(self._decoder.lookup_word(w).split()) for p in self.phrases for w in p.split()
        }
        final, arcs = _tree(list(self.phrases))
        fsg = self._decoder.create_fsg("commands", 0, final, arcs)
        self._decoder.add_fsg("commands", fsg)
        self._decoder.activate_search("commands")
        self._lock = threading.Lock()

    @classmethod
    @cache
    def shared(cls) -> EnglishGrammar:
        """One per process (building it takes ~0.5 s)."""
        return cls()

    def session(self) -> EnglishSession:
        return EnglishSession(self)

    def hear(self, samples: np.ndarray) -> EnglishHeard | None:
        """A whole recording, as a press would feed it."""
        session = self.session()
        for start in range(0, len(samples), 800):
            session.feed(samples[start : start + 800].tobytes())
        return session.finish()


class EnglishSession:
    """One press through the English grammar, decoded on its own thread as it is fed."""

    def __init__(self, grammar: EnglishGrammar) -> None:
        self._grammar = grammar
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self.cancelled = threading.Event()
        self.done = threading.Event()
        self.heard: EnglishHeard | None = None
        self._samples = 0
        self._rms: list[float] = []
        """RMS of each 10 ms of the press (where the speech is)."""
        self._worker = threading.Thread(target=self._decode, daemon=True, name="stt-english")
        self._worker.start()

    def feed(self, data: bytes) -> None:
        self._samples += len(data) // 2
        samples = np.frombuffer(data, np.int16).astype(np.float32)
        usable = len(samples) // 160 * 160
        if usable:
            self._rms.extend(np.sqrt(np.mean(samples[:usable].reshape(-1, 160) ** 2, axis=1)))
        self._queue.put(data)

    def finish(self) -> EnglishHeard | None:
        """The release: flush the decoder (a few ms) and return what it heard."""
        self._queue.put(None)
        self.done.wait()
        return self.heard

    def cancel(self) -> None:
        self.cancelled.set()
        self._queue.put(None)

    def _decode(self) -> None:
        grammar = self._grammar
        try:
            with grammar._lock:
                decoder = grammar._decoder
                decoder.start_utt()
                while (data := self._queue.get()) is not None:
                    if not self.cancelled.is_set():
                        decoder.process_raw(data)
                decoder.end_utt()
                if not self.cancelled.is_set():
                    self.heard = self._read(decoder)
        except Exception:  # a decoder that failed hears nothing: Whisper still does
            log.exception("the English grammar decoder failed")
        finally:
            self.done.set()

    def _read(self, decoder: Any) -> EnglishHeard:
        seconds = self._samples / 16000
        hyp = decoder.hyp()
        if hyp is None or not hyp.hypstr:
            return EnglishHeard("", False, None, 0.0, 0.0, -math.inf, seconds)
        frames = max(1, decoder.n_frames())
        covered = sum(
            s.end_frame - s.start_frame + 1
            for s in decoder.seg()
            if not s.word.startswith(("<", "[", "+"))
        )
        loud = [n for n, r in enumerate(self._rms) if r >= LOUD_SHARE * max(self._rms)]
        speech = loud[-1] - loud[0] + 1 if loud else frames
        text = hyp.hypstr
        intent = self._grammar.phrases.get(text)
        phones = sum(self._grammar.phones.get(w, 1) for w in text.split())
        score = math.log(max(hyp.score, 1e-300)) / _LOG_BASE / frames
        return EnglishHeard(
            text,
            intent is not None,
            intent,
            covered / speech,
            covered * 10 / phones,
            score,
            seconds,
        )
