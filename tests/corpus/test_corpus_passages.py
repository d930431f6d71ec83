"""Chunk invariants over the full corpus, and the passage metadata the other components rely on."""

from __future__ import annotations

import bisect
import collections
import re
import statistics

import pytest

from secretarisbot.corpus import load_passages, normalize_document, write_normalized
from secretarisbot.corpus.chunk import HARD_MAX, TARGET_MAX, TARGET_MIN, split_long
from secretarisbot.model import BIJLAGE_FASES, FUSIEVORMEN, KINDS, ROLES, SPANNINGSVELDEN, Passage
from secretarisbot.settings import Settings


class TestInvariants:
    def test_offsets_map_back_exactly(self, passages, norm):
        for p in passages:
            assert norm[p.document][p.start : p.end] == p.text, p.id

    def test_sizes(self, passages):
        sizes = [len(p.text) for p in passages]
        assert max(sizes) <= HARD_MAX
        assert TARGET_MIN <= statistics.median(sizes) <= TARGET_MAX
        # "Roughly 300–1200": short passages only where a section is short.
        in_range = sum(TARGET_MIN <= s <= TARGET_MAX for s in sizes)
        assert in_range / len(sizes) >= 0.85
        assert min(sizes) >= 100

    def test_passages_are_trimmed_and_ordered(self, passages):
        last: dict[str, int] = {}
        for p in passages:
            assert p.text == p.text.strip()
            assert p.start >= last.get(p.document, 0), p.id
            last[p.document] = p.end

    def test_no_passage_crosses_a_section(self, passages, parsed):
        starts = {doc: [b.start for b in pd.blocks if b.type == "heading"] for doc, pd in parsed.items()}
        for p in passages:
            heads = starts[p.document]
            inside = heads[bisect.bisect_right(heads, p.start) : bisect.bisect_left(heads, p.end)]
            assert not inside, (p.id, p.section)

    def test_one_section_kind_and_metadata_per_passage(self, passages, parsed):
        # Headings are not the only boundaries: the end of a case vignette closes its section too.
        for p in passages:
            inside = [b for b in parsed[p.document].blocks if b.end > p.start and b.start < p.end]
            assert {b.section for b in inside} == {p.section}, p.id
            body = [b for b in inside if b.type != "heading"]
            assert {b.kind for b in body} == {p.kind}, p.id

    def test_ids_stable_and_unique(self, passages):
        ids = [p.id for p in passages]
        assert len(set(ids)) == len(ids)
        for p in passages:
            assert p.id == Passage.make_id(p.document, p.section, p.text)
            assert p.id.startswith(f"{p.document}-")

    def test_same_passages_every_time(self, passages, corpus_settings):
        again = load_passages(corpus_settings)
        assert [p.model_dump() for p in again] == [p.model_dump() for p in passages]

    def test_metadata_present(self, passages, documents):
        for p in passages:
            assert p.title == documents[p.document].title
            assert p.section, p.id
            assert p.kind in KINDS

    def test_every_document_contributes(self, passages, documents):
        counts = collections.Counter(p.document for p in passages)
        assert set(counts) == set(documents)
        assert all(n >= 30 for n in counts.values()), counts


