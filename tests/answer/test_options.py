"""Bijlage I options: rows that clear the relevance bar, of the form the question clearly reads as."""

from __future__ import annotations

from secretarisbot.answer.compose import retrieved
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import flat
from secretarisbot.answer.reading import Reading
from secretarisbot.answer.sections.framing import CLEAR, FORM_ROWS
from secretarisbot.answer.sections.options import MAX_OPTIONS, OPTIONS_TOP, options
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


def test_a_row_counts_only_when_the_question_s_own_ranking_has_it_near_the_top(sources) -> None:
    """A row the filtered search finds is shown when the question's unfiltered retrieval ranked it
    among its first OPTIONS_TOP (or returned it): ranked lower, the same few rows came back for
    unrelated questions."""
    rows = _rows(sources, "ambtelijke fusie", 3)
    others = [p for p in sources.passages if p.kind == "facet"][: OPTIONS_TOP + 5]
    context = Context(question="Hoe houd ik de medewerkers van de werkorganisatie aan boord?", query="",
                      passages=retrieved(others[:3]))

    def draft(ranked: list[str]) -> Draft:
        return Draft(context=context, sources=sources, ranked=ranked,
                     search=lambda filters, k: retrieved(rows)[:k] if filters.get("kind") == "intervention" else [])

    near = [p.id for p in others[:OPTIONS_TOP - 1]] + [rows[0].id]  # the row ranked OPTIONS_TOP-th
    section = options(draft(near + [rows[1].id]))
    # the row ranked within the bar; the one after it is beyond
    assert section is not None and [flat(i.text) in flat(rows[0].text) for i in section.items] == [True]
    far = [p.id for p in others[:OPTIONS_TOP + 2]] + [rows[1].id]
    assert options(draft(far)) is None


def test_the_answer_sees_enough_of_the_ranking_for_the_bar() -> None:
    from secretarisbot.settings import Settings

    assert Settings().retrieval.relevant_top >= OPTIONS_TOP
