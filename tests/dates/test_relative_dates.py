"""The arithmetic of dates relative to the learner (xblocks/common/relative_dates.py), on its own."""
from datetime import datetime, timedelta, timezone

from xblocks.common import relative_dates as rel

START = datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc)
SUBMITTED = datetime(2027, 3, 10, 18, 0, tzinfo=timezone.utc)
FIXED = datetime(2027, 4, 1, tzinfo=timezone.utc)


def test_days_after_the_start_or_the_submission():
    assert rel.resolve(rel.Relative(14), START) == START + timedelta(days=14)
    assert rel.resolve(rel.Relative(1.5, rel.SUBMISSION), START, SUBMITTED) == SUBMITTED + timedelta(hours=36)


def test_no_date_without_days_or_without_the_anchor():
    assert rel.resolve(rel.Relative(0), START) is None  # 0 days: no deadline, as an empty fixed date
    assert rel.resolve(rel.Relative(7), None) is None  # no start known: none, as edx-when without a schedule
    assert rel.resolve(rel.Relative(7, rel.SUBMISSION), START, None) is None  # not submitted yet


def test_a_learner_who_starts_later_gets_later_dates():
    later = START + timedelta(days=40)
    assert rel.resolve(rel.Relative(14), later) - rel.resolve(rel.Relative(14), START) == timedelta(days=40)


def test_what_edx_when_can_hold_for_everyone():
    assert rel.registrable(rel.FIXED, FIXED, rel.Relative(14)) == FIXED
    assert rel.registrable(rel.RELATIVE, FIXED, rel.Relative(14)) == timedelta(days=14)
    assert rel.registrable(rel.RELATIVE, FIXED, rel.Relative(0)) is None
    # counted from the learner's submission: personal, edx-when has no such anchor
    assert rel.registrable(rel.RELATIVE, FIXED, rel.Relative(3, rel.SUBMISSION)) is None
