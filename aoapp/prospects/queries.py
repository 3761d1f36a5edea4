"""The prospects list: scoped, filtered and sorted, behind the page, the API and the CSV export."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from aoapp.auth.models import User
from aoapp.auth.scoping import visible_to
from aoapp.common.dates import bank_today, local_day_bounds, week_end
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.extensions import db
from aoapp.prospects.hooks import next_contact_column
from aoapp.prospects.models import CLOSED_STATUSES, Prospect

SORTABLE = {
    "created_at": Prospect.created_at,
    "name": Prospect.name,
    "status": Prospect.status,
    "source": Prospect.source,
    # next_follow_up_date: the earliest planned follow-up's day (added by sortable_columns())
    "estimated_credit_need": Prospect.estimated_credit_need,
}


def filtered_query(actor, filters: dict) -> sa.Select:
    """The scoped, filtered and sorted select behind the list page, the API and the CSV export."""
    stmt = visible_to(actor, sa.select(Prospect)).options(
        selectinload(Prospect.owner).selectinload(User.branch),
        selectinload(Prospect.product_interest),
        selectinload(Prospect.referrer_customer),
        selectinload(Prospect.customer),
        selectinload(Prospect.campaign),
    )
    if filters.get("status"):
        stmt = stmt.where(Prospect.status == filters["status"])
    if filters.get("source"):
        stmt = stmt.where(Prospect.source == filters["source"])
    if filters.get("owner"):
        stmt = stmt.where(Prospect.owner_id == filters["owner"])
    if filters.get("campaign"):
        stmt = stmt.where(Prospect.campaign_id == filters["campaign"])
    stmt = _collected_between(stmt, filters.get("created_from"), filters.get("created_to"))
    due = filters.get("follow_up")
    if due:
        today, next_contact = bank_today(), next_contact_column()
        stmt = stmt.where(Prospect.status.not_in(CLOSED_STATUSES))
        if due == "overdue":
            stmt = stmt.where(next_contact < today)
        elif due == "today":
            stmt = stmt.where(next_contact == today)
        elif due == "this_week":
            stmt = stmt.where(next_contact.between(today, week_end(today)))
    text = (filters.get("q") or "").strip()
    if text:
        like = f"%{_escape_like(text.lower())}%"
        conditions = [sa.func.lower(Prospect.name).like(like, escape="\\")]
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 4:
            # Stored as 62812…: 0812… loses its 0, +62812… and 62812… match as they are.
            conditions.append(Prospect.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(sa.or_(*conditions))
    return apply_sort(stmt, filters.get("sort"), sortable_columns(), "-created_at", Prospect.id)


def sortable_columns() -> dict:
    """The list's sort keys and their columns, the next contact (from follow-ups) included."""
    return {**SORTABLE, "next_follow_up_date": next_contact_column()}


def _collected_between(stmt: sa.Select, first, last) -> sa.Select:
    """Prospects collected from day `first` to day `last` (either optional), in the bank's zone."""
    if first is not None:
        stmt = stmt.where(Prospect.created_at >= local_day_bounds(first, first)[0])
    if last is not None:
        stmt = stmt.where(Prospect.created_at < local_day_bounds(last, last)[1])
    return stmt


def _escape_like(text: str) -> str:
    """Make % and _ typed by the user match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_prospects(actor, filters: dict, per_page: int) -> Page:
    """One page of the prospects the user may see, filtered and sorted."""
    return paginate(filtered_query(actor, filters), filters.get("page", 1), per_page)


def export_prospects(actor, filters: dict) -> list[Prospect]:
    """Every prospect of the filtered list (all pages), for the CSV export."""
    return list(db.session.scalars(filtered_query(actor, filters)))
