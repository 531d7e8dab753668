"""The suite's one way to read a date a course team typed.

Settings that are moments (a due date, the start of a board's vote) are XBlock DateTime
fields, so they are datetimes in UTC everywhere in the code. Course teams type them in the
editor as an ISO date ("2027-03-01", the start of that day) or date and time
("2027-03-01T14:00" or "2027-03-01 14:00"), in UTC unless an offset is given; "" is none.
"""
from datetime import datetime, timezone

from django.utils import formats
from django.utils.html import format_html

from .errors import _, bad_request

DATE_FORMAT_HELP = _("Give a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM.")


def parse_moment(text):
    """An aware UTC datetime, or None for ""; ValueError for anything else."""
    if isinstance(text, datetime):
        moment = text
    else:
        text = (text or "").strip()
        if not text:
            return None
        moment = datetime.fromisoformat(text)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def check_moment(name, text):
    """`parse_moment`, refusing text that is not a date with a 400 naming the setting."""
    try:
        return parse_moment(text)
    except (TypeError, ValueError):
        raise bad_request("invalid_date", DATE_FORMAT_HELP, field=name) from None


def moment_text(moment):
    """How the editor shows a stored moment: "YYYY-MM-DDTHH:MM" in UTC, "" for none."""
    if moment is None:
        return ""
    return parse_moment(moment).strftime("%Y-%m-%dT%H:%M")


def time_html(moment):
    """A moment as the suite shows it to people: `<time class="bizmooc-date" datetime="ISO">`,
    which bizmooc.js (`BizMOOC.formatDates`) writes in the page's language and the reader's
    time zone with `Intl.DateTimeFormat`, as `BizMOOC.formatDate` writes the dates the
    browser renders itself: one format on a page. The text inside is what a reader without
    script sees: "2026-12-07 14:22 UTC". "" for None. Templates: `{% load bizmooc_dates %}`
    `{{ moment|local_time }}`."""
    if moment is None:
        return ""
    moment = parse_moment(moment)
    return format_html('<time class="bizmooc-date" datetime="{}">{}</time>', moment.isoformat(timespec="seconds"),
                       moment.strftime("%Y-%m-%d %H:%M UTC"))


def printed_time(moment):
    """A moment on the suite's printable pages, which run no script to format `<time>`: one
    format for all of them, the active language's medium date and time (Django's
    DATETIME_FORMAT for it, e.g. "7. Dezember 2026 14:22"), in UTC and saying so. "" for None.
    Templates: `{% load bizmooc_dates %}` `{{ moment|printed_time }}`."""
    if moment is None:
        return ""
    return f'{formats.date_format(parse_moment(moment), "DATETIME_FORMAT", use_l10n=True)} UTC'
