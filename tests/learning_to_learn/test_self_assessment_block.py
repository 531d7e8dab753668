"""The competence self-assessment on the real workbench runtime: learners rating
themselves phase after phase, staff reading the cohort picture, course authors editing
the block in Studio, and its OLX, mobile and report interfaces. One fresh runtime per
request, as the workbench does (`tests/conftest.py`)."""
import io
import json
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from types import SimpleNamespace

import lxml.html
import pytest
from django.core.cache import cache
from lxml import etree
from xblock.validation import ValidationMessage

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, InStudio, lms_user
from tests.helpers import assert_the_browser_cannot_choose_an_event
from tests.learning_to_learn.test_assessment_rules import says
from tests.olx import assert_every_course_field_covered, block_xml, course_fields, exported
from tests.queries import statements_of
from xblocks.learning_to_learn import assessment_store, frameworks
from xblocks.learning_to_learn.assessment_settings import SETTINGS
from xblocks.learning_to_learn.models import AssessmentResponse, CompetenceRating
from xblocks.learning_to_learn.scenarios_assessment import ASSESSMENT_SCENARIOS
from xblocks.learning_to_learn.self_assessment import SelfAssessmentBlock

SA = "bizmooc_self_assessment"
ENTRECOMP = frameworks.built_in("entrecomp")
LIFECOMP = frameworks.built_in("lifecomp")
WORKBENCH_COURSE = "workbench"  # every workbench block's course (xblocks.common.locations)
EVENT_TYPES = {"completion", "grade"} | {f"bizmooc.self_assessment.{action}"
                                         for action in ("submitted", "revised", "profile_downloaded")}


@pytest.fixture(autouse=True)
def empty_cache():
    """Cohort figures are cached in Django's cache, which outlives each test's database rollback."""
    cache.clear()
    yield
    cache.clear()


def operator(settings, **values):
    """Set operator settings (XBLOCK_SETTINGS) on top of the devstack's."""
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], **values}}


def sa_xml(**attributes):
    """OLX for one self-assessment block (see `tests.olx.block_xml`)."""
    return block_xml(SA, **attributes)


def rate(framework, level, **levels):
    """Every competence of `framework` at `level`, except those given by id."""
    ratings = {cid: level for cid in framework.competence_ids}
    ratings.update(levels)
    return ratings


def submit(wb, usage_id, ratings, evidence=None, user=LEARNER_A):
    body = {"ratings": ratings}
    if evidence is not None:
        body["evidence"] = evidence
    return wb.call(usage_id, "submit_assessment", body, user=user)


def get(wb, usage_id, handler, user=LEARNER_A):
    return wb.call(usage_id, handler, user=user, method="GET")


def stored():
    """Everything the assessment tables hold, to prove a refused request changed nothing."""
    return [
        (r.course_id, r.group_name, r.phase, r.user_id, r.usage_id, r.framework_id, r.evidence, r.revision_count,
         r.submitted_at, sorted((x.competence_id, x.level) for x in r.ratings.all()))
        for r in AssessmentResponse.objects.order_by("id").prefetch_related("ratings")
    ]


def levels_of(user=LEARNER_A, phase="before", group="Competence check"):
    response = AssessmentResponse.objects.get(user_id=user, phase=phase, group_name=group)
    return {r.competence_id: r.level for r in response.ratings.all()}


def cells(element):
    return [" ".join(cell.text_content().split()) for cell in element.xpath("./th|./td")]


def table(html, caption):
    """(header cells, body rows) of the table with this caption, as the reader sees them."""
    doc = lxml.html.fromstring(html)
    found = [t for t in doc.xpath("//table") if caption in " ".join(t.xpath("string(./caption)").split())]
    assert len(found) == 1, f"no single table captioned {caption!r}"
    header = cells(found[0].xpath("./thead/tr")[0])
    return header, [cells(row) for row in found[0].xpath("./tbody/tr")]


def cohort_note(html):
    """The numbers in the note saying how many learners the cohort average waits for ([] if none)."""
    notes = lxml.html.fromstring(html).xpath("//*[contains(@class, 'sa-cohort-note')]")
    return re.findall(r"\d+", notes[0].text_content()) if notes else []


def profile_of(wb, usage_id, user=LEARNER_A):
    """The profile section of the learner's student view."""
    doc = lxml.html.fromstring(wb.render(usage_id, user))
    sections = doc.xpath("//section[contains(@class, 'sa-profile')]")
    return lxml.html.tostring(sections[0], encoding="unicode") if sections else ""


def checked_levels(html):
    """{competence id: checked radio value} in the rating form."""
    doc = lxml.html.fromstring(html)
    result = {}
    for fieldset in doc.xpath("//fieldset[@data-competence]"):
        values = fieldset.xpath(".//input[@type='radio'][@checked]/@value")
        result[fieldset.get("data-competence")] = values[0] if values else None
    return result


def studio_body(**changes):
    body = {
        "display_name": "Competence check", "instructions": "<p>Rate yourself.</p>",
        "framework_choice": "entrecomp", "custom_framework": None, "feedback": {},
        "group_name": "Competence check", "phase": "before", "show_cohort": False, "cohort_min_learners": 10,
        "allow_revisions": True, "revise_until": "", "ask_evidence": True, "graded": False, "weight": 1,
    }
    body.update(changes)
    assert set(body) == set(SETTINGS.names())
    return body


TEAMWORK = {
    "id": "teamwork",
    "title": "Teamwork",
    "source": "Course team",
    "licence": "CC BY 4.0",
    "scale": {"levels": [{"value": 1, "label": "Novice", "band": "Beginning", "descriptor": "I need help."},
                         {"value": 2, "label": "Practitioner", "band": "Developing", "descriptor": "Alone."},
                         {"value": 3, "label": "Expert", "band": "Proficient", "descriptor": "I teach it."}],
              "allow_not_sure": False},
    "areas": [{"id": "people", "title": "People", "competences": [
        {"id": "listening", "title": "Listening", "descriptor": "Hearing others out."},
        {"id": "pitching", "title": "Pitching", "descriptor": "Selling an idea."}]}],
}


# Submitting and the profile -----------------------------------------------------------------

def test_a_submitted_assessment_shows_the_profile_with_the_learners_levels(wb):
    usage_id = wb.load(sa_xml(framework_choice="lifecomp"))
    before = wb.render(usage_id)
    assert "Submit my self-assessment" in before
    assert set(checked_levels(before).values()) == {None}  # nothing pre-selected
    assert 'class="sa-profile"' not in before

    ratings = rate(LIFECOMP, 3, self_regulation=1, empathy=5, critical_thinking=None)
    result = submit(wb, usage_id, ratings, {"empathy": "  I mentor two new colleagues.  "})
    assert result.status == 200, result.text

    header, rows = table(result.json["profile_html"], "Your ratings")
    assert header == ["Competence", "You (Before the course)"]
    assert rows[0] == ["Self-regulation · Personal", "1 · Just starting"]
    assert rows[3] == ["Empathy · Social", "5 · Role model"]
    assert rows[7] == ["Critical thinking · Learning to learn", "can't judge yet"]
    assert [row[1] for row in rows].count("3 · Often") == 6
    _, areas = table(result.json["profile_html"], "Average per area")
    # Personal (1+3+3)/3, Social (5+3+3)/3, Learning to learn: "can't judge" left out -> (3+3)/2.
    assert areas == [["Personal", "2.3"], ["Social", "3.7"], ["Learning to learn", "3"]]

    # The page shows the same profile on the next visit, without the form (it is fetched when
    # the learner revises), and the revision form keeps the answers.
    page = wb.render(usage_id)
    assert table(page, "Your ratings")[1] == rows
    assert checked_levels(page) == {} and "sa-competence" not in page
    form = wb.call(usage_id, "revision_form", method="GET").json["html"]
    assert checked_levels(form) == {cid: ("" if v is None else str(v)) for cid, v in ratings.items()}
    assert "Save my new answers" in form
    assert levels_of() == ratings
    assert AssessmentResponse.objects.get().evidence == {"empathy": "I mentor two new colleagues."}


