"""Visit evidence on the pages: photos and the officer's location sent with the visit form and
with a visit's log-outcome form (without script, as originals), refusals on the photos field,
photos removed, the customer's location on the customer form; flagged visits on the visit page
and on the supervisor's team agenda."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits.models import VisitPhoto
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.followups.visit_evidence import flagged_visits
from tests.support import credit_visits as h
from tests.support import followups as fh
from tests.support import photos as P
from tests.support.factories import make_customer

SHOP = {"latitude": -6.2, "longitude": 106.81667}  # the customer's recorded location
HERE = {"latitude": "-6.20210", "longitude": "106.81667", "accuracy": "15"}  # 234 m away
FAR = {"latitude": "-6.21800", "longitude": "106.81667", "accuracy": "20"}  # 2 km away


def visit_form(**overrides) -> dict:
    data = {
        "facility": "",
        "visit_date": (bank_today() - timedelta(days=1)).isoformat(),
        "findings": "Toko ramai, stok penuh",
        "risk_rating": "adequate",
        "next_visit_date": "",
    }
    return data | overrides


def files(*images: bytes) -> list:
    return [P.upload(image, f"IMG_{n}.jpg") for n, image in enumerate(images, 1)]


def send(auth, url, data):
    return auth.post(url, data, content_type="multipart/form-data")


def only(model):
    db.session.expire_all()
    return db.session.scalars(sa.select(model).order_by(model.id)).all()


@pytest.fixture
def shop(world):
    return make_customer(world.officer, name="Toko Sinar Jaya", **SHOP)


class TestVisitForm:
    def test_photos_and_location_come_with_a_new_visit(self, client, auth, world, shop):
        auth.login("ao.budi")
        photos = files(P.camera_jpeg(3000, 2000), P.png(900, 700))
        data = visit_form(photos=photos, location_consent="y", **HERE)
        response = send(auth, f"/visits/new?customer={shop.id}", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        (visit,) = only(MonitoringVisit)
        assert (visit.latitude, visit.longitude, visit.accuracy) == (-6.2021, 106.81667, 15.0)
        stored = only(VisitPhoto)
        assert [(p.width, p.height) for p in stored] == [(1600, 1067), (900, 700)]
        assert all(p.latitude == -6.2021 for p in stored)  # the phone's position, with consent

        page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
        assert "-6.20210, 106.81667" in page and "± 15 m" in page
        assert "234 m from the customer&#39;s address" in page and 'id="visit-flag"' not in page
        for photo in stored:
            assert f'src="/visits/{visit.id}/photos/{photo.id}/thumb"' in page
            thumb = client.get(f"/visits/{visit.id}/photos/{photo.id}/thumb")
            assert thumb.status_code == 200 and max(P.opened(thumb.data).size) == 320

    def test_without_consent_no_location_is_kept(self, client, auth, world, shop):
        auth.login("ao.budi")
        data = visit_form(photos=files(P.camera_jpeg(800, 600)), **HERE)  # box left empty
        assert send(auth, f"/visits/new?customer={shop.id}", data).status_code == 302
        (visit,) = only(MonitoringVisit)
        (photo,) = only(VisitPhoto)
        assert visit.latitude is None and photo.latitude is None  # nor the photo's EXIF GPS
        page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
        assert "Logged without a location" in page and 'id="visit-flag"' in page

    def test_a_refused_photo_saves_nothing_and_says_why_on_the_field(self, app, auth, world, shop):
        auth.login("ao.budi")
        photos = files(P.camera_jpeg(800, 600)) + [P.upload(b"%PDF-1.7 surat", "surat.jpg")]
        response = send(auth, f"/visits/new?customer={shop.id}", visit_form(photos=photos))
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "surat.jpg: This file is not a photo" in page
        assert 'id="photos" name="photos"' in page and "is-invalid" in page
        assert only(MonitoringVisit) == [] and only(VisitPhoto) == []

    def test_photos_over_the_apps_upload_limit_are_refused_with_advice(
        self, app, auth, world, shop
    ):
        auth.login("ao.budi")
        token = auth.csrf_token()
        app.config["MAX_CONTENT_LENGTH"] = 30_000
        data = visit_form(photos=files(P.camera_jpeg(1600, 1200)), csrf_token=token)
        response = auth._client.post(
            f"/visits/new?customer={shop.id}", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 413
        assert "Add fewer photos at a time" in response.get_data(as_text=True)
        assert only(MonitoringVisit) == []

    def test_a_failed_save_leaves_no_visit_no_photo_and_no_file(
        self, app, auth, world, shop, monkeypatch
    ):
        from pathlib import Path

        auth.login("ao.budi")
        data = visit_form(photos=files(P.camera_jpeg(800, 600), P.png()), location_consent="y")

        def fail():
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))

        with monkeypatch.context() as patch, pytest.raises(sa.exc.OperationalError):
            patch.setattr(db.session, "commit", fail)
            send(auth, f"/visits/new?customer={shop.id}", data)  # tests propagate the error
        assert only(MonitoringVisit) == [] and only(VisitPhoto) == []
        media = Path(app.config["MEDIA_DIR"])
        assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]

    def test_the_officer_adds_and_removes_photos_on_the_edit_page(self, client, auth, world, shop):
        visit = h.visit(shop, world.officer, latitude=-6.2021, longitude=106.81667)
        auth.login("ao.budi")
        data = visit_form(photos=files(P.camera_jpeg(800, 600)), location_consent="y", **FAR)
        assert send(auth, f"/visits/{visit.id}/edit", data).status_code == 302
        (photo,) = only(VisitPhoto)
        assert photo.latitude == -6.218  # the new photo's own place
        assert db.session.get(MonitoringVisit, visit.id).latitude == -6.2021  # the visit's kept
        page = client.get(f"/visits/{visit.id}/edit").get_data(as_text=True)
        assert f'data-remove-photo="{photo.id}"' in page
        removed = auth.post(f"/visits/{visit.id}/photos/{photo.id}/delete")
        assert removed.status_code == 302 and only(VisitPhoto) == []

    def test_a_full_visit_refuses_more_on_the_form(self, app, auth, world, shop):
        app.config["VISIT_PHOTOS_MAX"] = 1
        visit = h.visit(shop, world.officer)
        P.photo_row(world.officer, visit=visit)
        auth.login("ao.budi")
        data = visit_form(photos=files(P.camera_jpeg(800, 600)))
        response = send(auth, f"/visits/{visit.id}/edit", data)
        assert response.status_code == 422 and "at most 1 are kept" in response.get_data(
            as_text=True
        )


class TestVisitFollowUp:
    def test_a_visits_outcome_carries_photos_and_a_location(self, client, auth, world, shop):
        row = fh.followup(world.officer, customer=shop, channel="visit")
        auth.login("ao.budi")
        page = client.get(f"/followups/{row.id}/complete").get_data(as_text=True)
        assert 'enctype="multipart/form-data"' in page and 'capture="environment"' in page
        data = {"outcome": "reached", "version": "1", "location_consent": "y", **FAR}
        data["photos"] = files(P.camera_jpeg(1200, 900))
        assert send(auth, f"/followups/{row.id}/complete", data).status_code == 302
        done = fh.reload(row)
        assert (done.status, done.latitude, done.accuracy) == ("done", -6.218, 20.0)
        (photo,) = only(VisitPhoto)
        assert photo.follow_up_id == row.id and photo.visit_id is None
        detail = client.get(f"/followups/{row.id}").get_data(as_text=True)
        assert f"/followups/{row.id}/photos/{photo.id}/thumb" in detail
        assert "Logged 2.0 km from the customer&#39;s address" in detail
        assert client.get(f"/followups/{row.id}/photos/{photo.id}").status_code == 200
        auth.logout()
        auth.login("ao.dewi")
        assert client.get(f"/followups/{row.id}/photos/{photo.id}/thumb").status_code == 404

    def test_a_call_takes_neither(self, api, world, shop):
        row = fh.followup(world.officer, customer=shop, channel="call")
        response = api(world.officer).post(
            f"/api/v1/followups/{row.id}/complete",
            json={"outcome": "reached", "latitude": -6.2, "longitude": 106.8},
        )
        assert response.status_code == 422 and "latitude" in response.json["errors"]


class TestCustomerLocation:
    def test_the_officer_records_where_the_address_is(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        page = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
        form = {
            "cif": customer.cif,
            "name": customer.name,
            "customer_type": "individual",
            "nik": customer.nik,
            "phone": "",
            "email": "",
            "address": "Jl. Pasar Baru 12",
            "segment": "micro",
            "since": "2024-01-15",
            "version": "1",
        }
        assert 'name="latitude"' in page
        half = auth.post(f"/customers/{customer.id}/edit", form | {"latitude": "-6,2"})
        assert half.status_code == 422 and "Give both the latitude and the longitude" in (
            half.get_data(as_text=True)
        )
        both = form | {"latitude": "-6,2", "longitude": "106.81667"}
        assert auth.post(f"/customers/{customer.id}/edit", both).status_code == 302
        saved = fh.reload(customer)
        assert (saved.latitude, saved.longitude) == (-6.2, 106.81667)


class TestFlaggedVisits:
    def _visits(self, world, shop):
        """A visit near the shop, one far from it, one without a location, one to a customer
        without a recorded location, and a far visit follow-up; another branch's, far too."""
        near = h.visit(shop, world.officer, latitude=-6.2021, longitude=106.81667)
        far = h.visit(shop, world.officer, latitude=-6.218, longitude=106.81667)
        nowhere = h.visit(shop, world.officer)
        unmapped = h.visit(make_customer(world.officer), world.officer, latitude=1.0, longitude=2.0)
        followup = fh.followup(world.officer, customer=shop, channel="visit", status="done")
        followup.outcome, followup.done_at = "reached", datetime.now(UTC)
        followup.latitude, followup.longitude = -6.25, 106.9
        remote = make_customer(world.remote, **SHOP)
        elsewhere = h.visit(remote, world.remote)
        db.session.commit()
        return near, far, nowhere, unmapped, followup, elsewhere

    def test_far_and_unlocated_visits_are_flagged_for_the_branch(self, world, shop):
        near, far, nowhere, unmapped, followup, elsewhere = self._visits(world, shop)
        supervisor = db.session.get(type(world.supervisor), world.supervisor.id)
        found = flagged_visits(supervisor, bank_today(), bank_today())
        flagged = {(f.kind, f.id): (f.reason, f.distance_m and round(f.distance_m)) for f in found}
        assert flagged == {
            ("monitoring_visit", far.id): ("far", 2002),
            ("monitoring_visit", nowhere.id): ("no_location", None),
            ("follow_up", followup.id): ("far", 10759),
        }
        assert found[0].why.startswith("Logged ")
        admin = db.session.get(type(world.admin), world.admin.id)
        assert ("monitoring_visit", elsewhere.id) in {
            (f.kind, f.id) for f in flagged_visits(admin, bank_today(), bank_today())
        }
        last_week = bank_today() - timedelta(days=8)
        assert flagged_visits(supervisor, last_week, last_week) == []

    def test_the_team_agenda_lists_them(self, client, auth, world, shop):
        near, far, nowhere, unmapped, followup, elsewhere = self._visits(world, shop)
        auth.login("spv.jkt")
        page = client.get("/agenda/team").get_data(as_text=True)
        section = page.split('id="flagged-visits"')[1].split("<h2")[0]
        assert f'data-flagged="monitoring_visit-{far.id}"' in section
        assert f'data-flagged="monitoring_visit-{nowhere.id}"' in section
        assert f'data-flagged="follow_up-{followup.id}"' in section
        assert "Logged 2.0 km from the customer&#39;s address" in section
        assert f'monitoring_visit-{near.id}"' not in section
        assert f'monitoring_visit-{elsewhere.id}"' not in section
        auth.logout()
        auth.login("spv.bdg")
        other = client.get("/agenda/team").get_data(as_text=True)
        assert f'data-flagged="monitoring_visit-{elsewhere.id}"' in other
        assert f'monitoring_visit-{far.id}"' not in other

    def test_the_distance_limit_is_a_setting(self, app, world, shop):
        _near, far, *_rest = self._visits(world, shop)
        app.config["VISIT_DISTANCE_FLAG_METERS"] = 2500
        supervisor = db.session.get(type(world.supervisor), world.supervisor.id)
        ids = {(f.kind, f.id) for f in flagged_visits(supervisor, bank_today(), bank_today())}
        assert ("monitoring_visit", far.id) not in ids


@pytest.mark.usefixtures("world")
def test_customers_api_reads_and_writes_the_location(api, world):
    customer = make_customer(world.officer)
    client = api(world.officer)
    url = f"/api/v1/customers/{customer.id}"
    changed = client.patch(url, json={"latitude": -6.2, "longitude": 106.81667, "version": 1})
    assert changed.status_code == 200, changed.json
    assert (changed.json["latitude"], changed.json["longitude"]) == (-6.2, 106.81667)
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).latitude == -6.2
    assert FollowUp.__table__.c.latitude.nullable
