"""The canvas as a peer-review artefact: what a learner picks from (their own canvases and
snapshots in the course, newest first), who made one, and the read-only rendering, which
never shows the author. Found by public ids only; unknown or malformed ids find nothing."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import LEARNER_A, LEARNER_B
from tests.initiative_canvas.test_canvas_block import CUSTOM, HOSTILE, HOSTILE_ESCAPED, canvas_xml, note, save
from xblocks.common import artefacts
from xblocks.initiative_canvas import artefact
from xblocks.initiative_canvas.models import Canvas, CanvasSnapshot

COURSE = "course-v1:BizMOOC+ENT+2026"
OTHER_COURSE = "course-v1:BizMOOC+ENT+2027"
AUTHOR = "3f9c0d2e6b1a4c8d9e7f0a1b2c3d4e5f"  # an anonymous user id, as Open edX makes them
DAY = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.timezone.utc)


def identity(text):
    return text


def make_canvas(user=AUTHOR, course=COURSE, block="week4", template_id="business_model_canvas", layout=None,
                notes=None, modified=DAY):
    found = Canvas.objects.create(course_id=course, usage_id=f"block-v1:{course}+type@bizmooc_canvas+block@{block}",
                                  user_id=user, template_id=template_id, layout=layout or {},
                                  notes=notes or [note(1)], note_count=1)
    Canvas.objects.filter(pk=found.pk).update(modified=modified)  # auto_now: set the date afterwards
    return found


def make_snapshot(canvas_, name, created):
    shot = CanvasSnapshot.objects.create(canvas=canvas_, name=name, template_id=canvas_.template_id,
                                         layout=canvas_.layout, notes=canvas_.notes)
    CanvasSnapshot.objects.filter(pk=shot.pk).update(created=created)
    return shot


def choices(user=AUTHOR, course=COURSE, gettext=identity):
    return artefacts.artefact_choices("canvas", course, user, gettext)


@pytest.mark.django_db
def test_choices_list_the_learners_canvases_and_snapshots_newest_first():
    lean = make_canvas(block="week2", template_id="lean_canvas", modified=DAY + datetime.timedelta(days=1))
    bmc = make_canvas(block="week4", modified=DAY + datetime.timedelta(days=5))
    first = make_snapshot(lean, "first idea", DAY)
    pivot = make_snapshot(bmc, "after the pivot", DAY + datetime.timedelta(days=3))

    assert choices() == [
        {"id": str(bmc.public_id), "label": "Business Model Canvas — current canvas"},
        {"id": str(pivot.public_id), "label": "Snapshot 'after the pivot', 2026-11-05"},
        {"id": str(lean.public_id), "label": "Lean Canvas — current canvas"},
        {"id": str(first.public_id), "label": "Snapshot 'first idea', 2026-11-02"},
    ]


@pytest.mark.django_db
def test_choices_are_labelled_in_the_learners_language_and_name_a_custom_template():
    make_canvas(block="week2", template_id="opportunity", layout=CUSTOM, modified=DAY)
    make_canvas(block="week3", modified=DAY + datetime.timedelta(days=1))
    labels = [choice["label"] for choice in choices(gettext=lambda text: f"«{text}»")]
    # Built-in titles and the fixed words are translated; a course team's title is shown as written.
    assert labels == ["«{canvas} — current canvas»".format(canvas="«Business Model Canvas»"),
                      "«{canvas} — current canvas»".format(canvas="Intrapreneurial opportunity")]


@pytest.mark.django_db
def test_choices_are_only_the_callers_own_in_that_course():
    mine = make_canvas()
    make_snapshot(mine, "mine", DAY)
    others = make_canvas(user=LEARNER_B)
    make_snapshot(others, "someone else's", DAY)
    elsewhere = make_canvas(course=OTHER_COURSE)
    make_snapshot(elsewhere, "other course", DAY)

    found = {choice["id"] for choice in choices()}
    assert found == {str(mine.public_id), str(mine.snapshots.get().public_id)}
    assert choices(user="someone-without-a-canvas") == []
    assert choices(course="course-v1:No+Such+Course") == []
    assert choices(user="") == [] and choices(user=None) == [] and choices(course=None) == []


@pytest.mark.django_db
def test_choices_stop_at_the_newest_fifty():
    canvases = [make_canvas(block=f"b{n}", modified=DAY + datetime.timedelta(hours=n)) for n in range(52)]
    found = choices()
    assert len(found) == artefact.MAX_CHOICES == 50
    assert found[0]["id"] == str(canvases[-1].public_id)
    assert str(canvases[0].public_id) not in {choice["id"] for choice in found}


@pytest.mark.django_db
def test_owner_of_a_canvas_and_of_a_snapshot_is_the_course_and_the_learner():
    mine = make_canvas()
    shot = make_snapshot(mine, "v1", DAY)
    make_canvas(user=LEARNER_B)
    assert artefacts.artefact_owner("canvas", str(mine.public_id)) == (COURSE, AUTHOR)
    assert artefacts.artefact_owner("canvas", str(shot.public_id)) == (COURSE, AUTHOR)
    assert artefacts.artefact_owner("canvas", mine.public_id) == (COURSE, AUTHOR)  # a UUID object works too


@pytest.mark.django_db
@pytest.mark.parametrize("artefact_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "", None, 42,
                                         "'; DROP TABLE x; --", AUTHOR + "0"])
def test_an_unknown_or_malformed_id_has_no_owner_and_no_rendering(artefact_id):
    make_snapshot(make_canvas(), "v1", DAY)
    assert artefacts.artefact_owner("canvas", artefact_id) is None
    assert artefacts.render_artefact("canvas", artefact_id, identity) is None
    assert artefacts.artefact_summary("canvas", artefact_id) is None


@pytest.mark.django_db
def test_an_anonymous_user_id_is_not_an_artefact_id():
    """A learner's anonymous id (32 hex digits, a valid uuid) finds nothing: ids are public ids."""
    make_canvas()
    assert artefacts.artefact_owner("canvas", AUTHOR) is None
    assert artefacts.render_artefact("canvas", AUTHOR, identity) is None


