"""OpenMP wait policy vs CPU contention: query embedding latency in four conditions (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.procs import env_for
from bench.stats import Summary, summarize

HOG = "import time\nt = time.time()\nwhile time.time() - t < 600: pass\n"


def probe(work: Path, policy: str | None) -> Summary:
    extra = {"OMP_WAIT_POLICY": policy} if policy else {}
    env = env_for(work / "home", work / "unused-index", **extra)
    if not policy:
        env.pop("OMP_WAIT_POLICY", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.omp_probe"], env=env, capture_output=True, text=True, timeout=600, check=True
    )
    return summarize(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(work: Path) -> list[tuple[str, Summary]]:
    rows = [
        ("default OpenMP, no extra load", probe(work, None)),
        ("OMP_WAIT_POLICY=PASSIVE, no extra load", probe(work, "PASSIVE")),
    ]
    hog = subprocess.Popen([sys.executable, "-c", HOG])
    try:
        rows.append(("default OpenMP, one core busy with another process", probe(work, None)))
        rows.append(("OMP_WAIT_POLICY=PASSIVE, one core busy with another process", probe(work, "PASSIVE")))
    finally:
        hog.kill()
        hog.wait()
    return rows
