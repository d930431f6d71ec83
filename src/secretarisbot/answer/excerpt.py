"""Coherent excerpts: adjacent sentences of one passage, never stitched from different places.

    >>> ex = excerpt(passage, Terms.of("wat doe ik als de mede-directeur blokkeert"))
    >>> ex.text, ex.spans          # the words quoted, and where they stand in passage.text

Sentences are scored by the words they share with the question (and, at a lower weight, with the
bank questions that led retrieval to this passage: the words other secretaries used for it), and a
sentence holding the anchor of one of the question's nearest bank questions written for the passage
(the phrase its writer wrote that question on) earns :data:`ANCHOR_BONUS` per anchor. The
words a question shares with a passage are mostly those of its situation; the guides put what to do
after the situation, and as advice. So a sentence that follows a matching one earns part of that
match (:data:`FOLLOW_SHARE`), and advice earns :data:`ADVICE_BONUS`: a list item of a Bijlage I row or
a role's handelingsperspectief (those lists are the guides' advice), or a sentence in the second
person (the Wegwijzer advises "je"). The excerpt is the run of consecutive sentences with the best
total that fits in :data:`MAX_WORDS`. A short passage is quoted whole. A list item that continues
its stem ("- ... in de context van …") is never quoted alone. Headings, labels and table debris
never start or end an excerpt, nor does anything from where a table starts, and a sentence that
points back does not open one when what it points at fits; if it still does, the sentences before
it come along as context, up to one that does not point back (:data:`CONTEXT_WORDS`), and when they
cannot, the quote opens elsewhere unless that sentence is clearly the best (:data:`ANAPHOR_PENALTY`).
An excerpt that would end on a question the guide answers in its next sentence ("Gaat dit
probleemloos?") takes that answer along, within the same bound, or else stops before the question
(the fourteenth review found a SETA quote stopping there; on the dev splits 10 of 198 answers
changed, 6 of them now quote the answer, every eval number unchanged). Both may take an excerpt
past :data:`MAX_WORDS` by one sentence (by two: a question's answer that the guide turns against
comes with that turn). So may a paragraph that is a quotation as a whole, someone's claim (the
Handreiking's myths): it comes with the guide's answer after it, or not at all
(:func:`in_quotation`; on the dev splits 4 of 322 answers changed, each a myth quoted without its
answer before). Nor does an excerpt end on a sentence the guide turns against next ("Maar dan heb
je het risico …", :func:`turns_against`): the turn comes along, within the same bound, or the
excerpt stops before (round 20; on the dev splits 16 of 322 answers changed, every eval number
unchanged). A turn in the next passage, or opening the next paragraph, is not taken as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from secretarisbot.answer.citations import is_fragment, sentence_spans, table_start
from secretarisbot.text import match_key, stems
from secretarisbot.model import BankQuestion, Passage

#: Words of one excerpt at most: two or three sentences, readable between meetings.
MAX_WORDS = 55
#: A passage this short is quoted whole (if it is made of sentences).
WHOLE_WORDS = 45
#: Weight of a word that only the bank questions (not the question itself) share with a sentence.
BANK_WEIGHT = 0.4
#: Earlier sentences are a little more likely to say what the passage is about.
POSITION_PRIOR = 0.15
#: Share of a sentence's match that the sentence after it earns: in a case the secretary's response
#: follows the situation, in a facet the advice follows its occasion. (An independent review found
#: excerpts stopping one sentence before the advice: Oscar's 'haardvuursessies', Wegwijzer 92.)
FOLLOW_SHARE = 0.5
#: What advice earns, as much as one word shared with the question.
ADVICE_BONUS = 1.0
#: What a sentence earns for each anchor it holds of the question's nearest bank questions written
#: for its passage (the ten that vote in answer/reading.py; at most :data:`ANCHOR_VOTES` a
#: passage): as much as one word shared with the question. The bank's writers put the question's
#: point there; an independent review found quotes stopping right before the sentence that answers
#: ("Ook de zaken die het bestuur liever niet hoort"). On the dev splits (2026-12-02) the must-show
#: fragment of a cited passage was inside its quote for 174 of 288 fragments; with the anchors of
#: the 10 nearest bank questions 191 (25 more, 8 fewer), of the 20 / 40 / all 120 nearest 189 /
#: 189 / 184 (35 more, 24 fewer: far neighbours' anchors pulled quotes off the question); at a bonus
#: of 2, 182. Of 8 sentences the eleventh review named as cut off, 0 / 1 / 2 / 2 were quoted with
#: 10 / 20 / 40 / 120 (0 before); from 40 on, three of the twelfth review's answers lost their "In
#: het kort" line (the lead's quote moved off its advice). Every eval number unchanged.
ANCHOR_BONUS = 1.0
ANCHOR_VOTES = 3
#: Passage kinds whose list items can be advice: a Bijlage I row's interventions, a role type's
#: handelingsperspectief (:func:`advice_item`). (A Wegwijzer facet's bullets also describe; there
#: advice is "je".)
ADVICE_KINDS = ("intervention", "role")
#: A role passage of §2.3.1 holds cells headed "<Rol> – <cell>:": "Handelingsperspectief" (what
#: the role does), "Komt uit de verf" (when it shines) and "Competentieprofiel" (what its holder
#: can). Only the first is advice; the fifteenth review found "In de fase van het
#: herindelingsproces waarin …" (a "komt uit de verf" item) as the answer's first step.
ACTS_CELL = "handelingsperspectief"

_HEADING_RE = re.compile(r"^\d{1,3}(\.\d{1,2})*\.?\s+\S[^.?!]*$")

#: A sentence opening with one of these words points back at the sentence before it ("Dit houdt
#: de vaart erin", "Hij zet hiermee ..."): quoted on its own it dangles. An excerpt that starts
#: there loses this much score: more than what the sentence after a matching one earns by following
#: it (FOLLOW_SHARE of a good match, about 1.5) plus one shared word, so it takes the sentence before
#: it along when that fits. So does an excerpt that would open on any sentence that points back
#: (:func:`dangles`) whose context cannot come along (:func:`_context_start`: it opens its passage
#: or run, or what it points at lies more than CONTEXT_WORDS back): of the quoted items with a
#: citation in the 322 dev answers (core, tune, retired-test, conversations), 65 of 1,382 opened so
#: ("Die kans is reëel …", "Welke van deze vermeende nadelen …"), 19 of 1,379 after (2026-12-04;
#: the evidence among the citations unchanged).
#: (Dutch demonstratives, personal pronouns and pronominal adverbs; a judged answer opened with
#: "Dit houdt de vaart er in" without the advice it referred to. "Hun" too: the guides' three
#: sentences that open with it point back, "Hun werkstijl wordt publiekelijk … bekritiseerd" quoted
#: without whose, round 20.)
ANAPHORA = frozenset(
    "dit deze die dat hij zij ze hun zo daarom daardoor daarmee daarbij daarnaast hiermee hierdoor hierbij "
    "dan bovendien ook tegelijkertijd echter maar want dus toch daar hier daarin hierin daarvoor "
    "hiervoor daarop hierop verder vervolgens".split()
)
ANAPHOR_PENALTY = 2.5
#: Openers that continue a line of thought rather than start one ("En die daar na een tijdje …",
#: "Bijvoorbeeld voor de manier …", "Les: wie direct financieel voordeel wil, op deze manier …").
#: "Nog beter: zorg dat …" builds on the advice before it (two of the guides' three sentences that
#: open with "nog"; the thirteenth review found one as a first step with nothing before it).
CONTINUATIONS = frozenset("en bijvoorbeeld zoals les eveneens evenmin anders nog".split())
#: Pronominal adverbs that point at something said before ("Jij zorgt daar dan voor", "Denk daarbij
#: aan …", "Je kunt daarin ook …"); a sentence with one among its first :data:`POINTER_WORDS` words
#: dangles too. So does one with "deze"/"dit" there ("Je interventie hangt af van deze analyse"), or
#: a preposition before "die"/"dat" ("Om niet in die valkuil te stappen …"), or "voorgenoemde",
#: "bovenstaande" ("Zie je op één van voorgenoemde niveaus …?").
POINTERS = frozenset(
    "daar daarbij daarin daarmee daarvan daarvoor daarop daarna daardoor daarover daaruit hiermee hierbij "
    "hierin hiervan hiervoor hierop hierdoor hierover deze dit voorgenoemde bovengenoemde bovenstaande".split()
)
PREPOSITIONS = frozenset("in op van met om bij voor aan uit door over na naar tegen".split())
#: (the examples above are the openers an independent review listed as starting mid-story)
POINTER_WORDS = 6
#: An excerpt that starts on such a sentence takes the sentences before it along, beyond the word
#: budget, up to the nearest one that does not point back, when they are at most this long together
#: (a sentence of the guides has a median of 17 words): mostly one sentence; two where the one
#: before is a fragment that continues its own ("… wordt getrokken. Ook als het spannend wordt.
#: Continuïteit in deze groep is essentieel", found by an independent review).
CONTEXT_WORDS = 30


@dataclass(frozen=True)
class Terms:
    """Weighted stems to score sentences by: the question's own at 1, the bank's lower."""

    weights: dict[str, float] = field(default_factory=dict)
    #: Per passage id, the anchors (match keys) of the question's nearest bank questions written for it.
    anchors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, question: str, bank_questions: Iterable[str] = (), rarity: Mapping[str, float] | None = None,
        nearest: Iterable[BankQuestion] = (),
    ) -> Terms:
        """The question's stems at 1 and the bank questions' at :data:`BANK_WEIGHT`, each times its
        ``rarity`` (Sources.stem_weights: common words of the guides count less); the anchors of the
        ``nearest`` bank questions (best first), :data:`ANCHOR_VOTES` per passage."""
        weights = {s: 1.0 for s in stems(question)}
        for text in bank_questions:
            for s in stems(text):
                weights.setdefault(s, BANK_WEIGHT)
        if rarity:
            weights = {s: w * rarity.get(s, 1.0) for s, w in weights.items()}
        anchors: dict[str, list[str]] = {}
        for q in nearest:
            mine = anchors.setdefault(q.passage_id or "", [])
            if q.anchor and len(mine) < ANCHOR_VOTES:
                mine.append(match_key(q.anchor))
        return cls(weights, {pid: tuple(a) for pid, a in anchors.items() if a})

    def score(self, text: str) -> float:
        seen = set(stems(text))
        return sum(w for s, w in self.weights.items() if s in seen)

    def anchored(self, passage_id: str, text: str) -> float:
        """:data:`ANCHOR_BONUS` for each anchor of ``passage_id`` that ``text`` holds."""
        mine = self.anchors.get(passage_id)
        if not mine:
            return 0.0
        key = f" {match_key(text)} "
        return ANCHOR_BONUS * sum(1 for a in mine if f" {a} " in key)


@dataclass(frozen=True)
class Excerpt:
    passage: Passage
    text: str
    spans: tuple[tuple[int, int], ...]  # sentence offsets into passage.text
    score: float = 0.0


_BULLET_BEFORE = re.compile(r"(?:^|\n)\s*(?:[-–*•·▪●]|\d{1,2}[.)])\s*$")
#: A list item is quotable without a full stop when it has at least this many words.
LIST_ITEM_WORDS = 4


def list_item(passage: Passage, start: int, text: str) -> bool:
    """A bullet of a list ("- Organiseer theatersessies …"): a unit of its own, full stop or not."""
    line_start = passage.text.rfind("\n", 0, start) + 1
    return bool(_BULLET_BEFORE.search(passage.text[line_start:start] or "\n")) and len(text.split()) >= LIST_ITEM_WORDS


def aim(passage: Passage) -> str:
    """What a Bijlage I row is for ("Voorkom wij-zij-denken tussen organisaties"): its first line
    that is no spanningsveld label, no label ending in a colon and no bullet. It names the row (a
    label), it is not the advice: excerpts quote the interventions under it."""
    if passage.kind != "intervention":
        return ""
    for line in passage.text.splitlines():
        line = line.strip()
        if line and not line.lower().startswith("spanningsveld") and not line.endswith(":") and not line.startswith(("-", "•")):
            return line
    return ""


def _opens_on_pointer(text: str) -> bool:
    """Whether ``text``'s first word points back (:data:`ANAPHORA`; "Daar waar …" is "where")."""
    return _first_points_back([w.strip("‘’'\"“”()").lower().rstrip(",:;?!.") for w in text.split()[:2]])


