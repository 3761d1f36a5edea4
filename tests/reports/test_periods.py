"""Report periods: months, quarters and custom ranges, and the as-of date inside one."""

from datetime import date

import pytest

from aoapp.errors import InvalidInput
from aoapp.kpis.periods import last_complete_month, month_ends, parse_period


class TestParsePeriod:
    def test_month(self):
        period = parse_period("2026-02")
        assert (period.code, period.kind, period.start, period.end) == (
            "2026-02",
            "month",
            date(2026, 2, 1),
            date(2026, 2, 28),
        )
        assert period.label == "February 2026"
        assert period.previous_month_end() == date(2026, 1, 31)

    def test_quarter(self):
        period = parse_period("2026q3")
        assert (period.code, period.start, period.end) == (
            "2026Q3",
            date(2026, 7, 1),
            date(2026, 9, 30),
        )
        assert period.label == "2026 Q3"

    @pytest.mark.parametrize("text", ["2026-10-01..2026-10-15", "20261001-20261015"])
    def test_custom_range_and_its_code(self, text):
        period = parse_period(text)
        assert (period.code, period.kind) == ("20261001-20261015", "custom")
        assert (period.start, period.end) == (date(2026, 10, 1), date(2026, 10, 15))

    @pytest.mark.parametrize(
        "text",
        ["", "2026-13", "2026Q5", "Oct 2026", "2026-02-30..2026-03-01", "../etc", "2026-10 "],
    )
    def test_unreadable_periods_are_refused_plainly(self, text):
        if text == "2026-10 ":  # surrounding blanks are forgiven
            assert parse_period(text).code == "2026-10"
            return
        with pytest.raises(InvalidInput) as refused:
            parse_period(text)
        assert "period" in refused.value.errors

    def test_a_range_must_run_forwards_and_span_at_most_a_year(self):
        with pytest.raises(InvalidInput, match="ends before"):
            parse_period("2026-10-15..2026-10-01")
        with pytest.raises(InvalidInput, match="one year"):
            parse_period("2025-01-01..2026-01-02")
        assert parse_period("2025-01-02..2026-01-01").kind == "custom"


def test_month_ends_cover_twelve_months_up_to_the_as_of_month():
    months = month_ends(date(2026, 2, 14))
    assert len(months) == 12
    assert months[0] == (date(2025, 3, 1), date(2025, 3, 31))
    assert months[-1] == (date(2026, 2, 1), date(2026, 2, 28))


def test_last_complete_month():
    assert last_complete_month(date(2026, 1, 5)).code == "2025-12"
    assert last_complete_month(date(2026, 11, 30)).code == "2026-10"
