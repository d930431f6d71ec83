"""Layout in headless Chromium at a desktop (1366x900) and a phone (390x844) size: the chat's
"scroll down" arrow, the reader's drop-downs, the chat's height and the page's width (found in
new-user walk-throughs).
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest

from apphelpers import ANSWERED, ARTIFACTS, ask, wait_until_ready

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
QUESTIONS = [
    "Hoe ga ik om met cultuurverschillen na een ambtelijke fusie?",
    "Hoe houd ik draagvlak in de raad tijdens een herindeling?",
]


def _page(browser, viewport: dict[str, int], url: str):
    """A new browser context at ``viewport`` with the app open at ``url`` and started."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 720, locale="nl-NL")
    page = context.new_page()
    page.goto(url)
    wait_until_ready(page)
    return context, page


#: The words of the conversation that are drawn under the chat's "scroll down" arrow, the chat
#: scrolled from its start to near its end in 20 px steps (text is drawn where it is inside the
#: chat's scrolling box). The arrow shows once the chat stands away from its end: until it does (or
#: while the answer's own scrolling brings the chat back) the chat is put at its start, and false.
UNDER_THE_ARROW = """() => {
  const box = document.querySelector('#sb-chat .panel-wrap');
  const button = document.querySelector('#sb-chat .scroll-down-button-container button');
  if (!button) { box.scrollTop = 0; return false; }
  const arrow = button.getBoundingClientRect();
  const meet = (a, b) => ({left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
                           top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom)});
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) texts.push(n);
  const under = new Set();
  let steps = 0;
  for (let y = 0; y < box.scrollHeight - box.clientHeight - 60; y += 20, steps++) {
    box.scrollTop = y;
    const seen = box.getBoundingClientRect();
    for (const n of texts) {
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        const m = meet(meet(r, seen), arrow);
        if (m.right - m.left > 1 && m.bottom - m.top > 1) under.add(n.textContent.trim().slice(0, 40));
      }
    }
  }
  return {steps, under: [...under]};
}"""


@pytest.mark.parametrize("viewport", SIZES)
def test_the_scroll_down_arrow_covers_no_text(app, browser, viewport) -> None:
    """Gradio's round arrow back to the newest message stood over a word of the answer."""
    context, page = _page(browser, viewport, app.url)
    for n, question in enumerate(QUESTIONS, start=1):
        ask(page, question, n)
    seen = page.wait_for_function(UNDER_THE_ARROW, timeout=10_000).json_value()
    page.locator("#sb-chat").screenshot(path=ARTIFACTS / f"layout-pijl-{viewport['width']}.png")
    assert seen["steps"] >= 10  # the chat scrolled over a good length
    assert not seen["under"], seen["under"]
    context.close()


#: How a reader drop-down shows its chosen title: the input's own line when it is not cut, else the
#: text drawn over the input, wrapped (reader.FULL_TITLE_HEAD); "" when neither shows it whole.
SHOWN_TITLE = """(id) => {
  const block = document.getElementById(id), input = block.querySelector('input');
  const box = input.closest('.secondary-wrap');
  const over = getComputedStyle(box, '::after');
  let shown = '';
  if (getComputedStyle(input).color !== 'rgba(0, 0, 0, 0)') {
    shown = input.scrollWidth <= input.clientWidth + 1 ? input.value : '';
  } else if (over.content !== 'none' && over.visibility === 'visible' && over.whiteSpace === 'normal') {
    shown = box.dataset.sbValue;
  }
  const clipped = block.scrollHeight > block.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  return {value: input.value, shown: clipped ? '' : shown};
}"""


