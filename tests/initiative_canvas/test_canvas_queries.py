"""A constant number of database queries per view and per handler, whatever the number of
notes on the learner's canvas, of their snapshots, and of learners and canvases in the block
(DESIGN.md's budget; the issue names 10 and 300 notes).

Each action is measured on two blocks that differ only in one dimension: the learner's canvas
has 10 or 300 notes (and 1 or 20 snapshots), or the block has 1 or 50 learners, or 1 or 60
canvases for the staff views. The total number of queries must be the same, and the queries
on the canvas tables must stay within the budget below. The workbench's own
`workbench_xblockstate` queries are counted in the totals too (see test_journal_queries.py).
"""
from types import SimpleNamespace

import pytest

from tests.conftest import LEARNER_A, STAFF
from tests.initiative_canvas.test_canvas_block import canvas_xml, get, save, snapshot
from tests.queries import count_queries
from xblocks.initiative_canvas.canvas_templates import built_in
from xblocks.initiative_canvas.models import Canvas, CanvasSnapshot

CANVAS_TABLES = ("bizmooc_initiative_canvas_canvas",)  # also matches ..._canvassnapshot
BMC = built_in("business_model_canvas")
# Every section but the last: the rule ("every section") is never met, so no save completes.
SECTIONS = BMC.section_ids[:-1]

BUDGET = {
    "student_view": 2,              # the learner's canvas + its snapshots' names
    "student_view_user_state": 1,
    "save_canvas": 3,               # stored notes (to keep a removed section's) + conditional UPDATE + read back
    "export_canvas": 1,
    "staff_list": 2,                # one page + the count
    "export_csv": 1,
    "generate_report_data": 1,      # one query per batch of 200 learners
}

# dimension -> (small, large) as (notes on the learner's canvas, learners/canvases in the block)
SCALES = {"notes": ((10, 1), (300, 1)), "learners": ((10, 1), (10, 50)), "canvases": ((10, 1), (10, 60))}

CASES = [
    ("student_view", "notes"), ("student_view", "learners"),
    ("save_canvas", "notes"), ("save_canvas", "learners"),
    ("student_view_user_state", "notes"), ("student_view_user_state", "learners"),
    ("export_canvas", "notes"),
    ("staff_list", "canvases"), ("export_csv", "canvases"),
    ("generate_report_data", "learners"),
]


def notes_of(count, prefix="n"):
    return [{"id": f"{prefix}{i}", "section": SECTIONS[i % len(SECTIONS)], "text": f"Note number {i}",
             "colour": "yellow"} for i in range(count)]


def populate(wb, notes, learners):
    """A block where learner_a's canvas has `notes` notes (and 20 snapshots if that is 300),
    and `learners` learners have a canvas here."""
    usage_id = wb.load(canvas_xml())
    assert save(wb, usage_id, notes_of(notes)).status == 200
    for number in range(20 if notes > 10 else 1):
        snapshot(wb, usage_id, f"week {number}")
    mine = Canvas.objects.get(usage_id=usage_id, user_id=LEARNER_A)
    Canvas.objects.bulk_create(
        Canvas(course_id=mine.course_id, usage_id=usage_id, user_id=f"peer-{i}", template_id=mine.template_id,
               notes=notes_of(notes), note_count=notes, sections_filled=len(SECTIONS), version=1)
        for i in range(1, learners))
    assert Canvas.objects.filter(usage_id=usage_id).count() == learners
    assert len(mine.notes) == notes
    return usage_id


def report(wb, usage_id, _mine):
    users = [LEARNER_A] + [f"peer-{i}" for i in range(1, 60)]
    states = [SimpleNamespace(username=user, state={"canvas_owner": user}) for user in users]
    return list(wb.block(usage_id, STAFF).generate_report_data(iter(states)))


def resave(wb, usage_id, mine):
    return save(wb, usage_id, [dict(n, text=n["text"] + "!") for n in mine.notes], version=mine.version)


ACTIONS = {
    "student_view": lambda wb, uid, mine: wb.render(uid, LEARNER_A),
    "student_view_user_state": lambda wb, uid, mine: get(wb, uid, "student_view_user_state"),
    "save_canvas": resave,
    "export_canvas": lambda wb, uid, mine: get(wb, uid, "export_canvas", query="format=json"),
    "staff_list": lambda wb, uid, mine: get(wb, uid, "staff_list", user=STAFF),
    "export_csv": lambda wb, uid, mine: get(wb, uid, "export_csv", user=STAFF),
    "generate_report_data": report,
}


def measure(wb, name, usage_id):
    mine = Canvas.objects.get(usage_id=usage_id, user_id=LEARNER_A)  # read before measuring
    return count_queries(lambda: ACTIONS[name](wb, usage_id, mine), CANVAS_TABLES)


@pytest.mark.parametrize("name, dimension", CASES)
def test_queries_do_not_grow_with_notes_or_learners(wb, name, dimension):
    (small_notes, small_learners), (large_notes, large_learners) = SCALES[dimension]
    measure(wb, name, populate(wb, small_notes, small_learners))  # first-use caches are not what we measure
    small = populate(wb, small_notes, small_learners)
    large = populate(wb, large_notes, large_learners)

    small_total, small_own, _ = measure(wb, name, small)
    large_total, large_own, large_result = measure(wb, name, large)

    assert large_own == small_own, f"{name}: canvas queries grow with {dimension}"
    assert large_total == small_total, f"{name}: queries grow with {dimension}"
    assert small_own <= BUDGET[name], f"{name}: {small_own} canvas queries, budget {BUDGET[name]}"

    # The large case really had the data in play.
    if name == "student_view" and dimension == "notes":
        assert large_result.count('class="canvas-note ') == 300
        assert CanvasSnapshot.objects.filter(canvas__usage_id=large).count() == 20
    if name == "save_canvas":
        assert large_result.json["version"] == 2
        assert sum(large_result.json["progress"].values()) == large_notes
        assert large_result.json["completed"] is False
    if name == "staff_list":
        assert (large_result.json["total"], len(large_result.json["rows"])) == (60, 25)
    if name == "export_csv":
        assert large_result.text.count("\n") == 1 + 60 * large_notes
    if name == "generate_report_data":
        assert len(large_result) == large_learners
