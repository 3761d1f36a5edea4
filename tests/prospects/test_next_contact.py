"""A prospect's next contact is its earliest planned follow-up: planned, moved and cancelled from
the prospect's form and API, shown on the agenda, the dashboard, the calendar feed and the page."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.agenda.services import agenda_for
from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from aoapp.dashboards.queries import workloads
from aoapp.errors import Conflict, InvalidInput
from aoapp.extensions import db
from aoapp.followups import services as followups
from aoapp.followups.models import FollowUp
from aoapp.prospects import services
from aoapp.prospects.models import Prospect
from aoapp.prospects.schemas import ProspectInputSchema
from tests.agenda.test_feed import create_feed, events
from tests.prospects.conftest import form_data
from tests.support.factories import make_prospect, nik

ID = {"Accept-Language": "id"}
EN = {"Accept-Language": "en"}


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def speak(officer, headers: dict) -> None:
    """The officer's pages in the language of `headers` (the user's own setting wins)."""
    user(officer).locale = headers["Accept-Language"]
    db.session.commit()


def days(n: int):
    return bank_today() + timedelta(days=n)


def collect(officer, day, **overrides) -> Prospect:
    """A prospect collected through the service with its next contact on `day`."""
    data = {"name": "Warung Bu Tini", "phone": "081234567001", "source": "walk_in"}
    data.update(overrides)
    values = ProspectInputSchema().load(data)
    values["next_follow_up_date"] = day
    return services.create_prospect(user(officer), values)


def planned(prospect: Prospect) -> list[FollowUp]:
    """The prospect's follow-ups still planned."""
    stmt = sa.select(FollowUp).where(
        FollowUp.prospect_id == prospect.id, FollowUp.status == "planned"
    )
    return list(db.session.scalars(stmt))


def fresh(prospect: Prospect) -> Prospect:
    db.session.expire_all()
    return db.session.get(Prospect, prospect.id)


class TestPlanningFromTheProspect:
    def test_collecting_with_a_date_plans_a_call_on_that_day(self, world):
        prospect = collect(world.officer, days(3))
        [followup] = planned(prospect)
        assert (followup.planned_date, followup.owner_id, followup.created_by_id) == (
            days(3),
            world.officer.id,
            world.officer.id,
        )
        assert (followup.channel, followup.purpose) == ("call", "product_offer")
        assert fresh(prospect).next_follow_up_date == days(3)
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(
                AuditEntry.entity_type == "followup", AuditEntry.entity_id == followup.id
            )
        )
        assert list(actions) == ["create"]

    def test_without_a_date_nothing_is_planned(self, world):
        prospect = collect(world.officer, None)
        assert planned(prospect) == [] and fresh(prospect).next_follow_up_date is None

    def test_moving_the_date_moves_the_same_follow_up(self, world):
        prospect = collect(world.officer, days(3))
        [before] = planned(prospect)
        prospect = fresh(prospect)
        services.update_prospect(user(world.officer), prospect, {"next_follow_up_date": days(8)})
        [after] = planned(fresh(prospect))
        assert after.id == before.id and after.planned_date == days(8)
        assert fresh(prospect).next_follow_up_date == days(8)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reschedule"))
        assert entry.entity_id == after.id
        assert (entry.before["planned_date"], entry.after["planned_date"]) == (
            days(3).isoformat(),
            days(8).isoformat(),
        )

    def test_clearing_the_date_cancels_it_with_a_reason(self, world):
        prospect = fresh(collect(world.officer, days(3)))
        services.update_prospect(user(world.officer), prospect, {"next_follow_up_date": None})
        followup = db.session.scalar(sa.select(FollowUp))
        assert followup.status == "cancelled" and followup.reason is None
        assert followup.reason_code == "followup.next_contact_cleared"
        with force_locale("en"):
            assert "cleared" in followup.shown_reason
        assert fresh(prospect).next_follow_up_date is None

    def test_an_unchanged_date_touches_nothing(self, world):
        prospect = fresh(collect(world.officer, days(3)))
        services.update_prospect(
            user(world.officer), prospect, {"next_follow_up_date": days(3), "notes": "x"}
        )
        assert db.session.scalar(sa.select(FollowUp)).version == 1

    def test_a_past_date_is_refused(self, world):
        with pytest.raises(InvalidInput) as error:
            collect(world.officer, days(-1))
        assert "next_follow_up_date" in error.value.errors
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Prospect)) == 0

    def test_the_earliest_planned_follow_up_is_the_next_contact(self, world):
        prospect = collect(world.officer, days(5))
        followups.plan(
            user(world.officer),
            {
                "prospect": prospect.id,
                "channel": "visit",
                "purpose": "relationship",
                "planned_date": days(2),
            },
        )
        assert fresh(prospect).next_follow_up_date == days(2)


