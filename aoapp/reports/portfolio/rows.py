"""The portfolio workbook's long tables, streamed from the database: facilities, watchlist,
delinquent facilities.

Each is one set-based query (joins and correlated subqueries, no per-row lookups) read through a
server-side cursor on PostgreSQL (`yield_per`), so a bank-wide sheet of 1,000,000 rows never sits
in memory. Each function returns a generator of rows. Without `prefetch` nothing runs until the
writer pulls the first row; with it (the workbook's choice) the query starts at once on its own
connection in a background thread (reports/portfolio/prefetch.py), a few batches ahead of the
writer.
"""

from collections import namedtuple
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from aoapp.auth.models import Branch, User
from aoapp.common.background import can_share_work
from aoapp.common.dates import local_day_bounds
from aoapp.common.replica import read_engine
from aoapp.credit.collectibility import load_bands
from aoapp.credit.figures import PortfolioScope, scope_next_as_of
from aoapp.credit.models import Facility, KolRule, Position
from aoapp.credit.signals import SIGNALS, SignalContext
from aoapp.credit.watchlist import flagged, listing_order, signal_details
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import conditions as followup_conditions
from aoapp.followups.models import (
    Channel,
    FollowUp,
    PromiseState,
    PromiseToPay,
    Purpose,
)
from aoapp.followups.promises import as_of_state_column, made_by
from aoapp.products.models import Product
from aoapp.reports.commentary import tr
from aoapp.reports.labels import officer_label
from aoapp.reports.portfolio.prefetch import Prefetched, partitions

BATCH = 5000  # rows per fetch from the server-side cursor
KOL_RULE_LABELS = {
    KolRule.DPD.value: _l("DPD"),
    KolRule.FILE.value: _l("File Kol"),
    KolRule.RESTRUCTURE_HOLD.value: _l("Restructure hold"),
    KolRule.ONE_OBLIGOR.value: _l("One obligor"),
}
CHANNEL_LABELS = {
    c.value: {"sms": "SMS", "whatsapp": "WhatsApp"}.get(c.value, c.value.title()) for c in Channel
}
PURPOSE_LABELS = {p.value: p.value.replace("_", " ").capitalize() for p in Purpose}
STATE_LABELS = {s.value: s.value.capitalize() for s in PromiseState}


def batches(stmt: sa.Select, batch: int = BATCH, plain: bool = False) -> Iterator[list]:
    """The rows of `stmt` in lists of `batch` (prefetch.partitions) on the session's connection
    (its transaction), run when the first batch is asked for. A Core statement: for plain
    columns the ORM layer adds a third to the cost of a million rows and nothing else."""
    yield from partitions(db.session.connection(), stmt, batch, plain)


def source(stmt: sa.Select, prefetch: bool, plain: bool = False) -> Iterable[list]:
    """The batches of `stmt`: fetched ahead by a background thread on its own connection
    (reports/portfolio/prefetch.py; the query starts now), or lazily on the session's connection.
    `plain`: the driver's tuples where it can (prefetch.partitions), for rows that go to the
    writer as they are."""
    if prefetch and can_share_work():  # not one connection for all (in-memory SQLite)
        # the replica when the session reads there
        return Prefetched(read_engine(), stmt, BATCH, plain)
    return batches(stmt, plain=plain)


def rows_of(batches_: Iterable[list[sa.Row]]) -> Iterator[sa.Row]:
    """The rows of a source of batches, one by one."""
    for rows in batches_:
        yield from rows


def _labelled(column, labels: dict[str, str]) -> sa.ColumnElement[str]:
    """A code column in words (in the current language), computed by the database so streamed
    rows need no Python pass."""
    return sa.case({code: tr(text) for code, text in labels.items()}, value=column, else_=column)


def _number(column) -> sa.ColumnElement[float]:
    """An amount as the double an Excel cell holds, converted by the database driver in C (a
    million Decimals converted in Python cost seconds); money stays Decimal everywhere else."""
    return sa.cast(column, sa.Float)


