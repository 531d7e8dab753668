"""Where a block sits: its course, its usage id, and its place in course order.

In Open edX usage ids are opaque keys with a `course_key`; in the workbench they are
plain strings and every block belongs to one pretend course, `WORKBENCH_COURSE`.
"""
from .config import get_setting

WORKBENCH_COURSE = "workbench"


def usage_id_of(block):
    return str(block.scope_ids.usage_id)


def course_id_of(block):
    course_key = getattr(block.scope_ids.usage_id, "course_key", None)
    return str(course_key) if course_key is not None else WORKBENCH_COURSE


def course_position(block):
    """A string that sorts blocks in course order: each ancestor's index among its siblings.

    Walks up the parents once (a handful of look-ups), so it is computed when a learner
    saves, never on a page view. Blocks without parents (a workbench scenario) sort by id.
    """
    parts = []
    child = block
    parent = child.get_parent() if child.parent else None
    while parent is not None:
        children = [str(c) for c in getattr(parent, "children", [])]
        index = children.index(str(child.scope_ids.usage_id)) if str(child.scope_ids.usage_id) in children else 0
        parts.append(f"{index:04d}")
        child = parent
        parent = child.get_parent() if child.parent else None
    return ".".join(reversed(parts)) + "|" + usage_id_of(block)


def unit_url(block_course_id, usage_id):
    """Link to the unit holding `usage_id`, or "" where the platform has no units."""
    template = get_setting("UNIT_URL_TEMPLATE")
    if not template or block_course_id == WORKBENCH_COURSE:
        return ""
    return template.format(course_id=block_course_id, usage_id=usage_id)
