"""Dutch text analysis for lexical search: the shared analyzer of :mod:`secretarisbot.text`
(fold, tokenise, stopwords, stem) plus what only BM25 needs: closed compounds split by a
:class:`Decompounder` learnt from the corpus, and weighted compound parts.

    >>> analyze("Het college van B&W en de mede-directeur")
    ['colleg', 'benw', 'mededirecteur', 'mede', 'directeur']

Choices, and why:

- Accents are folded ("geïnteresseerd" -> "geinteresseerd"), so spelling with or without diaereses
  matches.
- "B&W", "P&O" (two single letters around "&") become "benw", "peno": the Wegwijzer writes
  "BenW"/"PenO", the other guides "B&W"/"P&O", so both spellings meet in one token.
- A hyphenated compound yields the joined word *and* its parts: "fusie-organisatie" matches
  "fusieorganisatie" (GROEI's spelling) as well as "organisatie".
- Closed compounds ("kostenverdeelsleutel", "werkorganisatie") are split into known corpus words
  by a :class:`Decompounder` built per index, so "kosten verdelen" meets "kostenverdeelsleutel".
- A question word that no indexed text uses, one edit away from one they use, is read as that
  word (:mod:`.spelling`): "herindling" meets "herindeling".
- Stemming uses Snowball's Dutch stemmer (Kraaij-Pohlmann style; it also strips the "ge-" prefix,
  which is harmless here because queries and passages are stemmed alike).
"""

from __future__ import annotations

from secretarisbot.retrieve.spelling import Speller
from secretarisbot.text import STOPWORDS, fold, is_content, stem, tokenize
from secretarisbot.text import tokens as _tokens

__all__ = ["STOPWORDS", "Analyzer", "Decompounder", "analyze", "content_words", "fold", "stem", "tokenize"]


#: Words that are never a compound part: too general to carry meaning on their own.
NON_PARTS: frozenset[str] = frozenset("mede meer even eens ander andere zelf heel geen niet alle veel".split())


class Decompounder:
    """Splits closed Dutch compounds into known words: 'kostenverdeelsleutel' -> kosten + verdeelsleutel.

    Dutch writes compounds as one word, so "kosten verdelen" would never meet
    "kostenverdeelsleutel" in BM25. A word is split where both sides (at least ``min_part``
    letters, optionally joined by the linking "s" as in "herindeling-s-gemeente") occur in the
    corpus at least ``min_freq`` times, as a word or as the stem of a word; the split with the
    highest geometric mean frequency wins, and each side is split again once.

        >>> d = Decompounder.from_texts(["kosten kosten", "de verdeelsleutel, de verdeelsleutel"])
        >>> d.split("kostenverdeelsleutel")
        ['kosten', 'verdeelsleutel']
    """

    def __init__(self, freq: dict[str, int], *, min_part: int = 4, min_freq: int = 2) -> None:
        self.freq = freq
        self.min_part = min_part
        self.min_freq = min_freq
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_texts(cls, texts: list[str] | tuple[str, ...], **kwargs: int) -> Decompounder:
        return cls.from_tokens([_tokens(t) for t in texts], **kwargs)

    @classmethod
    def from_tokens(cls, token_lists: list[list[tuple[str, bool]]], **kwargs: int) -> Decompounder:
        """Build from pre-tokenised texts (``_tokens`` output), so a corpus is tokenised once."""
        freq: dict[str, int] = {}
        for tokens in token_lists:
            for tok, _ in tokens:
                if tok.isalpha():
                    freq[tok] = freq.get(tok, 0) + 1
        for word, count in list(freq.items()):
            st = stem(word)
            if st != word:
                freq[st] = freq.get(st, 0) + count
        return cls(freq, **kwargs)

    def _known(self, part: str) -> int:
        if len(part) < self.min_part or part in STOPWORDS or part in NON_PARTS:
            return 0
        count = self.freq.get(part, 0)
        return count if count >= self.min_freq else 0

    def split(self, token: str, depth: int = 2) -> list[str]:
        """The parts of ``token`` (empty if it is not a compound of known words)."""
        if depth <= 0 or len(token) < 2 * self.min_part or not token.isalpha():
            return []
        key = f"{depth}:{token}"
        if key in self._cache:
            return self._cache[key]
        best: tuple[float, str, str] | None = None
        for i in range(self.min_part, len(token) - self.min_part + 1):
            right = token[i:]
            f_right = self._known(right)
            if not f_right:
                continue
            for left in (token[:i], token[: i - 1] if token[i - 1] == "s" else ""):
                f_left = self._known(left) if left else 0
                if f_left:
                    score = (f_left * f_right) ** 0.5
                    if best is None or score > best[0]:
                        best = (score, left, right)
        parts: list[str] = []
        if best is not None:
            for part in best[1:]:
                parts.extend(self.split(part, depth - 1) or [part])
        self._cache[key] = parts
        return parts


class Analyzer:
    """Text -> weighted stems for BM25, optionally splitting compounds with a :class:`Decompounder`.

    Parts of a compound (hyphenated or closed) are emitted after the whole word; in queries they
    weigh ``part_weight`` of a whole word, so "werkorganisatie" still prefers passages with that
    word over passages that merely mention "organisatie".
    """

    def __init__(
        self, decompounder: Decompounder | None = None, part_weight: float = 0.5, speller: Speller | None = None
    ) -> None:
        self.decompounder = decompounder
        self.part_weight = part_weight
        self.speller = speller

    def correct(self, text: str) -> str:
        """``text`` with its typing errors read as the indexed texts' words (:mod:`.spelling`)."""
        return self.speller.text(text) if self.speller is not None else text

    def weighted(self, text: str) -> list[tuple[str, float]]:
        return self.weighted_tokens(_tokens(text))

    def weighted_tokens(self, tokens: list[tuple[str, bool]]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        for tok, is_part in tokens:
            if not is_content(tok, negations=True):
                continue
            out.append((stem(tok), self.part_weight if is_part else 1.0))
            if self.decompounder is not None and not is_part:
                out.extend((stem(p), self.part_weight) for p in self.decompounder.split(tok))
        return out

    def __call__(self, text: str) -> list[str]:
        return [s for s, _ in self.weighted(text)]


DEFAULT_ANALYZER = Analyzer()


def analyze(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Tokens of ``text`` ready for BM25: folded, stopwords removed, stemmed, in order."""
    return [stem(tok) for tok, _ in _tokens(text) if keep_stopwords or is_content(tok, negations=True)]


def content_words(text: str) -> list[str]:
    """Folded non-stopword tokens of ``text`` (unstemmed): what a question is *about*."""
    return [tok for tok in tokenize(text) if tok not in STOPWORDS and len(tok) > 1]
