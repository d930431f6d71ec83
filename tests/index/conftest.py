"""Small real corpora for index tests: real excerpts of the guides, a handful of passages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from secretarisbot.settings import PROJECT_ROOT, Settings

REAL_CORPUS = PROJECT_ROOT / "corpus"


def make_corpus(target: Path, documents: dict[str, int]) -> Path:
    """Copy the first ``lines`` lines of each real document ``{id: lines}`` plus its manifest entry."""
    target.mkdir(parents=True, exist_ok=True)
    raw = yaml.safe_load((REAL_CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    keep = [entry for entry in raw["documents"] if entry["id"] in documents]
    for entry in keep:
        lines = (REAL_CORPUS / entry["file"]).read_text(encoding="utf-8").splitlines(keepends=True)
        (target / entry["file"]).write_text("".join(lines[: documents[entry["id"]]]), encoding="utf-8")
    (target / "manifest.yaml").write_text(
        yaml.safe_dump({"documents": keep}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """The opening of the 2026 handreiking and of the VNG guide (a few dozen passages)."""
    return make_corpus(tmp_path / "corpus", {"000": 200, "004": 200})


@pytest.fixture
def fake_settings(tmp_path: Path, tiny_corpus: Path) -> Settings:
    return Settings(
        home=tmp_path / "home",
        corpus_dir=tiny_corpus,
        index_dir=tmp_path / "index",
        embedder="fake",
    )