class TestFollowUpsUpdateTheProspect:
    def test_completing_it_clears_the_next_contact(self, world):
        prospect = collect(world.officer, days(0))
        [followup] = planned(prospect)
        followups.complete(user(world.officer), followup, {"outcome": "reached"})
        assert fresh(prospect).next_follow_up_date is None

    def test_completing_it_with_a_next_one_shows_that_day(self, world):
        prospect = collect(world.officer, days(0))
        [followup] = planned(prospect)
        followups.complete(
            user(world.officer), followup, {"outcome": "interested", "next_date": days(6)}
        )
        assert fresh(prospect).next_follow_up_date == days(6)

    def test_rescheduling_it_moves_the_next_contact(self, world):
        prospect = collect(world.officer, days(1))
        [followup] = planned(prospect)
        followups.reschedule(user(world.officer), followup, {"planned_date": days(4)})
        assert fresh(prospect).next_follow_up_date == days(4)


class TestClosingTheProspect:
    @pytest.mark.parametrize("status", ["rejected", "lost"])
    def test_a_closed_prospect_has_its_follow_up_cancelled(self, world, status):
        prospect = fresh(collect(world.officer, days(2)))
        services.change_status(user(world.officer), prospect, status, "not_interested")
        followup = db.session.scalar(sa.select(FollowUp))
        assert followup.status == "cancelled" and followup.reason_params == {"status": status}
        with force_locale("en"):
            assert status in followup.shown_reason
        with force_locale("id"):
            assert {"rejected": "ditolak", "lost": "gagal"}[status] in followup.shown_reason
        assert fresh(prospect).next_follow_up_date is None
        with pytest.raises(Conflict):
            services.update_prospect(
                user(world.officer), fresh(prospect), {"next_follow_up_date": days(9)}
            )

    def test_a_converted_prospects_follow_up_goes_on_with_the_customer(self, world):
        prospect = fresh(collect(world.officer, days(2), nik=nik()))
        customer = services.convert(
            user(world.officer),
            prospect,
            {"cif": "CIF0000042", "customer_type": "individual", "segment": "micro"},
        )
        followup = db.session.scalar(sa.select(FollowUp))
        assert (followup.status, followup.customer_id, followup.prospect_id) == (
            "planned",
            customer.id,
            None,
        )
        assert fresh(prospect).next_follow_up_date is None
        assert (
            db.session.scalar(
                sa.select(AuditEntry.action)
                .where(AuditEntry.entity_type == "followup", AuditEntry.entity_id == followup.id)
                .order_by(AuditEntry.id.desc())
            )
            == "convert"
        )


