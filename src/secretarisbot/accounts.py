"""Accounts for the app's login: who may log in, with passwords checked against salted hashes.

``SECRETARISBOT_AUTH`` holds either one or more ``user:password`` pairs separated by commas, or
the path of an accounts file (it starts with ``/``, ``./`` or ``~``) with one ``user:hash`` line
per person, made with ``secretarisbot account add NAME``::

    # secretarisbot-accounts
    anna:scrypt$16384$8$1$3q2+7w...$Zm9v...
    bert:scrypt$16384$8$1$q83v...$YmFy...

    accounts = load_accounts(settings)        # None when there is no login
    accounts.verify("anna", "geheim")         # True / False, about 50 ms either way

Each name is a person: their reflections and conversation are stored under it (see
``secretarisbot.ui.profiles``). Hashes are scrypt (standard library) with a random salt per user;
a file that changed on disk is read again at the next login, so adding a person needs no restart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from pathlib import Path

from secretarisbot.errors import ConfigError

log = logging.getLogger("secretarisbot.accounts")

SCHEME = "scrypt"
#: scrypt cost: 16 MiB and about 50 ms per check on one core (OWASP's minimum is N=2**17 with
#: r=8 for interactive logins at 128 MiB; 2**14 keeps a burst of logins within a replica's RAM).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 8
FILE_HEADER = "# secretarisbot-accounts: één regel per gebruiker, gemaakt met 'secretarisbot account add NAAM'"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=256 * 1024 * 1024)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$<salt>$<hash>`` (base64) for ``password`` with a fresh random salt."""
    salt = salt or secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(N, r, p, salt, hash) of a stored hash; ValueError when it is not one."""
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != SCHEME:
        raise ValueError(scheme)
    n_, r_, p_ = int(n), int(r), int(p)
    # scrypt needs 128 * N * r bytes: at most 256 MiB (the maxmem below), whatever a file says.
    if n_ < 2 or n_ & (n_ - 1) or not (1 <= r_ <= 64 and 1 <= p_ <= 16) or 128 * n_ * r_ > 2**28 - 2**20:
        raise ValueError("cost")
    return n_, r_, p_, base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)


def verify_password(password: str, stored: str) -> bool:
    try:
        n, r, p, salt, digest = parse_hash(stored)
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.fullmatch(name):
        raise ConfigError(
            f"Ongeldige gebruikersnaam '{name[:80]}': gebruik 1 tot 64 letters, cijfers, '.', '_', '@' "
            "of '-', beginnend met een letter of cijfer."
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"Het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben.")
    if "\n" in password or "\r" in password:
        raise ConfigError("Het wachtwoord mag geen regeleinde bevatten.")
    return password


def account_line(name: str, password: str) -> str:
    """One line of an accounts file: ``name:scrypt$...``."""
    return f"{check_name(name)}:{hash_password(check_password(password))}"


def is_file_value(value: str) -> bool:
    return value.strip().startswith(("/", "./", "../", "~"))


def parse_pairs(value: str) -> dict[str, str]:
    """``anna:geheim,bert:wachtwoord`` -> {name: scrypt hash} (hashed once, in memory)."""
    accounts: dict[str, str] = {}
    for number, item in enumerate(value.split(","), start=1):
        user, sep, password = item.partition(":")
        user = user.strip()
        if not sep or not user or not password:
            raise ConfigError(
                f"SECRETARISBOT_AUTH, account {number}: verwacht 'gebruiker:wachtwoord' (meerdere "
                "gescheiden door komma's), of het pad van een accountbestand (beginnend met '/')."
            )
        check_name(user)
        if user in accounts:
            raise ConfigError(f"SECRETARISBOT_AUTH noemt gebruiker '{user}' twee keer.")
        accounts[user] = hash_password(password)
    return accounts


def parse_file_text(text: str, label: str) -> dict[str, str]:
    """The accounts of an accounts file's text; ConfigError names the line that is wrong."""
    accounts: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        where = f"{label}, regel {number}"
        if not sep:
            raise ConfigError(f"{where}: verwacht 'gebruiker:hash'.")
        try:
            check_name(user)
        except ConfigError as err:
            raise ConfigError(f"{where}: {err}") from None
        try:
            parse_hash(stored.strip())
        except ValueError:
            raise ConfigError(
                f"{where}: geen geldige wachtwoord-hash. Maak de regel met: secretarisbot account add "
                f"{user.strip()}"
            ) from None
        if user in accounts:
            raise ConfigError(f"{where}: gebruiker '{user}' staat er twee keer in.")
        accounts[user] = stored.strip()
    if not accounts:
        raise ConfigError(f"{label} bevat geen enkel account. Voeg er een toe met: secretarisbot account add NAAM")
    return accounts


