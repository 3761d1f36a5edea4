"""Every model, imported in one place so the metadata (and Alembic) sees them all."""

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import ApiToken, Branch, User, supervised_branches
from aoapp.credit.models import (
    CollectibilityBand,
    Facility,
    KolUpgrade,
    MonitoringVisit,
    Position,
)
from aoapp.customers.models import Customer, ProductHolding
from aoapp.imports.models import PositionImport
from aoapp.products.models import Introduction, Product
from aoapp.prospects.models import Prospect, ProspectStatusChange

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Branch",
    "CollectibilityBand",
    "Customer",
    "Facility",
    "Introduction",
    "KolUpgrade",
    "MonitoringVisit",
    "Position",
    "PositionImport",
    "Product",
    "ProductHolding",
    "Prospect",
    "ProspectStatusChange",
    "User",
    "supervised_branches",
]
