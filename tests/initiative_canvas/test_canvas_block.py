"""The business-model canvas on the real workbench runtime: learners, staff and course
authors using it as they would through the browser, one fresh runtime per request."""
import json
import re
from datetime import datetime
from types import SimpleNamespace

import lxml.html
import pytest
from django.utils import translation
from xblock.validation import ValidationMessage

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, lms_user
from tests.helpers import assert_the_browser_cannot_choose_an_event
from tests.olx import block_xml
from xblocks.common import artefacts
from xblocks.initiative_canvas.canvas_templates import built_in, parse_template
from xblocks.initiative_canvas.models import Canvas, CanvasSnapshot
from xblocks.initiative_canvas.scenarios import CANVAS_SCENARIOS

CANVAS = "bizmooc_canvas"
BMC = built_in("business_model_canvas")
EVENT_TYPES = {"completion", "grade"} | {f"bizmooc.canvas.{action}" for action in (
    "created", "snapshot_created", "snapshot_restored", "imported", "exported")}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

CUSTOM = {
    "id": "opportunity",
    "title": "Intrapreneurial opportunity",
    "columns": 2,
    "rows": 2,
    "sections": [
        {"id": "problem", "title": "Problem", "grid": [1, 1, 1, 2], "questions": ["Whose problem is it?"]},
        {"id": "sponsor", "title": "Sponsor", "grid": [2, 1, 1, 1]},
        {"id": "next_step", "title": "Next step", "grid": [2, 2, 1, 1]},
    ],
}


# Helpers (also used by the OLX and query-count tests) -------------------------------------------

def canvas_xml(**attributes):
    """OLX for one canvas block (see `tests.olx.block_xml`)."""
    return block_xml(CANVAS, **attributes)


def note(number, section="customer_segments", text=None, colour="yellow"):
    return {"id": f"n{number}", "section": section, "text": text or f"Note {number}", "colour": colour}


def save(wb, usage_id, notes, version=0, user=LEARNER_A):
    return wb.call(usage_id, "save_canvas", {"notes": notes, "version": version}, user=user)


def post(wb, usage_id, handler, body, user=LEARNER_A):
    return wb.call(usage_id, handler, body, user=user)


def get(wb, usage_id, handler, user=LEARNER_A, query=""):
    return wb.call(usage_id, handler, user=user, method="GET", query=query)


def operator(settings, **values):
    """Operator settings (XBLOCK_SETTINGS) on top of the devstack's."""
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], **values}}


def numbers(message):
    return [int(n) for n in re.findall(r"\d+", message)]


def stored():
    """Everything the canvas tables hold, to prove a refused request changed nothing."""
    return [(c.usage_id, c.user_id, c.public_id, c.template_id, c.notes, c.version, c.note_count, c.sections_filled,
             c.modified, [(s.public_id, s.name, s.template_id, s.notes) for s in c.snapshots.order_by("id")])
            for c in Canvas.objects.order_by("usage_id", "user_id")]


def view_args(wb, usage_id, user=LEARNER_A):
    """The JSON the student view hands its JavaScript."""
    fragment = wb.block(usage_id, user).student_view({})
    return json.loads(fragment.json_init_args["bizmooc"])


def section_texts(html):
    """{section id: [note texts]} from the server-rendered student view."""
    tree = lxml.html.fromstring(html)
    return {li.get("data-section"): [n.text_content() for n in li.xpath(".//li[contains(@class, 'canvas-note')]")]
            for li in tree.xpath("//li[@data-section]")}


def canvas_of(usage_id, user=LEARNER_A):
    return Canvas.objects.get(usage_id=usage_id, user_id=user)


def types(wb, usage_id=None):
    return [event.type for event in wb.events_of(usage_id)]


def snapshot(wb, usage_id, name, user=LEARNER_A):
    result = post(wb, usage_id, "create_snapshot", {"name": name}, user=user)
    assert result.status == 200, result.text
    return result.json["snapshot"]


# Saving -----------------------------------------------------------------------------------------

def test_notes_are_saved_and_shown_again_after_a_reload(wb):
    usage_id = wb.load(canvas_xml())
    first = save(wb, usage_id, [note(1, "channels", "Online shop")])
    assert first.status == 200, first.text
    assert (first.json["version"], first.json["completed"]) == (1, False) and first.json["saved_at"]
    assert first.json["progress"] == dict.fromkeys(BMC.section_ids, 0) | {"channels": 1}

    notes = [note(1, "channels", "Online shop"), note(2, "key_partners", "Couriers"),
             note(3, "channels", "Trade fairs", "blue")]
    second = save(wb, usage_id, notes, version=1)
    assert second.json["version"] == 2
    assert datetime.fromisoformat(second.json["saved_at"]) > datetime.fromisoformat(first.json["saved_at"])
    assert canvas_of(usage_id).modified.isoformat() == second.json["saved_at"]

    args = view_args(wb, usage_id)
    assert (args["notes"], args["version"], args["continued"]) == (notes, 2, False)
    assert args["template"] == BMC.as_json()
    texts = section_texts(wb.render(usage_id))
    assert texts["channels"] == ["Online shop", "Trade fairs"] and texts["key_partners"] == ["Couriers"]
    assert get(wb, usage_id, "student_view_user_state").json == {"notes": notes, "version": 2, "completed": False}
    row = canvas_of(usage_id)
    assert (row.template_id, row.note_count, row.sections_filled, row.course_id) == \
        ("business_model_canvas", 3, 2, "workbench")


def test_a_stale_version_is_a_409_with_the_newer_notes_and_changes_nothing(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1)])
    newer = [note(1), note(2, "channels", "added in tab one")]
    save(wb, usage_id, newer, version=1)
    before, published = stored(), len(wb.events)

    for version in (1, 0, 7):
        stale = save(wb, usage_id, [note(9, text="tab two never saw the newer notes")], version=version)
        assert (stale.status, stale.error_code) == (409, "version_conflict"), version
        assert stale.json["error"]["details"] == {"version": 2, "notes": newer}
    assert stored() == before
    assert len(wb.events) == published

    assert save(wb, usage_id, newer + [note(3)], version=2).json["version"] == 3


def test_a_learners_first_save_never_touches_another_learners_canvas(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Anna's idea")], user=LEARNER_A)
    assert save(wb, usage_id, [note(1, text="Ben's idea")], user=LEARNER_B).json["version"] == 1
    assert canvas_of(usage_id, LEARNER_A).notes == [note(1, text="Anna's idea")]
    assert "Anna's idea" not in wb.render(usage_id, LEARNER_B)
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json["notes"] == [note(1, text="Ben's idea")]


def test_lms_learners_are_kept_apart_by_anonymous_id(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="first learner's note")], user=lms_user("anon-aaa"))
    assert "first learner" not in wb.render(usage_id, lms_user("anon-bbb"))
    assert Canvas.objects.get().user_id == "anon-aaa"


