"""The self-assessment's rules, without XBlock or a database: which ratings are valid,
how averages and changes are computed, which feedback a learner gets, and where the
radar chart draws each point."""
import math

import pytest

from xblocks.common.errors import ApiError
from xblocks.learning_to_learn import assessment, frameworks
from xblocks.learning_to_learn.assessment import (
    area_averages,
    axis_label,
    change,
    check_ratings,
    feedback_for,
    mean,
    parse_feedback,
    radar,
)

ENTRECOMP = frameworks.built_in("entrecomp")
LIFECOMP = frameworks.built_in("lifecomp")


def framework(allow_not_sure=True, values=(0, 50, 100)):
    """Two areas, three competences, a scale whose values are not 1..n."""
    return frameworks.parse_framework({
        "title": "Teamwork",
        "scale": {"levels": [{"value": v, "label": f"L{v}"} for v in values], "allow_not_sure": allow_not_sure},
        "areas": [
            {"id": "people", "title": "People", "competences": [
                {"id": "listening", "title": "Listening"}, {"id": "feedback", "title": "Giving feedback"}]},
            {"id": "work", "title": "Work", "competences": [{"id": "planning", "title": "Planning"}]},
        ],
    })


TEAM = framework()
STRICT = framework(allow_not_sure=False)


def refusal(callable_, *args):
    with pytest.raises(ApiError) as caught:
        callable_(*args)
    error = caught.value
    assert error.status == 400
    body = error.as_json()["error"]
    return body["code"], body.get("field"), body["message"]


class says:  # pylint: disable=invalid-name,too-few-public-methods
    """Equal to a message that names each of `mentions` (case-insensitive) and has no unfilled
    placeholder: messages are checked for what they tell the reader, not their exact wording."""

    def __init__(self, *mentions):
        self.mentions = mentions

    def __eq__(self, message):
        return isinstance(message, str) and "{" not in message and all(
            mention.lower() in message.lower() for mention in self.mentions)

    def __repr__(self):
        return f"<a message naming {self.mentions!r}>"


# check_ratings ----------------------------------------------------------------------------

def test_complete_ratings_on_the_scale_pass():
    assert check_ratings(TEAM, {"listening": 0, "feedback": 50, "planning": 100}, {}) is None
    assert check_ratings(TEAM, {"listening": None, "feedback": 50, "planning": 100},
                         {"listening": "I chaired three meetings."}) is None
    assert check_ratings(ENTRECOMP, {cid: 8 for cid in ENTRECOMP.competence_ids}, {}) is None


def test_an_unknown_competence_is_refused():
    ratings = {"listening": 0, "feedback": 50, "planning": 100, "juggling": 50}
    assert refusal(check_ratings, TEAM, ratings, {}) == (
        "unknown_competence", "ratings", says("'juggling'"))
    # Evidence for a competence the framework does not have is refused the same way.
    assert refusal(check_ratings, TEAM, {"listening": 0, "feedback": 50, "planning": 100}, {"juggling": "x"})[0] == \
        "unknown_competence"
    # A competence id of another framework is unknown too.
    assert refusal(check_ratings, LIFECOMP, {cid: 3 for cid in ENTRECOMP.competence_ids}, {})[0] == \
        "unknown_competence"


def test_an_unknown_id_is_clipped_in_the_message():
    code, _, message = refusal(check_ratings, TEAM, {"x" * 500: 0}, {})
    assert code == "unknown_competence"
    assert message == says(f"'{'x' * 50}'") and "x" * 51 not in message


def test_every_competence_needs_an_answer():
    assert refusal(check_ratings, TEAM, {"listening": 0, "planning": 100}, {}) == (
        "missing_rating", "feedback", says("'Giving feedback'"))
    assert refusal(check_ratings, TEAM, {}, {})[1] == "listening"  # the first one in the form's order


@pytest.mark.parametrize("level", [1, 25, 49, -50, 150, 101])
def test_a_level_off_the_scale_is_refused(level):
    assert refusal(check_ratings, TEAM, {"listening": 0, "feedback": level, "planning": 100}, {}) == (
        "invalid_level", "feedback", says("level", "scale"))


@pytest.mark.parametrize("level", [True, False, 50.0, "50", [50], {"value": 50}])
def test_a_level_must_be_a_whole_number_not_a_bool_text_or_float(level):
    # True == 1 and False == 0 in Python, and 0 is on this scale: a bool must still be refused.
    assert refusal(check_ratings, TEAM, {"listening": level, "feedback": 50, "planning": 100}, {})[0] == \
        "invalid_level"


