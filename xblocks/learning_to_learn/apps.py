"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the journal tables."""
from django.apps import AppConfig


class LearningToLearnConfig(AppConfig):
    name = "xblocks.learning_to_learn"
    label = "bizmooc_learning_to_learn"
    verbose_name = "BizMOOC: Learning to learn"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}
