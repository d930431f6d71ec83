"""Immutable build folders and an atomic pointer, so a killed build never breaks the index and a
running app never loses the build it reads.

Layout inside the index folder (``settings.index_dir``; it may be a mount point, and read-only
for the apps that only read it)::

    CURRENT                      one line: the name of the build that is served
    builds/<build id>/           a complete build (manifest.json, passages, texts, chroma-*/);
                                 never changed once CURRENT has named it
    builds/.tmp-<token>/         a build in progress; a killed build's leftovers go at the next build
    .lock                        the build lock (flock)

A build writes ``builds/.tmp-<token>/``, renames it to ``builds/<build id>/`` and then replaces
``CURRENT`` (write a temporary file, fsync, rename: atomic on POSIX). Nothing is ever renamed
*onto* the index folder itself, which is why a mount point works. The previous build stays until
the build after next (:data:`KEEP_BUILDS`), and never goes while a process holds it open
(:func:`hold`: a shared flock on its manifest), so an app that has not yet switched keeps serving.

An index folder from before this layout (manifest.json at the top) is still opened as it is; the
first build in it adds ``CURRENT`` and removes the old top-level files once no process holds them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

POINTER = "CURRENT"
BUILDS = "builds"
LOCK = ".lock"
TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
#: Builds kept: the served one and the one before it (an app switches at its next question).
KEEP_BUILDS = 2
#: Top-level entries of the layout before builds/ (removed after the first build in the new one).
LEGACY_FILES = ("manifest.json", "documents.json", "passages.jsonl")
LEGACY_DIRS = ("normalized",)


def new_token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def build_dir_for(index_dir: Path, token: str) -> Path:
    """Where a build in progress writes (inside the index folder: same file system as the result)."""
    return Path(index_dir) / BUILDS / f"{TMP_PREFIX}{token}"


def read_pointer(index_dir: Path) -> str | None:
    """The build id CURRENT names, or None when there is no CURRENT (no index, or the old layout)."""
    try:
        name = (Path(index_dir) / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not name or "/" in name or name.startswith("."):
        raise OSError(f"{POINTER} names no build")
    return name


def current_root(index_dir: Path) -> tuple[Path, str | None]:
    """(folder of the served build, its id); the index folder itself for the old layout."""
    index_dir = Path(index_dir)
    build = read_pointer(index_dir)
    if build is None:
        return index_dir, None
    return index_dir / BUILDS / build, build


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_pointer(index_dir: Path, build: str) -> None:
    tmp = index_dir / f".{POINTER}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(build + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / POINTER)
    _fsync_dir(index_dir)


def swap_in(build_dir: Path, index_dir: Path, token: str) -> str:
    """Publish the finished ``build_dir``: give it its final name, point CURRENT at it, drop builds
    no longer needed. Returns the build id."""
    index_dir = Path(index_dir)
    now = time.time()
    # Sortable by name: UTC time to the microsecond, then the builder's token.
    build = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}.{int(now * 1e6) % 1_000_000:06d}Z-{token}"
    final = index_dir / BUILDS / build
    _fsync_dir(build_dir)
    os.rename(build_dir, final)
    _fsync_dir(final.parent)
    _write_pointer(index_dir, build)
    prune(index_dir)
    return build


# --- holding a build open -----------------------------------------------------------------------


def hold(root: Path) -> IO[bytes] | None:
    """A shared lock on the build at ``root`` for as long as the returned file stays open.

    Works on a read-only index too (flock needs no write access); None when it cannot be taken.
    """
    try:
        fh = open(Path(root) / MANIFEST, "rb")  # noqa: SIM115 - the caller keeps it open
    except OSError:
        return None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        return None
    return fh


def _in_use(root: Path) -> bool:
    try:
        fh = open(root / MANIFEST, "rb")
    except OSError:
        return False
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


def prune(index_dir: Path, keep: int = KEEP_BUILDS) -> list[Path]:
    """Remove builds older than the newest ``keep`` (never the served one or one held open), and
    the top-level files of the old layout once nobody holds them."""
    index_dir = Path(index_dir)
    served = read_pointer(index_dir)
    folder = index_dir / BUILDS
    builds = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    removed = []
    for path in builds[: max(0, len(builds) - keep)]:
        if path.name == served or _in_use(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if served is not None and (index_dir / MANIFEST).exists() and not _in_use(index_dir):
        removed += _remove_legacy(index_dir)
    return removed


def _remove_legacy(index_dir: Path) -> list[Path]:
    removed = []
    for name in LEGACY_FILES:  # manifest first: without it the rest is never read again
        path = index_dir / name
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    for path in [*(index_dir / d for d in LEGACY_DIRS), *index_dir.glob("chroma-*")]:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def cleanup_stale(index_dir: Path) -> list[Path]:
    """Under the build lock: delete what killed builds left: ``builds/.tmp-*``, and a finished
    build newer than the served one that CURRENT never named (killed just before the pointer)."""
    folder = Path(index_dir) / BUILDS
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    try:
        served = read_pointer(index_dir)
    except OSError:
        served = None
    for path in folder.iterdir():
        orphan = not path.name.startswith(".") and (served is None or path.name > served)
        if path.name.startswith(TMP_PREFIX) or (orphan and path.name != served):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build per index at a time (an flock, released by the kernel if the build is killed)."""
    index_dir = Path(index_dir)
    (index_dir / BUILDS).mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def recover_legacy(index_dir: Path) -> None:
    """Old flat layout: if a swap of the previous code died between its two renames (the index
    folder gone, ``<index>.old-*`` beside it), put the previous index back. Only without a build
    holding the old sibling lock, and never on a read-only parent (then nothing is done)."""
    index_dir = Path(index_dir)
    if index_dir.exists():
        return
    olds = sorted(index_dir.parent.glob(f"{index_dir.name}.old-*")) if index_dir.parent.is_dir() else []
    if not olds:
        return
    try:
        fh = open(index_dir.with_name(f"{index_dir.name}.lock"), "a+b")
    except OSError:
        return
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        try:
            if not index_dir.exists():
                with contextlib.suppress(OSError):
                    os.rename(olds[-1], index_dir)
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
