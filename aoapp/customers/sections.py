"""Sections of the customer page that features above customers add (credit, complaints, reports).

The customer page belongs to customers, but what it shows of credit, complaints and reports
belongs to those features, which sit above it: each registers a section provider here, and the
page asks every provider, so customers imports none of them.
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
