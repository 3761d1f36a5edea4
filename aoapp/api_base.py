"""flask-smorest Api that answers JSON under /api/ and HTML pages elsewhere."""

from flask import render_template
from flask_smorest import Api as SmorestApi

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


class Api(SmorestApi):
    """Api whose HTTP error handler serves both the JSON API and the HTML pages."""

    def handle_http_exception(self, error):
        """Answer an HTTP error as the uniform JSON body or an HTML error page."""
        from aoapp.errors import wants_json

        if not wants_json():
            return (
                render_template("errors/error.html", status=error.code, message=error.description),
                error.code,
            )
        payload, status, headers = super().handle_http_exception(error)
        payload.setdefault("message", error.description)
        if "errors" in payload:
            payload["errors"] = flatten_errors(payload["errors"])
        return payload, status, headers
