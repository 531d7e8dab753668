"""Peer review's step dates and the idea board's phases relative to each learner, on the
workbench, whose stand-in for the learners' starts is the Django setting
BIZMOOC_WORKBENCH_LEARNER_STARTS (seams.learner_starts; the LMS reads the learner's Schedule)."""
from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone as dj_timezone

from tests.conftest import LEARNER_A, LEARNER_B, STAFF, STUDIO_STAFF
from tests.creativity_lab.board_helpers import board_xml, idea, page, view_args
from tests.creativity_lab.board_helpers import post as board_post
from tests.peer_review.peer_helpers import peer_xml, state, submit
from tests.peer_review.test_peer_review_block import studio_values
from xblocks.common import seams
from xblocks.peer_review import review_dates

NOW = dj_timezone.now()
EARLY = NOW - timedelta(days=30)  # enrolled a month ago
LATE = NOW - timedelta(days=2)  # enrolled two days ago


def starts(**by_learner):
    return override_settings(BIZMOOC_WORKBENCH_LEARNER_STARTS={
        learner: moment.isoformat() for learner, moment in by_learner.items()})


@pytest.fixture
def enrolled():
    with starts(**{LEARNER_A: EARLY, LEARNER_B: LATE}):
        yield


def test_the_workbench_stand_in_names_only_the_learners_it_lists():
    with starts(**{LEARNER_A: EARLY}):
        assert seams.learner_starts("course", [LEARNER_A, LEARNER_B, None]) == {LEARNER_A: EARLY}
    with starts(**{"*": LATE}):
        assert seams.learner_starts("course", [LEARNER_B]) == {LEARNER_B: LATE}
    assert seams.learner_starts("course", [LEARNER_A]) == {}  # none configured: no start, no relative date


def test_a_late_enrollee_can_still_submit_where_a_fixed_date_has_closed(wb, enrolled):
    fixed = wb.load(peer_xml(submission_due=(NOW - timedelta(days=16)).isoformat()))
    assert submit(wb, fixed, LEARNER_B).error_code == "closed"  # the calendar date passed for everyone
    relative = wb.load(peer_xml(dates_mode="relative", submission_due_days=14))
    assert submit(wb, relative, LEARNER_A).error_code == "closed"  # 30 days ago + 14: passed
    assert submit(wb, relative, LEARNER_B).status == 200  # 2 days ago + 14: open
    due = {step["name"]: step["due"] for step in state(wb, relative, LEARNER_B)["steps"]}
    assert datetime.fromisoformat(due["submit"]) == LATE + timedelta(days=14)


def test_peer_reviews_due_after_the_learner_submitted(wb, enrolled):
    usage_id = wb.load(peer_xml(dates_mode="relative", peer_due_days=7, peer_due_from="submission",
                                reviews_to_give=1, reviews_needed=1))
    before = {step["name"]: step["due"] for step in state(wb, usage_id, LEARNER_B)["steps"]}
    assert before["peer"] is None  # not submitted yet: no date
    assert submit(wb, usage_id, LEARNER_B).status == 200
    dues = {step["name"]: step["due"] for step in state(wb, usage_id, LEARNER_B)["steps"]}
    peer_due = datetime.fromisoformat(dues["peer"])  # 7 days after the submission, just now
    assert NOW + timedelta(days=7) - timedelta(minutes=5) < peer_due <= dj_timezone.now() + timedelta(days=7)
    assert wb.block(usage_id, LEARNER_B).peer_due is None  # nothing fixed stored


def test_staff_pages_and_unknown_learners_have_no_relative_date(wb):
    usage_id = wb.load(peer_xml(dates_mode="relative", submission_due_days=1))
    block = wb.block(usage_id, STAFF)
    assert review_dates.step_dues(block, None) == {"submission_due": None, "peer_due": None, "self_due": None}
    assert submit(wb, usage_id, LEARNER_A).status == 200  # no start known (no schedule): no deadline, as the LMS


def test_studio_saves_the_choice_and_checks_the_days(wb):
    usage_id = wb.load(peer_xml())
    saved = wb.call(usage_id, "studio_submit", studio_values(dates_mode="relative", submission_due_days=21,
                                                             peer_due_days=7, peer_due_from="submission"),
                    user=STUDIO_STAFF)
    assert saved.json == {"saved": True}
    block = wb.block(usage_id, STAFF)
    assert (block.dates_mode, block.submission_due_days, block.peer_due_days, block.peer_due_from) == \
        ("relative", 21, 7, "submission")
    refused = wb.call(usage_id, "studio_submit", studio_values(submission_due_days=-1, peer_due_from="tomorrow"),
                      user=STUDIO_STAFF)
    assert refused.status == 400
    assert {f["field"] for f in refused.json["error"]["fields"]} == {"submission_due_days", "peer_due_from"}


