"""The eval runner end to end with a small stand-in assistant over the real corpus passages.

The stand-in answers the way the contract says the real Assistant does (typed Answer, passages,
[n] citations at real offsets), so the runner, metrics, report and chart are exercised on real
text without waiting for the real retrieval stack.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from secretarisbot.corpus import load_passages
from secretarisbot.evals.gold import GOLD_DIR, load_gold
from secretarisbot.evals.judge import judge_answers, parse_score
from secretarisbot.evals.metrics import match_key
from secretarisbot.evals.runner import run_eval
from secretarisbot.model import Answer, Citation, Message, RetrievedPassage
from secretarisbot.settings import Settings

SUBSET = ["q001", "q002", "q024", "q034", "q061", "q069", "q077"]


class StandInAssistant:
    """Word-overlap retrieval over the real passages; refuses when nothing overlaps enough."""

    def __init__(self, settings: Settings, shift: int = 0) -> None:
        self.passages = load_passages(settings)
        self.keys = [set(match_key(p.text).split()) for p in self.passages]
        self.shift = shift
        self.histories: list[list[Message]] = []
        self.calls: list[tuple[str, list[Message]]] = []

    def ask(self, question: str, history=()) -> Answer:
        self.histories.append(list(history))
        self.calls.append((question, list(history)))
        words = {w for w in match_key(" ".join([*(m.content for m in history), question])).split() if len(w) > 4}
        scored = sorted(((len(words & key), i) for i, key in enumerate(self.keys)), reverse=True)[:10]
        passages = [RetrievedPassage(**self.passages[i].model_dump(), rank=r, score=float(s))
                    for r, (s, i) in enumerate(scored, start=1)]
        if not scored or scored[0][0] < 3:
            return Answer(question=question, answer="De bronnen gaan hier niet over.", in_scope=False,
                          passages=passages)
        cites = []
        for n, p in enumerate(passages[:2], start=1):
            c = Citation.of(n, p)
            if self.shift:
                c = c.model_copy(update={"start": c.start + self.shift, "end": c.end + self.shift})
            cites.append(c)
        text = " ".join(f"{' '.join(p.text.split()[:25])} [{c.n}]." for p, c in zip(passages, cites, strict=False))
        role = "Goede werkgever" if "mensen" in question else "Politicus"
        return Answer(question=question, answer=f"## Herkenning\n\n{text}", citations=cites, passages=passages,
                      primary_role=role)


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    entries = [e for e in yaml.safe_load((GOLD_DIR / "core.yaml").read_text(encoding="utf-8")) if e["id"] in SUBSET]
    path = tmp_path / "subset.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", home=tmp_path / "home", index_dir=tmp_path / "no-index")


class TestRunner:
    def test_fast_pass_writes_every_output(self, settings: Settings, gold_file: Path, tmp_path: Path) -> None:
        standin = StandInAssistant(settings)
        result = run_eval(settings, gold=[gold_file], out_dir=tmp_path / "out", k=5, fast=True, assistant=standin)
        out = tmp_path / "out"
        records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [r["item"]["id"] for r in records] == sorted(SUBSET)
        assert records[0]["answer"]["question"] == records[0]["item"]["question"]
        metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
        assert list(metrics["systems"]) == ["product"]
        prod = metrics["systems"]["product"]
        assert 0.0 <= prod["recall@1"] <= prod["recall@3"] <= prod["recall@5"] <= prod["recall@10"] <= 1.0
        # citations were built from real passages: every [n] sits at its offsets in the normalised text
        assert prod["citation_validity"] == 1.0
        # the two out-of-scope items are refused, in-scope ones answered
        assert prod["scope_confusion"]["tp"] == 2 and prod["oos_recall"] == 1.0
        assert metrics["llm_judge"]["skipped"].startswith("fast pass")
        assert (out / "recall_at_k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        report = (out / "report.md").read_text(encoding="utf-8")
        assert "## Product vs baselines" in report and "## The ten worst items" in report
        assert result.metrics["meta"]["items"] == len(SUBSET)

    @pytest.mark.parametrize("name", ["test.yaml", "test-2.yaml"])
    def test_held_out_items_are_written_as_numbers_only(self, settings: Settings, gold_file: Path,
                                                        tmp_path: Path, name: str) -> None:
        from secretarisbot.evals.runner import HELD_OUT

        assert name in HELD_OUT
        held = tmp_path / "gold" / name
        held.parent.mkdir()
        held.write_text(gold_file.read_text(encoding="utf-8"), encoding="utf-8")
        result = run_eval(settings, gold=[held], out_dir=tmp_path / "out", k=5, fast=True,
                          assistant=StandInAssistant(settings))
        written = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8")
        items = load_gold([held])
        for item in items:  # no question, fragment or note of the split is on disk
            assert item.question not in written
            assert not any(fragment in written for fragment in item.evidence)
        records = [json.loads(line) for line in written.splitlines()]
        assert [r["item"] for r in records] == [{"id": i.id, "kind": i.kind, "file": name} for i in items]
        assert all(set(r) == {"item", "metrics", "error", "sealed"} for r in records)
        # the numbers are all there: the metrics are those of the run
        assert [r["metrics"] for r in records] == [r["metrics"] for r in result.records]

    def test_the_judge_names_held_out_items_by_id(self, settings: Settings, gold_file: Path, tmp_path: Path) -> None:
        from langchain_core.language_models.fake_chat_models import FakeListChatModel

        held = tmp_path / "gold" / "test-2.yaml"
        held.parent.mkdir()
        held.write_text(gold_file.read_text(encoding="utf-8"), encoding="utf-8")
        judge = FakeListChatModel(responses=["0.5"] * 200)
        run_eval(settings, gold=[held], out_dir=tmp_path / "out", k=5, assistant=StandInAssistant(settings),
                 judge_model=judge)
        written = (tmp_path / "out" / "metrics.json").read_text(encoding="utf-8")
        items = [i for i in load_gold([held]) if i.kind != "out-of-scope"]
        judged = json.loads(written)["llm_judge"]["items"]
        assert [j["question"] for j in judged] == [i.id for i in items]
        assert not any(i.question in written for i in items)

    def test_follow_ups_get_their_previous_question_and_its_answer_as_history(
        self, settings: Settings, gold_file: Path, tmp_path: Path
    ) -> None:
        standin = StandInAssistant(settings)
        run_eval(settings, gold=[gold_file], out_dir=tmp_path / "out", fast=True, assistant=standin)
        items = load_gold([gold_file])
        asked = iter(list(standin.calls))
        for item in items:
            if item.kind == "follow-up":
                earlier, none = next(asked)
                assert (earlier, none) == (item.previous, [])  # the app asked this first ...
                question, history = next(asked)
                assert [m.role for m in history] == ["user", "assistant"]  # ... and holds its answer
                assert history[0].content == item.previous
                assert history[1].content == standin.ask(item.previous).answer
            else:
                question, history = next(asked)
                assert history == []
            assert question == item.question
        assert next(asked, None) is None

    def test_shifted_offsets_make_citations_invalid(self, settings: Settings, gold_file: Path, tmp_path: Path) -> None:
        result = run_eval(settings, gold=[gold_file], out_dir=tmp_path / "out", fast=True,
                          assistant=StandInAssistant(settings, shift=3))
        assert result.metrics["systems"]["product"]["citation_validity"] == 0.0
        assert result.metrics["invalid_citations"]
        assert "## Invalid citations" in result.report_path.read_text(encoding="utf-8")

    def test_baselines_stand_beside_the_product(self, settings: Settings, gold_file: Path, tmp_path: Path) -> None:
        result = run_eval(settings, gold=[gold_file], out_dir=tmp_path / "out", k=3, assistant=StandInAssistant(settings))
        systems = result.metrics["systems"]
        assert list(systems) == ["product", "naive", "bm25"]
        for name in ("naive", "bm25"):
            assert systems[name]["recall@3"] is not None and "citation_validity" not in systems[name]
        # every record carries the baselines' ranked chunks, ten per item
        for record in result.records:
            assert [c["rank"] for c in record["baselines"]["naive"]] == list(range(1, 11))
            assert record["baselines"]["bm25"] and record["baselines"]["bm25"][0]["document"] in {"000", "001", "002", "003", "004"}
        report = result.report_path.read_text(encoding="utf-8")
        assert "n.v.t." in report and "**Recall@3**" in report
        assert result.metrics["llm_judge"]["skipped"].startswith("no LLM configured")


class TestJudge:
    def test_parse_score(self) -> None:
        assert parse_score("Score: 0,75") == 0.75
        assert parse_score("1") == 1.0
        assert parse_score("geen idee") is None

    def test_judge_with_a_fake_chat_model(self, settings: Settings) -> None:
        from langchain_core.language_models.fake_chat_models import FakeListChatModel

        model = FakeListChatModel(responses=["0.8", "1", "0.4", "0.6"])
        answers = [{"question": "q", "answer": "a [1]", "citations": [{"n": 1, "text": "t"}]}] * 2
        result = judge_answers(answers, settings, chat_model=model)
        assert result["faithfulness"] == pytest.approx(0.6)
        assert result["answer_relevancy"] == pytest.approx(0.8)


def test_cli_fast_pass(settings: Settings, gold_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from secretarisbot.cli import cli

    class CliStandIn(StandInAssistant):
        def __init__(self, s: Settings | None = None) -> None:
            super().__init__(settings)

    try:
        import secretarisbot.assistant as module
        monkeypatch.setattr(module, "Assistant", CliStandIn)
    except ImportError:
        monkeypatch.setitem(sys.modules, "secretarisbot.assistant", types.SimpleNamespace(Assistant=CliStandIn))
    monkeypatch.setenv("SECRETARISBOT_EMBEDDER", "fake")
    monkeypatch.setattr("secretarisbot.cli.eval.ensure_index", lambda _settings: None)  # the stand-in needs none
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold_file), "--out", str(out), "--fast", "--k", "3"])
    assert result.exit_code == 0, result.output
    assert "Recall@3: product" in result.output
    assert (out / "report.md").exists() and (out / "metrics.json").exists()


def test_cli_rejects_a_broken_gold_file(tmp_path: Path) -> None:
    from secretarisbot.cli import cli

    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  kind: follow-up\n  question: En dan?\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(bad), "--fast"])
    assert result.exit_code != 0
    assert "goudset" in result.output


def test_an_item_that_raises_is_reported_not_fatal(settings: Settings, gold_file: Path, tmp_path: Path) -> None:
    class Flaky(StandInAssistant):
        def ask(self, question: str, history=()) -> Answer:
            if "mede-directeur" in question:
                raise RuntimeError("index weg")
            return super().ask(question, history)

    result = run_eval(settings, gold=[gold_file], out_dir=tmp_path / "out", fast=True, assistant=Flaky(settings))
    # q061 follows up on a mede-directeur question: without that answer it cannot be asked either.
    assert result.metrics["errors"] == [
        {"id": "q002", "error": "RuntimeError: index weg"},
        {"id": "q061", "error": "RuntimeError: index weg"},
    ]
    assert len(result.records) == len(SUBSET)
    assert "## Items that raised an error" in result.report_path.read_text(encoding="utf-8")


def test_cli_builds_a_missing_index_first(gold_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An evaluator's first ``secretarisbot eval`` on a fresh install runs instead of stopping at
    "bouw hem met: secretarisbot index" (the default embedder: the shipped vectors, a few seconds)."""
    from secretarisbot.cli import cli

    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold_file), "--fast", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "nu eenmalig gebouwd" in result.stderr
    assert (tmp_path / "nowhere" / "CURRENT").is_file() and (tmp_path / "o" / "report.md").is_file()


def test_cli_says_how_to_repair_an_unusable_index(gold_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from secretarisbot.cli import cli

    (tmp_path / "een-bestand").write_text("x")
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "een-bestand" / "index"))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold_file), "--fast", "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "secretarisbot index" in result.output and "Traceback" not in result.output
