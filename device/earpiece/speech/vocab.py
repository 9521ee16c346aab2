"""The words a Vosk model can output, read from its graph, and splitting phrases into them."""

from __future__ import annotations

import struct
from pathlib import Path

_SYMBOLS_MAGIC = struct.pack("<i", 2125658996)  # OpenFst SymbolTable


def read_vocabulary(model_dir: Path) -> set[str] | None:
    """The model's words: graph/words.txt when present, else the symbol table inside Gr.fst."""
    words_txt = model_dir / "graph" / "words.txt"
    if words_txt.is_file():
        return {line.split()[0] for line in words_txt.read_text("utf-8").splitlines() if line}
    fst = model_dir / "graph" / "Gr.fst"
    if not fst.is_file():
        return None
    data = fst.read_bytes()
    at = data.find(_SYMBOLS_MAGIC)
    if at < 0:
        return None
    try:
        return _symbols(data, at + 4)
    except (struct.error, UnicodeDecodeError):
        return None


def _symbols(data: bytes, at: int) -> set[str]:
    def string(pos: int) -> tuple[str, int]:
        (size,) = struct.unpack_from("<i", data, pos)
        return data[pos + 4 : pos + 4 + size].decode("utf-8"), pos + 4 + size

    _, at = string(at)  # the table's name
    _available, count = struct.unpack_from("<qq", data, at)
    at += 16
    words = set()
    for _ in range(count):
        word, at = string(at)
        at += 8  # its id
        words.add(word)
    return words


def segment(word: str, vocab: set[str]) -> list[str] | None:
    """The word as vocabulary words, longest first ('시에' -> ['시', '에']); None if impossible."""
    if word in vocab:
        return [word]
    pieces: list[str] = []
    start = 0
    while start < len(word):
        for end in range(len(word), start, -1):
            if word[start:end] in vocab:
                pieces.append(word[start:end])
                start = end
                break
        else:
            return None
    return pieces
