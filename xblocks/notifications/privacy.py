"""A retired learner's notifications and preferences go (registered by apps.py)."""
from .models import Notification, Preference


def retire_notifications(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete these learners' outbox rows and preferences, in every course (2 queries)."""
    return (Notification.objects.filter(user_id__in=anonymous_ids).delete()[0]
            + Preference.objects.filter(user_id__in=anonymous_ids).delete()[0])
