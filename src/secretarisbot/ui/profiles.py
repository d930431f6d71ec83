"""Whose data a request may touch, and the login guard in front of Gradio's ``/login``.

With a login (``SECRETARISBOT_AUTH``) the profile is the logged-in user, taken on the server from
the request's session; whatever profile id a client sends is ignored. Without a login (one person
on a laptop) the profile is the random id the browser keeps in its localStorage, as before.

    key = profile_key(services, request, sent_id)      # "user:anna", or the browser id

Login attempts are limited per (user, address) and per address; failures are logged with the
name and address, never the password.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import parse_qs

from secretarisbot.errors import InputError

log = logging.getLogger("secretarisbot.ui")

USER_PREFIX = "user:"
#: The profile of an app without login whose browser sent no id (one person on a laptop).
DEFAULT_PROFILE = "lokaal"
#: A browser id: the app makes 32 hex characters; tests and scripts may use short names.
BROWSER_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
NO_LOGIN = "Je sessie is verlopen of je bent niet ingelogd. Herlaad de pagina en log opnieuw in."
BAD_ID = "Ongeldig profiel-id: gebruik 1 tot 64 letters, cijfers, '-' of '_'. Herlaad de pagina."


def profile_key(login: bool, request: Any, sent: str | None, *, empty: str | None = DEFAULT_PROFILE) -> str | None:
    """The profile a request acts for (InputError with a Dutch message when there is none).

    ``empty`` is what an app without login uses when the browser sent no id.
    """
    if login:
        user = getattr(request, "username", None) if request is not None else None
        if not user:
            raise InputError(NO_LOGIN)
        return USER_PREFIX + str(user)
    sent = (sent or "").strip() if isinstance(sent, str) else ""
    if not sent:
        return empty
    if not BROWSER_ID_RE.fullmatch(sent):
        raise InputError(BAD_ID)
    return sent


# --- login rate limit ------------------------------------------------------------------------


class LoginLimiter:
    """Failed logins in a sliding window, per (user, address) and per address.

    Five wrong passwords for one name from one address block that pair for the rest of the window
    (five minutes); thirty failures from one address, whatever the names, block the address. A
    successful login clears its pair. Memory is bounded: old entries are pruned.
    """

    def __init__(self, per_user: int = 5, per_address: int = 30, window: float = 300.0, max_keys: int = 50_000) -> None:
        self.per_user = per_user
        self.per_address = per_address
        self.window = window
        self.max_keys = max_keys
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._failures.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.window:
            q.popleft()
        if not q:
            self._failures.pop(key, None)
        return q

    def retry_after(self, user: str, address: str, now: float | None = None) -> float:
        """Seconds until this pair may try again; 0 when it may try now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            waits = []
            pair = self._recent((user, address), now)
            if len(pair) >= self.per_user:
                waits.append(self.window - (now - pair[-self.per_user]))
            addr = self._recent(("", address), now)
            if len(addr) >= self.per_address:
                waits.append(self.window - (now - addr[-self.per_address]))
            return max(waits, default=0.0)

    def failure(self, user: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) > self.max_keys:
                for key in list(self._failures):
                    self._recent(key, now)
            for key in ((user, address), ("", address)):
                self._failures.setdefault(key, deque(maxlen=max(self.per_user, self.per_address))).append(now)

    def success(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user, address), None)


class LoginGuard:
    """ASGI middleware in front of Gradio's ``POST /login``: refuses blocked pairs with 429 and
    records the outcome of every attempt (a 400 from Gradio is a wrong name or password)."""

    MAX_BODY = 16_384

    def __init__(self, app: Any, limiter: LoginLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        if scope.get("method") != "POST" or not path.rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.MAX_BODY:
                await _reply(send, 413, "Het inlogverzoek is te groot.")
                return
        fields = parse_qs(body.decode("utf-8", "replace"))
        user = (fields.get("username") or [""])[0].strip()[:128]
        client = scope.get("client") or ("?", 0)
        address = str(client[0])
        wait = self.limiter.retry_after(user, address)
        if wait > 0:
            log.warning("login refused (too many failures): user=%r address=%s", user, address)
            minutes = max(1, round(wait / 60))
            await _reply(
                send, 429, f"Te veel mislukte inlogpogingen. Probeer het over {minutes} minuut/minuten opnieuw."
            )
            return

        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 200:
                    self.limiter.success(user, address)
                elif status in (400, 401, 403):
                    self.limiter.failure(user, address)
                    log.warning("login failed: user=%r address=%s", user, address)
            await send(message)

        await self.app(scope, replay, watch)


async def _reply(send: Any, status: int, detail: str) -> None:
    data = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
