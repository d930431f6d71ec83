"""Where a merger situation sits on the guides' maps: said only when the evidence is clear."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.model import SPANNINGSVELDEN, AnswerItem, AnswerSection

#: Share of the vote (answer/reading.py) a label needs before the answer names it, per dimension:
#: the lowest bar (in steps of 0.05, never below 0.6) at which the named label is the writer's own
#: label on at least 90 % of the ranker questions that carry one (two writers outside the bank;
#: .team/exp_frame.py, 2026-12-02). Precision at 0.6 / the bar: spanningsveld 0.943 (188
#: labelled), fusievorm 0.868 / 0.902 at 0.7 (954), fase 0.840 / 0.919 at 0.85 (770). Two usefulness
#: reviews in a row found wrong phase lines ("verkenning" after the raad agreed a herindelingsontwerp)
#: and wrong forms: a wrong line is worse than none. At the bars the line names a phase for 34 % of
#: the phase-labelled questions (67 % at 0.6), a form for 66 % (77 % at 0.6).
CLEAR: dict[str, float] = {"spanningsveld": 0.6, "fusievorm": 0.7, "fase": 0.85}


def framing(draft: Draft) -> AnswerSection | None:
    """One template line: spanningsveld, phase and form that the evidence clearly points to."""
    reading = draft.reading
    if reading.profession:
        return None
    situation = reading.situation
    confidence = situation.scores.get("confidence", {})
    bits = []
    if situation.spanningsveld and confidence.get("spanningsveld", 0) >= CLEAR["spanningsveld"]:
        key = next(k for k, v in SPANNINGSVELDEN.items() if v == situation.spanningsveld)
        doc = draft.sources.guide_of(lambda p: p.spanningsveld is not None, article=True)
        bits.append(P.T_FRAME_SPANNINGSVELD.format(n=key, doc=doc, label=situation.spanningsveld))
    if situation.fase and confidence.get("fase", 0) >= CLEAR["fase"]:
        bits.append(P.T_FRAME_FASE.format(fase=situation.fase))
    if situation.fusievorm and confidence.get("fusievorm", 0) >= CLEAR["fusievorm"]:
        bits.append(P.T_FRAME_VORM.format(vorm=situation.fusievorm))
    if not bits:
        return None
    text = P.T_FRAME.format(what="; ".join(bits))
    draft.spend(text)
    return AnswerSection(kind="situation", items=[AnswerItem(text=text, quote=False)])
