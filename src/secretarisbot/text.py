"""Text keys shared by every module that compares texts as strings (anchors, evidence, quotes).

    >>> match_key("Creëer  orde – in ‘proces’!")
    'creeer orde in proces'
    >>> contains_key(match_key("… Elk college denkt er het zijne over …"), "college denkt")
    True
"""

from __future__ import annotations

import re
import unicodedata

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
