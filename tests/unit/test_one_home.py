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


def test_file_and_variable_names_are_named_once():
    assert _homes("crisis.npz") == ["nlu/safety/model.py"]  # CLASSIFIER_FILE
    assert _homes("EARPIECE_CONFIG") == ["config.py"]  # CONFIG_ENV
    assert _homes("EARPIECE_STATE_DIR") == ["config.py"]  # STATE_DIR_ENV


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


def test_each_fmt_skip_says_why():
    """`# fmt: skip` stays only where a table reads better aligned, and says so beside it: in a
    comment just before the statement, in its docstring, or once for the module's tables."""
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        if "# fmt: skip" not in source:
            continue
        module_wide = any(line.startswith("# ") and "keep `# fmt: skip`" in line for line in lines)
        body = list(ast.walk(ast.parse(source)))
        for number, line in enumerate(lines, 1):
            if not line.rstrip().endswith("# fmt: skip") or module_wide:
                continue
            ends_here = [
                s.lineno for s in body if isinstance(s, ast.stmt) and s.end_lineno == number
            ]
            start = min(ends_here, default=number)  # else a header: `def f(...) -> X:  # fmt: skip`
            before = " ".join(lines[max(0, start - 3) : start - 1])
            after = lines[number] if number < len(lines) else ""
            if "fmt: skip" not in before and not (
                after.startswith('"""') and "fmt: skip" in source[source.index(after) :][:600]
            ):
                unexplained.append(f"{name}:{number}")
    assert unexplained == []
