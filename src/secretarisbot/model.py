"""The one data model that flows through everything.

    Document ─┐
    Passage ──┴─> (retrieval) RetrievedPassage ─> Context ─> (composition) Answer + Citation

All records are pydantic models, so ``answer.model_dump(mode="json")`` is the JSON contract that the
CLI, the app and the evals share. Vocabulary (roles, spanningsvelden, phases, forms, kinds) lives
here too, so every module spells them the same way.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# --- vocabulary ----------------------------------------------------------------------------

ROLES: tuple[str, ...] = ("Politicus", "Veranderkundige", "Goede werkgever", "Bedrijfseconoom")

#: The three spanningsvelden of the 2026 handreiking (§1.2), keyed by their number.
SPANNINGSVELDEN: dict[str, str] = {
    "1": "Publieke waarde – organisatie",
    "2": "Publieke waarde – draagvlak",
    "3": "Organisatie – draagvlak",
}

#: Canonical phases used by situation analysis.
FASES: tuple[str, ...] = (
    "verkenning",
    "tijdens het fusieproces",
    "na de fusie / draaiend systeem",
    "weeffouten signaleren",
    "herijking of ontvlechting",
)

#: Phase headings of Bijlage I (as the text spells them) -> canonical phase.
BIJLAGE_FASES: dict[str, str] = {
    "Verkenningfase": "verkenning",
    "Tijdens het fusieproces": "tijdens het fusieproces",
    "Na de fusie": "na de fusie / draaiend systeem",
    "Na de fusie/Als 'draaiend systeem'": "na de fusie / draaiend systeem",
    "Signaleren van weeffouten": "weeffouten signaleren",
    "Herijking/Na de breuk": "herijking of ontvlechting",
}

FUSIEVORMEN: tuple[str, ...] = ("herindeling", "ambtelijke fusie", "andere samenwerking")

Kind = Literal["text", "case", "role", "exercise", "intervention", "myth", "checklist", "facet"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

Mode = Literal["bronnen", "llm"]


def content_id(*parts: str, length: int = 12) -> str:
    """A short stable hash of ``parts``: same content, same id, across rebuilds."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


# --- corpus --------------------------------------------------------------------------------


class Document(BaseModel):
    """One source text, as described in ``corpus/manifest.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Three-digit id, the number the original file name starts with: '000'.")
    file: str = Field(description="File name inside corpus/.")
    source_file: str = Field(description="Original file name in shared/corpus-source/.")
    title: str
    subtitle: str = ""
    short_title: str = Field(default="", description="Short name used in answers, e.g. 'Wegwijzer'.")
    aliases: list[str] = Field(
        default_factory=list, description="Other names people use for it ('Korsten' for SETA)."
    )
    author: str = "onbekend"
    publisher: str = "onbekend"
    year: str = "onbekend"
    usage: str = Field(default="", description="Usage statement quoted from the text, if it has one.")

    def fact(self, field: str) -> str | None:
        """``author``, ``publisher`` or ``year`` as the text states it; None where the manifest says
        "onbekend" (the text does not say)."""
        value = str(getattr(self, field) or "").strip()
        return value if value and value.lower() != "onbekend" else None


class Passage(BaseModel):
    """A retrievable unit of a normalised document; ``text == normalized[start:end]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Stable id: '<document>-<hash of section and text>'.")
    document: str = Field(description="Document id, e.g. '000'.")
    title: str = Field(description="Document title.")
    section: str = Field(description="Section path, e.g. 'Hoofdstuk 1 › 1.2.3 Spanningsveld 3'.")
    kind: Kind = "text"
    text: str
    start: int = Field(ge=0, description="Character offset into the normalised document.")
    end: int = Field(ge=0)
    spanningsveld: str | None = Field(default=None, description="Intervention rows: a SPANNINGSVELDEN value.")
    fase: str | None = Field(default=None, description="Intervention rows: the Bijlage I phase heading.")
    fusievorm: str | None = Field(default=None, description="Intervention rows: a FUSIEVORMEN value.")
    facet: int | None = Field(default=None, description="Wegwijzer: facet number 1-100.")
    facet_title: str | None = None
    role: str | None = Field(default=None, description="Role passages: one of ROLES.")

    @staticmethod
    def make_id(document: str, section: str, text: str) -> str:
        return f"{document}-{content_id(section, text)}"


#: Labels a question-bank entry may carry (corpus/questions/*.yaml): what the question is about.
ONDERWERPEN: tuple[str, ...] = ("beroep", "fusie")
#: Kinds of out-of-scope bank questions.
OUT_OF_SCOPE_CATEGORIES: tuple[str, ...] = ("near-domain", "domain-flavoured", "everyday", "abuse")