def _first_points_back(words: Sequence[str]) -> bool:
    """Whether the first of ``words`` (lowercased, bare) points back: one of :data:`ANAPHORA`, but
    not the "daar" of "daar waar" (where)."""
    return bool(words) and words[0] in ANAPHORA and words[:2] != ["daar", "waar"]


#: "dat" after a subject is the thing said before, not a conjunction, when a wh-word or a
#: subordinating conjunction stands before that subject ("Hoe je dat doet (…) is afhankelijk van de
#: context.", "Het helpt enorm als je dat uitlegt …"), or a preposition or a punctuation mark follows
#: it ("Jij bent degene die dat aan BenW … duidelijk maakt.", "Deels doe je dat in de eigen gemeente
#: …", "hoe doe je dat, …"); "zien we dat gemeenten …" and "Realiseer je dat colleges …" are
#: conjunctions. Four corpus sentences match, two of them quoted without what "dat" was in the
#: seventeenth review; "dat" in other places ("Je kunt dat op twee manieren doen.", "Doe dat
#: zorgvuldig") is not recognised.
_SUBJECTS = frozenset("je jij ik we wij hij zij ze u die men".split())
_CLAUSE_OPENERS = frozenset("hoe als wanneer of omdat zodat waarom waar".split())


def _that_points_back(words: Sequence[str], k: int, ended: bool) -> bool:
    """Whether ``words[k]`` is a "dat" that stands for something said before (see above);
    ``ended``: a punctuation mark follows it."""
    if words[k] != "dat" or k == 0 or words[k - 1] not in _SUBJECTS:
        return False
    after = words[k + 1] if k + 1 < len(words) else ""
    return (k > 1 and words[k - 2] in _CLAUSE_OPENERS) or after in PREPOSITIONS or ended


