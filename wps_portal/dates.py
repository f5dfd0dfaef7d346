"""Partial dates: a date known to a year, a month or a day.

The database stores the first day of the period plus its precision; these helpers turn that pair
into the ISO string of exactly that precision ("2010", "2010-06", "2010-06-15") and back.
"""

import datetime
import re

from django.utils import formats

from .choices import DatePrecision

_PARTIAL_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value) -> tuple[datetime.date, str]:
    """Parse "2010", "2010-06" or "2010-06-15" (or an int year) into (date, precision)."""
    if isinstance(value, int):
        value = f"{value:04d}"
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    match = _PARTIAL_ISO.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if day:
        return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
    if month:
        return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
    return datetime.date(int(year), 1, 1), DatePrecision.YEAR


def iso_partial(date: datetime.date | None, precision: str) -> str | None:
    """The ISO string of a partial date at its precision: never more precise than known."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def human_partial(date: datetime.date | None, precision: str) -> str:
    """A readable form in the active language, at its precision: "2010", "June 2010",
    "15 June 2010" ("јун 2010", "15. јун 2010." in Serbian; formats in wps_portal/formats)."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(date, "YEAR_MONTH_FORMAT")
    return formats.date_format(date, "DATE_FORMAT")


def period_end(date: datetime.date, precision: str) -> datetime.date:
    """The last day of the period a partial date stands for."""
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 12, 31)
    if precision == DatePrecision.MONTH:
        next_month = datetime.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)
    return date


def overlaps_years_q(year_from: int | None, year_to: int | None, prefix: str = ""):
    """A Q for records whose [start_date, end_date] overlaps the years [year_from, year_to].

    A record without an end lasted its start period. ``prefix`` reaches the dates through a
    relation (e.g. "participations__activity__"). Year lookups compile to date ranges, so the
    indexes on start_date and end_date serve them.
    """
    from django.db.models import Q

    condition = Q()
    if year_to is not None:
        condition &= Q(**{f"{prefix}start_date__year__lte": year_to})
    if year_from is not None:
        condition &= Q(**{f"{prefix}end_date__year__gte": year_from}) | Q(
            **{f"{prefix}end_date__isnull": True, f"{prefix}start_date__year__gte": year_from}
        )
    return condition
