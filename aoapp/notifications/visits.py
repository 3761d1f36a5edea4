"""The supervisor's digest: visits flagged since the previous bank day — logged without a
location, or farther than VISIT_DISTANCE_FLAG_METERS from the customer's recorded location (the
rule is the visits feature's: followups/visit_evidence.py)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from aoapp.common.i18n import format_date
from aoapp.followups.visit_evidence import flagged_visits as flagged
from aoapp.notifications.sections import SUPERVISORS, DigestContext, Line, digest_section

LIMIT = 50  # the team agenda lists the rest


@digest_section(
    "flagged_visits",
    SUPERVISORS,
    _l("Flagged visits"),
    lazy_ngettext("%(num)s flagged visit", "%(num)s flagged visits", 1),
    "agenda.team",
)
def flagged_visits(ctx: DigestContext) -> list[Line]:
    """Visits of the supervisor's branches logged from the previous bank day on, newest first."""
    lines = []
    for visit in flagged(ctx.user, ctx.since, ctx.day, limit=LIMIT):
        endpoint, arguments = visit.endpoint
        detail = " · ".join([visit.why, visit.officer.display_name, format_date(visit.visit_date)])
        lines.append(Line(visit.customer.name, detail, endpoint, arguments))
    return lines
