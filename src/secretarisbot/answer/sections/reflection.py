"""One question to ask yourself: from the guides' exercises and the retrieved passages, chosen for
relevance, with a floor below which there is none, and never one asked before in the conversation
or already quoted in this answer.

An exercise's questions are all meant for the reader; shown on its own, a question must stand
alone (:func:`stands_alone`). Elsewhere the guides also ask rhetorical questions ("Maar met wie een
ambtelijke fusie aangaan?", "De huisvestingspuzzle: Gaan alle ambtenaren ... ?"); there only a
question that addresses the reader (je, u, we) is a reflection question.
"""

from __future__ import annotations

import re

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, addresses_reader, dangles, question_sentences
from secretarisbot.model import AnswerItem, AnswerSection

#: A reflection question must share at least this much (weighted) vocabulary with the question
#: and the bank questions that found its passages: one shared word is a coincidence.
MIN_RELEVANCE = 1.5

#: A demonstrative after a quantifier points back at what was listed before ("op alle drie die
#: niveaus", "beide deze rollen"), anywhere in the sentence (Dutch grammar: "alle", "beide" and the
#: small numerals, the lists of the guides' exercises have two to five items).
_BACK_TO_A_LIST = re.compile(r"\b(alle|beide|twee|drie|vier|vijf)\s+(die|deze)\b", re.IGNORECASE)


def _for_reader(kind: str, text: str) -> bool:
    return kind == "exercise" or addresses_reader(text)


def stands_alone(text: str) -> bool:
    """A question that can be asked without what came before it: it does not point back
    (:func:`~secretarisbot.answer.excerpt.dangles`: "En tot de organisatie?", "Hoe heb jij
    bijgedragen aan dit droombeeld?") nor at a list before it ("Lukt het je om op alle drie die
    niveaus …?": the fourteenth review asked "welke niveaus?"). Of the corpus's 62 questions for
    the reader, 41 do (2026-12-04; 42 before "is dan" counted as pointing back)."""
    return not dangles(text) and not _BACK_TO_A_LIST.search(text)


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
            if not _for_reader(p.kind, text) or not stands_alone(text) or draft.said(text) or draft.quoted(p.id, span):
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
