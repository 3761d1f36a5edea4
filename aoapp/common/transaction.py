"""The one unit of work: a service's changes are committed together, or not at all.

Every service that writes runs its changes (and their audit entries) inside `unit_of_work()`,
as a `with` block or as a decorator; views, models and templates never commit.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from aoapp.errors import Conflict
from aoapp.extensions import db

# Set while a caller holds the commit (held_commit): units of work flush and the caller commits.
_held: ContextVar[bool] = ContextVar("held_commit", default=False)


@contextmanager
def held_commit():
    """Run the block as one transaction, its units of work included: they flush, and the block
    commits once at its end (rolls back on any error).

    For work that must commit together with what the caller writes after it: an idempotency key
    with the answer of the work it recorded (aoapp/offline/idempotency.py).
    """
    token = _held.set(True)
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _held.reset(token)


def undo() -> None:
    """Roll back what the held transaction did so far (held_commit: e.g. work that was refused
    after all); the block goes on in a new transaction."""
    db.session.rollback()


@contextmanager
def unit_of_work(
    *,
    stale: str | None = None,
    stale_field: str | None = "version",
    duplicate: str | None = None,
    duplicate_field: str | None = None,
):
    """Run the block as one transaction: commit at its end, roll back on any error.

    `stale`: the message when another user saved the same record first (optimistic locking),
    raised as a Conflict on `stale_field`. `duplicate`: the message when a concurrent request took
    the same unique value, raised as a Conflict (on `duplicate_field` when given). Without a
    message, those errors propagate after the rollback, as every other error does.
    """
    try:
        yield db.session
        if _held.get():
            db.session.flush()  # errors of the flush (a stale version) are handled below
            db.session.expire_all()  # read back afterwards, as after a commit
        else:
            db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        if stale is None:
            raise
        raise Conflict(stale, _on(stale_field, stale)) from error
    except IntegrityError as error:
        db.session.rollback()
        if duplicate is None:
            raise
        raise Conflict(duplicate, _on(duplicate_field, duplicate)) from error
    except BaseException:
        db.session.rollback()
        raise


def _on(field: str | None, message: str) -> dict | None:
    return {field: [message]} if field else None


def end_reads() -> None:
    """End the transaction a service's reads began, before its unit of work writes: on SQLite the
    writer's lock then begins with the write, and no earlier snapshot outlives the reads. The
    reads may not have changed anything (that would be a write outside the unit of work)."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("changes pending before the unit of work")
    if not _held.get():  # a held transaction began with the caller's own writes: keep them
        session.commit()