def test_note_limits_are_operator_settings(wb, settings):
    operator(settings, CANVAS_MAX_NOTES=2, CANVAS_NOTE_MAX_CHARS=12)
    usage_id = wb.load(canvas_xml())
    assert save(wb, usage_id, [note(1, text="x" * 12), note(2)]).status == 200
    before = stored()
    many = save(wb, usage_id, [note(i) for i in range(3)], version=1)
    assert (many.status, many.error_code, numbers(many.json["error"]["message"])) == (400, "too_many_notes", [2])
    long = save(wb, usage_id, [note(1, text="x" * 13)], version=1)
    assert (long.status, long.error_code, numbers(long.json["error"]["message"])) == (400, "note_too_long", [12])
    assert stored() == before
    assert view_args(wb, usage_id)["limits"] == {"notes": 2, "chars": 12, "snapshots": 20}


HOSTILE_BODIES = [
    b'{"notes": [{"id": "n1", "section": "problem", "text": "x"}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": ["channels"], "text": "x"}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": "x", "colour": {"a": 1}}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": "\\ud800 lone surrogate"}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": "x", "author": "learner_b"}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": "x"}, {"id": "n1", "section": "channels", '
    b'"text": "y"}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": ""}], "version": 1}',
    b'{"notes": [{"id": "n1", "section": "channels", "text": "x", "colour": "purple"}], "version": 1}',
    b'{"notes": {"n1": "x"}, "version": 1}',
    b'{"notes": [], "version": "1"}',
    b'{"notes": [], "version": -1}',
    b'{"notes": [], "version": 1e400}',
    b'{"notes": [], "version": 1, "user_id": "learner_b"}',
    b'{"notes": []}',
    b'{"notes": ' + b"[" * 30_000 + b"]" * 30_000 + b', "version": 1}',
    b'[{"notes": [], "version": 1}]',
    b'{"notes": [], "version": 1',
    b"\xff\xfe",
    b"",
]


@pytest.mark.parametrize("raw", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_hostile_saves_get_a_4xx_json_error_and_change_nothing(wb, raw):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Kept as it is.")])
    before, published = stored(), len(wb.events)
    result = wb.call(usage_id, "save_canvas", raw=raw)
    assert 400 <= result.status < 500, result.text
    assert set(result.json["error"]) >= {"code", "message"}
    assert stored() == before
    assert len(wb.events) == published


def test_saving_needs_post(wb):
    usage_id = wb.load(canvas_xml())
    result = get(wb, usage_id, "save_canvas")
    assert (result.status, result.error_code) == (405, "method_not_allowed")


# Completion, grade and events ------------------------------------------------------------------

def test_completion_and_grade_are_published_once_when_the_rule_is_met(wb):
    usage_id = wb.load(canvas_xml(graded=True, weight=3, min_notes=2,
                                  required_sections=["customer_segments", "value_propositions"]))
    block = wb.block(usage_id)
    assert block.has_score and block.max_score() == 1.0

    partly = [note(1), note(2), note(3, "value_propositions")]
    assert save(wb, usage_id, partly).json["completed"] is False
    assert types(wb) == ["bizmooc.canvas.created"]
    assert wb.events[0].data == {"notes": 3}

    done = save(wb, usage_id, partly + [note(4, "value_propositions")], version=1)
    assert done.json["completed"] is True
    assert types(wb)[1:] == ["completion", "grade"]
    completion, grade = wb.events[1:]
    assert completion.data == {"completion": 1.0}
    assert grade.data == {"value": 1.0, "max_value": 1.0}
    assert completion.user_id == grade.user_id == LEARNER_A

    assert save(wb, usage_id, partly + [note(4, "value_propositions"), note(5)], version=2).json["completed"]
    assert save(wb, usage_id, [], version=3).json["completed"] is True  # completion is not taken back
    assert types(wb).count("completion") == 1 and types(wb).count("grade") == 1
    assert get(wb, usage_id, "student_view_user_state").json["completed"] is True


def test_each_learner_completes_for_themselves(wb):
    usage_id = wb.load(canvas_xml(graded=True, required_sections=["channels"]))
    save(wb, usage_id, [note(1, "channels")], user=LEARNER_A)
    save(wb, usage_id, [note(1, "key_partners")], user=LEARNER_B)
    save(wb, usage_id, [note(1, "channels")], version=1, user=LEARNER_B)
    assert [(e.user_id, e.type) for e in wb.events if e.type in ("completion", "grade")] == [
        (LEARNER_A, "completion"), (LEARNER_A, "grade"), (LEARNER_B, "completion"), (LEARNER_B, "grade")]


def test_an_ungraded_canvas_completes_without_a_grade(wb):
    usage_id = wb.load(canvas_xml(required_sections=["channels"]))
    block = wb.block(usage_id)
    assert not block.has_score and block.max_score() is None
    assert save(wb, usage_id, [note(1, "channels")]).json["completed"] is True
    assert "completion" in types(wb) and "grade" not in types(wb)


def test_without_required_sections_every_section_needs_notes(wb):
    usage_id = wb.load(canvas_xml())
    almost = [note(i, section) for i, section in enumerate(BMC.section_ids[:-1])]
    assert save(wb, usage_id, almost).json["completed"] is False
    assert save(wb, usage_id, almost + [note(99, "revenue_streams")], version=1).json["completed"] is True


def test_refusals_publish_nothing(wb):
    usage_id = wb.load(canvas_xml(required_sections=["channels"]))
    save(wb, usage_id, [note(1, "problem")])
    save(wb, usage_id, [note(1, "channels")], version=3)
    post(wb, usage_id, "create_snapshot", {"name": "too early"})
    post(wb, usage_id, "import_json", {"text": "{}", "version": 0})
    assert wb.events == []


def test_only_allow_listed_events_are_published(wb):
    usage_id = wb.load(canvas_xml(graded=True, required_sections=["channels"]))
    save(wb, usage_id, [note(1, "channels")])
    shot = snapshot(wb, usage_id, "week 2")
    post(wb, usage_id, "restore_snapshot", {"snapshot": shot["id"], "version": 1})
    exported = get(wb, usage_id, "export_canvas", query="format=json")
    get(wb, usage_id, "export_canvas", query="format=html")
    post(wb, usage_id, "import_json", {"text": exported.text, "version": 2})
    get(wb, usage_id, "view_snapshot", query=f"snapshot={shot['id']}")
    get(wb, usage_id, "download_my_data")
    get(wb, usage_id, "staff_list", user=STAFF)
    get(wb, usage_id, "export_csv", user=STAFF)
    assert set(types(wb)) == EVENT_TYPES
    assert [e.data for e in wb.events if e.type == "bizmooc.canvas.exported"] == [{"format": "json"},
                                                                                   {"format": "html"}]
    assert [e.data for e in wb.events if e.type == "bizmooc.canvas.imported"] == [{"notes": 1}]
    assert_the_browser_cannot_choose_an_event(wb, usage_id)


# Snapshots -------------------------------------------------------------------------------------

def test_snapshots_are_created_listed_viewed_and_restored(wb):
    usage_id = wb.load(canvas_xml())
    week2 = [note(1, "channels", "Shop in the village"), note(2, "key_partners", "Baker")]
    save(wb, usage_id, week2)
    first = snapshot(wb, usage_id, "  week 2 ")
    assert (first["name"], first["template"]) == ("week 2", "business_model_canvas") and first["created"]
    week3 = [note(3, "channels", "Online shop")]
    save(wb, usage_id, week3, version=1)
    second = snapshot(wb, usage_id, "week 3 ✓")

    listed = view_args(wb, usage_id)["snapshots"]
    assert [(s["id"], s["name"]) for s in listed] == [(second["id"], "week 3 ✓"), (first["id"], "week 2")]

    page = get(wb, usage_id, "view_snapshot", query=f"snapshot={first['id']}")
    assert page.status == 200 and page.response.content_type == "text/html"
    assert "<title>week 2</title>" in page.text
    assert "Shop in the village" in page.text and "Baker" in page.text and "Online shop" not in page.text

    restored = post(wb, usage_id, "restore_snapshot", {"snapshot": first["id"], "version": 2})
    assert restored.status == 200, restored.text
    assert (restored.json["notes"], restored.json["version"]) == (week2, 3)
    assert restored.json["progress"]["key_partners"] == 1
    assert canvas_of(usage_id).notes == week2
    assert CanvasSnapshot.objects.count() == 2  # restoring keeps every snapshot
    assert types(wb).count("bizmooc.canvas.snapshot_created") == 2
    assert types(wb).count("bizmooc.canvas.snapshot_restored") == 1


def test_restoring_from_a_stale_version_is_a_409_and_changes_nothing(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1)])
    shot = snapshot(wb, usage_id, "week 1")
    save(wb, usage_id, [note(2)], version=1)
    before = stored()
    stale = post(wb, usage_id, "restore_snapshot", {"snapshot": shot["id"], "version": 1})
    assert (stale.status, stale.error_code) == (409, "version_conflict")
    assert stale.json["error"]["details"] == {"version": 2, "notes": [note(2)]}
    assert stored() == before


