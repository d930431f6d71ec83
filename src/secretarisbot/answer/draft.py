"""The state an answer is composed in: what retrieval found, how the question reads, what has been
cited and said, and the budget that keeps the answer short.

Sections (:mod:`secretarisbot.answer.sections`) take passages only from the retrieved context or
from :attr:`Draft.search` (the retriever itself, with filters such as ``{"kind": "intervention"}``
for this question); nothing here ranks the corpus. (One fixed exception, not evidence: the help
line of :mod:`secretarisbot.answer.sections.help`.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from secretarisbot.answer.citations import CitationRegistry, Sources
from secretarisbot.answer.excerpt import Excerpt, Terms, aim, already_said, role_cell, said_key
from secretarisbot.answer.reading import NEIGHBOURS, Reading
from secretarisbot.model import BankQuestion, Citation, Context, Passage, RetrievedPassage
from secretarisbot.settings import AnswerSettings

#: The default budget (settings.answer, where the numbers are explained); a Draft takes its own.
MAX_CITATIONS = AnswerSettings().max_citations
WORD_BUDGET = AnswerSettings().word_budget

#: ``search(filters, k)``: the retriever's ranking of this question within ``filters``.
Search = Callable[[dict[str, str], int], list[RetrievedPassage]]


def _no_search(filters: dict[str, str], k: int) -> list[RetrievedPassage]:
    return []


@dataclass
class Draft:
    context: Context
    sources: Sources
    reading: Reading = field(default_factory=Reading)
    search: Search = _no_search
    bank: Sequence[tuple[BankQuestion, float]] = ()
    role: str | None = None
    #: The passages the unfiltered retrieval ranked near the top (before diversity), best first:
    #: what a section's filtered search result must be among to count as about this question
    #: (interventions: its first sections.options.OPTIONS_TOP; a role's passages: any, as
    #: :attr:`relevant`).
    ranked: Sequence[str] = ()
    #: The role passages (kind "role") as the retriever ranks them for this question: one search,
    #: shared by the reading of the question and the role section.
    role_passages: Sequence[RetrievedPassage] = ()
    #: Per passage, the shares of its bank questions about the profession and about mergers
    #: (reading.topic_profiles); a passage without topic-labelled questions is absent.
    topics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: Per passage, the in-scope bank questions written for it (in bank order).
    written_for: Mapping[str, Sequence[BankQuestion]] = field(default_factory=dict)
    max_citations: int = MAX_CITATIONS
    word_budget: int = WORD_BUDGET
    registry: CitationRegistry = field(default_factory=CitationRegistry)
    words: int = 0
    _quotes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: :attr:`ranked` as a set.
    relevant: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.relevant = frozenset(self.ranked)
        wanted = {p.id for p in self.context.passages}
        asked = [q.text for q, _ in self.bank if q.passage_id in wanted]
        # the anchors of the bank questions that vote in the reading too: the ten nearest (of the
        # 120 retrieval fetches, most are far from the question; their anchors pulled quotes off it)
        self.terms = Terms.of(self.context.question, asked[:10], self.sources.stem_weights(),
                              nearest=[q for q, _ in self.bank[:NEIGHBOURS]])
        self.earlier = [said_key(m.content) for m in self.context.history if m.role == "assistant"]

    def merger_only(self, passage: Passage) -> bool:
        """Of the bank questions written for ``passage`` with a topic label, none is about the
        profession (a passage without such questions is not merger-only)."""
        shares = self.topics.get(passage.id)
        return shares is not None and shares.get("beroep", 0.0) == 0.0  # model.ONDERWERPEN

    # --- budget ---------------------------------------------------------------------------

    def room(self, new_passages: int = 1, words: int = 0) -> bool:
        """Whether ``new_passages`` more citations and ``words`` more words still fit."""
        return len(self.registry) + new_passages <= self.max_citations and self.words + words <= self.word_budget

    def fits(self, passage: Passage, words: int) -> bool:
        new = 0 if self.registry.number(passage.id) else 1
        return self.room(new, words)

    # --- citing ----------------------------------------------------------------------------

    def cite(self, excerpt: Excerpt) -> int:
        """Cite the passage of ``excerpt``, record its quoted sentences and its words."""
        n = self.registry.cite(excerpt.passage)
        self._quotes.setdefault(excerpt.passage.id, []).extend(excerpt.spans)
        self.words += len(excerpt.text.split())
        return n

    def spend(self, text: str) -> None:
        """Count a template sentence against the budget."""
        self.words += len(text.split())

    def cited(self, passage_id: str) -> bool:
        return self.registry.number(passage_id) is not None

    def said(self, text: str) -> bool:
        """Said before, in an earlier answer of the conversation."""
        return already_said(text, self.earlier)

    def quoted(self, passage_id: str, span: tuple[int, int]) -> bool:
        """Whether this answer already quotes (part of) ``span`` of that passage."""
        return any(a < span[1] and span[0] < b for a, b in self._quotes.get(passage_id, []))

    def citations(self) -> list[Citation]:
        out = []
        for c in self.registry.citations():
            spans = sorted(set(self._quotes.get(c.passage_id, [])))
            out.append(c.model_copy(update={"quotes": spans}))
        return out

    # --- labels ----------------------------------------------------------------------------

    def label(self, passage: Passage, at: int | None = None) -> str:
        """What a passage is, for a reader: "Wegwijzer, facet 48 Troubleshooten en branden blussen".
        A role type's passage whose title does not name the role names it, and the cell of §2.3.1
        that a quote from ``at`` lies in ("…, 2.3.1 Roltypen, handelingsperspectieven en
        competenties (Politicus – komt uit de verf)"): a cell's items are no sentences of their own
        ("Voorals in de verkenning- en ontwerpfasen van een herindeling.", quoted ten times in the
        dev answers' first sections, an independent review called it a broken fragment), and the
        title did not say whose they are."""
        doc = self.sources.short_title(passage.document)
        if passage.facet:
            return f"{doc}, facet {passage.facet} {passage.facet_title or ''}".rstrip()
        if passage.kind == "intervention":
            where = ", ".join(x for x in (passage.fusievorm, passage.fase) if x)
            goal = aim(passage).rstrip(" .")  # the label is followed by ":" or a quote
            return f"{doc}, Bijlage I" + (f" ({where})" if where else "") + (f": {goal}" if goal else "")
        tail = [b.strip() for b in passage.section.split("›") if b.strip()]
        title = f"{doc}, {tail[-1]}" if tail else doc
        if passage.kind != "role" or not passage.role or passage.role.lower() in title.lower():
            return title
        cell = role_cell(passage, at) if at is not None else ""
        return f"{title} ({passage.role}" + (f" – {cell})" if cell else ")")
