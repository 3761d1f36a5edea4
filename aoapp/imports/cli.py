"""`flask import-positions`: import a loan listing from the command line, with progress."""

import sys
from datetime import date

import click
from flask import Flask

from aoapp.imports.service import run_import


def _echo_summary(outcome) -> None:
    record = outcome.record
    summary = record.summary or {}
    for note in outcome.notes:
        click.echo(note, err=True)
    click.echo(
        f"Imported {record.rows} rows for {record.as_of} in {summary.get('seconds')} s: "
        f"customers created {summary.get('customers_created')}, updated {summary.get('customers_updated')}; "
        f"facilities created {summary.get('facilities_created')}, updated {summary.get('facilities_updated')}, "
        f"closed {summary.get('facilities_closed', 0)}.",
        err=True,
    )
    distribution = summary.get("kol_distribution", {})
    click.echo(
        "Kol distribution (debtor Kol): "
        + ", ".join(f"Kol {k}: {v['count']}" for k, v in sorted(distribution.items())),
        err=True,
    )
    click.echo(
        f"Upgrades {summary.get('upgrades', 0)}, downgrades {summary.get('downgrades', 0)}.",
        err=True,
    )
    suggested = summary.get("suggestions")
    if suggested:
        click.echo(
            f"Suggested follow-ups: {suggested['created']} "
            f"(escalated {suggested['escalated']}, no officer {suggested['skipped_no_officer']}"
            + ("" if suggested["latest"] else ", none: an older listing than the newest")
            + f"); broken promises {suggested['broken_ptp']}.",
            err=True,
        )


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
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    with click.progressbar(length=100, label="Importing", file=sys.stderr) as bar:
        state = {"done": 0}

        def progress(stage: str, percent: int) -> None:
            bar.label = f"Importing ({stage})"
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
        click.echo(f"row {error.row}, {error.column} = {error.value!r}: {error.message}", err=True)
    if len(outcome.errors) > 50:
        click.echo(f"… and {len(outcome.errors) - 50} more.", err=True)
    if record.errors_file:
        click.echo(f"All errors: {record.errors_file} in the exports/imports folder.", err=True)
    raise click.ClickException(record.message or "The import failed.")


def register(app: Flask) -> None:
    """Add the import command."""
    app.cli.add_command(import_positions)
