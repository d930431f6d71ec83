"""Local storage of each user's data: reflection answers and the current chat conversation.

One SQLite file in ``SECRETARISBOT_HOME`` (``reflecties.sqlite3``) holds both, keyed by *profile*:
the logged-in user's name when the app has a login, else a random id kept in the browser.

Every save is one transaction in WAL mode, so a process killed in the middle of a save
(``kill -9``) leaves every earlier save intact: SQLite either has the whole transaction in its
log or none of it. Deleting overwrites the deleted text (``secure_delete``), vacuums and
truncates the log, so no copy stays behind in the file. Nothing leaves the machine.

    store = ReflectionStore(settings.home / "reflecties.sqlite3")
    store.save("profiel-1", "spiegel", "startpunt", "tekst", "Toen we ...")
    store.answers("profiel-1", "spiegel")   # {"startpunt": {"tekst": "Toen we ..."}}
    store.delete_all("profiel-1")

    chats = ConversationStore.for_settings(settings)
    chats.save("anna", [{"question": "...", "answer": {...}}])
    chats.load("anna")                      # the same turns, after a reload or a restart
    chats.delete("anna")
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from secretarisbot.errors import InputError
from secretarisbot.settings import Settings, get_settings

FILENAME = "reflecties.sqlite3"
#: Characters per field. A long reflection is a few thousand; more is a paste accident or abuse.
MAX_VALUE = 50_000
#: Characters of a profile key ("user:<name>" or a browser id).
MAX_PROFILE = 128
#: Characters of a route, step or field name (the app's own are under 30).
MAX_NAME = 64
#: Stored fields per profile; the app's routes have 21 fields in all.
MAX_ROWS_PER_PROFILE = 500
#: Turns kept of a conversation (the assistant itself reads only the last ten).
MAX_TURNS = 50
#: Bytes of one stored conversation (JSON); older turns are dropped first.
MAX_CONVERSATION_BYTES = 4_000_000

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
CREATE TABLE IF NOT EXISTS conversations (
    profile TEXT NOT NULL PRIMARY KEY,
    turns   TEXT NOT NULL,
    updated REAL NOT NULL
);
"""


class LimitError(InputError):
    """A value is over one of the store's limits; the Dutch message names the limit."""


def too_long(what: str, length: int, limit: int) -> LimitError:
    return LimitError(
        f"{what} is te lang ({length:,} tekens; maximaal {limit:,}). Het is niet opgeslagen."
        .replace(",", ".")
    )


def check_profile(profile: str) -> None:
    if not isinstance(profile, str) or not profile:
        raise LimitError("Er is geen profiel om onder op te slaan.")
    if len(profile) > MAX_PROFILE:
        raise too_long("Het profiel", len(profile), MAX_PROFILE)


#: Setting up a new file (WAL mode, the tables) once at a time in this process: two stores of one
#: file (the chat's and the reflections') first used at the same moment on a fresh home both asked
#: for WAL mode, and SQLite answered one of them "database is locked" at once, without waiting (a
#: deadlock it breaks): the page's first load showed "De reflectie kan nu niet worden geladen".
_SETUP_LOCK = threading.Lock()
#: Another process setting the file up at the same moment: tries, seconds apart.
SETUP_TRIES = 5
SETUP_PAUSE = 0.2


