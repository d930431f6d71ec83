"""Bijlage I: what colleague secretaries did in a comparable situation, when rows clear the bar
(and, when the question clearly reads as one form, rows of that form)."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import excerpt
from secretarisbot.answer.sections.framing import FORM_ROWS, clear
from secretarisbot.model import AnswerItem, AnswerSection

MAX_OPTIONS = 2
OPTION_WORDS = 35
#: A row is shown when the question's own unfiltered retrieval ranks it among this many (chosen by
#: hand; settings.retrieval.relevant_top must be at least this, a test checks it). The dev splits
#: showed 50 rows with the bar at the fused top 20: on first turns 9 ranked 1-10 and 30 ranked
#: 11-20 (11 more in follow-ups, not ranked). Read by hand (2026-12-04): about 6 of the 9 addressed
#: the question, about 7 of the 30, and the same few rows came back for unrelated questions
#: ("Plaatsingsproces en criteria expliciet maken …" for sharing the costs, for a partner who
#: hesitates, after a coalition agreement). The cut loses those 7, one with gold evidence.
OPTIONS_TOP = 10


def options(draft: Draft) -> AnswerSection | None:
    """Interventions from the retriever's own ranking of this question among Bijlage I rows. A
    row is shown only when the unfiltered retrieval ranked it too, among its first
    :data:`OPTIONS_TOP`: the relevance bar is the question's own evidence, not the row's rank
    among rows. When the question clearly reads as one form (framing.FORM_ROWS), only rows of that
    form: Bijlage I is ordered by form, and a review found herindeling rows offered for a
    werkorganisatie (on the dev splits 9 of the 33 rows shown under a clear form reading were of
    another form)."""
    if draft.reading.profession:
        return None
    form = clear(draft, "fusievorm", FORM_ROWS)
    candidates = {p.id for p in draft.context.passages}
    relevant = set(draft.ranked[:OPTIONS_TOP])
    items = []
    shown: list[str] = []  # the guides of the rows shown (Bijlage I is the Handreiking's)
    for p in draft.search({"kind": "intervention"}, 5):
        if len(items) >= MAX_OPTIONS:
            break
        if (p.id not in candidates and p.id not in relevant) or draft.cited(p.id):
            continue
        if form is not None and p.fusievorm is not None and p.fusievorm != form:
            continue
        ex = excerpt(p, draft.terms, OPTION_WORDS)
        if ex is None or draft.said(ex.text) or not draft.fits(p, len(ex.text.split())):
            continue
        n = draft.cite(ex)
        items.append(AnswerItem(text=ex.text, citations=[n], label=draft.label(p)))
        shown.append(p.document)
    if not items:
        return None
    intro = P.T_OPTIONS_INTRO.format(doc=draft.sources.named(shown[0]))
    return AnswerSection(kind="options", title=P.SECTION_TITLES["options"], intro=intro, items=items)
