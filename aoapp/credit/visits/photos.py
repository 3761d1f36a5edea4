"""Photos of visits: taken in (checked, cleaned) before the unit of work, stored and recorded
inside it, and their files removed again when it fails, so no file outlives a failed save and
no row points at a missing file.

The file is written first, then the row, in the caller's unit of work; a file this save wrote
that no row refers to after a failure is deleted. Files are shared by content (one key), so a
file is deleted only when no row refers to it any more.
"""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.common.dates import bank_zone, utcnow
from aoapp.common.i18n import format_size
from aoapp.common.images import CleanImage, ImageRefused, clean_image
from aoapp.common.media import media_store
from aoapp.common.transaction import undo
from aoapp.credit.visits.location import Location
from aoapp.credit.visits.models import VisitPhoto
from aoapp.errors import Conflict, InvalidInput
from aoapp.extensions import db


class TooLarge(InvalidInput):
    """An upload over a size limit (bytes or pixels): 413, with the field's message."""

    status_code = 413
    code = "too_large"


def max_photos() -> int:
    """How many photos one visit (or follow-up) may carry."""
    return int(current_app.config.get("VISIT_PHOTOS_MAX", 10))


def _max_bytes() -> int:
    return int(current_app.config.get("PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def allow_upload_size(photos: int | None = None) -> None:
    """Let this request's body hold `photos` photos (default: a visit's full set) at their
    largest, whatever the app's limit for other uploads; call it before the form is read."""
    needed = _max_bytes() * (photos or max_photos()) + 1024 * 1024  # and the other fields
    if (request.max_content_length or 0) < needed:
        request.max_content_length = needed


@dataclass
class PhotoBatch:
    """Photos ready to store, the location they were taken at, and what this batch wrote."""

    images: list[CleanImage]
    location: Location | None = None
    consent: bool = False  # the officer agreed to keep where the photos were taken
    taken_at: object = None  # when the client says they were taken (else the EXIF's)
    written: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.images)

    @property
    def keys(self) -> list[str]:
        """The content keys of the photos (what a retried upload is recognised by)."""
        return [hashlib.sha256(image.data).hexdigest() for image in self.images]

    def location_of(self, image: CleanImage) -> Location | None:
        """Where a photo was taken: the phone's position, else (with consent) its EXIF GPS."""
        if self.location is not None:
            return self.location
        if self.consent and image.gps is not None:
            latitude, longitude = image.gps
            return Location(latitude, longitude, None, image.taken_at or utcnow())
        return None

    @property
    def first_location(self) -> Location | None:
        """The location of the batch: the phone's, else the first photo's kept EXIF GPS."""
        return next(filter(None, (self.location_of(i) for i in self.images)), self.location)

    def attach(self, actor, *, visit=None, follow_up_id: int | None = None) -> list[VisitPhoto]:
        """Store the files and record the photos of a visit or a follow-up, audited; runs inside
        the caller's unit of work (and its cleanup_on_failure)."""
        store = media_store()
        photos, seen = [], set()
        for image in self.images:
            key = self._put(store, image.data)
            if key in seen:
                continue  # the same photo twice in one form: stored once
            seen.add(key)
            place = self.location_of(image)
            photo = VisitPhoto(
                visit_id=visit.id if visit is not None else None,
                follow_up_id=follow_up_id,
                storage_key=key,
                thumb_key=self._put(store, image.thumbnail),
                width=image.width,
                height=image.height,
                size_bytes=len(image.data),
                content_type=image.content_type,
                taken_at=self.taken_at or image.taken_at,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                accuracy=place.accuracy if place else None,
                located_at=place.located_at if place else None,
                uploaded_by_id=actor.id,
            )
            db.session.add(photo)
            audit.record(actor, photo, "create", None, audit.snapshot(photo))
            photos.append(photo)
        return photos

    def _put(self, store, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        if not store.exists(key):
            self.written.append(key)
        return store.put(data)

    @contextmanager
    def cleanup_on_failure(self):
        """Around the unit of work: on any failure, delete the files it wrote that no row
        refers to (the rows were rolled back with it)."""
        try:
            yield self
        except BaseException:
            remove_unreferenced(self.written)
            raise


def take_photos(files, *, field_name: str, consent: bool, location, taken_at=None) -> PhotoBatch:
    """Read and clean the uploaded files (empty parts skipped): every refusal names the file,
    on the form's field, before anything is stored."""
    files = [f for f in files if f is not None and (f.filename or "").strip()]
    if len(files) > max_photos():
        message = _("At most %(count)s photos per visit.", count=max_photos())
        raise InvalidInput(message, {field_name: [message]})
    images, limit = [], _max_bytes()
    for upload in files:
        data = upload.stream.read(limit + 1)
        name = upload.filename
        if len(data) > limit:
            message = _(
                "%(name)s is too large: at most %(size)s per photo.",
                name=name,
                size=format_size(limit),
            )
            raise TooLarge(message, {field_name: [message]})
        if not data:
            message = _("%(name)s is empty.", name=name)
            raise InvalidInput(message, {field_name: [message]})
        try:
            images.append(clean_image(data, _max_pixels(), bank_zone()))
        except ImageRefused as refused:
            message = f"{name}: {refused.message}"
            error = TooLarge if refused.too_large else InvalidInput
            raise error(message, {field_name: [message]}) from None
    return PhotoBatch(images, location, consent or location is not None, taken_at)


def _max_pixels() -> int:
    return int(current_app.config.get("PHOTO_MAX_PIXELS", 60_000_000))


def check_room(present: int, adding: int, field_name: str) -> None:
    """Refuse photos past the limit of one visit (Conflict: the visit is full, not the input)."""
    if present + adding > max_photos():
        message = _(
            "This visit has %(present)s photos; at most %(count)s are kept per visit.",
            present=present,
            count=max_photos(),
        )
        raise Conflict(message, {field_name: [message]})


def remove_unreferenced(keys) -> None:
    """Delete the files of `keys` that no photo refers to (after the rows are gone)."""
    keys = sorted(set(keys))
    if not keys:
        return
    undo()  # a failed unit of work left the session to roll back, at most
    used = sa.select(VisitPhoto.storage_key).where(VisitPhoto.storage_key.in_(keys))
    used = used.union(sa.select(VisitPhoto.thumb_key).where(VisitPhoto.thumb_key.in_(keys)))
    referenced = set(db.session.scalars(used))
    undo()  # the read's transaction ends: nothing was written
    store = media_store()
    for key in keys:
        if key not in referenced:
            store.delete(key)


def delete_rows(actor, photos) -> list[str]:
    """Delete photo rows, audited, inside the caller's unit of work; their keys are returned,
    for remove_unreferenced() after the commit."""
    keys = []
    for photo in photos:
        audit.record(actor, photo, "delete", audit.snapshot(photo), None)
        keys += [photo.storage_key, photo.thumb_key]
        db.session.delete(photo)
    return keys


def photo_count(*, visit_id: int | None = None, follow_up_id: int | None = None) -> int:
    """How many photos a visit (or a follow-up) has now."""
    column = VisitPhoto.visit_id if visit_id is not None else VisitPhoto.follow_up_id
    record_id = visit_id if visit_id is not None else follow_up_id
    stmt = sa.select(sa.func.count()).select_from(VisitPhoto).where(column == record_id)
    return db.session.scalar(stmt)
