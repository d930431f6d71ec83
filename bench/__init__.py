"""The secretarisbot benchmark (``make bench`` = ``python -m bench.run``), results in bench/results.md.

Modules: ``stats`` (medians, p95, machine description), ``procs`` (subprocesses, free ports, RSS,
the app's readiness), ``build`` (index build vs the embedder's raw throughput), ``startup`` (CLI and
app cold start), ``latency`` (warm retrieval/answer latency, the floor, the profile), ``load``
(concurrent conversations through gradio_client), ``report`` (the Markdown), ``run`` (all of it).
"""
