"""Bronnenmodus: a grounded, deterministic Dutch answer composed from the guides themselves.

    answer = compose(context, sources)              # all four roles
    answer = compose(context, sources, role="Politicus")

The answer has five sections (**Herkenning**, **Handelingsopties**, **Vanuit je rol**, **Om over
na te denken**, **Bronnen**); a question that asks what one of the guides' lists holds ("Wat zijn
de zeven stops?", see :mod:`~secretarisbot.answer.frameworks`) gets **Overzicht** and **Bronnen**.
Every sentence in it is either

- quoted verbatim from a passage (a sentence of its text, see
  :func:`~secretarisbot.answer.citations.sentence_spans`), followed by that passage's ``[n]``, or
- one of the fixed connective templates of :mod:`secretarisbot.answer.prompts`, filled with
  vocabulary, role names, document titles, section names and the manifest's facts about a
  document (author, publisher, year) only.

Nothing is paraphrased, so nothing can be invented. ``[n]`` numbers follow first use; the
Bronnen list and ``Answer.citations`` carry the passages behind them.

:func:`iter_answers` yields the answer section by section (for streaming); the last is final.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import CitationRegistry, Sources, has_verb, is_fragment, sentence_spans
from secretarisbot.answer.frameworks import asks_for_sources, named_documents
from secretarisbot.answer.frameworks import detect as detect_framework
from secretarisbot.answer.frameworks import items as framework_items
from secretarisbot.answer.reading import Reading
from secretarisbot.answer.roles import normalise_role, perspectives, rank_roles
from secretarisbot.answer.scope import is_english
from secretarisbot.answer.situation import (
    SPANNINGSVELD_CUES,
    analyse,
    cue_scores,
    concepts,
    fase_of,
    shared_concepts,
    fold,
    fusievorm_of,
    overlap,
    spanningsveld_key,
    spanningsveld_number,
    stems,
)
from secretarisbot.model import (
    SPANNINGSVELDEN,
    Answer,
    Context,
    Passage,
    RetrievedPassage,
    RolePerspective,
    Situation,
)

HANDREIKING = "000"
WEGWIJZER = "002"

#: How many options of each kind the Handelingsopties section offers.
MAX_INTERVENTIONS = 3
MAX_FACETS = 2
MAX_OTHER = 2
#: Minimum score (see :meth:`Composer._score`) for an option or a case vignette to be shown.
MIN_OPTION_SCORE = 3.0
MIN_CASE_SCORE = 4.0
#: A case must also share this much (weighted) vocabulary with the question.
MIN_CASE_OVERLAP = 2.0
#: Between two quoted Bijlage I bullets on one line (bullets often lack a full stop).
BULLET_JOIN = " · "
#: Words only the earlier user turns used count for this share (a follow-up's new angle leads).
HISTORY_WORD_WEIGHT = 0.6
#: Weight of each cue concept a sentence shares with the question.
CONCEPT_WEIGHT = 0.75
#: Weight of words that occur in many passages (gemeente, fusie, …): they say little.
COMMON_WEIGHT = 0.3
#: Confidence shown when only the retrieved passages, not the question, point to a spanningsveld.
UNSURE_CONFIDENCE = 0.3
#: Weight of a facet title's overlap with the question, on top of the facet text's own overlap.
FACET_TITLE_WEIGHT = 2.0
#: Quoted sentences longer than this are skipped (whole table rows are not sentences).
MAX_SENTENCE = 420

@dataclass(frozen=True)
class Stance:
    """A topic on which the guides disagree, and the sentence (by its words) each guide says."""

    topic: str
    trigger: str  # regex on the folded question (and earlier user turns)
    needs_choice: bool  # only when the question weighs a choice (kiezen, verstandig, ...)
    sayings: tuple[tuple[str, str], ...]  # (document, words that identify the sentence)


#: Who says what. The Wegwijzer is openly critical of ambtelijke fusies (§93) and of big
#: reorganisations (§81); the 2026 handreiking (myths 2 and 4) and GROEI are positive.
STANCES: tuple[Stance, ...] = (
    Stance(
        "de ambtelijke fusie",
        r"ambtelijke? (fusie|samenvoeging)|ambtelijk fuseren|werkorganisatie",
        True,
        (
            ("002", "vanuit ambtelijke optiek bezien dan ook af te raden"),
            ("000", "De ambtelijke is dan een positieve en bewuste keuze"),
            ("003", "door ambtelijke fusie"),
        ),
    ),
    Stance(
        "een grote reorganisatie bij de fusie",
        r"reorganis|moderniser|personeelsbestand|iedereen mee",
        False,
        (
            ("002", "Denk goed na voor je een grote reorganisatie gaat doen"),
            ("000", "Sommige trajecten benutten de fusie als kans voor een forse moderniseringsslag"),
        ),
    ),
)

#: Shared words between a question and a section heading that make the heading name its subject.
TITLE_MATCH_MIN = 2
TITLE_WEIGHT = 2.0

#: Themes of the §2.4/§2.5 reflections per spanningsveld and role (words from those sections).
REFLECTION_HINTS: dict[str, str] = {
    "1": "competenties ontwikkelen organiseren organisatie verder helpen presteren",
    "2": "steun bondgenoten verwachte onverwachte hoeken bestuur",
    "3": "patroon doorbreken structuur cultuur aanknopingspunten bondgenoten",
    "Politicus": "bestuur steun bondgenoten",
    "Veranderkundige": "cultuur patroon verandering routines",
    "Goede werkgever": "oud zeer organisatie kracht",
    "Bedrijfseconoom": "structuur routines regels presteren",
}

#: Wegwijzer chapters per form (the facets of these chapters fit questions about that form).
FACET_CHAPTERS: dict[str, tuple[str, ...]] = {
    "herindeling": ("herindeling",),
    "ambtelijke fusie": ("ambtelijke samenvoeging",),
    "andere samenwerking": ("shared service",),
}

_HEADING_RE = re.compile(
    r"^\d{1,3}\s+\S.*[^.?!:;]$"  # "88 Aanloop naar …" (a facet heading)
    r"|^\d{1,2}(\.\d{1,2})+\.?\s"  # "1.2.3 Spanningsveld 3: is en blijft …?" (a numbered heading)
)
_EXPANSION_RE = re.compile(r"\(\+\s*([^)]*)\)\s*$")
_SV_SECTION_RE = re.compile(r"spanningsveld\s*([123])")
#: A question of an exercise that only continues the one before it ("En tot de organisatie?",
#: "In de praktijk van routines, regels en gedragingen?", "Welke casus hoort daarbij?", "Komt
#: dat dan omdat …", "Is dat een sleutel …"): it does not stand on its own as the one
#: reflection question of an answer.
_FOLLOW_ON_RE = re.compile(r"^(En|In|Op|Of|Maar|Dus|Met|Bij|Tot)\b|^\w+ dat\b|^.{0,40}\bdaarbij\?$")
_CHOICE_RE = re.compile(r"\b(kiezen|keuze|verstandig|moeten we|zullen we|wel of niet|zinvol|voor- en nadelen|nadelen|voordelen|afraden|aanraden|alternatief)")
_SV_WORD = r"(?:publieke waarde|organisatie|draagvlak)"
_SPANNINGSVELD_LABEL_RE = re.compile(
    rf"^Spanningsveld:\s*{_SV_WORD}\s*[–-]\s*{_SV_WORD}\s*$", re.IGNORECASE
)
_SPANNINGSVELD_PREFIX_RE = re.compile(
    rf"^Spanningsveld:\s*{_SV_WORD}\s*[–-]\s*{_SV_WORD}\s*[–-]\s*", re.IGNORECASE
)


def _expansions(context: Context) -> str:
    """The synonyms retrieval searched on: from ``context.query`` ("… (+ a, b)"), or, for a
    context built elsewhere, from the retrieval's own query builder (domain synonyms)."""
    m = _EXPANSION_RE.search(context.query or "")
    if m:
        return m.group(1)
    try:
        from secretarisbot.retrieve.query import build_query
    except ImportError:  # retrieval not installed: the question's own words only
        return ""
    return ", ".join(build_query(context.question, context.history).expansions)


