"""`secretarisbot index`: build the search index over the corpus (with a progress bar)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from secretarisbot.errors import IndexMissingError, SecretarisbotError

if TYPE_CHECKING:
    from secretarisbot.settings import Settings


class _Bar:
    """Adapts ``build_index``'s ``progress(done, total)`` to a click progress bar, made lazily."""

    def __init__(self) -> None:
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Passages inbedden", file=click.get_text_stream("stderr"))
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Bouw opnieuw, ook als de index al actueel is.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Bouw alleen als er geen bruikbare index is (snelle controle bij het opstarten).",
)
@click.option(
    "--export-vectors",
    is_flag=True,
    help="Schrijf daarna de vectoren van passages en vragenbank naar corpus/vectors/ (voor ontwikkelaars).",
)
def index_command(rebuild: bool, if_missing: bool, export_vectors: bool) -> None:
    """Bouw de zoekindex over de vijf handreikingen.

    Zonder wijzigingen in corpus of instellingen is er niets te doen; ingebedde passages komen
    uit de cache, zodat alleen gewijzigde passages opnieuw worden ingebed.

    \b
    Voorbeelden:
        secretarisbot index
        secretarisbot index --rebuild
        SECRETARISBOT_EMBEDDER=fake secretarisbot index --if-missing
        secretarisbot index --export-vectors
    """
    from secretarisbot.index.build import build_index
    from secretarisbot.settings import get_settings

    try:
        settings = get_settings()
        if if_missing and not rebuild:
            from secretarisbot.index.store import open_index

            try:
                index = open_index(settings)
            except IndexMissingError:
                click.echo("Er is nog geen index; die wordt nu gebouwd.", err=True)
            except SecretarisbotError as err:
                click.echo(f"{err}\nDe index wordt nu bijgewerkt.", err=True)
            else:
                click.echo(
                    f"Index aanwezig in {index.root} ({len(index.passages)} passages); niets te doen."
                )
                _prepare(settings, index, export_vectors)
                return
        bar = _Bar()
        try:
            report = build_index(settings, rebuild=rebuild, progress=bar)
        finally:
            bar.close()
        _report(report)
        from secretarisbot.index.store import open_index

        _prepare(settings, open_index(settings), export_vectors)
    except SecretarisbotError as err:
        raise click.ClickException(str(err)) from err


def _report(report) -> None:  # noqa: ANN001 - index.build.BuildReport
    if report.skipped:
        click.echo(
            f"De index in {report.index_dir} is al actueel: {report.documents} documenten, "
            f"{report.passages} passages. Niets te doen (gebruik --rebuild om toch opnieuw te bouwen)."
        )
        return
    click.echo(
        f"Index gebouwd in {report.index_dir}: {report.documents} documenten, {report.passages} passages, "
        f"{report.questions} vragen uit de vragenbank ({report.embedded} nieuw ingebed, {report.reused} "
        f"hergebruikt, waarvan {report.shipped} meegeleverd) in {_seconds(report.seconds)} s."
    )


def _prepare(settings, index, export_vectors: bool) -> None:  # noqa: ANN001
    """Fit the scope model and the learned fusion now (cached), so the first question is not the
    one that waits for them; export the vectors and the fusion when asked."""
    from secretarisbot.answer.scope_fit import scope_model

    model = scope_model(index, settings)
    if model is not None:
        m = model.measurement
        click.echo(
            f"Reikwijdtemodel klaar (kruisvalidatie op de vragenbank: {m.get('cv_out_of_scope_refused', 0):.0%} "
            f"van de vragen buiten de bronnen geweigerd, {m.get('cv_in_scope_refused', 0):.0%} onterecht)."
        )
    from secretarisbot.retrieve.learned_fit import export as export_fusion
    from secretarisbot.retrieve.retriever import HybridRetriever

    retriever = HybridRetriever(index, settings)
    fusion = retriever.fusion
    if fusion is not None:
        retriever.classifier  # noqa: B018 - fitted now too, when the fusion came from a file and it did not
        m = fusion.measurement
        click.echo(
            f"Rangschikking klaar (getraind op {m.get('ranker_questions', 0)} vragen buiten de vragenbank; "
            f"kruisgevalideerd staat de passage van {m.get('cv_hit@5_learned', 0):.0%} van die vragen in de "
            f"top 5, met RRF van {m.get('cv_hit@5_rrf', 0):.0%})."
        )
    if export_vectors:
        from secretarisbot.index.shipped import export_vectors as export

        from secretarisbot.answer.scope_fit import export as export_scope

        path = export(index)
        click.echo(f"Vectoren geschreven naar {path}.")
        scope_path = export_scope(index, settings)
        if scope_path is not None:
            click.echo(f"Reikwijdtemodel geschreven naar {scope_path}.")
        if fusion is not None:
            from secretarisbot.retrieve.bank_classifier import export as export_classifier

            classifier = export_classifier(retriever.classifier, index.manifest.embedder_id)
            click.echo(f"Rangschikking geschreven naar {export_fusion(retriever)} en {classifier}.")


COMMANDS: list[click.Command] = [index_command]


def ensure_index(settings: Settings) -> None:
    """Build the index when there is none yet, saying so on stderr: the first ``ask`` or ``eval`` of a
    fresh install answers (about ten seconds with the shipped vectors) instead of failing every
    question with "bouw hem met: secretarisbot index". It goes where the index always goes
    (``SECRETARISBOT_INDEX_DIR``, ``index/`` in the checkout). An index that exists but does not fit
    the settings is left to the assistant's own message (rebuilding it is a decision); a folder
    where it cannot be built (a read-only mount) gives the missing index's message and the cause."""
    from secretarisbot.index.store import load_manifest

    try:
        load_manifest(settings)
    except IndexMissingError as missing:
        from secretarisbot.index.build import build_index

        click.echo(f"Er is nog geen index; die wordt nu eenmalig gebouwd in {settings.index_dir} "
                   "(met de meegeleverde vectoren ongeveer tien seconden).", err=True)
        try:
            build_index(settings)
        except OSError as err:
            raise SecretarisbotError(f"{missing} (bouwen lukte hier niet: {err.strerror or err}).") from None
