"""flask-smorest Api that answers JSON under /api/ and HTML pages elsewhere."""

from flask import render_template
from flask_smorest import Api as SmorestApi
from marshmallow import Schema, fields

from aoapp.common.routing import MonthConverter, pattern_schema
from aoapp.errors import http_message, plain, wants_json

LOCATIONS = {"json", "query", "form", "headers", "files", "path", "view_args", "cookies"}


def flatten_errors(errors):
    """Drop webargs' location level so clients get {field: [messages]}."""
    if isinstance(errors, dict) and errors and set(errors) <= LOCATIONS:
        flat: dict = {}
        for value in errors.values():
            if isinstance(value, dict):
                flat.update(value)
        return flat
    return errors


class ErrorSchema(Schema):
    """The one error body of the API (see aoapp/errors.py)."""

    code = fields.Integer(metadata={"description": "HTTP status code"})
    status = fields.String(metadata={"description": "HTTP status phrase"})
    message = fields.String(metadata={"description": "What went wrong, in plain words"})
    error = fields.String(metadata={"description": "Machine-readable error code"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Messages per field: {field: [message, ...]}"},
    )


def decimal_as_string(self, field, **kwargs) -> dict:
    """apispec documents every Decimal as a number; ours travel as strings (never floats)."""
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    return {}


class Api(SmorestApi):
    """Api whose HTTP error handler serves both the JSON API and the HTML pages."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *args, **kwargs):
        """Register the app, then teach the spec how our Decimal fields travel."""
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(decimal_as_string)
        self.register_converter(MonthConverter, pattern_schema)

    def handle_http_exception(self, error):
        """Answer an HTTP error as the uniform JSON body or an HTML error page."""
        # Werkzeug's own headers of the error (a 405's Allow, RFC 9110), which smorest drops.
        own = {key: value for key, value in error.get_headers() if key.lower() != "content-type"}
        if not wants_json():
            message = http_message(error.description)
            return (
                render_template("errors/error.html", status=error.code, message=message),
                error.code,
                own,
            )
        payload, status, headers = super().handle_http_exception(error)
        headers = {**own, **(headers or {})}
        payload["message"] = plain(payload.get("message") or http_message(error.description))
        if "errors" in payload:
            payload["errors"] = plain(flatten_errors(payload["errors"]))
        return payload, status, headers
