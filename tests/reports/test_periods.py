"""Report periods: what people write (months, quarters, ranges in Indonesian and English),
what is refused and how, the names shown in both languages, and months around a date."""

from datetime import date

import pytest
from flask_babel import force_locale

from aoapp.errors import InvalidInput
from aoapp.kpis.periods import (
    last_complete_month,
    month_ends,
    parse_day,
    parse_month,
    parse_period,
    period_name,
)

DEC, Q4 = ("2026-12", "month"), ("2026Q4", "quarter")
FIRST_HALF_OCT = ("20261001-20261015", "custom")


class TestParsePeriod:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Months, in Indonesian and English, named, abbreviated or in numbers.
            ("Desember 2026", DEC),
            ("Des 2026", DEC),
            ("desember 2026", DEC),
            ("DESEMBER 2026", DEC),
            ("Des. 2026", DEC),
            ("December 2026", DEC),
            ("Dec 2026", DEC),
            ("dec-2026", DEC),
            ("  Desember   2026 ", DEC),
            ("12/2026", DEC),
            ("12-2026", DEC),
            ("2026-12", DEC),
            ("2026/12", DEC),
            ("2/2026", ("2026-02", "month")),
            ("Agt 2026", ("2026-08", "month")),
            ("Nopember 2026", ("2026-11", "month")),
            ("Mei 2026", ("2026-05", "month")),
            ("May 2026", ("2026-05", "month")),
            # Quarters: Kuartal, Triwulan, TW and Q, in Roman or Arabic numbers.
            ("Kuartal IV 2026", Q4),
            ("kuartal 4 2026", Q4),
            ("Q4 2026", Q4),
            ("q4-2026", Q4),
            ("2026Q4", Q4),
            ("2026q4", Q4),
            ("2026 Q4", Q4),
            ("Triwulan 4 2026", Q4),
            ("Triwulan IV 2026", Q4),
            ("TW IV 2026", Q4),
            ("TW4 2026", Q4),
            ("Quarter 4 2026", Q4),
            ("Kuartal III 2026", ("2026Q3", "quarter")),
            ("TW I 2026", ("2026Q1", "quarter")),
            # Ranges: ISO, day first with / - or ., named, shortened, joined in either language.
            ("2026-10-01..2026-10-15", FIRST_HALF_OCT),
            ("20261001-20261015", FIRST_HALF_OCT),
            ("2026-10-01_2026-10-15", FIRST_HALF_OCT),
            ("2026-10-01 - 2026-10-15", FIRST_HALF_OCT),
            ("01/10/2026..15/10/2026", FIRST_HALF_OCT),
            ("1/10/2026 - 15/10/2026", FIRST_HALF_OCT),
            ("01-10-2026 s.d. 15-10-2026", FIRST_HALF_OCT),
            ("01.10.2026 s/d 15.10.2026", FIRST_HALF_OCT),
            ("1/10/2026 sampai 15/10/2026", FIRST_HALF_OCT),
            ("1/10/2026 to 15/10/2026", FIRST_HALF_OCT),
            ("1 Oktober 2026 hingga 15 Oktober 2026", FIRST_HALF_OCT),
            ("1-15 Oktober 2026", FIRST_HALF_OCT),
            ("1 – 15 October 2026", FIRST_HALF_OCT),
            ("1 sd 15 Okt 2026", FIRST_HALF_OCT),
            ("1-15 Desember 2026", ("20261201-20261215", "custom")),
            ("15 Nov - 14 Des 2026", ("20261115-20261214", "custom")),
            ("15/11/2026 - 14/12/2026", ("20261115-20261214", "custom")),
            ("1 Dec 2025 - 31 Jan 2026", ("20251201-20260131", "custom")),
            ("Oct 1 - 15, 2026", FIRST_HALF_OCT),
            ("October 1, 2026 - October 15, 2026", FIRST_HALF_OCT),
            ("Nov 15 - Dec 14, 2026", ("20261115-20261214", "custom")),
        ],
    )
    def test_what_people_write(self, text, expected):
        period = parse_period(text)
        assert (period.code, period.kind) == expected
        assert parse_period(period.code) == period  # the code reads back as the same period

    def test_month_and_quarter_bounds(self):
        period = parse_period("Februari 2026")
        assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 28))
        assert period.label == "February 2026"  # the API's English label
        assert period.previous_month_end() == date(2026, 1, 31)
        period = parse_period("Kuartal III 2026")
        assert (period.start, period.end) == (date(2026, 7, 1), date(2026, 9, 30))
        assert period.label == "2026 Q3"

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "2026-13",
            "13/2026",
            "2026Q5",
            "Kuartal V 2026",
            "Oktober",  # no year
            "Okt 26",
            "Desember 1026",  # a year no bank report has
            "Dezember 2026",
            "15/10/2026",  # a single day is not a period
            "2026-02-30..2026-03-01",
            "31/02/2026 - 15/03/2026",
            "32-35 Oktober 2026",
            "../etc",
            "2026-10-01..",
        ],
    )
    def test_unreadable_periods_are_refused_naming_what_is_accepted(self, text):
        with pytest.raises(InvalidInput) as refused:
            parse_period(text)
        assert refused.value.message.startswith(f"'{text.strip()}' is not a period.")
        assert "Q4 2026" in refused.value.message
        assert refused.value.errors == {
            "period": [
                "Write a month (December 2026, Dec 2026, 12/2026 or 2026-12), a quarter "
                "(Q4 2026 or 2026Q4) or a date range (1-15 December 2026 or "
                "01/12/2026 - 15/12/2026)."
            ]
        }

    def test_refusals_speak_the_readers_language(self):
        with force_locale("id"), pytest.raises(InvalidInput) as refused:
            parse_period("Juni")
        assert refused.value.message == (
            "'Juni' bukan periode. Tulis bulan (Desember 2026, Des 2026, 12/2026 atau 2026-12), "
            "kuartal (Kuartal IV 2026, Triwulan 4 2026, Q4 2026 atau 2026Q4) atau rentang "
            "tanggal (1-15 Desember 2026 atau 01/12/2026 - 15/12/2026)."
        )
        with force_locale("id"), pytest.raises(InvalidInput) as refused:
            parse_month("Q4 2026")
        assert refused.value.errors == {
            "period": ["Tulis bulan: Desember 2026, Des 2026, 12/2026 atau 2026-12."]
        }

    def test_a_range_must_run_forwards_and_span_at_most_a_year(self):
        with pytest.raises(InvalidInput, match="ends before"):
            parse_period("2026-10-15..2026-10-01")
        with pytest.raises(InvalidInput, match="ends before"):
            parse_period("15-1 Oktober 2026")
        with pytest.raises(InvalidInput, match="one year"):
            parse_period("2025-01-01..2026-01-02")
        assert parse_period("2025-01-02..2026-01-01").kind == "custom"

    def test_a_month_only_where_a_month_is_asked(self):
        assert parse_month("Des 2026").code == "2026-12"
        for text in ("Q4 2026", "1-15 Desember 2026", "kemarin"):
            with pytest.raises(InvalidInput) as refused:
                parse_month(text)
            assert refused.value.errors == {
                "period": ["Write a month: December 2026, Dec 2026, 12/2026 or 2026-12."]
            }

    @pytest.mark.parametrize(
        ("text", "day"),
        [
            ("2026-10-15", date(2026, 10, 15)),
            ("15/10/2026", date(2026, 10, 15)),
            ("5-1-2026", date(2026, 1, 5)),
            ("15 Okt 2026", date(2026, 10, 15)),
            ("Oct 15, 2026", date(2026, 10, 15)),
            ("15 October 2026", date(2026, 10, 15)),
        ],
    )
    def test_days_as_people_write_them(self, text, day):
        assert parse_day(text) == day

    @pytest.mark.parametrize("text", ["10/15/2026", "2026-10", "15 Okt", "besok"])
    def test_unreadable_days(self, text):
        with pytest.raises(ValueError):
            parse_day(text)


