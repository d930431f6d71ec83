"""Embedding cache: vectors keyed by (embedder id, sha256 of the embedded text), in SQLite.

A rebuild after a chunker change only embeds the passages whose text changed. SQLite (WAL, one
transaction per batch) keeps the cache consistent when a build is killed half way; the vectors
stored before the kill are reused by the next build.

    >>> cache = EmbeddingCache(tmp_path)
    >>> cache.put("fake:64", {text_hash("a"): [0.1, ...]})
    >>> cache.get_many("fake:64", [text_hash("a")])
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

CACHE_FILE = "embeddings.sqlite3"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / CACHE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " embedder TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (embedder, hash))"
        )
        self._conn.commit()

    def get_many(self, embedder_id: str, hashes: Iterable[str]) -> dict[str, list[float]]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, list[float]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT hash, dim, vector FROM vectors WHERE embedder = ? AND hash IN ({marks})",
                [embedder_id, *chunk],
            )
            for digest, dim, blob in rows:
                vector = np.frombuffer(blob, dtype="<f4")
                if vector.shape == (dim,):
                    found[digest] = vector.astype(float).tolist()
        return found

    def put(self, embedder_id: str, vectors: Mapping[str, list[float]]) -> None:
        rows = [
            (embedder_id, digest, len(vec), np.asarray(vec, dtype="<f4").tobytes())
            for digest, vec in vectors.items()
        ]
        with self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def count(self, embedder_id: str | None = None) -> int:
        if embedder_id is None:
            return self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._conn.execute(
            "SELECT COUNT(*) FROM vectors WHERE embedder = ?", [embedder_id]
        ).fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
