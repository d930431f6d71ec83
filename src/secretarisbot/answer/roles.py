"""The four role types of the 2026 handreiking (§2.3, §2.3.1) as a lens on a question.

- :func:`role_passages` — the passages that describe a role: passages the chunker tagged with
  ``role`` (the §2.3 descriptions and the §2.3.1 cells: handelingsperspectief, komt uit de verf,
  competentieprofiel), or, for an untagged corpus, the §2.3 description found by its opening words.
- :func:`rank_roles` — the four roles ordered by fit with a question, with their scores.
- :func:`perspective` — a :class:`RolePerspective` whose text consists of the sentences of that
  role's passages that best match the question, each with its [n] marker.

Scoring is transparent: a cue lexicon per role (from the role descriptions' own words), the
overlap of the question with the role's passages, and small priors from the situation (the
"komt uit de verf" rows say in which phase a role shines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from secretarisbot.answer.citations import CitationRegistry, Sources, is_fragment, sentence_spans
from secretarisbot.answer.situation import (
    Cues,
    cue_scores,
    fold,
    overlap,
    shared_concepts,
    spanningsveld_number,
    stems,
)
from secretarisbot.model import ROLES, Context, Passage, RolePerspective, Situation

#: Cue words per role, from §2.3/§2.3.1 (what the role looks at) and the Bijlage I themes it owns.
ROLE_CUES: dict[str, Cues] = {
    "Politicus": (
        (r"politie?k", 2.0), (r"raad\b|raden\b|raadsle|gemeenteraad|raadscommissie", 2.0),
        (r"college|\bb&w\b|\bbenw\b|\bb en w\b", 1.0), (r"wethouder|portefeuillehouder", 1.5),
        (r"burgemeester", 1.5), (r"coalitie|oppositie|verkiezing|fractie", 2.0), (r"griffier", 1.5),
        (r"mandaat|opdracht", 1.0), (r"momentum|timing", 1.5), (r"agender", 1.0), (r"onderhandel", 1.5),
        (r"regio|provincie|buurgemeente", 1.0), (r"bestuurlijk|bestuur\b|bestuurders", 1.0),
        (r"belangen|lobby|draagvlak", 1.0), (r"mede-?directeur|directeur|co-?director", 0.75), (r"blokk|tegenwerk|block", 0.75),
        (r"herindel|bestuurlijke fusie", 0.5),
    ),
    "Veranderkundige": (
        (r"cultuur|culturen|cultureel", 2.0), (r"verander", 1.5), (r"bloedgroep|wij-zij|wij zij", 2.0),
        (r"harmonis|processen|procesregie|procesontwerp", 1.5), (r"organisatieontwikkeling|ontwikkelslag", 1.5),
        (r"theater|feedback|leerprogramma|training", 1.5), (r"identiteit|eigenheid|clubkleur|brand\b", 1.0),
        (r"smeltkroes|mozaiek", 2.0), (r"weerstand|armen over elkaar", 1.5),
        (r"werkwijze|manier van werken|gewoonte|oude werk", 1.5), (r"samenwerking tussen|samenwerken", 0.75),
        (r"vertrouwen", 0.5), (r"teams\b|afdelingen", 0.5), (r"een organisatie|één organisatie|nieuwe organisatie", 0.5),
    ),
    "Goede werkgever": (
        (r"medewerker|personeel|ambtenaren|mensen\b", 2.0), (r"onzeker|onrust|angst|zorgen\b|bang", 2.0),
        (r"plaatsing|herplaats|boventallig|baangarantie|sociaal plan|functie\b", 2.0),
        (r"ondernemingsraad|\bor\b|medezeggenschap", 2.0), (r"welzijn|emotie|verdriet|veilig", 1.5),
        (r"werkdruk|zelfzorg|verzuim|uitval|burn|opgebrand", 2.0), (r"vertrek|verloop|ontslag|loopbaan|ontwikkelperspectief", 1.5),
        (r"\bhr\b|p&o|\bpeno\b|p en o|werkgever", 2.0), (r"vertrouwen", 0.75),
        (r"teammanager|manager|leidinggevend|\bmt\b", 0.75), (r"communic", 0.75), (r"stuurloos", 1.0),
    ),
    "Bedrijfseconoom": (
        (r"kosten|verdeelsleutel|kostenverdeling", 2.5), (r"begroting|financ|budget|geld\b|euro", 2.0),
        (r"efficien|besparing|bezuinig|overhead", 2.0), (r"\bkpi|prestatie|presteren|indicator", 2.0),
        (r"bedrijfsvoering|p&c|planning en control|control\b", 2.0), (r"egalisatiereserve|reserve", 1.5),
        (r"\bict\b|systemen|informatievoorziening", 1.0), (r"contract|\bdvo\b|dienstverleningsovereenkomst|afspraak is afspraak", 1.5),
        (r"cijfers|rapportage|meetbaar", 1.5), (r"dienstverlening|kwaliteit", 0.75), (r"capaciteit|formatie", 1.0),
        (r"afspra", 1.0), (r"doelen|doelstelling", 0.75), (r"\bssc\b|shared service", 1.0),
        (r"goedkop|sneller|snelheid|tempo", 1.5), (r"verwachting", 1.0),
    ),
}

#: Small priors from the situation: which role the spanningsveld and phase ask for (§2.3.1,
#: "komt uit de verf"; spanningsveld 1 is about delivering on promises, 2 about bestuurlijk
#: draagvlak, 3 about the organisation's support for the construct).
SPANNINGSVELD_PRIOR: dict[str, dict[str, float]] = {
    "1": {"Bedrijfseconoom": 0.75, "Veranderkundige": 0.25},
    "2": {"Politicus": 0.75, "Veranderkundige": 0.25},
    "3": {"Goede werkgever": 0.5, "Veranderkundige": 0.5},
}
FASE_PRIOR: dict[str, dict[str, float]] = {
    "verkenning": {"Politicus": 0.5, "Bedrijfseconoom": 0.25},
    "tijdens het fusieproces": {"Veranderkundige": 0.5, "Goede werkgever": 0.5},
    "na de fusie / draaiend systeem": {"Goede werkgever": 0.25, "Bedrijfseconoom": 0.25, "Veranderkundige": 0.25},
    "weeffouten signaleren": {"Bedrijfseconoom": 0.25, "Politicus": 0.25},
    "herijking of ontvlechting": {"Goede werkgever": 0.5, "Bedrijfseconoom": 0.25},
}
#: Weight of each cue concept a role sentence shares with the question (as in composition).
CONCEPT_WEIGHT = 0.75
#: Weight of the question's word overlap with a role's own passages (a tie-breaker, not a driver).
OVERLAP_WEIGHT = 0.15

#: The opening words of each role's §2.3 description: finds the role in an untagged corpus.
ROLE_ANCHORS: dict[str, tuple[str, ...]] = {
    "Politicus": ("Leunt op politieke sensitiviteit",),
    "Veranderkundige": ("de organisatieontwikkeling en cultuurtransitie centraal zet",),
    "Goede werkgever": ("primair op het welzijn, vertrouwen en ontwikkelperspectief van medewerkers",),
    "Bedrijfseconoom": ("het presteren van de organisatie en het behalen van de doelen van de fusie",),
}

HANDREIKING = "000"


def normalise_role(role: str | None) -> str | None:
    """``role`` spelled as in ROLES (case- and accent-insensitive), or None; ValueError if unknown."""
    if role is None or not str(role).strip():
        return None
    want = fold(str(role)).strip()
    for r in ROLES:
        if fold(r) == want or fold(r).replace(" ", "") == want.replace(" ", ""):
            return r
    raise ValueError(f"Onbekende rol {role!r}; kies uit: {', '.join(ROLES)}.")


def role_passages(sources: Sources, role: str) -> list[Passage]:
    """The passages that describe ``role``, in corpus order."""
    tagged = [p for p in sources.passages if p.role == role]
    if tagged:
        return tagged
    out: list[Passage] = []
    for anchor in ROLE_ANCHORS[role]:
        p = sources.containing(anchor, document=HANDREIKING)
        if p is not None and p not in out:
            out.append(p)
    return out


def _passage_text_for(role: str, passage: Passage) -> list[tuple[int, int]]:
    """Sentence spans of ``passage`` that belong to ``role``.

    A passage tagged with the role belongs to it entirely. In an untagged passage (fallback) we
    keep the sentences from the role's anchor on, so a neighbouring role's text is not attributed.
    """
    spans = sentence_spans(passage.text)
    if passage.role == role:
        return spans
    text = " ".join(passage.text.split())
    for anchor in ROLE_ANCHORS[role]:
        at = passage.text.find(anchor)
        if at < 0 and anchor in text:
            at = 0
        if at >= 0:
            return [s for s in spans if s[1] > at]
    return spans


def rank_roles(
    question: str,
    context: Context | None = None,
    situation: Situation | None = None,
    sources: Sources | None = None,
) -> list[tuple[str, float]]:
    """The four roles ordered by fit with ``question`` (best first), with their scores.

    Ties keep the order of ROLES, so the ranking is deterministic.
    """
    history = " ".join(m.content for m in context.history if m.role == "user") if context else ""
    own = cue_scores(question, ROLE_CUES)
    past = cue_scores(history, ROLE_CUES) if history else {}
    scores = {r: own[r] + 0.5 * past.get(r, 0.0) for r in ROLES}
    if situation is not None:
        sv = spanningsveld_number(situation)
        for r, w in SPANNINGSVELD_PRIOR.get(sv or "", {}).items():
            scores[r] += w
        for r, w in FASE_PRIOR.get(situation.fase or "", {}).items():
            scores[r] += w
    if sources is not None:
        q = stems(question)
        for r in ROLES:
            texts = " ".join(p.text for p in role_passages(sources, r))
            scores[r] += OVERLAP_WEIGHT * overlap(q, texts)
    order = sorted(ROLES, key=lambda r: (-scores[r], ROLES.index(r)))
    return [(r, round(scores[r], 3)) for r in order]


ASPECTS: tuple[str, ...] = (
    "beschrijving", "handelingsperspectief", "komt uit de verf", "competentieprofiel", "achtergrond",
)
#: A short (one or two sentence) perspective leaves out the "achtergrond" paragraph (where such
#: secretaries come from: "Neemt ervaring mee uit een rol als concerncontroller …") and the
#: "komt uit de verf" cells that only say *when* a role shines ("Voorals als de fusie een feit
#: is.", "In een andere fusie-context, …"): neither reads as a view on the question.
_CIRCUMSTANCE_RE = re.compile(r"^(Voorals|Vooral|In|Op|Om|Tijdens|Na|Bij|Zowel|Wanneer|Als)\b")


def _short_ok(c: "RoleSentence") -> bool:
    if c.aspect == "achtergrond":
        return False
    return not (c.aspect == "komt uit de verf" and _CIRCUMSTANCE_RE.match(c.text))
_ASPECT_RE = re.compile(r"[–-]\s*(handelingsperspectief|komt uit de verf|competentieprofiel)\s*:?\s*$", re.IGNORECASE)


def _background_start(passage: Passage) -> int | None:
    """Offset of the background paragraph of a §2.3 role description (its last paragraph, e.g.
    "Heeft vaak zelf politieke ervaring …"), or None for other passages."""
    if passage.role is None or passage.kind != "role" or "2.3.1" in (passage.section or ""):
        return None
    paragraphs = [m.start() for m in re.finditer(r"\n\s*\n(?=\S)", passage.text)]
    if len(paragraphs) < 2:  # title + description only: no background paragraph
        return None
    last = paragraphs[-1]
    if passage.text[last:].lstrip().startswith("-"):  # the last paragraph is a bullet list
        return None
    return last


@dataclass
class RoleSentence:
    passage: Passage
    text: str
    aspect: str
    position: int
    score: float = 0.0


def role_sentences(
    role: str,
    sources: Sources,
    q_stems: Sequence[str] = (),
    weights: dict[str, float] | None = None,
    q_concepts: frozenset[str] = frozenset(),
) -> list[RoleSentence]:
    """Every quotable sentence of ``role``'s passages, with its aspect (§2.3.1 row) and score.

    The aspect of a sentence is the last "<Rol> – Handelingsperspectief:" style label before it
    in its passage; sentences of the §2.3 description have aspect "beschrijving".
    """
    out: list[RoleSentence] = []
    for p in role_passages(sources, role):
        aspect = "beschrijving"
        background = _background_start(p)
        for start, end in _passage_text_for(role, p):
            sentence = p.text[start:end]
            m = _ASPECT_RE.search(sentence)
            if m and len(sentence) < 80:
                aspect = m.group(1).lower()
                continue
            if aspect == "beschrijving" and background is not None and start >= background:
                aspect = "achtergrond"
            if len(sentence) < 30 or len(sentence) > 420 or sentence.endswith(":") or is_fragment(sentence):
                continue
            score = overlap(q_stems, sentence, weights)
            if q_concepts:
                score += CONCEPT_WEIGHT * shared_concepts(q_concepts, sentence)
            out.append(RoleSentence(p, sentence, aspect, len(out), score))
    return out


def perspective(
    role: str,
    question: str,
    sources: Sources,
    registry: CitationRegistry,
    *,
    max_sentences: int = 2,
    q_stems: Sequence[str] | None = None,
    weights: dict[str, float] | None = None,
    q_concepts: frozenset[str] = frozenset(),
) -> RolePerspective:
    """``role``'s view on ``question``: verbatim sentences of its passages, each with [n].

    ``q_stems``/``weights``/``q_concepts`` (optional) let the composer pass its weighted query
    (synonyms, earlier turns); by default the question's own stems are used.

    The first sentence is the best-matching one of the role's handelingsperspectief (what the
    role does); the others are the best matches among all its sentences. With no overlap at all
    the role's own opening statements are used, so every role always says something.
    """
    q = list(q_stems) if q_stems is not None else stems(question)
    cands = role_sentences(role, sources, q, weights, q_concepts)
    if not cands:
        return RolePerspective(role=role, text="", citations=[])

    def best(pool: list[RoleSentence]) -> RoleSentence | None:
        return min(pool, key=lambda c: (-c.score, c.position)) if pool else None

    if max_sentences < 3:
        cands = [c for c in cands if _short_ok(c)] or cands
    else:  # elaborated: one sentence per aspect, but still no background or bare timing
        cands = [c for c in cands if _short_ok(c)] or cands
    chosen: list[RoleSentence] = []
    first = best([c for c in cands if c.aspect == "handelingsperspectief"]) or best(cands)
    chosen.append(first)
    if max_sentences >= 3:
        # elaborated: one sentence per aspect, best match first within each
        for aspect in ("beschrijving", "komt uit de verf", "competentieprofiel"):
            pick = best([c for c in cands if c.aspect == aspect and c not in chosen])
            if pick is not None:
                chosen.append(pick)
    rest = sorted((c for c in cands if c not in chosen), key=lambda c: (-c.score, c.position))
    for c in rest:
        if len(chosen) >= max_sentences:
            break
        if c.score > 0 or len(chosen) < min(2, max_sentences):
            chosen.append(c)
    order = {a: i for i, a in enumerate(ASPECTS)}
    if max_sentences >= 3:
        chosen.sort(key=lambda c: (order[c.aspect], c.position))
    parts: list[str] = []
    cited: list[int] = []
    for c in chosen[:max_sentences]:
        n = registry.cite(c.passage)
        parts.append(f"{c.text} [{n}]")
        if n not in cited:
            cited.append(n)
    return RolePerspective(role=role, text=" ".join(parts), citations=cited)


def perspectives(
    question: str,
    ranking: Sequence[tuple[str, float]],
    sources: Sources,
    registry: CitationRegistry,
    *,
    chosen: str | None = None,
    **query: object,
) -> list[RolePerspective]:
    """A perspective per role in ``ranking`` order (``chosen`` first and elaborated).

    ``query``: ``q_stems``, ``weights``, ``q_concepts`` as for :func:`perspective`."""
    order = [r for r, _ in ranking]
    if chosen is not None:
        order = [chosen] + [r for r in order if r != chosen]
    out = []
    for r in order:
        n = 4 if r == chosen else (1 if chosen is not None else 2)
        out.append(perspective(r, question, sources, registry, max_sentences=n, **query))  # type: ignore[arg-type]
    return out
