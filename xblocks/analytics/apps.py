"""Django plugin app: registers the suite's xAPI transformers with event-routing-backends.

Open edX adds it to INSTALLED_APPS of the LMS and Studio (`lms.djangoapp`/`cms.djangoapp`
entry points in setup.py). It has no models. Where `event_routing_backends` is not an
installed app (no Aspects), `ready()` does nothing: ERB's transformer base class imports
ERB's models, which Django refuses to load outside an installed app.
"""
from django.apps import AppConfig, apps

ERB_APP = "event_routing_backends"


class AnalyticsConfig(AppConfig):
    name = "xblocks.analytics"
    label = "bizmooc_analytics"
    verbose_name = "BizMOOC: Learning analytics (xAPI)"
    plugin_app = {}

    def ready(self):
        if not apps.is_installed(ERB_APP):
            return
        from . import transformers  # noqa: F401  registering is importing (decorators)
