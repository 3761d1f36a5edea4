"""Answers remembered for one read-only block: a page's many asks of the same bank-wide fact.

A dashboard asks "the last deposits listing on or before this day" or "is this pair of
listings stored" eight times over, each a statement of its own. Inside `remembering()` (the
dashboards' and report generation's read blocks, common/replica.reading_from_replica) the first
answer is kept for the rest of the block; outside it, and once the session has written or holds
changes not yet flushed, every ask goes to the database as before. What is remembered is keyed by
the function and its arguments, and dropped when the outermost block ends.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import sqlalchemy as sa

from aoapp.database import WROTE
from aoapp.extensions import db

T = TypeVar("T")
_MEMO: ContextVar[dict | None] = ContextVar("read_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Remember the answers of `remembered` for the block (a nested block shares the outer's)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def session_changed() -> bool:
    """The session has written in its transaction, or holds changes not yet flushed: what it
    reads may be its own, not yet anybody else's."""
    session = db.session()
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def condition_key(condition: sa.ColumnElement) -> tuple:
    """A condition as part of a key: its SQL and its values (two scopes asking the same thing
    give the same key)."""
    compiled = condition.compile()
    values = tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in sorted(compiled.params.items())
    )
    return str(compiled), values


def remembering_now() -> bool:
    """Whether answers are remembered here (a read block, the session unchanged)."""
    return _MEMO.get() is not None and not session_changed()


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its answer already given for `key` in this block."""
    memo = _MEMO.get()
    if memo is None or session_changed():
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remembered_each(kind: Hashable, items, compute: Callable[[list], dict]) -> dict:
    """{item: answer} for each of `items`, the answers of `kind` not yet given in this block
    computed together, `compute(missing) -> {item: answer}`: a trend's twelve dates asked first,
    any of them asked again later is not read again."""
    items = list(items)
    memo = _MEMO.get()
    if memo is None or session_changed():
        return compute(items)
    missing = [item for item in items if (kind, item) not in memo]
    if missing:
        found = compute(missing)
        for item in missing:
            memo[(kind, item)] = found[item]
    return {item: memo[(kind, item)] for item in items}
