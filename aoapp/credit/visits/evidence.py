"""A monitoring visit's evidence: one photo added (the API, an offline phone's queue), a photo
removed, a photo read back, and what the visit page shows of its photos and location."""

from dataclasses import dataclass

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.common.media import media_store
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits import services as visits
from aoapp.credit.visits.location import LocationLine, is_located, location_line, place
from aoapp.credit.visits.models import VisitPhoto
from aoapp.credit.visits.photos import (
    PhotoBatch,
    check_room,
    delete_rows,
    photo_count,
    remove_unreferenced,
)
from aoapp.errors import NotFound
from aoapp.extensions import db


def add_visit_photo(actor, visit: MonitoringVisit, photos: PhotoBatch) -> tuple[VisitPhoto, bool]:
    """Add one photo to a visit (the officer who recorded it), audited: (photo, True).

    The same photo sent again (a retry whose answer was lost) is the photo already stored:
    (photo, False), nothing added. A visit without a location takes the photo's.
    """
    visits.require_visit_author(actor, visit)
    visit_id, key = visit.id, photos.keys[0]
    end_reads()  # the lock below begins the write (SQLite)
    with photos.cleanup_on_failure(), unit_of_work():
        visits.hold_photos_lock(visit_id)
        stored = db.session.scalar(
            sa.select(VisitPhoto).where(
                VisitPhoto.visit_id == visit_id, VisitPhoto.storage_key == key
            )
        )
        if stored is not None:
            return stored, False
        check_room(photo_count(visit_id=visit_id), len(photos), "file")
        visit = db.session.get(MonitoringVisit, visit_id)
        (photo,) = photos.attach(actor, visit=visit)
        located = photos.first_location
        if located is not None and not is_located(visit):
            before = audit.snapshot(visit)
            place(visit, located)
            audit.record(actor, visit, "update", before, audit.snapshot(visit))
    return photo, True


def visit_photo(visit: MonitoringVisit, photo_id) -> VisitPhoto:
    """A photo of a visit the user may see (the caller checked), or NotFound."""
    photo = db.session.get(VisitPhoto, int(photo_id))
    if photo is None or photo.visit_id != visit.id:
        raise NotFound()
    return photo


def delete_visit_photo(actor, visit: MonitoringVisit, photo: VisitPhoto) -> None:
    """Remove a photo of a visit (the officer who recorded it), audited; its files go once no
    photo refers to them."""
    visits.require_visit_author(actor, visit)
    with unit_of_work():
        keys = delete_rows(actor, [photo])
    remove_unreferenced(keys)


def photo_file(photo: VisitPhoto, thumbnail: bool = False):
    """The stored file of a photo (or its thumbnail), open for reading; NotFound when the file
    is missing from the store (logged by the caller)."""
    try:
        return media_store().open(photo.thumb_key if thumbnail else photo.storage_key)
    except FileNotFoundError:
        raise NotFound() from None


@dataclass(frozen=True)
class Evidence:
    """What a visit page shows: its photos and where it was logged."""

    photos: list[VisitPhoto]
    location: LocationLine


def visit_evidence(visit: MonitoringVisit) -> Evidence:
    """The photos and the location line of a visit."""
    return Evidence(list(visit.photos), location_line(visit, visit.customer))
