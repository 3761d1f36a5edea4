"""Reading a period as people type it, in Indonesian or English (kpis/periods.parse_period).

A month: `Desember 2026`, `Des 2026`, `December 2026`, `Dec 2026`, `12/2026`, `12-2026`,
`2026-12`. A quarter: `Kuartal IV 2026`, `Triwulan 4 2026`, `TW IV 2026`, `Q4 2026`, `2026Q4`.
A range: two days joined by `..`, `-`, `s.d.`, `s/d`, `sampai`, `hingga`, `to` or `until`, each
day `2026-10-15`, `15/10/2026` (day first, as the bank writes dates), `15 Oktober 2026` or
`Oct 15, 2026`; the first may leave out what it shares with the second (`1-15 Desember 2026`,
`1 Okt - 15 Des 2026`, `Oct 1 - 15, 2026`); and the range code `20261001-20261015`. Case and
extra blanks do not matter. Anything else is a ValueError: the caller says, in the reader's
language, what is accepted.
"""

import re
from datetime import date

MIN_YEAR, MAX_YEAR = 1900, 2999  # a year outside is a typing mistake (and 9999-12 has no next)

_MONTH_WORDS = {
    1: "januari january jan",
    2: "februari pebruari february feb peb",
    3: "maret march mar",
    4: "april apr",
    5: "mei may",
    6: "juni june jun",
    7: "juli july jul",
    8: "agustus august agu agt ags aug",
    9: "september sep sept",
    10: "oktober october okt oct",
    11: "november nopember nov nop",
    12: "desember december des dec",
}
MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words.split()}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_NAME = r"([a-z]+)\.?"  # a month's name, abbreviated with or without a dot
_YEAR = r"([0-9]{4})"  # ASCII digits only: another script's digits are not a year
_ISO_MONTH = re.compile(rf"^{_YEAR}[-/]([0-9]{{1,2}})$")
_NUMBER_MONTH = re.compile(rf"^([0-9]{{1,2}})[-/.]{_YEAR}$")
_NAMED_MONTH = re.compile(rf"^{_NAME}\s*[-/,]?\s*{_YEAR}$")
_QUARTER_WORD = r"(?:q|qtr|quarter|kuartal|triwulan|tw)"
_QUARTER_NUMBER = r"([1-4]|iv|i{1,3})"
_QUARTER_FIRST = re.compile(rf"^{_QUARTER_WORD}\s*[-.]?\s*{_QUARTER_NUMBER}\s*[-/,]?\s*{_YEAR}$")
_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*[-/]?\s*{_QUARTER_WORD}\s*[-.]?\s*{_QUARTER_NUMBER}$")
_ISO_DAY = re.compile(rf"^{_YEAR}-([0-9]{{1,2}})-([0-9]{{1,2}})$")
_NUMBER_DAY = re.compile(rf"^([0-9]{{1,2}})([-/.])([0-9]{{1,2}})\2{_YEAR}$")
_NAMED_DAY = re.compile(rf"^([0-9]{{1,2}})\s*{_NAME}\s*,?\s*{_YEAR}$")
_MONTH_FIRST_DAY = re.compile(rf"^{_NAME}\s*([0-9]{{1,2}})\s*,?\s*{_YEAR}$")  # Oct 15, 2026
_BARE_DAY = re.compile(r"^([0-9]{1,2}),?$")
_DAY_AND_MONTH = re.compile(rf"^([0-9]{{1,2}})\s*{_NAME}$")
_MONTH_AND_DAY = re.compile(rf"^{_NAME}\s*([0-9]{{1,2}})$")
_BARE_DAY_AND_YEAR = re.compile(rf"^([0-9]{{1,2}})\s*,\s*{_YEAR}$")  # 15, 2026
_RANGE_CODE = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})-([0-9]{4})([0-9]{2})([0-9]{2})$")
# Between the two days of a range: symbols with or without blanks, words between blanks.
_JOINS = re.compile(r"\s*(?:\.\.|[-_/])\s*|\s+(?:s\.?\s?d\.?|s/d|sampai|hingga|to|until|till)\s+")


