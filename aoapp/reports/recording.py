"""What every generation run shares: its summary, the period's as-of date, the report rows.

A report row is written only after its file is complete (see storage.py), in its own
transaction, so a listing never shows a half-written file and a rerun finds what is done.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from aoapp.common.dates import utcnow
from aoapp.common.i18n import LOCALES, locale_code
from aoapp.common.transaction import unit_of_work
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.kpis.periods import Period, parse_period, period_as_of, period_name
from aoapp.reports import storage
from aoapp.reports.models import Report


@dataclass(frozen=True)
class Failure:
    """A report that could not be generated, and why."""

    key: str  # CIF of the customer, or the portfolio's scope key
    reason: str


@dataclass
class Summary:
    """What a generation run did."""

    kind: str
    period: Period
    as_of: date | None = None
    selected: int = 0
    generated: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    report_ids: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Workbooks written per second."""
        return self.generated / self.seconds if self.seconds else 0.0

    def add(self, other: "Summary") -> None:
        """Fold another run's counts into this one (chunks of a parallel run)."""
        self.selected += other.selected
        self.generated += other.generated
        self.skipped += other.skipped
        self.failed.extend(other.failed)
        self.report_ids.extend(other.report_ids)

    def line(self) -> str:
        """One line for people: counts, time and speed."""
        message = (
            _(
                "Customer reports for %(period)s (as of %(day)s): %(generated)s generated, "
                "%(skipped)s skipped, %(failed)s failed in %(seconds)s s (%(rate)s workbooks/s)."
            )
            if self.kind == "customer"
            else _(
                "Portfolio reports for %(period)s (as of %(day)s): %(generated)s generated, "
                "%(skipped)s skipped, %(failed)s failed in %(seconds)s s (%(rate)s workbooks/s)."
            )
        )
        return message % {
            "period": period_name(self.period),
            "day": self.as_of,
            "generated": self.generated,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "seconds": f"{self.seconds:.1f}",
            "rate": f"{self.rate:.1f}",
        }


def report_lang(lang: str | None = None, default: str | None = None) -> str:
    """The language a report is generated in: the one asked for, else `default`, else the
    current one (a page: the user's; the CLI, the scheduler and the queue: the bank's)."""
    if lang in LOCALES:
        return lang
    return default if default in LOCALES else locale_code()


def as_period(period: Period | str) -> Period:
    """A Period from a Period or its code."""
    return period if isinstance(period, Period) else parse_period(period)


def require_as_of(period: Period) -> date:
    """The period's as-of date; a period without positions is refused with a plain message."""
    as_of = period_as_of(period)
    if as_of is None:
        message = _(
            "No positions were imported for %(period)s; nothing to report.",
            period=period.local_label,
        )
        raise InvalidInput(message, {"period": [message]})
    return as_of


def bank_name() -> str:
    """The bank's name printed on every report."""
    return current_app.config.get("BANK_NAME", "Bank")


def save_report(values: dict, stored: storage.StoredFile, actor, existing: tuple | None) -> int:
    """Insert or update the report's row in its own transaction; returns its id.

    `existing` is (id, path) of the row already recorded for this kind, period and scope. When a
    new row cannot be committed the new file is removed, so no file stays without a row.
    """
    row = {
        **values,
        "path": stored.path,
        "size": stored.size,
        "sha256": stored.sha256,
        "lang": locale_code(),  # generation runs in the report's language (force_locale)
        "generated_by_id": getattr(actor, "id", None),
        "generated_at": utcnow(),
    }
    try:
        with unit_of_work():
            report_id = _upsert(row, existing)
    except IntegrityError:  # another process recorded it meanwhile: update that row instead
        found = _existing_row(values)
        try:
            with unit_of_work():
                report_id = _upsert(row, found)
        except Exception:
            _discard(stored, found)
            raise
        existing = found
    except Exception:
        _discard(stored, existing)
        raise
    if existing is not None and existing[1] != stored.path:
        storage.remove(existing[1])  # renamed customer or reassigned officer: the old file goes
    return report_id


def _discard(stored: storage.StoredFile, existing: tuple | None) -> None:
    """Remove the new file of a row that could not be saved (the unit of work rolled back)."""
    if existing is None or existing[1] != stored.path:
        storage.remove(stored.path)


def _existing_row(values: dict) -> tuple | None:
    stmt = sa.select(Report.id, Report.path).where(
        Report.kind == values["kind"],
        Report.period == values["period"],
        Report.scope_key == values["scope_key"],
    )
    row = db.session.execute(stmt).first()
    return tuple(row) if row else None


def _upsert(row: dict, existing: tuple | None) -> int:
    if existing is not None:
        db.session.execute(sa.update(Report).where(Report.id == existing[0]).values(**row))
        return existing[0]
    result = db.session.execute(sa.insert(Report).values(**row))
    return result.inserted_primary_key[0]


def _report_rows(kind: str, period: Period, scope_keys: list[str] | None):
    stmt = sa.select(Report.id, Report.path, Report.size, Report.scope_key, Report.lang).where(
        Report.kind == kind, Report.period == period.code
    )
    if scope_keys is not None and len(scope_keys) <= 5000:
        stmt = stmt.where(Report.scope_key.in_(scope_keys))  # a few: ask only for those
    wanted = set(scope_keys) if scope_keys is not None else None
    return [row for row in db.session.execute(stmt) if wanted is None or row.scope_key in wanted]


def intact_reports(
    kind: str, period: Period, scope_keys: list[str] | None = None, lang: str | None = None
) -> dict:
    """{scope_key: (id, path)} of the period's reports whose files are complete on disk (and, with
    `lang`, in that language: a report asked for in another language is made again)."""
    return {
        row.scope_key: (row.id, row.path)
        for row in _report_rows(kind, period, scope_keys)
        if (lang is None or row.lang == lang) and storage.is_intact(row.path, row.size)
    }


def recorded_reports(kind: str, period: Period, scope_keys: list[str] | None = None) -> dict:
    """{scope_key: (id, path)} of the period's recorded reports, intact or not."""
    return {row.scope_key: (row.id, row.path) for row in _report_rows(kind, period, scope_keys)}
