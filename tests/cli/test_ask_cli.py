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
    assert "mede-directeur" in r.stdout


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
    assert r.exit_code == 1, r.output  # some lines failed; stdout still has every line
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


def test_a_missing_index_is_built_before_the_first_answer(
    real_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh install's first ``ask`` (the outside evaluation's only command) answers instead of
    failing every line with "bouw hem met: secretarisbot index" (the default embedder: the build
    takes the shipped vectors, a few seconds)."""
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "geen-index"))
    monkeypatch.setenv("SECRETARISBOT_CACHE_DIR", str(real_settings.embedding_cache_dir))
    path = tmp_path / "vragen.jsonl"
    path.write_text(json.dumps(MEDE) + "\n", encoding="utf-8")
    r = run("ask", "--jsonl", str(path))
    assert r.exit_code == 0, r.output
    assert "nu eenmalig gebouwd" in r.stderr
    assert json.loads(r.stdout)["question"] == MEDE
    assert (tmp_path / "geen-index" / "CURRENT").is_file()
    again = run("ask", "--json", MEDE)
    assert again.exit_code == 0 and "gebouwd" not in again.stderr


def test_an_index_that_cannot_be_built_here_is_a_dutch_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only index folder (README: an index mounted read-only): the missing index's message
    and the cause, no "Bestand niet te lezen" and no traceback (an independent review)."""
    import secretarisbot.index.build as build

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "alleen-lezen"))

    monkeypatch.setattr(build, "build_index", refuse)
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "alleen-lezen"))
    for args in (["ask", MEDE], ["eval", "--fast", "--out", str(tmp_path / "o")]):
        r = run(*args)
        assert r.exit_code != 0
        assert "Er is nog geen index" in r.output and "secretarisbot index" in r.output
        assert "bouwen lukte hier niet: Permission denied" in r.output
        assert "Traceback" not in r.output and "Bestand niet te lezen" not in r.output


def test_a_batch_file_that_does_not_exist_builds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "geen-index"))
    r = run("ask", "--jsonl", str(tmp_path / "vragen.jsonl"))
    assert r.exit_code != 0 and "bestaat niet" in r.output and "gebouwd" not in r.output
    assert not (tmp_path / "geen-index").exists()


def test_an_unusable_index_is_a_dutch_error_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "een-bestand").write_text("x")
    monkeypatch.setenv("SECRETARISBOT_INDEX_DIR", str(tmp_path / "een-bestand" / "index"))
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
    # --plain would be ignored by JSON output: said, not silently dropped
    for args in (("--json", "--plain", "Wat is een spanningsveld?"), ("--jsonl", "-", "--plain")):
        r = run("ask", *args, input='"Wat is een spanningsveld?"\n')
        assert r.exit_code == 2 and "--plain geldt alleen voor de tekstuitvoer" in r.output and "Traceback" not in r.output


