"""How a campaign performed, counted over what the user may see (the page, the API, the chart).

The campaign pages and API read these figures through campaigns.hooks.

Definitions:
- prospects collected: prospects tagged with the campaign; by their current status;
- converted customers: tagged prospects converted into a customer (`converted_at` set);
- facilities opened: facilities of those customers whose start date is on or after the day of
  conversion (in the bank's time zone), with their plafond;
- introductions: introductions tagged with the campaign, by outcome;
- cost per converted customer: cost / converted customers, rounded half-up to the sen; None
  without a cost or a converted customer, and None when the user sees only a share of the
  campaign (the cost is the whole campaign's, so dividing it by a share's customers would lie).

Scope: an admin counts every branch; a supervisor the prospects and introductions of their
branches (the whole campaign when it runs only there); an officer their own.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.auth.models import Role
from aoapp.auth.scoping import scope_condition
from aoapp.campaigns.hooks import stats_source, tagged_counts_source
from aoapp.campaigns.models import Campaign
from aoapp.common.dates import to_local
from aoapp.common.money import to_money
from aoapp.common.templating import label
from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.introductions.models import Introduction, IntroductionOutcome
from aoapp.prospects.models import Prospect, ProspectStatus

RATIO_PLACES = Decimal("0.0001")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Count:
    """One line of a breakdown."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class CampaignStats:
    """A campaign's figures in one user's scope."""

    campaign_id: int
    campaign_name: str
    scope_label: str
    whole: bool
    prospects_collected: int
    prospects_by_status: list[Count]
    converted_customers: int
    conversion_rate: Decimal | None
    facilities_opened: int
    facilities_plafond: Decimal
    introductions: int
    introductions_by_outcome: list[Count]
    cost: Decimal | None
    cost_per_converted_customer: Decimal | None


def scope_of(actor, campaign: Campaign) -> tuple[str, bool]:
    """Whose share the figures show, in words, and whether it is the whole campaign."""
    if actor.role == Role.ADMIN:
        return _("All branches of the campaign."), True
    if actor.role == Role.SUPERVISOR:
        mine = set(actor.supervised_branch_ids)
        codes = [b.code for b in campaign.branches if b.id in mine]
        if {b.id for b in campaign.branches} <= mine:
            return _("All branches of the campaign."), True
        return (
            _(
                "Your branches' share only: %(codes)s (other branches not counted).",
                codes=", ".join(codes),
            ),
            False,
        )
    return _("Your own prospects and introductions only."), False


def _breakdown(rows, codes) -> list[Count]:
    """Counts in the enumeration's order, zeros included, then any unexpected code."""
    counts = dict(rows)
    lines = [Count(code, label(code), int(counts.pop(code, 0))) for code in codes]
    return lines + [Count(code, label(code), int(n)) for code, n in sorted(counts.items())]


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _facilities(conversions: list[tuple[int, object]]) -> tuple[int, Decimal]:
    """Facilities started on or after each customer's conversion day: count and plafond."""
    converted_on = {
        customer_id: to_local(at).date() for customer_id, at in conversions if customer_id
    }
    if not converted_on:
        return 0, ZERO
    rows = db.session.execute(
        sa.select(Facility.customer_id, Facility.start_date, Facility.plafond).where(
            Facility.customer_id.in_(list(converted_on))
        )
    )
    opened = [plafond for customer_id, start, plafond in rows if start >= converted_on[customer_id]]
    return len(opened), to_money(sum(opened, ZERO))


@stats_source
def campaign_stats(actor, campaign: Campaign) -> CampaignStats:
    """The campaign's figures over the prospects and introductions the user may see."""
    scope_label, whole = scope_of(actor, campaign)
    tagged = sa.and_(Prospect.campaign_id == campaign.id, scope_condition(actor, Prospect))
    by_status = db.session.execute(
        sa.select(Prospect.status, sa.func.count()).where(tagged).group_by(Prospect.status)
    ).all()
    collected = sum(n for _status, n in by_status)
    conversions = db.session.execute(
        sa.select(Prospect.customer_id, Prospect.converted_at).where(
            tagged, Prospect.converted_at.is_not(None)
        )
    ).all()
    facilities, plafond = _facilities(conversions)
    by_outcome = db.session.execute(
        sa.select(Introduction.outcome, sa.func.count())
        .where(Introduction.campaign_id == campaign.id, scope_condition(actor, Introduction))
        .group_by(Introduction.outcome)
    ).all()
    converted = len(conversions)
    per_customer = None
    if whole and campaign.cost is not None and converted:
        per_customer = to_money(campaign.cost / converted)
    return CampaignStats(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        scope_label=scope_label,
        whole=whole,
        prospects_collected=collected,
        prospects_by_status=_breakdown(by_status, [s.value for s in ProspectStatus]),
        converted_customers=converted,
        conversion_rate=_ratio(converted, collected),
        facilities_opened=facilities,
        facilities_plafond=plafond,
        introductions=sum(n for _outcome, n in by_outcome),
        introductions_by_outcome=_breakdown(by_outcome, [o.value for o in IntroductionOutcome]),
        cost=campaign.cost,
        cost_per_converted_customer=per_customer,
    )


@tagged_counts_source
def tagged_prospect_counts(actor, campaign_ids: list[int]) -> dict[int, int]:
    """Prospects tagged with each campaign that the user may see (one query for a list page)."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        sa.select(Prospect.campaign_id, sa.func.count())
        .where(Prospect.campaign_id.in_(campaign_ids), scope_condition(actor, Prospect))
        .group_by(Prospect.campaign_id)
    )
    return {campaign_id: int(n) for campaign_id, n in rows}
