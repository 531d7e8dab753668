"""Every place where the suite meets the Open edX platform, in one module.

Each section names the platform code it mirrors (edx-platform, read and tried on Teak 20.0.0).
When a platform release changes one of them, this is the module to check,
and the devstack (devstack/platform_services.py, devstack/static_files.py) is made to
behave the same way, so that the workbench is never kinder than the platform.

1. Identity: the `user` service's attributes, in the LMS and in Studio.
2. Permissions: who may change a block's settings (Studio's `studio_user_permissions`).
3. Translations: where the i18n service looks for a block's catalogue.
4. Static files: which URL a block's JS/CSS gets, and what `collectstatic` copies.
5. Retirement: the signal the LMS sends when a learner is retired.
6. Grades for a learner other than the current user: the LMS's grade signal.
7. Notifications: learners by anonymous id in bulk, their language, the platform's notification event.
8. Learners' usernames, for course staff.
9. Dates: each learner's start, for relative dates.
10. File storage: where learners' uploads are written (peer review).
"""
import importlib.resources
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.db import transaction
from django.utils import translation

from .config import get_setting

log = logging.getLogger(__name__)

# 1. Identity ------------------------------------------------------------------------------
# common/djangoapps/xblock_django/constants.py (ATTR_KEY_*), filled by
# common/djangoapps/xblock_django/user_service.py: DjangoXBlockUserService.
#  - LMS (lms/djangoapps/courseware/block_render.py): the learner's anonymous id in the course,
#    user_is_staff for course staff, is_authenticated, user_id, username.
#  - Studio, editing (cms/djangoapps/contentstore/utils.py: load_services_for_studio):
#    DjangoXBlockUserService(user) with no other argument, so anonymous_user_id is None and
#    user_is_staff False, while is_authenticated, user_id and username are set.
#  - A visitor who is not signed in: only is_authenticated False.
# The deprecated `runtime.anonymous_student_id` is never read.
ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
IS_AUTHENTICATED = "edx-platform.is_authenticated"
USER_ID = "edx-platform.user_id"
USERNAME = "edx-platform.username"
USER_IS_STAFF = "edx-platform.user_is_staff"


@dataclass(frozen=True)
class Caller:
    """The person behind a request.

    `user_id` is the anonymous id learner data is keyed by: None for a visitor who is not
    signed in, and None in Studio, where nobody acts as a learner. `account_id` is the
    platform's user id, set for anyone signed in (Studio included); it is only ever used to
    ask the platform about permissions, never stored.
    """

    user_id: str | None
    is_staff: bool = False
    username: str | None = None
    account_id: str | None = None

    @property
    def is_authenticated(self):
        return bool(self.user_id)

    @property
    def is_signed_in(self):
        return bool(self.user_id or self.account_id)


def display_name_of(block):
    """The current user's name as the platform shows it to them: the full name of their profile
    (`XBlockUser.full_name`, set by the LMS's user service), else their username; "" if neither
    is known. Only for the user themselves (their printable pages), never for others."""
    user_service = block.runtime.service(block, "user")
    user = user_service.get_current_user() if user_service else None
    attrs = getattr(user, "opt_attrs", None) or {}
    return (getattr(user, "full_name", None) or attrs.get(USERNAME) or "").strip()


def caller_of(block):
    """Identify the current user of `block` through its `user` service, as the platform fills it.

    Only where there is a user: the runtime of the platform's publish work (block structures,
    which collect `student_view_data`) has no user service and raises NoSuchServiceError,
    so nothing reached from `student_view_data` may call this (devstack PublishRuntime,
    tests/common/test_mobile_data.py)."""
    user_service = block.runtime.service(block, "user")
    user = user_service.get_current_user() if user_service else None
    attrs = getattr(user, "opt_attrs", None) or {}
    if not attrs.get(IS_AUTHENTICATED):
        return Caller(user_id=None)
    anonymous_id = attrs.get(ANONYMOUS_USER_ID) or None
    account_id = attrs.get(USER_ID)
    return Caller(
        user_id=str(anonymous_id) if anonymous_id else None,
        is_staff=bool(attrs.get(USER_IS_STAFF)) and bool(anonymous_id),
        username=attrs.get(USERNAME),
        account_id=str(account_id) if account_id not in (None, "") else None,
    )


