"""Every normalisation rule, checked on real excerpts of the five texts."""

from __future__ import annotations

import re

import pytest

from secretarisbot.corpus.normalize import (
    CORRECTIONS,
    apply_corrections,
    clean_inline,
    ends_with_broken_word,
    is_terminal,
    join_lines,
    strip_markup,
)



def flat(text: str) -> str:
    """Collapse whitespace, to compare sentences regardless of line layout."""
    return " ".join(text.split())


def _word(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


class TestCorrectionTable:
    """Each entry is evidence-based: the slip is in the source, and only the fix is in the output."""

    ENTRIES = [(doc, wrong, right) for doc, table in CORRECTIONS.items() for wrong, right in table]

    @pytest.mark.parametrize(("doc", "wrong", "right"), ENTRIES, ids=[f"{d}:{w}" for d, w, _ in ENTRIES])
    def test_entry_found_in_source_and_fixed(self, raw, norm, doc, wrong, right):
        assert _word(wrong).search(raw[doc]), f"{wrong!r} does not occur in {doc}: drop the entry"
        assert not _word(wrong).search(norm[doc])
        assert right in norm[doc]

    def test_whole_words_only(self):
        # "inv" → "in" must not touch "invoeren"; "aly" must not touch "analyse".
        assert apply_corrections("het invoeren van een analyse", "001") == "het invoeren van een analyse"
        assert apply_corrections("Samerwerking inv 2016", "001") == "Samenwerking in 2016"

    def test_table_is_per_document(self):
        # "vaw" is a 001 OCR slip; other documents are left alone.
        assert apply_corrections("vorm vaw een", "001") == "vorm van een"
        assert apply_corrections("vorm vaw een", "002") == "vorm vaw een"

    @pytest.mark.parametrize(
        ("doc", "sentence"),
        [
            ("000", "vooraf scherp maken welke schaalsprong echt nodig is"),
            ("001", "Integraal werken en inhoudelijke coördinatie"),
            ("001", "op zoek te gaan naar condities voor optimale werking van het concept en barrières"),
            ("001", "Potentiële faalfactoren bij SETA in de vorm van een ambtelijke fusie"),
            ("001", "Condities pro-SETA in de vorm van een ambtelijke fusie"),
            ("001", "Wie krijgen er nu gelijk? Grofweg zijn er vier categorieën deelnemers"),
            ("004", "7. Onthecht en verbind. Zonder draagvlak en vertrouwen"),
        ],
    )
    def test_corrected_sentences(self, norm, doc, sentence):
        assert sentence in flat(norm[doc])


class TestHyphenation:
    def test_join_lower_case_continuation(self):
        assert join_lines("de stoute schoenen aantrok-", "ken: in 2008") == "de stoute schoenen aantrokken: in 2008"

    def test_keep_hyphen_before_capital(self):
        assert join_lines("in het samenwerkingsverband Ommen-", "Hardenberg werd gestart") == (
            "in het samenwerkingsverband Ommen-Hardenberg werd gestart"
        )

    def test_dash_with_space_is_not_a_broken_word(self):
        assert not ends_with_broken_word("samenwerking -")
        assert ends_with_broken_word("BEL Combi-")

    def test_across_blank_line_003(self, raw, norm):
        # Source: "… aantrok-\n\nken: in 2008 besloten Blaricum, Eemnes en Laren …" (003, l. 7-9).
        assert "aantrok-\n\nken" in raw["003"]
        assert "de stoute schoenen aantrokken: in 2008 besloten Blaricum, Eemnes en Laren" in norm["003"]
        assert "te bundelen in de BEL Combinatie." in norm["003"]

    def test_across_line_break_001_keeps_place_names(self, raw, norm):
        assert "Ommen-\nHardenberg" in raw["001"] and "Oostzaan-\nWormerland" in raw["001"]
        assert "samenwerkingsverband Ommen-Hardenberg werd gestart" in norm["001"]
        assert "Oostzaan-Wormerland" in norm["001"]

    def test_no_line_break_hyphens_left(self, norm):
        # A lower-case word directly after "-\n" would be an unjoined break.
        for doc, text in norm.items():
            assert not re.search(r"[a-zà-ÿ]-\n+[a-zà-ÿ]", text), doc


class TestSentenceJoins:
    def test_across_blank_lines_003(self, raw, norm):
        assert "hoogleraar bestuurskunde \n\nArno Korsten" in raw["003"]
        assert "o.l.v. hoogleraar bestuurskunde Arno Korsten, zou het nog zes jaar duren" in norm["003"]

    def test_across_page_break_and_footnote_001(self, raw, norm):
        # "… een ambtelijke fusie ‘kan" | footnote | page break | "werken’ en komen …"
        assert re.search(r"fusie ‘kan\n\n' De aanleiding.*\n\n+werken’", raw["001"], re.S)
        text = norm["001"]
        assert "condities waaronder een ambtelijke fusie ‘kan werken’ en komen praktische barrières aan bod" in text
        # The footnote survives, after the paragraph it interrupted.
        assert text.index("De aanleiding voor deze tekst was een gastcollege") > text.index("‘kan werken’")

    def test_across_footnote_and_link_line_003(self, raw, norm):
        assert "niveau. We hebben \n\n2\t Zie ook:" in raw["003"]
        assert "ambtelijk niveau. We hebben het allemaal druk: organiseer deze informele ontmoetingen" in norm["003"]
        assert "\n\n2 Zie ook: ‘Samenwerking tussen gemeenten; zeven stops naar draagvlak en vertrouwen’, ‘stop 4’, p. 11-12\n\n" in norm["003"]

    def test_wrapped_lines_become_one_paragraph_001(self, norm):
        assert (
            "In het openbaar bestuur bestaan veel menukaarten, zoals taakoverdracht naar de EU, "
            "departementale herindeling, provincies opheffen, verzelfstandiging." in norm["001"]
        )

    def test_colon_then_lower_case_continues_003(self, norm):
        assert "Het borgen van de nabijheid is lastiger: de directeur staat ver(der) van de colleges af." in norm["003"]

    def test_paragraphs_stay_apart_000(self, norm):
        # One paragraph a line in the markdown-like texts: each keeps its own paragraph.
        assert "Die eerlijkheid is essentieel" in norm["000"] or "eerlijkheid" in norm["000"]
        para = [p for p in norm["000"].split("\n\n") if p.startswith("Fusies in het lokaal bestuur gaan in golven.")]
        assert len(para) == 1 and "De handreiking is expliciet bedoeld" not in para[0]

    def test_terminal(self):
        assert is_terminal("… de BEL Combinatie.")
        assert is_terminal("“… zonder gezicht”.")
        assert is_terminal("De drie fasen zijn:")
        assert not is_terminal("hoogleraar bestuurskunde")


class TestLists:
    def test_wrapped_bullet_continues_across_blank_line_003(self, raw, norm):
        assert "Standaardisatie (efficiency) vs. \n\nmaatwerk (autonomie);" in raw["003"]
        assert "\n- Standaardisatie (efficiency) vs. maatwerk (autonomie);\n" in norm["003"]

    def test_lost_bullets_restored_001(self, raw, norm):
        # Only the first entry kept its "o" bullet in the OCR; the ";" entries are a list too.
        assert "o de eis van integriteit van bestuur, openheid en openbaarheid;\n\nresponsiviteit" in raw["001"]
        assert (
            "\n- de eis van integriteit van bestuur, openheid en openbaarheid;"
            "\n- responsiviteit van bestuur, dus oog hebben voor wat leeft in de bevolking;"
            "\n- doelgerichtheid van beleid;\n"
        ) in norm["001"]
        assert "\n- legitimiteit van het bestuur (diffuse legitimiteit) en beleid (specifieke legitimiteit);\n- doelmatigheid;\n" in norm["001"]

    def test_letter_items_003(self, norm):
        assert "\n- Een vaste verdeelsleutel, bijvoorbeeld gebaseerd op de omvang" in norm["003"]

    def test_markdown_hard_break_after_item_term_004(self, raw, norm):
        assert "\n1. De gemeenteraad  \nDe gemeenteraad bepaalt de kaders" in raw["004"]
        assert "\n1. De gemeenteraad: De gemeenteraad bepaalt de kaders en de randvoorwaarden:" in norm["004"]
        assert "\n5. Professionals en managers: De professionals en hun managers zijn nodig" in norm["004"]

    def test_numbered_items_004(self, norm):
        assert "\n1. Formuleer een gemeenschappelijke ambitie, het verbindend verhaal" in norm["004"]
        assert "\n  - Doen we het goede?\n" in norm["004"]


class TestMarkup:
    def test_html_tags_removed_everywhere(self, norm):
        for doc, text in norm.items():
            assert not re.search(r"</?(ul|li|p|b)\b", text), doc

    def test_bullets_of_html_cells_survive_as_items(self, raw, norm):
        assert "<ul style=\"list-style-type: none\"> • Initiatief nemen voor 'strategenoverleg'" in raw["000"]
        assert "\n- Initiatief nemen voor 'strategenoverleg' tussen beoogde fusiepartners" in norm["000"]
        assert "\n- Alternatief: met buurgemeente alvast gedeelde knelpunten op bedrijfsvoering" in norm["000"]

    def test_toc_b_tags_004(self, raw, norm):
        assert "<b>1. Gemeenschappelijke ambitie</b>" in raw["004"]
        assert "1. Gemeenschappelijke ambitie" in norm["004"]

    def test_markdown_emphasis_and_links(self, norm):
        for doc, text in norm.items():
            assert "**" not in text, doc
            assert "](" not in text, doc
        assert strip_markup("[www.vng.nl](http://www.vng.nl)") == "www.vng.nl"
        assert clean_inline("## **22** Aanjager van organisatieontwikkeling") == "## 22 Aanjager van organisatieontwikkeling"

    def test_emphasis_across_lines_002(self, raw, norm):
        assert "*Secretaris-generaal ministerie van Binnenlandse Zaken  \nen Koninkrijksrelaties*" in raw["002"]
        assert "Secretaris-generaal ministerie van Binnenlandse Zaken en Koninkrijksrelaties\n" in norm["002"]

    def test_no_tabs_or_double_spaces(self, norm):
        for doc, text in norm.items():
            assert "\t" not in text, doc
            assert not re.search(r"\S  +\S", text), doc
            assert "\n\n\n" not in text, doc


class TestDropped:
    def test_toc_and_duplicate_cover_000(self, raw, norm):
        assert raw["000"].count("Een handreiking voor gemeentesecretarissen") == 2
        assert "Een handreiking voor gemeentesecretarissen" not in norm["000"]
        assert "Inhoudsopgave" not in norm["000"]
        assert norm["000"].startswith("Voorwoord VGS\n\n")

    def test_toc_dot_leaders_gone(self, raw, norm):
        assert "Introductie .....\t6" in raw["002"]
        for doc, text in norm.items():
            assert not re.search(r"\.{4,}\s*\d", text), doc

    def test_adverts_at_the_end(self, raw, norm):
        assert "‘WIJ ZIJN BERENSCHOT" in raw["000"] and "‘WIJ ZIJN BERENSCHOT" not in norm["000"]
        assert "Berenschot Groep B.V." not in norm["000"]
        assert "# Over bureau KokxDeVoogd" in raw["002"]
        assert "Over bureau KokxDeVoogd" not in norm["002"]
        assert "Ontdek de staat van morgen" not in norm["002"]

    def test_colophon_and_toc_004(self, norm):
        assert norm["004"].startswith("Inleiding\n\n")
        assert "Gerard Terborgstraat" not in norm["004"]

    def test_running_footer_003(self, raw, norm):
        assert "\n12 Landelijk Kennisplatform Ambtelijke Fusie\n" in raw["003"]
        assert "Landelijk Kennisplatform Ambtelijke Fusie\n" not in norm["003"]

    def test_link_targets_printed_as_text(self, raw, norm):
        assert "\nhttp://Samenwerking tussen gemeenten;" in raw["003"]
        assert "https://nl.wikipedia.org/wiki/Liesveld_(gemeente)" in raw["001"]
        for doc, text in norm.items():
            assert "http" not in text, doc

    def test_figure_debris_001(self, raw, norm):
        for debris in ("Concerncontroller", "cemesnTEN", "Alphen‘Cha‘am", "SOCIAL MEDIA", "Voltallige colleges"):
            assert debris in raw["001"]
            assert debris not in norm["001"], debris

    def test_figure_captions_000(self, raw, norm):
        assert "Figuur 1a. **Spanningsveld 1**" in raw["000"]
        assert "Figuur 1a" not in norm["000"]
