"""Local storage of reflection answers: one SQLite file in the user's data directory.

Every save is one transaction in WAL mode, so a process killed in the middle of a save
(``kill -9``) leaves every earlier save intact: SQLite either has the whole transaction in its
log or none of it. Nothing leaves the machine.

    store = ReflectionStore(settings.home / "reflecties.sqlite3")
    store.save("profiel-1", "spiegel", "startpunt", "tekst", "Toen we ...")
    store.answers("profiel-1", "spiegel")   # {"startpunt": {"tekst": "Toen we ..."}}
    store.delete_all("profiel-1")
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from secretarisbot.settings import Settings, get_settings

FILENAME = "reflecties.sqlite3"
MAX_VALUE = 50_000  # characters per field; more is surely a paste accident

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    profile TEXT NOT NULL,
    route   TEXT NOT NULL,
    step    TEXT NOT NULL,
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (profile, route, step, field)
);
CREATE TABLE IF NOT EXISTS progress (
    profile TEXT NOT NULL,
    route   TEXT NOT NULL,
    step    TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (profile, route)
);
"""


class ReflectionStore:
    """Thread-safe access to the reflection database (one connection per call, short transactions)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def for_settings(cls, settings: Settings | None = None) -> ReflectionStore:
        return cls(get_settings(settings).home / FILENAME)

    # --- plumbing --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=10000")
        if not self._ready:
            conn.executescript(_SCHEMA)
            self._ready = True
        return conn

    def _write(self, sql: str, params_list: list[tuple]) -> None:
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for params in params_list:
                        conn.execute(sql, params)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    def _read(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            conn = self._connect()
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()

    # --- answers ---------------------------------------------------------------------------

    def save(self, profile: str, route: str, step: str, field: str, value: str) -> None:
        """Store one field (insert or replace); an empty value is kept as empty."""
        self.save_many(profile, route, step, {field: value})

    def save_many(self, profile: str, route: str, step: str, values: dict[str, str]) -> None:
        """Store several fields of one step in a single transaction."""
        now = time.time()
        rows = [
            (profile, route, step, field, (value or "")[:MAX_VALUE], now)
            for field, value in values.items()
        ]
        self._write(
            "INSERT INTO answers (profile, route, step, field, value, updated) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (profile, route, step, field) DO UPDATE SET value=excluded.value, "
            "updated=excluded.updated",
            rows,
        )

    def answers(self, profile: str, route: str) -> dict[str, dict[str, str]]:
        """``{step: {field: value}}`` of one route."""
        out: dict[str, dict[str, str]] = {}
        for step, field, value in self._read(
            "SELECT step, field, value FROM answers WHERE profile=? AND route=? ORDER BY updated",
            (profile, route),
        ):
            out.setdefault(step, {})[field] = value
        return out

    # --- progress --------------------------------------------------------------------------

    def set_step(self, profile: str, route: str, step: str) -> None:
        self._write(
            "INSERT INTO progress (profile, route, step, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (profile, route) DO UPDATE SET step=excluded.step, updated=excluded.updated",
            [(profile, route, step, time.time())],
        )

    def current_step(self, profile: str, route: str) -> str | None:
        rows = self._read("SELECT step FROM progress WHERE profile=? AND route=?", (profile, route))
        return rows[0][0] if rows else None

    # --- deleting --------------------------------------------------------------------------

    def delete_all(self, profile: str) -> None:
        """Delete every answer and all progress of ``profile``."""
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("DELETE FROM answers WHERE profile=?", (profile,))
                conn.execute("DELETE FROM progress WHERE profile=?", (profile,))
                conn.execute("COMMIT")
                # Make deleted text really go away from the file and its log, not just unlinked.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
            finally:
                conn.close()

    def count(self, profile: str) -> int:
        """Number of non-empty stored fields of ``profile`` (all routes)."""
        rows = self._read("SELECT COUNT(*) FROM answers WHERE profile=? AND value != ''", (profile,))
        return int(rows[0][0])
