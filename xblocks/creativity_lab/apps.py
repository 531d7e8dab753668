"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the idea board's tables."""
from django.apps import AppConfig


class CreativityLabConfig(AppConfig):
    name = "xblocks.creativity_lab"
    label = "bizmooc_creativity_lab"
    verbose_name = "BizMOOC: Innovation, creativity & problem-solving"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}

    def ready(self):
        from xblocks.common.artefacts import register_artefact_provider
        from xblocks.common.retirement import connect_retirement_signal, register_retirement

        from . import artefact, privacy

        register_retirement("bizmooc_idea_board", privacy.retire_idea_board)
        register_artefact_provider("idea", artefact.IdeaArtefacts())
        connect_retirement_signal()
        # The phase dates in the platform's course dates (edx-when), after each publish.
        from xblocks.common.course_dates import connect_course_dates_signal

        from . import board_dates  # noqa: F401  (registers the block's date source)

        connect_course_dates_signal()
