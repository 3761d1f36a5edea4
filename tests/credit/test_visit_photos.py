"""Visit evidence through the API: a photo uploaded is stored upright, small and bare (read back
with Pillow), its location kept only with consent; refusals by content, size, count and pixels;
scoping (404 outside it); a failed save leaves neither a file nor a row."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.media import media_store
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits import evidence
from aoapp.credit.visits.models import VisitPhoto
from aoapp.credit.visits.photos import take_photos
from aoapp.extensions import db
from tests.support import credit_visits as h
from tests.support import photos as P
from tests.support.factories import make_customer

API = "/api/v1/monitoring-visits"
NEAR = {"latitude": "-6.20210", "longitude": "106.81667", "accuracy": "15"}  # 233 m south


@pytest.fixture
def visit(world):
    customer = make_customer(world.officer, latitude=-6.2, longitude=106.81667)
    return h.visit(customer, world.officer)


def post(client, visit_id, data: bytes, name="foto.jpg", content_type="image/jpeg", **fields):
    headers = fields.pop("headers", {})
    body = {"file": P.upload(data, name, content_type), **fields}
    return client.post(
        f"{API}/{visit_id}/photos", data=body, content_type="multipart/form-data", headers=headers
    )


def stored_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def photos_of(visit_id) -> list[VisitPhoto]:
    db.session.expire_all()
    stmt = sa.select(VisitPhoto).where(VisitPhoto.visit_id == visit_id).order_by(VisitPhoto.id)
    return list(db.session.scalars(stmt))


def audit_of(entity: str) -> list[str]:
    stmt = sa.select(AuditEntry.action).where(AuditEntry.entity_type == entity)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


class TestUpload:
    def test_a_camera_photo_is_stored_upright_small_and_bare(self, api, world, visit):
        client = api(world.officer)
        response = post(client, visit.id, P.camera_jpeg(2400, 1800, orientation=6), **NEAR)
        assert response.status_code == 201, response.json
        body = response.json
        assert {"id", "url", "width", "height"} <= body.keys()
        assert (body["width"], body["height"]) == (1200, 1600)  # turned upright, long side 1600

        image = client.get(body["url"])
        assert image.status_code == 200 and image.mimetype == "image/jpeg"
        stored = P.opened(image.data)
        assert stored.format == "JPEG" and stored.size == (1200, 1600)
        assert dict(stored.getexif()) == {}  # no orientation, GPS, make or model left
        assert not {"exif", "xmp", "comment", "icc_profile"} & stored.info.keys()
        assert b"Samsung" not in image.data and b"Galaxy" not in image.data
        top, bottom = stored.getpixel((600, 20)), stored.getpixel((600, 1580))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left half is on top
        thumb = P.opened(client.get(body["thumbnail_url"]).data)
        assert thumb.size == (240, 320)

        (photo,) = photos_of(visit.id)
        assert (photo.latitude, photo.longitude, photo.accuracy) == (-6.2021, 106.81667, 15.0)
        assert photo.taken_at.isoformat() == "2026-11-02T02:15:00+00:00"  # 09:15 in Jakarta
        located = db.session.get(MonitoringVisit, visit.id)
        assert (located.latitude, located.longitude) == (-6.2021, 106.81667)  # it had none
        shown = client.get(f"{API}/{visit.id}").json
        assert shown["location_flag"] is None  # 233 m from the customer: not flagged
        assert [p["id"] for p in shown["photos"]] == [photo.id]
        assert audit_of("visitphoto") == ["create"]
        assert audit_of("monitoringvisit") == ["update"]

    def test_the_photos_own_gps_is_kept_only_with_consent(self, api, world, visit):
        client = api(world.officer)
        assert post(client, visit.id, P.camera_jpeg(800, 600)).status_code == 201
        consented = post(client, visit.id, P.camera_jpeg(900, 600), location_consent="true")
        assert consented.status_code == 201
        without, withgps = photos_of(visit.id)
        assert without.latitude is None and without.located_at is None
        assert (round(withgps.latitude, 5), round(withgps.longitude, 5)) == (-6.2, 106.81667)
        assert withgps.accuracy is None
        for photo in (without, withgps):  # stripped from both files
            data = client.get(f"{API}/{visit.id}/photos/{photo.id}").data
            assert dict(P.opened(data).getexif()) == {}

    def test_the_same_photo_sent_again_is_the_photo_already_stored(self, api, world, visit):
        client, photo = api(world.officer), P.camera_jpeg(1000, 800)
        first = post(client, visit.id, photo)
        again = post(client, visit.id, photo)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json["id"] == first.json["id"] and len(photos_of(visit.id)) == 1

    def test_a_png_named_jpg_is_taken_by_its_content(self, api, world, visit):
        response = post(api(world.officer), visit.id, P.png(alpha=True), "IMG_0001.jpg")
        assert response.status_code == 201
        data = api(world.officer).get(response.json["url"]).data
        stored = P.opened(data)
        assert stored.format == "JPEG" and stored.getpixel((5, 5)) == (255, 255, 255)

    def test_the_officer_removes_a_photo_and_its_files_go(self, app, api, world, visit):
        client = api(world.officer)
        body = post(client, visit.id, P.camera_jpeg(800, 600)).json
        assert len(stored_files(app)) == 2  # the photo and its thumbnail
        assert client.delete(f"{API}/{visit.id}/photos/{body['id']}").status_code == 204
        assert stored_files(app) == [] and photos_of(visit.id) == []
        assert client.get(body["url"]).status_code == 404
        assert audit_of("visitphoto") == ["create", "delete"]

    def test_a_visit_recorded_through_the_api_carries_its_location(self, api, world, visit):
        body = {
            "customer": visit.customer_id,
            "risk_rating": "adequate",
            "latitude": -6.218,
            "longitude": 106.81667,
            "accuracy": 30,
            "located_at": "2026-11-02T02:10:00Z",
        }
        created = api(world.officer).post(API, json=body)
        assert created.status_code == 201, created.json
        assert created.json["located_at"].startswith("2026-11-02T02:10:00")
        assert created.json["location_flag"] == "far" and created.json["photos"] == []

    def test_deleting_a_visit_removes_its_photos_and_their_files(self, app, api, world, visit):
        client = api(world.officer)
        assert post(client, visit.id, P.camera_jpeg(800, 600)).status_code == 201
        assert client.delete(f"{API}/{visit.id}").status_code == 204
        assert stored_files(app) == [] and photos_of(visit.id) == []
        assert audit_of("visitphoto") == ["create", "delete"]


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "name", "said"),
        [
            (b"Laporan kunjungan: toko ramai.\n", "foto.jpg", "not a photo"),
            (P.gif(), "foto.png", "not a photo"),
            (P.heic(), "IMG_0002.HEIC", "HEIC photos are not accepted"),
        ],
    )
    def test_what_is_not_a_jpeg_png_or_webp_is_refused(
        self, app, api, world, visit, data, name, said
    ):
        response = post(api(world.officer), visit.id, data, name)
        assert response.status_code == 422
        assert said in response.json["errors"]["file"][0] and name in response.json["message"]
        assert stored_files(app) == [] and photos_of(visit.id) == []

    def test_a_photo_over_the_size_limit_is_413(self, app, api, world, visit):
        app.config["PHOTO_MAX_BYTES"] = 20_000
        response = post(api(world.officer), visit.id, P.camera_jpeg(1600, 1200))
        assert response.status_code == 413 and "too large" in response.json["errors"]["file"][0]
        assert stored_files(app) == []

    def test_a_pixel_bomb_is_refused_unread(self, app, api, world, visit):
        bomb = P.png_claiming(100_000, 100_000)  # 10 gigapixels in 100 bytes
        response = post(api(world.officer), visit.id, bomb, "peta.png", "image/png")
        assert response.status_code == 413 and "megapixels" in response.json["errors"]["file"][0]
        app.config["PHOTO_MAX_PIXELS"] = 1_000_000
        two_megapixels = P.png(2000, 1000)
        assert post(api(world.officer), visit.id, two_megapixels).status_code == 413
        assert stored_files(app) == []

    def test_a_full_visit_takes_no_more(self, app, api, world, visit):
        app.config["VISIT_PHOTOS_MAX"] = 2
        client = api(world.officer)
        for width in (800, 810):
            assert post(client, visit.id, P.camera_jpeg(width, 600)).status_code == 201
        full = post(client, visit.id, P.camera_jpeg(820, 600))
        assert full.status_code == 409 and "at most 2" in full.json["errors"]["file"][0]
        assert len(photos_of(visit.id)) == 2 and len(stored_files(app)) == 4

    def test_refusals_are_in_the_readers_language(self, api, world, visit):
        response = post(
            api(world.officer), visit.id, b"bukan foto", headers={"Accept-Language": "id"}
        )
        assert response.status_code == 422
        assert "bukan foto" in response.json["errors"]["file"][0].lower()

    def test_half_a_location_is_refused(self, api, world, visit):
        response = post(api(world.officer), visit.id, P.png(), latitude="-6.2")
        assert response.status_code == 422 and "longitude" in response.json["errors"]


class TestScope:
    def test_outside_the_visits_scope_everything_is_404(self, api, world, visit):
        body = post(api(world.officer), visit.id, P.camera_jpeg(800, 600)).json
        paths = [body["url"], body["thumbnail_url"]]
        for user in (world.colleague, world.remote, world.bdg_supervisor):
            client = api(user)
            assert [client.get(path).status_code for path in paths] == [404, 404]
            assert post(client, visit.id, P.camera_jpeg(700, 600)).status_code == 404
            assert client.delete(body["url"]).status_code == 404
        supervisor = api(world.supervisor)
        assert [supervisor.get(path).status_code for path in paths] == [200, 200]
        assert post(supervisor, visit.id, P.camera_jpeg(700, 600)).status_code == 403
        assert len(photos_of(visit.id)) == 1

    def test_a_photo_is_reached_only_through_its_own_visit(self, api, world, visit):
        other = h.visit(make_customer(world.officer), world.officer)
        body = post(api(world.officer), visit.id, P.camera_jpeg(800, 600)).json
        assert api(world.officer).get(f"{API}/{other.id}/photos/{body['id']}").status_code == 404

    def test_the_pages_images_follow_the_same_scope(self, client, auth, api, world, visit):
        photo_id = post(api(world.officer), visit.id, P.camera_jpeg(800, 600)).json["id"]
        urls = [
            f"/visits/{visit.id}/photos/{photo_id}",
            f"/visits/{visit.id}/photos/{photo_id}/thumb",
        ]
        auth.login("ao.dewi")
        assert [client.get(url).status_code for url in urls] == [404, 404]
        auth.logout()
        auth.login("spv.jkt")
        responses = [client.get(url) for url in urls]
        assert [r.status_code for r in responses] == [200, 200]
        assert responses[1].headers["Cache-Control"] == "no-store"


class TestNothingHalfWritten:
    def _failing_commit(self, monkeypatch):
        def fail():
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

        monkeypatch.setattr(db.session, "commit", fail)

    def test_a_failed_save_leaves_no_file_and_no_row(self, app, world, visit, monkeypatch):
        batch = take_photos(
            [_storage(P.camera_jpeg(800, 600))], field_name="file", consent=False, location=None
        )
        officer = db.session.get(type(world.officer), world.officer.id)
        self._failing_commit(monkeypatch)
        with pytest.raises(sa.exc.OperationalError):
            evidence.add_visit_photo(officer, db.session.get(MonitoringVisit, visit.id), batch)
        monkeypatch.undo()
        assert stored_files(app) == [] and photos_of(visit.id) == []

    def test_a_file_another_photo_uses_stays(self, app, api, world, visit, monkeypatch):
        photo = P.camera_jpeg(800, 600)
        assert post(api(world.officer), visit.id, photo).status_code == 201
        other = h.visit(make_customer(world.officer), world.officer)
        batch = take_photos([_storage(photo)], field_name="file", consent=False, location=None)
        officer = db.session.get(type(world.officer), world.officer.id)
        self._failing_commit(monkeypatch)
        with pytest.raises(sa.exc.OperationalError):
            evidence.add_visit_photo(officer, db.session.get(MonitoringVisit, other.id), batch)
        monkeypatch.undo()
        (kept,) = photos_of(visit.id)
        assert media_store().exists(kept.storage_key) and len(stored_files(app)) == 2
        assert photos_of(other.id) == []


def _storage(data: bytes):
    from werkzeug.datastructures import FileStorage

    return FileStorage(P.upload(data)[0], filename="foto.jpg", content_type="image/jpeg")
