"""Every path a user gives, checked one way before a byte is read: a regular file (or a folder), within a limit.

Why: a device (`/dev/zero`, `/dev/urandom`), a named pipe or a socket given where a file belongs
would be read forever or block. The check is made on the opened file itself (`fstat` on the file
descriptor, opened without blocking), so a name swapped for a pipe between a check and the read
changes nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from engine.text.diagnostics import InputError, diag

MB = 1024 * 1024


def _error(path: Path, error: OSError) -> InputError:
    if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENXIO):
        return InputError([diag(str(path), (1, 1), "not-a-file")])
    return InputError([diag(str(path), (1, 1), "file-read", reason=error.strerror or type(error).__name__)])


def _too_large(path: Path, limit: int, code: str) -> InputError:
    return InputError([diag(str(path), (1, 1), code, limit=max(limit // MB, 1))])


def read_file(path: Path, limit: int, code: str = "file-too-large") -> bytes:
    """The bytes of the regular file at `path`; InputError (not-a-file, file-read, `code`) otherwise.

    Opened without blocking (a pipe with no writer opens at once), checked on the open descriptor,
    and never read past `limit` bytes even if the file grows meanwhile.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise _error(path, error) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError([diag(str(path), (1, 1), "not-a-file")])
        if info.st_size > limit:
            raise _too_large(path, limit, code)
        # The whole file in one read (no copy joining chunks), then whatever it grew by meanwhile.
        chunks = [os.read(fd, min(info.st_size, limit) + 1)]
        size = len(chunks[0])
        if size > limit:
            raise _too_large(path, limit, code)
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(path, limit, code)
        return b"".join(chunks)
    except OSError as error:
        raise _error(path, error) from None
    finally:
        os.close(fd)


def check_file(path: Path, limit: int, code: str = "file-too-large") -> int:
    """The size of the regular file at `path`, for readers that open it themselves (SQLite, a zip
    archive); InputError (not-a-file, file-read, `code`) otherwise."""
    try:
        info = path.stat()
    except OSError as error:
        raise _error(path, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError([diag(str(path), (1, 1), "not-a-file")])
    if info.st_size > limit:
        raise _too_large(path, limit, code)
    return info.st_size


def kind(path: Path) -> str:
    """"file", "folder" or "other" (missing, a device, a pipe, a socket): how a path may be used.

    InputError (file-read) for a path the system refuses outright (too long, a loop of links, no
    permission): that is worth saying as it is, not as "does not exist"."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENXIO):
            return "other"
        raise _error(path, error) from None
    except ValueError:  # a NUL byte in the name
        return "other"
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def missing(path: Path) -> bool:
    """Nothing at all at `path` (not even a dangling link), so a new file may be made there;
    InputError (file-read) for a path the system refuses outright."""
    try:
        os.lstat(path)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return True
        raise _error(path, error) from None
    except ValueError:  # a NUL byte in the name
        raise InputError([diag(str(path), (1, 1), "not-a-file")]) from None
    return False


def check_folder(path: Path) -> None:
    """InputError (not-a-file) unless `path` is a folder."""
    if kind(path) != "folder":
        raise InputError([diag(str(path), (1, 1), "not-a-file")])


def identity(path: Path) -> Path:
    """One name for every path to the same file (`a/../a/x.csv`, a link to it): its resolved path; for a
    path that cannot be resolved (a loop of links, a NUL byte) the path itself, which is then refused
    where it is read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path


def folder_files(path: Path) -> list[Path]:
    """The regular files in a folder (not its subfolders'), by name; InputError (file-read) when the
    system refuses to list it."""
    try:
        entries = sorted(path.iterdir())
    except OSError as error:
        raise _error(path, error) from None
    return [p for p in entries if kind(p) == "file"]