def test_cant_judge_is_allowed_only_when_the_scale_allows_it():
    ratings = {"listening": None, "feedback": None, "planning": None}
    assert check_ratings(TEAM, ratings, {}) is None
    assert refusal(check_ratings, STRICT, ratings, {}) == (
        "not_sure_not_allowed", "listening", says("level"))


def test_evidence_must_be_short_text():
    ratings = {"listening": 0, "feedback": 50, "planning": 100}
    assert check_ratings(TEAM, ratings, {"listening": "x" * assessment.MAX_EVIDENCE}) is None
    assert refusal(check_ratings, TEAM, ratings, {"listening": "x" * (assessment.MAX_EVIDENCE + 1)}) == (
        "invalid_evidence", "listening", says("evidence", "2000"))
    assert refusal(check_ratings, TEAM, ratings, {"planning": 42})[0] == "invalid_evidence"


# Averages and change ---------------------------------------------------------------------

def test_mean_ignores_cant_judge():
    assert mean([2, None, 4]) == 3
    assert mean([None, None]) is None
    assert mean([]) is None
    assert mean([1, 2]) == 1.5


def test_area_averages_leave_out_cant_judge():
    averages = area_averages(TEAM, {"listening": 100, "feedback": None, "planning": 50})
    assert [(area.id, value) for area, value in averages] == [("people", 100), ("work", 50)]
    averages = area_averages(TEAM, {"listening": 0, "feedback": 50, "planning": None})
    assert [(area.id, value) for area, value in averages] == [("people", 25), ("work", None)]


def test_area_averages_of_entrecomp():
    ratings = {cid: 1 for cid in ENTRECOMP.competence_ids}
    ratings.update(spotting_opportunities=8, creativity=None, self_awareness=None, motivation=None,
                   mobilising_resources=None, financial_literacy=None, mobilising_others=None)
    assert [(area.title, value) for area, value in area_averages(ENTRECOMP, ratings)] == [
        ("Ideas and opportunities", (8 + 1 + 1 + 1) / 4), ("Resources", None), ("Into action", 1)]


def test_change_is_later_minus_earlier_where_both_have_a_level():
    later = {"listening": 100, "feedback": 0, "planning": None, "extra": 50}
    earlier = {"listening": 50, "feedback": 50, "planning": 0}
    assert change(later, earlier) == {"listening": 50, "feedback": -50}
    assert change({"listening": 50}, {"listening": 50}) == {"listening": 0}
    assert change({"listening": 50}, {"listening": None}) == {}
    assert change({}, earlier) == {}


# Feedback -------------------------------------------------------------------------------

def band(low, high, text="Read chapter 2.", links=None):
    result = {"from": low, "to": high, "text": text}
    if links is not None:
        result["links"] = links
    return result


def test_feedback_is_parsed_into_bands_with_clean_links():
    parsed = parse_feedback(TEAM, {
        "listening": [band(0, 50, "  Practise active listening.  ",
                           [{"label": " Unit 3 ", "url": "/courses/course-v1:X+Y+Z/jump_to/abc"},
                            {"label": "MOOC", "url": " https://example.org/listening "}]),
                      band(100, 100, "Coach a colleague.")],
    })
    first, second = parsed["listening"]
    assert (first.low, first.high, first.text) == (0, 50, "Practise active listening.")
    assert first.links == (("Unit 3", "/courses/course-v1:X+Y+Z/jump_to/abc"), ("MOOC", "https://example.org/listening"))
    assert (second.low, second.high, second.links) == (100, 100, ())
    assert parse_feedback(TEAM, {}) == {}


def test_a_link_label_is_clipped_to_200_characters():
    parsed = parse_feedback(TEAM, {"listening": [band(0, 0, links=[{"label": "y" * 300, "url": "/x"}])]})
    assert parsed["listening"][0].links == (("y" * 200, "/x"),)


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/phish",
    "/\\evil.example/phish",      # browsers read "/\\" as "//": another site
    "https://example.org/a\u202egnp.exe",
    "https://user@evil.example/",
    "ftp://example.org/file",
    "mailto:someone@example.org",
    "https://",
    "http:///no-host",
    "example.org/page",
    "",
])
def test_unsafe_or_relative_urls_are_refused(url):
    data = {"planning": [band(0, 100, links=[{"label": "Go", "url": url}])]}
    assert refusal(parse_feedback, TEAM, data) == (
        "invalid_feedback", "feedback",
        says("'planning'", "link", "http(s)", "'/'"))


