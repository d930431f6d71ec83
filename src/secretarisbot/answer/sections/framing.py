"""Where a merger situation sits on the guides' maps: said only when the evidence is clear."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.model import SPANNINGSVELDEN, AnswerItem, AnswerSection

#: Share of the vote (answer/reading.py) a label needs before the answer names it.
CLEAR = 0.6


def framing(draft: Draft) -> AnswerSection | None:
    """One template line: spanningsveld, phase and form that the evidence clearly points to."""
    reading = draft.reading
    if reading.profession:
        return None
    situation = reading.situation
    confidence = situation.scores.get("confidence", {})
    bits = []
    if situation.spanningsveld and confidence.get("spanningsveld", 0) >= CLEAR:
        key = next(k for k, v in SPANNINGSVELDEN.items() if v == situation.spanningsveld)
        doc = draft.sources.guide_of(lambda p: p.spanningsveld is not None, article=True)
        bits.append(P.T_FRAME_SPANNINGSVELD.format(n=key, doc=doc, label=situation.spanningsveld))
    if situation.fase and confidence.get("fase", 0) >= CLEAR:
        bits.append(P.T_FRAME_FASE.format(fase=situation.fase))
    if situation.fusievorm and confidence.get("fusievorm", 0) >= CLEAR:
        bits.append(P.T_FRAME_VORM.format(vorm=situation.fusievorm))
    if not bits:
        return None
    text = P.T_FRAME.format(what="; ".join(bits))
    draft.spend(text)
    return AnswerSection(kind="situation", items=[AnswerItem(text=text, quote=False)])