# 2. Permissions ---------------------------------------------------------------------------
# Studio's component handler (cms/djangoapps/contentstore/views/component.py:
# component_handler) runs a block's handler for anyone signed in to Studio; it only skips
# saving the block for a user without write access. So a handler that changes settings
# must ask itself: Studio's runtime offers `studio_user_permissions`
# (cms/djangoapps/contentstore/utils.py: StudioPermissionsService, `can_write(course_key)`
# = has_studio_write_access). The LMS has no such service: there, nobody edits a block.
STUDIO_PERMISSIONS_SERVICE = "studio_user_permissions"


def course_key_of(block):
    """The course key as the platform's permission checks take it (an opaque key there)."""
    usage_id = block.scope_ids.usage_id
    key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
    return key if key is not None else str(usage_id)


def can_edit(block):
    """True when the current user may change `block`'s settings: in Studio, with write access."""
    permissions = block.runtime.service(block, STUDIO_PERMISSIONS_SERVICE)
    if permissions is None:
        return False
    return bool(permissions.can_write(course_key_of(block)))


# 3. Translations --------------------------------------------------------------------------
# xmodule/modulestore/django.py: XBlockI18nService.get_python_locale, with
# xmodule/modulestore/api.py: get_xblock_root_module_name (the class's module name up to its
# first dot, of the unmixed class) and get_python_locale_root (REPO_ROOT /
# "conf/plugins-locale/xblock.v1"). The catalogue pulled by atlas (OEP-58), domain "django",
# wins over the bundled one, `<root module>/translations/<locale>/LC_MESSAGES/text.mo`.
# The service is built anew by each `runtime.service(block, "i18n")` call in the LMS
# (a file-system lookup each time), so a block asks for it once per render (`i18n_of`).
BUNDLED_DOMAIN = "text"
BUNDLED_DIR = "translations"
ATLAS_DOMAIN = "django"
ATLAS_ROOT = "conf/plugins-locale/xblock.v1"


def root_module(block_class):
    block_class = getattr(block_class, "unmixed_class", block_class)
    return block_class.__module__.split(".")[0]


def catalogue_location(block_class, repo_root=None):
    """(domain, directory) where the platform's i18n service reads `block_class`'s catalogue."""
    module = root_module(block_class)
    repo_root = repo_root if repo_root is not None else getattr(django_settings, "REPO_ROOT", None)
    if repo_root is not None:
        atlas = Path(repo_root) / ATLAS_ROOT / module
        if atlas.is_dir():
            return ATLAS_DOMAIN, str(atlas)
    return BUNDLED_DOMAIN, str(importlib.resources.files(module) / BUNDLED_DIR)


_I18N_CACHE = "_bizmooc_i18n"


def i18n_of(block):
    """The block's i18n service, asked of the runtime once per block and language."""
    language = translation.get_language()
    cached = block.__dict__.get(_I18N_CACHE)
    if cached is None or cached[0] != language:
        cached = (language, block.runtime.service(block, "i18n"))
        block.__dict__[_I18N_CACHE] = cached
    return cached[1]


# 4. Static files --------------------------------------------------------------------------
# openedx/core/lib/xblock_utils/__init__.py: xblock_resource_pkg (the class's module name
# without its last part) and xblock_local_resource_url: in production (PIPELINE_ENABLED, or
# not REQUIRE_DEBUG) the URL of `uri` is STATIC_URL + "xblock/resources/<resource package>/<uri>";
# otherwise the LMS's xblock_resource view answers with the class's open_local_resource(uri).
# openedx/core/lib/xblock_pipeline/finder.py: XBlockPipelineFinder copies, for collectstatic,
# every file under importlib.resources.files(<resource package>.rsplit(".", 1)[0]) /
# get_resources_dir() (except .py, .pyc, .scss) to "xblock/resources/<resource package>/".
# That folder is the *parent* of the block's package: `xblocks/` for `xblocks.peer_review`. So
# a URI names a file relative to `xblocks/` ("peer_review/static/js/peer_review.js",
# "common/static/js/bizmooc.js"), which is what both paths serve, shared files included.
RESOURCE_PREFIX = "xblock/resources/"
STATIC_SUFFIXES = (".js", ".css", ".svg", ".png")


