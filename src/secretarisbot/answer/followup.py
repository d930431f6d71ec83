"""Follow-ups that are operations on the previous answer, not new questions.

- "kun je dat korter samenvatten?"            -> ``shorter``: the previous answer's leading passages,
                                                 one sentence each ("in vijf punten": five of its
                                                 quotes, the first, then those that say what to do)
- "wat zegt de Wegwijzer daar precies over?"  -> ``within``: the previous question within that guide
- "waar staat dat?"                           -> ``where``: the previous answer's sources
- "zet kort op een rij wat de Wegwijzer zegt" -> ``within``, ``short``: that guide's answer as points

(A follow-up that adds a condition, "en als de raad dat ook vindt?", is a new question that
retrieval resolves against the earlier turns: see :func:`secretarisbot.retrieve.query.is_follow_up`.)

The previous answer is made again from the previous question (deterministic, the same answer), so
nothing parses the rendered text of an earlier turn. :func:`apply` turns it into the follow-up's
answer: fewer sections, citations renumbered in order of use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import Sources
from secretarisbot.answer.draft import MAX_CITATIONS
from secretarisbot.answer.excerpt import Terms, flat, key_sentence
from secretarisbot.answer.scope import TEXT_KIND, asks_for_writing, writing_topic
from secretarisbot.answer.sections.kern import best_step
from secretarisbot.model import Answer, AnswerItem, AnswerSection, Citation, Message
from secretarisbot.retrieve.analyze import content_words
from secretarisbot.render import markdown, told_apart
from secretarisbot.text import match_key

Kind = Literal["shorter", "within", "where"]

_SHORTER = re.compile(
    r"\b(korter|samenvat\w*|samengevat|samen te vatten|korte versie|hoofdpunten|vat (dat|dit|het) .{0,20}samen|vat samen|in het kort|kort samen|tl;?dr"
    r"|in (een|één|een paar|\d{1,2}|twee|drie|vier|vijf|zes|zeven|acht|negen|tien) (punten|zinnen|zin)"
    r"|beknopt\w*|in een notendop|de kern(?! van)|kort op een rij|kort en bondig|puntsgewijs|in steekwoorden"
    r"|kort (graag|alsjeblieft|aub)|(houd|hou|maak) (het|dat|dit) kort)\b",
    re.IGNORECASE,
)
#: "korter, in vijf punten": the number of points asked for. (Points and sentences only: "in vijf
#: stappen" asks how to do something, a question of its own.)
_POINTS = re.compile(r"\bin (\d{1,2}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien) (punten|zinnen|zin)\b", re.IGNORECASE)
_NUMBERS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10}
#: "Waar staat dat?", "Waar haal je dat vandaan?", "Waar staat dat precies in de Wegwijzer?": at most
#: four words after the pointer; more are a subject of their own ("Waar komt het informele gezag van een
#: gemeentesecretaris vandaan?", a bank question, asks where the authority comes from).
_WHERE = re.compile(
    r"\bwaar (staat|lees ik|vind ik|haal je|heb je|komt) (dat|dit|het)\b(\W+\w+){0,4}\W*$|\bwat is (je|de) bron\b"
    r"|\bwelke bron(nen)?\b.{0,30}\b(dat|dit|daarvoor|hiervoor)\b|\bbronvermelding\b",
    re.IGNORECASE,
)
#: "hier … over" points back as "er … over" does ("Wat zegt GROEI hier specifiek over?", "Hoe kijkt
#: de Wegwijzer hier tegenaan?"), but only where the particle ends the clause, after at most three
#: words and before at most a verb of saying: "hier in de regio bij de buren" and "is hier sprake
#: van belangenverstrengeling?" point at nothing (a review of the first version found 23 writers'
#: questions read as operations).
_HIER_OVER = (
    r"\bhier( \w+){0,3} (over|van|bij|tegenaan)( (zeggen|vertellen|vinden|denken|lezen|schrijven|weten))?\s*([?.!,]|$)"
)
_REFERS_BACK = re.compile(
    r"\b(daar|daarover|hierover|erover|dat|dit|hetzelfde|daarvan|hiervan|ervan|ertegen|daartegen|erbij|daarbij)\b"
    r"|\ber( \w+){1,3} (over|van|bij|tegenaan)\b"  # "er zelf over", "er nog meer over"
    rf"|{_HIER_OVER}",
    re.IGNORECASE,
)
#: Asking what a guide says: "wat zegt de Wegwijzer", "volgens GROEI", a turn that opens with "En"
#: ("En de VNG?"; an "en" inside a sentence is no such turn: "Samen en Toch Apart"), and in a
#: subordinate clause, the verb last ("Vat samen wat de Wegwijzer daarover zegt").
_ACCORDING = re.compile(
    r"\b(wat zegt|wat zeggen|volgens|hoe kijkt|wat vindt)\b|^\W*en\b"
    r"|\bwat (\S+ ){1,4}(zegt|zeggen|schrijft|schrijven|vindt|vinden|adviseert|adviseren)\b",
    re.IGNORECASE,
)
#: Operations are short turns: a longer message is a question of its own (but see :func:`_own_length`).
MAX_CHARS = 90
#: Words that point back at the previous answer as a whole ("daar precies over", "hierover", "er …
#: over"); a bare "dat" or "dit" may be a conjunction or point at something of the turn itself.
_POINTS_BACK = re.compile(
    r"\b(daar|daarover|hierover|erover|daarvan|hiervan|ervan|ertegen|daartegen|erbij|daarbij)\b"
    r"|\ber( \w+){1,3} (over|van|bij|tegenaan)\b"
    rf"|{_HIER_OVER}",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\([^()]*\)")
#: A turn that names a guide and points at nothing is about the previous question only when it is
#: this short ("En volgens GROEI?"): "Wat zijn de kenmerken van een ambtelijke fusie volgens
#: Korsten?" asks something of its own.
SHORT_TURN = 40
#: "Korter" gives the previous answer's leading passages, one sentence each: at most this many,
#: unless the question asks for a number of points (at most the citation budget).
SHORT_POINTS = 3
MAX_POINTS = MAX_CITATIONS
#: The sections whose quotes are the answer's evidence, from which points are drawn ("In het kort"
#: repeats the lead's sentences; a reflection question or a role line is no point of the answer).
POINT_SECTIONS = ("lead", "options")


def points_asked(question: str) -> int | None:
    """The number of points a "korter" turn asks for ("in vijf punten" -> 5), if any."""
    m = _POINTS.search(question)
    if m is None:
        return None
    word = m.group(1).lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    return max(1, min(n, MAX_POINTS))


@dataclass(frozen=True)
class Operation:
    kind: Kind
    document: str | None = None
    #: "within", asked short as well ("Zet het kort op een rij: wat zegt de Wegwijzer hierover?"):
    #: that guide's answer as points, as "korter" gives them
    short: bool = False
    #: a text asked about the previous answer ("Kun je daar een memo over schrijven?"): none is
    #: written; the points of that answer are given for the user's own text
    writing: bool = False


def _names(sources: Sources, titles: bool = False) -> list[tuple[str, str, str]]:
    """(document id, match_key of one of its names, the name): short title and the manifest's
    aliases, with ``titles`` the full title too."""
    return [(doc.id, k, name) for doc in sources.documents
            for name in [*((doc.title,) if titles else ()), doc.short_title, *(doc.aliases or ())]
            if name and (k := match_key(name))]


def _own_length(question: str, sources: Sources) -> int:
    """The length of a turn that names a guide and points back at the previous answer
    (:data:`_POINTS_BACK`), without the guides' names (title, short title, aliases) and what stands
    between brackets: "Kun je dat korter zetten, en wat zegt de handreiking van de VGS (Samenvoegen
    of samenwerken) daar precies over?" names its guide twice and asks no more than "korter, en wat
    zegt de Wegwijzer daarover?" (the seventeenth review: 105 characters, read as a question about
    the Handreiking's foreword). Any other turn: its length (a long question with brackets, or one
    that names a guide and asks something of its own, is no operation)."""
    if named_document(question, sources) is None or not _POINTS_BACK.search(question):
        return len(question)
    bare = _BRACKETS.sub(" ", question)
    for name in sorted((name for _, _, name in _names(sources, titles=True)), key=len, reverse=True):
        bare = re.sub(rf"\b{re.escape(name)}\b", " ", bare, flags=re.IGNORECASE)
    return len(" ".join(bare.split()))


def named_document(question: str, sources: Sources) -> str | None:
    """The one guide ``question`` names (short title or an alias of the manifest), if exactly one."""
    key = f" {match_key(question)} "
    found = [(doc, k) for doc, k, _ in _names(sources) if f" {k} " in key]
    # a name inside a longer one is that one: "de VNG-handreiking" names the VNG text, not "de
    # handreiking"; so does "handreiking" joined to a guide's name ("de GROEI-handreiking", "de GROEI
    # handreiking": the nineteenth review's C3 was read as no guide at all); two guides named each
    # in their own words ("de Wegwijzer, GROEI") is no one guide
    joined = {k for _, k, name in _names(sources)
              if re.search(rf"\b{re.escape(name)}[ -]handreiking\b", question, re.IGNORECASE)}
    named = {doc for doc, k in found
             if not any(k != other and f" {k} " in f" {other} " for _, other in found)
             and not (k == "handreiking" and joined)}
    return named.pop() if len(named) == 1 else None


#: Words right before a guide's name that ask what it says: "Wat zegt de Wegwijzer …", "volgens
#: GROEI", "Hoe kijkt de VNG …", "Wat schrijft Korsten …", "Waar staat dat in de Wegwijzer?". Right
#: before the name only: "groei in de organisatie" and "Ik heb de Wegwijzer gelezen, maar …" ask
#: nothing of a guide (an independent review found both narrowed to one guide). (Grammar, in match_key
#: form: lowercase, accents folded.)
_ASKS_BEFORE_NAME = r"(wat (zegt|zeggen|schrijft|schrijven|adviseert|adviseren|vindt|vinden)|hoe (kijkt|kijken)|noemt|noemen|volgens|in|uit)( de| het)?"


def guide_asked(question: str, sources: Sources) -> str | None:
    """The one guide a question asks about ("Wat zegt de Wegwijzer over integriteit?"), if any:
    its answer comes from that guide, as "wat zegt de Wegwijzer daarover?" does after an answer."""
    document = named_document(question, sources)
    if document is None:
        return None
    key = f" {match_key(question)} "
    for doc, k, name in _names(sources):
        # a name in capitals ("GROEI") is that guide only in capitals: "investeren in groei" is the word
        if doc == document and re.search(rf" {_ASKS_BEFORE_NAME} {re.escape(k)} ", key) and (
            not name.isupper() or re.search(rf"\b{re.escape(name)}\b", question)
        ):
            return document
    return None


def writes_about_the_answer(question: str) -> bool:
    """Whether ``question`` asks for a text about the previous answer: "Kun je daar een memo over
    schrijven?", "Schrijf hierover een notitie voor het college", "Kun je een memo schrijven
    hierover?" (on the message alone it was refused as a request on other ground, the answer
    unheard). The pointer stands before the kind of text, or nothing else is left of the subject:
    "Schrijf een memo over de plaatsingsprocedure en de gevolgen daarvan" has a subject of its own
    (a review). A bare "dat" or "dit" opens the text's own subject as often ("Maak een persbericht
    dat …", the bank): no pointer."""
    back = _POINTS_BACK.search(question) if asks_for_writing(question) else None
    if back is None:
        return False
    kind = TEXT_KIND.search(question)
    if kind is not None and back.start() < kind.end():
        return True
    return not content_words(_POINTS_BACK.sub(" ", writing_topic(question)))


