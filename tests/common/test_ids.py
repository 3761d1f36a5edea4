"""Long id lists (common/ids.among): the same rows as an IN list, sent on PostgreSQL as one
array parameter instead of one parameter per id, in the array's text (`{1,2,3}`: the driver
adapts a list of ints element by element, ten times slower)."""

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.ids import SHORT, among
from aoapp.extensions import db


def _run(condition) -> tuple[list[int], int]:
    """The users the condition selects, and how many parameters the statement sent."""
    sent = []

    def count(_conn, _cursor, _statement, parameters, _context, _many):
        sent.append(len(parameters or ()))
        given = parameters or ()
        _run.values = list(given.values() if isinstance(given, dict) else given)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        ids = db.session.scalars(sa.select(User.id).where(condition).order_by(User.id)).all()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return ids, sent[-1]


def test_a_long_list_selects_what_in_selects_in_one_parameter_on_postgresql(world):
    officers = [world.officer.id, world.colleague.id, world.remote.id]
    ids = [*officers, *range(1_000_000, 1_002_000)]  # 2,003 ids, three of them users
    found, sent = _run(among(User.id, ids))
    assert found == sorted(officers)
    assert found == _run(User.id.in_(ids))[0]
    if db.engine.dialect.name == "postgresql":
        assert sent == 1
        assert _run(among(User.id, ids))[1] == 1
        assert _run.values == ["{" + ",".join(str(i) for i in ids) + "}"]
    else:
        assert sent == len(ids)  # SQLite keeps the IN list


def test_a_short_list_stays_an_in_list(world):
    ids = [world.officer.id, *range(1_000_000, 1_000_000 + SHORT - 1)]
    found, sent = _run(among(User.id, ids))
    assert found == [world.officer.id]
    assert sent == len(ids)
    assert _run(among(User.id, []))[0] == []
