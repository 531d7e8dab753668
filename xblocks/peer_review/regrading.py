"""Rubric changes and regrading: a rubric edit never rewrites a grade by itself.

Every review is stored with the rubric it was made with (models.RubricVersion), and a grade is
computed with its reviews' rubric (review_service.evaluate). So:

- `check_change` (Studio's save): a new rubric whose scoring differs from the current one
  (criterion ids, option ids or points: rubric.scoring) while learners have reviews made with
  the current one is refused with 409 `rubric_in_use`, saying how many learners, unless the
  course team confirmed it. A wording-only edit (names, labels, explanations, comment
  settings) passes: the reviews made so far keep their wording. Either way, reviews stored
  before versions existed are pinned to the rubric they were made with before it changes.
  Confirming changes the rubric for reviews from now on; nobody is regraded.
- `regrade` (a staff action): recomputes the block's grades with the current rubric. A review
  made with another rubric is re-scored from the options it chose, when every scored
  criterion of the current rubric and the chosen option are still there (same ids);
  otherwise that learner keeps their grade, and is counted as not regraded. Changed final
  grades go to the gradebook (gradebook.sync, xblocks/common/seams.py section 6). It reads and
  writes in batches of 500: its cost grows with the learners it regrades, as it must (one grade
  signal per changed grade), never with the rest of the course.
"""
from xblocks.common.errors import ApiError, _

from . import gradebook, review_dates, review_store
from . import review_service as service
from . import rubric as rubrics


def check_change(block, new_rubric, confirmed):
    """Refuse an unconfirmed change of scoring while reviews use the current rubric (1 query);
    pin the old reviews to the current rubric when it changes at all (3 queries)."""
    current = block.rubric_in_use
    if rubrics.digest(new_rubric) == rubrics.digest(current):
        return
    usage_id = block.usage_key_str
    if rubrics.scoring(new_rubric) != rubrics.scoring(current) and not confirmed:
        count = review_store.learners_with_reviews(usage_id, current)
        if count:
            raise ApiError("rubric_in_use", _(
                "Learners who already have reviews made with the current rubric: {count}. The new criteria, "
                "options or points would apply to reviews from now on; those learners keep their grades unless "
                "you regrade them from the staff dashboard. Save the new rubric anyway?"),
                409, field="rubric", params={"count": count}, details={"count": count})
    review_store.pin_reviews(usage_id, current)


def regrade(block, moment):
    """Regrade the block's submitted works with the current rubric: counts of learners regraded,
    whose grade changed, and who keep their grade because their reviews cannot be re-scored."""
    usage_id = block.usage_key_str
    current = block.rubric_in_use
    digest = review_store.pin_reviews(usage_id, current)  # unpinned reviews were made with it
    changes, stuck = {}, set()
    for review in review_store.reviews_not_made_with(usage_id, digest):
        if review.submission_id in stuck:
            continue
        scored = rubrics.rescore(current, review.scores)
        if scored is None:
            stuck.add(review.submission_id)
            changes.pop(review.submission_id, None)
            continue
        changes.setdefault(review.submission_id, []).append((review.pk, *scored))
    review_store.rescore_reviews([change for found in changes.values() for change in found], digest)
    found = review_store.submissions_with_reviews(changes)
    passed = review_store.passed_training_of(usage_id, [s.user_id for s, _reviews in found]) \
        if block.training_enabled and block.training_examples else {}
    the_rubric = block.rubric_for_learners
    review_dates.prefetch_starts(block, [s.user_id for s, _reviews in found])  # relative dates: 1 query for all
    changed = 0
    for submission, reviews in found:
        before = (submission.grade_points, submission.grade_final)
        progress, grade = service.evaluate(block, the_rubric, submission, reviews, passed.get(submission.user_id, 0),
                                         moment, fresh=True)
        gradebook.sync(block, submission, progress, grade, moment, current_user=False)
        changed += (submission.grade_points, submission.grade_final) != before
    return {"regraded": len(found), "changed": changed, "not_regraded": len(stuck)}
