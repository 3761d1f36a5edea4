"""Hooks through which features above follow-ups react to them (account plans plan the next
review when a review follow-up is logged done), so follow-ups import none of them."""

from collections.abc import Callable
from datetime import date

Completed = Callable[[object, object, date], None]
_COMPLETED: list[Completed] = []


def on_complete(handler: Completed) -> Completed:
    """Register `handler(actor, followup, today)`: run when a follow-up is logged done, inside
    that unit of work (audited by the handler; the caller commits)."""
    _COMPLETED.append(handler)
    return handler


def completed(actor, followup, today: date) -> None:
    """Let every registered feature react to a follow-up logged done."""
    for handler in _COMPLETED:
        handler(actor, followup, today)