class TestBatchEdges:
    """Finding 8 of issue 12: a lone surrogate aborted the batch, an all-bad batch exited 0,
    ``--jsonl /dev/zero`` grew without bound."""

    def test_a_lone_surrogate_is_one_bad_line_and_the_batch_goes_on(self, env, tmp_path: Path) -> None:
        path = tmp_path / "vragen.jsonl"
        path.write_text(
            json.dumps(MEDE) + "\n"
            + '{"question": "Wat doe ik als de mede-directeur blokkeert? \\ud800"}\n'
            + '{"question": "Hoe houd ik de raad aan boord?", "history": ["\\udfff"]}\n'
            + json.dumps("Hoe houd ik de raad aan boord?") + "\n",
            encoding="utf-8",
        )
        r = run("ask", "--jsonl", str(path))
        assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert [o.get("line") for o in out] == [None, 2, 3, None]
        assert out[0]["in_scope"] is True and out[3]["question"] == "Hoe houd ik de raad aan boord?"
        for bad in out[1:3]:
            assert bad["error"].startswith(f"Regel {bad['line']}: de tekst bevat een ongeldig teken")
        assert r.exit_code == 1 and "2 regel(s)" in r.stderr

    def test_a_batch_in_which_every_line_fails_exits_non_zero(self, env, tmp_path: Path) -> None:
        path = tmp_path / "vragen.jsonl"
        path.write_text('{kapot\n{"question": 5}\n"   "\n', encoding="utf-8")
        r = run("ask", "--jsonl", str(path))
        assert r.exit_code == 1
        assert len(r.stdout.splitlines()) == 3 and "3 regel(s)" in r.stderr

    def test_a_byte_order_mark_does_not_spoil_line_one(self, env, tmp_path: Path) -> None:
        # Notepad and Excel's "CSV UTF-8" start a UTF-8 file with a byte order mark; line 1 was
        # "geen geldige JSON (Unexpected UTF-8 BOM …)"
        path = tmp_path / "vragen.jsonl"
        path.write_text(json.dumps({"question": MEDE}) + "\r\n" + json.dumps("Wat wordt het weer morgen?") + "\r\n",
                        encoding="utf-8-sig")
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        r = run("ask", "--jsonl", str(path))
        assert r.exit_code == 0, r.output
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert [o["question"] for o in out] == [MEDE, "Wat wordt het weer morgen?"]
        assert out[0]["in_scope"] is True and out[1]["in_scope"] is False

    @pytest.mark.parametrize(("via", "encoding"), [("file", "utf-16"), ("stdin", "utf-16"), ("file", "utf-32")])
    def test_a_utf16_file_is_read_as_utf16(self, env, tmp_path: Path, via: str, encoding: str) -> None:
        # Windows PowerShell 5 writes UTF-16 with '>': every line used to fail
        text = json.dumps({"question": "Hoe houd ik de raad aan boord?"}, ensure_ascii=False) + "\r\n" + json.dumps(MEDE) + "\r\n"
        data = text.encode(encoding)
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
        if via == "file":
            path = tmp_path / "vragen.jsonl"
            path.write_bytes(data)
            r = CliRunner().invoke(cli, ["ask", "--jsonl", str(path)])
        else:
            r = CliRunner().invoke(cli, ["ask", "--jsonl", "-"], input=data)
        assert r.exit_code == 0, r.output
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert [o["question"] for o in out] == ["Hoe houd ik de raad aan boord?", MEDE]
        assert all(o["in_scope"] for o in out)

    def test_files_joined_each_with_a_byte_order_mark(self, env, tmp_path: Path) -> None:
        path = tmp_path / "vragen.jsonl"
        path.write_bytes(b"".join(("\ufeff" + json.dumps(q) + "\n").encode("utf-8") for q in (MEDE, "Hoe houd ik de raad aan boord?")))
        r = run("ask", "--jsonl", str(path))
        assert r.exit_code == 0, r.output
        assert [json.loads(line)["question"] for line in r.stdout.splitlines()] == [MEDE, "Hoe houd ik de raad aan boord?"]

    def test_a_good_batch_exits_zero(self, env, tmp_path: Path) -> None:
        path = tmp_path / "vragen.jsonl"
        path.write_text(json.dumps(MEDE) + "\n", encoding="utf-8")
        assert run("ask", "--jsonl", str(path)).exit_code == 0

    @pytest.mark.parametrize(("long_line", "encoding"), [("x" * 5000, "utf-8"), ("é" * 600, "utf-8"), ("é" * 600, "utf-16")])
    def test_an_endless_line_ends_with_a_dutch_message(
        self, env, tmp_path: Path, monkeypatch, long_line: str, encoding: str
    ) -> None:
        from secretarisbot.cli import ask

        # Small limits stand in for the real ones (1 MB per line, 256 MB in all). The limit is in
        # UTF-8 bytes whatever the file's encoding: 600 characters "é" are 1,200 bytes (a UTF-16
        # line was measured in characters, so up to about 3 MB passed)
        monkeypatch.setattr(ask, "MAX_LINE_BYTES", 1000)
        monkeypatch.setattr(ask, "MAX_INPUT_BYTES", 50_000)
        path = tmp_path / "vragen.jsonl"
        path.write_bytes("\n".join([json.dumps(MEDE), long_line, json.dumps(MEDE), ""]).encode(encoding))
        r = run("ask", "--jsonl", str(path))
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert out[0]["in_scope"] and out[2]["in_scope"]
        assert out[1]["line"] == 2 and "is langer dan" in out[1]["error"]
        assert r.exit_code == 1


