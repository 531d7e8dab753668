"""The idea board's phase dates: fixed (phase_mode "dates": the same calendar dates for the whole
board), by hand ("manual"), or relative to each learner ("relative").

A board's phases belong to a room, but in a self-paced course there is no moment when a room's
learners are all there: a fixed vote date leaves those who arrive after it with no time to
collect ideas, and "relative to the course start" is what fixed dates already are. So
"relative" gives each learner their own window: the vote opens N days after the learner's start
in the course (their schedule start, as the platform's relative dates: seams.learner_starts)
and the results M days after it. Rooms fill in the order learners arrive (board_store.join), so
the learners of a room started close together and their windows mostly overlap; ideas posted
by a room-mate still collecting appear to those already voting, who may still place dots on
them. Staff switching a phase by hand set it for everyone, as before. Someone without a start
(staff who are not enrolled, a learner without a schedule) has no relative date: their board
stays in the collect phase, as edx-when lists no relative date without a schedule.
"""
from xblocks.common import course_dates
from xblocks.common import relative_dates as rel

CATEGORY = "bizmooc_idea_board"
MANUAL = "manual"
# edx-when field names (ContentDate.field) of the two phase starts.
FIELDS = (("vote_start", "vote_after_days", "bizmooc_vote_start"),
          ("results_start", "results_after_days", "bizmooc_results_start"))


def phase_dates(block, user_id=None):
    """(vote start, results start) that apply to the learner `user_id`: the block's dates, or
    relative to the learner (1 query, once per block and learner); (None, None) without one."""
    if block.phase_mode != rel.RELATIVE:
        return block.vote_start, block.results_start
    start = course_dates.learner_start(block, user_id)
    return tuple(rel.resolve(rel.Relative(getattr(block, days)), start) for _fixed, days, _field in FIELDS)


def date_items(block):
    """[(edx-when field, date)] of the board for everyone in the course (common/course_dates.py):
    none when staff switch the phases by hand."""
    if block.phase_mode == MANUAL:
        return [(field, None) for _fixed, _days, field in FIELDS]
    mode = rel.RELATIVE if block.phase_mode == rel.RELATIVE else rel.FIXED
    return [(field, rel.registrable(mode, getattr(block, fixed), rel.Relative(getattr(block, days))))
            for fixed, days, field in FIELDS]


course_dates.register_date_source(CATEGORY, date_items)