class BankQuestion(BaseModel):
    """A question of the question bank: written for one passage (``scope == "in"``), or one the
    guides do not answer (``scope == "out"``). Labels say what the question is about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Content hash of scope, passage or topic, and text.")
    text: str
    scope: Literal["in", "out"]
    passage_id: str | None = Field(default=None, description="In scope: the passage it was written for.")
    anchor: str = Field(default="", description="In scope: the verbatim phrase of the passage it was written on.")
    document: str | None = None
    roles: tuple[str, ...] = Field(default=(), description="Role types (ROLES) the question is about.")
    fase: str | None = Field(default=None, description="A FASES value.")
    fusievorm: str | None = Field(default=None, description="A FUSIEVORMEN value.")
    spanningsveld: str | None = Field(default=None, description="A SPANNINGSVELDEN key.")
    onderwerp: str | None = Field(default=None, description="'beroep' (the profession) or 'fusie'.")
    category: str | None = Field(default=None, description="Out of scope: an OUT_OF_SCOPE_CATEGORIES value.")
    topic: str | None = Field(default=None, description="Out of scope: the topic the question is on.")


class RetrievedPassage(Passage):
    """A passage as retrieval returns it: with its 1-based rank and fused score."""

    rank: int = Field(ge=1)
    score: float


class Message(BaseModel):
    """One turn of a conversation."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    content: str


class Context(BaseModel):
    """What retrieval hands to composition: the question, how it was searched, what was found."""

    question: str
    query: str = Field(description="The search query after follow-up resolution and synonym expansion.")
    history: list[Message] = Field(default_factory=list)
    passages: list[RetrievedPassage] = Field(default_factory=list)
    filters: dict[str, str] = Field(default_factory=dict)


# --- answers -------------------------------------------------------------------------------


class Citation(BaseModel):
    """The passage behind an ``[n]`` marker in an answer."""

    n: int = Field(ge=1)
    passage_id: str
    document: str
    title: str
    section: str
    kind: Kind
    text: str
    start: int
    end: int

    quotes: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Offsets (into ``text``) of the sentences the answer quotes: the reader highlights them.",
    )

    @classmethod
    def of(cls, n: int, passage: Passage) -> Citation:
        return cls(
            n=n,
            passage_id=passage.id,
            document=passage.document,
            title=passage.title,
            section=passage.section,
            kind=passage.kind,
            text=passage.text,
            start=passage.start,
            end=passage.end,
        )


class Situation(BaseModel):
    """Where a question sits on the guides' maps. ``None`` means unknown, a valid answer."""

    spanningsveld: str | None = Field(default=None, description="A SPANNINGSVELDEN value or None.")
    fase: str | None = Field(default=None, description="A FASES value or None.")
    fusievorm: str | None = Field(default=None, description="A FUSIEVORMEN value or None.")
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    scores: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Per dimension, the score of every candidate label."
    )


class RolePerspective(BaseModel):
    """A short perspective on the question from one role type, with the [n] it rests on."""

    role: str
    text: str
    citations: list[int] = Field(default_factory=list)


SectionKind = Literal[
    "kern", "lead", "overview", "situation", "options", "roles", "stances", "reflection", "help", "more", "text"
]


class AnswerItem(BaseModel):
    """One line of an answer section: a verbatim quote with its ``[n]``, or a fixed template line."""

    text: str = ""
    quote: bool = Field(default=True, description="Verbatim from the cited passage (False: template text).")
    citations: list[int] = Field(default_factory=list)
    label: str = Field(default="", description="What the item is: 'Wegwijzer, facet 48 Troubleshooten …'.")
    role: str | None = None
    passage_id: str | None = Field(default=None, description="'more' items: the passage the title opens.")


class AnswerSection(BaseModel):
    """A typed part of an answer; rendered to Markdown only at the edges (CLI, app, export, prompt)."""

    kind: SectionKind
    title: str = ""
    intro: str = Field(default="", description="A fixed template sentence before the items.")
    items: list[AnswerItem] = Field(default_factory=list)
    folded: bool = Field(default=False, description="Shown folded in the app (further passages, other roles).")


class Answer(BaseModel):
    """The answer contract shared by the Python API, the CLI (--json), the app and the evals."""

    question: str
    answer: str = Field(description="Markdown with [n] markers: ``sections`` rendered (secretarisbot.render).")
    sections: list[AnswerSection] = Field(default_factory=list)
    follow_ups: list[str] = Field(
        default_factory=list, description="Suggested next questions (from the question bank, near this answer)."
    )
    mode: Mode = "bronnen"
    in_scope: bool = True
    situation: Situation = Field(default_factory=Situation)
    primary_role: str | None = None
    roles: list[RolePerspective] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    passages: list[RetrievedPassage] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    notice: str | None = Field(default=None, description="E.g. the fallback notice when the LLM failed.")

    def to_json(self) -> str:
        return self.model_dump_json()
