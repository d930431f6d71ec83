"""Index build of the full corpus (cold and warm embedding cache) vs the embedder's raw throughput."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import CLI, env_for, timed_run
from bench.stats import Summary, load_average, summarize


@dataclass
class BuildResult:
    cold_s: float | None = None  # fresh index dir, empty cache, shipped vectors off (None = skipped)
    shipped_s: float | None = None  # fresh index dir, empty cache, shipped vectors on (a fresh clone)
    first_run: dict = field(default_factory=dict)  # fresh clone: index --if-missing + app to first answer
    warm: Summary | None = None  # fresh index dir, warm embedding cache
    raw: dict = field(default_factory=dict)  # bench.raw_embed output
    passages: int = 0
    load: list[str] = field(default_factory=list)


def build_once(work: Path, name: str, cache: Path, **extra: str) -> float:
    index_dir = work / name
    shutil.rmtree(index_dir, ignore_errors=True)
    seconds, _ = timed_run([CLI, "index"], env_for(work / "home", index_dir, cache, **extra))
    return seconds


def first_run(work: Path, question: str) -> dict:
    """What `make run` does on a fresh clone after the install: `secretarisbot index --if-missing`
    with an empty home (no embedding cache, no scope model: shipped vectors only), then the app
    until its first answer. Seconds per step and in total."""
    from bench.procs import App

    home, index_dir = work / "first-home", work / "first-index"
    for folder in (home, index_dir):
        shutil.rmtree(folder, ignore_errors=True)
    env = env_for(home, index_dir)
    index_s, _ = timed_run([CLI, "index", "--if-missing"], env)
    app = App(env, work / "app-first-run.log")
    try:
        ready_s, _ = app.first_answer(question)
    finally:
        app.stop()
    return {"index_s": index_s, "app_s": ready_s, "total_s": index_s + ready_s}


def seed_cache(cache: Path) -> None:
    """Quick runs: start from a consistent copy of the test suite's embedding cache, if any."""
    import sqlite3

    from secretarisbot.settings import PROJECT_ROOT

    source = PROJECT_ROOT / ".cache" / "test-embeddings" / "embeddings.sqlite3"
    if not source.exists():
        return
    cache.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(cache / "embeddings.sqlite3")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def measure(work: Path, *, cold: bool, warm_runs: int) -> tuple[BuildResult, Path]:
    """Build into fresh folders under ``work``; returns the result and a built index folder."""
    result = BuildResult()
    cache = work / "cache"
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
        result.load.append(f"cold build, shipped vectors: {load_average()}")
        result.shipped_s = build_once(work, "index-shipped", cache)
        shutil.rmtree(cache, ignore_errors=True)
        result.load.append(f"cold build, no shipped vectors: {load_average()}")
        result.cold_s = build_once(work, "index-cold", cache, SECRETARISBOT_SHIPPED_VECTORS="false")
        result.load.append(f"raw embedding: {load_average()}")
        _, done = timed_run([sys.executable, "-m", "bench.raw_embed"], env_for(work / "home", work / "x"))
        result.raw = json.loads(done.stdout.strip().splitlines()[-1])
    elif not (cache / "embeddings.sqlite3").exists():
        seed_cache(cache)
    samples = []
    result.load.append(f"warm builds: {load_average()}")
    for i in range(warm_runs):
        samples.append(build_once(work, f"index-warm-{i}", cache))
    result.warm = summarize(samples)
    final = work / "index"
    shutil.rmtree(final, ignore_errors=True)
    (work / f"index-warm-{warm_runs - 1}").rename(final)
    from secretarisbot.index.swap import current_root

    manifest = json.loads((current_root(final)[0] / "manifest.json").read_text(encoding="utf-8"))
    result.passages = int(manifest["passage_count"])
    return result, final
