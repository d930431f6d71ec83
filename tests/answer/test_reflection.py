"""The reflection question: one that stands on its own, for the reader."""

from __future__ import annotations

from secretarisbot.answer.excerpt import question_sentences
from secretarisbot.answer.sections.reflection import _for_reader, stands_alone


def test_a_question_that_needs_what_came_before_is_no_reflection_question() -> None:
    assert not stands_alone("Lukt het je om op alle drie die niveaus een concrete eerste actie te formuleren?")
    assert not stands_alone("En tot de organisatie?")
    assert not stands_alone("Hoe heb jij bijgedragen aan dit droombeeld?")
    assert not stands_alone("Welke casus hoort daarbij?")  # the pointer before the question mark
    assert not stands_alone("Zie je op één van voorgenoemde niveaus een eerste stap?")
    assert stands_alone("Wanneer ervaarde je steun – uit verwachte en onverwachte hoeken?")
    assert stands_alone("Wat zijn jouw verrassende samenwerkingen?")


def test_most_of_the_guides_questions_for_the_reader_stand_alone(sources) -> None:
    """The rule screens out the questions that point back, not the reflection section itself: of
    the guides' 62 questions for the reader it leaves 41 (2026-12-04)."""
    asked = [text for p in sources.passages if p.kind in ("text", "facet", "myth", "exercise")
             for text, _ in question_sentences(p) if _for_reader(p.kind, text)]
    alone = [text for text in asked if stands_alone(text)]
    assert len(asked) >= 50 and 0.6 * len(asked) <= len(alone) < len(asked)
