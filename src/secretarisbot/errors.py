"""Domain errors. Each message is Dutch (users read it) and says what to do next."""

from __future__ import annotations


class SecretarisbotError(Exception):
    """Base class; ``str(err)`` is a Dutch message fit to show a user as is."""


class IndexMissingError(SecretarisbotError):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"Er is nog geen index in {where}. Bouw hem met: secretarisbot index"
        )


class IndexMismatchError(SecretarisbotError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"De index past niet bij de instellingen ({what}). "
            "Bouw hem opnieuw met: secretarisbot index --rebuild"
        )


class IndexCorruptError(SecretarisbotError):
    def __init__(self, where: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"De index in {where} is beschadigd{extra}. "
            "Bouw hem opnieuw met: secretarisbot index --rebuild"
        )


class IndexUnreadableError(SecretarisbotError):
    """The index is there and whole, but this process cannot use it (permissions, a full disk)."""

    def __init__(self, where: str, detail: str, fix: str) -> None:
        super().__init__(f"De index in {where} kan niet worden gebruikt: {detail}. {fix}")


class ChromaUnavailableError(SecretarisbotError):
    """The Chroma server of SECRETARISBOT_CHROMA_URL does not answer."""

    def __init__(self, url: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"De Chroma-server op {url} is niet bereikbaar{extra}. Start hem (chroma run --host "
            "127.0.0.1 --port <poort> --path <map>) of verwijder SECRETARISBOT_CHROMA_URL om de "
            "lokale index te gebruiken."
        )


class ConfigError(SecretarisbotError):
    """A setting has a value we cannot use; the message names the value and the valid options."""


class InputError(SecretarisbotError):
    """The user's input cannot be handled (empty, unreadable file, ...)."""
