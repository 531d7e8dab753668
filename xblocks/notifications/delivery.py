"""Handing queued notifications to the platform, after the action's transaction committed.

- `grade_ready` travels as Open edX's own notification `ora_grade_assigned` (seams.py, 7):
  the platform shows it in the learner's notification tray and e-mails it, under the
  learner's preferences for "grading". A plugin cannot register a notification type in
  Teak, so no other kind can take that road.
- every other kind is an edx-ace message type of the suite's (ace_messages.py), rendered from
  this app's templates in the learner's language and sent by the channel the operator
  configured (Tutor: django_email).

Per batch: 2 queries to find the learners, one UPDATE per outcome. Nothing here raises to
the caller (whose action is already committed): failures are logged and the rows say so.
"""
import functools
import gettext
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils.translation import to_locale

from xblocks.common import seams

from .kinds import EMAIL, FOOTER, LINK_TEXT, PLATFORM, Kind
from .models import Notification

log = logging.getLogger(__name__)


def deliver(batch, kind, activity, contexts):
    """Send the batch; mark each row sent, unresolved (no such learner here) or failed."""
    outcome = defaultdict(list)
    try:
        users = seams.platform_users(contexts)
    except Exception:  # pylint: disable=broad-except
        log.exception("BizMOOC notifications: looking up the learners of batch %s failed", batch)
        users = None
    for user_id in contexts:
        if users is not None and user_id not in users:
            outcome[Notification.UNRESOLVED].append(user_id)
    found = {user_id: own for user_id, own in contexts.items() if users and user_id in users}
    if users is None:
        outcome[Notification.FAILED] = list(contexts)
    elif kind.channel == PLATFORM:
        _send_platform(kind, activity, found, users, outcome)
    elif kind.channel == EMAIL:
        _send_emails(kind, activity, found, users, outcome)
    with transaction.atomic():
        for status, user_ids in outcome.items():
            Notification.objects.filter(batch=batch, user_id__in=user_ids).update(status=status)
    if users == {}:
        log.info("BizMOOC notifications: nobody to send %s to on %s (no platform users here); see the outbox",
                 kind.name, activity.usage_id)


def _send_platform(kind, activity, found, users, outcome):
    by_score = defaultdict(list)  # one event per distinct context, as the event has one for all users
    for user_id, own in found.items():
        by_score[(own["points_earned"], own["points_possible"])].append(user_id)
    for (earned, possible), user_ids in by_score.items():
        try:
            seams.send_grade_notification([users[user_id].id for user_id in user_ids], activity.course_id,
                                          activity.usage_id, activity.name, earned, possible)
        except Exception:  # pylint: disable=broad-except
            log.exception("BizMOOC notifications: the platform refused %s on %s", kind.name, activity.usage_id)
            outcome[Notification.FAILED].extend(user_ids)
        else:
            outcome[Notification.SENT].extend(user_ids)


def _send_emails(kind, activity, found, users, outcome):
    if not found:
        return
    from edx_ace import ace

    from .ace_messages import message_for

    for user_id, own in found.items():
        user = users[user_id]
        try:
            ace.send(message_for(kind, activity, own, user.id, user.email, user.language))
        except Exception:  # pylint: disable=broad-except
            log.exception("BizMOOC notifications: edx-ace did not send %s to %s", kind.name, user_id)
            outcome[Notification.FAILED].append(user_id)
        else:
            outcome[Notification.SENT].append(user_id)


@functools.lru_cache(maxsize=32)
def _catalogue(language):
    """The suite's catalogue (atlas's first, then the bundled one: seams.py, 3) in `language`."""
    domain, directory = seams.catalogue_location(Kind)
    return gettext.translation(domain, directory, languages=[to_locale(language)], fallback=True)


def words(kind, activity, context, language=None):
    """The message's texts in `language` (the site's when the learner's is not known)."""
    translate = _catalogue(language or settings.LANGUAGE_CODE).gettext
    values = {**context, "activity": activity.name}
    return {
        "subject": translate(kind.subject).format_map(values),
        "body": translate(kind.bodies[context.get("variant", "")]).format_map(values),
        "url": seams.jump_to_url(activity.course_id, activity.usage_id),
        "link_text": translate(LINK_TEXT),
        "footer": translate(FOOTER),
        "platform_name": getattr(settings, "PLATFORM_NAME", ""),  # the sender's name (from_name.txt)
    }
