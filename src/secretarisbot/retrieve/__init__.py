"""Retrieval: hybrid BM25 + dense search with Dutch query understanding.

Public API:

- ``HybridRetriever(index, settings).retrieve(question, history=(), *, k=10, filters=None) -> Context``
- ``HybridRetriever.search(...) -> Retrieval`` (the Context plus per-retriever scores and timings)
- ``reciprocal_rank_fusion(lists, weights=None, k=60)``, ``mmr(...)``: pure rank functions
- ``build_query(question, history)``, ``is_follow_up(question)``: query understanding
- ``analyze(text)``: the Dutch analyser BM25 uses
"""

from secretarisbot.retrieve.analyze import analyze
from secretarisbot.retrieve.fusion import mmr, reciprocal_rank_fusion
from secretarisbot.retrieve.query import Query, build_query, is_follow_up
from secretarisbot.retrieve.retriever import HybridRetriever, Retrieval

__all__ = [
    "HybridRetriever",
    "Query",
    "Retrieval",
    "analyze",
    "build_query",
    "is_follow_up",
    "mmr",
    "reciprocal_rank_fusion",
]
