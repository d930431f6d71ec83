"""Gradio in Dutch, whatever the browser's language: Gradio's own texts too.

    launch(..., i18n=gradio_i18n(), head=DUTCH_HEAD)

Gradio picks the language of its own texts ("Clear", "Copy message", "Loading...") from the
browser. :func:`gradio_i18n` gives every locale Gradio ships the Dutch of every key
(``gradio_nl.json``): a flat key such as ``"chatbot.clear"`` wins over Gradio's nested built-in
translation in the frontend's lookup. Two texts do not go through Gradio's translations at all: a
toast's title is its type, capitalised ("Warning"), and a few screen-reader labels are fixed
English ("Close", "Scroll down", "More tabs", "chatbot conversation", "user's message: ..."), as
tooltips too; :data:`DUTCH_HEAD` translates those in the page, marks the page Dutch (``lang``), gives a chat message the label of
its text as shown (Gradio's own is the raw Markdown, "**Wat de bronnen zeggen** > …"), and names
the nameless arrow button of a folded message ("Bronnen (3): tonen of verbergen").
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TRANSLATIONS_PATH = Path(__file__).with_name("gradio_nl.json")

#: The locales of Gradio 6.31's frontend (templates/frontend/assets/core-*.js, "./lang/<code>.json").
GRADIO_LOCALES: tuple[str, ...] = (
    "ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko",
    "lt", "nb", "nl", "pl", "pt-BR", "pt", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz",
    "zh-CN", "zh-TW",
)  # fmt: skip

#: Texts Gradio's frontend writes without its translations: toast titles (the toast's type).
TOAST_TITLES: dict[str, str] = {"Warning": "Let op", "Error": "Fout", "Success": "Gelukt"}  # "Info" is Dutch too
#: ... and screen-reader labels (whole labels, then label prefixes such as "user's message: ").
ARIA_LABELS: dict[str, str] = {
    "Close": "Sluiten",
    "chatbot conversation": "gesprek",
    "Loading response": "Antwoord wordt geladen",
    "Example attachments": "Voorbeeldbijlagen",
    # the chat's button back to the newest message, and the tab bar's button at a narrow width
    "Scroll down": "Naar het nieuwste bericht",
    "More tabs": "Meer tabbladen",
}
ARIA_PREFIXES: dict[str, str] = {"user's message: ": "jouw vraag: ", "bot's message: ": "antwoord: "}
#: ... and texts only a screen reader gets (class sr-only): the chat's pending answer.
SCREEN_READER_TEXTS: dict[str, str] = {"Loading content": "Antwoord wordt geladen"}
#: Gradio's fold of a message with a title ("Bronnen (3)") opens on an arrow button without a name.
FOLD_LABEL = "tonen of verbergen"

DUTCH_HEAD = (
    "<script>(() => {"
    f"const TITLES = {json.dumps(TOAST_TITLES, ensure_ascii=False)};"
    f"const LABELS = {json.dumps(ARIA_LABELS, ensure_ascii=False)};"
    f"const PREFIXES = Object.entries({json.dumps(ARIA_PREFIXES, ensure_ascii=False)});"
    f"const FOLD = {json.dumps(FOLD_LABEL, ensure_ascii=False)};"
    f"const SR = {json.dumps(SCREEN_READER_TEXTS, ensure_ascii=False)};"
    "let queued = false;"
    # only ever write a changed value: every write is a mutation, and this runs on mutations
    "const fix = () => {"
    " queued = false;"
    # the page is Dutch: Gradio marks it with the browser's language ("en" reads Dutch with an
    # English voice and offers to translate it)
    " if (document.documentElement.lang !== 'nl') document.documentElement.lang = 'nl';"
    " document.querySelectorAll('.sr-only').forEach(el => {"
    "  const t = el.textContent.trim();"
    "  if (SR[t]) el.textContent = SR[t];"
    " });"
    " document.querySelectorAll('.toast-title').forEach(el => el.childNodes.forEach(n => {"
    "  const t = n.nodeType === 3 ? n.textContent.trim() : '';"
    "  if (TITLES[t] && TITLES[t] !== t) n.textContent = n.textContent.replace(t, TITLES[t]);"
    " }));"
    " document.querySelectorAll('[aria-label]').forEach(el => {"
    "  const label = el.getAttribute('aria-label');"
    "  let nl = LABELS[label];"
    # a message's label is its text as shown (rendered), not the Markdown Gradio puts there; it is
    # read again whenever the page changes, so it follows a message that changes after it is labelled.
    # (Gradio puts the label on an element without a role, which not every screen reader reads.)
    "  for (const [en, prefix] of PREFIXES) {"
    "   const from = label.startsWith(en) ? en.length : label.startsWith(prefix) ? prefix.length : -1;"
    "   if (nl || from < 0) continue;"
    "   const read = (el.innerText || '').replace(/\\s+/g, ' ').trim();"
    "   nl = prefix + (read || label.slice(from));"
    "  }"
    "  if (nl && nl !== label) el.setAttribute('aria-label', nl);"
    " });"
    # the fold's label follows its title ("Bronnen (3)" becomes "Bronnen (7)" as the answer
    # streams in); a label not set here is left alone
    " document.querySelectorAll('.thought-group .title button').forEach(b => {"
    "  const own = (b.getAttribute('aria-label') || '').trim();"
    "  if (b.innerText.trim() || (own && !b.dataset.sbFold)) return;"
    "  const title = (b.closest('.title')?.innerText || '').trim();"
    "  const nl = title ? `${title}: ${FOLD}` : FOLD;"
    "  if (own !== nl) { b.dataset.sbFold = '1'; b.setAttribute('aria-label', nl); }"
    " });"
    # an icon button's tooltip is its label too
    " document.querySelectorAll('[title]').forEach(el => {"
    "  const nl = LABELS[el.getAttribute('title')];"
    "  if (nl) el.setAttribute('title', nl);"
    " });"
    "};"
    "new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(fix); } })"
    ".observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,"
    " attributeFilter: ['aria-label', 'title', 'lang']});"
    "fix();"
    "})();</script>"
)


@lru_cache(maxsize=1)
def dutch() -> dict[str, str]:
    """Gradio's translation keys -> Dutch."""
    return json.loads(TRANSLATIONS_PATH.read_text("utf-8"))["translations"]


def gradio_i18n() -> Any:
    """A ``gr.I18n`` that answers every locale Gradio knows in Dutch."""
    import gradio as gr

    return gr.I18n(**{locale: dutch() for locale in GRADIO_LOCALES})