class Accounts:
    """The accounts of ``SECRETARISBOT_AUTH``; an accounts file is re-read when it changes."""

    def __init__(self, entries: dict[str, str], path: Path | None = None) -> None:
        self._entries = entries
        self._path = path
        self._stamp = self._stat()
        self._lock = threading.Lock()
        # Checked for an unknown name, so its answer takes as long as a known one's.
        self._dummy = hash_password(secrets.token_hex(8))

    @classmethod
    def from_value(cls, value: str) -> Accounts:
        value = value.strip()
        if is_file_value(value):
            path = Path(value).expanduser()
            return cls(read_accounts_file(path), path)
        return cls(parse_pairs(value))

    def _stat(self) -> tuple[int, int] | None:
        if self._path is None:
            return None
        try:
            st = self._path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        if self._path is None:
            return
        stamp = self._stat()
        if stamp is None or stamp == self._stamp:
            return
        with self._lock:
            try:
                self._entries = read_accounts_file(self._path)
                self._stamp = stamp
            except ConfigError:
                # A half-edited file keeps the accounts that were valid until now.
                log.warning("accounts file unreadable; keeping the previous accounts")

    @property
    def names(self) -> list[str]:
        self._refresh()
        return sorted(self._entries)

    def verify(self, name: str, password: str) -> bool:
        self._refresh()
        stored = self._entries.get((name or "").strip())
        ok = verify_password(password or "", stored or self._dummy)
        return ok and stored is not None

    __call__ = verify  # Gradio's auth callable: (username, password) -> bool


def read_accounts_file(path: Path) -> dict[str, str]:
    label = f"Het accountbestand '{path.name}'"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{label} bestaat niet. Maak het met: secretarisbot account add NAAM --file PAD") from None
    except PermissionError:
        raise ConfigError(f"{label} is niet leesbaar voor de app (geen leesrechten).") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{label} is niet leesbaar ({type(err).__name__}).") from None
    return parse_file_text(text, label)


def write_account(path: Path, name: str, line: str) -> bool:
    """Add or replace ``name``'s line in the accounts file (created 0600); True when replaced."""
    path = Path(path).expanduser()
    lines: list[str] = []
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
    replaced = False
    out = []
    for raw in lines:
        if raw.strip() and not raw.lstrip().startswith("#") and raw.split(":", 1)[0].strip() == name:
            if not replaced:
                out.append(line)
            replaced = True
            continue
        out.append(raw)
    if not replaced:
        if not out:
            out.append(FILE_HEADER)
        out.append(line)
    _write_private(path, "\n".join(out) + "\n")
    return replaced


def remove_account(path: Path, name: str) -> bool:
    path = Path(path).expanduser()
    if not path.exists():
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = [
        raw for raw in lines
        if not (raw.strip() and not raw.lstrip().startswith("#") and raw.split(":", 1)[0].strip() == name)
    ]
    if len(keep) == len(lines):
        return False
    _write_private(path, "\n".join(keep) + "\n")
    return True


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_accounts(settings) -> Accounts | None:
    """The accounts of ``settings.auth``, or None when the app runs without a login."""
    if not settings.auth or not settings.auth.strip():
        return None
    return Accounts.from_value(settings.auth)
