"""`flask import-listing --kind KIND FILE`: import a listing from the command line, with progress.

`flask import-positions FILE` is the loan listing's command from before listings had kinds; it
stays, the same as `import-listing --kind loans`. `flask imports sweep` clears what killed
imports leave: their records still running, their uploaded files.
"""

import sys
from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from aoapp.common.templating import label
from aoapp.funding.matched_services import prune as prune_journal
from aoapp.imports.heartbeat import expire_stopped
from aoapp.imports.kinds import ListingKind, UnknownKind, get_kind, kinds
from aoapp.imports.services import run_import
from aoapp.imports.uploads import sweep_uploads

imports_cli = AppGroup("imports", help="Listing imports: housekeeping.")


def _echo_summary(outcome, kind: ListingKind) -> None:
    for note in outcome.notes:
        click.echo(note, err=True)
    for line in kind.describe(outcome.record):
        click.echo(line, err=True)


def _options(command):
    """The options every listing's command takes."""
    for option in reversed(
        [
            click.argument("file", type=click.Path(exists=True, dir_okay=False)),
            click.option(
                "--as-of", "as_of", required=True, help="As-of date of the listing, YYYY-MM-DD."
            ),
            click.option(
                "--partial", is_flag=True, help="Do not close what is missing from the file."
            ),
            click.option(
                "--decimal",
                type=click.Choice(["comma", "dot"]),
                help="Number convention (default: detect).",
            ),
            click.option(
                "--date-format",
                type=click.Choice(["iso", "dmy"]),
                help="Date format (default: detect).",
            ),
            click.option("--encoding", help="File encoding when not UTF-8, e.g. cp1252."),
            click.option("--sheet", help="XLSX sheet name (default: the first)."),
        ]
    ):
        command = option(command)
    return command


@click.command("import-listing")
@click.option(
    "--kind",
    default="loans",
    show_default=True,
    help="The kind of listing: loans (daftar nominatif kredit) or deposits (daftar nominatif "
    "simpanan).",
)
@_options
def import_listing(kind, **options) -> None:
    """Import the core banking listing FILE (CSV or XLSX) of one kind for one as-of date."""
    try:
        listing_kind = get_kind(kind)
    except UnknownKind:
        known = ", ".join(k.key for k in kinds())
        raise click.BadParameter(
            _("unknown kind %(kind)s: use %(kinds)s", kind=repr(kind), kinds=known),
            param_hint="--kind",
        ) from None
    _import(listing_kind, **options)


@click.command("import-positions")
@_options
def import_positions(**options) -> None:
    """Import the core banking loan listing FILE (CSV or XLSX) for one as-of date."""
    _import(get_kind("loans"), **options)


def _import(kind: ListingKind, file, as_of, partial, decimal, date_format, encoding, sheet) -> None:
    try:
        as_of_date = date.fromisoformat(as_of)
    except ValueError:
        raise click.BadParameter(_("use YYYY-MM-DD"), param_hint="--as-of") from None
    with click.progressbar(length=100, label=_("Importing"), file=sys.stderr) as bar:
        state = {"done": 0}

        def progress(stage: str, percent: int) -> None:
            bar.label = _("Importing (%(stage)s)", stage=label(stage).lower())
            bar.update(max(0, percent - state["done"]))
            state["done"] = max(state["done"], percent)

        outcome = run_import(
            file,
            as_of_date,
            kind=kind.key,
            source="cli",
            partial=partial,
            decimal=decimal,
            date_format=date_format,
            encoding=encoding,
            sheet=sheet,
            progress=progress,
        )
        if outcome.ok:
            bar.update(100 - state["done"])
    if outcome.ok:
        _echo_summary(outcome, kind)
        return
    record = outcome.record
    for error in outcome.errors[:50]:
        click.echo(
            _(
                "row %(row)s, %(column)s = %(value)s: %(message)s",
                row=error.row,
                column=error.column,
                value=repr(error.value),
                message=error.message,
            ),
            err=True,
        )
    if len(outcome.errors) > 50:
        click.echo(_("… and %(more)s more.", more=len(outcome.errors) - 50), err=True)
    if record.errors_file:
        click.echo(
            _("All errors: %(file)s in the exports/imports folder.", file=record.errors_file),
            err=True,
        )
    raise click.ClickException(record.shown_message or _("The import failed."))


@imports_cli.command("sweep")
def sweep() -> None:
    """Record imports whose process stopped as failed; delete uploads left over or expired, and
    the relationship journal's rows older than a day."""
    stopped = expire_stopped()
    files, size = sweep_uploads()
    journal = prune_journal()
    click.echo(
        _(
            "%(stopped)s stopped import(s) recorded as failed; %(files)s upload file(s) deleted "
            "(%(size)s MB).",
            stopped=stopped,
            files=files,
            size=f"{size / 1_048_576:.1f}",
        )
    )
    click.echo(_("%(rows)s journal row(s) of changed customers deleted.", rows=journal))


def register(app: Flask) -> None:
    """Add the import commands."""
    app.cli.add_command(import_listing)
    app.cli.add_command(import_positions)
    app.cli.add_command(imports_cli)
