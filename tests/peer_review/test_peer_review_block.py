"""Peer review on the real workbench runtime: learners, staff and course authors using it as
they would through the browser, one fresh runtime per request."""
import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from xblock.validation import ValidationMessage

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF
from tests.peer_review.peer_helpers import (
    ESSAY,
    FAIR,
    GOOD,
    POOR,
    get,
    next_review,
    peer_xml,
    review,
    review_next,
    state,
    submit,
)
from xblocks.common import artefacts
from xblocks.peer_review import rubric
from xblocks.peer_review.models import Review, ReviewSlot, Submission, TrainingAnswer
from xblocks.peer_review.review_settings import WORD_LIMIT
from xblocks.peer_review.scenarios import PEER_REVIEW_SCENARIOS

LEARNER_C = "learner_c"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def snapshot():
    """Every row of every peer review table: what "nothing changed" compares."""
    return [list(model.objects.order_by("pk").values()) for model in (Submission, ReviewSlot, Review, TrainingAnswer)]


@pytest.fixture
def three(wb):
    """A block where three learners submitted (2 reviews to give, 2 needed)."""
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=2))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        assert submit(wb, usage_id, user).status == 200
    return usage_id


# The learner's way through ----------------------------------------------------------------------

def test_three_learners_review_each_other_and_get_median_grades(wb, three):
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        assert state(wb, three, user)["step"] == "peer"
    review_next(wb, three, LEARNER_A, GOOD)   # reviews b (oldest first)
    _lease, after = review_next(wb, three, LEARNER_A, GOOD)   # then c
    assert after["peer"]["given"] == 2 and after["step"] == "waiting"
    assert after["received"] == {"count": 0, "needed": 2, "waiting_since": after["submission"]["submitted_at"],
                                 "to_staff": False}
    assert after["reviews"] == [] and after["grade"] is None
    review_next(wb, three, LEARNER_B, POOR)   # a first: a did their reviews
    review_next(wb, three, LEARNER_B, POOR)
    review_next(wb, three, LEARNER_C, FAIR)
    final = review_next(wb, three, LEARNER_C, FAIR)[1]
    assert final["step"] == "done"
    grade = final["grade"]
    assert grade["final"] and grade["method"] == "median" and grade["max"] == 10
    # c's reviewers: a (GOOD = 8) and b (POOR = 0); per criterion the median rounds up: 2 + 2 + 1
    assert grade["points"] == 5
    assert "median of 2 peer reviews" in grade["explanation"]
    assert len(final["reviews"]) == 2 and {r["kind"] for r in final["reviews"]} == {"peer"}
    a_state = state(wb, three, LEARNER_A)
    assert a_state["step"] == "done" and a_state["grade"]["points"] == 3   # b POOR 0, c FAIR 4 -> 1 + 1 + 1
    events = [(e.user_id, e.type, e.data) for e in wb.events_of(three) if e.type in ("grade", "completion")]
    assert (LEARNER_C, "completion", {"completion": 1.0}) in events
    assert (LEARNER_C, "grade", {"value": 5, "max_value": 10}) in events
    # Looking again publishes nothing more.
    before = len(wb.events)
    state(wb, three, LEARNER_C)
    assert len(wb.events) == before


def test_reviewers_and_authors_stay_anonymous_both_ways(wb, three):
    lease = next_review(wb, three, LEARNER_B)
    assert set(lease) == {"id", "expires", "text", "link", "artefact_html", "files"}
    assert LEARNER_A not in json.dumps(lease) and lease["text"] == ESSAY
    review(wb, three, LEARNER_B, lease["id"], GOOD)
    mine = state(wb, three, LEARNER_A)
    dumped = json.dumps(mine)
    assert LEARNER_B not in dumped and "reviewer" not in dumped


def test_one_lease_at_a_time_returned_again_while_it_runs(wb, three):
    first = next_review(wb, three, LEARNER_A)
    again = next_review(wb, three, LEARNER_A)
    assert again["id"] == first["id"]
    assert [e.type for e in wb.events_of(three, LEARNER_A)].count("bizmooc.peer_review.review_assigned") == 1
    assert state(wb, three, LEARNER_A)["peer"]["lease"]["id"] == first["id"]
    assert ReviewSlot.objects.filter(reviewer_id=LEARNER_A).count() == 1


