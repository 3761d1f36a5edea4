"""`flask import-positions`: import a loan listing from the command line, with progress."""

import sys
from datetime import date

import click
from flask import Flask
from flask_babel import gettext as _

from aoapp.common.templating import label
from aoapp.imports.services import run_import


def _echo_summary(outcome) -> None:
    record = outcome.record
    summary = record.summary or {}
    for note in outcome.notes:
        click.echo(note, err=True)
    click.echo(
        _(
            "Imported %(rows)s rows for %(day)s in %(seconds)s s: customers created "
            "%(customers_created)s, updated %(customers_updated)s; facilities created "
            "%(facilities_created)s, updated %(facilities_updated)s, closed %(closed)s.",
            rows=record.rows,
            day=record.as_of.isoformat(),
            seconds=summary.get("seconds"),
            customers_created=summary.get("customers_created"),
            customers_updated=summary.get("customers_updated"),
            facilities_created=summary.get("facilities_created"),
            facilities_updated=summary.get("facilities_updated"),
            closed=summary.get("facilities_closed", 0),
        ),
        err=True,
    )
    distribution = summary.get("kol_distribution", {})
    click.echo(
        _(
            "Kol distribution (debtor Kol): %(counts)s",
            counts=", ".join(
                _("Kol %(kol)s: %(count)s", kol=k, count=v["count"])
                for k, v in sorted(distribution.items())
            ),
        ),
        err=True,
    )
    click.echo(
        _(
            "Upgrades %(upgrades)s, downgrades %(downgrades)s.",
            upgrades=summary.get("upgrades", 0),
            downgrades=summary.get("downgrades", 0),
        ),
        err=True,
    )
    suggested = summary.get("suggestions")
    if suggested:
        values = {
            "created": suggested["created"],
            "escalated": suggested["escalated"],
            "no_officer": suggested["skipped_no_officer"],
            "broken": suggested["broken_ptp"],
        }
        if suggested["latest"]:
            line = _(
                "Suggested follow-ups: %(created)s (escalated %(escalated)s, no officer "
                "%(no_officer)s); broken promises %(broken)s.",
                **values,
            )
        else:
            line = _(
                "Suggested follow-ups: %(created)s (escalated %(escalated)s, no officer "
                "%(no_officer)s, none: an older listing than the newest); broken promises "
                "%(broken)s.",
                **values,
            )
        click.echo(line, err=True)


@click.command("import-positions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-of", "as_of", required=True, help="As-of date of the listing, YYYY-MM-DD.")
@click.option(
    "--partial", is_flag=True, help="Do not close active facilities missing from the file."
)
@click.option(
    "--decimal", type=click.Choice(["comma", "dot"]), help="Number convention (default: detect)."
)
@click.option(
    "--date-format", type=click.Choice(["iso", "dmy"]), help="Date format (default: detect)."
)
@click.option("--encoding", help="File encoding when not UTF-8, e.g. cp1252.")
@click.option("--sheet", help="XLSX sheet name (default: the first).")
def import_positions(file, as_of, partial, decimal, date_format, encoding, sheet) -> None:
    """Import the core banking loan listing FILE (CSV or XLSX) for one as-of date."""
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
        _echo_summary(outcome)
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
    raise click.ClickException(record.message or _("The import failed."))


def register(app: Flask) -> None:
    """Add the import command."""
    app.cli.add_command(import_positions)