def test_a_snapshot_needs_a_canvas_and_a_name(wb):
    usage_id = wb.load(canvas_xml())
    none_yet = post(wb, usage_id, "create_snapshot", {"name": "week 1"})
    assert (none_yet.status, none_yet.error_code) == (400, "no_canvas")
    save(wb, usage_id, [note(1)])
    assert post(wb, usage_id, "create_snapshot", {"name": "   "}).error_code == "too_short"
    long = post(wb, usage_id, "create_snapshot", {"name": "n" * 81})
    assert (long.error_code, numbers(long.json["error"]["message"])) == ("too_long", [81 - 1])
    assert not CanvasSnapshot.objects.exists()


def test_snapshots_are_limited(wb, settings):
    operator(settings, CANVAS_MAX_SNAPSHOTS=2)
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1)])
    snapshot(wb, usage_id, "one")
    snapshot(wb, usage_id, "two")
    third = post(wb, usage_id, "create_snapshot", {"name": "three"})
    assert (third.status, third.error_code, numbers(third.json["error"]["message"])) == \
        (400, "too_many_snapshots", [2])
    assert sorted(CanvasSnapshot.objects.values_list("name", flat=True)) == ["one", "two"]
    # Another learner has their own allowance.
    save(wb, usage_id, [note(1)], user=LEARNER_B)
    assert snapshot(wb, usage_id, "Ben's one", user=LEARNER_B)["name"] == "Ben's one"


def test_another_learners_snapshot_or_canvas_id_is_not_found_and_nothing_leaks(wb):
    usage_id = wb.load(canvas_xml())
    secret = "Anna's secret partner"
    save(wb, usage_id, [note(1, "key_partners", secret)], user=LEARNER_A)
    theirs = snapshot(wb, usage_id, "Anna's week 2", user=LEARNER_A)["id"]
    canvas_id = str(canvas_of(usage_id, LEARNER_A).public_id)

    def attempts():
        for snapshot_id in (theirs, canvas_id, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
            yield get(wb, usage_id, "view_snapshot", user=LEARNER_B, query=f"snapshot={snapshot_id}")
            yield post(wb, usage_id, "restore_snapshot", {"snapshot": snapshot_id, "version": 0}, user=LEARNER_B)

    before = stored()
    for result in attempts():  # Ben has no canvas yet
        assert (result.status, result.error_code) == (404, "not_found"), result.text
        assert secret not in result.text and "Anna" not in result.text
    assert stored() == before

    save(wb, usage_id, [note(1, text="Ben's own")], user=LEARNER_B)
    before = stored()
    for result in attempts():  # nor once he has one
        assert (result.status, result.error_code) == (404, "not_found"), result.text
        assert secret not in result.text
    assert stored() == before
    assert canvas_of(usage_id, LEARNER_B).notes == [note(1, text="Ben's own")]
    assert view_args(wb, usage_id, LEARNER_B)["snapshots"] == []
    assert secret not in wb.render(usage_id, LEARNER_B)

    # Anna's own snapshot is hers in this block only.
    other_block = wb.load(canvas_xml())
    save(wb, other_block, [note(1)], user=LEARNER_A)
    elsewhere = get(wb, other_block, "view_snapshot", user=LEARNER_A, query=f"snapshot={theirs}")
    assert (elsewhere.status, elsewhere.error_code) == (404, "not_found")


def test_a_snapshot_taken_with_another_template_is_shown_but_not_restored(wb):
    usage_id = wb.load(canvas_xml())
    bmc_notes = [note(1, "key_partners", "Bakery co-op"), note(2, "channels", "Market stall")]
    save(wb, usage_id, bmc_notes)
    shot = snapshot(wb, usage_id, "as a BMC")
    # The course team switches the block to the Lean Canvas; the learner starts again.
    author = wb.block(usage_id, STAFF)
    author.template_choice = "lean_canvas"
    author.save()
    save(wb, usage_id, [note(3, "problem", "Nobody sells bread after 6pm")], version=1)
    before = stored()

    refused = post(wb, usage_id, "restore_snapshot", {"snapshot": shot["id"], "version": 2})
    assert (refused.status, refused.error_code) == (403, "other_template")
    assert stored() == before

    # "Open it to copy its notes": the page shows the snapshot in its own template, every note.
    page = get(wb, usage_id, "view_snapshot", query=f"snapshot={shot['id']}")
    assert page.status == 200
    assert "Bakery co-op" in page.text and "Market stall" in page.text
    assert "Key partners" in page.text and "Business Model Canvas" in page.text


def test_restoring_checks_the_notes_against_the_template_as_it_is_now(wb):
    # A custom template keeps its id while the course team edits it: a snapshot may hold
    # notes of a section that is gone, which no later save could store.
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=CUSTOM))
    save(wb, usage_id, [note(1, "problem"), note(2, "sponsor")])
    shot = snapshot(wb, usage_id, "with a sponsor")
    author = wb.block(usage_id, STAFF)
    author.custom_template = dict(CUSTOM, sections=[CUSTOM["sections"][0],
                                                    {"id": "next_step", "title": "Next", "grid": [2, 1, 1, 2]}])
    author.save()
    save(wb, usage_id, [note(1, "problem")], version=1)
    before = stored()
    result = post(wb, usage_id, "restore_snapshot", {"snapshot": shot["id"], "version": 2})
    assert (result.status, result.error_code) == (400, "unknown_section")
    assert "'sponsor'" in result.json["error"]["message"]
    assert stored() == before


