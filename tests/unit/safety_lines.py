"""The safety classifier's hand-written training lines, for tests that must not reuse them."""

from __future__ import annotations

from earpiece import paths


def training_lines() -> set[str]:
    """Every line of models/safety/data/*.txt, stripped and lower-cased."""
    data = paths.models_dir() / "safety" / "data"
    return {
        line.strip().lower()
        for path in data.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
