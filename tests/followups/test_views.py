"""Follow-up pages: list and promises with filters, plan/complete/reschedule/cancel forms with
errors next to their fields, safe redirects, CSRF, and what each role may open or do."""

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from tests.support import followups as h
from tests.support.factories import make_customer, make_prospect


@pytest.fixture
def book(world):
    """ao.budi's debtor and its facility."""
    return h.debtor(world.officer, name="Warung Budi")


def rows(page: str, kind: str = "followup") -> list[int]:
    return [int(n) for n in re.findall(rf'data-{kind}="(\d+)"', page)]


def after(page: str, field: str, message: str) -> bool:
    """The message follows the field's input, before the next field starts."""
    start = page.index(f'name="{field}"')
    found = page.find(message, start)
    following = page.find("<label", start)
    return found != -1 and (following == -1 or found < following)


class TestLists:
    def test_list_is_scoped_and_filtered(self, client, auth, world, book):
        customer, facility = book
        planned = h.followup(world.officer, customer=customer, planned_date=h.days(1))
        done = h.followup(world.officer, facility=facility, status="done", outcome="reached")
        suggested = h.followup(world.officer, facility=facility, suggestion="dpd_31_90")
        h.followup(world.colleague, customer=make_customer(world.colleague))
        h.followup(world.remote, customer=make_customer(world.remote, name="Remote Debtor"))
        auth.login("ao.budi")
        page = client.get("/followups/").get_data(as_text=True)
        assert sorted(rows(page)) == sorted([planned.id, done.id, suggested.id])
        assert "Remote Debtor" not in page
        assert rows(client.get("/followups/?status=done").get_data(as_text=True)) == [done.id]
        assert rows(client.get("/followups/?suggested=1").get_data(as_text=True)) == [suggested.id]
        assert rows(client.get("/followups/?purpose=relationship").get_data(as_text=True)) == [
            planned.id
        ]
        ranged = client.get(f"/followups/?planned_from={h.days(1).isoformat()}")
        assert rows(ranged.get_data(as_text=True)) == [planned.id]
        ranged = client.get(f"/followups/?planned_to={h.today().isoformat()}")
        assert sorted(rows(ranged.get_data(as_text=True))) == sorted([done.id, suggested.id])
        # A bad filter value is ignored, not an error page.
        assert client.get("/followups/?status=lost&sort=bogus").status_code == 200
        auth.logout()
        auth.login("spv.jkt")
        assert len(rows(client.get("/followups/").get_data(as_text=True))) == 4
        auth.logout()
        auth.login("admin")
        assert len(rows(client.get("/followups/").get_data(as_text=True))) == 5

    def test_list_paginates(self, client, auth, world, book):
        for _ in range(51):
            h.followup(world.officer, customer=book[0])
        auth.login("ao.budi")
        first = client.get("/followups/").get_data(as_text=True)
        assert len(rows(first)) == 50 and "Page 1 of 2" in first
        assert len(rows(client.get("/followups/?page=2").get_data(as_text=True))) == 1

    def test_promises_page_shows_states_and_filters_by_state(self, client, auth, world, book):
        _customer, facility = book
        start = h.days(-30)
        h.position(facility, start, "5000000", 40)
        broken = h.promise(h.followup(world.officer, facility=facility, planned_date=start))
        pending = h.promise(h.followup(world.officer, facility=facility))
        auth.login("ao.budi")
        page = client.get("/promises/").get_data(as_text=True)
        assert sorted(rows(page, "promise")) == sorted([broken.id, pending.id])
        assert "promise-broken" in page and "promise-pending" in page
        page = client.get("/promises/?state=broken").get_data(as_text=True)
        assert rows(page, "promise") == [broken.id]
        auth.logout()
        auth.login("ao.dewi")
        assert rows(client.get("/promises/").get_data(as_text=True), "promise") == []