# Export and import -----------------------------------------------------------------------------

def test_json_export_imports_again_into_another_block(wb):
    week2, week5 = wb.load(canvas_xml(display_name="Week 2")), wb.load(canvas_xml())
    notes = [note(1, "channels", "Pop-up shop 🛍"), note(2, "cost_structure", "=1+1", "pink"),
             note(3, "channels", HOSTILE, "green")]
    save(wb, week2, notes)
    exported = get(wb, week2, "export_canvas", query="format=json")
    assert exported.status == 200
    assert exported.response.headers["Content-Disposition"] == 'attachment; filename="canvas.json"'
    document = json.loads(exported.text)
    assert (document["format"], document["title"], document["notes"]) == ("bizmooc-canvas/1", "Week 2", notes)
    assert document["template"] == BMC.as_json()

    imported = post(wb, week5, "import_json", {"text": exported.text, "version": 0}, user=LEARNER_B)
    assert imported.status == 200, imported.text
    assert (imported.json["notes"], imported.json["version"]) == (notes, 1)
    assert canvas_of(week5, LEARNER_B).notes == notes
    assert json.loads(get(wb, week5, "export_canvas", user=LEARNER_B, query="format=json").text)["notes"] == notes
    assert [e.type for e in wb.events_of(week5)] == ["bizmooc.canvas.created", "bizmooc.canvas.imported",
                                                     "bizmooc.canvas.exported"]


def test_export_without_a_canvas_is_an_empty_canvas(wb):
    usage_id = wb.load(canvas_xml())
    assert json.loads(get(wb, usage_id, "export_canvas", query="format=json").text)["notes"] == []
    assert not Canvas.objects.exists()


@pytest.mark.parametrize("query, code", [("format=pdf", "invalid_choice"), ("", "missing_field")])
def test_export_format_is_checked(wb, query, code):
    usage_id = wb.load(canvas_xml())
    result = get(wb, usage_id, "export_canvas", query=query)
    assert (result.status, result.error_code) == (400, code)


LEAN_EXPORT = json.dumps({"format": "bizmooc-canvas/1", "title": "Lean", "template": {},
                          "notes": [note(1, "problem", "Lean only")]})


@pytest.mark.parametrize("text, code", [
    ("{not json", "invalid_json"),
    ("[" * 30_000 + "]" * 30_000, "invalid_json"),
    ("[]", "invalid_import"),
    ('{"format": "something else", "notes": []}', "invalid_import"),
    (LEAN_EXPORT, "other_template"),  # was "unknown_section" (issue 13): named, and offered in part
    ('{"format": "bizmooc-canvas/1", "notes": [{"id": "n1", "section": "channels", "text": "x", "colour": "red"}]}',
     "invalid_colour"),
])
def test_a_malformed_import_is_a_400_and_changes_nothing(wb, text, code):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Kept as it is.")])
    before, published = stored(), len(wb.events)
    result = post(wb, usage_id, "import_json", {"text": text, "version": 1})
    assert (result.status, result.error_code) == (400, code)
    assert stored() == before
    assert len(wb.events) == published


def test_an_import_from_another_template_names_it_and_takes_the_fitting_notes_when_confirmed(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Replaced by the import.")])
    lean = json.dumps({"format": "bizmooc-canvas/1", "title": "Lean", "template": {"id": "lean_canvas"},
                       "notes": [note(1, "problem", "Lean only"), note(2, "channels", "Shop <b>")]})
    refused = post(wb, usage_id, "import_json", {"text": lean, "version": 1})
    assert (refused.status, refused.error_code) == (400, "other_template")
    error = refused.json["error"]
    assert error["message"] == "This file comes from another template: Lean Canvas."
    assert error["details"] == {"template": "Lean Canvas", "fitting": 1, "left_out": ["Problem"]}
    result = post(wb, usage_id, "import_json", {"text": lean, "version": 1, "fitting_only": True})
    assert result.status == 200 and result.json["notes"] == [note(2, "channels", "Shop <b>")]
    assert canvas_of(usage_id).notes == [note(2, "channels", "Shop <b>")]
    assert post(wb, usage_id, "import_json", {"text": lean, "version": 2, "fitting_only": "yes"}).status == 400


def test_an_import_over_a_newer_canvas_is_a_409(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1)])
    exported = get(wb, usage_id, "export_canvas", query="format=json").text
    save(wb, usage_id, [note(2)], version=1)
    result = post(wb, usage_id, "import_json", {"text": exported, "version": 1})
    assert (result.status, result.error_code) == (409, "version_conflict")
    assert canvas_of(usage_id).notes == [note(2)]


def test_an_import_obeys_the_note_limits(wb, settings):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(i) for i in range(5)])
    exported = get(wb, usage_id, "export_canvas", query="format=json").text
    operator(settings, CANVAS_MAX_NOTES=4)
    result = post(wb, usage_id, "import_json", {"text": exported, "version": 1})
    assert (result.status, result.error_code) == (400, "too_many_notes")


def test_printable_page_is_a_whole_page_with_every_note_escaped(wb):
    usage_id = wb.load(canvas_xml(display_name="Week 2: <my> canvas"))
    save(wb, usage_id, [note(1, "channels", HOSTILE), note(2, "revenue_streams", "Line one\nline two")])
    page = get(wb, usage_id, "export_canvas", query="format=html")
    assert page.status == 200 and page.response.content_type == "text/html"
    html = page.text
    assert html.startswith("<!DOCTYPE html>") and "<title>Week 2: &lt;my&gt; canvas</title>" in html
    assert HOSTILE_ESCAPED in html and "<script>" not in html and "<img" not in html
    assert "Line one<br>line two" in html
    assert "Strategyzer" in html  # the licence travels with the canvas


# Continue from another canvas block ------------------------------------------------------------

