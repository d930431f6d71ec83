"""Accounts of the login (issue 12, finding 3): several people, salted hashes, clear Dutch errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretarisbot.accounts import Accounts, account_line, hash_password, verify_password, write_account
from secretarisbot.errors import ConfigError


class TestAccounts:
    def test_a_comma_list_is_several_accounts_not_one_odd_one(self):
        accounts = Accounts.from_value("anna:geheim,bert:wachtwoord")
        assert accounts.names == ["anna", "bert"]
        assert accounts.verify("anna", "geheim") and accounts.verify("bert", "wachtwoord")
        assert not accounts.verify("anna", "geheim,bert:wachtwoord")
        assert not accounts.verify("anna", "wachtwoord") and not accounts.verify("carla", "geheim")

    @pytest.mark.parametrize("value", ["anna", "anna:", ":geheim", "anna:geheim,", "an na:x", "anna:x,anna:y"])
    def test_a_malformed_value_is_a_dutch_error(self, value: str):
        with pytest.raises(ConfigError) as err:
            Accounts.from_value(value)
        assert "gebruiker" in str(err.value).lower()

    def test_hashes_are_salted_and_verify(self):
        one, two = hash_password("hetzelfde"), hash_password("hetzelfde")
        assert one != two and one.startswith("scrypt$")
        assert verify_password("hetzelfde", one) and verify_password("hetzelfde", two)
        assert not verify_password("anders", one) and not verify_password("x", "geen-hash")

    def test_an_accounts_file_of_hashes(self, tmp_path: Path):
        path = tmp_path / "accounts"
        write_account(path, "anna", account_line("anna", "een-lang-wachtwoord"))
        write_account(path, "bert", account_line("bert", "nog-een-wachtwoord"))
        assert path.stat().st_mode & 0o777 == 0o600
        assert "een-lang-wachtwoord" not in path.read_text()
        accounts = Accounts.from_value(str(path))
        assert accounts.verify("anna", "een-lang-wachtwoord")
        assert not accounts.verify("anna", "nog-een-wachtwoord")
        # A person added while the app runs can log in without a restart.
        write_account(path, "carla", account_line("carla", "derde-wachtwoord"))
        assert accounts.verify("carla", "derde-wachtwoord")

    def test_a_plain_password_in_the_file_is_refused(self, tmp_path: Path):
        path = tmp_path / "accounts"
        path.write_text("anna:geheim\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="regel 1.*secretarisbot account add anna"):
            Accounts.from_value(str(path))
        with pytest.raises(ConfigError, match="bestaat niet"):
            Accounts.from_value(str(tmp_path / "geen-bestand"))

    def test_a_short_password_is_refused(self):
        with pytest.raises(ConfigError, match="minstens 8"):
            account_line("anna", "kort")
