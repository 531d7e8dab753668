"""Django plugin app: Open edX adds it to INSTALLED_APPS of the LMS and Studio, so
`tutor local do init` (or `migrate`) creates the journal tables."""
from django.apps import AppConfig


class LearningToLearnConfig(AppConfig):
    name = "xblocks.learning_to_learn"
    label = "bizmooc_learning_to_learn"
    verbose_name = "BizMOOC: Learning to learn"
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}

    def ready(self):
        # A retired learner's entries, revisions, answers and ratings are deleted when
        # Open edX sends USER_RETIRE_LMS_MISC (nothing happens outside Open edX).
        from xblocks.common.artefacts import register_artefact_provider
        from xblocks.common.retirement import connect_retirement_signal, register_retirement

        from . import artefact, privacy

        register_retirement("bizmooc_reflection_journal", privacy.retire_journal)
        register_retirement("bizmooc_self_assessment", privacy.retire_self_assessment)
        # Peer review shows an entry by its public id (see xblocks/common/artefacts.py).
        register_artefact_provider("journal", artefact.JournalArtefacts())
        connect_retirement_signal()
