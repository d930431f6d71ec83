"""The guides' own lists ("de zeven stops", "de drie spanningsvelden", "GROEI", "de vier roltypen").

A question that asks what such a list holds ("Wat zijn de zeven stops?", "Waar staat GROEI voor?")
wants the list, not a situation analysis. :func:`detect` recognises those questions, and
:func:`items` reads the list from the structure of the document itself: one item per section whose
heading has the list's form ("3. Leiderschap", "O – Organiseren in stappen", "1.2.2 Spanningsveld 2:
…", "Politicus" under §2.3), in reading order, each with the passage to cite and the first real
sentence of that section.

    >>> detect("Wat zijn de zeven stops uit de VNG-handreiking?").key
    'stops'
    >>> detect("Wat doe ik als de mede-directeur blokkeert?") is None
    True

The overview invites a follow-up about one item ("En de derde?", "Vertel meer over nummer 5",
"Wat betekent de O?"): :func:`referenced_item` finds the item such a question points at in the
numbered list of the last answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from secretarisbot.answer.citations import Sources, has_verb, is_fragment, sentences
from secretarisbot.text import fold
from secretarisbot.model import ROLES, Document, Message, Passage
from secretarisbot.retrieve.query import user_turns


@dataclass(frozen=True)
class Framework:
    key: str
    document: str
    label: str  # how the answer names the list: "zeven stops naar draagvlak en vertrouwen"
    cue: re.Pattern[str]  # on the question as typed
    heading: re.Pattern[str]  # one path component of an item's section; group "title" is shown
    within: str = ""  # only sections whose path contains this (folded) text
    #: The cue is a name, not a plural ("GROEI"): the question must also ask what it stands for,
    #: else "Wat zegt GROEI over de topstructuur?" would get the list.
    needs_list_words: bool = False


@dataclass(frozen=True)
class Item:
    title: str
    passage: Passage
    sentence: str


_ROLE_NAMES = "|".join(re.escape(r) for r in ROLES)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "stops", "004", "zeven stops naar draagvlak en vertrouwen",
        re.compile(r"\bstops\b|\bzeven stops?\b", re.IGNORECASE),
        re.compile(r"^[1-7]\.\s+(?P<title>.+)$"),
    ),
    Framework(
        "groei", "003", "vijf bouwstenen achter de letters G-R-O-E-I",
        re.compile(r"\bGROEI\b|letters van groei", re.IGNORECASE),
        re.compile(r"^(?P<title>[GROEI] – .+)$"),
        needs_list_words=True,
    ),
    Framework(
        "spanningsvelden", "000", "drie spanningsvelden",
        re.compile(r"\bspanningsvelden\b|\bdrie spanningsveld", re.IGNORECASE),
        re.compile(r"^1\.2\.[1-3]\s+(?P<title>Spanningsveld [1-3]: .+)$"),
    ),
    Framework(
        "roltypen", "000", "vier roltypen",
        re.compile(r"\broltypen\b|\brollentypologie\b|\bvier (rol(len|typen)?)\b|\bwelke rollen\b", re.IGNORECASE),
        re.compile(rf"^(?P<title>{_ROLE_NAMES})$"),
        within="2.3 een rollentypologie",
    ),
)

#: The question asks what a list holds (not what to do in a situation).
_ASKS_FOR_LIST = re.compile(
    r"^\s*(wat|welke|noem|geef|som|waar|hoe ?veel|leg uit|overzicht)\b|\bwelke\b|\bwat (zijn|is|betekent)\b"
    r"|\b(overzicht|opsomming|op een rij|allemaal|staat .* voor|staan .* voor|betekent|betekenen|onderscheidt|onderscheiden)\b",
    re.IGNORECASE,
)
#: Words that ask for the whole list or what a name stands for.
_LIST_WORDS = re.compile(
    r"\b(staat|staan|stond)\b.*\bvoor\b|\bbetekent\b|\bbetekenen\b|\bletters\b|\bonderdelen\b|\bstappen\b"
    r"|\belementen\b|\boverzicht\b|\bop een rij\b|\bnoem\b|\bsom\b.*\bop\b|\bopsomming\b|\bbestaat\b.*\buit\b",
    re.IGNORECASE,
)
#: ... and does not describe the asker's own situation ("Wat doe ik als …", "mijn raad …").
_OWN_SITUATION = re.compile(r"\b(ik|mij|mijn|we|wij|ons|onze)\b", re.IGNORECASE)
_ROLE_WORDS = re.compile(r"\b(rol|rollen|roltype|roltypen)\b", re.IGNORECASE)


def detect(question: str) -> Framework | None:
    """The framework whose list ``question`` asks for, if any."""
    if not _ASKS_FOR_LIST.search(question):
        return None
    for framework in FRAMEWORKS:
        if not framework.cue.search(question):
            continue
        if framework.needs_list_words and not _LIST_WORDS.search(question):
            continue
        # "Welke rollen kan ik aannemen?" still asks for the list; "Welke stops passen bij
        # mijn situatie?" asks for advice, which the normal answer gives.
        if _OWN_SITUATION.search(question) and not (framework.key == "roltypen" and _ROLE_WORDS.search(question)):
            continue
        return framework
    return None


def items(framework: Framework, sources: Sources) -> list[Item]:
    """The list's items in reading order, read from the section structure of its document."""
    found: dict[str, list[Passage]] = {}
    within = fold(framework.within)
    for passage in sources.in_document(framework.document):
        if within and within not in fold(passage.section):
            continue
        for part in (b.strip() for b in passage.section.split("›")):
            m = framework.heading.match(part)
            if m:
                found.setdefault(m.group("title").strip(), []).append(passage)
                break
    out = []
    for title, passages in found.items():
        sentence, passage = _first_sentence(passages)
        out.append(Item(title, passage, sentence))
    return out