def _ends_at_the_guide(question: str, document: str, sources: Sources) -> bool:
    """Whether nothing but punctuation follows the guide's name ("En de VNG?", "En volgens GROEI?",
    "Wat vindt Korsten?"): a short turn that names its own subject is a question within that guide
    ("Wat zegt GROEI over weerstand?" was the previous question within GROEI)."""
    key = match_key(question)
    return any(doc == document and key.endswith(k) for doc, k, _ in _names(sources))


def operation(question: str, history: Sequence[Message], sources: Sources) -> Operation | None:
    """The operation ``question`` asks for on the previous answer, if any (also without one: the
    caller says there is none)."""
    if len(question) > MAX_CHARS and _own_length(question, sources) > MAX_CHARS:
        return None
    # a conversation's first message is an operation only when it points back at something ("kun
    # je dat korter samenvatten?"): "Samenvatting?" alone asks about the sources
    first = not any(m.role == "user" for m in history)
    if first and not _REFERS_BACK.search(question):
        return None
    document = named_document(question, sources)
    # a text asked of what a guide says about the previous question ("Kun je een memo schrijven
    # over wat de Wegwijzer daarover zegt?"): that guide's answer, short, for the user's own text
    writing_ask = not first and asks_for_writing(question)
    writing = writing_ask and writes_about_the_answer(question)
    shorter = bool(_SHORTER.search(question)) or writing
    if document and (
        _ACCORDING.search(question)
        and (_REFERS_BACK.search(question) or len(question) < SHORT_TURN and _ends_at_the_guide(question, document, sources))
        # "Waar staat dat in de Wegwijzer?": that guide's passages on the subject, not the list of
        # every source of the previous answer (an independent review found the latter)
        or _WHERE.search(question) and guide_asked(question, sources)
    ):
        # "Vat samen wat de Wegwijzer daarover zegt": that guide's answer, short (it was the whole
        # previous answer shortened, the guide unheard); as a first message, a question within that
        # guide, as it always was ("dat" and "dit" point forward as often as back)
        return None if first else Operation("within", document, short=shorter or writing_ask, writing=writing_ask)
    if document:
        # a guide named otherwise is what the question is about: "Wat is de kern van GROEI?", "Vat
        # de Wegwijzer samen" (as a first question they were told there is no earlier answer)
        return None
    if shorter:
        return Operation("shorter", writing=writing)
    return Operation("where") if _WHERE.search(question) else None


