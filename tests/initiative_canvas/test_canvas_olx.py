"""OLX import/export: every course-team setting of the canvas survives export and re-import
exactly, a custom template and example notes with emoji, quotes and markup included;
learners' canvases are never exported."""
from tests.conftest import LEARNER_A, STAFF
from tests.initiative_canvas.test_canvas_block import CANVAS, canvas_xml, note, save
from tests.olx import OlxRoundTrip, exported_text
from xblocks.initiative_canvas.canvas_block import CanvasBlock
from xblocks.initiative_canvas.canvas_settings import SETTINGS
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


class TestOlx(OlxRoundTrip, tag=CANVAS, block_class=CanvasBlock, olx=canvas_xml,
              settings_shape=SETTINGS.names(), every_field=EVERY_FIELD):
    """The shared round trip (tests/olx.py), with this block's own checks."""

    def check_every_field(self):
        assert parse_template(TEMPLATE).as_json() == TEMPLATE  # stored as studio_submit stores it

    def check_round_trip(self, again):
        assert type(again.weight) is float and type(again.min_notes) is int and type(again.graded) is bool
        # Emoji come back as characters, not as halves of a surrogate pair no database could store.
        assert again.example_notes[1]["text"].encode("utf-8") == "Leiterin Service 👩‍🔧".encode("utf-8")
        assert again.custom_template["title"].encode("utf-8")
        assert again.template.section("problem").title == "Problem 🐢"

    def check_defaults(self, again):
        assert (again.template_choice, again.custom_template, again.example_notes, again.graded) == \
            ("business_model_canvas", {}, [], False)


def test_learner_data_is_not_exported(wb):
    usage_id = wb.load(canvas_xml(**EVERY_FIELD))
    save(wb, usage_id, [note(1, "problem", "My private opportunity")])
    assert wb.block(usage_id, LEARNER_A).learner_id == LEARNER_A
    # Studio exports as the course author, whose runtime holds no learner's state.
    exported = exported_text(wb.block(usage_id, STAFF))
    assert "learner_id" not in exported and "completed" not in exported
    assert "My private opportunity" not in exported
