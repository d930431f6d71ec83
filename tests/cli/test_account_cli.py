"""`secretarisbot account`: make hash lines from a password on stdin, and delete a person's data."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from secretarisbot.accounts import Accounts
from secretarisbot.cli import cli
from secretarisbot.reflect.store import ConversationStore, ReflectionStore
from secretarisbot.settings import Settings


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_add_prints_a_line_that_verifies_and_never_the_password() -> None:
    r = run("account", "add", "anna", input="een-lang-wachtwoord\n")
    assert r.exit_code == 0, r.output
    line = r.stdout.strip()
    assert line.startswith("anna:scrypt$") and "een-lang-wachtwoord" not in r.output
    path_free = Accounts({"anna": line.split(":", 1)[1]})
    assert path_free.verify("anna", "een-lang-wachtwoord")


def test_add_and_remove_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts"
    assert run("account", "add", "anna", "--file", str(path), input="wachtwoord-1\n").exit_code == 0
    assert run("account", "add", "bert", "--file", str(path), input="wachtwoord-2\n").exit_code == 0
    r = run("account", "add", "anna", "--file", str(path), input="wachtwoord-3\n")
    assert r.exit_code == 0 and "vervangen" in r.stderr
    accounts = Accounts.from_value(str(path))
    assert accounts.verify("anna", "wachtwoord-3") and not accounts.verify("anna", "wachtwoord-1")
    assert run("account", "remove", "bert", "--file", str(path)).exit_code == 0
    assert Accounts.from_value(str(path)).names == ["anna"]
    r = run("account", "remove", "bert", "--file", str(path))
    assert r.exit_code != 0 and "geen account 'bert'" in r.output


def test_bad_input_is_a_dutch_error() -> None:
    r = run("account", "add", "an na", input="wachtwoord-1\n")
    assert r.exit_code != 0 and "Ongeldige gebruikersnaam" in r.output and "Traceback" not in r.output
    r = run("account", "add", "anna", input="kort\n")
    assert r.exit_code != 0 and "minstens 8 tekens" in r.output


def test_delete_data_removes_everything_of_that_person_only(tmp_path: Path, monkeypatch) -> None:
    settings = Settings()  # SECRETARISBOT_HOME of this test
    ReflectionStore.for_settings(settings).save("user:anna", "spiegel", "pad", "tekst", "van anna")
    ConversationStore.for_settings(settings).save("user:anna", [{"question": "vraag van anna"}])
    ReflectionStore.for_settings(settings).save("user:bert", "spiegel", "pad", "tekst", "van bert")
    r = run("account", "delete-data", "anna")
    assert r.exit_code == 0, r.output
    assert ReflectionStore.for_settings(settings).profiles() == ["user:bert"]
    assert ConversationStore.for_settings(settings).load("user:anna") == []
