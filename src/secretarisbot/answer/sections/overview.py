"""Questions about the guides themselves: one of their lists ("Wat zijn de zeven stops?"), read
from the guide's own structure, or the sources ("Welke bronnen gebruik je?"), from the manifest."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, excerpt, flat
from secretarisbot.answer.frameworks import Framework, items, named_documents
from secretarisbot.answer.sections.lead import MAX_ALSO
from secretarisbot.model import AnswerItem, AnswerSection, Document


def facts(doc: Document, capital: bool = False) -> str:
    """"auteur: …; uitgever: …; jaar: …." of what the text states (Document.fact), or that it states
    none of them: the chat's overview of the sources, the reader and Over say it alike (the last
    two as a sentence of its own: ``capital``)."""
    known = [f"{label}: {value}" for label, field in P.T_SOURCES_FACTS if (value := doc.fact(field))]
    text = "; ".join(known) + "." if known else P.T_SOURCES_NO_FACTS
    return text[:1].upper() + text[1:] if capital else text


def framework_overview(draft: Draft, framework: Framework) -> list[AnswerSection]:
    """The list's items in order, each with its first real sentence and citation."""
    found = items(framework, draft.sources)
    if not found:
        return []
    out = []
    for item in found:
        text = flat(item.sentence)
        start = item.passage.text.find(item.sentence)
        spans = ((start, start + len(item.sentence)),) if item.sentence and start >= 0 else ()
        n = draft.cite(Excerpt(item.passage, text, spans))
        out.append(AnswerItem(text=text, citations=[n], label=f"**{item.title}**"))
    # the list cites each of its items once; what retrieval found beyond it still gets its quotes
    draft.max_citations = max(draft.max_citations, len(draft.registry) + MAX_ALSO)
    intro = P.T_OVERVIEW_INTRO.format(doc=draft.sources.short_title(framework.document), label=framework.label)
    invite = AnswerSection(kind="text", items=[AnswerItem(text=P.T_OVERVIEW_MORE, quote=False)])
    return [AnswerSection(kind="overview", title=P.SECTION_TITLES["overview"], intro=intro, items=out), invite]


def sources_overview(draft: Draft) -> AnswerSection | None:
    """The documents (title, author, publisher, year where the text gives them), each citing its
    opening passage so it opens in the reader."""
    documents = named_documents(draft.context.question, draft.sources)
    out = []
    for doc in documents:
        first = next(iter(draft.sources.in_document(doc.id)), None)
        if first is None:
            continue
        details = facts(doc)
        n = draft.registry.cite(first)
        out.append(AnswerItem(text=details, quote=False, citations=[n], label=f"**{doc.title}**"))
    # one guide named: its facts only, no numbered list of one
    if not out:
        return None
    intro = P.T_SOURCES_ONE if len(documents) == 1 else P.T_SOURCES_INTRO
    return AnswerSection(kind="overview", title=P.SECTION_TITLES["sources"], intro=intro, items=out)