def test_the_radar_chart_has_one_axis_per_competence_and_a_polygon_for_the_learner(wb):
    usage_id = wb.load(sa_xml())
    result = submit(wb, usage_id, rate(ENTRECOMP, 4))
    doc = lxml.html.fromstring(result.json["profile_html"])
    svg = doc.xpath("//svg")[0]
    assert svg.get("role") == "img"
    assert len(svg.xpath(".//g[@class='sa-axes']/line")) == 15
    # Axes named after their competences (wrapped, cut with "…" if long); the full names in
    # each label's tooltip and in the chart's description, which screen readers read.
    labels = svg.xpath(".//g[@class='sa-axes']/text")
    assert [label.xpath("string(./title)") for label in labels] == [c.title for c in ENTRECOMP.competences]
    assert " ".join(labels[0].xpath("./tspan/text()")) == "Spotting opportunities"
    assert all(len(line) <= 16 for label in labels for line in label.xpath("./tspan/text()"))
    desc = svg.xpath(".//desc")[0]
    assert svg.get("aria-describedby") == desc.get("id")
    assert desc.text == "Axes, clockwise from the top: " + "; ".join(c.title for c in ENTRECOMP.competences) + "."
    assert len(svg.xpath(".//g[contains(@class, 'sa-series-you')]/circle")) == 15
    assert svg.xpath(".//g[contains(@class, 'sa-series-you')]/polygon")
    assert not svg.xpath(".//g[contains(@class, 'sa-series-earlier')]")
    assert "sa-unrated-note" not in result.json["profile_html"]


def test_cant_judge_yet_leaves_a_gap_in_the_line_and_marks_the_axis(wb):
    usage_id = wb.load(sa_xml())
    html = submit(wb, usage_id, rate(ENTRECOMP, 4, vision=None, creativity=None)).json["profile_html"]
    svg = lxml.html.fromstring(html).xpath("//svg")[0]
    you = svg.xpath(".//g[contains(@class, 'sa-series-you')]")[0]
    assert not you.xpath("./polygon") and you.xpath("./path")
    assert len(you.xpath("./circle")) == 13  # no point for the two, least of all at the centre
    axis = svg.xpath(".//g[@class='sa-axes']/line")[0]
    centre = (axis.get("x1"), axis.get("y1"))
    assert centre not in [(c.get("cx"), c.get("cy")) for c in you.xpath("./circle")]
    marked = [label.xpath("string(./title)")
              for label in svg.xpath(".//g[@class='sa-axes']/text[@class='sa-axis-unrated']")]
    assert marked == ["Creativity (can't judge yet)", "Vision (can't judge yet)"]
    assert "sa-unrated-note" in html


def test_feedback_and_resources_match_the_learners_levels(wb):
    feedback = {"creativity": [{"from": 1, "to": 3, "text": "Try a daily idea quota.",
                                "links": [{"label": "Week 3: ideas", "url": "/courses/x/jump_to/y"}]},
                               {"from": 4, "to": 8, "text": "Run a creativity workshop."}],
                "vision": [{"from": 7, "to": 8, "text": "Write your ten-year vision."}]}
    usage_id = wb.load(sa_xml(feedback=feedback))
    profile = submit(wb, usage_id, rate(ENTRECOMP, 2, vision=6)).json["profile_html"]
    doc = lxml.html.fromstring(profile)
    items = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='sa-feedback']/li")]
    assert items == ["Creativity (Explore): Try a daily idea quota. Week 3: ideas"]
    assert doc.xpath("//ul[@class='sa-feedback']//a/@href") == ["/courses/x/jump_to/y"]

    profile = submit(wb, usage_id, rate(ENTRECOMP, 8)).json["profile_html"]
    items = [" ".join(li.text_content().split()) for li in lxml.html.fromstring(profile).xpath(
        "//ul[@class='sa-feedback']/li")]
    assert items == ["Creativity (Transform): Run a creativity workshop.",
                     "Vision (Transform): Write your ten-year vision."]


def test_the_printable_profile_is_a_whole_page_with_the_table(wb):
    usage_id = wb.load(sa_xml(display_name="My EntreComp check"))
    not_yet = get(wb, usage_id, "download_profile")
    assert not_yet.status == 200 and "You have not answered this self-assessment yet." in not_yet.text
    submit(wb, usage_id, rate(ENTRECOMP, 5))
    page = get(wb, usage_id, "download_profile")
    assert page.status == 200
    assert page.response.content_type == "text/html"
    assert page.text.startswith("<!DOCTYPE html>")
    assert lxml.html.fromstring(page.text).get("lang")  # the page says its language, for screen readers
    assert "<title>My EntreComp check</title>" in page.text
    _, rows = table(page.text, "")
    assert len(rows) == 15 and all(row[1] == "5 · Improve" for row in rows)
    assert ENTRECOMP.source in page.text
    # The learner's name, as the platform's user service knows it (no full name here: the username).
    assert f"Learner: {LEARNER_A}" in page.text


def test_the_printable_profile_names_the_learner_by_full_name_else_username(wb):
    usage_id = wb.load(sa_xml())
    anna = lms_user("anon-anna", username="anna_k")
    submit(wb, usage_id, rate(ENTRECOMP, 5), user=anna)
    page = lxml.html.fromstring(get(wb, usage_id, "download_profile", user=anna).text)
    assert page.xpath("string(//p[@class='sa-learner'])") == "Learner: anna_k"


def test_learners_are_kept_apart(wb):
    usage_id = wb.load(sa_xml())
    submit(wb, usage_id, rate(ENTRECOMP, 2), user=lms_user("anon-aaa"))
    other = wb.render(usage_id, lms_user("anon-bbb"))
    assert "Submit my self-assessment" in other and 'class="sa-profile"' not in other
    assert set(checked_levels(other).values()) == {None}
    submit(wb, usage_id, rate(ENTRECOMP, 7), user=lms_user("anon-bbb"))
    assert {(r.user_id, r.ratings.first().level) for r in AssessmentResponse.objects.all()} == {
        ("anon-aaa", 2), ("anon-bbb", 7)}


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(wb):
    usage_id = wb.load(sa_xml())
    page = wb.render(usage_id, LMS_ANONYMOUS)
    assert "Sign in and enrol to assess your competences." in page
    assert "<form" not in page
    result = submit(wb, usage_id, rate(ENTRECOMP, 2), user=LMS_ANONYMOUS)
    assert (result.status, result.error_code) == (403, "not_signed_in")
    assert not AssessmentResponse.objects.exists()


# Completion, grade and events ------------------------------------------------------------

def test_graded_assessment_publishes_completion_and_grade_once(wb):
    usage_id = wb.load(sa_xml(graded=True, weight=3))
    block = wb.block(usage_id)
    assert block.has_score is True and block.max_score() == 1.0

    submit(wb, usage_id, rate(ENTRECOMP, 3, vision=None))
    assert [e.type for e in wb.events] == ["bizmooc.self_assessment.submitted", "completion", "grade"]
    submitted, completion, grade = wb.events
    # The levels go with the event ("can't judge yet" as None), for xAPI's `levels` extension;
    # the evidence (the learner's text) never does.
    assert submitted.data == {"phase": "before", "framework": "entrecomp", "rated": 14,
                              "ratings": rate(ENTRECOMP, 3, vision=None)}
    assert completion.data == {"completion": 1.0}
    assert grade.data == {"value": 1.0, "max_value": 1.0}
    assert {e.user_id for e in wb.events} == {LEARNER_A}

    submit(wb, usage_id, rate(ENTRECOMP, 4))
    assert [e.type for e in wb.events[3:]] == ["bizmooc.self_assessment.revised"]
    assert wb.events[-1].data == {"phase": "before", "framework": "entrecomp", "rated": 15,
                                  "ratings": rate(ENTRECOMP, 4)}

    submit(wb, usage_id, rate(ENTRECOMP, 4), user=LEARNER_B)  # another learner completes for themselves
    assert [(e.user_id, e.type) for e in wb.events if e.type in ("completion", "grade")] == [
        (LEARNER_A, "completion"), (LEARNER_A, "grade"), (LEARNER_B, "completion"), (LEARNER_B, "grade")]


def test_ungraded_assessment_completes_without_a_grade(wb):
    usage_id = wb.load(sa_xml())
    block = wb.block(usage_id)
    assert block.has_score is False and block.max_score() is None
    assert block.completion_mode == "completable" and block.has_custom_completion is True
    submit(wb, usage_id, rate(ENTRECOMP, 3))
    assert [e.type for e in wb.events] == ["bizmooc.self_assessment.submitted", "completion"]


