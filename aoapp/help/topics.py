"""Which guide page explains which screen: the one place that maps the app's pages to the user
guide (docs/pengguna/<slug>.md in Indonesian, docs/user/<slug>.md in English).

Only the slugs of GUIDES are ever served, so a URL cannot name any other file. A screen whose
feature has no page of its own opens the contents (`index`).
"""

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
IMAGES = DOCS / "img"
# The guide's folder per language; the Indonesian text is the primary one.
FOLDERS = {"id": "pengguna", "en": "user"}
INDEX = "index"
GUIDES = (
    INDEX,
    "officer-day",
    "prospects",
    "customers",
    "followups",
    "supervisor-day",
    "reports",
    "dashboards",
    "admin-month",
    "plans",
    "renewals",
    "surveys",
    "notifications",
    "offline",
    "visits",
    "handover",
)
# A page by its endpoint first, then by its blueprint (the part before the dot).
BY_ENDPOINT = {
    "agenda.team": "supervisor-day",
}
BY_BLUEPRINT = {
    "agenda": "officer-day",
    "followups": "followups",
    "complaints": "followups",
    "customers": "customers",
    "credit": "customers",
    "visits": "visits",
    "visit_photos": "visits",
    "followup_photos": "visits",
    "handovers": "handover",
    "prospects": "prospects",
    "introductions": "prospects",
    "dashboards": "dashboards",
    "campaigns": "dashboards",
    "targets": "dashboards",
    "reports": "reports",
    "imports": "admin-month",
    "admin": "admin-month",
    "products": "admin-month",
    "plans": "plans",
    "renewals": "renewals",
    "surveys": "surveys",
    "notifications": "notifications",
    "offline": "offline",
}
# Blueprints of general pages (the profile, the search, the audit trail, the help itself): the
# contents page serves them. A feature's blueprint missing from both lists fails a test.
GENERAL = frozenset({"auth", "search", "audit", "help"})


def topic_for(endpoint: str | None) -> str:
    """The guide page that explains the screen of `endpoint` (`index` when none does)."""
    if not endpoint:
        return INDEX
    if endpoint in BY_ENDPOINT:
        return BY_ENDPOINT[endpoint]
    return BY_BLUEPRINT.get(endpoint.partition(".")[0], INDEX)


def guide_file(slug: str, language: str) -> Path | None:
    """The Markdown file of guide page `slug` in `language`; None for a slug not in GUIDES."""
    if slug not in GUIDES:
        return None
    return DOCS / FOLDERS.get(language, FOLDERS["id"]) / f"{slug}.md"
