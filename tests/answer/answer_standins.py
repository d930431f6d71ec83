"""A trivial stand-in retrieval for answer tests (word overlap only; the product uses HybridRetriever)."""

from __future__ import annotations

from secretarisbot.answer.citations import Sources
from secretarisbot.answer.compose import retrieved
from secretarisbot.text import overlap, stems
from secretarisbot.model import Context, Message


def standin_context(question: str, sources: Sources, history: list[Message] | None = None, k: int = 10) -> Context:
    """Top-k passages by plain word overlap with the question (tests only)."""
    q = stems(question)
    ranked = sorted(
        enumerate(sources.passages), key=lambda ip: (-overlap(q, ip[1].text), ip[0])
    )
    top = [p for _, p in ranked[:k] if overlap(q, p.text) > 0]
    return Context(question=question, query=question, history=history or [], passages=retrieved(top))
