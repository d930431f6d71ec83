"""A factual question whose subject is a section heading is described from that section first."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def bot(fake_corpus_settings):
    from secretarisbot.assistant import Assistant

    return Assistant(fake_corpus_settings)


@pytest.mark.parametrize(
    "question, heading",
    [
        ("Wat zijn de nadelen van een ambtelijke fusie?", "Nadelen van de ambtelijke fusie"),
        ("Wat zijn de voordelen van een ambtelijke fusie?", "Voordelen van een ambtelijke fusie"),
    ],
)
def test_first_quote_comes_from_the_section_the_question_names(bot, question: str, heading: str) -> None:
    answer = bot.ask(question)
    first_quote = next(line for line in answer.answer.splitlines() if line.startswith("> "))
    n = int(re.search(r"\[(\d+)\]", first_quote).group(1))
    cited = next(c for c in answer.citations if c.n == n)
    assert cited.section.endswith(heading), cited.section