def test_only_allow_listed_events_are_published(wb):
    usage_id = wb.load(sa_xml(graded=True, show_cohort=True))
    submit(wb, usage_id, rate(ENTRECOMP, 3))
    submit(wb, usage_id, rate(ENTRECOMP, 4))
    submit(wb, usage_id, rate(ENTRECOMP, 9))  # refused
    get(wb, usage_id, "download_profile")
    get(wb, usage_id, "student_view_user_state")
    get(wb, usage_id, "staff_report", user=STAFF)
    get(wb, usage_id, "export_csv", user=STAFF)
    wb.render(usage_id)
    types = [e.type for e in wb.events]
    assert set(types) <= EVENT_TYPES
    assert types == ["bizmooc.self_assessment.submitted", "completion", "grade", "bizmooc.self_assessment.revised",
                     "bizmooc.self_assessment.profile_downloaded"]
    assert_the_browser_cannot_choose_an_event(wb, usage_id)


# Revising --------------------------------------------------------------------------------

def test_revising_replaces_the_answers_when_allowed(wb):
    usage_id = wb.load(sa_xml())
    submit(wb, usage_id, rate(ENTRECOMP, 2), {"vision": "Wrote a plan."})
    first = AssessmentResponse.objects.get()
    result = submit(wb, usage_id, rate(ENTRECOMP, 3, vision=None), {"creativity": "Ran a hackathon."})
    assert result.status == 200
    revised = AssessmentResponse.objects.get()
    assert revised.pk == first.pk and revised.revision_count == 2
    assert revised.submitted_at >= first.submitted_at
    assert revised.evidence == {"creativity": "Ran a hackathon."}
    assert levels_of() == rate(ENTRECOMP, 3, vision=None)
    assert CompetenceRating.objects.count() == 15
    assert table(result.json["profile_html"], "Your ratings")[1][0][1] == "3 · Experiment"


def _assert_revision_refused(wb, usage_id):
    before, event_count = stored(), len(wb.events)
    again = submit(wb, usage_id, rate(ENTRECOMP, 8), {"vision": "changed"})
    assert (again.status, again.error_code) == (403, "revisions_closed")
    assert again.json["error"]["message"] == says("changed")
    assert stored() == before
    assert len(wb.events) == event_count
    page = wb.render(usage_id)
    assert "Revise my answers" not in page and "sa-competence" not in page
    assert get(wb, usage_id, "student_view_user_state").json["can_revise"] is False
    form = get(wb, usage_id, "revision_form")  # nor can the form be fetched
    assert (form.status, form.error_code) == (403, "revisions_closed")


def test_revising_is_refused_when_the_block_does_not_allow_it(wb):
    usage_id = wb.load(sa_xml(allow_revisions=False))
    assert get(wb, usage_id, "student_view_user_state").json["can_revise"] is False
    assert submit(wb, usage_id, rate(ENTRECOMP, 2)).status == 200  # the first answer is always accepted
    _assert_revision_refused(wb, usage_id)


def test_revising_is_refused_after_the_closing_date(wb):
    usage_id = wb.load(sa_xml(revise_until=datetime.now(dt_timezone.utc) - timedelta(minutes=1)))
    assert submit(wb, usage_id, rate(ENTRECOMP, 2)).status == 200
    _assert_revision_refused(wb, usage_id)


def test_revising_is_allowed_until_the_closing_date(wb):
    usage_id = wb.load(sa_xml(revise_until=datetime.now(dt_timezone.utc) + timedelta(days=1)))
    submit(wb, usage_id, rate(ENTRECOMP, 2))
    assert "Revise my answers" in wb.render(usage_id)
    assert submit(wb, usage_id, rate(ENTRECOMP, 6)).status == 200
    assert set(levels_of().values()) == {6}


# Bad input --------------------------------------------------------------------------------

BAD_SUBMISSIONS = {
    "level above the scale": ({"ratings": rate(ENTRECOMP, 3, vision=9)}, 400, "invalid_level"),
    "level below the scale": ({"ratings": rate(ENTRECOMP, 3, vision=0)}, 400, "invalid_level"),
    "level out of any range": ({"ratings": rate(ENTRECOMP, 3, vision=1000)}, 400, "out_of_range"),
    "negative level": ({"ratings": rate(ENTRECOMP, 3, vision=-1)}, 400, "out_of_range"),
    "unknown competence": ({"ratings": rate(ENTRECOMP, 3, juggling=3)}, 400, "unknown_competence"),
    "competence of another framework": ({"ratings": rate(ENTRECOMP, 3, empathy=3)}, 400, "unknown_competence"),
    "missing competence": ({"ratings": {cid: 3 for cid in ENTRECOMP.competence_ids[1:]}}, 400, "missing_rating"),
    "no ratings": ({}, 400, "missing_field"),
    "level as text": ({"ratings": rate(ENTRECOMP, "3")}, 400, "invalid_type"),
    "level as decimal": ({"ratings": rate(ENTRECOMP, 3.5)}, 400, "invalid_type"),
    "level as bool": ({"ratings": rate(ENTRECOMP, True)}, 400, "invalid_type"),
    "ratings as a list": ({"ratings": [3] * 15}, 400, "invalid_type"),
    "evidence as a number": ({"ratings": rate(ENTRECOMP, 3), "evidence": {"vision": 3}}, 400, "invalid_type"),
    "evidence too long": ({"ratings": rate(ENTRECOMP, 3), "evidence": {"vision": "x" * 2001}}, 400, "too_long"),
    "evidence for an unknown competence": ({"ratings": rate(ENTRECOMP, 3), "evidence": {"juggling": "x"}}, 400,
                                           "unknown_competence"),
    "unexpected field": ({"ratings": rate(ENTRECOMP, 3), "graded": True}, 400, "unknown_field"),
    "over-long key": ({"ratings": rate(ENTRECOMP, 3, **{"k" * 41: 3})}, 400, "invalid_key"),
    "too many ratings": ({"ratings": {f"c{i}": 3 for i in range(41)}}, 400, "invalid_length"),
}


@pytest.mark.parametrize("case", list(BAD_SUBMISSIONS))
def test_bad_submissions_are_refused_with_a_json_error_and_change_nothing(wb, case):
    body, status, code = BAD_SUBMISSIONS[case]
    usage_id = wb.load(sa_xml(graded=True))
    submit(wb, usage_id, rate(ENTRECOMP, 2), user=LEARNER_B)
    before, event_count = stored(), len(wb.events)
    result = wb.call(usage_id, "submit_assessment", body)
    assert (result.status, result.error_code) == (status, code)
    assert result.json["error"]["message"]
    assert stored() == before
    assert len(wb.events) == event_count
    assert 'class="sa-profile"' not in wb.render(usage_id)


def test_a_first_answer_that_loses_a_race_is_a_409_and_changes_nothing(wb, monkeypatch):
    """Two tabs submit the first answer at once: both read "no answer yet", one saves first.
    The other must get a JSON 409 it can act on (reload), not a database error (a 500)."""
    usage_id = wb.load(sa_xml(graded=True))
    assert submit(wb, usage_id, rate(ENTRECOMP, 2), {"vision": "first tab"}).status == 200
    before, event_count = stored(), len(wb.events)
    real = assessment_store.learner_responses
    monkeypatch.setattr(assessment_store, "learner_responses",
                        lambda *args: {phase: answer for phase, answer in real(*args).items() if phase != "before"})

    result = submit(wb, usage_id, rate(ENTRECOMP, 7), {"vision": "second tab"})
    assert (result.status, result.error_code) == (409, "already_answered")
    assert result.json["error"]["message"] == says("reload")
    assert stored() == before
    assert len(wb.events) == event_count  # no second completion or grade


def test_a_bad_revision_keeps_the_earlier_answers(wb):
    usage_id = wb.load(sa_xml())
    submit(wb, usage_id, rate(ENTRECOMP, 2), {"vision": "kept"})
    before = stored()
    for body in ({"ratings": rate(ENTRECOMP, 5, vision=9)}, {"ratings": rate(ENTRECOMP, 5, juggling=1)},
                 {"ratings": rate(ENTRECOMP, 5), "evidence": {"vision": 5}}):
        assert wb.call(usage_id, "submit_assessment", body).status == 400
    assert stored() == before
    assert set(checked_levels(wb.call(usage_id, "revision_form", method="GET").json["html"]).values()) == {"2"}


def test_cant_judge_is_refused_where_the_scale_does_not_offer_it(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=TEAMWORK))
    assert "I can't judge yet" not in wb.render(usage_id)
    result = submit(wb, usage_id, {"listening": 2, "pitching": None})
    assert (result.status, result.error_code) == (400, "not_sure_not_allowed")
    assert result.json["error"]["field"] == "pitching"
    assert not AssessmentResponse.objects.exists()
    assert submit(wb, usage_id, {"listening": 2, "pitching": 3}).status == 200


