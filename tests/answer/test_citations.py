"""Citations: verbatim sentence splitting, numbering in order of first use, bounds-checked validation."""

from __future__ import annotations

import pytest

from secretarisbot.answer.citations import (
    CitationRegistry,
    Sources,
    cited_numbers,
    renumber,
    sentence_spans,
    sentences,
    validate,
)


class TestSentences:
    def test_spans_are_verbatim_substrings(self, sources: Sources) -> None:
        for p in sources.passages[:200]:
            for s, e in sentence_spans(p.text):
                piece = p.text[s:e]
                assert piece == piece.strip()
                assert piece in p.text

    def test_bullets_and_table_items_are_separate_sentences(self) -> None:
        # Real §2.3.1 cell (Politicus – Handelingsperspectief) and a Bijlage I row.
        cell = (
            "Wacht niet tot bestuurlijke druk of incidenten escaleren, maar agendeer tijdig de vraag: "
            "lossen we onze knelpunten nog zelfstandig op? Initiatief voor gesprek met gemeentesecretarissen "
            "in de regio; Adviseer het college op basis van een analyse van wat een schaalsprong vraagt"
        )
        got = sentences(cell)
        assert got[0].endswith("nog zelfstandig op?")
        assert got[1] == "Initiatief voor gesprek met gemeentesecretarissen in de regio;"
        assert got[2].startswith("Adviseer het college")
        row = "Voorbeeldinterventie door een gemeentesecretaris:\n- Egalisatiereserve inzetten om bestuurlijke escalatie te voorkomen."
        assert sentences(row)[-1] == "Egalisatiereserve inzetten om bestuurlijke escalatie te voorkomen."

    def test_html_table_markup_ends_sentences(self) -> None:
        text = '<ul style="list-style-type: none"> • Cultuurinterventies zoals theatersessies en gezamenlijk rondreizen langs kernen.</ul>'
        assert sentences(text) == ["Cultuurinterventies zoals theatersessies en gezamenlijk rondreizen langs kernen."]


class TestRegistry:
    def test_numbers_follow_first_use_and_repeat(self, sources: Sources) -> None:
        a, b = sources.passages[10], sources.passages[20]
        reg = CitationRegistry()
        assert reg.cite(b) == 1
        assert reg.cite(a) == 2
        assert reg.cite(b) == 1
        cits = reg.citations()
        assert [c.n for c in cits] == [1, 2]
        assert cits[0].passage_id == b.id and cits[0].text == b.text


class TestValidate:
    @pytest.fixture
    def cits(self, sources: Sources):
        reg = CitationRegistry()
        for p in sources.passages[:3]:
            reg.cite(p)
        return reg.citations()

    def test_bounds(self, cits) -> None:
        assert validate("Zo staat het er [1] en [3].", cits) == []
        assert validate("Nul [0] en te ver [4].", cits) == [0, 4]
        assert cited_numbers("a [2, 3] b [1]") == [2, 3, 1]

    def test_renumber_drops_unknown_and_closes_gaps(self, cits) -> None:
        text, new = renumber("Eerst [3], dan [7] en [1].", cits)
        assert text == "Eerst [1], dan en [2]."
        assert [c.n for c in new] == [1, 2]
        assert new[0].passage_id == cits[2].passage_id
        assert validate(text, new) == []


# --- regressions from the answer-quality review ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # label sentences and list items of the real corpus (Handreiking §2.4.1, SETA)
        "(Zelfbenoemde) directeuren, mededirecteuren en gemeentesecretarissen in de regio.",
        "Werkorganisatie Duivenvoorde: Voorschoten, Wassenaar;",
        "Werkorganisatie Noaberkracht: Dinkelland, Tubbergen;",
    ],
)
def test_labels_and_list_items_have_no_verb(text: str, sources: Sources) -> None:
    from secretarisbot.answer.citations import has_verb

    assert sources.containing(text) is not None  # a real excerpt
    assert not has_verb(text)


@pytest.mark.parametrize(
    "text",
    [
        "Onmin in het directieteam straalt af op de gehele organisatie en moet daarom snel worden aangepakt.",
        "Kortom: de ambtelijke fusieorganisatie moet ‘van, voor en door’ de betrokken gemeenten blijven.",
        "Neem de bestuurstaak voor het SSC serieus.",
    ],
)
def test_real_sentences_have_a_verb(text: str, sources: Sources) -> None:
    from secretarisbot.answer.citations import has_verb

    assert sources.containing(text) is not None
    assert has_verb(text)


def test_table_residue_with_document_codes_is_a_fragment(sources: Sources) -> None:
    from secretarisbot.answer.citations import is_fragment

    p = sources.containing("ambtelijke organisatie 231015 het politiek bestuur")
    assert p is not None
    junk = [s for s in sentences(p.text) if "231015" in s]
    assert junk and all(is_fragment(s) for s in junk)


def test_a_column_rule_is_debris_and_a_caption_or_cells_start_a_table() -> None:
    from secretarisbot.answer.citations import is_fragment, table_start

    assert is_fragment("Deze uitspraak is juist hoewel het begrip van bestuurskracht 2013:59 | worden.")
    text = "Een zin in lopende tekst.\nFiguur 3: Wat is waar?\nUitspraak Waar"
    assert table_start(text) == text.index("Figuur")
    assert table_start("Proza.\nPolitiek bestuur stuurt aan | + ++ + programma's") == len("Proza.\n")
    assert table_start("Een plus-minus-afweging is geen tabel, en 2+2 ook niet.") is None
    prose = "Samenwerking is succesvol als de wil er is. "
    assert table_start(prose + "Figuur 3: Grove aanduiding Menu 1 Menu 2") == len(prose)  # the prose stays
