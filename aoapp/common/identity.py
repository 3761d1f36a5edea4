"""Indonesian identity numbers (NIK, NPWP), phone numbers and the bank's own numbers (CIF,
account): validation and normalisation."""

import calendar
import re
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_SEPARATORS = re.compile(r"[\s.\-()/]")


class InvalidNumber(ValueError):
    """A NIK, NPWP or phone number that does not have a valid format."""


def normalize_nik(value: str) -> str:
    """Return the 16-digit NIK or raise InvalidNumber with a plain-words reason."""
    nik = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{16}", nik):
        raise InvalidNumber(_l("NIK must be exactly 16 digits."))
    province, day, month = int(nik[0:2]), int(nik[6:8]), int(nik[8:10])
    if not 11 <= province <= 94:
        raise InvalidNumber(_l("NIK must start with a valid province code (11–94)."))
    # Day of birth is 01–31, or 41–71 for women (day + 40); the day must exist in its month
    # (29 February in a leap year: the century is not in the NIK, so 2000 counts as one).
    day = day - 40 if day > 40 else day
    year = int(nik[10:12])
    if not 1 <= month <= 12 or not 1 <= day <= _days_in(month, year):
        raise InvalidNumber(_l("NIK has an impossible date of birth (digits 7–12)."))
    return nik


def _days_in(month: int, two_digit_year: int) -> int:
    """Days in the month of a two-digit year (either century: the more lenient answer)."""
    return max(calendar.monthrange(century + two_digit_year, month)[1] for century in (1900, 2000))


def normalize_npwp(value: str) -> str:
    """Return the NPWP as 15 digits (old format) or 16 digits (NIK-based), separators removed."""
    npwp = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{15}|\d{16}", npwp):
        raise InvalidNumber(_l("NPWP must be 15 digits (old format) or 16 digits (NIK-based)."))
    return npwp


def normalize_phone(value: str) -> str:
    """Return an Indonesian number in international form without '+', e.g. 6281234567890.

    `08…`, `+628…` and `628…` are the same number.
    """
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("+"):
        raw = raw[1:]
    if not raw.isdigit():
        raise InvalidNumber(
            _l("Phone number may contain only digits, spaces, dashes and a leading +.")
        )
    if raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise InvalidNumber(_l("Phone number must start with 0, 62 or +62."))
    if not re.fullmatch(r"[1-9]\d{7,11}", national):
        raise InvalidNumber(_l("Phone number must have 9 to 13 digits, e.g. 0812 3456 7890."))
    # Mobile numbers are 08xx (second digit 1–9), 10 to 13 digits; landlines start with an area
    # code 02x–09x. Nothing Indonesian starts with 01 (short codes are not customer numbers).
    if national.startswith("1") or national.startswith("80"):
        raise InvalidNumber(
            _l("Not an Indonesian mobile (08…) or landline (area code, e.g. 021…) number.")
        )
    if national.startswith("8") and len(national) < 9:
        raise InvalidNumber(_l("A mobile number has 10 to 13 digits, e.g. 0812 3456 7890."))
    return "62" + national


def display_phone(normalized: str) -> str:
    """Show a normalised number the way Indonesians write it: 0812-3456-7890."""
    if not normalized:
        return ""
    local = "0" + normalized[2:]
    return f"{local[:4]}-{local[4:8]}-{local[8:]}" if len(local) > 8 else local


def whatsapp_url(normalized: str, text: str | None = None) -> str:
    """Click-to-chat link for a normalised number."""
    from urllib.parse import quote

    url = f"https://wa.me/{normalized}"
    return f"{url}?text={quote(text)}" if text else url


# --- The bank's own numbers: CIF and account numbers, in the format the bank sets -------------

BANK_NUMBERS = {"cif": "CIF_PATTERN", "account": "ACCOUNT_PATTERN"}
DEFAULT_PATTERNS = {"CIF_PATTERN": r"^\d{10}$", "ACCOUNT_PATTERN": r"^\d{10,16}$"}


def bank_pattern(kind: str) -> str:
    """The regular expression the bank set for a CIF (`cif`) or an account number (`account`)."""
    setting = BANK_NUMBERS[kind]
    return current_app.config.get(setting) or DEFAULT_PATTERNS[setting]


@lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def matches_bank_format(kind: str, value: str) -> bool:
    """True when the whole value matches the bank's pattern for that kind of number."""
    return _compiled(bank_pattern(kind)).fullmatch(value) is not None


def bank_format_message(kind: str) -> str:
    """Plain words for the bank's format: `CIF must be exactly 10 digits (leading zeros kept).`"""
    pattern = bank_pattern(kind)
    exact = re.fullmatch(r"\^?\\d\{(\d+)\}\$?", pattern)
    ranged = re.fullmatch(r"\^?\\d\{(\d+),(\d+)\}\$?", pattern)
    if kind == "cif":
        if exact:
            return _("CIF must be exactly %(num)s digits (leading zeros kept).", num=exact[1])
        if ranged:
            return _(
                "CIF must be %(low)s to %(high)s digits (leading zeros kept).",
                low=ranged[1],
                high=ranged[2],
            )
        return _("CIF does not have the bank's format (%(pattern)s).", pattern=pattern)
    if exact:
        return _(
            "Account number must be exactly %(num)s digits (leading zeros kept).", num=exact[1]
        )
    if ranged:
        return _(
            "Account number must be %(low)s to %(high)s digits (leading zeros kept).",
            low=ranged[1],
            high=ranged[2],
        )
    return _("Account number does not have the bank's format (%(pattern)s).", pattern=pattern)


# Whatever pattern the bank sets, a CIF or account number is a plain identifier: ASCII letters and
# digits, with dots, dashes and underscores after the first character. Never a path (`..`, `/`,
# `\`), never hidden (a leading dot), never a control character: the same rule at every entrance
# (forms, API, listing imports), so no record holds a number another entrance would refuse.
SAFE_IDENTIFIER = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_SAFE = re.compile(SAFE_IDENTIFIER)


def identifier_problem(kind: str, value: str) -> str | None:
    """Why `value` is not a CIF (`cif`) or account number (`account`) the bank accepts, or None."""
    if not matches_bank_format(kind, value):
        return bank_format_message(kind)
    if _SAFE.fullmatch(value) is None:
        if kind == "cif":
            return _(
                "CIF may hold only letters, digits, dots, dashes and underscores, and must "
                "start with a letter or digit."
            )
        return _(
            "Account number may hold only letters, digits, dots, dashes and underscores, and "
            "must start with a letter or digit."
        )
    return None


def normalize_identifier(kind: str, value: str) -> str:
    """Return the CIF or account number (spaces around removed) or raise InvalidNumber."""
    text = (value or "").strip()
    problem = identifier_problem(kind, text)
    if problem:
        raise InvalidNumber(problem)
    return text


def normalize_cif(value: str) -> str:
    """Return the CIF as typed (spaces around removed) or raise InvalidNumber naming the format."""
    return normalize_identifier("cif", value)


def normalize_account(value: str) -> str:
    """Return the account number (spaces around removed) or raise InvalidNumber."""
    return normalize_identifier("account", value)
