"""Running a confirmed web import: in a background thread with its own app context, or inline.

The record is created (and committed) first, so the page can poll it while the thread works.
With IMPORTS_RUN_INLINE (tests) the import runs in the request. Either way the uploaded file is
deleted when the import has finished or could not start; one left by a killed process goes with
the sweep (`uploads.sweep_uploads`).
"""

import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from aoapp.auth.models import User
from aoapp.common.dates import utcnow
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.records import require_admin
from aoapp.imports.services import ImportOptions, record_failure, run_import, start_record
from aoapp.imports.uploads import StagedUpload

log = logging.getLogger(__name__)


def start_import(staged: StagedUpload, user: User) -> PositionImport:
    """Record the import of a claimed upload and run it; returns the record (maybe still running).

    The upload's file is deleted whatever happens: here when the import cannot start, else when
    it has finished."""
    options = staged.options
    try:
        require_admin(user)
        record = start_record(
            staged.path,
            ImportOptions(
                as_of=staged.as_of,
                kind=options.get("kind") or "loans",
                partial=bool(options.get("partial")),
                decimal=options.get("decimal"),
                date_format=options.get("date_format"),
                encoding=options.get("encoding"),
                sheet=options.get("sheet"),
                source="web",
                file_name=staged.file_name,
            ),
            user,
        )
    except BaseException:
        staged.path.unlink(missing_ok=True)
        raise
    app = current_app._get_current_object()
    if app.config.get("IMPORTS_RUN_INLINE"):
        _run(record.id, user.id, staged.path, options)
        db.session.refresh(record)
        return record
    thread = threading.Thread(
        target=_run_in_context,
        args=(app, record.id, user.id, staged.path, options),
        name=f"listing-import-{record.id}",
    )
    try:
        thread.start()
    except BaseException:  # no thread to be had (the process's limit): nothing ran
        log.exception("listing import %s could not start", record.id)
        staged.path.unlink(missing_ok=True)
        _mark_failed(record.id)
        raise
    return record


def _run_in_context(app: Flask, record_id: int, user_id: int, path: Path, options: dict) -> None:
    with app.app_context():
        try:
            _run(record_id, user_id, path, options)
        finally:
            db.session.remove()


def _run(record_id: int, user_id: int, path: Path, options: dict) -> None:
    """Run the import of one upload; never leaves the record running, always deletes the file."""
    try:
        record = db.session.get(PositionImport, record_id)
        run_import(
            path,
            record.as_of,
            kind=record.kind,
            user=db.session.get(User, user_id),
            source="web",
            partial=bool(options.get("partial")),
            decimal=options.get("decimal"),
            date_format=options.get("date_format"),
            encoding=options.get("encoding"),
            sheet=options.get("sheet"),
            file_name=record.file_name,
            record=record,
        )
    except Exception:  # run_import records its own failures; this is the last net
        log.exception("listing import %s crashed", record_id)
        db.session.rollback()
        _mark_failed(record_id)
    finally:
        path.unlink(missing_ok=True)


def _mark_failed(record_id: int) -> None:
    record = db.session.get(PositionImport, record_id)
    if record is None or record.status != ImportStatus.RUNNING:
        return
    record.status, record.stage, record.finished_at = ImportStatus.FAILED, "failed", utcnow()
    record_failure(record)
    db.session.commit()
