"""`secretarisbot index` and `secretarisbot corpus show` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from secretarisbot.cli import cli
from secretarisbot.settings import PROJECT_ROOT, Settings


def make_corpus(target: Path, documents: dict[str, int]) -> Path:
    """The first lines of real guides with their manifest entries (as tests/index/conftest.py)."""
    target.mkdir(parents=True)
    raw = yaml.safe_load((PROJECT_ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    keep = [entry for entry in raw["documents"] if entry["id"] in documents]
    for entry in keep:
        lines = (PROJECT_ROOT / "corpus" / entry["file"]).read_text(encoding="utf-8").splitlines(True)
        (target / entry["file"]).write_text("".join(lines[: documents[entry["id"]]]), encoding="utf-8")
    (target / "manifest.yaml").write_text(yaml.safe_dump({"documents": keep}, allow_unicode=True))
    return target


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    corpus = make_corpus(tmp_path / "corpus", {"000": 200, "004": 200})
    monkeypatch.setenv("SECRETARISBOT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("SECRETARISBOT_EMBEDDER", "fake")
    return Settings()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


class TestIndexCommand:
    def test_build_no_op_and_rebuild(self, env: Settings) -> None:
        first = run("index")
        assert first.exit_code == 0, first.output
        assert "Index gebouwd" in first.stdout
        assert "2 documenten" in first.stdout
        assert "nieuw ingebed, 0 hergebruikt" in first.stdout
        assert "Passages inbedden" in first.stderr

        second = run("index")
        assert second.exit_code == 0
        assert "al actueel" in second.stdout and "--rebuild" in second.stdout

        third = run("index", "--rebuild")
        assert third.exit_code == 0
        assert "0 nieuw ingebed" in third.stdout

    def test_if_missing(self, env: Settings) -> None:
        built = run("index", "--if-missing")
        assert built.exit_code == 0
        assert "geen index" in built.stderr and "Index gebouwd" in built.stdout
        present = run("index", "--if-missing")
        assert present.exit_code == 0 and "niets te doen" in present.stdout

    def test_if_missing_rebuilds_an_index_that_does_not_fit(
        self, env: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert run("index").exit_code == 0
        monkeypatch.setenv("SECRETARISBOT_EMBEDDER", "fake:32")
        result = run("index", "--if-missing")
        assert result.exit_code == 0
        assert "past niet" in result.stderr and "Index gebouwd" in result.stdout

    def test_unknown_embedder_is_a_clear_message(self, env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SECRETARISBOT_EMBEDDER", "word2vec")
        result = run("index")
        assert result.exit_code == 1
        assert "Onbekende embedder 'word2vec'" in result.stderr
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)


class TestCorpusShow:
    def test_shows_metadata_passage_and_context(self, env: Settings) -> None:
        assert run("index").exit_code == 0
        from secretarisbot.index.store import open_index

        index = open_index(env)
        passage = next(p for p in index.passages if p.document == "004" and p.start > 500)
        result = run("corpus", "show", passage.id)
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert f"Passage:  {passage.id}" in out or passage.id in out.splitlines()[0]
        assert "Document:" in out and "004 · Samenwerking tussen gemeenten" in out
        assert f"Sectie:   {passage.section}" in out or passage.section in out
        assert f"tekens {passage.start}–{passage.end}" in out
        assert passage.text in out
        normalized = index.normalized("004")
        # A piece of the text just before and just after the passage is shown too.
        before = normalized[max(0, passage.start - 60) : passage.start].split()[-1]
        assert out.index(before) < out.index(passage.text)
        after = normalized[passage.end : passage.end + 80].split()
        if after:
            assert after[0] in out[out.index(passage.text) + len(passage.text) :]

    def test_unknown_id(self, env: Settings) -> None:
        assert run("index").exit_code == 0
        result = run("corpus", "show", "004-bestaatniet")
        assert result.exit_code != 0
        assert "Er is geen passage met id '004-bestaatniet'" in result.stderr
        assert "Traceback" not in result.output

    def test_prefix_suggests_ids(self, env: Settings) -> None:
        assert run("index").exit_code == 0
        from secretarisbot.index.store import open_index

        some = open_index(env).passages[3].id
        result = run("corpus", "show", some[:6])
        assert result.exit_code != 0
        assert "Bedoelde u:" in result.stderr and some in result.stderr

    def test_without_index(self, env: Settings) -> None:
        result = run("corpus", "show", "000-abc")
        assert result.exit_code == 1
        assert "Bouw hem met: secretarisbot index" in result.stderr
        assert "Traceback" not in result.output
