"""What the components call: one function per kind, `notify` under them, and the learners'
choices (`set_preference`, `preferences_for`), all plain functions without handlers.

Recipients are anonymous ids, the suite's key for a learner. A call writes one outbox row per
recipient who has not turned the kind off (2 queries, whatever the number of recipients) and
delivers once the caller's transaction commits (`transaction.on_commit`): an action that is
rolled back sends nothing and leaves no row. The actor of the action is never told of it.
"""
import hashlib
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xblocks.common.locations import course_id_of

from . import delivery
from .kinds import KINDS, kind_named, kinds_of
from .models import Notification, Preference


@dataclass(frozen=True)
class Activity:
    """Where a notification points: the block's course, usage id and display name."""

    course_id: str
    usage_id: str
    name: str


def activity_of(block):
    """The block as notifications name it: its course id as every store keys it (the block's
    `course_key_str`, the same in the LMS and the workbench), usage id and title."""
    return Activity(course_id_of(block), str(block.scope_ids.usage_id),
                    str(getattr(block, "display_name", "") or ""))


# One function per kind: what each component calls, and where (README, "Notifications").

def reviews_received(block, author_ids, reviewer_id=None):
    """Peer review: reviews of these authors' work arrived (after the review is saved)."""
    return notify("reviews_received", block, author_ids, actor=reviewer_id)


def grade_ready(block, author_id, points_earned, points_possible):
    """Peer review: the author's grade is final (where it is published to the gradebook)."""
    return notify("grade_ready", block, [author_id],
                  {"points_earned": points_earned, "points_possible": points_possible})


def idea_response(block, author_id, idea_title, built_on=False, actor_id=None):
    """Idea board: a peer commented on (or built on) the author's idea."""
    return notify("idea_response", block, [author_id],
                  {"idea": idea_title, "variant": "built_on" if built_on else "commented"}, actor=actor_id)


def voting_open(block, participant_ids):
    """Idea board: the board moved to voting; tell everyone who posted or commented."""
    return notify("voting_open", block, participant_ids)


def journal_reply(block, learner_id, staff_id=None):
    """Journal: the course team replied to the learner's entry."""
    return notify("journal_reply", block, [learner_id], actor=staff_id)


def notify(kind, target, recipients, context=None, *, actor=None):
    """Notify `recipients` (anonymous ids, or {anonymous id: that learner's own context}) of
    `kind` about `target` (a block or an Activity); the ids that will be told (2 queries)."""
    return _queue(kind_named(kind), target, recipients, context, actor=actor)


def _queue(kind, target, recipients, context=None, *, actor=None, dedupe_period=None, now=None):
    activity = target if isinstance(target, Activity) else activity_of(target)
    contexts = _recipient_contexts(recipients, context or {}, actor)
    _check_context(kind, contexts)
    if not contexts:
        return []
    muted = set(Preference.objects.filter(course_id=activity.course_id, kind=kind.name, enabled=False,
                                          user_id__in=list(contexts)).values_list("user_id", flat=True))
    contexts = {user_id: own for user_id, own in contexts.items() if user_id not in muted}
    if not contexts:
        return []
    batch, now = uuid.uuid4(), now or timezone.now()
    rows = [Notification(batch=batch, kind=kind.name, course_id=activity.course_id, usage_id=activity.usage_id,
                         activity_name=activity.name[:255], user_id=user_id, context=own, created=now,
                         dedupe_key=_dedupe_key(kind.name, activity, user_id, dedupe_period, now))
            for user_id, own in contexts.items()]
    if dedupe_period is None:
        Notification.objects.bulk_create(rows)
    else:  # another run may have reminded some of them a moment ago: keep the rows that went in
        # In the unique key's order: a run that finds another's uncommitted row waits for it
        # with a lock that also covers the gap below that row (InnoDB), and a run inserting
        # below a row it already wrote would then wait for the waiter: a deadlock.
        rows.sort(key=lambda row: row.dedupe_key)
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        queued = set(Notification.objects.filter(batch=batch).values_list("user_id", flat=True))
        contexts = {user_id: own for user_id, own in contexts.items() if user_id in queued}
    if contexts:
        transaction.on_commit(lambda: delivery.deliver(batch, kind, activity, contexts))
    return sorted(contexts)


def _recipient_contexts(recipients, context, actor):
    if isinstance(recipients, str):
        raise TypeError("recipients: a list of anonymous ids, not one id")
    own = recipients if isinstance(recipients, dict) else dict.fromkeys(recipients or (), None)
    return {str(user_id): {**context, **(extra or {})} for user_id, extra in own.items()
            if user_id and str(user_id) != str(actor or "")}


def _check_context(kind, contexts):
    for own in contexts.values():
        missing = [key for key in kind.required if key not in own]
        if missing:
            raise ValueError(f"{kind.name} needs {', '.join(missing)} in its context")
        if kind.bodies and own.get("variant", "") not in kind.bodies:
            raise ValueError(f"{kind.name}: variant must be one of {sorted(kind.bodies)}")


def _dedupe_key(kind, activity, user_id, period, now):
    if period is None:
        return None
    window = int(now.timestamp() // period.total_seconds())
    return hashlib.sha256(f"{kind}\n{activity.usage_id}\n{user_id}\n{window}".encode()).hexdigest()


# Learners' choices: every kind is on until the learner turns it off, per course.

def set_preference(user_id, course_id, kind, enabled):
    """Turn `kind` on or off for the learner in the course (the component's own handler calls it)."""
    kind_named(kind)
    if not user_id:
        raise ValueError("only a signed-in learner has notification preferences")
    Preference.objects.update_or_create(user_id=str(user_id), course_id=str(course_id), kind=kind,
                                        defaults={"enabled": bool(enabled)})


def preferences_for(user_id, course_id, component=None):
    """{kind: on?} for the learner in the course, the kinds of one component or all (1 query)."""
    names = kinds_of(component)
    chosen = dict(Preference.objects.filter(user_id=str(user_id), course_id=str(course_id), kind__in=names)
                  .values_list("kind", "enabled")) if user_id else {}
    return {name: chosen.get(name, True) for name in names}


def block_preferences(block, user_id, component):
    """`preferences_for` the learner in the block's course, as notifications key it (`activity_of`),
    the kinds of `component` (1 query): what a component's handler shows."""
    return preferences_for(user_id, activity_of(block).course_id, component)


def set_block_preference(block, user_id, kind, enabled):
    """`set_preference` for the learner in the block's course, as notifications key it."""
    set_preference(user_id, activity_of(block).course_id, kind, enabled)


__all__ = ["Activity", "KINDS", "activity_of", "block_preferences", "grade_ready", "idea_response", "journal_reply",
           "notify", "preferences_for", "reviews_received", "set_block_preference", "set_preference", "voting_open"]
