"""Complaint pages through the test client: forms, errors next to fields, CSRF, escaping, the
escalation flow, the customer page's section, and every page per role."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.complaints import services
from aoapp.complaints.models import Complaint
from aoapp.extensions import db
from tests.support import complaints as h
from tests.support import credit_visits as visit_helpers
from tests.support.factories import make_customer


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="Toko Sumber Rejeki")


def complaint_form(**overrides) -> dict:
    """A valid complaint form as a browser submits it."""
    data = {
        "facility": "",
        "channel": "whatsapp",
        "category": "billing",
        "priority": "normal",
        "description": "Charged a late fee although paid on time",
        "received_at": (datetime.now(UTC) + timedelta(hours=7) - timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "due_date": "",
    }
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Complaint.id)))


def fresh(complaint) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id)


def field_error(page: str, field: str, message: str) -> bool:
    """True when `message` is shown right after the field's input (errors next to fields)."""
    start = page.find(f'id="{field}"')
    if start < 0:
        return False
    tag = page[page.rfind("<", 0, start) : page.find(">", start)]
    end = page.find('<div class="mb-3">', start)  # the next field
    return "is-invalid" in tag and message in page[start : end if end > 0 else None]


class TestRecordPage:
    def test_the_customer_page_lists_complaints_and_offers_the_button(
        self, client, auth, world, customer
    ):
        late = h.complaint(customer, due_date=bank_today() - timedelta(days=1), category="data")
        done = h.complaint(customer, status="closed")
        h.complaint(make_customer(world.officer), category="product")
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="complaints"' in page
        assert f'href="/complaints/new?customer_id={customer.id}"' in page
        assert f'data-complaint="{late.id}"' in page and f'data-complaint="{done.id}"' in page
        assert page.count("data-complaint=") == 2
        assert page.count("overdue-badge") == 1
        assert page.index(f'data-complaint="{late.id}"') < page.index(f'data-complaint="{done.id}"')

    @pytest.mark.parametrize("username", ["spv.jkt", "admin"])
    def test_supervisor_and_admin_also_get_the_button(
        self, client, auth, world, customer, username
    ):
        auth.login(username)
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="record-complaint"' in page

    def test_officer_records_a_complaint_with_the_default_due_date(
        self, client, auth, world, customer
    ):
        fac = visit_helpers.facility(customer)
        other = visit_helpers.facility(make_customer(world.officer))
        auth.login("ao.budi")
        url = f"/complaints/new?customer_id={customer.id}"
        page = client.get(url).get_data(as_text=True)
        assert f'value="{fac.id}"' in page and f'value="{other.id}"' not in page
        assert "10 working days" in page
        response = auth.post(url, complaint_form(facility=str(fac.id), priority="high"))
        assert response.status_code == 302
        complaint = db.session.scalar(sa.select(Complaint))
        assert response.headers["Location"].endswith(f"/complaints/{complaint.id}")
        assert (complaint.facility_id, complaint.priority, complaint.channel) == (
            fac.id,
            "high",
            "whatsapp",
        )
        received_day = (complaint.received_at + timedelta(hours=7)).date()
        assert complaint.due_date == services.due_date_for(received_day)
        detail = client.get(response.headers["Location"]).get_data(as_text=True)
        assert complaint.due_date.strftime("%d/%m/%Y") in detail
        assert "Complaint recorded" in detail

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"description": "  "}, "description", "This field is required."),
            ({"description": "x" * 4001}, "description", "At most 4000 characters."),
            ({"channel": ""}, "channel", "Must be one of"),
            ({"category": "weather"}, "category", "Must be one of"),
            ({"received_at": "2999-01-01T10:00"}, "received_at", "cannot be in the future"),
            ({"received_at": "yesterday"}, "received_at", "Not a valid date and time"),
            ({"due_date": "2999-01-01"}, "due_date", "At most 10 working days after receipt"),
            ({"due_date": "2000-01-01"}, "due_date", "cannot be before the day"),
        ],
    )
    def test_form_errors_are_shown_next_to_their_field(
        self, client, auth, world, customer, changes, field, message
    ):
        auth.login("ao.budi")
        response = auth.post(
            f"/complaints/new?customer_id={customer.id}", complaint_form(**changes)
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert field_error(page, field, message), page
        assert count() == 0

    def test_an_earlier_due_date_is_accepted(self, client, auth, world, customer):
        auth.login("ao.budi")
        due = bank_today() + timedelta(days=1)
        received = (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
        response = auth.post(
            f"/complaints/new?customer_id={customer.id}",
            complaint_form(received_at=received, due_date=due.isoformat()),
        )
        assert response.status_code == 302
        assert db.session.scalar(sa.select(Complaint.due_date)) == due

    def test_the_form_needs_its_csrf_token(self, client, auth, world, customer):
        auth.login("ao.budi")
        response = client.post(f"/complaints/new?customer_id={customer.id}", data=complaint_form())
        assert response.status_code == 400
        assert count() == 0

    def test_the_description_is_escaped(self, client, auth, world, customer):
        auth.login("ao.budi")
        evil = '<script>alert("x")</script> & <b>bold</b>'
        response = auth.post(
            f"/complaints/new?customer_id={customer.id}", complaint_form(description=evil)
        )
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
        assert "<script>alert" not in page and "<b>bold" not in page


class TestDetailAndSteps:
    def test_forms_are_shown_only_to_who_may_act(self, client, auth, world, customer):
        complaint = h.complaint(customer)
        auth.login("ao.budi")
        page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
        for action in ("start", "escalate", "resolve"):
            assert f'id="form-{action}"' in page
        assert 'id="form-hand_back"' not in page and 'id="form-close"' not in page
        assert 'id="audit-link"' not in page
        auth.logout()
        auth.login("spv.jkt")
        page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
        assert 'id="form-' not in page and 'id="audit-link"' in page
        complaint.status = "escalated"
        db.session.commit()
        page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
        assert 'id="form-resolve"' in page and 'id="form-hand_back"' in page
        assert 'id="form-escalate"' not in page
        assert client.get(f"/audit/complaint/{complaint.id}").status_code == 200

    def test_the_whole_escalation_flow_through_the_pages(self, client, auth, world, customer):
        complaint = h.complaint(customer)
        url = f"/complaints/{complaint.id}"
        auth.login("ao.budi")
        assert auth.post(f"{url}/start", {"version": "1"}).status_code == 302
        response = auth.post(f"{url}/escalate", {"reason": "", "version": "2"})
        assert response.status_code == 422
        assert field_error(response.get_data(as_text=True), "reason", "This field is required.")
        response = auth.post(f"{url}/escalate", {"reason": "Wants a fee waiver", "version": "2"})
        assert response.status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert "Waiting for the branch supervisor" in page and "Wants a fee waiver" in page
        assert auth.post(f"{url}/resolve", {"resolution": "Waived"}).status_code == 403
        auth.logout()

        auth.login("spv.bdg")
        assert auth.post(f"{url}/hand-back", {"note": "x"}).status_code == 404
        assert client.get(url).status_code == 404
        auth.logout()

        auth.login("spv.jkt")
        response = auth.post(f"{url}/hand-back", {"note": "Check the payment date first"})
        assert response.status_code == 302
        auth.logout()

        auth.login("ao.budi")
        response = auth.post(f"{url}/resolve", {"resolution": "Fee reversed on 5 March"})
        assert response.status_code == 302
        assert auth.post(f"{url}/close").status_code == 302
        complaint = fresh(complaint)
        assert complaint.status == "closed"
        page = client.get(url).get_data(as_text=True)
        for text in ("Check the payment date first", "Fee reversed on 5 March", "Closed"):
            assert text in page
        steps = [page.index(f"step-{kind}") for kind in ("received", "escalated", "handed_back")]
        assert steps == sorted(steps)
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.entity_type == "complaint")
            .order_by(AuditEntry.id)
        )
        assert list(actions) == ["start", "escalate", "hand_back", "resolve", "close"]

    def test_an_invalid_step_is_a_conflict_shown_on_the_page(self, client, auth, world, customer):
        complaint = h.complaint(customer, status="in_progress")
        auth.login("ao.budi")
        response = auth.post(f"/complaints/{complaint.id}/start")
        assert response.status_code == 409
        assert "Only an open complaint can be started." in response.get_data(as_text=True)
        response = auth.post(f"/complaints/{complaint.id}/close")
        assert response.status_code == 409
        assert "Only a resolved complaint can be closed." in response.get_data(as_text=True)

    def test_a_stale_version_is_refused(self, client, auth, world, customer):
        complaint = h.complaint(customer)
        services.start(h.user(world.officer), complaint)  # version 2 now
        auth.login("ao.budi")
        response = auth.post(
            f"/complaints/{complaint.id}/escalate", {"reason": "Help", "version": "1"}
        )
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "changed by someone else" in page
        assert 'name="version" value="2"' in page
        assert fresh(complaint).status == "in_progress"

    def test_steps_need_the_csrf_token(self, client, auth, world, customer):
        complaint = h.complaint(customer)
        auth.login("ao.budi")
        assert client.post(f"/complaints/{complaint.id}/start").status_code == 400
        assert (
            client.post(f"/complaints/{complaint.id}/escalate", data={"reason": "x"}).status_code
            == 400
        )
        assert fresh(complaint).status == "open"


