"""Heading recognition in each form the texts use, tables, and the metadata blocks carry."""

from __future__ import annotations

import pytest

from secretarisbot.corpus.profiles import PROFILES, Profile
from secretarisbot.corpus.structure import (
    ROW_SPLIT,
    parse,
    parse_spanningsveld,
    render,
    split_cell,
)
from secretarisbot.model import BIJLAGE_FASES, SPANNINGSVELDEN


def headings(parsed, doc: str) -> list[str]:
    return [b.text for b in parsed[doc].blocks if b.type == "heading"]


def sections(parsed, doc: str) -> set[str]:
    return {b.section for b in parsed[doc].blocks}


class TestHeadingForms:
    def test_markdown_hashes_004(self, parsed):
        assert headings(parsed, "004")[:4] == [
            "Inleiding",
            "Zeven stops naar draagvlak en vertrouwen",
            "1. Gemeenschappelijke ambitie",
            "PUSH",
        ]
        # "## 2. Orde …" is a stop like "# 1. …": numbered stops are all top level.
        assert "2. Orde in proces en structuur › Verbinding tussen alle niveaus" in sections(parsed, "004")

    def test_markdown_levels_repaired_004(self, parsed):
        # The source mixes ### and #### for the same level; the phases stay siblings.
        assert (
            "5. Investeer in de goede (persoonlijke) verhoudingen › Verkenningfase: tussen gemeentesecretarissen"
            " › Cultureel sentiment"
        ) in sections(parsed, "004")
        assert (
            "5. Investeer in de goede (persoonlijke) verhoudingen › Bouwen en uitvoeren: de uitvoering aan zet"
        ) in sections(parsed, "004")

    def test_hoofdstuk_plus_title_line_000(self, parsed):
        assert "Hoofdstuk 2: Omgaan met spanningen" in headings(parsed, "000")
        assert "Bijlage I: Praktisch handelingsperspectief" in headings(parsed, "000")
        assert not any(h.startswith("HOOFDSTUK") for h in headings(parsed, "000"))

    def test_numbered_headings_nest_000(self, parsed):
        assert (
            "Hoofdstuk 1: De gemeentesecretaris in een fusie: reële spanningen"
            " › 1.2 Een ordening voor spanningen en dilemma's uit de praktijk"
            " › 1.2.3 Spanningsveld 3: is en blijft er voldoende draagvlak voor de gekozen fusievorm?"
        ) in sections(parsed, "000")
        # Bold markup inside a numbered heading is gone.
        assert "1.2.1 Spanningsveld 1: past de gekozen fusievorm (nog) wel bij de beloftes die de fusie moet waarmaken?" in headings(parsed, "000")

    def test_groei_letter_tab_headings_003(self, parsed, raw):
        assert " R\t Relatie tussen sleutelfiguren" in raw["003"]
        top = [b.text for b in parsed["003"].blocks if b.type == "heading" and b.level == 1]
        assert top == [
            "G – Gemeenschappelijke ambitie",
            "R – Relatie tussen sleutelfiguren",
            "O – Organiseren in stappen",
            "E – Eigenaarschap voelen",
            "I – Inrichting ambtelijke fusieorganisatie",
        ]
        assert "O – Organiseren in stappen › Hobbels bij ‘organische groei’" in sections(parsed, "003")

    def test_heading_wrapped_over_two_lines_003(self, raw, parsed):
        assert "op basis van visie op \ndienstverlening\n" in raw["003"]
        secs = sections(parsed, "003")
        assert (
            "I – Inrichting ambtelijke fusieorganisatie › Het organisatiemodel: invulling ambtelijke"
            " hoofdstructuur op basis van visie op dienstverlening"
        ) in secs
        assert "I – Inrichting ambtelijke fusieorganisatie › Afwegingen bij inrichting topstructuur" in secs

    def test_letter_tab_list_items_are_not_headings_003(self, parsed):
        assert "- Gemeenschappelijke ambitie formuleren;" in parsed["003"].text

    def test_bold_facet_numbers_002(self, raw, parsed):
        assert "## **22** Aanjager van organisatieontwikkeling" in raw["002"]
        assert "## **13 Relatie met portefeuillehouder PenO**" in raw["002"]
        assert "## 92 **Jouw positie bij een herindeling**" in raw["002"]
        facets = {b.meta["facet"]: b.meta["facet_title"] for b in parsed["002"].blocks if b.type == "heading" and b.kind == "facet"}
        assert facets[22] == "Aanjager van organisatieontwikkeling"
        assert facets[13] == "Relatie met portefeuillehouder PenO"
        assert facets[92] == "Jouw positie bij een herindeling"
        assert facets[36] == "Regionale samenwerking"  # "### 36 Regionale samenwerking\*"

    def test_bold_part_headings_002(self, parsed):
        # "**Andere onderdelen  \nvan het vak**" is one heading although it spans two lines.
        assert "Andere onderdelen van het vak" in headings(parsed, "002")
        assert "Andere onderdelen van het vak › Leider in crisissituaties › 30 Voorbereiding op rampen en crises" in sections(parsed, "002")

    def test_short_lines_as_minor_headings_wrapped_001(self, parsed):
        hs = headings(parsed, "001")
        for h in ("Inleiding", "Vraag", "Indeling", "Groeimodel", "De cruciale faalfactor",
                  "Potentiële faalfactoren bij SETA in de vorm van een ambtelijke fusie"):
            assert h in hs
        # A heading on the first line of a wrapped paragraph does not swallow the text after it.
        text = parsed["001"].text
        assert "\n\nHistorie en toekomst Blaricum, Eemnes en Laren (BEL)\n\nDe bestuurskrachtmeting in 2005" in text

    def test_signature_and_enumeration_are_not_headings_003(self, parsed):
        hs = headings(parsed, "003")
        assert "Jan van Ginkel" not in hs and "Relatie" not in hs

    def test_parse_excerpt_with_generic_rules(self):
        profile = Profile(chapters=True, numbered=True)
        excerpt = (
            "HOOFDSTUK 2\n\nOmgaan met spanningen\n\n"
            "2.1 In positie komen: bewust sturen op passende rolneming?\n\n"
            "Er zijn weinig wettelijke kaders en landelijke of provinciale regelgeving.\n"
        )
        blocks = parse("000", excerpt, profile)
        render(blocks)
        assert [b.type for b in blocks] == ["heading", "heading", "para"]
        assert blocks[-1].section == (
            "Hoofdstuk 2: Omgaan met spanningen › 2.1 In positie komen: bewust sturen op passende rolneming?"
        )


