"""Citations as data: quoting sentences from passages and numbering the passages behind [n].

Three small tools the composer (and the LLM validator) share:

- :class:`Sources` — everything that may be cited: all passages (corpus order) and the documents,
  so a sentence can be quoted from a role or intervention passage that retrieval did not return.
- :func:`sentence_spans` — split a passage into sentences that are exact substrings of its text,
  so every quote can be checked against the corpus.
- :class:`CitationRegistry` — hands out ``[n]`` numbers 1..N in order of first use.

and the checks :func:`cited_numbers`, :func:`validate`, :func:`renumber`.

    >>> reg = CitationRegistry()
    >>> reg.cite(passage)          # doctest: +SKIP
    1
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from secretarisbot.answer.prompts import GUIDE_UNKNOWN, with_article
from secretarisbot.model import Citation, Document, Passage

#: An [n] marker (also matches "[3, 4]" style groups; see :func:`cited_numbers`).
MARKER_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")

# Boundaries inside passage text that always end a sentence: HTML tags of converted tables,
# line breaks, tabs, and bullet characters.
_HARD_BREAK_RE = re.compile(r"<[^>]{0,200}>|\n+|\t+|[•·▪●]\s*")
# A sentence end inside a segment: . ! ? (optionally followed by a closing quote or bracket) and
# whitespace before the next sentence; a colon or semicolon is not a sentence end.
_SOFT_BREAK_RE = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(*]*[A-ZÀ-Ý0-9])"  # . ! ? then a capital
    r"|(?<=;)\s+(?=[A-ZÀ-Ý])"  # table cells list items as "…; Adviseer …; Neem …"
)
# Leading list markers and stray punctuation to trim from a sentence start.
_LEAD_RE = re.compile(r"(?:[-–*>]\s+|\d{1,2}[.)]\s+|[;,:]\s*)+")


@dataclass
class Sources:
    """What may be cited: all passages, their documents, and look-ups over them."""

    passages: Sequence[Passage]
    documents: Sequence[Document] = ()
    _by_id: dict[str, Passage] = field(default_factory=dict, init=False, repr=False)
    _docs: dict[str, Document] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.passages}
        self._docs = {d.id: d for d in self.documents}

    def common_stems(self, share: float = 0.1) -> frozenset[str]:
        """Stems that occur in more than ``share`` of the passages (computed once)."""
        cached = getattr(self, "_common", None)
        if cached is None:
            from collections import Counter

            from secretarisbot.text import stem_set

            df: Counter[str] = Counter()
            for p in self.passages:
                df.update(stem_set(p.text))
            limit = share * max(1, len(self.passages))
            cached = frozenset(s for s, n in df.items() if n > limit)
            self._common = cached
        return cached

    def second_person_verbs(self) -> frozenset[str]:
        """The verbs the guides conjugate with the reader as subject, as their stem: "je zorgt" ->
        "zorg", "je maakt" -> "maak". A sentence that opens with one ("Zorg dat …", "Maak …") tells
        the reader what to do. From the guides' own text, computed once, from forms they write at
        least twice; a stem on a long vowel keeps its "t" ("je laat" -> "laat").
        The set also holds words that merely follow "je" and end in "t" ("je niet" -> "nie", "je
        direct" -> "direc"): harmless, since no sentence opens with such a stem. A stem that is
        also a noun ("werk", "zorg") reads a sentence opening with that noun as advice; in the
        guides' bullets such an opener is nearly always the imperative."""
        cached = getattr(self, "_verbs", None)
        if cached is None:
            import re
            from collections import Counter

            forms: Counter[str] = Counter(
                m.group(1) for p in self.passages for m in re.finditer(r"\b(?:je|jij)\s+(\w{3,}t)\b", p.text.lower())
            )
            cached = frozenset(
                form if form[-3] == form[-2] and form[-2] in "aeou" else form[:-1]
                for form, n in forms.items() if n >= 2
            )
            self._verbs = cached
        return cached

    def stem_weights(self, full_share: float = 0.05) -> dict[str, float]:
        """Weight of each stem for matching a question to a sentence: 1 for a stem in at most
        ``full_share`` of the passages, less for commoner ones (idf relative to that share's idf:
        a stem in 30 % of the passages weighs 0.4, "gemeente" in most of them about 0.1), so
        "vertrouwen" says more about a sentence than "gemeente". Computed once."""
        cached = getattr(self, "_stem_weights", None)
        if cached is None:
            import math
            from collections import Counter

            from secretarisbot.text import stem_set

            df: Counter[str] = Counter()
            for p in self.passages:
                df.update(stem_set(p.text))
            n = max(1, len(self.passages))
            reference = math.log(1 / full_share)
            cached = {s: min(1.0, math.log(n / c) / reference) for s, c in df.items()}
            self._stem_weights = cached
        return cached

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def short_title(self, document: str) -> str:
        doc = self._docs.get(document)
        if doc is None:
            return document
        return doc.short_title or doc.title

    def named(self, document: str | None, article: bool = False, capital: bool = False) -> str:
        """How a sentence names ``document``: its short title ("Handreiking 2026"); with ``article``
        as it reads in running text ("de Handreiking 2026"), with ``capital`` also capitalised (and
        with its article). A document not among the sources is "de handreiking"."""
        title = self.short_title(document) if document in self._docs else ""
        if not title:
            text = f"de {GUIDE_UNKNOWN}" if article or capital else GUIDE_UNKNOWN
            return text[:1].upper() + text[1:] if capital else text
        return with_article(title, capital) if article or capital else title

    def document_of(self, holds: Callable[[Passage], bool]) -> str | None:
        """The id of the guide whose passages ``holds`` (the role types, the spanningsvelden)."""
        return next((p.document for p in self.passages if holds(p)), None)

    def guide_of(self, holds: Callable[[Passage], bool], article: bool = False, capital: bool = False) -> str:
        """:meth:`named` for the guide whose passages ``holds`` (the role types, the spanningsvelden),
        so no sentence names a guide by a hard-coded title."""
        return self.named(self.document_of(holds), article, capital)

    def of_kind(self, kind: str, document: str | None = None) -> list[Passage]:
        return [p for p in self.passages if p.kind == kind and (document is None or p.document == document)]

    def in_document(self, document: str) -> list[Passage]:
        return [p for p in self.passages if p.document == document]

    def containing(self, needle: str, document: str | None = None) -> Passage | None:
        """The first passage whose text contains ``needle`` (whitespace-insensitive)."""
        want = " ".join(needle.split())
        for p in self.passages:
            if document is not None and p.document != document:
                continue
            if want in " ".join(p.text.split()):
                return p
        return None

    @classmethod
    def from_index(cls, index) -> Sources:  # noqa: ANN001 - index.store.Index, imported lazily
        return cls(passages=list(index.passages), documents=list(index.documents))

    @classmethod
    def from_corpus(cls, settings=None) -> Sources:  # noqa: ANN001
        from secretarisbot.corpus import load_documents, load_passages

        return cls(passages=load_passages(settings), documents=load_documents(settings))


def sentence_spans(text: str, min_chars: int = 12) -> list[tuple[int, int]]:
    """Sentences of ``text`` as (start, end) offsets (see :func:`_sentence_spans`; cached)."""
    return list(_sentence_spans(text, min_chars))


@lru_cache(maxsize=16384)
def _sentence_spans(text: str, min_chars: int = 12) -> tuple[tuple[int, int], ...]:
    """Sentences of ``text`` as (start, end) offsets; ``text[start:end]`` is the sentence verbatim.

    Table markup, line breaks and bullets always end a sentence; inside a segment we split after
    . ! ? followed by a capital. Leading list markers are trimmed; fragments shorter than
    ``min_chars`` are dropped.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    segments: list[tuple[int, int]] = []
    for m in _HARD_BREAK_RE.finditer(text):
        segments.append((pos, m.start()))
        pos = m.end()
    segments.append((pos, len(text)))
    for seg_start, seg_end in segments:
        cut = seg_start
        for m in _SOFT_BREAK_RE.finditer(text, seg_start, seg_end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, seg_end))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        start += len(chunk) - len(chunk.lstrip())
        end = start + len(stripped)
        lead = _LEAD_RE.match(text, start, end)
        if lead:
            start = lead.end()
        if end - start >= min_chars:
            out.append((start, end))
    return tuple(out)


def sentences(text: str, min_chars: int = 12) -> list[str]:
    """The sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text, min_chars)]