class TestPlanPage:
    def test_form_is_prefilled_from_the_facility_page(self, client, auth, world, book):
        customer, facility = book
        auth.login("ao.budi")
        page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
        link = re.search(r'href="(/followups/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
        assert f"customer_id={customer.id}" in link and f"facility_id={facility.id}" in link
        assert "purpose=collection" in link
        form = client.get(link).get_data(as_text=True)
        assert f'<option selected value="{facility.id}">' in form
        assert '<option selected value="collection">' in form

    def test_officer_plans_and_returns_to_the_page_they_came_from(self, client, auth, world, book):
        customer, facility = book
        auth.login("ao.budi")
        url = f"/followups/new?customer_id={customer.id}&next=/customers/{customer.id}"
        response = auth.post(
            url,
            {
                "facility": str(facility.id),
                "channel": "visit",
                "purpose": "collection",
                "planned_date": h.days(2).isoformat(),
                "planned_time": "09:30",
                "notes": "Bring the statement",
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"] == f"/customers/{customer.id}"
        row = db.session.scalar(sa.select(FollowUp))
        assert (row.facility_id, row.channel, row.planned_time) == (
            facility.id,
            "visit",
            time(9, 30),
        )

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"planned_date": "2000-01-01"}, "planned_date", "cannot be in the past"),
            ({"planned_date": ""}, "planned_date", "This field is required."),
            ({"channel": ""}, "channel", "Must be one of"),
            ({"planned_time": "25:99"}, "planned_time", "Not a valid time"),
            ({"facility": "other"}, "facility", "not one of the customer"),
        ],
    )
    def test_errors_are_shown_next_to_their_fields(
        self, client, auth, world, book, changes, field, message
    ):
        customer = book[0]
        other = h.debtor(world.officer)[1]
        data = {
            "facility": "",
            "channel": "call",
            "purpose": "relationship",
            "planned_date": h.today().isoformat(),
            "planned_time": "",
            "notes": "",
        }
        data.update({k: str(other.id) if v == "other" else v for k, v in changes.items()})
        auth.login("ao.budi")
        response = auth.post(f"/followups/new?customer_id={customer.id}", data)
        assert response.status_code == 422
        assert after(response.get_data(as_text=True), field, message)
        assert h.count() == 0

    def test_without_a_party_the_officer_picks_one(self, client, auth, world, book):
        prospect = make_prospect(world.officer, name="Ibu Ratna")
        auth.login("ao.budi")
        page = client.get("/followups/new").get_data(as_text=True)
        assert (
            f'value="customer:{book[0].id}"' in page and f'value="prospect:{prospect.id}"' in page
        )
        data = {
            "channel": "call",
            "purpose": "product_offer",
            "planned_date": h.today().isoformat(),
        }
        refused = auth.post("/followups/new", {**data, "party": ""})
        assert refused.status_code == 422
        assert after(refused.get_data(as_text=True), "party", "Choose a customer or a prospect")
        response = auth.post("/followups/new", {**data, "party": f"prospect:{prospect.id}"})
        assert response.status_code == 302
        assert db.session.scalar(sa.select(FollowUp.prospect_id)) == prospect.id

    def test_sections_offer_planning_to_the_officer_only(self, client, auth, world, book):
        customer, _facility = book
        prospect = make_prospect(world.officer)
        h.followup(world.officer, customer=customer, planned_date=h.days(-5), notes="old")
        newer = h.followup(world.officer, customer=customer, planned_date=h.days(3))
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert f"/followups/new?next=/customers/{customer.id}&amp;customer_id={customer.id}" in page
        listed = rows(page)
        assert listed[0] == newer.id and len(listed) == 2
        page = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
        assert f"prospect_id={prospect.id}" in page and "Plan follow-up" in page
        auth.logout()
        auth.login("spv.jkt")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "Plan follow-up" not in page and rows(page)[0] == newer.id


def ptp_form(**overrides) -> dict:
    data = {
        "outcome": "promised_to_pay",
        "notes": "Will pay after harvest",
        "promised_amount": "2500000",
        "promised_date": h.days(7).isoformat(),
        "next_date": "",
        "next_time": "",
        "next_channel": "",
        "next_purpose": "",
        "next_notes": "",
    }
    data.update(overrides)
    return data


