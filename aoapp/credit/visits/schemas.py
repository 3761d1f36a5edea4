"""Validation rules and API shapes of monitoring visits and of the Kol upgrade form."""

from datetime import UTC

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from aoapp.common.dates import bank_today
from aoapp.common.geo import Coordinate
from aoapp.common.schemas import BaseSchema, Id, Money, PageArgsSchema, Text, _Message, choice
from aoapp.credit.models import MET_WITH_MAX, MonitoringVisit, RiskRating
from aoapp.credit.visits.location import flag_of
from aoapp.credit.visits.models import VisitPhoto

# error_messages stay str (_Message: translated when shown); a lazy string there would
# reach the errors without its list.
INTEGER = {"invalid": _Message("Not a valid number.")}


class LocationInputSchema(BaseSchema):
    """Where the officer's phone was (with their consent): both coordinates or neither."""

    latitude = Coordinate("latitude", allow_none=True, load_default=None)
    longitude = Coordinate("longitude", allow_none=True, load_default=None)
    accuracy = fields.Float(
        allow_none=True,
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=0, max=100_000),
        metadata={"description": "Metres (the radius the phone is sure of)"},
    )
    located_at = fields.AwareDateTime(
        default_timezone=UTC,
        allow_none=True,
        load_default=None,
        metadata={"description": "When the position was read (default: now)"},
    )
    location_consent = fields.Boolean(
        load_default=None,
        allow_none=True,
        load_only=True,
        metadata={
            "description": "The officer agreed to keep the location: a photo's own EXIF GPS "
            "is kept only then (coordinates sent are consent enough); false drops them"
        },
    )


class VisitUpdateSchema(LocationInputSchema):
    """What the officer saw and concluded (the customer never changes).

    The API loads it with partial=True for PATCH; the HTML form submits every field. Dates are
    checked against each other by the service (a PATCH may send only one of them).
    """

    facility = Id(allow_none=True, load_default=None, error_messages=INTEGER)
    visit_date = fields.Date(load_default=bank_today)
    met_with = Text(load_default="", max_length=MET_WITH_MAX)
    business_condition = Text(load_default="", max_length=4000)
    collateral_condition = Text(load_default="", max_length=4000)
    collateral_value = Money(allow_none=True, load_default=None)
    findings = Text(load_default="", max_length=4000)
    risk_rating = choice(RiskRating, required=True)
    recommendations = Text(load_default="", max_length=4000)
    next_visit_date = fields.Date(allow_none=True, load_default=None)


class VisitInputSchema(VisitUpdateSchema):
    """A new visit, to one customer (by id) of the acting officer."""

    customer = Id(required=True, error_messages=INTEGER)


class VisitFilterSchema(PageArgsSchema):
    """Filters of the visits list (page and API)."""

    customer = Id(load_default=None, allow_none=True)
    facility = Id(load_default=None, allow_none=True)
    rating = choice(RiskRating, load_default=None, allow_none=True)


class VisitSchema(BaseSchema):
    """A monitoring visit as the API returns it."""

    class Meta:
        model = MonitoringVisit

    id = fields.Integer()
    customer = fields.Integer(attribute="customer_id")
    customer_name = fields.Function(lambda v: v.customer.name)
    facility = fields.Integer(attribute="facility_id", allow_none=True)
    facility_account_no = fields.Function(
        lambda v: v.facility.account_no if v.facility else None, allow_none=True
    )
    officer = fields.Integer(attribute="officer_id")
    visit_date = fields.Date()
    met_with = fields.String()
    business_condition = fields.String()
    collateral_condition = fields.String()
    collateral_value = fields.Decimal(as_string=True, allow_none=True)
    findings = fields.String()
    risk_rating = fields.String()
    recommendations = fields.String()
    next_visit_date = fields.Date(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    accuracy = fields.Float(allow_none=True, metadata={"description": "Metres"})
    located_at = fields.DateTime(allow_none=True)
    location_flag = fields.Function(
        lambda v: (flag_of(v, v.customer) or (None,))[0],
        allow_none=True,
        metadata={
            "description": "Why a supervisor should look: `no_location`, or `far` (farther "
            "than VISIT_DISTANCE_FLAG_METERS from the customer's recorded location); null"
        },
    )
    photos = fields.List(fields.Nested(lambda: VisitPhotoSchema()))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class VisitPhotoSchema(BaseSchema):
    """A photo of a visit: `url` (and `thumbnail_url`) answer the image to whoever may see the
    visit (a bearer token), 404 to anyone else."""

    class Meta:
        model = VisitPhoto

    id = fields.Integer()
    url = fields.Function(
        lambda p: url_for("monitoring_visits_api.photo", visit_id=p.visit_id, photo_id=p.id)
    )
    thumbnail_url = fields.Function(
        lambda p: url_for("monitoring_visits_api.thumbnail", visit_id=p.visit_id, photo_id=p.id)
    )
    width = fields.Integer()
    height = fields.Integer()
    size_bytes = fields.Integer()
    content_type = fields.String()
    taken_at = fields.DateTime(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    accuracy = fields.Float(allow_none=True)
    located_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class PhotoFormSchema(LocationInputSchema):
    """The fields beside the photo of an upload."""

    taken_at = fields.AwareDateTime(
        default_timezone=UTC,
        allow_none=True,
        load_default=None,
        metadata={"description": "When the photo was taken (default: its EXIF's, if any)"},
    )


class PhotoUploadDocSchema(PhotoFormSchema):
    """The multipart body of a photo upload, as the OpenAPI document shows it."""

    file = Upload(
        required=True,
        metadata={"description": "The photo: JPEG, PNG or WebP (checked by its content)"},
    )


class UpgradeSchema(BaseSchema):
    """A supervisor's upgrade of a restructured facility's Kol."""

    to_kol = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=5, error=_l("Choose a Kol from 1 to 5.")),
        error_messages={"invalid": _Message("Choose a Kol from 1 to 5.")},
    )
    justification = Text(required=True, max_length=2000)