class TestList:
    def test_scoped_filtered_and_flagged(self, client, auth, world, customer):
        late = h.complaint(customer, due_date=bank_today() - timedelta(days=2), priority="urgent")
        h.complaint(customer, category="service")
        h.complaint(make_customer(world.colleague), status="escalated")
        h.complaint(make_customer(world.remote, name="Remote Debtor"))
        auth.login("ao.budi")
        page = client.get("/complaints/").get_data(as_text=True)
        assert page.count("data-complaint=") == 2 and "Remote Debtor" not in page
        assert page.count("overdue-badge") == 1
        page = client.get("/complaints/?overdue=1").get_data(as_text=True)
        assert page.count("data-complaint=") == 1 and f'data-complaint="{late.id}"' in page
        assert (
            client.get("/complaints/?category=service")
            .get_data(as_text=True)
            .count("data-complaint=")
            == 1
        )
        assert client.get("/complaints/?priority=bogus").status_code == 200  # ignored
        auth.logout()
        auth.login("spv.jkt")
        page = client.get("/complaints/").get_data(as_text=True)
        assert page.count("data-complaint=") == 3
        assert page.index("status-escalated") < page.index(f'data-complaint="{late.id}"')
        officers = client.get(f"/complaints/?officer={world.colleague.id}").get_data(as_text=True)
        assert officers.count("data-complaint=") == 1
        auth.logout()
        auth.login("admin")
        assert client.get("/complaints/").get_data(as_text=True).count("data-complaint=") == 4

    def test_paginated(self, client, auth, world, customer, monkeypatch):
        monkeypatch.setattr("aoapp.complaints.views.HTML_PER_PAGE", 2)
        for _ in range(3):
            h.complaint(customer)
        auth.login("ao.budi")
        first = client.get("/complaints/").get_data(as_text=True)
        second = client.get("/complaints/?page=2").get_data(as_text=True)
        assert first.count("data-complaint=") == 2 and second.count("data-complaint=") == 1
        assert "Page 1 of 2" in first


