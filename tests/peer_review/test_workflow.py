"""The learner's step, the progress and the grade, on plain values."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from xblocks.peer_review import rubric, workflow
from xblocks.peer_review.workflow import Progress, Settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
RUBRIC = rubric.template("general")[1]  # ideas 0/1/3/5, evidence 0/1/3, organisation 0/2: max 10
PEER = Settings(reviews_to_give=2, reviews_needed=3)
SUBMITTED = Progress(status="submitted", submitted_at=NOW - timedelta(hours=5), given=2, received=3)


def pts(ideas, evidence, organisation):
    return {"ideas": ideas, "evidence": evidence, "organisation": organisation}


def test_steps_in_order_submit_training_peer_self_waiting_done():
    settings = Settings(training=True, training_total=2, self_review=True, reviews_to_give=2, reviews_needed=2)
    assert workflow.current_step(settings, Progress(), NOW) == "submit"
    assert workflow.current_step(settings, Progress(status="draft"), NOW) == "submit"
    progress = Progress(status="submitted", submitted_at=NOW)
    assert workflow.current_step(settings, progress, NOW) == "training"
    progress = replace(progress, training_passed=2)
    assert workflow.current_step(settings, progress, NOW) == "peer"
    progress = replace(progress, given=2)
    assert workflow.current_step(settings, progress, NOW) == "self"
    progress = replace(progress, self_done=True)
    assert workflow.current_step(settings, progress, NOW) == "waiting"
    assert workflow.current_step(settings, progress, NOW, grade_final=True) == "done"
    listed = workflow.steps(settings, progress, NOW, "waiting")
    assert [(s["name"], s["status"]) for s in listed] == [
        ("submit", "done"), ("training", "done"), ("peer", "done"), ("self", "done")]


def test_dates_close_steps():
    settings = Settings(submission_due=NOW - timedelta(days=1), peer_due=NOW - timedelta(hours=1), self_review=True)
    assert workflow.current_step(settings, Progress(), NOW) == "closed"
    assert workflow.steps(settings, Progress(), NOW, "closed")[0]["status"] == "closed"
    progress = Progress(status="submitted", submitted_at=NOW - timedelta(days=2))
    assert workflow.current_step(settings, progress, NOW) == "self"  # the peer step closed: on to the next
    assert workflow.current_step(settings, Progress(status="removed"), NOW) == "closed"


def test_median_per_criterion_added_up_ora2_rounding():
    grade = workflow.grade(RUBRIC, PEER, SUBMITTED, NOW, peer=[pts(5, 3, 2), pts(1, 0, 0), pts(3, 1, 2)])
    assert (grade.final, grade.method, grade.points, grade.max) == (True, "median", 3 + 1 + 2, 10)
    assert [(c.id, p, m) for c, p, m in grade.per_criterion] == [("ideas", 3, 5), ("evidence", 1, 3),
                                                               ("organisation", 2, 2)]
    assert "median of 3 peer reviews" in grade.explanation.translated() and "6 of 10" in grade.explanation.translated()
    # An even count: between 1 and 3 the median is 2 (whole already); between 0 and 1 it rounds up to 1.
    four = workflow.grade(RUBRIC, PEER, replace(SUBMITTED, received=4), NOW,
                          peer=[pts(0, 0, 0), pts(1, 1, 0), pts(3, 1, 2), pts(5, 3, 2)])
    assert [p for _c, p, _m in four.per_criterion] == [2, 1, 1]


def test_not_final_until_the_learner_gave_their_own_reviews():
    progress = replace(SUBMITTED, given=1)
    grade = workflow.grade(RUBRIC, PEER, progress, NOW, peer=[pts(5, 3, 2)] * 3)
    assert grade.points == 10 and not grade.final


def test_short_of_reviews_waits_then_counts_fewer_or_goes_to_staff():
    short = replace(SUBMITTED, received=1, submitted_at=NOW - timedelta(days=1))
    peer = [pts(5, 3, 2)]
    assert workflow.grade(RUBRIC, PEER, short, NOW, peer=peer) is None
    late = replace(short, submitted_at=NOW - timedelta(days=4))
    fewer = workflow.grade(RUBRIC, PEER, late, NOW, peer=peer)
    assert (fewer.method, fewer.final, fewer.points) == ("fewer", True, 10)
    assert "Only 1 of 3 peer reviews arrived within 3 days" in fewer.explanation.translated()
    to_staff = replace(PEER, wait_action="staff")
    assert workflow.goes_to_staff(to_staff, late, NOW) and not workflow.goes_to_staff(to_staff, short, NOW)
    assert workflow.grade(RUBRIC, to_staff, late, NOW, peer=peer) is None
    staff = workflow.grade(RUBRIC, to_staff, late, NOW, peer=peer, staff=pts(3, 3, 2))
    assert (staff.method, staff.final, staff.points) == ("staff", True, 8)
    # No review at all after the wait: nothing to count, still waiting.
    assert workflow.grade(RUBRIC, PEER, replace(late, received=0), NOW, peer=[]) is None


def test_staff_step_makes_the_staff_grade_final_and_override_wins():
    settings = replace(PEER, staff=True)
    assert workflow.grade(RUBRIC, settings, SUBMITTED, NOW, peer=[pts(5, 3, 2)] * 3) is None
    grade = workflow.grade(RUBRIC, settings, SUBMITTED, NOW, peer=[pts(5, 3, 2)] * 3, staff=pts(1, 1, 2))
    assert (grade.method, grade.points, grade.final) == ("staff", 4, True)
    override = workflow.grade(RUBRIC, settings, SUBMITTED, NOW, staff=pts(1, 1, 2), override=(7.5, "Re-marked"))
    assert (override.method, override.points, override.final) == ("override", 7.5, True)
    assert "Reason: Re-marked" in override.explanation.translated()


def test_calibrated_total_and_self_only():
    grade = workflow.grade(RUBRIC, replace(PEER, grading_method="calibrated"), SUBMITTED, NOW,
                           peer=[pts(5, 3, 2), pts(3, 3, 2), pts(5, 1, 2)], calibrated=8.456)
    assert (grade.method, grade.points) == ("calibrated", 8.46)
    assert "how strict and how consistent" in grade.explanation.translated()
    self_only = Settings(peer=False, self_review=True)
    progress = Progress(status="submitted", submitted_at=NOW, self_done=True)
    grade = workflow.grade(RUBRIC, self_only, progress, NOW, self_review=pts(3, 1, 0))
    assert (grade.method, grade.points, grade.final) == ("self", 4, True)


def test_the_median_tables_criteria_add_up_to_the_total_shown():
    grade = workflow.grade(RUBRIC, PEER, SUBMITTED, NOW, peer=[pts(5, 3, 2), pts(3, 1, 0), pts(1, 3, 2)])
    assert (grade.method, grade.points) == ("median", 8)
    assert sum(points for _c, points, _m in grade.per_criterion) == grade.points
    assert "added up: 8 of 10 points" in grade.explanation.translated()


def test_a_median_grade_is_never_above_the_best_review_and_says_why():
    # Each review leaves out a different criterion: the medians (5, 3, 2) add up to 10, but no
    # review gave more than 8. The grade is 8, and the sentence shows the 10 the table adds up to.
    grade = workflow.grade(RUBRIC, PEER, SUBMITTED, NOW, peer=[pts(5, 3, 0), pts(5, 0, 2), pts(0, 3, 2)])
    assert [points for _c, points, _m in grade.per_criterion] == [5, 3, 2]
    assert (grade.method, grade.points) == ("median", 8)
    assert grade.explanation.translated() == (
        "The medians of 3 peer reviews for each criterion add up to 10, outside the totals of the reviews (5 to 8), "
        "so the grade is the nearest of those: 8 of 10 points.")
    low = workflow.grade(RUBRIC, PEER, SUBMITTED, NOW, peer=[pts(5, 0, 0), pts(0, 3, 0), pts(0, 0, 2)])
    assert ([points for _c, points, _m in low.per_criterion], low.points) == ([0, 0, 0], 2)


def test_received_0_and_4_never_gives_more_than_4_with_either_method():
    two = Settings(reviews_to_give=2, reviews_needed=2)
    peer = [pts(0, 0, 0), pts(1, 1, 2)]
    median = workflow.grade(RUBRIC, two, SUBMITTED, NOW, peer=peer)
    assert median.method == "median" and 0 <= median.points <= 4
    calibrated = workflow.grade(RUBRIC, replace(two, grading_method="calibrated"), SUBMITTED, NOW, peer=peer,
                                calibrated=4.67)
    assert (calibrated.method, calibrated.points) == ("calibrated", 4)
    text = calibrated.explanation.translated()
    assert text.startswith("Calibrated from all reviews") and "(0 to 4)" in text
    assert "The table shows the reviewers' median for each criterion." in text


def test_calibrated_setting_below_the_rule_is_the_median_and_says_so():
    settings = replace(PEER, grading_method="calibrated")
    grade = workflow.grade(RUBRIC, settings, SUBMITTED, NOW, peer=[pts(5, 3, 2), pts(3, 1, 0), pts(1, 3, 2)],
                           calibrated=None)
    assert (grade.method, grade.points) == ("median", 8)
    assert grade.explanation.translated() == (
        "Median of the reviews: calibration starts once more learners have reviewed each other's work. "
        "The median of 3 peer reviews for each criterion, added up: 8 of 10 points.")
