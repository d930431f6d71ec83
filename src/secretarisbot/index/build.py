"""Build the index: chunk the corpus, embed (with a cache), fill Chroma, swap the result in.

    >>> report = build_index(settings)            # second call with the same corpus: skipped
    >>> report.passages, report.embedded, report.reused, report.skipped

The build writes a complete new index next to the old one and swaps it in (see ``swap.py``), so a
build that is killed at any moment leaves the previous index serving. Vectors come from the
embedding cache (``settings.embedding_cache_dir``) when the same embedder has seen the same text,
so a rebuild after a chunker change only embeds the passages that changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
import shutil
import sqlite3
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from secretarisbot.errors import ConfigError, SecretarisbotError
from secretarisbot.index import chroma
from secretarisbot.index.cache import CACHE_FILE, EmbeddingCache, text_hash
from secretarisbot.index.embeddings import IndexEmbeddings, make_embeddings
from secretarisbot.index import shipped
from secretarisbot.index.manifest import (
    DOCUMENTS_FILE,
    NORMALIZED_DIR,
    PASSAGES_FILE,
    QUESTIONS_FILE,
    IndexManifest,
    StoreLocation,
    corpus_fingerprint,
    dumps_json,
    write_atomic,
    write_manifest,
)
from secretarisbot.index.store import chunker_version, open_index
from secretarisbot.index.swap import build_dir_for, build_lock, cleanup_stale, new_token, swap_in
from secretarisbot.model import BankQuestion, Document, Passage
from secretarisbot.settings import Settings, get_settings

#: Passages embedded per call: big enough to batch, small enough for a lively progress bar.
EMBED_BATCH = 32
#: ``progress(done, total)``: passages with a vector so far, out of all passages.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    documents: int
    passages: int
    embedded: int
    reused: int
    seconds: float
    skipped: bool
    embedder_id: str = ""
    index_dir: str = ""
    questions: int = 0
    #: Vectors taken from the shipped file (corpus/vectors/), out of ``reused``.
    shipped: int = 0


def embedding_text(passage: Passage) -> str:
    """What gets embedded for a passage: its section path (topical context) and its text."""
    if passage.section:
        return f"{passage.section}\n\n{passage.text}"
    return passage.text


def build_index(
    settings: Settings | dict[str, Any] | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build (or, when it is up to date and ``rebuild`` is false, keep) the index of ``settings``."""
    settings = get_settings(settings)
    started = time.perf_counter()
    root = Path(settings.index_dir).absolute()
    embeddings = make_embeddings(settings)
    with build_lock(root):
        cleanup_stale(root)
        from secretarisbot.corpus import load_documents, load_passages
        from secretarisbot.corpus.questions import bank_fingerprint, load_question_bank

        # Fingerprint first: an edit during chunking then shows up as a stale index, never hides.
        corpus_hash = corpus_fingerprint(settings.corpus_dir) or ""
        questions_hash = bank_fingerprint(settings)
        documents = load_documents(settings)
        passages = _unique(load_passages(settings))
        if not passages:
            raise ConfigError(f"Het corpus in {settings.corpus_dir} levert geen enkele passage op.")
        passages_bytes = b"".join(p.model_dump_json().encode("utf-8") + b"\n" for p in passages)
        passages_hash = hashlib.sha256(passages_bytes).hexdigest()
        version = chunker_version() or f"passages:{passages_hash[:16]}"

        if not rebuild and _up_to_date(settings, corpus_hash, version, passages_hash, questions_hash):
            return BuildReport(
                documents=len(documents), passages=len(passages), embedded=0, reused=0,
                seconds=time.perf_counter() - started, skipped=True,
                embedder_id=embeddings.embedder_id, index_dir=str(root),
            )
        questions = list(load_question_bank(settings, passages).questions)

        token = new_token()
        build_dir = build_dir_for(root, token)
        build_dir.mkdir(parents=True)
        try:
            files = _write_records(build_dir, documents, passages_bytes, questions)
            files.update(_write_normalized(settings, build_dir, documents))
            _check_offsets(build_dir, passages)
            dimension = embeddings.dimension
            vectors = _Vectors(embeddings, settings, progress, total=len(passages) + len(questions))
            if settings.chroma_url:
                store = _fill_server(
                    settings.chroma_url, vectors, dimension, passages, passages_hash, questions,
                    questions_hash, token, refill=rebuild,
                )
            else:
                store = _fill_local(build_dir, vectors, passages, questions, token)
            embedded, reused = vectors.embedded, vectors.reused
            seconds = time.perf_counter() - started
            manifest = IndexManifest(
                embedder_id=embeddings.embedder_id,
                dimension=dimension,
                corpus_hash=corpus_hash,
                chunker_version=version,
                passages_hash=passages_hash,
                passage_count=len(passages),
                document_count=len(documents),
                question_count=len(questions),
                questions_hash=questions_hash,
                store=store,
                files=files,
                build_seconds=round(seconds, 3),
                secretarisbot_version=_version(),
            )
            write_manifest(build_dir, manifest)
            swap_in(build_dir, root, token)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
    return BuildReport(
        documents=len(documents), passages=len(passages), embedded=embedded, reused=reused,
        seconds=time.perf_counter() - started, skipped=False,
        embedder_id=embeddings.embedder_id, index_dir=str(root),
        questions=len(questions), shipped=vectors.shipped,
    )


