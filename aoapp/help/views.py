"""The help pages: /help/ and /help/<slug> render the guide page in the reader's language,
/help/img/<file> serves its pictures from docs/img; every page's header links to the guide page
of the screen shown (`help_url`)."""

from flask import Blueprint, abort, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from aoapp.common.i18n import locale_code
from aoapp.help import topics
from aoapp.help.render import render

bp = Blueprint("help", __name__, url_prefix="/help")
PICTURES = (".png", ".jpg", ".jpeg")  # what the guide shows; never a script-bearing SVG


def _page_url(slug: str) -> str | None:
    if slug not in topics.GUIDES:
        return None
    return url_for("help.index") if slug == topics.INDEX else url_for("help.page", slug=slug)


def _image_url(path: str) -> str:
    return url_for("help.image", filename=path)


@bp.get("/")
@login_required
def index():
    """The guide's contents."""
    return page(topics.INDEX)


@bp.get("/<slug>")
@login_required
def page(slug: str):
    """Guide page `slug` in the reader's language; a slug outside the guide is 404."""
    path = topics.guide_file(slug, locale_code())
    if path is None or not path.is_file():
        abort(404)
    rendered = render(path.read_text(encoding="utf-8"), _page_url, _image_url)
    return render_template(
        "help/page.html", slug=slug, title=rendered.title, body=rendered.body, index=topics.INDEX
    )


@bp.get("/img/<path:filename>")
@login_required
def image(filename: str):
    """A picture of the guide, from docs/img only (send_from_directory refuses `..`)."""
    if not filename.lower().endswith(PICTURES):
        abort(404)
    return send_from_directory(topics.IMAGES, filename)


@bp.app_context_processor
def help_link():
    """`help_url`: the guide page of the screen shown, for the header's Help link."""
    if not current_user.is_authenticated:
        return {}
    slug = topics.topic_for(request.endpoint)
    return {"help_url": _page_url(slug)}