def test_expired_lease_is_refused_and_the_slot_returns_to_the_queue(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        submit(wb, usage_id, user)
    held = next_review(wb, usage_id, LEARNER_B)  # a's only slot
    ReviewSlot.objects.filter(reviewer_id=LEARNER_B).update(
        expires_at=timezone.now() - timedelta(minutes=1), available_at=timezone.now() - timedelta(minutes=1))
    taken = next_review(wb, usage_id, LEARNER_C)
    assert taken["text"] == held["text"] and taken["id"] != held["id"]   # c now holds a's slot
    before = snapshot()
    late = review(wb, usage_id, LEARNER_B, held["id"], GOOD)
    assert late.status == 404 and late.error_code == "not_handed_out"
    assert snapshot() == before
    # An expired lease nobody took: refused too (409), then handed out afresh.
    ReviewSlot.objects.filter(reviewer_id=LEARNER_C).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = review(wb, usage_id, LEARNER_C, taken["id"], GOOD)
    assert refused.status == 409 and refused.error_code == "lease_expired"
    renewed = next_review(wb, usage_id, LEARNER_C)
    assert renewed["id"] != taken["id"] and review(wb, usage_id, LEARNER_C, renewed["id"], GOOD).status == 200


def test_draft_autosave_with_versions_then_submit(wb):
    usage_id = wb.load(peer_xml(min_words=3, max_words=50))
    saved = wb.call(usage_id, "save_draft", {"text": "First", "link": "", "artefact": None, "version": 0})
    assert saved.status == 200 and saved.json["version"] == 1
    stale = wb.call(usage_id, "save_draft", {"text": "Other tab", "link": "", "artefact": None, "version": 0})
    assert stale.status == 409 and stale.json["error"]["details"]["text"] == "First"
    short = submit(wb, usage_id, text="Too short", version=1)
    assert short.status == 400 and short.error_code == "word_limits" and short.json["error"]["field"] == "text"
    done = submit(wb, usage_id, text="Now long enough to count", version=1)
    assert done.status == 200 and done.json["submission"]["status"] == "submitted"
    assert done.json["submission"]["words"] == 5


def test_training_then_peer_step(wb):
    examples = [{"text": "Example one", "scores": GOOD}, {"text": "Example two", "scores": POOR}]
    usage_id = wb.load(peer_xml(training_enabled=True, training_examples=examples, reviews_to_give=1,
                                reviews_needed=1))
    assert submit(wb, usage_id).json["step"] == "training"
    first = get(wb, usage_id, "training_example").json
    assert first == {"example": {"index": 0, "text": "Example one"}, "done": 0, "total": 2}
    wrong = wb.call(usage_id, "training_answer", {"index": 0, "scores": FAIR})
    assert wrong.status == 200 and not wrong.json["passed"] and wrong.json["correct"]["organisation"]
    # As ORA2: which criteria differ, never the course team's options (the learner tries again).
    assert "expected" not in wrong.json and wrong.json["state"]["step"] == "training"
    assert not all(wrong.json["correct"].values())
    again = wb.call(usage_id, "training_answer", {"index": 0, "scores": FAIR}).json
    assert "expected" not in again and not again["passed"]
    assert wb.call(usage_id, "training_answer", {"index": 0, "scores": GOOD}).json["passed"]
    assert get(wb, usage_id, "training_example").json["example"]["index"] == 1
    last = wb.call(usage_id, "training_answer", {"index": 1, "scores": POOR}).json
    assert last["passed"] and last["state"]["step"] == "peer"
    assert last["state"]["training"] == {"done": 2, "total": 2}
    assert get(wb, usage_id, "training_example").json["example"] is None
    answer = TrainingAnswer.objects.get(example_index=0)
    assert (answer.attempts, answer.passed, answer.points, answer.true_points) == (3, True, 8, 8)


def test_self_review_and_flagging(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1, self_enabled=True))
    submit(wb, usage_id, LEARNER_A)
    submit(wb, usage_id, LEARNER_B)
    review_next(wb, usage_id, LEARNER_B, POOR)
    after = review_next(wb, usage_id, LEARNER_A, GOOD)[1]
    assert after["step"] == "self"
    body = {"scores": FAIR, "comments": {"ideas": "I could say more."}, "feedback": ""}
    done = wb.call(usage_id, "submit_self_review", body).json
    assert done["step"] == "done" and done["self"] == {"done": True}
    twice = wb.call(usage_id, "submit_self_review", body)
    assert twice.status == 409
    peer = next(r for r in done["reviews"] if r["kind"] == "peer")
    flagged = wb.call(usage_id, "flag_review", {"review": peer["id"], "reason": "Rude and unhelpful"})
    assert flagged.json == {"flagged": True}
    assert Review.objects.get(public_id=peer["id"]).flag_reason == "Rude and unhelpful"
    # B cannot flag a review of someone else's work.
    assert wb.call(usage_id, "flag_review", {"review": peer["id"], "reason": "x"}, user=LEARNER_B).status == 404
    assert {e.type for e in wb.events_of(usage_id)} >= {
        "bizmooc.peer_review.self_reviewed", "bizmooc.peer_review.flagged"}


def test_waiting_rule_sends_a_short_submission_to_staff_when_someone_looks(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=2, wait_action="staff", wait_days=1))
    submit(wb, usage_id, LEARNER_A)
    Submission.objects.update(submitted_at=timezone.now() - timedelta(days=2))
    looked = state(wb, usage_id)
    assert looked["received"]["to_staff"] and looked["grade"] is None
    assert Submission.objects.get().to_staff
    dashboard = get(wb, usage_id, "staff_dashboard", user=STAFF, query="filter=to_staff").json
    assert dashboard["total"] == 1 and dashboard["rows"][0]["to_staff"]
    assert dashboard["rows"][0]["waiting_hours"] >= 48


def test_fewer_reviews_count_after_the_wait(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=3, wait_days=1))
    submit(wb, usage_id, LEARNER_A)
    submit(wb, usage_id, LEARNER_B)
    review_next(wb, usage_id, LEARNER_B, GOOD)
    review_next(wb, usage_id, LEARNER_A, GOOD)
    assert state(wb, usage_id)["step"] == "waiting"
    Submission.objects.update(submitted_at=timezone.now() - timedelta(days=2))
    grade = state(wb, usage_id)["grade"]
    assert grade["method"] == "fewer" and grade["final"] and grade["points"] == 8


