"""The gold set: typed items loaded from ``evals/gold/*.yaml``.

Example::

    items = load_gold()                       # every file in evals/gold/
    items = load_gold(["evals/gold/core.yaml"])
    [i.id for i in items if i.kind == "follow-up"]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from secretarisbot.model import ROLES, Message
from secretarisbot.settings import PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT / "evals" / "gold"

GoldKind = Literal["situational", "role", "multi-doc", "factual", "follow-up", "out-of-scope"]
GOLD_KINDS: tuple[str, ...] = GoldKind.__args__  # type: ignore[attr-defined]
DOCUMENT_IDS: tuple[str, ...] = ("000", "001", "002", "003", "004")


class GoldItem(BaseModel):
    """One question with the evidence the right passages contain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: GoldKind
    question: str = Field(min_length=3)
    evidence: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    previous: str = ""
    note: str = ""
    file: str = Field(default="", description="Gold file the item came from (set by the loader).")

    @model_validator(mode="after")
    def _consistent(self) -> GoldItem:
        bad_sources = [s for s in self.sources if s not in DOCUMENT_IDS]
        if bad_sources:
            raise ValueError(f"{self.id}: unknown sources {bad_sources}; valid: {DOCUMENT_IDS}")
        bad_roles = [r for r in self.roles if r not in ROLES]
        if bad_roles:
            raise ValueError(f"{self.id}: unknown roles {bad_roles}; valid: {ROLES}")
        if self.kind == "out-of-scope":
            if self.evidence or self.sources:
                raise ValueError(f"{self.id}: out-of-scope items have no evidence and no sources")
        elif not self.evidence or not self.sources:
            raise ValueError(f"{self.id}: kind {self.kind} needs evidence and sources")
        if self.kind == "role" and not self.roles:
            raise ValueError(f"{self.id}: role items name the role(s) the answer should put first")
        if self.kind == "follow-up" and not self.previous.strip():
            raise ValueError(f"{self.id}: follow-up items need the earlier question in 'previous'")
        return self

    @property
    def in_scope(self) -> bool:
        return self.kind != "out-of-scope"

    def history(self) -> list[Message]:
        """The conversation before the question: the earlier user turn of a follow-up, if any."""
        return [Message(role="user", content=self.previous)] if self.previous.strip() else []


def gold_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """The gold files to load: the given ones, or every ``*.yaml`` in ``evals/gold/``."""
    if paths:
        return [Path(p) for p in paths]
    return sorted(GOLD_DIR.glob("*.yaml"))


def load_gold(paths: Iterable[str | Path] | None = None) -> list[GoldItem]:
    """Load and validate gold items; ids must be unique across all files."""
    items: list[GoldItem] = []
    seen: dict[str, str] = {}
    for path in gold_files(paths):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(raw, list):
            raise ValueError(f"{path}: a gold file is a YAML list of items")
        for entry in raw:
            item = GoldItem(**entry, file=path.name)
            if item.id in seen:
                raise ValueError(f"duplicate gold id {item.id!r} in {path.name} and {seen[item.id]}")
            seen[item.id] = path.name
            items.append(item)
    return items
