"""Demo marketing campaigns, and the demo prospects and introductions they brought.

Campaigns are found by name and created through the campaigns service (audited); tags are set
through the prospect and introduction services, only where a record has no campaign yet, so
seeding twice changes nothing. Periods are relative to today, around the demo prospects' dates.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.auth.models import Branch, User
from aoapp.campaigns import services as campaign_services
from aoapp.campaigns.models import Campaign
from aoapp.customers.models import Customer
from aoapp.demo import data
from aoapp.extensions import db
from aoapp.introductions import services as introduction_services
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from aoapp.prospects import services as prospect_services
from aoapp.prospects.models import Prospect

# Prospects and introductions are named by officer and number (see data.PROSPECTS, CUSTOMERS);
# an introduction is (prospect number or ("customer", number), product code).
CAMPAIGNS = [
    {
        "name": "Pameran UMKM Jakarta",
        "channel": "event",
        "days": (-50, -10),
        "branches": ["JKT01"],
        "products": ["KUR", "KMK"],
        "cost": Decimal("25000000"),
        "description": "Stan di pameran UMKM akhir pekan di mal-mal Jakarta Selatan.",
        "prospects": {"ao.budi": [3, 7, 8, 10], "ao.sari": [3, 7, 8, 10]},
        "introductions": {},
    },
    {
        "name": "Promo KUR Digital",
        "channel": "social_media",
        "days": (-60, 20),
        "branches": ["JKT01", "BDG01"],
        "products": ["KUR", "MBANKING"],
        "cost": Decimal("12000000"),
        "description": "Iklan Instagram dan WhatsApp: ajukan KUR dan aktifkan mobile banking.",
        "prospects": {"ao.budi": [1, 5, 6, 9], "ao.sari": [1, 5, 6, 9], "ao.dewi": [1, 5, 6, 8, 9]},
        "introductions": {
            officer: [(6, "KUR"), (("customer", 1), "MBANKING")]
            for officer in ("ao.budi", "ao.sari", "ao.dewi")
        },
    },
]


def seed_campaigns(created: Counter, present: Counter, today: date) -> None:
    """Create the missing demo campaigns and tag their untagged prospects and introductions."""
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    for spec in CAMPAIGNS:
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.name == spec["name"]))
        (created if campaign is None else present)["campaigns"] += 1
        if campaign is None:
            campaign = _create(admin, spec, today)
        for username, numbers in spec["prospects"].items():
            officer = _officer(username)
            for number in numbers:
                _tag_prospect(officer, _prospect(officer, number), campaign, created, present)
        for username, introductions in spec["introductions"].items():
            officer = _officer(username)
            for subject, code in introductions:
                introduction = _introduction(officer, subject, code)
                _tag_introduction(officer, introduction, campaign, created, present)


def _create(admin: User, spec: dict, today: date) -> Campaign:
    branches = db.session.scalars(sa.select(Branch.id).where(Branch.code.in_(spec["branches"])))
    products = db.session.scalars(sa.select(Product.id).where(Product.code.in_(spec["products"])))
    first, last = spec["days"]
    return campaign_services.create_campaign(
        admin,
        {
            "name": spec["name"],
            "channel": spec["channel"],
            "starts_on": today + timedelta(days=first),
            "ends_on": today + timedelta(days=last),
            "branches": list(branches),
            "products": list(products),
            "cost": spec["cost"],
            "description": spec["description"],
        },
    )


def _officer(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _officer_no(officer: User) -> int:
    return data.OFFICERS[officer.username][0]


def _prospect(officer: User, number: int) -> Prospect:
    phone = data.prospect_phone(_officer_no(officer), number)
    return db.session.scalar(
        sa.select(Prospect).where(Prospect.owner_id == officer.id, Prospect.phone == phone)
    )


def _introduction(officer: User, subject, code: str) -> Introduction | None:
    product_id = sa.select(Product.id).where(Product.code == code).scalar_subquery()
    if isinstance(subject, tuple):
        cif = data.customer_keys(_officer_no(officer), subject[1])["cif"]
        customer_id = sa.select(Customer.id).where(Customer.cif == cif).scalar_subquery()
        about = Introduction.customer_id == customer_id
    else:
        about = Introduction.prospect_id == _prospect(officer, subject).id
    return db.session.scalar(
        sa.select(Introduction).where(about, Introduction.product_id == product_id)
    )


def _tag_prospect(officer, prospect, campaign, created, present) -> None:
    if prospect is None or prospect.campaign_id is not None:
        present["campaign tags"] += prospect is not None
        return
    prospect_services.update_prospect(officer, prospect, {"campaign_id": campaign.id})
    created["campaign tags"] += 1


def _tag_introduction(officer, introduction, campaign, created, present) -> None:
    if introduction is None or introduction.campaign_id is not None:
        present["campaign tags"] += introduction is not None
        return
    introduction_services.update_introduction(officer, introduction, {"campaign_id": campaign.id})
    created["campaign tags"] += 1
