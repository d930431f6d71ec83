"""Run the default path while recording every attempt to reach another machine (an audit hook on
socket.connect and socket.getaddrinfo). Meant to run inside ``unshare -n`` (no network at all).

    python netns_probe.py ask "<question>"     # `secretarisbot ask --json`, in this process
    python netns_probe.py app "<question>"     # python app.py's launch + one gradio_client call

Prints one JSON line: {"outbound": [...], "ok": bool, ...}.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys

LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0", None, ""}
outbound: list[str] = []


def _hook(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address[0] not in LOCAL:
            outbound.append(f"connect {address[0]}:{address[1]}")
    elif event == "socket.getaddrinfo":
        host = args[0]
        host = host.decode() if isinstance(host, bytes) else host
        if host not in LOCAL:
            outbound.append(f"dns {host}")


def loopback_up() -> None:
    """``ip link set lo up`` without needing iproute2 (SIOCGIFFLAGS / SIOCSIFFLAGS)."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
        flags = struct.unpack("16sH14s", fcntl.ioctl(s, 0x8913, ifr))[1]
        fcntl.ioctl(s, 0x8914, struct.pack("16sH14s", b"lo", flags | 0x1, b"\0" * 14))


def ask(question: str) -> dict:
    from secretarisbot.cli import cli

    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out):
        try:
            cli.main(["ask", "--json", question], prog_name="secretarisbot", standalone_mode=False)
        except SystemExit as err:  # pragma: no cover - click's exit on errors
            code = int(err.code or 0)
    answer = json.loads(out.getvalue())
    return {"ok": code == 0 and answer["in_scope"] and bool(answer["citations"]), "citations": len(answer["citations"])}


def app(question: str) -> dict:
    import runpy
    import socket

    loopback_up()
    runpy.run_path(str(__import__("pathlib").Path(__file__).resolve().parents[2] / "app.py"))  # not __main__
    from gradio_client import Client

    from secretarisbot.settings import get_settings
    from secretarisbot.ui.app import build_app, launch_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = get_settings().model_copy(update={"port": port})
    demo = build_app(settings)
    launch_app(demo, settings, prevent_thread_lock=True, quiet=True)
    try:
        chatbot, *_ = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(question, "Alle vier", api_name="/vraag")
    finally:
        demo.close()
    title = (chatbot[-1].get("metadata") or {}).get("title") or ""
    return {"ok": title.startswith("Bronnen ("), "server_name": demo.server_name}


def main() -> None:
    sys.addaudithook(_hook)
    mode, question = sys.argv[1], sys.argv[2]
    result = ask(question) if mode == "ask" else app(question)
    result["outbound"] = sorted(set(outbound))
    print("PROBE " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
