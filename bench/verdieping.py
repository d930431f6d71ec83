"""Chat latency while maximal "Verdieping" requests run (issue 12, finding 4).

A Verdieping used to send all it was given to the query embedder, which serves every chat under one
process-wide lock: with 64,000 characters chat answers went from 1.2 s to 25.7 s, with 1 MB the
process was busy for more than 19 minutes. Now the app searches with at most 2,000 characters
(``ui/spiegel.MAX_DEEPEN``) and the embedder takes at most 6,000 per call. This measures chat
answers alone, then while one client sends the largest Verdieping the app accepts (seven fields of
50,000 characters) back to back, and reports medians and their ratio.

    python -m bench.verdieping --index-dir index      # a built index; writes bench/verdieping.md
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import Summary, load_average, summarize

HERE = Path(__file__).resolve().parent


@dataclass
class VerdiepingResult:
    alone: Summary | None = None  # seconds per chat answer, nothing else running
    during: Summary | None = None  # seconds per chat answer while maximal Verdiepingen run
    verdieping: Summary | None = None  # seconds per maximal Verdieping
    chars: int = 0  # characters sent per Verdieping
    errors: list[str] = field(default_factory=list)
    load: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.alone is None or self.during is None or not self.alone.median:
            return None
        return self.during.median / self.alone.median


def _chat(url: str, questions: list[str], errors: list[str]) -> list[float]:
    from gradio_client import Client

    from bench.procs import classify

    client = Client(url, verbose=False)
    out = []
    for q in questions:
        t = time.perf_counter()
        chatbot, *_ = client.predict(q, "Alle vier", api_name="/vraag")
        out.append(time.perf_counter() - t)
        if classify(chatbot) == "error":
            errors.append(f"chat error for {q[:40]!r}")
    return out


def measure(url: str, questions: list[str], rounds: int = 20) -> VerdiepingResult:
    from gradio_client import Client

    from secretarisbot.reflect.store import MAX_VALUE

    result = VerdiepingResult()
    asked = [questions[i % len(questions)] for i in range(rounds)]
    _chat(url, asked[:2], result.errors)  # warm
    result.load.append(f"alone: {load_average()}")
    result.alone = summarize(_chat(url, asked, result.errors))

    # The largest Verdieping the page accepts: every field at the store's limit.
    text = ("De griffier hielp de nieuwe raad inwerken en de directie bleef tegenwerken. " * 700)[:MAX_VALUE]
    result.chars = 7 * len(text)
    stop = threading.Event()
    durations: list[float] = []

    def deepen() -> None:
        client = Client(url, verbose=False)
        while not stop.is_set():
            t = time.perf_counter()
            try:
                client.predict("bench", "spiegel", "bondgenoten", text, *[text] * 6, api_name="/spiegel_verdieping")
            except Exception as err:  # noqa: BLE001 - reported, the run goes on
                result.errors.append(f"verdieping: {type(err).__name__}: {err}"[:200])
                return
            durations.append(time.perf_counter() - t)

    worker = threading.Thread(target=deepen, daemon=True)
    worker.start()
    time.sleep(1.0)  # the first Verdieping is under way
    result.load.append(f"during: {load_average()}")
    result.during = summarize(_chat(url, asked, result.errors))
    stop.set()
    worker.join(timeout=600)
    if durations:
        result.verdieping = summarize(durations)
    return result


def render(result: VerdiepingResult) -> list[str]:
    """The section of bench/results.md (also written alone to bench/verdieping.md)."""
    from bench.report import STATS_HEAD, _row

    out = ["## Chat under a maximal Verdieping", ""]
    out += [
        f"One client sends the largest Verdieping the page accepts ({result.chars:,} characters: seven "
        "fields at the 50,000-character limit) back to back, while another asks chat questions "
        "one after the other. Before issue 12 the whole text went to the query embedder under its "
        "process-wide lock (64,000 characters: chat 1.2 s → 25.7 s).",
        "",
        STATS_HEAD,
        _row("chat answer, alone", result.alone, "s", 2),
        _row("chat answer, during maximal Verdiepingen", result.during, "s", 2),
        _row("one maximal Verdieping", result.verdieping, "s", 2),
        "",
    ]
    ratio = result.ratio
    out += [f"- **median ratio during / alone**: {ratio:.2f}" if ratio is not None else "- ratio: –"]
    out += [f"- **load average**: " + "; ".join(result.load)]
    if result.errors:
        out += [f"- **errors** ({len(result.errors)}): " + "; ".join(result.errors[:5])]
    return out + [""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.verdieping", description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="a built index (secretarisbot index)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=HERE / "verdieping.md")
    args = parser.parse_args(argv)

    from bench.procs import App, env_for
    from bench.run import questions

    work = Path(tempfile.mkdtemp(prefix="secretarisbot-verdieping-"))
    app = App(env_for(work / "home", args.index_dir.absolute()), work / "app.log")
    try:
        app.first_answer(questions()[0])
        result = measure(app.url, questions(), rounds=args.rounds)
    finally:
        app.stop()
    text = "\n".join(["# secretarisbot benchmark: Verdieping", "", *render(result)])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
