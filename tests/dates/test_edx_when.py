"""The components' dates in the platform's course dates, on the real edx-when (its models,
migrations and API, as the LMS and Studio install it).

The platform parts are what edx-when itself offers: `set_dates_for_course` is the call the
platform's publish makes (course_date_signals/handlers.py: extract_dates), made here with
edx-when's own API in the order the platform makes it, and a learner's schedule is given to
edx-when as the platform's Schedule would be (an object with `start_date` and `created`)."""
from collections import namedtuple
from datetime import datetime, timedelta, timezone

import pytest
from django.dispatch import Signal
from edx_when import api, models
from opaque_keys.edx.keys import CourseKey
from xblock.fields import ScopeIds

from tests.conftest import STAFF
from tests.creativity_lab.board_helpers import board_xml
from tests.peer_review.peer_helpers import peer_xml
from xblocks.common import course_dates, relative_dates, seams
from xblocks.creativity_lab import board_dates  # noqa: F401  (registers the board's date source)
from xblocks.peer_review import review_dates

COURSE = CourseKey.from_string("course-v1:BizMOOC+DATES+2027")
PEER_KEY = COURSE.make_usage_key("bizmooc_peer_review", "pitch")
BOARD_KEY = COURSE.make_usage_key("bizmooc_idea_board", "ideas")
SUBSECTION = COURSE.make_usage_key("sequential", "week1")
DUE = datetime(2027, 4, 1, 12, 0, tzinfo=timezone.utc)
VOTE = datetime(2027, 4, 8, tzinfo=timezone.utc)
# What edx-when reads of the platform's Schedule (DatePolicy.actual_date).
Schedule = namedtuple("Schedule", "start_date created")
EARLY = Schedule(datetime(2027, 3, 1, tzinfo=timezone.utc), datetime(2027, 3, 1, tzinfo=timezone.utc))
LATE = Schedule(datetime(2027, 5, 20, tzinfo=timezone.utc), datetime(2027, 5, 20, tzinfo=timezone.utc))


class InCourse:
    """A workbench block as the modulestore hands it out in a course: the same block, keyed by
    an opaque usage key (edx-when takes those; the workbench's ids are not)."""

    def __init__(self, block, usage_key):
        self.__dict__["_block"] = block
        self.__dict__["scope_ids"] = ScopeIds(None, usage_key.block_type, usage_key, usage_key)

    def __getattr__(self, name):
        return getattr(self._block, name)

    def __setattr__(self, name, value):
        setattr(self._block, name, value)


def as_course_block(wb, xml, usage_key):
    return InCourse(wb.block(wb.load(xml), STAFF), usage_key)


@pytest.fixture
def blocks(wb):
    peer = as_course_block(wb, peer_xml(submission_due=DUE.isoformat(), dates_mode="fixed"), PEER_KEY)
    board = as_course_block(wb, board_xml(phase_mode="dates", vote_start=VOTE.isoformat()), BOARD_KEY)
    return [peer, board]


def active():
    return {(str(cd.location), cd.field): cd for cd in models.ContentDate.objects.filter(course_id=COURSE, active=True)
            .select_related("policy")}


def test_fixed_dates_round_trip_through_edx_when(blocks):
    course_dates.register_dates(COURSE, blocks)
    dates = api.get_dates_for_course(COURSE, use_cached=False)
    assert dates[(PEER_KEY, "bizmooc_submission_due")] == DUE
    assert dates[(BOARD_KEY, "bizmooc_vote_start")] == VOTE
    assert (PEER_KEY, "bizmooc_peer_due") not in dates  # no date, nothing registered
    assert api.get_date_for_block(COURSE, PEER_KEY, "bizmooc_submission_due") == DUE


