"""Write a file the user named, atomically, refusing anything that is not a regular file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class UnsafeTarget(OSError):
    """The path names a directory, a device, a FIFO or (unless allowed) a symlink."""


def write_atomic(
    path: Path, data: bytes, *, allow_symlink: bool = False, mode: int = 0o600
) -> None:
    """Write `data` to `path` through a temp file in the same folder, fsync and rename.

    A symlink is refused unless `allow_symlink`, then the file it points to is replaced.
    Raises UnsafeTarget (an OSError) with a message naming the path and the fix.

    >>> write_atomic(Path("/tmp/earpiece-doc.json"), b"{}")
    """
    path = Path(path).expanduser()
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        if not allow_symlink:
            raise UnsafeTarget(
                f"{path}: is a symbolic link; give the real file name, or pass "
                "--follow-symlinks to write where it points"
            )
        path = Path(os.path.realpath(path))
        try:
            info = path.stat()
        except FileNotFoundError:
            info = None  # a dangling link: the file it names is created
    if info is not None and not stat.S_ISREG(info.st_mode):
        what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise UnsafeTarget(
            f"{path}: is {what} (a device, FIFO or socket is refused too); "
            "give the name of a file to write"
        )
    folder = path.parent
    if not folder.is_dir():
        raise UnsafeTarget(f"{folder}: no such folder; create it first")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
