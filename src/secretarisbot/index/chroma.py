"""Chroma clients and collections (imported lazily: chromadb costs about a second to import).

Local mode keeps a ``PersistentClient`` directory inside the index; with
``SECRETARISBOT_CHROMA_URL=http://host:port`` the vectors live on a Chroma server (``chroma run``)
in a collection named by a hash of embedder and passages, so vectors of different builds never mix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from secretarisbot.errors import ChromaUnavailableError, ConfigError
from secretarisbot.model import BankQuestion, Passage, content_id

if TYPE_CHECKING:
    from pathlib import Path

LOCAL_COLLECTION = "passages"
LOCAL_QUESTIONS = "questions"
#: HNSW settings: cosine distance; a generous ef_search because the corpus is small (exact enough).
COLLECTION_CONFIGURATION: dict[str, Any] = {"hnsw": {"space": "cosine", "ef_search": 200}}
METADATA_FIELDS = ("spanningsveld", "fase", "fusievorm", "facet", "facet_title", "role")


def client_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def parse_url(url: str) -> tuple[str, int, bool]:
    """``http://host:port`` -> (host, port, ssl)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"Ongeldige SECRETARISBOT_CHROMA_URL '{url}': verwacht http://host:poort, "
            "bijvoorbeeld http://127.0.0.1:8000."
        )
    ssl = parts.scheme == "https"
    return parts.hostname, parts.port or (443 if ssl else 8000), ssl


def persistent_client(path: Path) -> Any:
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=client_settings())


def http_client(url: str) -> Any:
    import chromadb

    host, port, ssl = parse_url(url)
    try:
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=client_settings())
    except Exception as err:  # chromadb raises ValueError/ConnectionError/httpx errors here
        raise ChromaUnavailableError(url, type(err).__name__) from err


def http_collection_name(embedder_id: str, dimension: int, passages_hash: str) -> str:
    return f"secretarisbot-{content_id(embedder_id, str(dimension), passages_hash, length=16)}"


def passage_metadata(passage: Passage) -> dict[str, str | int]:
    """Chroma metadata of a passage: what ``where`` filters can use (no None values allowed)."""
    meta: dict[str, str | int] = {
        "document": passage.document,
        "title": passage.title,
        "section": passage.section,
        "kind": passage.kind,
        "start": passage.start,
        "end": passage.end,
    }
    for name in METADATA_FIELDS:
        value = getattr(passage, name)
        if value is not None:
            meta[name] = value
    return meta


def question_metadata(question: BankQuestion) -> dict[str, str]:
    """Chroma metadata of a bank question: its scope, passage and labels (roles joined by '|')."""
    meta = {"scope": question.scope}
    for name in ("passage_id", "document", "fase", "fusievorm", "spanningsveld", "onderwerp", "category", "topic"):
        value = getattr(question, name)
        if value:
            meta[name] = value
    if question.roles:
        meta["roles"] = "|".join(question.roles)
    return meta


def normalize_where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    """Accept ``{"document": "000", "kind": "case"}`` as shorthand for an ``$and`` of equalities."""
    if not where:
        return None
    if len(where) == 1 or any(key.startswith("$") for key in where):
        return where
    return {"$and": [{key: value} for key, value in where.items()]}