_DANGLING = frozenset("of en om te de het een van voor met aan in op als dat die bij tot door naar".split())


def is_fragment(text: str) -> bool:
    """A sentence cut off by table layout (starts with dots, ends on a function word) or a heading."""
    if text.startswith("."):
        return True
    if len(text) < 60 and not re.search(r"[.?!;”\"')]$", text):
        return True  # a heading ("De persoon: rolneming in een fusiecontext")
    if _PAGE_JUNK_RE.search(text):
        return True  # table or page residue ("organisatie 231015 het politiek bestuur")
    if "|" in text:
        return True  # a table's column rule ("… e.a., bestuurskracht … 2013:59 | worden.")
    last = re.sub(r"[^\w]+$", "", text).rsplit(" ", 1)[-1].lower()
    return last in _DANGLING and not text.rstrip().endswith((".", "?", "!"))


#: A standalone number of five or more digits (document codes, dates as 231015) in running text.
_PAGE_JUNK_RE = re.compile(r"(?<![\w.,])\d{5,}(?![\w.,])")

#: Where a table starts in a passage: its caption ("Figuur 3: Wat is waar?", "Tabel 2:") or a cell
#: of pluses and minuses ("+ ++ +", "+/-", "+= positief"). The PDF texts
#: interleave a table's columns ("Uitspraak Waar Juist of onjuist? gedaan? 1 Met het onderzoeken
#: …"), so from there on a passage reads as debris; in the corpus this marks three SETA passages (the
#: factchecking table, the menu comparison, the quality table), counted 2026-12-02. A column rule
#: ("… 2013:59 | worden.") makes one sentence debris (:func:`is_fragment`), not the passage: page
#: headers carry it too ("OB | S |88" above a list of mergers).
_CAPTION_RE = re.compile(r"\b(?:Figuur|Tabel)\s+\d+\s*:")
_CELLS_RE = re.compile(r"(?<!\S)(?:\+{1,3}|-/\+|\+/-|\+=)(?!\S)")