class TestWhereItShows:
    def test_the_agenda_has_it_on_its_day(self, client, auth, world):
        today = collect(world.officer, days(0), name="Ibu Wati")
        later = collect(world.officer, days(3), name="Pak Joko", phone="081234567002")
        agenda = agenda_for(user(world.officer))
        assert [i.party_name for i in agenda.today_items] == ["Ibu Wati"]
        assert [i.party_name for i in agenda.next_7_days] == ["Pak Joko"]
        auth.login("ao.budi")
        for headers in (EN, ID):
            speak(world.officer, headers)
            html = client.get("/agenda/", headers=headers).get_data(as_text=True)
            assert f'href="/prospects/{today.id}"' in html and "Ibu Wati" in html
            assert f'href="/prospects/{later.id}"' in html

    def test_the_dashboard_counts_it(self, world):
        collect(world.officer, days(0))
        assert workloads([world.officer.id], bank_today())[world.officer.id].followups_today == 1

    def test_the_calendar_feed_has_it(self, client, auth, world):
        prospect = collect(world.officer, days(8), name="Ibu Wati")
        [followup] = planned(prospect)
        auth.login("ao.budi")
        found = events(client.get(create_feed(auth)))
        event = found[f"followup-{followup.id}@localhost"]
        assert "Ibu Wati" in str(event["SUMMARY"])
        assert event.decoded("DTSTART") == days(8)

    @pytest.mark.parametrize(
        ("headers", "empty", "locale"),
        [(EN, "No follow-ups yet.", "en"), (ID, "Belum ada tindak lanjut.", "id")],
    )
    def test_the_prospect_page_shows_the_planned_follow_up(
        self, client, auth, world, headers, empty, locale
    ):
        prospect = collect(world.officer, days(8))
        speak(world.officer, headers)
        auth.login("ao.budi")
        html = client.get(f"/prospects/{prospect.id}", headers=headers).get_data(as_text=True)
        assert empty not in html
        assert format_date(days(8), locale=locale) in html
        [followup] = planned(prospect)
        assert f"/followups/{followup.id}" in html
        bare = make_prospect(world.officer, name="Tanpa Rencana")
        html = client.get(f"/prospects/{bare.id}", headers=headers).get_data(as_text=True)
        assert empty in html


class TestTheForm:
    @pytest.mark.parametrize("headers", [EN, ID])
    def test_moving_the_date_on_the_form_moves_the_follow_up(self, client, auth, world, headers):
        prospect = collect(world.officer, days(3))
        [followup] = planned(prospect)
        speak(world.officer, headers)
        auth.login("ao.budi")
        edit = client.get(f"/prospects/{prospect.id}/edit", headers=headers)
        assert days(3).isoformat() in edit.get_data(as_text=True)
        response = auth.post(
            f"/prospects/{prospect.id}/edit",
            form_data(
                name="Warung Bu Tini",
                phone="081234567001",
                next_follow_up_date=days(6).isoformat(),
                version=str(fresh(prospect).version),
            ),
            headers=headers,
        )
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(FollowUp, followup.id).planned_date == days(6)
        html = client.get("/agenda/", headers=headers).get_data(as_text=True)
        assert f'href="/prospects/{prospect.id}"' in html

    @pytest.mark.parametrize(
        ("headers", "message"),
        [
            (EN, "The next follow-up cannot be in the past."),
            (ID, "Tindak lanjut berikutnya tidak boleh di masa lalu."),
        ],
    )
    def test_a_past_date_is_refused_beside_the_field(self, client, auth, world, headers, message):
        speak(world.officer, headers)
        auth.login("ao.budi")
        response = auth.post(
            "/prospects/new",
            form_data(next_follow_up_date=days(-2).isoformat()),
            headers=headers,
        )
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Prospect)) == 0


class TestTheApi:
    def test_create_move_and_clear(self, api, world):
        client = api(world.officer)
        body = {
            "name": "Ibu Wati",
            "phone": "081234567001",
            "source": "walk_in",
            "next_follow_up_date": days(4).isoformat(),
        }
        created = client.post("/api/v1/prospects", json=body)
        assert created.status_code == 201
        prospect_id = created.json["id"]
        assert created.json["next_follow_up_date"] == days(4).isoformat()
        listed = client.get(f"/api/v1/followups?prospect={prospect_id}").json["items"]
        assert [(f["planned_date"], f["status"]) for f in listed] == [
            (days(4).isoformat(), "planned")
        ]
        moved = client.patch(
            f"/api/v1/prospects/{prospect_id}", json={"next_follow_up_date": days(6).isoformat()}
        )
        assert moved.status_code == 200 and moved.json["next_follow_up_date"] == days(6).isoformat()
        kept = client.patch(f"/api/v1/prospects/{prospect_id}", json={"notes": "Ramah"})
        assert kept.json["next_follow_up_date"] == days(6).isoformat()
        cleared = client.patch(
            f"/api/v1/prospects/{prospect_id}", json={"next_follow_up_date": None}
        )
        assert cleared.json["next_follow_up_date"] is None
        listed = client.get(f"/api/v1/followups?prospect={prospect_id}").json["items"]
        assert [f["status"] for f in listed] == ["cancelled"]