class TestTables:
    @pytest.mark.parametrize(
        ("cell", "expected", "rest"),
        [
            ("Publieke waarde-draagvlak Voorkom (als kartrekker van de fusie) een gebrek aan bestuurlijke visie",
             SPANNINGSVELDEN["2"], "Voorkom (als kartrekker van de fusie) een gebrek aan bestuurlijke visie"),
            ("Organisatie – draagvlak Voorkom wij-zij-denken tussen organisaties (en besturen)",
             SPANNINGSVELDEN["3"], "Voorkom wij-zij-denken tussen organisaties (en besturen)"),
            ("Draagvlak - organisatie Geen nieuwe verschillen laten ontstaan als de organisatie eenmaal staat.",
             SPANNINGSVELDEN["3"], "Geen nieuwe verschillen laten ontstaan als de organisatie eenmaal staat."),
            ("Organisatie – publieke waarde Doel van de samenwerking voorop stellen",
             SPANNINGSVELDEN["1"], "Doel van de samenwerking voorop stellen"),
            ("Werk aan wederzijds begrip", None, "Werk aan wederzijds begrip"),
        ],
    )
    def test_parse_spanningsveld(self, cell, expected, rest):
        assert parse_spanningsveld(cell) == (expected, rest)

    def test_split_cell_keeps_bullets(self):
        cell = ('<ul style="list-style-type: none"> • Cultuurinterventies zoals theatersessies en '
                'gezamenlijk rondreizen langs kernen. • Samenwerkingstrainingen organiseren.</ul>')
        assert split_cell(cell) == ("", ["Cultuurinterventies zoals theatersessies en gezamenlijk rondreizen langs kernen.",
                                         "Samenwerkingstrainingen organiseren."])

    def test_html_p_lead_text(self):
        lead, items = split_cell("<p>Sterk empathisch vermogen; Vaardigheid om motivatie te verbinden aan:</p> "
                                 "<ul style=\"x\"> • ... het bredere maatschappelijke doel.</ul>")
        assert lead == "Sterk empathisch vermogen; Vaardigheid om motivatie te verbinden aan:"
        assert items == ["... het bredere maatschappelijke doel."]

    def test_rows_have_named_cells(self, parsed):
        rows = [b for b in parsed["000"].blocks if b.type == "row" and b.kind == "intervention"]
        assert rows
        for row in rows:
            lines = row.text.split("\n")
            assert lines[0].startswith("Spanningsveld: ")
            assert "Voorbeeldinterventie door een gemeentesecretaris:" in lines

    def test_every_bijlage_row_is_kept(self, raw, parsed):
        bijlage = raw["000"][raw["000"].rindex("\nBIJLAGE I.") :]  # the first one is in the TOC
        rows = [ln for ln in bijlage.splitlines() if "\t" in ln and not ln.startswith("Spanningsveld\t")]
        assert len(rows) == 33
        text = parsed["000"].text
        for line in rows:
            first = line.split("\t")[0].replace("<p>", "").replace("</p>", "")
            opgave = parse_spanningsveld(" ".join(first.split()))[1]
            assert opgave[:60] in text, opgave

    def test_split_row_repeats_header(self, parsed):
        rows = [b for b in parsed["000"].blocks if b.type == "row" and b.kind == "intervention"]
        by_head: dict[str, list] = {}
        for row in rows:
            head = "\n".join(row.text.split("\n")[:3])
            by_head.setdefault(head, []).append(row)
        split = [parts for parts in by_head.values() if len(parts) > 1]
        assert split, "expected at least one intervention row longer than ROW_SPLIT"
        for parts in split:
            assert all(len(p.text) <= ROW_SPLIT + 400 for p in parts)
            assert len({p.meta["spanningsveld"] for p in parts}) == 1

    def test_role_table_is_rendered_per_role(self, parsed):
        text = parsed["000"].text
        for role in ("Politicus", "Veranderkundige", "Goede werkgever", "Bedrijfseconoom"):
            for aspect in ("Handelingsperspectief", "Komt uit de verf", "Competentieprofiel"):
                assert f"\n{role} – {aspect}:\n" in text, (role, aspect)
        # Column by column: all of Politicus before Veranderkundige.
        assert text.index("Politicus – Competentieprofiel:") < text.index("Veranderkundige – Handelingsperspectief:")


