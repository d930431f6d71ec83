"""A local OpenAI-compatible llama.cpp server for ``SECRETARISBOT_LLM=gguf:/path/model.gguf``.

The server (xllamacpp's embedded llama.cpp HTTP server) runs in a child process, so a crash or a
slow model load never takes the app down, and its logs go to ``<home>/logs/llm-server.log``:

    base_url = ensure_server(Path("model.gguf"), log_dir=settings.home / "logs")
    # -> "http://127.0.0.1:41234/v1", started once per process, stopped at exit

The child binds 127.0.0.1 on a free port (port 0), prints ``LISTENING <address>`` on stdout, and
serves until its stdin closes, which also happens when the parent dies, so no server outlives
the process that started it. Run by hand (for debugging)::

    python -m secretarisbot.answer.llm_server --model /path/model.gguf
"""

from __future__ import annotations

import argparse
import atexit
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from secretarisbot.errors import SecretarisbotError

#: Context window of the local server: the prompt (about ten passages) plus the answer.
LOCAL_CTX = 8192
#: Seconds a model may take to load before we give up on the local server.
STARTUP_TIMEOUT = 120.0
_READY_PREFIX = "LISTENING "
_ERROR_PREFIX = "ERROR "


class LocalServerError(SecretarisbotError):
    """The local llama.cpp server could not be started (the message is Dutch)."""


@dataclass
class LocalServer:
    """A running child process serving one GGUF model."""

    model: Path
    process: subprocess.Popen
    address: str  # http://127.0.0.1:<port>
    log_path: Path | None

    @property
    def base_url(self) -> str:
        return self.address + "/v1"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        """Close the child's stdin (it exits cleanly), then terminate/kill if it lingers."""
        proc = self.process
        if proc.poll() is not None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=grace)
        except (subprocess.TimeoutExpired, OSError):
            proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=grace)


_servers: dict[Path, LocalServer] = {}
_lock = threading.Lock()


def ensure_server(
    model: Path,
    *,
    log_dir: Path | None = None,
    n_ctx: int = LOCAL_CTX,
    n_predict: int = -1,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> str:
    """Start (once per process and model) a local server for ``model``; return its /v1 base URL."""
    model = Path(model).resolve()
    with _lock:
        server = _servers.get(model)
        if server is not None and server.alive():
            return server.base_url
        server = _start(model, log_dir, n_ctx, n_predict, startup_timeout)
        _servers[model] = server
        return server.base_url


def stop_all() -> None:
    """Stop every server this process started (registered with atexit)."""
    with _lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.stop()


atexit.register(stop_all)


def _start(model: Path, log_dir: Path | None, n_ctx: int, n_predict: int, timeout: float) -> LocalServer:
    log_path: Path | None = None
    log_file = subprocess.DEVNULL
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / "llm-server.log"
        log_file = log_path.open("ab")  # type: ignore[assignment]
    cmd = [
        sys.executable, "-m", "secretarisbot.answer.llm_server",
        "--model", str(model), "--ctx", str(n_ctx), "--n-predict", str(n_predict),
    ]  # fmt: skip
    try:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log_file, text=True, bufsize=1
        )
    finally:
        if log_file is not subprocess.DEVNULL:
            log_file.close()  # type: ignore[union-attr]
    where = f" (zie {log_path})" if log_path else ""

    # Read the child's stdout on a thread: portable (no select on pipes) and bounded by a timeout.
    lines: queue.Queue[str | None] = queue.Queue()

    def _reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=_reader, name="secretarisbot-llm-server-stdout", daemon=True).start()
    deadline = time.monotonic() + timeout
    address = None
    while address is None:
        remaining = deadline - time.monotonic()
        try:
            line = lines.get(timeout=max(remaining, 0.01))
        except queue.Empty:
            _kill(proc)
            raise LocalServerError(
                f"De lokale taalmodel-server startte niet binnen {timeout:g} seconden{where}."
            ) from None
        if line is None:
            proc.wait(timeout=5)
            raise LocalServerError(
                f"De lokale taalmodel-server stopte tijdens het starten (code {proc.returncode}){where}."
            )
        if line.startswith(_ERROR_PREFIX):
            _kill(proc)
            raise LocalServerError(
                f"De lokale taalmodel-server kon {model.name} niet laden: {line[len(_ERROR_PREFIX):]}{where}."
            )
        if line.startswith(_READY_PREFIX):
            address = line[len(_READY_PREFIX):].strip().rstrip("/")
    server = LocalServer(model=model, process=proc, address=address, log_path=log_path)
    try:
        _wait_healthy(address, deadline)
    except LocalServerError:
        server.stop()
        raise
    return server


def _wait_healthy(address: str, deadline: float) -> None:
    """Poll GET /health until it says ok (503 while the model is still loading)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1: never a proxy
    last = ""
    while time.monotonic() < deadline:
        try:
            with opener.open(address + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return
                last = f"status {resp.status}"
        except OSError as err:  # URLError/HTTPError (503 while loading) are OSErrors
            last = str(err)
        time.sleep(0.1)
    raise LocalServerError(f"De lokale taalmodel-server werd niet gezond ({last}).")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=5)


# --- the child process ----------------------------------------------------------------------


def serve(model: str, n_ctx: int = LOCAL_CTX, n_predict: int = -1) -> int:
    """Load ``model`` into xllamacpp's server on 127.0.0.1:<free port>; serve until stdin closes."""
    try:
        import xllamacpp as xlc

        params = xlc.CommonParams()
        params.model.path = model
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # any free port; the server reports it in listening_address
        params.n_ctx = n_ctx
        params.n_predict = n_predict
        params.n_parallel = 1
        params.ui = False
        server = xlc.Server(params)
        address = server.listening_address
    except Exception as err:  # noqa: BLE001 - reported to the parent, which raises a Dutch error
        print(f"{_ERROR_PREFIX}{type(err).__name__}: {err}", flush=True)
        return 1
    print(f"{_READY_PREFIX}{address}", flush=True)
    try:
        sys.stdin.read()  # returns at EOF: the parent closed the pipe or died
    except KeyboardInterrupt:
        pass
    del server  # ~Server stops the HTTP server and the main loop
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local OpenAI-compatible llama.cpp server (xllamacpp).")
    parser.add_argument("--model", required=True, help="Path to a .gguf file.")
    parser.add_argument("--ctx", type=int, default=LOCAL_CTX, help="Context window in tokens.")
    parser.add_argument("--n-predict", type=int, default=-1, help="Max tokens per answer (-1 = no cap).")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return serve(args.model, args.ctx, args.n_predict)


if __name__ == "__main__":
    sys.exit(main())
