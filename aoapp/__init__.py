"""aoapp: credit-portfolio system for bank account officers."""

from pathlib import Path

from flask import Flask, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aoapp import errors, observability, ratelimits, security
from aoapp.common import replica, routing, templating
from aoapp.common.i18n import install_cached_domain, select_locale
from aoapp.common.search_text import register_sqlite_function
from aoapp.extensions import api, babel, csrf, db, limiter, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, error handlers, commands."""
    from config import Config

    app = Flask(__name__, instance_relative_config=True)
    config = Config()
    app.config.from_object(config)
    if test_config:
        app.config.update(test_config)
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    config.SECRET_KEY = app.config["SECRET_KEY"]
    config.DEFAULT_LOCALE = app.config["DEFAULT_LOCALE"]
    config.validate()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    register_extensions(app)
    register_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    security.init_app(app)
    observability.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to the app."""
    import sqlalchemy as sa

    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    import aoapp.models  # noqa: F401  (registers every table on the metadata)

    routing.init_app(app)  # the `id` converter, before any route is added
    _postgres_settings(app)
    replica.configure(app)  # the replica's bind, before the engines are made
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)
    ratelimits.configure(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_cached_domain(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
    _configure_login(app)


def _postgres_settings(app: Flask) -> None:
    """Every PostgreSQL connection (primary and replica) starts with, in the startup packet (no
    round trip):

    - JIT off unless DATABASE_JIT: the planner asks for it on statements it expects to be costly
      (a union over a branch's positions), and compiling took 50-100 ms of a 90 ms watchlist
      count;
    - a plan made for each execution's values (`plan_cache_mode=force_custom_plan`): psycopg
      prepares a statement run five times, and PostgreSQL then plans it once for any values. For
      a dashboard's statements that generic plan knows neither the dates nor the lists of ids:
      their SQL took 374-406 ms of a branch's team dashboard against 299-321 ms with a plan per
      execution (bench/profile_statements.py, issue 22). Planning them costs well under 1 ms.

    A setting the engine options already give (or an app built twice) stays."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    given = connect_args.get("options", "")
    if "jit=" not in given and not app.config.get("DATABASE_JIT"):
        given = f"{given} -c jit=off"
    if "plan_cache_mode=" not in given:
        given = f"{given} -c plan_cache_mode=force_custom_plan"
    connect_args["options"] = given.strip()
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, per connection; it has the search key
    function PostgreSQL gets from migration 0017."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    register_sqlite_function(dbapi_connection)


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


def _configure_login(app: Flask) -> None:
    """Session login for pages; bearer tokens for the API (CSRF-exempt), which also lets the
    pages' own scripts read it with the session cookie (see _page_script_read)."""
    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    from aoapp.auth.models import User
    from aoapp.auth.tokens import user_for_token

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"  # officers roam between mobile networks

    @login_manager.user_loader
    def load_user(user_id: str):
        if request.path.startswith("/api/") and not (_page_script_read() or _page_script_write()):
            return None  # otherwise the API trusts bearer tokens only
        ident, _, epoch = user_id.partition(".")
        if not (ident.isdigit() and epoch.isdigit()):
            return None  # a cookie from before session epochs, or forged: log in again
        user = db.session.get(User, int(ident))
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None  # logged out (or password changed) since this cookie was issued
        return user

    @login_manager.request_loader
    def load_user_from_token(req):
        if not req.path.startswith("/api/"):
            return None
        scheme, _, token = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return user_for_token(token.strip())

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            body, status = errors.render_error(
                401, _("Authentication required: send Authorization: Bearer <token>.")
            )
            return body, status, {"WWW-Authenticate": _bearer_challenge()}
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _bearer_challenge() -> str:
    """The challenge of a 401 (RFC 6750): which scheme to use, and whether the token sent was
    refused — a client can tell "log in" from "your token is wrong or expired"."""
    sent = request.headers.get("Authorization", "").partition(" ")[0].lower() == "bearer"
    return 'Bearer realm="aoapp", error="invalid_token"' if sent else 'Bearer realm="aoapp"'


def _page_script_read() -> bool:
    """A page's own script reading the API with the session cookie (the campaign page's chart).

    Only reads (GET/HEAD), only with the X-Requested-With header, which a cross-site form, link
    or image cannot send (and a cross-site script cannot without a CORS preflight, which the app
    never grants), and only when the browser says the request is same-origin.
    """
    return (
        request.method in ("GET", "HEAD")
        and request.headers.get("X-Requested-With") == "XMLHttpRequest"
        and request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    )


def _page_script_write() -> bool:
    """The offline queue sending what the officer logged without signal (static/offline/), with
    the session cookie: only to endpoints that take it (offline.idempotency's `page_writable`),
    only with the X-Requested-With header, same-origin, and the session's CSRF token in
    X-CSRFToken — what a form of the page itself would need."""
    # Imported here, not at the top: importing aoapp imports no feature.
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    from aoapp.offline.idempotency import page_writable

    if request.method != "POST" or request.headers.get("X-Requested-With") != "XMLHttpRequest":
        return False
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    if not page_writable(current_app.view_functions.get(request.endpoint), request.method):
        return False
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        return False
    return True


def register_blueprints(app: Flask) -> None:
    """Mount the HTML blueprints and the JSON API."""
    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    from aoapp.admin.views import bp as admin_bp
    from aoapp.agenda.api import agenda_blp
    from aoapp.agenda.views import bp as agenda_bp
    from aoapp.auth.api import users_blp
    from aoapp.auth.views import bp as auth_bp
    from aoapp.campaigns.api import campaigns_blp
    from aoapp.campaigns.views import bp as campaigns_bp
    from aoapp.complaints.api import complaints_blp
    from aoapp.complaints.views import bp as complaints_bp
    from aoapp.credit.api import facilities_blp, portfolio_blp, watchlist_blp
    from aoapp.credit.views import bp as credit_bp
    from aoapp.credit.visits.api import monitoring_visits_blp
    from aoapp.credit.visits.photo_views import bp as visit_photos_bp
    from aoapp.credit.visits.views import bp as visits_bp
    from aoapp.customers.api import customers_blp
    from aoapp.customers.views import bp as customers_bp
    from aoapp.dashboards.api import dashboard_blp
    from aoapp.dashboards.views import bp as dashboards_bp
    from aoapp.followups.api import followups_blp, promises_blp
    from aoapp.followups.photo_views import bp as followup_photos_bp
    from aoapp.followups.views import bp as followups_bp
    from aoapp.funding.api import funding_blp, relationship_blp
    from aoapp.handovers.api import handovers_blp
    from aoapp.handovers.views import bp as handovers_bp
    from aoapp.help.views import bp as help_bp
    from aoapp.imports.api import imports_blp
    from aoapp.imports.deposits import DEPOSITS  # noqa: F401  (registers the deposits listing)
    from aoapp.imports.loans import LOANS  # noqa: F401  (importing it registers the loan listing)
    from aoapp.imports.views import bp as imports_bp
    from aoapp.introductions.api import introductions_blp
    from aoapp.introductions.views import bp as introductions_bp
    from aoapp.notifications.api import notifications_blp
    from aoapp.notifications.views import bp as notifications_bp
    from aoapp.offline.views import bp as offline_bp
    from aoapp.pages.audit import bp as audit_bp
    from aoapp.plans.api import plans_blp
    from aoapp.plans.views import bp as plans_bp
    from aoapp.products.api import products_blp
    from aoapp.products.views import bp as products_bp
    from aoapp.prospects.api import prospects_blp
    from aoapp.prospects.views import bp as prospects_bp
    from aoapp.renewals.api import renewals_blp
    from aoapp.renewals.views import bp as renewals_bp
    from aoapp.reports.api import reports_blp
    from aoapp.reports.views import bp as reports_bp
    from aoapp.search.api import search_blp
    from aoapp.search.views import bp as search_bp
    from aoapp.surveys.api import surveys_blp
    from aoapp.surveys.views import bp as surveys_bp
    from aoapp.targets.api import targets_blp
    from aoapp.targets.views import bp as targets_bp

    for blueprint in (
        auth_bp,
        dashboards_bp,
        admin_bp,
        prospects_bp,
        customers_bp,
        products_bp,
        introductions_bp,
        audit_bp,
        visits_bp,
        visit_photos_bp,
        credit_bp,
        imports_bp,
        followups_bp,
        followup_photos_bp,
        complaints_bp,
        agenda_bp,
        reports_bp,
        targets_bp,
        campaigns_bp,
        search_bp,
        surveys_bp,
        plans_bp,
        renewals_bp,
        help_bp,
        notifications_bp,
        offline_bp,
        handovers_bp,
    ):
        app.register_blueprint(blueprint)
    for blp in (
        users_blp,
        prospects_blp,
        customers_blp,
        products_blp,
        introductions_blp,
        monitoring_visits_blp,
        facilities_blp,
        portfolio_blp,
        funding_blp,
        relationship_blp,
        watchlist_blp,
        imports_blp,
        followups_blp,
        promises_blp,
        complaints_blp,
        agenda_blp,
        dashboard_blp,
        reports_blp,
        targets_blp,
        campaigns_blp,
        search_blp,
        surveys_blp,
        plans_blp,
        renewals_blp,
        notifications_blp,
        handovers_blp,
    ):
        csrf.exempt(blp)
        _limit_failed_authentication(blp)
        api.register_blueprint(blp, url_prefix=f"/api/v1{blp.url_prefix or ''}")

    @app.get("/")
    def index():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        if current_user.role == "officer":
            return redirect(url_for("dashboards.officer"))
        if current_user.role == "supervisor":
            return redirect(url_for("dashboards.team"))
        return redirect(url_for("admin.home"))

    @app.get("/healthz")
    def healthz():
        """App and database alive: 200, else 503 (for the proxy's and orchestrator's checks)."""
        try:
            db.session.execute(db.text("SELECT 1"))
        except Exception:
            db.session.rollback()
            app.logger.exception("health check: database unreachable")
            return {"status": "unavailable", "database": "unreachable"}, 503
        answer = {"status": "ok", "database": "ok"}
        if replica.replica_engine() is not None:  # the app reads on the primary without it
            answer["replica"] = "ok" if replica.replica_answers() else "unreachable"
        return answer


def _limit_failed_authentication(blp) -> None:
    """Count answers 401 per client address: guessing API tokens soon meets 429.

    Blueprints are module objects shared by every app built in one process: decorate them once.
    """
    if getattr(blp, "_limits_failed_authentication", False):
        return
    blp._limits_failed_authentication = True
    limiter.limit(
        lambda: current_app.config["API_AUTH_FAILURE_LIMIT"],
        scope="api-authentication",
        deduct_when=lambda response: response.status_code == 401,
    )(blp)


def register_hooks(app: Flask) -> None:
    """Plug the features that take part in a lower feature's work through its hooks, and are
    imported by no blueprint, into it."""
    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    import aoapp.followups.prospect_contact  # noqa: F401  (a prospect's next contact: prospects.hooks)
    import aoapp.followups.retention  # noqa: F401  (retention calls after a deposits listing: imports.kinds)
    import aoapp.followups.sections  # noqa: F401  (the follow-ups of customer, prospect, facility pages)
    import aoapp.followups.signals  # noqa: F401  (the watchlist's follow-up signals: credit.signals)
    import aoapp.funding.wallet  # noqa: F401  (deposits held, the wallet: customers.holdings, .hooks)
    import aoapp.handovers.listing  # noqa: F401  (held customers, listings compared: imports.holds, .kinds)
    import aoapp.kpis.campaigns  # noqa: F401  (the campaign pages' figures: campaigns.hooks)
    import aoapp.prospects.referrals  # noqa: F401  (the customer page's referrals: customers.hooks)
    import aoapp.renewals.pipeline  # noqa: F401  (renewal opportunities after each listing: imports.kinds)


def register_errorhandlers(app: Flask) -> None:
    """Domain errors and crashes become clean JSON or HTML responses."""
    errors.register_errorhandlers(app)


def register_template_helpers(app: Flask) -> None:
    """Jinja filters for money, phones and dates; the main menu."""
    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    from aoapp.pages import navigation

    templating.init_app(app)
    navigation.init_app(app)


def register_commands(app: Flask) -> None:
    """Provisioning and demo-data commands for `flask`."""
    # Imported when the app is built, not at the top: importing aoapp imports no feature.
    from aoapp.auth.cli import register as register_auth
    from aoapp.demo.cli import register as register_demo
    from aoapp.followups.cli import register as register_followups
    from aoapp.imports.cli import register as register_imports
    from aoapp.notifications.cli import register as register_notifications
    from aoapp.renewals.cli import register as register_renewals
    from aoapp.reports.cli import register as register_reports

    register_auth(app)
    register_demo(app)
    register_imports(app)
    register_followups(app)
    register_reports(app)
    register_renewals(app)
    register_notifications(app)
