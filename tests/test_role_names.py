"""A role type's name said of someone is no question about the role types (secretarisbot.role_names)."""

from __future__ import annotations

import pytest

from secretarisbot.role_names import about_roles


@pytest.mark.parametrize(
    "question",
    [
        "Mijn burgemeester is een echte politicus en speelt alles via de pers. Hoe ga ik daarmee om?",
        "Hij blijft gewoon een bedrijfseconoom, hoe krijg ik hem mee in het veranderverhaal?",
        "De wethouder gedraagt zich als een politicus in de raad.",
        "Als gemeente willen we een goede werkgever zijn tijdens de reorganisatie.",
        "Onze nieuwe directeur lijkt me meer een Veranderkundige dan een manager.",
    ],
)
def test_a_role_name_said_of_someone_is_dropped_and_the_rest_kept(question: str) -> None:
    left = about_roles(question).lower()
    for name in ("politicus", "bedrijfseconoom", "goede werkgever", "veranderkundige"):
        assert name not in left
    # the person and what is said of them stay for the search
    assert len(left.split()) >= len(question.split()) - 2


@pytest.mark.parametrize(
    "question",
    [
        "Wat is een politicus?",
        "Wat is het verschil tussen een politicus en een veranderkundige?",
        "Ik ben een politicus, past dat bij een herindeling?",
        "Hoe kijkt een bedrijfseconoom hiernaar?",
        "Is de goede werkgever de juiste rol voor mij in deze fase?",
        "Welke rol past bij mij: veranderkundige of goede werkgever?",
    ],
)
def test_a_question_about_the_role_types_is_left_as_it_is(question: str) -> None:
    assert about_roles(question) == question


def test_a_person_described_by_a_role_name_gets_no_roles_answer(real_settings) -> None:
    from secretarisbot import Assistant

    bot = Assistant(real_settings)
    described = bot.ask("Mijn burgemeester is een echte politicus en speelt alles via de pers. Hoe ga ik daarmee om?")
    assert described.in_scope
    assert "roles" not in [s.kind for s in described.sections]
    assert not [p for p in described.passages[:3] if p.role]  # no role type's passage leads
    asked = bot.ask("Hoe kijkt een politicus naar een burgemeester die alles via de pers speelt?")
    assert asked.sections[0].kind == "roles" and asked.primary_role == "Politicus"
