"""Launching the app for tests: a free port on 127.0.0.1, prevent_thread_lock, a gradio_client."""

from __future__ import annotations

import shutil
import socket

from secretarisbot.settings import PROJECT_ROOT, Settings

#: Screenshots of the browser tests (git-ignored).
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    def __init__(self, demo, settings: Settings, assistant) -> None:
        self.demo = demo
        self.settings = settings
        self.assistant = assistant
        self.url = f"http://127.0.0.1:{settings.port}/"

    def client(self, **kw):
        from gradio_client import Client

        return Client(self.url, verbose=False, **kw)


def launch(settings: Settings, assistant=None, index=None) -> Running:
    from secretarisbot.ui.app import build_app, launch_app

    demo = build_app(settings, assistant=assistant, index=index)
    launch_app(demo, settings, prevent_thread_lock=True, quiet=True)
    return Running(demo, settings, assistant)


QUESTION = "Wat doe ik als de mede-directeur blokkeert?"

#: No event for the chat is pending: Gradio hides the chat's status tracker again when one is over
#: (it stays shown from an answer's first streamed part to its last).
CHAT_IDLE = "!!document.querySelector('#sb-chat > [data-testid=status-tracker]')?.classList.contains('hide')"
#: The page has started: the browser's profile id is set (spiegel.PROFILE_JS keeps it in
#: localStorage) and the stored conversation's restore is over. A question sent earlier is asked
#: without the id and not stored, and the next question's conversation, read from storage, lacks it
#: (a run under load lost its first question that way).
PAGE_READY = f"k => !!localStorage.getItem(k) && {CHAT_IDLE}"
#: The n-th answer is complete: its question is in the chat and its event is over.
ANSWERED = f"n => document.querySelectorAll('#sb-chat .user-row').length >= n && {CHAT_IDLE}"


def wait_until_ready(page) -> None:
    """The app is on the page and has started (PAGE_READY): a question can be sent."""
    from secretarisbot.ui.spiegel import PROFILE_KEY

    page.wait_for_selector("#sb-question textarea", timeout=60_000)
    page.wait_for_function(PAGE_READY, arg=PROFILE_KEY, timeout=60_000)


#: Resolves after the page's next two frames have been drawn.
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))"


def open_tab(page, name: str) -> None:
    """Click the tab ``name`` and wait until the page has settled on it (two frames drawn).

    Gradio finishes switching a tab a few milliseconds after the click: a reflection filled in
    straight after it was set back to the stored text by the page (the Svelte field's bound value;
    4 of 42 runs of the Spiegel fill right after the click, 0 of 24 after two frames, 0 of 20 after
    100 or 400 ms; 2026-12-04). No person types that fast; a test must not either.
    """
    page.get_by_role("tab", name=name).click()
    page.wait_for_function(
        "n => document.querySelector('[role=tab][aria-selected=true]')?.innerText.trim() === n", arg=name,
        timeout=10_000,
    )
    page.evaluate(TWO_FRAMES)


def ask(page, question: str, n: int) -> None:
    """Send the n-th question of the page from the question field and wait for its whole answer."""
    page.locator("#sb-question textarea").fill(question)
    page.locator("#sb-question textarea").press("Enter")
    page.wait_for_function(ANSWERED, arg=n, timeout=60_000)


def log_in(page, url: str, user: str, password: str) -> None:
    """Gradio's login page: name, password, the Login button; then the app is there."""
    page.goto(url)
    page.locator("input[type=text]").first.fill(user)
    page.locator("input[type=password]").fill(password)
    page.locator("button").last.click()  # "Login", or its translation for the browser's locale
    page.wait_for_selector("#sb-question textarea", timeout=60_000)


def value_of(x):
    """A returned value, unwrapped from a gr.update() dict."""
    return x.get("value") if isinstance(x, dict) and x.get("__type__") == "update" else x


def text_of(message: dict) -> str:
    """The text of a chatbot message as gradio_client returns it."""
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)
