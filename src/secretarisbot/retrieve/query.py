"""Query understanding: typing errors, follow-up resolution and domain synonym expansion.

    >>> q = build_query("en als de raad dat ook vindt?", ["Mijn mede-directeur blokkeert een benoeming"])
    >>> q.follow_up, q.text
    (True, 'Mijn mede-directeur blokkeert een benoeming en als de raad dat ook vindt?')

The result carries two things: ``text`` for the dense retriever (the resolved question in plain
words, without synonyms: the embedding model handles paraphrase itself) and ``terms``, weighted
stems for BM25: the question's own words at weight 1, earlier user turns (follow-ups only) at a
decaying weight, synonym expansions lower still and capped so they never outweigh the words the
user actually wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from secretarisbot.model import Message
from secretarisbot.retrieve.analyze import DEFAULT_ANALYZER, Analyzer, content_words, tokenize
from secretarisbot.retrieve.synonyms import variants
from secretarisbot.role_names import about_roles

#: Weight of a term added because it is a variant of a query word (B&W -> BenW).
VARIANT_WEIGHT = 0.6
#: Expansion terms together weigh at most this fraction of the original terms' total weight.
MAX_EXPANSION_SHARE = 1.0
#: Weights of earlier user turns when a follow-up is resolved, most recent first.
HISTORY_WEIGHTS: tuple[float, ...] = (0.6, 0.35, 0.2)

# "'wij' en 'zij'" -> "wij-zij": both words are stopwords, the guides write "wij-zij-verhoudingen"
_WIJ_ZIJ = re.compile(r"\bwij\W+(?:(?:en|of|tegen|versus)\W+)?zij\b", re.IGNORECASE)


def lexical_form(text: str) -> str:
    """``text`` with phrasings BM25 would lose rewritten to the guides' form ("wij en zij" -> "wij-zij")."""
    return _WIJ_ZIJ.sub("wij-zij", text)


# A follow-up typically opens with a conjunction that continues the previous turn ...
_FOLLOW_UP_OPENERS = re.compile(r"^(en|maar|of|dus|ook|hoe dan|waarom dan|wat dan|oke|ok|ja|nee|dank)\b")
# "wat als ..." may continue a conversation or open a new, fully stated scenario
_WEAK_OPENERS = re.compile(r"^(wat als|stel dat|stel)\b")
#: A question opening with a weak opener is a follow-up when it names at most this many things.
WEAK_OPENER_MAX_CONTENT = 3
# ... or leans on a word that points back at it ("dat", "daarmee", "hij") while naming little itself.
_ANAPHORA = frozenset(
    """dat dit daar daarbij daarmee daarvan daarover daarna daarin daarop daarvoor daartegen
    ervan erover erbij ermee ervoor hij zij ze hem haar hun dan zoiets hetzelfde datzelfde
    dezelfde diegene zulke zon""".split()
)


@dataclass(frozen=True)
class Query:
    """A question made ready for search."""

    question: str
    text: str = ""
    follow_up: bool = False
    terms: dict[str, float] = field(default_factory=dict)
    expansions: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """The effective query as shown to people: resolved text plus the synonyms searched on."""
        if not self.expansions:
            return self.text
        return f"{self.text} (+ {', '.join(self.expansions)})"


def is_follow_up(question: str) -> bool:
    """Whether ``question`` only makes sense with the conversation before it.

    True for "en als de raad dat ook vindt?" (opens with "en als") and "wat kan ik dan als eerste
    doen?" (leans on "dan", names one thing); false for a self-contained question such as
    "wat doe ik als de mede-directeur blokkeert?".
    """
    folded = " ".join(tokenize(question.replace("-", " ")))
    if not folded:
        return False
    if _FOLLOW_UP_OPENERS.match(folded):
        return True
    n_content = len(content_words(question))
    if n_content <= 1:
        return True
    weak = _WEAK_OPENERS.match(folded)
    if weak and len(content_words(folded[weak.end() :])) <= WEAK_OPENER_MAX_CONTENT:
        return True
    has_anaphor = any(tok in _ANAPHORA for tok in folded.split())
    return has_anaphor and n_content <= 3


def user_turns(history: Iterable[Message | dict]) -> list[str]:
    """The user messages of ``history`` (Message objects or {"role", "content"} dicts), in order."""
    out: list[str] = []
    for item in history:
        msg = item if isinstance(item, Message) else Message(**item)
        if msg.role == "user" and msg.content.strip():
            out.append(msg.content.strip())
    return out


Phrase = tuple[str, tuple[tuple[str, float], ...]]


