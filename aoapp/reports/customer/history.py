"""Facilities and month-end history of one customer, worked out from its loaded positions.

Pure functions over the rows `queries` returns, so the rules (which facility is listed,
which position it shows, which position stands for a month) are testable without a database.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from aoapp.credit.models import FacilityStatus
from aoapp.kpis.periods import Period

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FacilityLine:
    """One facility active in the period, with the position the report shows for it.

    The position is the facility's latest dated in the period up to the as-of date; a facility
    closed within the period shows its last position, with nothing outstanding any more.
    """

    facility_id: int
    account_no: str
    product_code: str
    product_name: str
    plafond: Decimal
    interest_rate: Decimal
    start_date: date
    maturity_date: date
    restructured: bool
    status: str  # active or closed, on the as-of date
    closed_on: date | None
    position_date: date | None = None
    outstanding: Decimal | None = None
    arrears_principal: Decimal | None = None  # tunggakan pokok
    arrears_interest: Decimal | None = None  # tunggakan bunga
    dpd: int | None = None
    collectibility: int | None = None  # the effective (debtor) Kol on that position
    facility_kol: int | None = None
    kol_rule: str | None = None
    arrears_principal: Decimal | None = None
    arrears_interest: Decimal | None = None

    @property
    def closed(self) -> bool:
        return self.status == FacilityStatus.CLOSED


@dataclass(frozen=True)
class HistoryPoint:
    """A facility's last position in one month."""

    as_of: date
    outstanding: Decimal
    dpd: int
    kol: int  # effective (debtor) Kol


@dataclass(frozen=True)
class HistoryMonth:
    """One calendar month of the history: each facility's last position in it (≤ as-of)."""

    month_end: date  # the month's last day, or the as-of date in the as-of date's month
    points: dict[int, HistoryPoint] = field(default_factory=dict)  # by facility id

    @property
    def total_outstanding(self) -> Decimal | None:
        if not self.points:
            return None
        return sum((p.outstanding for p in self.points.values()), ZERO)

    @property
    def max_dpd(self) -> int | None:
        return max((p.dpd for p in self.points.values()), default=None)

    @property
    def debtor_kol(self) -> int | None:
        return max((p.kol for p in self.points.values()), default=None)


@dataclass(frozen=True)
class DebtorStatus:
    """The debtor on its latest listing in the period: date, Kol, deciding rule, worst DPD."""

    as_of: date | None = None
    kol: int | None = None
    rule: str | None = None
    rule_account: str | None = None
    max_dpd: int | None = None


def _listed(facility, in_period: list, period: Period, as_of: date) -> bool:
    """Active in the period: a position in it, or open at some time during it."""
    if in_period:
        return True
    if facility.start_date > min(period.end, as_of):
        return False
    if facility.status == FacilityStatus.CLOSED:
        return facility.closed_on is not None and facility.closed_on >= period.start
    return True


def facility_lines(
    facilities: Sequence, positions: dict[int, list], period: Period, as_of: date
) -> list[FacilityLine]:
    """The facilities active in the period, open ones first, each by account number."""
    lines = []
    for facility in facilities:
        history = positions.get(facility.id, [])  # oldest first, up to as_of
        in_period = [p for p in history if p.as_of >= period.start]
        if not _listed(facility, in_period, period, as_of):
            continue
        shown = in_period[-1] if in_period else (history[-1] if history else None)
        # Its status on the as-of date: a facility closed later was still open then.
        closed_by_as_of = facility.status == FacilityStatus.CLOSED and (
            facility.closed_on is None or facility.closed_on <= as_of
        )
        values = {}
        if shown is not None:
            values = {
                "position_date": shown.as_of,
                # A closed facility owes nothing: its last listed balance is not exposure.
                "outstanding": ZERO if closed_by_as_of else shown.outstanding,
                "arrears_principal": ZERO if closed_by_as_of else shown.arrears_principal,
                "arrears_interest": ZERO if closed_by_as_of else shown.arrears_interest,
                "dpd": shown.dpd,
                "collectibility": shown.debtor_kol,
                "facility_kol": shown.facility_kol,
                "kol_rule": shown.kol_rule,
            }
        lines.append(
            FacilityLine(
                facility_id=facility.id,
                account_no=facility.account_no,
                product_code=facility.product_code,
                product_name=facility.product_name,
                plafond=facility.plafond,
                interest_rate=facility.interest_rate,
                start_date=facility.start_date,
                maturity_date=facility.maturity_date,
                restructured=bool(facility.restructured),
                status=FacilityStatus.CLOSED if closed_by_as_of else FacilityStatus.ACTIVE,
                closed_on=facility.closed_on,
                **values,
            )
        )
    lines.sort(key=lambda line: (line.closed, line.account_no))
    return lines


def debtor_status(facilities: Sequence, positions: dict[int, list], period: Period) -> DebtorStatus:
    """Kol (one-obligor: the worst) on the debtor's latest listing in the period.

    The facility whose own Kol is the worst decided it, as on the customer page
    (`credit.services.debtor_collectibility`).
    """
    accounts = {f.id: f.account_no for f in facilities}
    latest = [p for f in facilities for p in positions.get(f.id, []) if p.as_of >= period.start]
    if not latest:
        return DebtorStatus()
    day = max(p.as_of for p in latest)
    current = [p for p in latest if p.as_of == day]
    worst = max(current, key=lambda p: (p.facility_kol, p.dpd, -p.facility_id))
    return DebtorStatus(
        as_of=day,
        kol=max(p.debtor_kol for p in current),
        rule=worst.kol_rule,
        rule_account=accounts.get(worst.facility_id),
        max_dpd=max(p.dpd for p in current),
    )


def history(
    facilities: Sequence, positions: dict[int, list], months: list[tuple[date, date]], as_of: date
) -> tuple[list[HistoryMonth], list[tuple[int, str]]]:
    """The months (oldest first) and the (facility id, account no) columns that have a point."""
    index = {(first.year, first.month): i for i, (first, _last) in enumerate(months)}
    points: list[dict[int, HistoryPoint]] = [{} for _ in months]
    for facility in facilities:
        for position in positions.get(facility.id, []):  # oldest first: the last one wins
            slot = index.get((position.as_of.year, position.as_of.month))
            if slot is not None and position.as_of <= as_of:
                points[slot][facility.id] = HistoryPoint(
                    position.as_of, position.outstanding, position.dpd, position.debtor_kol
                )
    used = {facility_id for month in points for facility_id in month}
    columns = sorted(((f.id, f.account_no) for f in facilities if f.id in used), key=lambda c: c[1])
    rows = [
        HistoryMonth(min(last, as_of), month)
        for (_first, last), month in zip(months, points, strict=True)
    ]
    return rows, columns