class TestCompletePage:
    def test_collection_form_offers_the_promise_fields(self, client, auth, world, book):
        collection = h.followup(world.officer, facility=book[1])
        other = h.followup(world.officer, customer=book[0], purpose="relationship")
        auth.login("ao.budi")
        page = client.get(f"/followups/{collection.id}/complete").get_data(as_text=True)
        assert 'name="promised_amount"' in page and 'value="promised_to_pay"' in page
        assert "followups.js" in page and "<script>" not in page
        page = client.get(f"/followups/{other.id}/complete").get_data(as_text=True)
        assert 'name="promised_amount"' not in page and 'value="promised_to_pay"' not in page

    @pytest.mark.parametrize("target", ["/agenda/", "/customers/1?tab=x"])
    def test_promise_logged_then_back_to_a_local_next(self, client, auth, world, book, target):
        row = h.followup(world.officer, facility=book[1])
        auth.login("ao.budi")
        response = auth.post(
            f"/followups/{row.id}/complete?next={target}",
            ptp_form(next_date=h.days(11).isoformat(), next_channel="visit"),
        )
        assert response.status_code == 302 and response.headers["Location"] == target
        made = db.session.scalar(sa.select(PromiseToPay))
        assert str(made.promised_amount) == "2500000.00" and made.promised_date == h.days(7)
        following = db.session.scalar(sa.select(FollowUp).where(FollowUp.previous_id == row.id))
        assert (following.channel, following.planned_date) == ("visit", h.days(11))

    @pytest.mark.parametrize(
        "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "agenda"]
    )
    def test_a_foreign_next_goes_to_the_detail_page(self, client, auth, world, book, target):
        row = h.followup(world.officer, customer=book[0])
        auth.login("ao.budi")
        response = auth.post(f"/followups/{row.id}/complete?next={target}", {"outcome": "reached"})
        assert response.headers["Location"] == f"/followups/{row.id}"

    def test_errors_are_next_to_fields_and_the_next_date_is_suggested(
        self, client, auth, world, book
    ):
        row = h.followup(world.officer, facility=book[1])
        auth.login("ao.budi")
        response = auth.post(f"/followups/{row.id}/complete", ptp_form(promised_amount=""))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert after(page, "promised_amount", "Enter the amount the customer promised to pay.")
        suggested = (h.days(7) + timedelta(days=4)).isoformat()  # deadline (+3) + 1 day
        assert re.search(rf'name="next_date"[^>]*value="{suggested}"', page)
        response = auth.post(
            f"/followups/{row.id}/complete", ptp_form(promised_date=h.days(120).isoformat())
        )
        assert after(response.get_data(as_text=True), "promised_date", "within 90 days")
        response = auth.post(f"/followups/{row.id}/complete", ptp_form(outcome=""))
        assert after(response.get_data(as_text=True), "outcome", "Must be one of")
        assert h.reload(row).status == "planned" and h.count(PromiseToPay) == 0

    def test_a_stale_form_is_refused_with_a_plain_message(self, client, auth, world, book):
        row = h.followup(world.officer, customer=book[0])
        auth.login("ao.budi")
        page = client.get(f"/followups/{row.id}/complete").get_data(as_text=True)
        assert re.search(r'name="version"[^>]*value="1"', page)
        stored = h.reload(row)
        stored.notes = "changed elsewhere"
        db.session.commit()
        response = auth.post(
            f"/followups/{row.id}/complete", {"outcome": "reached", "version": "1"}
        )
        assert response.status_code == 422
        assert "changed by someone else" in response.get_data(as_text=True)
        assert h.reload(row).status == "planned"

    def test_a_done_follow_up_sends_the_form_back_to_its_page(self, client, auth, world, book):
        row = h.followup(world.officer, customer=book[0], status="done", outcome="reached")
        auth.login("ao.budi")
        response = client.get(f"/followups/{row.id}/complete")
        assert (
            response.status_code == 302 and response.headers["Location"] == f"/followups/{row.id}"
        )
        response = auth.post(f"/followups/{row.id}/complete", {"outcome": "reached"})
        assert response.status_code == 422 and "already done" in response.get_data(as_text=True)


