"""Structure-aware chunking: blocks → passages of roughly 300–1200 characters.

Rules, in order of precedence:

1. a passage never crosses a section boundary (a heading, or the end of a case vignette), nor a
   change of kind or metadata, nor a table-row group (one intervention row = one passage);
2. a section's first passage starts with the section's heading line;
3. blocks are packed greedily up to ``TARGET_MAX`` characters;
4. a block longer than ``TARGET_MAX`` is cut at sentence ends (else at spaces);
5. a piece shorter than ``TARGET_MIN`` joins its smaller neighbour when the sum stays within
   ``MERGE_MAX`` (so nothing exceeds ``HARD_MAX``).

Every passage is a slice ``[start:end]`` of the normalised text, so ``text`` and offsets agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from secretarisbot.corpus.structure import Block



def _pipeline_version(major: str) -> str:
    """``major`` plus a hash of this package's source: any change to normalising or chunking code
    changes the version, so an index built by older code is reported stale instead of silently
    serving offsets that no longer match the normalised text."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{major}.{digest.hexdigest()[:10]}"


CHUNKER_VERSION = _pipeline_version("3")
TARGET_MIN = 300
TARGET_MAX = 1200
MERGE_MAX = 1500
HARD_MAX = 2000

_SENTENCE_END = re.compile(r"(?<=[.!?;:])[\"'”’)]*\s+(?=[\"'‘“(]?[A-Z0-9À-Ý•-])|\n")


@dataclass
class Span:
    start: int
    end: int
    block: Block  # the first block of the span (section, kind, metadata)


def _key(block: Block) -> tuple:
    return (block.path, block.kind, tuple(sorted(block.meta.items())), block.group)


def split_long(text: str, start: int, end: int, limit: int = TARGET_MAX) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` characters at sentence ends."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > limit:
        window = text[pos : pos + limit]
        cut = None
        for m in _SENTENCE_END.finditer(window):
            if m.start() >= limit * 0.4:
                cut = m
        if cut is None:
            space = window.rfind(" ", int(limit * 0.5))
            stop, nxt = (pos + space, pos + space + 1) if space > 0 else (pos + limit, pos + limit)
        else:
            stop, nxt = pos + cut.start(), pos + cut.end()
        stop = _rstrip(text, pos, stop)
        pieces.append((pos, stop))
        pos = nxt
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _rstrip(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return stop


def spans(text: str, blocks: Iterable[Block]) -> list[Span]:
    """Group consecutive blocks into passage spans (see module docstring).

    A section's heading line opens its first passage, so a passage about facet 22 or about the
    exercise "Welk pad bewandel je nu?" carries its own title; a heading with no body of its own
    yields no passage.
    """
    runs: list[list[Block]] = []
    for block in blocks:
        if block.type != "heading" and runs and _key(runs[-1][-1]) == _key(block):
            runs[-1].append(block)
        else:
            runs.append([block])
    out: list[Span] = []
    for run in runs:
        body = [b for b in run if b.type != "heading"]
        if not body:
            continue
        pieces: list[tuple[int, int]] = []
        for block in run:
            for s, e in split_long(text, block.start, block.end):
                if pieces and e - pieces[-1][0] <= TARGET_MAX:
                    pieces[-1] = (pieces[-1][0], e)
                else:
                    pieces.append((s, e))
        pieces = _merge_small(pieces)
        for s, e in pieces:
            while s < e and text[s].isspace():  # a nested list item's indentation
                s += 1
            first = next((b for b in body if b.end > s), body[0])
            out.append(Span(s, e, first))
    return out


def _merge_small(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces under TARGET_MIN to a neighbour (the smaller one) while within MERGE_MAX."""
    pieces = list(pieces)
    changed = True
    while changed and len(pieces) > 1:
        changed = False
        for i, (s, e) in enumerate(pieces):
            if e - s >= TARGET_MIN:
                continue
            options = []
            if i > 0 and e - pieces[i - 1][0] <= MERGE_MAX:
                options.append((pieces[i - 1][1] - pieces[i - 1][0], i - 1))
            if i + 1 < len(pieces) and pieces[i + 1][1] - s <= MERGE_MAX:
                options.append((pieces[i + 1][1] - pieces[i + 1][0], i + 1))
            if not options:
                continue
            _, j = min(options)
            a, b = sorted((i, j))
            pieces[a : b + 1] = [(pieces[a][0], pieces[b][1])]
            changed = True
            break
    return pieces
