"""The calendar feed: a secret, revocable URL serving the officer's planned follow-ups as iCalendar."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from aoapp.agenda import feeds
from aoapp.agenda.models import CalendarFeed
from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.extensions import db
from tests.support import agenda as h
from tests.support.factories import make_customer, make_prospect

URL_RE = re.compile(
    r'<code id="feed-url"[^>]*>(http://localhost/calendar/(aocal_[^<]+)\.ics)</code>'
)


def create_feed(auth) -> str:
    """Create a feed through the page; return the URL path shown once."""
    html = auth.post("/agenda/calendar").get_data(as_text=True)
    return "/calendar/" + URL_RE.search(html).group(2) + ".ics"


def events(response) -> dict[str, object]:
    """The feed's events by UID."""
    calendar = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="PT Maju Jaya", phone="6281234567890")


class TestFeedPage:
    def test_create_shows_the_url_once_then_only_its_prefix(self, client, auth, world):
        auth.login("ao.budi")
        assert "You have no calendar feed." in client.get("/agenda/calendar").get_data(as_text=True)
        html = auth.post("/agenda/calendar").get_data(as_text=True)
        url, token = URL_RE.search(html).groups()
        assert 'href="webcal://localhost/calendar/' in html
        feed = db.session.scalar(sa.select(CalendarFeed))
        assert feed.token_hash != token and len(feed.token_hash) == 64
        assert feed.prefix == token[:12] and token.startswith("aocal_")
        again = client.get("/agenda/calendar").get_data(as_text=True)
        assert token not in again and feed.prefix in again and "active" in again
        entries = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.entity_type == "calendarfeed")
        )
        assert list(entries) == ["create"]

    def test_a_new_feed_revokes_the_old_one(self, client, auth, world):
        auth.login("ao.budi")
        old = create_feed(auth)
        new = create_feed(auth)
        assert old != new
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200
        feeds_ = db.session.scalars(sa.select(CalendarFeed).order_by(CalendarFeed.id)).all()
        assert [f.revoked_at is not None for f in feeds_] == [True, False]

    def test_revoke(self, client, auth, world):
        auth.login("ao.budi")
        url = create_feed(auth)
        response = auth.post("/agenda/calendar/revoke", follow_redirects=True)
        assert "Calendar feed revoked." in response.get_data(as_text=True)
        assert client.get(url).status_code == 404
        assert "You have no calendar feed." in client.get("/agenda/calendar").get_data(as_text=True)

    def test_forms_need_the_csrf_token(self, client, auth, world):
        auth.login("ao.budi")
        assert client.post("/agenda/calendar").status_code == 400
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 0

    @pytest.mark.parametrize("username", ["spv.jkt", "admin"])
    def test_only_officers_have_a_feed(self, client, auth, world, username):
        auth.login(username)
        assert client.get("/agenda/calendar").status_code == 403
        assert auth.post("/agenda/calendar").status_code == 403


