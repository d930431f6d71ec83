"""The index under real deployments (issue 12, finding 6): a rebuild while the app serves, an index
folder that is a mount point (a Docker volume), a read-only index; messages without server paths.

The mount tests use ``mount --bind`` (the test suite runs as root, as CI does) and always unmount.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretarisbot.errors import IndexMissingError, IndexUnreadableError, SecretarisbotError
from secretarisbot.index.build import build_index
from secretarisbot.index.store import open_index
from secretarisbot.index.swap import BUILDS, POINTER, read_pointer
from secretarisbot.settings import Settings

MEDE = "Wat doe ik als de mede-directeur blokkeert?"


@contextlib.contextmanager
def bind_mount(source: Path, target: Path, read_only: bool = False) -> Iterator[Path]:
    """``source`` bind-mounted at ``target`` (read-only if asked); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.fail("de mount-tests draaien als root (zoals in CI): mount --bind vraagt root")
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", str(source), str(target)], check=True, capture_output=True)
    try:
        if read_only:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True, capture_output=True)
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def _launch(settings: Settings):
    import socket

    from secretarisbot.ui.app import build_app, launch_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = settings.model_copy(update={"port": port})
    demo = build_app(settings)
    launch_app(demo, settings, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


def _reply(url: str, question: str = MEDE) -> str:
    from gradio_client import Client

    chatbot, *_ = Client(url, verbose=False).predict(question, "Alle vier", api_name="/vraag")
    content = chatbot[1]["content"]
    return "".join(p.get("text", "") for p in content) if isinstance(content, list) else str(content)


def test_a_rebuild_while_the_app_serves_is_picked_up_without_a_false_corrupt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    demo, url = _launch(fake_settings)
    try:
        first = _reply(url)
        assert "[\\[1\\]](?doc=" in first
        served_before = demo.services.index().build_id
        # Two rebuilds: the build the app opened first is pruned by the second.
        build_index(fake_settings, rebuild=True)
        build_index(fake_settings, rebuild=True)
        after = _reply(url)
        assert "beschadigd" not in after and "--rebuild" not in after
        assert after == first  # same corpus, same answer
        now = demo.services.index()
        assert now.build_id == read_pointer(Path(fake_settings.index_dir)) != served_before
        assert demo.services.index_banner() == ""
        html = _reply(url, "Hoe houd ik draagvlak in de raad?")
        assert "[\\[1\\]](?doc=" in html
    finally:
        demo.close()


def test_an_index_folder_that_is_a_mount_point_builds_and_rebuilds(fake_settings: Settings, tmp_path: Path) -> None:
    volume = tmp_path / "volume"
    volume.mkdir()
    with bind_mount(volume, tmp_path / "mnt") as mount_point:
        settings = fake_settings.model_copy(update={"index_dir": mount_point})
        report = build_index(settings)
        assert not report.skipped
        assert len(open_index(settings).dense_search("raad", k=3)) == 3
        assert not build_index(settings, rebuild=True).skipped  # was: OSError Device or resource busy
        assert len(open_index(settings).dense_search("raad", k=3)) == 3
        assert sorted(p.name for p in mount_point.iterdir()) == [".lock", POINTER, BUILDS]


def test_a_read_only_index_serves(fake_settings: Settings, tmp_path: Path) -> None:
    build_index(fake_settings)
    expected = open_index(fake_settings).dense_search("draagvlak bij de gemeenteraad", k=3)
    with bind_mount(Path(fake_settings.index_dir), tmp_path / "ro", read_only=True) as ro:
        with pytest.raises(OSError):
            (ro / "probe").write_text("x")
        settings = fake_settings.model_copy(update={"index_dir": ro})
        index = open_index(settings)
        hits = index.dense_search("draagvlak bij de gemeenteraad", k=3)
        assert [p.id for p, _ in hits] == [p.id for p, _ in expected]
        # Chroma reads a private copy in SECRETARISBOT_HOME; the volume is untouched.
        assert (Path(settings.home) / "index-copies").is_dir()
        from secretarisbot.assistant import Assistant

        answer = Assistant(settings).ask(MEDE)
        assert answer.in_scope and answer.citations


def test_a_read_only_index_without_a_writable_home_names_the_cause_not_a_path(
    fake_settings: Settings, tmp_path: Path
) -> None:
    build_index(fake_settings)
    (tmp_path / "home-src").mkdir()
    with bind_mount(Path(fake_settings.index_dir), tmp_path / "ro", read_only=True) as ro, bind_mount(
        tmp_path / "home-src", tmp_path / "home-ro", read_only=True
    ) as home:
        settings = fake_settings.model_copy(update={"index_dir": ro, "home": home})
        with pytest.raises(IndexUnreadableError) as err:
            open_index(settings).dense_search("raad", k=2)
    message = str(err.value)
    assert "alleen-lezen" in message and "beschadigd" not in message and "SECRETARISBOT_HOME" in message
    assert str(tmp_path) not in message and "/" not in message.replace("lees- en", "")


@pytest.mark.parametrize("damage", ["missing", "pointer-garbage", "build-gone", "passages"])
def test_index_messages_name_no_absolute_server_path(fake_settings: Settings, damage: str) -> None:
    root = Path(fake_settings.index_dir)
    if damage != "missing":
        build_index(fake_settings)
        build = root / BUILDS / read_pointer(root)
        if damage == "pointer-garbage":
            (root / POINTER).write_text("../../etc\n")
        elif damage == "build-gone":
            import shutil

            shutil.rmtree(build)
        else:
            (build / "passages.jsonl").write_text("[]")
    with pytest.raises(SecretarisbotError) as err:
        open_index(fake_settings)
    message = str(err.value)
    assert "secretarisbot index" in message
    assert str(root.parent) not in message and "map 'index'" in message
    if damage == "missing":
        assert isinstance(err.value, IndexMissingError)
