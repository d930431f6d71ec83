"""Coherent excerpts: adjacent sentences of one passage, never stitched from different places.

    >>> ex = excerpt(passage, Terms.of("wat doe ik als de mede-directeur blokkeert"))
    >>> ex.text, ex.spans          # the words quoted, and where they stand in passage.text

Sentences are scored by the words they share with the question (and, at a lower weight, with the
bank questions that led retrieval to this passage: the words other secretaries used for it); the
excerpt is the run of consecutive sentences around the best one that fits in :data:`MAX_WORDS`.
A short passage is quoted whole. Headings, labels and table debris never start or end an excerpt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from secretarisbot.answer.citations import is_fragment, sentence_spans
from secretarisbot.text import stems
from secretarisbot.model import Passage

#: Words of one excerpt at most: two or three sentences, readable between meetings.
MAX_WORDS = 55
#: A passage this short is quoted whole (if it is made of sentences).
WHOLE_WORDS = 45
#: Weight of a word that only the bank questions (not the question itself) share with a sentence.
BANK_WEIGHT = 0.4
#: Earlier sentences are a little more likely to say what the passage is about.
POSITION_PRIOR = 0.15

_HEADING_RE = re.compile(r"^\d{1,3}(\.\d{1,2})*\.?\s+\S[^.?!]*$")


@dataclass(frozen=True)
class Terms:
    """Weighted stems to score sentences by: the question's own at 1, the bank's lower."""

    weights: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, question: str, bank_questions: Iterable[str] = ()) -> Terms:
        weights = {s: 1.0 for s in stems(question)}
        for text in bank_questions:
            for s in stems(text):
                weights.setdefault(s, BANK_WEIGHT)
        return cls(weights)

    def score(self, text: str) -> float:
        seen = set(stems(text))
        return sum(w for s, w in self.weights.items() if s in seen)


@dataclass(frozen=True)
class Excerpt:
    passage: Passage
    text: str
    spans: tuple[tuple[int, int], ...]  # sentence offsets into passage.text
    score: float = 0.0


def _sentences(passage: Passage) -> list[tuple[int, int]]:
    """Sentence spans that can be quoted: not the heading the passage repeats, not debris."""
    out = []
    for start, end in sentence_spans(passage.text):
        text = passage.text[start:end]
        if _HEADING_RE.match(text) or is_fragment(text) or text.endswith(":"):
            continue
        if passage.section and text.strip() == passage.section.split("›")[-1].strip():
            continue
        out.append((start, end))
    return out


def _words(text: str) -> int:
    return len(text.split())


def flat(text: str) -> str:
    """``text`` on one line (passages keep their line breaks; a quote reads as one)."""
    return " ".join(text.split())


def excerpt(passage: Passage, terms: Terms, max_words: int = MAX_WORDS) -> Excerpt | None:
    """The best run of adjacent sentences of ``passage`` for ``terms`` (None: nothing quotable)."""
    spans = _sentences(passage)
    if not spans:
        return None
    texts = [passage.text[s:e] for s, e in spans]
    if sum(_words(t) for t in texts) <= WHOLE_WORDS:
        return Excerpt(passage, flat(" ".join(texts)), tuple(spans), sum(terms.score(t) for t in texts))
    scores = [terms.score(t) + POSITION_PRIOR / (1 + i) for i, t in enumerate(texts)]
    best: tuple[float, int, int] | None = None
    for i in range(len(spans)):
        words = 0
        for j in range(i, len(spans)):
            words += _words(texts[j])
            if words > max_words and j > i:
                break
            total = sum(scores[i : j + 1])
            if best is None or total > best[0] + 1e-9:
                best = (total, i, j)
            if words > max_words:
                break
    assert best is not None
    total, i, j = best
    chosen = spans[i : j + 1]
    return Excerpt(passage, flat(" ".join(texts[i : j + 1])), tuple(chosen), total)


def question_sentences(passage: Passage) -> list[tuple[str, tuple[int, int]]]:
    """The sentences of ``passage`` that are questions (for reflection), with their spans."""
    out = []
    for start, end in _sentences(passage):
        text = passage.text[start:end]
        if text.rstrip("”’\"' ").endswith("?") and 20 <= len(text) <= 300:
            out.append((flat(text), (start, end)))
    return out


def already_said(text: str, earlier: Sequence[str]) -> bool:
    """Whether ``text`` was said in one of the ``earlier`` assistant turns of the conversation."""
    needle = flat(text)
    return any(needle in flat(turn) for turn in earlier)
