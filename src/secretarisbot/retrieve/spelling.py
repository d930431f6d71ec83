"""Typing errors: a question word that is no Dutch word and that neither the guides nor the question
bank use, one edit away from a word they do use, is read as that word ("herindling" ->
"herindeling").

    speller = Speller.from_tokens(token_lists)      # the words of the indexed texts
    speller.word("herindling")                      # 'herindeling'
    speller.text("hoe hou ik de raad aan boord bij de herindling")

Without it a typo costs twice: BM25 cannot match the word, and the scope model reads a question
whose words the guides do not hold as a question the guides are not about. (617 in-scope questions
of the dev and tuning splits and of the ranker writers, typed without diacritics and with a letter
left out of every third long word: 49 refused without this module, 16 with it, 3 typed cleanly;
the ranker writers' passage in the top 5: 0.880 without, 0.923 with it, 0.929 typed cleanly.)

A word the guides do not use is often still a word ("ontslaan", "Staten", "verhogen"): reading it
as its corpus neighbour ("ontstaan") would change the question. So only a word that is also missing
from a general Dutch word list (pyspellchecker's, word frequencies from subtitles; read once, the
first time an unknown word has a known neighbour or :meth:`Speller.knows` is asked about one) is read again. One edit is a letter left out, added, changed, or two letters
swapped (Damerau). Only words of :data:`MIN_LENGTH` to :data:`MAX_LENGTH` letters are read again:
shorter ones have too many neighbours, longer ones are no typo of a word. Of the known words one
edit away, the most frequent wins.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from string import ascii_lowercase

from secretarisbot.text import NEGATIONS, STOPWORDS, fold

log = logging.getLogger(__name__)

#: Shortest word that is read again: at five letters and fewer a word has too many known
#: neighbours one edit away ("raad" -> "raak", "baad", "rand").
MIN_LENGTH = 6
#: Longest word that is read again: the longest words of the guides have about 30 letters
#: ("samenwerkingsovereenkomsten"); a longer "word" is pasted debris, and its edits cost time.
MAX_LENGTH = 30
#: A known word must occur this often in the indexed texts to replace an unknown one: a word
#: seen once may itself be a typo of the guides (OCR) or a bank writer's.
MIN_FREQ = 2
#: Unknown words remembered with their reading, at most (then the memory starts again).
CACHE_SIZE = 10_000

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def dutch_words() -> frozenset[str]:
    """The general Dutch word list of pyspellchecker (folded); empty if it cannot be read."""
    try:
        from importlib.resources import files

        data = json.loads(gzip.decompress((files("spellchecker") / "resources" / "nl.json.gz").read_bytes()))
    except (ImportError, OSError, ValueError) as err:  # pragma: no cover - a broken install
        log.warning("Dutch word list unavailable, typing errors are not read again: %s", err)
        return frozenset()
    return frozenset(w if w.isascii() else fold(w) for w in data)  # the list is lower case


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

    def __init__(self, freq: Mapping[str, int], parts: Iterable[str] = (), lexicon: frozenset[str] | None = None) -> None:
        self.freq = dict(freq)
        #: words the texts use only inside a hyphenated compound ("'s-Hertogenbosch"): known, so
        #: never read again, but no reading for another word either
        self.parts = frozenset(parts)
        self._lexicon = lexicon
        self._cache: dict[str, str] = {}

    @classmethod
    def from_tokens(cls, token_lists: Iterable[Iterable[tuple[str, bool]]], lexicon: frozenset[str] | None = None) -> Speller:
        """From tokenised texts (:func:`secretarisbot.text.tokens` output): their words."""
        freq: dict[str, int] = {}
        parts: set[str] = set()
        for tokens in token_lists:
            for token, is_part in tokens:
                if not token.isalpha():
                    continue
                if is_part:
                    parts.add(token)
                else:
                    freq[token] = freq.get(token, 0) + 1
        return cls(freq, parts, lexicon)

    @property
    def lexicon(self) -> frozenset[str]:
        if self._lexicon is None:
            self._lexicon = dutch_words()
        return self._lexicon

    def knows(self, token: str) -> bool:
        """Whether ``token`` (folded) is a word: of the texts, a stopword, Dutch, or one a typing
        error away from a word of the texts."""
        return (
            token in self.freq or token in self.parts or token in STOPWORDS or token in NEGATIONS
            or token in self.lexicon or self.word(token) != token
        )

    def word(self, token: str) -> str:
        """``token`` (folded), or the known word it is read as."""
        if not MIN_LENGTH <= len(token) <= MAX_LENGTH or not token.isalpha():
            return token
        if token in self.freq or token in self.parts or token in STOPWORDS:
            return token
        cached = self._cache.get(token)
        if cached is None:
            known = [(self.freq[w], w) for w in edits(token) if self.freq.get(w, 0) >= MIN_FREQ]
            # the word list (read once, about half a second) only when there is something to read
            # (or when knows() asks about a word the texts do not hold)
            cached = min(known, key=lambda fw: (-fw[0], fw[1]))[1] if known and token not in self.lexicon else token
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
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
