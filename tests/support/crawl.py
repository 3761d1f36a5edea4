"""What a crawl of every page visits: records of every kind the officer of the `world` owns (with
system-written texts), and the URL of every GET page the URL map can build for them.

Used by the Indonesian crawl (tests/i18n/test_crawl.py) and the phone-width crawl
(tests/e2e/test_phone_width.py).
"""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.audit.models import AuditEntry
from aoapp.common.system_text import said
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.followups.suggestions import suggest_after_import
from aoapp.imports import texts as import_texts
from aoapp.imports.models import PositionImport
from aoapp.pages.audit import BROWSABLE
from aoapp.plans import services as plans
from aoapp.prospects.models import Prospect
from aoapp.prospects.services import change_status
from aoapp.reports.models import Report
from tests.support import credit_visits as visit_helpers
from tests.support import factories
from tests.support import followups as followup_helpers
from tests.support import holdings as holding_helpers
from tests.support import renewals as renewal_helpers
from tests.support import surveys as survey_helpers
from tests.support.credit import make_facility, post_listing
from tests.support.holdings import make_deposit
from tests.support.products import make_introduction

# Pages a crawl does not open: not HTML pages, or actions that change state on GET.
SKIP_ENDPOINTS = {
    "static",
    "healthz",
    "auth.logout",
    "language",
    "agenda.calendar_feed",
}
AS_OF = date(2026, 10, 31)
TODAY = "2026-11-04"  # the day the crawls run on (the records' states depend on it)


def _import_and_report(world, customer) -> tuple[PositionImport, Report]:
    """A listing import's record (by the admin) and a generated customer report."""
    record = PositionImport(
        file_name="listing_kredit_2026-10-31.csv",
        sha256="0" * 64,
        as_of=AS_OF,
        status="succeeded",
        stage="done",
        progress=100,
        rows=2,
        user_id=world.admin.id,
    )
    report = Report(
        kind="customer",
        period="2026-10",
        period_start=date(2026, 10, 1),
        period_end=AS_OF,
        as_of=AS_OF,
        scope="customer",
        scope_key=f"customer:{customer.id}",
        customer_id=customer.id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        path=f"2026-10/JKT01/ao.budi/2026-10_{customer.cif}_laporan.xlsx",
        size=12345,
        sha256="0" * 64,
    )
    db.session.add_all([record, report])
    db.session.commit()
    return record, report


def _refused_imports(world) -> list[int]:
    """Records of a rejected and a failed listing import with the texts the system wrote on
    them (a refusal, the notes on how the file was read); their ids."""
    rejected = PositionImport(
        user_id=world.admin.id,
        source="web",
        file_name="daftar.csv",
        sha256="1" * 64,
        as_of=AS_OF,
        status="rejected",
        stage="rejected",
        error_count=2,
        summary={
            "notes": [
                said(import_texts.FORMAT, format="csv", delimiter=";", encoding="utf-8"),
                said(import_texts.NUMBERS, convention="comma", detected=True),
                said(import_texts.DATES, convention="dmy", detected=False),
            ]
        },
    )
    rejected.set_message(import_texts.ROWS_REJECTED, errors=2, rows=1)
    failed = PositionImport(
        user_id=world.admin.id,
        source="web",
        file_name="lama.xlsx",
        sha256="2" * 64,
        as_of=AS_OF,
        status="rejected",
        stage="rejected",
    )
    failed.set_message(import_texts.HEADERS, missing=["cif", "dpd"], duplicates=[])
    db.session.add_all([rejected, failed])
    db.session.commit()
    return [rejected.id, failed.id]


def growth_records(officer, customer, facility, written_on: date) -> dict[str, object]:
    """The relationship's records: an account plan with a goal of each kind, a renewal with its
    outcome, a low survey score (its follow-up's note) and a survey still to answer (its public
    page). The plan is written on `written_on` (its record says so: a period's workbook shows
    the plans written by its end)."""
    plan = plans.save_plan(
        officer,
        customer.id,
        {
            "needs": "Modal kerja",
            "need_tags": ["working_capital"],
            "risks": "",
            "next_step": "Kunjungi toko",
            "review_months": 3,
            "next_review_date": None,
            "products": [],
            "goals": [
                {**GOAL, "kind": "outstanding_at_least", "amount": 2_000_000_000},
                {**GOAL, "kind": "dpk_at_least", "amount": 500_000_000},
                {**GOAL, "kind": "holds_product", "category": "giro"},
                {**GOAL, "kind": "max_dpd", "dpd": 30},
                {**GOAL, "kind": "action", "text": "Presentasi payroll", "done": True},
            ],
            "version": None,
        },
        today=date.fromisoformat(TODAY),
    )
    plan.created_at = datetime.combine(written_on, time(3), UTC)
    db.session.commit()
    renewal = renewal_helpers.opportunity(facility, officer, stage="closed")
    renewal.maturity_date = written_on - timedelta(days=5)  # the month's renewal figures
    lost = renewal_helpers.opportunity(make_facility(customer), officer, stage="closed")
    lost.maturity_date, lost.outcome = renewal.maturity_date, "paid_off_lost"
    lost.lost_reason, lost.lost_note = "competitor", "Bunga lebih rendah"
    db.session.commit()
    survey_helpers.answered(officer, customer, 1, recommend=3, comment="Lambat")
    _survey, token = survey_helpers.sent(officer, customer, "renewal", renewal=renewal.id)
    return {"renewal_id": renewal.id, "token": token}


