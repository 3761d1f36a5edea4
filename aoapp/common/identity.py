"""Indonesian identity numbers (NIK, NPWP) and phone numbers: validation and normalisation."""

import re

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
    if province < 11:
        raise InvalidNumber(_l("NIK must start with a valid province code (11–94)."))
    # Day of birth is 01–31, or 41–71 for women (day + 40).
    if not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        raise InvalidNumber(_l("NIK has an impossible date of birth (digits 7–12)."))
    return nik


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
