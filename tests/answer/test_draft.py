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


def test_a_role_type_cell_is_labelled_with_its_role_and_cell(sources) -> None:
    """A quote from §2.3.1 says whose cell it is from: the section's title names no role, and a
    "komt uit de verf" item ("Voorals in de verkenning- en ontwerpfasen …") is no sentence of its own."""
    draft = Draft(context=Context(question="vraag", query="", passages=[]), sources=sources)
    cells = [p for p in sources.passages if p.kind == "role" and "Komt uit de verf:" in p.text]
    assert cells
    for p in cells:
        at = p.text.index("Komt uit de verf:") + len("Komt uit de verf:") + 2
        assert draft.label(p, at).endswith(f"({p.role} – komt uit de verf)"), draft.label(p, at)
        assert draft.label(p).endswith(f"({p.role})")  # a title without a quote: the role alone
    # a role's description, whose title names the role, keeps its title
    described = [p for p in sources.passages if p.kind == "role" and p.role and p.role in p.section]
    assert described
    for p in described:
        assert draft.label(p, 0) == f"{sources.short_title(p.document)}, {p.section.split('›')[-1].strip()}"
