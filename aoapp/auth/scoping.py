"""Who may see what: one helper narrows every query by the acting user's role, by the rules
each feature registers for its models (`scope_rule`)."""

from collections.abc import Callable

import sqlalchemy as sa

from aoapp.auth.models import Role, User
from aoapp.common.routing import MAX_ID
from aoapp.errors import NotFound
from aoapp.extensions import db


def in_ids(column, ids: sa.Select):
    """`column IN (ids)`, written so an OR with another indexed condition stays indexed.

    PostgreSQL plans `a = ? OR b IN (SELECT …)` as a scan of the whole table; with the subquery
    as an array (`b = ANY(ARRAY(SELECT …))`) it combines both indexes (64 ms → 1.6 ms on the
    bank-scale follow-ups, bench/load). Other databases keep the plain IN.
    """
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.func.array(ids.scalar_subquery()))
    return column.in_(ids)


Rule = Callable[[User], sa.ColumnElement[bool]]
_RULES: dict[type, Rule] = {}


def scope_rule(model: type) -> Callable[[Rule], Rule]:
    """Register the rule of `model`: the WHERE condition on the rows a non-admin user may see.

    Each feature registers the rules of its own models beside them (`<feature>/models.py`), so
    this layer imports no feature. A model without a rule is refused (TypeError), never shown.
    """

    def register(rule: Rule) -> Rule:
        _RULES[model] = rule
        return rule

    return register


def scope_condition(user, model):
    """A WHERE condition limiting `model` rows to those `user` may see."""
    if user.role == Role.ADMIN:
        return sa.true()
    rule = _RULES.get(model)
    if rule is None:
        raise TypeError(f"no visibility rule for {model.__name__}")
    return rule(user)


def is_officer(user) -> bool:
    """Officers see their own records; supervisors those of the branches they supervise."""
    return user.role == Role.OFFICER


def officer_ids_of_branches(branch_ids: list[int]) -> sa.Select:
    """The ids of the users (officers) of these branches."""
    return sa.select(User.id).where(User.branch_id.in_(branch_ids))


@scope_rule(User)
def _users(user) -> sa.ColumnElement[bool]:
    if is_officer(user):
        return User.id == user.id
    return sa.or_(User.id == user.id, User.branch_id.in_(user.supervised_branch_ids))


def visible_to(user, stmt: sa.Select, model=None) -> sa.Select:
    """Narrow a select of `model` (default: its first entity) to what `user` may see."""
    model = model or stmt.column_descriptions[0]["entity"]
    return stmt.where(scope_condition(user, model))


def get_visible(user, model, record_id) -> object:
    """Load one record the user may see, or raise NotFound (never 403: ids do not leak)."""
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < record_id <= MAX_ID:  # ids are 32-bit; a larger one would overflow SQLite
        raise NotFound()
    stmt = visible_to(user, sa.select(model).where(model.id == record_id), model)
    record = db.session.scalar(stmt)
    if record is None:
        raise NotFound()
    return record


def can_see(user, model, record_id: int) -> bool:
    """True when the user may see the record."""
    stmt = visible_to(user, sa.select(model.id).where(model.id == record_id), model)
    return db.session.scalar(stmt) is not None