#: "dan" right after a finite auxiliary or copula (or after the subject or "er" that follows one:
#: "Wat is er dan nodig?") is "in that case" ("De ambtelijke is dan een positieve en bewuste keuze
#: …", "Welke verandering is dan gerealiseerd?"), and "dan ook" after any verb is "therefore" ("Het
#: onderwerp hoort dan ook niet …"): both point at what was said before (a probe of fresh questions
#: found the first quoted with its condition cut away). Not after a comma ("Als …, dan …"), nor in a
#: sentence that opens its own condition ("Als het nodig is dan kun je …") or compares ("Liever samen
#: sterk staan dan alleen zwak"). 28 sentences of the guides match (2026-12-04), each pointing back
#: in its paragraph as read (an independent review read the first 21). (Grammar: the finite forms of Dutch
#: auxiliaries and copulas, subordinating conjunctions, comparatives; not a word list of the guides.)
_FINITE = frozenset(
    "is ben bent zijn wordt worden werd werden kan kun kunt kunnen kon konden moet moeten moest moesten "
    "zal zul zult zullen zou zouden mag mogen wil wilt willen hoeft hoeven ga gaat gaan heb hebt heeft "
    "hebben had hadden was waren blijft blijven blijkt lijkt lijken ligt liggen staat staan komt komen".split()
)
_BETWEEN = frozenset("er je jij ze we wij hij zij men het u".split())
_CONDITIONS = frozenset("als wanneer indien zodra mits tenzij zolang".split())
_COMPARATIVES = frozenset("liever beter eerder meer minder".split())


def _then_points_back(words: Sequence[str], k: int, clause_end: Sequence[bool]) -> bool:
    """Whether ``words[k]`` is a "dan" that points at what was said before (see above)."""
    if words[k] != "dan" or clause_end[k - 1] or (_CONDITIONS | _COMPARATIVES) & set(words[:k]) or words[k - 1] == "en":
        return False  # ("nu en dan": now and then)
    after = words[k + 1] if k + 1 < len(words) else ""
    before = words[k - 1]
    # (a verb that opens the sentence, "Vraag je dan eens … af", is the reader's own step: as
    # sections.kern reads it; "Draag je dan bij …?" is left with it)
    return after == "ook" or before in _FINITE or (k > 1 and before in _BETWEEN and words[k - 2] in _FINITE)


#: "er" with a preposition, written as one word ("erop aan dat …": the preposition after it is a
#: particle); "met" and "tot" combine as "ermee" and "ertoe".
_ER_COMPOUNDS = frozenset({f"er{p}" for p in PREPOSITIONS} - {"ermet"} | {"ermee", "ertoe"})


def _split_adverb(words: Sequence[str], k: int) -> bool:
    """Whether the "dat" at ``words[k]`` opens a clause after a split er-adverb: "Je zorgt er voor
    dat …", "Let er op dat …", "Vergewis je er van dat …", with one word between ("Wees er alert op
    dat …", "Let er ook op dat …"), or after a compound's particle ("Stuur erop aan dat …"). It
    points at nothing said before. Six sentences of the guides, all advice, read as dangling
    without the first form (2026-12-04). Not recognised: "er op dat moment" (a determiner), which
    reads as a clause here (no sentence of the guides has it); a finite verb between ("Er is bij dat
    overleg …") keeps the pointer."""
    if words[k] != "dat" or k < 2 or words[k - 1] not in PREPOSITIONS:
        return False
    if words[k - 2] in _ER_COMPOUNDS:
        return True
    # "er" right before the preposition, or one word before it that is no verb ("Er wordt in dat
    # geval …" is "there", and its "dat" points back)
    one_between = k > 2 and words[k - 3] == "er" and words[k - 2] not in _FINITE
    return words[k - 1] != "met" and (words[k - 2] == "er" or one_between)


