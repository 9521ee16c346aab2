"""Write a file the person named, atomically, refusing directories, devices and symlinks."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class UnsafeTarget(OSError):
    """The path is a directory, a device, a FIFO, a socket or (unless allowed) a symlink."""


_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def check_target(path: Path | str, *, allow_symlink: bool = False) -> Path:
    """The file that `write_atomic(path, ...)` would replace; raises UnsafeTarget or OSError.

    A symlink is refused unless `allow_symlink`, then its final target is written.
    The folder must already exist; nothing is created or changed here.
    """
    target = Path(path).expanduser()
    if target.is_symlink():
        if not allow_symlink:
            raise UnsafeTarget(f"{target}: is a symbolic link; refusing to replace it")
        target = target.resolve()
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise UnsafeTarget(f"{target}: is {kind}, not a file; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise UnsafeTarget(f"{target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnsafeTarget(f"{target}: the folder {folder} is not writable")
    return target


def write_atomic(path: Path | str, data: bytes, *, allow_symlink: bool = False) -> Path:
    """Write `data` to `path` as one step (temp file, fsync, rename), readable by the owner only.

    Refuses directories, devices, FIFOs, sockets and (unless `allow_symlink`) symlinks
    with UnsafeTarget; on any failure the old file is untouched and no temp file is left.
    Returns the path written (a symlink's target when allowed).
    """
    target = check_target(path, allow_symlink=allow_symlink)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse a folder fsync)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
