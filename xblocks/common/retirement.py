"""Open edX user retirement: delete what the components store about a retired learner.

Open edX retires a learner in stages (the platform's names
are in `seams.py`); the LMS stage `retirement_lms_retire_misc`
(`LMSAccountRetirementView` in openedx/core/djangoapps/user_api/accounts/views.py) sends

    USER_RETIRE_LMS_MISC.send(sender=LMSAccountRetirementView, user=<django User>)

from `openedx.core.djangoapps.user_api.accounts.signals`. The components key their
rows by the anonymous user id of the XBlock `user` service, one per (user, course) in the
platform's `common.djangoapps.student.models.AnonymousUserId` (fields `user`,
`anonymous_user_id`, `course_id`). The receiver here gathers every anonymous id of the
user, in every course, and hands them to each registered component.

Components register with `register_retirement(name, function)`, where
`function(anonymous_ids, user_id) -> rows deleted`; `common/` never imports them. Each
plugin app calls `connect_retirement_signal()` from `ready()`; connecting is idempotent
(one `dispatch_uid`), and outside Open edX, where the signal cannot be imported, it does
nothing. The platform is imported only when connecting and when a learner is retired.

All components run in one transaction: if one fails, nothing is deleted, the exception
reaches the LMS view (which answers 500) and the retirement pipeline marks the learner as
errored, to be retried, rather than reporting a learner retired whose data is still here.
"""
import importlib
import logging

from django.db import transaction

from .seams import ANONYMOUS_ID_MODULE
from .seams import RETIREMENT_SIGNAL_MODULE as SIGNAL_MODULE
from .seams import RETIREMENT_SIGNAL_NAME as SIGNAL_NAME

log = logging.getLogger(__name__)

DISPATCH_UID = "bizmooc_xblocks.retire_learner"

_retirements = {}


def register_retirement(name, function):
    """Have `function(anonymous_ids, user_id) -> int` run when a learner is retired.

    Registering a name again replaces the earlier function, so an app's `ready()` may run
    more than once without retiring twice.
    """
    _retirements[name] = function


def registered_retirements():
    return dict(_retirements)


def anonymous_ids_of(user):
    """Every anonymous id the platform ever gave `user`: each course's, and the
    course-less one, including ids from before a SECRET_KEY rotation (1 query)."""
    anonymous_user_id = importlib.import_module(ANONYMOUS_ID_MODULE).AnonymousUserId
    return list(anonymous_user_id.objects.filter(user=user).values_list("anonymous_user_id", flat=True))


def retire_anonymous_ids(anonymous_ids, user_id=None):
    """Run every registered retirement for these anonymous ids; {name: rows deleted}."""
    anonymous_ids = sorted({str(uid) for uid in anonymous_ids if uid})
    if not anonymous_ids:
        return {}
    with transaction.atomic():
        return {name: function(anonymous_ids, user_id) for name, function in sorted(_retirements.items())}


def retire_user(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """The USER_RETIRE_LMS_MISC receiver."""
    if user is None:
        return {}
    anonymous_ids = anonymous_ids_of(user)
    try:
        deleted = retire_anonymous_ids(anonymous_ids, user_id=user.pk)
    except Exception:
        log.exception("BizMOOC: retiring LMS user %s failed; nothing was deleted", user.pk)
        raise
    log.info("BizMOOC: retired LMS user %s (%d anonymous ids): %s", user.pk, len(anonymous_ids), deleted)
    return deleted


def connect_retirement_signal():
    """Connect `retire_user` to Open edX's USER_RETIRE_LMS_MISC, once; True if connected."""
    try:
        signal = getattr(importlib.import_module(SIGNAL_MODULE), SIGNAL_NAME)
    except (ImportError, AttributeError):
        log.debug("BizMOOC: %s.%s is not available (not running in Open edX): learner retirement "
                  "is not connected", SIGNAL_MODULE, SIGNAL_NAME)
        return False
    except Exception:  # pylint: disable=broad-except
        # A platform module that fails to import must not stop the LMS from starting.
        log.warning("BizMOOC: importing %s failed: learner retirement is not connected", SIGNAL_MODULE,
                    exc_info=True)
        return False
    signal.connect(retire_user, weak=False, dispatch_uid=DISPATCH_UID)
    return True