def previous_turn(
    history: Sequence[Message], sources: Sources | None = None, skip: Sequence[Kind] = ()
) -> tuple[str, list[Message]] | None:
    """The last user question and the conversation before it; with ``sources``, the last one that
    is none of the operations ``skip`` ("wat zegt de Wegwijzer daarover?" after "korter" asks about
    the question before "korter"; "korter" after "waar staat dat?" about the answer before it)."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].role != "user":
            continue
        before = list(history[:i])
        # a conversation's first turn was a question even in an operation's words: there was no
        # answer to operate on (nor, in a conversation made elsewhere, an answer that said so)
        asked_after = any(m.role == "user" for m in before)
        op = operation(history[i].content, before, sources) if sources is not None and skip and asked_after else None
        if op is not None and op.kind in skip:
            continue
        return history[i].content, before
    return None


#: Which earlier operations an operation looks past: "within" asks about the subject, so past every
#: operation; "korter" shortens an answer, so past a list of sources; "waar staat dat?" lists the
#: sources of what was just shown, a short version too.
LOOKS_PAST: dict[Kind, tuple[Kind, ...]] = {"within": ("shorter", "within", "where"), "shorter": ("where",), "where": ()}


def _renumbered(sections: list[AnswerSection], citations: Sequence[Citation]) -> tuple[list[AnswerSection], list[Citation]]:
    """``sections`` with their citations numbered 1..M in order of use; unused citations dropped."""
    by_n = {c.n: c for c in citations}
    mapping: dict[int, int] = {}
    for section in sections:
        for item in section.items:
            for n in item.citations:
                if n in by_n and n not in mapping:
                    mapping[n] = len(mapping) + 1
    out = [
        s.model_copy(update={"items": [
            i.model_copy(update={"citations": [mapping[n] for n in i.citations if n in mapping]}) for i in s.items
        ]})
        for s in sections
    ]
    cits = [by_n[old].model_copy(update={"n": new}) for old, new in sorted(mapping.items(), key=lambda kv: kv[1])]
    return out, cits


def _point(
    item: AnswerItem, citations: Mapping[int, Citation], sources: Sources, terms: Terms, steps: Terms
) -> tuple[AnswerItem, bool]:
    """``item`` cut to one sentence, and whether that sentence is a first step: the one of its quote
    that "In het kort" would choose (:func:`.sections.kern.best_step`, with the question's ``steps``
    terms), else the one that shares most with the question's ``terms`` (:func:`key_sentence`)."""
    if not item.quote:
        return item, False
    citation = citations.get(item.citations[0]) if item.citations else None
    passage = sources.passage(citation.passage_id) if citation is not None else None
    if citation is not None and passage is not None:
        # the sentences of this item's quote (a passage quoted twice has the spans of both)
        mine = [(a, b) for a, b in citation.quotes if flat(passage.text[a:b]).lstrip("-–•· ").strip() in flat(item.text)]
        best = best_step(passage, mine, steps, sources.second_person_verbs())
        if best is not None:
            return item.model_copy(update={"text": best[1]}), True
    return item.model_copy(update={"text": key_sentence(item.text, terms)}), False


