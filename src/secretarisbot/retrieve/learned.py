"""Learned fusion: one linear score over what BM25, dense search and the question bank say of a
passage, instead of reciprocal rank fusion.

    positions, F = candidate_features(signals, n_candidates=40, rrf_k=20)  # candidates, features
    order = model.rank(positions, F)                                       # positions, best first

RRF weighs each retriever by its rank alone. The learned score also sees how far apart the scores
are (a BM25 hit with twice the runner-up's score, a bank question at 0.93 against 0.86), whether a
passage has a second bank question near the question, how the bank's nearest questions vote, and
which passage a classifier fitted on the whole bank gives the question to (:mod:`.bank_classifier`).
Its weights are fitted (:mod:`.learned_fit`) on questions two writers wrote for the passages
*without* seeing the bank (``corpus/ranker/``): they are to the bank what a user's question is,
which bank questions scored out of fold are not (a fit on those trusts the bank too much).

The score is a softmax over one question's candidates (ListNet with one relevant passage), so it
only orders candidates within a question; :func:`pseudo_rrf` turns that order back into scores on
RRF's scale for the diversity step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

#: The features of a candidate passage, in column order.
FEATURES: tuple[str, ...] = (
    "dense",         # cosine of the question and the passage
    "bank_best",     # cosine of the question and the passage's nearest bank question
    "bank_second",   # ... and its second-nearest (a second writer's wording that also matches)
    "bank_vote",     # share of the bank's nearest questions (softmax-weighted) written for it
    "bank_class",    # log-probability of the passage under the classifier fitted on the bank
    "bm25",          # BM25 score over the bank-expanded passages, relative to the best one
    "rr_bm25",       # 1 / (rrf_k + rank) in each of the three rankings
    "rr_dense",
    "rr_bank",
    "log_length",    # log of the passage's length in characters
)
#: The bank questions that vote (bank_vote), and the temperature of their softmax weights: a
#: question 0.02 less similar than the nearest counts e^-1 as much. (From the trial that preceded
#: this module: 60 and 0.02, unchanged since.)
VOTERS = 60
VOTE_TEMPERATURE = 0.02
#: bank_second of a passage with only one bank question: its best, a little lower.
NO_SECOND = 0.05


@dataclass(frozen=True)
class Signals:
    """What the three retrievers say of every passage, for one question."""

    bm25: np.ndarray             # (passages,) BM25 scores
    dense: np.ndarray            # (passages,) cosines with the passages
    bank: np.ndarray             # (questions,) cosines with the in-scope bank questions
    bank_passage: np.ndarray     # (questions,) position of each bank question's passage
    log_length: np.ndarray       # (passages,)
    bank_class: np.ndarray | None = None  # (passages,) :mod:`.bank_classifier` log-probabilities

    @cached_property
    def by_passage(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`bank_by_passage`, once per question (an answer's section searches share it)."""
        return bank_by_passage(self)


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores))
    rank[order] = np.arange(1, len(scores) + 1)
    return rank


def bank_by_passage(signals: Signals) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(best, second, vote) per passage from the bank similarities."""
    n = len(signals.dense)
    sims, owner = signals.bank, signals.bank_passage
    best = np.zeros(n)
    second = np.zeros(n)
    vote = np.zeros(n)
    if len(sims) == 0:
        return best, second, vote
    order = np.argsort(-sims, kind="stable")
    ranked_owner = owner[order]
    first_seen = np.unique(ranked_owner, return_index=True)[1]
    best[ranked_owner[first_seen]] = sims[order[first_seen]]
    rest = np.ones(len(order), dtype=bool)
    rest[first_seen] = False
    if rest.any():
        second_seen = np.unique(ranked_owner[rest], return_index=True)[1]
        rest_order = order[rest]
        second[owner[rest_order[second_seen]]] = sims[rest_order[second_seen]]
    has_best = np.zeros(n, dtype=bool)
    has_best[ranked_owner[first_seen]] = True
    lonely = has_best & (second == 0)
    second[lonely] = best[lonely] - NO_SECOND
    top = order[:VOTERS]
    weight = np.exp((sims[top] - sims[top[0]]) / VOTE_TEMPERATURE)
    np.add.at(vote, owner[top], weight)
    vote /= vote.sum()
    return best, second, vote


def candidate_features(
    signals: Signals, n_candidates: int, rrf_k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(candidate positions, their feature rows): the union of each ranking's ``n_candidates``
    best passages among the ``allowed`` ones (all when None)."""
    best, second, vote = signals.by_passage
    rankings = []
    candidates = np.zeros(len(signals.dense), dtype=bool)
    for scores in (signals.bm25, signals.dense, best):
        rank = _ranks(scores)
        rankings.append(rank)
        if allowed is None:
            candidates |= rank <= n_candidates
        else:
            kept = np.where(allowed, scores, -np.inf)
            candidates |= allowed & (_ranks(kept) <= n_candidates)
    top_bm25 = float(signals.bm25.max()) or 1.0
    columns = {
        "dense": signals.dense,
        "bank_best": best,
        "bank_second": second,
        "bank_vote": vote,
        "bank_class": signals.bank_class if signals.bank_class is not None else np.zeros(len(signals.dense)),
        "bm25": signals.bm25 / top_bm25,
        "rr_bm25": 1.0 / (rrf_k + rankings[0]),
        "rr_dense": 1.0 / (rrf_k + rankings[1]),
        "rr_bank": 1.0 / (rrf_k + rankings[2]),
        "log_length": signals.log_length,
    }
    positions = np.flatnonzero(candidates)
    matrix = np.column_stack([columns[name][positions] for name in FEATURES])
    return positions, matrix


