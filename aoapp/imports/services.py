"""A listing import as one unit of work: read, validate everything, then load or refuse.

The same for every listing kind (`kinds.py`); the kind brings its columns, checks, code
resolution and load. All-or-nothing: any row error refuses the whole file and changes nothing;
the record of the run (who, when, which kind and file, sha256, as-of, counts, status) is kept
either way.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from aoapp.auth.models import Role, User
from aoapp.common import serial
from aoapp.common.dates import utcnow
from aoapp.common.system_text import render_said, said
from aoapp.errors import LOGGED_ERROR, Forbidden
from aoapp.extensions import db
from aoapp.imports import heartbeat, texts
from aoapp.imports.error_files import write_errors_file
from aoapp.imports.kinds import (
    ListingKind,
    LoadContext,
    LoadFailed,
    after_import_hooks,
    get_kind,
)
from aoapp.imports.language import speaking
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.parsing import check_listing
from aoapp.imports.reader import ListingRefused, read_listing
from aoapp.imports.rows import RowError

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """How to read and load one listing: what the CLI, the upload page and the API let one say."""

    as_of: date
    kind: str = "loans"
    partial: bool = False  # do not close what the listing does not mention
    decimal: str | None = None  # dot | comma; None: detect
    date_format: str | None = None  # iso | dmy; None: detect
    encoding: str | None = None  # None: UTF-8
    sheet: str | None = None  # XLSX; None: the first
    source: str = "cli"  # cli | web | api | demo | bench
    file_name: str | None = None  # the name the user knows the file by


@dataclass
class ImportOutcome:
    """What happened: the record, and the row errors or the refusal message."""

    record: PositionImport
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        # The notes as the caller reads them now (the record keeps their codes).
        self.notes = [render_said(note) for note in self.notes]

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


def start_record(path: Path, options: ImportOptions, user: User | None) -> PositionImport:
    """Create and commit the record of an import before any work starts."""
    heartbeat.expire_stopped()
    record = PositionImport(
        user_id=user.id if user else None,
        kind=options.kind,
        source=options.source,
        file_name=(options.file_name or Path(path).name)[:255],
        sha256=file_sha256(path),
        as_of=options.as_of,
        partial=options.partial,
        decimal=options.decimal,
        date_format=options.date_format,
        encoding=options.encoding,
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
    kind: str = "loans",
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
    """Import one listing of `kind` for `as_of`; returns the outcome (never half-applied).

    Its row errors, refusal and notes are written in `locale`, else in the language of `user`
    (else the bank's DEFAULT_LOCALE): they are kept with the record.
    """
    if user is not None and user.role != Role.ADMIN:
        raise Forbidden(_("Only admins import listings."))
    options = ImportOptions(
        as_of=as_of,
        kind=get_kind(kind).key,
        partial=partial,
        decimal=decimal,
        date_format=date_format,
        encoding=encoding,
        sheet=sheet,
        source=source,
        file_name=file_name,
    )
    with speaking(user, locale):
        return _run_import(Path(path), options, user, progress, record)


def _run_import(
    path: Path,
    options: ImportOptions,
    user: User | None,
    progress: Progress | None,
    record: PositionImport | None,
) -> ImportOutcome:
    if record is None:
        record = start_record(path, options, user)
    with heartbeat.beating(record.id, path):
        return _work(path, options, record, _Reporter(record, progress))


def _work(
    path: Path, options: ImportOptions, record: PositionImport, report: "_Reporter"
) -> ImportOutcome:
    kind = get_kind(options.kind)
    started = time.perf_counter()
    try:
        report("reading", 5)
        listing = read_listing(path, kind, encoding=options.encoding, sheet=options.sheet)
        report("validating", 15)
        parsed, typed, errors = check_listing(
            listing.table, kind, options.decimal, options.date_format
        )
        notes = [listing.format_note(), *parsed.notes]
        record.decimal, record.date_format = parsed.decimal, parsed.date_format
        record.encoding = listing.encoding
        record.rows = listing.rows
        # The record's facts (rows, conventions), kept by a refusal too; committed before the
        # load's long transaction, which then locks nothing of it.
        db.session.commit()
        if not errors and listing.rows == 0:
            return _refuse(record, ListingRefused(texts.NO_ROWS), [], notes)
        if errors:
            return _reject(record, errors, notes)
        report("loading", 30)
        connection = db.session.connection()
        _one_import_per_date(connection, options.as_of)
        context = LoadContext(
            as_of=options.as_of,
            import_id=record.id,
            partial=options.partial,
            actor_id=record.user_id,
            now=utcnow(),
            progress=report,
        )
        result = kind.load(connection, typed, context)
        record.status = ImportStatus.SUCCEEDED
        # Read under the lock: a mark of a stopped process (a heartbeat long unwritten while the
        # load waited on SQLite) is undone, the import is alive and has loaded.
        record.message = record.message_code = record.message_params = None
        record.summary = {
            **result["counts"],
            "timings": result["timings"],
            "seconds": round(time.perf_counter() - started, 2),
            "notes": notes,
        }
        record.stage, record.progress, record.finished_at = "done", 100, utcnow()
        db.session.commit()
        record = _after_import(record, kind, notes)
        return ImportOutcome(record, [], notes)
    except ListingRefused as refusal:  # ConventionUnknown too
        db.session.rollback()
        return _refuse(record, refusal, [], [])
    except Exception as error:
        db.session.rollback()
        log.exception("listing import %s failed", record.id)
        record = db.session.get(PositionImport, record.id)
        record.status, record.stage, record.finished_at = ImportStatus.FAILED, "failed", utcnow()
        if isinstance(error, LoadFailed):
            record.set_message(error.code, **error.params)
        else:
            record_failure(record)
        db.session.commit()
        return ImportOutcome(record, [], [])


def _one_import_per_date(connection: sa.Connection, as_of: date) -> None:
    """Wait for any other import of the same as-of date to end: two loads of one date at once
    would each miss the other's rows (disjoint listings would leave both), or collide on them.

    The lock is held by the load's transaction and released by its commit or rollback.
    """
    minutes = current_app.config["IMPORT_WAIT_MINUTES"]
    try:
        serial.hold(connection, f"import:{as_of.isoformat()}", minutes * 60)
    except serial.LockBusy:
        raise ListingRefused(texts.BUSY, as_of=as_of, minutes=minutes) from None


def record_failure(record: PositionImport) -> None:
    """Note on the record that it failed on an unexpected error, in plain words: the error itself
    (it may quote SQL and the names of tables) goes to the log only."""
    record.set_message(texts.UNEXPECTED, id=record.id)


def _after_import(record: PositionImport, kind: ListingKind, notes: list[str]) -> PositionImport:
    """Run the work features registered for after this kind's import, each in a transaction of
    its own (follow-ups suggest collection work after a loan listing).

    The import has succeeded whatever happens here: a failure is logged and noted on the record.
    """
    extra: dict = {}
    for hook in after_import_hooks(kind.key):
        try:
            extra[hook.key] = hook.run(record)
        except Exception:
            db.session.rollback()
            log.exception("%s after import %s failed", hook.key, record.id)
            notes.append(said(hook.code, reason=LOGGED_ERROR))
            extra["notes"] = notes
        record = db.session.get(PositionImport, record.id)
    if not extra:
        return record
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
                    .values(stage=stage, progress=percent, heartbeat_at=utcnow())
                )


def _reject(record: PositionImport, errors: list[RowError], notes: list[str]) -> ImportOutcome:
    """Refuse the whole file for row errors: record them and write the error file."""
    db.session.rollback()
    record = db.session.get(PositionImport, record.id)
    record.status, record.stage, record.finished_at = ImportStatus.REJECTED, "rejected", utcnow()
    record.error_count = len(errors)
    rows = len({e.row for e in errors})
    record.set_message(texts.ROWS_REJECTED, errors=len(errors), rows=rows)
    record.errors_file = write_errors_file(record.id, errors)
    record.summary = {"notes": notes}
    db.session.commit()
    return ImportOutcome(record, errors, notes)


def _refuse(record: PositionImport, refusal: ListingRefused, errors, notes) -> ImportOutcome:
    """Refuse the whole file for a reason that is not one row's (encoding, headers, conventions)."""
    db.session.rollback()
    record = db.session.get(PositionImport, record.id)
    record.status, record.stage, record.finished_at = ImportStatus.REJECTED, "rejected", utcnow()
    record.set_message(refusal.code, **refusal.params)
    db.session.commit()
    return ImportOutcome(record, errors, notes)
