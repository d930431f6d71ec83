"""`secretarisbot corpus show PASSAGE_ID`: a passage with its metadata and surrounding text."""

from __future__ import annotations

import click

from secretarisbot.errors import SecretarisbotError

KIND_LABELS = {
    "text": "tekst",
    "case": "praktijkvoorbeeld (Uit de praktijk gegrepen)",
    "role": "rol",
    "exercise": "oefening",
    "intervention": "interventie",
    "myth": "mythe",
    "checklist": "checklist",
    "facet": "facet",
}


@click.group("corpus")
def corpus_group() -> None:
    """Bekijk het corpus zoals het in de index staat."""


def _before(text: str, start: int, size: int) -> str:
    """Up to ``size`` characters before ``start``, beginning at a word boundary."""
    lo = max(0, start - size)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    prefix = "… " if lo > 0 else ""
    return prefix + text[lo:start]


def _after(text: str, end: int, size: int) -> str:
    hi = min(len(text), end + size)
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space > end else hi
    suffix = " …" if hi < len(text) else ""
    return text[end:hi] + suffix


@corpus_group.command("show")
@click.argument("passage_id", metavar="PASSAGE_ID")
@click.option(
    "--context", "context_chars", default=400, show_default=True, type=click.IntRange(0, 20000),
    help="Aantal tekens omringende tekst vóór en na de passage.",
)
def show_command(passage_id: str, context_chars: int) -> None:
    """Toon een passage met haar metadata en de tekst eromheen.

    \b
    Voorbeeld:
        secretarisbot corpus show 000-1a2b3c4d5e6f
    """
    from secretarisbot.index.store import open_index

    try:
        index = open_index()
        passage_id = passage_id.strip()
        try:
            passage = index.passage(passage_id)
        except SecretarisbotError as err:
            similar = [p.id for p in index.passages if p.id.startswith(passage_id)][:5] if passage_id else []
            hint = f"\nBedoelde u: {', '.join(similar)}?" if similar else ""
            raise click.ClickException(f"{err}{hint}") from None
        document = index.document(passage.document)
        normalized = index.normalized(passage.document)
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from err

    name = f"{document.id} · {document.title}"
    if document.short_title:
        name += f" ({document.short_title})"
    rows = [
        ("Passage", passage.id),
        ("Document", name),
        ("Sectie", passage.section or "–"),
        ("Soort", KIND_LABELS.get(passage.kind, passage.kind)),
        ("Positie", f"tekens {passage.start}–{passage.end} van de genormaliseerde tekst"),
    ]
    if passage.facet is not None:
        rows.append(("Facet", f"{passage.facet} {passage.facet_title or ''}".strip()))
    for label, value in (
        ("Spanningsveld", passage.spanningsveld),
        ("Fase", passage.fase),
        ("Fusievorm", passage.fusievorm),
        ("Rol", passage.role),
    ):
        if value:
            rows.append((label, value))
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        click.echo(f"{label + ':':<{width}} {value}")

    if context_chars:
        click.echo("\n── ervoor " + "─" * 30)
        click.echo(_before(normalized, passage.start, context_chars).strip("\n") or "(begin van het document)")
    click.echo("\n── passage " + "─" * 29)
    click.echo(click.style(passage.text, bold=True))
    if context_chars:
        click.echo("\n── erna " + "─" * 32)
        click.echo(_after(normalized, passage.end, context_chars).strip("\n") or "(einde van het document)")


COMMANDS: list[click.Command] = [corpus_group]
