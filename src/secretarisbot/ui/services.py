"""What the UI needs from the rest of the package, opened lazily and failing softly.

The app must start even when the index is missing or broken: the reader and the reflection then
fall back to the corpus texts themselves, and the page shows a Dutch banner naming the command
that fixes it (``secretarisbot index``).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from typing import Any

from secretarisbot.errors import SecretarisbotError
from secretarisbot.model import Document, Passage
from secretarisbot.settings import Settings, get_settings

log = logging.getLogger("secretarisbot.ui")

INDEX_HINT = "Bouw de index met: secretarisbot index"
#: Characters of text ``related`` searches with.
MAX_RELATED = 4000


class Services:
    """Lazily opened index, retriever and assistant; injected stand-ins win (tests)."""

    def __init__(self, settings: Settings | None = None, *, assistant: Any = None, index: Any = None) -> None:
        self.settings = get_settings(settings)
        #: With a login each person's data is theirs (see ui/profiles.py); without, one browser's.
        self.login = bool(self.settings.auth and self.settings.auth.strip())
        self._assistant = assistant
        # The real Assistant already holds an opened index and retriever: share them rather than
        # open a second Chroma client and BM25 index. Injected stand-ins (tests) keep their own.
        self._shares_assistant = assistant is None and index is None
        self._index = index
        self._retriever: Any = None
        self._lock = threading.Lock()
        self._documents: list[Document] | None = None
        self._texts: dict[str, str] = {}
        self._passages: list[Passage] | None = None
        self.index_error: str | None = None
        #: Bumped when a rebuilt index replaces the open one (caches keyed on the index reset).
        self.generation = 0

    # --- index -------------------------------------------------------------------------------

    def index(self) -> Any | None:
        """The opened index, or None (then ``index_error`` holds the Dutch reason)."""
        if self._index is not None:
            if self._shares_assistant:
                self._follow_assistant()
            return self._index
        with self._lock:
            if self._index is not None:
                return self._index
            try:
                if self._shares_assistant:
                    self._index = self.assistant().index
                else:
                    from secretarisbot.index.store import open_index

                    self._index = open_index(self.settings)
                self.index_error = None
            except SecretarisbotError as err:
                self.index_error = str(err)
            except ImportError:
                log.exception("index module not available")
                self.index_error = f"De index kan niet worden geopend. {INDEX_HINT}"
            except Exception as err:
                log.exception("opening the index failed")
                self.index_error = (
                    f"De index kan niet worden geopend ({type(err).__name__}). Kijk in het log van de app; "
                    f"helpt dat niet, bouw hem opnieuw met: secretarisbot index --rebuild"
                )
        return self._index

    def _follow_assistant(self) -> None:
        """After a rebuild the Assistant opens the new build; the reader and the reflection follow,
        so offsets in new answers and the texts they point into come from the same build."""
        try:
            current = self.assistant().index
        except Exception:
            return  # keep what is open; the chat reports the problem itself
        if current is not self._index:
            with self._lock:
                self._index = current
                self._documents = None
                self._passages = None
                self._texts = {}
                self._retriever = None
                self.generation += 1

    def index_banner(self) -> str:
        """A Dutch banner text when the index is unusable, else ''."""
        self.index()
        return self.index_error or ""

    # --- corpus views (index first, corpus as fallback) ---------------------------------------

    def documents(self) -> list[Document]:
        if self._documents is None:
            idx = self.index()
            docs = getattr(idx, "documents", None) if idx is not None else None
            if not docs:
                from secretarisbot.corpus import load_documents

                docs = load_documents(self.settings)
            self._documents = list(docs)
        return self._documents

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents() if d.id == doc_id), None)

    def text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            idx = self.index()
            text = None
            if idx is not None:
                try:
                    text = idx.normalized(doc_id)
                except Exception:
                    log.exception("normalized text of %s from the index failed", doc_id)
            if text is None:
                from secretarisbot.corpus import normalize_document

                doc = self.document(doc_id)
                if doc is None:
                    raise KeyError(doc_id)
                text = normalize_document(doc, self.settings)
            self._texts[doc_id] = text
        return self._texts[doc_id]

    def passages(self) -> list[Passage]:
        if self._passages is None:
            idx = self.index()
            ps = list(getattr(idx, "passages", None) or []) if idx is not None else []
            if not ps:
                from secretarisbot.corpus import load_passages

                ps = load_passages(self.settings)
            self._passages = ps
        return self._passages

    def passage(self, passage_id: str) -> Passage | None:
        idx = self.index()
        if idx is not None:
            try:
                p = idx.passage(passage_id)
                if p is not None:
                    return p
            except Exception:
                pass
        return next((p for p in self.passages() if p.id == passage_id), None)

    # --- assistant and retrieval --------------------------------------------------------------

    def assistant(self) -> Any:
        if self._assistant is None:
            from secretarisbot.assistant import Assistant

            self._assistant = Assistant(self.settings)
        return self._assistant

    def related(self, query: str, k: int = 3) -> list[Passage]:
        """Passages relevant to ``query``: the hybrid retriever when there is one, else lexical."""
        # Bounded before BM25 and the shared query embedder see it (the Spiegel cuts at 2,000).
        query = " ".join(query.split())[:MAX_RELATED]
        if not query:
            return []
        idx = self.index()
        if idx is not None:
            try:
                if self._retriever is None and self._shares_assistant:
                    self._retriever = self.assistant().retriever
                elif self._retriever is None:
                    from secretarisbot.retrieve.retriever import HybridRetriever

                    self._retriever = HybridRetriever(idx, self.settings)
                return list(self._retriever.retrieve(query, k=k).passages)[:k]
            except Exception:
                log.info("retriever not available, using the lexical fallback", exc_info=True)
        return lexical_search(self.passages(), query, k)

    def mode_label(self) -> str:
        s = self.settings
        if not s.llm:
            return "Bronnenmodus: antwoorden bestaan uit geciteerde passages uit de vijf handreikingen."
        name = s.llm_model or s.llm
        return f"Taalmodel: {name} (valt terug op bronnenmodus als het niet reageert)."


@functools.lru_cache(maxsize=20000)
def _passage_stems(text: str) -> frozenset[str]:
    from secretarisbot.text import stems

    return frozenset(stems(text, min_len=3))


def lexical_search(passages: Sequence[Passage], query: str, k: int = 3) -> list[Passage]:
    """A small word-overlap ranking, the fallback when no retriever is available."""
    wanted = set(_passage_stems(query))
    if not wanted:
        return []
    scored = []
    for p in passages:
        have = _passage_stems(p.text)
        score = len(wanted & have) / (1 + len(have)) ** 0.5
        if score > 0:
            scored.append((score, p))
    scored.sort(key=lambda t: -t[0])
    return [p for _, p in scored[:k]]
