"""The one URL converter for record ids: `<id:name>`, bounded to what the database holds."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids are 32-bit integers


class IdConverter(IntegerConverter):
    """A positive 32-bit id; anything larger (or zero) is no route at all, so it answers 404.

    A subclass of werkzeug's integer converter, so the OpenAPI spec documents it as an integer
    with its bounds.
    """

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def init_app(app) -> None:
    """Register `id` on the URL map, before any blueprint adds its routes."""
    app.url_map.converters["id"] = IdConverter
