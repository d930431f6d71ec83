"""Situation analysis: where a question sits on the guides' own maps.

Three dimensions, each decided independently and each allowed to stay unknown (``None``):

- the spanningsveld of the 2026 handreiking (§1.2: "1", "2", "3" -> SPANNINGSVELDEN values),
- the phase (FASES; the Bijlage I phase headings and the life cycle of §2.2),
- the form (FUSIEVORMEN: herindeling, ambtelijke fusie, andere samenwerking).

The method is deliberately transparent: cue lexicons built from the texts' own vocabulary
(:data:`SPANNINGSVELD_CUES`, :data:`FASE_CUES`, :data:`FUSIEVORM_CUES`) score the question, and the
metadata of the retrieved passages (Bijlage I interventions carry spanningsveld, phase and form;
case vignettes carry their spanningsveld) adds votes weighted by rank. A label is chosen only when
its score clears :data:`MIN_SCORE`; the confidence is the label's share of the evidence.

Also home of the small text helpers (normalising, stemming) that roles, composition and the
scope decision share, so they all match words the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from secretarisbot.model import (
    BIJLAGE_FASES,
    FASES,
    FUSIEVORMEN,
    SPANNINGSVELDEN,
    Context,
    Message,
    Passage,
    Situation,
)

# --- text helpers -----------------------------------------------------------------------------

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


# --- cue lexicons ---------------------------------------------------------------------------
# Each cue is a regular expression matched at a word start in the folded text, with a weight.
# The vocabulary is taken from the guides: §1.2 (the three spanningsvelden and their bullets),
# §2.2 (the life cycle), Bijlage I (row labels) and the Wegwijzer chapters on herindeling,
# ambtelijke samenvoeging and shared service centra.

Cues = tuple[tuple[str, float], ...]

SPANNINGSVELD_CUES: dict[str, Cues] = {
    # 1 Publieke waarde – organisatie: "past de gekozen fusievorm (nog) wel bij de beloftes?"
    "1": (
        (r"belofte|beloofd|beloven", 2.0), (r"waarmaken|waar te maken|waar maken", 1.5), (r"schaa ?l?s?sprong", 1.5),
        (r"capaciteit", 1.5), (r"kwaliteitswinst|efficiencywinst|efficien", 1.5),
        (r"kostenbesparing|besparing|bezuinig|besparen", 1.5), (r"presteren|prestatie", 1.5),
        (r"cijfers|kpi|kwartaalrapportage|rapportage", 1.5), (r"dienstverlening", 1.0),
        (r"kwaliteit", 1.0), (r"verwachting", 1.0), (r"realisatiekracht|slagkracht", 1.0),
        (r"navelstaren|zichtbaar in de regio|regiopartner", 1.5), (r"ambitie", 0.75),
        (r"doelen|doelstelling", 0.75), (r"werkdruk|zelfzorg|overbelast|opgebrand|burn-?out|uitgeput", 1.5),
        (r"rolverwarring", 1.5), (r"strategisch vermogen|visie- en strategie", 1.0),
        (r"achterstand|stapel|wachttijd|te laat", 1.0), (r"kosten", 0.75),
        (r"opbrengst|oplever", 1.0), (r"tegenvallend|teleurstell", 1.0),
        (r"fusievorm|vorm van (de )?samenwerking|voor- en nadelen|welke variant", 1.5),
        (r"verstandig|overwegen|overweg", 1.0),
    ),
    # 2 Publieke waarde – draagvlak: "is en blijft er voldoende draagvlak voor de bestuurlijke beloftes?"
    "2": (
        (r"draagvlak", 1.0), (r"raad\b|raden\b|raadsle|gemeenteraad|raadscommissie|raadsdebat", 1.5),
        (r"politie?k", 1.0), (r"wethouder|portefeuillehouder", 1.0), (r"coalitie|oppositie", 1.5),
        (r"verkiezing", 1.5), (r"identiteit|eigenheid|couleur locale|eigen karakter", 2.0),
        (r"dorp|kernen\b|kern\b|kernvisie", 2.0), (r"bloedgroep", 1.5), (r"clubkleur|brand\b|logo|huisstijl", 2.0),
        (r"narratief|verhaal van", 1.5), (r"visie\b", 0.75), (r"opgeslokt|geannexeerd|annex", 2.0),
        (r"kleinere gemeente|kleine gemeente", 1.0), (r"inwoners|samenleving|burgers", 0.75),
        (r"wenkend perspectief", 1.5), (r"lokale", 0.75), (r"bestuurlijk", 0.5),
        (r"enthousias", 0.75), (r"gehoord", 1.0), (r"tegenstand|weerstand", 0.75),
    ),
    # 3 Organisatie – draagvlak: "is en blijft er voldoende draagvlak voor de gekozen fusievorm?"
    "3": (
        (r"weeffout", 3.0), (r"inrichtingskeuze|inrichting van", 1.5), (r"sturingsmodel|governance", 2.0),
        (r"mede-?directeur|medemanager|tweekoppige|tweehoofdig|directieteam|directie\b|co-?director", 2.5),
        (r"directeur", 1.0), (r"patstelling|impasse|vast ?zit|muurvast|gijzel|deadlock|stalemate", 2.0),
        (r"blokk|dwarsli|tegenwerk|traineer|frustreer|block|obstruct", 1.5),
        (r"heronderhandel|terug ?onderhandel|terugkomen op|terug komen op|komt terug op", 2.5),
        (r"afspra", 1.0), (r"medewerker|personeel|ambtenaren", 1.0), (r"onzeker", 1.5),
        (r"plaatsing|herplaats|boventallig|baangarantie", 1.5), (r"\bmt\b|managementteam", 1.0),
        (r"harmonis|werkproces|processen", 1.0), (r"wij-zij|wij zij|zij-wij", 2.0),
        (r"vertrouwen", 0.75), (r"escal", 1.0), (r"ruzie|conflict|onenigheid|onmin|meningsverschil|disagree", 1.5),
        (r"ondernemingsraad|\bor\b", 1.0), (r"cultuur", 0.75), (r"manier van werken|werkwijze|modus operandi", 1.0),
        (r"dubbel werk|broodheer|college-?advisering", 2.0), (r"teammanager|manager|vacature|benoem", 1.0),
    ),
}

FASE_CUES: dict[str, Cues] = {
    "verkenning": (
        (r"verken", 3.0), (r"overweg", 2.0), (r"willen (gaan )?(fuseren|samenwerken)", 2.0),
        (r"nadenken over|denken na over|praten over|gesprekken over", 1.0), (r"oriënt|orient", 2.0),
        (r"haalbaarheid|onderzoek naar", 1.5), (r"voorafgaand|nog geen besluit|nog niet besloten", 2.0),
        (r"partnergemeente|fusiepartner|mogelijke partner", 1.0), (r"variant", 1.0),
        (r"moeten we|zullen we|gaan we", 0.75), (r"bestuurlijke opdracht", 1.0),
    ),
    "tijdens het fusieproces": (
        (r"fusieproces|fusietraject|herindelingsproces", 2.0), (r"tijdens de (fusie|herindeling)", 2.5),
        (r"aanloop naar|in aanloop", 2.0), (r"herindelingsontwerp|herindelingsdatum|fusiedatum", 2.0),
        (r"kwartierma", 2.0), (r"beoogd", 1.5), (r"sociaal plan", 2.0), (r"plaatsing|herplaats", 1.0),
        (r"harmonis", 0.75), (r"voor de fusie|voorbereiding", 1.0), (r"transitie", 0.75),
        (r"herindelingsbesluit|fusiebesluit", 1.5), (r"bouwen aan de nieuwe", 1.5),
    ),
    "na de fusie / draaiend systeem": (
        (r"na de (fusie|herindeling)", 3.0), (r"gefuseerd", 2.0), (r"sinds de (fusie|herindeling)", 3.0),
        (r"jaar na|jaren na|eerste jaren|inmiddels", 1.5), (r"kersverse|nieuwe gemeente", 1.5),
        (r"draait|draaiend|lopende", 1.5), (r"heringedeeld", 2.0), (r"nieuwe organisatie", 1.0),
        (r"bloedgroep", 1.0), (r"fusie-?organisatie|werkorganisatie", 0.75), (r"oude gemeente|vorige gemeente", 1.5),
        (r"zelfgenoegzaam|navelstaren", 1.5),
    ),
    "weeffouten signaleren": (
        (r"weeffout", 3.0), (r"inrichtingskeuze|fouten in de inrichting", 2.5), (r"sturingsmodel|governance", 2.0),
        (r"heronderhandel|terug ?onderhandel|terugkomen op|terug komen op|komt terug op", 2.0),
        (r"mede-?directeur|tweekoppige|tweehoofdig|directie\b", 2.0), (r"patstelling|impasse", 1.5),
        (r"blokk", 1.0), (r"verrassing", 1.5), (r"escalatieclausule|voorzitter", 1.0),
    ),
    "herijking of ontvlechting": (
        (r"herijk", 3.0), (r"ontvlecht", 3.0), (r"uit elkaar", 2.5), (r"uittred|uitstap|eruit stappen|uit de (gemeenschappelijke regeling|samenwerking|gr|werkorganisatie) (te )?stappen", 2.5),
        (r"breuk|opheff|ontbind|opzeggen", 2.5), (r"terug naar (een )?eigen", 2.5),
        (r"evaluatie|evalueren", 1.0), (r"stoppen met", 1.5), (r"onthecht", 2.0), (r"heropstart", 2.0),
    ),
}

FUSIEVORM_CUES: dict[str, Cues] = {
    "herindeling": (
        (r"herindel", 3.0), (r"bestuurlijke fusie", 3.0), (r"fusiegemeente", 2.5), (r"heringedeeld", 3.0),
        (r"arhi|ahri", 3.0), (r"nieuwe gemeente", 1.5), (r"kwartierma", 1.0), (r"gemeentenaam|naam van de gemeente", 2.0),
        (r"samenvoeging van (de )?gemeenten", 2.5), (r"dorp|kernen\b", 0.5), (r"raden\b", 0.5),
    ),
    "ambtelijke fusie": (
        (r"ambtelijke? (fusie|fuseren|samenvoeging)|ambtelijk fuseren|ambtelijk samenvoegen", 3.0),
        (r"werkorganisatie", 3.0), (r"fusie-?organisatie|amalgamated organi[sz]ation|merged (civil service|administration)", 2.0),
        (r"mede-?directeur|tweekoppige|tweehoofdig|co-?director", 2.5),
        (r"meerdere colleges|twee colleges|drie colleges|beide colleges|elk college|colleges\b", 1.0),
        (r"centrumregeling", 2.0), (r"één ambtelijke organisatie|een ambtelijke organisatie", 2.5),
        (r"ambtelijke samenwerking", 1.5),
        (r"egalisatiereserve|standplaats", 1.0), (r"directeur van de", 1.0),
    ),
    "andere samenwerking": (
        (r"\bssc\b|shared service", 3.0), (r"gemeenschappelijke regeling|\bgr\b|\bgrs\b|bedrijfsvoerings-?gr", 2.5),
        (r"samenwerkingsverband", 2.0), (r"regionale samenwerking|regio-?samenwerking", 2.0),
        (r"\bdvo\b|dienstverleningsovereenkomst", 3.0), (r"samenwerken op|samenwerking op (onderdelen|taken)", 2.0),
        (r"intergemeentelijk", 2.0), (r"\bseta\b|samen en toch apart", 3.0), (r"verbonden partij", 2.5),
        (r"belastingsamenwerking|belastingdienst|inkoopsamenwerking", 2.0), (r"netwerksamenwerking", 1.5),
    ),
}

#: Minimum evidence for a label; below it the dimension stays unknown.
MIN_SCORE = 1.0
#: Weight of the metadata vote of a retrieved passage at rank r: RETRIEVAL_VOTE / r
#: (interventions count full, case vignettes and other tagged passages half).
RETRIEVAL_VOTE = 1.5
#: Earlier user turns count for this share of their cue weight (follow-ups inherit the topic).
HISTORY_WEIGHT = 0.5

_BIJLAGE_FASES_FOLDED = {fold(k): v for k, v in BIJLAGE_FASES.items()}


@lru_cache(maxsize=None)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + pattern + ")")


def cue_scores(text: str, lexicon: dict[str, Cues]) -> dict[str, float]:
    """Summed weights of the cues of each label that occur in ``text`` (each cue counts once)."""
    folded = fold(text)
    return {
        label: round(sum(w for pattern, w in cues if _compile(pattern).search(folded)), 3)
        for label, cues in lexicon.items()
    }


@lru_cache(maxsize=16384)
def concepts(text: str) -> frozenset[str]:
    """The cue patterns of all situation lexicons that occur in ``text``.

    Two texts that share a concept say something about the same thing even in different words
    ("efficiencywinst" and "kwaliteitswinst", "beloofd" and "belofte").
    """
    folded = fold(text)
    return frozenset(
        pattern
        for lexicon in (SPANNINGSVELD_CUES, FASE_CUES, FUSIEVORM_CUES)
        for cues in lexicon.values()
        for pattern, _ in cues
        if _compile(pattern).search(folded)
    )


@lru_cache(maxsize=65536)
def shared_concepts(q_concepts: frozenset[str], text: str) -> int:
    """How many of the question's concepts ``text`` shares (only those patterns are tried)."""
    if not q_concepts:
        return 0
    folded = _folded(text)
    return sum(1 for pattern in q_concepts if _compile(pattern).search(folded))


