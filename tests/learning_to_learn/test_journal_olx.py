"""OLX import/export: every course-team setting survives export and re-import exactly,
including HTML prompts with quotes and non-ASCII text; learner data is never exported."""
import io

import pytest
from lxml import etree
from xblock.fields import Scope

from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.journal_helpers import JOURNAL, journal_xml, submit
from xblocks.learning_to_learn.reflection_journal import SETTINGS_SHAPE, ReflectionJournalBlock

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


def course_fields(block):
    """The block's own course-team fields (XBlock's `name` and `tags` are not ours)."""
    return {name: getattr(block, name) for name, field in block.fields.items()
            if field.scope in (Scope.settings, Scope.content) and name not in ("name", "tags")}


def test_every_course_field_is_covered_with_a_non_default_value():
    fields = ReflectionJournalBlock.fields
    assert set(EVERY_FIELD) == set(SETTINGS_SHAPE)
    assert {name for name, field in fields.items() if field.scope == Scope.settings} - {"name", "tags"} == \
        set(EVERY_FIELD)
    for name, value in EVERY_FIELD.items():
        assert fields[name].default != value, name


@pytest.fixture
def imported(wb):
    usage_id = wb.load(journal_xml(**EVERY_FIELD))
    block = wb.block(usage_id)
    assert course_fields(block) == EVERY_FIELD
    return block


def reimport(wb, xml):
    return wb.block(wb.load(xml))


def test_round_trip_through_add_xml_to_node(wb, imported):
    node = etree.Element("x")
    imported.add_xml_to_node(node)
    assert node.tag == JOURNAL
    again = reimport(wb, etree.tostring(node, encoding="unicode"))
    assert course_fields(again) == EVERY_FIELD
    assert type(again.weight) is float and type(again.min_words) is int and type(again.graded) is bool


def test_round_trip_through_the_runtime_export(wb, imported):
    out = io.BytesIO()
    imported.runtime.export_to_xml(imported, out)
    assert course_fields(reimport(wb, out.getvalue())) == EVERY_FIELD


def test_twice_exported_is_identical(wb, imported):
    first = etree.Element("x")
    imported.add_xml_to_node(first)
    second = etree.Element("x")
    reimport(wb, etree.tostring(first)).add_xml_to_node(second)
    assert etree.tostring(first) == etree.tostring(second)


def test_defaults_round_trip_as_defaults(wb):
    block = wb.block(wb.load(f"<{JOURNAL}/>"))
    node = etree.Element("x")
    block.add_xml_to_node(node)
    again = reimport(wb, etree.tostring(node))
    assert course_fields(again) == course_fields(block)
    assert again.prompts == ["<p>What did you learn this week, and how did you learn it?</p>"]


def test_learner_data_is_not_exported(wb):
    usage_id = wb.load(journal_xml(**EVERY_FIELD))
    submit(wb, usage_id, "My private reflection, not for the course export.", prompt=0)
    assert wb.block(usage_id, LEARNER_A).journal_owner == LEARNER_A
    # Studio exports as the course author, whose runtime holds no learner's state.
    block = wb.block(usage_id, STAFF)
    node = etree.Element("x")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")
    assert "journal_owner" not in exported and "private reflection" not in exported