def _text(value: str) -> str:
    """Lower case, dashes as `-`, blanks single."""
    value = (value or "").strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", value)


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year out of range: {year}")
    return year


def _month_of(word: str) -> int:
    if word not in MONTHS:
        raise ValueError(f"not a month: {word!r}")
    return MONTHS[word]


def _number(text: str, low: int, high: int) -> int:
    number = int(text)
    if not low <= number <= high:
        raise ValueError(f"out of range: {number}")
    return number


def read_month(value: str) -> tuple[int, int]:
    """(year, month) of a typed month; ValueError when it is none."""
    text = _text(value)
    if match := _ISO_MONTH.match(text):
        return _year(match[1]), _number(match[2], 1, 12)
    if match := _NUMBER_MONTH.match(text):
        return _year(match[2]), _number(match[1], 1, 12)
    if match := _NAMED_MONTH.match(text):
        return _year(match[2]), _month_of(match[1])
    raise ValueError(f"not a month: {value!r}")


def read_quarter(value: str) -> tuple[int, int]:
    """(year, quarter) of a typed quarter; ValueError when it is none."""
    text = _text(value)
    if match := _QUARTER_FIRST.match(text):
        year, number = match[2], match[1]
    elif match := _YEAR_FIRST.match(text):
        year, number = match[1], match[2]
    else:
        raise ValueError(f"not a quarter: {value!r}")
    return _year(year), _ROMAN.get(number) or int(number)


def read_day(value: str) -> date:
    """A typed day: `2026-10-15`, `15/10/2026` (also `-` or `.`), `15 Oktober 2026`."""
    text = _text(value)
    if match := _ISO_DAY.match(text):
        return date(_year(match[1]), int(match[2]), int(match[3]))
    if match := _NUMBER_DAY.match(text):
        return date(_year(match[4]), int(match[3]), int(match[1]))
    if match := _NAMED_DAY.match(text):
        return date(_year(match[3]), _month_of(match[2]), int(match[1]))
    if match := _MONTH_FIRST_DAY.match(text):
        return date(_year(match[3]), _month_of(match[1]), int(match[2]))
    raise ValueError(f"not a day: {value!r}")


def _first_day(text: str, last: date) -> date:
    """The range's first day, which may leave out the month and year it shares with the last."""
    if match := _BARE_DAY.match(text):
        return date(last.year, last.month, int(match[1]))
    if match := _DAY_AND_MONTH.match(text):
        return date(last.year, _month_of(match[2]), int(match[1]))
    if match := _MONTH_AND_DAY.match(text):
        return date(last.year, _month_of(match[1]), int(match[2]))
    return read_day(text)


def _last_day(text: str, first: str) -> date:
    """The range's last day; in English it may leave out the month it shares with the first
    (`Oct 1 - 15, 2026`)."""
    if (match := _BARE_DAY_AND_YEAR.match(text)) and (named := _MONTH_AND_DAY.match(first)):
        return date(_year(match[2]), _month_of(named[1]), int(match[1]))
    return read_day(text)


def read_range(value: str) -> tuple[date, date]:
    """(first, last) day of a typed range (not checked for order); ValueError when it is none."""
    text = _text(value)
    if match := _RANGE_CODE.match(text):
        numbers = [int(part) for part in match.groups()]
        return date(_year(match[1]), *numbers[1:3]), date(_year(match[4]), *numbers[4:6])
    for join in _JOINS.finditer(text):  # a `-` may also be inside a day: try each place
        try:
            first = text[: join.start()]
            last = _last_day(text[join.end() :], first)
            return _first_day(first, last), last
        except ValueError:
            continue
    raise ValueError(f"not a range: {value!r}")
