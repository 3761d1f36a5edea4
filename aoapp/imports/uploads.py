"""Uploaded listings waiting for the admin's confirmation, and their preview.

An upload is stored under a random token (never the user's file name as a path), next to a small
JSON file holding who uploaded it, its original name, the chosen options and the preview.
"""

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from aoapp.auth.models import User
from aoapp.common.dates import fs_now
from aoapp.common.system_text import render_said
from aoapp.errors import InvalidInput, NotFound
from aoapp.imports import texts
from aoapp.imports.conventions import (
    ConventionUnknown,
    convention_notes,
    detect_date_format,
    detect_decimal,
)
from aoapp.imports.files import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    ListingRefused,
    check_kind,
    check_xlsx_archive,
    unsupported_type,
    written_headers,
)
from aoapp.imports.kinds import ListingKind, get_kind
from aoapp.imports.language import speaking
from aoapp.imports.parsing import check_listing
from aoapp.imports.reader import read_listing

SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PREVIEW_ROWS = 10
PREVIEW_ERRORS = 20  # the row errors a preview shows and keeps (the count is of them all)
GONE = _l(
    "This upload is no longer available (already imported, discarded or expired): upload it again."
)


@dataclass
class Preview:
    """What the listing looks like as read: its first rows, size and conventions, or the refusal;
    and the row errors that would refuse it (how many, on how many rows, the first of them)."""

    rows: int = 0
    columns: list[str] = field(default_factory=list)
    head: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refusal: str | None = None
    error_count: int = 0
    error_rows: int = 0
    errors: list[dict] = field(default_factory=list)  # {row, column, value, message}


@dataclass
class StagedUpload:
    """A stored upload and what is known about it."""

    token: str
    path: Path
    file_name: str
    user_id: int
    options: dict
    preview: Preview

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.options["as_of"])


def upload_dir() -> Path:
    """Where uploads wait: IMPORTS_UPLOAD_DIR, by default instance/uploads."""
    configured = current_app.config.get("IMPORTS_UPLOAD_DIR")
    directory = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def original_name(storage: FileStorage | None) -> str:
    """The file name the user's browser sent, without any folder part."""
    name = (storage.filename or "") if storage else ""
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]


def check_file(storage: FileStorage | None) -> str:
    """The upload's suffix, or InvalidInput when there is no file or it is not a listing."""
    name = original_name(storage)
    if not name:
        message = _("Choose the listing file.")
        raise InvalidInput(message, {"file": [message]})
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        message = str(unsupported_type(suffix))
        raise InvalidInput(message, {"file": [message]})
    return suffix


def save_file(storage: FileStorage) -> Path:
    """Store an uploaded listing under a random name; refuse an empty file, one whose content is
    not what its name says (a PDF named .csv), and a workbook that unpacks too large (zip bomb)."""
    suffix = check_file(storage)
    path = upload_dir() / f"{secrets.token_hex(16)}{suffix}"
    storage.save(path)
    try:
        if path.stat().st_size == 0:
            message = _("The file is empty.")
            raise InvalidInput(message, {"file": [message]})
        try:
            check_kind(path)
            if suffix in XLSX_SUFFIXES:
                check_xlsx_archive(path)
        except ListingRefused as refusal:
            raise InvalidInput(str(refusal), {"file": [str(refusal)]}) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def stage_upload(storage: FileStorage, user: User, options: dict) -> StagedUpload:
    """Store an upload, preview it and remember it for confirmation (refused ones are dropped,
    and so is the file of a preview or a note that fails)."""
    sweep_uploads()
    path = save_file(storage)
    try:
        return _stage(path, storage, user, options)
    except BaseException:
        path.unlink(missing_ok=True)
        _sidecar(path.stem).unlink(missing_ok=True)
        raise


def _stage(path: Path, storage: FileStorage, user: User, options: dict) -> StagedUpload:
    with speaking(user):  # the preview is kept: in the uploader's language
        preview = preview_listing(
            path,
            get_kind(options.get("kind")),
            encoding=options.get("encoding"),
            sheet=options.get("sheet"),
            decimal=options.get("decimal"),
            date_format=options.get("date_format"),
        )
    token = path.stem
    staged = StagedUpload(
        token=token,
        path=path,
        file_name=original_name(storage),
        user_id=user.id,
        options={**options, "as_of": options["as_of"].isoformat()},
        preview=preview,
    )
    if preview.refusal:
        path.unlink(missing_ok=True)
        return staged
    _sidecar(token).write_text(
        json.dumps(
            {
                "file": path.name,
                "file_name": staged.file_name,
                "user_id": user.id,
                "options": staged.options,
                "preview": preview.__dict__,
            }
        ),
        encoding="utf-8",
    )
    return staged


