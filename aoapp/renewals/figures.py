"""Renewal figures: the one definition that dashboards, the portfolio workbook's `Pembaruan` /
`Renewals` sheet and `GET /api/v1/renewals/figures` read.

A month's figures are about the opportunities maturing in it (their maturity or yearly extension
date within the month), booked to the officer and branch that own them, with their outcomes as
recorded now (a listing's proposal counts until the officer corrects it; `awaiting` says how many
are unconfirmed). So the renewal rate of October asks: of the loans that matured in October and
are settled, how many were renewed?

    loans due          loan opportunities maturing in the month
    settled            of those, closed with a loan outcome (renewed, topped up, paid off)
    renewal rate       (renewed + topped up) / settled; none when nothing is settled
    top-up amount      the sum of (new plafond − old plafond) of those topped up
    lost customers     distinct customers of the month's paid-off-and-lost loans, with the
                       reasons recorded (one count per opportunity and reason)
    deposits due       deposit opportunities maturing in the month; roll-over rate =
                       rolled over / (rolled over + withdrawn)

The scope is credit/figures.resolve_scope's condition, read on the opportunities' own officer and
branch (funding/scope.on_columns). Three grouped queries, whatever the number of officers.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.auth.models import Branch, User
from aoapp.common.money import to_money
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.funding.scope import on_columns
from aoapp.renewals.models import Kind, RenewalOpportunity, RenewalOutcome, Stage

Opp = RenewalOpportunity
ZERO = Decimal("0.00")
NOT_RECORDED = "not_recorded"  # a lost customer whose reason is not recorded (yet)


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


@dataclass(frozen=True)
class RenewalFigures:
    """A scope's (or one officer's) renewal figures for one month."""

    start: date
    end: date
    loans_due: int = 0
    loans_open: int = 0
    renewed: int = 0
    topped_up: int = 0
    paid_off_retained: int = 0
    paid_off_lost: int = 0
    topup_amount: Decimal = ZERO
    lost_customers: int = 0
    awaiting: int = 0  # settled by a listing, not yet confirmed
    deposits_due: int = 0
    deposits_open: int = 0
    rolled_over: int = 0
    withdrawn: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # lost loans by reason code

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def settled(self) -> int:
        """Loan opportunities of the month closed with a loan outcome."""
        return self.renewed + self.topped_up + self.paid_off_retained + self.paid_off_lost

    @property
    def renewal_rate(self) -> Decimal | None:
        return _ratio(self.renewed + self.topped_up, self.settled)

    @property
    def rollover_rate(self) -> Decimal | None:
        return _ratio(self.rolled_over, self.rolled_over + self.withdrawn)

    @property
    def reason_rows(self) -> list[tuple[str, int]]:
        """(reason code, count), most frequent first."""
        return sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class OfficerRenewals:
    """One officer's figures (the team table, the workbook's rows)."""

    officer_id: int
    name: str
    officer_code: str | None
    branch_code: str | None
    figures: RenewalFigures


COUNTED = {
    RenewalOutcome.RENEWED: "renewed",
    RenewalOutcome.TOPPED_UP: "topped_up",
    RenewalOutcome.PAID_OFF_RETAINED: "paid_off_retained",
    RenewalOutcome.PAID_OFF_LOST: "paid_off_lost",
    RenewalOutcome.ROLLED_OVER: "rolled_over",
    RenewalOutcome.WITHDRAWN: "withdrawn",
}


def _where(condition, start: date, end: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        on_columns(condition, Opp.officer_id, Opp.branch_id), Opp.maturity_date.between(start, end)
    )


def _add(values: dict, kind, stage, outcome, confirmed, reason, count, topup) -> None:
    """Add one group of the grouped query to an officer's (or the total's) values."""
    loan = kind == Kind.LOAN.value
    values["loans_due" if loan else "deposits_due"] += count
    if stage != Stage.CLOSED.value:
        values["loans_open" if loan else "deposits_open"] += count
        return
    values[COUNTED[RenewalOutcome(outcome)]] += count
    if not confirmed:
        values["awaiting"] += count
    if outcome == RenewalOutcome.TOPPED_UP.value:
        values["topup_amount"] += to_money(topup or 0)
    if outcome == RenewalOutcome.PAID_OFF_LOST.value:
        code = reason or NOT_RECORDED
        values["reasons"][code] = values["reasons"].get(code, 0) + count


def _empty() -> dict:
    numbers = [f.name for f in RenewalFigures.__dataclass_fields__.values()]
    values = {name: 0 for name in numbers if name not in ("start", "end", "reasons")}
    return values | {"topup_amount": ZERO, "reasons": {}}


def _lost(condition, start: date, end: date, by_officer: bool):
    """Distinct lost customers, by officer or in all."""
    where = sa.and_(
        _where(condition, start, end), Opp.outcome == RenewalOutcome.PAID_OFF_LOST.value
    )
    count = sa.func.count(sa.distinct(Opp.customer_id))
    if by_officer:
        return dict(
            db.session.execute(
                sa.select(Opp.officer_id, count).where(where).group_by(Opp.officer_id)
            ).all()
        )
    return db.session.scalar(sa.select(count).where(where)) or 0


def _grouped(condition, start: date, end: date) -> dict[int, dict]:
    """Each officer's values, from one grouped query."""
    stmt = (
        sa.select(
            Opp.officer_id,
            Opp.kind,
            Opp.stage,
            Opp.outcome,
            Opp.confirmed,
            Opp.lost_reason,
            sa.func.count(),
            sa.func.sum(Opp.topup_amount),
        )
        .where(_where(condition, start, end))
        .group_by(
            Opp.officer_id,
            Opp.kind,
            Opp.stage,
            Opp.outcome,
            Opp.confirmed,
            Opp.lost_reason,
        )
    )
    found: dict[int, dict] = {}
    for officer_id, kind, stage, outcome, confirmed, reason, count, topup in db.session.execute(
        stmt
    ):
        values = found.setdefault(officer_id, _empty())
        _add(values, kind, stage, outcome, confirmed, reason, int(count), topup)
    return found