def facilities_query(scope: PortfolioScope, as_of: date) -> sa.Select:
    """Every facility with its position on `as_of` in scope, in the Facilities sheet's columns.

    Cells come out as the writer writes them (amounts as floats, restructured in words), so the
    sheet is marked `cells_typed` and a million rows skip a conversion pass in Python.
    """
    return (
        sa.select(
            Facility.account_no,
            Customer.cif,
            Customer.name,
            Branch.code,
            officer_label(User).label("officer"),
            Product.code,
            _number(Facility.plafond),
            _number(Position.outstanding),
            _number(Facility.interest_rate),
            Facility.start_date,
            Facility.maturity_date,
            Position.dpd,
            Position.facility_kol,
            Position.debtor_kol,
            _labelled(Position.kol_rule, KOL_RULE_LABELS),
            sa.case((Facility.restructured, _("Yes")), else_=_("No")),
        )
        .select_from(Position)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .join(Product, Product.id == Facility.product_id)
        .outerjoin(Branch, Branch.id == Position.branch_id)
        .outerjoin(User, User.id == Position.officer_id)
        .where(scope.condition, Position.as_of == as_of)
        # The order the listing was stored in: sorting a million rows (by account, say) costs
        # the database seconds before the first row is sent; Excel's filter sorts if needed.
        .order_by(Position.id)
    )


def facility_rows(scope: PortfolioScope, as_of: date, prefetch: bool = False) -> Iterator[sa.Row]:
    """The Facilities sheet's rows, streamed."""
    return rows_of(source(facilities_query(scope, as_of), prefetch, plain=True))


