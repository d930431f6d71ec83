"""The reflection routes: steps whose questions are quoted from the guides, with their citations.

The main route ("spiegel") follows §2.5 of the 2026 handreiking in the guide's order, framed by a
role self-placement (§2.3 / §2.3.1) before and "Wie vormt welke tegenmacht?" (§2.4.1) after. Shorter
routes come from the VNG zeven stops and the Wegwijzer. Every quote is located in the *normalised*
text of its document (:func:`find_quote`), so it can carry a real citation with offsets::

    steps = route_steps("spiegel", answers)          # the applicable steps for these answers
    cites = resolve(steps[1], text_of, passages)     # Citation objects for the step's quotes
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from secretarisbot.model import ROLES, Citation, Passage

HANDREIKING = "000"
WEGWIJZER = "002"
VNG = "004"

#: Fields of the tussenruimte step: (level, for whom) -> field key.
LEVELS: tuple[tuple[str, str], ...] = (
    ("structuur", "In de structuur waarin je opereert?"),
    ("cultuur", "In de cultuur – de onuitgesproken normen en waarden die veel van de interacties in jouw werkveld bepalen?"),
    ("praktijk", "In de praktijk van routines, regels en gedragingen?"),
)
ACTION_FIELDS: tuple[str, ...] = tuple(
    f"{level}_{who}" for level, _ in LEVELS for who in ("zelf", "anderen")
)
MAIN = "tekst"
ROLE_FIELD = "rol"
NO_ROLE = "Weet ik nog niet"


@dataclass(frozen=True)
class Quote:
    """A question or passage quoted from a guide; ``text`` is how the source spells it."""

    document: str
    text: str
    section: str


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    quotes: tuple[Quote, ...]
    prompt: str = ""
    fields: tuple[str, ...] = (MAIN,)
    optional: bool = False



@dataclass(frozen=True)
class Route:
    id: str
    title: str
    intro: str
    steps: tuple[Step, ...] = field(default_factory=tuple)


# --- the quotes --------------------------------------------------------------------------

S23 = "2.3 Een rollentypologie: met realisme aan de slag in een tussenruimte"
S231 = "2.3.1 Roltypen, handelingsperspectieven en competenties"
S241 = "2.4.1 Je kunt niet alles tegelijk zijn en doen"
S25 = "2.5 Zelfinzicht: denkoefeningen om je een spiegel voor te houden"


def _h(text: str, section: str = S25) -> Quote:
    return Quote(HANDREIKING, text, section)


#: Role type -> (description from §2.3, start of the competentieprofiel from §2.3.1): whole sentences
#: or items, never one cut off ("te verbinden aan:", "samenwerkingsstructuren"; a walk-through).
ROLE_QUOTES: dict[str, tuple[Quote, Quote]] = {
    "Politicus": (
        _h(
            "Leunt op politieke sensitiviteit en het vermogen om bestuurlijke structuren te beïnvloeden of ... in "
            "de context van een herindeling - aan te sturen op bestuurlijke wendbaarheid. ... in de context van een "
            "ambtelijke fusie - in te spelen op de wensen vanuit verschillende colleges en gemeenteraden.",
            S23,
        ),
        _h(
            "Sterk ontwikkeld gevoel voor bestuurlijke en politieke dynamiek, inclusief het inzicht in de "
            "bestuurlijke gunfactor die er wel/niet is naar de gemeentesecretaris(sen). Zelfstandig kunnen "
            "positioneren van strategische onderwerpen richting bestuur en raad, zonder daarin afhankelijkheid "
            "te ervaren van anderen.",
            S231,
        ),
    ),
    "Veranderkundige": (
        _h(
            "Kiest bewust voor een rol waarin hij/zij de organisatieontwikkeling en cultuurtransitie centraal zet.",
            S23,
        ),
        _h(
            "Is in staat om consistent en overtuigend medewerkers (en bestuurders) continue mee te krijgen in het "
            "veranderverhaal, ook bij bestuurlijke tegenslag. Sterk in procesregie en het ontwerpen van "
            "samenwerkingsstructuren die een 'smeltkroes' vormt of een mozaïek waarin plek is voor oude culturen.",
            S231,
        ),
    ),
    "Goede werkgever": (
        _h(
            "Richt zijn/haar leiderschap in fusiecontext primair op het welzijn, vertrouwen en ontwikkelperspectief "
            "van medewerkers.",
            S23,
        ),
        _h(
            "Sterk empathisch vermogen: het kunnen lezen van emoties en spanningen en daarop adequaat reageren",
            S231,
        ),
    ),
    "Bedrijfseconoom": (
        _h(
            "Kiest bewust voor een rol waarin hij/zij het presteren van de organisatie en het behalen van de doelen "
            "van de fusie (kosten, kwaliteit, bestuurskracht, minder kwetsbaarheid) centraal zet.",
            S23,
        ),
        _h(
            "Sterk ontwikkeld gevoel voor aspecten van bedrijfsvoering en financiën, inclusief het inzicht in de "
            "manier waarop dit meetbaar en stuur is te maken; In staat om processen op orde te brengen, te "
            "structuren en consequent in de hele organisatie door te voeren",
            S231,
        ),
    ),
}

#: Extra words per role used to hear which role an answer resonates with (beyond the quotes).
ROLE_WORDS: dict[str, str] = {
    "Politicus": "politiek bestuur bestuurder raad raadsleden college burgemeester wethouder agenderen "
    "momentum netwerk coalitie belangen timing invloed",
    "Veranderkundige": "verandering cultuur cultuurverschil organisatieontwikkeling proces procesregie "
    "veranderverhaal samenwerking medewerkers verbinden patroon leren",
    "Goede werkgever": "medewerkers welzijn vertrouwen onzekerheid emoties zorg veiligheid ontwikkeling "
    "begeleiden mensen team OR",
    "Bedrijfseconoom": "kosten begroting financiën bedrijfsvoering prestaties KPI doelen efficiënt kwaliteit "
    "dienstverlening sturen afspraken",
}

ROLE_STEP = Step(
    id="rol",
    title="Jouw rol: waar sta je?",
    quotes=(
        _h(
            "Een gemeentesecretaris is het meest effectief als hij of zij kan schakelen tussen de verschillende "
            "rollen in deze typologie – naar wat de specifieke fusie-context vraagt. De rolbeschrijvingen zijn "
            "daarom indicatief bedoeld, én als startpunt voor reflectie op het eigen handelen van "
            "gemeentesecretarissen.",
            S23,
        ),
        *(q for pair in ROLE_QUOTES.values() for q in pair),
    ),
    prompt="Welk roltype past nu het best bij jou, en waarom? Lees de vier profielen en kies er één.",
    fields=(ROLE_FIELD, MAIN),
)

SPIEGEL_STEPS: tuple[Step, ...] = (
    ROLE_STEP,
    Step(
        id="startpunt",
        title="1. Startpunt",
        quotes=(
            _h("Startpunt. Wat was de laatste keer dat je dacht – nu doen we precies wat níét de bedoeling is?"),
            _h(
                "Duidt 'de bedoeling' vooral vanuit een publieke waarde-propositie waar jij in gelooft. Dus: "
                "wanneer deden we precies wat inwoners níét van waarde vinden? Welke casus hoort daarbij?"
            ),
            _h(
                "Als je wilt verklaren waaróm dat de propositie is waarin je gelooft, probeer dan één van de "
                "rolbeschrijvingen als uitgangspunt te nemen die je het meest bij je vindt passen."
            ),
        ),
        prompt="Beschrijf de casus, en verklaar hem vanuit één van de rolbeschrijvingen.",
    ),
    Step(
        id="droombeeld",
        title="2. Droombeeld",
        quotes=(
            _h("Stel: het is 10 jaar na vandaag en alles loopt zoals jij wilt. Welke verandering is dan gerealiseerd?"),
            _h(
                "Wat zie je om je heen, kun je al visualiseren hoe jouw gemeente of fusie-organisatie er dan "
                "uitziet? Hoe heb jij bijgedragen aan dit droombeeld? Wat heb je laten lukken?"
            ),
        ),
    ),
    Step(
        id="angstbeeld",
        title="3. Angstbeeld",
        quotes=(
            _h(
                "Stel: het is 10 jaar na vandaag en jouw angstbeeld is werkelijkheid geworden. Hoe hebben jullie "
                "die ellende georganiseerd?"
            ),
            _h("Kun je je indenken hoe jij je in die toekomst verhoudt tot je bestuur? En tot de organisatie?"),
        ),
    ),
    Step(
        id="pad",
        title="4. Welk pad bewandel je nu?",
        quotes=(
            _h("Welk pad bewandel je nu?"),
            _h(
                "Wanneer en in welke situaties ervaar je dat je werkt aan betekenisvolle verandering (richting je "
                "'droombeeld')? Wanneer stond je in je kracht? En wanneer juist niet? Draag je dan bij aan een "
                "patroon dat je liever zou willen doorbreken? In hoeverre leidt dat patroon tot je 'angstbeeld' "
                "van de toekomst?"
            ),
        ),
    ),
    Step(
        id="tussenruimte",
        title="5. De tussenruimte voor fundamentele verandering",
        quotes=(
            _h(
                "Waar zie je betekenisvolle aanknopingspunten voor verandering of zelfs doorbraak van het "
                "ongewenste patroon:"
            ),
            *(_h(question) for _, question in LEVELS),
            _h(
                "Lukt het je om op alle drie die niveaus een concrete eerste actie te formuleren, voor jezelf en "
                "voor anderen?"
            ),
        ),
        prompt="Noteer per niveau een concrete eerste actie voor jezelf en voor anderen.",
        fields=(MAIN, *ACTION_FIELDS),
    ),
    Step(
        id="fusieproces",
        title="6. Specifieke reflectie voor tijdens het fusieproces",
        quotes=(
            _h(
                "Zie je op één van voorgenoemde niveaus geen aanknopingspunten voor verandering? En zie je geen "
                "concrete actie voor jezelf, maar wel voor anderen?"
            ),
            _h(
                "Vraag je dan eens heel eerlijk af waarom je überhaupt, in welke functie dan ook, zou willen "
                "werken in de nieuwe organisatie. Is de publieke waarde die deze nieuwe organisatie dan gaat "
                "realiseren voor jou nog wel een persoonlijke drijfveer? Zie je überhaupt kans van slagen? Is er "
                "teveel (cultureel) 'oud zeer'? Welke nieuwe ruimte zou zich aandienen met jouw vertrek?"
            ),
        ),
        prompt="Deze stap verschijnt omdat je bij stap 5 niet op elk niveau een aanknopingspunt of geen actie "
        "voor jezelf hebt genoteerd.",
        optional=True,
    ),
    Step(
        id="bondgenoten",
        title="7. Wie zijn jouw bondgenoten?",
        quotes=(
            _h("Wie zijn jouw bondgenoten?"),
            _h(
                "De grote ambities van een (nieuwe) fusie-organisatie kan niemand alleen waarmaken. Wanneer "
                "ervaarde je steun – uit verwachte en onverwachte hoeken? Wat zijn jouw verrassende "
                "samenwerkingen? Durf je vanzelfsprekendheden te bevragen bij die bondgenoten? En reflectie te "
                "vragen op je eigen handelen?"
            ),
        ),
    ),
    Step(
        id="tegenmacht",
        title="Tot slot: wie vormt welke tegenmacht?",
        quotes=(
            _h("Wie vormt welke tegenmacht?", S241),
            _h(
                "We bedoelen daarmee capaciteiten, vaardigheden of rollen die zij zelf niet van nature in zich "
                "hebben of hebben ontwikkeld, maar wel nodig achten om specifieke spanningen of dilemma's in of "
                "na fusieprocessen aan te pakken.",
                S241,
            ),
        ),
        prompt="Welke rol ligt jou het minst, en wie om je heen (burgemeester, griffier, portefeuillehouder, "
        "mededirecteur, strategen, adviseurs, vakgenoten) kan die tegenmacht vormen?",
    ),
)

VNG_SECTION = "4. Maak op de gemeenschappelijke agenda ruimte voor de onderstroom"
VNG_INTRO = Quote(
    VNG,
    "Bij intergemeentelijke samenwerking gaat het net als binnen de gemeente om drie vragen die je met enige "
    "regelmaat moet stellen:",
    VNG_SECTION,
)
VNG_STEPS: tuple[Step, ...] = tuple(
    Step(id=f"vng{i}", title=f"{i}. {question}", quotes=(VNG_INTRO, Quote(VNG, question, VNG_SECTION)), prompt=prompt)
    for i, (question, prompt) in enumerate(
        [
            ("Doen we het goede?", "Draagt jullie samenwerking bij aan de gemeenschappelijke ambitie?"),
            ("Doen we het goed?", "Loopt het proces zoals afgesproken: orde in proces en structuur?"),
            ("Doen we het goed met elkaar?", "Hoe staat het met vertrouwen en de onderstroom?"),
        ],
        start=1,
    )
)

W98 = "98 Als je overweegt om gemeentesecretaris te worden"
W99 = "99 De start van je functie"
WEGWIJZER_STEPS: tuple[Step, ...] = (
    Step(
        id="overweegt",
        title="Als je overweegt om gemeentesecretaris te worden",
        quotes=(
            Quote(WEGWIJZER, "Vergewis je van het vak.", W98),
            Quote(WEGWIJZER, "Kijk of je beschikt over de benodigde eigenschappen.", W98),
            Quote(WEGWIJZER, "Kijk of je de vereiste werktijden in je leven kunt inpassen.", W98),
            Quote(WEGWIJZER, "Kijk of je bestand bent tegen het vak.", W98),
            Quote(WEGWIJZER, "Kijk goed waar je solliciteert.", W98),
        ),
        prompt="Welke punten heb je al nagelopen, en wat ga je nog doen?",
    ),
    Step(
        id="start",
        title="De start van je functie",
        quotes=(
            Quote(
                WEGWIJZER,
                "Ga voor je aan je nieuwe rol begint in gesprek met een actieve gemeentesecretaris of iemand die "
                "het vak heeft uitgeoefend.",
                W99,
            ),
            Quote(WEGWIJZER, "Neem de tijd om in te werken en een oordeel te vormen.", W99),
            Quote(WEGWIJZER, "Laat snel iets zien waar het college en de organisatie blij mee zijn.", W99),
            Quote(WEGWIJZER, "Beoefen het vak niet alleen.", W99),
            Quote(WEGWIJZER, "Laat je coachen en/of zoek een intervisie groepje met vakgenoten op en schroom niet om "
                  "advies in te winnen.", W99),
        ),
        prompt="Wat doe je in je eerste honderd dagen, en met wie?",
    ),
)

ROUTES: dict[str, Route] = {
    "spiegel": Route(
        "spiegel",
        "Spiegel: de denkoefeningen van de handreiking",
        "Een stapsgewijze route langs de volgordelijke denkoefeningen van §2.5 van de handreiking "
        "'Samenvoegen of samenwerken' (2026), met vooraf een plaatsing in de rollentypologie en tot slot "
        "de vraag wie tegenmacht vormt.",
        SPIEGEL_STEPS,
    ),
    "vng": Route(
        "vng",
        "Kort: drie vragen over samenwerking (VNG)",
        "De drie vragen die je volgens de VNG met enige regelmaat stelt over de onderstroom in een samenwerking.",
        VNG_STEPS,
    ),
    "wegwijzer": Route(
        "wegwijzer",
        "Kort: startende gemeentesecretaris (Wegwijzer)",
        "De checklists van de Wegwijzer voor wie overweegt gemeentesecretaris te worden of net begint.",
        WEGWIJZER_STEPS,
    ),
}


# --- which steps apply ---------------------------------------------------------------------


def needs_fusion_reflection(answers: Mapping[str, Mapping[str, str]]) -> bool:
    """True when step 5 gave no handle at some level or no action for yourself at all."""
    tussen = answers.get("tussenruimte", {})

    def filled(key: str) -> bool:
        return bool((tussen.get(key) or "").strip())

    no_handle = any(not filled(f"{lvl}_zelf") and not filled(f"{lvl}_anderen") for lvl, _ in LEVELS)
    no_own_action = not any(filled(f"{lvl}_zelf") for lvl, _ in LEVELS)
    return no_handle or no_own_action


def route_steps(route_id: str, answers: Mapping[str, Mapping[str, str]] | None = None) -> list[Step]:
    """The steps of a route that apply, given the answers so far."""
    route = ROUTES.get(route_id)
    if route is None:
        raise KeyError(f"Onbekende route '{route_id}'. Kies uit: {', '.join(ROUTES)}")
    answers = answers or {}
    return [
        s for s in route.steps if not (s.id == "fusieproces" and not needs_fusion_reflection(answers))
    ]


# --- locating quotes in the normalised text --------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=16)
def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    # Cached: every quote of a route is looked up in the same few (long) documents.
    return tuple((_fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))


@functools.lru_cache(maxsize=16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in _tokens(text))


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``, ignoring case, accents, punctuation, markup and spacing.

    The normaliser may change dashes, quotes, emphasis or line breaks; the words stay. The span
    runs from the first word through the last word plus a directly following '?' or '.'.
    """
    wanted = tuple(_fold(m.group()) for m in _WORD.finditer(quote))  # not cached: many small quotes
    if not wanted:
        return None
    toks = _tokens(text)
    words = _words(text)
    # A corrected typo late in a long quote should not lose the citation: fall back to the
    # longest prefix of at least six words that is still found.
    for n in range(len(wanted), min(6, len(wanted)) - 1, -1):
        head = wanted[:n]
        for i, w in enumerate(words):
            if w == head[0] and words[i : i + n] == head:
                start, end = toks[i][1], toks[i + n - 1][2]
                if end < len(text) and text[end] in "?.:":
                    end += 1
                return start, end
    return None