def test_evidence_is_refused_when_the_block_does_not_ask_for_it(wb):
    usage_id = wb.load(sa_xml(ask_evidence=False))
    assert "Evidence for" not in wb.render(usage_id)
    result = submit(wb, usage_id, rate(ENTRECOMP, 3), {"vision": "I wrote a plan."})
    assert (result.status, result.error_code) == (400, "evidence_not_asked")
    assert not AssessmentResponse.objects.exists()
    # Empty boxes are no evidence: the answer is accepted.
    assert submit(wb, usage_id, rate(ENTRECOMP, 3), {"vision": "   "}).status == 200
    assert AssessmentResponse.objects.get().evidence == {}


@pytest.mark.parametrize("raw, method, status, code", [
    (b"{not json", "POST", 400, "invalid_json"),
    (b"[1, 2]", "POST", 400, "invalid_body"),
    (b"\xff\xfe", "POST", 400, "invalid_json"),
    (None, "GET", 405, "method_not_allowed"),
])
def test_malformed_requests_are_refused(wb, raw, method, status, code):
    usage_id = wb.load(sa_xml())
    result = wb.call(usage_id, "submit_assessment", raw=raw, method=method)
    assert (result.status, result.error_code) == (status, code)
    assert not AssessmentResponse.objects.exists()


def test_a_request_over_the_size_limit_is_refused(wb, settings):
    operator(settings, MAX_REQUEST_BYTES=2000)
    usage_id = wb.load(sa_xml())
    result = submit(wb, usage_id, rate(ENTRECOMP, 3), {"vision": "x" * 1900})
    assert (result.status, result.error_code) == (413, "too_large")
    assert not AssessmentResponse.objects.exists()


@pytest.mark.parametrize("handler, method, body", [
    ("staff_report", "GET", None),
    ("export_csv", "GET", None),
    ("studio_submit", "POST", studio_body(display_name="Hijacked", graded=True)),
    ("import_framework", "POST", {"text": json.dumps(TEAMWORK)}),
])
def test_learners_cannot_call_staff_or_author_handlers(wb, handler, method, body):
    usage_id = wb.load(sa_xml(display_name="Original"))
    submit(wb, usage_id, rate(ENTRECOMP, 3), {"vision": "private"}, user=LEARNER_B)
    before = course_fields(wb.block(usage_id))
    author_handler = handler in ("studio_submit", "import_framework")
    refused = [LEARNER_A, lms_user("anon-x")] + ([STAFF, InStudio(LEARNER_A)] if author_handler else [])
    for user in refused:
        result = wb.call(usage_id, handler, body, user=user, method=method)
        assert (result.status, result.error_code) == (403, "forbidden"), result.text
        assert "private" not in result.text
    assert wb.call(usage_id, handler, body, user=LMS_ANONYMOUS, method=method).error_code == "not_signed_in"
    assert course_fields(wb.block(usage_id)) == before
    # Course staff may (in Studio, for the author handlers).
    assert wb.call(usage_id, handler, body, user=STUDIO_STAFF if author_handler else STAFF,
                   method=method).status == 200


# Phases of one group ----------------------------------------------------------------------

def test_before_and_after_of_the_same_group_show_the_change(wb):
    before_id = wb.load(sa_xml(group_name="Intrapreneurship", phase="before"))
    after_id = wb.load(sa_xml(group_name="Intrapreneurship", phase="after"))
    elsewhere_id = wb.load(sa_xml(group_name="Another course part", phase="before"))
    submit(wb, before_id, rate(ENTRECOMP, 2, vision=None, creativity=5))
    submit(wb, elsewhere_id, rate(ENTRECOMP, 8))  # another group: not compared

    profile = submit(wb, after_id, rate(ENTRECOMP, 4, creativity=3, motivation=None)).json["profile_html"]
    header, rows = table(profile, "Your ratings")
    assert header == ["Competence", "You (After the course)", "Before the course", "Change"]
    by_title = {row[0].split(" · ")[0]: row[1:] for row in rows}
    assert by_title["Spotting opportunities"] == ["4 · Dare", "2", "+2"]
    assert by_title["Creativity"] == ["3 · Experiment", "5", "-2"]
    assert by_title["Vision"] == ["4 · Dare", "", ""]              # can't judge before
    assert by_title["Motivation and perseverance"][0] == "can't judge yet"
    assert by_title["Motivation and perseverance"][1:] == ["2", ""]
    assert by_title["Self-awareness and self-efficacy"] == ["4 · Dare", "2", "+2"]

    header, areas = table(profile, "Average per area")
    assert header == ["Area", "After the course", "Before the course", "Change"]
    # Ideas: now (4+3+4+4+4)/5=3.8, before (2+5+2+2)/4=2.75 (vision left out), change 1.05.
    assert areas[0] == ["Ideas and opportunities", "3.8", "2.8", "+1"]
    assert areas[1] == ["Resources", "4", "2", "+2"]

    doc = lxml.html.fromstring(profile)
    assert doc.xpath("//g[contains(@class, 'sa-series-you')]")
    assert doc.xpath("//g[contains(@class, 'sa-series-earlier')]")
    assert "You, Before the course (dashed line)" in doc.text_content()

    # The earlier phase does not compare with a later one.
    header, _ = table(profile_of(wb, before_id), "Your ratings")
    assert header == ["Competence", "You (Before the course)"]
    # Each phase keeps its own answer; the mobile state lists both.
    phases = get(wb, after_id, "student_view_user_state").json["phases"]
    assert set(phases) == {"before", "after"}
    assert phases["before"]["ratings"]["vision"] is None and phases["after"]["ratings"]["creativity"] == 3


def test_the_closest_earlier_phase_is_compared(wb):
    ids = {phase: wb.load(sa_xml(group_name="G", phase=phase)) for phase in ("before", "during", "after")}
    submit(wb, ids["before"], rate(ENTRECOMP, 1))
    submit(wb, ids["during"], rate(ENTRECOMP, 3))
    header, rows = table(submit(wb, ids["after"], rate(ENTRECOMP, 4)).json["profile_html"], "Your ratings")
    assert header[2] == "During the course"
    assert rows[0][1:] == ["4 · Dare", "3", "+1"]


# The cohort average ----------------------------------------------------------------------

def _answer(wb, usage_id, count, level=4, first=0):
    for i in range(first, first + count):
        assert submit(wb, usage_id, rate(ENTRECOMP, level), user=f"learner_{i}").status == 200


@pytest.mark.parametrize("block_minimum, operator_minimum", [(2, 3), (3, 2), (3, 3)])
def test_the_cohort_average_appears_only_from_the_threshold(wb, settings, block_minimum, operator_minimum):
    operator(settings, COHORT_MIN_LEARNERS=operator_minimum)
    usage_id = wb.load(sa_xml(show_cohort=True, cohort_min_learners=block_minimum))
    submit(wb, usage_id, rate(ENTRECOMP, 2))
    _answer(wb, usage_id, 1, level=5)
    hidden = profile_of(wb, usage_id)
    assert cohort_note(hidden) == ["3"]
    assert "Cohort average" not in table(hidden, "Your ratings")[0]
    assert "sa-series-cohort" not in hidden

    _answer(wb, usage_id, 1, level=5, first=1)  # the third learner
    shown = profile_of(wb, usage_id)
    assert cohort_note(shown) == []
    header, rows = table(shown, "Your ratings")
    assert header[-1] == "Cohort average"
    assert {row[-1] for row in rows} == {"4"}  # (2 + 5 + 5) / 3
    assert "sa-series-cohort" in shown and "Cohort average (dotted line)" in shown


def test_the_operator_minimum_protects_learners_even_if_the_block_asks_for_less(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=10)
    usage_id = wb.load(sa_xml(show_cohort=True, cohort_min_learners=1))
    _answer(wb, usage_id, 9)
    assert cohort_note(profile_of(wb, usage_id, user="learner_0")) == ["10"]
    _answer(wb, usage_id, 1, first=9)
    assert table(profile_of(wb, usage_id, user="learner_0"), "Your ratings")[0][-1] == "Cohort average"


def test_no_cohort_average_when_the_block_does_not_show_it(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=1)
    usage_id = wb.load(sa_xml(show_cohort=False, cohort_min_learners=1))
    _answer(wb, usage_id, 3)
    profile = profile_of(wb, usage_id, user="learner_0")
    assert "Cohort average" not in profile and cohort_note(profile) == []


