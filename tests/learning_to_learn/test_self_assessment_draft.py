"""The self-assessment's draft: ratings kept on the server as the learner answers (autosave,
compare-and-set on a version), restored on reload, and not a submission (no completion, no
event, no cohort figures); and a custom framework started from a built-in one still read in
the learner's language."""
import json

import lxml.html
from django.utils import translation

from tests.conftest import LEARNER_A, LEARNER_B, STAFF, lms_user
from tests.learning_to_learn.test_self_assessment_block import (
    ENTRECOMP,
    LIFECOMP,
    checked_levels,
    get,
    rate,
    sa_xml,
    submit,
    table,
)
from tests.queries import statements_of
from xblocks.common import seams
from xblocks.learning_to_learn import assessment_store
from xblocks.learning_to_learn.models import AssessmentDraft, AssessmentResponse, CompetenceRating

DRAFT_TABLE = "bizmooc_learning_to_learn_assessmentdraft"


def save_draft(wb, usage_id, ratings, version, evidence=None, user=LEARNER_A):
    return wb.call(usage_id, "save_draft", {"ratings": ratings, "evidence": evidence or {}, "version": version},
                   user=user)


def form_version(html):
    return int(lxml.html.fromstring(html).xpath("//form[contains(@class, 'sa-form')]/@data-version")[0])


def test_a_draft_is_kept_and_restored_on_reload(wb):
    usage_id = wb.load(sa_xml())
    assert form_version(wb.render(usage_id)) == 0
    first = save_draft(wb, usage_id, {"spotting_opportunities": 3, "creativity": None}, 0,
                       {"creativity": "  Ran a hackathon. "})
    assert (first.status, first.json) == (200, {"version": 1})
    again = save_draft(wb, usage_id, {"spotting_opportunities": 3, "creativity": None, "vision": 5}, 1,
                       {"creativity": "Ran a hackathon."})
    assert again.json == {"version": 2}

    page = wb.render(usage_id)  # a reload
    assert form_version(page) == 2
    levels = checked_levels(page)
    assert (levels["spotting_opportunities"], levels["creativity"], levels["vision"]) == ("3", "", "5")
    assert sum(1 for value in levels.values() if value is not None) == 3
    assert "Ran a hackathon." in page and "Submit my self-assessment" in page
    # Another learner still gets the blank form.
    assert set(checked_levels(wb.render(usage_id, LEARNER_B)).values()) == {None}


def test_a_draft_is_not_a_submission(wb, settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], "COHORT_MIN_LEARNERS": 1}}
    usage_id = wb.load(sa_xml(graded=True, show_cohort=True, cohort_min_learners=1))
    assert save_draft(wb, usage_id, rate(ENTRECOMP, 4), 0).status == 200  # even a complete one
    assert wb.events == []  # no completion, no grade, no analytics event
    assert not AssessmentResponse.objects.exists() and not CompetenceRating.objects.exists()
    course = AssessmentDraft.objects.get().course_id
    assert assessment_store.cohort(course, "Competence check", "before") == {"learners": 0, "averages": {}}
    html = get(wb, usage_id, "staff_report", user=STAFF).json["html"]
    assert table(html, "Learners who answered, per phase")[1][0] == ["Before the course", "0"]
    assert get(wb, usage_id, "student_view_user_state").json["phases"] == {}


def test_submitting_ends_the_draft(wb):
    usage_id = wb.load(sa_xml())
    save_draft(wb, usage_id, {"vision": 2}, 0)
    assert submit(wb, usage_id, rate(ENTRECOMP, 3)).status == 200
    assert not AssessmentDraft.objects.exists()
    page = wb.render(usage_id)
    assert 'class="sa-profile"' in page and "sa-competence" not in page
    # A later save from the page's old version finds no draft: refused, nothing recreated.
    late = save_draft(wb, usage_id, {"vision": 5}, 1)
    assert (late.status, late.error_code) == (409, "already_answered")
    assert not AssessmentDraft.objects.exists()


def test_a_save_from_an_older_version_is_refused_with_the_newer_draft(wb):
    usage_id = wb.load(sa_xml())
    assert save_draft(wb, usage_id, {"vision": 2}, 0).json == {"version": 1}
    tab_two = save_draft(wb, usage_id, {"vision": 6}, 0)  # a second tab that started blank
    assert (tab_two.status, tab_two.error_code) == (409, "already_answered")
    assert tab_two.json["error"]["details"] == {"version": 1, "ratings": {"vision": 2}, "evidence": {}}
    stale = save_draft(wb, usage_id, {"vision": 7}, 5)
    assert stale.status == 409
    assert AssessmentDraft.objects.get().ratings == {"vision": 2}
    # The page takes the newer version and saves its own answers over it.
    assert save_draft(wb, usage_id, {"vision": 6}, 1).json == {"version": 2}


