"""In scope or not: answer, answer with a caution, or refuse honestly.

The guides are about the work of a gemeentesecretaris, in general and in mergers and cooperation.
They are not about rules, amounts and procedures, and not about anything off-topic. Which is which
is learned from data, not from word lists: the question bank holds questions the guides answer
(per passage) and questions they do not (``corpus/questions/out-of-scope.yaml``).

A question's evidence (:class:`ScopeEvidence`) is what retrieval found anyway:

- ``bank_in``: mean similarity of the 3 nearest in-scope bank questions,
- ``bank_out``: mean similarity of the 3 nearest out-of-scope bank questions,
- ``dense``: similarity of the nearest passage,
- ``coverage``: the share of the question's idf mass its best BM25 passage holds,
- ``direction``: where the question's vector lies along the line in embedding space that best
  separates the bank's in-scope questions from its out-of-scope ones (a linear classifier fitted
  with the model): nearest neighbours see one spot of the bank, this sees all of it.

A logistic regression (:class:`ScopeModel`, fitted by :mod:`.scope_fit` with cross-validation on
the bank alone) turns the evidence into a probability; two thresholds chosen on the out-of-fold
probabilities split it into refuse / answer with a caution / answer. History counts only for a
follow-up, because retrieval embeds the earlier turns only then (with the new turn's own vector
added, RetrievalSettings.follow_up_own).

Rules come before the model for what is no matter of topic: instruction injection and a request
to write a text are always refused, and so is a message without a word (:func:`no_word`) or of
code alone, saying so; a greeting or thanks gets a reply in kind; a question about the sources themselves, about
one of the guides' own lists ("Welke spanningsvelden …?") or a follow-up on a listed item is
answered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import Sources
from secretarisbot.answer.frameworks import asks_for_sources
from secretarisbot.answer.frameworks import detect as detect_framework
from secretarisbot.model import Answer, BankQuestion, Context, Message, Situation
from secretarisbot.retrieve.analyze import content_words
from secretarisbot.text import tokens

#: Attempts to change the assistant's instructions or read them. Always out of scope.
INJECTION_RE = re.compile(
    r"negeer\s+(je|jouw|alle|de|al je)\s*(eerdere\s+|vorige\s+)?(instructies|regels|opdracht)"
    r"|vergeet\s+(je|jouw|alle|al je)\s*(eerdere\s+|vorige\s+)?(instructies|regels|opdracht)"
    r"|ignore\s+(all\s+|your\s+|the\s+)?(previous\s+|prior\s+|above\s+)?(instructions|rules|prompt)"
    r"|disregard\s+(all\s+|your\s+|the\s+)?(previous\s+|prior\s+)?instructions"
    r"|system\s?prompt|systeemprompt|je\s+(instructies|prompt)\s+(laten\s+)?zien|toon\s+je\s+(instructies|prompt)"
    r"|je\s+bent\s+nu\s+(een|geen)|doe\s+alsof\s+je|speel\s+(de\s+rol|dat\s+je)|vanaf\s+nu\s+ben\s+je"
    r"|jailbreak|\bdan\s+mode\b|developer\s+mode",
    re.IGNORECASE,
)

#: A request to write a text ("Schrijf een raadsvoorstel …", "Maak een persbericht over …", "Kun je
#: een toespraak schrijven?"): the assistant shows what the guides say and writes nothing, whatever
#: the topic (the bank's out-of-scope kind "abuse" holds such requests; a review found a raadsvoorstel
#: about an ambtelijke verkenning answered with 3,300 characters of quotes, its domain words outweighing
#: the ask). "Schrijf" opens the message, or another making verb with a kind of text ("Maak een
#: persbericht", "Kun je een kerstgedicht schrijven?"); "Kun je me helpen een ambitie te formuleren?"
#: names no text and is a question for the model. Checked 2026-12-02 against the bank: none of its
#: 4,413 in-scope questions matches, 40 of its 791 out-of-scope ones do (33 of the 71 of kind "abuse").
_TEXTS = (
    r"\S*(?:tekst|brief|mail|toespraak|speech|voorstel|nota|notitie|memo|bericht|gedicht|column|post|nieuwsbrief|vacature\w*"
    r"|advertentie|agenda|notulen|verslag|quiz|lied|rijm\w*|slogan|pitch|oproep|uitnodiging|felicitatie|openingswoord"
    r"|welkomstwoord|tweet|haiku|limerick|rede|grap|mop|script)\b"
)
WRITING_RE = re.compile(
    r"^\s*(?:schrijf|write)\b|\b(?:can|could) you write\b"
    r"|^\s*(?:schrijf|formuleer|concipieer|stel|maak|ontwerp|bedenk|componeer|dicht)\b(?:\s+\S+){0,6}?\s+"
    rf"(?:een|de|mijn|onze|het)?\s*{_TEXTS}"
    # (lazy: the match ends at the first verb of writing, where the ask ends: writing_topic)
    rf"|\b(?:kun|kan|wil|zou)\s+(?:je|jij|u)\b.{{0,60}}?{_TEXTS}.{{0,60}}?\b(?:schrijven|opstellen|formuleren|dichten|maken)\b",
    re.IGNORECASE,
)

#: A greeting or a thank-you on its own: answered in kind, with what the assistant can do.
GREETING_RE = re.compile(
    r"^\s*(hoi|hallo|hey|hi|hello|hee|goedemorgen|goedemiddag|goedenavond|goedendag|dag|yo)"
    r"(\s+(daar|allemaal|secretarisbot|bot))?[\s!.,?🙂👋]*$",
    re.IGNORECASE,
)
THANKS_RE = re.compile(
    r"^\s*(bedankt|dank\s*(je|u)(\s*wel)?|dankjewel|dankuwel|dankjwl|heel erg bedankt|thanks|thank you|thx|tnx|"
    r"cheers|merci|top|super|"
    r"prima|helder|duidelijk|ok(é|e|ay)?|oké,? bedankt)([\s,]+(hoor|voor (je|het|dit) antwoord|bedankt|thx|thanks))?[\s!.,🙂👍]*$",
    re.IGNORECASE,
)

#: Bank neighbours averaged per side: one lucky neighbour is not evidence, three agreeing are.
NEIGHBOURS = 3
FEATURES: tuple[str, ...] = ("bank_in", "bank_out", "dense", "coverage", "direction")
#: Without the question bank only the passages' own evidence is there.
PASSAGE_FEATURES: tuple[str, ...] = ("dense", "coverage")

Outcome = Literal["answer", "caution", "refuse"]


@dataclass(frozen=True)
class ScopeEvidence:
    """What retrieval found for a question, as the scope model reads it."""

    bank_in: float = 0.0
    bank_out: float = 0.0
    dense: float = 0.0
    coverage: float = 0.0
    direction: float = 0.0

    @classmethod
    def of(
        cls, in_sims: Sequence[float], out_sims: Sequence[float], dense: Sequence[float], coverage: float,
        direction: float = 0.0,
    ) -> ScopeEvidence:
        """From similarities best first (any length), a coverage share and a direction score."""
        return cls(
            bank_in=_top_mean(in_sims), bank_out=_top_mean(out_sims),
            dense=max(dense, default=0.0), coverage=float(coverage), direction=float(direction),
        )

    def as_dict(self) -> dict[str, float]:
        return {name: round(float(getattr(self, name)), 4) for name in FEATURES}


def _top_mean(values: Sequence[float], n: int = NEIGHBOURS) -> float:
    best = sorted((float(v) for v in values), reverse=True)[:n]
    return sum(best) / len(best) if best else 0.0


@dataclass(frozen=True)
class ScopeModel:
    """Logistic regression over standardised :class:`ScopeEvidence` features, with its thresholds.

    ``refuse_below`` and ``caution_below`` are probabilities; ``measurement`` records how they were
    chosen (cross-validated rates on the bank), so every number says where it came from.
    """

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    refuse_below: float
    caution_below: float
    fingerprint: str = ""
    measurement: Mapping[str, float | int | str] = field(default_factory=dict)
    #: The in/out-of-scope line in embedding space (weights per dimension, and a bias) that the
    #: ``direction`` feature is read along; empty for a model without it.
    direction: tuple[float, ...] = ()
    direction_bias: float = 0.0

    def direction_of(self, vector: Sequence[float] | None) -> float:
        """The ``direction`` feature of a question's (query) ``vector``; without one (an index
        searched by text only) its mean over the bank, which moves the probability neither way."""
        if not self.direction or vector is None or len(vector) != len(self.direction):
            return self.mean[self.features.index("direction")] if "direction" in self.features else 0.0
        norm = math.sqrt(sum(float(v) * float(v) for v in vector)) or 1.0
        return sum(w * float(v) for w, v in zip(self.direction, vector, strict=True)) / norm + self.direction_bias

    def probability(self, evidence: ScopeEvidence) -> float:
        """P(the guides answer this question)."""
        z = self.bias
        for name, w, m, s in zip(self.features, self.weights, self.mean, self.scale, strict=True):
            z += w * (float(getattr(evidence, name)) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def outcome(self, probability: float) -> Outcome:
        if probability < self.refuse_below:
            return "refuse"
        return "caution" if probability < self.caution_below else "answer"

    def to_json(self) -> dict:
        return {
            "features": list(self.features), "weights": list(self.weights), "bias": self.bias,
            "mean": list(self.mean), "scale": list(self.scale), "refuse_below": self.refuse_below,
            "caution_below": self.caution_below, "fingerprint": self.fingerprint,
            "measurement": dict(self.measurement), "direction": list(self.direction),
            "direction_bias": self.direction_bias,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> ScopeModel:
        return cls(
            features=tuple(data["features"]), weights=tuple(data["weights"]), bias=float(data["bias"]),
            mean=tuple(data["mean"]), scale=tuple(data["scale"]), refuse_below=float(data["refuse_below"]),
            caution_below=float(data["caution_below"]), fingerprint=str(data.get("fingerprint", "")),
            measurement=dict(data.get("measurement", {})),
            direction=tuple(float(v) for v in data.get("direction", ())),
            direction_bias=float(data.get("direction_bias", 0.0)),
        )


@dataclass
class ScopeDecision:
    outcome: Outcome
    probability: float
    reason: str  # "model", "lijst", "bronnen", "injectie", "schrijfopdracht", "groet", "dank", "geen model"
    evidence: dict[str, float] = field(default_factory=dict)

    @property
    def in_scope(self) -> bool:
        return self.outcome != "refuse"


#: A word this long or longer can be told from noise; shorter ones ("Wmo", "BBV", "thx") may be an
#: abbreviation or chat and are left to the model and the follow-up reading.
NOISE_MIN_LETTERS = 5
_CONSONANT_RUN = re.compile(r"[^aeiouy]{5,}")


def looks_like_noise(word: str) -> bool:
    """Whether a folded ``word`` reads as typed noise: long enough to tell, and a run of five
    consonants ("asdfghjkl", "sdfsdf"), at most two letters ("jkjkjk", "hmmmm"), or fewer than one
    vowel in six letters. Dutch words that do this ("angstschreeuw") are known words, so the rule
    only looks at words nobody knows (:func:`no_word`)."""
    if len(word) < NOISE_MIN_LETTERS:
        return False
    vowels = sum(ch in "aeiouy" for ch in word)
    return bool(_CONSONANT_RUN.search(word)) or len(set(word)) <= 2 or vowels * 6 < len(word)


def no_word(question: str, knows: Callable[[str], bool]) -> bool:
    """Whether ``question`` has words and each is unknown and noise ("asdfghjkl"): no word of the
    guides, the question bank or Dutch, nor one a typing error away, nor a compound of known parts
    ("Arhi-procedure"), and typed noise (:func:`looks_like_noise`). Such a message is no question,
    also after an earlier one (where it would otherwise be read as a follow-up to it; a walk-through
    found "asdfghjkl" answered with the previous question's passages). Digits and signs are no
    words: "?" and "1234" are left to the model, and so is any word that may be one ("Wmo?",
    "Onboarding?", "Stakeholdermanagement?" after a question are follow-ups)."""
    found = tokens(question)
    words = [t for t, part in found if not part and t.isalpha()]
    parts = {t for t, part in found if part}
    if not words:
        return False
    # the pure noise test first: a question with any ordinary word never asks the word list
    return all(looks_like_noise(w) and not knows(w) for w in words) and not any(knows(p) for p in parts)


def is_injection(text: str) -> bool:
    return bool(INJECTION_RE.search(text))


def asks_for_writing(text: str) -> bool:
    """Whether ``text`` asks the assistant to write a text (:data:`WRITING_RE`)."""
    return bool(WRITING_RE.search(text))


#: A kind of text named ("een memo", "de nieuwjaarstoespraak").
TEXT_KIND = re.compile(_TEXTS, re.IGNORECASE)
#: What a text is to be about, after the ask: "(een memo) over …", "(een toespraak) voor …".
_ABOUT = re.compile(rf"^\s*(?:(?:\S+\s+){{0,6}}?{_TEXTS})?[\s,:]*(?:op\s+)?(?:over|voor|aan|met|om|bij)?\b\s*", re.IGNORECASE)


def writing_topic(text: str) -> str:
    """The subject of a request to write a text, without the ask: "Kun je een memo schrijven over hoe
    ik de raad aan boord houd?" -> "hoe ik de raad aan boord houd?"; "" when only the ask is left
    ("Schrijf een kerstgedicht"). Whether the guides hold the subject is judged on this: on the
    whole message the ask outweighed it (four of five requests on a herindeling or an ambtelijke
    fusie read as other ground, 2026-12-04)."""
    m = WRITING_RE.search(text)
    if m is None:
        return text.strip()
    rest = _ABOUT.sub("", text[m.end():], count=1)
    topic = f"{text[: m.start()]} {rest}".strip()
    return topic if content_words(topic) else ""


def decide(
    question: str,
    history: Sequence[Message] = (),
    evidence: ScopeEvidence | None = None,
    model: ScopeModel | None = None,
    hints: Mapping[str, float] | None = None,
) -> ScopeDecision:
    """Answer, caution or refuse ``question`` (see the module docstring).

    ``hints``: ``code`` when the message was a script or style element alone (refused first, as
    code), ``lijstverwijzing`` when the question points at an item of the last answer's list ("En
    de derde?"), ``geen woord`` when it has no word (:func:`no_word`; refused after the rules about
    what is asked). Without a model (an index without a question bank and nothing to fit on) a
    question is answered: refusing needs evidence.
    """
    if is_injection(question):
        return ScopeDecision("refuse", 0.0, "injectie", {"injectie": 1.0})
    if asks_for_writing(question):
        # whether the topic is the guides' own (the model would answer it as a question): then the
        # refusal names where the guides come nearest
        p = model.probability(evidence) if model is not None and evidence is not None else 0.0
        on_topic = model is not None and evidence is not None and model.outcome(p) != "refuse"
        return ScopeDecision("refuse", 0.0, "schrijfopdracht", {"schrijfopdracht": 1.0, "onderwerp": float(on_topic)})
    if asks_for_sources(question):  # "Welke bronnen gebruik je?": the five guides themselves
        return ScopeDecision("answer", 1.0, "bronnen")
    if GREETING_RE.match(question):
        return ScopeDecision("refuse", 0.0, "groet")
    if THANKS_RE.match(question):
        return ScopeDecision("refuse", 0.0, "dank")
    if (hints or {}).get("code"):  # a script element and nothing else (assistant.code_only)
        return ScopeDecision("refuse", 0.0, "code", {"code": 1.0})
    if (hints or {}).get("lijstverwijzing") or detect_framework(question) is not None:
        # "Wat zijn de zeven stops?" names a list of the guides; "En de derde?" points into one
        return ScopeDecision("answer", 1.0, "lijst", dict(hints or {}))
    if (hints or {}).get("geen woord"):  # no word at all (assistant: Speller.knows)
        return ScopeDecision("refuse", 0.0, "geen woord", {"geen woord": 1.0})
    if model is None or evidence is None:
        return ScopeDecision("answer", 1.0, "geen model")
    p = model.probability(evidence)
    return ScopeDecision(model.outcome(p), round(p, 4), "model", {**evidence.as_dict(), "p": round(p, 4)})


def nearest_topics(context: Context, sources: Sources, decision: ScopeDecision, k: int = 3) -> list[str]:
    """Section titles of the passages nearest to *this* question (none for injection)."""
    if decision.reason == "injectie":
        return []
    topics: list[str] = []
    for p in context.passages:
        bits = [b.strip() for b in p.section.split("›") if b.strip()]
        if not bits:
            continue
        title = f"{sources.short_title(p.document)}: {' › '.join(bits[-2:])}"
        if title not in topics:
            topics.append(title)
        if len(topics) >= k:
            break
    return topics


#: Function words that mark a question as English (none of them is a Dutch word).
_ENGLISH_WORDS = frozenset(
    "the should how what which with does would could my our who when about their they and of to "
    "are can deal handle there this that".split()
)
_DUTCH_WORDS = frozenset("de het een en van wat hoe ik mijn we onze is er dat die met voor".split())


def is_english(question: str) -> bool:
    """Whether ``question`` is (mostly) English: three or more English function words and more
    of them than Dutch ones."""
    tokens = re.findall(r"[a-z]+", question.lower())
    en = sum(1 for t in tokens if t in _ENGLISH_WORDS)
    nl = sum(1 for t in tokens if t in _DUTCH_WORDS)
    return en >= 3 and en > nl


#: Kinds of out-of-scope question near enough to the guides' ground that their nearest topics help.
NEAR_KINDS = ("near-domain", "domain-flavoured")


def kind_of(nearest_out: Sequence[tuple[BankQuestion, float]], k: int = NEIGHBOURS) -> str | None:
    """The kind (OUT_OF_SCOPE_CATEGORIES) most of the ``k`` nearest out-of-scope bank questions
    have, the nearest deciding a tie; None without them."""
    near = [q.category for q, _ in nearest_out[:k] if q.category]
    if not near:
        return None
    return max(dict.fromkeys(near), key=near.count)


def refusal(
    context: Context, sources: Sources, decision: ScopeDecision,
    nearest_out: Sequence[tuple[BankQuestion, float]] = (), follow_ups: Sequence[str] = (),
) -> Answer:
    """The out-of-scope answer: the refusal sentence, then what fits the kind of question the
    nearest out-of-scope bank questions say it is (``nearest_out``): for rules, amounts and
    procedures where to look instead; for a municipal-sounding ask the guides' topics nearest to
    this question; for anything else what the assistant can do. A request to write a text says it
    writes none (on the guides' ground with where they come nearest, and ``follow_ups``: the
    questions that get their passages). No pretend answer. A greeting or a
    thank-you gets a short reply in kind instead; a message without a word or of code alone is
    told so, with what the assistant can do (no topics, no passages)."""
    if decision.reason in ("groet", "dank"):
        text = P.T_GREETING if decision.reason == "groet" else P.T_THANKS
        return Answer(question=context.question, answer=text, mode="bronnen", in_scope=False, passages=[])
    if decision.reason == "schrijfopdracht" and decision.evidence.get("onderwerp"):
        # a text on the guides' own ground: say what the assistant does instead, and where the
        # guides come nearest, so the next question can ask what they say (on other ground, below)
        topics = nearest_topics(context, sources, decision)
        lines = [P.T_NO_WRITING, *((P.T_OUT_OF_SCOPE_TOPICS, "\n".join(f"- {t}" for t in topics)) if topics else ()),
                 P.T_WRITING_HINT]
        return Answer(question=context.question, answer="\n\n".join(lines), mode="bronnen", in_scope=False,
                      passages=list(context.passages), follow_ups=list(follow_ups))
    if decision.reason == "schrijfopdracht":
        # a text on other ground: why nothing comes and what the assistant does instead; the guides'
        # topics nearest to a subject they do not hold would be arbitrary
        lines = [P.T_NO_WRITING_ELSEWHERE, *((P.T_ENGLISH_OUT_OF_SCOPE,) if is_english(context.question) else ()), P.T_CAN]
        return Answer(question=context.question, answer="\n\n".join(lines), mode="bronnen", in_scope=False,
                      passages=list(context.passages))
    lines = [P.CANNOT_ANSWER]
    if decision.reason in ("code", "geen woord"):
        # nothing to read a topic from: not "De bronnen gaan hier niet over" (about what?), no
        # "nearest topics", only what the assistant can do
        lines = [P.T_CODE_ONLY if decision.reason == "code" else P.T_NO_WORDS, P.T_OUT_OF_SCOPE_CAN]
        return Answer(question=context.question, answer="\n\n".join(lines), mode="bronnen", in_scope=False,
                      passages=[])
    kind = kind_of(nearest_out)
    if decision.reason == "injectie":
        lines.append(P.T_INJECTION)
    elif is_english(context.question):
        lines.append(P.T_ENGLISH_OUT_OF_SCOPE)
    if kind == "near-domain" and decision.reason != "injectie":
        lines.append(P.T_OUT_OF_SCOPE_ELSEWHERE)
    topics = nearest_topics(context, sources, decision) if kind in (*NEAR_KINDS, None) else []
    if topics:
        lines.append(P.T_OUT_OF_SCOPE_TOPICS)
        lines.append("\n".join(f"- {t}" for t in topics))
        lines.append(P.T_OUT_OF_SCOPE_HINT)
    elif decision.reason != "injectie":
        lines.append(P.T_OUT_OF_SCOPE_CAN)
    return Answer(
        question=context.question,
        answer="\n\n".join(lines),
        mode="bronnen",
        in_scope=False,
        situation=Situation(),
        primary_role=None,
        roles=[],
        citations=[],
        passages=list(context.passages),
    )