# Artefacts -----------------------------------------------------------------------------------

class FakeCanvases:
    """An artefact provider as the canvas registers one; `works` can change, as canvases do."""

    def __init__(self):
        self.works = {"c-1": ("workbench", LEARNER_A, "Canteen app"), "c-2": ("workbench", LEARNER_B, "Bike sharing"),
                      "c-other-course": ("course-v1:X+Y+Z", LEARNER_A, "Elsewhere")}

    def snapshot(self, artefact_id):
        found = self.works.get(artefact_id)
        return {"title": found[2]} if found else None

    def render_snapshot(self, snapshot, gettext):
        return f'<div class="fake-canvas">{snapshot["title"]}</div>' if snapshot else None

    def render(self, artefact_id, gettext):
        return self.render_snapshot(self.snapshot(artefact_id), gettext)

    def summary(self, artefact_id):
        found = self.works.get(artefact_id)
        return found[2] if found else None

    def choices(self, course_id, user_id, gettext):
        return [{"id": key, "label": label} for key, (course, user, label) in self.works.items()
                if (course, user) == (course_id, user_id)]

    def owner(self, artefact_id):
        found = self.works.get(artefact_id)
        return found[:2] if found else None


@pytest.fixture
def fake_canvases():
    previous = artefacts._providers.get("canvas")  # pylint: disable=protected-access
    provider = FakeCanvases()
    artefacts.register_artefact_provider("canvas", provider)
    yield provider
    if previous is not None:
        artefacts.register_artefact_provider("canvas", previous)
    else:
        artefacts._providers.pop("canvas")  # pylint: disable=protected-access


def test_artefact_submission_only_of_ones_own_work_shown_without_the_author(wb, fake_canvases):
    usage_id = wb.load(peer_xml(submission_type="artefact", artefact_kind="canvas", reviews_to_give=1,
                                reviews_needed=1))
    assert get(wb, usage_id, "my_artefacts").json == {"choices": [{"id": "c-1", "label": "Canteen app"}]}
    before = snapshot()
    for artefact_id in ("c-2", "c-other-course", "c-missing"):
        refused = submit(wb, usage_id, text="", artefact={"kind": "canvas", "id": artefact_id}, version=0)
        assert refused.status == 403 and refused.error_code == "not_your_artefact"
    wrong_kind = submit(wb, usage_id, text="", artefact={"kind": "journal", "id": "c-1"}, version=0)
    assert wrong_kind.status == 400
    assert snapshot() == before
    done = submit(wb, usage_id, text="", artefact={"kind": "canvas", "id": "c-1"}, version=0)
    assert done.status == 200 and done.json["submission"]["artefact"]["label"] == "Canteen app"
    submit(wb, usage_id, LEARNER_B, text="", artefact={"kind": "canvas", "id": "c-2"}, version=0)
    lease = next_review(wb, usage_id, LEARNER_B)
    assert lease["artefact_html"] == '<div class="fake-canvas">Canteen app</div>' and lease["text"] is None
    assert LEARNER_A not in json.dumps(lease)


def test_an_artefact_is_shown_as_it_was_submitted_not_as_it_became(wb, fake_canvases):
    """The author changes their canvas after submitting it: reviewers, staff, the author and
    the exports still get the submitted one, label included."""
    usage_id = wb.load(peer_xml(submission_type="artefact", artefact_kind="canvas", reviews_to_give=1,
                                reviews_needed=1))
    assert submit(wb, usage_id, text="", artefact={"kind": "canvas", "id": "c-1"}, version=0).status == 200
    fake_canvases.works["c-1"] = ("workbench", LEARNER_A, "Changed <i>after</i> submitting")
    submit(wb, usage_id, LEARNER_B, text="", artefact={"kind": "canvas", "id": "c-2"}, version=0)
    lease = next_review(wb, usage_id, LEARNER_B)
    assert lease["artefact_html"] == '<div class="fake-canvas">Canteen app</div>'
    mine = state(wb, usage_id)["submission"]
    assert mine["artefact"]["label"] == "Canteen app"
    assert mine["artefact_html"] == '<div class="fake-canvas">Canteen app</div>'
    seen = get(wb, usage_id, "staff_submission", user=STAFF, query=f"submission={mine['id']}").json["submission"]
    assert seen["artefact"]["label"] == "Canteen app" and "Canteen app" in seen["artefact_html"]
    exported = get(wb, usage_id, "export_csv", user=STAFF, query="what=submissions").csv_dicts
    assert {row["work"] for row in exported} == {"Canteen app", "Bike sharing"}
    my_data = json.loads(get(wb, usage_id, "download_my_data").text)["submissions"][0]["artefact"]
    assert (my_data["label"], my_data["text"], my_data["snapshot"]) == ("Canteen app", "Canteen app",
                                                                         {"title": "Canteen app"})
    # Even a work that is gone since (deleted, withdrawn) is still shown as submitted.
    del fake_canvases.works["c-1"]
    assert "Canteen app" in state(wb, usage_id)["submission"]["artefact_html"]
    # A reset learner's frozen copy goes with the submission.
    wb.call(usage_id, "reset_learner", {"submission": mine["id"]}, user=STAFF)
    assert Submission.objects.filter(user_id=LEARNER_A, artefact_html="", artefact_data={}, artefact_text="",
                                     artefact_label="").exists()