# --- steps ----------------------------------------------------------------------------------


def _unique(passages: Sequence[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for passage in passages:
        if passage.id in seen:
            continue
        seen.add(passage.id)
        out.append(passage)
    if len(out) != len(passages):
        warnings.warn(
            f"{len(passages) - len(out)} passages with a duplicate id were skipped", stacklevel=3
        )
    return out


def _up_to_date(
    settings: Settings, corpus_hash: str, version: str, passages_hash: str, questions_hash: str
) -> bool:
    try:
        index = open_index(settings)
    except SecretarisbotError:
        return False
    try:
        m = index.manifest
        if (m.corpus_hash, m.chunker_version, m.passages_hash, m.questions_hash) != (
            corpus_hash, version, passages_hash, questions_hash
        ):
            return False
        index.verify()
        return True
    except SecretarisbotError:
        return False
    finally:
        index.close()


def _write_records(
    build_dir: Path, documents: list[Document], passages_bytes: bytes, questions: Sequence[BankQuestion]
) -> dict[str, str]:
    docs_bytes = dumps_json([d.model_dump(mode="json") for d in documents])
    questions_bytes = b"".join(q.model_dump_json().encode("utf-8") + b"\n" for q in questions)
    files = {DOCUMENTS_FILE: docs_bytes, PASSAGES_FILE: passages_bytes, QUESTIONS_FILE: questions_bytes}
    for name, data in files.items():
        write_atomic(build_dir / name, data)
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def _write_normalized(settings: Settings, build_dir: Path, documents: list[Document]) -> dict[str, str]:
    """Store each document's normalised text in the index; returns their sha256 by file name."""
    from secretarisbot.corpus import api

    target = settings.model_copy(update={"index_dir": build_dir})
    writer = getattr(api, "write_normalized", None)
    if writer is not None:
        writer(target)
    folder = build_dir / NORMALIZED_DIR
    folder.mkdir(exist_ok=True)
    hashes = {}
    for doc in documents:
        path = folder / f"{doc.id}.txt"
        if not path.exists():
            path.write_text(api.normalize_document(doc, settings), encoding="utf-8")
        hashes[f"{NORMALIZED_DIR}/{doc.id}.txt"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _check_offsets(build_dir: Path, passages: Sequence[Passage]) -> None:
    texts: dict[str, str] = {}
    bad = 0
    for p in passages:
        if p.document not in texts:
            texts[p.document] = (build_dir / NORMALIZED_DIR / f"{p.document}.txt").read_text(encoding="utf-8")
        bad += texts[p.document][p.start : p.end] != p.text
    if bad:
        warnings.warn(f"{bad} passages do not match their normalised text at their offsets", stacklevel=3)


def _open_cache(settings: Settings) -> EmbeddingCache:
    directory = settings.embedding_cache_dir
    try:
        return EmbeddingCache(directory)
    except sqlite3.DatabaseError:
        # A damaged cache only costs time: set it aside and start a new one.
        broken = Path(directory) / CACHE_FILE
        broken.rename(broken.with_name(f"{broken.name}.broken-{int(time.time())}"))
        return EmbeddingCache(directory)


class _Vectors:
    """Vectors for texts, from the shipped file, the embedding cache, or freshly embedded (in that
    order). Counts what came from where; reports progress over all texts of the build."""

    def __init__(self, embeddings: IndexEmbeddings, settings: Settings, progress: Progress | None, total: int) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.progress = progress
        self.total = total
        self.done = self.embedded = self.reused = self.shipped = 0
        self._shipped = shipped.load_shipped(embeddings.embedder_id) if settings.shipped_vectors else {}

    def passages(self, passages: Sequence[Passage]) -> list[list[float]]:
        return self._get([embedding_text(p) for p in passages], shipped.PASSAGE)

    def questions(self, questions: Sequence[BankQuestion]) -> list[list[float]]:
        return self._get([q.text for q in questions], shipped.QUERY)

    def _get(self, texts: list[str], role: str) -> list[list[float]]:
        hashes = [text_hash(t) for t in texts]
        uses = Counter(hashes)
        known: dict[str, list[float]] = {}
        for digest in uses:
            vec = self._shipped.get(shipped.key(role, digest))
            if vec is not None:
                known[digest] = vec.tolist()
        self.shipped += sum(uses[d] for d in known)
        # Queries and passages are embedded differently (e5 prefixes): separate cache namespaces.
        cache_id = self.embeddings.embedder_id if role == shipped.PASSAGE else f"{self.embeddings.embedder_id}|{role}"
        cache = _open_cache(self.settings)
        try:
            known.update(cache.get_many(cache_id, [d for d in uses if d not in known]))
            reused = sum(uses[d] for d in known)
            self.reused += reused
            self._advance(reused)
            todo: dict[str, str] = {}
            for digest, text in zip(hashes, texts, strict=True):
                if digest not in known:
                    todo.setdefault(digest, text)
            embed = self.embeddings.embed_documents if role == shipped.PASSAGE else self.embeddings.embed_queries
            # Similar lengths per batch: less padding work for the encoder.
            pending = sorted(todo.items(), key=lambda item: len(item[1]))
            for start in range(0, len(pending), EMBED_BATCH):
                batch = pending[start : start + EMBED_BATCH]
                fresh = dict(zip((d for d, _ in batch), embed([t for _, t in batch]), strict=True))
                cache.put(cache_id, fresh)
                known.update(fresh)
                self.embedded += len(fresh)
                self._advance(sum(uses[d] for d in fresh))
        finally:
            cache.close()
        return [known[d] for d in hashes]

    def _advance(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total)


def _add(collection: Any, client: Any, ids: Sequence[str], vectors: list[list[float]],
         documents: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
    try:
        step = min(int(client.get_max_batch_size()), 1000)
    except Exception:  # noqa: BLE001 - older servers lack the call
        step = 500
    for start in range(0, len(ids), step):
        end = start + step
        collection.add(
            ids=list(ids[start:end]),
            embeddings=vectors[start:end],
            documents=list(documents[start:end]),
            metadatas=list(metadatas[start:end]),
        )


def _add_passages(collection: Any, client: Any, passages: Sequence[Passage], vectors: list[list[float]]) -> None:
    _add(collection, client, [p.id for p in passages], vectors, [p.text for p in passages],
         [chroma.passage_metadata(p) for p in passages])


def _add_questions(collection: Any, client: Any, questions: Sequence[BankQuestion], vectors: list[list[float]]) -> None:
    _add(collection, client, [q.id for q in questions], vectors, [q.text for q in questions],
         [chroma.question_metadata(q) for q in questions])


def _create(client: Any, name: str, embedder_id: str) -> Any:
    return client.create_collection(
        name,
        configuration=chroma.COLLECTION_CONFIGURATION,
        metadata={"embedder": embedder_id},
        embedding_function=None,
    )


def _fill_local(
    build_dir: Path,
    vectors: _Vectors,
    passages: Sequence[Passage],
    questions: Sequence[BankQuestion],
    token: str,
) -> StoreLocation:
    passage_vectors = vectors.passages(passages)
    question_vectors = vectors.questions(questions)
    path = f"chroma-{token}"
    embedder_id = vectors.embeddings.embedder_id
    client = chroma.persistent_client(build_dir / path)
    try:
        _add_passages(_create(client, chroma.LOCAL_COLLECTION, embedder_id), client, passages, passage_vectors)
        if questions:
            _add_questions(
                _create(client, chroma.LOCAL_QUESTIONS, embedder_id), client, questions, question_vectors
            )
    finally:
        client.close()
    return StoreLocation(
        kind="local", path=path, collection=chroma.LOCAL_COLLECTION,
        questions_collection=chroma.LOCAL_QUESTIONS if questions else None,
    )


def _fill_server(
    url: str,
    vectors: _Vectors,
    dimension: int,
    passages: Sequence[Passage],
    passages_hash: str,
    questions: Sequence[BankQuestion],
    questions_hash: str,
    token: str,
    refill: bool = False,
) -> StoreLocation:
    """Fill the passage and question collections on a Chroma server. Their names are hashes of
    embedder and content, so a collection another build already filled is reused (unless
    ``refill``)."""
    embedder_id = vectors.embeddings.embedder_id
    name = chroma.http_collection_name(embedder_id, dimension, passages_hash)
    qname = chroma.http_collection_name(embedder_id, dimension, f"questions:{questions_hash}") if questions else None
    client = chroma.http_client(url)
    try:
        _fill_collection(client, url, name, len(passages), token, refill, vectors,
                         lambda c: _add_passages(c, client, passages, vectors.passages(passages)))
        if qname:
            _fill_collection(client, url, qname, len(questions), token, refill, vectors,
                             lambda c: _add_questions(c, client, questions, vectors.questions(questions)))
    finally:
        close = getattr(client, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001 - best effort
                pass
    return StoreLocation(kind="http", url=url, collection=name, questions_collection=qname)


def _fill_collection(
    client: Any, url: str, name: str, count: int, token: str, refill: bool, vectors: _Vectors,
    fill: Callable[[Any], None],
) -> None:
    """Fill collection ``name`` through a staging collection renamed in at the end; keep it when
    it already holds ``count`` records (content-addressed name: another build filled it)."""
    try:
        existing = client.get_collection(name)
        if not refill and existing.count() == count:
            vectors.reused += count
            vectors._advance(count)
            return
    except Exception as err:  # noqa: BLE001 - NotFoundError, or a connection problem
        if type(err).__name__ != "NotFoundError" and "does not exist" not in str(err):
            raise chroma.ChromaUnavailableError(url, type(err).__name__) from err
    staging = f"{name}-tmp-{token}"
    collection = _create(client, staging, vectors.embeddings.embedder_id)
    try:
        fill(collection)
        try:
            client.delete_collection(name)
        except Exception:  # noqa: BLE001 - not there: fine
            pass
        collection.modify(name=name)
    except BaseException:
        try:
            client.delete_collection(staging)
        except Exception:  # noqa: BLE001 - best effort
            pass
        raise


def _version() -> str:
    try:
        return metadata.version("secretarisbot")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed (editable)
        return ""
