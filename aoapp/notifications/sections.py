"""The daily digest's sections: a registry of small functions, each for the roles it serves.

A section reads one existing figure or list of another feature (the agenda, the watchlist,
promises to pay, deposits maturing, renewals, plan reviews, the team agenda) and turns it into
lines; it defines no figure of its own. A feature that wants a part in the digest registers a
section with `digest_section` (officer.py, supervisor.py); the order of registration is the
order in the e-mail. Sections are built in the reader's language (the builder forces it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import LazyString, ngettext

from aoapp.auth.models import Role, User
from aoapp.common.workdays import holidays, is_working_day

OFFICERS = frozenset({Role.OFFICER})
SUPERVISORS = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class Line:
    """One item of a section: who or what (`text`), its facts, and the page showing it."""

    text: str
    detail: str = ""
    endpoint: str | None = None
    values: dict = field(default_factory=dict)


@dataclass
class DigestContext:
    """What every section of one user's digest reads: the user, the bank day, the previous bank
    day (what is "new since yesterday" starts there), and lists several sections share."""

    user: User
    day: date
    since: date
    shared: dict = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], object]) -> object:
        """`make()` the first time a section asks for `key`, the same value after."""
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]


Build = Callable[[DigestContext], list[Line]]


@dataclass(frozen=True)
class Section:
    """One section: its key, the roles it serves, its title, how to count its lines in words
    (`lazy_ngettext(singular, plural, 1)` with `%(num)s`), the page with the whole list."""

    key: str
    roles: frozenset
    title: LazyString
    count: LazyString
    endpoint: str | None
    build: Build

    def counted(self, number: int) -> str:
        """`3 overdue follow-ups` in the current language."""
        singular, plural, _n = self.count._args
        return ngettext(singular, plural, number)


SECTIONS: dict[str, Section] = {}


def digest_section(
    key: str, roles: frozenset, title: LazyString, count: LazyString, endpoint: str | None = None
) -> Callable[[Build], Build]:
    """Register `build(context) -> [Line]` as section `key` of the digests of `roles`."""

    def register(build: Build) -> Build:
        SECTIONS[key] = Section(key, frozenset(roles), title, count, endpoint, build)
        return build

    return register


def sections_for(role: str) -> list[Section]:
    """The sections of a role's digest, in their order."""
    return [section for section in SECTIONS.values() if role in section.roles]


def roles_with_digest() -> set[str]:
    """The roles some section serves (the others get no digest)."""
    return {role for section in SECTIONS.values() for role in section.roles}


def previous_bank_day(day: date) -> date:
    """The bank day before `day` (Monday's is the Friday before, holidays skipped)."""
    closed = holidays()
    previous = day - timedelta(days=1)
    while not is_working_day(previous, closed):
        previous -= timedelta(days=1)
    return previous
