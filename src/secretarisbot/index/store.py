"""Open a built index: passages, normalised texts and the Chroma vector store behind them.

    >>> index = open_index(settings)               # fast: no chromadb import, no embedding
    >>> index.passage("000-1a2b3c4d5e6f").section
    >>> for passage, similarity in index.dense_search("draagvlak in de raad", k=5):
    ...     print(f"{similarity:.2f}", passage.id)

``open_index`` checks the manifest against the settings and raises ``IndexMissingError``,
``IndexMismatchError`` (other embedder, dimension, corpus, chunker or store) or
``IndexCorruptError``; each message says which command fixes it. Chroma is opened on first use.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from secretarisbot.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    InputError,
)
from secretarisbot.index.embeddings import IndexEmbeddings, make_embeddings
from secretarisbot.index.manifest import (
    DOCUMENTS_FILE,
    NORMALIZED_DIR,
    PASSAGES_FILE,
    QUESTIONS_FILE,
    IndexManifest,
    ManifestError,
    corpus_fingerprint,
    read_manifest,
)
from secretarisbot.index.swap import recover
from secretarisbot.model import BankQuestion, Document, Passage
from secretarisbot.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_chroma import Chroma


class UnknownPassageError(InputError, KeyError):
    """No passage with this id (a KeyError too, so ``index.passage`` reads like a mapping)."""

    def __init__(self, passage_id: str) -> None:
        super().__init__(
            f"Er is geen passage met id '{passage_id}'. Passage-id's staan bij de bronnen van een "
            "antwoord, bijvoorbeeld 000-1a2b3c4d5e6f."
        )
        self.passage_id = passage_id

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownDocumentError(InputError, KeyError):
    def __init__(self, document_id: str, known: list[str]) -> None:
        super().__init__(
            f"Er is geen document met id '{document_id}'. Bekende documenten: {', '.join(known)}."
        )

    def __str__(self) -> str:
        return str(self.args[0])


def chunker_version() -> str | None:
    """The corpus API's ``CHUNKER_VERSION`` constant, if it declares one."""
    from secretarisbot.corpus import api

    version = getattr(api, "CHUNKER_VERSION", None)
    return None if version is None else str(version)


