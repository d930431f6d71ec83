"""In het kort: the answer's first step, before the evidence. The one or two sentences of the lead's
quotes that give advice (a sentence to "je", an intervention or a role's handelingsperspectief)
and share most with the question, each with its passage's [n]: verbatim, so the reader sees what
to do first and where it comes from, and then the passages it comes from.

Nothing here is written: a sentence that is not advice, or that shares too little with the
question, is not a first step, and then there is no such section. The sentences repeat what the
lead quotes below them (by design: the first step, then where it stands), so their words count
against the answer's budget as read; the sentence the lead opens with is not repeated here, the
reader meets it right below.

A known limit: a sentence that needs the one before it without pointing back in words ("Vraag waar
je in de eerste periode op moet letten" after "Ga in gesprek met een actieve gemeentesecretaris")
is taken alone; the lead below shows both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import MIN_SENTENCE_WORDS, PREPOSITIONS, Excerpt, Terms, advice_item, dangles, flat
from secretarisbot.answer.sections.reflection import MIN_RELEVANCE
from secretarisbot.model import AnswerItem, AnswerSection, Passage

#: Sentences at most, each from another passage.
MAX_KERN = 2
# A first step shares at least reflection.MIN_RELEVANCE (weighted) vocabulary with the question
# and the bank questions that found its passage, as a reflection question must: one shared word is
# a coincidence.

#: A sentence this long is no first step a busy reader takes in at a glance: a sentence of the
#: guides has a median of 17 words (excerpt.CONTEXT_WORDS); this is over twice that.
MAX_WORDS = 40
#: Passages that advise. A case tells what someone did ("Simon merkt dat ..."), a myth what people
#: wrongly believe: a sentence of theirs to "je" is no advice.
ADVISING = ("facet", "text", "intervention", "role")
#: Direct speech is someone's words in a case, not the guide's advice.
_SPEECH = ("“", "”", '"', "„")
#: The reader is the one who acts: "je" or "jij" is the subject of the main clause, in the first
#: places of the sentence or of its clause after a comma ("Bij matige onenigheid bespreek je …",
#: "Als twee directieleden …, zul jij ze …"). A "je" further on is mostly an object or an aside
#: ("… de burgemeester jou steunen"), not advice. (Grammar, not a word list of the guides.)
_READER_ACTS = re.compile(r"(?:^|,\s*)(?:\S+\s+){0,4}?(?:je|jij)\b", re.IGNORECASE)
#: A sentence that opens with a verb and "je" and goes on with "dan" is a condition, not advice:
#: "Vraag je ernaar dan wordt het ontkend." (if you ask, it is denied; the eighteenth usefulness
#: round found it as a first step), "Wil je samenwerking tot een succes brengen dan zal wat onder
#: tafel speelt …". Then the reader acts only if they act in the clause after "dan" ("Ben je …
#: afhankelijk van andere gemeenten, dan kun je beter …"). A conjunction or preposition first ("Als
#: je …, probeer dan …", "Na je aantreden …") is no such inversion; nor is "Vraag je dan eens af"
#: ("dan" right after the verb). Of the guides' sentences, these four open with a verb, "je" and
#: later "dan" (grammar, not a word list of the guides).
_CONDITION = re.compile(r"^(?P<verb>\w+)\s+(?:je|jij)\s+(?!dan\b)\S.*?(?:,\s*|\s+)dan\s+(?P<main>.*)$", re.IGNORECASE)
_NO_VERB = frozenset("als wanneer zodra indien omdat hoewel zoals dat of".split()) | PREPOSITIONS
#: A clause that opens with a question word asks or explains ("Hoe je dat doet … is afhankelijk
#: van de context"): no first step.
_ASKS = re.compile(r"^(hoe|wat|waarom|wie|welke|wanneer|waar|of)\b", re.IGNORECASE)


def first_step(passage: Passage, start: int, text: str, verbs: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence of ``passage`` (at ``start``) tells the reader what to do: an item of a
    Bijlage I row or a role's handelingsperspectief (excerpt.advice_item), a sentence in which the
    reader acts, or one that opens with one of ``verbs`` (Sources.second_person_verbs: "Zorg dat …",
    "Maak …"); never one that points back, asks, or quotes someone."""
    flat_text = flat(text).lstrip("-–•· ").strip()
    if not flat_text[:1].isupper() or dangles(flat_text) or _ASKS.match(flat_text) or flat_text.endswith("?"):
        return False
    if any(q in flat_text for q in _SPEECH):
        return False
    if advice_item(passage, start, text):
        return True
    condition = _CONDITION.match(flat_text)
    if condition and condition["verb"].lower() not in _NO_VERB:
        return bool(_READER_ACTS.match(condition["main"]))
    return bool(_READER_ACTS.search(flat_text)) or flat_text.split(maxsplit=1)[0].lower() in verbs


def best_step(
    passage: Passage, spans: Sequence[tuple[int, int]], terms: Terms, verbs: frozenset[str] = frozenset()
) -> tuple[float, str] | None:
    """Of the sentences of ``passage`` at ``spans``, the first step (:func:`first_step`, short
    enough to take in) that shares most with ``terms``, at least MIN_RELEVANCE, as (score, text);
    None, and always for a passage that does not advise (ADVISING). "In het kort" and "korter, in
    drie punten" (answer/followup.py) choose with it."""
    if passage.kind not in ADVISING:
        return None
    best: tuple[float, str] | None = None
    for start, end in spans:
        raw = passage.text[start:end]
        text = flat(raw).lstrip("-–•· ").strip()
        if not (MIN_SENTENCE_WORDS <= len(text.split()) <= MAX_WORDS) or not first_step(passage, start, raw, verbs):
            continue
        score = terms.score(text)
        if score >= MIN_RELEVANCE and (best is None or score > best[0]):
            best = (score, text)
    return best


def kern(draft: Draft, quoted: Sequence[Excerpt]) -> AnswerSection | None:
    """The best advice sentences of the lead's ``quoted`` excerpts (see the module docstring)."""
    verbs = draft.sources.second_person_verbs()
    scored: list[tuple[float, int, str, int]] = []  # (score, order, text, n)
    for order, ex in enumerate(quoted):
        n = draft.registry.number(ex.passage.id)
        if n is None:
            continue
        # the lead's first sentence is not repeated: the reader meets it right below
        best = best_step(ex.passage, ex.spans[1:] if order == 0 else ex.spans, draft.terms, verbs)
        if best is not None:
            scored.append((best[0], order, best[1], n))
    chosen = sorted(scored, key=lambda t: (-t[0], t[1]))[:MAX_KERN]
    if not chosen:
        return None
    items = [AnswerItem(text=text, citations=[n]) for _, _, text, n in sorted(chosen, key=lambda t: t[1])]
    for item in items:
        draft.spend(item.text)
    return AnswerSection(kind="kern", title=P.SECTION_TITLES["kern"], items=items)
