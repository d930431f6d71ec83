"""Vectors shipped with the repository, so a fresh clone builds its index without embedding.

The corpus and the question bank are fixed, so their vectors are too: ``corpus/vectors/<slug>.npz``
holds float16 vectors keyed by the embedder id and the sha256 of the embedded text (one key per
text *and* role: ``passage:<sha256>`` for a passage, ``query:<sha256>`` for a bank question). A
build takes what it finds there, then the embedding cache, and embeds only the rest.

    secretarisbot index --export-vectors      # refresh after a corpus, bank or embedder change

float16 keeps the file small (about 0.8 kB a vector); the rounding moves a cosine similarity by
less than 0.001, far below the gaps retrieval and scope decide on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from secretarisbot.fitted import slug
from secretarisbot.settings import PROJECT_ROOT

SHIPPED_DIR = PROJECT_ROOT / "corpus" / "vectors"
PASSAGE = "passage"
QUERY = "query"


def key(role: str, digest: str) -> str:
    """The shipped key of a text embedded as ``role`` (PASSAGE or QUERY) with sha256 ``digest``."""
    return f"{role}:{digest}"


def shipped_path(embedder_id: str, folder: Path | None = None) -> Path:
    """Where the vectors of ``embedder_id`` are shipped (a file name safe on every platform)."""
    return Path(folder or SHIPPED_DIR) / f"{slug(embedder_id)}.npz"


def load_shipped(embedder_id: str, folder: Path | None = None) -> dict[str, np.ndarray]:
    """The shipped vectors of ``embedder_id`` by key; empty when none are shipped (or unreadable)."""
    path = shipped_path(embedder_id, folder)
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["embedder_id"]) != embedder_id:
                return {}
            keys = [str(k) for k in data["keys"]]
            vectors = data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return {}  # a damaged file only costs time: everything is embedded instead
    return dict(zip(keys, vectors, strict=True))


def save_shipped(embedder_id: str, vectors: Mapping[str, Iterable[float]], folder: Path | None = None) -> Path:
    """Write ``vectors`` (key -> vector) for ``embedder_id``, keys sorted so the file is reproducible."""
    path = shipped_path(embedder_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    matrix = np.asarray([np.asarray(vectors[k], dtype=np.float32) for k in keys], dtype=np.float16)
    tmp = path.with_name(f".{path.name}.tmp.npz")
    np.savez_compressed(tmp, embedder_id=np.asarray(embedder_id), keys=np.asarray(keys), vectors=matrix)
    tmp.replace(path)
    return path


def export_vectors(index, folder: Path | None = None) -> Path:  # noqa: ANN001 - index.store.Index
    """Write the vectors of a built index (passages and bank questions) as its embedder's shipped
    file; returns the path. Run through ``secretarisbot index --export-vectors``."""
    from secretarisbot.index.build import embedding_text
    from secretarisbot.index.cache import text_hash

    vectors: dict[str, Iterable[float]] = {}
    records = [
        (index.collection, [(p.id, key(PASSAGE, text_hash(embedding_text(p)))) for p in index.passages]),
        (index.questions_collection, [(q.id, key(QUERY, text_hash(q.text))) for q in index.questions]),
    ]
    for collection, pairs in records:
        if collection is None or not pairs:
            continue
        got = collection.get(ids=[i for i, _ in pairs], include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        vectors.update({k: by_id[i] for i, k in pairs})
    return save_shipped(index.manifest.embedder_id, vectors, folder)


def missing_vectors(index, folder: Path | None = None) -> int:  # noqa: ANN001 - index.store.Index
    """How many of the index's texts have no shipped vector for its embedder (0 = up to date)."""
    return len(wanted_keys(index.passages, index.questions) - set(load_shipped(index.manifest.embedder_id, folder)))


def wanted_keys(passages, questions) -> set[str]:  # noqa: ANN001 - Passage / BankQuestion sequences
    """The shipped keys a complete file holds for these passages and bank questions."""
    from secretarisbot.index.build import embedding_text
    from secretarisbot.index.cache import text_hash

    wanted = {key(PASSAGE, text_hash(embedding_text(p))) for p in passages}
    return wanted | {key(QUERY, text_hash(q.text)) for q in questions}