def test_jsonl_dev_zero_ends_with_bounded_memory(real_settings: Settings, tmp_path: Path) -> None:
    """The real command on /dev/zero (no newline, ever): it stops after the input limit, with a
    Dutch message and exit code 1, under a 1.5 GB address-space limit (it grew without bound)."""
    import os
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (1_500_000_000, 1_500_000_000))

    env = {k: v for k, v in os.environ.items() if not k.startswith("SECRETARISBOT_")}
    env.update(SECRETARISBOT_INDEX_DIR=str(real_settings.index_dir), SECRETARISBOT_HOME=str(tmp_path),
               SECRETARISBOT_CACHE_DIR=str(real_settings.embedding_cache_dir))
    cli_path = str(Path(sys.executable).parent / "secretarisbot")
    done = subprocess.run(
        [cli_path, "ask", "--jsonl", "/dev/zero"], env=env, capture_output=True, text=True,
        timeout=600, preexec_fn=limit,
    )
    assert done.returncode == 1, done.stderr[-1500:]
    assert "Traceback" not in done.stderr
    assert "De invoer is groter dan 256 MB" in done.stderr
    assert json.loads(done.stdout.splitlines()[0])["error"].startswith("Regel 1: de regel is langer dan 1 MB")


class TestStreamingAndFilters:
    """`ask` shows the answer as it grows in a terminal, and takes the retriever's filters."""

    def test_a_terminal_sees_each_part_before_the_next_is_made(self, monkeypatch, capsys) -> None:
        from secretarisbot.cli import ask
        from secretarisbot.model import Answer

        monkeypatch.setattr(ask, "_is_tty", lambda: True)
        seen: list[str] = []

        def growing():
            text = ""
            for part in ("**Wat de bronnen zeggen**\n\nEen.", " Twee.", "\n\n**Bronnen**\n\n[1] X"):
                text += part
                yield Answer(question="q", answer=text)
                seen.append(capsys.readouterr().out)  # what the terminal shows by now

        final = ask._show(growing(), plain=True)
        assert final.answer.endswith("[1] X")
        assert seen == ["**Wat de bronnen zeggen**\n\nEen.", " Twee.", "\n\n**Bronnen**\n\n[1] X"]

    def test_a_replaced_text_starts_a_new_paragraph(self, monkeypatch, capsys) -> None:
        from secretarisbot.cli import ask
        from secretarisbot.model import Answer

        monkeypatch.setattr(ask, "_is_tty", lambda: True)
        answers = [Answer(question="q", answer="Het taalmodel schrijft"), Answer(question="q", answer="Bronnenmodus.")]
        ask._show(iter(answers), plain=True)
        assert capsys.readouterr().out == "Het taalmodel schrijft\n\nBronnenmodus.\n"

    def test_rich_renders_live_in_a_terminal(self, monkeypatch, capsys) -> None:
        from secretarisbot.cli import ask
        from secretarisbot.model import Answer

        monkeypatch.setattr(ask, "_is_tty", lambda: True)
        ask._show(iter([Answer(question="q", answer="**Bronnen**\n\n- een")]), plain=False)
        out = capsys.readouterr().out
        assert "Bronnen" in out and "**" not in out  # rendered, not raw Markdown

    @pytest.mark.parametrize("tty,plain", [(False, False), (False, True), (True, True), (True, False)])
    def test_the_notice_comes_before_the_answer_it_speaks_of(self, monkeypatch, tty, plain) -> None:
        """The caution notice says "de passages hieronder": on stderr, before the answer, once."""
        from secretarisbot.cli import ask
        from secretarisbot.model import Answer

        said = self._said(monkeypatch, tty)
        parts = [Answer(question="q", answer=t, notice=P.T_CAUTION) for t in ("Een.", "Een. Twee.")]
        ask._show(iter(parts), plain=plain)
        notices = [i for i, (err, text) in enumerate(said) if err]
        assert len(notices) == 1 and P.T_CAUTION in said[notices[0]][1]
        assert notices[0] == 0  # before any part of the answer
        if not (tty and not plain):  # rich writes through its own console, not click.echo
            assert any("Twee." in text for err, text in said if not err)

    @pytest.mark.parametrize("plain", [True, False])
    def test_a_notice_only_the_final_answer_carries_follows_it(self, monkeypatch, plain) -> None:
        """An LLM answer's fallback notice comes with its last part only: shown, once, after it."""
        from secretarisbot.cli import ask
        from secretarisbot.model import Answer

        said = self._said(monkeypatch, tty=True)
        late = "Het taalmodel gaf geen bruikbaar antwoord; dit is het antwoord in bronnenmodus."
        parts = [Answer(question="q", answer="Het taal"), Answer(question="q", answer="Bronnen.", notice=late)]
        ask._show(iter(parts), plain=plain)
        assert [text for err, text in said if err] == [f"Let op: {late}\n"]
        if plain:
            assert said[-1][0] and any("Bronnen." in text for err, text in said[:-1] if not err)

    @staticmethod
    def _said(monkeypatch, tty: bool) -> list[tuple[bool, str]]:
        from secretarisbot.cli import ask

        monkeypatch.setattr(ask, "_is_tty", lambda: tty)
        said: list[tuple[bool, str]] = []
        monkeypatch.setattr(ask.click, "echo", lambda text="", err=False, **kw: said.append((err, str(text))))
        return said

    def test_a_pipe_gets_the_final_answer_once(self, env) -> None:
        r = run("ask", MEDE)
        assert r.exit_code == 0, r.output
        assert r.stdout.count(f"**{P.SECTION_TITLES['lead']}**") == 1

    def test_plain_is_text_without_markdown(self, env) -> None:
        r = run("ask", "--plain", MEDE)
        assert r.exit_code == 0, r.output
        lines = r.stdout.splitlines()
        assert lines.count(P.SECTION_TITLES["lead"]) == 1 and "Bronnen" in lines
        assert "**" not in r.stdout and not any(line.startswith("> ") for line in lines)
        short = ("Handreiking 2026", "SETA", "Wegwijzer", "GROEI", "VNG zeven stops")  # the guides' short titles
        assert any(line.startswith(tuple(f"[1] {t}," for t in short)) for line in lines)

    def test_gids_and_soort(self, env) -> None:
        r = run("ask", "--json", "--gids", "000", "--soort", "case", MEDE)
        assert r.exit_code == 0, r.output
        passages = json.loads(r.stdout)["passages"]
        assert passages and {(p["document"], p["kind"]) for p in passages} == {("000", "case")}

    def test_gids_applies_to_a_batch(self, env) -> None:
        r = run("ask", "--gids", "003", "--jsonl", "-", input=json.dumps(MEDE) + "\n")
        assert r.exit_code == 0, r.output
        assert {p["document"] for p in json.loads(r.stdout)["passages"]} == {"003"}

    def test_unknown_gids_is_a_dutch_error(self, env) -> None:
        r = run("ask", "--gids", "999", MEDE)
        assert r.exit_code == 1
        assert "Onbekend document '999'" in r.output and "Kies uit" in r.output

    def test_unknown_soort_lists_the_kinds(self, env) -> None:
        r = run("ask", "--soort", "recept", MEDE)
        assert r.exit_code == 2 and "case" in r.output


def test_every_imported_package_is_declared() -> None:
    """Each third-party package the code imports is a declared dependency (or an extra)."""
    import ast
    import re
    import sys
    import tomllib

    from secretarisbot.settings import PROJECT_ROOT

    meta = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    specs = [*meta["dependencies"], *(d for extra in meta["optional-dependencies"].values() for d in extra)]
    declared = {re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower().replace("-", "_") for d in specs}
    import_names = {"yaml": "pyyaml", "snowballstemmer": "snowballstemmer", "sentence_transformers": "sentence_transformers"}
    imported: set[str] = set()
    for path in (PROJECT_ROOT / "src" / "secretarisbot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ("secretarisbot", "__future__")}
    missing = {m for m in third_party if import_names.get(m, m).lower() not in declared}
    assert missing == set(), f"imported but not declared in pyproject.toml: {sorted(missing)}"
