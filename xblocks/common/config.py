"""Operator settings, read from Django's `XBLOCK_SETTINGS["bizmooc"]` with defaults.

Open edX operators set these in their LMS/CMS settings (the Tutor plugin writes them);
the workbench sets them in `devstack/settings.py`. Every limit a handler enforces is
here, so that operators can tune it without a code change.
"""
from django.conf import settings as django_settings

SETTINGS_KEY = "bizmooc"

DEFAULTS = {
    # Largest JSON body any handler accepts, in bytes; checked before parsing.
    "MAX_REQUEST_BYTES": 256 * 1024,
    # Hard ceiling on one journal answer, whatever the course team set as maximum words.
    "JOURNAL_MAX_CHARS": 50_000,
    "JOURNAL_MAX_WORDS_CEILING": 5_000,
    "JOURNAL_MAX_PROMPTS": 10,
    # Largest custom competence framework (JSON) a course team may import.
    "FRAMEWORK_MAX_BYTES": 100 * 1024,
    # The cohort average is shown only once this many learners answered (privacy).
    "COHORT_MIN_LEARNERS": 10,
    # Seconds a cohort average stays cached; a new answer invalidates it at once.
    "COHORT_CACHE_SECONDS": 600,
    # Business-model canvas: notes per canvas, characters per note, named snapshots per
    # canvas, and the largest canvas template (JSON) a course team may import.
    "CANVAS_MAX_NOTES": 300,
    "CANVAS_NOTE_MAX_CHARS": 280,
    "CANVAS_MAX_SNAPSHOTS": 20,
    "CANVAS_TEMPLATE_MAX_BYTES": 64 * 1024,
    # Idea board: characters of an idea's title and text and of a comment; ideas and
    # comments one learner may post per minute; flags that hide an idea or comment until
    # staff review it; ideas per page.
    "IDEA_TITLE_MAX_CHARS": 120,
    "IDEA_TEXT_MAX_CHARS": 2_000,
    "IDEA_COMMENT_MAX_CHARS": 1_000,
    "IDEA_POSTS_PER_MINUTE": 6,
    "IDEA_FLAGS_TO_HIDE": 3,
    "IDEA_PAGE_SIZE": 20,
    # Peer review: characters of a text submission and of a review comment; minutes a
    # reviewer holds a handed-out submission; the largest rubric (JSON) a course team may import.
    "PEER_SUBMISSION_MAX_CHARS": 100_000,
    "PEER_COMMENT_MAX_CHARS": 5_000,
    "PEER_LEASE_MINUTES": 60,
    "RUBRIC_MAX_BYTES": 64 * 1024,
    # Peer review uploads: the largest file a course team may allow (their own limit is at most
    # this), and the Django storage alias the files are written to ("default": Django's default
    # storage, which Open edX points at S3 or another object store through its STORAGES /
    # DEFAULT_FILE_STORAGE settings; see seams.file_storage).
    "PEER_FILE_MAX_BYTES": 20 * 1024 * 1024,
    "PEER_FILE_STORAGE": "default",
    # Rows per page in staff listings.
    "STAFF_PAGE_SIZE": 25,
    # Link pattern for "go to the unit" from a learner's journal. Open edX's jump_to
    # resolves any usage key; empty string disables links (the workbench has no units).
    "UNIT_URL_TEMPLATE": "/courses/{course_id}/jump_to/{usage_id}",
}


def get_setting(name):
    """The operator's value for `name`, or the default. Unknown names are a programming error."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown BizMOOC setting {name!r}")
    operator = getattr(django_settings, "XBLOCK_SETTINGS", {}).get(SETTINGS_KEY, {})
    return operator.get(name, DEFAULTS[name])