def test_continue_from_starts_from_the_learners_own_canvas_in_the_other_block(wb):
    week2 = wb.load(canvas_xml())
    save(wb, week2, [note(1, "channels", "Anna's channel"), note(2, "key_partners", "Anna's partner"),
                     note(3, "customer_segments", "Anna's customers")], user=LEARNER_A)
    save(wb, week2, [note(1, "channels", "Ben's channel")], user=LEARNER_B)
    week5 = wb.load(canvas_xml(template_choice="lean_canvas", continue_from=week2))

    # Only the notes of sections this template has (the Lean Canvas has no key partners).
    anna = view_args(wb, week5, LEARNER_A)
    assert (anna["continued"], anna["version"]) == (True, 0)
    assert anna["notes"] == [note(1, "channels", "Anna's channel"), note(3, "customer_segments", "Anna's customers")]
    texts = section_texts(wb.render(week5, LEARNER_A))
    assert texts["channels"] == ["Anna's channel"] and "Anna's partner" not in str(texts)

    # Never from another learner's canvas.
    ben = view_args(wb, week5, LEARNER_B)
    assert ben["notes"] == [note(1, "channels", "Ben's channel")]
    carla = view_args(wb, week5, "carla")
    assert (carla["notes"], carla["continued"]) == ([], False)
    assert "Anna" not in wb.render(week5, "carla") and "Anna" not in wb.render(week5, LEARNER_B)
    assert not Canvas.objects.filter(usage_id=week5).exists()  # nothing is copied until the learner saves

    # Once the learner saved here, this block's canvas is theirs, whatever happens in week 2.
    save(wb, week5, anna["notes"] + [note(4, "problem", "New problem")], user=LEARNER_A)
    save(wb, week2, [note(9, "channels", "Changed later")], version=1, user=LEARNER_A)
    again = view_args(wb, week5, LEARNER_A)
    assert (again["continued"], again["version"]) == (False, 1)
    assert [n["text"] for n in again["notes"]] == ["Anna's channel", "Anna's customers", "New problem"]


# Staff -----------------------------------------------------------------------------------------

STAFF_HANDLERS = [("staff_list", ""), ("staff_canvas", "canvas={canvas}"), ("export_csv", ""),
                  ("export_all_json", "")]


@pytest.mark.parametrize("handler, query", STAFF_HANDLERS)
def test_staff_handlers_are_refused_to_learners_and_visitors(wb, handler, query):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Private enough.")])
    query = query.format(canvas=canvas_of(usage_id).public_id)
    for user, code in ((LEARNER_A, "forbidden"), (LEARNER_B, "forbidden"), (lms_user("anon-x"), "forbidden"),
                       (LMS_ANONYMOUS, "not_signed_in")):
        result = get(wb, usage_id, handler, user=user, query=query)
        assert (result.status, result.error_code) == (403, code), user
        assert "Private enough." not in result.text
    assert get(wb, usage_id, handler, user=STAFF, query=query).status == 200
    assert get(wb, usage_id, handler, user=lms_user("anon-staff", is_staff=True), query=query).status == 200


def _class_of_three(wb, **settings):
    usage_id = wb.load(canvas_xml(**settings))
    save(wb, usage_id, [note(1, "channels", "Anna's channel"), note(2, "channels", "=cmd|' /C calc'!A0"),
                        note(3, "key_partners", "+Anna's partner", "green")], user="anna")
    save(wb, usage_id, [note(1, "customer_segments", HOSTILE, "pink")], user="ben")
    save(wb, usage_id, [note(1, "revenue_streams", "@SUM(1)")], user="carla")
    return usage_id


def test_staff_list_shows_progress_per_section(wb):
    usage_id = _class_of_three(wb)
    save(wb, usage_id, [note(1, "channels", "Anna's channel")], version=1, user="anna")  # the latest change
    result = get(wb, usage_id, "staff_list", user=STAFF)
    assert result.status == 200
    listing = result.json
    assert listing["sections"] == [{"id": s.id, "title": s.title} for s in BMC.sections]
    assert (listing["page"], listing["has_next"], listing["total"]) == (1, False, 3)
    assert [(r["learner"], r["notes"], r["sections_filled"]) for r in listing["rows"]] == [
        ("anna", 1, 1), ("carla", 1, 1), ("ben", 1, 1)]
    assert {r["canvas"] for r in listing["rows"]} == {str(c.public_id) for c in Canvas.objects.all()}
    assert all(r["modified"] for r in listing["rows"])
    assert HOSTILE not in result.text  # the list has figures, not notes


def test_staff_list_names_learners_by_username_where_the_platform_knows_them(wb, monkeypatch):
    """In the LMS staff read usernames (seams.usernames_of, one query for the page); an id the
    platform does not know stays anonymous."""
    usage_id = _class_of_three(wb)
    asked = []

    def usernames_of(ids):
        asked.append(sorted(ids))
        return {"anna": "anna_k", "ben": "ben.m"}
    monkeypatch.setattr("xblocks.common.seams.usernames_of", usernames_of)
    rows = get(wb, usage_id, "staff_list", user=STAFF).json["rows"]
    assert sorted(r["learner"] for r in rows) == ["anna_k", "ben.m", "carla"]
    assert asked == [["anna", "ben", "carla"]]


def test_staff_list_is_paged(wb, settings):
    operator(settings, STAFF_PAGE_SIZE=2)
    usage_id = _class_of_three(wb)
    first = get(wb, usage_id, "staff_list", user=STAFF, query="page=1").json
    second = get(wb, usage_id, "staff_list", user=STAFF, query="page=2").json
    assert (len(first["rows"]), first["has_next"], len(second["rows"]), second["has_next"]) == (2, True, 1, False)
    assert {r["learner"] for r in first["rows"] + second["rows"]} == {"anna", "ben", "carla"}
    assert get(wb, usage_id, "staff_list", user=STAFF, query="page=0").error_code == "out_of_range"
    assert get(wb, usage_id, "staff_list", user=STAFF, query="page=x").error_code == "invalid_type"


def test_staff_see_one_canvas_read_only_and_escaped(wb):
    usage_id = _class_of_three(wb)
    ben = canvas_of(usage_id, "ben")
    result = get(wb, usage_id, "staff_canvas", user=STAFF, query=f"canvas={ben.public_id}")
    assert result.status == 200
    html = result.json["html"]
    assert HOSTILE_ESCAPED in html and "<script>" not in html and "<img" not in html
    assert "Anna" not in html
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//button|//textarea|//input|//*[@contenteditable]")
    assert [li.text_content() for li in tree.xpath("//li[contains(@class, 'canvas-note')]")] == \
        ["Risk " + HOSTILE]  # its label in words, then the text


def test_staff_canvas_of_another_block_or_an_unknown_id_is_not_found(wb):
    usage_id = _class_of_three(wb)
    other = wb.load(canvas_xml())
    anna = canvas_of(usage_id, "anna").public_id
    for query in (f"canvas={anna}", "canvas=00000000-0000-0000-0000-000000000000", "canvas=anna"):
        result = get(wb, other, "staff_canvas", user=STAFF, query=query)
        assert (result.status, result.error_code) == (404, "not_found"), query
        assert "Anna" not in result.text
    assert get(wb, other, "staff_canvas", user=STAFF).error_code == "missing_field"


