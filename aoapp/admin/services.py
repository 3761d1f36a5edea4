"""Read queries of the admin pages; changes go through aoapp.auth.services."""

import sqlalchemy as sa

from aoapp.auth.models import Branch, User, supervised_branches
from aoapp.auth.scoping import visible_to
from aoapp.common.pagination import HTML_PER_PAGE, Page, paginate
from aoapp.extensions import db


def list_users(actor, filters: dict, per_page: int = HTML_PER_PAGE) -> Page:
    """One page of users, filtered by role, branch (member or supervised), status and name."""
    stmt = visible_to(actor, sa.select(User))
    if filters.get("role"):
        stmt = stmt.where(User.role == filters["role"])
    if filters.get("branch"):
        supervising = sa.select(supervised_branches.c.user_id).where(
            supervised_branches.c.branch_id == filters["branch"]
        )
        stmt = stmt.where(sa.or_(User.branch_id == filters["branch"], User.id.in_(supervising)))
    if filters.get("status") == "active":
        stmt = stmt.where(User.active.is_(True))
    elif filters.get("status") == "inactive":
        stmt = stmt.where(User.active.is_(False))
    text = (filters.get("q") or "").strip().lower()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.username).like(like), sa.func.lower(User.full_name).like(like)
            )
        )
    stmt = stmt.order_by(User.username, User.id)
    return paginate(stmt, filters.get("page", 1), per_page)


def all_branches() -> list[Branch]:
    """Every branch, by code."""
    return list(db.session.scalars(sa.select(Branch).order_by(Branch.code)))


def branches_with_counts() -> list[tuple[Branch, int, int]]:
    """Each branch with its number of active officers and of supervisors."""
    officers = (
        sa.select(sa.func.count(User.id))
        .where(User.branch_id == Branch.id, User.role == "officer", User.active.is_(True))
        .scalar_subquery()
    )
    supervisors = (
        sa.select(sa.func.count(supervised_branches.c.user_id))
        .where(supervised_branches.c.branch_id == Branch.id)
        .scalar_subquery()
    )
    rows = db.session.execute(sa.select(Branch, officers, supervisors).order_by(Branch.code))
    return [tuple(row) for row in rows]
