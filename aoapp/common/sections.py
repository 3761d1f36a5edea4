"""Sections of a record's page that the features above the page's own feature add (a hook).

A page belongs to its feature (the customer page to customers, a facility's page to credit), but
what it shows of another feature belongs to that feature: when that feature sits above, it
registers a section provider here, and the page's view passes every section to its template.
So the page's feature imports none of them.
"""

from collections.abc import Callable

Provider = Callable[[object, object], object]
_SECTIONS: dict[str, dict[str, Provider]] = {}


def page_section(page: str, name: str) -> Callable[[Provider], Provider]:
    """Register `provider(actor, record)` as section `name` (a template variable) of `page`."""

    def register(provider: Provider) -> Provider:
        _SECTIONS.setdefault(page, {})[name] = provider
        return provider

    return register


def sections_for(page: str, actor, record) -> dict[str, object]:
    """Every registered section of `page` for `record`, as `actor` may see it."""
    return {name: provider(actor, record) for name, provider in _SECTIONS.get(page, {}).items()}
