"""The officer's digest: overdue and today's follow-ups, new watchlist signals, promises to pay
due or broken, deposits and loans maturing within a week, account plans to review.

Each section reads its feature's own list (agenda, watchlist, promises, funding, renewals, plan
reviews); "new" and "broken" count from the previous bank day, so Monday's digest covers the
weekend and nothing dated on a bank day is missed between two digests.
"""

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from aoapp.agenda.services import AgendaItem, agenda_for
from aoapp.common.i18n import format_date, format_money
from aoapp.common.templating import label
from aoapp.credit.figures import resolve_scope, scope_previous_as_of
from aoapp.credit.watchlist import scope_watchlist
from aoapp.extensions import db
from aoapp.followups.models import PromiseState
from aoapp.followups.services import promise_query
from aoapp.funding.figures import MATURING_DAYS, deposits_as_of
from aoapp.funding.movements import maturing_rows
from aoapp.notifications.sections import OFFICERS, DigestContext, Line, digest_section
from aoapp.plans.reviews import reviews_due
from aoapp.renewals.models import Kind, RenewalOpportunity
from aoapp.renewals.reads import OPEN, select_opportunities

WEEK = MATURING_DAYS[0]  # "maturing this week": within 7 days, as the dashboards count it


def _agenda(ctx: DigestContext):
    return ctx.once("agenda", lambda: agenda_for(ctx.user, ctx.day))


def _followup_line(item: AgendaItem) -> Line:
    facts = [label(item.channel), label(item.purpose), format_date(item.day)]
    if item.facility is not None and item.facility.dpd:
        facts.append(_("%(dpd)s days past due", dpd=item.facility.dpd))
    return Line(item.party_name, " · ".join(facts), "followups.detail", {"followup_id": item.id})


@digest_section(
    "overdue_followups",
    OFFICERS,
    _l("Overdue follow-ups"),
    lazy_ngettext("%(num)s overdue follow-up", "%(num)s overdue follow-ups", 1),
    "agenda.home",
)
def overdue_followups(ctx: DigestContext) -> list[Line]:
    """Planned follow-ups whose day has passed, by the agenda's priority."""
    return [_followup_line(i) for i in _agenda(ctx).overdue if i.kind == "follow_up"]


@digest_section(
    "today_followups",
    OFFICERS,
    _l("Today's follow-ups"),
    lazy_ngettext("%(num)s follow-up today", "%(num)s follow-ups today", 1),
    "agenda.home",
)
def today_followups(ctx: DigestContext) -> list[Line]:
    """Follow-ups planned for the day, by the agenda's priority."""
    return [_followup_line(i) for i in _agenda(ctx).today_items if i.kind == "follow_up"]


@digest_section(
    "new_signals",
    OFFICERS,
    _l("New on the watchlist"),
    lazy_ngettext("%(num)s account with new signals", "%(num)s accounts with new signals", 1),
    "credit.watchlist",
)
def new_signals(ctx: DigestContext) -> list[Line]:
    """Accounts of the officer's watchlist (the latest listing up to the day) with a signal
    dated since the previous bank day, worst first; only the new signals' reasons."""
    scope = resolve_scope(ctx.user)
    as_of = scope_previous_as_of(scope, ctx.day + timedelta(days=1))
    if as_of is None:
        return []
    lines = []
    for entry in scope_watchlist(scope, as_of, until=ctx.day).items:
        fresh = [s for s in entry.signals if ctx.since <= s.date <= ctx.day]
        if fresh:
            reasons = " ".join(s.reason for s in fresh)
            lines.append(
                Line(
                    entry.customer.name,
                    f"{entry.facility.account_no}: {reasons}",
                    "customers.detail",
                    {"customer_id": entry.customer.id},
                )
            )
    return lines


def _promises(ctx: DigestContext, filters: dict) -> list:
    filters = {"owner": ctx.user.id, "sort": "promised_date", **filters}
    rows = db.session.execute(promise_query(ctx.user, filters, today=ctx.day))
    return [promise for promise, _state in rows]


def _promise_line(promise, text: str) -> Line:
    detail = f"{promise.facility.account_no} · {text}"
    return Line(
        promise.customer.name, detail, "customers.detail", {"customer_id": promise.customer_id}
    )


