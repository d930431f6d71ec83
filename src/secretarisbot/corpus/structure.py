"""From raw PDF-conversion lines to structured blocks: headings, paragraphs, list items, table rows.

The parser is generic (markdown ``#`` headings, "HOOFDSTUK 2" + title line, "1.2.3 …" numbers,
GROEI's letter+tab headings, bold facet numbers, wrapped lines, bullets, tab tables); what differs
per document (where the body starts and ends, figure debris to drop, which short lines are headings)
is declared in a :class:`Profile` in ``profiles.py``. Each block knows its heading path and the
passage metadata it implies (``kind``, ``role``, ``fase``, ``spanningsveld`` …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from secretarisbot.corpus.normalize import (
    HTML_TAG,
    apply_corrections,
    clean_inline,
    continues_word,
    ends_with_broken_word,
    is_terminal,
    join_lines,
    starts_lower,
)
from secretarisbot.corpus.profiles import MINOR, Profile
from secretarisbot.model import ROLES, SPANNINGSVELDEN

#: Above this many characters a table row or role cell is re-rendered in parts, each repeating
#: the row's header cells, so a chunk never shows interventions without their spanningsveld.
ROW_SPLIT = 1100


@dataclass
class Heading:
    level: int
    title: str
    kind: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Minor headings that a matching ``Profile.section_end`` line closes again (cases).
    closable: bool = False


@dataclass
class Block:
    """One unit of the normalised text. ``type``: heading, para, item, row."""

    type: str
    text: str
    path: tuple[str, ...] = ()
    kind: str = "text"
    meta: dict[str, Any] = field(default_factory=dict)
    level: int = 0
    #: Blocks with different ``group`` never share a passage (one table row = one passage).
    group: int = 0
    #: A footnote (kept as a paragraph of its own, after the paragraph that cites it).
    note: bool = False
    start: int = 0
    end: int = 0

    @property
    def section(self) -> str:
        return " › ".join(self.path)


# --- line classification ---------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-•·▪◦●*](?=\s)|o(?=\s)|[a-e](?=\t))\s*")
_LONE_BULLET = re.compile(r"^(?:[-•·▪◦●*]|o)$")
_NUMBERED_ITEM = re.compile(r"^\d{1,2}\.\s+(?=\S)")
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)+)\s+(\S.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_GROEI_HEADING = re.compile(r"^([GROEI])\s*\t\s*(\S.*)$")
_CHAPTER = re.compile(r"^HOOFDSTUK\s+(\d+)\s*$")
_APPENDIX = re.compile(r"^BIJLAGE\s+([IVX]+)\.?\s*$")
_FACET = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_FOOTNOTE = re.compile(r"^(?:[¹²³⁴⁵⁶⁷⁸⁹]|'\s|\*\s|\d\t)")
#: A footnote reference glued to a word or sentence end: "verschillen1." / "verdeeld.2 Slechte".
_FOOTNOTE_REF = re.compile(r"(?<=[^\W\d_]|[.!?;,)’])\d(?=[\s.,;:]|$)")
_STRAY_STAR = re.compile(r"(?<![\S*])\*+(?=[^\s*])|(?<=[^\s*])\*+(?![\S*])")
_BOLD_LINE = re.compile(r"^\*\*[^*].*\*\*$")

_SPANNING_TERMS = {"publieke waarde": "PW", "organisatie": "ORG", "draagvlak": "DV"}
_SPANNING_PAIRS = {
    frozenset({"PW", "ORG"}): SPANNINGSVELDEN["1"],
    frozenset({"PW", "DV"}): SPANNINGSVELDEN["2"],
    frozenset({"ORG", "DV"}): SPANNINGSVELDEN["3"],
}
_SPANNING_CELL = re.compile(
    r"^(publieke waarde|organisatie|draagvlak)\s*[-–]\s*(publieke waarde|organisatie|draagvlak)\b\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def parse_spanningsveld(cell: str) -> tuple[str | None, str]:
    """``'Publieke waarde-draagvlak Voorkom …'`` → (SPANNINGSVELDEN['2'], 'Voorkom …')."""
    match = _SPANNING_CELL.match(cell.strip())
    if not match:
        return None, cell.strip()
    pair = frozenset({_SPANNING_TERMS[match.group(1).lower()], _SPANNING_TERMS[match.group(2).lower()]})
    return _SPANNING_PAIRS.get(pair), match.group(3).strip()


def split_cell(cell: str) -> tuple[str, list[str]]:
    """An HTML table cell → (lead text, bullet items). Tags go, the bullets survive."""
    cell = re.sub(r"</?(?:ul|ol|p)\b[^>]*>", "\n", cell)
    cell = re.sub(r"<li\b[^>]*>", "\n• ", cell)
    parts = re.split(r"\s*[•·]\s+", cell)
    lead = clean_inline(parts[0].replace("\n", " "))
    items = [clean_inline(p.replace("\n", " ")) for p in parts[1:]]
    return lead, [i for i in items if i]


# --- the parser -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, doc_id: str, profile: Profile) -> None:
        self.doc_id = doc_id
        self.p = profile
        self.blocks: list[Block] = []
        self.stack: list[Heading] = []
        self.open: Block | None = None  # paragraph/item still accepting lines
        self.deferred: list[Block] = []  # footnotes waiting for the open paragraph to close
        self.suspended: Block | None = None  # paragraph interrupted by a footnote
        self.group = 0
        self.table: dict[str, Any] | None = None
        self.pending_title: str | None = None  # "Hoofdstuk 1" seen, its title line comes next
        self.minor: set[str] = set()
        self.last_len = 0  # length of the previous text line (wrapped documents)
        self.prev_line_len = 0
        self.hard_break = False

    # -- context --
    def context(self) -> tuple[tuple[str, ...], str, dict[str, Any]]:
        path = tuple(h.title for h in self.stack)
        kind = "text"
        meta: dict[str, Any] = {}
        for h in self.stack:
            if h.kind:
                kind = h.kind
            meta.update(h.meta)
        return path, kind, meta

    def new_group(self) -> int:
        self.group += 1
        return self.group

    def emit(self, block: Block) -> None:
        if block.type in ("para", "item"):
            # Emphasis opened on one line and closed on another survives line cleaning.
            block.text = _STRAY_STAR.sub("", block.text).rstrip()
            if not any(c.isalnum() for c in block.text):
                return  # a stray bullet or dash with nothing to say
        self.blocks.append(block)

    def close(self) -> None:
        """Emit the open block (after a paragraph a footnote had interrupted) and any notes."""
        if self.suspended is not None:
            self.emit(self.suspended)
            self.suspended = None
        if self.open is not None:
            self.emit(self.open)
            self.open = None
        if self.deferred:
            for note in self.deferred:
                self.emit(note)
            self.deferred = []

    def push_heading(self, heading: Heading) -> None:
        self.close()
        self.flush_table()
        while self.stack and self.stack[-1].level >= heading.level:
            self.stack.pop()
        self.stack.append(heading)
        path, kind, meta = self.context()
        self.emit(Block("heading", heading.title, path, kind, meta, level=heading.level, group=self.new_group()))

    def close_minor(self) -> None:
        if self.stack and self.stack[-1].closable:
            self.close()
            self.stack.pop()
            self.new_group()

    # -- text --
    def add_text(self, text: str, gap: bool, wrapped_line: bool) -> None:
        prev = self.open
        if self.suspended is not None and prev is not None and prev.note and self.resumes(prev, text, gap):
            # The sentence a footnote interrupted goes on; the note follows its paragraph.
            self.deferred.append(prev)
            self.open, self.suspended = self.suspended, None
            self.open.text = join_lines(self.open.text, text)
            return
        if prev is not None and self.should_join(prev.text, text, gap, wrapped_line):
            prev.text = join_lines(prev.text, text)
            return
        self.close()
        path, kind, meta = self.context()
        self.open = Block("para", text, path, kind, dict(meta), group=self.group)

    def resumes(self, note: Block, text: str, gap: bool) -> bool:
        """Does ``text`` continue the paragraph suspended by ``note`` rather than the note?"""
        target = self.suspended
        if target is None or is_terminal(target.text) or ends_with_broken_word(note.text):
            return False
        if ends_with_broken_word(target.text):
            return True
        return starts_lower(text) and (gap or is_terminal(note.text))

    def should_join(self, prev: str, cur: str, gap: bool, wrapped_line: bool) -> bool:
        if ends_with_broken_word(prev) and continues_word(cur.lstrip()):
            return True
        if not gap:
            if self.p.wrapped:
                return True
            return not is_terminal(prev) or starts_lower(cur)
        if starts_lower(cur) and not re.search(r"[.!?][\"'”’)]*$", prev):
            return True  # "… is lastiger:" + "de directeur staat …"
        if is_terminal(prev):
            return False
        # Wrapped documents: an unfinished long line continues even before a capital.
        return self.p.wrapped and wrapped_line

    def add_item(self, text: str, indent: int, marker: str = "- ") -> None:
        self.close()
        path, kind, meta = self.context()
        prefix = "  " * min(indent, 2) + marker
        self.open = Block("item", prefix + text, path, kind, dict(meta), group=self.group)

    def add_footnote(self, text: str) -> None:
        path, kind, meta = self.context()
        note = Block("para", text, path, "text", {k: v for k, v in meta.items() if k != "role"},
                     group=self.group, note=True)
        if self.open is not None and self.open.type == "para" and not self.open.note \
                and not is_terminal(self.open.text):
            # The paragraph may continue after the footnote: hold it back (see ``add_text``).
            self.close_suspended()
            held, self.open = self.open, None
            self.close()
            self.suspended = held
        else:
            self.close()
        self.open = note

    def close_suspended(self) -> None:
        if self.suspended is not None:
            self.emit(self.suspended)
            self.suspended = None

    # -- tables --
    def start_table(self, cells: list[str]) -> None:
        self.close()
        self.flush_table()
        names = [clean_inline(c) for c in cells]
        if names and names[0] == "":
            self.table = {"type": "columns", "columns": names[1:], "rows": []}
        else:
            self.table = {"type": "rows", "columns": names}

    def add_row(self, cells: list[str]) -> None:
        self.close()
        assert self.table is not None
        if self.table["type"] == "columns":
            self.table["rows"].append(cells)
            return
        self.emit_interventions(cells)

    def emit_interventions(self, cells: list[str]) -> None:
        path, kind, meta = self.context()
        names = self.table["columns"] if self.table else ["Kolom 1", "Kolom 2"]
        first = clean_inline(cells[0])
        spanningsveld, rest = parse_spanningsveld(first)
        if spanningsveld and rest:
            # "Publieke waarde-draagvlak Voorkom …": the label on its own line, then the opgave.
            label = first[: len(first) - len(rest)].strip()
            first = f"{label}\n{rest}"
        lead, items = split_cell(" ".join(cells[1:]))
        meta = dict(meta)
        row_kind = kind
        if spanningsveld:
            meta["spanningsveld"] = spanningsveld
            row_kind = "intervention"
        head = f"{names[0]}: {first}\n{names[1] if len(names) > 1 else 'Kolom 2'}:"
        body = ([lead] if lead else []) + [f"- {i}" for i in items]
        for part in _pack_lines(head, body):
            self.emit(Block("row", part, path, row_kind, dict(meta), group=self.new_group()))

    def flush_table(self) -> None:
        table, self.table = self.table, None
        if not table or table["type"] != "columns":
            return
        path, kind, meta = self.context()
        columns: list[str] = table["columns"]
        for ci, column in enumerate(columns):
            role = column if column in ROLES else None
            group = self.new_group()
            for row in table["rows"]:
                if ci + 1 >= len(row):
                    continue
                aspect = clean_inline(row[0])
                lead, items = split_cell(row[ci + 1])
                body = ([lead] if lead else []) + [f"- {i}" for i in items]
                cell_meta = dict(meta)
                if role:
                    cell_meta["role"] = role
                for part in _pack_lines(f"{column} – {aspect}:", body):
                    self.emit(Block("row", part, path, "role" if role else kind, cell_meta, group=group))

    # -- main loop --
    def run(self, lines: list[str]) -> list[Block]:
        p = self.p
        gap = False
        i = 0
        while i < len(lines):
            raw = lines[i]
            i += 1
            if not raw.strip():
                gap = True
                continue
            line = raw.rstrip()
            # A bold phrase broken over two lines ("**Andere onderdelen  \nvan het vak**").
            if line.lstrip().startswith("**") and line.count("**") % 2 == 1 and i < len(lines):
                line = line.rstrip() + " " + lines[i].strip()
                i += 1
            this_gap, gap = gap, False
            self.handle(line, this_gap)
            # A markdown hard line break ("1. De gemeenteraad  " + its description).
            self.hard_break = p.markdown and raw.endswith("  ")
        self.close()
        self.flush_table()
        return self.blocks

    def handle(self, line: str, gap: bool) -> None:
        p = self.p
        if p.footnote_refs:
            line = _FOOTNOTE_REF.sub("", line)
        stripped = line.strip()
        prev_long = self.last_len >= p.wrap_width * 0.6
        self.prev_line_len, self.last_len = self.last_len, len(stripped)
        indent = len(line) - len(line.lstrip(" "))
        if "\t" in line and p.tables and not _GROEI_HEADING.match(stripped) and not re.match(r"^[a-e\d]\t", stripped):
            cells = line.split("\t")
            if _looks_like_header(cells):
                self.start_table(cells)
                return
            if self.table is not None:
                self.add_row(cells)
                return
        if self.table is not None:
            self.flush_table()

        text = stripped

        if self.pending_title is not None:
            label, self.pending_title = self.pending_title, None
            self.push_heading(Heading(1, f"{label}: {clean_inline(text)}"))
            return

        if p.chapters:
            m = _CHAPTER.match(text) or _APPENDIX.match(text)
            if m:
                self.close()
                label = "Hoofdstuk" if text.startswith("HOOFDSTUK") else "Bijlage"
                self.pending_title = f"{label} {m.group(1)}"
                return

        heading = self.heading(text)
        if heading is not None:
            self.push_heading(heading)
            return

        for pattern in p.section_end:
            if re.search(pattern, text):
                self.close_minor()
                break

        if _FOOTNOTE.match(text) and p.footnotes:
            self.add_footnote(clean_inline(text))
            return

        text = HTML_TAG.sub(" ", text).strip(" ")  # "<p> • …": the bullet counts
        indented = text.lstrip(" \t")  # "<p> \t • …" and "<p> \t o" too (found by a property test)
        if indented != text and (_BULLET.match(indented) or _LONE_BULLET.match(indented)):
            text = indented
        bullet = _BULLET.match(text) or _LONE_BULLET.match(text)
        if bullet:
            # A lone bullet gets its text from the next line (see the item continuation below).
            self.add_item(clean_inline(text[bullet.end():]), 1 if indent >= 1 and not p.wrapped else 0)
            return
        if p.markdown and _NUMBERED_ITEM.match(text):
            self.add_item(clean_inline(text), 0, marker="")
            return

        cleaned = clean_inline(text)
        if not any(c.isalnum() for c in cleaned):
            return  # a stray mark ("?", "—", "“") between lines: as if it were not there
        if self.extend_heading(cleaned, gap):
            return
        if self.open is not None and self.open.type == "item":
            item = self.open.text
            if p.wrapped and item.endswith(";") and starts_lower(cleaned) and self.prev_line_len < p.wrap_width * 0.9:
                # "doelgerichtheid van beleid;" after "… openbaarheid;": the OCR lost the bullet.
                self.add_item(cleaned, 0)
                return
            if self.hard_break and not gap and not is_terminal(item) and len(item) < 60:
                # "1. De gemeenteraad" + "De gemeenteraad bepaalt de kaders …": term, then text.
                self.open.text = f"{item}: {cleaned}"
                return
            if starts_lower(cleaned) or ends_with_broken_word(item) or (
                not is_terminal(item) and (not gap or (p.wrapped and prev_long))
            ):
                # A wrapped bullet continues on the next line.
                self.open.text = join_lines(item, cleaned)
                return
            self.close()
        self.add_text(cleaned, gap, prev_long)

    def extend_heading(self, text: str, gap: bool) -> bool:
        """A heading wrapped over two lines ("… op basis van visie op" + "dienstverlening")."""
        last = self.blocks[-1] if self.blocks else None
        if last is None or last.type != "heading" or self.open is not None or not self.stack:
            return False
        title = last.text
        if not (ends_with_broken_word(title) or (not gap and self.p.wrapped and starts_lower(text))):
            return False
        if len(text) > 40:
            return False
        self.stack[-1].title = join_lines(title, text)
        last.text = self.stack[-1].title
        last.path = tuple(h.title for h in self.stack)
        return True

    def heading(self, text: str) -> Heading | None:
        """The heading ``text`` is, in any of the forms the profile enables, or None."""
        p = self.p
        for pattern, level, kind, meta_key in p.extra_headings:
            m = re.match(pattern, text)
            if m:
                title = clean_inline(text).rstrip(":").strip()
                meta: dict[str, Any] = {}
                if meta_key == "role":
                    meta["role"] = title
                elif meta_key == "fase":
                    meta["fase"] = m.group(1)
                elif meta_key and "=" in meta_key:
                    key, value = meta_key.split("=", 1)
                    meta[key] = value
                return Heading(level, title, kind, meta, closable=kind == "case")
        if p.numbered:
            m = _NUMBERED_HEADING.match(text)
            if m and len(text) < 160 and not text.endswith("."):
                number = m.group(1)
                return Heading(number.count(".") + 1, clean_inline(text))
        if p.groei:
            m = _GROEI_HEADING.match(text)
            if m:
                return Heading(1, f"{m.group(1)} – {clean_inline(m.group(2))}")
        if p.markdown:
            m = _MD_HEADING.match(text)
            if m:
                return self.md_heading(len(m.group(1)), clean_inline(m.group(2)))
            if _BOLD_LINE.match(text) and p.bold_parts:
                return Heading(1, clean_inline(text))
        if p.minor_headings and clean_inline(text) in self.minor:
            return Heading(MINOR, clean_inline(text).rstrip(":"))
        return None

    def md_heading(self, hashes: int, title: str) -> Heading:
        title = title.rstrip("*").strip()
        for pattern, level in self.p.level_overrides:
            if re.search(pattern, title):
                return Heading(level, title)
        if self.p.facets:
            m = _FACET.match(title)
            if m and 1 <= int(m.group(1)) <= 100:
                number = int(m.group(1))
                return Heading(3, title, "facet", {"facet": number, "facet_title": m.group(2).strip()})
            level = 2 if hashes == 1 else 3
            return Heading(level, title)
        if re.match(r"^\d+\.\s", title):
            return Heading(1, title)
        return Heading(min(hashes, 3), title)


def _looks_like_header(cells: list[str]) -> bool:
    cleaned = [clean_inline(c) for c in cells]
    if cleaned and cleaned[0] == "" and all(c in ROLES for c in cleaned[1:] if c):
        return True
    return bool(cleaned) and cleaned[0] == "Spanningsveld"


def _looks_like_heading_line(text: str) -> bool:
    return len(text) < 60 and not is_terminal(text) and text[:1].isupper()


def _pack_lines(head: str, body: list[str]) -> list[str]:
    """Render ``head`` + ``body`` lines; above ROW_SPLIT, in parts that each repeat ``head``."""
    parts: list[str] = []
    current: list[str] = []
    for line in body:
        candidate = "\n".join([head, *current, line])
        if current and len(candidate) > ROW_SPLIT:
            parts.append("\n".join([head, *current]))
            current = []
        current.append(line)
    parts.append("\n".join([head, *current]))
    return parts


def find_minor_headings(lines: list[str], profile: Profile) -> set[str]:
    """Short stand-alone lines that behave like headings: no sentence end, followed by text.

    Looks at the raw lines (before joining): the candidate follows a finished sentence (or a
    heading or the start) and the next non-empty line starts with a capital, a quote or a bullet.
    """
    found: set[str] = set()
    nonblank = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
    for pos, (_i, text) in enumerate(nonblank):
        clean = clean_inline(text)
        if not clean or len(clean) > profile.minor_max or len(clean) < 3:
            continue
        if not clean[0].isupper() or "\t" in text:
            continue
        if any(re.search(p, clean) for p in profile.not_headings):
            continue
        if clean.endswith((".", ",", ";", ":", "-", "–")) or (clean.endswith("?") and not profile.question_headings):
            continue
        if _BULLET.match(text) or re.match(r"^[\"'‘“]", clean) or re.match(r"^\d", clean):
            continue
        if len(clean.split()) > profile.minor_words:
            continue
        prev = nonblank[pos - 1][1] if pos else ""
        nxt = nonblank[pos + 1][1] if pos + 1 < len(nonblank) else ""
        prev_clean = clean_inline(prev)
        if prev and not (is_terminal(prev_clean) or prev_clean in found or _MD_HEADING.match(prev)
                         or prev_clean.endswith("?") or _looks_like_heading_line(prev_clean)
                         or prev.startswith(("HOOFDSTUK", "BIJLAGE"))):
            continue
        if ends_with_broken_word(prev_clean):
            continue
        nxt_clean = clean_inline(nxt)
        if not nxt_clean or starts_lower(nxt_clean) or (_BULLET.match(nxt) and not profile.wrapped):
            continue
        if profile.wrapped and len(lines[nonblank[pos][0]]) >= profile.wrap_width * 0.75:
            continue
        found.add(clean)
    return found


def _without_stray_bullets(lines: list[str]) -> list[str]:
    """Lines without a bullet that stands alone before a blank line (or the end): it has nothing
    to say, and dropped later it would leave a broken word to be joined only on a second pass
    (``'aantrok-\n•\n\nFusie'``: normalising twice must change nothing)."""
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _LONE_BULLET.match(line.strip()) and not nxt.strip():
            continue
        out.append(line)
    return out


def parse(doc_id: str, raw: str, profile: Profile) -> list[Block]:
    """Parse the raw text of one document into blocks (no offsets yet; see ``render``)."""
    lines = _without_stray_bullets(profile.select(apply_corrections(raw, doc_id).splitlines()))
    parser = _Parser(doc_id, profile)
    parser.minor = find_minor_headings(lines, profile) if profile.minor_headings else set()
    return mark_checklists(parser.run(lines))


def mark_checklists(blocks: list[Block]) -> list[Block]:
    """Plain-text lists of questions, or lists answering a lead-in question, become checklists.

    ``Wat hoort in het verbindend verhaal thuis?`` + its list (004) is something a secretary can
    go through; lists inside another kind (facet, exercise …) keep that kind.
    """
    i = 0
    while i < len(blocks):
        if blocks[i].type != "item":
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].type == "item" and blocks[j].path == blocks[i].path:
            j += 1
        items = blocks[i:j]
        lead = blocks[i - 1] if i > 0 and blocks[i - 1].type == "para" else None
        questions = sum(b.text.rstrip().endswith("?") for b in items)
        lead_question = lead is not None and lead.text.rstrip().endswith("?") and lead.path == items[0].path
        if len(items) >= 2 and all(b.kind == "text" for b in items) and (
            questions * 2 >= len(items) or lead_question
        ):
            for b in items:
                b.kind = "checklist"
            if lead_question and lead is not None and lead.kind == "text":
                lead.kind = "checklist"
        i = j
    return blocks


def render(blocks: list[Block]) -> str:
    """Join blocks into the normalised text and set each block's ``start``/``end``.

    Paragraphs, headings and rows are separated by a blank line; consecutive list items of one
    list by a single newline.
    """
    out: list[str] = []
    pos = 0
    prev: Block | None = None
    for block in blocks:
        if prev is not None:
            sep = "\n" if (prev.type == "item" and block.type == "item") else "\n\n"
            out.append(sep)
            pos += len(sep)
        block.start = pos
        out.append(block.text)
        pos += len(block.text)
        block.end = pos
        prev = block
    out.append("\n")
    return "".join(out)
