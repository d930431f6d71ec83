"""Where a text names one of the guides' role types, and where the word only describes someone.

    >>> about_roles("Mijn burgemeester is een echte politicus. Hoe ga ik daarmee om?")
    'Mijn burgemeester is een echte . Hoe ga ik daarmee om?'
    >>> about_roles("Wat is het verschil tussen een politicus en een veranderkundige?")
    'Wat is het verschil tussen een politicus en een veranderkundige?'

"Een echte politicus" is everyday Dutch for a person; the role types are asked about otherwise
("welke rol past bij mij?", "hoe kijkt een bedrijfseconoom hiernaar?", "wat is een politicus?",
"ik ben een politicus, …"). A question that only describes someone with the word asks neither for
the role types (answer/compose.py) nor for the guide's passages on them (retrieve/query.py).
Grammar, not the guides' words: none of the bank's, the ranker's and the dev splits' questions that
name a role type reads this way (a test); a review found a "roles" answer over such a question.
"""

from __future__ import annotations

import re

from secretarisbot.model import ROLES

#: One of the four names, in any letter case.
ROLE_NAME = "(?:" + "|".join(re.escape(r.lower()) for r in ROLES) + ")"

#: Words before a copula that make the sentence a question about the type or the asker's own role
#: ("wanneer is de bedrijfseconoom op zijn best?", "wat is een politicus?", "mijn rol is …").
_NOT_A_PERSON = "wat|wie|welke|welk|wanneer|waar|waarom|waarin|waarmee|waardoor|hoe|dit|dat|het|rol|roltype|type"

#: A role name that describes someone: a predicate "een (echte) politicus" after a third person's
#: copula ("mijn burgemeester is een echte politicus", "hij blijft een bedrijfseconoom"; the
#: indefinite article: "wanneer is de bedrijfseconoom op zijn best?" asks for the type, "ik ben een
#: politicus" names the asker's own), the same set off by commas ("mijn burgemeester, een echte
#: politicus, …"), what someone behaves as ("hij gedraagt zich als politicus"), and the everyday duty
#: "een goede werkgever zijn" ("de goede werkgever zijn" is the role). The name is the group
#: ``name``, ``name2``, ``name3`` or ``name4``.
SAID_OF_SOMEONE = re.compile(
    rf"\b(?!(?:{_NOT_A_PERSON})\b)\w+\s+(?:is|was|blijft|wordt|lijkt)\s+(?:\w+\s+){{0,2}}?een\s+(?:\w+\s+)?(?P<name>{ROLE_NAME})\b"
    rf"|,\s*een\s+(?:\w+\s+)?(?P<name2>{ROLE_NAME})\s*,"
    rf"|\bgedra(?:agt|gen) (?:zich|zichzelf) (?:\w+\s+){{0,2}}?als (?:een\s+)?(?:\w+\s+)?(?P<name3>{ROLE_NAME})\b"
    r"|\been (?P<name4>goede werkgever) (?:te )?(?:zijn|blijven|wezen)\b",
    re.IGNORECASE,
)
#: The groups of SAID_OF_SOMEONE that hold the name.
_NAMES = ("name", "name2", "name3", "name4")


def about_roles(text: str) -> str:
    """``text`` without the role names it says of someone (:data:`SAID_OF_SOMEONE`); the rest of
    each such phrase stays ("mijn burgemeester is een echte")."""

    def drop(m: re.Match[str]) -> str:
        group = next(g for g in _NAMES if m.group(g))
        start, end = m.start(group) - m.start(), m.end(group) - m.start()
        return m.group(0)[:start] + m.group(0)[end:]

    return SAID_OF_SOMEONE.sub(drop, text)
