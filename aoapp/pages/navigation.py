"""The main menu: a few groups of pages, each page shown to the roles that may open it.

The one place that says which pages the header offers to whom; templates/base.html only loops
over `nav_menu`. The menu composes every feature's pages, so it lives at the top (pages/). It
names endpoints only: the pages themselves still refuse whoever may not see them.
"""

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aoapp.auth.models import Role

EVERYONE = frozenset(Role)
OFFICER = frozenset({Role.OFFICER})
REVIEWERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Item:
    """One page of the menu: its endpoint, label, who sees it, and the endpoints (exact, or a
    prefix ending in '.') of the pages reached from it, which mark it and its group current."""

    endpoint: str
    label: LazyString
    roles: frozenset = EVERYONE
    covers: tuple[str, ...] = ()

    def matches(self, endpoint: str | None) -> bool:
        """Whether the page `endpoint` is this item's or one reached from it."""
        if not endpoint:
            return False
        return endpoint == self.endpoint or any(
            endpoint.startswith(c) if c.endswith(".") else endpoint == c for c in self.covers
        )


@dataclass(frozen=True)
class Group:
    """A heading of the menu and its pages."""

    key: str
    label: LazyString
    items: tuple[Item, ...]


MENU = (
    Group(
        "today",
        _l("Today"),
        (
            Item("dashboards.officer", _l("Dashboard"), OFFICER, ("dashboards.",)),
            Item("dashboards.team", _l("Dashboard"), REVIEWERS, ("dashboards.",)),
            Item("agenda.home", _l("Agenda"), OFFICER, ("agenda.",)),
            Item("agenda.team", _l("Team agenda"), REVIEWERS, ("agenda.",)),
            Item("followups.index", _l("Follow-ups"), covers=("followups.",)),
            Item("complaints.index", _l("Complaints"), covers=("complaints.",)),
        ),
    ),
    Group(
        "relationship",
        _l("Customers & prospects"),
        (
            Item("prospects.index", _l("Prospects"), covers=("prospects.",)),
            Item("customers.index", _l("Customers"), covers=("customers.",)),
            Item("plans.coverage_page", _l("Account plans"), covers=("plans.",)),
            Item("handovers.index", _l("Handovers"), REVIEWERS, ("handovers.",)),
            Item("campaigns.index", _l("Campaigns"), covers=("campaigns.",)),
            Item("products.index", _l("Products"), covers=("products.", "introductions.")),
        ),
    ),
    Group(
        "credit",
        _l("Credit"),
        (
            Item("credit.portfolio", _l("Portfolio"), covers=("credit.export_csv", "visits.")),
            Item("credit.watchlist", _l("Watchlist")),
            Item("renewals.index", _l("Renewals"), covers=("renewals.",)),
        ),
    ),
    Group(
        "reports",
        _l("Reports"),
        (
            Item("reports.index", _l("Reports"), covers=("reports.",)),
            Item("targets.index", _l("Targets"), REVIEWERS, ("targets.",)),
        ),
    ),
    Group(
        "admin",
        _l("Admin"),
        (
            Item("admin.home", _l("Overview"), ADMIN),
            Item("admin.users", _l("Users"), ADMIN, ("admin.user", "admin.create_user")),
            Item("admin.branches", _l("Branches"), ADMIN),
            Item("imports.index", _l("Imports"), ADMIN, ("imports.",)),
            Item("audit.recent", _l("Audit log"), ADMIN),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    """An item as one user sees it on one page."""

    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class MenuGroup:
    """A group as one user sees it on one page: only the items they may open."""

    key: str
    label: str
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        """Whether the page shown is one of the group's."""
        return any(link.current for link in self.links)


def menu_for(role: str, endpoint: str | None) -> list[MenuGroup]:
    """The groups `role` sees, with the links it may open; a group with none is left out."""
    groups = []
    for group in MENU:
        links = tuple(
            Link(str(item.label), url_for(item.endpoint), item.matches(endpoint))
            for item in group.items
            if role in item.roles
        )
        if links:
            groups.append(MenuGroup(group.key, str(group.label), links))
    return groups


def init_app(app: Flask) -> None:
    """Give every template the signed-in user's menu (`nav_menu`)."""

    @app.context_processor
    def navigation():
        if not current_user.is_authenticated:
            return {"nav_menu": []}
        return {"nav_menu": menu_for(current_user.role, request.endpoint)}
