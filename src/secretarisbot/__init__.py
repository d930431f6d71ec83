"""secretarisbot: a Dutch assistant for gemeentesecretarissen, grounded in five professional guides.

    from secretarisbot import Assistant
    answer = Assistant().ask("Wat doe ik als de mede-directeur blokkeert?")
    print(answer.answer)

Heavy modules load lazily: importing the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from secretarisbot.model import Answer, Citation, Passage, Situation
from secretarisbot.settings import Settings, get_settings

if TYPE_CHECKING:
    from secretarisbot.assistant import Assistant

__all__ = ["Answer", "Assistant", "Citation", "Passage", "Settings", "Situation", "get_settings"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from secretarisbot.assistant import Assistant

        return Assistant
    raise AttributeError(name)