@dataclass
class Quote:
    """A sentence quoted verbatim from a passage."""

    passage: Passage
    text: str
    position: int
    score: float = 0.0


@dataclass
class Section:
    key: str
    body: str

    @property
    def title(self) -> str:
        return P.SECTION_TITLES[self.key]

    def markdown(self) -> str:
        return f"**{self.title}**\n\n{self.body}".rstrip()


def quotes(
    passage: Passage,
    q_stems: Sequence[str],
    *,
    min_len: int = 25,
    skip_labels: bool = True,
    weights: dict[str, float] | None = None,
    q_concepts: frozenset[str] = frozenset(),
    need_verb: bool = False,
) -> list[Quote]:
    """The sentences of ``passage`` scored by overlap with the question (in text order).

    Score = weighted shared stems + CONCEPT_WEIGHT per shared cue concept (see
    :func:`~secretarisbot.answer.situation.concepts`). ``need_verb``: skip labels and list items
    that are not sentences (see :func:`~secretarisbot.answer.citations.has_verb`); for quotes
    that stand on their own, outside a Bijlage I row.
    """
    out: list[Quote] = []
    for i, (s, e) in enumerate(sentence_spans(passage.text)):
        text = passage.text[s:e]
        if skip_labels and (text.endswith(":") or _SPANNINGSVELD_LABEL_RE.match(text)):
            continue
        m = _SPANNINGSVELD_PREFIX_RE.match(text)
        if m:  # Bijlage I rows: quote the aim without the spanningsveld label
            text = text[m.end():]
        if len(text) < min_len or len(text) > MAX_SENTENCE or is_fragment(text) or _HEADING_RE.match(text):
            continue
        if need_verb and not has_verb(text):
            continue
        score = overlap(q_stems, text, weights)
        if q_concepts:
            score += CONCEPT_WEIGHT * shared_concepts(q_concepts, text)
        out.append(Quote(passage, text, i, score))
    return out