@pytest.mark.parametrize("viewport", SIZES)
def test_the_reader_drop_downs_show_the_whole_title(app, browser, viewport) -> None:
    """The section (and guide) drop-downs showed one line of the title, cut at the box's edge."""
    context, page = _page(browser, viewport, app.url)
    page.get_by_role("tab", name="Bronnen").click()
    toc = page.locator("#sb-toc input")
    toc.click()
    titles = [t.strip() for t in page.locator("#sb-toc [role=option]").all_inner_texts()]
    longest = max(titles, key=len)
    assert len(longest) > 80, longest  # a title longer than any drop-down is wide
    page.locator("#sb-toc [role=option]").filter(has_text=longest).first.click()
    page.locator("#sb-highlight").wait_for(timeout=30_000)
    page.locator(".sb-facts").first.click()  # the focus leaves the drop-down, as a reader's would
    page.wait_for_function(
        "t => document.querySelector('#sb-toc input').value === t", arg=longest, timeout=10_000
    )
    page.screenshot(path=ARTIFACTS / f"layout-lezer-{viewport['width']}.png")
    for id_ in ("sb-toc", "sb-doc"):
        seen = page.evaluate(SHOWN_TITLE, id_)
        assert seen["value"] and seen["shown"] == seen["value"], (id_, seen)
    # typing filters the list: with the focus in it the input shows its own text again
    toc.click()
    drawn = page.evaluate("() => getComputedStyle(document.querySelector('#sb-toc input')).color")
    assert drawn != "rgba(0, 0, 0, 0)", drawn
    context.close()


#: The chat and the question field, in the window's pixels.
CHAT_BOXES = """() => {
  const box = (id) => { const r = document.getElementById(id).getBoundingClientRect();
                        return {top: r.top, bottom: r.bottom, height: r.height}; };
  return {window: innerHeight, chat: box('sb-chat'), question: box('sb-question')};
}"""


#: The last question stands at the top of the chat, and on the screen.
QUESTION_ON_SCREEN = """() => {
  const row = [...document.querySelectorAll('#sb-chat .user-row')].pop().getBoundingClientRect();
  const chat = document.getElementById('sb-chat').getBoundingClientRect();
  return row.top >= 0 && row.bottom <= innerHeight && row.top - chat.top < 80;
}"""


@pytest.mark.parametrize("viewport", SIZES)
def test_the_chat_uses_the_height_of_a_phone(app, browser, viewport) -> None:
    """On a phone the chat was a box of half the screen to scroll inside the scrolling page; now it
    is the screen less the question field, and after an answer the question and the start of the
    answer are on the screen. The desktop keeps its chat of 62% of the window's height."""
    context, page = _page(browser, viewport, app.url)
    # empty, the chat leaves the question field on the first screen, the page at its top
    start = page.evaluate(CHAT_BOXES)
    assert page.evaluate("scrollY") == 0 and start["question"]["bottom"] <= start["window"], start
    ask(page, QUESTIONS[0], 1)
    page.wait_for_function(QUESTION_ON_SCREEN, timeout=10_000)
    # an example question far below the chat: the page stood below the chat's top when it was asked
    page.locator(".sb-example").last.click()
    page.wait_for_function(ANSWERED, arg=2, timeout=60_000)
    page.wait_for_function(QUESTION_ON_SCREEN, timeout=10_000)
    page.screenshot(path=ARTIFACTS / f"layout-chat-{viewport['width']}.png")
    seen = page.evaluate(CHAT_BOXES)
    chat, window = seen["chat"]["height"], seen["window"]
    if viewport["width"] < 720:
        assert chat >= 0.7 * window, seen  # most of the screen
        assert chat + seen["question"]["height"] <= window, seen  # chat and question field on one screen
    else:
        assert abs(chat - 0.62 * window) <= 2, seen  # 62vh, as before
    context.close()


def test_the_page_keeps_its_width_on_every_tab(app, browser) -> None:
    """The page was as wide as its content: on Over (text of 80 characters a line) it narrowed by
    75 px and the tabs moved under the mouse (a walk-through)."""
    context, page = _page(browser, DESKTOP, app.url)
    edges = {}
    for tab in ("Chat", "Bronnen", "Spiegel", "Over"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        box = page.locator("[role=tablist]").first.bounding_box()
        edges[tab] = (round(box["x"]), round(box["width"]))
    assert len(set(edges.values())) == 1, edges
    context.close()


def test_the_empty_question_field_shows_its_placeholder_whole_on_a_phone(app, browser) -> None:
    """The one-line field wrapped its placeholder and showed half of the second line (a walk-through
    at 390 px: 38 px shown of 59)."""
    context, page = _page(browser, PHONE, app.url)
    shown, needed = page.evaluate(
        "() => { const t = document.querySelector('#sb-question textarea'); return [t.clientHeight, t.scrollHeight]; }"
    )
    assert needed - shown <= 4, (shown, needed)
    context.close()
