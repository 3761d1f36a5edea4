"""What a deposits import says when it is done: the command line's lines, the counts its page
shows and the one line the list of imports gives it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.common.templating import label


def describe(record) -> list[str]:
    """What the command line prints after a deposits listing loaded: counts, balances by kind."""
    summary = record.summary or {}
    lines = [
        _(
            "Imported %(rows)s rows for %(day)s in %(seconds)s s: customers created "
            "%(customers_created)s, updated %(customers_updated)s; deposit accounts created "
            "%(accounts_created)s, updated %(accounts_updated)s, closed %(closed)s.",
            rows=record.rows,
            day=record.as_of.isoformat(),
            seconds=summary.get("seconds"),
            customers_created=summary.get("customers_created"),
            customers_updated=summary.get("customers_updated"),
            accounts_created=summary.get("accounts_created"),
            accounts_updated=summary.get("accounts_updated"),
            closed=summary.get("accounts_closed", 0),
        )
    ]
    balances = [
        _(
            "%(kind)s %(count)s accounts, %(balance)s",
            kind=label(kind),
            count=values["count"],
            balance=values["balance"],
        )
        for kind, values in (summary.get("by_type") or {}).items()
    ]
    if balances:
        lines.append(
            _(
                "Balances on %(day)s: %(balances)s",
                day=record.as_of.isoformat(),
                balances=", ".join(balances),
            )
        )
    retention = summary.get("retention")
    if retention:
        lines.append(
            _(
                "Suggested retention calls: %(maturing)s for non-ARO depositos maturing soon, "
                "%(withdrawals)s for large withdrawals; %(skipped)s skipped (no active officer).",
                maturing=retention["maturing"],
                withdrawals=retention["withdrawals"],
                skipped=retention["skipped_no_officer"],
            )
        )
    return lines


COUNTS = (
    ("customers_created", _l("Customers created")),
    ("customers_updated", _l("Customers updated")),
    ("accounts_created", _l("Deposit accounts created")),
    ("accounts_updated", _l("Deposit accounts updated")),
    ("accounts_closed", _l("Deposit accounts closed")),
)


def brief(record) -> str:
    """A deposits listing's counts in one line, for the list of imports."""
    s = record.summary or {}
    return _(
        "customers +%(created)s / %(updated)s upd · deposit accounts +%(opened)s / %(changed)s "
        "upd / %(closed)s closed",
        created=s.get("customers_created") or 0,
        updated=s.get("customers_updated") or 0,
        opened=s.get("accounts_created") or 0,
        changed=s.get("accounts_updated") or 0,
        closed=s.get("accounts_closed") or 0,
    )
