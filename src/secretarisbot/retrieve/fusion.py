"""Pure rank-combination functions: reciprocal rank fusion and maximal marginal relevance.

    >>> reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]])
    [('a', 0.03252247488101534), ('b', 0.03252247488101534), ('c', 0.015873015873015872)]
    >>> mmr(["a", "b", "c"], {"a": 1.0, "b": 0.9, "c": 0.5}, lambda x, y: 1.0 if {x, y} == {"a", "b"} else 0.0, k=2)
    ['a', 'c']
    >>> promote_continuations({"a": 1.0, "c": 0.5}, {"a": ("b",), "b": ("a", "c"), "c": ("b",)}, share=0.1)
    [('a', 1.0), ('b', 0.1), ('c', 0.5)]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def reciprocal_rank_fusion(
    lists: Sequence[Sequence[K]], weights: Sequence[float] | None = None, k: int = 60
) -> list[tuple[K, float]]:
    """Fuse ranked lists of ids: ``score(d) = sum_i weights[i] / (k + rank_i(d))``, rank 1-based.

    ``k = 60`` is the constant of Cormack et al. (2009): with it, rank 1 scores 1/61 ≈ 0.0164 and
    rank 10 scores 1/70 ≈ 0.0143, so one list's top hit cannot outvote agreement between lists
    (an id at rank 5 in both lists, 2/65 ≈ 0.0308, beats one at rank 1 in one list only).

    Duplicates inside one list count at their best rank. Ties are broken by first appearance
    (list order, then rank), so the result is deterministic. Weights default to 1 each; a zero
    weight ignores that list.
    """
    if weights is None:
        weights = [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"{len(weights)} weights for {len(lists)} lists; give one weight per list")
    if any(w < 0 for w in weights):
        raise ValueError(f"weights must be >= 0, got {list(weights)}")
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    scores: dict[K, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        seen: set[K] = set()
        for rank, key in enumerate(ranked, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    # dicts keep insertion order and sorted() is stable: ties stay in order of first appearance
    return sorted(scores.items(), key=lambda item: -item[1])


def mmr(
    candidates: Sequence[K],
    relevance: Mapping[K, float],
    similarity: Callable[[K, K], float],
    k: int,
    lambda_: float = 0.7,
) -> list[K]:
    """Maximal marginal relevance: pick ``k`` candidates balancing relevance and novelty.

    Each step picks ``argmax lambda_ * rel(d) - (1 - lambda_) * max_{s in selected} sim(d, s)``
    with relevance rescaled to [0, 1] by the maximum, so ``lambda_`` means the same whatever the
    score scale. The first pick is always the most relevant candidate; ties keep candidate order.
    ``lambda_ = 1`` returns the candidates by relevance.
    """
    if not 0.0 <= lambda_ <= 1.0:
        raise ValueError(f"lambda_ must be in [0, 1], got {lambda_}")
    pool = list(dict.fromkeys(candidates))
    if k <= 0 or not pool:
        return []
    top = max((relevance.get(c, 0.0) for c in pool), default=0.0)
    rel = {c: (relevance.get(c, 0.0) / top if top > 0 else 0.0) for c in pool}
    selected: list[K] = []
    # max similarity of each remaining candidate to anything selected so far
    max_sim = {c: 0.0 for c in pool}
    while pool and len(selected) < k:
        best, best_score = pool[0], float("-inf")
        for c in pool:  # strict '>' keeps the earliest candidate among equals
            # The first pick is by relevance alone: with a tiny lambda_ the weighted scores of
            # all candidates underflow to the same value and the order would be arbitrary.
            score = rel[c] if not selected else lambda_ * rel[c] - (1.0 - lambda_) * max_sim[c]
            if score > best_score:
                best, best_score = c, score
        selected.append(best)
        pool.remove(best)
        for c in pool:
            s = similarity(c, best)
            if s > max_sim[c]:
                max_sim[c] = s
    return selected


def promote_continuations(
    scores: Mapping[K, float],
    continuations: Mapping[K, Sequence[K]],
    share: float,
    allowed: Callable[[K], bool] | None = None,
) -> list[tuple[K, float]]:
    """Each candidate gains ``share`` of the best score among the passages its text continues
    (the adjacent passages of its section): the guides' sections are the unit of meaning and
    the chunker cuts the longer ones, so a passage next to a relevant one is more likely relevant
    too. A continuation that was no candidate enters with that share alone (when ``allowed``).
    Returns (id, score), best first; ties keep the order of ``scores``."""
    if share <= 0:
        return sorted(scores.items(), key=lambda item: -item[1])
    out = dict(scores)
    for key, value in scores.items():
        for other in continuations.get(key, ()):
            if other not in scores and (allowed is None or allowed(other)):
                out[other] = max(out.get(other, 0.0), share * value)
    for key, value in scores.items():
        best = max((scores.get(other, 0.0) for other in continuations.get(key, ())), default=0.0)
        out[key] = value + share * best
    return sorted(out.items(), key=lambda item: -item[1])
