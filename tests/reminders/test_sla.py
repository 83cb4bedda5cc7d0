"""Deadlines of steps from the configuration: hours and days per organisation and role, the
approver's zone from the directory, the public holidays of any year or a holiday file; the ladder's
wording; the sweep's payloads."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.deadlines import BusinessDeadlines, business_deadlines
from bot.directory import Directory, Person, RoleInfo, load_directory
from bot.settings import SettingsError, load_settings
from reminders import ladder
from reminders.holidays import Holidays
from reminders.sla import calendar_for, parse_hours, parse_span, quiet_hours

NY = ZoneInfo("America/New_York")
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=NY)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start", "end", "days"),
    [
        ("08:00-17:00", time(8), time(17), {0, 1, 2, 3, 4}),
        ("Mon-Fri 08:00-17:00", time(8), time(17), {0, 1, 2, 3, 4}),
        ("Sun-Thu 07:30 - 16:30", time(7, 30), time(16, 30), {6, 0, 1, 2, 3}),
        ("mon-sun 07:00-19:00", time(7), time(19), {0, 1, 2, 3, 4, 5, 6}),
        ("Mon,Wed,Fri 09:00-12:00", time(9), time(12), {0, 2, 4}),
    ],
)
def test_parse_hours(text: str, start: time, end: time, days: set[int]) -> None:
    assert parse_hours(text) == (start, end, frozenset(days))
    assert parse_span(text) == (start, end)


@pytest.mark.parametrize("text", ["8 to 5", "Monday-Friday 08:00-17:00", "Mon-Fri", "Mon-Fri 08:00", "25:00-26:00"])
def test_parse_hours_refuses_bad_spans(text: str) -> None:
    with pytest.raises(ValueError, match=r"08:00-17:00|not a day"):
        parse_hours(text)


def test_quiet_hours_setting() -> None:
    assert quiet_hours("off") is None
    quiet = quiet_hours("20:00-06:30")
    assert quiet is not None and (quiet.start, quiet.end, quiet.weekends) == (time(20), time(6, 30), True)


def _directory(**zones: str | None) -> Directory:
    people = {
        "ann@example.org": Person(email="ann@example.org", name="Ann", timezone=zones.get("ann")),
        "sec1@example.org": Person(
            email="sec1@example.org", name="Sec One", roles=("security",), timezone=zones.get("sec1")
        ),
        "sec2@example.org": Person(
            email="sec2@example.org", name="Sec Two", roles=("security",), timezone=zones.get("sec2")
        ),
    }
    roles = {
        "security": RoleInfo(channel="#sec", business_hours="Mon-Sun 07:00-19:00"),
        "finance": RoleInfo(channel="#fin"),
    }
    return Directory(people=people, roles=roles, timezone="America/New_York")


def test_deadlines_are_in_the_approvers_zone_from_the_directory() -> None:
    deadlines = BusinessDeadlines(_directory(ann="America/Los_Angeles"), "America/New_York")
    # Monday 10:00 New York is 07:00 in Los Angeles: Ann's day runs 08:00-17:00 her time (16:00-01:00 UTC).
    assert deadlines(MONDAY_10, 8, "ann@example.org", "manager") == (
        utc(2026, 11, 23, 20),
        utc(2026, 11, 24, 0),
        utc(2026, 11, 24, 19),
    )
    # Someone without a zone works in the organisation's (the directory's) zone.
    ny = BusinessDeadlines(_directory(), "America/New_York")
    assert ny(MONDAY_10, 8, "ann@example.org", "manager")[1] == utc(2026, 11, 24, 14)


def test_a_directory_file_without_a_zone_leaves_it_to_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text("people:\n  - {email: ann@example.org, name: Ann}\n", encoding="utf-8")
    directory = load_directory(path)
    assert directory.timezone is None
    deadlines = BusinessDeadlines(directory, "America/Los_Angeles")  # FRONTDOOR_TIMEZONE
    assert deadlines.zone_of("ann@example.org") == "America/Los_Angeles"


def test_a_role_channel_step_uses_the_zone_its_holders_share() -> None:
    shared = BusinessDeadlines(_directory(sec1="Europe/Berlin", sec2="Europe/Berlin"), "America/New_York")
    assert shared.zone_of(None, "security") == "Europe/Berlin"
    mixed = BusinessDeadlines(_directory(sec1="Europe/Berlin", sec2="Asia/Tokyo"), "America/New_York")
    assert mixed.zone_of(None, "security") == "America/New_York"


def test_a_role_may_work_its_own_hours_and_days() -> None:
    deadlines = BusinessDeadlines(_directory(), "America/New_York", "08:00-17:00")
    saturday = datetime(2026, 11, 28, 18, tzinfo=NY)
    # The security desk works every day 07:00-19:00: Saturday 18:00 + 2h is Sunday 08:00.
    assert deadlines(saturday, 2, None, "security")[1] == utc(2026, 11, 29, 13)
    # Finance keeps the organisation's hours, Monday to Friday: Monday 10:00.
    assert deadlines(saturday, 2, None, "finance")[1] == utc(2026, 11, 30, 15)


def test_organisation_hours_and_days_come_from_the_setting() -> None:
    sunday = datetime(2026, 11, 22, 9, tzinfo=NY)
    week = BusinessDeadlines(_directory(), "America/New_York", "Sun-Thu 09:00-17:00")
    assert week(sunday, 1, "ann@example.org", "manager")[1] == utc(2026, 11, 22, 15)
    friday = datetime(2026, 11, 27, 10, tzinfo=NY)
    assert week(friday, 1, "ann@example.org", "manager")[1] == utc(2026, 11, 29, 15)  # Sunday 10:00


def test_holiday_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-11-24  # a local closing day\n", encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_HOLIDAYS", str(holidays))
    deadlines = business_deadlines(_directory(), "America/New_York", holidays=load_settings().holiday_source)
    # Monday 16:00 + 2h: Tuesday is closed, Thanksgiving (US federal) is not in this file: Wednesday 09:00.
    monday_16 = datetime(2026, 11, 23, 16, tzinfo=NY)
    assert deadlines(monday_16, 2, "ann@example.org", "manager")[1] == utc(2026, 11, 25, 14)
    assert deadlines(datetime(2026, 11, 25, 16, tzinfo=NY), 2, None, "finance")[1] == utc(2026, 11, 26, 14)
    monkeypatch.delenv("FRONTDOOR_HOLIDAYS")
    federal = business_deadlines(_directory(), "America/New_York", holidays=load_settings().holiday_source)
    assert federal(datetime(2026, 11, 25, 16, tzinfo=NY), 2, None, "finance")[1] == utc(2026, 11, 27, 14)


def test_holidays_of_years_no_list_covered_are_skipped() -> None:
    """The public holidays are worked out for any year: past 2030, where a shipped list ended."""
    deadlines = business_deadlines(_directory(), "America/New_York")
    # Wednesday 2031-11-26 16:00 + 2h: Thanksgiving is skipped, Friday 09:00.
    assert deadlines(datetime(2031, 11, 26, 16, tzinfo=NY), 2, None, "finance")[1] == utc(2031, 11, 28, 14)
    # Tuesday 2040-07-03 16:00 + 2h: Independence Day (a Wednesday) is skipped, Thursday 09:00.
    assert deadlines(datetime(2040, 7, 3, 16, tzinfo=NY), 2, "ann@example.org", "manager")[1] == utc(2040, 7, 5, 13)
    # Christmas 2039 is a Sunday, observed on Monday the 26th.
    friday = datetime(2039, 12, 23, 16, tzinfo=NY)
    assert calendar_for("America/New_York").add(friday, 2) == utc(2039, 12, 27, 14)


def test_country_and_subdivision_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    wednesday_16 = datetime(2026, 2, 11, 16, tzinfo=NY)
    # Wednesday 16:00 + 2h: Thursday 09:00 by the federal calendar.
    federal = business_deadlines(_directory(), "America/New_York", holidays=load_settings().holiday_source)
    assert federal(wednesday_16, 2, None, "finance")[1] == utc(2026, 2, 12, 14)
    monkeypatch.setenv("FRONTDOOR_HOLIDAY_SUBDIVISION", "NY")
    settings = load_settings()
    assert settings.holiday_source == Holidays(None, "US", "NY")
    new_york = business_deadlines(_directory(), "America/New_York", holidays=settings.holiday_source)
    # In New York, Thursday is Lincoln's Birthday: Friday 09:00.
    assert new_york(wednesday_16, 2, None, "finance")[1] == utc(2026, 2, 13, 14)
    monkeypatch.setenv("FRONTDOOR_HOLIDAY_COUNTRY", "ca")
    monkeypatch.setenv("FRONTDOOR_HOLIDAY_SUBDIVISION", "")
    assert load_settings().holiday_source == Holidays(None, "CA", None)


def test_a_bad_configuration_is_named_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "holidays.txt"
    bad.write_text("Christmas\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"FRONTDOOR_HOLIDAYS=.*line 1"):
        business_deadlines(_directory(), "America/New_York", holidays=Holidays(bad))
    with pytest.raises(SettingsError, match="FRONTDOOR_HOLIDAYS"):
        business_deadlines(_directory(), "America/New_York", holidays=Holidays(tmp_path / "missing.txt"))
    with pytest.raises(SettingsError, match="FRONTDOOR_HOLIDAY_COUNTRY='XX' is not valid: unknown country"):
        business_deadlines(_directory(), "America/New_York", holidays=Holidays(country="XX"))
    with pytest.raises(SettingsError, match="FRONTDOOR_HOLIDAY_SUBDIVISION='ZZ' is not valid: US has no subdivision"):
        business_deadlines(_directory(), "America/New_York", holidays=Holidays(subdivision="ZZ"))
    with pytest.raises(SettingsError, match="FRONTDOOR_BUSINESS_HOURS='17:00-08:00'"):
        business_deadlines(_directory(), "America/New_York", "17:00-08:00")
    roles = {"night": RoleInfo(channel="#night", business_hours="22:00-06:00")}
    with pytest.raises(SettingsError, match="role 'night'"):
        business_deadlines(Directory(people={}, roles=roles), "America/New_York")


def test_the_demo_organisation_builds() -> None:
    deadlines = business_deadlines(load_directory(), "America/New_York")
    assert deadlines(MONDAY_10, 8, "bob.martin@example.org", "manager")[0] == utc(2026, 11, 23, 19)


# -------------------------------------------------------------------------------- the ladder
SUBJECT = ladder.Subject(
    ref="REQ-1001",
    title="Purchase requisition",
    requester="alice@example.org",
    requester_name="Alice Nguyen",
    summary="Item: chairs, Estimated cost: $600",
    asked="decision (step 1, Manager)",
    approver_names="Bob Martin",
    waited_for="4 hours",
)


def test_each_rung_says_which_request_what_is_asked_and_how_long_it_waited() -> None:
    reminder = ladder.notices(ladder.REMINDER, SUBJECT, ["bob@example.org"], None)
    assert reminder == [
        ladder.Notice(
            "bob@example.org",
            "reminder",
            (
                "Reminder: REQ-1001 (Purchase requisition from Alice Nguyen: Item: chairs, Estimated cost: $600) is "
                "waiting for your decision (step 1, Manager). It has waited 4 hours."
            ),
            True,
        )
    ]
    breach = ladder.notices(ladder.BREACH, SUBJECT, ["bob@example.org"], None)
    assert [(n.to, n.kind, n.with_card) for n in breach] == [
        ("bob@example.org", "reminder", True),
        ("alice@example.org", "notice", False),
    ]
    assert breach[0].text.startswith("Overdue: REQ-1001") and "waited 4 hours" in breach[0].text
    assert breach[1].text == (
        "REQ-1001 (Purchase requisition) is taking longer than it should: it has waited "
        "4 hours for Bob Martin. I've reminded them."
    )


def test_escalation_has_buttons_only_for_a_manager_who_may_decide() -> None:
    assert ladder.notices(ladder.ESCALATION, SUBJECT, ["bob@example.org"], None) == []
    (plain,) = ladder.notices(ladder.ESCALATION, SUBJECT, ["bob@example.org"], "carol@example.org")
    assert (plain.to, plain.kind, plain.with_card) == ("carol@example.org", "escalation", False)
    assert plain.text.endswith(
        "has waited 4 hours for a decision (step 1, Manager) from Bob Martin. Could you follow up?"
    )
    (able,) = ladder.notices(ladder.ESCALATION, SUBJECT, ["bob@example.org"], "carol@example.org", True)
    assert able.with_card and able.text.endswith("Could you follow up, or decide it yourself?")


def test_nudges_go_to_the_requester_at_every_nudge_rung() -> None:
    question = ladder.Subject(**{**SUBJECT.__dict__, "asked": "which model?"})
    for rung in (ladder.INFO_NUDGE, ladder.INFO_NUDGE + 1):
        (nudge,) = ladder.notices(rung, question, ["alice@example.org"], None)
        assert nudge.to == "alice@example.org" and '"which model?"' in nudge.text
        assert ladder.rung_name(rung) == "info_nudge"
    assert [ladder.rung_name(r) for r in (1, 2, 3)] == ["reminder", "breach", "escalation"]


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (59, "59 minutes"),
        (60, "1 hour"),
        (150, "3 hours"),
        (47 * 60, "47 hours"),
        (72 * 60, "3 days"),
    ],
)
def test_waited(minutes: int, said: str) -> None:
    start = utc(2026, 11, 23, 10)
    assert ladder.waited(start, start + timedelta(minutes=minutes)) == said
    assert ladder.waited(None, start) == "a while"


def test_the_settings_take_hours_with_days() -> None:
    from bot.settings import load_settings

    assert load_settings(business_hours="Sun-Thu 08:00-17:00").business_hours == "Sun-Thu 08:00-17:00"
    with pytest.raises(SettingsError, match="FRONTDOOR_BUSINESS_HOURS"):
        load_settings(business_hours="Someday 08:00-17:00")
