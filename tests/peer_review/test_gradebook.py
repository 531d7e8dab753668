"""Final grades reach the platform's gradebook when they become final, in that same request,
whoever's request it is: with the LMS's own grade signal, SCORE_PUBLISHED, sent for the learner
the grade belongs to (xblocks/common/seams.py, 6). The platform is not installed here: the
`lms_grades` fixture (tests/conftest.py) stands in for it. The receiving side was checked by hand
on a Teak LMS (StudentModule and the subsection grade)."""
import logging
import sys

import pytest

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.peer_review.peer_helpers import FAIR, GOOD, POOR, get, peer_xml, review_next, state, submit
from xblocks.common import seams
from xblocks.peer_review.models import Submission

LEARNER_C = "learner_c"


@pytest.fixture
def three(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=2, graded=True, weight=2.0))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        assert submit(wb, usage_id, user).status == 200
    return usage_id


def test_the_last_review_puts_the_other_learners_grade_in_the_gradebook_in_that_request(wb, three, lms_grades):
    review_next(wb, three, LEARNER_A, GOOD)      # a reviews b, then c: a did their own reviews
    review_next(wb, three, LEARNER_A, GOOD)
    review_next(wb, three, LEARNER_B, POOR)      # b reviews a: one of two
    assert [sent for sent in lms_grades if sent[0] == LEARNER_A] == []
    before = len(lms_grades)
    review_next(wb, three, LEARNER_C, FAIR)      # c's review completes a's grade, in c's request
    # a has not opened the block since; the gradebook already has 3 of 10 (POOR 0 and FAIR 4:
    # medians 1 + 1 + 1), on this block, with its weight for the subsection.
    assert lms_grades[before:] == [(LEARNER_A, 3, 10, False, three, 2.0)]
    # a opening the block later: the page says 3 of 10, completion and the grade event for a, and
    # nothing more sent for the gradebook (it already holds that grade).
    looked = state(wb, three, LEARNER_A)
    assert looked["grade"]["points"] == 3 and looked["grade"]["final"]
    assert len(lms_grades) == before + 1
    assert ("grade", {"value": 3, "max_value": 10}) in [(e.type, e.data) for e in wb.events_of(three, LEARNER_A)]


def test_staff_override_and_reset_update_the_gradebook(wb, three, lms_grades):
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        review_next(wb, three, user, GOOD)
        review_next(wb, three, user, GOOD)
    assert (LEARNER_B, 8, 10, False, three, 2.0) in lms_grades
    public_id = str(Submission.objects.get(user_id=LEARNER_B).public_id)
    before = len(lms_grades)
    overridden = wb.call(three, "override_grade", {"submission": public_id, "points": 6.5, "reason": "Regraded"},
                         user=STAFF)
    assert overridden.status == 200
    assert lms_grades[before:] == [(LEARNER_B, 6.5, 10, False, three, 2.0)]
    assert wb.call(three, "reset_learner", {"submission": public_id}, user=STAFF).status == 200
    assert lms_grades[before + 1:] == [(LEARNER_B, 0, 10, True, three, 2.0)]
    assert Submission.objects.get(user_id=LEARNER_B).score_points is None


def test_a_staff_grade_reaches_the_gradebook_at_once(wb, lms_grades):
    usage_id = wb.load(peer_xml(peer_enabled=False, staff_enabled=True, graded=True))
    submit(wb, usage_id, LEARNER_A)
    public_id = str(Submission.objects.get(user_id=LEARNER_A).public_id)
    graded = wb.call(usage_id, "staff_grade", {"submission": public_id, "scores": FAIR, "comments": {},
                                               "feedback": "Fine."}, user=STAFF)
    assert graded.status == 200
    assert [(sent[0], sent[1], sent[2]) for sent in lms_grades] == [(LEARNER_A, 4, 10)]


def test_an_ungraded_peer_review_sends_nothing_to_the_gradebook(wb, lms_grades):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1, graded=False))
    for user in (LEARNER_A, LEARNER_B):
        submit(wb, usage_id, user)
    for user in (LEARNER_A, LEARNER_B):
        review_next(wb, usage_id, user, GOOD)
    assert Submission.objects.get(user_id=LEARNER_A).grade_final
    assert lms_grades == []


def test_outside_the_lms_the_review_still_counts_and_the_grade_is_sent_later(wb, three, lms_grades, monkeypatch,
                                                                            caplog):
    installed = sys.modules[seams.GRADES_SIGNAL_MODULE]
    monkeypatch.setitem(sys.modules, seams.GRADES_SIGNAL_MODULE, None)  # import_module raises ImportError
    for user in (LEARNER_A, LEARNER_B):
        review_next(wb, three, user, GOOD)
        review_next(wb, three, user, GOOD)
    with caplog.at_level(logging.INFO, logger="xblocks.common.seams"):
        review_next(wb, three, LEARNER_C, GOOD)
    assert "no LMS grades signal here" in caplog.text
    assert Submission.objects.get(user_id=LEARNER_A).grade_final
    assert Submission.objects.get(user_id=LEARNER_A).score_points is None   # sent once it can be
    monkeypatch.setitem(sys.modules, seams.GRADES_SIGNAL_MODULE, installed)
    assert get(wb, three, "state", user=LEARNER_A).json["grade"]["points"] == 8  # a's own visit publishes it
    assert ("grade", {"value": 8, "max_value": 10}) in [(e.type, e.data) for e in wb.events_of(three, LEARNER_A)]
    assert Submission.objects.get(user_id=LEARNER_A).score_points == 8


def test_a_receiver_that_fails_keeps_the_review_and_retries_later(wb, three, lms_grades, caplog):
    signal = sys.modules[seams.GRADES_SIGNAL_MODULE].SCORE_PUBLISHED

    def broken(sender, **kwargs):
        raise RuntimeError("grades app down")

    signal.connect(broken, weak=False, dispatch_uid="broken")
    try:
        for user in (LEARNER_A, LEARNER_B, LEARNER_C):
            review_next(wb, three, user, GOOD)
            assert review_next(wb, three, user, GOOD) is not None
    finally:
        signal.disconnect(dispatch_uid="broken")
    assert "the LMS did not take the grade" in caplog.text
    # the two grades that became final in another learner's request were not taken; the third
    # became final in its learner's own request and went with the runtime's grade event
    assert Submission.objects.filter(grade_final=True, score_points__isnull=True).count() == 2
    assert get(wb, three, "state", user=LEARNER_A).json["grade"]["final"]
    assert Submission.objects.get(user_id=LEARNER_A).score_points == 8
