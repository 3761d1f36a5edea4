"""Where a visit was logged: the location the officer's phone gave (with their consent), its
distance from the customer's recorded location, and the flag a supervisor reviews.

Monitoring visits and visit follow-ups carry the same four columns (latitude, longitude, accuracy
in metres, located_at), so everything here reads either. A visit is flagged when it was logged
without a location, or farther than VISIT_DISTANCE_FLAG_METERS from the customer's location
(when the customer has one recorded).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from aoapp.auth.scoping import scope_condition
from aoapp.common.dates import local_day_bounds, utcnow
from aoapp.common.geo import distance_m, format_coordinates, format_distance
from aoapp.common.i18n import format_number
from aoapp.credit.models import MonitoringVisit
from aoapp.customers.models import Customer
from aoapp.errors import InvalidInput
from aoapp.extensions import db

FIELDS = ("latitude", "longitude", "accuracy", "located_at")
CLOCK_SKEW = timedelta(
    minutes=5
)  # a phone's clock a little ahead is not a position from the future
FAR, NO_LOCATION = "far", "no_location"


@dataclass(frozen=True)
class Location:
    """A position the officer's phone (or a photo's EXIF) gave."""

    latitude: float
    longitude: float
    accuracy: float | None
    located_at: datetime


def take_location(values: dict) -> Location | None:
    """Pop the location fields off validated values: both coordinates or neither; when it was
    read defaults to now, and cannot be in the future."""
    given = {name: values.pop(name, None) for name in FIELDS}
    latitude, longitude = given["latitude"], given["longitude"]
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        message = _("Give both the latitude and the longitude, or neither.")
        raise InvalidInput(message, {"latitude" if latitude is None else "longitude": [message]})
    located_at = given["located_at"] or utcnow()
    if located_at > utcnow() + CLOCK_SKEW:
        message = _("The time of the location cannot be in the future.")
        raise InvalidInput(message, {"located_at": [message]})
    return Location(latitude, longitude, given["accuracy"], located_at)


def place(record, location: Location) -> None:
    """Write the location onto a visit or a follow-up."""
    for name in FIELDS:
        setattr(record, name, getattr(location, name))


def is_located(record) -> bool:
    """True when the visit (or follow-up) has a location."""
    return record.latitude is not None and record.longitude is not None


def customer_located(customer) -> bool:
    """True when the customer's location is recorded."""
    return customer is not None and customer.latitude is not None and customer.longitude is not None


def distance_from_customer(record, customer) -> float | None:
    """Metres from the customer's recorded location; None when either is unknown."""
    if not (is_located(record) and customer_located(customer)):
        return None
    return distance_m(record.latitude, record.longitude, customer.latitude, customer.longitude)


def flag_limit() -> int:
    """Metres from the customer's location beyond which a visit is flagged."""
    return int(current_app.config.get("VISIT_DISTANCE_FLAG_METERS", 500))


def flag_of(record, customer) -> tuple[str, float | None] | None:
    """(why the visit is flagged, its distance) or None: no location, or too far away."""
    if not is_located(record):
        return NO_LOCATION, None
    distance = distance_from_customer(record, customer)
    if distance is not None and distance > flag_limit():
        return FAR, distance
    return None


def flag_text(reason: str, distance: float | None) -> str:
    """Why a visit is flagged, in the reader's language."""
    if reason == NO_LOCATION:
        return _("Logged without a location")
    return _("Logged %(distance)s from the customer's address", distance=format_distance(distance))


@dataclass(frozen=True)
class LocationLine:
    """What the visit page says of where the visit was logged (no map)."""

    located: bool
    coordinates: str
    accuracy: str  # "± 15 m", or ""
    distance: str  # "240 m from the customer's address", or why there is no distance
    flag: str  # why the visit is flagged, or ""
    map_query: str  # "lat,lon", for a link the officer may open in a maps app


def location_line(record, customer) -> LocationLine:
    """The location line of a visit or a visit follow-up."""
    flag = flag_of(record, customer)
    flag_said = flag_text(*flag) if flag else ""
    if not is_located(record):
        return LocationLine(False, "", "", "", flag_said, "")
    accuracy = ""
    if record.accuracy is not None:
        accuracy = "± " + _("%(metres)s m", metres=format_number(round(record.accuracy)))
    distance = distance_from_customer(record, customer)
    if distance is None:
        said = _("the customer's location is not recorded")
    else:
        said = _("%(distance)s from the customer's address", distance=format_distance(distance))
    coordinates = format_coordinates(record.latitude, record.longitude)
    query = f"{record.latitude:.6f},{record.longitude:.6f}"
    return LocationLine(True, coordinates, accuracy, said, flag_said, query)


def logged_between(user, since, until, branch_ids=None) -> list[tuple]:
    """(id, reason, metres, logged at) of the monitoring visits logged (recorded) on the bank's
    days `since` to `until` that are flagged, among those `user` may see (of `branch_ids`)."""
    start, end = local_day_bounds(since, until)
    stmt = (
        sa.select(
            MonitoringVisit.id,
            MonitoringVisit.latitude,
            MonitoringVisit.longitude,
            Customer.latitude,
            Customer.longitude,
            MonitoringVisit.created_at,
        )
        .select_from(MonitoringVisit)
        .join(Customer, Customer.id == MonitoringVisit.customer_id)
        .where(scope_condition(user, MonitoringVisit))
        .where(MonitoringVisit.created_at >= start, MonitoringVisit.created_at < end)
    )
    if branch_ids is not None:
        stmt = stmt.where(Customer.branch_id.in_(branch_ids))
    return flagged_rows(db.session.execute(stmt))


@dataclass(frozen=True)
class _Point:
    latitude: float | None
    longitude: float | None


def flagged_rows(rows) -> list[tuple]:
    """(id, reason, metres, *rest) of the rows (id, lat, lon, customer lat, customer lon, *rest)
    that are flagged."""
    found = []
    for record_id, lat, lon, customer_lat, customer_lon, *rest in rows:
        flag = flag_of(_Point(lat, lon), _Point(customer_lat, customer_lon))
        if flag:
            found.append((record_id, *flag, *rest))
    return found
