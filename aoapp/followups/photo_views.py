"""HTML routes of a visit follow-up's photos (the image and its thumbnail: to whoever may see
the follow-up, 404 to anyone else), and the photos a log-outcome form sends."""

from flask import Blueprint, request
from flask_login import current_user, login_required

from aoapp.credit.visits.photo_views import send_photo
from aoapp.credit.visits.photos import take_photos
from aoapp.followups import services
from aoapp.followups.models import Channel
from aoapp.followups.visit_evidence import followup_photo

bp = Blueprint("followup_photos", __name__)


def form_photos(followup, data: dict):
    """The photos picked on a visit's log-outcome form, checked and cleaned (None when there
    are none, or when the follow-up is not a visit: its form has no photos)."""
    if followup.channel != Channel.VISIT:
        return None
    batch = take_photos(
        request.files.getlist("photos"),
        field_name="photos",
        consent=bool(data.get("location_consent")),
        location=None,
    )
    return batch or None


def _image(followup_id: int, photo_id: int, thumbnail: bool):
    followup = services.get_followup(current_user, followup_id)
    photo = followup_photo(followup, photo_id)
    name = f"follow-up-{followup.id}-photo-{photo.id}{'-thumb' if thumbnail else ''}.jpg"
    return send_photo(photo, name, thumbnail)


@bp.get("/followups/<id:followup_id>/photos/<id:followup_photo_id>")
@login_required
def photo(followup_id: int, followup_photo_id: int):
    """A photo of a visit follow-up's outcome, as stored (at most 1,600 px)."""
    return _image(followup_id, followup_photo_id, thumbnail=False)


@bp.get("/followups/<id:followup_id>/photos/<id:followup_photo_id>/thumb")
@login_required
def thumbnail(followup_id: int, followup_photo_id: int):
    """A photo's thumbnail (320 px), for the follow-up's page."""
    return _image(followup_id, followup_photo_id, thumbnail=True)
