"""Monitoring-visits API: list (scoped, filtered, paginated), record, read, correct, delete;
a visit's photos: upload one (multipart), read it back, delete it."""

from flask import current_app, request, send_file
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from aoapp.common.i18n import format_size
from aoapp.common.images import CONTENT_TYPE
from aoapp.common.schemas import TYPED_HEADER_DOC, page_schema
from aoapp.common.views import acting_user
from aoapp.credit.visits import evidence
from aoapp.credit.visits import services as visits
from aoapp.credit.visits.location import take_location
from aoapp.credit.visits.photos import allow_upload_size, take_photos
from aoapp.credit.visits.schemas import (
    PhotoFormSchema,
    PhotoUploadDocSchema,
    VisitFilterSchema,
    VisitInputSchema,
    VisitPhotoSchema,
    VisitSchema,
    VisitUpdateSchema,
)
from aoapp.errors import InvalidInput, http_message, render_error
from aoapp.offline.idempotency import HEADER_DOC, idempotent

monitoring_visits_blp = Blueprint(
    "monitoring_visits_api",
    __name__,
    url_prefix="/monitoring-visits",
    description="Monitoring visits",
)

VisitPageSchema = page_schema(VisitSchema, "MonitoringVisitPage")


@monitoring_visits_blp.route("")
class MonitoringVisits(MethodView):
    """Monitoring visits of the customers the caller may see."""

    decorators = [login_required]

    @monitoring_visits_blp.arguments(VisitFilterSchema, location="query", unknown=RAISE)
    @monitoring_visits_blp.response(200, VisitPageSchema)
    def get(self, filters):
        """List visits, newest first (filters: customer, facility, rating; sort; page, per_page)."""
        return visits.list_visits(current_user, filters, filters["per_page"])

    @monitoring_visits_blp.doc(parameters=[HEADER_DOC, TYPED_HEADER_DOC])
    @monitoring_visits_blp.alt_response(409, response="CONFLICT")
    @idempotent("visit-record", page=("visits.detail", "visit_id"))
    @monitoring_visits_blp.arguments(VisitInputSchema)
    @monitoring_visits_blp.response(201, VisitSchema)
    def post(self, data):
        """Record a visit to a `customer` (id) assigned to the caller; `facility` is optional."""
        return visits.record_visit(current_user, data)


@monitoring_visits_blp.route("/<id:visit_id>")
class MonitoringVisitResource(MethodView):
    """One monitoring visit."""

    decorators = [login_required]

    @monitoring_visits_blp.response(200, VisitSchema)
    def get(self, visit_id):
        """Read a visit."""
        return visits.get_visit(current_user, visit_id)

    @monitoring_visits_blp.arguments(VisitUpdateSchema(partial=True), required=False)
    @monitoring_visits_blp.response(200, VisitSchema)
    def patch(self, data, visit_id):
        """Correct some fields of a visit (the officer who recorded it)."""
        visit = visits.get_visit(current_user, visit_id)
        return visits.update_visit(current_user, visit, data)

    @monitoring_visits_blp.response(204)
    def delete(self, visit_id):
        """Delete a visit recorded by mistake (the officer who recorded it)."""
        visit = visits.get_visit(current_user, visit_id)
        visits.delete_visit(current_user, visit)


