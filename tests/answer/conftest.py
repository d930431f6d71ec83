"""Fixtures for answer tests: the real corpus as citable Sources and a trivial stand-in retrieval.

The stand-in (word overlap, nothing more) exists only so composition can be tested without an
index; the product uses secretarisbot.retrieve.HybridRetriever.
"""

from __future__ import annotations

import pytest

from secretarisbot.answer.citations import Sources
from secretarisbot.model import Context, Message
from secretarisbot.settings import Settings

from answer_standins import standin_context


@pytest.fixture(scope="session")
def corpus_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def sources(corpus_settings: Settings) -> Sources:
    return Sources.from_corpus(corpus_settings)


@pytest.fixture(scope="session")
def normalized(sources: Sources, corpus_settings: Settings) -> dict[str, str]:
    from secretarisbot.corpus import normalize_document

    return {d.id: normalize_document(d, corpus_settings) for d in sources.documents}


@pytest.fixture
def context_for(sources: Sources):
    def make(question: str, history: list[Message] | None = None) -> Context:
        return standin_context(question, sources, history)

    return make
