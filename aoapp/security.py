"""HTTP security headers on every response: CSP without inline scripts, no framing, no sniffing."""

from flask import Flask, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# flask-smorest's Swagger UI page starts itself with an inline script; only that page allows it.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def init_app(app: Flask) -> None:
    """Add the security headers after every request."""
    docs_path = f"{app.config.get('OPENAPI_URL_PREFIX', '/api')}/{app.config.get('OPENAPI_SWAGGER_UI_PATH', 'docs')}"

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy", DOCS_CSP if request.path == docs_path else CSP
        )
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        # The visit forms read the phone's position (with the officer's consent) on this
        # origin only; their photos come through a file input, which needs no camera grant.
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if app.config.get("PRODUCTION"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Bank data stays off every cache: pages, the API and every download (workbooks,
            # CSV, ZIP, errors.csv, the calendar feed), whatever its view or send_file set.
            headers["Cache-Control"] = "no-store"
        return response
