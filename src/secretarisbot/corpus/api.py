"""Entry points of the corpus package (see the package docstring)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from secretarisbot.corpus.chunk import CHUNKER_VERSION, spans
from secretarisbot.corpus.profiles import PROFILES, Profile
from secretarisbot.corpus.structure import Block, parse, render
from secretarisbot.model import Document, Passage
from secretarisbot.settings import Settings, get_settings

MANIFEST = "manifest.yaml"

__all__ = [
    "CHUNKER_VERSION",
    "Parsed",
    "load_documents",
    "load_passages",
    "normalize_document",
    "parse_document",
    "passages_of",
    "write_normalized",
]


def load_documents(settings: Settings | None = None) -> list[Document]:
    """The documents of ``corpus/manifest.yaml``, in id order."""
    settings = get_settings(settings)
    raw = yaml.safe_load((Path(settings.corpus_dir) / MANIFEST).read_text(encoding="utf-8"))
    docs = [Document(**entry) for entry in raw["documents"]]
    return sorted(docs, key=lambda d: d.id)


@dataclass(frozen=True)
class Parsed:
    """A document after normalisation: its text and the blocks it was rendered from."""

    text: str
    blocks: tuple[Block, ...]


def _read(doc: Document, settings: Settings) -> str:
    return (Path(settings.corpus_dir) / doc.file).read_text(encoding="utf-8")


#: Parsed documents by (id, sha256 of the source text): parsing is deterministic, so a text that
#: did not change is parsed once per process.
_CACHE: dict[tuple[str, str], Parsed] = {}


def parse_document(doc: Document, settings: Settings | None = None) -> Parsed:
    """Normalise ``doc``: its text and the structured blocks the text was rendered from."""
    settings = get_settings(settings)
    raw = _read(doc, settings)
    key = (doc.id, hashlib.sha256(raw.encode("utf-8")).hexdigest())
    if key not in _CACHE:
        profile = PROFILES.get(doc.id, Profile())
        blocks = parse(doc.id, raw, profile)
        text = render(blocks)
        _CACHE[key] = Parsed(text, tuple(blocks))
    return _CACHE[key]


def normalize_document(doc: Document, settings: Settings | None = None) -> str:
    """The normalised text of one document: what passages are sliced from."""
    return parse_document(doc, settings).text


def passages_of(doc: Document, parsed: Parsed) -> list[Passage]:
    """The passages of one parsed document, in text order."""
    out: list[Passage] = []
    for span in spans(parsed.text, parsed.blocks):
        text = parsed.text[span.start : span.end]
        block = span.block
        meta = block.meta
        section = block.section
        out.append(
            Passage(
                id=Passage.make_id(doc.id, section, text),
                document=doc.id,
                title=doc.title,
                section=section,
                kind=block.kind,  # type: ignore[arg-type]
                text=text,
                start=span.start,
                end=span.end,
                spanningsveld=meta.get("spanningsveld"),
                fase=meta.get("fase"),
                fusievorm=meta.get("fusievorm"),
                facet=meta.get("facet"),
                facet_title=meta.get("facet_title"),
                role=meta.get("role"),
            )
        )
    return out


def load_passages(settings: Settings | None = None) -> list[Passage]:
    """Every passage of every document, in corpus order."""
    settings = get_settings(settings)
    out: list[Passage] = []
    for doc in load_documents(settings):
        out.extend(passages_of(doc, parse_document(doc, settings)))
    return out


def write_normalized(settings: Settings | None = None) -> list[Path]:
    """Write ``<normalized_dir>/<id>.txt`` for every document; return the paths written."""
    settings = get_settings(settings)
    folder = Path(settings.normalized_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in load_documents(settings):
        path = folder / f"{doc.id}.txt"
        text = normalize_document(doc, settings)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".txt.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        paths.append(path)
    return paths
