"""Rubrics: the built-in templates, validation with field errors, scoring, training checks."""
import json

import pytest

from xblocks.common.errors import ApiError
from xblocks.peer_review import rubric
from xblocks.peer_review.data_texts import translatable_texts

GENERAL = rubric.template("general")[1]


def criteria(*items, feedback="optional"):
    return {"criteria": list(items), "feedback": feedback}


def scored(cid="quality", comments="optional"):
    return {"id": cid, "name": "Quality", "comments": comments,
            "options": [{"id": "low", "label": "Low", "points": 0}, {"id": "high", "label": "High", "points": 2.5}]}


@pytest.mark.parametrize("template_id", rubric.TEMPLATES)
def test_built_in_templates_parse_and_round_trip(template_id):
    name, parsed = rubric.template(template_id)
    assert name and parsed.max_points > 0
    again = rubric.parse_rubric(parsed.as_json())
    assert again == parsed and again.as_json() == parsed.as_json()


def test_comments_only_criterion_gives_no_points_and_needs_comments():
    parsed = rubric.parse_rubric(criteria(scored(), {"id": "tip", "name": "One tip", "comments": "required"}))
    assert parsed.max_points == 2.5
    assert [c.id for c in parsed.scored] == ["quality"]
    with pytest.raises(ApiError) as error:
        rubric.parse_rubric(criteria({"id": "tip", "name": "One tip", "options": [], "comments": "none"}))
    assert error.value.field == "rubric" and "needs comments" in error.value.translated()


@pytest.mark.parametrize("data, words", [
    ("not a dict", "must be an object"),
    ({"criteria": []}, "between 1 and 20 criteria"),
    (criteria(scored(), scored()), "used twice"),
    (criteria(dict(scored(), id="Not An Id")), "an id is"),
    (criteria(dict(scored(), name="  ")), "needs a text"),
    (criteria(dict(scored(), options=[{"id": "only", "label": "Only", "points": 1}])), "between 2 and"),
    (criteria(dict(scored(), options=[{"id": "a", "label": "A", "points": -1},
                                      {"id": "b", "label": "B", "points": 1}])), "points are a number"),
    (criteria(dict(scored(), options=[{"id": "a", "label": "A", "points": True},
                                      {"id": "b", "label": "B", "points": 1}])), "points are a number"),
    (criteria(dict(scored(), comments="sometimes")), "must be one of"),
    (criteria(scored(), feedback="always"), "must be one of"),
])
def test_malformed_rubrics_are_refused_with_a_clear_field_error(data, words):
    with pytest.raises(ApiError) as error:
        rubric.parse_rubric(data)
    assert error.value.status == 400 and error.value.field == "rubric"
    assert words in error.value.translated()


def test_score_review_points_per_criterion_and_total():
    result = rubric.score_review(GENERAL, {"ideas": "good", "evidence": "solid", "organisation": "clear"},
                                 {"ideas": "  Strong opening. "}, " Thanks ", 100)
    assert result.criterion_points == {"ideas": 3, "evidence": 3, "organisation": 2}
    assert result.points == 8 and result.comments == {"ideas": "Strong opening."} and result.feedback == "Thanks"


@pytest.mark.parametrize("scores, comments, feedback, code, field", [
    ({"ideas": "good", "evidence": "solid"}, {}, "", "invalid_score", "scores.organisation"),
    ({"ideas": "perfect", "evidence": "solid", "organisation": "clear"}, {}, "", "invalid_score", "scores.ideas"),
    ({"ideas": "good", "evidence": "solid", "organisation": "clear", "style": "x"}, {}, "", "unknown_criterion",
     "scores.style"),
    ({"ideas": "good", "evidence": "solid", "organisation": "clear"}, {"ideas": "x" * 101}, "", "too_long",
     "comments.ideas"),
])
def test_score_review_refusals_name_the_criterion(scores, comments, feedback, code, field):
    with pytest.raises(ApiError) as error:
        rubric.score_review(GENERAL, scores, comments, feedback, 100)
    assert (error.value.code, error.value.field) == (code, field)


def test_required_comments_and_feedback():
    parsed = rubric.parse_rubric(criteria(scored(comments="required"), feedback="required"))
    with pytest.raises(ApiError) as error:
        rubric.score_review(parsed, {"quality": "high"}, {}, "fine", 100)
    assert error.value.code == "comment_required"
    with pytest.raises(ApiError) as error:
        rubric.score_review(parsed, {"quality": "high"}, {"quality": "ok"}, " ", 100)
    assert error.value.code == "feedback_required"


def test_training_check():
    expected = {"ideas": "good", "evidence": "solid", "organisation": "clear"}
    correct, passed = rubric.check_training(GENERAL, expected, dict(expected, ideas="fair"))
    assert correct == {"ideas": False, "evidence": True, "organisation": True} and not passed
    assert rubric.check_training(GENERAL, expected, expected)[1]
    assert rubric.example_points(GENERAL, expected) == 8


def test_translatable_texts_and_localisation():
    data = json.loads(open(rubric.__file__.replace("rubric.py", "data/rubrics/general.json")).read())
    texts = translatable_texts(data)
    assert "Essay (general)" in texts and "Ideas" in texts and "Excellent" in texts
    shouted = rubric.localized(GENERAL, str.upper)
    assert shouted.criteria[0].name == "IDEAS" and shouted.criteria[0].options[0].label == "POOR"
    assert shouted.max_points == GENERAL.max_points
