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


def _gradio_english_labels() -> frozenset[str]:
    """The English labels written into Gradio's frontend itself (``aria-label="…"``, an icon
    button's ``label: `…```, ``title="…"``): texts that no translation file reaches."""
    import re
    from pathlib import Path

    import gradio

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    pattern = re.compile(r'(?:aria-label=\\?"|aria-label`,`|\blabel:`|\blabel:"|title=\\?")([A-Z][A-Za-z\' ]{1,40}[a-z])(?:\\?"|`)')
    found = {m for f in assets.glob("*.js") for m in pattern.findall(f.read_text("utf-8", errors="ignore"))}
    assert {"Scroll down", "More tabs", "Close"} <= found  # the extraction still reads this Gradio
    return frozenset(found)


#: The labels of the controls and messages on the page (not its visible text: see above).
LABELS_JS = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap(el =>
  ['aria-label', 'title', 'placeholder'].filter(a => el.hasAttribute(a)).map(a => el.getAttribute(a)))"""


@pytest.mark.parametrize("width", [1366, 390])
def test_no_english_label_on_any_tab(app, browser, width: int) -> None:
    """What a screen reader says is Dutch too, on every tab and at a phone's width (where Gradio
    folds the tabs under a "More tabs" button), with a scrolled-up chat ("Scroll down"); a chat
    message's label is its text as read, not its Markdown."""
    english = _gradio_english_labels()
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US")
    page = context.new_page()
    page.goto(app.url)
    page.wait_for_selector("#sb-question textarea", timeout=60_000)
    labels: list[str] = []
    for _ in range(2):  # two answers: enough to scroll
        page.locator("#sb-question textarea").fill(QUESTION)
        page.locator("#sb-send").click()
        page.wait_for_function("document.querySelectorAll('#sb-chat .message-row').length >= 2", timeout=60_000)
        page.get_by_text("Bronnen (").last.wait_for(timeout=60_000)
    page.locator("#sb-chat [role=log], #sb-chat .bubble-wrap").first.evaluate("el => el.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    labels += page.evaluate(LABELS_JS)
    messages = page.evaluate(
        "() => [...document.querySelectorAll('#sb-chat [aria-label]')].map(el => el.getAttribute('aria-label'))"
        ".filter(l => l.startsWith('antwoord: ') || l.startsWith('jouw vraag: '))"
    )
    for tab in ("Bronnen", "Spiegel", "Over", "Chat"):
        more = page.locator("button[aria-label='Meer tabbladen'], button[aria-label='More tabs']")
        if not page.get_by_role("tab", name=tab).is_visible() and more.count():
            labels += page.evaluate(LABELS_JS)
            more.first.click()
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
        labels += page.evaluate(LABELS_JS)
    page.screenshot(path=ARTIFACTS / f"labels-{width}.png", full_page=True)
    context.close()
    assert sorted({label for label in labels if label in english}) == []
    assert any(m.startswith("antwoord: ") for m in messages)
    assert not [m for m in messages if "**" in m or "\n>" in m or "](" in m], messages
