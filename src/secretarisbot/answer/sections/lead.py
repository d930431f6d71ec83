"""Lead with the answer: the best retrieved passages, each as a coherent excerpt, best first."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import excerpt
from secretarisbot.model import AnswerItem, AnswerSection

#: Passages the lead quotes at most (the issue's "1–3 best passages").
MAX_LEAD = 3
#: A passage below this share of the best fused retrieval score is no lead material.
MIN_SCORE_SHARE = 0.5
#: Excerpt length per lead passage when three are quoted (fewer passages may quote a bit more).
LEAD_WORDS = 50


def lead(draft: Draft, limit: int = MAX_LEAD) -> AnswerSection | None:
    """The first section: up to ``limit`` of the best retrieved passages, in retrieval order."""
    passages = draft.context.passages
    if not passages:
        return None
    top = passages[0].score or 1.0
    items = []
    for p in passages:
        if len(items) >= limit:
            break
        if items and p.score < MIN_SCORE_SHARE * top:
            break
        ex = excerpt(p, draft.terms, LEAD_WORDS)
        if ex is None or not draft.fits(p, len(ex.text.split())):
            continue
        n = draft.cite(ex)
        items.append(AnswerItem(text=ex.text, citations=[n], label=draft.label(p)))
    if not items:
        return None
    return AnswerSection(kind="lead", title=P.SECTION_TITLES["lead"], items=items)
