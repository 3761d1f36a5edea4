"""The portfolio workbook's `Dana` / `Funding` sheet: the scope's third-party funds by kind, the
funding and relationship figures, their trend, the deposits maturing, the run-off and the
customers lost — all from the one source (funding/figures.py, funding/movements.py,
funding/relationship.py, funding/trend.py, kpis/relationship.py), read as the dashboards read them
for the period: its month-end deposits listing (the last on or before its end), deposits maturing
within 30 days of its judging day, retention from the day before it began to its end.

Without a deposits listing the sheet says so and nothing else is queried (the workbook of a bank
without deposits costs no more than before).
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.credit.figures import PortfolioScope
from aoapp.funding.figures import FundingFigures, deposits_as_of, scope_funding
from aoapp.funding.held import Listings
from aoapp.funding.movements import DepositRow, maturing_rows, runoff_rows
from aoapp.funding.relationship import RelationshipFigures, period_start, scope_relationship
from aoapp.funding.trend import TrendPoint, funding_trend
from aoapp.kpis.periods import Period
from aoapp.kpis.relationship import LostCustomer, lost_customers
from aoapp.reports.commentary import day_text, label
from aoapp.reports.labels import officer_text
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, NUMBER, RATIO, Block, Column, Sheet

MATURING_DAYS = 30


@dataclass(frozen=True)
class FundingData:
    """What the Funding sheet shows (None fields: no deposits listing)."""

    funding: FundingFigures | None = None
    relationship: RelationshipFigures | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    maturing: list[DepositRow] = field(default_factory=list)
    runoff: list[DepositRow] = field(default_factory=list)
    lost: list[LostCustomer] = field(default_factory=list)


def load_funding(scope: PortfolioScope, period: Period, as_of, judged_on: date) -> FundingData:
    """The Funding sheet's data for a scope, a period, its loan listing `as_of` and judging day."""
    deposits = deposits_as_of(period.end)
    if deposits is None:
        return FundingData()
    funding = scope_funding(scope, deposits, maturing_from=judged_on)
    listings = Listings(period.end, as_of, deposits)
    start = period_start(period.start)
    condition = scope.condition
    return FundingData(
        funding=funding,
        relationship=scope_relationship(scope, listings, start),
        trend=funding_trend(scope, deposits, period.end),
        maturing=maturing_rows(condition, deposits, judged_on, MATURING_DAYS),
        runoff=runoff_rows(condition, funding.previous_as_of, deposits, funding.runoff.share),
        lost=lost_customers(condition, start, listings),
    )


KIND_COLUMNS = (
    Column("kind", _l("Kind of funds")),
    Column("accounts", _l("Number of accounts"), INT),
    Column("balance", _l("Balance"), MONEY),
    Column("average_balance", _l("Average balance"), MONEY),
    Column("share", _l("Share"), RATIO),
)
FIGURE_COLUMNS = (
    Column("figure", _l("Figure")),
    Column("number", _l("Number"), INT),
    Column("amount", _l("Amount"), MONEY),
    Column("ratio", _l("Ratio"), RATIO),
)
RELATIONSHIP_COLUMNS = (
    Column("figure", _l("Figure")),
    Column("customers", _l("Customers"), INT),
    Column("per_customer", _l("Per customer"), NUMBER),
    Column("share", _l("Share"), RATIO),
)
TREND_COLUMNS = (
    Column("as_of", _l("Month-end"), DATE),
    Column("dpk", _l("DPK"), MONEY),
    Column("casa_ratio", _l("CASA ratio"), RATIO),
    Column("customers", _l("Customers"), INT),
    Column("products_per_customer", _l("Products per customer"), NUMBER),
)
ACCOUNT_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("product", _l("Product")),
)
MATURING_COLUMNS = ACCOUNT_COLUMNS + (
    Column("balance", _l("Balance"), MONEY),
    Column("maturity_date", _l("Maturity date"), DATE),
    Column("aro", _l("ARO"), BOOL),
)
RUNOFF_COLUMNS = ACCOUNT_COLUMNS + (
    Column("before", _l("Balance before"), MONEY),
    Column("now", _l("Balance now"), MONEY),
    Column("lost", _l("Run-off"), MONEY),
    Column("closed", _l("Closed"), BOOL),
)
LOST_COLUMNS = (
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("held", _l("Held at the start"), width=40),
    Column("last_contact", _l("Last contact"), DATE),
    Column("channel", _l("Channel")),
)


def _account(row: DepositRow) -> tuple:
    officer = officer_text(row.officer_name, row.officer_code)
    return (row.account_no, row.cif, row.customer, officer, row.product)


