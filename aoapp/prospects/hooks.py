"""Hooks through which follow-ups (a feature above prospects) own a prospect's next contact.

A prospect's "next follow-up" is not a date of its own: it is the day of its earliest follow-up
still planned, so the agenda, the dashboards, the calendar feed and the prospect's page read one
fact. Follow-ups supply that day as a column (`next_contact_source`), plan, move or cancel the
follow-up when the officer sets the date on the prospect's form (`next_contact_planner`), and
settle the open follow-ups of a prospect that is converted, rejected or lost (`on_close`).
So prospects imports none of them.
"""

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import column_property

from aoapp.prospects.models import Prospect

Source = Callable[[], sa.ScalarSelect]
Planner = Callable[[object, Prospect, date | None], None]
Closer = Callable[[object, Prospect, object], None]
_PLANNERS: list[Planner] = []
_CLOSERS: list[Closer] = []


def next_contact_source(source: Source) -> Source:
    """Register `source()`: the day of a prospect's earliest planned follow-up, as a scalar
    subquery correlated to `Prospect.id`; it becomes the read-only `Prospect.next_follow_up_date`
    (loaded with the prospect, sortable and filterable in SQL)."""
    Prospect.next_follow_up_date = column_property(source())
    return source


def next_contact_column() -> sa.ColumnElement:
    """The SQL of a prospect's next contact day (for filters and sorting)."""
    column = getattr(Prospect, "next_follow_up_date", None)
    if column is None:
        raise RuntimeError("No source of next contacts is registered (followups.models).")
    return column


def next_contact_planner(planner: Planner) -> Planner:
    """Register `planner(actor, prospect, day)`: it plans the prospect's next contact on `day`,
    moves the earliest planned one there, or cancels it when `day` is None — inside the caller's
    unit of work, audited."""
    _PLANNERS[:] = [planner]
    return planner


def plan_next_contact(actor, prospect: Prospect, day: date | None) -> None:
    """Plan, move or cancel the prospect's next contact (the registered planner does it)."""
    if not _PLANNERS:
        raise RuntimeError("No planner of next contacts is registered (followups).")
    _PLANNERS[0](actor, prospect, day)


def on_close(handler: Closer) -> Closer:
    """Register `handler(actor, prospect, customer)`: it settles the open work of a prospect that
    was just converted (`customer` given) or rejected or lost (`customer` None), inside the
    caller's unit of work, audited."""
    _CLOSERS.append(handler)
    return handler


def closed(actor, prospect: Prospect, customer=None) -> None:
    """Let every feature settle its open work of a prospect that left the pipeline."""
    for handler in _CLOSERS:
        handler(actor, prospect, customer)
