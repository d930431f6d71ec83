"""`secretarisbot ask` through click's CliRunner: plain, --json, --jsonl (with a bad line), errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from secretarisbot.answer import prompts as P
from secretarisbot.cli import cli
from secretarisbot.settings import Settings

MEDE = "wat doe ik als de mede-directeur blokkeert"


@pytest.fixture
def env(real_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI over the real index (the outside evaluation runs this contract on it)."""
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("SECRETARISBOT_CACHE_DIR", str(real_settings.embedding_cache_dir))


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_plain(env) -> None:
    r = run("ask", MEDE)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"**{P.SECTION_TITLES['lead']}**")
    assert "**Bronnen**" in r.stdout
    assert "mede-directeur blokkeert" in r.stdout


def test_rol(env) -> None:
    r = run("ask", "--rol", "goede werkgever", MEDE)
    assert r.exit_code == 0, r.output
    assert f"**Goede werkgever** ({P.T_ROLE_CHOSEN}" in r.stdout


def test_json(env) -> None:
    r = run("ask", "--json", MEDE)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["question"] == MEDE and data["in_scope"] is True and data["mode"] == "bronnen"
    assert data["citations"][0]["n"] == 1
    assert set(data["timings_ms"]) >= {"retrieve", "compose", "total"}


def test_jsonl_with_a_bad_line(env, tmp_path: Path) -> None:
    lines = [
        json.dumps(MEDE),
        "{niet goed",
        json.dumps({"question": "En wat dan?", "history": [{"role": "user", "content": "Mijn mede-directeur blokkeert de benoeming"}]}),
        json.dumps({"question": "   "}),
        json.dumps({"question": "Wat wordt het weer morgen?"}),
    ]
    path = tmp_path / "vragen.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("ask", "--jsonl", str(path))
    assert r.exit_code == 0, r.output
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["in_scope"] is True
    assert "Regel 2" in out[1]["error"] and "geen geldige JSON" in out[1]["error"]
    assert out[2]["in_scope"] is True and out[2]["question"] == "En wat dan?"
    assert "De vraag is leeg" in out[3]["error"]
    assert out[4]["in_scope"] is False
    assert "2 regel(s)" in r.stderr


def test_jsonl_from_stdin(env) -> None:
    r = run("ask", "--jsonl", "-", input=json.dumps(MEDE) + "\n")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["question"] == MEDE


def test_missing_index_is_a_dutch_error_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "geen-index"))
    monkeypatch.setenv("SECRETARISBOT_EMBEDDER", "fake")
    r = run("ask", MEDE)
    assert r.exit_code != 0
    assert "secretarisbot index" in r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_usage_errors(env) -> None:
    assert run("ask").exit_code != 0
    r = run("ask", "   ")
    assert r.exit_code != 0 and "De vraag is leeg" in r.output