def test_the_cohort_average_leaves_out_cant_judge_and_other_phases(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=1)
    usage_id = wb.load(sa_xml(show_cohort=True, cohort_min_learners=2, phase="after", group_name="G"))
    other_phase = wb.load(sa_xml(phase="before", group_name="G"))
    submit(wb, other_phase, rate(ENTRECOMP, 8), user=LEARNER_B)
    submit(wb, usage_id, rate(ENTRECOMP, 2, vision=None))
    submit(wb, usage_id, rate(ENTRECOMP, 3, vision=5), user=LEARNER_B)
    rows = {row[0].split(" · ")[0]: row[-1] for row in table(profile_of(wb, usage_id), "Your ratings")[1]}
    assert rows["Vision"] == "5"
    assert rows["Creativity"] == "2.5"


def test_a_new_answer_updates_the_cached_cohort_average(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=1)
    usage_id = wb.load(sa_xml(show_cohort=True, cohort_min_learners=1))
    submit(wb, usage_id, rate(ENTRECOMP, 2))
    assert {row[-1] for row in table(profile_of(wb, usage_id), "Your ratings")[1]} == {"2"}
    assert {row[-1] for row in table(profile_of(wb, usage_id), "Your ratings")[1]} == {"2"}  # from the cache

    submit(wb, usage_id, rate(ENTRECOMP, 4), user=LEARNER_B)
    assert {row[-1] for row in table(profile_of(wb, usage_id), "Your ratings")[1]} == {"3"}
    submit(wb, usage_id, rate(ENTRECOMP, 8), user=LEARNER_B)  # a revision invalidates it too
    assert {row[-1] for row in table(profile_of(wb, usage_id), "Your ratings")[1]} == {"5"}


# Escaping ---------------------------------------------------------------------------------

def test_learner_and_course_team_text_is_escaped_everywhere(wb):
    attack = "<script>alert('x')</script>"
    framework = json.loads(json.dumps(TEAMWORK))
    framework["areas"][0]["competences"][1]["title"] = f"Pitching {attack}"
    framework["scale"]["levels"][2]["label"] = 'Expert "<img src=x onerror=alert(1)>"'
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=framework,
                              display_name=f"Check {attack}", group_name=f"G {attack}"))
    result = submit(wb, usage_id, {"listening": 3, "pitching": 3}, {"pitching": attack, "listening": "<b>bold</b>"})
    assert result.status == 200

    pages = {
        "submit response": result.json["profile_html"],
        "student view": wb.render(usage_id),
        "printable page": get(wb, usage_id, "download_profile").text,
        "staff report": get(wb, usage_id, "staff_report", user=STAFF).json["html"],
        "staff view": wb.render(usage_id, STAFF),
        "author view": wb.render(usage_id, STAFF, view="author_view"),
        "studio view": wb.render(usage_id, STAFF, view="studio_view"),  # the framework goes in as JSON
    }
    for name, html in pages.items():
        assert "<script>alert" not in html, name
        assert "<img src=x" not in html, name
        assert "<b>bold" not in html, name
        if name != "studio view":  # there the framework is JSON data for the editor
            assert "Pitching &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, name
        doc = lxml.html.fromstring(html)
        assert not doc.xpath("//img") and not doc.xpath("//b"), name
        assert not [s for s in doc.xpath("//script") if (s.text or "").startswith("alert")], name
    # The learner's own evidence comes back in the revision form exactly as typed, as text.
    form = wb.call(usage_id, "revision_form", method="GET").json["html"]
    doc = lxml.html.fromstring(form)
    assert [t.text for t in doc.xpath("//textarea")] == ["<b>bold</b>", attack]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</textarea>" in form
    assert get(wb, usage_id, "student_view_user_state").json["phases"]["before"]["evidence"]["pitching"] == attack


def test_the_author_view_shows_the_revision_deadline_in_the_shared_date_format(wb):
    """A <time class="bizmooc-date"> (common/dates.py time_html) that bizmooc.js writes as
    BizMOOC.formatDate does, never a date format of the template's own."""
    usage_id = wb.load(sa_xml(revise_until="2031-01-02 03:04"))
    html = wb.render(usage_id, STAFF, view="author_view")
    assert 'allowed until <time class="bizmooc-date" datetime="2031-01-02T03:04:00+00:00">2031-01-02 03:04 UTC</time>' \
        in html


def test_csv_export_has_every_answer_and_defuses_formulas(wb):
    usage_id = wb.load(sa_xml(framework_choice="lifecomp", group_name="L2L"))
    submit(wb, usage_id, rate(LIFECOMP, 3, empathy=None), {"empathy": "=HYPERLINK(\"http://evil\")"})
    submit(wb, usage_id, rate(LIFECOMP, 5), user=LEARNER_B)
    submit(wb, usage_id, rate(LIFECOMP, 4), user=LEARNER_B)
    result = get(wb, usage_id, "export_csv", user=STAFF)
    assert result.status == 200
    assert result.response.content_type == "text/csv"
    assert result.response.content_disposition == 'attachment; filename="self-assessment.csv"'
    rows = result.csv_rows
    assert rows[0] == ["learner", "group", "phase", "framework", "competence", "level", "level_label", "evidence",
                       "submitted_at", "revisions"]
    assert len(rows) == 1 + 2 * 9
    mine = {row[4]: row for row in rows[1:] if row[0] == LEARNER_A}
    assert mine["empathy"][5:8] == ["", "", "'=HYPERLINK(\"http://evil\")"]
    assert mine["collaboration"][5:8] == ["3", "Often", ""]
    assert {row[9] for row in rows[1:] if row[0] == LEARNER_B} == {"2"}
    assert [row[4] for row in rows[1:10]] == sorted(LIFECOMP.competence_ids)


# Staff report ------------------------------------------------------------------------------

def test_staff_report_shows_the_distribution_and_the_paired_mean_change(wb):
    before_id = wb.load(sa_xml(framework_choice="lifecomp", group_name="G", phase="before"))
    after_id = wb.load(sa_xml(framework_choice="lifecomp", group_name="G", phase="after"))
    submit(wb, before_id, rate(LIFECOMP, 1), user="l1")
    submit(wb, before_id, rate(LIFECOMP, 2, empathy=None), user="l2")
    submit(wb, before_id, rate(LIFECOMP, 5), user="l3")  # did not answer "after": not paired
    submit(wb, after_id, rate(LIFECOMP, 4), user="l1")
    submit(wb, after_id, rate(LIFECOMP, 3, empathy=5), user="l2")
    submit(wb, after_id, rate(LIFECOMP, 1, empathy=None), user="l4")  # did not answer "before"

    html = get(wb, after_id, "staff_report", user=STAFF).json["html"]
    _, phases = table(html, "Learners who answered, per phase")
    assert phases == [["Before the course", "3"], ["During the course", "0"], ["After the course", "3"]]
    header, rows = table(html, "Distribution of ratings (After the course)")
    assert "mean change from Before the course to After the course" in html
    # Headed by the levels' names, not their numbers.
    assert header == ["Competence", "Just starting", "Sometimes", "Often", "Confidently", "Role model", "Can't judge",
                      "Mean change", "Paired learners"]
    by_title = {row[0]: row[1:] for row in rows}
    # Self-regulation after: l1 4, l2 3, l4 1; change l1 +3, l2 +1 -> +2 over 2 learners.
    assert by_title["Self-regulation"] == ["1", "0", "1", "1", "0", "0", "+2", "2"]
    # Empathy after: l1 4, l2 5, l4 can't judge; l2 could not judge before -> only l1 is paired (+3).
    assert by_title["Empathy"] == ["0", "0", "0", "1", "1", "1", "+3", "1"]


def test_staff_report_without_two_phases_has_no_change_column(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=TEAMWORK))
    submit(wb, usage_id, {"listening": 1, "pitching": 3})
    header, rows = table(get(wb, usage_id, "staff_report", user=STAFF).json["html"], "Distribution of ratings")
    # No "can't judge" column either: the scale has none.
    assert header == ["Competence", "Novice", "Practitioner", "Expert"]
    assert rows == [["Listening", "1", "0", "0"], ["Pitching", "0", "0", "1"]]


def test_staff_see_the_report_controls_and_learners_do_not(wb):
    usage_id = wb.load(sa_xml())
    assert "Staff: cohort report" in wb.render(usage_id, STAFF)
    assert "Staff: cohort report" not in wb.render(usage_id, LEARNER_A)
    assert "export_csv" not in wb.render(usage_id, LEARNER_A)


# Studio ----------------------------------------------------------------------------------

