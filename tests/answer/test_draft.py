"""The draft an answer is composed in: the terms its excerpts are scored by."""

from __future__ import annotations

from secretarisbot.answer.draft import Draft
from secretarisbot.answer.reading import NEIGHBOURS
from secretarisbot.model import BankQuestion, Context


def test_excerpts_weigh_the_anchors_of_the_nearest_bank_questions_only(sources) -> None:
    """The ten bank questions that vote in the reading lend their anchors; the further ones of the
    120 retrieval fetches do not (their anchors pulled quotes off the question)."""
    bank = [
        (BankQuestion(id=f"q{i}", text=f"vraag {i}", scope="in", passage_id=f"p{i}", anchor=f"anker {i}"), 0.9 - i / 1000)
        for i in range(NEIGHBOURS + 5)
    ]
    draft = Draft(context=Context(question="vraag", query="", passages=[]), sources=sources, bank=bank)
    assert set(draft.terms.anchors) == {f"p{i}" for i in range(NEIGHBOURS)}
    assert draft.terms.anchors["p0"] == ("anker 0",)