def _points(
    pool: Sequence[AnswerItem], n: int, citations: Sequence[Citation], sources: Sources, question: str
) -> list[AnswerItem]:
    """``n`` points of the previous answer's quotes (of its ``question``), one sentence each, in the
    answer's order: the first quote (its best evidence), then those that give a first step, then
    the others. (The twelfth review: "korter, in drie punten" kept the first three quotes and
    dropped the one that said what to do.)"""
    by_n = {c.n: c for c in citations}
    # the sentence nearest the question by its plain words (with the guides' rarity weights the
    # choice moved to sentences that point back, on 60 dev conversations); a first step shares
    # enough with the question as "In het kort" weighs it: rare words of the guides count more (the
    # bank questions "In het kort" also weighs are not at hand here)
    terms = Terms.of(question)
    steps = Terms.of(question, rarity=sources.stem_weights())
    made = [_point(item, by_n, sources, terms, steps) for item in pool]
    order = [0] if made else []
    order += [k for k, (_, step) in enumerate(made) if step and k not in order]
    order += [k for k in range(len(made)) if k not in order]
    return [made[k][0] for k in sorted(order[:n])]


def _shortened(question: str, previous: Answer, sources: Sources) -> list[AnswerSection]:
    """``previous`` as points: its lead's passages, one sentence each (a first step, else the one
    nearest the question), or as many as ``question`` asks ("in vijf punten") from all its quotes;
    without the full answer's section title above them."""
    asked = points_asked(question)
    quoting = [s for s in previous.sections if s.kind not in ("text", "more", "kern")]
    if not quoting:
        return []
    if asked:
        pool = [i for s in quoting if s.kind in POINT_SECTIONS for i in s.items if i.quote and i.text]
    else:
        pool = list(quoting[0].items)
    return [AnswerSection(kind="lead", items=_points(pool, asked or SHORT_POINTS, previous.citations, sources, previous.question))]