def test_studio_saves_every_setting(wb):
    usage_id = wb.load(sa_xml())
    body = studio_body(display_name="Kompetenz-Check", instructions='<p onclick="x()">Hi<script>bad()</script></p>',
                       framework_choice="lifecomp", group_name="L2L", phase="during", show_cohort=True,
                       cohort_min_learners=15, allow_revisions=False, revise_until="2031-01-02 03:04",
                       ask_evidence=False, graded=True, weight=2.5,
                       feedback={"empathy": [{"from": 1, "to": 2, "text": "Listen first."}]})
    result = wb.call(usage_id, "studio_submit", body, user=STUDIO_STAFF)
    assert (result.status, result.json) == (200, {"saved": True})
    block = wb.block(usage_id)
    assert block.instructions == "<p>Hi</p>"
    assert block.revise_until == datetime(2031, 1, 2, 3, 4, tzinfo=dt_timezone.utc)
    assert block.framework.id == "lifecomp"
    assert (block.display_name, block.group_name, block.phase, block.show_cohort, block.cohort_min_learners,
            block.allow_revisions, block.ask_evidence, block.graded, block.weight) == (
        "Kompetenz-Check", "L2L", "during", True, 15, False, False, True, 2.5)
    assert block.feedback == {"empathy": [{"from": 1, "to": 2, "text": "Listen first."}]}
    assert block.custom_framework == {}  # untouched when a built-in is chosen


def test_studio_saves_a_custom_framework_normalised(wb):
    usage_id = wb.load(sa_xml())
    framework = {"title": "  Teamwork ", "scale": {"levels": [{"value": 1, "label": " Novice "},
                                                             {"value": 2, "label": "Expert"}]},
                 "areas": [{"id": "people", "title": "People", "competences": [{"id": "listening",
                                                                                "title": "Listening\n"}]}]}
    feedback = {"listening": [{"from": 1, "to": 1, "text": "Ask one question per meeting."}]}
    result = wb.call(usage_id, "studio_submit", studio_body(framework_choice="custom", custom_framework=framework,
                                                            feedback=feedback), user=STUDIO_STAFF)
    assert result.status == 200, result.text
    block = wb.block(usage_id)
    assert block.custom_framework == {
        "id": "custom", "title": "Teamwork", "source": "", "licence": "",
        "scale": {"levels": [{"value": 1, "label": "Novice", "band": "", "descriptor": ""},
                             {"value": 2, "label": "Expert", "band": "", "descriptor": ""}],
                  "allow_not_sure": False},
        "areas": [{"id": "people", "title": "People", "competences": [
            {"id": "listening", "title": "Listening", "descriptor": ""}]}],
    }
    page = wb.render(usage_id)
    assert checked_levels(page) == {"listening": None}
    assert "Framework: Teamwork." in page
    profile = submit(wb, usage_id, {"listening": 1}).json["profile_html"]
    assert "Ask one question per meeting." in profile
    assert block.validate().messages == []


def test_studio_keeps_the_custom_framework_while_a_built_in_is_chosen(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=TEAMWORK))
    wb.call(usage_id, "studio_submit", studio_body(framework_choice="entrecomp"), user=STUDIO_STAFF)
    block = wb.block(usage_id)
    assert block.framework.id == "entrecomp"
    assert block.custom_framework == TEAMWORK  # switching back restores the course team's work
    wb.call(usage_id, "studio_submit", studio_body(framework_choice="custom", custom_framework=TEAMWORK),
            user=STUDIO_STAFF)
    assert wb.block(usage_id).framework.id == "teamwork"


STUDIO_REFUSALS = {
    "levels not rising": (dict(framework_choice="custom", custom_framework={
        **TEAMWORK, "scale": {"levels": [{"value": 2, "label": "A"}, {"value": 1, "label": "B"}]}}),
        "invalid_framework", says("level", "rise")),
    "framework not an object": (dict(framework_choice="custom", custom_framework="{not json"),
                                "invalid_framework", says("framework", "object")),
    "custom chosen without a framework": (dict(framework_choice="custom"), "invalid_framework",
                                          says("framework", "object")),
    "feedback for an unknown competence": (dict(feedback={"empathy": [{"from": 1, "to": 2, "text": "x"}]}),
                                           "invalid_feedback", says("'empathy'")),
    "feedback band off the scale": (dict(feedback={"vision": [{"from": 1, "to": 9, "text": "x"}]}),
                                    "invalid_feedback", None),
    "feedback with a javascript link": (dict(feedback={"vision": [{"from": 1, "to": 2, "text": "x", "links": [
        {"label": "Click", "url": "javascript:alert(1)"}]}]}), "invalid_feedback", None),
    "bad date": (dict(revise_until="next Friday"), "invalid_date", says("YYYY-MM-DD")),
    "unknown framework": (dict(framework_choice="digcomp"), "invalid_choice", None),
    "unknown phase": (dict(phase="later"), "invalid_choice", None),
    "empty group": (dict(group_name="  "), "too_short", None),
    "cohort minimum zero": (dict(cohort_min_learners=0), "out_of_range", None),
    "negative weight": (dict(weight=-1), "out_of_range", None),
    "flag as text": (dict(graded="yes"), "invalid_type", None),
}


@pytest.mark.parametrize("case", list(STUDIO_REFUSALS))
def test_studio_refuses_bad_settings_and_changes_nothing(wb, case):
    changes, code, message = STUDIO_REFUSALS[case]
    usage_id = wb.load(sa_xml(display_name="Original", framework_choice="custom", custom_framework=TEAMWORK))
    before = course_fields(wb.block(usage_id))
    result = wb.call(usage_id, "studio_submit", studio_body(display_name="Changed", **changes), user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, code)
    if message:
        assert result.json["error"]["message"] == message
    assert course_fields(wb.block(usage_id)) == before


def test_a_missing_setting_is_refused(wb):
    usage_id = wb.load(sa_xml())
    body = studio_body()
    del body["phase"]
    result = wb.call(usage_id, "studio_submit", body, user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, "missing_field")


@pytest.mark.parametrize("text, expected", [
    ("", None),
    ("   ", None),
    ("2031-05-01 12:00", datetime(2031, 5, 1, 12, 0, tzinfo=dt_timezone.utc)),
    ("2031-05-01T12:00", datetime(2031, 5, 1, 12, 0, tzinfo=dt_timezone.utc)),
    ("2031-05-01", datetime(2031, 5, 1, 0, 0, tzinfo=dt_timezone.utc)),
    ("2031-05-01T12:00:00+02:00", datetime(2031, 5, 1, 10, 0, tzinfo=dt_timezone.utc)),
    ("2031-05-01T12:00Z", datetime(2031, 5, 1, 12, 0, tzinfo=dt_timezone.utc)),
])
def test_the_closing_date_is_read_as_utc_unless_it_says_otherwise(wb, text, expected):
    usage_id = wb.load(sa_xml(revise_until=datetime(2040, 1, 1, tzinfo=dt_timezone.utc)))
    assert wb.call(usage_id, "studio_submit", studio_body(revise_until=text), user=STUDIO_STAFF).status == 200
    saved = wb.block(usage_id).revise_until
    assert saved == expected
    if expected is not None:
        assert saved.utcoffset() == timedelta(0)


def test_a_closing_date_with_an_offset_closes_revisions_at_that_moment(wb):
    """12:00 at +02:00 is 10:00 UTC: at 11:00 UTC revisions are closed."""
    usage_id = wb.load(sa_xml())
    wb.call(usage_id, "studio_submit", studio_body(revise_until="2031-05-01T12:00:00+02:00"), user=STUDIO_STAFF)
    block = wb.block(usage_id)
    assert block.revisions_open(datetime(2031, 5, 1, 9, 59, tzinfo=dt_timezone.utc)) is True
    assert block.revisions_open(datetime(2031, 5, 1, 11, 0, tzinfo=dt_timezone.utc)) is False


def test_import_framework_checks_an_uploaded_file(wb, settings):
    usage_id = wb.load(sa_xml())
    result = wb.call(usage_id, "import_framework", {"text": json.dumps(TEAMWORK)}, user=STUDIO_STAFF)
    assert (result.status, result.json) == (200, {"framework": TEAMWORK})
    bad = wb.call(usage_id, "import_framework", {"text": '{"title": "x",'}, user=STUDIO_STAFF)
    assert (bad.status, bad.error_code) == (400, "invalid_json")
    operator(settings, FRAMEWORK_MAX_BYTES=100)
    large = wb.call(usage_id, "import_framework", {"text": json.dumps(TEAMWORK)}, user=STUDIO_STAFF)
    assert (large.status, large.error_code) == (400, "too_large")
    assert large.json["error"]["message"] == says("100 bytes")
    assert wb.block(usage_id).custom_framework == {}  # importing only checks; saving is studio_submit


