"""The loan-listing import as one unit of work: read, validate everything, then load or refuse.

All-or-nothing: any row error refuses the whole file and changes nothing; the record of the run
(who, when, file, sha256, as-of, counts, status) is kept either way.
"""

import csv
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from aoapp.auth.models import Role, User
from aoapp.common.dates import utcnow
from aoapp.credit.collectibility import load_bands
from aoapp.errors import Forbidden
from aoapp.extensions import db
from aoapp.followups.suggestions import suggest_after_import
from aoapp.imports.language import speaking
from aoapp.imports.loader import Loader
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.parsing import ConventionUnknown, RowError, error_order, parse_listing
from aoapp.imports.reader import ListingRefused, read_listing
from aoapp.products.models import Product, ProductKind

log = logging.getLogger(__name__)

# A new debtor's segment, until core banking or the officer says better.
SEGMENT_BY_SUBTYPE = {
    "kur": "micro",
    "working_capital": "small",
    "investment": "small",
    "mortgage": "consumer",
    "vehicle": "consumer",
    "personal": "consumer",
}
Progress = Callable[[str, int], None]


@dataclass
class ImportOutcome:
    """What happened: the record, and the row errors or the refusal message."""

    record: PositionImport
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.record.status == ImportStatus.SUCCEEDED


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expire_interrupted() -> int:
    """Mark imports still 'running' long after they began as failed: their process died.

    The load is one transaction, so such a run changed nothing; only its record was left behind.
    """
    limit = utcnow() - timedelta(minutes=current_app.config.get("IMPORT_STALE_MINUTES", 180))
    stale = db.session.scalars(
        sa.select(PositionImport).where(
            PositionImport.status == ImportStatus.RUNNING, PositionImport.started_at < limit
        )
    ).all()
    for record in stale:
        record.status, record.stage, record.finished_at = (
            ImportStatus.FAILED,
            "interrupted",
            utcnow(),
        )
        with speaking(record.user):
            record.message = _(
                "The import was interrupted (its process stopped) and changed nothing."
            )
    if stale:
        db.session.commit()
    return len(stale)


def start_record(
    path: Path,
    as_of: date,
    *,
    user: User | None,
    source: str,
    partial: bool,
    decimal: str | None,
    date_format: str | None,
    encoding: str | None,
    file_name: str | None = None,
) -> PositionImport:
    """Create and commit the record of an import before any work starts."""
    expire_interrupted()
    record = PositionImport(
        user_id=user.id if user else None,
        source=source,
        file_name=(file_name or Path(path).name)[:255],
        sha256=file_sha256(path),
        as_of=as_of,
        partial=partial,
        decimal=decimal,
        date_format=date_format,
        encoding=encoding,
        status=ImportStatus.RUNNING,
        stage="reading",
    )
    db.session.add(record)
    db.session.commit()
    return record


def run_import(
    path,
    as_of: date,
    *,
    user: User | None = None,
    source: str = "cli",
    partial: bool = False,
    decimal: str | None = None,
    date_format: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    file_name: str | None = None,
    record: PositionImport | None = None,
    locale: str | None = None,
) -> ImportOutcome:
    """Import one listing for `as_of`; returns the outcome (never half-applied).

    Its row errors, refusal and notes are written in `locale`, else in the language of `user`
    (else the bank's DEFAULT_LOCALE): they are kept with the record.
    """
    if user is not None and user.role != Role.ADMIN:
        raise Forbidden(_("Only admins import listings."))
    with speaking(user, locale):
        return _run_import(
            Path(path),
            as_of,
            user=user,
            source=source,
            partial=partial,
            decimal=decimal,
            date_format=date_format,
            encoding=encoding,
            sheet=sheet,
            progress=progress,
            file_name=file_name,
            record=record,
        )