def _said(text: str) -> list[AnswerSection]:
    return [AnswerSection(kind="text", items=[AnswerItem(text=text, quote=False)])]


def apply(op: Operation, question: str, previous: Answer | None, sources: Sources) -> Answer:
    """The follow-up's answer, made from the previous answer (see the module docstring); without
    one (the conversation's first question, "kun je dat korter samenvatten?"), a sentence that
    says so (it was answered as a question of its own, from passages on "samenvatting")."""
    titles = {d.id: d.short_title or d.title for d in sources.documents}
    doc = P.with_article(titles.get(op.document or "", op.document or ""))
    if previous is None:
        answer = Answer(question=question, answer="", sections=_said(P.T_NO_PREVIOUS))
        return answer.model_copy(update={"answer": markdown(answer, short_titles=titles)})
    if op.kind in ("shorter", "where") and not previous.citations:
        # after a refusal or a greeting: nothing quoted to shorten or to point at (a walk-through
        # found the operation's intro with nothing under it)
        kept = _said(P.T_SHORTER_NOTHING if op.kind == "shorter" else P.T_WHERE_NOTHING)
    elif op.kind == "shorter" or (op.short and previous.in_scope and previous.citations):
        intro = AnswerSection(kind="text", items=[AnswerItem(
            text=P.T_SHORTER if op.kind == "shorter" else P.T_WITHIN_SHORT.format(doc=doc), quote=False
        )])
        kept = [intro, *_shortened(question, previous, sources)]
    elif op.kind == "where":
        labels = [f"{titles.get(c.document, c.title)}, {c.section.split('›')[-1].strip()}" for c in previous.citations]
        items = [AnswerItem(text="", quote=False, citations=[c.n], label=label)
                 for c, label in zip(previous.citations, told_apart(labels, previous.citations), strict=True)]
        kept = [AnswerSection(kind="overview", intro=P.T_WHERE, items=items)]
    else:
        if not previous.in_scope or not previous.citations:
            kept = _said(P.T_WITHIN_NOTHING.format(Doc=doc[:1].upper() + doc[1:]))
        else:
            intro = AnswerSection(kind="text", items=[AnswerItem(text=P.T_WITHIN.format(doc=doc), quote=False)])
            # the intro says what follows: no "Wat de bronnen zeggen" right under it (a
            # walk-through found the two stacked)
            rest = list(previous.sections)
            if rest and rest[0].kind == "lead":
                rest[0] = rest[0].model_copy(update={"title": ""})
            kept = [intro, *rest]
    if op.writing:
        # the points for the user's own text; with none (after a refusal), what the assistant can
        # do ("within" says why that guide gave none)
        points = any(i.citations for s in kept for i in s.items)
        if points:
            kept = [*_said(f"{P.T_NO_WRITING_ELSEWHERE} {P.T_WRITING_POINTS}"), *kept]
        else:
            kept = [*_said(P.T_NO_WRITING_ELSEWHERE), *(kept if op.kind == "within" else _said(P.T_CAN))]
    sections, citations = _renumbered(kept, previous.citations)
    answer = previous.model_copy(update={
        # a text asked of an answer that quoted nothing: the ask is refused, with nothing to give
        "question": question, "sections": sections, "citations": citations,
        "in_scope": bool(citations) or not op.writing,
        # the previous answer's suggestions stand above it in the conversation: not again
        "follow_ups": [],
    })
    return answer.model_copy(update={"answer": markdown(answer, short_titles=titles)})