def test_csv_export_has_every_note_and_is_safe_in_spreadsheets(wb):
    usage_id = _class_of_three(wb)
    result = get(wb, usage_id, "export_csv", user=STAFF)
    assert result.status == 200 and result.response.content_type == "text/csv"
    assert result.response.headers["Content-Disposition"] == 'attachment; filename="canvases.csv"'
    rows = result.csv_dicts
    assert list(rows[0]) == ["learner", "canvas", "section", "section_id", "position", "label", "text", "modified"]
    assert [(r["learner"], r["section"], r["section_id"], r["position"], r["label"], r["text"]) for r in rows] == [
        ("anna", "Key partners", "key_partners", "1", "Tested", "'+Anna's partner"),
        ("anna", "Channels", "channels", "1", "Idea", "Anna's channel"),
        ("anna", "Channels", "channels", "2", "Idea", "'=cmd|' /C calc'!A0"),
        ("ben", "Customer segments", "customer_segments", "1", "Risk", HOSTILE),
        ("carla", "Revenue streams", "revenue_streams", "1", "Idea", "'@SUM(1)"),
    ]
    with translation.override("de"):
        german = get(wb, usage_id, "export_csv", user=STAFF).csv_dicts
    assert german[0]["section"] == "Schlüsselpartner" and german[0]["section_id"] == "key_partners"
    assert rows[0]["canvas"] == str(canvas_of(usage_id, "anna").public_id) and rows[0]["modified"]
    assert all(not r[field].startswith(("=", "+", "-", "@")) for r in rows for field in r)


def test_json_export_of_every_canvas(wb):
    usage_id = _class_of_three(wb)
    result = get(wb, usage_id, "export_all_json", user=STAFF)
    assert result.response.headers["Content-Disposition"] == 'attachment; filename="canvases.json"'
    document = json.loads(result.text)
    assert document["template"] == BMC.as_json()
    assert {(c["learner"], c["canvas"]) for c in document["canvases"]} == {
        (c.user_id, str(c.public_id)) for c in Canvas.objects.all()}
    assert {c["learner"]: c["notes"] for c in document["canvases"]}["ben"] == [
        note(1, "customer_segments", HOSTILE, "pink")]


def test_generate_report_data_gives_one_row_per_learner_with_a_column_per_section(wb):
    usage_id = _class_of_three(wb)
    block = wb.block(usage_id, STAFF)
    # As Open edX's user_state_iterator gives them: username and the learner's user state.
    states = [SimpleNamespace(username=name.title(), state={"learner_id": wb.block(usage_id, name).learner_id})
              for name in ("anna", "ben", "carla", "dora")]
    assert states[3].state == {"learner_id": ""}  # Dora never saved
    rows = list(block.generate_report_data(iter(states)))
    assert [username for username, _ in rows] == ["Anna", "Ben", "Carla"]
    anna = rows[0][1]
    assert list(anna) == [s.title for s in BMC.sections]
    assert anna["Channels"] == "Anna's channel\n=cmd|' /C calc'!A0"
    assert anna["Key partners"] == "+Anna's partner" and anna["Revenue streams"] == ""
    assert rows[1][1]["Customer segments"] == HOSTILE
    assert len(list(block.generate_report_data(iter(states), limit_responses=2))) == 2


def test_the_report_finds_learners_under_the_field_name_of_earlier_releases(wb):
    usage_id = _class_of_three(wb)
    states = [SimpleNamespace(username="Anna", state={"canvas_owner": "anna"})]
    [(username, row)] = wb.block(usage_id, STAFF).generate_report_data(iter(states))
    assert username == "Anna" and row["Channels"] == "Anna's channel\n=cmd|' /C calc'!A0"


# Escaping learner text everywhere ----------------------------------------------------------------

def test_html_in_notes_shows_as_text_in_the_student_view(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, "channels", HOSTILE)])
    html = wb.render(usage_id)
    assert HOSTILE_ESCAPED in html
    assert '<script>alert("x")' not in html and "<img src=x" not in html
    raw_args = wb.block(usage_id).student_view({}).json_init_args["bizmooc"]
    assert "<" not in raw_args and ">" not in raw_args  # cannot end the script element it is written into
    assert json.loads(raw_args)["notes"][0]["text"] == HOSTILE


# The canvas as an artefact (peer review) ------------------------------------------------------

def test_the_canvas_is_an_artefact_rendered_by_public_id_without_its_author(wb):
    usage_id = wb.load(canvas_xml())
    author = lms_user("anon-author-7f3a", username="ana_the_author")
    save(wb, usage_id, [note(1, "channels", HOSTILE), note(2, "key_partners", "Bakery co-op", "green")], user=author)
    found = Canvas.objects.get()
    assert "canvas" in artefacts.artefact_kinds()

    html = artefacts.render_artefact("canvas", str(found.public_id), lambda text: text)
    assert HOSTILE_ESCAPED in html and "<script>" not in html
    assert "Bakery co-op" in html and "Key partners" in html and "Strategyzer" in html
    for identity in ("anon-author-7f3a", "ana_the_author", found.user_id):
        assert identity not in html

    summary = artefacts.artefact_summary("canvas", str(found.public_id))
    assert summary == f"Key partners:\n- Bakery co-op\n\nChannels:\n- {HOSTILE}"


def test_a_snapshot_is_an_artefact_as_it_was_when_taken(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, "channels", "Submitted for review")])
    shot = snapshot(wb, usage_id, "week 6 copy")
    save(wb, usage_id, [note(1, "channels", "Changed afterwards")], version=1)
    html = artefacts.render_artefact("canvas", shot["id"], lambda text: text)
    assert "Submitted for review" in html and "Changed afterwards" not in html
    assert "week 6 copy" not in html and LEARNER_A not in html
    assert artefacts.artefact_summary("canvas", shot["id"]) == "Channels:\n- Submitted for review"


def test_an_artefact_is_rendered_in_the_readers_language_and_its_own_template(wb):
    usage_id = wb.load(canvas_xml(template_choice="lean_canvas"))
    save(wb, usage_id, [note(1, "problem", "Bread after 6pm")])
    html = artefacts.render_artefact("canvas", str(Canvas.objects.get().public_id), str.upper)
    assert "PROBLEM" in html and "LEAN CANVAS" in html and "Bread after 6pm" in html  # learner text untouched


def test_a_custom_template_canvas_stays_readable_after_the_template_changes(wb):
    """The custom template is kept with the canvas (and its snapshots): peer review can still
    show a canvas whose block now uses another template."""
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=CUSTOM))
    save(wb, usage_id, [note(1, "problem", "Night-shift nurses lose handover notes")])
    shot = snapshot(wb, usage_id, "before the change")
    block = wb.block(usage_id, STAFF)
    block.template_choice = "lean_canvas"
    block.save()
    for artefact_id in (str(Canvas.objects.get().public_id), shot["id"]):
        html = artefacts.render_artefact("canvas", artefact_id, lambda text: text)
        assert "Intrapreneurial opportunity" in html and "Night-shift nurses lose handover notes" in html
    page = wb.call(usage_id, "view_snapshot", method="GET", query=f"snapshot={shot['id']}")
    assert "Intrapreneurial opportunity" in page.text and "Night-shift nurses" in page.text