@lru_cache(maxsize=16384)
def _folded(text: str) -> str:
    return fold(text)


def spanningsveld_key(value: str | None) -> str | None:
    """The key ("1".."3") of a spanningsveld given as key, SPANNINGSVELDEN value or Bijlage I label.

    Bijlage I spells the pairs in either order and with either dash ("Draagvlak - organisatie").
    """
    if not value:
        return None
    v = fold(value)
    if v.strip() in SPANNINGSVELDEN:
        return v.strip()
    has_pw = "publieke waarde" in v
    has_org = "organisatie" in v
    has_dv = "draagvlak" in v
    if has_pw and has_org and not has_dv:
        return "1"
    if has_pw and has_dv and not has_org:
        return "2"
    if has_org and has_dv and not has_pw:
        return "3"
    m = re.search(r"spanningsveld\s*([123])", v)
    return m.group(1) if m else None


def fase_of(passage: Passage) -> str | None:
    """The canonical FASES value of a passage's Bijlage I phase heading (or None)."""
    if not passage.fase:
        return None
    if passage.fase in FASES:
        return passage.fase
    f = fold(passage.fase)
    if f in _BIJLAGE_FASES_FOLDED:
        return _BIJLAGE_FASES_FOLDED[f]
    for heading, canonical in _BIJLAGE_FASES_FOLDED.items():
        if heading in f or f in heading:
            return canonical
    return None


