"""Marketing campaigns: who sees and manages them, create/edit (one transaction, audited), lists.

Scope: an admin manages every campaign; a supervisor sees the campaigns that run in any of their
branches and manages those that run only in their branches; an officer reads the campaigns of
their own branch. A campaign outside the user's scope is NotFound.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from aoapp.audit import services as audit
from aoapp.auth.models import Branch, Role
from aoapp.auth.scoping import MAX_ID
from aoapp.campaigns.models import Campaign, campaign_branches
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.products.models import Product

SORTABLE = {
    "name": Campaign.name,
    "channel": Campaign.channel,
    "starts_on": Campaign.starts_on,
    "ends_on": Campaign.ends_on,
}
NAME_TAKEN = _l("Another campaign already has this name.")
MANAGERS_ONLY = _l("Only supervisors and administrators manage campaigns.")


# --- Scope -----------------------------------------------------------------------------------


def branch_ids_in_scope(actor) -> list[int] | None:
    """Branches whose campaigns the user sees; None means every branch (admin)."""
    if actor.role == Role.ADMIN:
        return None
    if actor.role == Role.SUPERVISOR:
        return actor.supervised_branch_ids
    return [actor.branch_id] if actor.branch_id else []


def touching(branch_ids: list[int]):
    """Campaigns that run in at least one of these branches."""
    runs_in = sa.select(campaign_branches.c.campaign_id).where(
        campaign_branches.c.branch_id.in_(branch_ids)
    )
    return Campaign.id.in_(runs_in)


def visible_campaigns(actor, stmt: sa.Select) -> sa.Select:
    """Narrow a select of campaigns to those the user may see."""
    branches = branch_ids_in_scope(actor)
    return stmt if branches is None else stmt.where(touching(branches))


def get_campaign(actor, campaign_id) -> Campaign:
    """A campaign the user may see, or NotFound (never 403: ids do not leak)."""
    try:
        campaign_id = int(campaign_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < campaign_id <= MAX_ID:
        raise NotFound()
    stmt = visible_campaigns(actor, sa.select(Campaign).where(Campaign.id == campaign_id))
    campaign = db.session.scalar(stmt)
    if campaign is None:
        raise NotFound()
    return campaign


def can_see_campaign(actor, campaign_id: int) -> bool:
    """True when the user may open the campaign's page."""
    stmt = visible_campaigns(actor, sa.select(Campaign.id).where(Campaign.id == campaign_id))
    return db.session.scalar(stmt) is not None


def usable_branches(actor) -> list[Branch]:
    """Branches the user may put a campaign in: all for an admin, their own for a supervisor."""
    stmt = sa.select(Branch).order_by(Branch.code)
    if actor.role == Role.SUPERVISOR:
        stmt = stmt.where(Branch.id.in_(actor.supervised_branch_ids))
    elif actor.role != Role.ADMIN:
        return []
    return list(db.session.scalars(stmt))


def visible_branches(actor) -> list[Branch]:
    """Branches the user may filter campaigns by."""
    branches = branch_ids_in_scope(actor)
    stmt = sa.select(Branch).order_by(Branch.code)
    if branches is not None:
        stmt = stmt.where(Branch.id.in_(branches))
    return list(db.session.scalars(stmt))


def require_manager(actor) -> None:
    """Only supervisors and admins create campaigns."""
    if actor.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden(MANAGERS_ONLY)


def can_manage(actor, campaign: Campaign) -> bool:
    """Admins manage every campaign; a supervisor those that run only in their branches."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role != Role.SUPERVISOR:
        return False
    return {b.id for b in campaign.branches} <= set(actor.supervised_branch_ids)


def require_can_manage(actor, campaign: Campaign) -> None:
    """Refuse a change by someone who may only read the campaign."""
    require_manager(actor)
    if not can_manage(actor, campaign):
        raise Forbidden(_("This campaign also runs in branches you do not supervise."))


# --- Create and edit -------------------------------------------------------------------------


def audit_snapshot(campaign: Campaign) -> dict:
    """The campaign's columns plus its branches and products, for the audit log."""
    return {
        **audit.snapshot(campaign),
        "branches": [b.code for b in campaign.branches],
        "products": [p.code for p in campaign.products],
    }


