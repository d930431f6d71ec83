"""A guide's facts as the chat's overview, the reader and Over show them: what the text states."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.sections.overview import facts
from secretarisbot.model import Document


def _doc(**facts_: str) -> Document:
    return Document(id="001", file="x.txt", source_file="x.txt", title="X", **facts_)


def test_a_fact_the_text_does_not_state_is_left_out_and_none_is_said_once() -> None:
    # the manifest writes "onbekend" where a text names no author, publisher or year (SETA)
    assert _doc().fact("author") is None and _doc(author=" Onbekend ").fact("author") is None
    assert facts(_doc()) == P.T_SOURCES_NO_FACTS
    assert facts(_doc(author="Irma Woestenberg", year="2020")) == "auteur: Irma Woestenberg; jaar: 2020."
    assert facts(_doc(year="2020"), capital=True) == "Jaar: 2020."  # a sentence of its own (reader, Over)