class TestKinds:
    def test_facets_all_hundred(self, passages):
        facets = [p for p in passages if p.kind == "facet"]
        assert {p.facet for p in facets} == set(range(1, 101))
        for p in facets:
            assert p.document == "002" and p.facet_title
            assert p.section.endswith(f"{p.facet} {p.facet_title}")
        first = {}
        for p in facets:
            first.setdefault(p.facet, p)
        assert first[22].text.startswith("22 Aanjager van organisatieontwikkeling\n\n")
        assert first[100].facet_title == "Laat deze Wegwijzer je niet weerhouden!"

    def test_interventions(self, passages):
        rows = [p for p in passages if p.kind == "intervention"]
        assert len(rows) >= 33
        for p in rows:
            assert p.document == "000"
            assert p.spanningsveld in SPANNINGSVELDEN.values()
            assert p.fase in BIJLAGE_FASES
            assert p.fusievorm in FUSIEVORMEN
            assert p.text.startswith("Spanningsveld: ")
        assert {p.fase for p in rows} == set(BIJLAGE_FASES)
        assert {p.spanningsveld for p in rows} == set(SPANNINGSVELDEN.values())

    def test_intervention_example(self, passages):
        row = next(p for p in passages if "Voorkom wij-zij-denken tussen organisaties" in p.text)
        assert (row.kind, row.spanningsveld, row.fase, row.fusievorm) == (
            "intervention", SPANNINGSVELDEN["3"], "Verkenningfase", "herindeling",
        )

    def test_spanningsveld_sections_000(self, passages):
        # §1.2.1-1.2.3 describe spanningsveld 1-3 (model.SPANNINGSVELDEN is keyed the same way).
        for number in ("1", "2", "3"):
            inside = [p for p in passages if f"› 1.2.{number} Spanningsveld {number}" in p.section]
            assert inside and {p.spanningsveld for p in inside} == {SPANNINGSVELDEN[number]}
            assert any(p.kind == "case" for p in inside)
        assert all(p.spanningsveld is None for p in passages if p.document != "000")

    def test_roles(self, passages):
        roles = [p for p in passages if p.kind == "role"]
        assert {p.role for p in roles} == set(ROLES)
        described = {p.role for p in roles if p.section.endswith(f"› {p.role}")}
        assert described == set(ROLES)  # the four role descriptions of §2.3
        table = {p.role for p in roles if "2.3.1 Roltypen" in p.section}
        assert table == set(ROLES)  # and the cells of the §2.3.1 table
        assert all(p.role is None for p in passages if p.kind != "role")

    def test_cases(self, passages):
        cases = [p for p in passages if p.kind == "case"]
        starts = [p for p in cases if p.text.startswith("Uit de praktijk gegrepen")]
        assert len(starts) == 5
        assert any("Jeroen" in p.text for p in cases)
        assert all(p.document == "000" for p in cases)

    def test_myths(self, passages):
        myths = [p for p in passages if p.kind == "myth"]
        assert {re.match(r"Mythe \d", p.section.split(" › ")[-1]).group(0) for p in myths} == {
            f"Mythe {i}" for i in range(1, 6)
        }

    def test_exercises(self, passages):
        exercises = [p for p in passages if p.kind == "exercise"]
        assert len({p.section for p in exercises}) == 7
        assert all("2.5 Zelfinzicht" in p.section for p in exercises)
        assert any(p.text.startswith("Welk pad bewandel je nu?") for p in exercises)

    def test_checklists(self, passages):
        checklists = [p for p in passages if p.kind == "checklist"]
        assert any(p.text.startswith("Wat hoort in het verbindend verhaal thuis?") for p in checklists)
        assert any(p.section.endswith("Factchecking") for p in checklists)

    def test_cover_and_colophon_not_indexed(self, passages):
        for p in passages:
            assert "ISBN" not in p.text and "Colofon" not in p.section


class TestSplitLong:
    def test_cuts_at_sentence_ends(self, norm):
        text = norm["000"]
        para = max((p for p in text.split("\n\n") if "\n" not in p), key=len)
        start = text.index(para)
        pieces = split_long(text, start, start + len(para), limit=400)
        assert len(pieces) >= 2
        for s, e in pieces:
            assert e - s <= 400
        for s, e in pieces[:-1]:
            assert re.search(r"[.!?;:][\"'”’)]*$", text[s:e]), text[s:e][-40:]
        # Nothing lost but the spaces between the pieces.
        assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == para.replace(" ", "")
        assert pieces[0][0] == start and pieces[-1][1] == start + len(para)


class TestWriteNormalized:
    def test_writes_one_file_per_document(self, tmp_path, corpus_settings, documents):
        settings = corpus_settings.model_copy(update={"index_dir": tmp_path / "index"})
        paths = write_normalized(settings)
        assert [p.name for p in paths] == [f"{i}.txt" for i in sorted(documents)]
        for path in paths:
            doc = documents[path.stem]
            assert path.read_text(encoding="utf-8") == normalize_document(doc, settings)
        assert paths[0].parent == settings.normalized_dir

    def test_rewrites_only_on_change(self, tmp_path, corpus_settings):
        settings = corpus_settings.model_copy(update={"index_dir": tmp_path / "index"})
        first = write_normalized(settings)[0]
        first.write_text("stale", encoding="utf-8")
        write_normalized(settings)
        assert first.read_text(encoding="utf-8") != "stale"


def test_public_api_uses_settings_corpus_dir(tmp_path):
    settings = Settings(corpus_dir=tmp_path)
    with pytest.raises(FileNotFoundError):
        load_passages(settings)
