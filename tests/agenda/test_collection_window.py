"""Collection contact only within the permitted hours (POJK 22/2023 art. 62(2)), in local time.

Monday to Saturday outside national holidays, 08:00-20:00 in the customer's branch's time zone,
unless the customer agreed to other hours beforehand (a recorded consent).
"""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.audit.models import AuditEntry
from aoapp.auth import branches as auth_branches
from aoapp.common.collection_window import collection_state, next_collection_day, parse_days
from aoapp.customers.consent import contact_state
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.followups.suggestions import planned_day, suggest_after_import
from tests.support import agenda as h
from tests.support import credit_visits
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer, make_user
from tests.support.i18n import speak_indonesian

JAKARTA = ZoneInfo("Asia/Jakarta")
MAKASSAR = ZoneInfo("Asia/Makassar")
SATURDAY = date(2026, 12, 5)
SUNDAY = date(2026, 12, 6)
MONDAY = date(2026, 12, 7)
CHRISTMAS = date(2026, 12, 25)  # a Friday, a national holiday in the default list


def at(day: date, hour: int, minute: int = 0, zone=JAKARTA) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


class TestWindow:
    @pytest.mark.parametrize(
        ("hour", "minute", "allowed", "next_at"),
        [
            (7, 59, False, at(MONDAY, 8)),
            (8, 0, True, None),
            (19, 59, True, None),
            (20, 0, False, at(date(2026, 12, 8), 8)),
        ],
    )
    def test_the_hours_boundaries(self, hour, minute, allowed, next_at):
        state = collection_state(None, None, at(MONDAY, hour, minute))
        assert (state.allowed, state.next_at, state.by_consent) == (allowed, next_at, False)

    def test_saturday_evening_waits_for_monday(self):
        state = collection_state(None, None, at(SATURDAY, 21, 5))
        assert not state.allowed and state.next_at == at(MONDAY, 8)

    def test_sunday_is_closed_all_day(self):
        state = collection_state(None, None, at(SUNDAY, 10))
        assert not state.allowed and state.next_at == at(MONDAY, 8)

    def test_a_national_holiday_is_closed(self):
        state = collection_state(None, None, at(CHRISTMAS, 10))
        assert not state.allowed and state.next_at == at(date(2026, 12, 26), 8)  # Saturday

    def test_a_makassar_branch_counts_in_wita(self):
        # 19:30 WIB is 20:30 WITA: still open in Jakarta, closed in Makassar.
        moment = at(MONDAY, 19, 30)
        assert collection_state("Asia/Jakarta", None, moment).allowed
        state = collection_state("Asia/Makassar", None, moment)
        assert not state.allowed and state.zone_label == "WITA"
        assert state.next_at == at(date(2026, 12, 8), 8, zone=MAKASSAR)
        # 07:30 WIB is 08:30 WITA: open in Makassar, not yet in Jakarta.
        assert collection_state("Asia/Makassar", None, at(MONDAY, 7, 30)).allowed
        assert not collection_state(None, None, at(MONDAY, 7, 30)).allowed

    def test_consent_adds_the_agreed_hours_on_collection_days(self):
        consent = (time(20), time(22))
        state = collection_state(None, consent, at(MONDAY, 21))
        assert state.allowed and state.by_consent
        late = collection_state(None, consent, at(MONDAY, 22, 30))
        assert not late.allowed and late.next_at == at(date(2026, 12, 8), 8)
        assert not collection_state(None, consent, at(SUNDAY, 21)).allowed

    def test_the_reason_in_indonesian_and_english(self):
        state = collection_state(None, None, at(SATURDAY, 21, 5))
        with force_locale("id"):
            assert state.reason == (
                "Penagihan hanya Senin–Sabtu 08.00–20.00 WIB; berikutnya: Senin 7 Des 08.00"
            )
        with force_locale("en"):
            assert state.reason == (
                "Collection only Monday–Saturday 08:00–20:00 WIB; next: Monday 7 Dec 08:00"
            )

    def test_the_window_is_a_setting(self, app):
        app.config["COLLECTION_DAYS"] = "Mon-Fri"
        app.config["COLLECTION_HOURS"] = "09:00-17:00"
        assert not collection_state(None, None, at(SATURDAY, 10)).allowed
        state = collection_state(None, None, at(MONDAY, 8, 30))
        assert not state.allowed and state.next_at == at(MONDAY, 9)
        assert parse_days("1-6") == parse_days("Mon-Sat") == frozenset(range(6))
        with pytest.raises(ValueError):
            parse_days("Fun-Day")