def dangles(text: str) -> bool:
    """Whether ``text`` points back at the sentence before it anywhere in its first words, or
    continues it, so that quoted alone it dangles."""
    raw = text.split()[: POINTER_WORDS + 1]
    words = [w.strip("‘’'\"“”()").lower().rstrip(",:;?!.") for w in raw]
    if not words:
        return False
    if _first_points_back(words) or words[0] in CONTINUATIONS:
        return True
    # "dat," or "dat?": a punctuation mark follows it
    clause_end = [w.rstrip("‘’'\"“”()").endswith((",", ".", "?", "!", ";", ":")) for w in raw]
    return any(
        (w in POINTERS and words[k : k + 2] != ["daar", "waar"])  # "daar waar": where
        or (w in ("die", "dat") and words[k - 1] in PREPOSITIONS and not _split_adverb(words, k))
        or _then_points_back(words, k, clause_end)
        or _that_points_back(words, k, clause_end[k])
        for k, w in enumerate(words[1:POINTER_WORDS], start=1)
    )


_SECOND_PERSON = re.compile(r"\b(je|jij|jou|jouw|jezelf|u|uw|uzelf)\b", re.IGNORECASE)
#: The guides advise with "je"; "u" is the authors' courtesy form: of the corpus's 9 sentences
#: with "u" and no "je" (counted 2026-12-02), one is advice ("Laat u bij het formuleren … niet
#: hinderen"), the others are forewords' wishes ("Ik wens u een boeiend … groeiproces."), quoted
#: speech and a sign-up note.
_ADVICE_PERSON = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
_FIRST_PLURAL = re.compile(r"\b(we|wij|ons|onze)\b", re.IGNORECASE)


def addresses_reader(text: str, we: bool = True) -> bool:
    """Whether ``text`` speaks to the reader: "you", or with ``we`` also "we". In a question "Wat
    willen we bereiken?" includes the reader (31 of the corpus's 92 question sentences outside the
    exercises have one of these pronouns, counted 2026-12-01; the other 61 are mostly rhetorical or
    about third parties); in a statement "we" is mostly the authors'."""
    return bool(_SECOND_PERSON.search(text) or (we and _FIRST_PLURAL.search(text)))


def role_cell(passage: Passage, offset: int = 0, role: str | None = None) -> str:
    """The §2.3.1 cell of ``role`` (the passage's own by default) that ``offset`` of the passage lies
    in ("Veranderkundige – Komt uit de verf:" ... "Veranderkundige – Competentieprofiel:" ...: one
    passage can hold two cells), as the guide names it, lowercased; "" outside a cell (the role's
    own description) and for a passage of no role."""
    role = role or passage.role
    if not role:
        return ""
    heads = [m for m in re.finditer(rf"^\s*{re.escape(role)} – ([^:\n]+):", passage.text, re.MULTILINE | re.IGNORECASE)
             if m.start() <= offset]
    return heads[-1].group(1).strip().lower() if heads else ""


def advice_item(passage: Passage, start: int, text: str) -> bool:
    """A list item the guides give as advice: of a Bijlage I row, or of a role's handelingsperspectief
    cell (not of its "komt uit de verf" or competentieprofiel, nor of its description)."""
    if passage.kind not in ADVICE_KINDS or not list_item(passage, start, text):
        return False
    return passage.kind != "role" or role_cell(passage, start) == ACTS_CELL


def is_advice(passage: Passage, start: int, text: str) -> bool:
    """Advice: a list item of a Bijlage I row or a role's handelingsperspectief, or a sentence to
    "you" ("je")."""
    return advice_item(passage, start, text) or bool(_ADVICE_PERSON.search(text))


def _quotable(passage: Passage, start: int, end: int) -> bool:
    text = passage.text[start:end]
    if _HEADING_RE.match(text) or text.endswith(":"):
        return False
    if passage.kind == "intervention" and (text.strip() == aim(passage) or text.lower().startswith("spanningsveld")):
        return False
    if is_fragment(text) and not (list_item(passage, start, text) and not text.rstrip().endswith(("-", "–"))):
        return False
    return not (passage.section and text.strip() in _titles(passage.section))


_NUMBERED = re.compile(r"^\d{1,3}(\.\d{1,2})*\.?\s+")


@lru_cache(maxsize=1024)
def _titles(section: str) -> tuple[str, str]:
    """The heading a passage repeats, as its section path names it and without its number: the
    sentence splitter trims "4. " as a list marker, so "Vertrouwen: boven- en onderstroom" opened
    VNG stop 4's quotes (an independent review's A10 quoted "4. Vertrouwen: boven- en onderstroom
    “Vaak weet je …")."""
    title = section.split("›")[-1].strip()
    return title, _NUMBERED.sub("", title)


def _runs(passage: Passage, skip: Sequence[tuple[int, int]] = ()) -> list[list[tuple[int, int]]]:
    """Runs of adjacent quotable sentences: a heading, a label, debris or a ``skip`` span between
    two sentences ends a run, so an excerpt never spans it; nothing from where a table starts."""
    runs: list[list[tuple[int, int]]] = [[]]
    table = table_start(passage.text)
    for start, end in sentence_spans(passage.text):
        if table is not None and end > table:
            break  # a table's interleaved columns: nothing from there on is quotable
        if _quotable(passage, start, end) and (start, end) not in skip:
            runs[-1].append((start, end))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _sentences(passage: Passage) -> list[tuple[int, int]]:
    """Sentence spans that can be quoted: not the heading the passage repeats, not debris."""
    return [span for run in _runs(passage) for span in run]


def _words(text: str) -> int:
    return len(text.split())


_LIST_BREAK = re.compile(r"\s*\n\s*(?=[-–•·▪●]\s)")


def flat(text: str) -> str:
    """``text`` on one line (passages keep their line breaks; a quote reads as one), except that a
    list item keeps its own line ("\n- Organiseer …"), so a quoted list still reads as a list."""
    return "\n".join(" ".join(part.split()) for part in _LIST_BREAK.split(text))


#: A "sentence" of fewer words is a label or a fragment ("Les:", "Tot slot:", "Zie ook 3.2."), no
#: point or step of its own.
MIN_SENTENCE_WORDS = 4