def test_a_draft_follows_the_rules_of_an_answer(wb):
    usage_id = wb.load(sa_xml(ask_evidence=False))
    cases = [
        ({"ratings": {"nope": 1}, "evidence": {}, "version": 0}, "unknown_competence"),
        ({"ratings": {"vision": 9}, "evidence": {}, "version": 0}, "invalid_level"),
        ({"ratings": {"vision": 1}, "evidence": {"vision": "x"}, "version": 0}, "evidence_not_asked"),
        ({"ratings": {"vision": 1}, "evidence": {}, "version": -1}, "out_of_range"),
        ({"ratings": {"vision": 1}, "evidence": {}, "version": "1"}, "invalid_type"),
        ({"ratings": {"vision": 1}, "evidence": {}}, None),
    ]
    for body, code in cases:
        result = wb.call(usage_id, "save_draft", body)
        assert result.status == 400, (body, result.text)
        if code:
            assert result.error_code == code, body
    assert not AssessmentDraft.objects.exists()
    visitor = wb.call(usage_id, "save_draft", {"ratings": {}, "evidence": {}, "version": 0},
                      user=lms_user(None))
    assert visitor.status == 403


def test_a_revision_in_progress_is_a_draft_too(wb):
    usage_id = wb.load(sa_xml())
    submit(wb, usage_id, rate(ENTRECOMP, 3))
    assert save_draft(wb, usage_id, {"vision": 7}, 0).json == {"version": 1}
    form = get(wb, usage_id, "revision_form").json["html"]
    assert form_version(form) == 1
    levels = checked_levels(form)
    assert levels["vision"] == "7" and levels["creativity"] == "3"  # the draft over the answers
    assert AssessmentResponse.objects.get().revision_count == 1  # the answer itself is unchanged


def test_no_draft_once_revisions_are_closed(wb):
    usage_id = wb.load(sa_xml(allow_revisions=False))
    assert save_draft(wb, usage_id, {"vision": 1}, 0).status == 200  # not answered yet: fine
    submit(wb, usage_id, rate(ENTRECOMP, 3))
    refused = save_draft(wb, usage_id, {"vision": 7}, 0)
    assert (refused.status, refused.error_code) == (403, "revisions_closed")
    assert not AssessmentDraft.objects.exists()


def test_draft_queries_do_not_grow_with_the_number_of_learners(wb):
    usage_id = wb.load(sa_xml())
    for i in range(30):
        save_draft(wb, usage_id, {"vision": i % 8 + 1}, 0, user=f"learner_{i}")
    save_draft(wb, usage_id, {"vision": 1}, 0, user="warm")
    counts = []
    for user in ("few", "many"):
        own = []
        for version in (0, 1, 2):
            statements, result = statements_of(lambda: save_draft(wb, usage_id, {"vision": 2}, version, user=user))
            assert result.status == 200, result.text
            own.append(len([sql for sql in statements if DRAFT_TABLE in sql]))
        statements, _ = statements_of(lambda: wb.render(usage_id, user))
        own.append(len([sql for sql in statements if DRAFT_TABLE in sql]))
        counts.append(own)
    # create (1), then update + read back (2), and the page reads the draft once.
    assert counts[0] == counts[1] == [1, 2, 2, 1]


# "Start from LifeComp": a copy with only its title changed ----------------------------------

def lifecomp_copy(title="Our LifeComp check"):
    data = LIFECOMP.as_json()
    data.update(id="lifecomp-custom", title=title)
    data["areas"][0]["competences"][0]["title"] = "Our own wording"
    return json.dumps(data)


def test_a_copy_of_lifecomp_keeps_every_translation_but_its_own_texts(wb):
    usage_id = wb.load(sa_xml(framework_choice="custom", custom_framework=lifecomp_copy()))
    with translation.override("de"):
        built_in = wb.load(sa_xml(framework_choice="lifecomp"))
        german_built_in = wb.render(built_in)
        german = wb.render(usage_id)
    english = wb.render(usage_id)
    assert "Empathy" in english and "Empathy" not in german
    # Every text the course team kept reads as in the built-in LifeComp, in German.
    doc, reference = lxml.html.fromstring(german), lxml.html.fromstring(german_built_in)
    titles = doc.xpath("//span[@class='sa-competence-title']/text()")
    reference_titles = reference.xpath("//span[@class='sa-competence-title']/text()")
    assert titles[0] == "Our own wording" and titles[1:] == reference_titles[1:]
    assert doc.xpath("//span[@class='sa-level-label']/text()") == reference.xpath(
        "//span[@class='sa-level-label']/text()")
    assert doc.xpath("//legend[@class='sa-area-title']/text()") == reference.xpath(
        "//legend[@class='sa-area-title']/text()")
    assert "Our LifeComp check" in german  # the course team's own title, as written


# The learner's name on the printable profile --------------------------------------------

class _User:
    def __init__(self, full_name, attrs):
        self.full_name, self.opt_attrs = full_name, attrs


class _Block:
    def __init__(self, user):
        self.runtime = self
        self._user = user

    def service(self, _block, name):
        assert name == "user"
        return self

    def get_current_user(self):
        return self._user


def test_the_learners_name_is_the_full_name_else_the_username():
    assert seams.display_name_of(_Block(_User("Anna Kovač", {seams.USERNAME: "anna_k"}))) == "Anna Kovač"
    assert seams.display_name_of(_Block(_User("", {seams.USERNAME: "anna_k"}))) == "anna_k"
    assert seams.display_name_of(_Block(_User(None, {}))) == ""
    assert seams.display_name_of(_Block(None)) == ""