_TITLE_LINE_RE = re.compile(r"^[\"“‘'„].{10,300}$", re.MULTILINE)


def _title_quote(passage: Passage) -> Quote | None:
    """The quoted motto line a case vignette opens with ("“Men wil een snelle auto, …”")."""
    m = _TITLE_LINE_RE.search(passage.text)
    if m is None:
        return None
    return Quote(passage, m.group(0).strip(), -1, 0.0)


def best_quotes(candidates: Sequence[Quote], k: int) -> list[Quote]:
    """The ``k`` best-scoring quotes (earlier ones win ties), returned in reading order."""
    best = sorted(candidates, key=lambda q: (-q.score, q.position))[:k]
    return sorted(best, key=lambda q: q.position)


def doc_name(sources: Sources, document: str, capital: bool = False) -> str:
    return P.with_article(sources.short_title(document), capital=capital)


def section_tail(section: str, parts: int = 2) -> str:
    bits = [b.strip() for b in section.split("›") if b.strip()]
    return " › ".join(bits[-parts:]) if bits else ""


def confidence_word(confidence: float) -> str:
    for threshold, word in P.CONFIDENCE_WORDS:
        if confidence >= threshold:
            return word
    return P.CONFIDENCE_WORDS[-1][1]


def section_spanningsveld(passage: Passage) -> str | None:
    """The spanningsveld key of a passage: its own metadata, or the §1.2.N section it sits in."""
    key = spanningsveld_key(passage.spanningsveld)
    if key:
        return key
    if passage.document == HANDREIKING:
        m = _SV_SECTION_RE.search(fold(passage.section))
        if m:
            return m.group(1)
    return None


