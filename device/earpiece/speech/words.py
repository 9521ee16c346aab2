"""One recognised word and how sure the recogniser was of it, whichever decoder heard it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One recognised word and Vosk's confidence in it (its lattice posterior, 0-1)."""

    text: str
    conf: float
