"""Fixtures over the real corpus: raw texts, normalised texts, parsed blocks and passages.

The corpus is parsed once per session (about a second); every test reads the real texts.
"""

from __future__ import annotations

import pytest

from secretarisbot.corpus.api import Parsed, load_documents, parse_document, passages_of
from secretarisbot.model import Document, Passage
from secretarisbot.settings import PROJECT_ROOT, Settings

CORPUS_DIR = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_settings() -> Settings:
    return Settings(corpus_dir=CORPUS_DIR)


@pytest.fixture(scope="session")
def documents(corpus_settings: Settings) -> dict[str, Document]:
    return {d.id: d for d in load_documents(corpus_settings)}


@pytest.fixture(scope="session")
def raw(documents: dict[str, Document]) -> dict[str, str]:
    """The source texts exactly as they are in corpus/."""
    return {i: (CORPUS_DIR / d.file).read_text(encoding="utf-8") for i, d in documents.items()}


@pytest.fixture(scope="session")
def parsed(documents: dict[str, Document], corpus_settings: Settings) -> dict[str, Parsed]:
    return {i: parse_document(d, corpus_settings) for i, d in documents.items()}


@pytest.fixture(scope="session")
def norm(parsed: dict[str, Parsed]) -> dict[str, str]:
    """The normalised text of every document."""
    return {i: p.text for i, p in parsed.items()}


@pytest.fixture(scope="session")
def passages(documents: dict[str, Document], parsed: dict[str, Parsed]) -> list[Passage]:
    out: list[Passage] = []
    for i, doc in documents.items():
        out.extend(passages_of(doc, parsed[i]))
    return out

