"""Peer review's step dates: fixed (the same calendar dates for everyone, as ORA2) or relative
to each learner (relative_dates.py), for self-paced courses where learners start at different
times (ORA2's issue #1940).

Relative: submissions are due N days after the learner's start in the course (their schedule
start, seams.learner_starts); peer and self reviews N days after the learner's start or after
the moment they submitted. 0 days is no deadline. The rules (workflow.py) see only the
resulting moments, through `review_service.settings_of`. What edx-when can hold for everyone
(fixed dates, and dates counted from the start) is registered with it on publish
(common/course_dates.py), so that the platform's dates API lists them for each learner.
"""
from xblocks.common import course_dates
from xblocks.common import relative_dates as rel

CATEGORY = "bizmooc_peer_review"
# edx-when field names (ContentDate.field) of the three step dates.
FIELDS = (("submission_due", "bizmooc_submission_due"), ("peer_due", "bizmooc_peer_due"),
          ("self_due", "bizmooc_self_due"))


def relative_of(block, step):
    """The relative date of a step ("submission_due", "peer_due", "self_due")."""
    if step == "submission_due":
        return rel.Relative(block.submission_due_days, rel.ENROLMENT)
    name = step[:-len("_due")]
    return rel.Relative(getattr(block, f"{name}_due_days"), getattr(block, f"{name}_due_from"))


def prefetch_starts(block, user_ids):
    """Relative dates: ask for many learners' starts at once (staff's regrading of every
    submission: 1 query whatever the number of learners)."""
    if block.dates_mode == rel.RELATIVE:
        course_dates.prefetch_starts(block, user_ids)


def step_dues(block, user_id=None, submitted_at=None):
    """{step: moment or None} of the learner's three step dates. Fixed: the block's dates (no
    query). Relative: counted from the learner's start (1 query, once per block and learner) or
    from `submitted_at`; without a learner (staff pages) there is none."""
    if block.dates_mode != rel.RELATIVE:
        return {step: getattr(block, step) for step, _field in FIELDS}
    start = course_dates.learner_start(block, user_id)
    return {step: rel.resolve(relative_of(block, step), start, submitted_at) for step, _field in FIELDS}


def date_items(block):
    """[(edx-when field, date)] of the block for everyone in the course (common/course_dates.py)."""
    return [(field, rel.registrable(block.dates_mode, getattr(block, step), relative_of(block, step)))
            for step, field in FIELDS]


course_dates.register_date_source(CATEGORY, date_items)
