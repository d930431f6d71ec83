"""Render an answer's typed sections as Markdown: done only at the edges (CLI, app, export, the
LLM prompt), never parsed back.

    text = markdown(answer)                 # the whole answer, sources list included
    body = markdown(answer, sources=False)  # without the sources lists
    text = plain_text(answer)               # the same layout without Markdown (``ask --plain``)

Layout: each section with its title in bold and its intro sentence; lead items as the label of
the passage and a block quote; other items as a list; then **Bronnen** (one line per ``[n]``) and
**Meer in de bronnen** (further passages by title, no number: they are no part of the answer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from secretarisbot.model import Answer, AnswerItem, AnswerSection, Citation

SOURCES_TITLE = "Bronnen"
SOURCE_LABEL = "{title}, {section}"
SOURCE_LINE = "[{n}] {label}"


@dataclass(frozen=True)
class Style:
    """How emphasis, quotes and line ends are written: Markdown, or plain text for a terminal."""

    strong: str = "**"
    quote: str = "> "
    hard_break: str = "  "


MARKDOWN = Style()
PLAIN = Style(strong="", quote="    ", hard_break="")


def markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def item_markdown(section: AnswerSection, item: AnswerItem, style: Style = MARKDOWN) -> str:
    said = f"{item.text} {markers(item.citations)}".strip()
    b, q = style.strong, style.quote
    if section.kind == "lead" or (section.kind == "help" and item.quote):
        label = f"{b}{item.label}{b}\n" if item.label else ""
        return label + q + said.replace("\n", "\n" + q)
    if section.kind == "roles" and item.role:
        head = f"- {b}{item.role}{b}{f' ({item.label})' if item.label else ''}:"
        if said.startswith("- "):  # a quoted list: its items under the role, not after a colon
            return head + "\n  " + said.replace("\n", "\n  ")
        return f"{head} {said}".replace("\n", "\n  ")
    if section.kind == "reflection":
        return q + said.replace("\n", "\n" + q)
    if section.kind == "more":
        return f"- {item.label}"
    if section.kind == "overview":
        return f"{item.label} – {said}" if item.text else f"{item.label} {said}".strip()
    said = said.replace("\n", "\n  ")  # a quoted list inside a list item stays inside it
    if item.label:
        if said.startswith("- "):  # a quoted list (a Bijlage I row's interventions): under its label
            return f"- {item.label}:\n  {said}"
        return f"- {item.label}: {said}"
    return f"- {said}" if section.kind in ("options", "stances", "kern") else said


def section_markdown(section: AnswerSection, style: Style = MARKDOWN) -> str:
    parts = [f"{style.strong}{section.title}{style.strong}"] if section.title else []
    if section.intro:
        parts.append(section.intro)
    if section.items:
        items = section.items
        if section.kind == "lead":  # two excerpts of one facet in a row: its label once
            items = [
                i.model_copy(update={"label": ""}) if k and i.label and i.label == items[k - 1].label else i
                for k, i in enumerate(items)
            ]
        lines = [item_markdown(section, item, style) for item in items]
        if section.kind == "overview":  # the guides' own lists keep their numbering
            lines = [f"{i}. {line}" for i, line in enumerate(lines, start=1)]
        joiner = "\n\n" if section.kind in ("lead", "text", "reflection", "help") else "\n"
        parts.append(joiner.join(lines))
    return "\n\n".join(parts)


def short_section(section: str) -> str:
    """The last meaningful part of a section path ('Hoofdstuk 2 › 2.3 … › Politicus' -> '2.3 … › Politicus')."""
    parts = [p.strip() for p in section.split("›") if p.strip()]
    if not parts:
        return ""
    tail = parts[-1]
    if len(parts) > 1 and (len(tail) < 25 or tail.startswith("Uit de praktijk")):
        return f"{parts[-2]} › {tail}"
    return tail


#: Words of a quote that tell two sources with the same title apart ("2.3.1 Roltypen …"): the
#: §2.3.1 cells open with "<Rol> – Handelingsperspectief:" or "<Rol> – Competenties:", so the first
#: three words differ; six also show what the quote is about.
OPENING_WORDS = 6
_ITEM_MARK = re.compile(r"^\s*(?:[-–•·▪●]|\d{1,2}[.)])\s+")


def _opening_words(citation: Citation) -> list[str]:
    """The words the answer quoted from ``citation`` first, without a list item's mark; without a
    quote, its passage's after the heading the passage opens with (that is its label already)."""
    if citation.quotes:
        start, end = citation.quotes[0]
    else:
        first_line = citation.text.partition("\n")[0]
        heading = first_line.strip() in (citation.section.split("›")[-1].strip(), citation.title.strip())
        start, end = (len(first_line) + 1 if heading and first_line.strip() else 0), len(citation.text)
    return _ITEM_MARK.sub("", citation.text[start:end]).split()