def test_the_studio_editor_gets_the_frameworks_it_edits(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=TEAMWORK))
    fragment = wb.block(usage_id, STAFF).studio_view({})
    assert fragment.js_init_fn == "BizMOOCSelfAssessmentStudio"
    args = json.loads(fragment.json_init_args["bizmooc"])  # script-safe JSON (xblocks.common.rendering)
    assert args["framework_choice"] == "custom" and args["custom_framework"] == TEAMWORK
    assert args["built_in"] == {"entrecomp": ENTRECOMP.as_json(), "lifecomp": LIFECOMP.as_json()}


# validate() -------------------------------------------------------------------------------

def _messages(block):
    return [(message.type, message.text) for message in block.validate().messages]


def test_a_well_configured_block_has_no_validation_messages(wb):
    assert _messages(wb.block(wb.load(sa_xml()))) == []
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=TEAMWORK,
                              feedback={"pitching": [{"from": 1, "to": 3, "text": "Pitch weekly."}]}))
    assert _messages(wb.block(usage_id)) == []


def test_a_broken_custom_framework_is_an_error_and_learners_get_entrecomp_meanwhile(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework={"title": "Half done", "areas": []}))
    block = wb.block(usage_id)
    assert _messages(block) == [(ValidationMessage.ERROR, says("scale"))]
    assert block.framework.id == "entrecomp"
    assert len(checked_levels(wb.render(usage_id))) == 15


def test_feedback_that_does_not_fit_the_framework_is_a_warning(wb):
    usage_id = wb.load(sa_xml(framework_choice="lifecomp",
                              feedback={"vision": [{"from": 1, "to": 2, "text": "EntreComp feedback"}]}))
    block = wb.block(usage_id)
    assert _messages(block) == [(ValidationMessage.WARNING, says("unknown competence", "'vision'"))]
    assert "EntreComp feedback" not in submit(wb, usage_id, rate(LIFECOMP, 1)).json["profile_html"]


def test_every_workbench_scenario_is_valid_and_shows_its_feedback(wb):
    for name, xml in ASSESSMENT_SCENARIOS:
        root = wb.block(wb.load(xml))
        blocks = [root] if root.scope_ids.block_type == SA else [wb.block(child) for child in root.children]
        for block in blocks:
            assert _messages(block) == [], name
            assert block.parsed_feedback, f"{name}: the demo feedback does not fit its framework"
            usage_id = str(block.scope_ids.usage_id)
            profile = submit(wb, usage_id, rate(block.framework, 1), user=f"demo-{usage_id}").json["profile_html"]
            assert "Feedback and resources for your levels" in profile, name


# Mobile and reports ---------------------------------------------------------------------------

def test_student_view_data_describes_the_block_for_the_mobile_apps(wb):
    usage_id = wb.load(sa_xml(framework_choice="lifecomp", group_name="L2L", phase="after", show_cohort=True,
                              ask_evidence=False, allow_revisions=False, graded=True,
                              revise_until="2031-05-01T12:00:00+00:00",
                              instructions='<p>Rate <script>x()</script>yourself</p>'))
    data = wb.block(usage_id).student_view_data()
    assert data == {
        "display_name": "Competence self-assessment",
        "instructions": "<p>Rate yourself</p>",
        "framework": LIFECOMP.as_json(),
        "group_name": "L2L",
        "phase": "after",
        "ask_evidence": False,
        "allow_revisions": False,
        "revise_until": "2031-05-01T12:00:00+00:00",
        "show_cohort": True,
        "graded": True,
    }
    json.dumps(data)
    assert SelfAssessmentBlock.supports("multi_device")


def test_student_view_user_state_gives_the_learners_answers(wb):
    usage_id = wb.load(sa_xml())
    assert get(wb, usage_id, "student_view_user_state").json == {"phases": {}, "can_revise": True}
    submit(wb, usage_id, rate(ENTRECOMP, 3, vision=None), {"vision": "Not sure yet."})
    state = get(wb, usage_id, "student_view_user_state").json
    before = state["phases"]["before"]
    assert before["ratings"] == rate(ENTRECOMP, 3, vision=None)
    assert before["evidence"] == {"vision": "Not sure yet."}
    assert datetime.fromisoformat(before["submitted_at"]) == AssessmentResponse.objects.get().submitted_at
    assert state["can_revise"] is True
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json["phases"] == {}


def test_generate_report_data_gives_one_row_per_learner_who_answered(wb):
    usage_id = wb.load(sa_xml(framework_choice="lifecomp", group_name="L2L"))
    submit(wb, usage_id, rate(LIFECOMP, 2, empathy=None), user="learner_1")
    submit(wb, usage_id, rate(LIFECOMP, 4), user="learner_2")
    states = [SimpleNamespace(username="Anna", state={"assessment_owner": "learner_1"}),
              SimpleNamespace(username="Nobody", state={}),
              SimpleNamespace(username="Gone", state={"assessment_owner": "learner_never_answered"}),
              SimpleNamespace(username="Ben", state={"assessment_owner": "learner_2"})]
    block = wb.block(usage_id, STAFF)
    rows = list(block.generate_report_data(iter(states)))
    assert [username for username, _ in rows] == ["Anna", "Ben"]
    anna = rows[0][1]
    assert (anna["Group"], anna["Phase"]) == ("L2L", "before")
    submitted_at = AssessmentResponse.objects.get(user_id="learner_1").submitted_at
    assert datetime.fromisoformat(anna["Submitted at"]) == submitted_at
    assert anna["Empathy"] == "" and anna["Self-regulation"] == 2
    assert list(anna)[3:] == [c.title for c in LIFECOMP.competences]
    assert rows[1][1]["Empathy"] == 4
    assert [u for u, _ in block.generate_report_data(iter(states), limit_responses=1)] == ["Anna"]


def test_generate_report_data_reads_learner_state_as_the_lms_gives_it(wb):
    """In the LMS the owner is the anonymous id the block saved in user state when the learner submitted."""
    usage_id = wb.load(sa_xml())
    submit(wb, usage_id, rate(ENTRECOMP, 6), user=lms_user("anon-123", username="carla"))
    owner = wb.block(usage_id, lms_user("anon-123", username="carla")).learner_id
    assert owner == "anon-123"
    states = [SimpleNamespace(username="carla", state={"learner_id": owner})]
    rows = list(wb.block(usage_id, STAFF).generate_report_data(states))
    assert rows[0][0] == "carla" and rows[0][1]["Vision"] == 6


# OLX --------------------------------------------------------------------------------------

CUSTOM_FOR_OLX = {
    "id": "teamwork-ä",
    "title": 'Teamarbeit: "Zuhören" & <Führen> 🚀',
    "source": "Kurs-Team, 2026 — ćwiczenie",
    "licence": "CC BY 4.0 'attribution'",
    "scale": {"levels": [{"value": 0, "label": "Anfänger", "band": "Grundlagen", "descriptor": "Ich brauche\nHilfe."},
                         {"value": 50, "label": "Könner", "band": "Fortgeschritten", "descriptor": "Tab\tinside"},
                         {"value": 100, "label": "Экспертиза", "band": "Experte", "descriptor": ""}],
              "allow_not_sure": True},
    "areas": [{"id": "people", "title": "Menschen", "competences": [
        {"id": "listening", "title": "Zuhören", "descriptor": "Anderen <wirklich> zuhören"},
        {"id": "pitching", "title": "Überzeugen", "descriptor": ""}]},
        {"id": "work", "title": "Arbeit", "competences": [{"id": "planning", "title": "Planen", "descriptor": "x"}]}],
}
CUSTOM_FOR_OLX["id"] = "teamwork"  # ids are ASCII; everything else may not be

EVERY_FIELD = {
    "display_name": 'Selbsteinschätzung: "Team" & <Führung> — część 2',
    "instructions": '<p>Bewerte dich <strong>ehrlich</strong> &amp; konkret: "warum", nicht \'was\'.</p>\n'
                    '<p>Zweite Zeile</p>',
    "framework_choice": "custom",
    "custom_framework": CUSTOM_FOR_OLX,
    "feedback": {"listening": [{"from": 0, "to": 50, "text": "Übe aktives Zuhören: \"Was höre ich?\"",
                                "links": [{"label": "Einheit 3 & 4", "url": "/courses/x/jump_to/y?a=1&b=2"}]}],
                 "planning": [{"from": 100, "to": 100, "text": "Plane ein Team-Projekt."}]},
    "group_name": "Kompetenzen 'Team' ✓",
    "phase": "during",
    "show_cohort": True,
    "cohort_min_learners": 25,
    "allow_revisions": False,
    "revise_until": datetime(2031, 3, 4, 5, 6, 7, 123456, tzinfo=dt_timezone.utc),
    "ask_evidence": False,
    "graded": True,
    "weight": 2.5,
}