def key_sentence(excerpt_text: str, terms: Terms) -> str:
    """The sentence of a quote that shares most with ``terms`` (the first among equals), for the
    shortest summaries: one point per passage that still says something about the question. One
    that points back (:func:`dangles`: "Dat vraagt relationeel vakmanschap: …") comes with the
    sentence of the quote before it, which it points at."""
    spans = [(a, b) for a, b in sentence_spans(excerpt_text) if len(excerpt_text[a:b].split()) >= MIN_SENTENCE_WORDS]
    if not spans:
        return excerpt_text
    k = max(range(len(spans)), key=lambda n: (terms.score(excerpt_text[slice(*spans[n])]), -n))
    start, end = spans[k]
    if k > 0 and dangles(excerpt_text[start:end]):
        start = spans[k - 1][0]
    # a sentence that opens a quotation ("“De impact van gemeentesecretarissen … is beperkt.") is a
    # claim: it comes with the rest of it and the guide's next sentence, its answer
    last = k
    if _unclosed(excerpt_text[start:end]):
        # (a sentence span leaves a closing mark after its full stop out: look up to the next one)
        upto = [spans[j + 1][0] if j + 1 < len(spans) else len(excerpt_text) for j in range(len(spans))]
        close = next((j for j in range(k, len(spans)) if "”" in excerpt_text[spans[j][0] : upto[j]]), None)
        if close is not None:
            last = min(close + 1, len(spans) - 1)
    # a sentence the guide turns against next comes with that turn: a concession ("… kan een kans
    # zijn …" before "Toch … níét altijd nodig", myth 3) is not the point the passage makes
    if last + 1 < len(spans) and turns_against(excerpt_text[slice(*spans[last + 1])]):
        last += 1
    return excerpt_text[start : max(end, spans[last][1])]


def _unclosed(text: str) -> bool:
    """Whether ``text`` opens a double quotation it does not close."""
    return text.count("“") + text.count("„") > text.count("”")


_BULLET_LINE = re.compile(r"[ \t]*[-–•·▪●][ \t]+$")
#: A numbered item's number ("8. een van de partners springt er … uit"): without it the item reads as
#: a sentence cut off at its start (a walk-through found a SETA quote opening mid-list, lower case).
_NUMBER_LINE = re.compile(r"[ \t]*\d{1,2}[.)][ \t]+$")


def _slice(passage: Passage, spans: Sequence[tuple[int, int]]) -> str:
    """The verbatim text from the first sentence's start to the last one's end, on one line; a
    quoted list (list items on their own lines) starts with its first item's bullet, so every item
    reads as one; a numbered item starts with its number."""
    start, end = spans[0][0], spans[-1][1]
    text = flat(passage.text[start:end])
    line_start = passage.text.rfind("\n", 0, start) + 1
    opener = passage.text[line_start:start]
    if _NUMBER_LINE.fullmatch(opener) or ("\n" in text and _BULLET_LINE.fullmatch(opener)):
        text = flat(passage.text[line_start:end].lstrip())
    return text


#: A list item that opens with an ellipsis continues its list's stem ("Leunt op … of" / "- ... in
#: de context van een herindeling - aan te sturen op …"): quoted without the stem it is a loose
#: fragment (the fourteenth review). Such items are quoted only with their stem (:func:`opening`
#: with ``lists``), never by :func:`excerpt`.
_LOOSE_ITEM = re.compile(r"^[\s\-–•·]*(\.{2,}|…)")


def loose_items(passage: Passage) -> list[tuple[int, int]]:
    """The sentence spans of ``passage``'s list items that continue their stem (see above)."""
    return [(a, b) for a, b in sentence_spans(passage.text) if _LOOSE_ITEM.match(passage.text[a:b])]


def counts_a_list(passage: Passage) -> list[tuple[int, int]]:
    """The sentence spans of ``passage`` that count the list items after them ("Je kunt dat op twee
    manieren doen." before "- Je kunt een grote reorganisatie inzetten: …" and "- Je kunt ook …"):
    never quoted, as their list is too long to come along; a quote with it gave one way of two
    (round 19, C1), at its end or at its start."""
    spans = sentence_spans(passage.text)
    return [
        here for here, after in zip(spans, spans[1:], strict=False)
        if re.search(_COUNTED, " ".join(passage.text[slice(*here)].split()), re.IGNORECASE)
        and list_item(passage, after[0], passage.text[slice(*after)])
    ]


