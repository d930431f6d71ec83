"""Corpus: the five source texts, their manifest, normalisation and structure-aware chunking.

Public API (stable; the index, retrieval, UI and evals use only this):

- ``load_documents(settings) -> list[Document]``      the manifest, in id order
- ``normalize_document(doc, settings) -> str``        the normalised text of one document
- ``load_passages(settings) -> list[Passage]``        every passage of every document, in order
- ``write_normalized(settings) -> list[Path]``        ``<normalized_dir>/<id>.txt`` per document

``passage.text == normalize_document(doc)[passage.start:passage.end]`` always holds.

Modules: ``normalize`` (markup, OCR correction table, line joins), ``profiles`` (per-document
anchors and heading forms), ``structure`` (lines → headings, paragraphs, list items, table rows),
``chunk`` (blocks → passages), ``api`` (the entry points above).
"""

from secretarisbot.corpus.api import load_documents, load_passages, normalize_document, write_normalized
from secretarisbot.corpus.chunk import CHUNKER_VERSION

__all__ = ["CHUNKER_VERSION", "load_documents", "load_passages", "normalize_document", "write_normalized"]
