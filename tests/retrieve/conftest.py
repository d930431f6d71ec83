"""Fixtures for retrieval tests: the real corpus passages behind a small in-memory fake index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from secretarisbot.index.embeddings import FakeEmbeddings
from secretarisbot.model import Passage
from secretarisbot.settings import Settings


def _matches(meta: dict[str, Any], where: dict[str, Any] | None) -> bool:
    """The subset of Chroma's ``where`` language the retriever emits ($and, $in, equality)."""
    if not where:
        return True
    if "$and" in where:
        return all(_matches(meta, clause) for clause in where["$and"])
    ((key, cond),) = where.items()
    if isinstance(cond, dict):
        ((op, value),) = cond.items()
        assert op == "$in", op
        return meta.get(key) in value
    return meta.get(key) == cond


class FakeIndex:
    """Quacks like ``secretarisbot.index.store.Index`` for retrieval: passages + dense_search."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.embeddings = FakeEmbeddings(64)
        self.vectors = np.array(self.embeddings.embed_documents([p.text for p in passages]))
        self.wheres: list[dict[str, Any] | None] = []

    def dense_search(self, query: str, k: int = 10, where: dict[str, Any] | None = None):
        self.wheres.append(where)
        sims = self.vectors @ np.array(self.embeddings.embed_query(query))
        order = np.argsort(-sims, kind="stable")
        out = []
        for i in order:
            p = self.passages[i]
            if _matches(p.model_dump(), where):
                out.append((p, float(sims[i])))
            if len(out) == k:
                break
        return out


@pytest.fixture(scope="session")
def corpus_passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    """Every passage of the real corpus, as the corpus package chunks it."""
    from secretarisbot.corpus import load_passages

    return load_passages(Settings(home=Path(tmp_path_factory.mktemp("home"))))


@pytest.fixture(scope="session")
def fake_index(corpus_passages: list[Passage]) -> FakeIndex:
    return FakeIndex(corpus_passages)


@pytest.fixture(scope="module")
def real_retriever(real_index, real_settings):
    """The hybrid retriever over the real index (its fits shipped, cached or made once)."""
    from secretarisbot.retrieve.retriever import HybridRetriever

    return HybridRetriever(real_index, real_settings)
