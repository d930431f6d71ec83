"""The ``secretarisbot`` command: a click group; each subcommand lives in its own module.

\b
    secretarisbot index [--rebuild]
    secretarisbot corpus show PASSAGE_ID
    secretarisbot ask "Wat doe ik als de mede-directeur blokkeert?"
    secretarisbot eval --out evals/out
    secretarisbot account add NAAM --file accounts
"""

from __future__ import annotations

import click

from secretarisbot.cli import dutch
from secretarisbot.settings import disable_telemetry

dutch.install()  # before the decorators below: click fills in help texts when they run


@click.group()
@click.version_option(package_name="secretarisbot")
def cli() -> None:
    """secretarisbot: een assistent voor gemeentesecretarissen bij fusies en samenwerking."""
    disable_telemetry()


def _register() -> None:
    from secretarisbot.cli import account, ask, corpus, eval, index

    for module in (index, corpus, ask, eval, account):
        for command in module.COMMANDS:
            cli.add_command(command)
    dutch.name_metavars(cli)


_register()


def main() -> None:
    cli()
