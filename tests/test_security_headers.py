"""Security headers on pages, the API and the vendored API docs."""


class TestSecurityHeaders:
    def test_pages_forbid_inline_scripts_and_framing(self, client):
        response = client.get("/login")
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"

    def test_api_responses_carry_the_headers(self, client):
        response = client.get("/api/v1/users/me")
        assert response.status_code == 401
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"

    def test_only_the_swagger_page_may_run_its_inline_script(self, client):
        docs = client.get("/api/docs")
        assert docs.status_code == 200
        assert "script-src 'self' 'unsafe-inline'" in docs.headers["Content-Security-Policy"]

    def test_no_template_holds_an_inline_script(self):
        import re
        from pathlib import Path

        templates = Path(__file__).resolve().parent.parent / "aoapp" / "templates"
        inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
        offenders = [p.name for p in templates.rglob("*.html") if inline.search(p.read_text())]
        assert offenders == []

    def test_hsts_only_in_production(self, app, client):
        assert "Strict-Transport-Security" not in client.get("/login").headers


class TestNoDownloadIsCached:
    """Every answer but a static file is `no-store`: pages, the API and every download of bank
    data (workbooks, CSV, ZIP, errors.csv, the calendar feed), whichever way its view sends it."""

    def test_every_get_route_answers_no_store(self, app, client, auth, world):
        auth.login("admin")
        values = {"entity": "prospect", "month": "2026-10", "token": "0" * 32}
        failures = []
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            url = rule.build({a: values.get(a, 1) for a in rule.arguments}, append_unknown=False)
            response = client.get(url[1])
            if response.headers.get("Cache-Control") != "no-store":
                failures.append(f"{url[1]} → {response.headers.get('Cache-Control')}")
        assert failures == []

    def test_csv_exports_are_no_store(self, client, auth, world):
        auth.login("admin")
        for url in ("/prospects/export.csv", "/portfolio/export.csv"):
            response = client.get(url)
            assert response.status_code == 200 and "attachment" in response.headers.get(
                "Content-Disposition", ""
            ), url
            assert response.headers["Cache-Control"] == "no-store", url

    def test_static_files_may_be_cached(self, client):
        from flask import url_for

        response = client.get(url_for("static", filename="vendor/chartjs/chart.umd.min.js"))
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        response.close()
