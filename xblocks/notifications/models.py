"""The outbox (one row per recipient per notification) and the learners' opt-outs.

Learners are their anonymous ids (`user_id`), as everywhere in the suite; retirement deletes
both tables' rows of a learner (privacy.py).
"""
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One notification to one learner: what was said (kind, activity, context) and what
    became of it (`status`). Also what reminders are deduplicated against."""

    PENDING = "pending"  # written in the caller's transaction, not yet handed over
    SENT = "sent"  # handed to edx-ace or to the platform's notifications
    UNRESOLVED = "unresolved"  # the platform knows no such learner (outside the LMS: always)
    FAILED = "failed"  # the platform or the e-mail channel refused it (logged)

    batch = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=32)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    activity_name = models.CharField(max_length=255, blank=True)  # the block's display name, as told
    user_id = models.CharField(max_length=255)
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=16, default=PENDING)
    # sha256 of (kind, activity, learner, period) for reminders: two concurrent runs insert one.
    dedupe_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "bizmooc_notifications_outbox"
        indexes = [
            models.Index(fields=["user_id", "usage_id", "kind", "created"], name="bizmooc_notif_recipient"),
            models.Index(fields=["created"], name="bizmooc_notif_created"),
        ]


class Preference(models.Model):
    """A learner's choice for one kind in one course; no row means on."""

    user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    enabled = models.BooleanField(default=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "bizmooc_notifications_preference"
        constraints = [models.UniqueConstraint(fields=["user_id", "course_id", "kind"],
                                               name="bizmooc_notif_one_preference")]
