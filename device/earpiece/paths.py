"""Where Earpiece finds the files it ships with (models, default config)."""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

MODELS_ENV = "EARPIECE_MODELS_DIR"
SHARE = Path("share") / "earpiece"
"""Installed packages carry models/ and firmware_config/ under <prefix>/share/earpiece
(pyproject's data-files); a source checkout uses its own folders."""


def project_root() -> Path:
    """The checkout this package runs from (device/earpiece/ is two levels down)."""
    return Path(__file__).resolve().parents[2]


def installed_share() -> Path:
    """<prefix>/share/earpiece of the environment this package is installed into."""
    return Path(sysconfig.get_path("data") or sys.prefix) / SHARE


def _shipped(name: str) -> Path:
    """A shipped folder: from the checkout when running from one, else from the installation."""
    in_checkout = project_root() / name
    if in_checkout.is_dir():
        return in_checkout
    return installed_share() / name


def models_dir() -> Path:
    """The models/ folder: $EARPIECE_MODELS_DIR, else the checkout's, else the installed one."""
    configured = os.environ.get(MODELS_ENV)
    return Path(configured) if configured else _shipped("models")


def nlu_dir() -> Path:
    """Folder of the NLU model, its manifest, its phrase list and (in a checkout) its data."""
    return models_dir() / "nlu"
