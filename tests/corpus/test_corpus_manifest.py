"""The manifest: complete, consistent with corpus/ and shared/corpus-source/, facts from the texts."""

from __future__ import annotations

import hashlib

import pytest

from secretarisbot.settings import PROJECT_ROOT

SOURCE_DIR = PROJECT_ROOT.parent / "shared" / "corpus-source"


def test_ids_and_files(documents):
    assert sorted(documents) == ["000", "001", "002", "003", "004"]
    for doc_id, doc in documents.items():
        assert doc.file.startswith(f"{doc_id}-") and doc.file.endswith(".txt")
        assert doc.source_file.startswith(f"{doc_id}_")
        assert doc.title and doc.short_title


def test_copies_are_identical_to_the_originals(raw, documents):
    if not SOURCE_DIR.exists():
        pytest.skip(f"{SOURCE_DIR} is not on this machine (a clone keeps only corpus/)")
    for doc_id, doc in documents.items():
        original = (SOURCE_DIR / doc.source_file).read_bytes()
        assert hashlib.sha256(original).hexdigest() == hashlib.sha256(raw[doc_id].encode("utf-8")).hexdigest()


def test_titles_occur_in_the_texts(raw, documents):
    for doc_id in ("000", "002", "004"):
        doc = documents[doc_id]
        assert doc.title in raw[doc_id]
        assert " ".join(doc.subtitle.split()) in " ".join(raw[doc_id].split())


def test_usage_statement_is_quoted_from_the_wegwijzer(raw, documents):
    usage = documents["002"].usage
    assert usage.startswith("Gebruik en vermenigvuldiging voor niet-commerciële doelen is toegestaan.")
    for sentence in usage.split(". "):
        assert sentence.rstrip(".") in raw["002"]
    assert all(not documents[i].usage for i in ("000", "001", "003", "004"))


def test_facts_from_the_texts(raw, documents):
    assert documents["002"].year == "2020" and "2020" in raw["002"]
    assert documents["002"].author == "Irma Woestenberg" and "Tekst: Irma Woestenberg" in raw["002"]
    assert documents["000"].year == "2026" and "24 april 2026" in raw["000"]
    assert "Vereniging van Gemeentesecretarissen" in documents["000"].author
    assert "Berenschot" in documents["000"].author and "Berenschot Groep B.V." in raw["000"]
    assert "Henriette van den Heuvel" in documents["004"].author and "Henriette van den Heuvel" in raw["004"]


def test_unknown_is_said_not_guessed(documents):
    # 001 and 003 name no author and no year; 004 has no year.
    assert documents["001"].author == "onbekend" and documents["001"].year == "onbekend"
    assert documents["003"].author == "onbekend" and documents["003"].year == "onbekend"
    assert documents["004"].year == "onbekend"
