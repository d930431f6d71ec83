"""click's own messages (errors, usage lines, --help) reach the user in Dutch."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from secretarisbot.cli import cli

ENGLISH = ("Error:", "Usage:", "Try '", "No such", "Options:", "Commands:", "Show this message", "[OPTIONS]", "COMMAND")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="secretarisbot")


@pytest.mark.parametrize(
    "args, dutch",
    [
        (["ask", "--bogus", "x"], "De optie '--bogus' bestaat niet."),
        (["indx"], "De opdracht 'indx' bestaat niet. Bedoelde je 'index'?"),
        (["eval", "--k", "50"], "Ongeldige waarde voor '--k': 50 ligt niet in het bereik 1<=x<=10."),
        (["ask", "--rol", "dictator", "x"], "Ongeldige waarde voor '--rol'"),
        (["ask", "--jsonl"], "De optie '--jsonl' heeft een waarde nodig."),
        (["corpus", "show"], "Ontbrekend argument 'PASSAGE_ID'."),
        (["ask", "een", "twee"], "Onverwacht extra argument (twee)"),
        (["eval", "--gold", "/bestaat/niet.yaml"], "bestaat niet"),
    ],
    ids=["option", "command", "range", "choice", "needs-value", "argument", "extra", "path"],
)
def test_usage_errors_are_dutch(args: list[str], dutch: str) -> None:
    r = run(*args)
    assert r.exit_code == 2
    assert dutch in r.output
    assert r.output.count("Fout: ") == 1
    if "Gebruik:" in r.output:  # a usage error names the command and where its help is
        assert "Gebruik: secretarisbot" in r.output and "--help' voor hulp." in r.output
    for english in ENGLISH:
        assert english not in r.output, r.output


@pytest.mark.parametrize("args", [[], ["ask"], ["index"], ["eval"], ["corpus"], ["corpus", "show"]])
def test_help_is_dutch(args: list[str]) -> None:
    r = run(*args, "--help")
    assert r.exit_code == 0
    assert r.output.startswith("Gebruik: secretarisbot") and "Opties:" in r.output
    assert "Toon deze hulp en stop." in r.output
    for english in ENGLISH:
        assert english not in r.output, r.output


def test_version_is_dutch() -> None:
    r = run("--version")
    assert r.exit_code == 0 and ", versie " in r.output