def _run_import(
    path: Path,
    as_of: date,
    *,
    user: User | None,
    source: str,
    partial: bool,
    decimal: str | None,
    date_format: str | None,
    encoding: str | None,
    sheet: str | None,
    progress: Progress | None,
    file_name: str | None,
    record: PositionImport | None,
) -> ImportOutcome:
    if record is None:
        record = start_record(
            path,
            as_of,
            user=user,
            source=source,
            partial=partial,
            decimal=decimal,
            date_format=date_format,
            encoding=encoding,
            file_name=file_name,
        )
    report = _Reporter(record, progress)
    started = time.perf_counter()
    try:
        report("reading", 5)
        listing = read_listing(path, encoding=encoding, sheet=sheet)
        report("validating", 15)
        parsed = parse_listing(listing.table, decimal, date_format)
        notes = [listing.format_note(), *parsed.notes]
        record.decimal, record.date_format = parsed.decimal, parsed.date_format
        record.encoding = listing.encoding
        record.rows = listing.rows
        # Unknown codes are reported together with the cell errors: the user gets every error.
        typed, unknown = _resolve_references(listing.table, parsed.table)
        errors = sorted(parsed.errors + unknown, key=error_order)
        # The record's facts (rows, conventions), kept by a refusal too; committed before the
        # load's long transaction, which then locks nothing of it.
        db.session.commit()
        if not errors and listing.rows == 0:
            return _refuse(record, _("The listing has no rows."), [], notes)
        if errors:
            return _reject(record, errors, notes)
        report("loading", 30)
        loader = Loader(
            db.session.connection(),
            as_of=as_of,
            import_id=record.id,
            partial=partial,
            actor_id=record.user_id,
            bands=load_bands(),
            now=utcnow(),
            progress=report,
        )
        result = loader.run(typed)
        record.status = ImportStatus.SUCCEEDED
        record.summary = {
            **result["counts"],
            "timings": result["timings"],
            "seconds": round(time.perf_counter() - started, 2),
            "notes": notes,
        }
        record.stage, record.progress, record.finished_at = "done", 100, utcnow()
        db.session.commit()
        record = _suggest_follow_ups(record, notes)
        return ImportOutcome(record, [], notes)
    except (ListingRefused, ConventionUnknown) as refusal:
        db.session.rollback()
        return _refuse(record, str(refusal), [], [])
    except Exception as error:
        db.session.rollback()
        log.exception("listing import %s failed", record.id)
        record = db.session.get(PositionImport, record.id)
        record.status, record.stage, record.finished_at = ImportStatus.FAILED, "failed", utcnow()
        record.message = failure_message(error)
        db.session.commit()
        return ImportOutcome(record, [], [])


def failure_message(error: Exception) -> str:
    """The message of an import that failed on an unexpected error (at most 2000 characters)."""
    return _(
        "The import failed and changed nothing: %(error)s",
        error=f"{type(error).__name__}: {error}",
    )[:2000]


def _suggest_follow_ups(record: PositionImport, notes: list[str]) -> PositionImport:
    """Suggest collection follow-ups for the loaded listing, in a transaction of its own.

    The import has succeeded whatever happens here: a failure is logged and noted on the record.
    """
    try:
        counts = suggest_after_import(record.as_of)
        extra = {"suggestions": counts}
    except Exception as error:
        db.session.rollback()
        log.exception("suggested follow-ups of import %s failed", record.id)
        reason = f"{type(error).__name__}: {error}"[:500]
        notes.append(_("Suggested follow-ups could not be created: %(reason)s", reason=reason))
        extra = {"notes": notes}
    try:
        record = db.session.get(PositionImport, record.id)
        record.summary = {**(record.summary or {}), **extra}
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("the summary of import %s could not be updated", record.id)
    return record


class _Reporter:
    """Progress to the caller, and to the record where another connection can see it."""

    def __init__(self, record: PositionImport, progress: Progress | None):
        self.record_id = record.id
        self.progress = progress
        self.shared = db.engine.dialect.name != "sqlite"  # SQLite would lock against itself

    def __call__(self, stage: str, percent: int) -> None:
        if self.progress:
            self.progress(stage, percent)
        if self.shared:
            with db.engine.begin() as connection:
                connection.execute(
                    sa.update(PositionImport.__table__)
                    .where(PositionImport.__table__.c.id == self.record_id)
                    .values(stage=stage, progress=percent)
                )


