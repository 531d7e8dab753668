"""Keeping a learner's stored grade and the platform's gradebook in step with the rules.

A grade becomes final in whoever's request completes it: the reviewer who gives the last
review a submission needs, the learner who finishes their own steps, staff grading or
overriding. `sync` stores the grade as evaluated and, when it is final and differs from what the
gradebook holds, sends it there with the LMS's own grade signal (xblocks/common/seams.py, 6), in
that same request, for the learner it belongs to, and tells them (notifications' grade_ready)
unless they are the one whose request it is. For the current user it also publishes completion
and the grade event, as before. `settle` does it for another learner's submission; `clear`
takes a grade back out (reset, removal).
"""
from xblocks.common import events, seams
from xblocks.notifications import api as notifications

from . import review_service as service
from . import review_store, workflow
from .models import SUBMITTED


def _store(submission, values):
    if values:
        review_store.mark(submission.pk, **values)
        for name, value in values.items():
            setattr(submission, name, value)


def _take_back(block, submission):
    """Send "nothing earned, score deleted" for the learner, as the platform's own "reset
    attempts" does. True when the LMS took it."""
    return seams.publish_learner_grade(block, submission.user_id, 0, block.rubric_in_use.max_points, deleted=True)


def gradebook_values(block, submission, grade):
    """What to change so that the gradebook holds `grade` (final) or nothing (otherwise);
    sends the grade to the LMS when something changes."""
    final = block.graded and grade is not None and grade.final
    if final and submission.score_points != grade.points:
        sent = seams.publish_learner_grade(block, submission.user_id, grade.points, grade.max)
        return {"score_points": grade.points} if sent else {}
    if not final and submission.score_points is not None and _take_back(block, submission):
        return {"score_points": None}
    return {}


def sync(block, submission, progress, grade, moment, current_user):
    """Store the evaluated grade of a submitted work; once final, into the gradebook.

    `current_user`: the submission is the caller's own, so completion and the grade event are
    published for them too (the runtime publishes for the current user only)."""
    if submission is None or submission.status != SUBMITTED:
        return
    values = {}
    settings = service.settings_of(block)
    progress = progress or service.progress_of(submission)
    if settings.peer and not submission.to_staff and workflow.goes_to_staff(settings, progress, moment):
        values["to_staff"] = True
    if grade is not None and (submission.grade_points, submission.grade_method, submission.grade_final) != \
            (grade.points, grade.method, grade.final):
        values.update(grade_points=grade.points, grade_method=grade.method, grade_final=grade.final)
    if grade is not None and grade.rubric and submission.grade_rubric_id != grade.rubric:
        values["grade_rubric_id"] = grade.rubric  # the rubric the stored grade was computed with
    if current_user and grade is not None and grade.final and submission.grade_published != grade.points:
        events.publish_completion(block)
        if block.graded:
            events.publish_grade(block, grade.points, grade.max)
        events.publish_event(block, "graded", {"submission": str(submission.public_id), "points": grade.points,
                                               "max": grade.max, "method": grade.method})
        values["grade_published"] = grade.points
        if block.graded:  # the runtime's grade event is the same LMS signal: the gradebook has it
            values["score_points"] = grade.points
    if "score_points" not in values:
        values.update(gradebook_values(block, submission, grade))
    if not current_user and grade is not None and grade.final and "grade_points" in values:
        # Final in someone else's request (the last review, staff): the learner is told (2 queries).
        notifications.grade_ready(block, submission.user_id, grade.points, grade.max)
    _store(submission, values)


def settle(block, submission_id, the_rubric, moment):
    """Evaluate another learner's submission after a change made in this request (a review of
    it) and sync it: 2 queries (+1 with training, +2 for a calibrated grade), more only when
    its grade changes."""
    submission = review_store.submission_by_pk(submission_id)
    if submission is None or submission.status != SUBMITTED:
        return None
    training_passed = review_store.passed_training(submission.usage_id, submission.user_id) \
        if block.training_enabled and block.training_examples else 0
    reviews = review_store.reviews_of(submission)
    progress, grade = service.evaluate(block, the_rubric, submission, reviews, training_passed, moment)
    sync(block, submission, progress, grade, moment, current_user=False)
    return grade


def clear(block, submission):
    """The work was reset or removed: the gradebook's score is taken back (the caller resets the row)."""
    if submission.score_points is not None:
        _take_back(block, submission)