class TestSuggestedDays:
    def test_a_planned_day_outside_the_window_moves_to_the_next_allowed(self, app):
        assert next_collection_day(SUNDAY) == MONDAY
        assert next_collection_day(CHRISTMAS) == date(2026, 12, 26)
        app.config["COLLECTION_DAYS"] = "Mon-Thu"
        # Wednesday + 2 working days is Friday, not a collection day here: Monday.
        assert planned_day(date(2026, 11, 4), 2) == date(2026, 11, 9)

    def test_a_listing_suggestion_is_planned_on_an_allowed_day(self, app, world):
        app.config["COLLECTION_DAYS"] = "Mon-Thu"
        facility = make_facility(make_customer(world.officer))
        post_listing(date(2026, 10, 31), [(facility, 10, "50000000")])
        suggest_after_import(date(2026, 10, 31), today=date(2026, 11, 4))
        db.session.expire_all()
        [followup] = db.session.scalars(sa.select(FollowUp).where(FollowUp.suggestion.is_not(None)))
        assert followup.planned_date == date(2026, 11, 9)  # Friday is no collection day here


@pytest.fixture
def night(travel_to):
    """Saturday 5 Dec 2026, 21:05 in Jakarta: outside the window."""
    travel_to(at(SATURDAY, 21, 5))


def _card(html: str, item_id: int) -> str:
    start = html.index(f'data-kind="follow_up" data-id="{item_id}"')
    return html[start : html.index("</article>", start)]


class TestAgenda:
    def test_the_collection_action_is_disabled_with_its_reason(self, night, client, auth, world):
        facility = h.debtor(world.officer, 45, phone="6281311112222")
        collection = h.followup(world.officer, facility=facility)
        customer = make_customer(world.officer, phone="6281234567890")
        offer = h.followup(world.officer, customer=customer, purpose="product_offer")
        auth.login("ao.budi")
        html = client.get("/agenda/").get_data(as_text=True)
        card = _card(html, collection.id)
        assert "tel:+6281311112222" not in card and "wa.me" not in card
        assert card.count("disabled") == 2
        assert "Collection only Monday–Saturday 08:00–20:00 WIB; next: Monday 7 Dec 08:00" in card
        other = _card(html, offer.id)  # not collection: unaffected
        assert 'href="tel:+6281234567890"' in other and "wa.me/6281234567890" in other

    def test_in_indonesian(self, night, client, auth, world):
        collection = h.followup(world.officer, facility=h.debtor(world.officer, 45))
        auth.login("ao.budi")
        speak_indonesian(auth)
        card = _card(client.get("/agenda/").get_data(as_text=True), collection.id)
        assert "Penagihan hanya Senin–Sabtu 08.00–20.00 WIB; berikutnya: Senin 7 Des 08.00" in card

    def test_inside_the_window_the_links_are_offered(self, travel_to, client, auth, world):
        travel_to(at(MONDAY, 8))
        collection = h.followup(world.officer, facility=h.debtor(world.officer, 45))
        auth.login("ao.budi")
        card = _card(client.get("/agenda/").get_data(as_text=True), collection.id)
        assert "tel:+" in card and "wa.me" in card and "disabled" not in card

    def test_the_api_says_whether_and_when(self, night, api, world):
        facility = h.debtor(world.officer, 45, phone="6281311112222")
        h.followup(world.officer, facility=facility)
        body = api(world.officer).get("/api/v1/agenda").get_json()
        [item] = body["today"]
        assert item["links"] == {}
        contact = item["collection_contact"]
        assert contact["allowed"] is False and contact["by_consent"] is False
        assert contact["next_allowed_at"] == "2026-12-07T08:00:00+07:00"
        assert (contact["time_zone"], contact["time_zone_label"]) == ("Asia/Jakarta", "WIB")
        assert contact["reason"].startswith("Collection only Monday–Saturday")

    def test_the_api_inside_the_window(self, travel_to, api, world, customer_in_makassar):
        travel_to(at(MONDAY, 7, 30))  # 08:30 WITA
        facility = credit_visits.facility(customer_in_makassar)
        h.followup(world.officer, facility=facility)
        h.followup(world.officer, customer=customer_in_makassar, purpose="relationship")
        body = api(world.officer).get("/api/v1/agenda").get_json()
        collection, other = sorted(body["today"], key=lambda i: i["purpose"])
        assert collection["collection_contact"]["allowed"] is True
        assert collection["collection_contact"]["next_allowed_at"] is None
        assert collection["collection_contact"]["time_zone_label"] == "WITA"
        assert collection["links"]["tel"].startswith("tel:+")
        assert other["collection_contact"] is None and other["links"]["tel"]

    def test_a_consenting_customer_may_be_called_in_the_agreed_hours(self, travel_to, api, world):
        travel_to(at(MONDAY, 21, 5))
        facility = h.debtor(world.officer, 45, collection_consent_hours="20:00-22:00")
        h.followup(world.officer, facility=facility)
        [item] = api(world.officer).get("/api/v1/agenda").get_json()["today"]
        assert item["collection_contact"]["allowed"] is True
        assert item["collection_contact"]["by_consent"] is True
        assert item["links"]["whatsapp"].startswith("https://wa.me/")

    def test_the_follow_up_page_withholds_its_links(self, night, client, auth, world):
        facility = h.debtor(world.officer, 45, phone="6281311112222")
        collection = h.followup(world.officer, facility=facility)
        auth.login("ao.budi")
        html = client.get(f"/followups/{collection.id}").get_data(as_text=True)
        assert "wa.me/6281311112222" not in html and "next: Monday 7 Dec 08:00" in html


