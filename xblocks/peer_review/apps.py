"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the peer review tables."""
from django.apps import AppConfig


class PeerReviewConfig(AppConfig):
    name = "xblocks.peer_review"
    label = "bizmooc_peer_review"
    verbose_name = "BizMOOC: Peer review"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}

    def ready(self):
        from xblocks.common.retirement import connect_retirement_signal, register_retirement
        from xblocks.notifications.reminders import register_reminder_source

        from . import privacy, review_service

        register_retirement("bizmooc_peer_review", privacy.retire_peer_review)
        connect_retirement_signal()
        register_reminder_source("bizmooc_peer_review", review_service.reminders_due)
        # The step dates in the platform's course dates (edx-when), after each publish.
        from xblocks.common.course_dates import connect_course_dates_signal

        from . import review_dates  # noqa: F401  (registers the block's date source)

        connect_course_dates_signal()