@pytest.mark.parametrize("artefact_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "", None])
def test_an_unknown_artefact_is_none(wb, artefact_id):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1)])
    assert artefacts.render_artefact("canvas", artefact_id, lambda text: text) is None
    assert artefacts.artefact_summary("canvas", artefact_id) is None
    assert artefacts.render_artefact("no-such-kind", str(Canvas.objects.get().public_id), str) is None


# Studio ----------------------------------------------------------------------------------------

EXAMPLE = [{"id": "e1", "section": "problem", "text": "Onboarding takes six weeks 🐢"}]
SETTINGS = {
    "display_name": "Week 4: your opportunity",
    "instructions": '<p onclick="steal()">Map <em>it</em>.<script>alert(1)</script></p>',
    "template_choice": "custom",
    "custom_template": dict(CUSTOM, title="  Intrapreneurial opportunity  "),
    "example_notes": EXAMPLE,
    "continue_from": "  block-v1:BizMOOC+ENT+2026+type@bizmooc_canvas+block@week2 ",
    "required_sections": ["problem", "sponsor"],
    "min_notes": 2,
    "graded": True,
    "weight": 2.5,
}


def test_studio_saves_the_settings_normalised(wb):
    usage_id = wb.load(canvas_xml())
    result = wb.call(usage_id, "studio_submit", SETTINGS, user=STUDIO_STAFF)
    assert (result.status, result.json) == (200, {"saved": True})
    block = wb.block(usage_id, LEARNER_A)
    assert block.custom_template == parse_template(CUSTOM).as_json()
    assert block.custom_template["title"] == "Intrapreneurial opportunity"
    assert block.example_notes == [dict(EXAMPLE[0], colour="yellow")]
    assert block.instructions == "<p>Map <em>it</em>.</p>"
    assert block.continue_from == "block-v1:BizMOOC+ENT+2026+type@bizmooc_canvas+block@week2"
    for name in ("display_name", "template_choice", "required_sections", "min_notes", "graded", "weight"):
        assert getattr(block, name) == SETTINGS[name], name
    assert block.template.section_ids == ("problem", "sponsor", "next_step")
    assert block.validate().empty


def test_studio_keeps_the_custom_template_when_a_built_in_is_chosen(wb):
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=CUSTOM))
    body = dict(SETTINGS, template_choice="lean_canvas", custom_template=None, example_notes=[],
                required_sections=["problem", "unfair_advantage"])
    assert wb.call(usage_id, "studio_submit", body, user=STUDIO_STAFF).status == 200
    block = wb.block(usage_id)
    assert (block.template_choice, block.custom_template) == ("lean_canvas", CUSTOM)
    assert block.template.id == "lean_canvas"


@pytest.mark.parametrize("changes, code, mentioned", [
    ({"custom_template": dict(CUSTOM, sections=CUSTOM["sections"] + [
        {"id": "budget", "title": "Budget", "grid": [1, 2, 2, 1]}])}, "invalid_template", ["'problem'", "'budget'"]),
    ({"custom_template": dict(CUSTOM, columns=1)}, "invalid_template", []),
    ({"custom_template": None}, "invalid_template", []),
    ({"template_choice": "lean_canvas", "custom_template": {"title": "half done"}, "example_notes": [],
      "required_sections": []}, "invalid_template", []),
    ({"required_sections": ["problem", "revenue_streams"]}, "unknown_section", ["'revenue_streams'"]),
    ({"template_choice": "lean_canvas", "custom_template": None}, "unknown_section", ["'sponsor'"]),
    ({"continue_from": "  "}, None, []),
    ({"example_notes": [{"id": "e1", "section": "channels", "text": "x"}]}, "unknown_section", ["'channels'"]),
    ({"example_notes": [{"id": "e1", "section": "problem", "text": "x" * 281}]}, "note_too_long", []),
    ({"example_notes": [{"id": "e1", "section": "problem", "text": "x", "colour": "red"}]}, "invalid_colour", []),
    ({"example_notes": {"e1": "x"}}, "invalid_notes", []),
    ({"template_choice": "swot"}, "invalid_choice", []),
    ({"min_notes": 51}, "out_of_range", []),
    ({"weight": -1}, "out_of_range", []),
    ({"graded": "yes"}, "invalid_type", []),
    ({"display_name": " "}, "too_short", []),
    ({"has_score": True}, "unknown_field", []),
])
def test_studio_refuses_impossible_settings_and_changes_nothing(wb, changes, code, mentioned):
    usage_id = wb.load(canvas_xml())
    result = wb.call(usage_id, "studio_submit", dict(SETTINGS, **changes), user=STUDIO_STAFF)
    if code is None:  # a blank "continue from" is no continuation: accepted
        assert result.status == 200 and wb.block(usage_id).continue_from == ""
        return
    assert (result.status, result.error_code) == (400, code), result.text
    for text in mentioned:
        assert text in result.json["error"]["message"]
    block = wb.block(usage_id)
    assert (block.display_name, block.template_choice, block.custom_template, block.example_notes) == \
        ("Business model canvas", "business_model_canvas", {}, [])


def test_studio_refuses_a_canvas_that_continues_from_itself(wb):
    usage_id = wb.load(canvas_xml())
    result = wb.call(usage_id, "studio_submit", dict(SETTINGS, continue_from=f" {usage_id} "), user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, "invalid_continue_from")
    assert result.json["error"]["field"] == "continue_from"
    assert wb.block(usage_id).continue_from == ""


def test_learners_cannot_change_settings(wb):
    usage_id = wb.load(canvas_xml())
    result = wb.call(usage_id, "studio_submit", SETTINGS, user=LEARNER_A)
    assert (result.status, result.error_code) == (403, "forbidden")
    assert wb.block(usage_id).display_name == "Business model canvas"


def _messages(block):
    return [(message.type, message.text) for message in block.validate().messages]


def test_a_well_configured_block_has_no_validation_messages(wb):
    assert _messages(wb.block(wb.load(canvas_xml()))) == []
    assert _messages(wb.block(wb.load(canvas_xml(template_choice="custom", custom_template=CUSTOM,
                                                 example_notes=EXAMPLE, required_sections=["sponsor"])))) == []


def test_every_workbench_scenario_is_valid(wb):
    for _name, xml in CANVAS_SCENARIOS:
        assert _messages(wb.block(wb.load(xml))) == [], _name


def test_a_broken_custom_template_is_an_error_and_learners_get_the_business_model_canvas(wb):
    broken = dict(CUSTOM, sections=CUSTOM["sections"] + [{"id": "budget", "title": "B", "grid": [2, 2, 1, 1]}])
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=broken))
    block = wb.block(usage_id)
    [(kind, text)] = _messages(block)
    assert kind == ValidationMessage.ERROR and "'next_step'" in text and "'budget'" in text
    assert block.template.id == "business_model_canvas"
    assert "Key partners" in wb.render(usage_id)