class TestBlockMetadata:
    def test_bijlage_phases_and_forms(self, parsed):
        seen = {(b.meta.get("fusievorm"), b.meta.get("fase")) for b in parsed["000"].blocks if b.kind == "intervention"}
        assert seen == {
            ("herindeling", "Verkenningfase"),
            ("herindeling", "Tijdens het fusieproces"),
            ("herindeling", "Na de fusie"),
            ("ambtelijke fusie", "Na de fusie/Als 'draaiend systeem'"),
            ("ambtelijke fusie", "Signaleren van weeffouten"),
            ("ambtelijke fusie", "Herijking/Na de breuk"),
        }
        assert {f for _, f in seen} == set(BIJLAGE_FASES)

    def test_case_ends_where_the_text_resumes_000(self, parsed):
        blocks = parsed["000"].blocks
        resume = next(b for b in blocks if b.text.startswith("Initiatief van de gemeentesecretaris om spanningen"))
        assert resume.kind == "text"
        assert resume.section.endswith("2.4.2 Een kwestie van je rol pakken")
        story = next(b for b in blocks if b.text.startswith("De gemeenten A en B verkennen een bestuurlijke fusie."))
        assert story.kind == "case"

    def test_profiles_cover_every_document(self, documents):
        assert set(PROFILES) == set(documents)
