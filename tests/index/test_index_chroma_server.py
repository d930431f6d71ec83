"""SECRETARISBOT_CHROMA_URL: index into a real `chroma run` server and answer from it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretarisbot.errors import IndexMismatchError, SecretarisbotError
from secretarisbot.index.build import build_index, embedding_text
from secretarisbot.index.chroma import ChromaUnavailableError
from secretarisbot.index.swap import current_root
from secretarisbot.index.store import open_index
from secretarisbot.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chroma_cli() -> str:
    found = Path(sys.executable).with_name("chroma")
    return str(found) if found.exists() else (shutil.which("chroma") or "chroma")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = open(tmp_path / "chroma.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [chroma_cli(), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "chroma.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def server_collections(url: str) -> list[str]:
    import chromadb

    host, port = url.removeprefix("http://").split(":")
    return sorted(c.name for c in chromadb.HttpClient(host=host, port=int(port)).list_collections())


def test_index_into_a_chroma_server_and_answer_from_it(
    fake_settings: Settings, chroma_server: str, tmp_path: Path
) -> None:
    settings = fake_settings.model_copy(update={"chroma_url": chroma_server})
    report = build_index(settings)
    assert not report.skipped and report.embedded == report.passages

    index = open_index(settings)
    assert index.manifest.store.kind == "http"
    assert server_collections(chroma_server) == [index.manifest.store.collection]
    assert not any(current_root(Path(settings.index_dir))[0].glob("chroma-*"))  # vectors live on the server only
    target = index.passages[len(index.passages) // 2]
    hits = index.dense_search(embedding_text(target), k=3)
    assert hits[0][0] == target and hits[0][1] == pytest.approx(1.0, abs=1e-3)

    assert build_index(settings).skipped

    # A second app machine: its own local passages, the server's vectors; nothing re-embedded.
    replica = settings.model_copy(update={"index_dir": tmp_path / "replica-index", "cache_dir": tmp_path / "c2"})
    second = build_index(replica)
    assert second.embedded == 0 and second.reused == second.passages
    assert server_collections(chroma_server) == [index.manifest.store.collection]
    assert open_index(replica).dense_search(embedding_text(target), k=1)[0][0] == target

    # The same index without the URL does not silently use something else.
    with pytest.raises(IndexMismatchError, match="SECRETARISBOT_CHROMA_URL"):
        open_index(fake_settings)

    # --rebuild refills the collection from the cache.
    again = build_index(settings, rebuild=True)
    assert again.embedded == 0 and again.reused == again.passages
    assert server_collections(chroma_server) == [index.manifest.store.collection]
    assert open_index(settings).dense_search(embedding_text(target), k=1)[0][0] == target


def test_unreachable_server_is_a_clear_message(fake_settings: Settings, chroma_server: str) -> None:
    settings = fake_settings.model_copy(update={"chroma_url": chroma_server})
    build_index(settings)
    down = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    index = open_index(down)  # opening reads local files only
    with pytest.raises(ChromaUnavailableError, match="niet bereikbaar") as err:
        index.dense_search("raad", k=2)
    assert isinstance(err.value, SecretarisbotError)
    with pytest.raises(ChromaUnavailableError):
        build_index(down, rebuild=True)
