"""The supervisor's digest: escalations waiting, complaints overdue, officers with no recorded
work on the previous bank day; over the branches the supervisor leads (the team agenda's).

Flagged visits (logged far from the customer or without a location): notifications/visits.py.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from aoapp.agenda.team import TeamAgenda, team_agenda
from aoapp.common.dates import local_day_bounds
from aoapp.common.i18n import format_date
from aoapp.common.templating import label
from aoapp.credit.models import MonitoringVisit
from aoapp.extensions import db
from aoapp.kpis import queries as kpi
from aoapp.notifications.sections import SUPERVISORS, DigestContext, Line, digest_section

# The KPIs (aoapp/kpis/figures.py) that count an officer's recorded work.
ACTIVITY = ("followups_done", "introductions", "prospects_collected")


def _team(ctx: DigestContext) -> TeamAgenda:
    return ctx.once("team", lambda: team_agenda(ctx.user, today=ctx.day))


def _officer_name(user) -> str:
    return user.display_name if user is not None else "—"


@digest_section(
    "escalations",
    SUPERVISORS,
    _l("Escalations waiting"),
    lazy_ngettext("%(num)s escalation waiting", "%(num)s escalations waiting", 1),
    "agenda.team",
)
def escalations(ctx: DigestContext) -> list[Line]:
    """Complaints escalated to the supervisor, then follow-ups escalated for their attention."""
    team = _team(ctx)
    lines = [
        Line(
            c.customer.name,
            " · ".join(
                [
                    _("Complaint escalated"),
                    label(c.category),
                    _("officer %(name)s", name=_officer_name(c.officer)),
                ]
            ),
            "complaints.detail",
            {"complaint_id": c.id},
        )
        for c in team.escalated_complaints
    ]
    lines += [
        Line(
            f.customer.name if f.customer else "—",
            " · ".join(
                [
                    _("Follow-up escalated"),
                    label(f.purpose),
                    _("officer %(name)s", name=_officer_name(f.owner)),
                    format_date(f.planned_date),
                ]
            ),
            "followups.detail",
            {"followup_id": f.id},
        )
        for f in team.escalated_followups
    ]
    return lines


@digest_section(
    "overdue_complaints",
    SUPERVISORS,
    _l("Complaints overdue"),
    lazy_ngettext("%(num)s complaint overdue", "%(num)s complaints overdue", 1),
    "complaints.index",
)
def overdue_complaints(ctx: DigestContext) -> list[Line]:
    """Open complaints past their due date, oldest due first."""
    return [
        Line(
            c.customer.name,
            " · ".join(
                [
                    label(c.category),
                    _("due %(day)s", day=format_date(c.due_date)),
                    _("officer %(name)s", name=_officer_name(c.officer)),
                ]
            ),
            "complaints.detail",
            {"complaint_id": c.id},
        )
        for c in _team(ctx).overdue_complaints
    ]


def _visits_logged(ids: list[int], start, end) -> dict[int, int]:
    """Monitoring visits each officer logged in [start, end)."""
    stmt = (
        sa.select(MonitoringVisit.officer_id, sa.func.count())
        .where(
            MonitoringVisit.officer_id.in_(ids),
            MonitoringVisit.created_at >= start,
            MonitoringVisit.created_at < end,
        )
        .group_by(MonitoringVisit.officer_id)
    )
    return dict(db.session.execute(stmt).all())


@digest_section(
    "idle_officers",
    SUPERVISORS,
    _l("Officers with no activity"),
    lazy_ngettext("%(num)s officer with no activity", "%(num)s officers with no activity", 1),
    "agenda.team",
)
def idle_officers(ctx: DigestContext) -> list[Line]:
    """Active officers of the team who recorded nothing on the previous bank day: no follow-up
    done, no introduction, no prospect collected (the KPIs' own counts), no visit logged."""
    officers = [row.officer for row in _team(ctx).rows]
    ids = [officer.id for officer in officers]
    if not ids:
        return []
    start, end = local_day_bounds(ctx.since, ctx.since)
    busy = {
        officer
        for found in (
            kpi.followups(ids, start, end, ctx.since),
            kpi.introductions(ids, ctx.since, ctx.since),
            kpi.prospects(ids, start, end),
        )
        for officer, counts in found.items()
        if any(counts.get(key) for key in ACTIVITY)
    }
    busy |= set(_visits_logged(ids, start, end))
    day = format_date(ctx.since)
    return [
        Line(
            officer.display_name,
            _("nothing recorded on %(day)s", day=day),
            "agenda.team",
            {},
        )
        for officer in officers
        if officer.id not in busy
    ]