def _resolve(actor, values: dict, current: Campaign | None = None) -> dict:
    """Check the name, the period, the branches and the products; ids become records."""
    errors: dict[str, list[str]] = {}
    if "name" in values:
        taken = sa.select(Campaign.id).where(sa.func.lower(Campaign.name) == values["name"].lower())
        if current is not None:
            taken = taken.where(Campaign.id != current.id)
        if db.session.scalar(taken):
            errors["name"] = [NAME_TAKEN]
    starts = values.get("starts_on", current.starts_on if current else None)
    ends = values.get("ends_on", current.ends_on if current else None)
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if "branches" in values:
        allowed = {b.id: b for b in usable_branches(actor)}
        wanted = list(dict.fromkeys(values["branches"]))
        if not wanted:
            errors["branches"] = [_("Pick at least one branch.")]
        elif any(branch_id not in allowed for branch_id in wanted):
            mine = actor.role == Role.SUPERVISOR
            errors["branches"] = [
                _("Pick only branches you supervise.") if mine else _("Unknown branch.")
            ]
        else:
            values["branches"] = sorted((allowed[b] for b in wanted), key=lambda b: b.code)
    if "products" in values:
        wanted = list(dict.fromkeys(values["products"]))
        kept = {p.id for p in current.products} if current else set()
        found = {
            p.id: p for p in db.session.scalars(sa.select(Product).where(Product.id.in_(wanted)))
        }
        # A product promoted before it was deactivated may stay; a new one must be active.
        if any(pid not in found or not (found[pid].active or pid in kept) for pid in wanted):
            errors["products"] = [_("Pick active products only.")]
        else:
            values["products"] = sorted((found[pid] for pid in wanted), key=lambda p: p.code)
    if errors:
        raise InvalidInput(_("Some fields are not valid."), errors)
    return values


def campaign_work():
    """One transaction for a campaign: a name taken by a concurrent save is a field error, not a
    crash."""
    return unit_of_work(duplicate=NAME_TAKEN, duplicate_field="name")


def _audit(actor, campaign: Campaign, before: dict | None) -> None:
    """Flush (a new campaign gets its id) and audit the change."""
    db.session.flush()
    action = "create" if before is None else "update"
    audit.record(actor, campaign, action, before, audit_snapshot(campaign))


@campaign_work()
def create_campaign(actor, data: dict) -> Campaign:
    """Create a campaign (supervisor for their branches, or admin), audited, in one transaction."""
    require_manager(actor)
    values = _resolve(actor, dict(data))
    campaign = Campaign(**values, created_by_id=actor.id)
    db.session.add(campaign)
    _audit(actor, campaign, None)
    return campaign


@campaign_work()
def update_campaign(actor, campaign: Campaign, data: dict) -> Campaign:
    """Change a campaign the user manages (the new branches must be theirs too), audited."""
    require_can_manage(actor, campaign)
    before = audit_snapshot(campaign)
    values = _resolve(actor, dict(data), current=campaign)
    for key, value in values.items():
        setattr(campaign, key, value)
    campaign.updated_at = utcnow()  # also when only its branches or products changed
    _audit(actor, campaign, before)
    return campaign


# --- Lists -----------------------------------------------------------------------------------


def status_on(campaign: Campaign, day: date) -> str:
    """upcoming before its start, running within its period, ended after it."""
    if day < campaign.starts_on:
        return "upcoming"
    return "running" if day <= campaign.ends_on else "ended"


def campaign_query(actor, filters: dict, today: date | None = None) -> sa.Select:
    """The scoped, filtered and sorted select behind the list page and the API."""
    today = today or bank_today()
    stmt = visible_campaigns(actor, sa.select(Campaign)).options(
        selectinload(Campaign.branches),
        selectinload(Campaign.products),
        selectinload(Campaign.created_by),
    )
    if filters.get("channel"):
        stmt = stmt.where(Campaign.channel == filters["channel"])
    if filters.get("branch"):
        stmt = stmt.where(touching([filters["branch"]]))
    if filters.get("active_on"):
        day = filters["active_on"]
        stmt = stmt.where(Campaign.starts_on <= day, Campaign.ends_on >= day)
    status = filters.get("status")
    if status == "upcoming":
        stmt = stmt.where(Campaign.starts_on > today)
    elif status == "running":
        stmt = stmt.where(Campaign.starts_on <= today, Campaign.ends_on >= today)
    elif status == "ended":
        stmt = stmt.where(Campaign.ends_on < today)
    text = (filters.get("q") or "").strip().lower()
    if text:
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Campaign.name).contains(text, autoescape=True),
                sa.func.lower(Campaign.description).contains(text, autoescape=True),
            )
        )
    return apply_sort(stmt, filters.get("sort"), SORTABLE, "-starts_on", Campaign.id)


def list_campaigns(actor, filters: dict, per_page: int) -> Page:
    """One page of the campaigns the user may see."""
    return paginate(campaign_query(actor, filters), filters.get("page", 1), per_page)


def visible_campaign_choices(actor) -> list[Campaign]:
    """Every campaign the user may see, newest first (for list filters)."""
    stmt = visible_campaigns(actor, sa.select(Campaign))
    return list(db.session.scalars(stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())))