class TestFeedDocument:
    def test_valid_icalendar_with_the_officers_planned_follow_ups(
        self, client, auth, world, customer
    ):
        facility = h.debtor(world.officer, 45, name="Toko Sinar", phone="6281311112222")
        timed = h.followup(
            world.officer,
            facility=facility,
            planned_date=h.days(2),
            planned_time=time(9, 30),
            notes="Bring the arrears statement",
        )
        all_day = h.followup(
            world.officer, customer=customer, planned_date=h.days(0), purpose="relationship"
        )
        oldest = h.followup(
            world.officer, customer=customer, planned_date=h.days(-30), channel="visit"
        )
        h.followup(world.officer, customer=customer, planned_date=h.days(-31))  # too old
        far = h.followup(
            world.officer,
            prospect=make_prospect(world.officer, name="Ibu Wati"),
            planned_date=h.days(40),
            channel="whatsapp",
            purpose="product_offer",
        )
        h.followup(world.officer, customer=customer, status="done")
        h.followup(world.officer, customer=customer, status="cancelled")
        h.followup(world.colleague, customer=make_customer(world.colleague, name="Other AO's"))
        auth.login("ao.budi")
        url = create_feed(auth)
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"  # bank data: no cache keeps it
        calendar = Calendar.from_ical(response.data)
        assert str(calendar["VERSION"]) == "2.0" and "aoapp" in str(calendar["PRODID"])
        assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jakarta"
        assert "Ao.Budi" in str(calendar["X-WR-CALNAME"])
        found = events(response)
        assert set(found) == {f"followup-{f.id}@localhost" for f in (timed, all_day, oldest, far)}

        event = found[f"followup-{timed.id}@localhost"]
        assert str(event["SUMMARY"]) == "Call: Toko Sinar (collection)"
        start = event.decoded("DTSTART")
        assert start == datetime.combine(h.days(2), time(9, 30), ZoneInfo("Asia/Jakarta"))
        assert start.utcoffset() == timedelta(hours=7)
        assert event.decoded("DURATION") == timedelta(minutes=30)
        description = str(event["DESCRIPTION"])
        assert facility.account_no in description and "DPD 45" in description
        assert "Bring the arrears statement" in description and "+6281311112222" in description
        assert str(event["URL"]) == f"http://localhost/followups/{timed.id}"
        assert "DTSTAMP" in event

        whole_day = found[f"followup-{all_day.id}@localhost"]
        assert whole_day.decoded("DTSTART") == h.days(0) and not isinstance(
            whole_day.decoded("DTSTART"), datetime
        )
        assert b"DTSTART;VALUE=DATE:" in response.data
        assert str(whole_day["SUMMARY"]) == "Call: PT Maju Jaya (relationship)"
        assert (
            str(found[f"followup-{far.id}@localhost"]["SUMMARY"])
            == "WhatsApp: Ibu Wati (product offer)"
        )
        assert str(found[f"followup-{oldest.id}@localhost"]["SUMMARY"]).startswith("Visit: ")

    def test_uids_are_stable_across_polls(self, client, auth, world, customer):
        h.followup(world.officer, customer=customer)
        auth.login("ao.budi")
        url = create_feed(auth)
        assert set(events(client.get(url))) == set(events(client.get(url)))

    def test_reading_the_feed_records_its_last_use(self, client, auth, world):
        auth.login("ao.budi")
        url = create_feed(auth)
        assert db.session.scalar(sa.select(CalendarFeed.last_used_at)) is None
        auth.logout()
        assert client.get(url).status_code == 200  # no session: the token is the credential
        db.session.expire_all()
        assert db.session.scalar(sa.select(CalendarFeed.last_used_at)) is not None

    def test_an_empty_calendar_is_still_valid(self, client, auth, world):
        auth.login("ao.budi")
        response = client.get(create_feed(auth))
        assert Calendar.from_ical(response.data).walk("VEVENT") == []


class TestFeedToken:
    @pytest.mark.parametrize(
        "path",
        [
            "/calendar/.ics",
            "/calendar/aocal_wrong-token.ics",
            "/calendar/aoapp_" + "x" * 43 + ".ics",
            "/calendar/" + "a" * 300 + ".ics",
        ],
    )
    def test_unknown_tokens_get_a_bare_404(self, client, world, path):
        response = client.get(path)
        assert response.status_code == 404
        assert b"BEGIN:VCALENDAR" not in response.data

    def test_a_deactivated_officers_feed_stops(self, client, auth, world):
        auth.login("ao.budi")
        url = create_feed(auth)
        user = db.session.get(User, world.officer.id)
        user.active = False
        db.session.commit()
        assert client.get(url).status_code == 404

    def test_the_service_never_stores_the_token(self, world):
        feed, plain = feeds.create_feed(db.session.get(User, world.officer.id))
        assert plain not in (feed.token_hash, feed.prefix)
        assert feeds.feed_owner(plain).id == world.officer.id
        assert feeds.feed_owner(plain[:-1]) is None
        feeds.revoke_feed(db.session.get(User, world.officer.id))
        assert feeds.feed_owner(plain) is None

    def test_today_minus_30_days_is_the_first_day_listed(self, world, customer):
        officer = db.session.get(User, world.officer.id)
        h.followup(officer, customer=customer, planned_date=date(2026, 2, 7))
        h.followup(officer, customer=customer, planned_date=date(2026, 2, 8))
        listed = feeds.feed_followups(officer, today=date(2026, 3, 10))
        assert [f.planned_date for f in listed] == [date(2026, 2, 8)]
