"""Demo reports: last month's customer and portfolio workbooks, ready when the app starts.

"Last month" is the last complete calendar month before today when it has a listing (the demo
imports month-end listings up to it), else the month of the latest listing. Reports already on
disk are skipped, so running the demo again writes nothing. They are in the bank's language
(DEFAULT_LOCALE).
"""

from collections import Counter
from datetime import date

import sqlalchemy as sa

from aoapp.common.i18n import default_locale
from aoapp.credit.models import Position
from aoapp.errors import DomainError
from aoapp.extensions import db
from aoapp.kpis.periods import Period, last_complete_month, parse_period, period_as_of
from aoapp.reports.customer.generation import generate_customer_reports
from aoapp.reports.portfolio.generation import generate_portfolio_reports


def demo_period(today: date) -> Period | None:
    """The month the demo reports cover, or None before any listing was imported."""
    period = last_complete_month(today)
    if period_as_of(period) is not None:
        return period
    latest = db.session.scalar(sa.select(sa.func.max(Position.as_of)))
    return parse_period(f"{latest:%Y-%m}") if latest else None


def seed_reports(created: Counter, present: Counter, today: date) -> Period | None:
    """Customer reports, then officer, branch and bank portfolios of the demo month."""
    period = demo_period(today)
    if period is None:
        return None
    lang = default_locale()
    for kind, summary in (
        ("customer reports", generate_customer_reports(None, period, default_lang=lang)),
        ("portfolio reports", generate_portfolio_reports(period, lang=None, default_lang=lang)),
    ):
        if summary.failed:
            first = summary.failed[0]
            raise DomainError(f"Demo {kind} failed: {first.key}: {first.reason}")
        created[kind] += summary.generated
        present[kind] += summary.skipped
    return period