def table_start(text: str) -> int | None:
    """Where a table begins in ``text`` (None: no table): at its caption, which may close a line
    of prose ("… als de wil er is. Figuur 3: Grove aanduiding …"), or at the start of the line of
    its first cell of pluses and minuses (the row's label stands before it)."""
    starts = []
    caption = _CAPTION_RE.search(text)
    if caption is not None:
        starts.append(caption.start())
    cell = _CELLS_RE.search(text)
    if cell is not None:
        starts.append(text.rfind("\n", 0, cell.start()) + 1)
    return min(starts, default=None)

#: Finite verbs and auxiliaries that do not end in -t (the -t forms are caught by the suffix rule).
_FINITE = frozenset(
    """
    is zijn was waren ben bent word worden werd werden heb hebben had hadden kan kunnen kon konden
    moet moeten moest moesten zal zullen zou zouden mag mogen mocht wil willen wilde wilden ga gaan
    ging gingen kom komen kwam kwamen doe doen deed deden sta staan stond stonden zie zien zag zagen
    blijf blijven bleef bleven geef geven gaf gaven neem nemen nam namen maak maken zorg weet
    lijkt leidt vindt geldt speelt spelen vormen bestaan ontstaan liggen
    """.split()
)
_FUNCTION_T = frozenset("niet met het dat wat tot uit echt recht want nogal toch omdat".split())


