"""Build-beside-then-swap for the index directory, so a killed build never breaks the old index.

A build writes ``<index>.build-<token>/`` next to ``<index>/`` and swaps it in:

- on Linux with ``renameat2(RENAME_EXCHANGE)`` the two directories trade places in one atomic
  step, after which the old one (now at ``<index>.build-<token>``) is deleted;
- elsewhere ``<index>`` is first renamed to ``<index>.old-<token>`` and the new one renamed in;
  a crash between the two renames is repaired by :func:`recover` (the old one is put back).

Leftovers of killed builds (``.build-*`` and ``.old-*`` siblings) are removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def new_token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def build_dir_for(index_dir: Path, token: str) -> Path:
    return index_dir.with_name(f"{index_dir.name}.build-{token}")


def _siblings(index_dir: Path, infix: str) -> list[Path]:
    parent = index_dir.parent
    if not parent.is_dir():
        return []
    return sorted(parent.glob(f"{index_dir.name}.{infix}-*"))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap_in(build_dir: Path, index_dir: Path, token: str) -> None:
    """Make ``build_dir`` the index at ``index_dir``; the previous index (if any) is deleted."""
    if not index_dir.exists():
        os.rename(build_dir, index_dir)
    elif _exchange(build_dir, index_dir):
        # build_dir now holds the previous index.
        _fsync_dir(index_dir.parent)
        shutil.rmtree(build_dir, ignore_errors=True)
        return
    else:
        old = index_dir.with_name(f"{index_dir.name}.old-{token}")
        os.rename(index_dir, old)
        os.rename(build_dir, index_dir)
        _fsync_dir(index_dir.parent)
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(index_dir.parent)


def recover(index_dir: Path) -> None:
    """If a swap died between its two renames, put the previous index back in place.

    Only acts when no build holds the lock (a running build may be between its renames).
    """
    if index_dir.exists() or not _siblings(index_dir, "old"):
        return
    lock_path = _lock_path(index_dir)
    try:
        fh = open(lock_path, "a+b")
    except OSError:
        return
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        try:
            _recover_locked(index_dir)
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _recover_locked(index_dir: Path) -> None:
    if index_dir.exists():
        return
    olds = _siblings(index_dir, "old")
    if olds:
        with contextlib.suppress(OSError):
            os.rename(olds[-1], index_dir)


def cleanup_stale(index_dir: Path) -> list[Path]:
    """Under the build lock: repair a half-done swap, delete leftovers of killed builds."""
    _recover_locked(index_dir)
    removed = []
    for path in _siblings(index_dir, "build") + _siblings(index_dir, "old"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _lock_path(index_dir: Path) -> Path:
    return index_dir.with_name(f"{index_dir.name}.lock")


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build per index at a time (an flock, released by the kernel if the build is killed)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(index_dir), "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