@lru_cache(maxsize=8)
def _groups(analyzer: Analyzer) -> tuple[tuple[float, tuple[Phrase, ...]], ...]:
    """Each synonym group as (weight, ((phrase, weighted stems), ...)), analysed once per analyzer."""
    out = []
    for group in variants():
        phrases = tuple((p, tuple(analyzer.weighted(p))) for p in group)
        out.append((VARIANT_WEIGHT, tuple(ph for ph in phrases if ph[1])))
    return tuple(out)


def _match(query: Sequence[tuple[str, float]], needle: Sequence[str]) -> float:
    """The weight with which ``needle`` occurs as consecutive stems in ``query`` (0 if absent).

    A match on compound parts (weight 0.5) fires a group at half strength.
    """
    n, best = len(needle), 0.0
    stems = [s for s, _ in query]
    for i in range(len(query) - n + 1):
        if stems[i : i + n] == list(needle):
            best = max(best, min(w for _, w in query[i : i + n]))
    return best


def expand(
    query: Sequence[tuple[str, float]] | Sequence[str], analyzer: Analyzer = DEFAULT_ANALYZER
) -> tuple[dict[str, float], tuple[str, ...]]:
    """Synonym expansion of an analysed query: (new stem -> weight, the phrases that were added).

    ``query`` is a list of (stem, weight) pairs as :meth:`Analyzer.weighted` gives, or of stems
    (weight 1). A group fires when one of its phrases occurs as consecutive stems in the query;
    it then adds the stems of its other phrases at the group weight times the strength of the
    match, spread over the words of a multi-word phrase. Stems already in the query are never added.
    """
    pairs = [(q, 1.0) if isinstance(q, str) else q for q in query]
    present = {s for s, _ in pairs}
    added: dict[str, float] = {}
    phrases: list[str] = []
    for weight, group in _groups(analyzer):
        strength = max(_match(pairs, [s for s, _ in seq]) for _, seq in group)
        if strength <= 0:
            continue
        for phrase, seq in group:
            new = [(s, w) for s, w in seq if s not in present]
            if not new:
                continue
            if phrase not in phrases:
                phrases.append(phrase)
            # a phrase adds as much weight as a single word, however many words it has
            words = sum(1 for _, w in seq if w == 1.0) or 1
            for s, w in new:
                added[s] = max(added.get(s, 0.0), weight * strength * w / words)
    return added, tuple(phrases)


def build_query(
    question: str,
    history: Iterable[Message | dict | str] = (),
    analyzer: Analyzer = DEFAULT_ANALYZER,
    *,
    synonyms: bool = True,
) -> Query:
    """Resolve ``question`` against the conversation ``history`` and expand it for search.

    ``history`` holds earlier turns (Message, {"role", "content"} dict, or a plain string = a user
    turn). Only a follow-up (see :func:`is_follow_up`) uses it; then the earlier user turns are
    added, most recent weighted most (:data:`HISTORY_WEIGHTS`). ``synonyms=False`` skips the
    expansion (a baseline for the evals).
    """
    question = question.strip()
    prior = user_turns({"role": "user", "content": h} if isinstance(h, str) else h for h in history)
    follow_up = bool(prior) and is_follow_up(question)
    # then typing errors are read as the guides' words, for BM25 and the embedder alike (after the
    # follow-up test: it reads the user's own pointing words, "diegene")
    question = analyzer.correct(question)
    # a role type's name said of someone ("mijn burgemeester is een echte politicus") is no search
    # for the guide's passages on that role type (role_names)
    question = about_roles(question)
    if follow_up:
        prior = [analyzer.correct(t) for t in prior]

    sources: list[tuple[str, float]] = [(question, 1.0)]
    if follow_up:
        sources += list(zip(reversed(prior), HISTORY_WEIGHTS, strict=False))
    weights: dict[str, float] = {}
    added: dict[str, float] = {}
    phrases: list[str] = []
    for text, weight in sources:
        pairs = analyzer.weighted(lexical_form(text))
        for s, w in pairs:
            weights[s] = max(weights.get(s, 0.0), w * weight)
        if not synonyms:
            continue
        new, new_phrases = expand(pairs, analyzer)
        for s, w in new.items():
            added[s] = max(added.get(s, 0.0), w * weight)
        phrases += [p for p in new_phrases if p not in phrases]
    added = {s: w for s, w in added.items() if s not in weights}
    # the words someone actually typed always carry at least half of the query's weight
    base_total, total_added = sum(weights.values()), sum(added.values())
    if total_added > MAX_EXPANSION_SHARE * base_total > 0:
        scale = MAX_EXPANSION_SHARE * base_total / total_added
        added = {s: w * scale for s, w in added.items()}
    weights.update(added)

    if follow_up:
        text = " ".join([*prior[-2:], question])
    else:
        text = question
    return Query(question=question, text=text, follow_up=follow_up, terms=weights, expansions=tuple(phrases))
