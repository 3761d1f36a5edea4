"""The installable web app: its manifest, its service worker, the offline queue's page, and the
fresh CSRF token the queue sends with (the pages' scripts are in static/offline/)."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from aoapp.common.dates import bank_today
from aoapp.offline.forms import offline_fields

bp = Blueprint("offline", __name__)

USER_HEADER = "X-Aoapp-User"  # whose page this is: the service worker caches it for that user
THEME_COLOUR = "#0d6efd"  # Bootstrap's primary: the navbar (bg-primary) and the favicon
# What the service worker keeps for the day without signal (static/offline/sw.js's PAGES) needs
# these files; the rest of /static is cached as it is used.
ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "app.css",
    "agenda.css",
    "search.css",
    "search.js",
    "money.js",
    "followups.js",
    "visit_photos.js",
    "favicon.svg",
    "offline/offline.js",
    "offline/queue-store.js",
    "offline/queue-page.js",
    "offline/icon-192.png",
)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: installed, aoapp opens on the agenda, full screen."""
    body = {
        "name": "aoapp",
        "short_name": "aoapp",
        "description": _(
            "The account officer's agenda, follow-ups and visits, with or without signal."
        ),
        "lang": str(get_locale() or current_app.config["DEFAULT_LOCALE"]),
        "start_url": url_for("agenda.home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            _icon("offline/icon-192.png", "192x192", "any"),
            _icon("offline/icon-512.png", "512x512", "any"),
            _icon("offline/icon-maskable-512.png", "512x512", "maskable"),
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


def _icon(filename: str, sizes: str, purpose: str) -> dict:
    src = url_for("static", filename=filename)
    return {"src": src, "sizes": sizes, "type": "image/png", "purpose": purpose}


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that it controls every page (scope /); its version
    is the hash of the files it keeps, so a changed file reaches the phones."""
    assets = [url_for("static", filename=name) for name in ASSETS]
    body = render_template(
        "offline/sw.js",
        version=_assets_version(current_app.static_folder, current_app.root_path),
        assets=assets,
        store=url_for("static", filename="offline/queue-store.js"),
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@cache
def _assets_version(static_folder: str, root: str) -> str:
    digest = hashlib.sha256((Path(root) / "templates/offline/sw.js").read_bytes())
    for name in ASSETS:
        digest.update((Path(static_folder) / name).read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/offline/queue")
@login_required
def queue():
    """What was logged without signal: waiting, sent (and when), in conflict or refused. The
    list is the phone's own (IndexedDB); static/offline/queue-page.js shows it."""
    return render_template("offline/queue.html")


@bp.get("/offline/session")
@login_required
def session_state():
    """Who is logged in and a fresh CSRF token, for the queue's sends (not logged in: the
    redirect to the login page, and the queue waits)."""
    return {"user": current_user.id, "csrf_token": generate_csrf(), "day": bank_today().isoformat()}


@bp.after_app_request
def name_the_user(response):
    """Say whose page this is, for the service worker to cache it for that user only."""
    if response.mimetype == "text/html" and current_user and current_user.is_authenticated:
        response.headers[USER_HEADER] = str(current_user.id)
    return response


bp.add_app_template_global(offline_fields)