class TestEveryPagePerRole:
    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            # new form, detail, start, escalate, resolve (escalated), hand back, close (open)
            ("ao.budi", (200, 200, 302, 302, 403, 403, 409)),
            ("spv.jkt", (200, 200, 403, 403, 302, 302, 409)),
            ("admin", (200, 200, 403, 403, 403, 403, 403)),
            ("ao.sari", (404, 404, 404, 404, 404, 404, 404)),
            ("ao.dewi", (404, 404, 404, 404, 404, 404, 404)),
            ("spv.bdg", (404, 404, 404, 404, 404, 404, 404)),
        ],
    )
    def test_status_codes(self, client, auth, world, customer, username, expected):
        opened = h.complaint(customer)
        escalated = h.complaint(customer, status="escalated")
        other = h.complaint(customer, status="escalated")
        auth.login(username)
        got = (
            client.get(f"/complaints/new?customer_id={customer.id}").status_code,
            client.get(f"/complaints/{opened.id}").status_code,
            auth.post(f"/complaints/{opened.id}/start").status_code,
            auth.post(
                f"/complaints/{h.complaint(customer).id}/escalate", {"reason": "r"}
            ).status_code,
            auth.post(f"/complaints/{escalated.id}/resolve", {"resolution": "r"}).status_code,
            auth.post(f"/complaints/{other.id}/hand-back", {"note": "n"}).status_code,
            auth.post(f"/complaints/{h.complaint(customer).id}/close").status_code,
        )
        assert got == expected
        if expected[0] != 200:
            response = auth.post(f"/complaints/new?customer_id={customer.id}", complaint_form())
            assert response.status_code == expected[0]
            assert count() == 5

    def test_pages_need_login(self, client, world, customer):
        complaint = h.complaint(customer)
        for url in ("/complaints/", f"/complaints/{complaint.id}", "/complaints/new"):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.headers["Location"]