def get_upload(token: str, user: User) -> StagedUpload:
    """The caller's waiting upload named by `token`, or NotFound."""
    if not TOKEN.match(token or ""):
        raise NotFound(GONE)
    try:
        meta = json.loads(_sidecar(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        raise NotFound(GONE) from None
    path = upload_dir() / meta["file"]
    if meta["user_id"] != user.id or not path.is_file():
        raise NotFound(GONE)
    return StagedUpload(
        token=token,
        path=path,
        file_name=meta["file_name"],
        user_id=meta["user_id"],
        options=meta["options"],
        preview=Preview(**meta["preview"]),
    )


def claim_upload(token: str, user: User) -> StagedUpload:
    """Take a waiting upload for import: only one confirmation wins (a double click imports once)."""
    staged = get_upload(token, user)
    try:
        os.utime(staged.path)  # fresh before its note goes: the sweep keeps a claimed file
        _sidecar(token).unlink()
    except FileNotFoundError:
        raise NotFound(GONE) from None
    return staged


def discard_upload(token: str, user: User) -> None:
    """Forget a waiting upload and delete its file."""
    staged = claim_upload(token, user)
    staged.path.unlink(missing_ok=True)


def sweep_uploads() -> tuple[int, int]:
    """Delete the uploads no one will use; returns how many files and bytes.

    An upload waiting for confirmation (with its note) goes after IMPORTS_UPLOAD_KEEP_HOURS.
    Any other upload is being previewed or imported, or was left by a crash or a kill: a live
    import renews its file's time with every heartbeat, so one unchanged for
    IMPORT_STALE_MINUTES is left over. Files not named as uploads are never touched.
    """
    directory = upload_dir()
    now = fs_now(directory)
    waiting_limit = now - current_app.config["IMPORTS_UPLOAD_KEEP_HOURS"] * 3600
    leftover_limit = now - current_app.config["IMPORT_STALE_MINUTES"] * 60
    files = size = 0
    for path in directory.iterdir():
        if not TOKEN.match(path.stem):
            continue
        waiting = path.suffix == ".json" or _sidecar(path.stem).exists()
        try:
            stat = path.stat()
            if not path.is_file() or stat.st_mtime >= (
                waiting_limit if waiting else leftover_limit
            ):
                continue
            path.unlink()
        except OSError:
            continue  # another request swept it first
        files, size = files + 1, size + stat.st_size
    return files, size


def _sidecar(token: str) -> Path:
    return upload_dir() / f"{token}.json"


def preview_listing(
    path: Path,
    kind: ListingKind,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> Preview:
    """Read and check the listing as the import will: first rows, row count, conventions, and
    its row errors (numbers, dates, codes; the first PREVIEW_ERRORS kept), or why it is refused.

    Cross-row checks and code lookups are the import's own (`parsing.check_listing`), so a file
    the preview passes is refused by the import only if the data it refers to changed meanwhile.
    """
    try:
        listing = read_listing(path, kind, encoding=encoding, sheet=sheet)
    except ListingRefused as refusal:
        return Preview(refusal=str(refusal))
    table = listing.table
    notes = [render_said(listing.format_note())]
    try:
        used_decimal = decimal or detect_decimal(table, kind)
    except ConventionUnknown as refusal:
        return Preview(rows=listing.rows, notes=notes, refusal=str(refusal))
    used_date = date_format or detect_date_format(table, kind)
    notes += map(
        render_said, convention_notes(used_decimal, used_date, not decimal, not date_format)
    )
    if listing.rows == 0:
        return Preview(notes=notes, refusal=str(ListingRefused(texts.NO_ROWS)))
    present = (table.schema.metadata or {}).get(b"present", b"").decode().split(",")
    columns = [c.name for c in kind.columns if c.name in present]
    first = table.slice(0, PREVIEW_ROWS).select(columns).to_pylist()
    head = [[row[name] for name in columns] for row in first]
    _parsed, _typed, errors = check_listing(table, kind, used_decimal, used_date)
    written = written_headers(table)  # the columns as the file names them
    return Preview(
        rows=listing.rows,
        columns=[written.get(name, name) for name in columns],
        head=head,
        notes=notes,
        error_count=len(errors),
        error_rows=len({error.row for error in errors}),
        errors=[asdict(error) for error in errors[:PREVIEW_ERRORS]],
    )