class _Database:
    """Thread-safe access to the data file (one connection per call, short transactions)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def for_settings(cls, settings: Settings | None = None):
        return cls(get_settings(settings).home / FILENAME)

    def _private(self) -> None:
        """The file, and the WAL and shared-memory files SQLite makes with its mode, readable by
        this user only (a user check found it readable by every user of the machine)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
            for path in (self.path, self.path.with_name(self.path.name + "-wal"),
                         self.path.with_name(self.path.name + "-shm")):
                if path.exists() and path.stat().st_mode & 0o077:
                    path.chmod(0o600)
        except OSError:
            # another user's file or a read-only one: SQLite says what it can do with it
            pass

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with _SETUP_LOCK:
                self._set_up()
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=10000")
        # Overwrite deleted and replaced text instead of leaving it in free pages.
        conn.execute("PRAGMA secure_delete=ON")
        return conn

    def _set_up(self) -> None:
        """The file private, in WAL mode (kept in the file), with its tables."""
        if self._ready:
            return
        self._private()
        for attempt in range(SETUP_TRIES):
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == SETUP_TRIES - 1:
                    raise
                time.sleep(SETUP_PAUSE)
            finally:
                conn.close()
        self._ready = True

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one write transaction: committed when the block ends, rolled back
        when it raises."""
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    def _write(self, sql: str, params_list: list[tuple]) -> None:
        with self._transaction() as conn:
            for params in params_list:
                conn.execute(sql, params)

    def _read(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            conn = self._connect()
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()

    def _delete(self, statements: list[tuple[str, tuple]]) -> None:
        """Run deletes in one transaction, then make the deleted text go away from the file and
        its log: secure_delete zeroes the pages, the checkpoint writes them back, VACUUM rebuilds
        the file, and the final checkpoint empties the log of the pages VACUUM wrote."""
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                for sql, params in statements:
                    conn.execute(sql, params)
                conn.execute("COMMIT")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()


class ReflectionStore(_Database):
    """The reflection answers and the current step per route, per profile."""

    # --- answers ---------------------------------------------------------------------------

    def save(self, profile: str, route: str, step: str, field: str, value: str) -> None:
        """Store one field (insert or replace); an empty value is kept as empty."""
        self.save_many(profile, route, step, {field: value})

    def save_many(self, profile: str, route: str, step: str, values: dict[str, str]) -> None:
        """Store several fields of one step in a single transaction (LimitError when over a limit)."""
        check_profile(profile)
        for name in (route, step, *values):
            if not isinstance(name, str) or not name or len(name) > MAX_NAME:
                raise LimitError("Onbekende stap of onbekend veld; herlaad de pagina.")
        for value in values.values():
            if not isinstance(value, str):
                raise LimitError("Een antwoord moet tekst zijn.")
            if len(value) > MAX_VALUE:
                raise too_long("Je tekst", len(value), MAX_VALUE)
        now = time.time()
        rows = [(profile, route, step, field, value, now) for field, value in values.items()]
        with self._transaction() as conn:
            stored = conn.execute(
                "SELECT COUNT(*) FROM answers WHERE profile=?", (profile,)
            ).fetchone()[0]
            new = sum(
                conn.execute(
                    "SELECT 1 FROM answers WHERE profile=? AND route=? AND step=? AND field=?",
                    (profile, route, step, field),
                ).fetchone()
                is None
                for field in values
            )
            if stored + new > MAX_ROWS_PER_PROFILE:
                raise LimitError(
                    f"Je hebt het maximum van {MAX_ROWS_PER_PROFILE} opgeslagen antwoorden "
                    "bereikt. Wis oude antwoorden om nieuwe op te slaan."
                )
            conn.executemany(
                "INSERT INTO answers (profile, route, step, field, value, updated) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (profile, route, step, field) "
                "DO UPDATE SET value=excluded.value, updated=excluded.updated",
                rows,
            )

    def value(self, profile: str, route: str, step: str, field: str) -> str:
        """One stored field ("" when there is none)."""
        rows = self._read(
            "SELECT value FROM answers WHERE profile=? AND route=? AND step=? AND field=?", (profile, route, step, field)
        )
        return rows[0][0] if rows else ""

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
        check_profile(profile)
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
        self._delete(
            [
                ("DELETE FROM answers WHERE profile=?", (profile,)),
                ("DELETE FROM progress WHERE profile=?", (profile,)),
            ]
        )

    def count(self, profile: str) -> int:
        """Number of non-empty stored fields of ``profile`` (all routes)."""
        rows = self._read("SELECT COUNT(*) FROM answers WHERE profile=? AND value != ''", (profile,))
        return int(rows[0][0])

    def profiles(self) -> list[str]:
        """Every profile with stored answers, progress or a conversation."""
        rows = self._read(
            "SELECT profile FROM answers UNION SELECT profile FROM progress "
            "UNION SELECT profile FROM conversations ORDER BY 1",
            (),
        )
        return [r[0] for r in rows]


class ConversationStore(_Database):
    """The current chat conversation per profile: a list of turns (JSON objects)."""

    def load(self, profile: str) -> list[dict[str, Any]]:
        rows = self._read("SELECT turns FROM conversations WHERE profile=?", (profile,))
        if not rows:
            return []
        try:
            turns = json.loads(rows[0][0])
        except ValueError:
            return []
        return [t for t in turns if isinstance(t, dict)] if isinstance(turns, list) else []

    def save(self, profile: str, turns: list[dict[str, Any]]) -> None:
        """Replace the conversation of ``profile`` (the newest MAX_TURNS turns, within the byte cap)."""
        check_profile(profile)
        turns = list(turns)[-MAX_TURNS:]
        data = json.dumps(turns, ensure_ascii=False)
        while len(data.encode("utf-8")) > MAX_CONVERSATION_BYTES and len(turns) > 1:
            turns = turns[1:]
            data = json.dumps(turns, ensure_ascii=False)
        if len(data.encode("utf-8")) > MAX_CONVERSATION_BYTES:
            raise LimitError("Het gesprek is te groot om te bewaren.")
        self._write(
            "INSERT INTO conversations (profile, turns, updated) VALUES (?, ?, ?) "
            "ON CONFLICT (profile) DO UPDATE SET turns=excluded.turns, updated=excluded.updated",
            [(profile, data, time.time())],
        )

    def delete(self, profile: str) -> None:
        """Delete the conversation of ``profile`` for good (nothing of it stays in the file)."""
        self._delete([("DELETE FROM conversations WHERE profile=?", (profile,))])


def delete_profile(settings: Settings | None, profile: str) -> None:
    """Delete everything stored for ``profile``: reflections, progress and the conversation."""
    store = ReflectionStore.for_settings(settings)
    store._delete(
        [
            ("DELETE FROM answers WHERE profile=?", (profile,)),
            ("DELETE FROM progress WHERE profile=?", (profile,)),
            ("DELETE FROM conversations WHERE profile=?", (profile,)),
        ]
    )
