"""The in-app help: the header's Help link opens the guide page of the screen shown, in the
reader's language; only the guide's pages and pictures are served, to users who are logged in."""

import re

import pytest

from aoapp.help import topics
from aoapp.help.render import anchor, render, target

HELP_LINK = re.compile(r'id="help-link" href="([^"]+)"')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def help_link(client, url: str) -> str:
    """Where the Help link of the page at `url` leads."""
    response = client.get(url)
    assert response.status_code == 200, url
    return HELP_LINK.search(response.get_data(as_text=True)).group(1)


def first_heading(slug: str, language: str) -> str:
    path = topics.guide_file(slug, language)
    return next(
        line[2:].strip() for line in path.read_text("utf-8").splitlines() if line[:2] == "# "
    )


class TestTheHelpLinkOpensTheScreensPage:
    SCREENS = {
        "ao.budi": {
            "/agenda/": "/help/officer-day",
            "/followups/": "/help/followups",
            "/promises/": "/help/followups",
            "/complaints/": "/help/followups",
            "/customers/": "/help/customers",
            "/portfolio/watchlist": "/help/customers",
            "/prospects/": "/help/prospects",
            "/products/introductions/": "/help/prospects",
            "/dashboard/": "/help/dashboards",
            "/reports/": "/help/reports",
            "/renewals/": "/help/renewals",
            "/profile": "/help/",
        },
        "spv.jkt": {
            "/agenda/team": "/help/supervisor-day",
            "/dashboard/team": "/help/dashboards",
            "/targets/": "/help/dashboards",
            "/plans/coverage": "/help/plans",
        },
        "admin": {"/imports/": "/help/admin-month", "/admin/users": "/help/admin-month"},
    }

    def test_each_role_gets_the_guide_page_of_its_screen(self, client, auth, world):
        wrong = []
        for username, screens in self.SCREENS.items():
            auth.login(username)
            wrong += [
                f"{username} {url} → {found}"
                for url, expected in screens.items()
                if (found := help_link(client, url)) != expected
            ]
            auth.logout()
        assert wrong == []

    @pytest.mark.parametrize(
        ("language", "other"), [("id", "en"), ("en", "id")], ids=["indonesian", "english"]
    )
    def test_the_page_opens_in_the_readers_language(self, client, auth, world, language, other):
        auth.login("ao.budi")
        auth.post("/language", {"locale": language, "next": "/"})
        url = help_link(client, "/agenda/")
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and f'<html lang="{language}">' in html
        assert H1.search(html).group(1) == first_heading("officer-day", language)
        assert first_heading("officer-day", other) not in html
        # Its links lead to the help's own pages and pictures, never to a Markdown file.
        assert 'href="/help/followups#' in html and 'src="/help/img/guide/agenda-phone.png"' in html
        assert ".md" not in re.sub(r"<code>.*?</code>", "", html)

    def test_the_contents_link_every_guide_page(self, client, auth, world):
        auth.login("ao.budi")
        for language in ("id", "en"):
            auth.post("/language", {"locale": language, "next": "/"})
            html = client.get("/help/").get_data(as_text=True)
            linked = set(re.findall(r'href="/help/([a-z-]+)"', html))
            assert linked == set(topics.GUIDES) - {topics.INDEX}, language


class TestOnlyTheGuideIsServed:
    def test_unknown_slugs_and_paths_are_404(self, client, auth, world):
        auth.login("ao.budi")
        for url in (
            "/help/nope",
            "/help/README",
            "/help/..%2fREADME",
            "/help/%2e%2e%2f%2e%2e%2fREADME.md",
            "/help/img/..%2f..%2fREADME.md",
            "/help/img/../pengguna/index.md",
            "/help/img/%2e%2e/%2e%2e/config.py",
            "/help/img/guide/../../../aoapp/__init__.py",
            "/help/img/nope.png",
            "/help/img/..%2f..%2fdocs%2fimg%2fagenda-phone.png",
        ):
            assert client.get(url).status_code == 404, url

    def test_the_pictures_are_served_to_users_only(self, client, auth, world):
        url = "/help/img/guide/agenda-phone.png"
        assert client.get(url).status_code == 302  # to the login page
        auth.login("ao.budi")
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
        assert client.get("/help/img/agenda-phone.png").status_code == 200  # the README's too

    def test_the_guide_needs_a_login(self, client, world):
        response = client.get("/help/officer-day")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestTheMapping:
    def test_every_mapped_page_exists_in_both_languages(self):
        slugs = {*topics.BY_BLUEPRINT.values(), *topics.BY_ENDPOINT.values(), *topics.GUIDES}
        missing = [
            f"{language}/{slug}"
            for slug in sorted(slugs)
            for language in topics.FOLDERS
            if not (path := topics.guide_file(slug, language)) or not path.is_file()
        ]
        assert missing == []

    def test_every_feature_page_has_a_guide_page(self, app):
        """A new feature's blueprint fails here until topics.py says which page explains it."""
        blueprints = {
            rule.endpoint.partition(".")[0]
            for rule in app.url_map.iter_rules()
            if "." in rule.endpoint and not rule.rule.startswith("/api")
        }
        blueprints -= {"api-docs"}
        unmapped = blueprints - set(topics.BY_BLUEPRINT) - topics.GENERAL
        assert unmapped == set()
        assert topics.topic_for("agenda.team") == "supervisor-day"
        assert topics.topic_for("search.results") == topics.topic_for(None) == topics.INDEX


class TestRendering:
    def test_links_are_pointed_at_the_help(self):
        page = lambda slug: f"/help/{slug}" if slug in topics.GUIDES else None  # noqa: E731
        image = lambda path: f"/help/img/{path}"  # noqa: E731
        assert target("followups.md#janji-bayar", page, image) == "/help/followups#janji-bayar"
        assert target("./customers.md", page, image) == "/help/customers"
        assert target("../img/guide/a.png", page, image) == "/help/img/guide/a.png"
        assert target("https://ojk.go.id/", page, image) == "https://ojk.go.id/"
        assert target("#jam-penagihan", page, image) == "#jam-penagihan"
        for unserved in ("../operations.md", "../../README.md", "secret.md", "../user/index.md"):
            assert target(unserved, page, image) is None, unserved

    def test_headings_take_githubs_ids_and_raw_html_is_escaped(self):
        text = "# Judul\n\n## 3. Catat hasil dan janji bayar\n\n## Judul\n\n<script>x</script>\n\n[a](../operations.md) [b](plans.md)"
        rendered = render(text, lambda s: f"/help/{s}", lambda p: f"/help/img/{p}")
        assert rendered.title == "Judul"
        assert 'id="3-catat-hasil-dan-janji-bayar"' in rendered.body
        assert 'id="judul-1"' in rendered.body  # a second heading of the same words
        assert "<script>" not in rendered.body and "&lt;script&gt;" in rendered.body
        assert '<a href="/help/plans">b</a>' in rendered.body
        assert "operations" not in rendered.body  # an unserved link is left as its words
        assert anchor("Jam penagihan") == "jam-penagihan"
