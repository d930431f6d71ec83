"""Bronnen: the document reader. Manifest facts, usage statement, contents, the normalised text,
and deep links (``?doc=000&passage=<id>``) that open a passage highlighted."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from secretarisbot.answer.sections.overview import facts as guide_facts
from secretarisbot.ui.services import Services

log = logging.getLogger("secretarisbot.ui")

HIGHLIGHT_ID = "sb-highlight"
#: The reader's tab (ui/app.py), whose controls the user can move to while a passage opens.
TAB_ID = "sb-tab-bronnen"
SCROLL_JS = f"""() => {{
  const before = document.activeElement;
  const go = (n) => {{
    const el = document.getElementById('{HIGHLIGHT_ID}');
    // only while the reader is shown: "← Terug" pressed before this ran had its focus taken back
    // into the hidden reader (a CI run, 2026-12-04); and not from a control of the reader the
    // user moved to since the passage was asked for ("← Terug" reached with the keyboard lost its
    // focus to the passage: a browser test, 3 of 12 runs)
    const here = document.activeElement;
    const moved = here && here !== before && here !== el && here.offsetParent !== null && here.closest('#{TAB_ID}');
    if (el && el.offsetParent !== null) {{
      el.scrollIntoView({{block: 'center'}});
      if (!moved) el.focus({{preventScroll: true}});
    }} else if (n > 0) setTimeout(() => go(n - 1), 150);
  }};
  setTimeout(() => go(10), 100);
}}"""


#: A source link ("?doc=…&passage=…", in an answer, a Spiegel quote or on Over) opens the reader in
#: this page (the hidden box ``#sb-link`` carries it to the server), not a second copy of the app in
#: a new tab with its own "back" (a walk-through found every click adding a tab). A click with a
#: modifier key, or another button, still opens a tab as the browser does.
LINKS_HEAD = (
    "<script>document.addEventListener('click', e => {"
    " const a = e.target.closest && e.target.closest('a[href*=\"doc=\"]');"
    " if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;"
    " const url = new URL(a.getAttribute('href'), location.href);"
    " const box = document.querySelector('#sb-link textarea, #sb-link input');"
    " if (url.origin !== location.origin || !url.searchParams.get('doc') || !box) return;"
    " e.preventDefault(); e.stopPropagation();"
    # the tab the link was clicked on, for the reader's "back" (BACK_JS)
    " const from = (document.querySelector('[role=tab][aria-selected=true]')?.innerText || '').trim();"
    " if (from && from !== 'Bronnen') window.sbFrom = from;"
    " window.sbFromLink = a.getAttribute('href');"  # "back" puts the focus on it again (BACK_JS)
    " window.sbNavAt = Date.now();"  # the chat's own refocus after an answer stands down (chat.SHOW_ANSWER_JS)
    " box.value = url.search + '&t=' + Date.now();"  # the same link twice is a new value
    " box.dispatchEvent(new Event('input', {bubbles: true}));"
    "}, true);"
    # a tab other than Bronnen clicked by the user leaves the reader otherwise: "← Terug" later
    # returns to that tab, and to no link on it
    " document.addEventListener('click', e => {"
    "  const tab = e.isTrusted && e.target.closest && e.target.closest('[role=tab]');"
    "  const name = tab ? tab.innerText.trim() : 'Bronnen';"
    "  if (name !== 'Bronnen') { window.sbFrom = name; window.sbFromLink = null; }"
    " }, true);</script>"
)


#: The reader's drop-downs (guide, section) show the chosen title in full, over more lines: an
#: <input> shows one line, and a walk-through could not read which section was chosen ("1.2.1
#: Spanningsveld 1: past de gekozen fusievorm (nog) wel bij de beloftes …" in 240 px). Gradio sets the
#: input's value from script, which fires no event, so each value written is copied to
#: ``data-sb-value`` on the input's box; style.css shows that text, wrapped, in place of the input's
#: own line while it has no focus (typing to filter shows the input as it is).
FULL_TITLE_HEAD = (
    "<script>(() => {"
    " const own = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');"
    " const copy = (input) => {"
    "  const box = input.closest('.secondary-wrap'), v = own.get.call(input);"
    "  if (box && box.dataset.sbValue !== v) box.dataset.sbValue = v; };"
    " const watch = () => document.querySelectorAll('#sb-doc input, #sb-toc input').forEach(input => {"
    "  if (input.sbWatched) return;"
    "  input.sbWatched = true;"
    "  Object.defineProperty(input, 'value', {configurable: true, get() { return own.get.call(this); },"
    "   set(v) { own.set.call(this, v); copy(this); }});"
    "  input.addEventListener('input', () => copy(input));"
    "  copy(input); });"
    " new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});"
    "})();</script>"
)


#: "Back" returns to the tab a source link was clicked on (the Chat when the reader was opened
#: otherwise), in the browser: no round trip to the server.
#: "← Terug": the tab the source link was clicked on, with the focus on that link again (a keyboard
#: user fell back to the page's start, and on a phone the chat stood scrolled out of view).
BACK_JS = (
    # once: a tab clicked or "Open bron" since clears the link (LINKS_HEAD, app.py)
    "() => { const href = window.sbFromLink; window.sbFromLink = null;"
    " const tabs = [...document.querySelectorAll('[role=tab]')];"
    " const want = window.sbFrom || 'Chat';"
    " (tabs.find(t => t.innerText.trim() === want) || tabs[0])?.click();"
    # The tab shows its content only after a render: for up to 3 s, while the focus is nowhere (or
    # still on the hidden "← Terug"), it goes to the link once that is visible, and back to it if a
    # late render drops it (a single try after 100 ms could miss it on a slower machine: a CI run,
    # 2026-12-04); the user's next click, tap or key ends that (a review: a tap on the page would
    # have been undone, the chat scrolled back to the link).
    " if (!href) return;"
    " const back = document.activeElement; let user = false;"
    " const stop = () => { user = true; };"
    " ['pointerdown', 'keydown'].forEach(t => document.addEventListener(t, stop, {once: true, capture: true}));"
    " let tries = 0, put = () => { if (user) return; const now = document.activeElement;"
    "  if (!now || now === document.body || now === back) {"
    "   const links = [...document.querySelectorAll('a[href]')]"
    "    .filter(a => a.getAttribute('href') === href && a.offsetParent !== null);"
    "   links[links.length - 1]?.focus(); }"
    "  if (++tries < 60) setTimeout(put, 50); };"
    " setTimeout(put, 50); }"
)


def passage_link(
    doc_id: str,
    passage_id: str = "",
    start: int | None = None,
    end: int | None = None,
    quotes: Sequence[tuple[int, int]] = (),
) -> str:
    """The deep link that opens the reader at a passage (or at character offsets); ``quotes``
    (offsets into the passage text) are the sentences an answer quoted: the reader marks them."""
    link = f"?doc={quote(doc_id)}"
    if passage_id:
        link += f"&passage={quote(passage_id)}"
    elif start is not None and end is not None:
        link += f"&start={start}&end={end}"
    if quotes:
        link += "&q=" + ",".join(f"{a}-{b}" for a, b in quotes)
    return link


def parse_quotes(value: str | None, limit: int = 20) -> list[tuple[int, int]]:
    """``"12-80,95-140"`` -> [(12, 80), (95, 140)]; anything malformed is left out."""
    out = []
    for part in (value or "").split(",")[:limit]:
        a, _, b = part.partition("-")
        if a.isdigit() and b.isdigit() and int(a) < int(b):
            out.append((int(a), int(b)))
    return out


@dataclass
class ReaderView:
    """Everything the reader shows for one document (and optionally one highlighted span)."""

    doc_id: str
    facts: str
    toc: list[tuple[str, str]]  # (label, passage id)
    html: str
    found: bool = True


def facts_markdown(services: Services, doc_id: str) -> str:
    doc = services.document(doc_id)
    if doc is None:
        return "_Onbekend document._"
    lines = [f"### {doc.title}"]
    if doc.subtitle:
        lines.append(f"*{doc.subtitle}*")
    lines.append("")
    lines.append(f"- {guide_facts(doc, capital=True)}")
    if doc.short_title:
        lines.append(f"- **Korte naam:** {doc.short_title}")
    lines.append("")
    usage = doc.usage.strip() if doc.usage else ""
    lines.append("**Gebruik:** " + (f"“{usage}”" if usage else "de tekst noemt geen gebruiksvoorwaarden."))
    return "\n".join(lines)


def table_of_contents(services: Services, doc_id: str) -> list[tuple[str, str]]:
    """(section label, first passage id) in document order; headings when passages carry none."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for p in services.passages():
        if p.document != doc_id or not p.section:
            continue
        label = p.section.split(" › ")[-1].strip()
        if p.section in seen or not label:
            continue
        seen.add(p.section)
        out.append((label, p.id))
    if out:
        return out
    text = services.text(doc_id)
    for m in re.finditer(r"(?m)^#{1,4}\s+(.+)$", text):
        label = m.group(1).replace("*", "").strip()
        out.append((label, f"@{m.start()}"))
    return out


