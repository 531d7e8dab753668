"""Reminders to reviewers who still owe reviews, sent by `manage.py lms bizmooc_send_review_reminders`
(an operator runs it from cron).

Who owes what is peer review's knowledge: it registers a source from its app's `ready()`,
`register_reminder_source(name, function)`, where `function(now)` yields `Due(activity,
{anonymous id: reviews still owed})` for every open review step. A learner is reminded at most
once per block per `every` (days): learners reminded since are left out (1 query per block),
and the outbox's unique key per period keeps two runs at the same moment from both sending.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .api import Activity, _queue
from .kinds import kind_named
from .models import Notification

REMINDER = "review_reminder"
_sources = {}


@dataclass(frozen=True)
class Due:
    activity: Activity
    owed: dict  # {anonymous id: number of reviews still to give}


def register_reminder_source(name, function):
    """Have `function(now) -> iterable of Due` asked by each reminder run (registering a name
    again replaces it)."""
    _sources[name] = function


def send_review_reminders(every_days=3, now=None):
    """Remind every learner who owes reviews and was not reminded on that block in the last
    `every_days` days; the number of reminders queued."""
    now, every = now or timezone.now(), timedelta(days=every_days)
    kind, sent = kind_named(REMINDER), 0
    for _name, source in sorted(_sources.items()):
        for due in source(now):
            owed = {str(user_id): count for user_id, count in due.owed.items() if user_id and count > 0}
            if not owed:
                continue
            with transaction.atomic():
                recent = set(Notification.objects.filter(
                    kind=REMINDER, usage_id=due.activity.usage_id, user_id__in=list(owed),
                    created__gt=now - every).values_list("user_id", flat=True))
                sent += len(_queue(kind, due.activity,
                                   {user_id: {"count": count} for user_id, count in owed.items()
                                    if user_id not in recent},
                                   dedupe_period=every, now=now))
    return sent