def _figures(f: FundingFigures) -> list[tuple]:
    week, month, r = f.maturing_within(7), f.maturing_within(30), f.runoff
    share = f"{r.share * 100:.0f} %"
    return [
        (_("DPK"), f.account_count, f.dpk_total, None),
        (_("CASA (giro + tabungan)"), None, f.casa, f.casa_ratio),
        (_("Growth since %(day)s", day=day_text(f.previous_as_of)), None, f.growth_month,
         f.growth_month_ratio),
        (_("Growth since the year's opening (%(day)s)", day=day_text(f.year_start_as_of)), None,
         f.growth_year, f.growth_year_ratio),
        (_("Maturing within 7 days"), week.count, week.amount, None),
        (_("Maturing within 7 days, without ARO"), week.non_aro_count, week.non_aro_amount, None),
        (_("Maturing within 30 days"), month.count, month.amount, None),
        (_("Run-off: accounts closed"), r.closed_count, r.closed_amount, None),
        (_("Run-off: balances down more than %(share)s", share=share), r.dropped_count,
         r.dropped_amount, None),
    ]  # fmt: skip


def _relationship(r: RelationshipFigures) -> list[tuple]:
    rows = [
        (_("Customers holding products"), r.customers, None, None),
        (_("Products per customer"), r.customers, r.products_per_customer, None),
        (_("Borrowers with funds"), r.borrowers_with_funding, None,
         r.borrowers_with_funding_share),
        (_("Depositors with credit"), r.depositors_with_credit, None,
         r.depositors_with_credit_share),
    ]  # fmt: skip
    if r.retention is not None:
        t = r.retention
        rows += [
            (_("Customers at the start"), t.customers_start, None, None),
            (_("Customers retained"), t.customers_retained, None, t.rate),
            (_("Customers lost"), t.lost, None, None),
        ]
    return rows


def funding_sheet(data: FundingData, title: list[str]) -> Sheet:
    """The Funding sheet: small tables stacked, each under its heading."""
    f, r = data.funding, data.relationship
    name = _("Funding")
    if f is None:
        empty = _("No deposits listing has been imported up to the end of the period.")
        return Sheet(key="Funding", name=name, title=[*title, empty])
    kinds = [(label(k.kind), k.accounts, k.balance, k.average_balance, k.share) for k in f.kinds]
    kinds.append((_("Total"), f.account_count, f.dpk_total, f.average_balance, None))
    blocks = [
        Block(_("DPK by kind"), KIND_COLUMNS, kinds),
        Block(_("Funding figures"), FIGURE_COLUMNS, _figures(f)),
        Block(_("Relationship"), RELATIONSHIP_COLUMNS, _relationship(r)),
        Block(
            _("Trend (month-end deposits listings)"),
            TREND_COLUMNS,
            [
                (p.as_of, p.dpk, p.casa_ratio, p.customers, p.products_per_customer)
                for p in data.trend
            ],
        ),
        Block(
            _("Deposits maturing within 30 days, without ARO first"),
            MATURING_COLUMNS,
            [(*_account(x), x.balance, x.maturity_date, x.aro) for x in data.maturing],
        ),
        Block(
            _("Run-off"),
            RUNOFF_COLUMNS,
            [
                (*_account(x), x.balance, x.balance_now, x.balance - x.balance_now, x.closed)
                for x in data.runoff
            ],
        ),
        Block(
            _("Customers lost in the period"),
            LOST_COLUMNS,
            [
                (
                    x.cif,
                    x.name,
                    officer_text(x.officer_name, x.officer_code),
                    x.products,
                    x.last_contact,
                    label(x.last_channel),
                )
                for x in data.lost
            ],  # fmt: skip
        ),
    ]
    none = _("None.")
    blocks = [b if b.rows else Block(b.heading, b.columns, [], note=none) for b in blocks]
    return Sheet(key="Funding", name=name, title=title, blocks=blocks)


def funding_note(data: FundingData) -> str:
    """The line under the sheet's title: which listings and days its figures are of."""
    f, r = data.funding, data.relationship
    if f is None:
        return ""
    start = r.retention.start.day if r is not None and r.retention is not None else None
    return _(
        "Deposits listing of %(day)s; balances of closed accounts excluded; deposits maturing "
        "counted from %(from)s; retention: customers holding anything on %(start)s still holding "
        "anything at the end of the period.",
        day=day_text(f.as_of),
        **{"from": day_text(f.maturing_from)},
        start=day_text(start) if start else "—",
    )
