"""Typing errors: a question word that neither the guides nor the question bank ever use, one edit
away from a word they do use, is read as that word ("herindling" -> "herindeling").

    speller = Speller.from_tokens(token_lists)      # the words of the indexed texts
    speller.word("herindling")                      # 'herindeling'
    speller.text("hoe hou ik de raad aan boord bij de herindling")

Without it a typo costs twice: BM25 cannot match the word, and the scope model reads a question
whose words the guides do not hold as a question the guides are not about. (Questions of the
tuning and dev splits and of the ranker writers, with diacritics dropped and one letter left out
of every third long word, were refused ten times as often as the same questions typed cleanly.)

One edit is a letter left out, added, changed, or two letters swapped (Damerau). Only words of
:data:`MIN_LENGTH` letters or more are read again: shorter ones have too many neighbours. Of the
known words one edit away, the most frequent wins. A word the texts use is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from string import ascii_lowercase

from secretarisbot.text import STOPWORDS, fold

#: Shortest word that is read again: at five letters and fewer a word has too many known
#: neighbours one edit away ("raad" -> "raak", "baad", "rand").
MIN_LENGTH = 6
#: A known word must occur this often in the indexed texts to replace an unknown one: a word
#: seen once may itself be a typo of the guides (OCR) or a bank writer's.
MIN_FREQ = 2

_WORD = re.compile(r"[^\W\d_]+")


def edits(word: str) -> set[str]:
    """Every string one edit away from ``word`` (a-z): deletions, swaps, changes, insertions."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase}
    out |= {a + c + b for a, b in splits for c in ascii_lowercase}
    out.discard(word)
    return out


class Speller:
    """Reads an unknown word as its most frequent known neighbour one edit away."""

    def __init__(self, freq: Mapping[str, int]) -> None:
        self.freq = dict(freq)
        self._cache: dict[str, str] = {}

    @classmethod
    def from_tokens(cls, token_lists: Iterable[Iterable[tuple[str, bool]]]) -> Speller:
        """From tokenised texts (:func:`secretarisbot.text.tokens` output): their whole words."""
        freq: dict[str, int] = {}
        for tokens in token_lists:
            for token, is_part in tokens:
                if not is_part and token.isalpha():
                    freq[token] = freq.get(token, 0) + 1
        return cls(freq)

    def word(self, token: str) -> str:
        """``token`` (folded), or the known word it is read as."""
        if len(token) < MIN_LENGTH or token in self.freq or token in STOPWORDS or not token.isalpha():
            return token
        cached = self._cache.get(token)
        if cached is None:
            known = [(self.freq[w], w) for w in edits(token) if self.freq.get(w, 0) >= MIN_FREQ]
            cached = min(known, key=lambda fw: (-fw[0], fw[1]))[1] if known else token
            self._cache[token] = cached
        return cached

    def text(self, text: str) -> str:
        """``text`` with every word read again by :meth:`word`; other words keep their spelling."""

        def read(match: re.Match[str]) -> str:
            original = match.group(0)
            folded = fold(original)
            corrected = self.word(folded)
            return original if corrected == folded else corrected

        return _WORD.sub(read, text)