# Bad input: 4xx JSON, nothing changes -----------------------------------------------------------

def _bad_requests(wb, usage_id, lease, review_id, submission_id):
    yield "review not handed out", lambda: review(wb, usage_id, LEARNER_C, lease, GOOD)
    yield "lease id that is no uuid", lambda: review(wb, usage_id, LEARNER_B, "not-a-lease", GOOD)
    yield "points outside the rubric", lambda: review(wb, usage_id, LEARNER_B, lease, dict(GOOD, ideas="perfect"))
    yield "criterion not in the rubric", lambda: review(wb, usage_id, LEARNER_B, lease, dict(GOOD, style="ok"))
    yield "submitting twice", lambda: submit(wb, usage_id, LEARNER_A, version=1)
    yield "self-review when off", lambda: wb.call(usage_id, "submit_self_review",
                                                  {"scores": GOOD, "comments": {}, "feedback": ""})
    yield "staff dashboard as learner", lambda: get(wb, usage_id, "staff_dashboard", user=LEARNER_A)
    yield "staff grade as learner", lambda: wb.call(usage_id, "staff_grade", {
        "submission": submission_id, "scores": GOOD, "comments": {}, "feedback": ""})
    yield "override as learner", lambda: wb.call(usage_id, "override_grade", {
        "submission": submission_id, "points": 10, "reason": "mine"})
    yield "remove as learner", lambda: wb.call(usage_id, "remove_submission", {"submission": submission_id,
                                                                               "reason": "x"})
    yield "reset as learner", lambda: wb.call(usage_id, "reset_learner", {"submission": submission_id})
    yield "export as learner", lambda: get(wb, usage_id, "export_csv", query="what=reviews")
    yield "override without reason", lambda: wb.call(usage_id, "override_grade", {
        "submission": submission_id, "points": 10, "reason": " "}, user=STAFF)
    yield "override above max", lambda: wb.call(usage_id, "override_grade", {
        "submission": submission_id, "points": 11, "reason": "Too generous"}, user=STAFF)
    yield "flag without reason", lambda: wb.call(usage_id, "flag_review", {"review": review_id, "reason": ""})
    yield "malformed rubric", lambda: wb.call(usage_id, "studio_submit", dict(
        studio_values(), rubric={"criteria": [{"id": "x"}]}), user=STAFF)
    yield "rubric not an object", lambda: wb.call(usage_id, "studio_submit", dict(studio_values(), rubric="[1,"),
                                                  user=STAFF)
    yield "studio as learner", lambda: wb.call(usage_id, "studio_submit", studio_values())
    yield "not json", lambda: wb.call(usage_id, "submit_review", raw=b"{not json")
    yield "get on a post handler", lambda: get(wb, usage_id, "next_review")
    yield "signed out", lambda: wb.call(usage_id, "next_review", {}, user=LMS_ANONYMOUS)


def studio_values(**changes):
    values = {
        "display_name": "Peer review", "prompt": "<p>Write.</p>", "submission_type": "text",
        "artefact_kind": "canvas", "min_words": 0, "max_words": 1000, "rubric": rubric.default_rubric_json(),
        "training_examples": [], "training_enabled": False, "peer_enabled": True, "reviews_to_give": 2,
        "reviews_needed": 2, "self_enabled": False, "staff_enabled": False, "submission_due": "", "peer_due": "",
        "self_due": "", "dates_mode": "fixed", "submission_due_days": 0, "peer_due_days": 0,
        "peer_due_from": "submission", "self_due_days": 0, "self_due_from": "submission",
        "wait_days": 3, "wait_action": "fewer", "grading_method": "median", "graded": True,
        "weight": 1.0, "files_mode": "off", "files_pdf": True, "files_images": True, "files_documents": False,
        "files_spreadsheets": False, "files_presentations": True, "max_file_mb": 10, "max_files": 3}
    values.update(changes)
    return values


def test_bad_input_is_refused_with_4xx_and_nothing_changes(wb, three):
    lease = next_review(wb, three, LEARNER_B)["id"]
    review_next(wb, three, LEARNER_C, GOOD)   # c reviewed b (a's first slot is b's)
    a_state = state(wb, three, LEARNER_A)
    review_id = Review.objects.get(submission__user_id=LEARNER_B).public_id
    submission_id = a_state["submission"]["id"]
    for name, call in _bad_requests(wb, three, lease, str(review_id), submission_id):
        before, events, block = snapshot(), len(wb.events), wb.block(three, STAFF)
        fields_before = {n: getattr(block, n) for n in studio_values()}
        result = call()
        assert 400 <= result.status < 500, (name, result.status, result.text)
        assert result.error_code, name
        assert snapshot() == before, name
        assert len(wb.events) == events, name
        after = wb.block(three, STAFF)
        assert {n: getattr(after, n) for n in studio_values()} == fields_before, name


def test_a_learner_is_never_handed_their_own_work(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1))
    submit(wb, usage_id, LEARNER_A)
    result = wb.call(usage_id, "next_review", {})
    assert result.json == {"lease": None, "reason": "none_available"}
    # Before submitting, there is no peer step to be in.
    assert wb.call(usage_id, "next_review", {}, user=LEARNER_B).status == 409


# Staff ----------------------------------------------------------------------------------------

