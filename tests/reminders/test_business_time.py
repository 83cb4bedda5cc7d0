"""The business-hours clock: weekends, holidays, DST, starts outside hours, zones, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminders.business_time import (
    BusinessCalendar,
    BusinessHours,
    QuietHours,
    load_holidays,
    wall_clock_deadlines,
)
from reminders.holidays import Holidays, PublicHolidays, UnknownRegion

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
HOLIDAYS = PublicHolidays("US")
CAL = BusinessCalendar(BusinessHours(holidays=HOLIDAYS))
LA_CAL = BusinessCalendar(BusinessHours(tz="America/Los_Angeles", holidays=HOLIDAYS))
EVERY_DAY = frozenset(range(7))


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


def la(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LA)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---------------------------------------------------------------------------------------- add


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        pytest.param(ny(2026, 11, 20, 16), 2, utc(2026, 11, 23, 14), id="friday-16h-plus-2h-is-monday-9h"),
        pytest.param(ny(2026, 11, 25, 16), 8, utc(2026, 11, 27, 20), id="over-thanksgiving-to-friday-15h"),
        pytest.param(ny(2026, 12, 24, 16), 2, utc(2026, 12, 28, 14), id="over-christmas-and-weekend"),
        pytest.param(ny(2027, 7, 2, 16), 2, utc(2027, 7, 6, 13), id="over-observed-independence-day"),
        pytest.param(ny(2026, 11, 23, 6, 30), 1, utc(2026, 11, 23, 14), id="before-opening"),
        pytest.param(ny(2026, 11, 23, 18), 1, utc(2026, 11, 24, 14), id="after-closing"),
        pytest.param(ny(2026, 11, 21, 12), 1, utc(2026, 11, 23, 14), id="saturday"),
        pytest.param(ny(2026, 11, 22, 23, 59), 0.25, utc(2026, 11, 23, 13, 15), id="sunday-night"),
        pytest.param(ny(2026, 11, 23, 10), 0.5, utc(2026, 11, 23, 15, 30), id="half-hour"),
        pytest.param(ny(2026, 11, 23, 16, 30), 2.75, utc(2026, 11, 24, 15, 15), id="fraction-over-closing"),
        pytest.param(ny(2026, 11, 23, 10), 1 / 60, utc(2026, 11, 23, 15, 1), id="one-minute"),
        pytest.param(ny(2026, 11, 23, 10), 16, utc(2026, 11, 24, 22), id="16h-sla-over-two-days"),
        pytest.param(ny(2026, 11, 23, 8), 16, utc(2026, 11, 24, 20), id="16h-sla-from-opening"),
        pytest.param(ny(2026, 11, 23, 9), 24, utc(2026, 11, 25, 20), id="24h-sla-over-three-days"),
        pytest.param(ny(2026, 11, 30, 8), 72, utc(2026, 12, 9, 22), id="72h-is-eight-working-days"),
        pytest.param(ny(2026, 11, 23, 16), 1, utc(2026, 11, 23, 22), id="ends-exactly-at-closing"),
        pytest.param(ny(2026, 11, 23, 8), 0, utc(2026, 11, 23, 13), id="zero-at-opening"),
        pytest.param(ny(2026, 11, 23, 11, 7), 0, utc(2026, 11, 23, 16, 7), id="zero-inside-hours"),
        pytest.param(ny(2026, 11, 23, 17), 0, utc(2026, 11, 24, 13), id="zero-at-closing-is-next-opening"),
        pytest.param(utc(2026, 11, 23, 13), 1, utc(2026, 11, 23, 14), id="start-given-in-utc"),
    ],
)
def test_add(start: datetime, hours: float, due: datetime) -> None:
    result = CAL.add(start, hours)
    assert result == due
    assert result.tzinfo is UTC


def test_add_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2026, 11, 23, 10), 1)
    for hours in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite number, not negative"):
            CAL.add(ny(2026, 11, 23, 10), hours)


def test_add_over_a_whole_year_of_every_day_work() -> None:
    cal = BusinessCalendar(BusinessHours(workdays=EVERY_DAY))
    # 365 days of nine hours, through both DST changes of 2026.
    assert cal.add(ny(2026, 1, 1, 8), 9 * 365) == utc(2026, 12, 31, 22)


def test_add_work_is_proportional_to_days_not_minutes() -> None:
    class Counting(BusinessCalendar):
        calls = 0

        def window(self, day: date) -> tuple[datetime, datetime]:
            Counting.calls += 1
            return super().window(day)

    cal = Counting(BusinessHours(holidays=HOLIDAYS))
    # Monday 2026-11-30 08:00 + 72h ends on Wednesday 2026-12-09: ten calendar days, eight windows.
    assert cal.add(ny(2026, 11, 30, 8), 72) == utc(2026, 12, 9, 22)
    assert Counting.calls == 8


# ---------------------------------------------------------------------------------------- DST


def test_dst_changes_shift_utc_deadlines_by_an_hour() -> None:
    # Friday before the spring change (Sunday 2026-03-08): Friday is EST, Monday EDT.
    assert CAL.add(ny(2026, 3, 6, 16), 2) == utc(2026, 3, 9, 13)  # 09:00 EDT
    # Friday before the autumn change (Sunday 2026-11-01): Friday is EDT, Monday EST.
    assert CAL.add(ny(2026, 10, 30, 16), 2) == utc(2026, 11, 2, 14)  # 09:00 EST
    # Same local start and SLA a week earlier: no change of offset inside the span.
    assert CAL.add(ny(2026, 2, 27, 16), 2) == utc(2026, 3, 2, 14)  # 09:00 EST
    assert CAL.add(ny(2026, 10, 23, 16), 2) == utc(2026, 10, 26, 13)  # 09:00 EDT


def test_dst_deadlines_on_the_friday_before_each_change() -> None:
    assert CAL.deadlines(ny(2026, 3, 6, 8), 16) == (
        utc(2026, 3, 6, 21),  # Friday 16:00 EST
        utc(2026, 3, 9, 19),  # Monday 15:00 EDT
        utc(2026, 3, 10, 18),  # Tuesday 14:00 EDT
    )
    assert CAL.deadlines(ny(2026, 10, 30, 8), 16) == (
        utc(2026, 10, 30, 20),  # Friday 16:00 EDT
        utc(2026, 11, 2, 20),  # Monday 15:00 EST
        utc(2026, 11, 3, 19),  # Tuesday 14:00 EST
    )


def test_elapsed_over_dst_weekends_counts_working_time_only() -> None:
    # 64 wall-clock hours in the spring, 66 in the autumn: two business hours each time.
    assert CAL.elapsed(ny(2026, 3, 6, 16), ny(2026, 3, 9, 9)) == 2.0
    assert CAL.elapsed(ny(2026, 10, 30, 16), ny(2026, 11, 2, 9)) == 2.0


def test_hours_that_straddle_the_spring_gap_are_real_hours() -> None:
    # Open 01:00-04:00 every day: on 2026-03-08 the clock jumps from 02:00 to 03:00,
    # so that day holds two real hours (06:00-08:00 UTC), not three.
    cal = BusinessCalendar(BusinessHours(start=time(1), end=time(4), workdays=EVERY_DAY))
    assert cal.elapsed(ny(2026, 3, 8), ny(2026, 3, 9)) == 2.0
    assert cal.add(ny(2026, 3, 8, 1), 3) == utc(2026, 3, 9, 6)  # Monday 02:00 EDT
    assert cal.elapsed(ny(2026, 11, 1), ny(2026, 11, 2)) == 4.0  # 01:00-02:00 happens twice


def test_a_window_lost_in_the_spring_gap_is_skipped() -> None:
    # 02:30-03:15 does not exist on 2026-03-08 (02:30 is read as EST, i.e. after 03:15 EDT).
    cal = BusinessCalendar(BusinessHours(start=time(2, 30), end=time(3, 15), workdays=EVERY_DAY))
    assert cal.add(ny(2026, 3, 7, 2, 30), 1) == utc(2026, 3, 9, 6, 45)  # Monday 02:45 EDT
    assert cal.elapsed(ny(2026, 3, 8), ny(2026, 3, 9)) == 0.0
    assert not cal.is_open(utc(2026, 3, 8, 7, 20))


# ------------------------------------------------------------------------------------- zones


def test_other_zone_counts_in_its_own_hours() -> None:
    assert LA_CAL.add(la(2026, 11, 23, 16), 2) == utc(2026, 11, 24, 17)  # Tuesday 09:00 PST
    # The same instant for a New York approver is after closing (19:00 EST).
    assert CAL.add(la(2026, 11, 23, 16), 2) == utc(2026, 11, 24, 15)  # Tuesday 10:00 EST
    assert LA_CAL.add(la(2026, 3, 6, 16), 2) == utc(2026, 3, 9, 16)  # Monday 09:00 PDT
    assert LA_CAL.add(la(2026, 11, 25, 16), 8) == utc(2026, 11, 27, 23)  # Friday 15:00 PST
    assert LA_CAL.is_open(ny(2026, 11, 23, 19, 30))  # 16:30 in Los Angeles
    assert not CAL.is_open(ny(2026, 11, 23, 19, 30))


# ------------------------------------------------------------------------- open, next, elapsed


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (ny(2026, 11, 23, 8), True),
        (ny(2026, 11, 23, 16, 59), True),
        (ny(2026, 11, 23, 17), False),
        (ny(2026, 11, 23, 7, 59), False),
        (ny(2026, 11, 21, 10), False),  # Saturday
        (ny(2026, 11, 26, 10), False),  # Thanksgiving
        (ny(2027, 7, 5, 10), False),  # Independence Day, observed
    ],
)
def test_is_open(at: datetime, is_open: bool) -> None:
    assert CAL.is_open(at) is is_open


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (ny(2026, 11, 23, 11, 7), utc(2026, 11, 23, 16, 7)),  # open: the instant itself
        (ny(2026, 11, 23, 7), utc(2026, 11, 23, 13)),
        (ny(2026, 11, 23, 17), utc(2026, 11, 24, 13)),
        (ny(2026, 11, 21, 10), utc(2026, 11, 23, 13)),
        (ny(2026, 11, 25, 17), utc(2026, 11, 27, 13)),  # over Thanksgiving
        (ny(2026, 12, 31, 17), utc(2027, 1, 4, 13)),  # New Year's Day, then the weekend
    ],
)
def test_next_open(at: datetime, opening: datetime) -> None:
    assert CAL.next_open(at) == opening


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (ny(2026, 11, 20, 16), ny(2026, 11, 23, 9), 2.0),
        (ny(2026, 11, 25, 12), ny(2026, 11, 27, 12), 9.0),  # 5h Wednesday, Thanksgiving, 4h Friday
        (ny(2026, 11, 30, 8), ny(2026, 12, 7, 8), 45.0),
        (ny(2026, 11, 23, 10), ny(2026, 11, 23, 10, 45), 0.75),
        (ny(2026, 11, 21, 0), ny(2026, 11, 23, 0), 0.0),  # the weekend
        (ny(2026, 11, 23, 10), ny(2026, 11, 23, 10), 0.0),
        (ny(2026, 11, 23, 12), ny(2026, 11, 23, 10), 0.0),  # end before start
        (ny(2026, 11, 23, 18), ny(2026, 11, 24, 7), 0.0),  # overnight
    ],
)
def test_elapsed(start: datetime, end: datetime, hours: float) -> None:
    assert CAL.elapsed(start, end) == hours


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2045, 6, 1)),
    st.floats(min_value=0, max_value=120, allow_nan=False, allow_infinity=False),
    st.sampled_from([CAL, LA_CAL]),
)
def test_elapsed_inverts_add(start: datetime, hours: float, cal: BusinessCalendar) -> None:
    begin = cal.next_open(start.replace(tzinfo=cal.zone))
    assert cal.is_open(begin)
    assert cal.elapsed(begin, cal.add(begin, hours)) == pytest.approx(hours, abs=1e-6)


def _reference_add(start: datetime, minutes: int) -> datetime:
    """Walk minute by minute, deciding openness from the local wall clock alone."""

    def working(at: datetime) -> bool:
        local = at.astimezone(NY)
        worked = local.weekday() < 5 and local.date() not in HOLIDAYS
        return worked and time(8) <= local.time() < time(17)

    at = start.astimezone(UTC)
    while not working(at):
        at += timedelta(minutes=1)
    while minutes:
        if working(at):
            minutes -= 1
        at += timedelta(minutes=1)
    return at


@settings(max_examples=40, deadline=None)
@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 1)).map(
        lambda at: at.replace(second=0, microsecond=0, tzinfo=UTC)
    ),
    st.integers(min_value=1, max_value=12 * 60),
)
def test_add_agrees_with_a_minute_by_minute_walk(start: datetime, minutes: int) -> None:
    assert CAL.add(start, minutes / 60) == _reference_add(start, minutes)


# ---------------------------------------------------------------------------------- deadlines


def test_deadlines_at_half_full_and_one_and_a_half() -> None:
    assert CAL.deadlines(ny(2026, 11, 23, 9), 8) == (
        utc(2026, 11, 23, 18),
        utc(2026, 11, 23, 22),
        utc(2026, 11, 24, 17),
    )
    # 16h SLA from Monday 10:00: 8h -> Tuesday 09:00, 16h -> Tuesday 17:00, 24h -> Wednesday 16:00.
    assert CAL.deadlines(ny(2026, 11, 23, 10), 16) == (
        utc(2026, 11, 24, 14),
        utc(2026, 11, 24, 22),
        utc(2026, 11, 25, 21),
    )
    # Started on Saturday: counting begins Monday 08:00.
    assert CAL.deadlines(ny(2026, 11, 21, 12), 2) == (
        utc(2026, 11, 23, 14),
        utc(2026, 11, 23, 15),
        utc(2026, 11, 23, 16),
    )


def test_wall_clock_deadlines() -> None:
    start = ny(2026, 11, 21, 22)  # Saturday night: the clock does not stop
    assert wall_clock_deadlines(start, 4) == (utc(2026, 11, 22, 5), utc(2026, 11, 22, 7), utc(2026, 11, 22, 9))
    assert wall_clock_deadlines(start, 1) == (utc(2026, 11, 22, 3, 30), utc(2026, 11, 22, 4), utc(2026, 11, 22, 4, 30))
    # Over the spring change: 4 real hours after 22:00 EST is 03:00 EDT.
    spring = wall_clock_deadlines(ny(2026, 3, 7, 22), 4)
    assert spring == (utc(2026, 3, 8, 5), utc(2026, 3, 8, 7), utc(2026, 3, 8, 9))
    assert spring[1].astimezone(NY).hour == 3
    assert all(due.tzinfo is UTC for due in spring)
    with pytest.raises(ValueError, match="not negative"):
        wall_clock_deadlines(start, -1)
    with pytest.raises(ValueError, match="aware"):
        wall_clock_deadlines(datetime(2026, 11, 21, 22), 1)


# -------------------------------------------------------------------------------- quiet hours


@pytest.mark.parametrize(
    ("at", "quiet", "sent_at"),
    [
        (ny(2026, 11, 23, 20), QuietHours(), utc(2026, 11, 24, 13)),  # evening -> Tuesday 08:00
        (ny(2026, 11, 23, 6), QuietHours(), utc(2026, 11, 23, 13)),  # early -> Monday 08:00
        (ny(2026, 11, 23, 19), QuietHours(), utc(2026, 11, 24, 13)),  # quiet hours start at 19:00
        (ny(2026, 11, 23, 18, 59), QuietHours(), utc(2026, 11, 23, 23, 59)),  # not yet quiet
        (ny(2026, 11, 23, 7), QuietHours(), utc(2026, 11, 23, 12)),  # quiet hours end at 07:00
        (ny(2026, 11, 23, 11), QuietHours(), utc(2026, 11, 23, 16)),
        (ny(2026, 11, 21, 11), QuietHours(), utc(2026, 11, 23, 13)),  # Saturday -> Monday 08:00
        (ny(2026, 11, 26, 11), QuietHours(), utc(2026, 11, 27, 13)),  # Thanksgiving -> Friday
        (ny(2026, 11, 25, 20), QuietHours(), utc(2026, 11, 27, 13)),  # eve of Thanksgiving -> Friday
        (ny(2026, 12, 24, 21), QuietHours(), utc(2026, 12, 28, 13)),  # Christmas and weekend -> Monday
        (ny(2026, 3, 7, 20), QuietHours(), utc(2026, 3, 9, 12)),  # Monday 08:00 EDT
        (ny(2026, 11, 21, 11), QuietHours(weekends=False), utc(2026, 11, 21, 16)),  # weekend allowed
        (ny(2026, 11, 21, 20), QuietHours(weekends=False), utc(2026, 11, 23, 13)),  # night: next workday
        (ny(2026, 11, 23, 12, 30), QuietHours(time(12), time(13), False), utc(2026, 11, 24, 13)),
        (ny(2026, 11, 23, 13), QuietHours(time(12), time(13), False), utc(2026, 11, 23, 18)),
        (ny(2026, 11, 23, 20), None, utc(2026, 11, 24, 1)),  # no quiet hours
    ],
)
def test_defer_out_of_quiet(at: datetime, quiet: QuietHours | None, sent_at: datetime) -> None:
    assert CAL.defer_out_of_quiet(at, quiet) == sent_at


def test_quiet_hours_are_read_in_the_calendars_zone() -> None:
    assert LA_CAL.defer_out_of_quiet(ny(2026, 11, 23, 20), QuietHours()) == utc(2026, 11, 24, 1)  # 17:00 PST
    assert LA_CAL.defer_out_of_quiet(ny(2026, 11, 23, 23), QuietHours()) == utc(2026, 11, 24, 16)  # 08:00 PST


# ---------------------------------------------------------------------------------- holidays


def _observed(day: date) -> date:
    shift = {5: -1, 6: 1}.get(day.weekday(), 0)
    return day + timedelta(days=shift)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _last_monday_of_may(year: int) -> date:
    last = date(year, 5, 31)
    return last - timedelta(days=last.weekday())


def _federal(year: int) -> set[date]:
    fixed = {_observed(date(year, m, d)) for m, d in ((1, 1), (6, 19), (7, 4), (11, 11), (12, 25))}
    moving = {_nth_weekday(year, 1, 0, 3), _nth_weekday(year, 2, 0, 3), _last_monday_of_may(year)}
    moving |= {_nth_weekday(year, 9, 0, 1), _nth_weekday(year, 10, 0, 2), _nth_weekday(year, 11, 3, 4)}
    return fixed | moving


def test_the_public_calendar_is_the_observed_us_federal_holidays_of_any_year() -> None:
    for day in (date(2026, 11, 26), date(2026, 12, 25), date(2027, 7, 5)):
        assert day in HOLIDAYS
    assert date(2026, 7, 3) in HOLIDAYS  # 2026-07-04 is a Saturday
    assert date(2027, 12, 31) in HOLIDAYS  # New Year's Day 2028 is a Saturday
    assert date(2027, 12, 24) in HOLIDAYS  # Christmas 2027 is a Saturday
    assert date(2028, 11, 10) in HOLIDAYS  # Veterans Day 2028 is a Saturday
    assert date(2029, 11, 12) in HOLIDAYS  # Veterans Day 2029 is a Sunday
    assert date(2026, 11, 27) not in HOLIDAYS  # the Friday after Thanksgiving is worked
    for year in range(2025, 2061):
        days = HOLIDAYS.of_year(year)
        federal = {day for near in (year - 1, year, year + 1) for day in _federal(near) if day.year == year}
        assert federal <= days, year
        # Besides the observed days, only a holiday's own day when it falls on a weekend.
        assert all(day.weekday() >= 5 and _observed(day) in HOLIDAYS for day in days - federal), year


def test_a_subdivision_adds_its_own_holidays() -> None:
    new_york = PublicHolidays("US", "NY")
    assert date(2026, 2, 12) in new_york and date(2026, 2, 12) not in HOLIDAYS  # Lincoln's Birthday
    assert HOLIDAYS.of_year(2031) <= new_york.of_year(2031)
    ontario = PublicHolidays("CA", "ON")
    assert date(2026, 2, 16) in ontario and date(2026, 10, 12) in ontario  # Family Day, Thanksgiving
    assert date(2026, 11, 26) not in ontario


def test_an_unknown_country_or_subdivision_is_named() -> None:
    with pytest.raises(UnknownRegion, match="unknown country 'XX'") as country:
        PublicHolidays("XX")
    assert country.value.part == "country"
    with pytest.raises(UnknownRegion, match=r"US has no subdivision 'ZZ': use one of AK, AL") as region:
        PublicHolidays("US", "ZZ")
    assert region.value.part == "subdivision"


def test_a_holiday_file_replaces_the_public_holidays(tmp_path: Path) -> None:
    source = tmp_path / "site.txt"
    source.write_text("2026-11-24 Site closure\n2027-01-04\n")
    listed = Holidays(source)
    assert listed.days() == frozenset({date(2026, 11, 24), date(2027, 1, 4)})
    assert listed.in_year(2026) == {date(2026, 11, 24)} and listed.in_year(2028) == frozenset()
    assert date(2026, 11, 26) in Holidays().in_year(2026) and date(2040, 7, 4) in Holidays().in_year(2040)
    assert Holidays().days() is Holidays().days()  # one calendar, and one cache of years, per source


def test_holiday_file_format(tmp_path: Path) -> None:
    source = tmp_path / "site.txt"
    source.write_text("# site closures\n\n2026-12-24 Christmas Eve\n  2026-12-31  # inline comment\n2026-12-24\n")
    assert load_holidays(source) == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    assert load_holidays(str(source)) == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    source.write_text("# nothing yet\n")
    assert load_holidays(source) == frozenset()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("# ok\n2026-01-01 New Year\n2026-02-30 Nope\n", 3),
        ("20260101\n", 1),  # ISO basic form is not accepted
        ("2026-01-01\nChristmas 2026-12-25\n", 2),
        ("2026-1-5 Short\n", 1),
        ("\n\n2026/12/25\n", 3),
    ],
)
def test_bad_holiday_file_names_the_file_and_line(tmp_path: Path, content: str, line: int) -> None:
    bad = tmp_path / "h.txt"
    bad.write_text(content)
    with pytest.raises(ValueError, match=rf"h\.txt, line {line}: .* is not an ISO date") as caught:
        load_holidays(bad)
    assert str(bad) in str(caught.value)


def test_holidays_close_the_calendar_that_is_given_them(tmp_path: Path) -> None:
    source = tmp_path / "site.txt"
    source.write_text("2026-11-23 Site closure\n")
    cal = BusinessCalendar(BusinessHours(holidays=load_holidays(source)))
    assert cal.add(ny(2026, 11, 20, 16), 2) == utc(2026, 11, 24, 14)
    assert CAL.add(ny(2026, 11, 20, 16), 2) == utc(2026, 11, 23, 14)


# ------------------------------------------------------------------------------ configuration


@pytest.mark.parametrize(
    "hours",
    [
        BusinessHours(start=time(17), end=time(8)),
        BusinessHours(start=time(9), end=time(9)),
        BusinessHours(workdays=frozenset()),
        BusinessHours(workdays=frozenset({0, 7})),
    ],
)
def test_bad_business_hours_are_refused(hours: BusinessHours) -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(hours)


def test_defaults() -> None:
    hours = BusinessHours()
    assert (hours.start, hours.end, hours.workdays, hours.tz, hours.holidays) == (
        time(8),
        time(17),
        frozenset({0, 1, 2, 3, 4}),
        "America/New_York",
        frozenset(),
    )
    assert QuietHours() == QuietHours(time(19), time(7), True)
    assert BusinessCalendar().hours == hours


def test_a_calendar_without_working_time_is_reported() -> None:
    every_day = {date(2026, 1, 1) + timedelta(days=n) for n in range(800)}
    cal = BusinessCalendar(BusinessHours(holidays=frozenset(every_day)))
    with pytest.raises(ValueError, match="no working time in 400 days"):
        cal.add(ny(2026, 1, 1, 9), 1)
