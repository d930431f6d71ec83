"""The index manifest (``manifest.json``): what an index was built from, so a stale one is noticed.

Layout of one build folder (``<index_dir>/builds/<build id>/``, see ``swap.py``)::

    manifest.json        this record; written last, so its presence means the build completed
    documents.json       the Document records (corpus manifest) the index was built from
    passages.jsonl       every Passage, in corpus order (runtime never re-chunks)
    questions.jsonl      every BankQuestion of the question bank (anchors resolved to passage ids)
    normalized/<id>.txt  the normalised text of each document (passage offsets point into it)
    chroma-<token>/      the Chroma PersistentClient directory (absent when a server is used)
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST_FILE = "manifest.json"
DOCUMENTS_FILE = "documents.json"
PASSAGES_FILE = "passages.jsonl"
QUESTIONS_FILE = "questions.jsonl"
NORMALIZED_DIR = "normalized"
FORMAT = 1


class StoreLocation(BaseModel):
    """Where the vectors live: a Chroma directory inside the index, or a collection on a server."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["local", "http"]
    path: str | None = Field(default=None, description="local: Chroma directory, relative to the index.")
    url: str | None = Field(default=None, description="http: the Chroma server the index was built into.")
    collection: str
    questions_collection: str | None = Field(
        default=None, description="The question bank's collection (None: built without a bank)."
    )


class IndexManifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    format: int = FORMAT
    embedder_id: str
    dimension: int = Field(ge=1)
    corpus_hash: str = Field(description="sha256 over the files in corpus_dir (names and bytes).")
    chunker_version: str = Field(
        description="The corpus API's CHUNKER_VERSION, or 'passages:<hash>' when it has none."
    )
    passages_hash: str = Field(description="sha256 over the passages (ids, offsets, metadata, text).")
    passage_count: int = Field(ge=0)
    document_count: int = Field(ge=0)
    question_count: int = Field(default=0, ge=0)
    questions_hash: str = Field(default="", description="sha256 over the question bank's files.")
    store: StoreLocation
    files: dict[str, str] = Field(default_factory=dict, description="sha256 of documents/passages files.")
    built_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    build_seconds: float = 0.0
    secretarisbot_version: str = ""


class ManifestError(Exception):
    """manifest.json is missing (``missing=True``) or cannot be read."""

    def __init__(self, detail: str, *, missing: bool = False) -> None:
        super().__init__(detail)
        self.missing = missing


def read_manifest(index_dir: Path) -> IndexManifest:
    path = Path(index_dir) / MANIFEST_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise ManifestError(f"{MANIFEST_FILE} ontbreekt", missing=True) from err
    except OSError as err:
        raise ManifestError(f"{MANIFEST_FILE} is niet leesbaar: {err.strerror or type(err).__name__}") from err
    try:
        manifest = IndexManifest.model_validate_json(raw)
    except ValidationError as err:
        raise ManifestError(f"{MANIFEST_FILE} is ongeldig") from err
    if manifest.format != FORMAT:
        raise ManifestError(f"{MANIFEST_FILE} heeft formaat {manifest.format}, verwacht {FORMAT}")
    return manifest


def write_manifest(index_dir: Path, manifest: IndexManifest) -> None:
    write_atomic(Path(index_dir) / MANIFEST_FILE, manifest.model_dump_json(indent=2).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_fingerprint(corpus_dir: Path) -> str | None:
    """sha256 over the names and bytes of the regular files in ``corpus_dir`` (None if absent)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(path.name.encode("utf-8") + b"\x00")
        digest.update(path.read_bytes())
        digest.update(b"\x00")
    return digest.hexdigest()


def passages_fingerprint(passages_jsonl: bytes) -> str:
    return hashlib.sha256(passages_jsonl).hexdigest()


def dumps_json(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8")