@pytest.mark.parametrize("link", [{"label": "", "url": "/x"}, {"label": "  ", "url": "/x"}, {"url": "/x"},
                                  {"label": "Go"}, "https://example.org", None, {"label": 3, "url": "/x"}])
def test_a_link_needs_a_label_and_an_address(link):
    assert refusal(parse_feedback, TEAM, {"planning": [band(0, 100, links=[link])]})[0] == "invalid_feedback"


def test_from_must_not_be_above_to_and_both_must_be_levels():
    assert refusal(parse_feedback, TEAM, {"listening": [band(100, 50)]}) == (
        "invalid_feedback", "feedback",
        says("'listening'", "From level", "To level"))
    for low, high in [(0, 75), (25, 50), (None, 50), ("0", "50"), (0, None)]:
        assert refusal(parse_feedback, TEAM, {"listening": [band(low, high)]})[0] == "invalid_feedback"


def test_feedback_shape_is_checked():
    assert refusal(parse_feedback, TEAM, [])[2] == says("feedback", "object")
    assert refusal(parse_feedback, TEAM, {"juggling": [band(0, 0)]})[2] == \
        says("unknown competence", "'juggling'")
    assert refusal(parse_feedback, TEAM, {"listening": band(0, 0)})[2] == \
        says("'listening'", "list")
    assert refusal(parse_feedback, TEAM, {"listening": ["text"]})[0] == "invalid_feedback"
    # No more bands than levels.
    assert refusal(parse_feedback, TEAM, {"listening": [band(0, 0)] * 4})[0] == "invalid_feedback"
    assert len(parse_feedback(TEAM, {"listening": [band(0, 0)] * 3})["listening"]) == 3


def test_feedback_text_and_link_limits():
    assert refusal(parse_feedback, TEAM, {"listening": [band(0, 0, " ")]})[2] == \
        says("'listening'", "text", "2000")
    assert refusal(parse_feedback, TEAM, {"listening": [band(0, 0, "x" * 2001)]})[0] == "invalid_feedback"
    parse_feedback(TEAM, {"listening": [band(0, 0, "x" * 2000)]})
    links = [{"label": f"L{i}", "url": f"/u{i}"} for i in range(6)]
    assert refusal(parse_feedback, TEAM, {"listening": [band(0, 0, links=links)]})[2] == \
        says("'listening'", "5 links")
    assert len(parse_feedback(TEAM, {"listening": [band(0, 0, links=links[:5])]})["listening"][0].links) == 5


def test_feedback_for_matches_each_rated_competence_to_its_bands():
    feedback = parse_feedback(TEAM, {
        "listening": [band(0, 0, "low"), band(50, 100, "high")],
        "feedback": [band(0, 50, "wide"), band(50, 50, "exact")],  # overlapping bands both apply
        "planning": [band(100, 100, "top only")],
    })
    matched = feedback_for(TEAM, feedback, {"listening": 50, "feedback": 50, "planning": 50})
    assert [(c.id, level.value, level.label, b.text) for c, level, b in matched] == [
        ("listening", 50, "L50", "high"), ("feedback", 50, "L50", "wide"), ("feedback", 50, "L50", "exact")]
    # Band ends are inclusive; "can't judge yet" gets no feedback; competences without bands get none.
    matched = feedback_for(TEAM, feedback, {"listening": 0, "feedback": None, "planning": 100})
    assert [(c.id, b.text) for c, _, b in matched] == [("listening", "low"), ("planning", "top only")]
    assert feedback_for(TEAM, {}, {"listening": 0, "feedback": 0, "planning": 0}) == []


# Radar geometry --------------------------------------------------------------------------

def _numbers(points):
    return [tuple(float(n) for n in pair.split(",")) for pair in points.split()]


def _inside(chart, x, y):
    return 0 <= x <= chart["width"] and 0 <= y <= chart["height"]


def _label_box(axis, char_width=7.2, line_height=13 * 1.15):
    """The corners of an axis label, as 13px text about `char_width` wide per character."""
    width = max(len(line) for _dy, line in axis["lines"]) * char_width
    left = {"start": axis["label_x"], "end": axis["label_x"] - width}.get(axis["anchor"], axis["label_x"] - width / 2)
    top = axis["label_y"] + axis["lines"][0][0] * 13 - line_height / 2
    return [(left, top), (left + width, top + line_height * len(axis["lines"]))]