PHOTO_ENDPOINT = "monitoring_visits_api.photos"
IMAGE = {"content": {CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}


@monitoring_visits_blp.before_request
def _room_for_photos():
    """A photo may be larger than the app's default body limit allows (a setting)."""
    if request.endpoint == PHOTO_ENDPOINT and request.method == "POST":
        allow_upload_size(photos=1)


@monitoring_visits_blp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A body over the limit, refused before it is read."""
    if request.endpoint != PHOTO_ENDPOINT:
        return render_error(413, http_message(error.description))
    size = format_size(current_app.config.get("PHOTO_MAX_BYTES"))
    message = _("The photo is too large: at most %(size)s per photo.", size=size)
    return render_error(413, message, {"file": [message]}, "too_large")


def _photo_fields() -> tuple:
    """The uploaded file and the fields beside it, validated (422 with the field's message)."""
    try:
        form = PhotoFormSchema(unknown=RAISE).load(request.form.to_dict())
    except ValidationError as error:
        raise InvalidInput(_("Check the photo's details."), error.normalized_messages()) from None
    upload = request.files.get("file")
    if upload is None or not (upload.filename or "").strip():
        message = _("Choose a photo to upload (the multipart field `file`).")
        raise InvalidInput(message, {"file": [message]})
    return upload, form


@monitoring_visits_blp.route("/<id:visit_id>/photos", endpoint="photos")
class MonitoringVisitPhotos(MethodView):
    """Photos of a visit."""

    decorators = [login_required]

    @monitoring_visits_blp.doc(
        requestBody={"content": {"multipart/form-data": {"schema": PhotoUploadDocSchema}}},
        parameters=[HEADER_DOC],
    )
    @idempotent("visit-photo", page=("visits.detail", "visit_id"))
    @monitoring_visits_blp.response(201, VisitPhotoSchema)
    @monitoring_visits_blp.alt_response(
        200, schema=VisitPhotoSchema, description="The same photo was sent before: that one"
    )
    @monitoring_visits_blp.alt_response(404, response="NOT_FOUND")
    @monitoring_visits_blp.alt_response(409, response="DEFAULT_ERROR", description="Visit full")
    @monitoring_visits_blp.alt_response(413, response="DEFAULT_ERROR", description="Too large")
    @monitoring_visits_blp.alt_response(422, response="DEFAULT_ERROR", description="Not a photo")
    def post(self, visit_id):
        """Add a photo to a visit (multipart: `file`; optional `latitude`, `longitude`,
        `accuracy`, `located_at`, `taken_at`, `location_consent`), the officer who recorded it.

        Checked by its content (JPEG, PNG or WebP), turned upright, stripped of every metadata,
        at most 1,600 px on the long side. Sending the same photo again (a retry) answers 200
        with the photo already stored and adds nothing: safe to retry.
        """
        visit = visits.get_visit(current_user, visit_id)
        visits.require_visit_author(current_user, visit)
        upload, form = _photo_fields()
        location = take_location(form)
        consent = form.get("location_consent")
        batch = take_photos(
            [upload],
            field_name="file",
            consent=bool(consent),
            location=None if consent is False else location,
            taken_at=form.get("taken_at"),
        )
        photo, created = evidence.add_visit_photo(acting_user(), visit, batch)
        return photo, 201 if created else 200


def _image(visit_id, photo_id, thumbnail: bool):
    visit = visits.get_visit(current_user, visit_id)
    photo = evidence.visit_photo(visit, photo_id)
    name = f"visit-{visit.id}-photo-{photo.id}{'-thumb' if thumbnail else ''}.jpg"
    stream = evidence.photo_file(photo, thumbnail)
    return send_file(stream, mimetype=photo.content_type, download_name=name, max_age=0)


@monitoring_visits_blp.route("/<id:visit_id>/photos/<id:photo_id>", endpoint="photo")
class MonitoringVisitPhoto(MethodView):
    """One photo of a visit."""

    decorators = [login_required]

    @monitoring_visits_blp.doc(responses={"200": {"description": "The photo (JPEG)", **IMAGE}})
    @monitoring_visits_blp.alt_response(404, response="NOT_FOUND")
    def get(self, visit_id, photo_id):
        """The stored photo (JPEG), to whoever may see the visit."""
        return _image(visit_id, photo_id, thumbnail=False)

    @monitoring_visits_blp.response(204)
    @monitoring_visits_blp.alt_response(404, response="NOT_FOUND")
    def delete(self, visit_id, photo_id):
        """Remove a photo (the officer who recorded the visit)."""
        visit = visits.get_visit(current_user, visit_id)
        photo = evidence.visit_photo(visit, photo_id)
        evidence.delete_visit_photo(acting_user(), visit, photo)


@monitoring_visits_blp.route("/<id:visit_id>/photos/<id:photo_id>/thumbnail", endpoint="thumbnail")
class MonitoringVisitThumbnail(MethodView):
    """A photo's thumbnail."""

    decorators = [login_required]

    @monitoring_visits_blp.doc(responses={"200": {"description": "The thumbnail", **IMAGE}})
    @monitoring_visits_blp.alt_response(404, response="NOT_FOUND")
    def get(self, visit_id, photo_id):
        """The photo's thumbnail (JPEG, 320 px), to whoever may see the visit."""
        return _image(visit_id, photo_id, thumbnail=True)
