"""Everything the device holds about its person, as one JSON document."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from earpiece.safefile import write_atomic
from earpiece.store.database import Store
from earpiece.store.migrations import TABLES

FORMAT = "earpiece-export/1"
PERSONAL = tuple(t for t in TABLES if t != "dialog")
"""Tables exported; the dialog table only holds the question in flight (it is in `turns`)."""


def document(store: Store) -> dict:
    """facts, reminders, letters, mood, turns and settings, with the log's size."""
    doc: dict = {
        "format": FORMAT,
        "device_id": store.device_id,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "events": store.event_count(),
    }
    for table in PERSONAL:
        doc[table] = [{"key": key, **row} for key, row in store.rows(table)]
    return doc


def is_empty(doc: dict) -> bool:
    """True when the document holds nothing about the person."""
    return doc["events"] == 0 and all(not doc[t] for t in PERSONAL)


class ExportError(Exception):
    """The export cannot be written where asked; says why and what to do."""


def check_target(out: Path) -> None:
    """ExportError when `out`'s folder does not exist: a mistyped path is not created."""
    folder = out.expanduser().parent
    if not folder.is_dir():
        raise ExportError(
            f"{out}: the folder {folder} does not exist (is the path mistyped?); "
            "create it first or choose another --out"
        )


def write(doc: dict, out: Path, *, allow_symlink: bool = False) -> None:
    """Write atomically, readable by the owner only; never into a device, folder or symlink,
    nor into a folder that does not exist (ExportError)."""
    out = out.expanduser()
    check_target(out)
    data = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    write_atomic(out, data.encode("utf-8"), allow_symlink=allow_symlink)