class TestPeriodName:
    @pytest.mark.parametrize(
        ("code", "english", "indonesian"),
        [
            ("2026-11", "November 2026", "November 2026"),
            ("2026-12", "December 2026", "Desember 2026"),
            ("2026Q4", "Q4 2026", "Kuartal IV 2026"),
            ("2026Q1", "Q1 2026", "Kuartal I 2026"),
            ("20261001-20261015", "Oct 1 – 15, 2026", "1–15 Okt 2026"),
            ("20261115-20261214", "Nov 15 – Dec 14, 2026", "15 Nov – 14 Des 2026"),
            (
                "20251201-20260131",
                "Dec 1, 2025 – Jan 31, 2026",
                "1 Des 2025 – 31 Jan 2026",
            ),
        ],
    )
    def test_in_both_languages(self, code, english, indonesian):
        for lang, name in (("en", english), ("id", indonesian)):
            with force_locale(lang):
                assert period_name(code).replace("\u2009", " ") == name  # Babel's thin spaces
                assert parse_period(name).code == code  # what is shown reads back


def test_month_ends_cover_twelve_months_up_to_the_as_of_month():
    months = month_ends(date(2026, 2, 14))
    assert len(months) == 12
    assert months[0] == (date(2025, 3, 1), date(2025, 3, 31))
    assert months[-1] == (date(2026, 2, 1), date(2026, 2, 28))


def test_last_complete_month():
    assert last_complete_month(date(2026, 1, 5)).code == "2025-12"
    assert last_complete_month(date(2026, 11, 30)).code == "2026-10"
