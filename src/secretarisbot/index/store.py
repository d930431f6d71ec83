"""Open a built index: passages, normalised texts and the Chroma vector store behind them.

    >>> index = open_index(settings)               # fast: no chromadb import, no embedding
    >>> index.passage("000-1a2b3c4d5e6f").section
    >>> for passage, similarity in index.dense_search("draagvlak in de raad", k=5):
    ...     print(f"{similarity:.2f}", passage.id)

``open_index`` checks the manifest against the settings and raises ``IndexMissingError``,
``IndexMismatchError`` (other embedder, dimension, corpus, chunker or store) or
``IndexCorruptError``; each message says which command fixes it. Chroma is opened on first use.

The index folder holds immutable builds and a pointer to the served one (see ``swap.py``). An
opened Index keeps reading its own build; ``index.is_current()`` says whether a newer build has
been published since (the Assistant then opens that one). Messages name the index folder by its
name only, never by its absolute path on the server. When the build's Chroma folder is not
writable (a read-only volume), Chroma opens a private copy in ``SECRETARISBOT_HOME``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from secretarisbot.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexUnreadableError,
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
from secretarisbot.index.swap import current_root, hold, read_pointer
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
        build_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.root = root
        #: The build folder's name (None for an index folder of the old, flat layout).
        self.build_id = build_id
        self.index_dir = Path(settings.index_dir).absolute()
        # A shared lock on the build: no build prunes it while this process reads it.
        self._hold = hold(root)
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

    def is_current(self) -> bool:
        """False once another build has been published in the index folder since this one."""
        try:
            return read_pointer(self.index_dir) == self.build_id
        except OSError:
            return True  # an unreadable pointer: keep serving what is open

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
        return (self.settings.chroma_url or store.url or "") if store.kind == "http" else label(self.index_dir)

    def _chroma_dir(self) -> Path:
        """The build's Chroma folder, or a private copy of it when it is not writable.

        Chroma writes to its SQLite file even to read; on a read-only volume it would fail. The
        copy (a few MB) lives in ``SECRETARISBOT_HOME/index-copies/<build>``, made once per build.
        """
        folder = self.root / (self.manifest.store.path or "")
        sqlite_file = folder / "chroma.sqlite3"
        if os.access(folder, os.W_OK) and os.access(sqlite_file, os.W_OK):
            return folder
        copies = Path(self.settings.home) / "index-copies"
        name = self.build_id or hashlib.sha256(
            f"{self.root}|{self.manifest.built_at}".encode()
        ).hexdigest()[:16]
        target = copies / f"{name}-{self.manifest.store.path}"
        if (target / "chroma.sqlite3").exists():
            return target
        tmp = copies / f".tmp-{os.getpid()}-{threading.get_ident()}"
        try:
            copies.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(folder, tmp)
            try:
                os.rename(tmp, target)
            except OSError:
                if not (target / "chroma.sqlite3").exists():
                    raise
                shutil.rmtree(tmp, ignore_errors=True)  # another process made the same copy
        except OSError as err:
            shutil.rmtree(tmp, ignore_errors=True)
            raise IndexUnreadableError(
                label(self.index_dir),
                f"de map is alleen-lezen en een kopie in SECRETARISBOT_HOME lukte niet ({_reason(err)})",
                "Maak SECRETARISBOT_HOME schrijfbaar voor de app, of geef de app schrijfrechten op de indexmap.",
            ) from err
        for old in copies.iterdir():  # copies of earlier builds
            if old != target and not old.name.startswith(".") and not old.name.startswith(name):
                shutil.rmtree(old, ignore_errors=True)
        return target

    def _open_collection(self) -> tuple[Any, Any]:
        # chromadb directly (not langchain-chroma) keeps the first search about a second faster.
        from secretarisbot.index import chroma

        store = self.manifest.store
        where = self._where()
        if store.kind == "http":
            client = chroma.http_client(where)
        else:
            path = self._chroma_dir()
            try:
                client = chroma.persistent_client(path)
            except Exception as err:
                if "readonly" in str(err).lower() or isinstance(err, PermissionError):
                    raise IndexUnreadableError(
                        where, "de Chroma-database is niet schrijfbaar voor de app",
                        "Geef de app schrijfrechten op de indexmap of op SECRETARISBOT_HOME.",
                    ) from err
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
        ``(question, cosine similarity)``, best first. Empty without a bank."""
        if self.questions_collection is None:
            return []
        return self._bank_nearest(vector, int(k), scope)

    def passage_matrix(self) -> tuple[list[str], Any]:
        """(passage ids, their unit vectors as a float32 matrix), read from Chroma once: filtered
        searches over a few dozen passages of one kind are exact and fast in memory."""
        with self._lock:
            if getattr(self, "_matrix", None) is None:
                self._matrix = _unit_matrix(self.collection, [p.id for p in self.passages])
            return self._matrix

    def question_matrix(self) -> tuple[list[str], Any]:
        """(bank question ids, their unit vectors), read from Chroma once, like :meth:`passage_matrix`."""
        with self._lock:
            if getattr(self, "_question_matrix", None) is None:
                self._question_matrix = _unit_matrix(self.questions_collection, [q.id for q in self.questions])
            return self._question_matrix

    def bank_neighbours(
        self, vector: list[float], k_in: int, k_out: int
    ) -> tuple[list[tuple[BankQuestion, float]], list[tuple[BankQuestion, float]]]:
        """The ``k_in`` nearest in-scope and ``k_out`` nearest out-of-scope bank questions, exactly,
        in memory. (Chroma's HNSW query is approximate: on 4,938 questions the same vector got
        144 to 146 in-scope questions among its first 150 from one process to the next, and once
        a weaker nearest one, enough to flip a borderline scope decision between two eval runs. The
        scope model is fitted on exact similarities too. A product of 4,938 x 384 takes well under
        a millisecond here, less than the HNSW query plus its filtered fallback.)"""
        if self.questions_collection is None:
            return [], []
        return self._bank_nearest(vector, k_in, "in"), self._bank_nearest(vector, k_out, "out")

    def _bank_nearest(self, vector: list[float], k: int, scope: str) -> list[tuple[BankQuestion, float]]:
        import numpy as np

        ids, matrix = self.question_matrix()
        if k <= 0 or not ids:
            return []
        if len(vector) != self.manifest.dimension:
            raise IndexMismatchError(
                f"de embedder geeft {len(vector)} dimensies, de index heeft er {self.manifest.dimension}"
            )
        sims = matrix @ np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(vector)) or 1.0
        records = self._questions_by_id
        wanted = np.fromiter((records[i].scope == scope for i in ids), dtype=bool, count=len(ids))
        candidates = np.flatnonzero(wanted)
        if candidates.size == 0:
            return []
        top = candidates[np.argsort(-sims[candidates], kind="stable")[:k]]
        return [(records[ids[i]], float(sims[i]) / norm) for i in top]

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
        return _nearest(self._query(self.collection, vector, k, where), self._by_id)

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
            self._matrix = self._question_matrix = None


