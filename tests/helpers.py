"""Checks that every BizMOOC block's tests make the same way.

Why one module: DESIGN.md makes some promises for every block alike (here: events go through
`xblocks.common.events` and its allow-list only). Written once, the check is the same, and as
strict, for each block, and a block's test module says only that the promise holds for it.
"""
import pytest
from xblock.exceptions import NoSuchHandlerError

from xblocks.common import events


def assert_the_browser_cannot_choose_an_event(wb, usage_id):
    """No handler forwards an event type chosen by the browser, and the block refuses to publish
    anything off its allow-list (a grade included: grades go through their own code path)."""
    for handler in ("publish_event", "publish", "track"):
        with pytest.raises(NoSuchHandlerError):
            wb.call(usage_id, handler, {"event_type": "grade", "value": 1})
    block = wb.block(usage_id)
    for action in ("grade", "grade_hacked"):
        with pytest.raises(ValueError):
            events.publish_event(block, action, {"value": 100})
