"""The records of past imports, for admins: the list, one record, its row errors."""

import csv
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.auth.models import User
from aoapp.common.pagination import Page, paginate
from aoapp.errors import Forbidden, NotFound
from aoapp.extensions import db
from aoapp.imports.error_files import errors_dir
from aoapp.imports.heartbeat import expire_stopped
from aoapp.imports.models import PositionImport

SHOWN_ERRORS = 200
FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r")


def require_admin(user: User) -> None:
    """Listing imports are an admin's job."""
    if not user.is_admin:
        raise Forbidden(_("Only admins see and run listing imports."))


def list_imports(user: User, page: int, per_page: int, status: str | None = None) -> Page:
    """Past imports, newest first."""
    require_admin(user)
    expire_stopped()
    stmt = sa.select(PositionImport).options(joinedload(PositionImport.user))
    if status:
        stmt = stmt.where(PositionImport.status == status)
    stmt = stmt.order_by(PositionImport.started_at.desc(), PositionImport.id.desc())
    return paginate(stmt, page, per_page)


def get_import(user: User, import_id: int) -> PositionImport:
    """One import's record, or NotFound."""
    require_admin(user)
    expire_stopped()
    record = db.session.get(PositionImport, import_id)
    if record is None:
        raise NotFound(_("No such import."))
    return record


def errors_path(record: PositionImport) -> Path | None:
    """The row-error report of a rejected import, when there is one on disk."""
    if not record.errors_file:
        return None
    path = errors_dir() / Path(record.errors_file).name
    return path if path.is_file() else None


def read_errors(record: PositionImport, limit: int = SHOWN_ERRORS) -> list[dict]:
    """The first `limit` row errors of a rejected import, read back from its report."""
    path = errors_path(record)
    if path is None:
        return []
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if len(rows) >= limit:
                break
            row["value"] = _unguard(row.get("value") or "")
            rows.append(row)
    return rows


def _unguard(text: str) -> str:
    """Undo the quote the report puts before values a spreadsheet would run as a formula."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_GUARD and len(text) > 1 else text


def kol_rows(record: PositionImport) -> list[dict]:
    """The Kol distribution of a finished import as rows (Kol, count, outstanding)."""
    distribution = (record.summary or {}).get("kol_distribution") or {}
    return [
        {"kol": int(kol), "count": values["count"], "outstanding": values["outstanding"]}
        for kol, values in sorted(distribution.items(), key=lambda item: int(item[0]))
    ]


def deposit_rows(record: PositionImport) -> list[dict]:
    """The balances by kind of funds of a finished deposits import (kind, accounts, balance)."""
    by_type = (record.summary or {}).get("by_type") or {}
    return [{"kind": kind, **values} for kind, values in by_type.items()]