def _unit_matrix(collection: Any, ids: list[str]) -> tuple[list[str], Any]:
    """(the ids the collection holds, in the given order; their vectors scaled to unit length)."""
    import numpy as np

    got = collection.get(ids=ids, include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    kept = [i for i in ids if i in by_id]
    matrix = np.asarray([by_id[i] for i in kept], dtype=np.float32).reshape(len(kept), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return kept, matrix / np.where(norms > 0, norms, 1.0)


def _nearest(result: Any, records: dict[str, Any]) -> list[tuple[Any, float]]:
    """A Chroma query result as (record, 1 - cosine distance), best first; unknown ids left out."""
    return [
        (records[rid], 1.0 - float(distance))
        for rid, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        if rid in records
    ]


def label(index_dir: Path) -> str:
    """How messages name the index folder: by its name, never its absolute path on the server."""
    return f"map '{Path(index_dir).name}'"


def _reason(err: OSError) -> str:
    """An OSError's cause without the path it carries: 'Read-only file system', 'Permission denied'."""
    return err.strerror or type(err).__name__


def _is_connection_error(err: BaseException) -> bool:
    while err is not None:
        name = type(err).__name__
        if isinstance(err, (ConnectionError, OSError)) or name in ("ConnectError", "ConnectTimeout"):
            return True
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    return False


def _read_verified(root: Path, name: str, manifest: IndexManifest, where: str) -> bytes:
    path = root / name
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise IndexCorruptError(where, f"{name} ontbreekt") from err
    except PermissionError as err:
        raise IndexUnreadableError(where, f"geen leesrechten op {name}", READ_FIX) from err
    except OSError as err:
        raise IndexCorruptError(where, f"{name} is niet leesbaar: {_reason(err)}") from err
    expected = manifest.files.get(name)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise IndexCorruptError(where, f"{name} is gewijzigd of beschadigd")
    return data


READ_FIX = "Geef de app leesrechten op de indexmap (SECRETARISBOT_INDEX_DIR)."


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
        raise IndexMismatchError(f"het corpus in map '{Path(settings.corpus_dir).name}' is gewijzigd sinds de bouw")
    from secretarisbot.corpus.questions import bank_fingerprint

    if manifest.questions_hash and bank_fingerprint(settings) != manifest.questions_hash:
        raise IndexMismatchError(
            f"de vragenbank in map '{Path(settings.question_bank_dir).name}' is gewijzigd sinds de bouw"
        )
    version = chunker_version()
    if version is not None and version != manifest.chunker_version:
        raise IndexMismatchError(
            f"de indeling in passages is gewijzigd (versie {version}, index {manifest.chunker_version})"
        )


def _locate(settings: Settings) -> tuple[Path, str | None, str]:
    """(folder of the served build, build id, label) of ``settings.index_dir``."""
    index_dir = Path(settings.index_dir).absolute()
    where = label(index_dir)
    try:
        root, build = current_root(index_dir)
    except PermissionError as err:
        raise IndexUnreadableError(where, "geen leesrechten op de indexmap", READ_FIX) from err
    except OSError as err:
        raise IndexCorruptError(where, f"de verwijzing naar de actuele build is onleesbaar ({_reason(err)})") from err
    if build is None:
        from secretarisbot.index.swap import recover_legacy

        recover_legacy(index_dir)
    return root, build, where


def load_manifest(settings: Settings) -> IndexManifest:
    """The manifest of the served build in ``settings.index_dir`` (IndexMissingError/IndexCorruptError)."""
    root, build, where = _locate(settings)
    return _manifest_at(root, build, where)


def _manifest_at(root: Path, build: str | None, where: str) -> IndexManifest:
    try:
        return read_manifest(root)
    except ManifestError as err:
        if err.missing and build is None:
            raise IndexMissingError(where) from err
        if err.missing:
            raise IndexCorruptError(where, f"de actuele build '{build}' ontbreekt") from err
        if isinstance(err.__cause__, PermissionError):
            raise IndexUnreadableError(where, "geen leesrechten op manifest.json", READ_FIX) from err
        raise IndexCorruptError(where, str(err)) from err


def open_index(settings: Settings | dict[str, Any] | None = None) -> Index:
    """Open the served build of ``settings.index_dir`` after checking it fits ``settings`` (see module doc)."""
    settings = get_settings(settings)
    root, build, where = _locate(settings)
    manifest = _manifest_at(root, build, where)
    embeddings = make_embeddings(settings)
    check_settings(manifest, settings, embeddings)

    try:
        documents = [
            Document.model_validate(d)
            for d in json.loads(_read_verified(root, DOCUMENTS_FILE, manifest, where))
        ]
        raw = _read_verified(root, PASSAGES_FILE, manifest, where)
        passages = [Passage.model_validate_json(line) for line in raw.splitlines() if line.strip()]
    except (ValueError, ValidationError, TypeError) as err:
        raise IndexCorruptError(where, "passages of documenten onleesbaar") from err
    try:
        raw_questions = _read_verified(root, QUESTIONS_FILE, manifest, where) if manifest.question_count else b""
        questions = [BankQuestion.model_validate_json(line) for line in raw_questions.splitlines() if line.strip()]
    except (ValueError, ValidationError, TypeError) as err:
        raise IndexCorruptError(where, "vragenbank onleesbaar") from err
    if len(questions) != manifest.question_count:
        raise IndexCorruptError(where, f"{len(questions)} vragen gevonden, {manifest.question_count} verwacht")
    if len(passages) != manifest.passage_count:
        raise IndexCorruptError(
            where, f"{len(passages)} passages gevonden, {manifest.passage_count} verwacht"
        )
    normalized = {}
    for doc in documents:
        name = f"{NORMALIZED_DIR}/{doc.id}.txt"
        try:
            normalized[doc.id] = _read_verified(root, name, manifest, where).decode("utf-8")
        except UnicodeDecodeError as err:
            raise IndexCorruptError(where, f"{name} is beschadigd") from err
    if manifest.store.kind == "local":
        sqlite_file = root / (manifest.store.path or "") / "chroma.sqlite3"
        try:
            with open(sqlite_file, "rb") as fh:
                header = fh.read(16)
        except FileNotFoundError as err:
            raise IndexCorruptError(where, "de Chroma-database ontbreekt") from err
        except PermissionError as err:
            raise IndexUnreadableError(where, "geen leesrechten op de Chroma-database", READ_FIX) from err
        except OSError as err:
            raise IndexCorruptError(where, f"de Chroma-database is niet leesbaar: {_reason(err)}") from err
        if header != b"SQLite format 3\x00":
            raise IndexCorruptError(where, "de Chroma-database is beschadigd")
    return Index(settings, root, manifest, documents, passages, embeddings, normalized, questions, build)