_BLOCK = re.compile(r"\n\s*\n")


def heading_offsets(services: Services, doc_id: str, text: str) -> set[int]:
    """Offsets where a section heading line starts (the passages know their sections)."""
    out: set[int] = set()
    for p in services.passages():
        if p.document != doc_id or not p.section:
            continue
        label = p.section.split("›")[-1].strip()
        at = text.find(label, p.start, p.start + len(label) + 8)
        if at >= 0:
            out.add(at)
    return out


_BULLET = re.compile(r"(^|<br>)((?:<mark[^>]*>)?)- ")


def render_text(
    text: str,
    hl_start: int | None = None,
    hl_end: int | None = None,
    headings: set[int] | None = None,
    quotes: Sequence[tuple[int, int]] = (),
) -> str:
    """The normalised text as HTML paragraphs; [hl_start, hl_end) wrapped in <mark>, and within it
    the quoted sentences (absolute ``quotes`` offsets) in <strong class="sb-quoted">."""
    headings = headings or set()
    quoted = sorted((max(a, hl_start or 0), min(b, hl_end or len(text))) for a, b in quotes)
    parts: list[str] = []
    pos = 0
    blocks = []
    for m in _BLOCK.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    first_mark = True
    for s, e in blocks:
        if s >= e:
            continue
        raw = text[s:e]
        heading = re.match(r"#{1,6}\s+", raw)
        body_start = s + (heading.end() if heading else 0)

        def plain(a: int, b: int) -> str:
            return html.escape(text[a:b]).replace("\n", "<br>")

        def seg(a: int, b: int) -> str:
            out, at = [], a
            for qa, qb in quoted:
                qa, qb = max(qa, at), min(qb, b)
                if qa >= qb:
                    continue
                out += [plain(at, qa), '<strong class="sb-quoted">', plain(qa, qb), "</strong>"]
                at = qb
            return "".join([*out, plain(at, b)])

        if hl_start is not None and hl_end is not None and hl_start < e and hl_end > body_start:
            a, b = max(hl_start, body_start), min(hl_end, e)
            mark_id = f' id="{HIGHLIGHT_ID}" tabindex="-1"' if first_mark else ""
            first_mark = False
            inner = seg(body_start, a) + f"<mark{mark_id}>" + seg(a, b) + "</mark>" + seg(b, e)
        else:
            inner = seg(body_start, e)
        inner = _BULLET.sub(r"\1\2• ", inner.replace("**", ""))
        anchor = f' id="sb-at-{s}"'
        if not heading and s in headings and e - s <= 160 and "\n" not in raw:
            parts.append(f'<h4 class="sb-section"{anchor}>{inner}</h4>')
        elif heading:
            level = min(2 + heading.group().count("#"), 5)
            parts.append(f"<h{level}{anchor}>{inner.replace('*', '')}</h{level}>")
        else:
            parts.append(f"<p{anchor}>{inner}</p>")
    return '<article class="sb-doc" lang="nl">' + "\n".join(parts) + "</article>"


