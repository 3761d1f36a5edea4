"""The portfolio workbook's `Pembaruan` / `Renewals` sheet: the period's renewal figures, each
officer's, the reasons customers left, and every opportunity maturing in the period — from the
one source (renewals/figures.py), as the dashboards and `/api/v1/renewals/figures` read it."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from aoapp.credit.figures import PortfolioScope
from aoapp.extensions import db
from aoapp.funding.scope import on_columns
from aoapp.kpis.periods import Period
from aoapp.renewals.figures import (
    OfficerRenewals,
    RenewalFigures,
    officer_renewals,
    renewal_figures,
)
from aoapp.renewals.models import RenewalOpportunity
from aoapp.reports.commentary import label
from aoapp.reports.labels import officer_text
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, RATIO, Block, Column, Sheet

Opp = RenewalOpportunity


@dataclass(frozen=True)
class RenewalsData:
    """What the Renewals sheet shows."""

    total: RenewalFigures
    officers: list[OfficerRenewals] = field(default_factory=list)
    rows: list[RenewalOpportunity] = field(default_factory=list)


def load_renewals(scope: PortfolioScope, period: Period) -> RenewalsData:
    """The sheet's data for a scope and a period (its opportunities maturing in it)."""
    condition = scope.condition
    stmt = (
        sa.select(Opp)
        .options(
            joinedload(Opp.customer), joinedload(Opp.officer), joinedload(Opp.facility),
            joinedload(Opp.deposit_account),
        )
        .where(
            on_columns(condition, Opp.officer_id, Opp.branch_id),
            Opp.maturity_date.between(period.start, period.end),
        )
        .order_by(Opp.maturity_date, Opp.id)
    )  # fmt: skip
    return RenewalsData(
        renewal_figures(condition, period.start, period.end),
        officer_renewals(condition, period.start, period.end),
        list(db.session.scalars(stmt)),
    )


FIGURE_COLUMNS = (
    Column("figure", _l("Figure")),
    Column("number", _l("Number"), INT),
    Column("amount", _l("Amount"), MONEY),
    Column("ratio", _l("Ratio"), RATIO),
)
OFFICER_COLUMNS = (
    Column("officer", _l("Officer")),
    Column("loans_due", _l("Loans maturing"), INT),
    Column("settled", _l("Settled"), INT),
    Column("renewed", _l("Renewed"), INT),
    Column("topped_up", _l("Topped up"), INT),
    Column("renewal_rate", _l("Renewal rate"), RATIO),
    Column("topup_amount", _l("Top-up amount"), MONEY),
    Column("lost_customers", _l("Lost customers"), INT),
    Column("deposits_due", _l("Depositos maturing"), INT),
    Column("rolled_over", _l("Rolled over"), INT),
)
REASON_COLUMNS = (Column("reason", _l("Reason")), Column("count", _l("Number"), INT))
ROW_COLUMNS = (
    Column("maturity_date", _l("Maturity date"), DATE),
    Column("kind", _l("Kind")),
    Column("account_no", _l("Account no")),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("stage", _l("Stage")),
    Column("outcome", _l("Outcome")),
    Column("confirmed", _l("Confirmed"), BOOL),
    Column("plafond", _l("Plafond"), MONEY),
    Column("new_plafond", _l("New plafond"), MONEY),
    Column("topup", _l("Top-up amount"), MONEY),
    Column("reason", _l("Why the customer left")),
)


def _figures(f: RenewalFigures) -> list[tuple]:
    return [
        (_("Loans maturing"), f.loans_due, None, None),
        (_("Still open"), f.loans_open, None, None),
        (_("Settled"), f.settled, None, None),
        (_("Renewed"), f.renewed, None, None),
        (_("Topped up"), f.topped_up, f.topup_amount, None),
        (_("Renewal rate"), f.renewed + f.topped_up, None, f.renewal_rate),
        (_("Paid off, customer retained"), f.paid_off_retained, None, None),
        (_("Paid off, customer lost"), f.paid_off_lost, None, None),
        (_("Lost customers"), f.lost_customers, None, None),
        (_("Outcomes to confirm"), f.awaiting, None, None),
        (_("Depositos maturing"), f.deposits_due, None, None),
        (_("Rolled over"), f.rolled_over, None, f.rollover_rate),
        (_("Withdrawn"), f.withdrawn, None, None),
    ]


def _officer_row(row: OfficerRenewals) -> tuple:
    f = row.figures
    return (
        officer_text(row.name, row.officer_code), f.loans_due, f.settled, f.renewed, f.topped_up,
        f.renewal_rate, f.topup_amount, f.lost_customers, f.deposits_due, f.rolled_over,
    )  # fmt: skip


def _row(o: RenewalOpportunity) -> tuple:
    return (
        o.maturity_date, label(o.kind), o.account_no, o.customer.cif, o.customer.name,
        o.officer.display_name, label(o.stage), label(o.outcome), o.confirmed, o.plafond,
        o.new_plafond, o.topup_amount, label(o.lost_reason),
    )  # fmt: skip


def renewals_sheet(data: RenewalsData, title: list[str]) -> Sheet:
    """The Renewals sheet: small tables stacked, each under its heading."""
    blocks = [
        Block(_("Renewal figures"), FIGURE_COLUMNS, _figures(data.total)),
        Block(_("By officer"), OFFICER_COLUMNS, [_officer_row(r) for r in data.officers]),
        Block(
            _("Why customers left"),
            REASON_COLUMNS,
            [(label(code), n) for code, n in data.total.reason_rows],
        ),
        Block(_("Opportunities maturing in the period"), ROW_COLUMNS, [_row(o) for o in data.rows]),
    ]
    none = _("None.")
    blocks = [b if b.rows else Block(b.heading, b.columns, [], note=none) for b in blocks]
    return Sheet(key="Renewals", name=_("Renewals"), title=title, blocks=blocks)


def renewals_note() -> str:
    """The line under the sheet's title: what its figures count."""
    return _(
        "Opportunities maturing in the period and their outcomes as recorded now; renewal rate = "
        "(renewed + topped up) / settled loans; top-up = new plafond − old plafond."
    )