def fusievorm_of(passage: Passage) -> str | None:
    if passage.fusievorm in FUSIEVORMEN:
        return passage.fusievorm
    if passage.fusievorm:
        f = fold(passage.fusievorm)
        if "ambtelijk" in f:
            return "ambtelijke fusie"
        if "bestuurlijk" in f or "herindel" in f:
            return "herindeling"
        return "andere samenwerking"
    return None


def _user_history(history: Sequence[Message]) -> str:
    return " ".join(m.content for m in history if m.role == "user")


def _choose(scores: dict[str, float]) -> tuple[str | None, float]:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top_label, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < MIN_SCORE:
        return None, 0.0
    # Share of the evidence, damped for thin evidence: 3 vs 0 -> 0.75; 3 vs 3 -> 0.43.
    confidence = top / (top + second + 1.0)
    return top_label, round(min(1.0, confidence), 3)


def analyse(question: str, context: Context | None = None) -> Situation:
    """Place ``question`` on spanningsveld, phase and form; unknown dimensions stay ``None``.

    ``context`` (optional) contributes the earlier user turns and the metadata of its retrieved
    passages. Deterministic: same inputs, same Situation.
    """
    history = _user_history(context.history) if context is not None else ""
    dims = {
        "spanningsveld": SPANNINGSVELD_CUES,
        "fase": FASE_CUES,
        "fusievorm": FUSIEVORM_CUES,
    }
    scores: dict[str, dict[str, float]] = {}
    for dim, lexicon in dims.items():
        own = cue_scores(question, lexicon)
        past = cue_scores(history, lexicon) if history else {}
        scores[dim] = {k: own[k] + HISTORY_WEIGHT * past.get(k, 0.0) for k in own}

    for p in context.passages if context is not None else ():
        weight = RETRIEVAL_VOTE / max(1, p.rank) * (1.0 if p.kind == "intervention" else 0.5)
        sv = spanningsveld_key(p.spanningsveld)
        if sv:
            scores["spanningsveld"][sv] += weight
        fase = fase_of(p)
        if fase:
            scores["fase"][fase] += weight
        vorm = fusievorm_of(p)
        if vorm:
            scores["fusievorm"][vorm] += weight

    chosen: dict[str, str | None] = {}
    confidences: dict[str, float] = {}
    for dim in dims:
        scores[dim] = {k: round(v, 3) for k, v in scores[dim].items()}
        chosen[dim], confidences[dim] = _choose(scores[dim])
    scores["confidence"] = confidences
    overall = round(sum(confidences.values()) / len(confidences), 3)
    sv_key = chosen["spanningsveld"]
    return Situation(
        spanningsveld=SPANNINGSVELDEN[sv_key] if sv_key else None,
        fase=chosen["fase"],
        fusievorm=chosen["fusievorm"],
        confidence=overall,
        scores=scores,
    )


def spanningsveld_number(situation: Situation) -> str | None:
    """The key ("1".."3") of the situation's spanningsveld."""
    for key, label in SPANNINGSVELDEN.items():
        if situation.spanningsveld == label:
            return key
    return None
