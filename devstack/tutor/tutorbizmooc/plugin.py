"""Tutor plugin for the BizMOOC XBlocks: `tutor plugins enable bizmooc`.

Hook by hook (Tutor 22, Open edX Verawood):

- Install: the Dockerfile patch `openedx-dockerfile-post-python-requirements` installs
  BIZMOOC_PIP_REQUIREMENT (default `bizmooc-xblocks==<this version>`) into the openedx
  image's virtualenv. OPENEDX_EXTRA_PIP_REQUIREMENTS is the operator's own list: a plugin
  that wrote to it would be undone by any `tutor config save --set OPENEDX_EXTRA_...`.
- Develop: MOUNTED_DIRECTORIES marks a checkout folder named `bizmooc-xblocks` (or
  `bizmooc`) as a Python package of the openedx image, so `tutor mounts add` bind-mounts it
  at build time (`pip install -e /mnt/<name>`) and in the LMS/CMS containers at run time.
  While such a checkout is mounted, the index install above is skipped.
- Migrate: an init task runs `./manage.py lms migrate <label>` for each of the suite's
  Django plugin apps, after Tutor's own LMS task (which migrates every app already); it
  makes `tutor local do init --limit=bizmooc` migrate just the suite after an upgrade.
- Configure: the patch `openedx-common-settings` (rendered into the LMS and CMS settings,
  production and development) sets XBLOCK_SETTINGS["bizmooc"] from the BIZMOOC_* settings,
  merged into whatever XBLOCK_SETTINGS already holds.
"""
from __future__ import annotations

import os
import re
import shlex
import typing as t

from tutor import bindmount, exceptions, hooks

from .__about__ import __version__

SUITE = "bizmooc-xblocks"

# Labels of the suite's Django plugin apps that have migrations (`lms.djangoapp` entry points in
# setup.py; the analytics app has no models). The plugin's test checks this list against them.
DJANGO_APP_LABELS = [
    "bizmooc_learning_to_learn", "bizmooc_initiative_canvas", "bizmooc_creativity_lab", "bizmooc_peer_review",
    "bizmooc_notifications",
]

# Host folder names that `tutor mounts add /path/to/<name>` treats as a checkout of the suite.
# Tutor's own `.*[xX][bB]lock.*` rule happens to match "bizmooc-xblocks" too; this one does
# not depend on it and also accepts a checkout named "bizmooc".
MOUNT_NAME_PATTERN = r"bizmooc(-xblocks.*)?$"

# XBLOCK_SETTINGS["bizmooc"][NAME] is the Tutor setting BIZMOOC_<NAME>. The defaults are
# those of xblocks/common/config.py (the suite's tests fail when the two drift apart), except
# PEER_FILE_MAX_BYTES (see there).
XBLOCK_SETTINGS_DEFAULTS: dict[str, t.Any] = {
    "MAX_REQUEST_BYTES": 256 * 1024,
    "JOURNAL_MAX_CHARS": 50_000,
    "JOURNAL_MAX_WORDS_CEILING": 5_000,
    "JOURNAL_MAX_PROMPTS": 10,
    "FRAMEWORK_MAX_BYTES": 100 * 1024,
    "COHORT_MIN_LEARNERS": 10,
    "COHORT_CACHE_SECONDS": 600,
    "CANVAS_MAX_NOTES": 300,
    "CANVAS_NOTE_MAX_CHARS": 280,
    "CANVAS_MAX_SNAPSHOTS": 20,
    "CANVAS_TEMPLATE_MAX_BYTES": 64 * 1024,
    "IDEA_TITLE_MAX_CHARS": 120,
    "IDEA_TEXT_MAX_CHARS": 2_000,
    "IDEA_COMMENT_MAX_CHARS": 1_000,
    "IDEA_POSTS_PER_MINUTE": 6,
    "IDEA_FLAGS_TO_HIDE": 3,
    "IDEA_PAGE_SIZE": 20,
    "PEER_SUBMISSION_MAX_CHARS": 100_000,
    "PEER_COMMENT_MAX_CHARS": 5_000,
    "PEER_LEASE_MINUTES": 60,
    "RUBRIC_MAX_BYTES": 64 * 1024,
    # Tutor's Caddy takes request bodies of at most 4 MB on the LMS (`request_body { max_size
    # 4MB }` in its Caddyfile): a larger file would be refused there with a bare 413. Raise the
    # two together (a `caddyfile-lms` patch) to accept larger files.
    "PEER_FILE_MAX_BYTES": 4_000_000,
    "PEER_FILE_STORAGE": "default",
    "STAFF_PAGE_SIZE": 25,
    "UNIT_URL_TEMPLATE": "/courses/{course_id}/jump_to/{usage_id}",
}

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [
        ("BIZMOOC_PIP_REQUIREMENT", f"{SUITE}=={__version__}"),
        *((f"BIZMOOC_{name}", value) for name, value in XBLOCK_SETTINGS_DEFAULTS.items()),
    ]
)