def view(
    services: Services,
    doc_id: str,
    passage_id: str | None = None,
    start: int | None = None,
    end: int | None = None,
    quotes: Sequence[tuple[int, int]] = (),
) -> ReaderView:
    """The reader for ``doc_id``, highlighting a passage or an explicit [start, end) span, and the
    quoted sentences in it (``quotes``: offsets into the highlighted span)."""
    text = services.text(doc_id)
    found = True
    if passage_id:
        if passage_id.startswith("@"):
            start = int(passage_id[1:])
            nl = text.find("\n", start)
            end = nl if nl > 0 else min(len(text), start + 80)
        else:
            p = services.passage(passage_id)
            if p is not None and p.document == doc_id:
                start, end = p.start, p.end
            else:
                found = False
    if start is not None and end is not None:
        start, end = max(0, int(start)), min(len(text), int(end))
        if start >= end:
            start = end = None
    return ReaderView(
        doc_id=doc_id,
        facts=facts_markdown(services, doc_id),
        toc=table_of_contents(services, doc_id),
        html=render_text(
            text, start, end, heading_offsets(services, doc_id, text),
            [(start + a, start + b) for a, b in quotes] if start is not None else (),
        ),
        found=found,
    )


def build(services: Services) -> dict[str, Any]:
    """Create the reader components inside the current Blocks context; returns them by name."""
    import gradio as gr

    docs = services.documents()
    choices = [(f"{d.short_title or d.id} — {d.title}", d.id) for d in docs]
    first = docs[0].id if docs else None
    with gr.Row(equal_height=False, elem_classes=["sb-reader"]):
        with gr.Column(scale=1, min_width=260):
            doc = gr.Dropdown(choices=choices, value=first, label="Document", elem_id="sb-doc")
            facts = gr.Markdown(elem_classes=["sb-facts"])
            toc = gr.Dropdown(choices=[], value=None, label="Inhoud: ga naar sectie", elem_id="sb-toc")
        with gr.Column(scale=3, min_width=320):
            # back to where the source was opened from: the answer, the Spiegel or Over (a
            # walk-through on a phone found no way back)
            back = gr.Button("← Terug", size="sm", elem_id="sb-back", elem_classes=["sb-back"])
            notice = gr.Markdown(visible=False, elem_classes=["sb-notice"])
            text = gr.HTML(elem_id="sb-text", elem_classes=["sb-text"], padding=False)
    return {"doc": doc, "facts": facts, "toc": toc, "notice": notice, "text": text, "back": back}


