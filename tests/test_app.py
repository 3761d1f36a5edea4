"""The application as a whole: configuration, health check, error pages."""

import pytest
import sqlalchemy as sa

from aoapp import create_app
from config import Config


@pytest.fixture
def clean_env(monkeypatch):
    """No configuration from the surrounding shell."""
    for name in (
        "AOAPP_ENV",
        "SECRET_KEY",
        "SESSION_COOKIE_SECURE",
        "BANK_TIMEZONE",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _make_app(app, **extra):
    """A second application on the test database (routes can still be added to it)."""
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    return create_app({**settings, "DEFAULT_LOCALE": "en", **extra})


class TestConfiguration:
    def test_production_without_secret_key_refuses_to_start(self, app, clean_env):
        clean_env.setenv("AOAPP_ENV", "production")
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            _make_app(app)

    def test_production_with_a_short_secret_key_refuses_to_start(self, app, clean_env):
        clean_env.setenv("AOAPP_ENV", "production")
        clean_env.setenv("SECRET_KEY", "x" * 20)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            _make_app(app)

    def test_production_with_a_secret_key_starts_with_secure_cookies(self, app, clean_env):
        clean_env.setenv("AOAPP_ENV", "production")
        clean_env.setenv("SECRET_KEY", "k" * 40)
        production = _make_app(app)
        assert production.config["SESSION_COOKIE_SECURE"] is True
        assert production.config["REMEMBER_COOKIE_SECURE"] is True
        assert production.config["SECRET_KEY"] == "k" * 40

    def test_development_defaults(self, clean_env):
        config = Config()
        assert config.BANK_TIMEZONE == "Asia/Jakarta"
        assert config.SESSION_COOKIE_SECURE is False
        assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"
        assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
        assert config.SQLALCHEMY_DATABASE_URI.endswith("instance/aoapp.db")

    def test_the_app_uses_the_jakarta_zone_by_default(self, app):
        assert app.config["BANK_TIMEZONE"] == "Asia/Jakarta"

    def test_settings_come_from_the_environment(self, clean_env):
        clean_env.setenv("BANK_TIMEZONE", "Asia/Makassar")
        clean_env.setenv("DATABASE_URL", "postgresql://u@db:5432/aoapp")
        config = Config()
        assert config.BANK_TIMEZONE == "Asia/Makassar"
        assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db:5432/aoapp"


class TestResponses:
    def test_health_check(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json == {"status": "ok", "database": "ok"}

    def test_health_check_answers_503_when_the_database_is_unreachable(self, app, client):
        from sqlalchemy.pool import NullPool

        from aoapp.extensions import db

        broken = sa.create_engine(
            "postgresql+psycopg://nobody@127.0.0.1:1/none", poolclass=NullPool
        )
        with app.app_context():
            engines = db.engines
            original = engines[None]
            engines[None] = broken
            try:
                response = client.get("/healthz")
            finally:
                engines[None] = original
        assert response.status_code == 503
        assert response.json == {"status": "unavailable", "database": "unreachable"}

    def test_unknown_page_is_an_html_404(self, client):
        response = client.get("/no/such/page")
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert b"Not found" in response.data

    def test_unknown_api_path_is_a_json_404(self, client):
        response = client.get("/api/v1/x")
        assert response.status_code == 404
        assert response.mimetype == "application/json"
        assert {"code", "status", "message"} <= set(response.json)
        assert response.json["code"] == 404 and response.json["message"]

    def test_a_crash_on_the_api_is_a_json_500_without_a_stack_trace(self, app):
        crashing = _make_app(app)

        @crashing.get("/api/v1/boom")
        def boom():
            raise ValueError("secret internals: /srv/aoapp/db.py line 42")

        @crashing.get("/boom")
        def boom_page():
            raise ValueError("secret internals: /srv/aoapp/db.py line 42")

        client = crashing.test_client()
        response = client.get("/api/v1/boom")
        assert response.status_code == 500
        assert response.mimetype == "application/json"
        assert response.json == {
            "code": 500,
            "status": "Internal Server Error",
            "message": "An unexpected error occurred. It has been logged.",
        }
        page = client.get("/boom")
        assert page.status_code == 500 and page.mimetype == "text/html"
        for body in (response.get_data(as_text=True), page.get_data(as_text=True)):
            assert "Traceback" not in body and "secret internals" not in body
