"""Customers a listing must not move to another officer (a hook for the features above imports).

Core banking is the master of the officer code on a listing, so a listing names each customer's
officer and branch. A feature that has moved customers on its own and waits for core banking to
follow (a portfolio handover, pending its core update) registers a select of their ids here;
the listing then keeps those customers' officer and branch (their names still update), and the
feature compares the listing with what it expects after the import.
"""

_HELD: dict[str, str] = {}


def held_customers(key: str, select_ids: str) -> None:
    """Register `select_ids`, SQL selecting the ids of customers no listing may reassign
    (one column, `customer_id`); a second registration under `key` replaces the first."""
    _HELD[key] = select_ids


def held_sql() -> str | None:
    """One select of every held customer id (None when no feature holds any)."""
    if not _HELD:
        return None
    # Constants the features register, no input.
    selects = (
        f"SELECT customer_id FROM ({sql}) held_{i}"  # noqa: S608
        for i, sql in enumerate(_HELD.values())
    )
    return " UNION ".join(selects)
