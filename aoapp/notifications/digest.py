"""One user's digest of one bank day: the sections of their role that have something, built in
the user's language (reasons and dates are written as the reader reads them)."""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale

from aoapp.auth.models import User
from aoapp.auth.preferences import language_of
from aoapp.notifications import officer, supervisor, visits  # noqa: F401  (their sections)
from aoapp.notifications.sections import (
    DigestContext,
    Line,
    Section,
    previous_bank_day,
    sections_for,
)

SHOWN_LINES = 10  # lines of a section in the e-mail; the rest are on the section's page


@dataclass(frozen=True)
class Part:
    """A section of one digest: its first lines and how many there are in all."""

    section: Section
    title: str
    counted: str  # "3 overdue follow-ups"
    lines: list[Line]
    total: int

    @property
    def more(self) -> int:
        """Lines left out of the e-mail."""
        return self.total - len(self.lines)


@dataclass(frozen=True)
class Digest:
    """What one user gets on one bank day."""

    user: User
    day: date
    since: date
    language: str
    parts: list[Part]

    @property
    def empty(self) -> bool:
        return not self.parts

    @property
    def counts(self) -> list[list]:
        """[[section key, number of lines], ...]: the in-app notification's parameters."""
        return [[part.section.key, part.total] for part in self.parts]


def build_digest(user: User, day: date) -> Digest:
    """The user's digest of `day` (a bank day), in their language; sections with nothing to
    say are left out."""
    language = language_of(user)
    context = DigestContext(user, day, previous_bank_day(day))
    parts = []
    with force_locale(language):
        for section in sections_for(user.role):
            lines = section.build(context)
            if lines:
                parts.append(
                    Part(
                        section,
                        str(section.title),
                        section.counted(len(lines)),
                        lines[:SHOWN_LINES],
                        len(lines),
                    )
                )
    return Digest(user, day, context.since, language, parts)