def introduction(framework: Framework, sources: Sources) -> str | None:
    """The section that introduces the list, read from the structure like :func:`items`: the
    section the items share ("… › 2.3 Een rollentypologie: …" holds the four role types), or, for
    items that are sections of their own ("1. Gemeenschappelijke ambitie"), the section right
    before the first item ("Zeven stops naar draagvlak en vertrouwen"). None without items."""
    found = items(framework, sources)
    if not found:
        return None
    paths = [[b.strip() for b in i.passage.section.split("›")] for i in found]
    common: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    if common:
        return " › ".join(common)
    passages = sources.in_document(framework.document)
    first = passages.index(found[0].passage)
    return passages[first - 1].section if first > 0 else None


#: A heading repeated as the passage's first line ("1.2.1 Spanningsveld 1: …?").
_NUMBERED = re.compile(r"^\d+(\.\d+)*\.?\s")
_QUOTE_OPENERS = ("“", '"', "‘", "'", "„")


def _first_sentence(passages: list[Passage]) -> tuple[str, Passage]:
    """The first sentence of the item's passages that says what the item is about: a real
    sentence, not its heading, and not the motto quote a section opens with (unless there is
    nothing else)."""
    motto: tuple[str, Passage] | None = None
    for passage in passages:
        for text in sentences(passage.text):
            if not 25 <= len(text) <= 300 or _NUMBERED.match(text) or is_fragment(text) or not has_verb(text):
                continue
            if text.startswith(_QUOTE_OPENERS):
                motto = motto or (text, passage)
                continue
            return text, passage
    return motto or ("", passages[0])


# --- follow-ups that point at an item of the last list ---------------------------------------

_ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7,
    "achtste": 8, "negende": 9, "tiende": 10, "laatste": -1,
}
_REF_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)
_REF_NUMBER = re.compile(r"\b(?:nummer|nr\.?|punt|stop|stap|onderdeel)\s*(\d{1,2})\b", re.IGNORECASE)
_REF_LETTER = re.compile(r"\b(?:letter|de)\s+([A-Z])\b")  # "de O", "letter R": capitals only
#: Longer questions are about something else, whatever ordinal they contain.
MAX_REFERENCE_CHARS = 80


def referenced_item(question: str, history: Sequence[Message], sources: Sources) -> str | None:
    """The title of the item that ``question`` points at ("En de derde?", "Wat betekent de O?")
    in the list the previous question asked for. The list is read again from the guide (the
    previous question names it), never parsed back from the rendered answer."""
    if len(question) > MAX_REFERENCE_CHARS:
        return None
    previous = next(reversed(user_turns(history)), "")
    framework = detect(previous) if previous else None
    if framework is None:
        return None
    titles = [item.title for item in items(framework, sources)]
    if not titles:
        return None
    m = _REF_LETTER.search(question)
    if m:
        hit = [t for t in titles if t.startswith(f"{m.group(1)} –")]
        if hit:
            return hit[0]
    m = _REF_NUMBER.search(question)
    n = int(m.group(1)) if m else None
    if n is None:
        m = _REF_ORDINAL.search(question)
        n = _ORDINALS[m.group(1).lower()] if m else None
    if n is None:
        return None
    if n == -1:
        return titles[-1]
    return titles[n - 1] if 1 <= n <= len(titles) else None


def document_of_item(title: str, sources: Sources) -> str | None:
    """The document whose framework lists an item with this title."""
    for framework in FRAMEWORKS:
        if any(item.title == title for item in items(framework, sources)):
            return framework.document
    return None


# --- questions about the sources themselves --------------------------------------------------

#: "Welke bronnen gebruik je?", "Waar baseer je je op?", "Wie heeft de Wegwijzer geschreven?"
_ASKS_FOR_SOURCES = re.compile(
    r"\b(welke|wat (zijn|voor)|hoeveel) (bronnen|handreikingen|documenten|teksten|publicaties|boeken)\b.*\b(je|jij|u)\b"
    r"|\bwaar(op)? baseer (je|jij|u) (je|jij|u|zich)?\b|\bje bronnen\b|\bjouw bronnen\b"
    r"|\bwie (heeft|hebben) .{0,60}(geschreven|gemaakt|uitgegeven|opgesteld)\b"
    r"|\bwie (is|zijn) de (auteurs?|schrijvers?|uitgevers?|makers?)\b|\b(auteurs?|uitgever) van\b"
    r"|\buit welk jaar\b|\bwanneer is .{0,60}(verschenen|geschreven|uitgegeven)\b",
    re.IGNORECASE,
)


def asks_for_sources(question: str) -> bool:
    """Does ``question`` ask which texts the assistant uses, or who wrote one of them?"""
    return bool(_ASKS_FOR_SOURCES.search(question))


def named_documents(question: str, sources: Sources) -> list[Document]:
    """The documents ``question`` names by short title ("de Wegwijzer", "GROEI"); all when none."""
    folded = fold(question)
    named = [d for d in sources.documents if d.short_title and fold(d.short_title.split()[0]) in folded.split()]
    return named or list(sources.documents)
