"""Completion, grade and analytics events, published from the server only.

Analytics events are named `bizmooc.<block>.<action>` and must be on the block's
allow-list: there is no handler that forwards an event type chosen by the browser.
"""


def publish_completion(block):
    """Tell the completion service the learner finished the block (`completion` event)."""
    block.runtime.publish(block, "completion", {"completion": 1.0})


def publish_grade(block, earned, possible=1.0, only_if_higher=None):
    """Report a grade; Open edX scales it by the block's weight."""
    event = {"value": earned, "max_value": possible}
    if only_if_higher is not None:
        event["only_if_higher"] = only_if_higher
    block.runtime.publish(block, "grade", event)


def publish_event(block, action, data):
    """Publish `bizmooc.<event_prefix>.<action>` if `action` is on the block's allow-list."""
    if action not in block.allowed_events:
        raise ValueError(f"{action!r} is not an allowed event of {block.event_prefix}")
    block.runtime.publish(block, f"bizmooc.{block.event_prefix}.{action}", data)
