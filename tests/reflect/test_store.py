"""The reflection store: saves survive restarts, deletes are complete, kill -9 loses nothing saved."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from secretarisbot.reflect.store import (
    FILENAME,
    MAX_ROWS_PER_PROFILE,
    MAX_TURNS,
    MAX_VALUE,
    ConversationStore,
    LimitError,
    ReflectionStore,
    delete_profile,
)
from secretarisbot.settings import Settings

STARTPUNT = "Toen we de dienstverlening aan inwoners in twee loketten lieten bestaan, omdat de raad dat wilde."


class TestReflectionStore:
    def test_save_and_reload_after_a_restart(self, tmp_path: Path):
        store = ReflectionStore(tmp_path / FILENAME)
        store.save("p1", "spiegel", "startpunt", "tekst", STARTPUNT)
        store.save("p1", "spiegel", "tussenruimte", "cultuur_zelf", "Haardvuursessies organiseren")
        store.set_step("p1", "spiegel", "tussenruimte")
        again = ReflectionStore(tmp_path / FILENAME)  # a new process would do the same
        assert again.answers("p1", "spiegel") == {
            "startpunt": {"tekst": STARTPUNT},
            "tussenruimte": {"cultuur_zelf": "Haardvuursessies organiseren"},
        }
        assert again.current_step("p1", "spiegel") == "tussenruimte"

    def test_overwrite_keeps_the_latest_text(self, tmp_path: Path):
        store = ReflectionStore(tmp_path / FILENAME)
        for text in ("T", "To", "Toen", STARTPUNT):
            store.save("p1", "spiegel", "startpunt", "tekst", text)
        assert store.answers("p1", "spiegel")["startpunt"]["tekst"] == STARTPUNT

    def test_profiles_and_routes_are_separate(self, tmp_path: Path):
        store = ReflectionStore(tmp_path / FILENAME)
        store.save("p1", "spiegel", "startpunt", "tekst", STARTPUNT)
        store.save("p2", "vng", "vng1", "tekst", "Ja, de ambitie is gedeeld.")
        assert store.answers("p2", "spiegel") == {}
        assert store.answers("p1", "vng") == {}

    def test_delete_all_removes_only_that_profile_and_the_text_from_the_file(self, tmp_path: Path):
        path = tmp_path / FILENAME
        store = ReflectionStore(path)
        store.save("p1", "spiegel", "startpunt", "tekst", STARTPUNT)
        store.set_step("p1", "spiegel", "startpunt")
        store.save("p2", "spiegel", "startpunt", "tekst", "Iets anders")
        store.delete_all("p1")
        assert store.answers("p1", "spiegel") == {}
        assert store.current_step("p1", "spiegel") is None
        assert store.count("p1") == 0
        assert store.answers("p2", "spiegel") == {"startpunt": {"tekst": "Iets anders"}}
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(FILENAME))
        assert b"twee loketten" not in raw

    def test_uses_wal_in_the_home_directory(self):
        settings = Settings()
        store = ReflectionStore.for_settings(settings)
        store.save("p", "spiegel", "pad", "tekst", "x")
        assert store.path == settings.home / FILENAME
        mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


WRITER = textwrap.dedent(
    """
    import sys
    from secretarisbot.reflect.store import ReflectionStore
    store = ReflectionStore(sys.argv[1])
    i = 0
    while True:
        # Each save writes a new field and rewrites a shared one, in one transaction.
        store.save_many("p1", "spiegel", "startpunt", {f"veld{i}": f"waarde {i} " + "x" * 2000, "laatste": str(i)})
        print(i, flush=True)
        i += 1
    """
)


def test_kill_9_during_a_save_loop_keeps_every_earlier_save(tmp_path: Path):
    path = tmp_path / FILENAME
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    confirmed = -1
    try:
        deadline = time.monotonic() + 120
        while confirmed < 150 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            confirmed = int(line)
        # Killed while it is busy saving the next ones.
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert confirmed >= 150

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    answers = ReflectionStore(path).answers("p1", "spiegel")["startpunt"]
    for i in range(confirmed + 1):
        assert answers[f"veld{i}"] == f"waarde {i} " + "x" * 2000
    assert int(answers["laatste"]) >= confirmed
    # Whatever got in after the last confirmation is whole, never half a transaction.
    extra = [k for k in answers if k.startswith("veld") and int(k[4:]) > confirmed]
    assert len(extra) == int(answers["laatste"]) - confirmed


class TestLimits:
    """Finding 5 of issue 12: ten 1 MB profile ids added 40 MB; over-long text was cut silently."""

    def test_a_huge_profile_id_is_refused_and_stores_nothing(self, tmp_path: Path):
        path = tmp_path / FILENAME
        store = ReflectionStore(path)
        store.save("p1", "spiegel", "startpunt", "tekst", "x")
        before = sum(p.stat().st_size for p in tmp_path.iterdir())
        for i in range(10):
            with pytest.raises(LimitError, match="te lang"):
                store.save(f"{i}" + "a" * 1_000_000, "spiegel", "startpunt", "tekst", "x")
        after = sum(p.stat().st_size for p in tmp_path.iterdir())
        assert after - before < 100_000
        assert store.profiles() == ["p1"]

    def test_too_long_text_is_refused_with_a_dutch_message_not_cut(self, tmp_path: Path):
        store = ReflectionStore(tmp_path / FILENAME)
        store.save("p1", "spiegel", "startpunt", "tekst", "kort")
        with pytest.raises(LimitError) as err:
            store.save("p1", "spiegel", "startpunt", "tekst", "y" * (MAX_VALUE + 1))
        assert "niet opgeslagen" in str(err.value) and "50.000" in str(err.value)
        assert store.answers("p1", "spiegel")["startpunt"]["tekst"] == "kort"

    def test_rows_per_profile_are_capped(self, tmp_path: Path):
        store = ReflectionStore(tmp_path / FILENAME)
        store.save_many("p1", "spiegel", "startpunt", {f"veld{i}": "x" for i in range(MAX_ROWS_PER_PROFILE)})
        with pytest.raises(LimitError, match="maximum"):
            store.save("p1", "spiegel", "startpunt", "nog-een", "x")
        store.save("p1", "spiegel", "startpunt", "veld0", "overschrijven mag")  # not a new row
        store.save("p2", "spiegel", "startpunt", "tekst", "een ander profiel heeft zijn eigen ruimte")


class TestConversationStore:
    def test_save_load_and_delete_leave_no_copy_in_the_file(self, tmp_path: Path):
        chats = ConversationStore(tmp_path / FILENAME)
        marker = "gesprek-merkteken-4711"
        chats.save("user:anna", [{"question": f"Vraag met {marker}", "answer": {"answer": "..."}}])
        chats.save("user:bert", [{"question": "Iets anders"}])
        assert chats.load("user:anna")[0]["question"].endswith(marker)
        assert chats.load("user:carla") == []
        chats.delete("user:anna")
        assert chats.load("user:anna") == []
        assert chats.load("user:bert") == [{"question": "Iets anders"}]
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(FILENAME))
        assert marker.encode() not in raw

    def test_only_the_newest_turns_are_kept(self, tmp_path: Path):
        chats = ConversationStore(tmp_path / FILENAME)
        chats.save("p", [{"question": str(i)} for i in range(MAX_TURNS + 20)])
        turns = chats.load("p")
        assert len(turns) == MAX_TURNS and turns[-1]["question"] == str(MAX_TURNS + 19)

    def test_delete_profile_removes_reflections_progress_and_conversation(self, tmp_path: Path):
        settings = Settings(home=tmp_path)
        store, chats = ReflectionStore.for_settings(settings), ConversationStore.for_settings(settings)
        store.save("user:anna", "spiegel", "startpunt", "tekst", STARTPUNT)
        store.set_step("user:anna", "spiegel", "startpunt")
        chats.save("user:anna", [{"question": "twee loketten?"}])
        store.save("user:bert", "spiegel", "startpunt", "tekst", "Iets anders")
        delete_profile(settings, "user:anna")
        assert store.profiles() == ["user:bert"]
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(FILENAME))
        assert b"twee loketten" not in raw


def test_the_file_is_readable_by_this_user_only(tmp_path: Path) -> None:
    from secretarisbot.reflect.store import ConversationStore, ReflectionStore

    path = tmp_path / "home" / "reflecties.sqlite3"
    before = os.umask(0o022)  # the usual umask: new files readable by everyone unless made private
    try:
        ReflectionStore(path).save("p1", "fusie", "stap1", "antwoord", "Mijn reflectie")
        ConversationStore(path).save("p1", [{"question": "Wat nu?"}])
    finally:
        os.umask(before)
    for f in path.parent.iterdir():  # the database, and its WAL and shared-memory files
        assert f.stat().st_mode & 0o077 == 0, f
    # a file made readable for others earlier is made private again when it is opened
    older = tmp_path / "older.sqlite3"
    older.touch()
    older.chmod(0o644)
    ReflectionStore(older).save("p1", "fusie", "stap1", "antwoord", "x")
    assert older.stat().st_mode & 0o077 == 0


def test_stores_of_one_new_file_first_used_at_the_same_moment(tmp_path: Path) -> None:
    """The chat's and the reflections' store of a fresh home, first used at once (a page's first
    load): SQLite answered one of them "database is locked" without waiting while both switched the
    new file to WAL mode (a start failed 1 time in 50 on the old code: 150 starts find it almost surely)."""
    import threading

    failed = []
    for n in range(150):
        path = tmp_path / f"home-{n}" / "reflecties.sqlite3"
        stores = [ReflectionStore(path) if k % 2 else ConversationStore(path) for k in range(6)]
        start = threading.Barrier(len(stores))

        def use(store) -> None:
            start.wait()
            try:
                store.answers("p", "r") if isinstance(store, ReflectionStore) else store.load("p")
            except Exception as err:  # noqa: BLE001 - any failure is the finding
                failed.append(err)

        threads = [threading.Thread(target=use, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failed, failed[:3]
    with sqlite3.connect(tmp_path / "home-0" / "reflecties.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