def passage_at(passages: Sequence[Passage], document: str, start: int, end: int) -> Passage | None:
    """The passage of ``document`` that overlaps [start, end) the most."""
    best, best_overlap = None, 0
    for p in passages:
        if p.document != document:
            continue
        overlap = min(end, p.end) - max(start, p.start)
        if overlap > best_overlap:
            best, best_overlap = p, overlap
    return best


def resolve(
    step: Step,
    text_of: Callable[[str], str],
    passages: Sequence[Passage],
    titles: Mapping[str, str] | None = None,
) -> list[Citation]:
    """Citations for the step's quotes; ``text`` is the exact normalised span, numbered from 1.

    A quote that cannot be found in the normalised text is skipped (and the UI shows the quote
    as written in the exercise, without a link).
    """
    titles = titles or {}
    out: list[Citation] = []
    for quote in step.quotes:
        found = locate(quote, text_of, passages, titles)
        if found is not None:
            out.append(found.model_copy(update={"n": len(out) + 1}))
    return out


def locate(
    quote: Quote,
    text_of: Callable[[str], str],
    passages: Sequence[Passage],
    titles: Mapping[str, str] | None = None,
) -> Citation | None:
    """One quote as a Citation (n=1), or None when its words are not in the normalised text."""
    try:
        text = text_of(quote.document)
    except Exception:  # a missing document must not break the exercise
        return None
    span = find_quote(text, quote.text)
    if span is None:
        return None
    start, end = span
    passage = passage_at(passages, quote.document, start, end)
    return Citation(
        n=1,
        passage_id=passage.id if passage else "",
        document=quote.document,
        title=(passage.title if passage else (titles or {}).get(quote.document, quote.document)),
        section=(passage.section if passage and passage.section else quote.section),
        kind=passage.kind if passage else "exercise",
        text=text[start:end],
        start=start,
        end=end,
    )


__all__ = [
    "ACTION_FIELDS",
    "LEVELS",
    "MAIN",
    "NO_ROLE",
    "ROLES",
    "ROLE_FIELD",
    "ROLE_QUOTES",
    "ROUTES",
    "Quote",
    "Route",
    "Step",
    "find_quote",
    "locate",
    "needs_fusion_reflection",
    "resolve",
    "route_steps",
]