def has_verb(text: str) -> bool:
    """Whether ``text`` looks like a sentence rather than a label or list item: it contains a
    finite verb (a common one, or a content word ending in -t/-dt: "werkt", "ontstaat").

    "(Zelfbenoemde) directeuren, mededirecteuren en gemeentesecretarissen in de regio." and
    "Werkorganisatie Duivenvoorde: Voorschoten, Wassenaar;" have none.
    """
    previous = ""
    for i, token in enumerate(re.findall(r"[A-Za-zÀ-ÿ]+", text)):
        word, before, previous = token.lower(), previous, token.lower()
        if word in _FINITE:
            if before == "te":
                continue  # "te kunnen ontwikkelen" is an infinitive, not a finite verb
            return True
        if i and token[0].isupper():
            continue  # a name inside the sentence ("Werkorganisatie Noaberkracht") is no verb
        if len(word) >= 4 and word.endswith("t") and word not in _FUNCTION_T:
            return True
    return False


class CitationRegistry:
    """Numbers passages 1..N in order of first citation; citing a passage twice reuses its number."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._passages: list[Passage] = []

    def cite(self, passage: Passage) -> int:
        n = self._numbers.get(passage.id)
        if n is None:
            self._passages.append(passage)
            n = self._numbers[passage.id] = len(self._passages)
        return n

    def marker(self, passage: Passage) -> str:
        return f"[{self.cite(passage)}]"

    def number(self, passage_id: str) -> int | None:
        return self._numbers.get(passage_id)

    def __len__(self) -> int:
        return len(self._passages)

    def citations(self) -> list[Citation]:
        return [Citation.of(i, p) for i, p in enumerate(self._passages, start=1)]


def cited_numbers(text: str) -> list[int]:
    """Every number in an [n] (or [n, m]) marker of ``text``, in order of appearance."""
    out: list[int] = []
    for m in MARKER_RE.finditer(text):
        out.extend(int(x) for x in m.group(1).split(","))
    return out


def validate(text: str, citations: Sequence[Citation]) -> list[int]:
    """The [n] numbers in ``text`` that do not resolve to one of ``citations`` (empty = all fine).

    Bounds-checked on the citation numbers themselves: [0] never resolves (no Python -1 indexing),
    nor does [N+1].
    """
    valid = {c.n for c in citations}
    return [n for n in cited_numbers(text) if n not in valid]


def renumber(
    text: str, citations: Sequence[Citation], keep: Iterable[int] | None = None
) -> tuple[str, list[Citation]]:
    """Renumber the [n] of ``text`` 1..M in order of first use, dropping unresolvable markers.

    ``keep`` (optional) restricts the citations that survive; markers of dropped or unknown
    citations are removed from the text (with the space before them).
    """
    by_n: Mapping[int, Citation] = {c.n: c for c in citations}
    allowed = set(by_n) if keep is None else set(keep) & set(by_n)
    mapping: dict[int, int] = {}
    for n in cited_numbers(text):
        if n in allowed and n not in mapping:
            mapping[n] = len(mapping) + 1

    def _sub(m: re.Match[str]) -> str:
        nums = [mapping[int(x)] for x in m.group(1).split(",") if int(x) in mapping]
        if not nums:
            return ""
        return "".join(f"[{k}]" for k in dict.fromkeys(nums))

    new_text = MARKER_RE.sub(_sub, text)
    new_text = re.sub(r"[ \t]+(?=[.,;:!?\n]|$)", "", new_text)
    new_text = re.sub(r"[ \t]{2,}", " ", new_text)
    new_cits = [
        by_n[old].model_copy(update={"n": new}) for old, new in sorted(mapping.items(), key=lambda kv: kv[1])
    ]
    return new_text, new_cits
