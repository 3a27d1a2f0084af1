"""Dates, times, numbers and ranks as people read them: pure functions, no Flask.

German is the default: `30.11.2026`, `14:05 Uhr` in the event's time zone (Europe/Berlin
unless the event says otherwise), decimal commas, ties as "2. (gleichauf)". Stored values
stay ISO 8601 in UTC; only what a person reads is converted.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_decimal

DEFAULT_TIME_ZONE = "Europe/Berlin"


def zone(name: str | None) -> ZoneInfo:
    """The time zone called `name`, or Europe/Berlin when it is empty or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_datetime(iso: str | None, time_zone: str | None = None) -> dt.datetime | None:
    """An ISO 8601 moment as a naive date-time in the event's zone (for spreadsheets)."""
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone(time_zone)).replace(tzinfo=None)


def date_text(value: str | None, language: str = "de") -> str:
    """'2026-11-30' → '30.11.2026' (de) or '30 Nov 2026' (en); other text unchanged."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return value
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {day.strftime('%b')} {day.year}"


def datetime_text(iso: str | None, time_zone: str | None = None, language: str = "de") -> str:
    """'2026-11-30T13:05:09+00:00' → '30.11.2026, 14:05 Uhr' in Berlin (de)."""
    local = local_datetime(iso, time_zone)
    if local is None:
        return iso or ""
    day = date_text(local.date().isoformat(), language)
    if language == "de":
        return f"{day}, {local:%H:%M} Uhr"
    return f"{day}, {local:%H:%M}"


def decimal_text(value: float, language: str = "de", digits: int = 2) -> str:
    """0.78 → '0,78' (de) or '0.78' (en), with exactly `digits` decimals."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale="de_DE" if language == "de" else "en_GB")


def rank_text(rank: int | None, tied: bool, language: str = "de") -> str:
    """A place in a ranking: '2.' or '2. (gleichauf)' (de), '2' or '2 (tied)' (en)."""
    if rank is None:
        return ""
    if language == "de":
        return f"{rank}. (gleichauf)" if tied else f"{rank}."
    return f"{rank} (tied)" if tied else str(rank)
