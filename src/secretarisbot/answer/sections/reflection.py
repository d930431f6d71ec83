"""One question to ask yourself: from the guides' exercises and the retrieved passages, chosen for
relevance, with a floor below which there is none, and never one asked before in the conversation."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, question_sentences
from secretarisbot.model import AnswerItem, AnswerSection

#: A reflection question must share at least this much (weighted) vocabulary with the question
#: and the bank questions that found its passages: one shared word is a coincidence.
MIN_RELEVANCE = 1.5


def reflection(draft: Draft) -> AnswerSection | None:
    pool = list(draft.search({"kind": "exercise"}, 3)) + [
        p for p in draft.context.passages[:5] if p.kind in ("text", "facet", "myth", "exercise")
    ]
    best: tuple[float, Excerpt] | None = None
    seen: set[str] = set()
    for rank, p in enumerate(pool):
        if p.id in seen:
            continue
        seen.add(p.id)
        for text, span in question_sentences(p):
            if draft.said(text):
                continue
            score = draft.terms.score(text)
            if score >= MIN_RELEVANCE and (best is None or score > best[0]):
                best = (score, Excerpt(p, text, (span,), score))
    if best is None or not draft.fits(best[1].passage, len(best[1].text.split())):
        return None
    ex = best[1]
    n = draft.cite(ex)
    intro = P.T_REFLECT_INTRO.format(doc=P.with_article(draft.sources.short_title(ex.passage.document)))
    draft.spend(intro)
    return AnswerSection(kind="reflection", title=P.SECTION_TITLES["reflection"], intro=intro,
                         items=[AnswerItem(text=ex.text, citations=[n])])
