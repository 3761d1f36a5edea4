"""Reviewing a customer's report of a period: who may (a supervisor of the customer's branch or an
admin; officers not; out of scope is 404), the audit entry, validation, the page's form (CSRF,
422 with the field's message), the list and the customer page showing it, and the API."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.reports import reviews, services
from aoapp.reports.models import Report, ReportReview
from tests.reports.conftest import PERIOD
from tests.support.html import html_id_problems
from tests.support.i18n import english_leftovers, speak_indonesian


def _customer(cif: str) -> Customer:
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


@pytest.fixture
def report(book, world) -> Report:
    """The June report of Warung Budi (CIF-B1: ao.budi, JKT01)."""
    return services.customer_report(world.officer, _customer("CIF-B1").id, PERIOD)[0]


def _reviews() -> list[ReportReview]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ReportReview).order_by(ReportReview.id)))


def _audits() -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == "reportreview")
    return list(db.session.scalars(stmt))


class TestService:
    def test_a_supervisor_of_the_branch_reviews_audited(self, report, world):
        review = reviews.review_report(world.supervisor, report.id, "  Collateral checked  ")
        assert (review.customer_id, review.period, review.report_id) == (
            report.customer_id,
            PERIOD,
            report.id,
        )
        assert review.reviewed_by_id == world.supervisor.id and review.note == "Collateral checked"
        [entry] = _audits()
        assert (entry.action, entry.entity_id, entry.actor_id) == (
            "create",
            review.id,
            world.supervisor.id,
        )
        assert entry.before is None and entry.after["note"] == "Collateral checked"
        assert entry.after["period"] == PERIOD

    def test_an_admin_may_review_an_officer_may_not(self, report, world):
        assert reviews.review_report(world.admin, report.id, "").note == ""
        with pytest.raises(Forbidden):
            reviews.review_report(world.officer, report.id, "mine")
        assert len(_reviews()) == 1 and len(_audits()) == 1

    def test_out_of_scope_is_not_found(self, report, world):
        for actor in (world.bdg_supervisor, world.remote, world.colleague):
            with pytest.raises(NotFound):
                reviews.review_report(actor, report.id, "x")
        with pytest.raises(NotFound):
            reviews.review_report(world.admin, 999999, "x")
        assert _reviews() == []

    def test_a_portfolio_report_and_a_long_note_are_refused(self, book, report, world):
        portfolio, _new = services.portfolio_report(
            world.supervisor, PERIOD, "branch", None, world.jkt.id
        )
        with pytest.raises(InvalidInput):
            reviews.review_report(world.supervisor, portfolio.id, "x")
        with pytest.raises(InvalidInput) as refused:
            reviews.review_report(world.supervisor, report.id, "x" * 1001)
        assert refused.value.errors == {"note": ["At most 1000 characters."]}
        assert _reviews() == [] and _audits() == []

    def test_the_review_belongs_to_the_period_and_outlives_regeneration(
        self, report, world, travel_to
    ):
        now = utcnow()
        reviews.review_report(world.supervisor, report.id, "first")
        travel_to(now + timedelta(minutes=5))
        reviews.review_report(world.admin, report.id, "second")
        again = services.regenerate(world.officer, report)
        db.session.expire_all()
        assert reviews.review_of(db.session.get(Report, again.id)).note == "second"
        page = services.list_reports(world.officer, {"period": PERIOD}, 50)
        by_id = {r.id: r.latest_review for r in page.items}
        assert by_id[again.id].note == "second"
        assert [r for i, r in by_id.items() if i != again.id] == [None] * (len(by_id) - 1)


class TestPages:
    def test_the_supervisor_reviews_from_the_list(self, client, auth, report, world):
        auth.login("spv.jkt")
        listing = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert f'action="/reports/{report.id}/review"' in listing
        response = auth.post(f"/reports/{report.id}/review", {"note": "Photos OK", "back": "list"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(
            f"/reports/?period={PERIOD}#report-{report.id}"
        )
        [review] = _reviews()
        assert (review.note, review.reviewed_by_id) == ("Photos OK", world.supervisor.id)
        assert len(_audits()) == 1
        page = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        row = re.search(rf'<tr data-report="{report.id}".*?</tr>', page, re.S).group(0)
        assert "Reviewed" in row and "by Spv.Jkt on " in row and "Photos OK" in row

    def test_from_the_customer_page_and_the_officer_sees_the_note(
        self, client, auth, report, world
    ):
        auth.login("spv.jkt")
        url = f"/customers/{report.customer_id}"
        assert f'action="/reports/{report.id}/review"' in client.get(url).get_data(as_text=True)
        response = auth.post(
            f"/reports/{report.id}/review", {"note": "Call the owner", "back": "customer"}
        )
        assert response.headers["Location"].endswith(f"{url}#reports")
        auth.logout()
        auth.login("ao.budi")
        page = client.get(url).get_data(as_text=True)
        assert "Call the owner" in page and "by Spv.Jkt on " in page
        assert f'action="/reports/{report.id}/review"' not in page  # no form for the officer
        listing = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert "Call the owner" in listing and "/review" not in listing

    def test_a_long_note_is_422_with_the_fields_message(self, client, auth, report):
        auth.login("spv.jkt")
        response = auth.post(f"/reports/{report.id}/review", {"note": "x" * 1001})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "At most 1000 characters." in page and 'name="note"' in page
        assert _reviews() == []

    def test_csrf_roles_and_scope(self, client, auth, report, world):
        auth.login("spv.jkt")
        response = client.post(f"/reports/{report.id}/review", data={"note": "x"})
        assert response.status_code == 400  # no CSRF token
        auth.logout()
        auth.login("ao.budi")
        assert auth.post(f"/reports/{report.id}/review", {"note": "x"}).status_code == 403
        auth.logout()
        auth.login("spv.bdg")
        assert auth.post(f"/reports/{report.id}/review", {"note": "x"}).status_code == 404
        assert auth.post("/reports/999999/review", {"note": "x"}).status_code == 404
        assert _reviews() == []

    def test_unique_ids_and_indonesian(self, client, auth, report, world):
        services.generate_customer_reports(None, PERIOD)  # every row with its form
        reviews.review_report(world.supervisor, report.id, "Agunan sudah difoto")
        auth.login("spv.jkt")
        listing = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert listing.count('name="note"') == 4  # the branch's four customer reports
        customer_page = client.get(f"/customers/{report.customer_id}").get_data(as_text=True)
        refused = auth.post(f"/reports/{report.id}/review", {"note": "x" * 1001})
        for page in (listing, refused.get_data(as_text=True)):
            assert html_id_problems(page) == []
        # The customer page's own forms share `csrf_token` ids (not this section's doing).
        problems = html_id_problems(customer_page)
        assert [p for p in problems if "csrf_token" not in p] == []
        assert f'id="review-note-customer-{report.id}"' in customer_page
        speak_indonesian(auth)
        listing = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert "Diperiksa" in listing and "oleh Spv.Jkt pada " in listing
        assert "Tandai sudah diperiksa" in listing and "Catatan pemeriksaan" in listing
        assert english_leftovers(listing) == []
        refused = auth.post(f"/reports/{report.id}/review", {"note": "x" * 1001})
        assert "Paling banyak 1000 karakter." in refused.get_data(as_text=True)
        assert english_leftovers(refused.get_data(as_text=True)) == []


class TestApi:
    def test_review_then_read_it_on_the_item_and_the_list(self, api, report, world):
        response = api(world.supervisor).post(
            f"/api/v1/reports/{report.id}/review", json={"note": "Looks right"}
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["note"] == "Looks right" and body["period"] == PERIOD
        assert body["reviewed_by_id"] == world.supervisor.id
        assert body["reviewed_by_name"] == "Spv.Jkt" and body["report_id"] == report.id
        officer = api(world.officer)
        item = officer.get(f"/api/v1/reports/{report.id}").get_json()
        assert item["review"]["note"] == "Looks right"
        assert item["review"]["reviewed_at"] == body["reviewed_at"]
        listed = officer.get(f"/api/v1/reports?period={PERIOD}").get_json()["items"]
        assert {i["id"]: i["review"] is not None for i in listed} == {
            i["id"]: i["id"] == report.id for i in listed
        }
        assert len(_audits()) == 1

    def test_refusals(self, api, report, world):
        url = f"/api/v1/reports/{report.id}/review"
        assert api(world.officer).post(url, json={"note": "x"}).status_code == 403
        assert api(world.bdg_supervisor).post(url, json={"note": "x"}).status_code == 404
        long = api(world.admin).post(url, json={"note": "x" * 1001})
        assert long.status_code == 422
        assert long.get_json()["errors"]["note"] == ["At most 1000 characters."]
        assert api(world.admin).post(url, json={"nope": 1}).status_code == 422
        assert _reviews() == []
