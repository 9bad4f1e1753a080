"""The program's time zone (WAYPOINT_TIMEZONE): meeting times stored in UTC, shown and entered
on the local clock in the pages, the CLI and the Markdown/PDF exports; ICS stays in UTC."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from meetings_support import make_service, who
from pydantic import ValidationError
from test_meetings_cli import TODAY, home, ok  # noqa: F401 (home is a fixture)

from assistant.clock import from_local, local_day, show, zone
from assistant.config import Settings
from assistant.service import SYSTEM

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")


def test_local_wall_times_and_their_utc_instants():
    assert from_local(date(2026, 12, 1), time(9, 0), PARIS) == datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    assert from_local(date(2027, 7, 1), time(9, 0), PARIS) == datetime(2027, 7, 1, 7, 0, tzinfo=timezone.utc)
    # 02:30 doesn't exist on 28 March 2027 in Paris (clocks jump 02:00 -> 03:00): refused, not moved.
    with pytest.raises(ValueError, match="02:30 doesn't exist on 28 Mar 2027 in Europe/Paris"):
        from_local(date(2027, 3, 28), time(2, 30), PARIS)
    assert show(from_local(date(2027, 3, 28), time(3, 0), PARIS), PARIS, "%H:%M") == "03:00 CEST"
    # 02:30 on 31 October 2027 happens twice (clocks go back): the first one, summer time.
    assert show(from_local(date(2027, 10, 31), time(2, 30), PARIS), PARIS, "%H:%M") == "02:30 CEST"
    evening = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 22:00 on the 23rd in New York
    assert local_day(evening, NEW_YORK) == date(2026, 11, 23) and local_day(evening, PARIS) == date(2026, 11, 24)
    assert show(evening, NEW_YORK) == "Mon 23 Nov 2026, 22:00 EST"
    assert show(datetime(2026, 11, 24, 3, 0), ZoneInfo("UTC")) == "Tue 24 Nov 2026, 03:00 UTC"  # naive = UTC


def test_an_unknown_zone_is_a_clear_settings_error():
    with pytest.raises(ValidationError, match="WAYPOINT_TIMEZONE takes an IANA name"):
        Settings(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="Unknown time zone ''"):
        zone("")
    assert Settings(timezone=" Europe/Paris ").timezone == "Europe/Paris"


@pytest.fixture
def ny(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    svc = make_service(tmp_path / "home", tz="America/New_York")
    svc.add_user(SYSTEM, "maria", "mentor")
    svc.add_user(SYSTEM, "alex", "mentee", mentor="maria")
    return svc


def test_cadence_keeps_the_local_time_across_a_clock_change(ny):
    alex = who(ny, "alex")
    first = ny.next_meeting_date(alex, "alex", "weekly")  # no meeting yet: 10:00 local, a week out
    assert show(first, ny.deps.settings.tz) == "Mon 30 Nov 2026, 10:00 EST"
    booked = ny.schedule_meeting(alex, "alex", from_local(date(2027, 3, 1), time(10, 0), ny.deps.settings.tz))
    assert booked.starts_at == datetime(2027, 3, 1, 15, 0, tzinfo=timezone.utc)
    after_dst = ny.next_meeting_date(alex, "alex", "biweekly")  # clocks go forward on 14 March 2027
    assert after_dst == datetime(2027, 3, 15, 14, 0, tzinfo=timezone.utc)
    assert show(after_dst, ny.deps.settings.tz) == "Mon 15 Mar 2027, 10:00 EDT"


def test_today_and_overlaps_are_on_the_local_clock(ny):
    alex = who(ny, "alex")
    tonight = ny.schedule_meeting(alex, "alex", from_local(date(2026, 11, 23), time(22, 0), ny.deps.settings.tz))
    assert tonight.starts_at.date() == date(2026, 11, 24)  # already tomorrow in UTC
    coming, held = ny.meetings_by_phase(alex, "alex")
    assert [m.id for m in coming] == [tonight.id] and [m.id for m in held] == [tonight.id]  # today, here
    with pytest.raises(ValueError, match="overlaps the meeting on Mon 23 Nov 2026, 22:00 EST"):
        ny.schedule_meeting(alex, "alex", from_local(date(2026, 11, 23), time(22, 30), ny.deps.settings.tz))


def test_exports_write_local_time_and_ics_stays_utc(ny):
    alex = who(ny, "alex")
    meeting = ny.schedule_meeting(alex, "alex", from_local(date(2026, 12, 1), time(9, 0), ny.deps.settings.tz))
    opening = ny.prep_conversation(alex).messages[-1].text
    assert opening
    for line in ("about 30%", "that's all", "yes"):
        ny.prep_chat(alex, line)
    markdown = ny.export(alex, "agenda", "md", meeting_id=meeting.id).data.decode()
    assert "**When:** 2026-12-01 09:00 EST, 45 min" in markdown
    event = next(iter(Calendar.from_ical(ny.export(alex, "agenda", "ics", meeting_id=meeting.id).data).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)


def test_cli_takes_and_prints_local_times(home, monkeypatch):  # noqa: F811 (home is the CLI fixture)
    monkeypatch.setenv("WAYPOINT_TIMEZONE", "Europe/Paris")
    out = ok("meetings", "add", "--mentee", "alex", "--at", "2026-11-30 10:00", "--today", TODAY).output
    assert "2026-11-30 10:00 CET, 45 min" in out
    listed = ok("meetings", "list", "--user", "alex", "--json").output
    assert '"starts_at": "2026-11-30T09:00:00Z"' in listed  # stored in UTC
    assert "#1 2026-11-30 10:00 CET 45 min" in ok("meetings", "list", "--user", "alex").output
