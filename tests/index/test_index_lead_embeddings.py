"""SECRETARISBOT_EMBED_MAX_CHARS: embed only the first N characters of each passage."""

from __future__ import annotations

import pytest

from secretarisbot.errors import IndexMismatchError
from secretarisbot.index.build import build_index, embedding_text
from secretarisbot.index.embeddings import FakeEmbeddings, LeadEmbeddings, cut_text, make_embeddings
from secretarisbot.index.store import open_index
from secretarisbot.settings import Settings

LONG = "De gemeenteraad moet de herindeling steunen; zonder draagvlak in de raad lukt het niet. " * 5


def test_cut_text_cuts_at_a_word_boundary() -> None:
    assert cut_text("de raad en het college", 12) == "de raad en"
    assert cut_text("de raad", 12) == "de raad"
    assert cut_text("x" * 30, 10) == "x" * 10  # no space near: a hard cut
    assert len(cut_text(LONG, 100)) <= 100


def test_settings_wrap_the_backend_and_name_the_cut() -> None:
    emb = make_embeddings(Settings(embedder="fake", embed_max_chars=100))
    assert isinstance(emb, LeadEmbeddings)
    assert emb.embedder_id == "fake:64|lead=100" and emb.dimension == 64
    assert not isinstance(make_embeddings(Settings(embedder="fake")), LeadEmbeddings)


def test_passages_are_cut_queries_are_not() -> None:
    inner = FakeEmbeddings()
    emb = LeadEmbeddings(inner, 100)
    assert emb.embed_documents([LONG]) == inner.embed_documents([cut_text(LONG, 100)])
    assert emb.embed_documents([LONG]) != inner.embed_documents([LONG])
    assert emb.embed_query(LONG) == inner.embed_query(LONG)


def test_an_index_built_with_another_cut_asks_for_a_rebuild(fake_settings: Settings) -> None:
    cut = fake_settings.model_copy(update={"embed_max_chars": 200})
    report = build_index(cut)
    assert report.embedded > 0
    index = open_index(cut)
    cuts = [cut_text(embedding_text(p), 200) for p in index.passages]
    # A long passage whose first 200 characters no other passage shares (a long section path can).
    passage, head = next(
        (p, c) for p, c in zip(index.passages, cuts, strict=True) if len(p.text) > 400 and cuts.count(c) == 1
    )
    # The stored vector is the one of the cut text.
    hits = index.dense_search(head, k=1)
    assert hits[0][0].id == passage.id and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert index.dense_search(embedding_text(passage), k=1)[0][1] < 0.999
    index.close()
    with pytest.raises(IndexMismatchError, match="secretarisbot index"):
        open_index(fake_settings)
