"""Satisfaction figures: the one definition the dashboards, the API and the portfolio workbook
read, so their numbers agree.

- Scope: credit/figures.resolve_scope's (the same arguments, the same reach); its condition,
  written on the loan positions' booking columns, is applied to the survey's own (the officer
  and branch it was booked to when sent), as funding/scope.py does for deposits.
- A period's answers are the surveys answered within its local days (the bank's time zone).
  CSAT = answers scoring 4 or 5 / answers. NPS = (promoters 9–10 − detractors 0–6) / answers
  that gave a likelihood to recommend, in points from −100 to 100 (one decimal), none without
  such answers. The average score has two decimals.
- The response rate: of the surveys sent in the period, the share answered by its end.
- The trend: the same figures for each of the TREND_MONTHS months up to the period's last, in
  one grouped query. The comments: the period's answers with a comment, newest first.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.dates import local_day_bounds
from aoapp.credit.figures import PortfolioScope, ratio
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.scope import on_columns
from aoapp.surveys.models import Survey

TREND_MONTHS = 12
SATISFIED, PROMOTER, DETRACTOR = 4, 9, 6  # score ≥ 4; recommend ≥ 9; recommend ≤ 6


@dataclass(frozen=True)
class Satisfaction:
    """Counts of surveys sent and answered, and the figures made of them."""

    sent: int = 0
    responded: int = 0  # of those sent in the period, answered by its end
    answers: int = 0
    satisfied: int = 0  # answers scoring 4 or 5
    score_sum: int = 0
    recommend_answers: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def csat(self) -> Decimal | None:
        """Share of the answers scoring 4–5 (4 decimals); None without answers."""
        return ratio(Decimal(self.satisfied), Decimal(self.answers)) if self.answers else None

    @property
    def nps(self) -> Decimal | None:
        """% promoters − % detractors among the answers that gave a recommendation score."""
        if not self.recommend_answers:
            return None
        points = Decimal(100 * (self.promoters - self.detractors)) / self.recommend_answers
        return points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def average_score(self) -> Decimal | None:
        """The mean score (2 decimals); None without answers."""
        if not self.answers:
            return None
        return (Decimal(self.score_sum) / self.answers).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def response_rate(self) -> Decimal | None:
        """Of the surveys sent in the period, the share answered by its end."""
        return ratio(Decimal(self.responded), Decimal(self.sent)) if self.sent else None


@dataclass(frozen=True)
class OfficerSatisfaction:
    """One officer's figures."""

    officer_id: int
    name: str
    code: str | None
    figures: Satisfaction


@dataclass(frozen=True)
class TrendPoint:
    """One month's figures (the month's first day)."""

    month: date
    figures: Satisfaction


@dataclass(frozen=True)
class Comment:
    """An answer with a comment."""

    survey_id: int
    answered_at: datetime
    customer_id: int
    customer: str
    cif: str
    officer_name: str | None
    officer_code: str | None
    reason: str
    score: int
    recommend: int | None
    comment: str

    @property
    def officer(self) -> str:
        """The officer by name (their AO code without one)."""
        return self.officer_name or self.officer_code or ""


@dataclass(frozen=True)
class SatisfactionReport:
    """A scope's satisfaction for a period: totals, per officer, trend, comments."""

    first: date
    last: date
    totals: Satisfaction
    officers: list[OfficerSatisfaction] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def survey_condition(scope: PortfolioScope) -> sa.ColumnElement[bool]:
    """The scope's condition on the surveys' booking (officer and branch when sent)."""
    return on_columns(scope.condition, Survey.officer_id, Survey.branch_id)


def _answer_counts():
    """The aggregate columns of answers (in the order of Satisfaction's answer fields)."""
    answered = Survey.answered_at.is_not(None)

    def count(condition):
        return sa.func.sum(sa.case((sa.and_(answered, condition), 1), else_=0))

    return (
        count(sa.true()),
        count(Survey.score >= SATISFIED),
        sa.func.sum(Survey.score),
        count(Survey.recommend.is_not(None)),
        count(Survey.recommend >= PROMOTER),
        count(Survey.recommend <= DETRACTOR),
    )


def _grouped(stmt: sa.Select, group) -> dict:
    """Run `stmt` (its columns the counts) by `group` (None: one row, keyed None). Grouped by
    the label, so a CASE with parameters is the same expression in SELECT and GROUP BY."""
    if group is None:
        row = db.session.execute(stmt).one()
        return {None: tuple(int(v or 0) for v in row)}
    stmt = stmt.add_columns(group.label("grp")).group_by(sa.literal_column("grp"))
    return {row[-1]: tuple(int(v or 0) for v in row[:-1]) for row in db.session.execute(stmt)}


def _answers(condition, start, end, group=None) -> dict:
    """Answer counts in [start, end) by `group`."""
    stmt = sa.select(*_answer_counts()).where(
        condition, Survey.answered_at >= start, Survey.answered_at < end
    )
    return _grouped(stmt, group)


