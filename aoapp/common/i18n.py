"""Languages: which one a request speaks, and numbers, money and dates formatted in it.

Pages follow the user's profile setting (else the choice made on the login page, else the
bank's DEFAULT_LOCALE); the API answers codes, not labels, and only its error messages follow
Accept-Language. Formats come from Babel's CLDR data, with the rupiah written as a bank writes
it: `Rp 1.234.567,89` in Indonesian, `IDR 1,234,567.89` in English.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import NumberPattern, parse_pattern
from babel.units import format_unit
from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, get_locale, get_translations
from flask_login import current_user

from aoapp.common.dates import to_local
from aoapp.common.money import to_money

LOCALES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
CURRENCY = {"id": "Rp", "en": "IDR"}


def default_locale() -> str:
    """The bank's language: DEFAULT_LOCALE (id unless configured)."""
    locale = current_app.config.get("DEFAULT_LOCALE", "id")
    return locale if locale in LOCALES else "id"


def select_locale() -> str:
    """The language of this request (Flask-Babel's locale selector)."""
    if not has_request_context():
        return default_locale()
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(LOCALES) or default_locale()
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else default_locale()


def locale_code() -> str:
    """The current language code (`id` or `en`)."""
    # Flask-Babel's own per-context state first: get_locale() costs several context lookups,
    # and money in a 170,000-row sheet asks for the language each time.
    state = g.get("_flask_babel") if g else None
    locale = getattr(state, "babel_locale", None) or get_locale()
    return locale.language if locale is not None else default_locale()


class CachedDomain(Domain):
    """Flask-Babel's message domain with the current catalogue looked up once per context and
    language.

    Flask-Babel looks it up on every gettext call (several context lookups each: ~5 % of a
    page's time with ~150 texts, and most of a 170,000-row watchlist sheet's reasons); this keeps
    it on Flask-Babel's own per-context state, next to the locale it belongs to, so
    `force_locale` (a different Locale object) looks it up anew.
    """

    def get_translations(self):
        state = g.get("_flask_babel") if g else None
        locale = getattr(state, "babel_locale", None)
        cached = getattr(state, "aoapp_translations", None)
        if locale is not None and cached is not None and cached[0] is locale:
            return cached[1]
        found = super().get_translations()
        state = g.get("_flask_babel") if g else None  # made by the lookup when it was missing
        locale = getattr(state, "babel_locale", None)
        if state is not None and locale is not None:
            state.aoapp_translations = (locale, found)
        return found


def install_cached_domain(app) -> None:
    """Make Flask-Babel's gettext family (and the templates') use `CachedDomain`."""
    configuration = app.extensions["babel"]
    # Set on the Babel object, where Flask-Babel looks for it (its cached `domain_instance`).
    configuration.instance.domain_instance = CachedDomain(domain=configuration.default_domain)


def translations():
    """The current language's catalogue (cached: see `CachedDomain`)."""
    return get_translations()


def install_template_gettext(env) -> None:
    """Jinja's gettext callables (as Flask-Babel installs them) on the cached catalogue."""
    env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


@cache
def babel_locale(code: str) -> Locale:
    """Babel's Locale of a language code, parsed once: given the code, Babel parses it again on
    every call (half the cost of formatting a date, a third of an amount's)."""
    return Locale.parse(code)


@cache
def _number_pattern(pattern: str) -> NumberPattern:
    """A number pattern parsed once: Babel parses it again for every number it formats, and a
    branch's team table formats some 600."""
    return parse_pattern(pattern)


def _decimal(value, pattern: str, code: str) -> str:
    """`value` in `pattern` as language `code` writes it (Babel's format_decimal)."""
    return _number_pattern(pattern).apply(value, babel_locale(code), decimal_quantization=True)


@lru_cache(maxsize=4096)
def _dated(value: date, pattern: str, code: str) -> str:
    """A date in a pattern and language: a page shows the same few dates many times over."""
    return babel_date(value, pattern, locale=babel_locale(code))


def format_money(value, with_cents: bool = False, locale: str | None = None) -> str:
    """An amount as `Rp 1.234.567` (id) or `IDR 1,234,567` (en); cents when asked."""
    if value is None:
        return ""
    locale = locale or locale_code()
    amount = to_money(value)
    if not with_cents:
        amount = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    pattern = "#,##0.00" if with_cents else "#,##0"
    sign = "-" if amount < 0 else ""
    return f"{sign}{CURRENCY[locale]} {_decimal(abs(amount), pattern, locale)}"


def format_number(value, places: int = 0, locale: str | None = None) -> str:
    """A count or quantity with the language's grouping: 1.234 (id), 1,234 (en)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _decimal(Decimal(str(value)), pattern, locale or locale_code())


def format_ratio(value, places: int = 2, locale: str | None = None) -> str:
    """A ratio as a percentage: 0.4819 → 48,19% (id), 48.19% (en); nothing → an em dash."""
    if value is None:
        return "—"
    percent = Decimal(str(value)) * 100
    return format_number(percent, places, locale) + "%"


def format_date(value: date | None, locale: str | None = None) -> str:
    """A business date: 23 Nov 2026 (id), Nov 23, 2026 (en)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _dated(value, "medium", locale or locale_code())


def format_month(value: date, locale: str | None = None) -> str:
    """A month by its name: October 2026 (en), Oktober 2026 (id)."""
    return _dated(value.replace(day=1), "MMMM y", locale or locale_code())


def format_datetime(value: datetime | None, locale: str | None = None) -> str:
    """A UTC timestamp in the bank's time zone: 23 Nov 2026 14.05 (id), Nov 23, 2026 2:05 PM."""
    local = to_local(value)
    if not local:
        return ""
    locale = locale or locale_code()
    day = _dated(local.date(), "medium", locale)
    return f"{day} {babel_time(local.time(), 'short', locale=babel_locale(locale))}"


def format_clock(value, locale: str | None = None) -> str:
    """A time of day as the language writes it: 14.05 (id), 2:05 PM (en)."""
    if value is None:
        return ""
    return babel_time(value, "short", locale=babel_locale(locale or locale_code()))


def format_weekday(value: date | None, locale: str | None = None) -> str:
    """The day of the week: Sabtu (id), Saturday (en)."""
    if not value:
        return ""
    return _dated(value, "EEEE", locale or locale_code())


def format_size(size: int | None, locale: str | None = None) -> str:
    """A file size with the language's decimal mark: 27,9 kB (id), 27.9 kB (en)."""
    if size is None:
        return ""
    locale = locale or locale_code()
    for unit, scale in (("digital-megabyte", 1000**2), ("digital-kilobyte", 1000)):
        if size >= scale:
            amount = Decimal(size) / scale
            return format_unit(amount, unit, length="short", format="#,##0.#", locale=locale)
    return format_unit(size, "digital-byte", length="short", locale=locale)
