"""Fixtures for the bad-input tests: a full-corpus index with the fake embedder (fast; BM25 carries
retrieval) and the Assistant over it. The real-index variants use ``real_settings``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from secretarisbot.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def fake_full_settings(fake_corpus_settings: Settings) -> Settings:
    """The shared fake-embedder index over the full corpus (tests/conftest.py)."""
    return fake_corpus_settings


@pytest.fixture(scope="session")
def bot(fake_full_settings: Settings):
    from secretarisbot.assistant import Assistant

    return Assistant(fake_full_settings)