def resource_package(block_class):
    block_class = getattr(block_class, "unmixed_class", block_class)
    return block_class.__module__.rsplit(".", 1)[0]


def collected_root(block_class):
    """The package whose folder the platform's finder walks for `block_class`."""
    return resource_package(block_class).rsplit(".", 1)[0]


def resource_uri(block_class, package, path):
    """The URI of `path` (e.g. "static/js/x.js") inside `package` (a sub-package of the
    collected root), as `runtime.local_resource_url` must be given it."""
    root = collected_root(block_class)
    if package != root and not package.startswith(root + "."):
        raise ValueError(f"{package} is not under {root}, which the platform collects")
    inner = package[len(root) + 1:].replace(".", "/")
    return f"{inner}/{path}" if inner else path


def collected_path(block_class, uri):
    """Where collectstatic puts the file a block refers to as `uri`."""
    return f"{RESOURCE_PREFIX}{resource_package(block_class)}/{uri}"


def is_servable(uri):
    """Only static assets under a `static/` folder, with no hidden or parent parts."""
    parts = uri.split("/")
    return ("static" in parts[:-1] and uri.endswith(STATIC_SUFFIXES)
            and not any(part in ("", ".", "..") or part.startswith(".") for part in parts))


# 5. Retirement ----------------------------------------------------------------------------
# openedx/core/djangoapps/user_api/accounts/views.py: LMSAccountRetirementView sends
# USER_RETIRE_LMS_MISC(sender=..., user=<User>) from
# openedx/core/djangoapps/user_api/accounts/signals.py; the anonymous ids of a user are rows
# of common/djangoapps/student/models.py: AnonymousUserId (user, anonymous_user_id, course_id).
RETIREMENT_SIGNAL_MODULE = "openedx.core.djangoapps.user_api.accounts.signals"
RETIREMENT_SIGNAL_NAME = "USER_RETIRE_LMS_MISC"
ANONYMOUS_ID_MODULE = "common.djangoapps.student.models"


# 6. Grades for a learner other than the current user ---------------------------------------
# `runtime.publish(block, "grade", {"value", "max_value"})` reaches xmodule/services.py:
# EventPublishingService._handle_grade_event, which sends
# lms/djangoapps/grades/signals/signals.py: SCORE_PUBLISHED(sender=None, block, user, raw_earned,
# raw_possible, only_if_higher, score_deleted, grader_response) for the user *of the request*.
# Its receiver (lms/djangoapps/grades/signals/handlers.py: score_published_handler) stores the
# score in courseware's StudentModule (floats) and fires PROBLEM_RAW_SCORE_CHANGED, which
# recomputes the learner's subsection grade with the block's `weight`. A peer review grade often
# becomes final in someone else's request (the reviewer who gives the last review it needs,
# staff grading): the same signal is then sent for that learner, found by anonymous id with
# common/djangoapps/student/models.py: user_by_anonymous_id. Same path, weight and floats as the
# learner's own grade event (the submissions API, which ORA2 uses, takes whole points only and
# ignores the block's weight). Outside the LMS (Studio, the workbench) there is no such signal:
# nothing is sent, a line is logged, and the learner's own next visit publishes the grade. A
# receiver that fails is logged and its writes undone (savepoint); the caller's are kept and
# False tells it to try again on a later evaluation.
GRADES_SIGNAL_MODULE = "lms.djangoapps.grades.signals.signals"
GRADES_SIGNAL_NAME = "SCORE_PUBLISHED"


