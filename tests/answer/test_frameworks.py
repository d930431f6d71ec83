"""Questions that ask what one of the guides' lists holds get that list, read from the guide."""

from __future__ import annotations

import re

import pytest

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import Sources, validate
from secretarisbot.answer.frameworks import FRAMEWORKS, asks_for_sources, detect, introduction, items, referenced_item
from secretarisbot.model import ROLES, Message

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


@pytest.mark.parametrize(
    "key, section",
    [
        ("stops", "Zeven stops naar draagvlak en vertrouwen"),  # items are sections of their own
        ("roltypen", "Hoofdstuk 2: Omgaan met spanningen › 2.3 Een rollentypologie: met realisme aan de slag in een tussenruimte"),
        ("spanningsvelden", "Hoofdstuk 1: De gemeentesecretaris in een fusie: reële spanningen › 1.2 Een ordening voor spanningen en dilemma's uit de praktijk"),
    ],
)
def test_a_list_is_introduced_by_the_section_its_items_share_or_the_one_before_them(sources: Sources, key: str, section: str) -> None:
    assert introduction(BY_KEY[key], sources) == section


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
    assert [s.kind for s in answer.sections][:2] == ["overview", "text"]
    assert answer.answer.startswith("**Overzicht**") and "**Wat de bronnen zeggen**" not in answer.answer
    assert answer.sections[0].intro == "Dit zijn de zeven stops naar draagvlak en vertrouwen (VNG zeven stops):"
    lines = [line for line in answer.answer.splitlines() if re.match(r"\d\. \*\*", line)]
    assert len(lines) == 7
    assert all(re.search(r"\[\d+\]$", line) for line in lines)
    assert P.T_OVERVIEW_MORE in answer.answer and "**Bronnen**" in answer.answer
    assert validate(answer.answer, answer.citations) == []
    assert {c.document for c in answer.citations[:7]} == {"004"}
    assert answer.primary_role is None and answer.roles == []


def test_a_situational_question_leads_with_the_evidence(bot) -> None:
    answer = bot.ask("Wat doe ik als de mede-directeur blokkeert?")
    assert answer.sections[0].kind == "lead" and "**Overzicht**" not in answer.answer


# --- follow-ups that point at an item of the last list ----------------------------------------

def turns(previous: str = "Waar staat GROEI voor?") -> list[Message]:
    # the assistant's turn is irrelevant: the list is read again from the guide the previous
    # question named, never parsed back from the rendered answer
    return [Message(role="user", content=previous), Message(role="assistant", content="(antwoord)")]


@pytest.mark.parametrize(
    "question, item",
    [
        ("En de derde?", "O – Organiseren in stappen"),
        ("Vertel meer over nummer 2", "R – Relatie tussen sleutelfiguren"),
        ("Wat betekent de O?", "O – Organiseren in stappen"),
        ("En de laatste?", "I – Inrichting ambtelijke fusieorganisatie"),
        ("En punt 9?", None),  # there is no ninth
        ("Hoe houd ik de raad aan boord?", None),  # no reference
        ("Wat is de eerste stap die ik moet zetten als de raad van de kleinste gemeente zich overvallen voelt?", None),
    ],
)
def test_referenced_item(sources: Sources, question: str, item: str | None) -> None:
    assert referenced_item(question, turns(), sources) == item


def test_only_user_turns_are_needed(sources: Sources) -> None:
    # the outside evaluation sends only the earlier question: that is enough
    history = [Message(role="user", content="Wat zijn de zeven stops?")]
    assert referenced_item("En de derde?", history, sources) == "Leiderschap"


def test_no_list_asked_before_no_reference(sources: Sources) -> None:
    assert referenced_item("En de derde?", turns("Wat doe ik als de mede-directeur blokkeert?"), sources) is None
    assert referenced_item("En de derde?", [], sources) is None


def test_follow_up_on_an_item_is_answered_from_its_guide(bot) -> None:
    first = bot.ask("Wat zijn de zeven stops van de VNG-handreiking?")
    history = [Message(role="user", content=first.question), Message(role="assistant", content=first.answer)]
    answer = bot.ask("Vertel meer over de derde.", history)
    assert answer.in_scope
    assert answer.question == "Vertel meer over de derde. (Leiderschap)"
    assert all(p.document == "004" for p in answer.passages)  # the search stayed in the VNG guide
    assert validate(answer.answer, answer.citations) == []


def test_follow_up_on_a_roltype_looks_from_that_role(bot) -> None:
    first = bot.ask("Welke vier roltypen onderscheidt de handreiking?")
    history = [Message(role="user", content=first.question), Message(role="assistant", content=first.answer)]
    answer = bot.ask("En de vierde?", history)
    assert answer.in_scope and answer.primary_role == "Bedrijfseconoom"
    assert answer.roles[0].role == "Bedrijfseconoom"


# --- questions about the sources themselves ---------------------------------------------------

@pytest.mark.parametrize(
    "question, expected",
    [
        ("Welke bronnen gebruik je?", True),
        ("Waar baseer je je op?", True),
        ("Welke handreikingen ken je?", True),
        ("Wie heeft de Wegwijzer geschreven?", True),
        ("Wie zijn de auteurs van de handreiking?", True),
        ("Welke documenten moet ik opstellen voor de herindeling?", False),
        ("Wat doe ik als de mede-directeur blokkeert?", False),
    ],
)
def test_asks_for_sources(question: str, expected: bool) -> None:
    assert asks_for_sources(question) is expected


def test_which_sources_lists_the_five_documents_each_opening_in_the_reader(bot) -> None:
    answer = bot.ask("Welke bronnen gebruik je?")
    assert answer.in_scope and answer.answer.startswith(f"**{P.SECTION_TITLES['sources']}**")
    lines = [line for line in answer.answer.splitlines() if re.match(r"\d\. \*\*", line)]
    assert len(lines) == 5
    assert [c.document for c in answer.citations] == ["000", "001", "002", "003", "004"]
    assert "jaar: 2026" in lines[0] and "staan niet in de tekst" in lines[1]
    assert validate(answer.answer, answer.citations) == []


def test_who_wrote_one_guide_names_only_that_guide(bot) -> None:
    answer = bot.ask("Wie heeft de Wegwijzer geschreven?")
    assert answer.in_scope and "auteur: Irma Woestenberg" in answer.answer
    assert [c.document for c in answer.citations] == ["002"]