def test_relative_dates_are_rel_date_policies_resolved_against_the_learners_schedule(wb, blocks):
    peer, board = blocks
    peer.dates_mode, peer.submission_due_days, peer.peer_due_days, peer.peer_due_from = \
        relative_dates.RELATIVE, 14, 21, relative_dates.ENROLMENT
    peer.self_due_days, peer.self_due_from = 3, relative_dates.SUBMISSION  # personal: not registered
    board.phase_mode, board.vote_after_days, board.results_after_days = "relative", 7, 28
    course_dates.register_dates(COURSE, blocks)
    rows = active()
    assert rows[(str(PEER_KEY), "bizmooc_submission_due")].policy.rel_date == timedelta(days=14)
    assert rows[(str(PEER_KEY), "bizmooc_peer_due")].policy.rel_date == timedelta(days=21)
    assert rows[(str(BOARD_KEY), "bizmooc_results_start")].policy.rel_date == timedelta(days=28)
    assert (str(PEER_KEY), "bizmooc_self_due") not in rows
    # edx-when's own resolution (what get_dates_for_course does for a learner) is the suite's
    policy = rows[(str(PEER_KEY), "bizmooc_submission_due")].policy
    assert policy.actual_date(EARLY) == EARLY.start_date + timedelta(days=14) == \
        relative_dates.resolve(relative_dates.Relative(14), EARLY.start_date)
    # a learner who enrolled later gets later dates
    assert policy.actual_date(LATE) - policy.actual_date(EARLY) == LATE.start_date - EARLY.start_date
    with pytest.raises(models.MissingScheduleError):
        policy.actual_date(None)  # no schedule, no date: the suite gives none either (seams.learner_starts)


def test_the_platforms_publish_alone_deactivates_ours(blocks):
    course_dates.register_dates(COURSE, blocks)
    api.set_dates_for_course(COURSE, [(SUBSECTION, {"due": DUE})])  # the platform's extract_dates
    assert set(active()) == {(str(SUBSECTION), "due")}


def test_publish_keeps_our_dates_when_our_receiver_runs_after_the_platforms(monkeypatch, blocks):
    """As in Studio: the platform's receiver is connected first (its app comes first in
    INSTALLED_APPS), the suite's plugin app connects after it; send_robust calls them in order."""
    course_published = Signal()

    def extract_dates(sender, course_key, **kwargs):
        api.set_dates_for_course(course_key, [(SUBSECTION, {"due": DUE})])

    course_published.connect(extract_dates, weak=False)
    monkeypatch.setattr(seams, "course_published_signal", lambda: course_published)
    monkeypatch.setattr(seams, "published_blocks", lambda course_key, categories: blocks)
    assert course_dates.connect_course_dates_signal()
    course_dates.register_dates(COURSE, blocks)  # the previous publish
    for _receiver, answer in course_published.send_robust(sender=None, course_key=COURSE):
        assert not isinstance(answer, Exception), answer
    assert set(active()) == {(str(SUBSECTION), "due"), (str(PEER_KEY), "bizmooc_submission_due"),
                             (str(BOARD_KEY), "bizmooc_vote_start")}
    dates = api.get_dates_for_course(COURSE, use_cached=False)
    assert dates[(PEER_KEY, "bizmooc_submission_due")] == DUE and dates[(SUBSECTION, "due")] == DUE

    # the course team switches the board to phases by hand and publishes: its dates stay inactive
    blocks[1].phase_mode = "manual"
    course_published.send_robust(sender=None, course_key=COURSE)
    assert (str(BOARD_KEY), "bizmooc_vote_start") not in active()
    assert (str(PEER_KEY), "bizmooc_submission_due") in active()


def test_a_failing_registration_never_breaks_the_publish(monkeypatch, caplog):
    def broken(course_key, categories):
        raise RuntimeError("modulestore unavailable")

    monkeypatch.setattr(seams, "published_blocks", broken)
    course_dates.on_course_published(None, course_key=COURSE)
    assert "were not registered with edx-when" in caplog.text


def test_date_items_name_the_suites_own_fields(blocks):
    peer, _board = blocks
    assert [field for field, _date in review_dates.date_items(peer)] == [
        "bizmooc_submission_due", "bizmooc_peer_due", "bizmooc_self_due"]
    assert not set(field for field, _date in review_dates.date_items(peer)) & set(api.FIELDS_TO_EXTRACT)