def publish_learner_grade(block, anonymous_user_id, earned, possible, deleted=False):
    """Give the learner `earned` of `possible` on `block` in the gradebook (or take the score
    back, `deleted`), whoever the current user is. True when the platform took it."""
    try:
        signal = getattr(importlib.import_module(GRADES_SIGNAL_MODULE), GRADES_SIGNAL_NAME)
        user_by_anonymous_id = importlib.import_module(ANONYMOUS_ID_MODULE).user_by_anonymous_id
    except (ImportError, AttributeError):
        log.info("no LMS grades signal here: the grade of %s on %s reaches the gradebook when the learner "
                 "next opens the block", anonymous_user_id, block.scope_ids.usage_id)
        return False
    user = user_by_anonymous_id(anonymous_user_id)
    if user is None:
        log.warning("no user has the anonymous id %s: grade on %s not sent", anonymous_user_id,
                    block.scope_ids.usage_id)
        return False
    try:
        with transaction.atomic():
            for _receiver, answer in signal.send_robust(
                    sender=None, block=block, user=user, raw_earned=earned, raw_possible=possible,
                    only_if_higher=False, score_deleted=deleted, grader_response=False):
                if isinstance(answer, Exception):
                    raise answer
    except Exception:  # pylint: disable=broad-except
        log.exception("the LMS did not take the grade of %s on %s", anonymous_user_id, block.scope_ids.usage_id)
        return False
    return True


# 7. Notifications -------------------------------------------------------------------------
# openedx/core/djangoapps/notifications/handlers.py: generate_user_notifications receives
# openedx-events' USER_NOTIFICATION_REQUESTED(notification_data=UserNotificationData(user_ids,
# notification_type, content_url, app_name, course_key, context)) and runs tasks.send_notifications,
# which refuses a type missing from base_notification.py: COURSE_NOTIFICATION_TYPES (a dict in
# platform code: a plugin cannot add a type in Teak) and applies each learner's web/email
# preferences. The one type that fits the suite is ORA2's `ora_grade_assigned` (app `grading`,
# context ora_name, points_earned, points_possible; sent only where the course waffle flag
# notifications.enable_ora_grade_notifications is on), sent as openassessment/xblock/utils/
# notifications.py sends it, with the content URL of lms/urls.py's `courses/<course>/jump_to/<usage>`.
# Learners by anonymous id: ANONYMOUS_ID_MODULE's AnonymousUserId (user, anonymous_user_id),
# one query for a batch (user_by_anonymous_id asks once per id); their language: the
# `pref-lang` row (openedx/core/djangoapps/lang_pref: LANGUAGE_KEY) of
# openedx/core/djangoapps/user_api/models.py: UserPreference (user, key, value), one query.
# Outside the LMS neither model exists: nobody is found, and nothing is sent.
PREFERENCE_MODULE = "openedx.core.djangoapps.user_api.models"
LANGUAGE_KEY = "pref-lang"
GRADE_NOTIFICATION_TYPE = "ora_grade_assigned"
GRADE_NOTIFICATION_APP = "grading"


@dataclass(frozen=True)
class PlatformUser:
    """What a notification needs of a learner: the platform's user id, e-mail and language."""

    id: int
    email: str
    language: str | None = None


def platform_users(anonymous_ids):
    """{anonymous id: PlatformUser} for the ids the platform knows (2 queries), {} outside the LMS."""
    try:
        anonymous_user_id = importlib.import_module(ANONYMOUS_ID_MODULE).AnonymousUserId
        user_preference = importlib.import_module(PREFERENCE_MODULE).UserPreference
    except (ImportError, AttributeError):
        return {}
    rows = [(row.anonymous_user_id, row.user) for row in anonymous_user_id.objects.filter(
        anonymous_user_id__in=list(anonymous_ids)).select_related("user") if row.user.is_active]
    languages = dict(user_preference.objects.filter(user_id__in=[user.pk for _anonymous_id, user in rows],
                                                    key=LANGUAGE_KEY).values_list("user_id", "value")) if rows else {}
    return {anonymous_id: PlatformUser(user.pk, user.email, languages.get(user.pk) or None)
            for anonymous_id, user in rows}