def _total(rows: list[dict]) -> dict:
    total = _empty()
    for values in rows:
        for key, value in values.items():
            if key == "reasons":
                for code, n in value.items():
                    total["reasons"][code] = total["reasons"].get(code, 0) + n
            else:
                total[key] += value
    return total


def renewal_figures(condition, start: date, end: date) -> RenewalFigures:
    """The scope's figures for the month [start, end]."""
    total = _total(list(_grouped(condition, start, end).values()))
    total["lost_customers"] = _lost(condition, start, end, by_officer=False)
    return RenewalFigures(start, end, **total)


def officer_renewals(condition, start: date, end: date) -> list[OfficerRenewals]:
    """Each officer's figures for the month (officers with an opportunity in it), by name."""
    grouped = _grouped(condition, start, end)
    if not grouped:
        return []
    lost = _lost(condition, start, end, by_officer=True)
    stmt = (
        sa.select(User.id, User.full_name, User.username, User.officer_code, Branch.code)
        .outerjoin(Branch, Branch.id == User.branch_id)
        .where(User.id.in_(sorted(grouped)))
    )
    rows = [
        OfficerRenewals(
            officer_id,
            full_name or username,
            code,
            branch_code,
            replace(
                RenewalFigures(start, end, **grouped[officer_id]),
                lost_customers=lost.get(officer_id, 0),
            ),
        )
        for officer_id, full_name, username, code, branch_code in db.session.execute(stmt)
    ]
    return sorted(rows, key=lambda row: (row.name, row.officer_id))


@dataclass(frozen=True)
class FiguresReport:
    """A scope's month: its label, its figures and each officer's."""

    scope: str
    total: RenewalFigures
    officers: list[OfficerRenewals]


def figures_report(actor, start: date, end: date, officer_id=None, branch_id=None):
    """The month's figures of the scope `actor` asks for (credit/figures.resolve_scope: an
    officer or branch out of reach is NotFound)."""
    scope = resolve_scope(actor, officer_id, branch_id)
    return FiguresReport(
        scope.label,
        renewal_figures(scope.condition, start, end),
        officer_renewals(scope.condition, start, end),
    )
