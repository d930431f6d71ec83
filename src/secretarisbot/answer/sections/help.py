"""Hulp voor jezelf: where a secretary finds help, when the evidence is about their own position
or wellbeing.

Which evidence that is, and which line of the guides says where to find help, is data
(``corpus/sections/help.yaml``, with the reason for each entry). The section quotes that line verbatim with
its citation (unless this answer quotes it already) and adds one fixed sentence of the product's
own (``prompts.T_HELP_NOTE``): the guides do not mention a huisarts or bedrijfsarts. It is not
said twice in a conversation, and it is not cut for the word budget: it is short, and a safety
note is not what a budget should drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt
from secretarisbot.answer.sections.lead import MAX_LEAD
from secretarisbot.model import AnswerItem, AnswerSection, Passage
from secretarisbot.settings import PROJECT_ROOT

HELP_FILE = PROJECT_ROOT / "corpus" / "sections" / "help.yaml"
#: The evidence the section looks at: the passages the answer leads with.
EVIDENCE = MAX_LEAD


@dataclass(frozen=True)
class HelpData:
    when: frozenset[tuple[str, int]]  # (document, facet)
    quote_document: str
    quote: str
    #: (document, facet, title, a line of it): why each entry is there, checked against the guides
    reasons: tuple[tuple[str, int, str, str], ...] = ()


@lru_cache(maxsize=4)
def load_help(path: Path = HELP_FILE) -> HelpData:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return HelpData(
        when=frozenset((str(w["document"]), int(w["facet"])) for w in data.get("when") or ()),
        quote_document=str(data["quote"]["document"]),
        quote=str(data["quote"]["text"]).strip(),
        reasons=tuple((str(w["document"]), int(w["facet"]), str(w["title"]), str(w["line"]))
                      for w in data.get("when") or ()),
    )


def about_the_person(passages: list[Passage], data: HelpData) -> bool:
    """Whether one of ``passages`` is a passage the help data names."""
    return any(p.facet is not None and (p.document, int(p.facet)) in data.when for p in passages)


def _quote(draft: Draft, data: HelpData) -> Excerpt | None:
    p = draft.sources.containing(data.quote, document=data.quote_document)
    start = p.text.find(data.quote) if p is not None else -1
    return Excerpt(p, data.quote, ((start, start + len(data.quote)),)) if p is not None and start >= 0 else None


def help_section(draft: Draft, data: HelpData | None = None) -> AnswerSection | None:
    data = data or load_help()
    if not about_the_person(list(draft.context.passages[:EVIDENCE]), data) or draft.said(P.T_HELP_NOTE):
        return None
    items = []
    ex = _quote(draft, data)
    if ex is not None and not draft.said(ex.text) and not draft.quoted(ex.passage.id, ex.spans[0]) \
            and draft.room(0 if draft.cited(ex.passage.id) else 1):
        n = draft.cite(ex)
        items.append(AnswerItem(text=ex.text, citations=[n], label=draft.label(ex.passage)))
    items.append(AnswerItem(text=P.T_HELP_NOTE, quote=False))
    draft.spend(P.T_HELP_NOTE)
    return AnswerSection(kind="help", title=P.SECTION_TITLES["help"], items=items)
