"""The program's time zone: meeting times are stored in UTC and shown and entered in local time.

Pure (no clock reads): every function takes the instant and the zone it works with.
A mentoring program usually sits in one office's time zone, so it is one setting
(`WAYPOINT_TIMEZONE`, an IANA name such as Europe/Paris), not a per-person preference.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = ZoneInfo("UTC")


def long_date(day: date) -> str:
    """'March 31, 2027': how a goal sentence and the coach's summary spell its deadline."""
    return f"{day:%B} {day.day}, {day.year}"


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; a ValueError that names the setting if there is none."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {name!r}: WAYPOINT_TIMEZONE takes an IANA name "
                         "such as UTC, Europe/Paris or America/New_York.") from None


def local(instant: datetime, tz: ZoneInfo) -> datetime:
    """`instant` on the program's clock (a naive instant is taken as UTC, as the store writes)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(tz)


def from_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `day` `at` in `tz`.

    On the night clocks go back, the first of the two 01:30s is meant (fold=0). A time that
    doesn't exist (the clocks go forward over it) is a ValueError: zoneinfo would quietly move
    it an hour, and a meeting would be booked at a time nobody typed.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    instant = wall.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        raise ValueError(f"{at:%H:%M} doesn't exist on {day:%d %b %Y} in {tz.key}: the clocks go forward "
                         "over it. Pick another time.")
    return instant


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar day of `instant` on the program's clock (what "today's meeting" means)."""
    return local(instant, tz).date()


def show(instant: datetime, tz: ZoneInfo, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """`instant` formatted on the program's clock, followed by the zone's abbreviation
    (CET, EST, UTC…), so a reader never has to guess which clock a time is on."""
    moment = local(instant, tz)
    return f"{moment.strftime(fmt)} {moment.strftime('%Z') or tz.key}"