@pytest.mark.parametrize("attributes, mentioned", [
    ({"required_sections": ["channels", "problem"]}, "'problem'"),
    ({"template_choice": "lean_canvas", "example_notes": [note(1, "key_partners")]}, "'key_partners'"),
    ({"example_notes": [note(1), note(1, "channels")]}, None),
    ({"template_choice": "swot"}, None),
])
def test_validate_explains_settings_that_do_not_fit(wb, attributes, mentioned):
    block = wb.block(wb.load(canvas_xml(**attributes)))
    [(kind, text)] = _messages(block)
    assert kind == ValidationMessage.ERROR and text
    if mentioned:
        assert mentioned in text
    assert block.template.id in ("business_model_canvas", "lean_canvas")  # learners still get a canvas


def test_studio_and_author_views_get_what_they_edit(wb):
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=CUSTOM, example_notes=EXAMPLE,
                                  required_sections=["problem"], min_notes=3))
    fragment = wb.block(usage_id, STAFF).studio_view({})
    assert fragment.js_init_fn == "BizMOOCCanvasStudio"
    args = json.loads(fragment.json_init_args["bizmooc"])
    assert (args["template_choice"], args["custom_template"], args["example_notes"], args["required_sections"]) == \
        ("custom", CUSTOM, EXAMPLE, ["problem"])
    assert args["built_in"] == {t: built_in(t).as_json() for t in
                                ("business_model_canvas", "lean_canvas", "value_proposition_canvas")}
    author = wb.render(usage_id, STAFF, "author_view")
    assert "Intrapreneurial opportunity" in author and "Problem, Sponsor, Next step" in author
    assert "Notes needed per required section: 3" in author


# Mobile, my data, visitors ---------------------------------------------------------------------

def test_student_view_data_describes_the_block_without_learner_data(wb):
    usage_id = wb.load(canvas_xml(display_name="Week 2", instructions='<p onmouseover="x()">Map it</p>',
                                  template_choice="value_proposition_canvas", required_sections=["pains"],
                                  min_notes=2, graded=True, example_notes=[note(1, "pains", "Queues")]))
    save(wb, usage_id, [note(1, "gains", "My secret gain")])
    data = wb.block(usage_id).student_view_data()
    assert data == {
        "display_name": "Week 2", "instructions": "<p>Map it</p>",
        "template": built_in("value_proposition_canvas").as_json(),
        "colours": [{"key": "yellow", "label": "Idea"}, {"key": "green", "label": "Tested"},
                    {"key": "blue", "label": "Question"}, {"key": "pink", "label": "Risk"},
                    {"key": "grey", "label": "Note"}],
        "example_notes": [note(1, "pains", "Queues")], "required_sections": ["pains"], "min_notes": 2,
        "limits": {"notes": 300, "chars": 280}, "graded": True,
    }
    assert "My secret gain" not in json.dumps(data)


def test_multi_device_support_is_declared(wb):
    block = wb.block(wb.load(canvas_xml()))
    assert block.has_support(block.student_view, "multi_device")


def test_student_view_user_state_is_the_callers_own(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Anna's note")])
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json == {
        "notes": [], "version": 0, "completed": False}


def test_download_my_data_has_only_the_callers_canvases_and_snapshots(wb):
    week2, week5 = wb.load(canvas_xml()), wb.load(canvas_xml(template_choice="lean_canvas"))
    save(wb, week2, [note(1, "channels", "Anna in week 2")])
    snapshot(wb, week2, "Anna's week 2")
    save(wb, week5, [note(1, "problem", "Anna in week 5")])
    save(wb, week2, [note(1, "channels", "Ben's words")], user=LEARNER_B)
    snapshot(wb, week2, "Ben's snapshot", user=LEARNER_B)

    result = get(wb, week5, "download_my_data")
    assert result.status == 200
    assert result.response.headers["Content-Disposition"] == 'attachment; filename="canvas-my-data.json"'
    data = json.loads(result.text)
    assert (data["component"], data["course_id"], data["learner"]) == ("bizmooc_canvas", "workbench", LEARNER_A)
    by_block = {c["block"]: c for c in data["canvases"]}
    assert set(by_block) == {week2, week5}
    assert by_block[week2]["notes"] == [note(1, "channels", "Anna in week 2")]
    assert [s["name"] for s in by_block[week2]["snapshots"]] == ["Anna's week 2"]
    assert by_block[week5]["template"] == "lean_canvas" and by_block[week5]["snapshots"] == []
    assert "Ben" not in result.text


def test_a_visitor_who_is_not_signed_in_sees_the_signed_out_view_and_gets_403s(wb):
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, text="Anna's words")])
    html = wb.render(usage_id, LMS_ANONYMOUS)
    assert "Sign in" in html and "Anna's words" not in html
    assert view_args(wb, usage_id, LMS_ANONYMOUS) == {"signed_out": True}
    before = stored()
    calls = [
        post(wb, usage_id, "save_canvas", {"notes": [note(1)], "version": 0}, user=LMS_ANONYMOUS),
        post(wb, usage_id, "create_snapshot", {"name": "x"}, user=LMS_ANONYMOUS),
        post(wb, usage_id, "import_json", {"text": "{}", "version": 0}, user=LMS_ANONYMOUS),
        get(wb, usage_id, "export_canvas", user=LMS_ANONYMOUS, query="format=json"),
        get(wb, usage_id, "student_view_user_state", user=LMS_ANONYMOUS),
        get(wb, usage_id, "download_my_data", user=LMS_ANONYMOUS),
        post(wb, usage_id, "import_template", {"text": "{}"}, user=LMS_ANONYMOUS),
    ]
    for result in calls:
        assert (result.status, result.error_code) == (403, "not_signed_in"), result.text
        assert "Anna" not in result.text
    assert stored() == before


def test_notes_of_a_section_the_template_lost_are_kept_and_saving_still_works(wb):
    """A course team switches the template after learners wrote: notes of sections the new
    template lacks are neither shown for editing nor lost, and the learner can go on saving."""
    usage_id = wb.load(canvas_xml())
    first = [note(1, "key_partners", "Bakery co-op"), note(2, "channels", "Farmers' market")]
    assert save(wb, usage_id, first).status == 200
    block = wb.block(usage_id, STAFF)
    block.template_choice = "lean_canvas"  # has channels, has no key partners
    block.save()

    page = wb.render(usage_id)
    assert "Notes kept from sections this canvas no longer has: 1." in page
    args = view_args(wb, usage_id)
    assert [n["text"] for n in args["notes"]] == ["Farmers' market"]

    answer = save(wb, usage_id, [note(2, "channels", "Farmers' market on Saturdays")], version=1)
    assert answer.status == 200, answer.text
    stored_notes = Canvas.objects.get().notes
    assert {n["text"] for n in stored_notes} == {"Farmers' market on Saturdays", "Bakery co-op"}
    assert "Bakery co-op" in get(wb, usage_id, "download_my_data").text
