"""Launch the real app (real Services and Assistant) in-process on a free 127.0.0.1 port."""

from __future__ import annotations

import socket
from typing import Any

from secretarisbot.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningApp:
    def __init__(self, settings: Settings) -> None:
        from secretarisbot.ui.app import build_app, launch_app

        self.settings = settings.model_copy(update={"port": free_port()})
        self.demo = build_app(self.settings)
        launch_app(self.demo, self.settings, prevent_thread_lock=True, quiet=True)
        self.url = f"http://127.0.0.1:{self.settings.port}/"

    def client(self, **kw: Any):
        from gradio_client import Client

        return Client(self.url, verbose=False, **kw)

    def close(self) -> None:
        self.demo.close()


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)
