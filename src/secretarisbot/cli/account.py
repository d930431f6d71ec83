"""`secretarisbot account`: accounts for the app's login, and deleting a person's data.

The accounts file holds one ``user:hash`` line per person (scrypt with a salt of its own); point
``SECRETARISBOT_AUTH`` at it. The password is read from the terminal (hidden, asked twice) or,
when stdin is not a terminal, from its first line, so it never appears in the shell history.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from secretarisbot.errors import SecretarisbotError


def _password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.group("account")
def account_group() -> None:
    """Accounts voor het inlogscherm van de app, en de gegevens per gebruiker.

    \b
    Voorbeelden:
        secretarisbot account add anna --file /etc/secretarisbot/accounts
        printf '%s\\n' "$WACHTWOORD" | secretarisbot account add bert --file accounts
        secretarisbot account remove bert --file accounts
        secretarisbot account delete-data bert
    """


@account_group.command("add")
@click.argument("name", metavar="NAAM")
@click.option(
    "--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Accountbestand om de regel in te zetten (aangemaakt met rechten 0600); zonder: print de regel.",
)
def add_command(name: str, path: Path | None) -> None:
    """Maak een account-regel 'naam:hash' met een gezouten wachtwoord-hash.

    \b
    Voorbeelden:
        secretarisbot account add anna                       # print de regel
        secretarisbot account add anna --file accounts       # zet hem in het bestand
    """
    from secretarisbot.accounts import account_line, check_name, write_account

    try:
        name = check_name(name)
        line = account_line(name, _password())
        if path is None:
            click.echo(line)
            return
        replaced = write_account(path, name, line)
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"Het accountbestand kan niet worden geschreven: {err.strerror}") from None
    what = "vervangen" if replaced else "toegevoegd"
    click.echo(f"Account '{name}' {what} in {path.name}. Herstarten is niet nodig.", err=True)


@account_group.command("remove")
@click.argument("name", metavar="NAAM")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Het accountbestand.")
def remove_command(name: str, path: Path) -> None:
    """Haal een account uit het accountbestand (de gegevens blijven; zie delete-data)."""
    from secretarisbot.accounts import remove_account

    try:
        removed = remove_account(path, name.strip())
    except OSError as err:
        raise click.ClickException(f"Het accountbestand kan niet worden gewijzigd: {err.strerror}") from None
    if not removed:
        raise click.ClickException(f"Er staat geen account '{name}' in {path.name}.")
    click.echo(f"Account '{name}' verwijderd uit {path.name}.", err=True)


@account_group.command("delete-data")
@click.argument("name", metavar="NAAM")
def delete_data_command(name: str) -> None:
    """Wis voorgoed alle gegevens van een gebruiker: reflecties, voortgang en gesprek.

    \b
    Voorbeeld:
        SECRETARISBOT_HOME=/srv/secretarisbot secretarisbot account delete-data anna
    """
    from secretarisbot.reflect.store import delete_profile
    from secretarisbot.settings import get_settings
    from secretarisbot.ui.profiles import USER_PREFIX

    try:
        delete_profile(get_settings(), USER_PREFIX + name.strip())
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from None
    except Exception as err:  # noqa: BLE001 - sqlite3/OSError: name the cause, no trace
        raise click.ClickException(f"Wissen lukte niet ({type(err).__name__}).") from None
    click.echo(f"Alle gegevens van '{name.strip()}' zijn gewist.", err=True)


COMMANDS: list[click.Command] = [account_group]
