"""The tests' control of the one clock (aoapp.common.dates), through time-machine.

- `AOAPP_TEST_TODAY` moves the clock for the whole run: an ISO date (`2028-02-29`) or a number of
  days from today (`+400`). The clock keeps ticking from 09:00 in Jakarta on that day. `.ci/run`
  runs the suite this way on far dates, so a test that only passes on the day it was written
  fails in CI.
- `@pytest.mark.today("2026-11-28")` runs one test (or a class of them) on that day, from 09:00
  in Jakarta, ticking. Use it where a test writes fixed calendar dates and expects states that
  depend on today (a promise still pending, a complaint not yet overdue). It nests inside the
  run's move. An aware datetime fixes the time of day too (`datetime(2026, 11, 18, 10, 0,
  tzinfo=JAKARTA)`: inside the collection window, tests/e2e/test_screenshots.py).
- `travel_to(day_or_datetime)` (the fixture) does the same from inside a test.
"""

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

JAKARTA = ZoneInfo("Asia/Jakarta")
MORNING = time(9, 0)
_RELATIVE = re.compile(r"^([+-]\d+)d?$")


def morning_of(day: date) -> datetime:
    """09:00 in the bank's (Jakarta's) time zone on `day`: business hours, far from midnight."""
    return datetime.combine(day, MORNING, tzinfo=JAKARTA)


def moved_today(value: str, real_today: date) -> date:
    """The day `AOAPP_TEST_TODAY` names: an ISO date, or `+N` / `-N` days from `real_today`."""
    value = value.strip()
    match = _RELATIVE.match(value)
    if match:
        return real_today + timedelta(days=int(match.group(1)))
    return date.fromisoformat(value)


def _destination(value: date | datetime | str) -> datetime:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return morning_of(value)


_run_travel: time_machine.travel | None = None


def pytest_configure(config):
    """Register the marker; move the clock for the whole run when AOAPP_TEST_TODAY says so."""
    global _run_travel
    config.addinivalue_line(
        "markers", "today(day): run the test on `day` (ISO date), 09:00 Jakarta, clock ticking"
    )
    value = os.environ.get("AOAPP_TEST_TODAY", "").strip()
    if value and _run_travel is None:
        real_today = datetime.now(JAKARTA).date()
        _run_travel = time_machine.travel(morning_of(moved_today(value, real_today)), tick=True)
        _run_travel.start()


def pytest_unconfigure(config):
    global _run_travel
    if _run_travel is not None:
        _run_travel.stop()
        _run_travel = None


def pytest_report_header(config):
    if _run_travel is not None:
        return f"clock moved to {datetime.now(JAKARTA):%Y-%m-%d %H:%M} Jakarta (AOAPP_TEST_TODAY)"
    return None


@pytest.fixture(autouse=True)
def _marked_today(request) -> Iterator[None]:
    """A test marked `today(...)` runs on that day."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(_destination(marker.args[0]), tick=True):
        yield


@pytest.fixture
def travel_to() -> Iterator[Callable[[date | datetime | str], None]]:
    """`travel_to(day)` moves the clock to `day` (09:00 Jakarta) or to a datetime, ticking."""
    travels: list[time_machine.travel] = []

    def move(value: date | datetime | str) -> None:
        travel = time_machine.travel(_destination(value), tick=True)
        travel.start()
        travels.append(travel)

    yield move
    for travel in reversed(travels):
        travel.stop()
