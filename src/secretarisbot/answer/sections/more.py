"""Meer in de bronnen: further retrieved passages, by title, that open the reader (folded)."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.model import AnswerItem, AnswerSection

MAX_MORE = 5


def more(draft: Draft) -> AnswerSection | None:
    """Retrieved passages the answer did not cite, one per title: a title the answer already cites
    (another slice of the same section) is not offered again."""
    items = []
    labels = {draft.label(p) for p in draft.context.passages if draft.cited(p.id)}
    for p in draft.context.passages:
        if draft.cited(p.id):
            continue
        label = draft.label(p)
        if label in labels:
            continue
        labels.add(label)
        items.append(AnswerItem(text="", quote=False, label=label, passage_id=p.id))
        if len(items) >= MAX_MORE:
            break
    if not items:
        return None
    return AnswerSection(kind="more", title=P.SECTION_TITLES["more"], items=items, folded=True)
