"""Obeying a forget from another device while this device keeps talking: every commit made
after the forget survives it, whether it landed before, during or after the rewrite."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from earpiece.store.database import DB_FILE, Change, Store
from earpiece.sync import protocol as p
from earpiece.sync.fleet import obey_forget

pytestmark = pytest.mark.integration

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from earpiece.store.database import Change, Store
    store = Store.open(Path(sys.argv[1]))
    for n in range(int(sys.argv[2])):
        store.commit([Change("facts.put", f"new:{n}", {"text": f"said after the forget {n}"})])
        print(n, flush=True)  # acknowledged: the commit returned
    """
)


def _live_keys(state: Path) -> set[str]:
    with sqlite3.connect(state / DB_FILE) as conn:
        return {r[0] for r in conn.execute("SELECT key FROM facts WHERE deleted = 0")}


def test_commits_made_while_a_forget_is_obeyed_are_all_kept(tmp_path: Path):
    for round_no in range(3):
        state = tmp_path / f"state{round_no}"
        store = Store.open(state)
        old = [
            Change("facts.put", f"old:{n}", {"text": f"before {n} " + "x" * 200})
            for n in range(4000)
        ]
        store.commit(old)  # a long log: reading it takes a while, a window for others' commits
        [tombstone] = store.commit([Change(p.FORGET_ALL, "forget", {})])
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(state), "150"], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        acked = [writer.stdout.readline() for _ in range(10)]  # the writer is committing now
        obey_forget(store, tombstone)
        # read the rest through the same buffered reader: communicate() reads the pipe's fd
        # directly and would miss lines readline() had already buffered
        out = writer.stdout.read()
        assert writer.wait(timeout=120) == 0
        acked = [int(n) for n in acked + out.splitlines()]
        assert acked == list(range(150))
        keys = _live_keys(state)
        assert not any(k.startswith("old:") for k in keys)  # the forget did its work
        assert keys == {f"new:{n}" for n in acked}  # and lost nothing acknowledged after it
        assert store.integrity() == "ok"
        store.close()
