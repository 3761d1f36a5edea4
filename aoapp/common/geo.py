"""Places on the earth: the distance between two coordinates, how they are written and read."""

from math import asin, cos, radians, sin, sqrt

from marshmallow import fields, validate

from aoapp.common.i18n import format_number

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine): well within a metre at a visit's scale."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi, d_lambda = phi2 - phi1, radians(lon2 - lon1)
    a = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def format_coordinates(latitude: float, longitude: float) -> str:
    """`-6.20000, 106.81667`: decimal degrees with a point in every language (as maps take
    them), five places (about a metre)."""
    return f"{latitude:.5f}, {longitude:.5f}"


def valid_coordinates(latitude, longitude) -> bool:
    """Both given, and on the earth."""
    if latitude is None or longitude is None:
        return False
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


def format_distance(metres: float) -> str:
    """`240 m` below a kilometre, `1,2 km` (id) / `1.2 km` (en) from there, `15 km` far off."""
    if metres < 1000:
        return f"{format_number(round(metres))} m"
    places = 1 if metres < 10_000 else 0
    return f"{format_number(round(metres / 1000, places), places)} km"


class Coordinate(fields.Float):
    """A latitude or longitude in decimal degrees; a form may write `-6,2` (a decimal comma)."""

    def __init__(self, kind: str, **kwargs):
        bound = 90 if kind == "latitude" else 180
        kwargs.setdefault("validate", validate.Range(min=-bound, max=bound))
        kwargs.setdefault("metadata", {})["description"] = f"{kind.capitalize()}, decimal degrees"
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".", 1)
        return super()._deserialize(value, attr, data, **kwargs)