def python_literal(value: t.Any, name: str) -> str:
    """BIZMOOC_<name>'s value as a Python literal; a value of the wrong type stops `tutor config save`."""
    expected = type(XBLOCK_SETTINGS_DEFAULTS[name])
    if expected is str and value is None:  # `--set BIZMOOC_X=` parses as null: an empty string is meant
        value = ""
    if type(value) is not expected or (expected is int and value < 0):
        kind = "a whole number >= 0" if expected is int else "a string"
        raise exceptions.TutorError(f"BIZMOOC_{name} must be {kind}, not {value!r}")
    return repr(value)


def is_suite_mounted(mounts: list[str]) -> bool:
    """Whether MOUNTS holds a checkout of the suite that Tutor installs at build time."""
    for mount in mounts:
        if bindmount.parse_explicit_mount(mount):
            continue  # "service:/host:/container" mounts exist at run time only
        name = os.path.basename(os.path.abspath(os.path.expanduser(mount)))
        if re.match(MOUNT_NAME_PATTERN, name):
            return True
    return False


hooks.Filters.ENV_TEMPLATE_FILTERS.add_items(
    [("bizmooc_python_literal", python_literal), ("bizmooc_shell_quote", shlex.quote)]
)
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_item(("bizmooc_is_suite_mounted", is_suite_mounted))

DOCKERFILE_PATCH = """\
{%- if BIZMOOC_PIP_REQUIREMENT and not bizmooc_is_suite_mounted(MOUNTS) %}
# BizMOOC XBlocks (tutor-contrib-bizmooc)
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install {{ BIZMOOC_PIP_REQUIREMENT|bizmooc_shell_quote }}
{%- endif %}"""

SETTINGS_PATCH = "\n".join(
    [
        "# BEGIN bizmooc-xblocks (tutor-contrib-bizmooc)",
        "# Operator settings of the BizMOOC XBlocks. Other blocks' XBLOCK_SETTINGS and any",
        "# \"bizmooc\" key this plugin does not set are kept.",
        'XBLOCK_SETTINGS = dict(globals().get("XBLOCK_SETTINGS") or {})',
        'XBLOCK_SETTINGS["bizmooc"] = {',
        '    **(XBLOCK_SETTINGS.get("bizmooc") or {}),',
        *(
            f'    "{name}": {{{{ BIZMOOC_{name}|bizmooc_python_literal("{name}") }}}},'
            for name in XBLOCK_SETTINGS_DEFAULTS
        ),
        "}",
        "# END bizmooc-xblocks",
    ]
)

hooks.Filters.ENV_PATCHES.add_items(
    [
        ("openedx-dockerfile-post-python-requirements", DOCKERFILE_PATCH),
        ("openedx-common-settings", SETTINGS_PATCH),
    ]
)

MIGRATE_TASK = "\n".join(
    [
        "dockerize -wait tcp://{{ MYSQL_HOST }}:{{ MYSQL_PORT }} -timeout 20s",
        'echo "Migrating the BizMOOC XBlocks apps"',
        *(f"./manage.py lms migrate {label}" for label in DJANGO_APP_LABELS),
    ]
)
# LOW: after Tutor's own LMS init task (default priority), which waits for the database.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", MIGRATE_TASK), priority=hooks.priorities.LOW)

hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", MOUNT_NAME_PATTERN))
