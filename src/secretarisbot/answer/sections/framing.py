"""Where a merger situation sits on the guides' maps: said only when the evidence is clear."""

from __future__ import annotations

import re

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.reading import named
from secretarisbot.model import SPANNINGSVELDEN, AnswerItem, AnswerSection
from secretarisbot.retrieve.query import user_turns

#: Share of the vote (answer/reading.py) a label needs before the answer names it, per dimension:
#: the lowest bar (in steps of 0.05, never below 0.6) at which the named label is the writer's own
#: label on at least 90 % of the ranker questions that carry one (two writers outside the bank;
#: .team/exp_frame.py, 2026-12-02). Precision at 0.6 / the bar: spanningsveld 0.943 (188
#: labelled), fusievorm 0.868 / 0.902 at 0.7 (954), fase 0.840 / 0.919 at 0.85 (770). Two usefulness
#: reviews in a row found wrong phase lines ("verkenning" after the raad agreed a herindelingsontwerp)
#: and wrong forms: a wrong line is worse than none. At the bars the line names a phase for 34 % of
#: the phase-labelled questions (67 % at 0.6), a form for 66 % (77 % at 0.6).
#: The line as a whole was still wrong too often: two more reviews found a wrong form or phase in it,
#: and of the ranker questions whose line named a labelled dimension, every named one was the
#: writer's own in 0.889 (.team/frame.py, 2026-12-02; a line names one, two or three). The form's bar
#: went up a step, the smallest change that makes the whole line right in 90 %: 0.906, with 897
#: lines instead of 984 (the form alone: 0.930 right; 0.75 for spanningsveld and form together
#: gave 0.900).
CLEAR: dict[str, float] = {"spanningsveld": 0.6, "fusievorm": 0.8, "fase": 0.85}


#: The form a question reads as, for keeping other forms' Bijlage I rows out (sections.options):
#: the bar at which the form alone is the writer's own in 90 % of the ranker questions (0.902 at
#: 0.7; the line's bar above is higher because the line, naming up to three things, must be right
#: as a whole). At the line's bar, shared-service and GR questions read at 0.73-0.76 as "andere
#: samenwerking" got herindeling rows again (the twelfth review's questions, rerun).
FORM_ROWS = 0.7


def clear(draft: Draft, dimension: str, bar: float | None = None) -> str | None:
    """The question's ``dimension`` ("spanningsveld", "fase", "fusievorm") when the evidence for
    it clears ``bar`` (default: its :data:`CLEAR` bar; never for a question about the profession),
    else None."""
    situation = draft.reading.situation
    value = getattr(situation, dimension)
    if draft.reading.profession or not value:
        return None
    bar = CLEAR[dimension] if bar is None else bar
    return value if situation.scores.get("confidence", {}).get(dimension, 0) >= bar else None


def said_by_asker(draft: Draft, value: str | None) -> bool:
    """Whether one of the conversation's own questions (this turn or an earlier one of the asker,
    not the assistant's words) names ``value``, a phase or a form, in so many words
    (:func:`reading.named`: every word, in order, in the question's own inflection: "Hoe begin ik
    aan een ambtelijke fusie?", "We gaan herindelen"). Then the line would only say back what the
    asker wrote (a usefulness review called such lines jargon without added value; on the dev
    splits 42 of 134 lines lost such a part, 16 of them the whole line). A question that says
    "werkorganisatie" or "de buren" still hears which form it reads as; a phase is rarely named
    whole ("na de fusie" alone is also said of a merger to come), so its part mostly stays."""
    if not value:
        return False
    turns = [draft.context.question, *user_turns(draft.context.history)]
    return any(named(turn, [value]) for turn in turns)


def spanningsveld_heading(draft: Draft, key: str, document: str) -> tuple[str, str] | None:
    """(section number, question) of the heading of spanningsveld ``key`` in ``document`` ("1.2.2
    Spanningsveld 2: is en blijft er voldoende draagvlak voor de bestuurlijke beloftes van de
    fusie?"), from its passages' section paths; None when no heading there names it so."""
    heading = re.compile(rf"^(?P<number>\d+(?:\.\d+)*)\s+Spanningsveld {re.escape(key)}:\s*(?P<question>.+\?)$")
    for p in draft.sources.in_document(document):
        for part in p.section.split("›"):
            found = heading.match(part.strip())
            if found:
                return found["number"], found["question"]
    return None


def _where(fase: str | None, vorm: str | None) -> str:
    """The form and the phase in words ("bij een ambtelijke fusie als de nieuwe organisatie
    eenmaal draait"); "" for neither."""
    said = [P.T_FRAME_VORM[vorm] if vorm else "", P.T_FRAME_FASE[fase] if fase else ""]
    return P.T_FRAME_WHERE.format(vorm=said[0], fase=said[1]) if all(said) else "".join(said)


def framing(draft: Draft) -> AnswerSection | None:
    """One sentence: where the evidence clearly puts the question, its phase and form (only those
    the asker did not name, :func:`said_by_asker`) and its spanningsveld by the question the
    guide's heading asks (:func:`spanningsveld_heading`, quoted with its section number; not in an
    answer asked within a guide that has none)."""
    spanningsveld, fase, vorm = clear(draft, "spanningsveld"), clear(draft, "fase"), clear(draft, "fusievorm")
    fase = None if said_by_asker(draft, fase) else fase
    vorm = None if said_by_asker(draft, vorm) else vorm
    asked = draft.context.filters.get("document")
    if asked and not any(p.spanningsveld for p in draft.sources.passages if p.document == asked):
        # a question asked within another guide ("Wat zegt de Wegwijzer daarover?") hears nothing
        # of the Handreiking's spanningsvelden
        spanningsveld = None
    where = _where(fase, vorm)
    if spanningsveld:
        key = next(k for k, v in SPANNINGSVELDEN.items() if v == spanningsveld)
        home = draft.sources.document_of(lambda p: p.spanningsveld is not None)
        doc = draft.sources.named(home, article=True)
        heading = spanningsveld_heading(draft, key, home) if home else None
        about = (P.T_FRAME_ABOUT.format(number=heading[0], question=heading[1]) if heading
                 else P.T_FRAME_ABOUT_LABEL.format(label=spanningsveld))
        template = P.T_FRAME_BOTH if where else P.T_FRAME_SPANNINGSVELD
        text = template.format(where=where, n=key, doc=doc, about=about)
    elif where:
        text = P.T_FRAME.format(where=where)
    else:
        return None
    draft.spend(text)
    return AnswerSection(kind="situation", items=[AnswerItem(text=text, quote=False)])