def jump_to_url(course_id, usage_id):
    """The LMS address that opens a block in its unit ("" without LMS_ROOT_URL: no link)."""
    root = getattr(django_settings, "LMS_ROOT_URL", "")
    return f"{root}/courses/{course_id}/jump_to/{usage_id}" if root else ""


def send_grade_notification(user_ids, course_id, usage_id, block_name, earned, possible):
    """Ask the platform to tell these users their grade on the block is ready, as ORA2 does."""
    from opaque_keys.edx.keys import CourseKey
    from openedx_events.learning.data import UserNotificationData
    from openedx_events.learning.signals import USER_NOTIFICATION_REQUESTED

    USER_NOTIFICATION_REQUESTED.send_event(notification_data=UserNotificationData(
        user_ids=list(user_ids),
        notification_type=GRADE_NOTIFICATION_TYPE,
        content_url=jump_to_url(course_id, usage_id),
        app_name=GRADE_NOTIFICATION_APP,
        course_key=CourseKey.from_string(str(course_id)),
        context={"ora_name": block_name, "points_earned": earned, "points_possible": possible},
    ))


# 8. Learners' usernames, for course staff ---------------------------------------------------
# In the LMS course staff may see who a learner is (the platform's own staff tools show
# usernames; the user service's get_user_by_anonymous_id does one query per learner). The suite
# keys learners by anonymous id, so a staff page asks for a page of them at once through
# AnonymousUserId (user, anonymous_user_id), one query. Learners never call this. Outside the
# LMS (the workbench) the model does not exist: nobody is named and staff see anonymous ids.


def usernames_of(anonymous_ids):
    """{anonymous id: username} for the ids the platform knows (1 query), {} outside the LMS."""
    ids = [value for value in set(anonymous_ids) if value]
    if not ids:
        return {}
    try:
        anonymous_user_id = importlib.import_module(ANONYMOUS_ID_MODULE).AnonymousUserId
    except (ImportError, AttributeError):
        return {}
    return dict(anonymous_user_id.objects.filter(anonymous_user_id__in=ids)
                .values_list("anonymous_user_id", "user__username"))


# 9. Dates ----------------------------------------------------------------------------------
# The learner's start, which relative dates count from (relative_dates.py), is what edx-when
# counts its own relative dates from (edx_when/models.py: DatePolicy.actual_date:
# `schedule.start_date + rel_date`, with edx_when/utils.py: get_schedule_for_user =
# openedx/core/djangoapps/schedules/models.py: Schedule of the learner's CourseEnrollment).
# The platform creates that Schedule when the enrolment is created
# (openedx/core/djangoapps/schedules/signals.py: _create_schedule) with start_date = the later of
# the enrolment's creation and the course start, and moves it when the course start moves or
# the learner shifts their dates. A learner without a Schedule has no relative date there
# (MissingScheduleError is skipped): none here either. Learners are found by anonymous id
# through AnonymousUserId, one query for a batch.
# Outside the LMS (the workbench) there are no enrolments: the stand-in is the Django setting
# BIZMOOC_WORKBENCH_LEARNER_STARTS ({anonymous id or "*": ISO date}; devstack/settings.py, tests
# override it), never a date the suite makes up (such as a learner's first visit, which is later
# than the platform's start and so kinder); a learner it does not name has no start, as a
# learner without a Schedule. It is not an operator setting: the LMS never reads it.
SCHEDULE_MODULE = "openedx.core.djangoapps.schedules.models"


