"""Line-level text repair for the PDF conversions: markup, OCR slips, hyphenation, line joins.

Everything here is a pure function of strings, so each rule is testable on a real excerpt.
The structure parser (``structure.py``) decides *which* lines belong together; this module
decides *how* they are glued and cleaned.
"""

from __future__ import annotations

import re
import unicodedata

# --- OCR correction table -------------------------------------------------------------------
#
# Whole-word replacements, per document ("*" would apply to every document). Every entry was found
# by grepping the texts; tests/corpus/test_corpus_normalize.py asserts that each slip occurs in its
# source and that only the fix is left in the normalised text. The right-hand side is what the
# sentence unambiguously requires. 001 is an OCR scan: "é" for "ë", final "n" read as "v"/"w",
# "rn"/"m" confusions and words run together.
CORRECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "000": (
        ("schaa sprong", "schaalsprong"),  # "de schaa sprong die past bij…" (ligature l lost)
        ("schaalessprong", "schaalsprong"),
    ),
    "001": (
        ("codrdinatie", "coördinatie"),
        ("coérdinatie", "coördinatie"),
        ("barriéres", "barrières"),
        ("potentiéle", "potentiële"),
        ("Potentiéle", "Potentiële"),
        ("financién", "financiën"),
        ("financiéle", "financiële"),
        ("reéle", "reële"),
        ("reéel", "reëel"),
        ("georiénteerden", "georiënteerden"),
        ("categorieén", "categorieën"),
        ("evaluererv", "evalueren"),  # heading "Wat evaluererv oplevert"
        ("vowv", "van"),
        ("vawv", "van"),
        ("openbaow", "openbaar"),
        ("menukaait", "menukaart"),
        ("samerwerking", "samenwerking"),
        ("Samerwerking", "Samenwerking"),
        ("ambielijke", "ambtelijke"),
        ("ambitelijke", "ambtelijke"),
        ("eenv", "een"),
        ("varv", "van"),
        ("bijf", "bij"),
        ("Nadelew", "Nadelen"),
        ("Operv", "Open"),
        ("Kerumerkesw", "Kenmerken"),
        ("Saumerwalting", "Samenvatting"),
        ("vaw", "van"),
        ("invde", "in de"),
        ("inv", "in"),  # "Samerwerking inv 2016"
        ("aly", "als"),  # "Kerumerkesw vawv SETA aly ambtelijke fusie"
        # Words run together by the OCR.
        ("eenoverzicht", "een overzicht"),
        ("enisin", "en is in"),
        ("instaat", "in staat"),
        ("eenvan", "een van"),
        ("eris", "er is"),
        ("Eris", "Er is"),
        ("Erworden", "Er worden"),
        ("gemeentebesturenzijn", "gemeentebesturen zijn"),
        ("projectenen", "projecten en"),
        ("gemeentenaen", "gemeenten a en"),
        ("Aavan", "A van"),
        ("o0.a.", "o.a."),
        ("e.o0.", "e.o."),
    ),
    "004": (
        ("Ontrecht en verbindt", "Onthecht en verbind"),  # stop 7 is titled "Onthecht en verbind"
    ),
}


def _table_pattern(entries: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    alternatives = sorted((wrong for wrong, _ in entries), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")


_COMPILED: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {
    doc: (_table_pattern(table), dict(table)) for doc, table in CORRECTIONS.items()
}


def apply_corrections(text: str, doc_id: str) -> str:
    """Apply the OCR correction table for ``doc_id`` (and the "*" entries) as whole words.

    >>> apply_corrections("welke schaa sprong echt nodig is", "000")
    'welke schaalsprong echt nodig is'
    """
    for key in ("*", doc_id):
        if key in _COMPILED:
            pattern, table = _COMPILED[key]
            text = pattern.sub(lambda m: table[m.group(0)], text)
    return text


# --- inline markup --------------------------------------------------------------------------

HTML_TAG = re.compile(r"</?(?:ul|ol|li|p|b|i|em|strong|br|span|div)\b[^>]*>", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?|mailto):[^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def strip_markup(text: str) -> str:
    """Remove HTML tags, markdown emphasis, links and escapes; keep the words.

    >>> strip_markup('<b>1. Gemeenschappelijke ambitie</b>').strip()
    '1. Gemeenschappelijke ambitie'
    >>> strip_markup('## **22** Aanjager van organisatieontwikkeling')
    '## 22 Aanjager van organisatieontwikkeling'
    """
    text = HTML_TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    text = text.replace("**", "")
    text = _ITALIC.sub(r"\1", text)
    text = text.replace("\\*", "*").replace("\\", "")
    return text


def clean_inline(text: str) -> str:
    """Unicode NFC, markup stripped, runs of spaces collapsed, ends trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = strip_markup(text)
    text = text.replace("\u00ad", "")  # soft hyphen
    return _SPACES.sub(" ", text).strip()


# --- joining lines --------------------------------------------------------------------------

#: A line ending like this closes a sentence (quotes and brackets may follow the mark).
_TERMINAL = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
#: A word broken at the end of a line: a letter, then a hyphen (no space before it).
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-$")


def is_terminal(text: str) -> bool:
    """Does ``text`` end a sentence (so a following line may start a new paragraph)?"""
    return bool(_TERMINAL.search(text.rstrip()))


def ends_with_broken_word(text: str) -> bool:
    """``'… de stoute schoenen aantrok-'`` → True; ``'… leden -'`` → False."""
    return bool(_BROKEN_WORD.search(text.rstrip()))


def join_lines(prev: str, cur: str) -> str:
    """Glue two lines of one paragraph, repairing a word hyphenated across the break.

    A hyphen before a lower-case continuation was a line-break hyphen and goes
    ("aantrok-" + "ken" → "aantrokken"); before a capital it is part of the word and stays
    ("Ommen-" + "Hardenberg" → "Ommen-Hardenberg"; "Oostzaan-" + "Wormerland").
    """
    prev = prev.rstrip()
    cur = cur.lstrip()
    if not prev:
        return cur
    if not cur:
        return prev
    if ends_with_broken_word(prev) and continues_word(cur):
        if cur[0].islower():
            return prev[:-1] + cur
        return prev + cur
    return prev + " " + cur


def continues_word(text: str) -> bool:
    """Can ``text`` be the rest of a word hyphenated at a line end? ``'ken: in 2008'`` → True;
    ``'# de'`` or ``'• ?'`` → False (a heading or bullet starts there, not a word)."""
    return text[:1].isalnum()


def starts_lower(text: str) -> bool:
    """Does ``text`` begin (after opening quotes/brackets) with a lower-case letter?"""
    stripped = text.lstrip(" \"'‘“(«[")
    return bool(stripped) and stripped[0].islower()
