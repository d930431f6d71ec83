"""`secretarisbot ask`: answer a question in the terminal, as JSON, or a JSON-lines batch."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from secretarisbot.errors import InputError, SecretarisbotError
from secretarisbot.model import ROLES

#: Shown for a batch line that is not a question (the batch goes on).
BAD_LINE = "Regel {line}: {reason}"


def _render(markdown: str, plain: bool) -> None:
    if plain or not sys.stdout.isatty():
        click.echo(markdown)
        return
    try:
        from rich.console import Console
        from rich.markdown import Markdown
    except ImportError:  # pragma: no cover - rich ships with the dependencies
        click.echo(markdown)
        return
    Console().print(Markdown(markdown))


def _parse_line(raw: str) -> tuple[str, list[Any], str | None]:
    """(question, history, role) of one batch line; ValueError with a Dutch reason if unusable."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ValueError(f"geen geldige JSON ({err.msg}, kolom {err.colno}).") from None
    except RecursionError:  # e.g. 100,000 nested brackets
        raise ValueError("geen bruikbare JSON (te diep genest).") from None
    if isinstance(data, str):
        return data, [], None
    if not isinstance(data, dict):
        raise ValueError("verwacht een JSON-object met 'question' of een JSON-tekst.")
    question = data.get("question")
    if not isinstance(question, str):
        raise ValueError("het veld 'question' ontbreekt of is geen tekst.")
    history = data.get("history") or []
    if not isinstance(history, list):
        raise ValueError("het veld 'history' moet een lijst zijn.")
    role = data.get("role") or data.get("rol")
    return question, history, role


def _error_object(line: int, reason: str, question: Any = None) -> dict[str, Any]:
    return {"line": line, "question": question, "error": BAD_LINE.format(line=line, reason=reason)}


def _batch(assistant: Any, source: str, role: str | None) -> int:
    """Answer every line of ``source`` ('-' = stdin); returns the number of failed lines."""
    # errors="replace": a line that is not UTF-8 becomes a bad line, not a crash of the batch.
    stream = click.open_file(source, "r", encoding="utf-8", errors="replace")
    failed = 0
    with stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                question, history, line_role = _parse_line(raw)
            except ValueError as err:
                failed += 1
                click.echo(json.dumps(_error_object(number, str(err)), ensure_ascii=False))
                continue
            try:
                answer = assistant.ask(question, history, role=line_role or role)
            except InputError as err:  # this line's fault; index or setting errors stop the batch
                failed += 1
                click.echo(json.dumps(_error_object(number, str(err), question), ensure_ascii=False))
                continue
            click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False))
    return failed


@click.command("ask")
@click.argument("question", required=False, metavar="[VRAAG]")
@click.option("--json", "as_json", is_flag=True, help="Print het antwoord als één JSON-object.")
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Lees vragen uit een JSON-lines-bestand ('-' = standaardinvoer); schrijf één antwoord per regel.",
)
@click.option(
    "--rol",
    "role",
    type=click.Choice(ROLES, case_sensitive=False),
    default=None,
    help="Bekijk de vraag vanuit één roltype (die rol eerst en uitgewerkt).",
)
@click.option("--plain", is_flag=True, help="Gewone tekst in plaats van opgemaakte Markdown.")
def ask_command(question: str | None, as_json: bool, jsonl: str | None, role: str | None, plain: bool) -> None:
    """Stel een vraag aan de handreikingen.

    \b
    Voorbeelden:
        secretarisbot ask "Wat doe ik als de mede-directeur blokkeert?"
        secretarisbot ask --rol "Goede werkgever" "Mijn medewerkers zijn onzeker over hun plaatsing"
        secretarisbot ask --json "Hoe houd ik de raad aan boord?"
        secretarisbot ask --jsonl vragen.jsonl > antwoorden.jsonl
        echo '"Wat is een spanningsveld?"' | secretarisbot ask --jsonl -
    """
    from secretarisbot.assistant import Assistant

    if jsonl is None and question is None:
        raise click.UsageError("Geef een vraag mee, of een bestand met --jsonl.")
    if jsonl is not None and question is not None:
        raise click.UsageError("Geef óf een vraag óf --jsonl, niet allebei.")
    if role is not None:
        role = next(r for r in ROLES if r.lower() == role.lower())
    try:
        assistant = Assistant()
        if jsonl is not None:
            failed = _batch(assistant, jsonl, role)
            if failed:
                click.echo(f"{failed} regel(s) konden niet worden beantwoord.", err=True)
            return
        answer = assistant.ask(question or "", role=role)
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"Bestand niet te lezen: {err}") from None
    if as_json:
        click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False))
        return
    _render(answer.answer, plain)
    if answer.notice:
        click.echo(f"\n{answer.notice}", err=True)


COMMANDS: list[click.Command] = [ask_command]