def test_board_phases_follow_each_learners_own_window(wb, enrolled):
    usage_id = wb.load(board_xml(phase_mode="relative", vote_after_days=7, results_after_days=40))
    assert page(wb, usage_id, LEARNER_B) is not None
    late = view_args(wb, usage_id, LEARNER_B)["phase"]
    early = view_args(wb, usage_id, LEARNER_A)["phase"]
    assert (late["current"], early["current"]) == ("collect", "vote")
    assert datetime.fromisoformat(late["vote_start"]) == LATE + timedelta(days=7)
    assert datetime.fromisoformat(early["results_start"]) == EARLY + timedelta(days=40)
    # The mobile apps' block data is collected once for everyone: the days, not a learner's dates.
    mobile = wb.block(usage_id, LEARNER_B).student_view_data()["phase"]
    assert (mobile["vote_after_days"], mobile["results_after_days"], mobile["vote_start"]) == (7, 40, None)
    idea(wb, usage_id, "A late idea", user=LEARNER_B)  # the late learner still collects ideas
    refused = board_post(wb, usage_id, "post_idea", {"title": "Too late"}, user=LEARNER_A)
    assert refused.error_code == "wrong_phase"  # the early one is voting


def test_the_boards_author_view_says_the_phases_are_each_learners_days(wb):
    usage_id = wb.load(board_xml(phase_mode="relative", vote_after_days=7, results_after_days=40))
    html = wb.render(usage_id, STAFF, "author_view")
    assert "for each learner: days from their enrolment to the vote: 7, to the results: 40" in html
    assert "vote from" not in html


def test_board_relative_days_must_put_results_after_the_vote():
    from tests.creativity_lab.test_board_rules import settings
    from xblocks.creativity_lab.board_settings import SETTINGS

    _clean, problems = SETTINGS.check(settings(phase_mode="relative", vote_after_days=7, results_after_days=3))
    assert [p.field for p in problems] == ["results_after_days"]
    clean, problems = SETTINGS.check(settings(phase_mode="relative", vote_after_days=7, results_after_days=14))
    assert not problems and (clean["vote_after_days"], clean["results_after_days"]) == (7, 14)


def test_the_learners_start_is_asked_once_per_request_and_adds_no_query_here(wb, enrolled, monkeypatch):
    """In the LMS the start is 1 query (seams.learner_starts, checked on Teak); here: asked once
    per request whatever the steps read, and the stand-in adds no query to the fixed mode's."""
    from tests.queries import count_queries

    asked = []
    real = seams.learner_starts
    monkeypatch.setattr(seams, "learner_starts", lambda course, ids: asked.append(list(ids)) or real(course, ids))
    fixed = wb.load(peer_xml(submission_due=(NOW + timedelta(days=5)).isoformat(), self_enabled=True))
    relative = wb.load(peer_xml(dates_mode="relative", submission_due_days=14, peer_due_days=7,
                                peer_due_from="enrolment", self_enabled=True, self_due_days=9,
                                self_due_from="enrolment"))
    for usage_id in (fixed, relative):
        state(wb, usage_id, LEARNER_B)  # the first sight creates nothing; warm the runtime
    asked.clear()
    # the suite's own tables (the workbench's field storage answers a query per field read; the
    # LMS reads a block's settings from memory)
    _all, fixed_own, _result = count_queries(lambda: wb.call(fixed, "state", user=LEARNER_B, method="GET"),
                                             ("bizmooc_peer_review_",))
    assert asked == []  # fixed dates: the platform is not asked
    _all, relative_own, _result = count_queries(lambda: wb.call(relative, "state", user=LEARNER_B, method="GET"),
                                                ("bizmooc_peer_review_",))
    assert asked == [[LEARNER_B]] and relative_own == fixed_own > 0
    asked.clear()
    assert submit(wb, relative, LEARNER_B).status == 200
    assert len(asked) == 2  # the state read before the submit, then the submit: once each


def test_regrading_asks_for_every_learners_start_at_once(wb, enrolled, monkeypatch):
    asked = []
    real = seams.learner_starts
    monkeypatch.setattr(seams, "learner_starts", lambda course, ids: asked.append(sorted(ids)) or real(course, ids))
    block = wb.block(wb.load(peer_xml(dates_mode="relative", submission_due_days=14)), STAFF)
    review_dates.prefetch_starts(block, [LEARNER_A, LEARNER_B, "learner_c"])
    dues = [review_dates.step_dues(block, user)["submission_due"] for user in (LEARNER_A, LEARNER_B, "learner_c")]
    assert asked == [sorted([LEARNER_A, LEARNER_B, "learner_c"])]  # one question for all
    assert dues == [EARLY + timedelta(days=14), LATE + timedelta(days=14), None]
    fixed = wb.block(wb.load(peer_xml()), STAFF)
    review_dates.prefetch_starts(fixed, [LEARNER_A])
    assert len(asked) == 1  # fixed dates: nothing asked
