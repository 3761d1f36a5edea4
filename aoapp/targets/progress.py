"""The achievement so far shown beside the targets, from the same functions as the dashboards
(kpis/officers.py and targets/achievement.py) so the numbers cannot disagree."""

from dataclasses import dataclass
from datetime import date

from aoapp.auth.models import Branch, User
from aoapp.common.latest import last_date_on_or_before
from aoapp.credit.figures import resolve_scope
from aoapp.credit.models import Position
from aoapp.funding.figures import deposits_as_of
from aoapp.kpis.officers import OfficerRef, kpi_totals, officer_kpis
from aoapp.kpis.periods import Period, parse_period
from aoapp.targets.achievement import (
    METRICS,
    Achievement,
    officer_achievements,
    total_achievement,
)
from aoapp.targets.services import current_month


@dataclass(frozen=True)
class Progress:
    """Achievements of a grid's officers for one month, read on the listing `as_of`."""

    period: Period
    as_of: date | None  # the last listing on or before the month's end (bank-wide)
    achievements: dict[int, Achievement]
    total: Achievement
    deposits_as_of: date | None = None  # the last deposits listing on or before the month's end

    @property
    def listed(self) -> bool:
        """True when a listing of the month itself is in (portfolio metrics are measured)."""
        return self.as_of is not None and self.period.start <= self.as_of <= self.period.end

    @property
    def funds_listed(self) -> bool:
        """True when a deposits listing of the month is in (funding metrics are measured)."""
        day = self.deposits_as_of
        return day is not None and self.period.start <= day <= self.period.end

    def awaits(self, key: str) -> bool:
        """Whether metric `key` awaits this month's listing (of loans or of deposits)."""
        metric = next(m for m in METRICS if m.key == key)
        return (metric.needs_listing and not self.listed) or (
            metric.needs_deposits and not self.funds_listed
        )


def _last_listing(period: Period) -> date | None:
    return last_date_on_or_before(Position.as_of, period.end)


def month_progress(
    actor, officers: list[User], month: date, branch: Branch | None
) -> Progress | None:
    """How far the officers got towards `month`'s targets; None for a month not yet begun.

    A supervisor's grid reads the branch's positions (as the team dashboard does); an officer's
    own view reads their own portfolio (as the officer dashboard does).
    """
    if month > current_month() or not officers:
        return None
    period = parse_period(f"{month:%Y-%m}")
    as_of = _last_listing(period)
    scope = resolve_scope(actor, branch_id=branch.id if branch else None)
    refs = [
        OfficerRef(o.id, o.username, o.display_name, branch.code if branch else None)
        for o in officers
    ]
    rows = officer_kpis(refs, period.start, period.end, as_of, condition=scope.condition)
    achievements = officer_achievements(rows, period, as_of, condition=scope.condition)
    total = total_achievement(list(achievements.values()), kpi_totals(rows))
    return Progress(period, as_of, achievements, total, deposits_as_of(period.end))
