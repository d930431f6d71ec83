"""The reflection routes quote the guides: every quote is found in the normalised text."""

from __future__ import annotations

import pytest

from secretarisbot.corpus import load_documents, load_passages, normalize_document
from secretarisbot.reflect.exercises import (
    ROUTES,
    find_quote,
    needs_fusion_reflection,
    resolve,
    route_steps,
)


@pytest.fixture(scope="module")
def corpus():
    docs = {d.id: d for d in load_documents()}
    texts = {i: normalize_document(d) for i, d in docs.items()}
    return texts, load_passages()


class TestRoutes:
    def test_spiegel_follows_the_handreiking_order(self):
        ids = [s.id for s in ROUTES["spiegel"].steps]
        assert ids == [
            "rol", "startpunt", "droombeeld", "angstbeeld", "pad", "tussenruimte", "fusieproces",
            "bondgenoten", "tegenmacht",
        ]

    def test_startpunt_quotes_the_guide_question(self):
        step = ROUTES["spiegel"].steps[1]
        assert step.quotes[0].text.startswith("Startpunt. Wat was de laatste keer dat je dacht")

    @pytest.mark.parametrize("route_id", sorted(ROUTES))
    def test_every_quote_is_located_with_offsets_and_a_passage(self, corpus, route_id):
        texts, passages = corpus
        for step in ROUTES[route_id].steps:
            cites = resolve(step, texts.__getitem__, passages)
            assert len(cites) == len(step.quotes), step.id
            for quote, c in zip(step.quotes, cites, strict=True):
                assert c.text == texts[c.document][c.start : c.end]
                # Same words, whatever the normaliser did with dashes, quotes or emphasis.
                assert find_quote(c.text, quote.text) is not None
                assert c.passage_id.startswith(c.document + "-")
                p = next(p for p in passages if p.id == c.passage_id)
                assert p.start < c.end and c.start < p.end


    @pytest.mark.parametrize("route_id", sorted(ROUTES))
    def test_every_quote_ends_where_a_sentence_or_item_ends(self, corpus, route_id):
        # a walk-through of the Spiegel found role cards cut off ("te verbinden aan:" and nothing
        # after it); an introduction that ends on ":" is followed by an item of its list in the step
        texts, passages = corpus
        for step in ROUTES[route_id].steps:
            cites = resolve(step, texts.__getitem__, passages)
            for c, after in zip(cites, [*cites[1:], None], strict=True):
                rest = texts[c.document][c.end :]
                if c.text.rstrip().endswith(":"):
                    assert after is not None and after.document == c.document, (step.id, c.text[-60:])
                    between = rest[: after.start - c.end].splitlines()  # only other items of the list
                    assert all(line.strip().startswith("-") for line in between if line.strip(" -")), step.id
                else:
                    assert c.text.rstrip()[-1:] in ".!?;" or rest[:1] in ("", "\n", ";"), (step.id, c.text[-60:])


class TestFindQuote:
    def test_ignores_emphasis_dashes_and_spacing(self):
        text = "Intro.\n\nStartpunt. Wat was de *laatste* keer dat je dacht —  nu doen we precies wat níét de bedoeling is? Verder."
        start, end = find_quote(text, "Startpunt. Wat was de laatste keer dat je dacht – nu doen we precies wat níét de bedoeling is?")
        assert text[start:end].startswith("Startpunt.")
        assert text[start:end].endswith("bedoeling is?")

    def test_missing_quote_is_none(self):
        assert find_quote("Geen van deze woorden.", "Wie vormt welke tegenmacht?") is None

    def test_a_corrected_word_late_in_a_long_quote_keeps_the_prefix(self):
        text = "Sterk ontwikkeld gevoel voor aspecten van bedrijfsvoering en financiën, inclusief het inzicht in de manier waarop dit meetbaar en stuurbaar is te maken."
        quote = "Sterk ontwikkeld gevoel voor aspecten van bedrijfsvoering en financiën, inclusief het inzicht in de manier waarop dit meetbaar en stuur is te maken"
        start, end = find_quote(text, quote)
        assert start == 0 and text[start:end].endswith("meetbaar en")


class TestConditionalStep:
    def _ids(self, answers):
        return [s.id for s in route_steps("spiegel", answers)]

    def test_shown_when_no_action_for_yourself(self):
        answers = {"tussenruimte": {"structuur_anderen": "Griffier agendeert", "cultuur_anderen": "MT",
                                    "praktijk_anderen": "Teamleiders"}}
        assert needs_fusion_reflection(answers)
        assert "fusieproces" in self._ids(answers)

    def test_shown_when_a_level_has_no_handle(self):
        answers = {"tussenruimte": {"structuur_zelf": "Mandaat vragen", "cultuur_zelf": "Haardvuursessie"}}
        assert "fusieproces" in self._ids(answers)

    def test_hidden_when_every_level_has_an_own_action(self):
        answers = {"tussenruimte": {"structuur_zelf": "Mandaat vragen aan het college",
                                    "cultuur_zelf": "Haardvuursessie organiseren",
                                    "praktijk_zelf": "Wekelijks overleg met de griffier"}}
        ids = self._ids(answers)
        assert "fusieproces" not in ids
        assert ids.index("bondgenoten") == ids.index("tussenruimte") + 1

    def test_unknown_route_names_the_valid_ones(self):
        with pytest.raises(KeyError, match="spiegel"):
            route_steps("onbekend")