def test_staff_dashboard_submission_grade_override_remove_reset(wb, three):
    review_next(wb, three, LEARNER_B, GOOD)
    board = get(wb, three, "staff_dashboard", user=STAFF).json
    assert board["summary"]["submissions"] == 3 and board["summary"]["waiting"] == 3
    assert board["summary"]["reviews_outstanding"] == 5 and board["total"] == 3 and board["pages"] == 1
    a_row = next(r for r in board["rows"] if r["learner"] == LEARNER_A)
    assert a_row["received"] == 1 and a_row["waiting_hours"] is not None
    seen = get(wb, three, "staff_submission", user=STAFF, query=f"submission={a_row['id']}").json
    assert seen["submission"]["text"] == ESSAY and seen["reviews"][0]["reviewer"] == LEARNER_B
    graded = wb.call(three, "staff_grade", {"submission": a_row["id"], "scores": FAIR, "comments": {},
                                            "feedback": "See me."}, user=STAFF)
    assert graded.json["grade"]["method"] == "staff" and graded.json["grade"]["points"] == 4
    override = wb.call(three, "override_grade", {"submission": a_row["id"], "points": 9.5,
                                                 "reason": "Late review by the tutor"}, user=STAFF)
    assert override.json["grade"]["method"] == "override" and override.json["grade"]["points"] == 9.5
    mine = state(wb, three, LEARNER_A)
    assert mine["grade"]["points"] == 9.5 and mine["grade"]["final"]
    assert ("grade", {"value": 9.5, "max_value": 10}) in [(e.type, e.data) for e in wb.events_of(three, LEARNER_A)]
    b_row = next(r for r in board["rows"] if r["learner"] == LEARNER_B)
    assert wb.call(three, "remove_submission", {"submission": b_row["id"], "reason": "Plagiarism"},
                   user=STAFF).json == {"removed": True}
    assert state(wb, three, LEARNER_B)["step"] == "closed"
    assert not ReviewSlot.objects.filter(submission__user_id=LEARNER_B).exists()
    c_row = next(r for r in board["rows"] if r["learner"] == LEARNER_C)
    assert wb.call(three, "reset_learner", {"submission": c_row["id"]}, user=STAFF).json == {"reset": True}
    again = state(wb, three, LEARNER_C)
    assert again["step"] == "submit" and again["submission"]["status"] == "draft"
    assert submit(wb, three, LEARNER_C).status == 200
    types = {e.type for e in wb.events_of(three)}
    assert {"bizmooc.peer_review.staff_graded", "bizmooc.peer_review.overridden", "bizmooc.peer_review.removed",
            "bizmooc.peer_review.reset"} <= types


def test_exports_are_formula_safe(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1))
    submit(wb, usage_id, LEARNER_A, text="=HYPERLINK(\"http://evil\") and more words")
    submit(wb, usage_id, LEARNER_B)
    lease = next_review(wb, usage_id, LEARNER_B)
    review(wb, usage_id, LEARNER_B, lease["id"], GOOD, feedback="+SUM(A1:A9)")
    for what in ("submissions", "reviews", "grades"):
        result = get(wb, usage_id, "export_csv", user=STAFF, query=f"what={what}")
        assert result.status == 200 and result.response.content_type == "text/csv"
        rows = result.csv_rows
        assert len(rows) >= 2
        for row in rows[1:]:
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    reviews = get(wb, usage_id, "export_csv", user=STAFF, query="what=reviews").csv_dicts
    criterion = wb.block(usage_id).rubric_for_learners.criteria[0]   # "ideas", named as the course team did
    chosen = next(o.label for o in criterion.options if o.id == "good")
    assert reviews[0]["feedback"] == "'+SUM(A1:A9)" and reviews[0][criterion.name] == chosen
    assert "ideas" not in reviews[0] and chosen != "good"


def test_download_my_data_and_report(wb, three):
    review_next(wb, three, LEARNER_A, GOOD)
    mine = get(wb, three, "download_my_data")
    data = json.loads(mine.text)
    assert data["submissions"][0]["text"] == ESSAY and len(data["reviews_given"]) == 1
    assert "attachment" in mine.response.content_disposition
    states = [SimpleNamespace(username=f"user-{u}", state={"learner_id": u}) for u in (LEARNER_A, LEARNER_B)]
    rows = list(wb.block(three, STAFF).generate_report_data(iter(states)))
    assert [(name, row["status"]) for name, row in rows] == [("user-learner_a", "submitted"),
                                                             ("user-learner_b", "submitted")]


# Views, Studio, validation ----------------------------------------------------------------------

def test_student_view_escapes_learner_text_and_signed_out_view(wb):
    usage_id = wb.load(peer_xml())
    assert wb.call(usage_id, "save_draft", {"text": HOSTILE, "link": "", "artefact": None, "version": 0}).status == 200
    html = wb.render(usage_id)
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "BizMOOCPeerReview" in html
    signed_out = wb.render(usage_id, LMS_ANONYMOUS)
    assert "signed_out" in signed_out


def test_the_learner_page_links_to_download_my_data(wb):
    usage_id = wb.load(peer_xml())
    submit(wb, usage_id)
    html = wb.render(usage_id)
    link = re.search(r'<a class="[^"]*" href="([^"]*)" download>Download my data \(JSON\)</a>', html)
    assert link, "no Download my data link on the learner page"
    handler = re.search(r"/handler/[^/]+/([a-z_]+)/", link.group(1))
    assert handler and handler.group(1) == "download_my_data", link.group(1)
    mine = get(wb, usage_id, "download_my_data")
    assert mine.status == 200 and json.loads(mine.text)["submissions"][0]["text"] == ESSAY