@dataclass
class Composer:
    """Builds one bronnenmodus answer; sections are produced in order and share the numbering."""

    context: Context
    sources: Sources
    situation: Situation | None = None
    role: str | None = None
    registry: CitationRegistry = field(default_factory=CitationRegistry)
    reading: Reading | None = None
    notice: str | None = None

    def __post_init__(self) -> None:
        self.role = normalise_role(self.role)
        if self.situation is None:
            self.situation = self.reading.situation if self.reading else analyse(self.context.question, self.context)
        text = " ".join([*(m.content for m in self.context.history if m.role == "user"), self.context.question])
        self.q = stems(self.context.question)
        self.q_all = stems(text)
        # Synonyms the retriever added ("… (+ tweekoppige directie, patstelling)") count half.
        common = self.sources.common_stems()
        own = set(self.q)
        self.weights = {
            w: (COMMON_WEIGHT if w in common else 1.0) * (1.0 if w in own else HISTORY_WORD_WEIGHT)
            for w in self.q_all
        }
        expansions = _expansions(self.context)
        if expansions:
            for w in stems(expansions):
                if w not in self.weights:
                    self.weights[w] = 0.5 * (COMMON_WEIGHT if w in common else 1.0)
                    self.q_all.append(w)
        self.concepts = concepts(text + " " + expansions)
        self.sv = spanningsveld_number(self.situation)
        self.rank = {p.id: p.rank for p in self.context.passages}
        self.ranking = (
            self.reading.ranked_roles() if self.reading
            else rank_roles(self.context.question, self.context, self.situation, self.sources)
        )
        self.roles: list[RolePerspective] = []
        self._used: set[str] = set()
        self._quoted: set[str] = set()

    # --- helpers ----------------------------------------------------------------------------

    def cite(self, passage: Passage) -> str:
        self._used.add(passage.id)
        return self.registry.marker(passage)

    def retrieval_bonus(self, passage: Passage, weight: float = 3.0) -> float:
        r = self.rank.get(passage.id)
        return weight / r if r else 0.0

    def title_bonus(self, passage: Passage) -> float:
        """A passage under a heading that names the question's subject ("Voordelen van een
        ambtelijke fusie" for "Wat zijn de voordelen van een ambtelijke fusie?"): TITLE_WEIGHT per
        question word in the heading, scaled by the share of the heading those words make up (so
        "Het takenpakket: gradaties in de ambtelijke fusie" counts less); at least TITLE_MATCH_MIN."""
        title = set(stems((passage.section or "").split("›")[-1]))
        shared = len(title & set(self.q))
        if shared < TITLE_MATCH_MIN:
            return 0.0
        return TITLE_WEIGHT * shared * shared / len(title)

    def quote_line(self, chosen: Sequence[Quote]) -> str:
        """Quotes joined as running text, each followed by its passage's marker."""
        self._quoted.update(q.text for q in chosen)
        return " ".join(f"{q.text} {self.cite(q.passage)}" for q in chosen)

    def fresh(self, candidates: Sequence[Quote]) -> list[Quote]:
        """Candidates not quoted earlier in this answer (no sentence is said twice)."""
        return [q for q in candidates if q.text not in self._quoted]

    # --- sections ---------------------------------------------------------------------------

    def herkenning(self) -> Section:
        s = self.situation
        doc = doc_name(self.sources, HANDREIKING)
        lines: list[str] = []
        if is_english(self.context.question):
            lines.append(P.T_ENGLISH)
        first: list[str] = []
        if self.sv:
            conf = s.scores.get("confidence", {}).get("spanningsveld", s.confidence)
            if not self._question_names_spanningsveld():
                # only the retrieved passages' tags point there: say so, not "redelijk zeker"
                conf = min(conf, UNSURE_CONFIDENCE)
            template = P.T_SPANNINGSVELD if conf >= 0.4 else P.T_SPANNINGSVELD_UNSURE
            first.append(
                template.format(n=self.sv, doc=doc, label=SPANNINGSVELDEN[self.sv], zekerheid=confidence_word(conf))
            )
        else:
            first.append(P.T_SPANNINGSVELD_UNKNOWN.format(doc=doc))
        if s.fase:
            first.append(P.T_FASE.format(fase=s.fase))
        if s.fusievorm:
            first.append(P.T_FUSIEVORM.format(fusievorm=s.fusievorm))
        if not s.fase and not s.fusievorm:
            first.append(P.T_SITUATION_UNKNOWN)
        lines.append(" ".join(first))

        described = self._describe()
        if described:
            lines.append(P.T_GUIDES_SAY)
            lines.append("> " + self.quote_line(described))
        case = self._case()
        if case:
            lines.append(P.T_CASE_INTRO.format(doc=doc_name(self.sources, case[0].passage.document)))
            lines.append("> " + self.quote_line(case))
        return Section("herkenning", "\n\n".join(lines))

    def _question_names_spanningsveld(self) -> bool:
        """Whether the question (or an earlier user turn) itself has a cue of its spanningsveld."""
        text = " ".join([*(m.content for m in self.context.history if m.role == "user"), self.context.question])
        return cue_scores(text, SPANNINGSVELD_CUES).get(self.sv or "", 0.0) > 0

    def _describe(self) -> list[Quote]:
        """Sentences that describe the situation: from the §1.2 section of the spanningsveld, or
        (spanningsveld unknown) from the best retrieved text passages."""
        if self.sv:
            pool = [
                p for p in self.sources.in_document(HANDREIKING)
                if p.kind == "text" and section_spanningsveld(p) == self.sv
            ]
            bonus = 0.0
        else:
            pool = [p for p in self.context.passages[:5] if p.kind in ("text", "facet", "myth")]
            bonus = 0.0
        cands = [q for p in pool for q in quotes(p, self.q_all, weights=self.weights, q_concepts=self.concepts, need_verb=True)]
        for q in cands:
            q.score += bonus + self.retrieval_bonus(q.passage, 0.5)
            if not self.sv:
                q.score += self.title_bonus(q.passage)
        if not cands:
            return []
        best = best_quotes(cands, 2)
        if best and best[0].score == 0 and len(best) > 1:
            best = best[:1]
        return best if self.sv or (best and best[-1].score > 0) else []

    def _case(self) -> list[Quote]:
        """The 'Uit de praktijk gegrepen' vignette that fits best: title quote + matching lines."""
        groups: dict[tuple[str, str], list[Passage]] = {}
        for p in self.sources.of_kind("case"):
            groups.setdefault((p.document, p.section or p.id), []).append(p)
        best: tuple[float, list[Passage]] | None = None
        for members in groups.values():
            text = " ".join(p.text for p in members)
            score = overlap(self.q_all, text, self.weights)
            if score < MIN_CASE_OVERLAP:
                continue
            if self.sv and section_spanningsveld(members[0]) == self.sv:
                score += 2.0
            score += max(self.retrieval_bonus(p) for p in members)
            if best is None or score > best[0]:
                best = (score, members)
        if best is None or best[0] < MIN_CASE_SCORE:
            return []
        members = best[1]
        cands: list[Quote] = []
        offset = 0
        for p in members:
            for q in quotes(p, self.q_all, min_len=20, weights=self.weights, q_concepts=self.concepts):
                q.position += offset
                cands.append(q)
            offset += 1000
        if not cands:
            return []
        title = _title_quote(members[0]) or cands[0]
        cands = [q for q in cands if q.text not in title.text]
        rest = [q for q in cands if q is not title and q.score > 0]
        return [title, *best_quotes(rest, 3)]

    def opties(self) -> Section:
        lines: list[str] = []
        interventions = self._interventions()
        if interventions:
            lines.append(P.T_OPTIONS_INTRO.format(doc=doc_name(self.sources, HANDREIKING)))
            lines.append("\n".join(interventions))
        facets = self._facets()
        if facets:
            lines.append(P.T_OPTIONS_FACETS.format(doc=doc_name(self.sources, WEGWIJZER)))
            lines.append("\n".join(facets))
        other = self._other()
        if other:
            lines.append(P.T_OPTIONS_OTHER)
            lines.append("\n".join(other))
        if not lines:
            lines.append(P.T_OPTIONS_NONE)
            fallback = self._other(min_score=0.0)
            if fallback:
                lines.append("\n".join(fallback))
        stances = self._stances()
        if stances:
            lines.append(stances[0])
            lines.append("\n".join(stances[1:]))
        return Section("opties", "\n\n".join(lines))

    def _intervention_score(self, p: Passage) -> float:
        s = self.situation
        score = 1.5 * overlap(self.q_all, p.text, self.weights) + self.retrieval_bonus(p)
        score += CONCEPT_WEIGHT * shared_concepts(self.concepts, p.text)
        sv = spanningsveld_key(p.spanningsveld)
        if self.sv:
            score += 3.0 if sv == self.sv else -1.0
        fase = fase_of(p)
        if s.fase:
            score += 2.0 if fase == s.fase else 0.0
        vorm = fusievorm_of(p)
        if s.fusievorm:
            # A Bijlage I row of another form fits only when little else does (a herindeling row
            # about (her)plaatsing for a werkorganisatie question is a stretch).
            score += 1.5 if vorm == s.fusievorm else -3.0
        return score

    def _interventions(self) -> list[str]:
        scored = sorted(
            ((self._intervention_score(p), i, p) for i, p in enumerate(self.sources.of_kind("intervention"))),
            key=lambda t: (-t[0], t[1]),
        )
        out: list[str] = []
        aims: set[str] = set()
        for score, _, p in scored:
            if len(out) >= MAX_INTERVENTIONS or score < MIN_OPTION_SCORE:
                break
            qs = quotes(p, self.q_all, weights=self.weights, q_concepts=self.concepts)
            if not qs:
                continue
            aim, bullets = qs[0], qs[1:]
            if aim.text in aims:
                continue  # Bijlage I repeats an aim over rows: show each aim once, its best row
            aims.add(aim.text)
            chosen = best_quotes(bullets, 2) if bullets else []
            body = BULLET_JOIN.join(q.text for q in chosen)
            self._quoted.update(q.text for q in (aim, *chosen))
            where = ", ".join(x for x in (p.fusievorm, p.fase) if x)
            meta = f" _(Bijlage I{', ' + where if where else ''})_"
            line = f"- **{aim.text}** {body}".rstrip()
            out.append(f"{line} {self.cite(p)}{meta}")
            self._used.add(p.id)
        return out

    def _facets(self) -> list[str]:
        s = self.situation
        chapters = FACET_CHAPTERS.get(s.fusievorm or "", ())
        scored: list[tuple[float, int, Passage]] = []
        for i, p in enumerate(self.sources.of_kind("facet")):
            text = p.text + " " + (p.facet_title or "")
            score = 1.5 * overlap(self.q_all, text, self.weights) + self.retrieval_bonus(p)
            score += CONCEPT_WEIGHT * shared_concepts(self.concepts, text)
            score += self._title_bonus(p.facet_title)
            if chapters and any(c in fold(p.section) for c in chapters):
                score += 1.0
            elif s.fusievorm and any(
                c in fold(p.section) for vorm, cs in FACET_CHAPTERS.items() if vorm != s.fusievorm for c in cs
            ):
                score -= 1.5  # a chapter about another form (SSC facets for an ambtelijke fusie)
            scored.append((score, i, p))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out: list[str] = []
        seen_facets: set[int | None] = set()
        for score, _, p in scored:
            if len(out) >= MAX_FACETS or score < MIN_OPTION_SCORE:
                break
            if p.facet in seen_facets and p.facet is not None:
                continue
            chosen = best_quotes(
                [
                    q for q in self.fresh(
                        quotes(p, self.q_all, weights=self.weights, q_concepts=self.concepts, need_verb=True)
                    )
                    if q.score > 0
                ],
                2,
            )
            if not chosen:
                continue
            seen_facets.add(p.facet)
            label = f"facet {p.facet}" if p.facet else section_tail(p.section, 1)
            if p.facet_title:
                label += f" ‘{p.facet_title}’"
            out.append(f"- {self.quote_line(chosen)} _({label})_")
        return out

    def _title_bonus(self, title: str | None) -> float:
        """Extra weight when a facet's own title names the question's subject: the title is what
        the facet is about ("Onenigheid binnen de leiding" for a blocking co-director)."""
        if not title:
            return 0.0
        return FACET_TITLE_WEIGHT * (
            overlap(self.q_all, title, self.weights) + CONCEPT_WEIGHT * shared_concepts(self.concepts, title)
        )

    def _other(self, min_score: float = 2.5) -> list[str]:
        """Best sentence of each retrieved passage not used yet; it must share a word or two
        concepts with the question itself (not only with earlier turns or synonyms)."""
        out: list[str] = []
        for p in self.context.passages:
            if len(out) >= MAX_OTHER:
                break
            if p.id in self._used or p.kind in ("role", "intervention", "facet", "case", "exercise"):
                continue
            chosen = best_quotes(
                [
                    q for q in self.fresh(
                        quotes(p, self.q_all, weights=self.weights, q_concepts=self.concepts, need_verb=True)
                    )
                    if q.score >= min_score
                    and (min_score == 0 or overlap(self.q, q.text) > 0 or shared_concepts(self.concepts, q.text) >= 2)
                ],
                1,
            )
            if not chosen:
                continue
            where = f"{self.sources.short_title(p.document)}, {section_tail(p.section, 1)}".rstrip(", ")
            out.append(f"- {self.quote_line(chosen)} _({where})_")
        return out

    def _stances(self) -> list[str]:
        """'Volgens X … [n]' lines for the first topic the guides disagree on that the question raises."""
        text = fold(" ".join([*(m.content for m in self.context.history if m.role == "user"), self.context.question]))
        for stance in STANCES:
            if not re.search(stance.trigger, text):
                continue
            if stance.needs_choice and not (
                _CHOICE_RE.search(text) or self.situation.fase in ("verkenning", "herijking of ontvlechting")
            ):
                continue
            out: list[str] = []
            for document, words in stance.sayings:
                p = self.sources.containing(words, document=document)
                if p is None:
                    continue
                found = [q for q in quotes(p, (), min_len=15) if " ".join(words.split()) in " ".join(q.text.split())]
                if not found:
                    continue
                line = P.T_DISAGREE_LINE.format(doc=doc_name(self.sources, document))
                out.append(f"- {line} “{found[0].text}” {self.cite(p)}")
            if len(out) >= 2:
                return [P.T_DISAGREE_INTRO.format(onderwerp=stance.topic), *out]
        return []

    def rollen(self) -> Section:
        chosen = self.role
        self.roles = perspectives(
            self.context.question, self.ranking, self.sources, self.registry, chosen=chosen,
            q_stems=self.q_all, weights=self.weights, q_concepts=self.concepts,
        )
        best = self.ranking[0][0]
        lines = [P.T_ROLES_INTRO.format(Doc=doc_name(self.sources, HANDREIKING, capital=True))]
        items = []
        for rp in self.roles:
            notes = []
            if rp.role == chosen:
                notes.append(P.T_ROLE_CHOSEN)
            if rp.role == best:
                notes.append(P.T_ROLE_BEST)
            label = f"**{rp.role}**" + (f" ({'; '.join(notes)})" if notes else "")
            items.append(f"- {label}: {rp.text or P.T_ROLE_NO_TEXT}")
        lines.append("\n".join(items))
        return Section("rollen", "\n\n".join(lines))

    def reflectie(self) -> Section | None:
        # The question's own words, plus the theme of its spanningsveld and best role (half weight),
        # so a question without overlap still gets a reflection that fits its situation.
        q = list(self.q_all)
        weights = dict(self.weights)
        for hint in (REFLECTION_HINTS.get(self.sv or ""), REFLECTION_HINTS.get(self.ranking[0][0])):
            for w in stems(hint or ""):
                if w not in weights:
                    weights[w] = 0.5
                    q.append(w)
        cands: list[Quote] = []
        pool: list[tuple[Passage, float]] = [(p, 1.0) for p in self.sources.of_kind("exercise")]
        pool += [
            (p, 0.5) for p in self.sources.in_document(HANDREIKING)
            if p.kind == "text" and re.search(r"\b2\.[45]\b", p.section or "")
        ]
        pool += [(p, 0.0) for p in self.context.passages if p.kind in ("text", "facet", "myth")]
        seen: set[str] = set()
        for p, bonus in pool:
            if p.id in seen:
                continue
            seen.add(p.id)
            for quote in quotes(p, q, min_len=20, weights=weights):
                if not quote.text.rstrip("”’\"' ").endswith("?") or _FOLLOW_ON_RE.match(quote.text):
                    continue
                quote.score += bonus + self.retrieval_bonus(p, 1.0)
                cands.append(quote)
        if not cands:
            return None
        top = sorted(cands, key=lambda q: -q.score)[0]
        doc = doc_name(self.sources, top.passage.document)
        body = f"{P.T_REFLECT_INTRO.format(doc=doc)}\n\n> {top.text} {self.cite(top.passage)}"
        return Section("reflectie", body)

    def bronnen(self) -> Section:
        lines = []
        for c in self.registry.citations():
            where = section_tail(c.section) or c.title
            passage = self.sources.passage(c.passage_id)
            if passage is not None and passage.facet and f"{passage.facet}" not in where:
                where = f"facet {passage.facet}: {where}"
            lines.append(P.T_SOURCE_LINE.format(n=c.n, doc=self.sources.short_title(c.document), where=where))
        return Section("bronnen", "\n".join(f"{line}  " for line in lines).rstrip())

    # --- the answer ---------------------------------------------------------------------------

    def overzicht(self) -> Section | None:
        """The list a question asks for ("Wat zijn de zeven stops?"), read from the guide's
        structure, one cited line per item; None when the question asks for no list."""
        if asks_for_sources(self.context.question):
            return self.bronnen_overzicht()
        framework = detect_framework(self.context.question)
        if framework is None:
            return None
        found = framework_items(framework, self.sources)
        if not found:
            return None
        intro = P.T_OVERVIEW_INTRO.format(doc=doc_name(self.sources, framework.document), label=framework.label)
        lines = []
        for i, item in enumerate(found, start=1):
            what = P.T_OVERVIEW_WHAT.format(sentence=item.sentence) if item.sentence else ""
            lines.append(P.T_OVERVIEW_ITEM.format(i=i, title=item.title, what=what, marker=self.cite(item.passage)))
            self._quoted.add(item.sentence)
        parts = [intro, "\n".join(lines)]
        # The rest of the question ("… en waar komen ze vandaan?"): the best other retrieved lines.
        listed = {item.passage.id for item in found}
        pool = [p for p in self.context.passages[:5] if p.kind in ("text", "facet", "myth") and p.id not in listed]
        own = set(self.q_all)
        cands = [
            q for p in pool for q in quotes(p, self.q_all, weights=self.weights, need_verb=True)
            if len(own & set(stems(q.text))) >= 2  # one shared word ("drie") is a coincidence
        ]
        extra = best_quotes(self.fresh(cands), 2)
        if extra:
            parts += [P.T_OVERVIEW_ALSO, "> " + self.quote_line(extra)]
        return Section("overzicht", "\n\n".join([*parts, P.T_OVERVIEW_MORE]))

    def bronnen_overzicht(self) -> Section | None:
        """"Welke bronnen gebruik je?" / "Wie schreef de Wegwijzer?": the documents from the
        manifest (title, author, publisher, year where the text gives them), each citing its
        opening passage so it opens in the reader."""
        documents = named_documents(self.context.question, self.sources)
        lines = []
        for i, doc in enumerate(documents, start=1):
            first = next(iter(self.sources.in_document(doc.id)), None)
            if first is None:
                continue
            facts = [
                f"{label}: {getattr(doc, field)}" for label, field in P.T_SOURCES_FACTS
                if getattr(doc, field) and getattr(doc, field) != "onbekend"
            ]
            details = (" – " + "; ".join(facts) + ".") if facts else P.T_SOURCES_NO_FACTS
            line = P.T_SOURCES_ITEM.format(title=doc.title, details=details, marker=self.cite(first))
            lines.append(f"{i}. {line}" if len(documents) > 1 else line)
        if not lines:
            return None
        intro = P.T_SOURCES_ONE if len(documents) == 1 else P.T_SOURCES_INTRO
        return Section("overzicht", "\n\n".join([intro, "\n".join(lines), P.T_SOURCES_MORE]))

    def iter_sections(self) -> Iterator[Section]:
        overview = self.overzicht()
        if overview is not None:
            yield overview
            yield self.bronnen()
            return
        yield self.herkenning()
        yield self.opties()
        yield self.rollen()
        reflect = self.reflectie()
        if reflect is not None:
            yield reflect
        yield self.bronnen()

    def answer_of(self, sections: Sequence[Section]) -> Answer:
        return Answer(
            question=self.context.question,
            answer="\n\n".join(s.markdown() for s in sections),
            mode="bronnen",
            in_scope=True,
            situation=self.situation,
            # An overview lists a guide's framework; no role is "best" for it.
            primary_role=None if any(s.key == "overzicht" for s in sections) else (
                self.reading.primary_role if self.reading else self.ranking[0][0]
            ),
            roles=list(self.roles),
            citations=self.registry.citations(),
            passages=list(self.context.passages),
            notice=self.notice,
        )


def iter_answers(
    context: Context,
    sources: Sources,
    *,
    role: str | None = None,
    situation: Situation | None = None,
    reading: Reading | None = None,
    notice: str | None = None,
) -> Iterator[Answer]:
    """Growing partial answers, one more section each time; the last one is the full answer."""
    composer = Composer(context, sources, situation=situation, role=role, reading=reading, notice=notice)
    done: list[Section] = []
    for section in composer.iter_sections():
        done.append(section)
        yield composer.answer_of(done)


def compose(
    context: Context,
    sources: Sources,
    *,
    role: str | None = None,
    situation: Situation | None = None,
) -> Answer:
    """The complete bronnenmodus answer for ``context`` (see the module docstring)."""
    answer: Answer | None = None
    for answer in iter_answers(context, sources, role=role, situation=situation):
        pass
    assert answer is not None
    return answer


def retrieved(passages: Sequence[Passage]) -> list[RetrievedPassage]:
    """Wrap plain passages as a ranked retrieval result (tests, tools)."""
    return [
        RetrievedPassage(**p.model_dump(), rank=i, score=round(1.0 / i, 6))
        for i, p in enumerate(passages, start=1)
    ]
