"""Text helpers shared by every module that compares texts: keys for exact matching (anchors,
evidence, quotes) and Dutch content-word stems for overlap (excerpts, reflection questions).

    >>> match_key("Creëer  orde – in ‘proces’!")
    'creeer orde in proces'
    >>> contains_key(match_key("… Elk college denkt er het zijne over …"), "college denkt")
    True
    >>> stems("De raadsleden zijn bang om opgeslokt te worden")
    ['raadsleed', 'bang', 'opslok', 'wor']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def match_key(text: str) -> str:
    """Lowercase, fold accents and collapse every run of non-alphanumerics to one space.

    ``match_key("Creëer  orde – in ‘proces’!") == "creeer orde in proces"``. Letters that do not
    fold to ASCII (rare here: ``ß``, ``ø``) count as separators, like punctuation.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", folded).strip()


def contains_key(haystack_key: str, needle: str) -> bool:
    """True when ``needle`` (raw text) occurs in an already keyed haystack, on word bounds."""
    key = match_key(needle)
    return bool(key) and f" {key} " in f" {haystack_key} "


# --- Dutch content words -------------------------------------------------------------------

#: Dutch function words (and a few English ones) that carry no topic.
STOPWORDS: frozenset[str] = frozenset(
    """
    aan al alle alles als alsnog altijd andere ben bij daar daarbij daarom dan dat de deze die dit
    doe doen door dus een eens en er ergens geen had heb hebben heeft het hier hij hoe hun ik in is
    ja je jij jou jouw juist kan kun kunnen maar me mee meer men met mij mijn moet moeten na naar
    niet niets nog nu of om omdat ons onze ook op over te tegen toch toen tot u uit van veel voor
    waar wanneer wat we wel welk welke werd wie wij wil willen word wordt zal ze zelf zich zij zijn
    zo zonder zou zullen zeer even heel iets iemand mag wij jullie hen haar hem zoals gaat gaan
    eigenlijk precies graag weer echt zit zitten krijg krijgen kom komt komen mede
    the a an of to and is are what how do does in on for with my i you
    """.split()
)

_WORD_RE = re.compile(r"[a-zà-ÿ0-9]+(?:[-'][a-zà-ÿ0-9]+)*")


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        if base != ch and base:
            table[code] = base.lower()
    for dash in "–—‐‑":
        table[ord(dash)] = "-"
    for quote in "‘’`´":
        table[ord(quote)] = "'"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case, unify dashes and quotes, drop accents that vary in spelling (efficiënt)."""
    return text.lower().translate(_FOLD)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Content words of ``text`` (folded, stopwords removed); hyphenated words also split."""
    out: list[str] = []
    for w in _WORD_RE.findall(fold(text)):
        parts = [w] + (w.replace("'", "-").split("-") if "-" in w or "'" in w else [])
        for part in parts:
            if len(part) > 1 and part not in STOPWORDS and not part.isdigit():
                out.append(part)
    return out


def stems(text: str) -> list[str]:
    """Dutch snowball stems of the content words of ``text``."""
    return [_stem(w) for w in words(text)]


#: A query stem of at least COMPOUND_MIN letters that starts a longer word of the text counts
#: for COMPOUND_SHARE of its weight.
COMPOUND_MIN = 6
COMPOUND_SHARE = 0.5


@lru_cache(maxsize=8192)
def stem_set(text: str) -> frozenset[str]:
    """The set of stems of ``text`` (cached: passages are matched against many questions)."""
    return frozenset(stems(text))


@lru_cache(maxsize=8192)
def stem_prefixes(text: str) -> frozenset[str]:
    """Proper prefixes (COMPOUND_MIN letters or more) of the stems of ``text``."""
    return frozenset(h[:i] for h in stem_set(text) for i in range(COMPOUND_MIN, len(h)))


def overlap(query_stems: Iterable[str], text: str, weights: dict[str, float] | None = None) -> float:
    """How much of the query a text covers: summed weight of query stems present in ``text``."""
    have = stem_set(text)
    total = 0.0
    for s in set(query_stems):
        w = weights.get(s, 1.0) if weights else 1.0
        if s in have:
            total += w
        elif len(s) >= COMPOUND_MIN and s in stem_prefixes(text):
            total += COMPOUND_SHARE * w  # Dutch compounds: "directie" in "directieteam"
    return total
