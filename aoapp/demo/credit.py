"""Demo credit portfolio: 12 month-end listings imported through the real import path."""

import tempfile
from datetime import date, timedelta

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.services import run_import

# The demo officers and their branches (see aoapp/demo/data.py).
DEMO_OFFICERS = {"AO001": "JKT01", "AO002": "JKT01", "AO101": "BDG01"}
DEMO_FACILITIES = 150
MONTHS = 12
SEED = 2026


def last_month_end(today: date) -> date:
    """The month end before `today` (the latest listing a bank has closed)."""
    return today.replace(day=1) - timedelta(days=1)


def seed_credit(admin: User) -> tuple[int, int]:
    """Import the month-end listings not yet imported; returns (imported, already present)."""
    # The generator lives with the benchmarks; the demo reuses it so both stay one code.
    from bench.generate_listing import as_of_dates, generate_listings

    end = last_month_end(bank_today())
    dates = as_of_dates(end, MONTHS)
    done = set(
        db.session.scalars(
            sa.select(PositionImport.as_of).where(
                PositionImport.source == "demo",
                PositionImport.status == ImportStatus.SUCCEEDED,
                PositionImport.as_of.in_(dates),
            )
        )
    )
    missing = [d for d in dates if d not in done]
    if not missing:
        return 0, len(dates)
    with tempfile.TemporaryDirectory() as folder:
        paths = generate_listings(
            folder,
            rows=DEMO_FACILITIES,
            months=MONTHS,
            end=end,
            officer_codes=DEMO_OFFICERS,
            seed=SEED,
        )
        for path, as_of in zip(paths, dates, strict=True):
            if as_of in done:
                continue
            outcome = run_import(path, as_of, user=admin, source="demo")
            if not outcome.ok:
                first = outcome.errors[:3]
                raise RuntimeError(
                    f"demo listing {as_of} was refused: {outcome.record.message} {first}"
                )
    return len(missing), len(dates) - len(missing)
