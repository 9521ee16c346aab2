"""Where Earpiece finds the files it ships with (models, default config)."""

from __future__ import annotations

import os
from pathlib import Path

MODELS_ENV = "EARPIECE_MODELS_DIR"


def project_root() -> Path:
    """The checkout this package runs from (device/earpiece/ is two levels down)."""
    return Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    """The models/ folder: $EARPIECE_MODELS_DIR, else the one in the checkout."""
    return Path(os.environ.get(MODELS_ENV) or project_root() / "models")


def nlu_dir() -> Path:
    """Folder of the NLU model, its manifest and its training data."""
    return models_dir() / "nlu"