class TestOtherActions:
    def test_reschedule_form(self, client, auth, world, book):
        row = h.followup(world.officer, facility=book[1], suggestion="dpd_1_30")
        auth.login("ao.budi")
        page = client.get(f"/followups/{row.id}/reschedule").get_data(as_text=True)
        assert "Required for a follow-up the system suggested." in page
        data = {"planned_date": h.days(3).isoformat(), "planned_time": "", "reason": ""}
        response = auth.post(f"/followups/{row.id}/reschedule", data)
        assert response.status_code == 422
        assert after(response.get_data(as_text=True), "reason", "system suggested")
        data["reason"] = "Owner at the market until Thursday"
        response = auth.post(f"/followups/{row.id}/reschedule", data)
        assert response.status_code == 302
        assert h.reload(row).planned_date == h.days(3)

    def test_cancel_form(self, client, auth, world, book):
        row = h.followup(world.officer, customer=book[0])
        auth.login("ao.budi")
        response = auth.post(f"/followups/{row.id}/cancel", {"reason": "  "})
        assert response.status_code == 422
        assert after(response.get_data(as_text=True), "reason", "This field is required.")
        response = auth.post(f"/followups/{row.id}/cancel", {"reason": "Paid at the branch"})
        assert response.status_code == 302
        assert h.reload(row).status == "cancelled"

    def test_missed_button_for_an_overdue_follow_up(self, client, auth, world, book):
        row = h.followup(world.officer, customer=book[0], planned_date=h.days(-2))
        today = h.followup(world.officer, customer=book[0])
        auth.login("ao.budi")
        assert "Mark missed" in client.get(f"/followups/{row.id}").get_data(as_text=True)
        assert "Mark missed" not in client.get(f"/followups/{today.id}").get_data(as_text=True)
        assert auth.post(f"/followups/{row.id}/missed", {"version": "1"}).status_code == 302
        assert h.reload(row).status == "missed"
        response = auth.post(f"/followups/{today.id}/missed", follow_redirects=True)
        assert "planned day has passed" in response.get_data(as_text=True)
        assert h.reload(today).status == "planned"

    def test_csrf_is_enforced(self, client, auth, world, book):
        row = h.followup(world.officer, customer=book[0], planned_date=h.days(-1))
        auth.login("ao.budi")
        for action, data in (
            ("complete", {"outcome": "reached"}),
            ("cancel", {"reason": "x"}),
            ("reschedule", {"planned_date": h.days(2).isoformat()}),
            ("missed", {}),
        ):
            assert client.post(f"/followups/{row.id}/{action}", data=data).status_code == 400
        response = client.post(
            f"/followups/new?customer_id={book[0].id}",
            data={"channel": "call", "purpose": "relationship", "planned_date": h.today()},
        )
        assert response.status_code == 400
        assert h.reload(row).status == "planned" and h.count() == 1


class TestAccess:
    @pytest.mark.parametrize(
        ("username", "read", "act"),
        [
            ("ao.budi", 200, None),
            ("spv.jkt", 200, 403),
            ("admin", 200, 403),
            ("ao.sari", 404, 404),
            ("ao.dewi", 404, 404),
            ("spv.bdg", 404, 404),
        ],
    )
    def test_every_page_per_role(self, client, auth, world, book, username, read, act):
        row = h.followup(world.officer, facility=book[1], planned_date=h.days(-1))
        auth.login(username)
        assert client.get(f"/followups/{row.id}").status_code == read
        if act is None:
            return
        for action in ("complete", "reschedule", "cancel"):
            assert client.get(f"/followups/{row.id}/{action}").status_code == act
        posts = {
            "complete": {"outcome": "reached"},
            "reschedule": {"planned_date": h.days(2).isoformat(), "reason": "x"},
            "cancel": {"reason": "x"},
            "missed": {},
        }
        for action, data in posts.items():
            assert auth.post(f"/followups/{row.id}/{action}", data).status_code == act
        new = auth.post(
            f"/followups/new?customer_id={book[0].id}",
            {"channel": "call", "purpose": "relationship", "planned_date": h.today().isoformat()},
        )
        assert new.status_code == act
        assert h.reload(row).status == "planned" and h.count() == 1

    def test_readers_get_no_action_buttons_but_the_audit_history(self, client, auth, world, book):
        row = h.followup(world.officer, facility=book[1], planned_date=h.days(-1))
        auth.login("ao.budi")
        page = client.get(f"/followups/{row.id}").get_data(as_text=True)
        assert "Log outcome" in page and "Reschedule" in page and "Audit history" not in page
        auth.post(f"/followups/{row.id}/complete", ptp_form())
        auth.logout()
        auth.login("spv.jkt")
        page = client.get(f"/followups/{row.id}").get_data(as_text=True)
        assert "Log outcome" not in page and "Reschedule" not in page
        assert "Mark missed" not in page and "promise-pending" in page
        assert f'href="/audit/followup/{row.id}"' in page
        history = client.get(f"/audit/followup/{row.id}")
        assert history.status_code == 200 and "<strong>Complete</strong>" in history.get_data(
            as_text=True
        )
        auth.logout()
        auth.login("spv.bdg")
        assert client.get(f"/audit/followup/{row.id}").status_code == 404
