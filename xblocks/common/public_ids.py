"""Public ids: the random UUIDs by which learners' work (canvases, snapshots, journal
entries, ideas, comments, submissions, reviews, leases) is named in URLs, handler bodies and
artefact references. Unlike database keys they reveal nothing and cannot be guessed; unlike
anonymous user ids they never name the author. Text from a request or another component is
parsed here, once, so that a malformed id is "not found", never a 500."""
import uuid

from .errors import not_found


def parse_public_id(value):
    """The UUID `value` names, or None when it names none (malformed, empty, None)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def public_id_or_404(value, message, code="not_found"):
    """The UUID `value` names; a 404 ApiError with `message` (a `_()` phrase) otherwise."""
    parsed = parse_public_id(value)
    if parsed is None:
        raise not_found(message, code=code)
    return parsed
