"""Concurrent conversations against a running app through gradio_client (one Client per conversation)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.procs import chat_text, classify
from bench.stats import Summary, load_average, summarize


@dataclass
class LoadResult:
    conversations: int = 0
    per_conversation: int = 0
    latency: Summary | None = None  # seconds per /vraag call, queueing included
    single: Summary | None = None  # one client alone, sequential: Gradio's own round trip
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    uncited: int = 0  # the Dutch refusal (out of scope)
    load: list[str] = field(default_factory=list)


def conversation(url: str, questions: list[str]) -> tuple[list[float], list[str], int]:
    """(latencies, errors, refusals); an error message shown in the chat counts as an error."""
    from gradio_client import Client

    latencies, errors, uncited = [], [], 0
    client = Client(url, verbose=False)
    for q in questions:
        t = time.perf_counter()
        try:
            chatbot, *_ = client.predict(q, "Alle vier", api_name="/vraag")
        except Exception as err:  # noqa: BLE001 - counted and reported, the run goes on
            errors.append(f"{type(err).__name__}: {err}"[:300])
            continue
        latencies.append(time.perf_counter() - t)
        kind = classify(chatbot)
        uncited += kind == "refusal"
        if kind == "error":
            errors.append("chat shows: " + chat_text(chatbot[-1])[:200])
    return latencies, errors, uncited


def measure(url: str, questions: list[str], conversations: int = 20, per_conversation: int = 5) -> LoadResult:
    result = LoadResult(conversations=conversations, per_conversation=per_conversation)
    plans = [
        [questions[(c * per_conversation + i) % len(questions)] for i in range(per_conversation)]
        for c in range(conversations)
    ]
    result.load.append(f"load run: {load_average()}")
    alone, errors, _ = conversation(url, questions[:10])
    result.errors += errors
    if alone:
        result.single = summarize(alone)
    t = time.perf_counter()
    latencies: list[float] = []
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        for lat, errors, uncited in pool.map(lambda plan: conversation(url, plan), plans):
            latencies += lat
            result.errors += errors
            result.uncited += uncited
    result.wall_s = time.perf_counter() - t
    if latencies:
        result.latency = summarize(latencies)
    return result