def outputs(c: dict[str, Any]) -> list[Any]:
    return [c["doc"], c["facts"], c["toc"], c["notice"], c["text"]]


def _toc_entry(
    services: Services, doc_id: str, passage_id: str | None, toc: list[tuple[str, str]]
) -> str | None:
    """The contents entry (a section's first passage id) of the section ``passage_id`` is in."""
    if not passage_id:
        return None
    ids = {pid for _, pid in toc}
    if passage_id in ids:
        return passage_id
    p = services.passage(passage_id) if not passage_id.startswith("@") else None
    if p is None or not p.section:
        return None
    first = next((q.id for q in services.passages() if q.document == doc_id and q.section == p.section), None)
    return first if first in ids else None


def updates(
    services: Services,
    doc_id: str | None,
    passage_id: str | None = None,
    start: int | None = None,
    end: int | None = None,
    quotes: Sequence[tuple[int, int]] = (),
) -> list[Any]:
    """Values for :func:`outputs` that open ``doc_id`` (at a passage); never raises."""
    import gradio as gr

    docs = services.documents()
    ids = [d.id for d in docs]
    if doc_id not in ids:
        msg = f"Het document '{html.escape(str(doc_id))}' bestaat niet. Kies een document uit de lijst."
        return [gr.update(), gr.update(), gr.update(), gr.update(value=msg, visible=True), gr.update()]
    try:
        v = view(services, doc_id, passage_id, start, end, quotes)
    except Exception:
        log.exception("reader failed for %s", doc_id)
        msg = "Dit document kan nu niet worden getoond. Probeer het opnieuw of bouw de index: secretarisbot index"
        return [gr.update(value=doc_id), gr.update(), gr.update(), gr.update(value=msg, visible=True), gr.update()]
    notice = gr.update(visible=False, value="")
    if not v.found:
        notice = gr.update(
            value="Deze passage staat niet (meer) in de index; het document staat hieronder in zijn geheel.",
            visible=True,
        )
    toc_value = _toc_entry(services, doc_id, passage_id, v.toc)
    return [
        gr.update(value=doc_id),
        v.facts,
        gr.update(choices=v.toc, value=toc_value),
        notice,
        v.html,
    ]
