"""`secretarisbot ask`: answer a question in the terminal, as JSON, or a JSON-lines batch."""

from __future__ import annotations

import codecs
import io
import itertools
import json
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from secretarisbot.cli.index import ensure_index
from secretarisbot.errors import InputError, SecretarisbotError
from secretarisbot.model import KINDS, ROLES

log = logging.getLogger("secretarisbot.cli")

#: Shown for a batch line that is not a question (the batch goes on).
BAD_LINE = "Regel {line}: {reason}"
#: Bytes of one batch line: a question (the assistant reads 2,000 characters) with ten history
#: turns fits many times over.
MAX_LINE_BYTES = 1_000_000
#: Bytes of a whole batch; the rest is not read (``--jsonl /dev/zero`` ends instead of growing).
MAX_INPUT_BYTES = 256_000_000
#: Exit code of a batch in which at least one line got an error object (stdout is still complete).
EXIT_SOME_FAILED = 1
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _is_tty() -> bool:
    return sys.stdout.isatty()


def _show(answers: Iterator[Any], plain: bool, short_titles: dict[str, str] | None = None) -> Any:
    """Show the answer as it grows (as ``llm prompt`` does) and return the final one.

    In a terminal: Markdown rendered live with rich, or with ``--plain`` the new text as it comes
    (a fallback that replaces the text starts on a new paragraph). To a pipe or file: the final
    answer only, once (as plain text with ``--plain``). The answer's notice goes to stderr before
    the answer (the caution speaks of "de passages hieronder"); a notice that only the final answer
    carries (an LLM answer's fallback or a removed reference) follows it.
    """
    from secretarisbot.render import plain_text

    final = None
    if not _is_tty():
        for final in answers:
            pass
        if final is not None:
            _notice(final)
            click.echo(plain_text(final, short_titles) if plain else final.answer)
        return final
    answers = iter(answers)
    final = next(answers, None)
    if final is None:
        return None
    noticed = _notice(final)
    if plain:
        shown = ""
        for final in itertools.chain([final], answers):
            text = plain_text(final, short_titles)
            click.echo(text[len(shown):] if text.startswith(shown) else "\n\n" + text, nl=False)
            shown = text
        click.echo()
    else:
        from rich.console import Console
        from rich.live import Live
        from rich.markdown import Markdown

        with Live(Markdown(final.answer), console=Console(), refresh_per_second=10, vertical_overflow="visible") as live:
            for final in answers:
                live.update(Markdown(final.answer))
    if final.notice and final.notice != noticed:
        _notice(final)
    return final


def _notice(answer: Any) -> str | None:
    """Echo the answer's notice on stderr; return it (None without one)."""
    if answer.notice:
        click.echo(f"Let op: {answer.notice}\n", err=True)
    return answer.notice


def _parse_line(raw: str) -> tuple[str, list[Any], str | None]:
    """(question, history, role) of one batch line; ValueError with a Dutch reason if unusable."""
    try:
        # a byte order mark inside the batch: files joined with cat, each saved with one
        data = json.loads(raw.lstrip("\ufeff"))
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
    if role is not None and not isinstance(role, str):
        raise ValueError("het veld 'role' moet tekst zijn.")
    _check_text(question, history, role)
    return question, history, role


def _check_text(*values: Any) -> None:
    """ValueError when any string in ``values`` holds a lone UTF-16 surrogate ("\\ud800" in the JSON):
    it is no character, cannot be written as UTF-8 and would otherwise stop the whole batch."""
    for value in values:
        if isinstance(value, str):
            bad = _SURROGATE.search(value)
            if bad:
                raise ValueError(
                    f"de tekst bevat een ongeldig teken (een losse surrogaat, \\u{ord(bad.group()):04x}); "
                    "gebruik geldige Unicode-tekens."
                )
        elif isinstance(value, dict):
            _check_text(*value.keys(), *value.values())
        elif isinstance(value, list):
            _check_text(*value)


def _error_object(line: int, reason: str, question: Any = None) -> dict[str, Any]:
    return {"line": line, "question": question, "error": BAD_LINE.format(line=line, reason=reason)}


