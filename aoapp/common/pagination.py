"""Pagination and sorting shared by HTML lists and the API."""

from dataclasses import dataclass

import sqlalchemy as sa

from aoapp.extensions import db

HTML_PER_PAGE = 50
API_MAX_PER_PAGE = 200


@dataclass
class Page:
    """One page of results with the counts a client needs."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: sa.Select, page: int, per_page: int) -> Page:
    """Run a select for one page and count the whole result."""
    page = max(1, page)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def apply_sort(stmt: sa.Select, sort: str | None, columns: dict, default: str, tie) -> sa.Select:
    """Order by a whitelisted column name; `-name` sorts descending. Unknown names use the default."""
    key = sort or default
    descending = key.startswith("-")
    column = columns.get(key.lstrip("-"))
    if column is None:
        key = default
        descending = key.startswith("-")
        column = columns[key.lstrip("-")]
    order = column.desc() if descending else column.asc()
    return stmt.order_by(order, tie.desc() if descending else tie.asc())
