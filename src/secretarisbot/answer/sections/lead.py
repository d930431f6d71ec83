"""Lead with the answer: the best retrieved passages, each as a coherent excerpt, best first."""

from __future__ import annotations

from collections.abc import Callable

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, excerpt, said_spans
from secretarisbot.answer.sections.kern import kern
from secretarisbot.model import AnswerItem, AnswerSection, Passage

#: Passages the lead quotes at most (the issue's "1–3 best passages").
MAX_LEAD = 3
#: A passage below this share of the best fused retrieval score is no lead material. RRF scores of
#: a question's top three lie within a factor of about 1.5 (dev split); a passage under a third of
#: the best one came in on one list alone, far down.
MIN_SCORE_SHARE = 0.33
#: Excerpt length per lead passage; the best one gets more room, so a case can tell what the
#: secretary in it did, not only what went wrong (two judged answers stopped before the
#: "haardvuursessies": at 75 words the situation and the response of that case do not fit together).
LEAD_WORDS = 40
FIRST_WORDS = 90
#: Further retrieved passages quoted briefly right after the lead ("Ook in de bronnen"): retrieval
#: finds a must-show passage in its top 5 more often than in its top 3 (recall@5 0.72 vs recall@3
#: 0.61 on the dev split), so the answer cites ranks 4 and 5 too, one sentence each.
MAX_ALSO = 2
ALSO_WORDS = 28


def _quote(
    draft: Draft, limit: int, words: int, first_words: int | None = None, keep: Callable[[Passage], bool] | None = None,
    excerpts: list[Excerpt] | None = None, first: Callable[[Passage], bool] | None = None,
) -> list[AnswerItem]:
    """Up to ``limit`` retrieved passages not cited yet (and that ``keep`` accepts, when given), in
    retrieval order (those that ``first`` accepts before the others), as excerpts (the first one up
    to ``first_words`` words), none repeating what an earlier answer quoted."""
    passages = draft.context.passages
    top = (passages[0].score or 1.0) if passages else 1.0
    if first is not None:
        passages = sorted(passages, key=lambda p: not first(p))
    items: list[AnswerItem] = []
    for p in passages:
        if len(items) >= limit:
            break
        if p.score < MIN_SCORE_SHARE * top:
            continue
        if draft.cited(p.id) or (keep is not None and not keep(p)):
            continue
        # in a conversation, what an earlier answer quoted is not quoted again: the passage's other
        # sentences, or the next passage
        ex = excerpt(p, draft.terms, first_words if first_words and not items else words,
                     skip=said_spans(p, draft.earlier))
        if ex is None or not draft.fits(p, len(ex.text.split())):
            continue
        n = draft.cite(ex)
        items.append(AnswerItem(text=ex.text, citations=[n], label=draft.label(p, ex.spans[0][0])))
        if excerpts is not None:
            excerpts.append(ex)
    return items


def lead(draft: Draft, limit: int = MAX_LEAD) -> list[AnswerSection]:
    """The first section: up to ``limit`` of the best retrieved passages, in retrieval order; before
    it, their first steps when they give any (:mod:`.kern`) and the lead opens the answer (after a
    role section, say, it does not)."""
    opens = len(draft.registry) == 0
    quoted: list[Excerpt] = []
    items = _quote(draft, limit, LEAD_WORDS, FIRST_WORDS, excerpts=quoted)
    if not items:
        return []
    first = kern(draft, quoted) if opens else None
    section = AnswerSection(kind="lead", title=P.SECTION_TITLES["lead"], items=items)
    return [first, section] if first is not None else [section]


def also(draft: Draft, document: str | None = None, section: str | None = None) -> AnswerSection | None:
    """The next retrieved passages, one sentence each, right after the lead; after a guide's list
    only those from that ``document`` (outside it a list question's words, "zeven", "stops", match
    by chance: a review found SETA's "zesde of zevende samenwerking" after the VNG's seven stops);
    after an answer about the profession, none that is only about mergers. The passages of
    ``section`` (the one that introduces a guide's list) come first: where the list comes from
    ("Uit onze gespreksronde tekenden zich vier typische rollen af") before a foreword that names
    the guide."""
    def keep(p: Passage) -> bool:
        if document is not None and p.document != document:
            return False
        # in an answer about the profession, no passage that only merger questions were written for:
        # two reviews found SETA's merger anecdotes here after a crisis, an integrity incident and
        # a motie van wantrouwen (on the dev splits no evidence among the citations is lost)
        return not (draft.reading.profession and draft.merger_only(p))

    items = _quote(draft, MAX_ALSO, ALSO_WORDS, keep=keep,
                   first=None if section is None else (lambda p: p.section.startswith(section)))
    return AnswerSection(kind="lead", title=P.SECTION_TITLES["also"], items=items) if items else None