def _emit(obj: dict[str, Any]) -> None:
    """One JSON line on stdout; ASCII escapes when the text cannot be written as UTF-8."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    click.echo(line)


def _lines(stream: Any) -> Any:
    """(number, text or None) per line of a binary stream; None for a line over MAX_LINE_BYTES
    (it is skipped up to its end). Stops with InputError after MAX_INPUT_BYTES. Both count UTF-8
    bytes, also of a transcoded stream (whose ``readline`` limit counts characters)."""
    total = 0
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        total += len(raw)
        ended = raw.endswith(b"\n")
        too_long = len(raw) - ended > MAX_LINE_BYTES
        while too_long and not ended and total <= MAX_INPUT_BYTES:
            rest = stream.readline(MAX_LINE_BYTES + 1)
            total += len(rest)
            ended = not rest or rest.endswith(b"\n")
        if total > MAX_INPUT_BYTES:
            yield number, None
            raise InputError(
                f"De invoer is groter dan {MAX_INPUT_BYTES // 1_000_000} MB; vanaf regel {number} is "
                "niets meer gelezen. Splits het bestand in kleinere delen."
            )
        # errors="replace": a line that is not UTF-8 becomes a bad line, not a crash of the batch.
        yield number, None if too_long else raw.decode("utf-8", errors="replace")


class _Transcoded:
    """A UTF-16 or UTF-32 text stream read as UTF-8 byte lines (what :func:`_lines` reads), split
    at "\n" only, as a UTF-8 file is."""

    def __init__(self, stream: Any, encoding: str) -> None:
        self._text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="\n")

    def readline(self, limit: int = -1) -> bytes:
        return self._text.readline(limit).encode("utf-8", errors="replace")


def _decoded(stream: Any) -> Any:
    """``stream`` as UTF-8 byte lines, whatever a common editor saved: a UTF-8 byte order mark
    (Notepad, Excel's "CSV UTF-8") is dropped instead of making line 1 invalid JSON, and a UTF-16
    file with its mark (what Windows PowerShell 5 writes with ``>``) is read as UTF-16 instead of
    every line failing, a UTF-32 file with its mark as UTF-32."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    head = stream.peek(4)[:4]
    if head.startswith(codecs.BOM_UTF8):
        stream.read(len(codecs.BOM_UTF8))
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return _Transcoded(stream, "utf-32")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Transcoded(stream, "utf-16")
    return stream


def _batch(assistant: Any, source: str, role: str | None, filters: dict[str, str | None] | None = None) -> int:
    """Answer every line of ``source`` ('-' = stdin); returns the number of failed lines."""
    stream = click.open_file(source, "rb")
    failed = 0
    with stream:
        try:
            for number, raw in _lines(_decoded(stream)):
                if raw is None:
                    failed += 1
                    reason = f"de regel is langer dan {MAX_LINE_BYTES // 1_000_000} MB en is overgeslagen."
                    _emit(_error_object(number, reason))
                    continue
                if not raw.strip():
                    continue
                try:
                    question, history, line_role = _parse_line(raw)
                except ValueError as err:
                    failed += 1
                    _emit(_error_object(number, str(err)))
                    continue
                try:
                    answer = assistant.ask(question, history, role=line_role or role, filters=filters)
                except InputError as err:  # this line's fault; index or setting errors stop the batch
                    failed += 1
                    _emit(_error_object(number, str(err), question))
                    continue
                except SecretarisbotError:
                    raise
                except Exception as err:  # noqa: BLE001 - one line's failure must not end the batch
                    log.debug("line %s failed", number, exc_info=True)
                    failed += 1
                    reason = f"deze vraag kon niet worden beantwoord (interne fout: {type(err).__name__})."
                    _emit(_error_object(number, reason, question))
                    continue
                _emit(answer.model_dump(mode="json"))
        except InputError as err:  # the input as a whole is too big: what was read is answered
            click.echo(f"Fout: {err}", err=True)
            failed = max(failed, 1)
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
@click.option(
    "--gids",
    "document",
    default=None,
    metavar="ID",
    help="Zoek alleen in één handreiking (het document-id, bijvoorbeeld 000).",
)
@click.option(
    "--soort",
    "kind",
    type=click.Choice(KINDS),
    default=None,
    help="Zoek alleen in één soort passage (bijvoorbeeld case of intervention).",
)
@click.option("--plain", is_flag=True, help="Gewone tekst in plaats van opgemaakte Markdown (niet met --json/--jsonl).")
def ask_command(
    question: str | None, as_json: bool, jsonl: str | None, role: str | None, document: str | None,
    kind: str | None, plain: bool,
) -> None:
    """Stel een vraag aan de handreikingen.

    Met --jsonl krijgt elke regel een JSON-antwoord of een JSON-foutobject ('error'); de
    exitcode is 0 als alle regels zijn beantwoord en 1 als er minstens één fout was.

    \b
    Voorbeelden:
        secretarisbot ask "Wat doe ik als de mede-directeur blokkeert?"
        secretarisbot ask --rol "Goede werkgever" "Mijn medewerkers zijn onzeker over hun plaatsing"
        secretarisbot ask --json "Hoe houd ik de raad aan boord?"
        secretarisbot ask --gids 000 --soort case "Een patstelling tussen twee directeuren"
        secretarisbot ask --jsonl vragen.jsonl > antwoorden.jsonl
        echo '"Wat is een spanningsveld?"' | secretarisbot ask --jsonl -
    """
    from secretarisbot.assistant import Assistant

    if jsonl is None and question is None:
        raise click.UsageError("Geef een vraag mee, of een bestand met --jsonl.")
    if jsonl is not None and question is not None:
        raise click.UsageError("Geef óf een vraag óf --jsonl, niet allebei.")
    if plain and (as_json or jsonl is not None):
        # JSON keeps its contract (the Answer model: Markdown in "answer", the typed parts in
        # "sections"); a silently ignored --plain looked broken to a user who tried both
        raise click.UsageError(
            "--plain geldt alleen voor de tekstuitvoer, niet voor --json of --jsonl: daar staat het "
            "antwoord als Markdown in 'answer' en per onderdeel in 'sections'. Laat --plain weg."
        )
    if role is not None:
        role = next(r for r in ROLES if r.lower() == role.lower())
    filters = {"document": document, "kind": kind} if document or kind else None
    if jsonl not in (None, "-") and not Path(jsonl).exists():  # before a first index is built for it
        raise click.ClickException(f"Bestand niet te lezen: {jsonl} bestaat niet.")
    try:
        assistant = Assistant()
        ensure_index(assistant.settings)
        if jsonl is not None:
            failed = _batch(assistant, jsonl, role, filters)
            if failed:
                click.echo(f"{failed} regel(s) konden niet worden beantwoord.", err=True)
                sys.exit(EXIT_SOME_FAILED)
            return
        if as_json:
            answer = assistant.ask(question or "", role=role, filters=filters)
            click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False))
            return
        stream = assistant.stream(question or "", role=role, filters=filters)
        titles = {d.id: d.short_title or d.title for d in assistant.sources.documents} if plain else None
        _show(stream, plain, titles)
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"Bestand niet te lezen: {err}") from None


COMMANDS: list[click.Command] = [ask_command]
