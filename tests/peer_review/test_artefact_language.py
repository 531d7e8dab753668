"""A submitted artefact is frozen, its words are not: a canvas submitted by a learner reading
the course in German is shown to a reviewer in the reviewer's language (section titles, note
labels), while the learner's notes stay exactly as they were submitted, escaped. Submissions
from before snapshots existed still show the HTML stored with them. Every provider (canvas,
journal, idea) renders through its snapshot, so all three keep to this."""
import json
import re

import pytest
from django.utils import translation

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.creativity_lab.board_helpers import board_xml, idea
from tests.initiative_canvas.test_canvas_block import BMC, CUSTOM, HOSTILE, HOSTILE_ESCAPED, canvas_xml, note
from tests.learning_to_learn.test_journal_artefact import entry
from tests.peer_review.peer_helpers import get, next_review, peer_xml, state, submit
from xblocks.common import artefacts
from xblocks.initiative_canvas.models import Canvas
from xblocks.peer_review.models import Submission

GERMAN = ("Kundensegmente", "Schlüsselpartner", "Idee", "(leer)")
POLISH = ("Segmenty klientów", "Kluczowi partnerzy", "Pomysł", "(pusta)")
ENGLISH = ("Customer segments", "Key partners", "Idea", "(empty)")


def unit(wb, canvas=None):
    """A canvas and a peer review of it in one unit (as in the demo scenario)."""
    review = peer_xml(submission_type="artefact", artefact_kind="canvas", reviews_to_give=1, reviews_needed=1)
    return wb.children(wb.load(f"<vertical_demo>{canvas or canvas_xml()}{review}</vertical_demo>"))


def save(wb, canvas_id, user, text, version=0):
    saved = wb.call(canvas_id, "save_canvas", {"notes": [note(1, "customer_segments", text)], "version": version},
                    user=user)
    assert saved.status == 200, saved.text
    return saved.json["version"]


def submit_canvas(wb, peer_id, user):
    [choice] = get(wb, peer_id, "my_artefacts", user=user).json["choices"]
    done = submit(wb, peer_id, user, text="", artefact={"kind": "canvas", "id": choice["id"]}, version=0)
    assert done.status == 200, done.text
    return done.json["submission"]


def titles(html):
    return re.findall(r"<h5>(.*?)</h5>", html)


def test_a_canvas_submitted_in_german_is_reviewed_in_the_reviewers_language(wb):
    canvas_id, peer_id = unit(wb)
    version = save(wb, canvas_id, LEARNER_A, f"Nurses on night shifts\n{HOSTILE}")
    save(wb, canvas_id, LEARNER_B, "Students who cook")
    with translation.override("de"):
        mine = submit_canvas(wb, peer_id, LEARNER_A)
    assert all(word in mine["artefact_html"] for word in GERMAN)  # the author read it in German
    submit_canvas(wb, peer_id, LEARNER_B)
    # Changed after it was submitted: nobody sees the change.
    save(wb, canvas_id, LEARNER_A, "Rewritten afterwards", version=version)

    with translation.override("pl"):
        lease = next_review(wb, peer_id, LEARNER_B)
    with translation.override("en"):
        staff = get(wb, peer_id, "staff_submission", user=STAFF, query=f"submission={mine['id']}").json
    for html, words in ((lease["artefact_html"], POLISH), (staff["submission"]["artefact_html"], ENGLISH)):
        assert all(word in html for word in words), words
        assert not any(word in html for word in GERMAN)
        assert titles(html)[BMC.section_ids.index("customer_segments")] == words[0]  # in the template's order
        assert f"Nurses on night shifts<br>{HOSTILE_ESCAPED}" in html and "<script>" not in html
        assert "Rewritten afterwards" not in html and LEARNER_A not in html

    stored = Submission.objects.get(user_id=LEARNER_A).artefact_data
    assert stored["notes"][0]["text"] == f"Nurses on night shifts\n{HOSTILE}"
    assert LEARNER_A not in str(stored) and stored["layout"] == {}  # a built-in: its titles come when shown
    with translation.override("en"):
        assert "Customer segments" in state(wb, peer_id, LEARNER_A)["submission"]["artefact_html"]


def test_a_custom_templates_titles_stay_as_the_course_team_wrote_them(wb):
    canvas_id, peer_id = unit(wb, canvas_xml(template_choice="custom", custom_template=CUSTOM))
    for user in (LEARNER_A, LEARNER_B):
        saved = wb.call(canvas_id, "save_canvas", {"notes": [note(1, "problem", f"Problem of {user}")], "version": 0},
                        user=user)
        assert saved.status == 200, saved.text
    with translation.override("de"):
        submit_canvas(wb, peer_id, LEARNER_A)
    submit_canvas(wb, peer_id, LEARNER_B)
    with translation.override("pl"):
        html = next_review(wb, peer_id, LEARNER_B)["artefact_html"]
    assert titles(html) == ["Problem", "Sponsor", "Next step"]
    assert "Intrapreneurial opportunity" in html and "Pomysł" in html and "(pusta)" in html
    assert "Problem of learner_a" in html


def test_a_submission_from_before_snapshots_shows_its_stored_html(wb):
    canvas_id, peer_id = unit(wb)
    for user in (LEARNER_A, LEARNER_B):
        save(wb, canvas_id, user, f"Notes of {user}")
        submit_canvas(wb, peer_id, user)
    Submission.objects.filter(user_id=LEARNER_A).update(artefact_data={}, artefact_html="<p>Frozen in 2025</p>")
    with translation.override("pl"):
        assert next_review(wb, peer_id, LEARNER_B)["artefact_html"] == "<p>Frozen in 2025</p>"


def _canvas(wb):
    canvas_id, _peer_id = unit(wb)
    save(wb, canvas_id, LEARNER_A, HOSTILE)
    return str(Canvas.objects.get(user_id=LEARNER_A).public_id)


def _journal(wb):  # pylint: disable=unused-argument
    return str(entry(HOSTILE, user=LEARNER_A).public_id)


def _idea(wb):
    return idea(wb, wb.load(board_xml()), "Shared fridge", text=HOSTILE, tags=["fridge"])["id"]


@pytest.mark.parametrize("kind, make, fixed_word", [("canvas", _canvas, "Idea"), ("journal", _journal, "Answer"),
                                                    ("idea", _idea, "Tags")])
def test_every_provider_renders_its_snapshot_in_the_readers_words(wb, kind, make, fixed_word):
    """One rendering path: `render` is `render_snapshot(snapshot)`; the snapshot is plain JSON
    without its author, and only the fixed words go through the reader's gettext."""
    artefact_id = make(wb)
    data = artefacts.artefact_snapshot(kind, artefact_id)
    assert json.loads(json.dumps(data)) == data and LEARNER_A not in json.dumps(data)
    marked = artefacts.render_artefact_snapshot(kind, data, lambda text: f"«{text}»")
    assert f"«{fixed_word}»" in marked and HOSTILE_ESCAPED in marked and "<script>" not in marked
    assert artefacts.render_artefact(kind, artefact_id, str) == artefacts.render_artefact_snapshot(kind, data, str)
    assert artefacts.artefact_snapshot(kind, "00000000-0000-0000-0000-000000000000") is None
    assert artefacts.render_artefact_snapshot(kind, {}, str) is None