@pytest.mark.parametrize("fw", [ENTRECOMP, LIFECOMP, TEAM], ids=["entrecomp", "lifecomp", "custom"])
def test_one_named_axis_per_competence_and_everything_inside_the_view_box(fw):
    top = {cid: fw.max_level for cid in fw.competence_ids}
    bottom = {cid: fw.min_level for cid in fw.competence_ids}
    chart = radar(fw, [("you", top), ("earlier", bottom)])
    count = len(fw.competences)
    assert [axis["title"] for axis in chart["axes"]] == [c.title for c in fw.competences]
    # Each axis is labelled with its competence's name, on at most two lines.
    for axis, competence in zip(chart["axes"], fw.competences):
        lines = [line for _dy, line in axis["lines"]]
        assert 1 <= len(lines) <= 2 and all(len(line) <= 16 for line in lines)
        assert competence.title.startswith(" ".join(lines).rstrip("…"))
    assert len(chart["rings"]) == len(fw.levels)
    assert all(len(_numbers(ring)) == count for ring in chart["rings"])
    assert [p["key"] for p in chart["polygons"]] == ["you", "earlier"]
    assert all(p["complete"] for p in chart["polygons"])
    points = [(a["x"], a["y"]) for a in chart["axes"]] + [corner for a in chart["axes"] for corner in _label_box(a)]
    points += [p for ring in chart["rings"] for p in _numbers(ring)]
    points += [p for polygon in chart["polygons"] for p in _numbers(polygon["points"])]
    assert all(_inside(chart, x, y) for x, y in points), [p for p in points if not _inside(chart, *p)]
    # Axes point in different directions (no two competences share an axis).
    assert len({(a["x"], a["y"]) for a in chart["axes"]}) == count


def test_long_names_are_wrapped_then_cut():
    assert axis_label("Mobilising others") == ["Mobilising", "others"]
    assert axis_label("Ethical and sustainable thinking") == ["Ethical and", "sustainable…"]
    assert axis_label("Supercalifragilisticexpialidocious") == ["Supercalifragil…"]


def test_points_sit_on_their_axis_at_a_distance_growing_with_the_level():
    chart = radar(TEAM, [("you", {"listening": 0, "feedback": 50, "planning": 100})])
    centre = (chart["cx"], chart["cy"])
    dots = [(d["x"], d["y"]) for d in chart["polygons"][0]["dots"]]
    assert _numbers(chart["polygons"][0]["points"]) == dots
    distances = [math.dist(centre, dot) for dot in dots]
    assert distances[0] < distances[1] < distances[2]
    # The top level reaches the axis end; the lowest level is off the centre (distinct from "can't judge").
    axis_length = math.dist(centre, (chart["axes"][2]["x"], chart["axes"][2]["y"]))
    assert distances[2] == pytest.approx(axis_length, abs=0.2)
    assert distances[0] == pytest.approx(0.1 * axis_length, abs=0.2)
    # The first axis points straight up.
    assert chart["axes"][0]["x"] == centre[0] and chart["axes"][0]["y"] < centre[1]
    assert chart["axes"][0]["anchor"] == "middle"


def test_cant_judge_and_missing_ratings_leave_a_gap_not_a_point_at_the_centre():
    chart = radar(TEAM, [("you", {"listening": None, "feedback": 100, "planning": 50}),
                         ("earlier", {"listening": 50, "feedback": 50, "planning": 50})])
    you, earlier = chart["polygons"]
    centre = (chart["cx"], chart["cy"])
    assert not you["complete"] and you["points"] == ""
    assert len(you["dots"]) == 2 and centre not in [(d["x"], d["y"]) for d in you["dots"]]
    # One segment, feedback -> planning: nothing runs to or from the unrated axis.
    assert you["path"].count("M") == 1
    # The learner's unrated competence is marked on its axis; the earlier series is whole.
    assert [a["unrated"] for a in chart["axes"]] == [True, False, False] and chart["unrated"]
    assert earlier["complete"] and len(_numbers(earlier["points"])) == 3
    # No rating at all (a competence added since) is unrated too.
    assert radar(TEAM, [("you", {"feedback": 100})])["axes"][2]["unrated"]


def test_cohort_averages_between_levels_are_drawn_between_the_rings():
    chart = radar(LIFECOMP, [("cohort", {cid: 2.5 for cid in LIFECOMP.competence_ids})])
    centre = (chart["cx"], chart["cy"])
    ring_2, ring_3 = _numbers(chart["rings"][1]), _numbers(chart["rings"][2])
    for index, dot in enumerate(chart["polygons"][0]["dots"]):
        distance = math.dist(centre, (dot["x"], dot["y"]))
        assert math.dist(centre, ring_2[index]) < distance < math.dist(centre, ring_3[index])