GOAL = {
    "amount": None,
    "dpd": None,
    "category": None,
    "product_code": None,
    "text": "",
    "due_date": None,
    "done": False,
}


def records(world) -> tuple[dict[str, object], list[str]]:
    """Demo-like records of the officer with system-written texts: the route values, and the
    URLs of every follow-up's page (and of the planned ones' outcome form), of refused imports
    and of every record's audit trail. Call inside a test request context."""
    officer = db.session.merge(world.officer)
    # The records are made while the officer reads English (as the old notes were then written
    # in English); the crawl then reads them in Indonesian.
    officer.locale = "en"
    db.session.commit()
    product = factories.make_product("KMK")
    customer = factories.make_customer(officer)
    prospect = factories.make_prospect(officer)
    closed = factories.make_prospect(officer)
    facility = make_facility(customer)
    other = make_facility(factories.make_customer(officer))
    post_listing(AS_OF, [(facility, 400, "50000000")])
    post_listing(AS_OF, [(other, 12, "25000000")])
    # What the customer holds besides credit: the wallet, products held, a stale hand record.
    make_deposit(customer, "TAB", {AS_OF - timedelta(days=31): "11000000", AS_OF: "12500000"})
    make_deposit(customer, "DEP", {AS_OF: "100000000"})
    holding_helpers.record(customer, "MBANKING")
    holding_helpers.record(customer, "GIRO")  # typed by hand; no listing shows it
    suggest_after_import(AS_OF, today=AS_OF + timedelta(days=4))
    # A broken promise, and its suggestion.
    done = followup_helpers.followup(officer, facility=other, planned_date=AS_OF - timedelta(20))
    promise = followup_helpers.promise(done, promised_on=AS_OF - timedelta(20))
    followup = followup_helpers.followup(officer, customer=customer, notes="Tanya kabar")
    followup_helpers.followup(officer, prospect=closed)
    with force_locale("en"):
        change_status(officer, db.session.get(Prospect, closed.id), "lost", "not_interested")
    visit = visit_helpers.visit(customer, officer)
    complaint = followup_helpers.complaint(customer)
    campaign = factories.make_campaign("Pameran UMKM", branches=("JKT01",))
    factories.make_target(officer, date(2026, 10, 1), new_customers=1)
    introduction = make_introduction(
        officer, product, customer_id=customer.id, introduced_on=AS_OF - timedelta(days=3)
    )
    listing, _ = _import_and_report(world, customer)
    refused = _refused_imports(world)
    growth = growth_records(officer, customer, facility, AS_OF)
    return {
        "prospect_id": prospect.id,
        "customer_id": customer.id,
        "facility_id": facility.id,
        "followup_id": followup.id,
        "promise_id": promise.id,
        "visit_id": visit.id,
        "complaint_id": complaint.id,
        "campaign_id": campaign.id,
        "product_id": product.id,
        "introduction_id": introduction.id,
        "import_id": listing.id,
        "user_id": officer.id,
        "officer_id": officer.id,
        "month": "2026-10",
        "entity": "prospect",
        "entity_id": prospect.id,
        **growth,
    }, [f"/followups/{row.id}" for row in db.session.scalars(sa.select(FollowUp))] + [
        f"/followups/{row.id}/complete"
        for row in db.session.scalars(sa.select(FollowUp).where(FollowUp.status == "planned"))
    ] + [f"/imports/{record_id}" for record_id in refused] + [
        # The audit trail of each kind of record (its values: codes, texts the system wrote).
        f"/audit/{entity}/{entity_id}"
        for entity, entity_id in db.session.execute(
            sa.select(AuditEntry.entity_type, AuditEntry.entity_id).distinct()
        )
        if entity in BROWSABLE
    ]


def page_urls(app, values: dict, extra: list[str]) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET page without parameters or with parameters we can fill."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP_ENDPOINTS:
            continue
        if rule.rule.startswith("/api/") or rule.endpoint.startswith("api-docs"):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        args = {arg: values[arg] for arg in rule.arguments}
        urls.append((rule.endpoint, rule.build(args, append_unknown=False)[1]))
    adapter = app.url_map.bind("localhost")
    urls += [(adapter.match(url)[0], url) for url in extra]
    return sorted(set(urls))
