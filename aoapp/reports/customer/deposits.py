"""The customer workbook's funding: the Summary's funding facts (DPK by kind, the net position)
and the deposits sheet (`Simpanan` / `Deposits`), both from the deposit accounts held on the
period's last day (`CustomerReportData.deposits`, funding.holdings.deposit_lines).

Balances are the positions of the deposits listing dated on or last before the period's end;
an account's terms (rate, maturity, ARO) are the newest listing's.
"""

from decimal import Decimal

from flask_babel import gettext as _

from aoapp.funding.holdings import KINDS
from aoapp.reports.commentary import day_text, label, words
from aoapp.reports.sheets import DATE, INT, MONEY, Fact

ZERO = Decimal("0.00")


def funding_by_kind(data) -> dict[str, Decimal]:
    """The customer's funding (DPK) on the period's last day, by kind (every kind, zeros too)."""
    totals = dict.fromkeys(KINDS, ZERO)
    for line in data.deposits:
        totals[line.deposit_type] += line.balance
    return totals


def funding_total(data) -> Decimal:
    return sum(funding_by_kind(data).values(), ZERO)


def net_position(data) -> Decimal:
    """Funding less credit exposure (the facilities' outstanding on the as-of date)."""
    return funding_total(data) - data.total_outstanding


def funding_facts(data) -> list[Fact]:
    """The Summary's funding facts: the listing's date, DPK by kind and in total, net position."""
    by_kind = funding_by_kind(data)
    return [
        Fact(_("Deposits listing of"), data.deposits_as_of, DATE),
        Fact(_("Deposit accounts"), len(data.deposits), INT),
        *(Fact(_("DPK %(kind)s", kind=label(kind)), by_kind[kind], MONEY) for kind in KINDS),
        Fact(_("Total funding (DPK)"), funding_total(data), MONEY),
        Fact(_("Net position (funding less outstanding)"), net_position(data), MONEY),
    ]


def deposit_rows(data) -> list[tuple]:
    """The deposits sheet's rows, giro, tabungan then deposito, each by account number."""
    return [
        (
            line.account_no,
            f"{line.product.code} – {line.product.name}",
            label(line.deposit_type),
            line.balance,
            line.average_balance,
            line.interest_rate,
            line.open_date,
            line.maturity_date,
            line.tenor_months,
            line.aro,
            words(line.status),
        )
        for line in data.deposits
    ]


def deposits_title(data) -> str:
    """`Deposit accounts (deposits listing of 31 Oct 2026)`."""
    if data.deposits_as_of is None:
        return _("Deposit accounts")
    return _("Deposit accounts (deposits listing of %(day)s)", day=day_text(data.deposits_as_of))


def empty_message(data) -> str:
    if data.deposits_as_of is None:
        return _("No deposits listing has been imported by the end of this period.")
    return _(
        "No open deposit account on the deposits listing of %(day)s.",
        day=day_text(data.deposits_as_of),
    )
