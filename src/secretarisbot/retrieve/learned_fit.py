"""Fit the learned fusion (:mod:`.learned`) on the ranker questions, once per index.

    model = learned_fusion(retriever)     # shipped, cached, or fitted now

Training data: ``corpus/ranker/*.yaml``, questions in the question bank's format written for the
passages by two writers who saw neither the bank nor the evals. They are *not* in the bank: scored
against the whole bank, they look like a user's question does, a new writer's words. Each gives
one row: its candidates' features and which candidate is the passage it was written for (a
question whose passage is not among the candidates teaches nothing and is left out).

The fit is shipped with the repository (``corpus/ranker/fusion-<embedder>.json``) for the corpus,
bank and ranker questions it was fitted on, so a fresh clone does not fit (about half a minute,
mostly embedding the ranker questions). When anything it depends on changes, it is fitted again
on first use and kept in the cache folder; ``secretarisbot index --export-vectors`` refreshes the
shipped copy. A ranker file that no longer loads (an anchor that stopped matching) leaves
retrieval on RRF, with a warning, rather than failing every question.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from secretarisbot.fitted import FITTING_CODE, FitFiles, fold_of, source_hash
from secretarisbot.retrieve.learned import FEATURES, LearnedFusion, candidate_features, fit_listwise
from secretarisbot.settings import PROJECT_ROOT, Settings

FIT_VERSION = "1"
#: L2 penalty per standardised feature (mean loss per question + L2 * |w|^2). 0.01 in the trial;
#: 0.001 and 0.1 ordered the ranker questions' held-out passages the same to within 0.005 hit@5.
L2 = 1e-2
FOLDS = 5
EMBED_BATCH = 64
FILES = FitFiles("fusion", PROJECT_ROOT / "corpus" / "ranker")


def ranker_dir(settings: Settings) -> Path:
    return Path(settings.corpus_dir) / "ranker"


def ranker_files(settings: Settings) -> list[Path]:
    folder = ranker_dir(settings)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


#: The code a question's words go through to BM25 and coverage: analysis, typing errors, BM25, the
#: query, the lexical index and its signals (retriever.py), folding and stemming (text.py).
LEXICAL_CODE = (
    *(Path(__file__).with_name(name) for name in
      ("lexical.py", "analyze.py", "spelling.py", "query.py", "synonyms.py", "retriever.py")),
    *(Path(__file__).parent.parent / name for name in ("text.py", "role_names.py")),
)
#: The code the features come from: any edit to it makes the shipped fit stale (the test that
#: checks the shipped fit then names the command that refreshes it).
FEATURE_CODE = (
    *(Path(__file__).with_name(name) for name in ("learned.py", "learned_fit.py", "bank_classifier.py")),
    *LEXICAL_CODE,
    *FITTING_CODE,
)


def fingerprint(retriever: Any) -> str:
    """What a fit depends on: the embedder, the corpus files (texts, manifest with the guides'
    names, vocabulary), the passages and the bank (the index manifest), the ranker questions, the
    retriever's candidate count, RRF constant and synonym switch, and the feature code."""
    m = retriever.index.manifest
    parts = (FIT_VERSION, m.embedder_id, m.corpus_hash, m.passages_hash, m.questions_hash,
             source_hash(ranker_files(retriever.settings)), source_hash(FEATURE_CODE),
             str(retriever.settings.candidates), str(retriever.rrf_k), str(retriever.synonyms))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def learned_fusion(retriever: Any) -> LearnedFusion | None:
    """The fitted fusion for ``retriever``'s index (None without ranker questions or bank): from
    memory, the shipped file, the cache, or fitted now and cached."""
    if not ranker_files(retriever.settings) or not getattr(retriever.index, "questions", None):
        return None
    return FILES.load(fingerprint(retriever), retriever.index.manifest.embedder_id,
                      retriever.settings.embedding_cache_dir, LearnedFusion.from_json, lambda: fit(retriever))


