"""The question bank: questions in secretaries' words, written per passage, plus questions the
guides do not answer. Data in ``corpus/questions/*.yaml`` (see shared/QUESTION-BANK.md).

    >>> bank = load_question_bank(settings, passages)
    >>> len(bank.in_scope), len(bank.out_of_scope)
    >>> bank.in_scope[0].passage_id, bank.in_scope[0].roles

Two kinds of entry, told apart by their keys:

- in scope: ``{anchor: {document, text}, labels: {roles, fase, vorm, spanningsveld, onderwerp},
  questions: [...]}``. The anchor is a verbatim phrase of one passage of that document; it is
  matched with :func:`~secretarisbot.text.match_key` (case, accents, punctuation folded), so the
  link survives re-chunking. An anchor that matches no passage or several is an error.
- out of scope: ``{category, topic, checked, questions: [...]}``; ``checked`` records the grep of
  the corpus that showed the guides do not cover the topic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from secretarisbot.errors import ConfigError
from secretarisbot.model import (
    FASES,
    FUSIEVORMEN,
    ONDERWERPEN,
    OUT_OF_SCOPE_CATEGORIES,
    ROLES,
    SPANNINGSVELDEN,
    BankQuestion,
    Passage,
    content_id,
)
from secretarisbot.settings import Settings, get_settings
from secretarisbot.text import match_key

#: Label keys of an in-scope entry -> (BankQuestion field, allowed values).
LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "roles": ("roles", ROLES),
    "fase": ("fase", FASES),
    "vorm": ("fusievorm", FUSIEVORMEN),
    "spanningsveld": ("spanningsveld", tuple(SPANNINGSVELDEN)),
    "onderwerp": ("onderwerp", ONDERWERPEN),
}


class BankError(ConfigError):
    """The question bank has an entry that cannot be used (bad anchor, unknown label)."""


@dataclass(frozen=True)
class QuestionBank:
    """All bank questions; ``questions`` holds the in-scope ones first, then the out-of-scope ones."""

    questions: tuple[BankQuestion, ...]

    @property
    def in_scope(self) -> list[BankQuestion]:
        return [q for q in self.questions if q.scope == "in"]

    @property
    def out_of_scope(self) -> list[BankQuestion]:
        return [q for q in self.questions if q.scope == "out"]

    def fingerprint(self) -> str:
        """sha256 over every question record: a changed bank means a stale index."""
        digest = hashlib.sha256()
        for q in self.questions:
            digest.update(q.model_dump_json().encode("utf-8") + b"\n")
        return digest.hexdigest()

    def __len__(self) -> int:
        return len(self.questions)


def bank_files(settings: Settings | None = None) -> list[Path]:
    """The bank's YAML files, in name order (none when the folder is absent)."""
    folder = get_settings(settings).question_bank_dir
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def bank_fingerprint(settings: Settings | None = None) -> str:
    """sha256 over the names and bytes of the bank's files: cheap enough to check at every open."""
    digest = hashlib.sha256()
    for path in bank_files(settings):
        digest.update(path.name.encode("utf-8") + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


def anchor_matches(anchor: str, document: str, passages: Sequence[Passage]) -> list[Passage]:
    """The passages of ``document`` whose text contains ``anchor`` (after :func:`match_key`)."""
    key = match_key(anchor)
    if not key:
        return []
    return [p for p in passages if p.document == document and f" {key} " in f" {match_key(p.text)} "]


def _labels(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BankError(f"{where}: 'labels' moet een tabel zijn, niet {raw!r}.")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in LABELS:
            raise BankError(f"{where}: onbekend label '{key}'. Kies uit: {', '.join(LABELS)}.")
        field, allowed = LABELS[key]
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if str(v) not in allowed]
        if bad:
            raise BankError(f"{where}: label {key}={bad} ongeldig. Kies uit: {', '.join(allowed)}.")
        out[field] = tuple(str(v) for v in values) if key == "roles" else str(values[0])
    return out


def _texts(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise BankError(f"{where}: 'questions' moet een niet-lege lijst met vragen zijn.")
    out = []
    for q in raw:
        if not isinstance(q, str) or not q.strip():
            raise BankError(f"{where}: elke vraag moet tekst zijn, niet {q!r}.")
        out.append(" ".join(q.split()))
    return out


def _entry(entry: Any, where: str, passages: Sequence[Passage], keyed: dict[str, str]) -> list[BankQuestion]:
    if not isinstance(entry, dict):
        raise BankError(f"{where}: een item is een tabel met 'anchor' of 'category', en 'questions'.")
    texts = _texts(entry.get("questions"), where)
    if "anchor" in entry:
        anchor = entry["anchor"] or {}
        document, phrase = str(anchor.get("document", "")), str(anchor.get("text", ""))
        key = match_key(phrase)
        hits = [p for p in passages if p.document == document and key and f" {key} " in keyed[p.id]]
        if len(hits) != 1:
            raise BankError(
                f"{where}: anker '{phrase}' (document {document}) past op {len(hits)} passages; "
                "het moet op precies één passage passen."
            )
        passage = hits[0]
        labels = _labels(entry.get("labels"), where)
        return [
            BankQuestion(
                id=content_id("in", passage.id, text), text=text, scope="in",
                passage_id=passage.id, anchor=phrase, document=passage.document, **labels,
            )
            for text in texts
        ]
    category = str(entry.get("category", ""))
    if category not in OUT_OF_SCOPE_CATEGORIES:
        raise BankError(
            f"{where}: categorie '{category}' onbekend. Kies uit: {', '.join(OUT_OF_SCOPE_CATEGORIES)}."
        )
    topic = str(entry.get("topic", ""))
    return [
        BankQuestion(id=content_id("out", topic, text), text=text, scope="out", category=category, topic=topic)
        for text in texts
    ]


def load_question_bank(settings: Settings | None = None, passages: Sequence[Passage] | None = None) -> QuestionBank:
    """Every bank question, anchors resolved against ``passages`` (default: the corpus's).

    Raises :class:`BankError` (Dutch, naming file and entry) for an entry it cannot use. Duplicate
    questions (same scope, passage or topic, and text) are kept once.
    """
    settings = get_settings(settings)
    if passages is None:
        from secretarisbot.corpus import load_passages

        passages = load_passages(settings)
    keyed = {p.id: f" {match_key(p.text)} " for p in passages}
    found: dict[str, BankQuestion] = {}
    for path in bank_files(settings):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as err:
            raise BankError(f"{path.name} is geen geldige YAML: {err}") from err
        if not isinstance(raw, list):
            raise BankError(f"{path.name}: een vragenbankbestand is een YAML-lijst.")
        for i, entry in enumerate(raw, start=1):
            for q in _entry(entry, f"{path.name}, item {i}", passages, keyed):
                found.setdefault(q.id, q)
    ordered = sorted(found.values(), key=lambda q: q.scope != "in")  # stable: in-scope first
    return QuestionBank(tuple(ordered))
