"""OLX import/export: every course-team setting survives export and re-import exactly,
including HTML prompts with quotes and non-ASCII text; learner data is never exported."""
from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.journal_helpers import JOURNAL, journal_xml, submit
from tests.olx import OlxRoundTrip, exported_text
from xblocks.learning_to_learn.journal_settings import SETTINGS
from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock

EVERY_FIELD = {
    "display_name": 'Woche 1: "Warum bin ich hier?" & <Ziele> — ćwiczenie',
    "journal_name": "Lernen lernen: mein Tagebuch 'privat' ✍",
    "prompts": [
        '<p>Was heißt "lernen"? It\'s <em>yours</em> &amp; mine</p>',
        "<p>Второй вопрос: какво научихте? 🙂</p>\n<ul><li>one</li><li>two</li></ul>",
        "  Plain text prompt with trailing spaces  ",
    ],
    "guidance": '<p>Sei <strong>ehrlich</strong> &amp; konkret: "warum", nicht \'was\'.</p>',
    "example_entry": "<p>Ich plane 20-Minuten-Einheiten.</p>\n\n<p>Zweite Zeile\tmit Tab</p>",
    "min_words": 7,
    "max_words": 350,
    "allow_revisions": False,
    "staff_can_read": False,
    "graded": True,
    "weight": 2.5,
}


class TestOlx(OlxRoundTrip, tag=JOURNAL, block_class=ReflectionJournalBlock, olx=journal_xml,
              settings_shape=SETTINGS.names(), every_field=EVERY_FIELD):
    """The shared round trip (tests/olx.py), with this block's own checks."""

    def check_round_trip(self, again):
        assert type(again.weight) is float and type(again.min_words) is int and type(again.graded) is bool

    def check_defaults(self, again):
        assert again.prompts == ["<p>What did you learn this week, and how did you learn it?</p>"]


def test_learner_data_is_not_exported(wb):
    usage_id = wb.load(journal_xml(**EVERY_FIELD))
    submit(wb, usage_id, "My private reflection, not for the course export.", prompt=0)
    assert wb.block(usage_id, LEARNER_A).learner_id == LEARNER_A
    # Studio exports as the course author, whose runtime holds no learner's state.
    exported = exported_text(wb.block(usage_id, STAFF))
    assert "learner_id" not in exported and "private reflection" not in exported
