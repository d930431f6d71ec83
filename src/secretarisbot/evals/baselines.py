"""The obvious alternatives the product is compared with. They rank passages; they do not answer.

- ``naive``: LangChain ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over
  the RAW texts of ``corpus/``, the product's embedder (``make_embeddings(settings)``), a Chroma
  collection in a temporary folder, top-k by cosine similarity.
- ``bm25``: plain Okapi BM25 (``bm25s``, lowercase word tokens, no stemming, no stopwords) over
  the same chunks.

Both see a follow-up as the earlier question and the follow-up joined by a space (the simplest
history handling a naive RAG would have).

    >>> with NaiveDense(settings) as naive:
    ...     [c.document for c in naive.search("Elk college denkt er het zijne over", k=3)]
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secretarisbot.corpus import load_documents
from secretarisbot.settings import Settings, get_settings

BASELINES: tuple[str, ...] = ("naive", "bm25")
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
EMBED_BATCH = 16

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Chunk:
    """One naive chunk of a raw text."""

    id: str
    document: str
    text: str
    start: int
    rank: int = 0
    score: float = 0.0


def naive_chunks(settings: Settings | None = None) -> list[Chunk]:
    """All naive chunks of the raw corpus texts, in corpus order."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    settings = get_settings(settings)
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    chunks: list[Chunk] = []
    for doc in load_documents(settings):
        raw = (Path(settings.corpus_dir) / doc.file).read_text(encoding="utf-8")
        for i, piece in enumerate(splitter.create_documents([raw])):
            chunks.append(
                Chunk(id=f"{doc.id}-naive-{i:04d}", document=doc.id, text=piece.page_content,
                      start=int(piece.metadata.get("start_index", -1)))
            )
    return chunks


class PlainBM25:
    """BM25 over the naive chunks (bm25s defaults: lowercase ``\\w\\w+`` tokens)."""

    name = "bm25"

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bm25s

        self.chunks = list(chunks)
        self._bm25 = bm25s.BM25()
        self._bm25.index(bm25s.tokenize([c.text for c in self.chunks], stopwords=None, show_progress=False),
                         show_progress=False)

    def search(self, query: str, k: int = 10) -> list[Chunk]:
        import bm25s

        tokens = bm25s.tokenize([query], stopwords=None, show_progress=False)
        if not tokens.vocab:
            return []
        k = min(k, len(self.chunks))
        ids, scores = self._bm25.retrieve(tokens, k=k, show_progress=False)
        out = []
        for rank, (i, score) in enumerate(zip(ids[0], scores[0], strict=True), start=1):
            if score <= 0:
                break
            c = self.chunks[int(i)]
            out.append(Chunk(c.id, c.document, c.text, c.start, rank=rank, score=float(score)))
        return out

    def __enter__(self) -> PlainBM25:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class NaiveDense:
    """The naive RAG: same embedder as the product, a throw-away Chroma collection, top-k."""

    name = "naive"

    def __init__(self, settings: Settings | None = None, chunks: Sequence[Chunk] | None = None,
                 progress: Progress | None = None) -> None:
        from secretarisbot.index.embeddings import make_embeddings

        self.settings = get_settings(settings)
        self.chunks = list(chunks) if chunks is not None else naive_chunks(self.settings)
        self.embeddings = make_embeddings(self.settings)
        self._dir = Path(tempfile.mkdtemp(prefix="secretarisbot-naive-"))
        self._collection = self._build(progress)

    def _vectors(self, progress: Progress | None) -> list[list[float]]:
        """Chunk vectors, reusing the product's embedding cache (same embedder id, same text hash)."""
        from secretarisbot.index.cache import EmbeddingCache, text_hash

        texts = [c.text for c in self.chunks]
        hashes = [text_hash(t) for t in texts]
        cache = EmbeddingCache(self.settings.embedding_cache_dir)
        try:
            known = cache.get_many(self.embeddings.embedder_id, hashes)
            todo = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items(),
                          key=lambda item: len(item[1]))
            done = len(hashes) - len(todo)
            if progress:
                progress(done, len(hashes))
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                fresh = dict(zip([h for h, _ in batch], self.embeddings.embed_documents([t for _, t in batch]),
                                 strict=True))
                cache.put(self.embeddings.embedder_id, fresh)
                known.update(fresh)
                done += len(batch)
                if progress:
                    progress(done, len(hashes))
        finally:
            close = getattr(cache, "close", None)
            if close:
                close()
        return [known[h] for h in hashes]

    def _build(self, progress: Progress | None) -> Any:
        from secretarisbot.index.chroma import persistent_client

        vectors = self._vectors(progress)
        self._client = persistent_client(self._dir)
        collection = self._client.create_collection(
            "naive", configuration={"hnsw": {"space": "cosine", "ef_search": 200}}
        )
        for start in range(0, len(self.chunks), 500):
            part = self.chunks[start : start + 500]
            collection.add(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + 500],
                documents=[c.text for c in part],
                metadatas=[{"document": c.document, "start": c.start} for c in part],
            )
        return collection

    def search(self, query: str, k: int = 10) -> list[Chunk]:
        vector = self.embeddings.embed_query(query)
        k = min(k, len(self.chunks))
        res = self._collection.query(query_embeddings=[vector], n_results=k,
                                     include=["documents", "metadatas", "distances"])
        out = []
        for rank, (cid, text, meta, dist) in enumerate(
            zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True), start=1
        ):
            out.append(Chunk(cid, str(meta["document"]), text, int(meta["start"]), rank=rank, score=1.0 - float(dist)))
        return out

    def close(self) -> None:
        try:
            self._client.clear_system_cache()
        except Exception:  # noqa: BLE001 - best effort before removing the folder
            pass
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> NaiveDense:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def baseline_query(question: str, previous: str = "") -> str:
    """What a baseline searches for: a follow-up is joined to its earlier question."""
    return f"{previous.strip()} {question.strip()}".strip()


def make_baselines(settings: Settings | None = None, names: Sequence[str] = BASELINES,
                   progress: Progress | None = None) -> dict[str, NaiveDense | PlainBM25]:
    """Build the named baselines over one shared set of naive chunks."""
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise ValueError(f"unknown baseline(s) {unknown}; valid: {', '.join(BASELINES)}")
    settings = get_settings(settings)
    chunks = naive_chunks(settings)
    out: dict[str, NaiveDense | PlainBM25] = {}
    for name in names:
        out[name] = NaiveDense(settings, chunks, progress) if name == "naive" else PlainBM25(chunks)
    return out