def delinquent_query(scope: PortfolioScope, as_of: date, judged_on: date) -> sa.Select:
    """Positions with DPD > 0, their next planned follow-up and latest promise to pay, in the
    Delinquent sheet's cells (amounts as floats, codes in words: `cells_typed`).

    Next follow-up: the earliest still planned at the end of `judged_on` (recorded by then, done
    or dropped only later) with the customer, about this facility or the customer in general. Latest promise: the facility's promise made last by `judged_on` (as the
    broken-promise signal reads it), its state as of that day (the period's judging day).
    """
    _start, day_end = local_day_bounds(judged_on, judged_on)
    next_followup = (
        sa.select(FollowUp.id)
        .where(
            FollowUp.customer_id == Position.customer_id,
            FollowUp.created_at < day_end,
            followup_conditions.planned_at(day_end),
            sa.or_(FollowUp.facility_id.is_(None), FollowUp.facility_id == Position.facility_id),
        )
        .order_by(FollowUp.planned_date, FollowUp.id)
        .limit(1)
        .scalar_subquery()
    )
    latest_promise = (
        sa.select(PromiseToPay.id)
        .where(
            PromiseToPay.facility_id == Position.facility_id,
            made_by(judged_on),
        )
        .order_by(PromiseToPay.promised_on.desc(), PromiseToPay.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    base = (
        sa.select(
            Position.id.label("position_id"),
            next_followup.label("followup_id"),
            latest_promise.label("promise_id"),
        )
        .where(scope.condition, Position.as_of == as_of, Position.dpd > 0)
        .subquery("delinquent")
    )
    followup, promise = aliased(FollowUp), aliased(PromiseToPay)
    state = sa.case(
        (promise.id.is_(None), sa.null()),
        else_=_labelled(as_of_state_column(judged_on, promise), STATE_LABELS),
    )
    return (
        sa.select(
            Facility.account_no,
            Customer.cif,
            Customer.name,
            officer_label(User).label("officer"),
            Product.code,
            _number(Position.outstanding),
            _number(Position.arrears_principal + Position.arrears_interest),
            Position.dpd,
            Position.debtor_kol,
            followup.planned_date,
            _labelled(followup.channel, CHANNEL_LABELS),
            _labelled(followup.purpose, PURPOSE_LABELS),
            promise.promised_on,
            promise.promised_date,
            _number(promise.promised_amount),
            state,
        )
        .select_from(base)
        .join(Position, Position.id == base.c.position_id)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .join(Product, Product.id == Facility.product_id)
        .outerjoin(User, User.id == Position.officer_id)
        .outerjoin(followup, followup.id == base.c.followup_id)
        .outerjoin(promise, promise.id == base.c.promise_id)
        .order_by(Position.dpd.desc(), Position.outstanding.desc(), Facility.account_no)
    )


def delinquent_rows(
    scope: PortfolioScope, as_of: date, judged_on: date, prefetch: bool = False
) -> Iterator[sa.Row]:
    """The Delinquent sheet's rows, streamed."""
    return rows_of(source(delinquent_query(scope, as_of, judged_on), prefetch, plain=True))


# The position and facility attributes the signals' reasons read (credit/signals.py). Reading
# these columns instead of ORM objects keeps 100,000 signals cheap; a test calls every reason
# with exactly these attributes, so a reason that starts reading another one fails there.
REASON_POSITION_FIELDS = ("as_of", "dpd", "prev_dpd", "debtor_kol", "prev_kol", "outstanding")
REASON_FACILITY_FIELDS = ("account_no", "start_date", "maturity_date")
_FIRST_FIELD = 7  # signal, date, detail id, CIF, customer, officer, position id come first


def watchlist_query(scope: PortfolioScope, as_of: date, judged_on: date) -> sa.Select:
    """The watchlist's signals (credit/watchlist.py's `flagged`) judged as of `judged_on` (the
    period's judging day) in its order — each account's signals together, accounts by severity
    then exposure — with the columns of the position and facility their reasons read."""
    ctx = SignalContext(scope, as_of, scope_next_as_of(scope, as_of), judged_on)
    flags = flagged(ctx)
    return (
        sa.select(
            flags.c.signal,
            flags.c.signal_date,
            flags.c.detail_id,
            Customer.cif,
            Customer.name,
            officer_label(User).label("officer"),
            Position.id.label("position_id"),
            *(getattr(Position, f).label(f"p_{f}") for f in REASON_POSITION_FIELDS),
            *(getattr(Facility, f).label(f"f_{f}") for f in REASON_FACILITY_FIELDS),
        )
        .select_from(flags)
        .join(Position, Position.id == flags.c.position_id)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .outerjoin(User, User.id == Position.officer_id)
        # The order of credit/watchlist.py's listing, so the sheet reads like the page and API.
        .order_by(*listing_order(flags))
    )


# What a reason reads, as named tuples: the attributes of the ORM objects, built in C.
ReasonPosition = namedtuple("ReasonPosition", REASON_POSITION_FIELDS)
ReasonFacility = namedtuple("ReasonFacility", REASON_FACILITY_FIELDS)
_SPLIT = _FIRST_FIELD + len(REASON_POSITION_FIELDS)


def reason_subjects(values) -> tuple[ReasonPosition, ReasonFacility]:
    """The (position, facility) a reason reads, from a watchlist row's columns."""
    return ReasonPosition._make(values[_FIRST_FIELD:_SPLIT]), ReasonFacility._make(values[_SPLIT:])


def watchlist_rows(
    scope: PortfolioScope, as_of: date, judged_on: date, prefetch: bool = False
) -> Iterator[tuple]:
    """The Watchlist sheet's rows, streamed, one per account: account, CIF, customer, officer,
    debtor Kol, outstanding, DPD, signals, reasons, newest signal's date, as the sheet's cells
    (`cells_typed`: the outstanding a float). Reasons come from the signals' own `reason`
    functions."""
    signals = _signals(source(watchlist_query(scope, as_of, judged_on), prefetch), load_bands())
    for _position_id, group in groupby(signals, key=itemgetter(0)):
        yield _account_row(list(group))


def _signals(batches_: Iterable[list[sa.Row]], bands) -> Iterator[tuple]:
    """(position id, row, signal label, reason, position, facility) of every signal, in the
    query's order."""
    labels = {key: tr(signal.label) for key, signal in SIGNALS.items()}  # once, not per row
    for rows in batches_:
        details = signal_details(rows)
        for row in rows:
            position, facility = reason_subjects(row)
            signal = SIGNALS[row.signal]
            detail = None
            if signal.detail is not None:
                detail = details.get((signal.detail.__name__, row.detail_id))
            # Already in the current language: the reasons are written with gettext.
            reason = signal.reason(position, facility, detail, bands)
            yield row.position_id, row, labels[row.signal], reason, position, facility


def _account_row(signals: list[tuple]) -> tuple:
    """One account's row from its signals (consecutive in the query's order)."""
    _id, first, names, reasons, position, facility = signals[0]
    newest = first.signal_date
    if len(signals) > 1:  # most accounts have one signal: no joins to make
        names = ", ".join(signal[2] for signal in signals)
        reasons = " ".join(signal[3] for signal in signals)
        newest = max(signal[1].signal_date for signal in signals)
    outstanding = position.outstanding
    return (
        facility.account_no,
        first.cif,
        first.name,
        first.officer,
        position.debtor_kol,
        None if outstanding is None else float(outstanding),
        position.dpd,
        names,
        reasons,
        newest,
    )
