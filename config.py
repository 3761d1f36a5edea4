"""Settings read from environment variables, with safe defaults for development."""

import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"


def _bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _share(name: str, default: str) -> Decimal:
    """Read a share strictly between 0 and 1 (0.5 = half) from an environment variable."""
    text = os.environ.get(name, default).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not 0 < value < 1:
        raise RuntimeError(f"{name} must be a share between 0 and 1 (e.g. 0.5), not {text!r}")
    return value


def _database_url(name: str = "DATABASE_URL") -> str:
    """DATABASE_URL, defaulting to the embedded SQLite database under instance/ (another
    variable: empty when unset)."""
    url = os.environ.get(name, "").strip()
    if not url:
        return f"sqlite:///{BASE_DIR / 'instance' / 'aoapp.db'}" if name == "DATABASE_URL" else ""
    if url.startswith("postgres://"):  # Heroku-style URLs
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Application settings; every value can be overridden by an environment variable."""

    def __init__(self) -> None:
        self.ENV_NAME = os.environ.get("AOAPP_ENV", "development").strip().lower()
        self.PRODUCTION = self.ENV_NAME == "production"
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # A streaming replica of the PostgreSQL primary: the dashboards and report generation
        # read their figures there (aoapp/common/replica.py); unset, everything uses the primary.
        self.DATABASE_REPLICA_URL = _database_url("DATABASE_REPLICA_URL")
        # PostgreSQL's JIT compiles a statement whose estimated cost is high: 50-100 ms each time,
        # for pages whose statements run in a few ms (aoapp/__init__._postgres_settings).
        self.DATABASE_JIT = _bool("DATABASE_JIT", False)
        self.EXPORTS_DIR = os.environ.get("EXPORTS_DIR") or str(BASE_DIR / "exports")
        # Report batches across machines (aoapp/reports/queue.py): RQ on this Redis server.
        self.REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.REPORTS_QUEUE = os.environ.get("REPORTS_QUEUE", "reports")
        # The Reports page makes up to this many customer workbooks in the request; more go
        # through `flask reports generate` (or its --queue).
        self.REPORTS_WEB_INLINE_LIMIT = int(os.environ.get("REPORTS_WEB_INLINE_LIMIT", 200))
        # A background batch whose jobs gave no sign of life for this long (none started or
        # finished, none waiting for a live worker) is shown as stopped (aoapp/reports/batches.py).
        self.REPORTS_BATCH_STALE_MINUTES = int(os.environ.get("REPORTS_BATCH_STALE_MINUTES", 5))
        self.BANK_TIMEZONE = os.environ.get("BANK_TIMEZONE", "Asia/Jakarta")
        self.BANK_NAME = os.environ.get("BANK_NAME", "Bank Demo")
        # The bank's language (id or en): pages of users who chose none, reports by default.
        self.DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "id").strip().lower()
        self.BABEL_DEFAULT_LOCALE = self.DEFAULT_LOCALE
        self.BABEL_TRANSLATION_DIRECTORIES = "translations"  # aoapp/translations
        # Public holidays for working-day arithmetic (aoapp/common/workdays.py): BANK_HOLIDAYS
        # lists ISO dates; otherwise HOLIDAYS_FILE, default the shipped Indonesian list.
        self.BANK_HOLIDAYS = os.environ.get("BANK_HOLIDAYS") or None
        self.HOLIDAYS_FILE = os.environ.get("HOLIDAYS_FILE") or None
        # A promise to pay is kept when a listing dated up to this many days after the promised
        # date shows the payment; complaints are due this many working days after receipt.
        # Collection contact (POJK 22/2023 art. 62(2)): on these days outside the holidays above,
        # within these hours [start, end) in the local time of the customer's branch (its time
        # zone, else BANK_TIMEZONE); other hours only those the customer agreed to, recorded.
        self.COLLECTION_DAYS = os.environ.get("COLLECTION_DAYS", "Mon-Sat")
        self.COLLECTION_HOURS = os.environ.get("COLLECTION_HOURS", "08:00-20:00")
        self.PTP_GRACE_DAYS = int(os.environ.get("PTP_GRACE_DAYS", 3))
        self.COMPLAINT_DUE_WORKING_DAYS = int(os.environ.get("COMPLAINT_DUE_WORKING_DAYS", 10))
        # Retention calls suggested to the customer's officer (aoapp/followups/retention.py): a
        # non-ARO deposito maturing within RETENTION_MATURITY_DAYS; a balance down from one
        # month-end listing to the next by more than RETENTION_WITHDRAWAL_AMOUNT (rupiah), or by
        # more than RETENTION_WITHDRAWAL_SHARE of it (a fraction) when at least
        # RETENTION_WITHDRAWAL_FLOOR.
        self.RETENTION_MATURITY_DAYS = int(os.environ.get("RETENTION_MATURITY_DAYS", 7))
        self.RETENTION_WITHDRAWAL_AMOUNT = Decimal(
            os.environ.get("RETENTION_WITHDRAWAL_AMOUNT", "100000000")
        )
        self.RETENTION_WITHDRAWAL_SHARE = Decimal(
            os.environ.get("RETENTION_WITHDRAWAL_SHARE", "0.5")
        )
        self.RETENTION_WITHDRAWAL_FLOOR = Decimal(
            os.environ.get("RETENTION_WITHDRAWAL_FLOOR", "25000000")
        )
        # Renewal opportunities (aoapp/renewals): facilities and non-ARO depositos maturing within
        # RENEWAL_WINDOW_DAYS; a new facility starting within RENEWAL_MATCH_DAYS of a closed one's
        # maturity is its renewal; the top-up list keeps out loans whose latest DPD is above
        # RENEWAL_TOPUP_MAX_DPD or debtor Kol above RENEWAL_TOPUP_MAX_KOL, unless the supervisor
        # allows one.
        self.RENEWAL_WINDOW_DAYS = int(os.environ.get("RENEWAL_WINDOW_DAYS", 90))
        self.RENEWAL_MATCH_DAYS = int(os.environ.get("RENEWAL_MATCH_DAYS", 60))
        self.RENEWAL_TOPUP_MAX_DPD = int(os.environ.get("RENEWAL_TOPUP_MAX_DPD", 0))
        self.RENEWAL_TOPUP_MAX_KOL = int(os.environ.get("RENEWAL_TOPUP_MAX_KOL", 1))
        # Formats of the core banking system's numbers, checked wherever one is typed or
        # imported (full match; leading zeros kept): CIF and account (rekening) numbers.
        self.CIF_PATTERN = os.environ.get("CIF_PATTERN") or r"^\d{10}$"
        self.ACCOUNT_PATTERN = os.environ.get("ACCOUNT_PATTERN") or r"^\d{10,16}$"
        # A follow-up (a next visit, a prospect's or an introduction's follow-up date) is
        # planned at most this many days ahead.
        self.FOLLOWUP_HORIZON_DAYS = int(os.environ.get("FOLLOWUP_HORIZON_DAYS", 366))
        # A past event (a monitoring visit, a complaint's receipt) is entered at most this late.
        self.BACKDATE_LIMIT_DAYS = int(os.environ.get("BACKDATE_LIMIT_DAYS", 366))
        # A request sent again with its Idempotency-Key gets the first answer for this many days
        # (the offline queue resends what was logged without signal: aoapp/offline).
        self.IDEMPOTENCY_KEY_DAYS = int(os.environ.get("IDEMPOTENCY_KEY_DAYS", 7))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
        # Uploaded workbooks: refused past this size unpacked, or a part unpacking more than
        # this many times its packed size (zip bomb); listing cells longer than this are refused.
        self.MAX_XLSX_UNCOMPRESSED_BYTES = int(
            os.environ.get("MAX_XLSX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024)
        )
        self.MAX_XLSX_COMPRESSION_RATIO = int(os.environ.get("MAX_XLSX_COMPRESSION_RATIO", 100))
        self.IMPORTS_MAX_CELL_CHARS = int(os.environ.get("IMPORTS_MAX_CELL_CHARS", 1000))
        # Web imports run in a background thread unless this is set (tests); uploads wait in
        # IMPORTS_UPLOAD_DIR (default: instance/uploads) until the admin confirms them.
        self.IMPORTS_RUN_INLINE = _bool("IMPORTS_RUN_INLINE", False)
        # A running import renews a heartbeat on its record; one without it for this long has
        # lost its process and is recorded as failed (aoapp/imports/heartbeat.py).
        self.IMPORT_STALE_MINUTES = int(os.environ.get("IMPORT_STALE_MINUTES", 5))
        # Uploads never confirmed are deleted after this many hours (`flask imports sweep`).
        self.IMPORTS_UPLOAD_KEEP_HOURS = int(os.environ.get("IMPORTS_UPLOAD_KEEP_HOURS", 24))
        # Imports of one as-of date run one at a time; the next waits this long, then gives up.
        self.IMPORT_WAIT_MINUTES = int(os.environ.get("IMPORT_WAIT_MINUTES", 30))
        self.IMPORTS_UPLOAD_DIR = os.environ.get("IMPORTS_UPLOAD_DIR") or None
        # Currencies the deposits listing may hold (comma-separated ISO codes); a row in any
        # other currency is refused. IDR only unless the bank enables more (e.g. IDR,USD).
        self.DEPOSIT_CURRENCIES = [
            code.strip().upper()
            for code in os.environ.get("DEPOSIT_CURRENCIES", "IDR").split(",")
            if code.strip()
        ]
        # Run-off: a deposit whose balance fell by more than this share since the previous
        # month-end listing (funding/movements.py).
        self.FUNDING_RUNOFF_SHARE = _share("FUNDING_RUNOFF_SHARE", "0.5")
        # Satisfaction surveys (aoapp/surveys): a link stays open SURVEY_TTL_DAYS days; a score
        # at or below SURVEY_LOW_SCORE plans a follow-up; the public page takes at most
        # SURVEY_RATE_LIMIT requests per client address (generous: customers behind one
        # mobile carrier's address share it).
        self.SURVEY_TTL_DAYS = int(os.environ.get("SURVEY_TTL_DAYS", 14))
        self.SURVEY_LOW_SCORE = int(os.environ.get("SURVEY_LOW_SCORE", 2))
        self.SURVEY_RATE_LIMIT = os.environ.get("SURVEY_RATE_LIMIT", "30 per minute;300 per hour")
        # The daily digest (aoapp/notifications): e-mailed through this SMTP server (the
        # Flask-Mail names); without MAIL_SERVER it is shown in the application only. Links in
        # the e-mails start with APP_URL (https://aoapp.bank.example); without it, none.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "").strip()
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)  # STARTTLS
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)  # TLS from the start (port 465)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "aoapp <no-reply@localhost>")
        self.MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 30))  # seconds per connection
        self.APP_URL = os.environ.get("APP_URL", "").strip().rstrip("/")
        # A user's digest time when they chose none (HH:MM, local time of their branch, else
        # BANK_TIMEZONE); a failed e-mail is tried again by the next run, at most this many
        # times in all; a run that stopped mid-send frees its claim after this many minutes.
        self.DIGEST_DEFAULT_TIME = os.environ.get("DIGEST_DEFAULT_TIME", "07:00")
        self.DIGEST_MAX_ATTEMPTS = int(os.environ.get("DIGEST_MAX_ATTEMPTS", 5))
        self.DIGEST_CLAIM_MINUTES = int(os.environ.get("DIGEST_CLAIM_MINUTES", 15))
        self.NOTIFICATIONS_QUEUE = os.environ.get("NOTIFICATIONS_QUEUE", "notifications")
        # Photos of monitoring visits and visit follow-ups (aoapp/common/media.py, images.py):
        # files under MEDIA_DIR (default instance/media; point it at storage every machine
        # mounts when several serve), at most PHOTO_MAX_BYTES each as uploaded, PHOTO_MAX_PIXELS
        # each (a decompression bomb is refused unread) and VISIT_PHOTOS_MAX per visit. A visit
        # logged farther than VISIT_DISTANCE_FLAG_METERS from the customer's recorded location,
        # or without a location, is flagged for the supervisor.
        self.MEDIA_DIR = os.environ.get("MEDIA_DIR") or None
        self.PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 10 * 1024 * 1024))
        self.PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 60_000_000))
        self.VISIT_PHOTOS_MAX = int(os.environ.get("VISIT_PHOTOS_MAX", 10))
        self.VISIT_DISTANCE_FLAG_METERS = int(os.environ.get("VISIT_DISTANCE_FLAG_METERS", 500))

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.PRODUCTION)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session

        self.PASSWORD_HASH_METHOD = "scrypt"
        self.LOGIN_MAX_FAILURES = 5
        self.LOGIN_FAILURE_WINDOW_MINUTES = 15
        self.LOGIN_LOCK_MINUTES = 15
        # Rate limits per client address (Flask-Limiter); the per-account lock above stops
        # guessing one password, these stop spraying many accounts or guessing API tokens.
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        # Where they count (aoapp/ratelimits.py): unset, on the Redis at REDIS_URL when it
        # answers at start, else memory:// (refused in production with several workers).
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
        self.RATELIMIT_STORAGE_OPTIONS = {
            "key_prefix": os.environ.get("RATELIMIT_KEY_PREFIX", "aoapp-limits")
        }
        # Set by gunicorn.conf.py for its workers: how many processes serve the app.
        self.WEB_WORKERS = int(os.environ.get("AOAPP_WEB_WORKERS") or 1)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
        self.TOKEN_RATE_LIMIT = os.environ.get("TOKEN_RATE_LIMIT", "10 per hour")
        self.API_AUTH_FAILURE_LIMIT = os.environ.get("API_AUTH_FAILURE_LIMIT", "20 per minute")
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0: none).
        # One JSON line per request and per log record on stderr (LOG_FORMAT=text for humans).
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip().lower()
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
        self.PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))

        self.API_TITLE = "aoapp API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "docs"
        self.OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
        self.API_SPEC_OPTIONS = {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        }

    def validate(self) -> None:
        """Refuse unsafe settings in production, and languages the app does not speak."""
        if self.DEFAULT_LOCALE not in ("id", "en"):
            raise RuntimeError(f"DEFAULT_LOCALE must be id or en, not {self.DEFAULT_LOCALE!r}")
        for name in ("CIF_PATTERN", "ACCOUNT_PATTERN"):
            try:
                re.compile(getattr(self, name))
            except re.error as error:
                raise RuntimeError(f"{name} is not a valid regular expression: {error}") from None
        clock = re.fullmatch(r"(\d{1,2})[:.](\d{2})", self.DIGEST_DEFAULT_TIME.strip())
        if not clock or int(clock[1]) > 23 or int(clock[2]) > 59:
            raise RuntimeError(
                f"DIGEST_DEFAULT_TIME must be a time HH:MM, not {self.DIGEST_DEFAULT_TIME!r}"
            )
        if self.MAIL_USE_TLS and self.MAIL_USE_SSL:
            raise RuntimeError("Set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL, not both")
        if self.PRODUCTION and self.SECRET_KEY == DEV_SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value when AOAPP_ENV=production"
            )
        if self.PRODUCTION and len(self.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters in production")
