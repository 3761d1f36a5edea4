"""Which campaigns a prospect or an introduction may be tagged with: those that run in the branch
of the officer who owns the prospect or customer."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from aoapp.campaigns.models import Campaign, campaign_branches
from aoapp.campaigns.services import touching
from aoapp.errors import InvalidInput
from aoapp.extensions import db

NOT_IN_BRANCH = _l("This campaign does not run in your branch.")


def taggable_campaigns(branch_id: int | None, current: Campaign | None = None) -> list[Campaign]:
    """Campaigns that run in the branch, newest first; the current tag stays offered."""
    campaigns = []
    if branch_id is not None:
        stmt = (
            sa.select(Campaign)
            .where(touching([branch_id]))
            .order_by(Campaign.starts_on.desc(), Campaign.name)
        )
        campaigns = list(db.session.scalars(stmt))
    if current is not None and current not in campaigns:
        campaigns.append(current)
    return campaigns


def check_tag(
    campaign_id: int | None,
    branch_id: int | None,
    current_id: int | None = None,
    field: str = "campaign_id",
) -> int | None:
    """The campaign id when the campaign runs in the owner's branch (or is the current tag).

    An unknown id gets the same answer as a campaign of another branch, so ids do not leak.
    """
    if campaign_id is None or campaign_id == current_id:
        return campaign_id
    runs_here = (
        branch_id is not None
        and db.session.scalar(
            sa.select(campaign_branches.c.campaign_id).where(
                campaign_branches.c.campaign_id == campaign_id,
                campaign_branches.c.branch_id == branch_id,
            )
        )
        is not None
    )
    if not runs_here:
        raise InvalidInput(NOT_IN_BRANCH, {field: [NOT_IN_BRANCH]})
    return campaign_id


def campaign_label(campaign: Campaign) -> str:
    """How a campaign is named in pickers: its name and period."""
    return f"{campaign.name} ({campaign.starts_on:%d/%m/%Y}–{campaign.ends_on:%d/%m/%Y})"