@pytest.fixture
def customer_in_makassar(world):
    branch = auth_branches.create_branch("MKS01", "Makassar", timezone="Asia/Makassar")
    officer = world.officer
    customer = make_customer(officer, phone="6281399990000")
    customer.branch_id = branch.id
    db.session.commit()
    return customer


class TestConsent:
    URL = "/customers/{}/collection-consent"

    def test_the_officer_records_it_audited(self, travel_to, client, auth, world):
        travel_to(at(MONDAY, 21, 5))
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="collection"' in page and "Collection only Monday–Saturday" in page
        response = auth.post(self.URL.format(customer.id), {"hours": "20.00 - 22.00"})
        assert response.status_code == 302
        db.session.expire_all()
        saved = db.session.get(Customer, customer.id)
        assert saved.collection_consent_hours == "20:00-22:00"
        assert saved.collection_consent_by_id == world.officer.id
        assert saved.collection_consent_at is not None
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "customer", AuditEntry.action == "collection_consent"
            )
        )
        assert entry.actor_id == world.officer.id
        assert entry.after["collection_consent_hours"] == "20:00-22:00"
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "within the hours the customer agreed to" in page
        assert auth.post(self.URL.format(customer.id), {"hours": ""}).status_code == 302
        db.session.expire_all()
        assert db.session.get(Customer, customer.id).collection_consent_hours is None

    def test_a_supervisor_may_record_it_a_colleague_may_not(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.sari")
        # Another officer does not see the customer at all.
        assert auth.post(self.URL.format(customer.id), {"hours": "20:00-21:00"}).status_code == 404
        auth.logout()
        auth.login("spv.jkt")
        assert auth.post(self.URL.format(customer.id), {"hours": "20:00-21:00"}).status_code == 302

    def test_bad_hours_are_refused(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        response = auth.post(self.URL.format(customer.id), {"hours": "22:00-20:00"})
        assert response.status_code == 422
        assert "20:00-21:00" in response.get_data(as_text=True)


class TestBranchTimeZone:
    def test_the_admin_creates_a_wita_branch(self, client, auth, world):
        auth.login("admin")
        response = auth.post(
            "/admin/branches", {"code": "MKS01", "name": "Makassar", "timezone": "Asia/Makassar"}
        )
        assert response.status_code == 302
        page = client.get("/admin/branches").get_data(as_text=True)
        assert re.search(r"MKS01.*?WITA", page, re.S)

    def test_the_cli_sets_it_audited(self, runner, world):
        result = runner.invoke(args=["set-branch-timezone", "BDG01", "Asia/Jayapura"])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        assert db.session.get(type(world.bdg), world.bdg.id).timezone == "Asia/Jayapura"
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "branch", AuditEntry.action == "update"
            )
        )
        assert (entry.before["timezone"], entry.after["timezone"]) == (None, "Asia/Jayapura")
        assert runner.invoke(args=["set-branch-timezone", "BDG01", "Mars/Olympus"]).exit_code != 0
        assert runner.invoke(args=["set-branch-timezone", "BDG01"]).exit_code == 0
        db.session.expire_all()
        assert db.session.get(type(world.bdg), world.bdg.id).timezone is None


def test_make_user_in_a_wit_branch_is_counted_in_wit(world):
    branch = auth_branches.create_branch("JYP01", "Jayapura", timezone="Asia/Jayapura")
    officer = make_user("ao.jyp", branch="JYP01")
    customer = make_customer(officer)
    assert customer.branch_id == branch.id
    state = contact_state(customer, at(MONDAY, 18, 30))  # 20:30 WIT
    assert not state.allowed and state.zone_label == "WIT"