class Index:
    """A built index, opened read-only. Thread-safe for searching."""

    def __init__(
        self,
        settings: Settings,
        root: Path,
        manifest: IndexManifest,
        documents: list[Document],
        passages: list[Passage],
        embeddings: IndexEmbeddings,
        normalized: dict[str, str],
        questions: list[BankQuestion] | None = None,
    ) -> None:
        self.settings = settings
        self.root = root
        self.manifest = manifest
        self.documents = documents
        self.passages = passages
        self.embeddings = embeddings
        self._by_id = {p.id: p for p in passages}
        #: The question bank (empty when the index was built without one).
        self.questions = list(questions or [])
        self._questions_by_id = {q.id: q for q in self.questions}
        self._questions: Any = None
        self._documents_by_id = {d.id: d for d in documents}
        # Read at open, not lazily: a rebuild swapping in new texts must not mix with old offsets.
        self._normalized = normalized
        self._client: Any = None
        self._collection: Any = None
        self._vectorstore: Chroma | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return (
            f"Index({str(self.root)!r}, embedder={self.manifest.embedder_id!r}, "
            f"passages={len(self.passages)})"
        )

    # --- records ---------------------------------------------------------------------------

    def passage(self, passage_id: str) -> Passage:
        try:
            return self._by_id[passage_id]
        except KeyError:
            raise UnknownPassageError(passage_id) from None

    def document(self, document_id: str) -> Document:
        try:
            return self._documents_by_id[document_id]
        except KeyError:
            raise UnknownDocumentError(document_id, list(self._documents_by_id)) from None

    def normalized(self, document_id: str) -> str:
        """The normalised text of a document; ``passage.text == normalized(doc)[start:end]``."""
        self.document(document_id)
        return self._normalized[document_id]

    # --- vectors ---------------------------------------------------------------------------

    @property
    def collection(self) -> Any:
        """The chromadb collection of the passages (opened, and its size checked, on first use)."""
        with self._lock:
            if self._collection is None:
                self._client, self._collection = self._open_collection()
            return self._collection

    @property
    def vectorstore(self) -> Chroma:
        """The same collection as a langchain-chroma vector store (for LangChain retrievers)."""
        self.collection  # noqa: B018 - opens and checks the collection
        with self._lock:
            if self._vectorstore is None:
                from langchain_chroma import Chroma

                self._vectorstore = Chroma(
                    client=self._client,
                    collection_name=self.manifest.store.collection,
                    embedding_function=self.embeddings,
                    create_collection_if_not_exists=False,
                )
            return self._vectorstore

    def _where(self) -> str:
        store = self.manifest.store
        return (self.settings.chroma_url or store.url or "") if store.kind == "http" else str(self.root)

    def _open_collection(self) -> tuple[Any, Any]:
        # chromadb directly (not langchain-chroma) keeps the first search about a second faster.
        from secretarisbot.index import chroma

        store = self.manifest.store
        where = self._where()
        if store.kind == "http":
            client = chroma.http_client(where)
        else:
            try:
                client = chroma.persistent_client(self.root / (store.path or ""))
            except Exception as err:
                raise IndexCorruptError(where, "de Chroma-database is niet leesbaar") from err
        try:
            collection = client.get_collection(store.collection)
            count = collection.count()
        except Exception as err:
            if store.kind == "http" and _is_connection_error(err):
                raise chroma.ChromaUnavailableError(where, type(err).__name__) from err
            raise IndexCorruptError(where, f"collectie '{store.collection}' niet leesbaar") from err
        if count != self.manifest.passage_count:
            raise IndexCorruptError(
                where, f"{count} vectoren in Chroma, {self.manifest.passage_count} verwacht"
            )
        return client, collection

    @property
    def questions_collection(self) -> Any:
        """The chromadb collection of the question bank (None when built without a bank)."""
        name = self.manifest.store.questions_collection
        if not name:
            return None
        self.collection  # noqa: B018 - opens the client
        with self._lock:
            if self._questions is None:
                try:
                    questions = self._client.get_collection(name)
                    count = questions.count()
                except Exception as err:
                    if self.manifest.store.kind == "http" and _is_connection_error(err):
                        from secretarisbot.index.chroma import ChromaUnavailableError

                        raise ChromaUnavailableError(self._where(), type(err).__name__) from err
                    raise IndexCorruptError(self._where(), f"collectie '{name}' niet leesbaar") from err
                if count != self.manifest.question_count:
                    raise IndexCorruptError(
                        self._where(), f"{count} vragen in Chroma, {self.manifest.question_count} verwacht"
                    )
                self._questions = questions
            return self._questions

    def bank_search(
        self, vector: list[float], k: int = 50, scope: str = "in"
    ) -> list[tuple[BankQuestion, float]]:
        """The ``k`` bank questions of ``scope`` ("in" or "out") nearest to a query ``vector``:
        ``(question, 1 - cosine distance)``, best first. Empty without a bank."""
        collection = self.questions_collection
        wanted = sum(1 for q in self.questions if q.scope == scope)
        k = min(int(k), wanted)
        if collection is None or k <= 0:
            return []
        result = self._query(collection, vector, k, {"scope": scope})
        out = []
        for qid, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            question = self._questions_by_id.get(qid)
            if question is not None:
                out.append((question, 1.0 - float(distance)))
        return out

    def _query(self, collection: Any, vector: list[float], k: int, where: dict[str, Any] | None) -> Any:
        from secretarisbot.index.chroma import ChromaUnavailableError, normalize_where

        if len(vector) != self.manifest.dimension:
            raise IndexMismatchError(
                f"de embedder geeft {len(vector)} dimensies, de index heeft er "
                f"{self.manifest.dimension}"
            )
        try:
            return collection.query(
                query_embeddings=[list(map(float, vector))],
                n_results=k,
                where=normalize_where(where),
                include=["distances"],
            )
        except Exception as err:
            if self.manifest.store.kind == "http" and _is_connection_error(err):
                raise ChromaUnavailableError(self._where(), type(err).__name__) from err
            if isinstance(err, (ValueError, TypeError)) or type(err).__name__ == "InvalidArgumentError":
                raise  # a bad ``where`` filter: the caller's mistake, not the index's
            raise IndexCorruptError(self._where(), f"zoeken mislukt: {type(err).__name__}") from err

    def verify(self) -> None:
        """Open the vector store and check it holds one vector per passage (IndexCorruptError)."""
        self.collection  # noqa: B018 - opening checks the count

    def dense_search(
        self, query: str, k: int = 10, where: dict[str, Any] | None = None
    ) -> list[tuple[Passage, float]]:
        """The ``k`` passages most similar to ``query``: ``(passage, 1 - cosine distance)``, best first.

        ``where`` is a Chroma metadata filter on ``document``, ``kind``, ``section``, ``fase``,
        ``spanningsveld``, ``fusievorm``, ``facet``, ``role``; ``{"document": "000", "kind": "case"}``
        is shorthand for both.
        """
        return self.dense_search_by_vector(self.embeddings.embed_query(query), k, where)

    def dense_search_by_vector(
        self, vector: list[float], k: int = 10, where: dict[str, Any] | None = None
    ) -> list[tuple[Passage, float]]:
        k = min(int(k), len(self.passages))
        if k <= 0:
            return []
        result = self._query(self.collection, vector, k, where)
        out = []
        for pid, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            passage = self._by_id.get(pid)
            if passage is not None:
                out.append((passage, 1.0 - float(distance)))
        return out

    def close(self) -> None:
        """Release the Chroma client (the index can be searched again afterwards: it reopens)."""
        with self._lock:
            close = getattr(self._client, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
            self._client = self._collection = self._vectorstore = self._questions = None


def _is_connection_error(err: BaseException) -> bool:
    while err is not None:
        name = type(err).__name__
        if isinstance(err, (ConnectionError, OSError)) or name in ("ConnectError", "ConnectTimeout"):
            return True
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    return False


def _read_verified(root: Path, name: str, manifest: IndexManifest) -> bytes:
    path = root / name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IndexCorruptError(str(root), f"{name} ontbreekt") from err
    expected = manifest.files.get(name)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise IndexCorruptError(str(root), f"{name} is gewijzigd of beschadigd")
    return data


def check_settings(manifest: IndexManifest, settings: Settings, embeddings: IndexEmbeddings) -> None:
    """Raise IndexMismatchError when the index was built for other settings or another corpus."""
    if manifest.embedder_id != embeddings.embedder_id:
        raise IndexMismatchError(
            f"gebouwd met embedder '{manifest.embedder_id}', ingesteld is '{embeddings.embedder_id}'"
        )
    # A sentence-transformers dimension needs the model loaded; dense_search checks it instead.
    if embeddings.dimension_is_cheap and manifest.dimension != embeddings.dimension:
        raise IndexMismatchError(
            f"de index heeft {manifest.dimension} dimensies, de embedder {embeddings.dimension}"
        )
    if manifest.store.kind == "http" and not settings.chroma_url:
        raise IndexMismatchError(
            f"de index staat op Chroma-server {manifest.store.url}, maar SECRETARISBOT_CHROMA_URL "
            "is niet gezet"
        )
    if manifest.store.kind == "local" and settings.chroma_url:
        raise IndexMismatchError(
            f"de index is lokaal gebouwd, maar SECRETARISBOT_CHROMA_URL wijst naar {settings.chroma_url}"
        )
    current = corpus_fingerprint(settings.corpus_dir)
    if current is not None and current != manifest.corpus_hash:
        raise IndexMismatchError(f"het corpus in {settings.corpus_dir} is gewijzigd sinds de bouw")
    from secretarisbot.corpus.questions import bank_fingerprint

    if manifest.questions_hash and bank_fingerprint(settings) != manifest.questions_hash:
        raise IndexMismatchError(f"de vragenbank in {settings.question_bank_dir} is gewijzigd sinds de bouw")
    version = chunker_version()
    if version is not None and version != manifest.chunker_version:
        raise IndexMismatchError(
            f"de indeling in passages is gewijzigd (versie {version}, index {manifest.chunker_version})"
        )


def load_manifest(settings: Settings) -> IndexManifest:
    """The manifest of the index at ``settings.index_dir`` (IndexMissingError/IndexCorruptError)."""
    root = Path(settings.index_dir).absolute()
    recover(root)
    try:
        return read_manifest(root)
    except ManifestError as err:
        if err.missing:
            raise IndexMissingError(str(root)) from err
        raise IndexCorruptError(str(root), str(err)) from err


def open_index(settings: Settings | dict[str, Any] | None = None) -> Index:
    """Open the index at ``settings.index_dir`` after checking it fits ``settings`` (see module doc)."""
    settings = get_settings(settings)
    root = Path(settings.index_dir).absolute()
    manifest = load_manifest(settings)
    embeddings = make_embeddings(settings)
    check_settings(manifest, settings, embeddings)

    try:
        documents = [
            Document.model_validate(d)
            for d in json.loads(_read_verified(root, DOCUMENTS_FILE, manifest))
        ]
        raw = _read_verified(root, PASSAGES_FILE, manifest)
        passages = [Passage.model_validate_json(line) for line in raw.splitlines() if line.strip()]
    except (ValueError, ValidationError, TypeError) as err:
        raise IndexCorruptError(str(root), "passages of documenten onleesbaar") from err
    try:
        raw_questions = _read_verified(root, QUESTIONS_FILE, manifest) if manifest.question_count else b""
        questions = [BankQuestion.model_validate_json(line) for line in raw_questions.splitlines() if line.strip()]
    except (ValueError, ValidationError, TypeError) as err:
        raise IndexCorruptError(str(root), "vragenbank onleesbaar") from err
    if len(questions) != manifest.question_count:
        raise IndexCorruptError(str(root), f"{len(questions)} vragen gevonden, {manifest.question_count} verwacht")
    if len(passages) != manifest.passage_count:
        raise IndexCorruptError(
            str(root), f"{len(passages)} passages gevonden, {manifest.passage_count} verwacht"
        )
    normalized = {}
    for doc in documents:
        name = f"{NORMALIZED_DIR}/{doc.id}.txt"
        try:
            normalized[doc.id] = _read_verified(root, name, manifest).decode("utf-8")
        except UnicodeDecodeError as err:
            raise IndexCorruptError(str(root), f"{name} is beschadigd") from err
    if manifest.store.kind == "local":
        sqlite_file = root / (manifest.store.path or "") / "chroma.sqlite3"
        try:
            with open(sqlite_file, "rb") as fh:
                header = fh.read(16)
        except OSError as err:
            raise IndexCorruptError(str(root), "de Chroma-database ontbreekt") from err
        if header != b"SQLite format 3\x00":
            raise IndexCorruptError(str(root), "de Chroma-database is beschadigd")
    return Index(settings, root, manifest, documents, passages, embeddings, normalized, questions)
