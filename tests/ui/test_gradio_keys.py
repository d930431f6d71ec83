"""Every text key Gradio's frontend looks up has our Dutch: a key without one is shown as is."""

from __future__ import annotations

import re
from pathlib import Path

from secretarisbot.ui.i18n import dutch

#: The namespaces of Gradio's lang/en.json that a chat, reader and Spiegel page can show.
NAMESPACES = ("common", "chatbot", "blocks", "errors", "upload_text", "dataframe", "checkbox", "dropdown")


def _keys_in_frontend() -> set[str]:
    import gradio

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    pattern = re.compile(r"[`\"'](" + "|".join(NAMESPACES) + r")\.([a-z_]+)[`\"']")
    return {f"{ns}.{key}" for f in assets.glob("*.js") for ns, key in pattern.findall(f.read_text("utf-8", errors="ignore"))}


def test_every_key_the_frontend_looks_up_has_dutch() -> None:
    # "common.complete" has no English text in Gradio 6.31 either: a screen reader heard the key
    # after every answer (a walk-through)
    keys = _keys_in_frontend()
    assert "common.complete" in keys and len(keys) > 30  # the extraction still reads this Gradio
    assert sorted(keys - set(dutch())) == []
