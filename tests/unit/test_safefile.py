"""safefile.write_atomic: regular files only, symlinks on request, nothing half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from earpiece.safefile import UnsafeTarget, write_atomic


def test_writes_a_new_file_private_and_replaces_an_old_one(tmp_path: Path):
    target = tmp_path / "doc.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]  # no temp file left


@pytest.mark.parametrize("kind", ["dir", "fifo", "missing-folder"])
def test_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str):
    target = tmp_path / "x"
    if kind == "dir":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = tmp_path / "nope" / "x"
    with pytest.raises(
        UnsafeTarget, match=str(target.parent if kind == "missing-folder" else target)
    ):
        write_atomic(target, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if kind == "missing-folder" else ["x"])


def test_a_symlink_is_refused_unless_allowed_then_its_target_is_written(tmp_path: Path):
    real, link = tmp_path / "real", tmp_path / "link"
    real.write_bytes(b"old")
    link.symlink_to(real)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        write_atomic(link, b"new")
    assert real.read_bytes() == b"old"
    write_atomic(link, b"new", allow_symlink=True)
    assert link.is_symlink() and real.read_bytes() == b"new"
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "created")
    write_atomic(dangling, b"made", allow_symlink=True)
    assert (tmp_path / "created").read_bytes() == b"made"


def test_a_symlink_to_a_device_is_refused_even_when_allowed(tmp_path: Path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    with pytest.raises(UnsafeTarget, match="not a regular file"):
        write_atomic(link, b"x", allow_symlink=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch):
    target = tmp_path / "doc"
    target.write_bytes(b"old")

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["doc"]