def test_a_learner_whose_submission_staff_removed_is_told_why_and_what_to_do(wb):
    usage_id = wb.load(peer_xml())
    submit(wb, usage_id)
    before = wb.render(usage_id)
    assert "the submission deadline has passed" in before and "Your submission was removed" not in before
    public_id = state(wb, usage_id)["submission"]["id"]
    reason = 'Copied from <a href="x">a blog</a>;\nsee the honour code.'
    assert wb.call(usage_id, "remove_submission", {"submission": public_id, "reason": reason},
                   user=STAFF).status == 200
    mine = state(wb, usage_id)
    assert mine["step"] == "closed" and mine["submission"]["status"] == "removed"
    assert mine["submission"]["removed_reason"] == reason.strip()
    html = wb.render(usage_id)
    assert "the submission deadline has passed" not in html
    assert "Your submission was removed" in html and "ask the course team" in html
    assert 'Copied from &lt;a href=&quot;x&quot;&gt;a blog&lt;/a&gt;;\nsee the honour code.' in html
    assert '<a href="x">' not in html
    # Without a reason, no empty "reason" line.
    other = wb.load(peer_xml())
    submit(wb, other, LEARNER_B)
    wb.call(other, "remove_submission", {"submission": state(wb, other, LEARNER_B)["submission"]["id"],
                                         "reason": ""}, user=STAFF)
    quiet = wb.render(other, LEARNER_B)
    assert "Your submission was removed" in quiet and "The reason they gave" not in quiet


def test_word_limits_editor_and_server_agree_and_0_is_no_limit(wb):
    usage_id = wb.load(peer_xml())
    studio = wb.render(usage_id, STAFF, view="studio_view")
    limit = WORD_LIMIT
    for name, low in (("min_words", 0), ("max_words", 0)):
        field = re.search(rf'<input type="number"[^>]*name="{name}"[^>]*>', studio).group(0)
        assert f'min="{low}"' in field and f'max="{limit}"' in field, field
    assert "0 for no limit" in studio
    refused = wb.call(usage_id, "studio_submit", studio_values(max_words=limit + 1), user=STUDIO_STAFF)
    assert refused.status == 400 and refused.json["error"]["field"] == "max_words"
    refused = wb.call(usage_id, "studio_submit", studio_values(min_words=limit + 1, max_words=0), user=STUDIO_STAFF)
    assert refused.status == 400 and refused.json["error"]["field"] == "min_words"
    assert wb.call(usage_id, "studio_submit", studio_values(max_words=limit), user=STUDIO_STAFF).status == 200
    saved = wb.call(usage_id, "studio_submit", studio_values(min_words=3, max_words=0), user=STUDIO_STAFF)
    assert saved.json == {"saved": True}
    block = wb.block(usage_id, STAFF)
    assert (block.min_words, block.max_words) == (3, 0)
    long_text = " ".join(["word"] * 1500)   # above the default maximum of 1000
    assert submit(wb, usage_id, text=long_text).status == 200
    assert submit(wb, usage_id, LEARNER_B, text="Two words").error_code == "word_limits"


def test_studio_submit_validates_and_saves(wb):
    usage_id = wb.load(peer_xml())
    custom = {"criteria": [{"id": "clarity", "name": "Clarity", "options": [
        {"id": "no", "label": "No", "points": 0}, {"id": "yes", "label": "Yes", "points": 4}]}], "feedback": "none"}
    examples = [{"text": "An example", "scores": {"clarity": "yes"}}]
    saved = wb.call(usage_id, "studio_submit", studio_values(
        rubric=custom, training_examples=examples, training_enabled=True,
        prompt="<p onclick=x>Hi</p><script>x</script>",
        peer_due="2026-12-24"), user=STUDIO_STAFF)
    assert saved.json == {"saved": True}
    block = wb.block(usage_id, STAFF)
    assert block.rubric["max_points"] == 4 and block.training_examples == examples
    assert block.prompt == "<p>Hi</p>" and block.max_score() == 4
    for changes, field in [({"training_examples": [{"text": "x", "scores": {"clarity": "maybe"}}]},
                            "training_examples"),
                           ({"min_words": 50, "max_words": 10}, "min_words"),
                           ({"peer_due": "next week"}, "peer_due"),
                           ({"training_enabled": True, "training_examples": []}, "training_examples")]:
        refused = wb.call(usage_id, "studio_submit", studio_values(**changes), user=STUDIO_STAFF)
        assert refused.status == 400 and refused.json["error"]["field"] == field, changes


def test_validate_names_misconfiguration(wb):
    good = wb.block(wb.load(peer_xml()))
    assert good.validate().empty
    bad = wb.block(wb.load(peer_xml(peer_enabled=False, grading_method="calibrated",
                                    rubric={"criteria": []}, training_enabled=True)))
    messages = [m.text for m in bad.validate().messages]
    assert all(m.type == ValidationMessage.ERROR for m in bad.validate().messages)
    assert any("between 1 and 20 criteria" in m for m in messages)
    assert any("at least one of the peer" in m for m in messages)
    assert any("Calibrated grades need the peer step" in m for m in messages)
    assert any("Training needs at least one example" in m for m in messages)


