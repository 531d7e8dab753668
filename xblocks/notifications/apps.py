"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the outbox and the learners' preferences."""
from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xblocks.notifications"
    label = "bizmooc_notifications"
    verbose_name = "BizMOOC: Notifications"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}

    def ready(self):
        # A retired learner's outbox rows and preferences are deleted when Open edX sends
        # USER_RETIRE_LMS_MISC (nothing happens outside Open edX).
        from xblocks.common.retirement import connect_retirement_signal, register_retirement

        from .privacy import retire_notifications

        register_retirement("bizmooc_notifications", retire_notifications)
        connect_retirement_signal()
