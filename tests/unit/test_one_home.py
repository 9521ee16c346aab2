"""One home for each domain fact, and rooms that ask each other through methods: checks on the
source itself, so a second copy or a reach into another room's insides fails here."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "device" / "earpiece"


def _homes(literal: str) -> list[str]:
    """The modules whose code holds this string constant."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == literal for n in ast.walk(tree)):
            found.append(path.relative_to(PACKAGE).as_posix())
    return found


def test_the_korean_day_names_have_one_home():
    assert _homes("월화수목금토일") == ["nlu/timeparse.py"]


def test_the_embedding_cache_variable_is_named_once():
    assert _homes("EARPIECE_EMBED_CACHE") == ["training/embedding.py"]


def test_telemetry_defaults_are_set_in_the_package_alone():
    """Set when the package is imported, before any submodule can load onnxruntime or
    ctranslate2 (test_no_network checks the moment); a second setter would only hide a gap."""
    for name in ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        assert _homes(name) == ["__init__.py"], name


def test_the_runtime_asks_the_companion_through_its_methods():
    """Not through its store, its dialog state or its NLU: those are the companion's own."""
    reaches = []
    for path in sorted((PACKAGE / "runtime").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute) or node.attr not in ("store", "state", "nlu"):
                continue
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name == "companion":
                reaches.append(f"{path.name}:{node.lineno} companion.{node.attr}")
    assert reaches == []