def _shown(words: Sequence[str], n: int) -> str:
    """The first ``n`` of ``words`` in the label's “…”. A quote that opens with a quotation mark
    ("“Vaak weet je …", a testimony) loses it when its closing mark ends what is shown or lies
    beyond it: the label's own marks are enough (a review found "(““Vaak weet je dat iemand …”)");
    a quotation that closes halfway ("“Kort.” En verder …") keeps both, so marks stay paired."""
    shown = " ".join(words[:n])
    cut = len(words) > n
    if shown.startswith("“"):
        closes = shown.find("”")
        if closes < 0 and cut:
            shown = shown[1:]
        elif closes == len(shown) - 1 and not cut:
            shown = shown[1:-1]
    return "“" + shown + (" …”" if cut else "”")


def quoted_opening(citation: Citation) -> str:
    """The first words the answer quoted from ``citation`` (else of its passage after its
    heading), as "“…”", without a list item's mark."""
    return _shown(_opening_words(citation), OPENING_WORDS)


#: A label tells its source apart with at most this many words of its quote: a sentence of the
#: guides (median 17 words, answer/excerpt.py CONTEXT_WORDS) and the first words of the next. Two
#: quotes of the same sentence stay alike; the reader sees the quotes themselves.
MAX_OPENING_WORDS = 24


def told_apart(labels: Sequence[str], citations: Sequence[Citation]) -> list[str]:
    """``labels`` of ``citations``, those that several share followed by their quote's opening
    (the §2.3.1 role cells, two rows of one Bijlage I phase, two quotes of one facet): each with as
    many words beyond :data:`OPENING_WORDS` as it takes to differ from the others' (up to
    :data:`MAX_OPENING_WORDS`); a citation without words to show keeps its label."""
    out = list(labels)
    for label in dict.fromkeys(labels):
        group = [k for k, other in enumerate(labels) if other == label]
        if len(group) < 2:
            continue
        words = {k: _opening_words(citations[k]) for k in group}
        for k in group:
            n = OPENING_WORDS
            while n < min(len(words[k]), MAX_OPENING_WORDS) and any(
                words[k][:n] == words[o][:n] for o in group if o != k
            ):
                n += 1
            if words[k]:
                out[k] = f"{label} ({_shown(words[k], n)})"
    return out


def sources_markdown(
    citations: Sequence[Citation], short_titles: dict[str, str] | None = None, style: Style = MARKDOWN
) -> str:
    titles = short_titles or {}
    labels = [SOURCE_LABEL.format(title=titles.get(c.document, c.title), section=short_section(c.section) or c.title)
              for c in citations]
    lines = [SOURCE_LINE.format(n=c.n, label=label) + style.hard_break
             for c, label in zip(citations, told_apart(labels, citations), strict=True)]
    return f"{style.strong}{SOURCES_TITLE}{style.strong}\n\n" + "\n".join(lines).rstrip()


def markdown(
    answer: Answer, *, sources: bool = True, short_titles: dict[str, str] | None = None, style: Style = MARKDOWN
) -> str:
    """The answer as Markdown (see the module docstring)."""
    body = [section_markdown(s, style) for s in answer.sections if s.kind != "more"]
    parts = [p for p in body if p]
    if sources and answer.citations:
        parts.append(sources_markdown(answer.citations, short_titles, style))
    if sources:
        parts += [section_markdown(s, style) for s in answer.sections if s.kind == "more" and s.items]
    return "\n\n".join(parts)


def plain_text(answer: Answer, short_titles: dict[str, str] | None = None) -> str:
    """The answer without Markdown: the same sections, titles as plain lines, quotes indented. An
    answer without sections (a refusal, a greeting) is plain text already."""
    if not answer.sections:
        return answer.answer
    return markdown(answer, short_titles=short_titles, style=PLAIN)
