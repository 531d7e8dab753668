"""A rubric edit in Studio never rewrites a grade by itself (regrading.py).

Three learners were graded with the general rubric (learner_a: 3 of 10). The course team then
starts from another template and saves: refused (409 rubric_in_use, saying how many learners
have reviews) until they confirm; confirming changes the rubric for reviews from now on, and
every learner keeps their grade and reads their reviews as they were made (criterion names,
option labels, points). Regrading is a staff action of its own."""
import pytest

from tests.conftest import LEARNER_A, LEARNER_B, STAFF, STUDIO_STAFF
from tests.peer_review.peer_helpers import FAIR, GOOD, POOR, get, peer_xml, review_next, state, submit
from tests.peer_review.test_peer_review_block import snapshot, studio_values
from xblocks.peer_review import rubric
from xblocks.peer_review.models import Review, RubricVersion, Submission

LEARNER_C = "learner_c"


def general():
    return rubric.default_rubric_json()


def pitch():
    return rubric.template("pitch")[1].as_json()


@pytest.fixture
def graded(wb):
    """Three learners, each graded by two peers with the general rubric: a 3 (POOR, FAIR), b and c 8."""
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=2, graded=True, weight=2.0))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        assert submit(wb, usage_id, user).status == 200
    review_next(wb, usage_id, LEARNER_A, GOOD)
    review_next(wb, usage_id, LEARNER_A, GOOD)
    review_next(wb, usage_id, LEARNER_B, POOR)
    review_next(wb, usage_id, LEARNER_C, FAIR)
    review_next(wb, usage_id, LEARNER_B, GOOD)
    review_next(wb, usage_id, LEARNER_C, GOOD)
    assert [state(wb, usage_id, user)["grade"]["points"] for user in (LEARNER_A, LEARNER_B, LEARNER_C)] == [3, 8, 8]
    return usage_id


def save(wb, usage_id, **changes):
    return wb.call(usage_id, "studio_submit", studio_values(**dict({"weight": 2.0}, **changes)), user=STUDIO_STAFF)


def received_rows(page):
    return sorted((row["name"], row["label"], row["points"]) for r in page["reviews"] for row in r["scores"])


def test_another_template_is_refused_until_confirmed_and_then_changes_no_grade(wb, graded, lms_grades):
    before_page = state(wb, graded, LEARNER_A)
    before_rows = snapshot()
    refused = save(wb, graded, rubric=pitch())
    assert refused.status == 409
    error = refused.json["error"]
    assert error["code"] == "rubric_in_use" and error["details"] == {"count": 3}
    assert "current rubric: 3." in error["message"] and "regrade" in error["message"]
    assert snapshot() == before_rows and wb.block(graded).rubric == general()   # nothing changed

    sent = len(lms_grades)
    assert save(wb, graded, rubric=pitch(), confirm_rubric_change=True).status == 200
    assert [c["id"] for c in wb.block(graded).rubric["criteria"]] == ["problem", "solution", "ask"]
    page = state(wb, graded, LEARNER_A)
    # Still 3 of 10, from the same table; the reviews read as they were made, not as bare names.
    assert (page["grade"]["points"], page["grade"]["max"]) == (3, 10)
    assert page["grade"]["per_criterion"] == before_page["grade"]["per_criterion"]
    assert [c["name"] for c in page["grade"]["per_criterion"]] == ["Ideas", "Evidence", "Organisation"]
    assert received_rows(page) == received_rows(before_page)
    assert ("Ideas", "Fair", 1) in received_rows(page) and ("Organisation", "Hard to follow", 0) in received_rows(page)
    assert [state(wb, graded, user)["grade"]["points"] for user in (LEARNER_B, LEARNER_C)] == [8, 8]
    assert len(lms_grades) == sent                                                # nobody regraded
    staff_view = get(wb, graded, "staff_submission", user=STAFF,
                     query=f"submission={Submission.objects.get(user_id=LEARNER_A).public_id}").json
    assert staff_view["grade"]["points"] == 3 and {row["label"] for r in staff_view["reviews"] for row in r["scores"]} \
        == {"Poor", "Fair", "None", "Some", "Hard to follow", "Clear"}
    # The reviews export has the columns of both rubrics, each review's options by its own labels.
    exported = get(wb, graded, "export_csv", user=STAFF, query="what=reviews").csv_dicts
    assert {"Problem", "Ideas", "Organisation"} <= set(exported[0])
    assert sorted(row["Ideas"] for row in exported if row["author"] == LEARNER_A) == ["Fair", "Poor"]
    # Saving the rubric as it now is asks nothing; going back neither: no review was made with pitch.
    assert save(wb, graded, rubric=pitch()).status == 200
    assert save(wb, graded, rubric=general()).status == 200