def _resolve_references(
    table: pa.Table, typed: pa.Table | None
) -> tuple[pa.Table | None, list[RowError]]:
    """Officer and product codes must exist; map them to ids (and a segment) in bulk.

    `table` holds the cells as read (every row), `typed` the parsed listing (None when the file
    has cell errors: then only the unknown codes are reported).
    """
    officers = db.session.execute(
        sa.select(User.officer_code, User.id, User.branch_id).where(User.officer_code.is_not(None))
    ).all()
    products = db.session.execute(
        sa.select(Product.code, Product.id, Product.kind, Product.credit_subtype)
    ).all()
    officer_codes = pc.utf8_upper(table.column("officer_code"))
    product_codes = pc.utf8_upper(table.column("product_code"))
    errors: list[RowError] = []
    known_officers = pa.array([o[0] for o in officers], pa.string())
    credit = [p for p in products if p[2] == ProductKind.CREDIT]
    known_products = pa.array([p[0] for p in credit], pa.string())
    all_products = {p[0] for p in products}
    filled_officer = pc.not_equal(officer_codes, "")  # an empty code is a required-value error
    filled_product = pc.not_equal(product_codes, "")
    unknown_officer = pc.and_(filled_officer, pc.invert(pc.is_in(officer_codes, known_officers)))
    unknown_product = pc.and_(filled_product, pc.invert(pc.is_in(product_codes, known_products)))
    for index in pc.indices_nonzero(unknown_officer).to_pylist():
        value = table.column("officer_code")[index].as_py()
        errors.append(
            RowError(
                index + 2, "officer_code", value, _("Unknown officer code: no officer has it.")
            )
        )
    for index in pc.indices_nonzero(unknown_product).to_pylist():
        value = table.column("product_code")[index].as_py()
        message = (
            _("Not a credit product.")
            if value.upper() in all_products
            else _("Unknown product code: not in the product catalogue.")
        )
        errors.append(RowError(index + 2, "product_code", value, message))
    if errors or typed is None:
        return None, errors
    table = typed
    officer_pos = pc.index_in(officer_codes, known_officers)
    product_pos = pc.index_in(product_codes, known_products)
    officer_ids = pa.array([o[1] for o in officers], pa.int64())
    branch_ids = pa.array([o[2] for o in officers], pa.int64())
    product_ids = pa.array([p[1] for p in credit], pa.int64())
    segments = pa.array([SEGMENT_BY_SUBTYPE.get(p[3] or "", "small") for p in credit], pa.string())
    typed = (
        table.append_column("row_no", pa.array(range(2, table.num_rows + 2), pa.int64()))
        .append_column("officer_id", pc.take(officer_ids, officer_pos))
        .append_column("branch_id", pc.take(branch_ids, officer_pos))
        .append_column("product_id", pc.take(product_ids, product_pos))
        .append_column("segment", pc.take(segments, product_pos))
    )
    return typed, []


def _reject(record: PositionImport, errors: list[RowError], notes: list[str]) -> ImportOutcome:
    """Refuse the whole file for row errors: record them and write the error file."""
    db.session.rollback()
    record = db.session.get(PositionImport, record.id)
    record.status, record.stage, record.finished_at = ImportStatus.REJECTED, "rejected", utcnow()
    record.error_count = len(errors)
    rows = len({e.row for e in errors})
    record.message = _(
        "%(errors)s error(s) on %(rows)s row(s): nothing was imported.",
        errors=len(errors),
        rows=rows,
    )
    record.errors_file = write_errors_file(record.id, errors)
    record.summary = {"notes": notes}
    db.session.commit()
    return ImportOutcome(record, errors, notes)


def _refuse(record: PositionImport, message: str, errors, notes) -> ImportOutcome:
    """Refuse the whole file for a reason that is not one row's (encoding, headers, conventions)."""
    db.session.rollback()
    record = db.session.get(PositionImport, record.id)
    record.status, record.stage, record.finished_at = ImportStatus.REJECTED, "rejected", utcnow()
    record.message = message
    db.session.commit()
    return ImportOutcome(record, errors, notes)


def errors_dir() -> Path:
    """Where error reports of imports are kept."""
    directory = Path(current_app.config["EXPORTS_DIR"]) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def write_errors_file(import_id: int, errors: list[RowError]) -> str:
    """Write the row errors as CSV (temp file, then rename: never a half-written report)."""
    directory = errors_dir()
    final = directory / f"import_{import_id}_errors.csv"
    handle, temp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(handle, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "message"])
        for error in errors:
            writer.writerow([error.row, error.column, _safe_cell(error.value), error.message])
    os.replace(temp, final)
    return final.name


def _safe_cell(value) -> str:
    """Cells that a spreadsheet would run as a formula are written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