def test_every_course_field_is_covered_with_a_non_default_value():
    assert_every_course_field_covered(SelfAssessmentBlock, EVERY_FIELD, SETTINGS.names())
    assert frameworks.parse_framework(CUSTOM_FOR_OLX).as_json() == CUSTOM_FOR_OLX  # stored as Studio saves it


@pytest.fixture
def imported(wb):
    block = wb.block(wb.load(sa_xml(**EVERY_FIELD)))
    assert course_fields(block) == EVERY_FIELD
    assert _messages(block) == []
    return block


def test_olx_round_trip_is_exact(wb, imported):
    node = exported(imported)
    assert node.tag == SA
    assert "assessment_owner" not in node.attrib  # learner state is never exported
    again = wb.block(wb.load(etree.tostring(node, encoding="unicode")))
    assert course_fields(again) == EVERY_FIELD
    assert type(again.weight) is float and type(again.cohort_min_learners) is int
    assert again.revise_until.utcoffset() == timedelta(0)
    assert again.framework.title == 'Teamarbeit: "Zuhören" & <Führen> 🚀'
    assert len(again.parsed_feedback["listening"]) == 1


def test_olx_round_trip_through_the_runtime_export(wb, imported):
    out = io.BytesIO()
    imported.runtime.export_to_xml(imported, out)
    assert course_fields(wb.block(wb.load(out.getvalue()))) == EVERY_FIELD


def test_olx_exported_twice_is_identical(wb, imported):
    first = exported(imported)
    second = exported(wb.block(wb.load(etree.tostring(first))))
    assert etree.tostring(first) == etree.tostring(second)


@pytest.mark.parametrize("name", ["custom_framework", "feedback"])
def test_olx_keeps_characters_beyond_the_basic_plane(wb, name):
    """Export writes these fields as JSON with \\u escapes, emoji as surrogate pairs; import must read
    the same characters back, or the LMS cannot store the imported course (UTF-8 refuses lone
    surrogates). The workbench's own JSON storage would hide the fault, so the field is checked too."""
    field = SelfAssessmentBlock.fields[name]
    value = {"listening": [{"from": 0, "to": 50, "text": "Gut gemacht 👍 — 𝒜𝒷𝒸"}], "title": "Teamwork 🚀"}
    text = field.to_string(value)
    back = field.from_string(text)
    assert back == value
    json.dumps(back, ensure_ascii=False).encode("utf-8")
    # Hand-written OLX in YAML's flow style still loads.
    assert field.from_string("{title: Teamwork}") == {"title": "Teamwork"}


def test_learner_answers_are_not_in_the_olx(wb, imported):
    """Studio exports the course without a learner: answers live in the database, not in the block."""
    usage_id = str(imported.scope_ids.usage_id)
    assert submit(wb, usage_id, {"listening": 0, "pitching": 50, "planning": None}).status == 200
    text = etree.tostring(exported(wb.block(usage_id, None)), encoding="unicode")
    assert LEARNER_A not in text and "assessment_owner" not in text
    assert course_fields(wb.block(wb.load(text))) == EVERY_FIELD


# Queries ----------------------------------------------------------------------------------

SMALL, LARGE = 1, 200
ASSESSMENT_TABLES = ("bizmooc_learning_to_learn_assessmentresponse", "bizmooc_learning_to_learn_competencerating",
                     "bizmooc_learning_to_learn_assessmentdraft")


def _populate(wb, learners, group):
    """Blocks "before" and "after" of a group; `learners` have answered "before", learners-1 peers "after"."""
    before_id = wb.load(sa_xml(group_name=group, phase="before"))
    after_id = wb.load(sa_xml(group_name=group, phase="after", show_cohort=True, cohort_min_learners=1,
                              feedback={"vision": [{"from": 1, "to": 8, "text": "Keep going."}]}))
    assert submit(wb, before_id, rate(ENTRECOMP, 2)).status == 200
    for i in range(1, learners):
        for phase, level in (("before", 1 + i % 8), ("after", 1 + (i * 3) % 8)):
            place = {"course_id": WORKBENCH_COURSE, "group_name": group, "phase": phase, "user_id": f"peer-{i}",
                     "usage_id": before_id if phase == "before" else after_id}
            assessment_store.save_response(place, "entrecomp", rate(ENTRECOMP, level, vision=None), {}, None)
    assert AssessmentResponse.objects.filter(group_name=group, phase="before").count() == learners
    return after_id


def _aggregates(statements):
    return [sql for sql in statements if any(t in sql for t in ASSESSMENT_TABLES)
            and any(f in sql.upper() for f in ("AVG(", "COUNT("))]


def test_queries_do_not_grow_with_the_number_of_learners(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=1)
    warm_up = _populate(wb, SMALL, "Warm-up")
    statements_of(lambda: wb.render(warm_up))  # first-use caches (templates, frameworks) are not what we measure
    small, large = _populate(wb, SMALL, "Small group"), _populate(wb, LARGE, "Large group")
    cache.clear()

    counts = {}
    for size, usage_id in ((SMALL, small), (LARGE, large)):
        steps = [
            ("student_view (not answered)", lambda: wb.render(usage_id)),
            ("submit_assessment (first)", lambda: submit(wb, usage_id, rate(ENTRECOMP, 5))),
            ("submit_assessment (revision)", lambda: submit(wb, usage_id, rate(ENTRECOMP, 6))),
            ("student_view (cohort cached)", lambda: wb.render(usage_id)),
            ("student_view (cohort not cached)", lambda: (cache.clear(), wb.render(usage_id))[1]),
            ("staff_report", lambda: get(wb, usage_id, "staff_report", user=STAFF)),
        ]
        for name, action in steps:
            statements, result = statements_of(action)
            if hasattr(result, "status"):
                assert result.status == 200, result.text
            own = [sql for sql in statements if any(table in sql for table in ASSESSMENT_TABLES)]
            counts[size, name] = (len(statements), len(own))
        # The large group really was in play: the cohort and the change are on the page.
        page = wb.render(usage_id)
        assert table(page, "Your ratings")[0][-3:] == ["Before the course", "Change", "Cohort average"]

    for name, _ in steps:
        assert counts[LARGE, name] == counts[SMALL, name], f"{name}: {counts[SMALL, name]} -> {counts[LARGE, name]}"
    # Budgets of queries on the assessment tables. The student view reads the learner's answers
    # (response + ratings) twice, for the form and for the profile: 4 where 2 would do.
    assert counts[SMALL, "student_view (not answered)"][1] <= 2 + 1  # the answers, the draft
    assert counts[SMALL, "student_view (cohort cached)"][1] <= 4
    assert counts[SMALL, "student_view (cohort not cached)"][1] <= 4 + 2  # + learners and averages
    # Submitting: the learner's answers (2), the save (2: the response, the ratings in one INSERT;
    # a revision updates, deletes and inserts: 3; and the draft's DELETE: 1), then the new profile:
    # answers (2) and a fresh cohort (2).
    assert counts[SMALL, "submit_assessment (first)"][1] <= 2 + 2 + 1 + 4
    assert counts[SMALL, "submit_assessment (revision)"][1] <= 2 + 3 + 1 + 4
    assert counts[SMALL, "staff_report"][1] <= 3  # phase counts, distribution, paired change


def test_a_warm_cohort_cache_means_no_aggregate_query(wb, settings):
    operator(settings, COHORT_MIN_LEARNERS=1)
    usage_id = _populate(wb, 30, "Cached group")
    submit(wb, usage_id, rate(ENTRECOMP, 5))  # computes and caches the cohort of "after"
    statements, page = statements_of(lambda: wb.render(usage_id))
    assert _aggregates(statements) == []
    assert table(page, "Your ratings")[0][-1] == "Cohort average"

    cache.clear()
    statements, _ = statements_of(lambda: wb.render(usage_id))
    assert len(_aggregates(statements)) == 2  # learners and averages, by the database
    statements, _ = statements_of(lambda: wb.render(usage_id))
    assert _aggregates(statements) == []
