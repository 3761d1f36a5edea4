"""Hooks through which the features above customers take part in its page and its changes.

The customer page belongs to customers, but what it shows of credit, complaints and reports
belongs to those features, which sit above it: each registers a section provider here. Likewise a
reassigned customer's open work (planned follow-ups, open complaints) is moved by the features
that own it, each with a handler registered here. So customers imports none of them.
"""

from collections.abc import Callable

Provider = Callable[[object, object], object]
_SECTIONS: dict[str, Provider] = {}


def customer_section(name: str) -> Callable[[Provider], Provider]:
    """Register `provider(actor, customer)` as the page's section `name` (a template variable)."""

    def register(provider: Provider) -> Provider:
        _SECTIONS[name] = provider
        return provider

    return register


def sections_for(actor, customer) -> dict[str, object]:
    """Every registered section of the customer page, as `actor` may see it."""
    return {name: provider(actor, customer) for name, provider in _SECTIONS.items()}


Handover = Callable[[object, object, int], None]
_HANDOVERS: list[Handover] = []


def on_reassign(handler: Handover) -> Handover:
    """Register `handler(actor, customer, officer_id)`: it moves its feature's open work of a
    reassigned customer to the new officer, inside the reassignment's unit of work, audited."""
    _HANDOVERS.append(handler)
    return handler


def hand_over_open_work(actor, customer, officer_id: int) -> None:
    """Let every feature move its open work of `customer` to officer `officer_id`."""
    for handler in _HANDOVERS:
        handler(actor, customer, officer_id)
