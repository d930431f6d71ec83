"""corpus/vocabulary.yaml: words the guides themselves use alike, each justified by the guides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from secretarisbot.evals.gold import load_gold
from secretarisbot.retrieve.synonyms import VOCABULARY_FILE, load_vocabulary
from secretarisbot.settings import PROJECT_ROOT
from secretarisbot.text import match_key

GROUPS = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))["groups"]


@pytest.fixture(scope="module")
def guide_lines() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted((PROJECT_ROOT / "corpus").glob("0*.txt")):
        out[path.name[:3]] = [f" {match_key(line)} " for line in path.read_text(encoding="utf-8").splitlines()]
    return out


def test_every_word_occurs_in_the_guides_it_names(guide_lines) -> None:
    for group in GROUPS:
        for used in group["used"]:
            key = f" {match_key(used['word'])} "
            docs = [d for d, lines in guide_lines.items() if any(key in line for line in lines)]
            assert sorted(docs) == sorted(str(d).zfill(3) for d in used["documents"]), used["word"]
            example = match_key(used["example"].strip("…"))
            assert any(example in line for line in guide_lines[docs[0]] + sum(guide_lines.values(), [])), used


def test_every_word_has_its_justifying_line() -> None:
    for group in GROUPS:
        assert [u["word"] for u in group["used"]] == group["words"]
        assert len(group["words"]) >= 2


def test_no_entry_exists_for_an_eval_question_alone(guide_lines) -> None:
    # A word n-gram of an eval question that occurs in no guide would only serve that question.
    everything = " ".join(line for lines in guide_lines.values() for line in lines)
    questions = [match_key(i.question) for i in load_gold()]
    for word in (w for g in GROUPS for w in g["words"]):
        key = match_key(word)
        if any(f" {key} " in f" {q} " for q in questions):
            assert f" {key} " in everything, word


def test_the_loader_reads_the_groups(tmp_path: Path) -> None:
    assert load_vocabulary() == tuple(tuple(g["words"]) for g in GROUPS)
    assert load_vocabulary(tmp_path / "missing.yaml") == ()
