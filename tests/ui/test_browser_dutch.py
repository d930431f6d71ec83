"""Gradio speaks Dutch to every browser, its own texts included: an English and a Dutch locale.

Gradio translates its own texts ("Clear", "Copy message") by the browser's language and writes a
toast's title ("Warning") and close button ("Close") untranslated; ui/i18n.py makes all of them
Dutch. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest

from apphelpers import ARTIFACTS, QUESTION

pytestmark = pytest.mark.slow

#: Gradio's English texts a chat page can show (its lang/en.json values and the toast's own words).
ENGLISH = (
    "Warning", "Error", "Close", "Clear", "Copy message", "Copied message", "Copy", "Loading",
    "Submit", "Retry", "Undo", "Like", "Dislike", "Edit", "Cancel", "Settings", "Built with",
    "chatbot conversation", "user's message", "bot's message", "Loading response",
)  # fmt: skip

#: Every text a user sees or hears: the rendered text and the labels of the controls.
ALL_TEXT_JS = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  return out;
}"""


def _english(texts: list[str]) -> set[str]:
    import re

    return {w for w in ENGLISH for t in texts if re.search(rf"(?<![\\w-]){re.escape(w)}(?![\\w-])", t)}


@pytest.mark.parametrize("locale", ["en-US", "nl-NL"])
def test_only_dutch_whatever_the_browser_language(app, browser, locale: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
    page = context.new_page()
    assert page.evaluate("navigator.language") == locale
    page.goto(app.url)
    page.wait_for_selector("#sb-question textarea", timeout=60_000)

    # A warning toast: sending an empty question.
    page.locator("#sb-send").click()
    toast = page.locator(".toast-body.warning")
    toast.wait_for(timeout=15_000)
    page.wait_for_function(
        "document.querySelector('.toast-body.warning .toast-title')?.innerText.includes('Let op')", timeout=10_000
    )
    assert "Typ eerst een vraag." in toast.inner_text()
    assert toast.locator("[data-testid=toast-close]").get_attribute("aria-label") == "Sluiten"
    texts_with_toast = page.evaluate(ALL_TEXT_JS)

    # An answer in the chat, with the chatbot's own buttons.
    page.get_by_role("button", name=QUESTION).click()
    page.get_by_text("Bronnen (").first.wait_for(timeout=60_000)
    page.locator("#sb-chat .message").last.hover()
    labels = page.evaluate(
        "() => [...document.querySelectorAll('#sb-chat [aria-label], #sb-chat [title]')]"
        ".map(el => el.getAttribute('aria-label') || el.getAttribute('title'))"
    )
    assert "Bericht kopiëren" in labels
    page.screenshot(path=ARTIFACTS / f"dutch-{locale}.png", full_page=True)

    found = _english(texts_with_toast) | _english(page.evaluate(ALL_TEXT_JS))
    assert found == set(), f"English texts on the page with browser locale {locale}: {sorted(found)}"
    context.close()
