"""Workbench settings for the embedded default: the xblock-sdk workbench on SQLite.

Starts from `workbench.settings` and adds what Open edX would give the suite: its
plugin apps in INSTALLED_APPS, its XBLOCK_SETTINGS, the platform's runtime services and
collected static files (devstack/urls.py), and a page template with a language, a title and
landmarks (so accessibility checks judge our blocks, not the workbench page).
`BIZMOOC_DB_PATH` moves the SQLite file (tests use a throwaway one).
"""
import importlib.metadata
import os
from pathlib import Path

import django

# Only the BizMOOC scenarios on the index page (the SDK's samples stay loadable by URL).
os.environ.setdefault("EXCLUDE_SAMPLE_XBLOCKS", "yes")

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

DEVSTACK_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BIZMOOC_VAR_DIR", DEVSTACK_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

def _plugin_apps():
    """The suite's Django apps as Open edX finds them: the `lms.djangoapp` entry points of the
    installed distribution (edx_django_utils.plugins reads the same), so setup.py is the one
    list of them."""
    found = importlib.metadata.distribution("bizmooc-xblocks").entry_points
    return sorted(point.value.replace(":", ".") for point in found if point.group == "lms.djangoapp")


BIZMOOC_APPS = _plugin_apps()
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django.contrib.admin"] + BIZMOOC_APPS + [
    "django.contrib.admin",
]

# Handlers read, then write, in one transaction. SQLite refuses such a transaction at once
# ("database is locked") while another one writes; IMMEDIATE takes the write lock first, so
# concurrent learners queue instead of getting an error. Django 4.2 (Teak's) has no such
# option: there, concurrent writers may see that error (production runs MySQL).
SQLITE_OPTIONS = {"timeout": 20}
if django.VERSION >= (5, 1):
    SQLITE_OPTIONS["transaction_mode"] = "IMMEDIATE"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BIZMOOC_DB_PATH", str(VAR_DIR / "workbench.db")),
        "OPTIONS": SQLITE_OPTIONS,
    }
}

TEMPLATES[0]["DIRS"] = [str(DEVSTACK_DIR / "templates")] + TEMPLATES[0]["DIRS"]

# The course team: workbench learners whose id is listed here are course staff in the LMS
# and may save the editor in Studio (Open edX has real roles; devstack/platform_services.py).
WORKBENCH_STAFF_IDS = ["course_staff"]

# The stand-in for the learners' starts in a course, which relative dates count from (in the LMS:
# the learner's Schedule, xblocks/common/seams.py section 9): {workbench learner id or "*": ISO
# date}. Empty: nobody has a start, so components set to relative dates show no deadline, as a
# learner without a Schedule in the LMS. E.g. {"*": "2027-03-01"} to try relative dates.
BIZMOOC_WORKBENCH_LEARNER_STARTS = {}

XBLOCK_SETTINGS = {
    "bizmooc": {
        "UNIT_URL_TEMPLATE": "",
        # Demo only: let two workbench learners see a cohort average (Open edX default: 10).
        "COHORT_MIN_LEARNERS": 2,
    }
}

LANGUAGES = [
    ("en", "English"), ("de", "Deutsch"), ("es", "Español"), ("pl", "Polski"),
    ("bg", "Български"), ("sk", "Slovenčina"), ("it", "Italiano"),
]
# A learner picks the language on the workbench page (cookie), as in the LMS header.
ROOT_URLCONF = "devstack.urls"
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
                  "django.middleware.locale.LocaleMiddleware")
# The i18n, user and Studio permission services: devstack/platform_services.py.
# Blocks' JS and CSS, collected as the platform collects them (devstack/static_files.py).
STATIC_ROOT = os.environ.get("BIZMOOC_STATIC_ROOT", str(VAR_DIR / "static"))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "devstack.static_files.BlockPackageFinder",
]
USE_TZ = True
TIME_ZONE = "UTC"
# Learners' uploads (peer review's files) go through Django's default storage, here the file
# system under var/media (the tests' var dir is a temp dir); Open edX points it at S3 or
# another object store (xblocks/common/seams.py: file_storage). Never served from MEDIA_URL:
# only the block's `file` handler reads them.
MEDIA_ROOT = str(VAR_DIR / "media")

LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")  # noqa: F405
# The SDK logs every SQL statement at DEBUG; requests and errors are what a developer reads.
LOGGING["loggers"]["django"]["level"] = "INFO"  # noqa: F405

# Notifications (xblocks/notifications): edx-ace renders and "sends" through Django's mail, which
# here writes files under var/emails instead of sending (the LMS's Tutor default is django_email
# with SMTP). Workbench learners are no platform users, so nothing is sent: /notifications/ shows
# what would have been, from the outbox.
ACE_ENABLED_CHANNELS = ["django_email"]
ACE_CHANNEL_DEFAULT_EMAIL = ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
ACE_ENABLED_POLICIES = []
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(VAR_DIR / "emails")
