"""The baselines over the raw corpus: naive chunking, plain BM25, naive dense (fake embedder)."""

from __future__ import annotations

from pathlib import Path

from secretarisbot.evals.baselines import CHUNK_SIZE, NaiveDense, PlainBM25, baseline_query, naive_chunks
from secretarisbot.evals.metrics import contains, match_key
from secretarisbot.settings import Settings


def test_naive_chunks_cover_every_document_in_raw_form(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    chunks = naive_chunks(settings)
    assert {c.document for c in chunks} == {"000", "001", "002", "003", "004"}
    assert max(len(c.text) for c in chunks) <= CHUNK_SIZE
    raw = (settings.corpus_dir / "000-handreiking-samenvoegen-of-samenwerken.txt").read_text(encoding="utf-8")
    first = next(c for c in chunks if c.document == "000" and c.start > 0)
    assert raw[first.start : first.start + len(first.text)] == first.text  # raw, not normalised


def test_plain_bm25_finds_a_literal_line(tmp_path: Path) -> None:
    chunks = naive_chunks(Settings(home=tmp_path))
    hits = PlainBM25(chunks).search("Elk college denkt er het zijne over", k=3)
    assert hits[0].rank == 1 and contains(match_key(hits[0].text), "Elk college denkt er het zijne over")
    assert PlainBM25(chunks).search("???", k=3) == []


def test_naive_dense_ranks_with_the_settings_embedder(tmp_path: Path) -> None:
    settings = Settings(embedder="fake", home=tmp_path)
    chunks = [c for c in naive_chunks(settings) if c.document == "004"]
    with NaiveDense(settings, chunks) as naive:
        hits = naive.search("Werk weerstand door: bespreek het en leer ervan", k=4)
        folder = naive._dir
        assert [h.rank for h in hits] == [1, 2, 3, 4]
        assert hits[0].score >= hits[-1].score
        assert all(h.document == "004" for h in hits)
    assert not folder.exists()  # the temporary Chroma folder is removed


def test_baseline_query_joins_the_earlier_question() -> None:
    assert baseline_query("En dan?", "Hoe bereid ik een herindeling voor?") == "Hoe bereid ik een herindeling voor? En dan?"
    assert baseline_query("Wat is GROEI?") == "Wat is GROEI?"
