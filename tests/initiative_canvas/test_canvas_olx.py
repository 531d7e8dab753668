"""OLX import/export: every course-team setting of the canvas survives export and re-import
exactly, a custom template and example notes with emoji, quotes and markup included;
learners' canvases are never exported."""
import io

import pytest
from lxml import etree
from xblock.fields import Scope

from tests.conftest import LEARNER_A, STAFF
from tests.initiative_canvas.test_canvas_block import CANVAS, canvas_xml, note, save
from xblocks.initiative_canvas.canvas_block import SETTINGS_SHAPE, CanvasBlock
from xblocks.initiative_canvas.canvas_templates import parse_template

TEMPLATE = {
    "id": "chancen-canvas",
    "title": "Chancen-Canvas 🚀 „intern“ & <extern>",
    "attribution": "Nach dem Business Model Canvas (Strategyzer, CC BY-SA 3.0) — angepasst",
    "licence_url": "https://creativecommons.org/licenses/by-sa/3.0/deed.de",
    "columns": 3,
    "rows": 2,
    "sections": [
        {"id": "problem", "title": "Problem 🐢", "grid": [1, 1, 2, 1],
         "questions": ['Wessen Problem ist es? "Wirklich"?', "Was kostet es heute — in € ?"]},
        {"id": "sponsor", "title": "Sponsor / Förderer", "grid": [3, 1, 1, 2], "questions": []},
        {"id": "next_step", "title": "Nächster Schritt ✓", "grid": [1, 2, 2, 1],
         "questions": ["Was testest du\tnächste Woche?"]},
    ],
}

EVERY_FIELD = {
    "display_name": 'Woche 4: "Chancen" im Unternehmen & <Ideen> — ćwiczenie 🚀',
    "instructions": '<p>Skizziere deine <em>Chance</em> &amp; teste sie. It\'s "yours" 🙂</p>\n<ul><li>eins</li></ul>',
    "template_choice": "custom",
    "custom_template": TEMPLATE,
    "example_notes": [
        note(1, "problem", "Einarbeitung dauert 6 Wochen 🐢 <b>&</b> \"zitiert\" 'so'", "pink"),
        note(2, "sponsor", "Leiterin Service 👩‍🔧", "green"),
        note(3, "next_step", "Zeile eins\nZeile zwei\tmit Tab", "blue"),
    ],
    "continue_from": "block-v1:BizMOOC+ENT+2026+type@bizmooc_canvas+block@week2",
    "required_sections": ["problem", "next_step"],
    "min_notes": 3,
    "graded": True,
    "weight": 2.5,
}


def course_fields(block):
    """The block's own course-team fields (XBlock's `name` and `tags` are not ours)."""
    return {name: getattr(block, name) for name, field in block.fields.items()
            if field.scope in (Scope.settings, Scope.content) and name not in ("name", "tags")}


def test_every_course_field_is_covered_with_a_non_default_value():
    fields = CanvasBlock.fields
    assert set(EVERY_FIELD) == set(SETTINGS_SHAPE)
    assert {name for name, field in fields.items()
            if field.scope in (Scope.settings, Scope.content)} - {"name", "tags"} == set(EVERY_FIELD)
    for name, value in EVERY_FIELD.items():
        assert fields[name].default != value, name
    assert parse_template(TEMPLATE).as_json() == TEMPLATE  # stored as studio_submit stores it


@pytest.fixture
def imported(wb):
    block = wb.block(wb.load(canvas_xml(**EVERY_FIELD)))
    assert course_fields(block) == EVERY_FIELD
    assert block.validate().empty
    return block


def reimport(wb, xml):
    return wb.block(wb.load(xml))


def test_round_trip_through_add_xml_to_node(wb, imported):
    node = etree.Element("x")
    imported.add_xml_to_node(node)
    assert node.tag == CANVAS
    again = reimport(wb, etree.tostring(node, encoding="unicode"))
    assert course_fields(again) == EVERY_FIELD
    assert type(again.weight) is float and type(again.min_notes) is int and type(again.graded) is bool
    # Emoji come back as characters, not as halves of a surrogate pair no database could store.
    assert again.example_notes[1]["text"].encode("utf-8") == "Leiterin Service 👩‍🔧".encode("utf-8")
    assert again.custom_template["title"].encode("utf-8")
    assert again.template.section("problem").title == "Problem 🐢"


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
    block = wb.block(wb.load(f"<{CANVAS}/>"))
    node = etree.Element("x")
    block.add_xml_to_node(node)
    again = reimport(wb, etree.tostring(node))
    assert course_fields(again) == course_fields(block)
    assert (again.template_choice, again.custom_template, again.example_notes, again.graded) == \
        ("business_model_canvas", {}, [], False)


def test_learner_data_is_not_exported(wb):
    usage_id = wb.load(canvas_xml(**EVERY_FIELD))
    save(wb, usage_id, [note(1, "problem", "My private opportunity")])
    assert wb.block(usage_id, LEARNER_A).canvas_owner == LEARNER_A
    # Studio exports as the course author, whose runtime holds no learner's state.
    block = wb.block(usage_id, STAFF)
    node = etree.Element("x")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")
    assert "canvas_owner" not in exported and "completed" not in exported
    assert "My private opportunity" not in exported
