"""The platform's runtime services, as the devstack's workbench offers them.

Each class mirrors the platform code named in `xblocks.common.seams` (same attributes, same
look-up), so a block meets in the workbench what it meets in Open edX, and nothing kinder:

- `LmsRuntime`: a learner's page in the LMS. The `user` service carries the platform's
  attributes (the workbench learner id stands for the anonymous id; course staff are the ids
  in the setting `WORKBENCH_STAFF_IDS`, as the course's staff role would say), the `i18n`
  service is built per block from the block's root catalogue, and there is no
  `studio_user_permissions` service.
- `StudioRuntime`: Studio's editor. A signed-in user without anonymous id and without staff
  flag, and `studio_user_permissions`, whose `can_write` is true only for the course team
  (`WORKBENCH_STAFF_IDS`): anyone else may open the editor, as in Studio, but not save.

`runtime_for_request(student_id)` is what the workbench's views construct (devstack.urls):
the Studio runtime on the devstack's Studio routes, the LMS runtime elsewhere.
"""
import contextvars
import gettext

import django.utils.translation
from django.conf import settings
from workbench.runtime import WorkbenchRuntime
from xblock.reference.user_service import UserService, XBlockUser

from xblocks.common import seams

IN_STUDIO = contextvars.ContextVar("bizmooc_devstack_in_studio", default=False)


def _staff_ids():
    return set(getattr(settings, "WORKBENCH_STAFF_IDS", ()))


class PlatformUserService(UserService):
    """The user service with the attributes DjangoXBlockUserService gives (seams.py, 1)."""

    def __init__(self, attrs):
        super().__init__()
        self._user = XBlockUser(is_current_user=True, emails=[], full_name=None)
        self._user.opt_attrs.update(attrs)

    def get_current_user(self):
        return self._user


def user_attrs(student_id, in_studio=False):
    """The attributes the platform's user service gives a workbench learner id. In Studio
    (load_services_for_studio: DjangoXBlockUserService(user), nothing else passed) there is no
    anonymous id and no staff flag."""
    if not student_id:
        return {seams.IS_AUTHENTICATED: False}
    return {
        seams.IS_AUTHENTICATED: True,
        seams.ANONYMOUS_USER_ID: None if in_studio else student_id,
        seams.USER_ID: student_id,
        seams.USERNAME: student_id,
        seams.USER_IS_STAFF: not in_studio and student_id in _staff_ids(),
    }


class StudioPermissions:
    """StudioPermissionsService: course team members may read and write the course."""

    def __init__(self, student_id):
        self._member = bool(student_id) and student_id in _staff_ids()

    def can_read(self, course_key):  # pylint: disable=unused-argument
        return self._member

    def can_write(self, course_key):  # pylint: disable=unused-argument
        return self._member


class PlatformI18nService:
    """XBlockI18nService(block): the block's root catalogue (atlas first, then bundled) in the
    active language, or Django's own translation when there is none (seams.py, 3)."""

    def __init__(self, block):
        self.translator = django.utils.translation
        domain, directory = seams.catalogue_location(type(block))
        language = django.utils.translation.get_language() or settings.LANGUAGE_CODE
        try:
            self.translator = gettext.translation(domain, directory, [django.utils.translation.to_locale(language)])
        except OSError:
            pass

    def __getattr__(self, name):
        return getattr(self.translator, name)


class LmsRuntime(WorkbenchRuntime):
    """The workbench runtime with the LMS's services (see the module docstring)."""

    in_studio = False

    def __init__(self, user_id=None):
        super().__init__(user_id)
        self._services["user"] = PlatformUserService(user_attrs(user_id, self.in_studio))
        self._services.pop(seams.STUDIO_PERMISSIONS_SERVICE, None)
        self._services.pop("i18n", None)  # built per block, below

    def service(self, block, service_name):
        if service_name == "i18n" and block.service_declaration(service_name) is not None:
            return PlatformI18nService(block)  # a new one per call, as the LMS builds it
        return super().service(block, service_name)


class StudioRuntime(LmsRuntime):
    """The workbench runtime with Studio's editing services."""

    in_studio = True

    def __init__(self, user_id=None):
        super().__init__(user_id)
        self._services[seams.STUDIO_PERMISSIONS_SERVICE] = StudioPermissions(user_id)


class PublishRuntime(LmsRuntime):
    """The runtime of the platform's course-publish work, which has no user: the block-structure
    collection that runs after every publish (openedx/core/djangoapps/content/block_structure,
    `update_course_in_cache`) calls each block's `student_view_data()` through the Course Blocks
    API's StudentViewTransformer (lms/djangoapps/course_api/blocks/transformers/student_view.py)
    on the modulestore's runtime, which offers no "user" service: a block that asks for it there
    gets NoSuchServiceError, and the whole course's block structure fails to build. What is
    collected is cached for every learner, so it may not depend on who asks anyway."""

    def __init__(self):
        super().__init__(None)
        self._services.pop("user", None)


def runtime_for_request(student_id):
    return StudioRuntime(student_id) if IN_STUDIO.get() else LmsRuntime(student_id)
