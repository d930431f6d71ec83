"""Bijlage I options: rows that clear the relevance bar, of the form the question clearly reads as."""

from __future__ import annotations

from secretarisbot.answer.compose import retrieved
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.reading import Reading
from secretarisbot.answer.sections.framing import CLEAR, FORM_ROWS
from secretarisbot.answer.sections.options import MAX_OPTIONS, options
from secretarisbot.model import Context, Situation


def _rows(sources, form: str, n: int):
    return [p for p in sources.of_kind("intervention") if p.fusievorm == form][:n]


def _draft(sources, confidence: float) -> Draft:
    rows = retrieved(_rows(sources, "herindeling", 2) + _rows(sources, "ambtelijke fusie", 2))
    situation = Situation(fusievorm="ambtelijke fusie", confidence=0.0, scores={"confidence": {"fusievorm": confidence}})
    context = Context(question="Hoe houd ik de medewerkers van de werkorganisatie aan boord?", query="", passages=rows)
    return Draft(context=context, sources=sources, reading=Reading(situation=situation),
                 search=lambda filters, k: [p for p in rows if p.kind == filters.get("kind")][:k])


def _forms(section) -> list[str]:
    return [item.label.split("(")[1].split(",")[0] for item in section.items]


def test_a_clear_form_keeps_the_rows_of_that_form(sources) -> None:
    section = options(_draft(sources, FORM_ROWS))
    assert section is not None and _forms(section) == ["ambtelijke fusie"] * MAX_OPTIONS


def test_rows_keep_to_a_form_the_situation_line_would_not_name_yet(sources) -> None:
    # the line names a form from CLEAR on; the rows keep to it from the lower FORM_ROWS on
    assert FORM_ROWS < CLEAR["fusievorm"]
    section = options(_draft(sources, (FORM_ROWS + CLEAR["fusievorm"]) / 2))
    assert section is not None and _forms(section) == ["ambtelijke fusie"] * MAX_OPTIONS


def test_an_unclear_form_leaves_the_retrieval_order(sources) -> None:
    # below the bar the rows come in the retriever's order, the herindeling rows first here
    section = options(_draft(sources, FORM_ROWS - 0.01))
    assert section is not None and _forms(section) == ["herindeling"] * MAX_OPTIONS