def test_the_rendering_of_a_chosen_canvas_has_no_author_and_escapes_text(wb):
    """Through the block: a learner saves, picks their canvas from the choices, a reviewer sees it."""
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, "channels", HOSTILE), note(2, "key_partners", "Bakery co-op", "green")],
         user=LEARNER_A)
    stored = Canvas.objects.get()
    [choice] = choices(user=LEARNER_A, course=stored.course_id)
    assert artefacts.artefact_owner("canvas", choice["id"]) == (stored.course_id, LEARNER_A)

    html = artefacts.render_artefact("canvas", choice["id"], identity)
    assert HOSTILE_ESCAPED in html and "<script>" not in html and "Bakery co-op" in html
    assert LEARNER_A not in html


def test_the_peer_review_rendering_places_each_section_on_the_templates_grid(wb):
    """The peer-review view (and the printable page, the staff view) lays the sections out as
    the template does: customer segments at the right of the middle band, costs and revenue
    at the bottom (common bizmooc.css `.bizmooc-grid`, which peer review's page loads)."""
    usage_id = wb.load(canvas_xml())
    save(wb, usage_id, [note(1, "customer_segments", "Bakers")], user=LEARNER_A)
    stored = Canvas.objects.get()
    [choice] = choices(user=LEARNER_A, course=stored.course_id)
    html = artefacts.render_artefact("canvas", choice["id"], identity)
    assert 'class="bizmooc bizmooc-canvas bizmooc-artefact bizmooc-grid-box canvas-readonly"' in html
    assert 'style="--grid-columns: 10"' in html
    assert 'data-section="customer_segments" style="--grid-area: 1 / 9 / span 2 / span 2"' in html
    assert 'data-section="cost_structure" style="--grid-area: 3 / 1 / span 1 / span 5"' in html
    assert 'data-section="revenue_streams" style="--grid-area: 3 / 6 / span 1 / span 5"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("call", ["choices", "owner_canvas", "owner_snapshot"])
def test_choices_and_owner_take_one_query_whatever_the_number_of_canvases(call):
    def measure(count):
        Canvas.objects.all().delete()
        made = [make_canvas(block=f"b{n}", modified=DAY + datetime.timedelta(hours=n)) for n in range(count)]
        for canvas_ in made:
            for number in range(count):
                make_snapshot(canvas_, f"s{number}", DAY)
        for learner in range(count):
            make_canvas(user=f"other-{learner}")
        target = {"choices": None, "owner_canvas": made[-1].public_id,
                  "owner_snapshot": made[-1].snapshots.last().public_id}[call]
        with CaptureQueriesContext(connection) as queries:
            if call == "choices":
                assert len(choices()) == min(count * (count + 1), artefact.MAX_CHOICES)
            else:
                assert artefacts.artefact_owner("canvas", str(target)) == (COURSE, AUTHOR)
        return len(queries)

    assert measure(1) == measure(12) == 1
