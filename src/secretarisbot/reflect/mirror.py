""""Mijn spiegel": the summary at the end of a reflection route, as Markdown.

It lists the answers per step, the role type the answers resonate with (and why: the words they
share with that role's description in the handreiking, cited), and the actions the user named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from secretarisbot.model import FUSIEVORMEN, ROLES, Citation
from secretarisbot.reflect.exercises import (
    LEVELS,
    MAIN,
    NO_ROLE,
    ROLE_FIELD,
    ROLE_QUOTES,
    ROLE_WORDS,
    ROUTES,
    Step,
)
from secretarisbot.text import surface_stems

def _stems(text: str) -> dict[str, str]:
    """stem -> the first word (three letters or more, folded) that produced it."""
    return surface_stems(text, min_len=3)


@dataclass
class Resonance:
    role: str
    score: int
    shared: list[str] = field(default_factory=list)


def resonance(
    answers: Mapping[str, Mapping[str, str]], role_texts: Mapping[str, str] | None = None
) -> list[Resonance]:
    """Roles ranked by how many content words (stems) the answers share with each role's profile.

    Ties go to the role the user chose for herself, then to the guide's order of the roles.
    """
    chosen = (answers.get("rol", {}) or {}).get(ROLE_FIELD, "")
    text = "\n".join(v for step in answers.values() for k, v in step.items() if k != ROLE_FIELD)
    user = _stems(text)
    profiles = {
        role: set(_stems((role_texts or {}).get(role) or " ".join(q.text for q in ROLE_QUOTES[role]))) for role in ROLES
    }
    # a word of more than one role's quoted profile, or a form of merger, says nothing of one role
    # (a review found any merger text read as Politicus once the Politicus' description had its
    # items, "in de context van een herindeling …"); each role's own words (ROLE_WORDS) always count
    common = {s for s in set().union(*profiles.values()) if sum(s in p for p in profiles.values()) > 1}
    common |= set(_stems(" ".join(FUSIEVORMEN)))  # the setting of every role, not one role's trait
    out: list[Resonance] = []
    for role in ROLES:
        role_stems = (profiles[role] - common) | set(_stems(ROLE_WORDS[role]))
        shared = [user[s] for s in user if s in role_stems]
        out.append(Resonance(role, len(shared), shared))
    return sorted(out, key=lambda r: (-r.score, r.role != chosen, ROLES.index(r.role)))


def actions(answers: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str, str]]:
    """(level, for whom, action) of the tussenruimte step, in level order, non-empty only."""
    tussen = answers.get("tussenruimte", {})
    out = []
    for level, _ in LEVELS:
        for who, label in (("zelf", "voor mezelf"), ("anderen", "voor anderen")):
            value = (tussen.get(f"{level}_{who}") or "").strip()
            if value:
                out.append((level, label, value))
    return out


def _cite(c: Citation) -> str:
    parts = [p.strip() for p in c.section.split("›") if p.strip()]
    section = " › ".join(parts[-2:]) if parts else ""
    # the title and section a secretary can look up; character offsets mean nothing to a reader
    return f"{c.title}, {section}" if section else c.title


def _quote_md(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines() if line.strip())


def build_mirror(
    route_id: str,
    steps: Sequence[Step],
    answers: Mapping[str, Mapping[str, str]],
    citations: Mapping[str, Sequence[Citation]] | None = None,
    role_citations: Mapping[str, Sequence[Citation]] | None = None,
) -> str:
    """The Markdown of "Mijn spiegel" for one route."""
    citations = citations or {}
    route = ROUTES[route_id]
    lines = [f"# Mijn spiegel — {route.title}", ""]
    if not any((v or "").strip() for step in answers.values() for v in step.values()):
        lines += ["_Je hebt nog niets ingevuld. Ga terug naar de eerste stap._", ""]
        return "\n".join(lines)

    if route_id == "spiegel":
        lines += _role_section(answers, role_citations or {})

    lines += ["## Je antwoorden", ""]
    for step in steps:
        given = answers.get(step.id, {})
        main = (given.get(MAIN) or "").strip()
        lines.append(f"### {step.title}")
        cites = citations.get(step.id) or []
        if cites:
            lines.append(_quote_md(cites[0].text))
            lines.append("")
            lines.append(f"_Bron: {_cite(cites[0])}_")
        lines.append("")
        if step.id == "rol" and given.get(ROLE_FIELD):
            lines.append(f"**Gekozen roltype:** {given[ROLE_FIELD]}")
            lines.append("")
        lines.append(main if main else "_(niet ingevuld)_")
        lines.append("")

    named = actions(answers)
    if route_id == "spiegel":
        lines += ["## Acties die je noemde", ""]
        if named:
            lines += [f"- **{level}**, {who}: {value}" for level, who, value in named]
        else:
            lines.append("_Je noemde bij de tussenruimte (stap 5) nog geen concrete actie._")
        lines.append("")
    lines += [
        "---",
        "_Gemaakt met secretarisbot. Je antwoorden staan alleen op deze computer._",
        "",
    ]
    return "\n".join(lines)


def _role_section(
    answers: Mapping[str, Mapping[str, str]], role_citations: Mapping[str, Sequence[Citation]]
) -> list[str]:
    chosen = (answers.get("rol", {}).get(ROLE_FIELD) or "").strip()
    role_texts = {r: " ".join(c.text for c in cs) for r, cs in role_citations.items() if cs}
    ranked = resonance(answers, role_texts)
    top = ranked[0]
    lines = ["## Welk roltype resoneert", ""]
    if chosen and chosen != NO_ROLE:
        lines.append(f"Je plaatste jezelf als **{chosen}**.")
    if top.score > 0:
        words = ", ".join(f"_{w}_" for w in top.shared[:8])
        lines.append(
            f"Je antwoorden resoneren het meest met de **{top.role}**: je schrijft over {words}, "
            "woorden die ook het profiel van dit roltype dragen."
        )
        if chosen and chosen not in (NO_ROLE, top.role):
            lines.append(
                f"Dat is een ander roltype dan je koos. De handreiking noemt schakelen tussen rollen "
                f"juist een kracht; misschien is de {top.role} ook een bondgenoot of tegenmacht."
            )
        for c in role_citations.get(top.role, [])[:2]:
            lines += ["", _quote_md(c.text), "", f"_Bron: {_cite(c)}_"]
    else:
        lines.append("Je antwoorden zijn nog te kort om een roltype in te herkennen.")
    others = [f"{r.role} ({r.score})" for r in ranked[1:] if r.score]
    if others:
        lines += ["", "Ook herkenbaar, in gedeelde woorden: " + ", ".join(others) + "."]
    lines.append("")
    return lines
