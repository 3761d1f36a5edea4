"""HTML routes of a visit's photos: the image and its thumbnail (to whoever may see the visit,
404 to anyone else), and removing one (the officer who recorded the visit)."""

from flask import Blueprint, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.common.views import acting_user
from aoapp.credit.visits import evidence
from aoapp.credit.visits import services as visits

bp = Blueprint("visit_photos", __name__)


def send_photo(photo, name: str, thumbnail: bool):
    """The stored image, inline (`no-store` like every answer but static files)."""
    stream = evidence.photo_file(photo, thumbnail)
    return send_file(stream, mimetype=photo.content_type, download_name=name, max_age=0)


def _image(visit_id: int, photo_id: int, thumbnail: bool):
    visit = visits.get_visit(current_user, visit_id)
    photo = evidence.visit_photo(visit, photo_id)
    name = f"visit-{visit.id}-photo-{photo.id}{'-thumb' if thumbnail else ''}.jpg"
    return send_photo(photo, name, thumbnail)


@bp.get("/visits/<id:visit_id>/photos/<id:photo_id>")
@login_required
def photo(visit_id: int, photo_id: int):
    """A photo of a visit, as stored (at most 1,600 px)."""
    return _image(visit_id, photo_id, thumbnail=False)


@bp.get("/visits/<id:visit_id>/photos/<id:photo_id>/thumb")
@login_required
def thumbnail(visit_id: int, photo_id: int):
    """A photo's thumbnail (320 px), for the visit's page."""
    return _image(visit_id, photo_id, thumbnail=True)


@bp.post("/visits/<id:visit_id>/photos/<id:photo_id>/delete")
@login_required
def delete(visit_id: int, photo_id: int):
    """Remove a photo added by mistake (the officer who recorded the visit)."""
    visit = visits.get_visit(current_user, visit_id)
    photo_ = evidence.visit_photo(visit, photo_id)
    evidence.delete_visit_photo(acting_user(), visit, photo_)
    flash(_("Photo removed."), "success")
    return redirect(url_for("visits.edit", visit_id=visit_id) + "#evidence")
