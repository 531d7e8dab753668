"""Who is calling: the anonymous user id and whether they are course staff.

Open edX puts both in the `user` service's `opt_attrs`. The xblock-sdk workbench only
carries `xblock-workbench.user_id` (switched with `?student=`), and has no roles: there
the learner id stands in for the anonymous id, and the operator setting
`WORKBENCH_STAFF_IDS` names who acts as staff. That fallback is used only when the
platform attributes are absent, so it can never grant staff rights inside Open edX.
"""
from dataclasses import dataclass

from django.conf import settings as django_settings

from .config import get_setting

LMS_ANONYMOUS_ID = "edx-platform.anonymous_user_id"
LMS_IS_STAFF = "edx-platform.user_is_staff"
LMS_IS_AUTHENTICATED = "edx-platform.is_authenticated"
LMS_USERNAME = "edx-platform.username"
WORKBENCH_USER_ID = "xblock-workbench.user_id"


@dataclass(frozen=True)
class Caller:
    """The person behind a request. `user_id` is None for an anonymous visitor."""

    user_id: str | None
    is_staff: bool = False
    username: str | None = None

    @property
    def is_authenticated(self):
        return bool(self.user_id)


def caller_of(block):
    """Identify the current user of `block` through its `user` service."""
    user_service = block.runtime.service(block, "user")
    user = user_service.get_current_user() if user_service else None
    attrs = getattr(user, "opt_attrs", None) or {}
    if LMS_ANONYMOUS_ID in attrs or LMS_IS_AUTHENTICATED in attrs:
        authenticated = attrs.get(LMS_IS_AUTHENTICATED, True)
        anonymous_id = attrs.get(LMS_ANONYMOUS_ID) if authenticated else None
        return Caller(
            user_id=anonymous_id or None,
            is_staff=bool(attrs.get(LMS_IS_STAFF)) and bool(anonymous_id),
            username=attrs.get(LMS_USERNAME),
        )
    workbench_id = attrs.get(WORKBENCH_USER_ID)
    if workbench_id:
        return Caller(
            user_id=str(workbench_id),
            is_staff=str(workbench_id) in get_setting("WORKBENCH_STAFF_IDS"),
            username=str(workbench_id),
        )
    return Caller(user_id=None)


def in_studio():
    """True inside Open edX Studio (the CMS), which has already checked course write access."""
    return getattr(django_settings, "ROOT_URLCONF", "").startswith("cms.")
