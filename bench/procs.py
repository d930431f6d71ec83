"""Subprocess helpers: environments, free ports, peak RSS, and waiting until the app answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from secretarisbot.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent
CLI = str(BIN / "secretarisbot")
APP = str(PROJECT_ROOT / "app.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(home: Path, index_dir: Path, cache_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a secretarisbot subprocess: own home and index, telemetry off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECRETARISBOT_")}
    env.update(
        SECRETARISBOT_HOME=str(home),
        SECRETARISBOT_INDEX_DIR=str(index_dir),
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_OFFLINE="1",
    )
    if cache_dir is not None:
        env["SECRETARISBOT_CACHE_DIR"] = str(cache_dir)
    env.update(extra)
    return env


def timed_run(args: list[str], env: dict[str, str], timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``args`` to completion; (wall seconds, completed process). Raises on a non-zero exit."""
    t = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done


def rss_mib(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MiB, from /proc/<pid>/status."""
    now = peak = 0.0
    with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return now, peak


def maps_mention(pid: int, needle: str) -> bool:
    """Does any file mapped into the process have ``needle`` in its path (e.g. 'libtorch')?"""
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as fh:
        return any(needle in line for line in fh)


def chat_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def classify(chatbot: list[dict[str, Any]]) -> str:
    """'cited', 'refusal' (the Dutch "De bronnen gaan hier niet over.") or 'error' (anything else)."""
    from secretarisbot.answer.prompts import CANNOT_ANSWER

    if is_cited_answer(chatbot):
        return "cited"
    last = [m for m in chatbot if m.get("role") == "assistant"]
    if last and CANNOT_ANSWER in chat_text(last[-1]):
        return "refusal"
    return "error"


def is_cited_answer(chatbot: list[dict[str, Any]]) -> bool:
    """The last turn of a /vraag result is an answer with [n] reader links and a Bronnen block."""
    if len(chatbot) < 3:
        return False
    answer, sources = chatbot[-2], chatbot[-1]
    title = (sources.get("metadata") or {}).get("title") or ""
    return (
        answer.get("role") == "assistant"
        and "[\\[1\\]](?doc=" in chat_text(answer)
        and title.startswith("Bronnen (")
        and "Open in de lezer" in chat_text(sources)
    )


class App:
    """``python app.py`` as a subprocess on a free 127.0.0.1 port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        env = dict(env, SECRETARISBOT_PORT=str(self.port))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, APP], env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )

    def client(self):
        from gradio_client import Client

        return Client(self.url, verbose=False)

    def first_answer(self, question: str, timeout: float = 180) -> tuple[float, list[dict[str, Any]]]:
        """Poll until a gradio_client /vraag call succeeds; (seconds since start, chatbot)."""
        deadline = time.perf_counter() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode}; see {self.log.name}")
            try:
                chatbot, *_ = self.client().predict(question, "Alle vier", api_name="/vraag")
                return time.perf_counter() - self.started, chatbot
            except Exception:
                if time.perf_counter() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
