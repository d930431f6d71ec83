"""Where the guides disagree, say who says what.

A stance is data: a topic and, per guide, words that identify its sentence. It is shown when the
evidence is about it: one of its sentences' passages is among the question's retrieved passages,
and the question does not read as another form of cooperation than the stance is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, flat
from secretarisbot.answer.citations import sentence_spans
from secretarisbot.model import AnswerItem, AnswerSection


@dataclass(frozen=True)
class Stance:
    topic: str
    sayings: tuple[tuple[str, str], ...]  # (document, words that identify the sentence)
    #: The form of cooperation the stance is about: shown only when the question reads as that form
    #: or as no form in particular (answer/reading.py).
    fusievorm: str | None = None


#: The Wegwijzer is openly critical of ambtelijke fusies (§93); the 2026 handreiking (myth 2) and
#: GROEI are positive. (A second stance, on a big reorganisation at the fusion, set the Wegwijzer's
#: "Denk goed na voor je een grote reorganisatie gaat doen" against myth 4's "Sommige trajecten
#: benutten de fusie als kans voor een forse moderniseringsslag"; but myth 4 says "Deze
#: tegenstelling wordt vaak te scherp neergezet. Wij vinden beide vormen effectief.": no opposite
#: position. The nineteenth review called it an invented difference; it went.)
STANCES: tuple[Stance, ...] = (
    Stance(
        "de ambtelijke fusie",
        (
            ("002", "vanuit ambtelijke optiek bezien dan ook af te raden"),
            ("000", "De ambtelijke is dan een positieve en bewuste keuze"),
            ("003", "door ambtelijke fusie"),
        ),
        fusievorm="ambtelijke fusie",
    ),
)


def _saying(draft: Draft, document: str, words: str) -> Excerpt | None:
    passage = draft.sources.containing(words, document=document)
    if passage is None:
        return None
    want = " ".join(words.split())
    for start, end in sentence_spans(passage.text):
        if want in " ".join(passage.text[start:end].split()):
            return Excerpt(passage, flat(passage.text[start:end]), ((start, end),))
    return None


#: The retrieved passages a stance's passage must be among. (Looser bars, the fused top 20 or the
#: passages of the nearest bank questions, put the ambtelijke-fusie debate under staff and OR
#: questions in an independent review; retrieval cannot tell "is this form wise?" from "a question
#: within this form", so the bar stays at what retrieval itself shows.)
TOP = 10


def stances(draft: Draft) -> AnswerSection | None:
    """'Volgens X … [n]' lines for the first stance the question's evidence is about, once in a
    conversation (a stance an earlier answer showed is not shown again); none for a question
    asked within one guide."""
    if draft.context.filters.get("document"):
        return None  # asked within one guide ("Wat zegt GROEI daarover?", ``--gids``): that guide only
    retrieved = {p.id for p in draft.context.passages[:TOP]}
    form = draft.reading.situation.fusievorm
    for stance in STANCES:
        if stance.fusievorm and form not in (None, stance.fusievorm):
            continue
        found = [(doc, _saying(draft, doc, words)) for doc, words in stance.sayings]
        found = [(doc, ex) for doc, ex in found if ex is not None]
        if len(found) < 2 or not any(ex.passage.id in retrieved for _, ex in found):
            continue
        if any(draft.said(ex.text) for _, ex in found):
            continue
        if sum(len(ex.text.split()) for _, ex in found) + 10 > 3 * 60 or not draft.room(len(found)):
            continue
        items = []
        for doc, ex in found:
            n = draft.cite(ex)
            items.append(AnswerItem(text=f"“{ex.text}”", citations=[n],
                                    label=P.T_DISAGREE_LINE.format(doc=P.with_article(draft.sources.short_title(doc)))))
        intro = P.T_DISAGREE_INTRO.format(onderwerp=stance.topic)
        draft.spend(intro)
        return AnswerSection(kind="stances", title=P.SECTION_TITLES["stances"], intro=intro, items=items)
    return None
