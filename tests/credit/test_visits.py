"""Monitoring visits: validation per field, audit, scoping per role on every page and endpoint."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits import services as service
from aoapp.errors import Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from tests.support import credit_visits as h
from tests.support.factories import make_customer

API = "/api/v1/monitoring-visits"


def visit_form(**overrides) -> dict:
    """A valid visit form as a browser submits it."""
    data = {
        "facility": "",
        "visit_date": (bank_today() - timedelta(days=1)).isoformat(),
        "business_condition": "Warung open, stock full",
        "collateral_condition": "House well kept",
        "collateral_value": "750000000",
        "findings": "Sales down 10% since the new market opened",
        "risk_rating": "adequate",
        "recommendations": "Visit again after Lebaran",
        "next_visit_date": (bank_today() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def visit_json(customer, **overrides) -> dict:
    """A valid visit as an API client posts it."""
    data = {
        "customer": customer.id,
        "visit_date": (bank_today() - timedelta(days=2)).isoformat(),
        "collateral_value": "500000000.00",
        "findings": "Two of five trucks idle",
        "risk_rating": "weak",
        "next_visit_date": (bank_today() + timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(MonitoringVisit.id)))


def audit_actions(visit_id=None) -> list[str]:
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == "monitoringvisit")
    if visit_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == visit_id)
    return [e.action for e in db.session.scalars(stmt.order_by(AuditEntry.id))]


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="Toko Sumber Rejeki")


class TestRecordService:
    def test_records_every_field_and_audits(self, world, customer):
        fac = h.facility(customer)
        data = {
            "customer": customer.id,
            "facility": fac.id,
            "visit_date": bank_today(),
            "business_condition": "Busy",
            "collateral_condition": "Good",
            "collateral_value": h.Decimal("1200000000.50"),
            "findings": "All fine",
            "risk_rating": "strong",
            "recommendations": "None",
            "next_visit_date": bank_today() + timedelta(days=90),
        }
        visit = service.record_visit(h.user(world.officer), data)
        db.session.expire_all()
        assert (visit.customer_id, visit.facility_id, visit.officer_id) == (
            customer.id,
            fac.id,
            world.officer.id,
        )
        assert visit.collateral_value == h.Decimal("1200000000.50")
        [entry] = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "monitoringvisit")
        )
        assert (entry.entity_type, entry.action, entry.actor_id) == (
            "monitoringvisit",
            "create",
            world.officer.id,
        )
        assert entry.after["risk_rating"] == "strong"
        assert entry.after["collateral_value"] == "1200000000.50"

    @pytest.mark.parametrize("rating", ["weak", "critical"])
    def test_weak_and_critical_visits_are_recorded(self, world, customer, rating):
        visit = service.record_visit(
            h.user(world.officer),
            {"customer": customer.id, "risk_rating": rating, "visit_date": bank_today()},
        )
        db.session.expire_all()
        assert db.session.get(MonitoringVisit, visit.id).risk_rating == rating

    def test_visit_date_defaults_to_today(self, world, customer):
        visit = service.record_visit(
            h.user(world.officer), {"customer": customer.id, "risk_rating": "strong"}
        )
        assert visit.visit_date == bank_today()

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"visit_date": "tomorrow"}, "visit_date", "cannot be in the future"),
            ({"next_visit_date": "same"}, "next_visit_date", "after this visit"),
            ({"next_visit_date": "before"}, "next_visit_date", "after this visit"),
            ({"collateral_value": h.Decimal("-1")}, "collateral_value", "zero or more"),
            ({"risk_rating": "good"}, "risk_rating", "strong, adequate, weak or critical"),
            ({"facility": "other"}, "facility", "not one of the customer's"),
            ({"facility": 999999}, "facility", "not one of the customer's"),
        ],
    )
    def test_each_rule_names_its_field(self, world, customer, changes, field, message):
        other = h.facility(make_customer(world.officer))
        today = bank_today()
        named = {
            "tomorrow": today + timedelta(days=1),
            "same": today - timedelta(days=3),
            "before": today - timedelta(days=10),
            "other": other.id,
        }
        data = {
            "customer": customer.id,
            "risk_rating": "adequate",
            "visit_date": today - timedelta(days=3),
        }
        data.update({k: named.get(v, v) if isinstance(v, str) else v for k, v in changes.items()})
        with pytest.raises(InvalidInput) as refused:
            service.record_visit(h.user(world.officer), data)
        assert message in refused.value.errors[field][0]
        db.session.rollback()
        assert count() == 0

    def test_only_the_assigned_officer_records(self, world, customer):
        data = {"customer": customer.id, "risk_rating": "strong"}
        for role in ("supervisor", "admin"):
            with pytest.raises(Forbidden):
                service.record_visit(h.user(getattr(world, role)), data)
        for outsider in ("colleague", "remote", "bdg_supervisor"):
            with pytest.raises(NotFound):
                service.record_visit(h.user(getattr(world, outsider)), data)
        assert count() == 0

    def test_update_and_delete_by_the_recording_officer_are_audited(self, world, customer):
        visit = service.record_visit(
            h.user(world.officer),
            {"customer": customer.id, "risk_rating": "adequate", "visit_date": bank_today()},
        )
        service.update_visit(h.user(world.officer), visit, {"risk_rating": "critical"})
        entry = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "monitoringvisit", AuditEntry.action == "update"
            )
        ).one()
        assert (entry.before["risk_rating"], entry.after["risk_rating"]) == ("adequate", "critical")
        with pytest.raises(InvalidInput) as refused:
            service.update_visit(
                h.user(world.officer), visit, {"next_visit_date": visit.visit_date}
            )
        assert "next_visit_date" in refused.value.errors
        db.session.rollback()
        service.delete_visit(h.user(world.officer), db.session.get(MonitoringVisit, visit.id))
        assert count() == 0
        assert audit_actions() == ["create", "update", "delete"]
        [deleted] = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "monitoringvisit", AuditEntry.action == "delete"
            )
        )
        assert deleted.before["risk_rating"] == "critical" and deleted.after is None

    def test_after_reassignment_only_the_author_changes_and_only_while_in_scope(
        self, world, customer
    ):
        visit = h.visit(customer, world.officer)
        customer.officer_id = world.colleague.id
        db.session.commit()
        with pytest.raises(NotFound):
            service.get_visit(h.user(world.officer), visit.id)
        seen = service.get_visit(h.user(world.colleague), visit.id)
        with pytest.raises(Forbidden):
            service.update_visit(h.user(world.colleague), seen, {"risk_rating": "weak"})
        with pytest.raises(Forbidden):
            service.delete_visit(h.user(world.colleague), seen)


class TestPages:
    @pytest.mark.parametrize(
        ("language", "whole", "closed"),
        [
            ("id", "— usaha secara keseluruhan —", "(ditutup)"),
            ("en", "— the business as a whole —", "(closed)"),
        ],
    )
    def test_the_facility_choices_speak_the_readers_language(
        self, client, auth, world, customer, language, whole, closed
    ):
        open_one, closed_one = h.facility(customer), h.facility(customer, status="closed")
        auth.login("ao.budi")
        auth.post("/language", {"locale": language, "next": "/"})
        page = client.get(f"/visits/new?customer={customer.id}").get_data(as_text=True)
        assert f'<option selected value="">{whole}</option>' in page or f">{whole}</option>" in page
        assert f"{open_one.account_no} · KMK</option>" in page
        assert f"{closed_one.account_no} · KMK {closed}</option>" in page

    def test_customer_page_offers_the_form_and_lists_visits_newest_first(
        self, client, auth, world, customer
    ):
        h.visit(customer, world.officer, visit_date=date(2025, 1, 5), risk_rating="strong")
        h.visit(customer, world.officer, visit_date=date(2025, 3, 5), risk_rating="critical")
        h.visit(customer, world.officer, visit_date=date(2025, 2, 5), risk_rating="weak")
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert f'href="/visits/new?customer={customer.id}"' in page
        assert "Record monitoring visit" in page
        listed = [page.index(d) for d in ("Mar 5, 2025", "Feb 5, 2025", "Jan 5, 2025")]
        assert listed == sorted(listed)
        for rating in ("strong", "weak", "critical"):
            assert f"rating-{rating}" in page

    @pytest.mark.parametrize("role", ["supervisor", "admin"])
    def test_readers_do_not_get_the_form(self, client, auth, world, customer, role):
        auth.login(getattr(world, role).username)
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "Record monitoring visit" not in page

    def test_officer_records_a_visit_through_the_form(self, client, auth, world, customer):
        fac = h.facility(customer)
        auth.login("ao.budi")
        url = f"/visits/new?customer={customer.id}"
        assert client.get(url).status_code == 200
        response = auth.post(url, visit_form(facility=str(fac.id), risk_rating="weak"))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/customers/{customer.id}#visits")
        visit = db.session.scalar(sa.select(MonitoringVisit))
        assert (visit.facility_id, visit.risk_rating) == (fac.id, "weak")
        assert str(visit.collateral_value) == "750000000.00"
        assert audit_actions(visit.id) == ["create"]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"risk_rating": ""}, "Must be one of: strong, adequate, weak, critical."),
            ({"collateral_value": "-5"}, "Must be zero or more."),
            ({"collateral_value": "1,5 juta sekian"}, "is not an amount. Write it like"),
            ({"visit_date": "2999-01-01"}, "cannot be in the future"),
            ({"next_visit_date": "2000-01-01"}, "after this visit"),
        ],
    )
    def test_form_errors_are_shown(self, client, auth, world, customer, changes, message):
        auth.login("ao.budi")
        response = auth.post(f"/visits/new?customer={customer.id}", visit_form(**changes))
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert count() == 0

    def test_officer_edits_and_deletes_through_the_pages(self, client, auth, world, customer):
        visit = h.visit(customer, world.officer)
        auth.login("ao.budi")
        assert client.get(f"/visits/{visit.id}/edit").status_code == 200
        data = visit_form(risk_rating="critical", findings="Owner ill, shop closed")
        assert auth.post(f"/visits/{visit.id}/edit", data).status_code == 302
        db.session.expire_all()
        assert db.session.get(MonitoringVisit, visit.id).risk_rating == "critical"
        assert auth.post(f"/visits/{visit.id}/delete").status_code == 302
        assert count() == 0
        assert audit_actions(visit.id) == ["update", "delete"]

    def test_visits_list_is_scoped_and_filtered(self, client, auth, world, customer):
        mine = h.visit(customer, world.officer, risk_rating="weak", findings="MINE-WEAK")
        h.visit(customer, world.officer, risk_rating="strong", findings="MINE-STRONG")
        remote = make_customer(world.remote, name="Remote Debtor")
        h.visit(remote, world.remote, findings="REMOTE")
        auth.login("ao.budi")
        page = client.get("/visits/").get_data(as_text=True)
        assert f'data-visit="{mine.id}"' in page and "Remote Debtor" not in page
        page = client.get("/visits/?rating=weak").get_data(as_text=True)
        assert page.count("data-visit=") == 1
        auth.logout()
        auth.login("spv.jkt")
        assert client.get("/visits/").get_data(as_text=True).count("data-visit=") == 2
        auth.logout()
        auth.login("admin")
        assert client.get("/visits/").get_data(as_text=True).count("data-visit=") == 3

    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("ao.budi", (200, 200, 200, 302)),
            ("spv.jkt", (403, 200, 403, 403)),
            ("admin", (403, 200, 403, 403)),
            ("ao.sari", (404, 404, 404, 404)),
            ("ao.dewi", (404, 404, 404, 404)),
            ("spv.bdg", (404, 404, 404, 404)),
        ],
    )
    def test_every_page_per_role(self, client, auth, world, customer, username, expected):
        visit = h.visit(customer, world.officer)
        auth.login(username)
        got = (
            client.get(f"/visits/new?customer={customer.id}").status_code,
            client.get(f"/visits/{visit.id}").status_code,
            client.get(f"/visits/{visit.id}/edit").status_code,
            auth.post(f"/visits/{visit.id}/delete").status_code,
        )
        assert got == expected
        if username != "ao.budi":
            form_post = auth.post(f"/visits/new?customer={customer.id}", visit_form())
            edit_post = auth.post(f"/visits/{visit.id}/edit", visit_form(risk_rating="weak"))
            assert (form_post.status_code, edit_post.status_code) == (expected[0], expected[2])
            db.session.expire_all()
            assert count() == 1
            assert db.session.get(MonitoringVisit, visit.id).risk_rating == "adequate"

    def test_pages_need_login(self, client, world, customer):
        visit = h.visit(customer, world.officer)
        for url in ("/visits/", f"/visits/{visit.id}", f"/visits/new?customer={customer.id}"):
            assert client.get(url).status_code == 302


class TestApi:
    def test_create_get_patch_delete(self, api, world, customer):
        fac = h.facility(customer)
        client = api(world.officer)
        response = client.post(API, json=visit_json(customer, facility=fac.id))
        assert response.status_code == 201, response.json
        body = response.json
        assert body["customer"] == customer.id and body["facility"] == fac.id
        assert body["collateral_value"] == "500000000.00" and body["risk_rating"] == "weak"
        assert body["facility_account_no"] == fac.account_no
        url = f"{API}/{body['id']}"
        assert client.get(url).json["findings"] == "Two of five trucks idle"
        response = client.patch(url, json={"risk_rating": "critical", "facility": None})
        assert response.status_code == 200
        assert (response.json["risk_rating"], response.json["facility"]) == ("critical", None)
        assert client.delete(url).status_code == 204
        assert client.get(url).status_code == 404
        assert audit_actions(body["id"]) == ["create", "update", "delete"]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"risk_rating": "fine"}, "risk_rating"),
            ({"risk_rating": None}, "risk_rating"),
            ({"collateral_value": "-1"}, "collateral_value"),
            ({"collateral_value": 1.5}, "collateral_value"),
            ({"visit_date": "2999-12-31"}, "visit_date"),
            ({"visit_date": "Dec 31, 2024"}, "visit_date"),
            ({"next_visit_date": "2000-01-01"}, "next_visit_date"),
            ({"facility": "abc"}, "facility"),
            ({"unknown": "x"}, "unknown"),
        ],
    )
    def test_validation_errors_name_the_field(self, api, world, customer, changes, field):
        response = api(world.officer).post(API, json=visit_json(customer, **changes))
        assert response.status_code == 422
        errors = response.json["errors"]
        assert field in errors.get("json", errors)
        assert count() == 0

    def test_facility_of_another_customer_is_refused(self, api, world, customer):
        other = h.facility(make_customer(world.officer))
        response = api(world.officer).post(API, json=visit_json(customer, facility=other.id))
        assert response.status_code == 422
        assert "facility" in response.json["errors"]

    def test_patch_checks_dates_against_the_stored_visit(self, api, world, customer):
        visit = h.visit(customer, world.officer, visit_date=date(2025, 1, 10))
        response = api(world.officer).patch(
            f"{API}/{visit.id}", json={"next_visit_date": "2025-01-10"}
        )
        assert response.status_code == 422
        assert "next_visit_date" in response.json["errors"]

    def test_list_envelope_scope_and_filters(self, api, world, customer):
        fac = h.facility(customer)
        h.visit(customer, world.officer, visit_date=date(2025, 1, 1), risk_rating="strong")
        newest = h.visit(customer, world.officer, visit_date=date(2025, 2, 1), facility_id=fac.id)
        other = make_customer(world.officer)
        h.visit(other, world.officer, risk_rating="critical")
        h.visit(make_customer(world.remote), world.remote)
        body = api(world.officer).get(API).json
        assert (body["total"], body["page"], body["pages"]) == (3, 1, 1)
        assert body["items"][0]["id"] == newest.id
        assert api(world.officer).get(f"{API}?customer={customer.id}").json["total"] == 2
        assert api(world.officer).get(f"{API}?facility={fac.id}").json["total"] == 1
        assert api(world.officer).get(f"{API}?rating=critical").json["total"] == 1
        assert api(world.officer).get(f"{API}?rating=bad").status_code == 422
        assert api(world.supervisor).get(API).json["total"] == 3
        assert api(world.bdg_supervisor).get(API).json["total"] == 1
        assert api(world.admin).get(API).json["total"] == 4
        assert api(world.colleague).get(API).json["total"] == 0

    @pytest.mark.parametrize(
        ("role", "create", "read", "change"),
        [
            ("supervisor", 403, 200, 403),
            ("admin", 403, 200, 403),
            ("colleague", 404, 404, 404),
            ("remote", 404, 404, 404),
            ("bdg_supervisor", 404, 404, 404),
        ],
    )
    def test_every_endpoint_per_role(self, api, world, customer, role, create, read, change):
        visit = h.visit(customer, world.officer)
        client = api(getattr(world, role))
        assert client.post(API, json=visit_json(customer)).status_code == create
        assert client.get(f"{API}/{visit.id}").status_code == read
        assert client.patch(f"{API}/{visit.id}", json={"risk_rating": "weak"}).status_code == (
            change
        )
        assert client.delete(f"{API}/{visit.id}").status_code == change
        db.session.expire_all()
        assert count() == 1
        assert db.session.get(MonitoringVisit, visit.id).risk_rating == "adequate"

    def test_needs_a_token(self, client):
        assert client.get(API).status_code == 401