#: A sentence that announces what comes next ("De ervaringen … zijn als volgt.", "… als de volgende
#: condities vervuld zijn.", "Op gespreksavonden … bleek het volgende.", "… onder de volgende
#: omstandigheden de kans heel groot is dat SETA strandt.", "… vier typische rollen, die we hieronder
#: in een rollentypologie weergeven.", "Onderstaande, volgordelijke denkoefeningen bieden …", "Ik duid
#: ze kort aan."): quoted as the last sentence it promises what the quote does not give (the
#: sixteenth review found "… zijn als volgt." closing a quote; an independent review the others).
#: "Als volgt" and "het volgende" must end the sentence; "de volgende" with its noun announces
#: anywhere, unless the sentence gives what it announces after a colon ("… onder de volgende
#: omstandigheden: 1. … 4. …;") or the noun is one of time or order, also in the plural or as a
#: compound's last part ("in de volgende fase (bouwen en uitvoeren)", "De volgende stap na …", "de
#: volgende collegeperiode"); "hieronder" and "onderstaand" point ahead wherever they stand; the
#: authors say they are about to present what they named ("Ik duid ze kort aan.": "ik" or "we", a
#: verb, "ze" or "deze", at most two words more).
_TIME_OR_ORDER = (
    r"\w*(fase|fasen|fases|stap|stappen|jaar|jaren|dag|dagen|week|weken|maand|maanden|keer|ronde|rondes"
    r"|vergadering|vergaderingen|periode|periodes|paragraaf|paragrafen|hoofdstuk|hoofdstukken|generatie|generaties)"
)
#: A sentence that counts what comes next, near its end ("Je kunt dat op twee manieren doen.", "We
#: schetsen drie varianten:", "… een balans tussen drie elementen."): round 19 found C1 quoting the
#: first and closing on "… op twee manieren doen." with one way given. Seven sentences of the guides
#: match, six followed by what they count, one a figure's caption; "op 350 verschillende manieren"
#: counts nothing, and a count answered in its own sentence after a colon, semicolon or comma ("Dat
#: kan op twee manieren, formeel of informeel.") announces nothing. Phases are left out: "in drie
#: fasen" tells how something went as often (see _TIME_OR_ORDER). A count without a number
#: ("enkele", "een aantal", "een paar") only when what it counts ends the sentence, a verb's
#: particle aside: "Ik noem enkele mogelijkheden." before its list, "Maar de praktijk geeft ons een
#: aantal lessen mee." before them (the only two such sentences in the guides); "Enkele vragen zijn
#: nog open." counts nothing that follows.
_COUNTED_WHAT = (
    r"(\w+\s+){0,2}(manieren|mogelijkheden|opties|varianten|routes|wegen|soorten|typen|vormen|modellen"
    r"|elementen|aspecten|factoren|redenen|vragen|lessen)\b"
)
_COUNTED = (
    rf"\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|[2-9])\s+{_COUNTED_WHAT}[^.?!:;,]{{0,40}}[.:]?\W*$"
    rf"|\b(een aantal|enkele|een paar)\s+{_COUNTED_WHAT}(\s+(mee|op|aan))?\s*[.:]?\W*$"
)
ANNOUNCES = re.compile(
    r"(\bals volgt|\bhet volgende)\W*$"
    rf"|\b(de|het) volgende (?!{_TIME_OR_ORDER}\b)\w+(?![^:]*:\s*\S)"
    r"|\bhieronder\b|\bonderstaand"
    r"|^\W*(ik|we|wij)\s+\w+\s+(ze|deze)(\s+\w+){0,2}\W*$"
    rf"|{_COUNTED}",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def announces(text: str) -> bool:
    """Whether ``text`` announces what follows it (:data:`ANNOUNCES`; cached: the guides' sentences
    are few, and every candidate quote asks of its ends)."""
    return bool(ANNOUNCES.search(" ".join(text.split())))


#: "o.a. op", "onder meer in": an enumeration that the list after it gives.
_ENUMERATES = re.compile(r"\b(o\.a\.|onder andere|onder meer)\s+\w+$", re.IGNORECASE)


def _stem_of(passage: Passage, here: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether the unit ``here`` is a stem that the list item ``after`` it continues: a sentence
    (no item itself) that ends on a preposition ("Een bestuurskrachtig gemeentebestuur beschikt
    kort geformuleerd over" before "- een overzicht van …"), or any unit ending on an enumeration
    ("… welke acties dat nog vraagt, o.a. op" before "- Personele en formatieve uitgangspunten …").
    A list item ending on a preposition is mostly a verb's particle ("- de kwaliteit laat te
    wensen over"), no stem."""
    text = passage.text[slice(*here)].rstrip()
    if not list_item(passage, after[0], passage.text[slice(*after)]):
        return False
    if _ENUMERATES.search(text):
        return True
    words = text.split()
    return bool(words) and words[-1].lower() in PREPOSITIONS and not list_item(passage, here[0], text)


#: Double quotation marks and the mark that closes each: single ones double as apostrophes
#: ("auto’s") and set off words ("‘couleur locale’"), not claims.
_QUOTATION = {"“": "”", "„": "”", '"': '"'}


def in_quotation(passage: Passage, span: tuple[int, int]) -> bool:
    """Whether sentence ``span`` of a myth stands in the paragraph that quotes it as a whole: a
    claim in quotation marks that the guide answers in its own words after it ("“Je moet altijd
    een bestuurlijke fusie voor ogen hebben …”" and then "Nee. …"; an independent review found that
    myth quoted without its "Nee.", as the guide's own view, in two of 24 answers). Only myths: a
    case's quoted title or a guide's quoted motto is no claim it answers (a review of this rule
    found a case's on-topic title quote lost to it)."""
    if passage.kind != "myth":
        return False
    start = passage.text.rfind("\n\n", 0, span[0])
    end = passage.text.find("\n\n", span[1])
    paragraph = passage.text[start + 2 if start >= 0 else 0 : end if end >= 0 else len(passage.text)].strip().strip("*_ ")
    closing = _QUOTATION.get(paragraph[:1])
    return closing is not None and len(paragraph) > 1 and paragraph[-1] == closing and closing not in paragraph[1:-1]


#: A sentence that turns against the one before it: what came before was a concession.
_TURNS = re.compile(r"^\W*(?:toch|maar|echter|desondanks|niettemin)\b", re.IGNORECASE)
#: "Maar ook …", "Maar natuurlijk ook …" adds to what came before, it does not turn against it (five
#: of the guides' sentences; "Maar zorg ook dat er voortgang zit …" weighs against what came before).
_ADDS = re.compile(r"^\W*maar\s+(natuurlijk\s+)?ook\b", re.IGNORECASE)


def turns_against(text: str) -> bool:
    """Whether sentence ``text`` turns against the one before it, in a statement of its own: no
    question ("Maar wat bepaalt dan dit vertrouwen?"), no addition ("Maar ook …", :data:`_ADDS`)
    and no announcement of what follows ("Maar de praktijk geeft ons een aantal lessen mee.")."""
    text = " ".join(text.split())
    return (
        bool(_TURNS.match(text)) and not _ADDS.match(text) and not text.endswith("?") and not announces(text)
    )


def _same_line(passage: Passage, here: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether sentence ``after`` goes on on the line of sentence ``here``: no new paragraph, list
    item or line of an exercise between them."""
    return "\n" not in passage.text[here[1] : after[0]]


def _concedes(passage: Passage, run: Sequence[tuple[int, int]], j: int) -> bool:
    """Whether the guide turns against sentence ``j`` of ``run`` in the next one: a quote that ends
    there gives one side of what the guide weighs ("Het aanstellen van een volledig nieuwe
    gemeentesecretaris … kan een kans zijn …", before "Toch toont onze gespreksronde dat het níét
    altijd nodig is": myth 3, quoted as the guide's answer; a directieraad's advantage without
    "Maar dan heb je het risico …", Wegwijzer 95; "Je zou daaruit kunnen concluderen dat … geduld
    vraagt" without "Maar we geloven dat …": two independent reviews). The turn stands in the same
    paragraph: one that opens the next paragraph starts the guide's next point ("Maar deze Wegwijzer
    is meer dan een gids: …"). In the guides' passages: 65 sentences open with a turn word, 41 of
    them turn against the sentence before in its paragraph (:func:`turns_against`)."""
    return (
        j + 1 < len(run)
        and _same_line(passage, run[j], run[j + 1])
        and turns_against(passage.text[slice(*run[j + 1])])
    )


def _answered_next(passage: Passage, run: Sequence[tuple[int, int]], j: int) -> bool:
    """Whether sentence ``j`` of ``run`` is one the guide completes in the next sentence: a question
    it answers there (it ends on "?", the next one follows in the same paragraph: an exercise's
    questions stand on lines of their own; and it is no question of a series: the sentence before
    it is no question), or one that announces what follows (:func:`announces`), or a stem that the
    list after it completes (:func:`_stem_of`)."""
    if j + 1 >= len(run):
        return False
    here, after = run[j], run[j + 1]
    text = passage.text[slice(*here)].rstrip()
    if announces(text):
        return True
    if _stem_of(passage, here, after):
        return True
    if in_quotation(passage, here) and not in_quotation(passage, after) or _concedes(passage, run, j):
        return True  # the guide's answer to the claim it quoted, or the turn after a concession
    asks = text.endswith("?")
    series = j > 0 and passage.text[slice(*run[j - 1])].rstrip().endswith("?")
    return asks and not series and _same_line(passage, here, after)


def _ends_open(passage: Passage, run: Sequence[tuple[int, int]], j: int) -> bool:
    """Whether a quote that ends on sentence ``j`` of ``run`` promises what it does not give: the
    guide completes that sentence next (:func:`_answered_next`), or it announces what follows and
    closes its run (what it announces stands after a heading or in the next passage: "… die we
    hieronder in een rollentypologie weergeven." ends its passage)."""
    return _answered_next(passage, run, j) or (j + 1 == len(run) and announces(passage.text[slice(*run[j])]))


def _leaves_open(passage: Passage, run: Sequence[tuple[int, int]], j: int) -> bool:
    """Whether a settled quote ending on sentence ``j`` still promises what it does not give: an
    announcement or a list's stem (what completes it did not come along), or a question whose
    answer the guide announces next ("Welke voordelen kom ik tegen …? Ik duid ze kort aan."). A
    question the guide simply answers next may stand alone: "… agendeer tijdig de vraag: lossen we
    onze knelpunten nog zelfstandig op?" is a role cell's advice, not a riddle."""
    if announces(passage.text[slice(*run[j])]):
        return True
    if in_quotation(passage, run[j]) and j + 1 < len(run) or _concedes(passage, run, j):
        return True  # a quoted claim without the guide's answer after it, or a concession without its turn
    if j + 1 >= len(run):
        return False
    return _stem_of(passage, run[j], run[j + 1]) or (
        _answered_next(passage, run, j) and announces(passage.text[slice(*run[j + 1])])
    )


def _completion(passage: Passage, run: Sequence[tuple[int, int]], j: int) -> int | None:
    """The last sentence of what completes sentence ``j`` (:func:`_answered_next`), when it is short
    (each sentence at most :data:`CONTEXT_WORDS`) and ends nothing open: the next sentence, or the
    two next when the first is completed in turn (a question's answer that the guide turns against:
    "Moet degene die een fusieproces in gang zet, ook … de leiding krijgt?", "Een frisse wind … kan
    voorkomen …", "Maar een kwartiermaker kan zich ook ontwikkelen …"); None otherwise."""
    for k in (j + 1, j + 2):
        if k >= len(run) or _words(passage.text[slice(*run[k])]) > CONTEXT_WORDS:
            return None
        if not _ends_open(passage, run, k):
            return k
    return None


def _context_start(texts: Sequence[str], k: int) -> int | None:
    """Where a quote that would open on sentence ``k`` of ``texts`` (a run's sentences) opens: at
    ``k`` when it does not point back; else at the nearest sentence before it that does not, when
    the sentences from there up to ``k`` (not included) have at most :data:`CONTEXT_WORDS` words
    together (a fragment that points back, "Ook als het spannend wordt.", comes along with the
    sentence it continues); None when there is no such context (the run opens on ``k``, or the
    context is longer)."""
    if not dangles(texts[k]):
        return k
    words = 0
    for c in range(k - 1, -1, -1):
        words += _words(texts[c])
        if words > CONTEXT_WORDS:
            return None
        if not dangles(texts[c]):
            return c
    return None


def _settle(
    passage: Passage, run: Sequence[tuple[int, int]], i: int, j: int, context: int | None
) -> tuple[int, int]:
    """Sentences ``i``..``j`` of ``run`` as they are quoted: what completes the last one comes
    along when it is short and does not end open itself (:func:`_completion`: one or two
    sentences), else the quote stops before the last one ("Gaat dit probleemloos?", "… zijn als
    volgt."); the quote opens at ``context``, where the context of sentence ``i`` starts
    (:func:`_context_start`; ``i`` itself when it does not point back, None when no context can
    come along); and a quote that still ends where the guide goes on (a question or an
    announcement taken along) ends before that."""
    if _answered_next(passage, run, j):
        completed = _completion(passage, run, j)
        if completed is not None:
            j = completed
        elif j > i:
            j -= 1
    i = i if context is None else context
    while j > i and _ends_open(passage, run, j):
        j -= 1
    return i, j


def excerpt(
    passage: Passage, terms: Terms, max_words: int = MAX_WORDS, skip: Sequence[tuple[int, int]] = ()
) -> Excerpt | None:
    """The best run of adjacent sentences of ``passage`` for ``terms`` (None: nothing quotable):
    verbatim, from its first sentence to its last, on one line; never one of the ``skip`` sentence
    spans (said before in the conversation)."""
    runs = _runs(passage, [*skip, *loose_items(passage), *counts_a_list(passage)])
    if not runs:
        return None
    # a sentence that points back, right after one said before in the conversation, cannot take
    # that one along: no quote starts there ("Dat vraagt relationeel vakmanschap: …" was all the
    # seventeenth review's conversation had left of a passage whose sentence before it was quoted
    # a turn earlier); a passage with nothing else left is not quoted
    sentences = sentence_spans(passage.text)
    said = set(skip)
    cut_off = {
        after for before, after in zip(sentences, sentences[1:], strict=False)
        if before in said and dangles(passage.text[slice(*after)])
    }
    runs = [run[1:] if run[0] in cut_off else run for run in runs]
    runs = [run for run in runs if run]
    if not runs:
        return None
    if len(runs) == 1 and sum(_words(passage.text[s:e]) for s, e in runs[0]) <= WHOLE_WORDS:
        spans = runs[0]
        return Excerpt(passage, _slice(passage, spans), tuple(spans), terms.score(_slice(passage, spans)))
    # (total, run, first, last) settled: the best candidate whose quote does not leave open what it
    # announces, and the best of all (a passage whose every quote would, e.g. one announcing
    # sentence before a table, is still quoted: its table holds what was asked)
    best: tuple[float, list[tuple[int, int]], int, int] | None = None
    fallback: tuple[float, list[tuple[int, int]], int, int] | None = None
    position = 0
    for run in runs:
        texts = [passage.text[s:e] for s, e in run]
        matched = [terms.score(t) + terms.anchored(passage.id, t) for t in texts]
        scores = [
            m + POSITION_PRIOR / (1 + position + k)
            + (FOLLOW_SHARE * matched[k - 1] if k else 0.0)
            + (ADVICE_BONUS if is_advice(passage, run[k][0], texts[k]) else 0.0)
            for k, m in enumerate(matched)
        ]
        position += len(run)
        # where a quote that opens on each sentence opens (its context); an opening that points back
        # costs ANAPHOR_PENALTY: when its context cannot come along, and on a first word that points
        # back even when it can (the context opens better)
        contexts = [_context_start(texts, k) for k in range(len(texts))]
        penalty = [
            ANAPHOR_PENALTY if contexts[k] is None or (k > 0 and _opens_on_pointer(t)) else 0.0
            for k, t in enumerate(texts)
        ]
        for i in range(len(run)):
            if i > 0 and in_quotation(passage, run[i]) and in_quotation(passage, run[i - 1]):
                continue  # a quote opens a claim at its start, not halfway with a stray closing mark
            words = 0
            for j in range(i, len(run)):
                words += _words(texts[j])
                if words > max_words and j > i:
                    break
                total = sum(scores[i : j + 1]) - penalty[i]
                # settled once: what beats the best of all beats the best accepted one too
                if best is None or total > best[0] + 1e-9:
                    first, last = _settle(passage, run, i, j, contexts[i])
                    if fallback is None or total > fallback[0] + 1e-9:
                        fallback = (total, run, first, last)
                    if not _leaves_open(passage, run, last):
                        best = (total, run, first, last)
                if words > max_words:
                    break
    assert fallback is not None
    total, run, i, j = best or fallback
    chosen = run[i : j + 1]
    return Excerpt(passage, _slice(passage, chosen), tuple(chosen), total)


def opening(passage: Passage, max_words: int = MAX_WORDS, lists: bool = False) -> Excerpt | None:
    """The passage's first quotable sentence, when it is no list item and fits in ``max_words``:
    how a definition opens ("Kiest bewust voor een rol waarin …"); None otherwise. With ``lists``, a
    passage that opens with a list stem and its items ("Leunt op … of" and two items) opens with all
    of them, verbatim from the stem to the end of the last item's first sentence (the stem is no
    sentence of its own, and an item alone starts "… in de context van …")."""
    spans = _sentences(passage)
    if not spans:
        return None
    start, end = spans[0]
    text = passage.text[start:end]
    if list_item(passage, start, text):
        return _stem_and_items(passage, spans, max_words) if lists else None
    if _words(text) > max_words:
        return None
    return Excerpt(passage, _slice(passage, spans[:1]), (spans[0],))


def _stem_and_items(passage: Passage, spans: Sequence[tuple[int, int]], max_words: int) -> Excerpt | None:
    """The paragraph before the first list item (the stem) with the consecutive items after it, as
    one span; None without a stem of its own paragraph or when it does not fit in ``max_words``."""
    items = []
    for a, b in spans:
        if not list_item(passage, a, passage.text[a:b]) or (items and "\n" not in passage.text[items[-1][1]:a]):
            break
        items.append((a, b))
    before = passage.text[: items[0][0]].rstrip().rstrip("-–•·▪●").rstrip()
    cut = before.rfind("\n\n")
    if cut < 0 or not before[cut:].strip():
        return None
    start = cut + len(before[cut:]) - len(before[cut:].lstrip())
    span = (start, items[-1][1])
    quoted = _slice(passage, [span])
    return Excerpt(passage, quoted, (span,)) if _words(quoted) <= max_words else None


def said_spans(passage: Passage, earlier: Sequence[str]) -> list[tuple[int, int]]:
    """The sentence spans of ``passage`` an earlier answer of the conversation quoted (``earlier``:
    those answers, each :func:`flat` already)."""
    if not earlier:
        return []
    return [(a, b) for a, b in sentence_spans(passage.text) if already_said(passage.text[a:b], earlier)]


def question_sentences(passage: Passage) -> list[tuple[str, tuple[int, int]]]:
    """The sentences of ``passage`` that are questions (for reflection), with their spans."""
    out = []
    for start, end in _sentences(passage):
        text = passage.text[start:end]
        if text.rstrip("”’\"' ").endswith("?") and 20 <= len(text) <= 300:
            out.append((flat(text), (start, end)))
    return out


#: Markdown around a quote in a rendered answer ("> " before each line of a quote, "**" around a
#: label, "- " before a role's line): not part of what was said.
_RENDERED = re.compile(r"[>*_`]")


def said_key(text: str) -> str:
    """``text`` as :func:`already_said` compares it: without Markdown marks, on one line. An earlier
    answer comes back in the history on one line (assistant.clean_text), so a quoted list ("… of
    - … - …") is compared with its line breaks gone (before, a list quoted once was quoted again)."""
    return " ".join(_RENDERED.sub(" ", text).split())


def already_said(text: str, earlier: Sequence[str]) -> bool:
    """Whether ``text`` was said in one of the ``earlier`` assistant turns of the conversation
    (each :func:`said_key` already: an answer is keyed once, not once per sentence looked up)."""
    needle = said_key(text)
    return bool(needle) and any(needle in turn for turn in earlier)
