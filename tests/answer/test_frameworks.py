"""Questions that ask what one of the guides' lists holds get that list, read from the guide."""

from __future__ import annotations

import re

import pytest

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import Sources, validate
from secretarisbot.answer.frameworks import FRAMEWORKS, detect, items
from secretarisbot.model import ROLES

BY_KEY = {f.key: f for f in FRAMEWORKS}


@pytest.mark.parametrize(
    "question, key",
    [
        ("Wat zijn de zeven stops van de VNG-handreiking?", "stops"),
        ("Noem de zeven stops", "stops"),
        ("Waar staan de letters van GROEI voor?", "groei"),
        ("Waar staat GROEI voor?", "groei"),
        ("Uit welke letters bestaat GROEI?", "groei"),
        ("Welke spanningsvelden onderscheidt de handreiking van 2026 en waar komen ze vandaan?", "spanningsvelden"),
        ("Wat zijn de drie spanningsvelden?", "spanningsvelden"),
        ("Welke vier roltypen onderscheidt de handreiking?", "roltypen"),
        ("Welke rollen kan ik als gemeentesecretaris aannemen?", "roltypen"),
        # Situations, advice and questions about one item get the normal answer.
        ("Wat doe ik als de mede-directeur blokkeert?", None),
        ("Welke rol past bij mij in de verkenningsfase?", None),
        ("Wat zegt GROEI over de topstructuur?", None),
        ("Ik zit in spanningsveld 2, wat nu?", None),
        ("Welke spanningsvelden spelen bij onze herindeling?", None),
        ("Hoe groeit onze samenwerking verder?", None),
    ],
)
def test_detect(question: str, key: str | None) -> None:
    found = detect(question)
    assert (found.key if found else None) == key


@pytest.mark.parametrize(
    "key, titles",
    [
        ("stops", ["Gemeenschappelijke ambitie", "Orde in proces en structuur", "Leiderschap",
                   "Vertrouwen: boven- en onderstroom", "Investeer in de goede (persoonlijke) verhoudingen",
                   "Werk weerstand door", "Onthecht en verbind"]),
        ("groei", ["G – Gemeenschappelijke ambitie", "R – Relatie tussen sleutelfiguren", "O – Organiseren in stappen",
                   "E – Eigenaarschap voelen", "I – Inrichting ambtelijke fusieorganisatie"]),
        ("roltypen", list(ROLES)),
    ],
)
def test_items_follow_the_guides_structure(sources: Sources, key: str, titles: list[str]) -> None:
    found = items(BY_KEY[key], sources)
    assert [i.title for i in found] == titles
    for item in found:
        assert item.title in item.passage.section
        assert item.sentence and item.sentence in item.passage.text
        assert not item.sentence.startswith(("“", '"')), item.sentence  # a real sentence, not the motto


def test_spanningsvelden_are_the_three_of_section_1_2(sources: Sources) -> None:
    found = items(BY_KEY["spanningsvelden"], sources)
    assert [i.title.split(":")[0] for i in found] == ["Spanningsveld 1", "Spanningsveld 2", "Spanningsveld 3"]
    assert all(not re.match(r"\d", i.sentence) for i in found)  # not the heading repeated


@pytest.fixture(scope="module")
def bot(fake_corpus_settings):
    from secretarisbot.assistant import Assistant

    return Assistant(fake_corpus_settings)


def test_a_list_question_gets_the_cited_list(bot) -> None:
    answer = bot.ask("Wat zijn de zeven stops van de VNG-handreiking?")
    assert answer.in_scope
    assert answer.answer.startswith("**Overzicht**") and "**Herkenning**" not in answer.answer
    lines = [line for line in answer.answer.splitlines() if re.match(r"\d\. \*\*", line)]
    assert len(lines) == 7
    assert all(re.search(r"\[\d+\]$", line) for line in lines)
    assert P.T_OVERVIEW_MORE in answer.answer and "**Bronnen**" in answer.answer
    assert validate(answer.answer, answer.citations) == []
    assert {c.document for c in answer.citations[:7]} == {"004"}
    assert answer.primary_role is None and answer.roles == []


def test_a_situational_question_still_gets_the_five_sections(bot) -> None:
    answer = bot.ask("Wat doe ik als de mede-directeur blokkeert?")
    assert answer.answer.startswith("**Herkenning**") and "**Overzicht**" not in answer.answer
