"""The components' dates and the platform: the learners' starts, asked once per block, and the
components' dates in the platform's course dates (edx-when).

`learner_start(block, user_id)` / `prefetch_starts(block, user_ids)`: the learner's start in the
course (seams.learner_starts, 1 query in the LMS), remembered on the block for the request, so
that every rule that reads a learner's date asks the platform once.

Each component with dates registers a `date_items(block)` function for its block category
(`register_date_source`): it returns [(field name, date)] where a date is what
`relative_dates.registrable` gives (an aware datetime for a fixed date, a timedelta counted
from the learner's schedule start for a relative one, None for none). The field names are the
suite's own ("bizmooc_submission_due", ...), never the platform's `due`/`start`/`end`: the
platform's field data (edx_when/field_data.py) and its course-end cutoff read only those, and
its publish would otherwise treat them as its own.

When Studio publishes a course, the platform's `extract_dates` runs `set_dates_for_course`,
which deactivates every ContentDate it did not write (seams.py, section 9). `on_course_published`
runs after it (a receiver connected by the suite's plugin apps, which come after the platform's
apps) and writes the suite's dates again with edx-when's `set_date_for_block`: an unchanged date
is reactivated, a changed one gets its new policy, and a date the course team removed (or a
block deleted) stays inactive. A failure is logged, never raised into Studio's publish.
"""
import logging

from . import seams

log = logging.getLogger(__name__)

DISPATCH_UID = "bizmooc_course_dates"
_SOURCES = {}
_STARTS = "_bizmooc_learner_starts"


def prefetch_starts(block, user_ids):
    """Ask the platform for many learners' starts at once (1 query), remembered on the block."""
    starts = block.__dict__.setdefault(_STARTS, {})
    missing = [user_id for user_id in set(user_ids) if user_id and user_id not in starts]
    if missing:
        found = seams.learner_starts(block.course_key_str, missing)
        starts.update({user_id: found.get(user_id) for user_id in missing})
    return starts


def learner_start(block, user_id):
    """The learner's start in the course (None: none), asked once per block and learner."""
    return prefetch_starts(block, [user_id]).get(user_id) if user_id else None


def register_date_source(category, date_items):
    """`date_items(block)` -> [(field, datetime | timedelta | None)] for blocks of `category`."""
    _SOURCES[category] = date_items


def date_items_of(blocks):
    """[(usage key, field, date)] of the blocks, dates that are None left out."""
    items = []
    for block in blocks:
        source = _SOURCES.get(block.scope_ids.block_type)
        if source is None:
            continue
        for field, date in source(block):
            if date is not None:
                items.append((block.scope_ids.usage_id, field, date))
    return items


def register_dates(course_key, blocks):
    """Write the blocks' dates into edx-when (after the platform's set_dates_for_course); the
    ids of the ContentDates written."""
    from edx_when import api  # pylint: disable=import-outside-toplevel

    return [api.set_date_for_block(course_key, usage_key, field, date)
            for usage_key, field, date in date_items_of(blocks)]


def on_course_published(sender, course_key, **kwargs):  # pylint: disable=unused-argument
    """Studio's course_published: the suite's dates, registered again after the platform's."""
    try:
        register_dates(course_key, seams.published_blocks(course_key, list(_SOURCES)))
    except Exception:  # pylint: disable=broad-except
        log.exception("BizMOOC: the course dates of %s were not registered with edx-when", course_key)


def connect_course_dates_signal():
    """Connect `on_course_published` to Studio's course_published, once; True if connected."""
    signal = seams.course_published_signal()
    if signal is None:
        return False
    signal.connect(on_course_published, weak=False, dispatch_uid=DISPATCH_UID)
    return True
