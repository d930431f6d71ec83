"""Mijn spiegel: answers, resonating role with the words that show why (cited), and actions."""

from __future__ import annotations

from secretarisbot.corpus import load_documents, load_passages, normalize_document
from secretarisbot.model import ROLES
from secretarisbot.reflect.exercises import ROLE_QUOTES, locate, route_steps
from secretarisbot.reflect.mirror import actions, build_mirror, resonance


def _role_citations():
    docs = {d.id: d for d in load_documents()}
    passages = load_passages()
    text_of = lambda i: normalize_document(docs[i])  # noqa: E731
    return {r: [locate(q, text_of, passages) for q in ROLE_QUOTES[r]] for r in ROLES}


POLITICAL = {
    "startpunt": {"tekst": "De raad stemde tegen; de burgemeester en de wethouder zochten geen coalitie. "
                           "Ik had het momentum in het college moeten agenderen."},
}
PEOPLE = {
    "startpunt": {"tekst": "Medewerkers voelden onzekerheid over hun plaatsing; het vertrouwen in het team "
                           "daalde en niemand bood begeleiding of veiligheid."},
}


class TestResonance:
    def test_political_answers_resonate_with_the_politicus(self):
        top = resonance(POLITICAL)[0]
        assert top.role == "Politicus"
        assert {"raad", "burgemeester"} <= {w.casefold() for w in top.shared}

    def test_answers_about_staff_resonate_with_the_goede_werkgever(self):
        top = resonance(PEOPLE)[0]
        assert top.role == "Goede werkgever"
        assert "Medewerkers" in top.shared or "medewerkers" in top.shared


class TestMirror:
    def test_mirror_has_answers_role_with_citation_and_actions(self):
        answers = {
            "rol": {"rol": "Veranderkundige", "tekst": "Ik ontwerp graag processen."},
            **POLITICAL,
            "tussenruimte": {"tekst": "", "structuur_zelf": "Mandaat vragen aan het hele college",
                             "cultuur_anderen": "De griffier organiseert een raadsavond"},
        }
        steps = route_steps("spiegel", answers)
        md = build_mirror("spiegel", steps, answers, {}, _role_citations())
        assert "Je plaatste jezelf als **Veranderkundige**" in md
        assert "resoneren het meest met de **Politicus**" in md
        assert "Leunt op politieke sensitiviteit" in md  # the cited role description
        assert "Bron: Samenvoegen of samenwerken" in md
        # a downloaded mirror is Markdown a text editor shows as is: no HTML tags (a walk-through)
        assert "<small>" not in md and "</" not in md
        assert "- **structuur**, voor mezelf: Mandaat vragen aan het hele college" in md
        assert "- **cultuur**, voor anderen: De griffier organiseert een raadsavond" in md
        assert "Ik had het momentum in het college moeten agenderen." in md

    def test_actions_in_level_order(self):
        got = actions({"tussenruimte": {"praktijk_zelf": "C", "structuur_anderen": "A", "cultuur_zelf": "B"}})
        assert [a[0] for a in got] == ["structuur", "cultuur", "praktijk"]

    def test_empty_mirror_says_so(self):
        md = build_mirror("vng", route_steps("vng"), {})
        assert "nog niets ingevuld" in md


def test_a_text_that_only_names_the_merger_leans_to_no_role():
    # the Politicus' description names the setting ("in de context van een herindeling … ambtelijke
    # fusie"): that is no trait of the role (a review found such a text read as Politicus 6 to 1)
    answers = {"startpunt": {"tekst": "We zitten midden in een herindeling en een ambtelijke fusie met drie gemeenten."}}
    assert all(r.score == 0 for r in resonance(answers)), resonance(answers)


def test_a_tie_goes_to_the_role_the_user_chose():
    answers = {"rol": {"rol": "Goede werkgever", "tekst": "De raad en de medewerkers."}}
    ranked = resonance(answers)
    assert ranked[0].score == ranked[1].score
    assert ranked[0].role == "Goede werkgever"
