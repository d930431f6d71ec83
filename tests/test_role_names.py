"""A role type's name said of someone is no question about the role types (secretarisbot.role_names)."""

from __future__ import annotations

import re

import pytest

from secretarisbot.role_names import ROLE_NAME, about_roles

ROLE_RE = re.compile(rf"\b{ROLE_NAME}\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "question",
    [
        "Mijn burgemeester is een echte politicus en speelt alles via de pers. Hoe ga ik daarmee om?",
        "Mijn burgemeester, een echte politicus, speelt alles via de pers.",
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
        # an independent review found these stripped by the first rule
        "Wanneer is de bedrijfseconoom op zijn best?",
        "Waar is de bedrijfseconoom goed in?",
        "Waarin is de politicus anders dan de veranderkundige?",
        "Wat betekent het om als secretaris de goede werkgever te zijn in een samenvoeging?",
        "Hoe wordt een politicus in de handreiking beschreven?",
        "Mijn rol is een veranderkundige, denk ik. Klopt dat?",
    ],
)
def test_a_question_about_the_role_types_is_left_as_it_is(question: str) -> None:
    assert about_roles(question) == question


def test_no_question_of_the_bank_or_the_ranker_loses_a_role_name(writers_questions: list[str]) -> None:
    """The writers' questions that name a role type ask about it (the bank labels them with it)."""
    naming = [q for q in writers_questions if ROLE_RE.search(q)]
    assert len(naming) >= 5  # the writers do name them now and then
    assert [q for q in naming if about_roles(q) != q] == []


def test_the_module_examples_hold() -> None:
    import doctest

    import secretarisbot.role_names as module

    assert doctest.testmod(module).failed == 0


def test_a_person_described_by_a_role_name_gets_no_roles_answer(real_settings) -> None:
    from secretarisbot import Assistant

    bot = Assistant(real_settings)
    described = bot.ask("Mijn burgemeester is een echte politicus en speelt alles via de pers. Hoe ga ik daarmee om?")
    assert described.in_scope
    assert "roles" not in [s.kind for s in described.sections]
    assert not [p for p in described.passages[:3] if p.role]  # no role type's passage leads
    asked = bot.ask("Hoe kijkt een politicus naar een burgemeester die alles via de pers speelt?")
    assert asked.sections[0].kind == "roles" and asked.primary_role == "Politicus"
