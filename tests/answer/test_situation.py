"""Situation analysis on realistic questions: spanningsveld, phase and form, or honestly unknown."""

from __future__ import annotations

import pytest

from secretarisbot.answer.compose import retrieved
from secretarisbot.answer.situation import analyse, spanningsveld_key
from secretarisbot.model import SPANNINGSVELDEN, Context, Message

SV1, SV2, SV3 = SPANNINGSVELDEN["1"], SPANNINGSVELDEN["2"], SPANNINGSVELDEN["3"]


@pytest.mark.parametrize(
    ("question", "spanningsveld", "fase", "fusievorm"),
    [
        ("wat doe ik als de mede-directeur blokkeert", SV3, "weeffouten signaleren", "ambtelijke fusie"),
        ("Mijn medewerkers zijn onzeker over hun plaatsing tijdens de herindeling", SV3, "tijdens het fusieproces", "herindeling"),
        ("We verkennen een herindeling, maar de raad van de kleinste gemeente is bang opgeslokt te worden", SV2, "verkenning", "herindeling"),
        ("De beloofde efficiencywinst van de werkorganisatie blijft uit en de cijfers vallen tegen", SV1, None, "ambtelijke fusie"),
        ("Het college wil de ambtelijke fusie ontvlechten", None, "herijking of ontvlechting", "ambtelijke fusie"),
        ("De oude bloedgroepen in de organisatie botsen nog steeds, drie jaar na de herindeling", None, "na de fusie / draaiend systeem", "herindeling"),
        ("Onze SSC voor ICT en inkoop levert niet wat beloofd was", SV1, None, "andere samenwerking"),
    ],
)
def test_places_questions(question, spanningsveld, fase, fusievorm) -> None:
    s = analyse(question)
    if spanningsveld is not None:
        assert s.spanningsveld == spanningsveld
    assert s.fase == fase
    assert s.fusievorm == fusievorm
    assert 0.0 < s.confidence <= 1.0


def test_unknown_is_a_valid_answer() -> None:
    s = analyse("Hoe begin ik maandag mijn week?")
    assert (s.spanningsveld, s.fase, s.fusievorm) == (None, None, None)
    assert s.confidence == 0.0


def test_retrieved_intervention_metadata_votes(sources) -> None:
    # A question without cue words takes spanningsveld and phase from the Bijlage I rows retrieval found.
    rows = [
        p for p in sources.of_kind("intervention")
        if spanningsveld_key(p.spanningsveld) == "1" and p.fase and p.fase.startswith("Na de fusie/")
    ][:2]
    assert rows, "Bijlage I rows for spanningsveld 1 in the 'draaiend systeem' phase"
    ctx = Context(question="Wat nu?", query="Wat nu?", passages=retrieved(rows))
    s = analyse("Wat nu?", ctx)
    assert s.spanningsveld == SV1
    assert s.fase == "na de fusie / draaiend systeem"
    assert s.fusievorm == "ambtelijke fusie"
    assert analyse("Wat nu?").spanningsveld is None


def test_follow_up_inherits_from_history() -> None:
    ctx = Context(
        question="En als de raad dat ook vindt?",
        query="",
        history=[Message(role="user", content="Mijn mede-directeur in de werkorganisatie blokkeert alles")],
    )
    s = analyse(ctx.question, ctx)
    assert s.fusievorm == "ambtelijke fusie"


def test_deterministic() -> None:
    q = "wat doe ik als de mede-directeur blokkeert"
    assert analyse(q) == analyse(q)


def test_bijlage_labels_map_to_spanningsvelden() -> None:
    assert spanningsveld_key("Draagvlak - organisatie") == "3"
    assert spanningsveld_key("Organisatie – publieke waarde") == "1"
    assert spanningsveld_key("Publieke waarde-draagvlak") == "2"
    assert spanningsveld_key(SV2) == "2"
    assert spanningsveld_key(None) is None


# --- regressions from the answer-quality review ---------------------------------------------


def test_stepping_out_of_a_gemeenschappelijke_regeling_is_ontvlechting() -> None:
    s = analyse("Een van de deelnemende gemeenten wil uit de gemeenschappelijke regeling stappen. Wat zeggen de handreikingen?")
    assert s.fase == "herijking of ontvlechting"
    assert s.fusievorm == "andere samenwerking"


def test_english_co_director_question_lands_on_the_same_map() -> None:
    s = analyse("How should a municipal secretary deal with a co-director who blocks decisions in an amalgamated organisation?")
    assert s.spanningsveld == SPANNINGSVELDEN["3"]
    assert s.fusievorm == "ambtelijke fusie"


@pytest.mark.integration
def test_real_burn_out_is_recognised_as_werkdruk(real_settings) -> None:
    from secretarisbot.assistant import Assistant

    a = Assistant(real_settings).ask("Ik voel me opgebrand na drie jaar fusietraject. Hoe houd ik het vol?")
    assert a.in_scope
    assert a.situation.scores["spanningsveld"]["1"] >= 1.5
    assert a.primary_role == "Goede werkgever"
