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
from secretarisbot.index.manifest import (
    DOCUMENTS_FILE,
    NORMALIZED_DIR,
    PASSAGES_FILE,
    IndexManifest,
    StoreLocation,
    corpus_fingerprint,
    dumps_json,
    write_atomic,
    write_manifest,
)
from secretarisbot.index.store import chunker_version, open_index
from secretarisbot.index.swap import build_dir_for, build_lock, cleanup_stale, new_token, swap_in
from secretarisbot.model import Document, Passage
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

        # Fingerprint first: an edit during chunking then shows up as a stale index, never hides.
        corpus_hash = corpus_fingerprint(settings.corpus_dir) or ""
        documents = load_documents(settings)
        passages = _unique(load_passages(settings))
        if not passages:
            raise ConfigError(f"Het corpus in {settings.corpus_dir} levert geen enkele passage op.")
        passages_bytes = b"".join(p.model_dump_json().encode("utf-8") + b"\n" for p in passages)
        passages_hash = hashlib.sha256(passages_bytes).hexdigest()
        version = chunker_version() or f"passages:{passages_hash[:16]}"

        if not rebuild and _up_to_date(settings, corpus_hash, version, passages_hash):
            return BuildReport(
                documents=len(documents), passages=len(passages), embedded=0, reused=0,
                seconds=time.perf_counter() - started, skipped=True,
                embedder_id=embeddings.embedder_id, index_dir=str(root),
            )

        token = new_token()
        build_dir = build_dir_for(root, token)
        build_dir.mkdir(parents=True)
        try:
            files = _write_records(build_dir, documents, passages_bytes)
            files.update(_write_normalized(settings, build_dir, documents))
            _check_offsets(build_dir, passages)
            dimension = embeddings.dimension
            if settings.chroma_url:
                store, embedded, reused = _fill_server(
                    settings.chroma_url, embeddings, dimension, passages, passages_hash, token,
                    settings, progress, refill=rebuild,
                )
            else:
                store, embedded, reused = _fill_local(
                    build_dir, embeddings, passages, token, settings, progress
                )
            seconds = time.perf_counter() - started
            manifest = IndexManifest(
                embedder_id=embeddings.embedder_id,
                dimension=dimension,
                corpus_hash=corpus_hash,
                chunker_version=version,
                passages_hash=passages_hash,
                passage_count=len(passages),
                document_count=len(documents),
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


def _up_to_date(settings: Settings, corpus_hash: str, version: str, passages_hash: str) -> bool:
    try:
        index = open_index(settings)
    except SecretarisbotError:
        return False
    try:
        m = index.manifest
        if (m.corpus_hash, m.chunker_version, m.passages_hash) != (corpus_hash, version, passages_hash):
            return False
        index.verify()
        return True
    except SecretarisbotError:
        return False
    finally:
        index.close()


def _write_records(build_dir: Path, documents: list[Document], passages_bytes: bytes) -> dict[str, str]:
    docs_bytes = dumps_json([d.model_dump(mode="json") for d in documents])
    write_atomic(build_dir / DOCUMENTS_FILE, docs_bytes)
    write_atomic(build_dir / PASSAGES_FILE, passages_bytes)
    return {
        DOCUMENTS_FILE: hashlib.sha256(docs_bytes).hexdigest(),
        PASSAGES_FILE: hashlib.sha256(passages_bytes).hexdigest(),
    }


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


def _vectors(
    passages: Sequence[Passage],
    embeddings: IndexEmbeddings,
    settings: Settings,
    progress: Progress | None,
) -> tuple[list[list[float]], int, int]:
    """One vector per passage, from the cache or freshly embedded; returns (vectors, embedded, reused)."""
    texts = [embedding_text(p) for p in passages]
    hashes = [text_hash(t) for t in texts]
    total = len(passages)
    uses = Counter(hashes)
    cache = _open_cache(settings)
    try:
        known = cache.get_many(embeddings.embedder_id, hashes)
        todo: dict[str, str] = {}
        for digest, text in zip(hashes, texts, strict=True):
            if digest not in known:
                todo.setdefault(digest, text)
        done = sum(1 for d in hashes if d in known)
        reused = done
        if progress:
            progress(done, total)
        # Similar lengths per batch: less padding work for the encoder.
        pending = sorted(todo.items(), key=lambda item: len(item[1]))
        for start in range(0, len(pending), EMBED_BATCH):
            batch = pending[start : start + EMBED_BATCH]
            vectors = embeddings.embed_documents([text for _, text in batch])
            fresh = {digest: vec for (digest, _), vec in zip(batch, vectors, strict=True)}
            cache.put(embeddings.embedder_id, fresh)
            known.update(fresh)
            done += sum(uses[digest] for digest in fresh)
            if progress:
                progress(done, total)
    finally:
        cache.close()
    return [known[d] for d in hashes], len(todo), reused


def _add(collection: Any, client: Any, passages: Sequence[Passage], vectors: list[list[float]]) -> None:
    try:
        step = min(int(client.get_max_batch_size()), 1000)
    except Exception:  # noqa: BLE001 - older servers lack the call
        step = 500
    for start in range(0, len(passages), step):
        chunk = passages[start : start + step]
        collection.add(
            ids=[p.id for p in chunk],
            embeddings=vectors[start : start + step],
            documents=[p.text for p in chunk],
            metadatas=[chroma.passage_metadata(p) for p in chunk],
        )


def _fill_local(
    build_dir: Path,
    embeddings: IndexEmbeddings,
    passages: Sequence[Passage],
    token: str,
    settings: Settings,
    progress: Progress | None,
) -> tuple[StoreLocation, int, int]:
    vectors, embedded, reused = _vectors(passages, embeddings, settings, progress)
    path = f"chroma-{token}"
    client = chroma.persistent_client(build_dir / path)
    try:
        collection = client.create_collection(
            chroma.LOCAL_COLLECTION,
            configuration=chroma.COLLECTION_CONFIGURATION,
            metadata={"embedder": embeddings.embedder_id},
            embedding_function=None,
        )
        _add(collection, client, passages, vectors)
    finally:
        client.close()
    return StoreLocation(kind="local", path=path, collection=chroma.LOCAL_COLLECTION), embedded, reused


def _fill_server(
    url: str,
    embeddings: IndexEmbeddings,
    dimension: int,
    passages: Sequence[Passage],
    passages_hash: str,
    token: str,
    settings: Settings,
    progress: Progress | None,
    refill: bool = False,
) -> tuple[StoreLocation, int, int]:
    """Fill a collection on a Chroma server; its name is a hash of embedder and passages, so a
    collection another build already filled is reused (unless ``refill``)."""
    name = chroma.http_collection_name(embeddings.embedder_id, dimension, passages_hash)
    location = StoreLocation(kind="http", url=url, collection=name)
    client = chroma.http_client(url)
    try:
        try:
            existing = client.get_collection(name)
            if not refill and existing.count() == len(passages):
                # Content-addressed name: another build already filled this collection.
                if progress:
                    progress(len(passages), len(passages))
                return location, 0, len(passages)
        except Exception as err:  # noqa: BLE001 - NotFoundError, or a connection problem
            if type(err).__name__ != "NotFoundError" and "does not exist" not in str(err):
                raise chroma.ChromaUnavailableError(url, type(err).__name__) from err
        vectors, embedded, reused = _vectors(passages, embeddings, settings, progress)
        staging = f"{name}-tmp-{token}"
        collection = client.create_collection(
            staging,
            configuration=chroma.COLLECTION_CONFIGURATION,
            metadata={"embedder": embeddings.embedder_id},
            embedding_function=None,
        )
        try:
            _add(collection, client, passages, vectors)
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
    finally:
        close = getattr(client, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001 - best effort
                pass
    return location, embedded, reused


def _version() -> str:
    try:
        return metadata.version("secretarisbot")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed (editable)
        return ""
