"""Working-day arithmetic: weekends, configured holidays, the shipped Indonesian list, bad lists."""

from datetime import date, timedelta

import pytest

from aoapp.common.workdays import add_working_days, holidays, is_working_day, parse_holidays

FRIDAY = date(2026, 11, 6)
SATURDAY, SUNDAY, MONDAY = (FRIDAY + timedelta(days=n) for n in (1, 2, 3))


@pytest.fixture
def config(app):
    """The app's config; the holiday settings are restored after the test."""
    saved = {key: app.config.get(key) for key in ("BANK_HOLIDAYS", "HOLIDAYS_FILE")}
    yield app.config
    app.config.update(saved)


class TestWeekends:
    def test_monday_to_friday_work_and_the_weekend_does_not(self):
        week = [MONDAY + timedelta(days=n) for n in range(7)]
        assert [is_working_day(day) for day in week] == [True] * 5 + [False] * 2

    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            (FRIDAY, 1, MONDAY),
            (FRIDAY, 2, date(2026, 11, 10)),  # Friday + 2 = Tuesday
            (date(2026, 11, 5), 2, MONDAY),  # Thursday + 2
            (date(2026, 11, 2), 5, date(2026, 11, 9)),  # a whole week
            (FRIDAY, 0, FRIDAY),  # the start never counts, so + 0 is the start
        ],
    )
    def test_adding_working_days(self, start, days, expected):
        assert add_working_days(start, days, frozenset()) == expected

    @pytest.mark.parametrize("start", [SATURDAY, SUNDAY])
    def test_starting_on_a_weekend(self, start):
        assert add_working_days(start, 1, frozenset()) == MONDAY
        assert add_working_days(start, 2, frozenset()) == MONDAY + timedelta(days=1)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError, match="zero or more"):
            add_working_days(FRIDAY, -1)


class TestConfiguredHolidays:
    def test_a_holiday_on_a_monday(self, config):
        config["BANK_HOLIDAYS"] = "2026-11-09"
        assert not is_working_day(MONDAY)
        assert add_working_days(FRIDAY, 1) == date(2026, 11, 10)
        assert add_working_days(FRIDAY, 2) == date(2026, 11, 11)

    def test_commas_spaces_lines_and_comments(self, config):
        config["BANK_HOLIDAYS"] = "2026-11-09, 2026-11-10\n2026-11-11  # a bridge\n"
        assert holidays() == {date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11)}
        assert add_working_days(FRIDAY, 1) == date(2026, 11, 12)

    def test_a_collection_of_dates(self, config):
        config["BANK_HOLIDAYS"] = [date(2026, 11, 9), "2026-11-10"]
        assert add_working_days(FRIDAY, 1) == date(2026, 11, 11)

    def test_the_configured_list_replaces_the_default_file(self, config):
        config["BANK_HOLIDAYS"] = "2030-01-01"
        assert is_working_day(date(2026, 12, 25)) is True  # Christmas is only in the file

    def test_a_holidays_file(self, config, tmp_path):
        path = tmp_path / "holidays.txt"
        path.write_text("# our bank\n2026-11-09  # branch anniversary\n\n2026-11-10\n")
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, str(path)
        assert holidays() == {date(2026, 11, 9), date(2026, 11, 10)}
        assert add_working_days(FRIDAY, 1) == date(2026, 11, 11)

    def test_a_holiday_on_a_weekend_changes_nothing(self, config):
        config["BANK_HOLIDAYS"] = "2026-11-07"
        assert add_working_days(FRIDAY, 1) == MONDAY


class TestDefaultIndonesianList:
    def test_the_shipped_list_is_used_by_default(self, config):
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, None
        days = holidays()
        assert {date(2026, 1, 1), date(2026, 8, 17), date(2026, 12, 25)} <= days

    def test_a_run_of_idul_fitri_holidays_2026(self, config):
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, None
        # Wed 18 Mar (Nyepi leave) to Tue 24 Mar 2026 (Idul Fitri leave): closed all week.
        assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
        assert add_working_days(date(2026, 3, 13), 3) == date(2026, 3, 25)

    def test_a_run_of_idul_fitri_holidays_2025(self, config):
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, None
        # Fri 28 Mar, then Mon 31 Mar to Mon 7 Apr 2025: next working day is Tue 8 Apr.
        assert add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
        assert not any(is_working_day(date(2025, 3, 28) + timedelta(days=n)) for n in range(11))


class TestBadLists:
    def test_a_bad_configured_date_names_the_setting_and_the_value(self, config):
        config["BANK_HOLIDAYS"] = "2026-01-01, 2026-02-30"
        with pytest.raises(ValueError) as error:
            add_working_days(FRIDAY, 1)
        assert str(error.value) == (
            "Not a date in BANK_HOLIDAYS, line 1: '2026-02-30' (write dates as YYYY-MM-DD)."
        )

    def test_a_bad_line_in_the_file_names_the_file_and_the_line(self, config, tmp_path):
        path = tmp_path / "holidays.txt"
        path.write_text("2026-01-01\n# next\n17/08/2026\n")
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, str(path)
        with pytest.raises(ValueError) as error:
            holidays()
        assert str(error.value) == (
            f"Not a date in the holiday file {path}, line 3: '17/08/2026' "
            "(write dates as YYYY-MM-DD)."
        )

    def test_a_missing_file_is_reported(self, config, tmp_path):
        config["BANK_HOLIDAYS"], config["HOLIDAYS_FILE"] = None, str(tmp_path / "none.txt")
        with pytest.raises(ValueError, match="cannot be read"):
            holidays()

    def test_parse_holidays_reports_its_source(self):
        with pytest.raises(ValueError, match=r"in my list, line 2: 'tomorrow'"):
            parse_holidays("2026-01-01\ntomorrow", source="my list")