@digest_section(
    "promises_due",
    OFFICERS,
    _l("Promises to pay due"),
    lazy_ngettext("%(num)s promise due", "%(num)s promises due", 1),
    "followups.promises",
)
def promises_due(ctx: DigestContext) -> list[Line]:
    """Pending promises whose promised date has come (the listing is still to show them)."""
    found = _promises(ctx, {"state": PromiseState.PENDING.value, "promised_to": ctx.day})
    return [
        _promise_line(
            p,
            _(
                "%(amount)s promised for %(day)s",
                amount=format_money(p.promised_amount),
                day=format_date(p.promised_date),
            ),
        )
        for p in found
    ]


@digest_section(
    "promises_broken",
    OFFICERS,
    _l("Promises to pay broken"),
    lazy_ngettext("%(num)s promise broken", "%(num)s promises broken", 1),
    "followups.promises",
)
def promises_broken(ctx: DigestContext) -> list[Line]:
    """Promises that became broken since the previous bank day (their deadline passed)."""
    filters = {
        "state": PromiseState.BROKEN.value,
        "deadline_from": ctx.since,
        "deadline_to": ctx.day - timedelta(days=1),
    }
    return [
        _promise_line(
            p,
            _(
                "Promise of %(amount)s by %(day)s was broken.",
                amount=format_money(p.promised_amount),
                day=format_date(p.promised_date),
            ),
        )
        for p in _promises(ctx, filters)
    ]


@digest_section(
    "deposits_maturing",
    OFFICERS,
    _l("Deposits maturing this week"),
    lazy_ngettext("%(num)s deposit maturing", "%(num)s deposits maturing", 1),
    "renewals.index",
)
def deposits_maturing(ctx: DigestContext) -> list[Line]:
    """Deposits of the officer maturing within 7 days (the latest deposits listing up to the
    day), those without automatic roll-over first."""
    rows = maturing_rows(resolve_scope(ctx.user).condition, deposits_as_of(ctx.day), ctx.day, WEEK)
    return [
        Line(
            row.customer,
            " · ".join(
                [
                    row.account_no,
                    format_money(row.balance),
                    _("matures %(day)s", day=format_date(row.maturity_date)),
                    _("automatic roll-over") if row.aro else _("no automatic roll-over"),
                ]
            ),
            "customers.detail",
            {"customer_id": row.customer_id},
        )
        for row in rows
    ]


@digest_section(
    "loans_maturing",
    OFFICERS,
    _l("Loans maturing this week"),
    lazy_ngettext("%(num)s loan maturing", "%(num)s loans maturing", 1),
    "renewals.index",
)
def loans_maturing(ctx: DigestContext) -> list[Line]:
    """The officer's open renewal opportunities of loans maturing within 7 days."""
    opp = RenewalOpportunity
    stmt = select_opportunities(ctx.user, {"kind": Kind.LOAN.value, "stage": OPEN}, ctx.day).where(
        opp.officer_id == ctx.user.id,
        opp.maturity_date.between(ctx.day, ctx.day + timedelta(days=WEEK)),
    )
    found = db.session.scalars(stmt).unique()
    return [
        Line(
            o.customer.name,
            " · ".join(
                [
                    o.account_no,
                    _("matures %(day)s", day=format_date(o.maturity_date)),
                    label(o.stage),
                ]
            ),
            "renewals.detail",
            {"renewal_id": o.id},
        )
        for o in found
    ]


@digest_section(
    "plans_to_review",
    OFFICERS,
    _l("Account plans to review"),
    lazy_ngettext("%(num)s plan to review", "%(num)s plans to review", 1),
    "plans.coverage_page",
)
def plans_to_review(ctx: DigestContext) -> list[Line]:
    """Plans of the officer's customers whose review is due within 7 days or overdue."""
    plans = reviews_due(ctx.user.id, ctx.day + timedelta(days=WEEK), ctx.day.year)
    return [
        Line(
            plan.customer.name,
            _("review overdue since %(day)s", day=format_date(plan.next_review_date))
            if plan.next_review_date < ctx.day
            else _("review due %(day)s", day=format_date(plan.next_review_date)),
            "plans.detail",
            {"customer_id": plan.customer_id},
        )
        for plan in plans
    ]
