"""`secretarisbot eval`: run the gold set through the assistant and the baselines."""

from __future__ import annotations

from pathlib import Path

import click

from secretarisbot.cli.index import ensure_index
from secretarisbot.errors import SecretarisbotError


@click.command(name="eval")
@click.option("--gold", "gold", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Goudset-bestand (YAML); herhaalbaar. Standaard: alle bestanden in evals/gold/.")
@click.option("--out", "out_dir", default=Path("evals/out"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Map voor records, metrics, rapport en grafiek.")
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 10),
              help="De k van de hoofdmetriek Recall@k.")
@click.option("--fast", is_flag=True, help="Snelle ronde: alleen het product, geen baselines en geen LLM-beoordeling.")
def eval_command(gold: tuple[Path, ...], out_dir: Path, k: int, fast: bool) -> None:
    """Evalueer de assistent op de goudset en vergelijk met de baselines.

    \b
    Voorbeelden:
        secretarisbot eval --out evals/out
        secretarisbot eval --gold evals/gold/core.yaml --k 3 --fast
    """
    from secretarisbot.evals.gold import load_gold
    from secretarisbot.evals.runner import run_eval
    from secretarisbot.settings import get_settings

    try:
        settings = get_settings()
        items = load_gold(gold or None)
    except (ValueError, OSError) as err:
        raise click.ClickException(f"De goudset is niet te lezen: {err}") from err
    if not items:
        raise click.ClickException("De goudset is leeg: zet vragen in evals/gold/*.yaml of geef --gold BESTAND.")
    try:
        ensure_index(settings)
        with click.progressbar(length=len(items), label="Vragen evalueren", show_pos=True,
                               file=click.get_text_stream("stderr")) as bar:
            result = run_eval(
                settings, gold=gold or None, out_dir=out_dir, k=k, fast=fast,
                on_item=lambda _item: bar.update(1),
                log=lambda msg: click.echo(msg, err=True),
            )
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from err

    systems = result.metrics["systems"]
    prod = systems["product"]

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.1%}"

    click.echo(f"Recall@{k}: " + ", ".join(f"{name} {pct(row.get(f'recall@{k}'))}" for name, row in systems.items()))
    click.echo(f"Citaties geldig: {pct(prod.get('citation_validity'))}; buiten-bereik-nauwkeurigheid: "
               f"{pct(prod.get('scope_accuracy'))}; rolkeuze: {pct(prod.get('role_accuracy'))}")
    click.echo(f"Rapport: {result.report_path}")


COMMANDS: list[click.Command] = [eval_command]
