"""``kill -9`` during a build: the previous index keeps serving, the next build cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from secretarisbot.index.build import EMBED_BATCH, build_index
from secretarisbot.index.store import open_index
from secretarisbot.settings import Settings

# Each script rebuilds the index with the fake embedder, prints a marker at a chosen moment of
# the build and then sleeps, so the test can kill it right there.
PRELUDE = """
import os, sys, time
from secretarisbot.index import build, swap
from secretarisbot.index.embeddings import FakeEmbeddings
from secretarisbot.settings import Settings

def pause(marker):
    print(marker, flush=True)
    time.sleep(120)
"""

WHILE_EMBEDDING = """
original = FakeEmbeddings.embed_documents
calls = []
def slow(self, texts):
    calls.append(len(texts))
    if len(calls) == 2:  # the first batch is in the embedding cache by now
        pause("EMBEDDING")
    return original(self, texts)
FakeEmbeddings.embed_documents = slow
"""

BEFORE_SWAP = """
def swap_in(*args):
    pause("SWAP")
build.swap_in = swap_in
"""

# The finished build has its final name, but CURRENT still names the previous one.
BEFORE_POINTER = """
def write_pointer(*args):
    pause("HALF")
swap._write_pointer = write_pointer
"""

RUN = """
build.build_index(Settings(), rebuild=True)
print("FINISHED", flush=True)
"""


def run_and_kill(settings: Settings, patch: str, marker: str) -> None:
    env = dict(os.environ)
    env.update(
        SECRETARISBOT_CORPUS_DIR=str(settings.corpus_dir),
        SECRETARISBOT_INDEX_DIR=str(settings.index_dir),
        SECRETARISBOT_HOME=str(settings.home),
        # An empty cache, so the killed build has to embed.
        SECRETARISBOT_CACHE_DIR=str(Path(settings.home) / "other-cache"),
        SECRETARISBOT_EMBEDDER="fake",
    )
    script = textwrap.dedent(PRELUDE) + textwrap.dedent(patch) + textwrap.dedent(RUN)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        line = proc.stdout.readline().strip()
        assert line == marker, proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def leftovers(settings: Settings) -> list[str]:
    """Work of unfinished builds (builds/.tmp-*)."""
    from secretarisbot.index.swap import BUILDS

    folder = Path(settings.index_dir) / BUILDS
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-")) if folder.is_dir() else []


def published(settings: Settings) -> list[str]:
    from secretarisbot.index.swap import BUILDS

    folder = Path(settings.index_dir) / BUILDS
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("patch", "marker"),
    [(WHILE_EMBEDDING, "EMBEDDING"), (BEFORE_SWAP, "SWAP"), (BEFORE_POINTER, "HALF")],
    ids=["while-embedding", "before-swap", "before-pointer"],
)
def test_killed_build_leaves_the_previous_index_serving(
    fake_settings: Settings, patch: str, marker: str
) -> None:
    build_index(fake_settings)
    before = open_index(fake_settings)
    expected = before.dense_search("draagvlak bij de gemeenteraad", k=3)
    built_at = before.manifest.built_at
    before.close()

    run_and_kill(fake_settings, patch, marker)
    # The killed build left its work in the index folder: unfinished, or finished but not served.
    assert leftovers(fake_settings) or len(published(fake_settings)) == 2

    index = open_index(fake_settings)
    assert index.manifest.built_at == built_at
    assert index.dense_search("draagvlak bij de gemeenteraad", k=3) == expected
    del index  # an open index holds its build: no build prunes it

    # The next build cleans up and works as usual.
    report = build_index(fake_settings, rebuild=True)
    assert not report.skipped
    assert leftovers(fake_settings) == []
    assert len(published(fake_settings)) <= 2
    assert len(open_index(fake_settings).dense_search("raad", k=3)) == 3


def test_killed_first_build_leaves_no_index(fake_settings: Settings) -> None:
    run_and_kill(fake_settings, WHILE_EMBEDDING, "EMBEDDING")
    from secretarisbot.errors import IndexMissingError

    with pytest.raises(IndexMissingError):
        open_index(fake_settings)
    assert not build_index(fake_settings).skipped
    assert leftovers(fake_settings) == []


def test_vectors_embedded_before_the_kill_are_reused(fake_settings: Settings) -> None:
    run_and_kill(fake_settings, WHILE_EMBEDDING, "EMBEDDING")
    settings = fake_settings.model_copy(update={"cache_dir": Path(fake_settings.home) / "other-cache"})
    report = build_index(settings)
    # The killed build stored its first batch in the cache before it was killed.
    assert report.reused == EMBED_BATCH
    assert report.embedded + report.reused == report.passages