def test_mobile_data_and_user_state(wb, three):
    block = wb.block(three)
    data = block.student_view_data()
    assert data["rubric"]["max_points"] == 10 and data["config"]["submission_type"] == "text"
    assert get(wb, three, "student_view_user_state").json["step"] == "peer"


@pytest.mark.parametrize("title, xml", PEER_REVIEW_SCENARIOS)
def test_scenarios_load_and_render(wb, title, xml):
    usage_id = wb.load(xml)
    html = wb.render(usage_id)
    assert "bizmooc-peer-review" in html, title


def test_author_and_studio_views_render(wb):
    usage_id = wb.load(peer_xml(display_name="Pitch <review> & more"))
    author = wb.render(usage_id, STAFF, view="author_view")
    assert "Pitch &lt;review&gt; &amp; more" in author
    studio = wb.render(usage_id, STAFF, view="studio_view")
    assert "BizMOOCPeerReviewStudio" in studio
    for template_id in rubric.TEMPLATES:
        assert f'\\"id\\": \\"{template_id}\\"' in studio or f'"id": "{template_id}"' in studio
    # The kinds of work other components register, by the name each gives them, not by id.
    for kind, label in (("canvas", "Business-model canvas"), ("journal", "Journal entry"), ("idea", "Idea")):
        assert re.search(rf'<option value="{kind}"( selected)?>{label}</option>', studio), kind


TOP = {"ideas": "excellent", "evidence": "solid", "organisation": "clear"}   # 5 + 3 + 2 = 10


def grade_table_adds_up(grade):
    """The table the learner reads: its medians and the total they add up to."""
    return sum(row["points"] for row in grade["per_criterion"])


def test_calibrated_grades_come_from_the_reviewers_neighbourhood(wb):
    # A self-review step left open keeps the grades provisional, so they are estimated once all
    # reviews are in (a grade that became final with the median keeps it).
    usage_id = wb.load(peer_xml(reviews_to_give=3, reviews_needed=3, grading_method="calibrated",
                                self_enabled=True))
    learners = [f"learner_{n}" for n in range(8)]
    for user in learners:
        submit(wb, usage_id, user)
    for rounds in range(3):  # in a different order each round, so that reviewers overlap beyond groups of 4
        for n in (range(8), (3, 7, 1, 5, 0, 4, 2, 6), (6, 2, 5, 1, 4, 0, 7, 3))[rounds]:
            review_next(wb, usage_id, learners[n], (GOOD, FAIR, TOP)[(n + rounds) % 3])
    for user in learners:
        found = state(wb, usage_id, user)
        grade = found["grade"]
        assert grade["method"] == "calibrated" and not grade["final"], grade
        totals = [sum(row["points"] or 0 for row in r["scores"]) for r in found["reviews"] if r["kind"] == "peer"]
        assert min(totals) <= grade["points"] <= max(totals)
        assert "how strict and how consistent" in grade["explanation"]
        assert "The table shows the reviewers' median for each criterion." in grade["explanation"]
        assert f"({min(totals)} to {max(totals)})" in grade["explanation"]


def test_the_issues_three_learners_get_their_median_and_are_told_why(wb):
    """"Grades and data stay right": three learners who always give 0, 4 and 10 points were all
    calibrated to 4.67. Too few reviewers to calibrate: each gets the median of what they received."""
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=2, grading_method="calibrated"))
    givers = {LEARNER_A: POOR, LEARNER_B: FAIR, LEARNER_C: TOP}       # always 0, 4 and 10 points
    for user in givers:
        submit(wb, usage_id, user)
    for user, scores in givers.items():
        review_next(wb, usage_id, user, scores)
        review_next(wb, usage_id, user, scores)
    expected = {LEARNER_A: 7,      # received 4 and 10: medians 3 + 2 + 2
                LEARNER_B: 6,      # received 0 and 10: medians 3 + 2 + 1 (ORA2 rounds half points up)
                LEARNER_C: 3}      # received 0 and 4: medians 1 + 1 + 1, never more than 4
    for user, points in expected.items():
        grade = state(wb, usage_id, user)["grade"]
        assert (grade["method"], grade["points"], grade["final"]) == ("median", points, True), grade
        assert grade_table_adds_up(grade) == grade["points"]
        assert grade["explanation"] == (
            "Median of the reviews: calibration starts once more learners have reviewed each other's work. "
            f"The median of 2 peer reviews for each criterion, added up: {points} of 10 points.")
    assert Submission.objects.filter(grade_method="median", grade_final=True).count() == 3


def test_link_submissions_must_be_web_addresses(wb):
    usage_id = wb.load(peer_xml(submission_type="link", reviews_to_give=1, reviews_needed=1))
    for link in ("", "javascript:alert(1)", "ftp://files.example.com/x", "https://"):
        refused = submit(wb, usage_id, text="", link=link, version=0)
        assert refused.status == 400 and refused.json["error"]["field"] == "link", link
    assert not Submission.objects.exists()
    assert submit(wb, usage_id, text="", link="https://example.com/my-pitch", version=0).status == 200
    submit(wb, usage_id, LEARNER_B, text="", link="https://example.com/b", version=0)
    assert next_review(wb, usage_id, LEARNER_B)["link"] == "https://example.com/my-pitch"


