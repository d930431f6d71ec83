"""Text helpers shared by every module that compares texts: keys for exact matching (anchors,
evidence, quotes) and the one Dutch analyzer (fold, tokenise, stopwords, stem) behind BM25,
scope, excerpts, reflection and the evals.

    >>> match_key("Creëer  orde – in ‘proces’!")
    'creeer orde in proces'
    >>> contains_key(match_key("… Elk college denkt er het zijne over …"), "college denkt")
    True
    >>> stems("De raadsleden zijn bang om opgeslokt te worden")
    ['raadsleed', 'bang', 'opslok']
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


@lru_cache(maxsize=4096)
def _needle_key(needle: str) -> str:
    return match_key(needle)


def contains_key(haystack_key: str, needle: str) -> bool:
    """True when ``needle`` (raw text) occurs in an already keyed haystack, on word bounds."""
    key = _needle_key(needle)
    return bool(key) and f" {key} " in f" {haystack_key} "


# --- the one Dutch analyzer: fold, tokenise, stopwords, stem --------------------------------
#
# Retrieval (BM25, retrieve/analyze.py adds compound splitting), scope, excerpts, reflection and
# the evals' support proxy all read words through these functions, so "the same word" means the
# same thing everywhere.

#: Dutch function words, question words and chat fillers (Snowball's Dutch list and more), and a
#: few English ones: they carry no topic. Negations are not here (see NEGATIONS).
STOPWORDS: frozenset[str] = frozenset(
    """
    aan al alle alleen alles als alsnog altijd ander andere beetje ben bent best bij binnen daar
    daarbij daarmee daarom daarvan dan dat de deed der deze die dit doch doe doen doet door dus echt
    een eens eigenlijk elk elke en er erg ergens even ga gaan gaat ge geweest gewoon ging graag haar
    had heb hebben hebt heeft heel hem hen het hier hij hoe hoeveel hoor hun ieder iedere iemand iets
    ik in is ja je jezelf jij jou jouw juist jullie kan kom komen komt kon krijg krijgen kun kunnen
    kunt maar mag me mee meer men met mij mijn mijzelf misschien moet moeten mogen na naar nog
    nou nu of ofzo om omdat onder ons onze ook op over per precies reeds soms te tegen toch toe toen
    tot u uit uw vaak van veel voor waar waarbij waarin waarmee waarom waarover wanneer want waren
    was wat we weer wel welk welke werd wezen wie wij wil willen word worden wordt zal ze zeer zelf
    zich zij zijn zit zitten zo zoals zonder zou zouden zullen
    a an and are do does for how my on the to what with you
    """.split()
)
#: Negations: no topic of their own (so not a content word), but in these texts they change what
#: a passage says, so BM25 keeps them (idf keeps them cheap).
NEGATIONS: frozenset[str] = frozenset({"niet", "niets", "geen"})

_AMP_PAIR = re.compile(r"\b([a-z])\s*&\s*([a-z])\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+)*")
_FOLD_MARKS = str.maketrans({**dict.fromkeys("–—‐‑", "-"), **dict.fromkeys("‘’`´", "'")})


def fold(text: str) -> str:
    """Lower-case, unify dashes and quotes, strip accents: 'Geïnteresseerd – ‘Oriëntatie’' ->
    "geinteresseerd - 'orientatie'"."""
    text = text.lower().translate(_FOLD_MARKS)
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def tokens(text: str) -> list[tuple[str, bool]]:
    """(token, is_part) pairs of folded ``text``: a hyphenated compound gives its joined form,
    then its parts; "B&W" and "P&O" become "benw" and "peno" (the Wegwijzer writes "BenW")."""
    out: list[tuple[str, bool]] = []
    for match in _TOKEN.finditer(_AMP_PAIR.sub(r"\1en\2", fold(text))):
        token = match.group(0).replace("'", "")
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            out.append(("".join(parts), False))
            out.extend((p, True) for p in parts)
        else:
            out.append((token, False))
    return out


def tokenize(text: str) -> list[str]:
    """Folded word tokens (no stopword removal, no stemming); compounds as joined word + parts."""
    return [tok for tok, _ in tokens(text)]


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer  # the C implementation when PyStemmer is installed

    return snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The Dutch Snowball stem of a folded token (numbers and words of two letters stay as they are)."""
    if token.isdigit() or len(token) <= 2:
        return token
    return _stemmer().stemWord(token)


def is_content(token: str, *, negations: bool = False, min_len: int = 2) -> bool:
    """A token that says what a text is about: not a stopword, ``min_len`` letters or a number;
    negations count only with ``negations=True`` (BM25)."""
    if token in STOPWORDS or (not negations and token in NEGATIONS):
        return False
    return len(token) >= min_len or token.isdigit()


def words(text: str, *, min_len: int = 2) -> list[str]:
    """Content words of ``text`` (folded, no stopwords or negations, no bare numbers); a hyphenated
    compound gives the joined word and its parts."""
    return [t for t, _ in tokens(text) if not t.isdigit() and is_content(t, min_len=min_len)]


def stems(text: str, *, min_len: int = 2) -> list[str]:
    """Dutch stems of the content words of ``text``."""
    return [stem(w) for w in words(text, min_len=min_len)]


def surface_stems(text: str, *, min_len: int = 2) -> dict[str, str]:
    """stem -> the first content word (folded) that produced it: to show *which* words matched."""
    out: dict[str, str] = {}
    for w in words(text, min_len=min_len):
        out.setdefault(stem(w), w)
    return out


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