def export(retriever: Any, folder: Path | None = None) -> Path:
    """Write the fit for ``retriever``'s index where the repository ships it."""
    model = learned_fusion(retriever)
    if model is None:
        raise ValueError("geen rankervragen of vragenbank: er is niets te exporteren")
    return FILES.export(model, retriever.index.manifest.embedder_id, folder)


def training_rows(retriever: Any) -> tuple[list[tuple[np.ndarray, int]], list[str], int]:
    """(rows, the passage id of each row, ranker questions read) for the fit."""
    from secretarisbot.corpus.questions import load_question_bank
    from secretarisbot.retrieve.query import build_query

    settings = retriever.settings
    questions = load_question_bank(
        settings.model_copy(update={"questions_dir": ranker_dir(settings)}), retriever.index.passages
    ).in_scope
    lex = retriever.lexical
    queries = [build_query(q.text, [], lex.analyzer, synonyms=retriever.synonyms) for q in questions]
    texts = [q.text for q in queries]
    # in batches: the embedder's lock is held per call, and questions may be asked meanwhile
    vectors = [v for i in range(0, len(texts), EMBED_BATCH) for v in retriever.index.embeddings.embed_queries(texts[i : i + EMBED_BATCH])]
    rows: list[tuple[np.ndarray, int]] = []
    targets: list[str] = []
    for question, query, vector in zip(questions, queries, vectors, strict=True):
        positions, matrix = candidate_features(
            retriever.signals(query, vector), settings.candidates, retriever.rrf_k
        )
        hit = np.flatnonzero(positions == lex.position[question.passage_id])
        if hit.size:
            rows.append((matrix, int(hit[0])))
            targets.append(question.passage_id)
    return rows, targets, len(questions)


def _hits_at(rows: list[tuple[np.ndarray, int]], score: Any, k: int = 5) -> int:
    return sum(int(t in np.argsort(-score(m), kind="stable")[:k]) for m, t in rows)


def fit(retriever: Any) -> LearnedFusion:
    """Fit on all ranker questions; measure on them out of fold (folds by passage) against RRF as
    served (a passage outside a ranking's candidates gets nothing from it). A question whose
    passage is not among its candidates counts as a miss for both."""
    rows, targets, read = training_rows(retriever)
    fold = np.array([fold_of(t, FOLDS) for t in targets])
    rr = [FEATURES.index(n) for n in ("rr_bm25", "rr_dense", "rr_bank")]
    rrf_weights = np.asarray((tuple(retriever.weights) + (0.0, 0.0, 0.0))[:3])
    outside = 1.0 / (retriever.rrf_k + retriever.settings.candidates + 0.5)

    def served_rrf(m: np.ndarray) -> np.ndarray:
        part = m[:, rr]
        return np.where(part > outside, part, 0.0) @ rrf_weights

    learned_hits = rrf_hits = 0
    for f in range(FOLDS):
        train = [r for r, g in zip(rows, fold, strict=True) if g != f]
        test = [r for r, g in zip(rows, fold, strict=True) if g == f]
        if not train or not test:
            continue
        w, mean, scale = fit_listwise(train, L2)
        learned_hits += _hits_at(test, lambda m: ((m - mean) / scale) @ w)  # noqa: B023
        rrf_hits += _hits_at(test, served_rrf)
    w, mean, scale = fit_listwise(rows, L2)
    measurement = {
        "ranker_questions": read,
        "rows": len(rows),
        "cv_hit@5_learned": round(learned_hits / max(read, 1), 4),
        "cv_hit@5_rrf": round(rrf_hits / max(read, 1), 4),
        "embedder": retriever.index.manifest.embedder_id,
    }
    return LearnedFusion(
        weights=tuple(round(float(v), 6) for v in w), mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale), fingerprint=fingerprint(retriever),
        measurement=measurement,
    )
