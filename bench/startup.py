"""Cold start: ``secretarisbot ask`` to its first answer, and ``python app.py`` to its first answer."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import CLI, App, env_for, is_cited_answer, timed_run
from bench.stats import Summary, load_average, summarize


@dataclass
class StartupResult:
    cli: Summary | None = None
    import_only: Summary | None = None  # `python -c "import secretarisbot.cli"`: the import share
    app: Summary | None = None
    app_cited: bool = False
    phases: list[tuple[str, Summary]] = field(default_factory=list)  # bench.cold_phases, per phase
    load: list[str] = field(default_factory=list)


def cli_cold(work: Path, index_dir: Path, question: str, runs: int) -> tuple[Summary, Summary]:
    env = env_for(work / "home", index_dir)
    samples, imports = [], []
    for _ in range(runs):
        seconds, done = timed_run([CLI, "ask", "--json", question], env)
        answer = json.loads(done.stdout)
        if not answer["citations"]:
            raise RuntimeError(f"cold CLI answer without citations: {answer['answer'][:200]}")
        samples.append(seconds)
        seconds, _ = timed_run([sys.executable, "-c", "import secretarisbot.cli"], env)
        imports.append(seconds)
    return summarize(samples), summarize(imports)


def app_cold(work: Path, index_dir: Path, question: str, runs: int) -> tuple[Summary, bool]:
    samples, cited = [], True
    for i in range(runs):
        app = App(env_for(work / "home", index_dir), work / f"app-start-{i}.log")
        try:
            seconds, chatbot = app.first_answer(question)
        finally:
            app.stop()
        samples.append(seconds)
        cited = cited and is_cited_answer(chatbot)
    return summarize(samples), cited


def cold_phases(work: Path, index_dir: Path, question: str, runs: int) -> list[tuple[str, Summary]]:
    env = env_for(work / "home", index_dir)
    per_phase: dict[str, list[float]] = {}
    for _ in range(runs):
        _, done = timed_run([sys.executable, "-m", "bench.cold_phases", question], env)
        for name, seconds in json.loads(done.stdout.strip().splitlines()[-1])["phases"]:
            per_phase.setdefault(name, []).append(seconds)
    return [(name, summarize(values)) for name, values in per_phase.items()]


def measure(work: Path, index_dir: Path, question: str, *, cli_runs: int, app_runs: int) -> StartupResult:
    result = StartupResult()
    result.load.append(f"CLI cold start: {load_average()}")
    result.cli, result.import_only = cli_cold(work, index_dir, question, cli_runs)
    result.phases = cold_phases(work, index_dir, question, max(3, cli_runs // 2))
    result.load.append(f"app cold start: {load_average()}")
    result.app, result.app_cited = app_cold(work, index_dir, question, app_runs)
    return result
