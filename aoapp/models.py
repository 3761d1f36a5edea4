"""Every model, imported in one place so the metadata (and Alembic) sees them all."""

from aoapp.agenda.models import CalendarFeed
from aoapp.audit.models import AuditEntry
from aoapp.auth.models import ApiToken, Branch, User, supervised_branches
from aoapp.campaigns.models import Campaign, campaign_branches, campaign_products
from aoapp.common.latest import LISTING_DATES
from aoapp.complaints.models import Complaint
from aoapp.credit.models import (
    CollectibilityBand,
    Facility,
    KolUpgrade,
    MonitoringVisit,
    Position,
)
from aoapp.credit.rollups import ROLLUPS, SHARED
from aoapp.credit.visits.models import VisitPhoto
from aoapp.customers.models import Customer, ProductHolding
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.funding.relationship_rows import PAIRS, ROWS  # and its listener of the ORM's writes
from aoapp.funding.relationship_tables import DEPARTURES, STEPS
from aoapp.funding.relationship_tables import ROLLUPS as RELATIONSHIP_ROLLUPS
from aoapp.funding.rollups import ROLLUPS as DEPOSIT_ROLLUPS  # and its listener of the ORM's writes
from aoapp.funding.rollups import RUNOFF as DEPOSIT_RUNOFF
from aoapp.funding.rollups import RUNOFF_STEPS as DEPOSIT_RUNOFF_STEPS
from aoapp.funding.rollups import SHARED as DEPOSIT_SHARED
from aoapp.handovers.models import Handover, HandoverCustomer
from aoapp.imports.models import PositionImport
from aoapp.introductions.models import Introduction
from aoapp.notifications.models import DigestSend, Notification
from aoapp.offline.models import IdempotencyKey
from aoapp.plans.models import (
    AccountPlan,
    AccountPlanComment,
    AccountPlanGoal,
    AccountPlanProduct,
)
from aoapp.products.models import Product
from aoapp.prospects.models import Prospect, ProspectStatusChange
from aoapp.renewals.models import RenewalOpportunity
from aoapp.reports.models import Report, ReportBatch, ReportReview
from aoapp.search.indexes import INDEXES as SEARCH_INDEXES
from aoapp.surveys.models import Survey
from aoapp.targets.models import Target

__all__ = [
    "DEPARTURES",
    "DEPOSIT_ROLLUPS",
    "DEPOSIT_RUNOFF",
    "DEPOSIT_RUNOFF_STEPS",
    "DEPOSIT_SHARED",
    "LISTING_DATES",
    "PAIRS",
    "RELATIONSHIP_ROLLUPS",
    "ROLLUPS",
    "ROWS",
    "SHARED",
    "STEPS",
    "AccountPlan",
    "AccountPlanComment",
    "AccountPlanGoal",
    "AccountPlanProduct",
    "ApiToken",
    "AuditEntry",
    "Branch",
    "CalendarFeed",
    "Campaign",
    "CollectibilityBand",
    "Complaint",
    "Customer",
    "DepositAccount",
    "DepositPosition",
    "DigestSend",
    "Facility",
    "FollowUp",
    "IdempotencyKey",
    "Handover",
    "HandoverCustomer",
    "Introduction",
    "KolUpgrade",
    "Notification",
    "MonitoringVisit",
    "Position",
    "PositionImport",
    "Product",
    "ProductHolding",
    "PromiseToPay",
    "RenewalOpportunity",
    "Prospect",
    "ProspectStatusChange",
    "Report",
    "SEARCH_INDEXES",
    "ReportBatch",
    "ReportReview",
    "Survey",
    "Target",
    "User",
    "VisitPhoto",
    "campaign_branches",
    "campaign_products",
    "supervised_branches",
]
