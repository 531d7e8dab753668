"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the canvas tables."""
from django.apps import AppConfig


class InitiativeCanvasConfig(AppConfig):
    name = "xblocks.initiative_canvas"
    label = "bizmooc_initiative_canvas"
    verbose_name = "BizMOOC: Sense of initiative"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}

    def ready(self):
        from xblocks.common.artefacts import register_artefact_provider
        from xblocks.common.retirement import connect_retirement_signal, register_retirement

        from . import artefact, privacy

        register_retirement("bizmooc_canvas", privacy.retire_canvas)
        register_artefact_provider("canvas", artefact.CanvasArtefacts())
        connect_retirement_signal()
