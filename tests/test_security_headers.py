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