@dataclass(frozen=True)
class LearnedFusion:
    """A fitted linear score over :data:`FEATURES` (standardised), with where it came from."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    features: tuple[str, ...] = FEATURES
    fingerprint: str = ""
    measurement: Mapping[str, object] = field(default_factory=dict)

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        z = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights)

    def rank(self, positions: np.ndarray, matrix: np.ndarray) -> list[int]:
        """The candidate positions, best first (ties in corpus order)."""
        if len(positions) == 0:
            return []
        order = np.argsort(-self.scores(matrix), kind="stable")
        return [int(positions[i]) for i in order]

    def to_json(self) -> dict:
        return {
            "features": list(self.features), "weights": list(self.weights), "mean": list(self.mean),
            "scale": list(self.scale), "fingerprint": self.fingerprint, "measurement": dict(self.measurement),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LearnedFusion:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("features differ from this version's")
        return cls(
            weights=tuple(float(v) for v in data["weights"]), mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]), features=FEATURES,
            fingerprint=str(data.get("fingerprint", "")), measurement=dict(data.get("measurement", {})),
        )


def pseudo_rrf(order: Sequence[int], weight: float, rrf_k: int) -> dict[int, float]:
    """Scores on RRF's scale for a learned order: the ``n``-th passage gets what RRF gives a
    passage that every retriever ranks ``n``-th (``weight`` = the RRF weights' sum), so the
    diversity step (MMR, relevance relative to the best) weighs variety as it did before."""
    return {i: weight / (rrf_k + n) for n, i in enumerate(order, start=1)}


def fit_listwise(rows: Sequence[tuple[np.ndarray, int]], l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights, mean, scale) of a ListNet fit: for each (candidate features, index of the
    relevant candidate), maximise the softmax probability of the relevant one, with an L2 penalty
    ``l2`` per feature on standardised features. Newton's method with a backtracking line search
    (the loss is convex)."""
    stacked = np.vstack([m for m, _ in rows])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    zs = [((m - mean) / scale, t) for m, t in rows]
    d = stacked.shape[1]

    def loss(w: np.ndarray) -> float:
        total = 0.0
        for z, t in zs:
            s = z @ w
            top = s.max()
            total += top + np.log(np.exp(s - top).sum()) - s[t]
        return total / len(zs) + l2 * float(w @ w)

    w = np.zeros(d)
    current = loss(w)
    for _ in range(50):
        grad = 2 * l2 * w
        hess = 2 * l2 * np.eye(d)
        for z, t in zs:
            s = z @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            mu = p @ z
            grad += (mu - z[t]) / len(zs)
            hess += ((z * p[:, None]).T @ z - np.outer(mu, mu)) / len(zs)
        step = np.linalg.solve(hess, grad)
        size = 1.0
        while size > 1e-4:
            trial = loss(w - size * step)
            if trial <= current - 1e-4 * size * float(grad @ step):
                break
            size /= 2
        w -= size * step
        done = current - trial < 1e-10
        current = trial
        if done:
            break
    return w, mean, scale
