"""Hand customers over from one officer to another, in one unit of work: the customers with
their open work (customers.services.move_customers, audited per record), the summary record,
one row per customer pending core banking's update, and the change file for core banking.

Two handovers of the same customers at once: each holds the lock of the officer handing over,
so the second reads after the first committed and finds the customers gone (a Conflict, nothing
moved twice). A customer or follow-up someone saves meanwhile fails the optimistic lock of one of
the two (a Conflict); nothing is half moved.
"""

from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common import serial
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.pagination import Page, paginate
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.customers.models import Customer
from aoapp.customers.services import can_reassign, move_customers
from aoapp.errors import Conflict, Forbidden, NotFound
from aoapp.extensions import db
from aoapp.handovers import change_file, selection
from aoapp.handovers.models import CoreStatus, Handover, HandoverCustomer
from aoapp.reports.storage import remove

LOCK_SECONDS = 30
STALE = _l(
    "A customer or a record of their open work was changed by someone else meanwhile, so nothing "
    "was handed over. Check and try again."
)
TAKEN = _l("These customers were just handed over by someone else: nothing was moved twice.")
BUSY = _l("Another handover of this officer's customers is still running. Try again shortly.")


def preview(actor, data: dict) -> tuple[selection.Selection, selection.OpenWork]:
    """The request checked, and what it would move now (the confirm page)."""
    picked = selection.check(actor, data)
    return picked, selection.open_work(picked.customer_ids, bank_today())


def hand_over(actor, data: dict) -> Handover:
    """Hand the customers over (supervisor of both officers' branches, or admin), audited;
    returns the handover with its change file written."""
    picked = selection.check(actor, data)
    source, target = picked.from_officer, picked.to_officer
    ids = picked.customer_ids
    values = {
        "from_officer_id": source.id,
        "to_officer_id": target.id,
        "from_branch_id": source.branch_id,
        "to_branch_id": target.branch_id,
        "by_id": actor.id,
        "note": picked.note,
    }
    codes = (source.officer_code or "", target.officer_code)
    end_reads()  # the lock below begins the write (SQLite)
    written: list[str] = []
    try:
        with unit_of_work(stale=str(STALE), stale_field=None, duplicate=str(TAKEN)):
            _hold(source.id)
            customers = _still_held(ids, source.id, picked.everyone)
            moved = [c.id for c in customers]
            today = bank_today()
            work = selection.open_work(moved, today)
            handover = Handover(
                **values,
                at=utcnow(),
                handed_on=today,
                customer_count=len(moved),
                followup_count=work.followups,
                complaint_count=work.complaints,
                plan_count=work.plans,
                renewal_count=work.renewals,
            )
            db.session.add(handover)
            _supersede(moved)
            db.session.flush()
            if not all(can_reassign(actor, customer) for customer in customers):
                # the scope check() applied, once more, on the rows locked
                raise Forbidden(_("You may not hand over customers of this branch."))
            move_customers(actor, customers, target, "handover")
            db.session.execute(
                sa.insert(HandoverCustomer),
                [
                    {
                        "handover_id": handover.id,
                        "customer_id": customer_id,
                        "old_officer_id": source.id,
                        "new_officer_id": target.id,
                        "core_status": CoreStatus.PENDING.value,
                        "version": 1,
                        "updated_at": utcnow(),
                    }
                    for customer_id in moved
                ],
            )
            rows = change_file.accounts(moved)
            stored = change_file.write(handover.id, rows, *codes)
            written.append(stored.path)
            handover.account_count = len(rows)
            handover.change_file, handover.change_file_sha256 = stored.path, stored.sha256
            audit.record(actor, handover, "create", None, audit.snapshot(handover))
    except BaseException:
        for path in written:
            remove(path)  # the handover did not happen: neither did its change file
        raise
    return handover


def _hold(officer_id: int) -> None:
    """Begin the transaction holding the lock of handovers from this officer (waits for one)."""
    try:
        serial.hold(db.session.connection(), f"handover:{officer_id}", LOCK_SECONDS)
    except serial.LockBusy:
        raise Conflict(str(BUSY)) from None


def _still_held(ids: list[int], officer_id: int, everyone: bool) -> list[Customer]:
    """The picked customers the officer still holds, locked; all of them, or a Conflict (a
    handover that ran meanwhile took some). "All customers" takes whatever is still there."""
    stmt = (
        sa.select(Customer)
        .where(Customer.id.in_(ids), Customer.officer_id == officer_id)
        .order_by(Customer.id)
        .with_for_update()
    )
    customers = list(db.session.scalars(stmt))
    if not customers or (not everyone and len(customers) != len(ids)):
        raise Conflict(str(TAKEN))
    return customers


def _supersede(customer_ids: list[int]) -> None:
    """Open rows of earlier handovers of these customers end: this handover is the one core
    banking must now follow."""
    db.session.execute(
        sa.update(HandoverCustomer)
        .where(
            HandoverCustomer.customer_id.in_(customer_ids),
            HandoverCustomer.core_status.in_([CoreStatus.PENDING, CoreStatus.CONFLICT]),
        )
        .values(
            core_status=CoreStatus.SUPERSEDED,
            version=HandoverCustomer.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


def get_handover(actor, handover_id) -> Handover:
    """A handover the user may see (a supervisor of either officer's branch, an admin)."""
    return get_visible(actor, Handover, handover_id)


def list_handovers(actor, page: int, per_page: int) -> Page:
    """The handovers the user may see, newest first."""
    stmt = visible_to(actor, sa.select(Handover)).order_by(Handover.at.desc(), Handover.id.desc())
    return paginate(stmt, page, per_page)


def open_counts(handovers: list[Handover]) -> dict[int, int]:
    """How many customers of each handover still wait for core banking (pending or conflict)."""
    ids = [h.id for h in handovers]
    if not ids:
        return {}
    stmt = (
        sa.select(HandoverCustomer.handover_id, sa.func.count())
        .where(
            HandoverCustomer.handover_id.in_(ids),
            HandoverCustomer.core_status.in_([CoreStatus.PENDING, CoreStatus.CONFLICT]),
        )
        .group_by(HandoverCustomer.handover_id)
    )
    return dict(db.session.execute(stmt).all())


class HandoverDetail:
    """A handover and its customers' rows (`rows`); other attributes are the handover's."""

    def __init__(self, handover: Handover, rows: list[HandoverCustomer]):
        self.handover = handover
        self.rows = rows

    def __getattr__(self, name: str):
        return getattr(self.handover, name)


def get_detail(actor, handover_id) -> HandoverDetail:
    """A handover the user may see, with its customers."""
    handover = get_handover(actor, handover_id)
    return HandoverDetail(handover, customer_rows(handover))


def customer_rows(handover: Handover) -> list[HandoverCustomer]:
    """The handover's customers, by name."""
    stmt = (
        sa.select(HandoverCustomer)
        .join(Customer, Customer.id == HandoverCustomer.customer_id)
        .where(HandoverCustomer.handover_id == handover.id)
        .order_by(Customer.name, Customer.id)
    )
    return list(db.session.scalars(stmt))


def change_file_of(actor, handover_id) -> tuple[Handover, Path]:
    """The handover and its change file on disk, for those who may see it (the download
    audited); else NotFound."""
    handover = get_handover(actor, handover_id)
    path = change_file.stored(handover.change_file)
    if path is None:
        raise NotFound(_("The change file of this handover is not on the server."))
    with unit_of_work():
        audit.record(actor, handover, "download", None, {"change_file": handover.change_file})
    return handover, path