def learner_starts(course_key, anonymous_ids):
    """{anonymous id: aware datetime} of the learners' starts in the course, for those that have
    one (1 query in the LMS, none in the workbench)."""
    ids = [value for value in set(anonymous_ids) if value]
    if not ids:
        return {}
    try:
        schedule = importlib.import_module(SCHEDULE_MODULE).Schedule
        importlib.import_module(ANONYMOUS_ID_MODULE).AnonymousUserId  # noqa: B018  (the LMS: both exist)
    except (ImportError, AttributeError):
        return _workbench_starts(ids)
    return dict(schedule.objects.filter(
        enrollment__course_id=str(course_key), enrollment__user__anonymoususerid__anonymous_user_id__in=ids)
        .values_list("enrollment__user__anonymoususerid__anonymous_user_id", "start_date"))


def _workbench_starts(ids):
    from .dates import parse_moment

    configured = getattr(django_settings, "BIZMOOC_WORKBENCH_LEARNER_STARTS", None) or {}
    starts = {}
    for anonymous_id in ids:
        text = configured.get(anonymous_id, configured.get("*"))
        if text:
            starts[anonymous_id] = parse_moment(text)
    return starts


# The platform's course dates: edx-when (edx_when/api.py). On publish, Studio runs
# openedx/core/djangoapps/course_date_signals/handlers.py: extract_dates (a receiver of
# xmodule/modulestore/django.py: SignalHandler.course_published, connected in the ready() of the
# course_date_signals app), whose set_dates_for_course writes the dates it extracts (`due`,
# `start`, `end` of blocks; in a self-paced course only sections, subsections and graded
# items) and deactivates every other ContentDate of the course, ours included. Plugin apps
# come after the platform's apps in INSTALLED_APPS (cms/envs/common.py: get_plugin_apps), so
# a receiver connected in a plugin app's ready() runs after extract_dates (Django calls
# receivers in the order they were connected; SignalHandler.send uses send_robust): it
# registers the suite's dates again, after the platform cleared them (course_dates.py).
COURSE_PUBLISHED_MODULE = "xmodule.modulestore.django"
MODULESTORE_MODULE = "xmodule.modulestore.django"


def course_published_signal():
    """Studio's course_published signal, None outside the platform."""
    try:
        return importlib.import_module(COURSE_PUBLISHED_MODULE).SignalHandler.course_published
    except (ImportError, AttributeError):
        return None
    except Exception:  # pylint: disable=broad-except
        log.warning("BizMOOC: importing %s failed: course dates are not registered on publish",
                    COURSE_PUBLISHED_MODULE, exc_info=True)
        return None


def published_blocks(course_key, categories):
    """The published blocks of these categories in the course (the platform's modulestore)."""
    django_store = importlib.import_module(MODULESTORE_MODULE)
    branch = importlib.import_module("xmodule.modulestore").ModuleStoreEnum.Branch.published_only
    store = django_store.modulestore()
    with store.branch_setting(branch, course_key):
        return [item for category in categories for item in store.get_items(course_key, qualifiers={
            "category": category})]


# 10. File storage ---------------------------------------------------------------------------
# Open edX writes learners' uploads through Django's storage API: ORA2 with its Django backend
# (ORA2_FILEUPLOAD_BACKEND = "django") writes to `default_storage`, and the platform's
# STORAGES["default"] (DEFAULT_FILE_STORAGE before Django 4.2; Tutor's S3/MinIO plugins set it)
# decides where that is: an S3 bucket through django-storages' S3Storage in production, the file
# system under MEDIA_ROOT in a devstack. The suite does the same: its files go to the storage
# alias XBLOCK_SETTINGS["bizmooc"]["PEER_FILE_STORAGE"] names in Django's STORAGES ("default"
# unless an operator gives the suite a bucket of its own, e.g. STORAGES["bizmooc"] =
# {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": ...,
# "default_acl": "private", "querystring_auth": True}}). Files are read back through the
# storage and served by the block's handler (never by a public bucket URL), so who may read
# a file is decided by the suite; the bucket can stay private. The workbench: MEDIA_ROOT under
# var/ (devstack/settings.py), a temp dir in the tests.


def file_storage():
    """The Django storage learners' uploads are written to (`storages[alias]`, Django 4.2+)."""
    return storages[get_setting("PEER_FILE_STORAGE")]
