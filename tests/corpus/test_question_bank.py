"""The question bank (corpus/questions/*.yaml): data that drives retrieval, scope, roles and situation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from secretarisbot.corpus import load_passages
from secretarisbot.corpus.questions import BankError, anchor_matches, bank_files, bank_fingerprint, load_question_bank
from secretarisbot.model import OUT_OF_SCOPE_CATEGORIES
from secretarisbot.settings import Settings
from secretarisbot.text import match_key


@pytest.fixture(scope="module")
def passages():
    return load_passages(Settings())


@pytest.fixture(scope="module")
def bank(passages):
    return load_question_bank(Settings(), passages)


def _entries():
    for path in bank_files(Settings()):
        for i, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1):
            yield path.name, i, entry


class TestShippedBank:
    def test_every_anchor_matches_exactly_one_passage(self, passages) -> None:
        bad = []
        for name, i, entry in _entries():
            if "anchor" in entry:
                hits = anchor_matches(entry["anchor"]["text"], entry["anchor"]["document"], passages)
                if len(hits) != 1:
                    bad.append((name, i, entry["anchor"]["text"], len(hits)))
        assert bad == []

    def test_four_to_six_questions_per_passage_and_two_from_each_further_writer(self) -> None:
        def counts(suffix: str | None) -> list[int]:
            return [
                len(e["questions"]) for name, _, e in _entries() if "anchor" in e
                and (name.endswith(f"-{suffix}.yaml") if suffix else not name.endswith(FURTHER))
            ]

        FURTHER = ("-b.yaml", "-c.yaml", "-f.yaml", "-h.yaml", "-i.yaml", "-k.yaml", "-l.yaml", "-m.yaml")

        first = counts(None)
        assert first and all(4 <= n <= 6 for n in first), Counter(first)
        # the second writer (files *-b.yaml): one knowledge question and one concrete case;
        # the third (*-c.yaml): one search-box line and one how-to with its trigger
        for suffix in ("b", "c"):
            more = counts(suffix)
            assert len(more) > 300 and all(n == 2 for n in more), (suffix, Counter(more))
        # supplements, two per anchor: the Wegwijzer's facets on the person of the secretary, in
        # the words of someone under strain (*-f.yaml); crises and incidents (*-h.yaml); integrity
        # (*-i.yaml); the secretary overworked and exhausted (*-k.yaml, eight passages)
        for suffix, passages in (("f", 15), ("h", 15), ("i", 15), ("k", 8)):
            more = counts(suffix)
            assert len(more) >= passages and all(n == 2 for n in more), (suffix, Counter(more))
        # acute crises with victims and violent incidents (*-l.yaml): three or four per anchor, one
        # or two anchors for each of nine Wegwijzer passages (facets 11, 30-33, 48, 74)
        more = counts("l")
        assert len(more) >= 9 and all(3 <= n <= 4 for n in more), Counter(more)
        # the secretary's relationships with the bestuur, friction and distance included
        # (*-m.yaml): two or three per anchor, on 40 passages (facets 2-16, 51-52, 58, 69-85 and
        # two of the Handreiking's opening)
        more = counts("m")
        assert len(more) >= 30 and all(2 <= n <= 3 for n in more), Counter(more)

    def test_every_in_scope_question_keeps_the_anchor_it_was_written_on(self, bank, passages) -> None:
        """(the excerpt quotes the sentence holding it: answer/excerpt.ANCHOR_BONUS)"""
        text = {p.id: f" {match_key(p.text)} " for p in passages}
        assert bank.in_scope and all(f" {match_key(q.anchor)} " in text[q.passage_id] for q in bank.in_scope)
        assert all(q.anchor == "" for q in bank.out_of_scope)

    def test_every_guide_has_its_passages_asked_about(self, bank, passages) -> None:
        asked = {q.passage_id for q in bank.in_scope}
        for doc in ("000", "001", "002", "003", "004"):
            own = [p for p in passages if p.document == doc]
            share = sum(p.id in asked for p in own) / len(own)
            assert share >= 0.85, (doc, share)  # passages without content (headings, colophons) are skipped

    def test_at_least_600_out_of_scope_questions_of_every_kind(self, bank) -> None:
        kinds = Counter(q.category for q in bank.out_of_scope)
        assert len(bank.out_of_scope) >= 600
        assert set(kinds) == set(OUT_OF_SCOPE_CATEGORIES)

    def test_near_domain_topics_record_their_corpus_check(self) -> None:
        for name, i, entry in _entries():
            if entry.get("category") == "near-domain":
                assert str(entry.get("checked", "")).strip(), (name, i, entry.get("topic"))

    def test_labels_say_what_questions_are_about(self, bank) -> None:
        topics = Counter(q.onderwerp for q in bank.in_scope)
        assert topics["beroep"] > 1000 and topics["fusie"] > 2000  # the Wegwijzer is about the profession
        assert sum(1 for q in bank.in_scope if q.roles) > 2000
        assert all(q.scope == "out" and q.passage_id is None for q in bank.out_of_scope)


class TestLoader:
    def _write(self, folder: Path, entries: list[dict]) -> Settings:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "test.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        return Settings(questions_dir=folder)

    def test_an_anchor_matching_no_passage_is_a_dutch_error(self, tmp_path: Path, passages) -> None:
        settings = self._write(tmp_path / "q", [
            {"anchor": {"document": "002", "text": "deze zin staat nergens in de wegwijzer"}, "questions": ["a b c d?"]},
        ])
        with pytest.raises(BankError, match="past op 0 passages"):
            load_question_bank(settings, passages)

    def test_an_anchor_matching_several_passages_is_an_error(self, tmp_path: Path, passages) -> None:
        settings = self._write(tmp_path / "q", [{"anchor": {"document": "002", "text": "de"}, "questions": ["x y z?"]}])
        with pytest.raises(BankError, match="precies één passage"):
            load_question_bank(settings, passages)

    def test_an_unknown_label_names_the_options(self, tmp_path: Path, passages) -> None:
        anchor = {"document": "002", "text": "Gemeentesecretarissen werken samen op basis van gelijkwaardigheid"}
        settings = self._write(tmp_path / "q", [{"anchor": anchor, "labels": {"roles": ["Astronaut"]}, "questions": ["x?"]}])
        with pytest.raises(BankError, match="Politicus"):
            load_question_bank(settings, passages)

    def test_anchors_survive_case_accents_and_punctuation(self, tmp_path: Path, passages) -> None:
        anchor = {"document": "002", "text": "GEMEENTESECRETARISSEN werken samen, op basis van gelijkwaardigheid!"}
        settings = self._write(tmp_path / "q", [
            {"anchor": anchor, "labels": {"onderwerp": "beroep"}, "questions": ["Hoe vind ik mijn plek?", "Hoe vind ik mijn plek?"]},
            {"category": "everyday", "topic": "weer", "questions": ["Wordt het morgen mooi weer?"]},
        ])
        bank = load_question_bank(settings, passages)
        assert len(bank.in_scope) == 1  # the duplicate is kept once
        assert bank.in_scope[0].onderwerp == "beroep" and bank.in_scope[0].document == "002"
        assert [q.category for q in bank.out_of_scope] == ["everyday"]

    def test_the_fingerprint_follows_the_files(self, tmp_path: Path) -> None:
        settings = self._write(tmp_path / "q", [{"category": "everyday", "topic": "weer", "questions": ["Weer?"]}])
        before = bank_fingerprint(settings)
        (tmp_path / "q" / "extra.yaml").write_text("[]\n", encoding="utf-8")
        assert bank_fingerprint(settings) != before