def test_the_canvas_scenario_make_a_canvas_then_submit_it_for_review(wb):
    """The demo: a canvas and a peer review in one unit, with the real canvas provider."""
    title, xml = next((t, x) for t, x in PEER_REVIEW_SCENARIOS if "canvas" in t)
    canvas_id, peer_id = wb.children(wb.load(xml))
    saved_versions = {}
    for user, text in ((LEARNER_A, "Field technicians <b>of</b> our service"), (LEARNER_B, "Students who cook")):
        saved = wb.call(canvas_id, "save_canvas", {"notes": [
            {"id": "n1", "section": "customer_segments", "text": text, "colour": "yellow"}], "version": 0}, user=user)
        assert saved.status == 200, saved.text
        saved_versions[user] = saved.json["version"]
    choices = get(wb, peer_id, "my_artefacts").json["choices"]
    assert len(choices) >= 1
    b_choices = get(wb, peer_id, "my_artefacts", user=LEARNER_B).json["choices"]
    assert {c["id"] for c in choices}.isdisjoint({c["id"] for c in b_choices})
    refused = submit(wb, peer_id, text="", artefact={"kind": "canvas", "id": b_choices[0]["id"]}, version=0)
    assert refused.status == 403
    assert submit(wb, peer_id, text="", artefact={"kind": "canvas", "id": choices[0]["id"]}, version=0).status == 200
    submit(wb, peer_id, LEARNER_B, text="", artefact={"kind": "canvas", "id": b_choices[0]["id"]}, version=0)
    # Changed after it was submitted: the reviewer gets the canvas as it was submitted.
    changed = wb.call(canvas_id, "save_canvas", {"notes": [
        {"id": "n1", "section": "customer_segments", "text": "Rewritten afterwards", "colour": "yellow"}],
        "version": saved_versions[LEARNER_A]})
    assert changed.status == 200, changed.text
    lease = next_review(wb, peer_id, LEARNER_B)
    assert "Field technicians &lt;b&gt;of&lt;/b&gt; our service" in lease["artefact_html"]
    assert "Rewritten afterwards" not in lease["artefact_html"]
    assert LEARNER_A not in lease["artefact_html"]
    mine = state(wb, peer_id)["submission"]
    assert mine["artefact"]["label"] == choices[0]["label"] and "Field technicians" in mine["artefact_html"]


def test_with_the_staff_step_the_staff_grade_is_final(wb):
    usage_id = wb.load(peer_xml(peer_enabled=False, staff_enabled=True))
    assert submit(wb, usage_id).json["step"] == "waiting"
    board = get(wb, usage_id, "staff_dashboard", user=STAFF, query="filter=to_staff").json
    assert board["total"] == 1 and board["rows"][0]["to_staff"]
    graded = wb.call(usage_id, "staff_grade", {"submission": board["rows"][0]["id"], "scores": GOOD,
                                               "comments": {"ideas": "Good start"}, "feedback": "Well done"},
                     user=STAFF)
    assert graded.json["grade"] == {**graded.json["grade"], "final": True, "method": "staff", "points": 8}
    mine = state(wb, usage_id)
    assert mine["step"] == "done" and mine["reviews"][0]["kind"] == "staff"
    assert mine["reviews"][0]["scores"][0]["comment"] == "Good start" and "reviewer" not in mine["reviews"][0]
    assert get(wb, usage_id, "staff_dashboard", user=STAFF, query="filter=to_staff").json["total"] == 0


def test_extra_reviews_after_the_count_do_not_change_a_grade(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=1))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        submit(wb, usage_id, user)
    review_next(wb, usage_id, LEARNER_B, GOOD)     # b reviews a (8 points)
    review_next(wb, usage_id, LEARNER_A, GOOD)
    review_next(wb, usage_id, LEARNER_A, GOOD)
    assert state(wb, usage_id)["grade"]["points"] == 8
    review_next(wb, usage_id, LEARNER_B, POOR)     # b's second: c's (needs 1)
    review_next(wb, usage_id, LEARNER_C, POOR)     # c: needed slots are filled, an extra one
    review_next(wb, usage_id, LEARNER_C, POOR)
    assert Review.objects.filter(submission__user_id=LEARNER_A).count() == 2
    again = state(wb, usage_id)
    assert again["grade"]["points"] == 8 and len(again["reviews"]) == 2


def test_studio_submit_names_every_setting_at_fault_at_once_and_saves_nothing(wb):
    usage_id = wb.load(peer_xml())
    before = wb.block(usage_id, STAFF).max_words
    refused = wb.call(usage_id, "studio_submit", studio_values(
        max_words=-1, peer_due="next week", rubric={"criteria": []}), user=STUDIO_STAFF)
    assert refused.status == 400
    fields = [found["field"] for found in refused.json["error"]["fields"]]
    assert fields == ["max_words", "rubric", "peer_due"]
    assert wb.block(usage_id, STAFF).max_words == before


def test_due_dates_are_moments_and_close_the_steps(wb):
    usage_id = wb.load(peer_xml())
    assert wb.call(usage_id, "studio_submit", studio_values(submission_due="2020-01-01T10:00"),
                   user=STUDIO_STAFF).json == {"saved": True}
    block = wb.block(usage_id, STAFF)
    assert block.submission_due == datetime(2020, 1, 1, 10, 0, tzinfo=UTC)
    assert submit(wb, usage_id).error_code == "closed"