def test_wording_only_edits_pass_and_old_reviews_keep_their_wording(wb, graded):
    renamed = general()
    renamed["criteria"][0]["name"] = "Originality"
    renamed["criteria"][0]["options"][1]["label"] = "Some originality"
    assert save(wb, graded, rubric=renamed).status == 200
    page = state(wb, graded, LEARNER_A)
    assert page["grade"]["points"] == 3 and page["grade"]["per_criterion"][0]["name"] == "Ideas"
    assert ("Ideas", "Fair", 1) in received_rows(page)
    points = general()
    points["criteria"][0]["options"][1]["points"] = 2
    refused = save(wb, graded, rubric=points)
    assert refused.status == 409 and refused.json["error"]["code"] == "rubric_in_use"


def test_reviews_from_before_rubric_versions_keep_their_grades(wb, graded):
    """Reviews stored before migration 0004 have no rubric: they were made with the block's,
    and the first change pins them to it."""
    Review.objects.update(rubric=None)
    Submission.objects.update(grade_rubric=None)
    assert save(wb, graded, rubric=pitch(), confirm_rubric_change=True).status == 200
    assert Review.objects.filter(rubric=None).count() == 0
    assert set(Review.objects.values_list("rubric_id", flat=True)) == {rubric.digest(rubric.parse_rubric(general()))}
    page = state(wb, graded, LEARNER_A)
    assert page["grade"]["points"] == 3 and ("Ideas", "Fair", 1) in received_rows(page)


def test_regrade_rescores_where_the_options_still_exist_and_updates_the_gradebook(wb, graded, lms_grades):
    more = general()
    more["criteria"][0]["options"][1]["points"] = 2    # "fair" ideas: 1 -> 2 points
    more["criteria"][0]["options"][2]["points"] = 4    # "good" ideas: 3 -> 4 points
    assert save(wb, graded, rubric=more, confirm_rubric_change=True).status == 200
    assert state(wb, graded, LEARNER_A)["grade"]["points"] == 3                  # no regrade yet
    assert wb.call(graded, "regrade", {}, user=LEARNER_A).status == 403          # staff only
    sent = len(lms_grades)
    done = wb.call(graded, "regrade", {}, user=STAFF)
    assert done.status == 200
    assert {k: done.json[k] for k in ("regraded", "changed", "not_regraded")} == \
        {"regraded": 3, "changed": 2, "not_regraded": 0}
    assert "Grades that changed: 2" in done.json["message"]
    # a: medians of POOR and FAIR: ideas (0, 2) 1, evidence (0, 1) 1, organisation (0, 2) 1: still 3.
    # b and c: GOOD twice, now 4 + 3 + 2.
    grades = {user: state(wb, graded, user)["grade"]["points"] for user in (LEARNER_A, LEARNER_B, LEARNER_C)}
    assert grades == {LEARNER_A: 3, LEARNER_B: 9, LEARNER_C: 9}
    assert sorted(lms_grades[sent:]) == [(LEARNER_B, 9, 10, False, graded, 2.0), (LEARNER_C, 9, 10, False, graded, 2.0)]
    page = state(wb, graded, LEARNER_B)
    assert ("Ideas", "Good", 4) in received_rows(page)
    again = wb.call(graded, "regrade", {}, user=STAFF).json
    assert (again["regraded"], again["changed"]) == (0, 0)


def test_regrade_keeps_grades_it_cannot_recompute(wb, graded, lms_grades):
    assert save(wb, graded, rubric=pitch(), confirm_rubric_change=True).status == 200
    sent = len(lms_grades)
    done = wb.call(graded, "regrade", {}, user=STAFF).json
    assert (done["regraded"], done["changed"], done["not_regraded"]) == (0, 0, 3)
    assert state(wb, graded, LEARNER_A)["grade"]["points"] == 3
    assert len(lms_grades) == sent


def test_a_rubric_is_stored_once_whatever_the_number_of_reviews(wb, graded):
    assert RubricVersion.objects.count() == 1
    assert Review.objects.exclude(rubric=None).count() == Review.objects.count() == 6
