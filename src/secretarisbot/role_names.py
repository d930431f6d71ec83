"""Where a text names one of the guides' role types, and where the word only describes someone.

    >>> about_roles("Mijn burgemeester is een echte politicus. Hoe ga ik daarmee om?")
    'Mijn burgemeester is een echte . Hoe ga ik daarmee om?'
    >>> about_roles("Wat is het verschil tussen een politicus en een veranderkundige?")
    'Wat is het verschil tussen een politicus en een veranderkundige?'

"Een echte politicus" is everyday Dutch for a person; the role types are asked about otherwise
("welke rol past bij mij?", "hoe kijkt een bedrijfseconoom hiernaar?", "wat is een politicus?",
"ik ben een politicus, …"). A question that only describes someone with the word asks neither for
the role types (answer/compose.py) nor for the guide's passages on them (retrieve/query.py).
Grammar, not the guides' words: of the 7,457 bank, ranker and dev questions, 6 name a role type and
none of them this way; a review found a "roles" answer over such a question.
"""

from __future__ import annotations

import re

from secretarisbot.model import ROLES

#: One of the four names, in any letter case.
ROLE_NAME = "(?:" + "|".join(re.escape(r.lower()) for r in ROLES) + ")"

#: A role name that describes someone: after a third person's copula ("mijn burgemeester is een
#: echte politicus", "hij blijft een bedrijfseconoom"; not after "wat/wie/welke is", which ask for
#: the type, nor "ik ben", the asker's own), as what someone behaves as ("hij gedraagt zich als
#: politicus"), and the everyday duty "een goede werkgever zijn". The name is group ``name``.
SAID_OF_SOMEONE = re.compile(
    rf"\b(?!(?:wat|wie|welke|dit|dat|het)\b)\w+\s+(?:is|was|blijft|wordt|lijkt)\s+(?:\w+\s+){{0,3}}?(?P<name>{ROLE_NAME})\b"
    rf"|\bgedra(?:agt|gen) (?:zich|zichzelf) (?:\w+\s+){{0,2}}?als (?:een\s+)?(?:\w+\s+)?(?P<name2>{ROLE_NAME})\b"
    rf"|\b(?P<name3>goede werkgever) (?:te )?(?:zijn|blijven|wezen)\b",
    re.IGNORECASE,
)


def about_roles(text: str) -> str:
    """``text`` without the role names it says of someone (:data:`SAID_OF_SOMEONE`); the rest of
    each such phrase stays ("mijn burgemeester is een echte")."""

    def drop(m: re.Match[str]) -> str:
        group = next(g for g in ("name", "name2", "name3") if m.group(g))
        start, end = m.start(group) - m.start(), m.end(group) - m.start()
        return m.group(0)[:start] + m.group(0)[end:]

    return SAID_OF_SOMEONE.sub(drop, text)
