"""Two photos uploaded to one visit at the same moment, from two connections, when it has room
for one more: one is added, the other refused as the visit is full (never both, never an error)."""

import contextlib
import threading

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from aoapp.auth.models import User
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits import evidence, photos
from aoapp.credit.visits.models import VisitPhoto
from aoapp.errors import Conflict
from aoapp.extensions import db
from tests.support import credit_visits as h
from tests.support import photos as P
from tests.support.factories import make_customer

MEET_SECONDS = 1.0


def _meeting_after_the_count(monkeypatch) -> None:
    """Each upload, once it has counted the visit's photos, waits (a little) for the other to
    have counted too: without the lock both would count one photo and both add theirs."""
    meet, count = threading.Barrier(2), photos.photo_count

    def photo_count(**kwargs):
        found = count(**kwargs)
        # The other upload waits for our lock: the meeting breaks and we go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(MEET_SECONDS)
        return found

    monkeypatch.setattr(evidence, "photo_count", photo_count)


def _upload_at_once(app, officer_id: int, visit_id: int) -> list[str]:
    start, outcomes = threading.Barrier(2), []

    def upload(width: int) -> None:
        with app.app_context():
            actor = db.session.get(User, officer_id)
            image = FileStorage(P.upload(P.camera_jpeg(width, 600))[0], filename="foto.jpg")
            batch = photos.take_photos([image], field_name="file", consent=False, location=None)
            visit = db.session.get(MonitoringVisit, visit_id)
            start.wait()
            try:
                evidence.add_visit_photo(actor, visit, batch)
                outcomes.append("added")
            except Conflict as refused:
                outcomes.append("full" if "file" in refused.errors else repr(refused))
            except Exception as error:  # noqa: BLE001 (the test reports any error)
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload, args=(width,)) for width in (800, 900)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


def test_two_uploads_at_once_respect_the_limit(app, world, monkeypatch):
    app.config["VISIT_PHOTOS_MAX"] = 2
    visit = h.visit(make_customer(world.officer), world.officer)
    P.photo_row(world.officer, visit=visit)  # one photo already: room for one more
    _meeting_after_the_count(monkeypatch)
    assert _upload_at_once(app, world.officer.id, visit.id) == ["added", "full"]
    db.session.expire_all()
    count = sa.select(sa.func.count()).select_from(VisitPhoto)
    assert db.session.scalar(count.where(VisitPhoto.visit_id == visit.id)) == 2
