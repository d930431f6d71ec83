"""Gradio speaks Dutch to every browser, its own texts included: an English and a Dutch locale.

Gradio translates its own texts ("Clear", "Copy message") by the browser's language and writes a
toast's title ("Warning") and close button ("Close") untranslated; ui/i18n.py makes all of them
Dutch. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest

from apphelpers import ARTIFACTS, QUESTION, wait_until_ready

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
    # the page says it is Dutch (the status line's keys: tests/ui/test_gradio_keys.py)
    assert page.evaluate("document.documentElement.lang") == "nl"
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


#: Buttons without a name a screen reader can say (no aria-label, title or text).
NAMELESS_JS = """() => [...document.querySelectorAll('button')].filter(b =>
  !(b.getAttribute('aria-label') || '').trim() && !(b.getAttribute('title') || '').trim() && !b.innerText.trim()
  && !b.getAttribute('aria-labelledby')).map(b => b.outerHTML.slice(0, 160))"""


@pytest.mark.parametrize("width", [1366, 390])
def test_no_english_label_on_any_tab(app, browser, width: int) -> None:
    """What a screen reader is given is Dutch too, on every tab and at a phone's width, with a
    scrolled-up chat (Gradio's "Scroll down" button) and its tab bar's overflow button ("More
    tabs", present though hidden while the tabs fit); no button is nameless; a chat message's label
    is its text as shown, not its Markdown."""
    english = _gradio_english_labels()
    context = browser.new_context(viewport={"width": width, "height": 600}, locale="en-US")
    page = context.new_page()
    page.goto(app.url)
    wait_until_ready(page)  # the profile id set and the stored conversation restored first
    asked = page.evaluate("document.querySelectorAll('#sb-chat .user-row').length")
    for n, question in enumerate((QUESTION, "Hoe houd ik draagvlak in de raad tijdens een herindeling?"), start=1):
        page.locator("#sb-question textarea").fill(question)
        page.locator("#sb-question textarea").press("Enter")
        page.wait_for_function(
            "n => document.querySelectorAll('#sb-chat .user-row').length >= n", arg=asked + n, timeout=60_000
        )
        page.wait_for_function("!document.querySelector('#sb-export')?.disabled", timeout=60_000)
    page.wait_for_timeout(2_000)  # the chat's own scrolling after an answer is over
    page.locator("#sb-chat .panel-wrap").first.evaluate("el => el.scrollTo(0, 0)")
    scroll_down = page.locator("button[aria-label='Naar het nieuwste bericht']")
    scroll_down.wait_for(timeout=10_000)  # the state is reached, and its button speaks Dutch
    assert scroll_down.get_attribute("title") in (None, "", "Naar het nieuwste bericht")
    labels: list[str] = page.evaluate(LABELS_JS)
    nameless: list[str] = page.evaluate(NAMELESS_JS)
    messages = page.evaluate(
        "() => [...document.querySelectorAll('#sb-chat [aria-label]')].map(el => el.getAttribute('aria-label'))"
        ".filter(l => l.startsWith('antwoord: ') || l.startsWith('jouw vraag: '))"
    )
    # a folded message's arrow is named after its title as it is now ("Bronnen (7)", not the "(3)"
    # it had while the answer streamed in)
    folds = page.evaluate(
        "() => [...document.querySelectorAll('#sb-chat .thought-group .title button')]"
        ".map(b => [b.getAttribute('aria-label'), (b.closest('.title')?.innerText || '').trim()])"
    )
    for tab in ("Bronnen", "Spiegel", "Over", "Chat"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
        labels += page.evaluate(LABELS_JS)
        nameless += page.evaluate(NAMELESS_JS)
    page.screenshot(path=ARTIFACTS / f"labels-{width}.png", full_page=True)
    context.close()
    assert "Meer tabbladen" in labels  # the tab bar's overflow button
    assert sorted({label for label in labels if label in english}) == []
    assert nameless == []
    assert folds and all(label == f"{title}: tonen of verbergen" for label, title in folds if title), folds
    assert sum(m.startswith("antwoord: ") for m in messages) >= 2
    assert not [m for m in messages if "**" in m or "\n>" in m or "](" in m], messages
