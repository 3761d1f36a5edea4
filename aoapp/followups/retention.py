"""Suggested retention follow-ups: keeping a depositor's funds, as collection follow-ups are
suggested for arrears (followups/suggestions.py).

Two signs that funds may leave the bank each suggest a call about one deposit account, owned by
the customer's current officer (the one who sees the customer and works the agenda):

    a non-ARO deposito maturing within RETENTION_MATURITY_DAYS (7)      key mat:<maturity date>
        planned for the first working day from today (a deposito maturing on a holiday is paid
        out on the working day after it);
    a large withdrawal between two month-end deposit listings            key wd:<listing date>
        the balance fell by more than RETENTION_WITHDRAWAL_AMOUNT, or by more than
        RETENTION_WITHDRAWAL_SHARE of the earlier balance when at least
        RETENTION_WITHDRAWAL_FLOOR (an account closed since counts as a balance of 0);
        planned the next working day.

The newest deposits listing is compared with the last listing of the month before its month (a
back-filled listing suggests no withdrawals); maturities are read from the accounts as the newest
listing describes them, against today, so the daily `flask followups suggest` finds the depositos
entering the window between month-end listings. The key is unique per deposit account: re-running
an import or the command never suggests twice, even after the officer cancelled the first. An
account with a retention follow-up still planned gets no second one.

The candidates come from the deposit tables alone (the falls between two dates' positions, the
maturing accounts: a few in a thousand); their follow-ups and officers are then read by account
id, so the plan does not hang on the statistics of tables an import has just filled. As for
collection suggestions, the system writes them in bulk without an audit entry per row; the import
record (its summary) counts them.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common import latest
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.system_text import params_of
from aoapp.common.transaction import unit_of_work
from aoapp.common.workdays import add_working_days, is_working_day
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import texts
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus, Purpose, SuggestionRule
from aoapp.funding.models import DepositAccount, DepositPosition, DepositStatus
from aoapp.imports.kinds import after_import
from aoapp.products.models import DepositType

log = logging.getLogger(__name__)
follow_ups = FollowUp.__table__
WITHDRAWAL_WORKING_DAYS = 1
CHUNK = 1000  # account ids per IN (...)
# A deposito whose funds can leave at maturity (a blocked one is pledged; a closed one is gone).
OPEN_STATUSES = (DepositStatus.ACTIVE.value, DepositStatus.DORMANT.value)


def _setting(name: str):
    return current_app.config[name]


def latest_deposit_date() -> date | None:
    """The newest as-of date of any deposit position."""
    return latest.newest(latest.DEPOSITS)


def previous_month_end(as_of: date) -> date | None:
    """The last deposits listing dated before the month of `as_of` (its month end, usually)."""
    return latest.newest(latest.DEPOSITS, as_of.replace(day=1) - timedelta(days=1))


def first_working_day(today: date) -> date:
    """Today when it is a working day, else the next one."""
    return today if is_working_day(today) else add_working_days(today, 1)


def _chunks(ids) -> list[list[int]]:
    """Ids in slices an IN (...) takes on every database."""
    ids = sorted(ids)
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _taken(account_ids) -> tuple[set[tuple[int, str]], set[int]]:
    """The suggestion keys the accounts' follow-ups carry, and the accounts with a retention call
    still planned (read by account id: the follow-ups' index on it, whatever the statistics)."""
    keys, planned = set(), set()
    for chunk in _chunks(account_ids):
        stmt = sa.select(
            FollowUp.deposit_account_id, FollowUp.suggestion_key, FollowUp.purpose, FollowUp.status
        ).where(FollowUp.deposit_account_id.in_(chunk))
        for account_id, key, purpose, status in db.session.execute(stmt):
            keys.add((account_id, key))
            if purpose == Purpose.RETENTION and status == FollowUpStatus.PLANNED:
                planned.add(account_id)
    return keys, planned


def _owners(account_ids) -> dict[int, tuple]:
    """Each account's (customer, account number, the customer's current officer when active)."""
    officer = aliased(User)
    found = {}
    for chunk in _chunks(account_ids):
        stmt = (
            sa.select(
                DepositAccount.id, DepositAccount.customer_id, DepositAccount.account_no, officer.id
            )
            .join(Customer, Customer.id == DepositAccount.customer_id)
            .outerjoin(
                officer, sa.and_(officer.id == Customer.officer_id, officer.active == sa.true())
            )
            .where(DepositAccount.id.in_(chunk))
        )
        found |= {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}
    return found


def _suggest_calls(rule: SuggestionRule, planned: date, wanted: dict) -> tuple[int, int]:
    """A call per account of `wanted` (id → its key, note code and parameters but the account
    number) without that key or a retention call planned; (created, skipped: no officer)."""
    keys, busy = _taken(wanted)
    wanted = {i: w for i, w in wanted.items() if (i, w[0]) not in keys and i not in busy}
    owners, now = _owners(wanted), utcnow()
    rows, skipped = [], 0
    for account_id, (key, code, params) in wanted.items():
        customer_id, account_no, owner_id = owners[account_id]
        if owner_id is None:
            skipped += 1
            continue
        values = {
            "customer_id": customer_id,
            "deposit_account_id": account_id,
            "owner_id": owner_id,
            "note_code": code,
            "note_params": params_of(account=account_no, **params),
        }
        rows.append(_row(rule, key, planned, now, **values))
    if rows:
        db.session.execute(sa.insert(follow_ups), rows)
    return len(rows), skipped


def _row(rule: SuggestionRule, key: str, planned: date, now, **values) -> dict:
    """A suggested retention call, its other columns in `values`."""
    return {
        "channel": Channel.CALL.value,
        "purpose": Purpose.RETENTION.value,
        "planned_date": planned,
        "status": FollowUpStatus.PLANNED.value,
        "notes": "",
        "suggestion": rule.value,
        "suggestion_key": key,
        "escalated": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **values,
    }


def _maturing(today: date) -> tuple[int, int]:
    """Suggest a call for each non-ARO deposito maturing within the window; (created, skipped)."""
    last = today + timedelta(days=int(_setting("RETENTION_MATURITY_DAYS")))
    balance = (
        sa.select(DepositPosition.balance)
        .where(DepositPosition.account_id == DepositAccount.id)
        .order_by(DepositPosition.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = sa.select(DepositAccount.id, DepositAccount.maturity_date, balance).where(
        DepositAccount.deposit_type == DepositType.DEPOSITO,
        sa.func.coalesce(DepositAccount.aro, sa.false()) == sa.false(),
        DepositAccount.status.in_(OPEN_STATUSES),
        DepositAccount.maturity_date.between(today, last),
    )
    wanted = {
        account_id: (
            f"mat:{day.isoformat()}",
            texts.DEPOSIT_MATURING,
            {"amount": amount, "day": day},
        )
        for account_id, day, amount in db.session.execute(stmt)
    }
    return _suggest_calls(SuggestionRule.DEPOSIT_MATURING, first_working_day(today), wanted)


def _falls(as_of: date, previous: date) -> sa.Select:
    """(account, balance before, after) of the balances that fell a lot from `previous` to
    `as_of`: listed on `as_of`, or closed by then (a full listing left it out: 0)."""
    earlier, listed = aliased(DepositPosition), aliased(DepositPosition)
    before, after = earlier.balance, sa.func.coalesce(listed.balance, 0)
    fall = before - after
    share = Decimal(str(_setting("RETENTION_WITHDRAWAL_SHARE")))
    large = sa.or_(
        fall > Decimal(str(_setting("RETENTION_WITHDRAWAL_AMOUNT"))),
        sa.and_(
            fall >= Decimal(str(_setting("RETENTION_WITHDRAWAL_FLOOR"))), fall > before * share
        ),
    )
    return (
        sa.select(earlier.account_id, before, after)
        .join(DepositAccount, DepositAccount.id == earlier.account_id)
        .outerjoin(listed, sa.and_(listed.account_id == earlier.account_id, listed.as_of == as_of))
        .where(
            earlier.as_of == previous,
            large,
            sa.or_(listed.id.is_not(None), DepositAccount.closed_on <= as_of),
        )
    )


def _withdrawals(as_of: date, previous: date, today: date) -> tuple[int, int]:
    """Suggest a call for each large withdrawal; (created, skipped)."""
    key = f"wd:{as_of.isoformat()}"
    wanted = {
        account_id: (
            key,
            texts.LARGE_WITHDRAWAL,
            {"before": was, "after": now, "start": previous, "end": as_of},
        )
        for account_id, was, now in db.session.execute(_falls(as_of, previous))
    }
    planned = add_working_days(today, WITHDRAWAL_WORKING_DAYS)
    return _suggest_calls(SuggestionRule.LARGE_WITHDRAWAL, planned, wanted)


def suggest_retention(as_of: date | None = None, *, today: date | None = None) -> dict:
    """Suggest retention calls: maturing non-ARO depositos, and the large withdrawals of the
    deposits listing of `as_of` (default: the newest) when it is the newest (commits)."""
    today = today or bank_today()
    with unit_of_work():
        latest = latest_deposit_date()
        as_of = as_of or latest
        counts = {"as_of": as_of and as_of.isoformat(), "latest": bool(as_of and as_of == latest)}
        maturing, skipped = _maturing(today)
        withdrawals, skipped_withdrawals = 0, 0
        previous = previous_month_end(as_of) if counts["latest"] else None
        if previous is not None:
            withdrawals, skipped_withdrawals = _withdrawals(as_of, previous, today)
        counts |= {
            "compared_with": previous and previous.isoformat(),
            "maturing": maturing,
            "withdrawals": withdrawals,
            "skipped_no_officer": skipped + skipped_withdrawals,
            "created": maturing + withdrawals,
        }
    log.info("suggested retention follow-ups: %s", counts)
    return counts


@after_import(
    "deposits",
    key="retention",
    failed=_l("Suggested retention follow-ups could not be created: %(reason)s"),
)
def suggest_after_deposit_listing(record) -> dict:
    """After each deposits listing: suggest retention calls (see suggest_retention)."""
    return suggest_retention(record.as_of)