def _sent(condition, start, end, group=None, answered_by=None) -> dict:
    """(sent, answered by the end) of the surveys sent in [start, end), by `group`;
    `answered_by` (a CASE) says the end of each group when they differ (the trend's months)."""
    if answered_by is None:
        answered_by = sa.case((Survey.answered_at < end, 1), else_=0)
    stmt = sa.select(sa.func.count(), sa.func.sum(answered_by)).where(
        condition, Survey.created_at >= start, Survey.created_at < end
    )
    return _grouped(stmt, group)


def _figures(sent: tuple | None, answers: tuple | None) -> Satisfaction:
    sent, answers = sent or (0, 0), answers or (0,) * 6
    return Satisfaction(*sent, *answers)


def satisfaction(condition, first: date, last: date) -> Satisfaction:
    """The figures of the surveys matching `condition` for the local days `first` to `last`."""
    start, end = local_day_bounds(first, last)
    return _figures(_sent(condition, start, end)[None], _answers(condition, start, end)[None])


def _per_officer(condition, first: date, last: date) -> tuple[dict, dict]:
    """(sent, answers) of the period by officer id."""
    start, end = local_day_bounds(first, last)
    sent = _sent(condition, start, end, Survey.officer_id)
    return sent, _answers(condition, start, end, Survey.officer_id)


def _summed(groups: dict) -> tuple | None:
    """The counts of every group added up (each figure is a count or a sum)."""
    return tuple(map(sum, zip(*groups.values(), strict=True))) if groups else None


def _officers(sent: dict, answers: dict) -> list[OfficerSatisfaction]:
    """The figures of each officer with a survey sent or answered (`_per_officer`), by name."""
    ids = set(sent) | set(answers)
    if not ids:
        return []
    users = db.session.execute(
        sa.select(User.id, User.full_name, User.username, User.officer_code).where(User.id.in_(ids))
    )
    rows = [
        OfficerSatisfaction(id_, name or username, code, _figures(sent.get(id_), answers.get(id_)))
        for id_, name, username, code in users
    ]
    return sorted(rows, key=lambda row: (row.name.lower(), row.officer_id))


def _month_starts(last: date, months: int) -> list[date]:
    """The first days of the `months` months up to `last`'s, oldest first."""
    year, month = last.year, last.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def trend(condition, last: date, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Each month's figures up to `last`'s month, oldest first (two grouped queries)."""
    starts = _month_starts(last, months)
    bounds = [local_day_bounds(day, day)[0] for day in [*starts, _next_month(starts[-1])]]

    def bucket(column):
        whens = [(column < bounds[i + 1], i) for i in range(months)]
        return sa.case(*whens, else_=None)

    start, end = bounds[0], bounds[-1]
    answered = _answers(condition, start, end, bucket(Survey.answered_at))
    by_month_end = sa.case(
        *[
            (
                Survey.created_at < bounds[i + 1],
                sa.case((Survey.answered_at < bounds[i + 1], 1), else_=0),
            )
            for i in range(months)
        ],
        else_=0,
    )
    sent = _sent(condition, start, end, bucket(Survey.created_at), by_month_end)
    return [TrendPoint(day, _figures(sent.get(i), answered.get(i))) for i, day in enumerate(starts)]


def comments(condition, first: date, last: date, limit: int | None = None) -> list[Comment]:
    """The period's answers with a comment, newest first."""
    start, end = local_day_bounds(first, last)
    stmt = (
        sa.select(
            Survey.id,
            Survey.answered_at,
            Survey.customer_id,
            Customer.name,
            Customer.cif,
            sa.func.nullif(User.full_name, ""),
            User.officer_code,
            Survey.reason,
            Survey.score,
            Survey.recommend,
            Survey.comment,
        )
        .join(Customer, Customer.id == Survey.customer_id)
        .join(User, User.id == Survey.officer_id)
        .where(
            condition,
            Survey.answered_at >= start,
            Survey.answered_at < end,
            Survey.comment.is_not(None),
        )
        .order_by(Survey.answered_at.desc(), Survey.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return [Comment(*row) for row in db.session.execute(stmt)]


def satisfaction_report(
    scope: PortfolioScope, first: date, last: date, *, comment_limit: int | None = None
) -> SatisfactionReport:
    """Everything the pages, the API and the workbook show of a scope's satisfaction."""
    condition = survey_condition(scope)
    # The totals are the officers' figures added up (every figure is a count or a sum): two
    # statements fewer on every dashboard.
    sent, answers = _per_officer(condition, first, last)
    return SatisfactionReport(
        first=first,
        last=last,
        totals=_figures(_summed(sent), _summed(answers)),
        officers=_officers(sent, answers),
        trend=trend(condition, last),
        comments=comments(condition, first, last, comment_limit),
    )
