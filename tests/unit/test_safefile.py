"""write_atomic: replaces a file in one step, refuses what is not a plain file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from earpiece.safefile import UnsafeTarget, check_target, write_atomic


def test_writes_a_new_file_readable_by_the_owner_only(tmp_path: Path):
    target = tmp_path / "reply.wav"
    assert write_atomic(target, b"RIFF") == target
    assert target.read_bytes() == b"RIFF"
    assert (target.stat().st_mode & 0o777) == 0o600
    assert os.listdir(tmp_path) == ["reply.wav"]


def test_replaces_an_existing_file_whole(tmp_path: Path):
    target = tmp_path / "reply.wav"
    target.write_bytes(b"old" * 1000)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_a_failure_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch):
    target = tmp_path / "reply.wav"
    target.write_bytes(b"old")

    def no_sync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", no_sync)
    with pytest.raises(OSError, match="Input/output"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["reply.wav"]


def test_refuses_a_directory(tmp_path: Path):
    with pytest.raises(UnsafeTarget, match="is a directory"):
        write_atomic(tmp_path, b"x")
    assert tmp_path.is_dir()


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_refuses_a_device_and_leaves_it_a_device(device: str):
    with pytest.raises(UnsafeTarget, match="is a device"):
        write_atomic(device, b"x")
    assert Path(device).is_char_device()


def test_refuses_a_fifo(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget, match="FIFO"):
        write_atomic(fifo, b"x")  # and does not block on opening it


def test_refuses_a_symlink_unless_allowed_then_writes_its_target(tmp_path: Path):
    real = tmp_path / "real.wav"
    real.write_bytes(b"old")
    link = tmp_path / "link.wav"
    link.symlink_to(real)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        write_atomic(link, b"new")
    assert real.read_bytes() == b"old" and link.is_symlink()
    assert write_atomic(link, b"new", allow_symlink=True) == real
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_symlink_to_a_device_stays_refused_when_allowed(tmp_path: Path):
    link = tmp_path / "out.wav"
    link.symlink_to("/dev/full")
    with pytest.raises(UnsafeTarget, match="is a device"):
        write_atomic(link, b"x", allow_symlink=True)


def test_a_missing_folder_is_named_and_not_created(tmp_path: Path):
    with pytest.raises(UnsafeTarget, match="does not exist"):
        check_target(tmp_path / "no" / "such.wav")
    assert not (tmp_path / "no").exists()
