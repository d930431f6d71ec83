"""Fitted models kept as JSON (the scope model, the learned fusion): read one only when it was
fitted for the current data, write one atomically.

    model = read_fitted(path, key, ScopeModel.from_json)   # None: missing, damaged or stale
    write_fitted(path, model.to_json())
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


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
