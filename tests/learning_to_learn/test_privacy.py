"""Privacy of the journal and the self-assessment: a retired learner's rows are deleted
(theirs only, in every course, cohort figures updated at once), the retirement signal of
Open edX reaches them, and "Download my data" gives a learner all of their own data and
nobody else's."""
import json
import sys
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, LMSAccountRetirementView, lms_user
from tests.learning_to_learn.journal_helpers import get, journal_xml, save, submit
from tests.queries import count_queries
from xblocks.common import retirement
from xblocks.learning_to_learn import assessment_store, privacy
from xblocks.learning_to_learn.frameworks import built_in
from xblocks.learning_to_learn.models import (
    AssessmentDraft,
    AssessmentResponse,
    CompetenceRating,
    JournalEntry,
    JournalRevision,
)

ENTRECOMP = built_in("entrecomp")
GROUP = "Intrapreneurship competences"
OWN_TABLES = ("bizmooc_learning_to_learn_",)
OTHER_COURSE = "course-v1:BizMOOC+L2L+2026"


def assessment_xml(phase="before", group=GROUP, **attributes):
    attrs = {"framework_choice": "entrecomp", "group_name": group, "phase": phase, **attributes}
    return "<bizmooc_self_assessment " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "/>"


def answer(wb, usage_id, level, user=LEARNER_A, evidence=None):
    ratings = {cid: level for cid in ENTRECOMP.competence_ids}
    result = wb.call(usage_id, "submit_assessment", {"ratings": ratings, "evidence": evidence or {}}, user=user)
    assert result.status == 200, result.text
    return result


def write(wb, usage_id, user, text, revisions=1):
    """Submit `text` (revised `revisions` times) for prompt 0 as `user`."""
    version = 0
    for number in range(1, revisions + 1):
        result = submit(wb, usage_id, f"{text} (revision {number})", version=version, user=user)
        assert result.status == 200, result.text
        version = result.json["entry"]["version"]


def own_queries(captured):
    return [q["sql"] for q in captured.captured_queries
            if any(table in q["sql"] for table in OWN_TABLES) and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.fixture
def two_journals(wb):
    """Learners A and B each wrote in two journals of the workbench course; A also wrote in
    another course (rows made directly: the workbench has one course)."""
    first = wb.load(journal_xml(journal_name="Learning log"))
    second = wb.load(journal_xml(journal_name="Study habits", prompts=["<p>One</p>", "<p>Two</p>"]))
    write(wb, first, LEARNER_A, "A reflects on week one", revisions=3)
    write(wb, second, LEARNER_A, "A on study habits")
    assert save(wb, second, "A's unsent draft", prompt=1).status == 200
    write(wb, first, LEARNER_B, "B's private thoughts", revisions=2)
    write(wb, second, LEARNER_B, "B on study habits")
    elsewhere = JournalEntry.objects.create(
        course_id=OTHER_COURSE, journal_name="Learning log", usage_id="block-v1:elsewhere", prompt_index=0,
        user_id=LEARNER_A, position="0001", submitted_text="A in another course", submitted_at=timezone.now(),
        first_submitted_at=timezone.now(), revision_count=1, version=1)
    JournalRevision.objects.create(entry=elsewhere, number=1, text="A in another course",
                                   submitted_at=timezone.now())
    return first, second


@pytest.fixture
def assessments(wb):
    """Learners A and B answered before and after; A also answered a second group."""
    before = wb.load(assessment_xml("before", show_cohort="true", cohort_min_learners="2"))
    after = wb.load(assessment_xml("after", show_cohort="true", cohort_min_learners="2"))
    other_group = wb.load(assessment_xml("before", group="Second check"))
    answer(wb, before, 2, LEARNER_A, {"spotting_opportunities": "A's evidence before"})
    answer(wb, after, 6, LEARNER_A, {"spotting_opportunities": "A's evidence after"})
    answer(wb, other_group, 3, LEARNER_A)
    answer(wb, before, 4, LEARNER_B, {"spotting_opportunities": "B's secret evidence"})
    answer(wb, after, 5, LEARNER_B)
    return before, after, other_group


# Retirement: exactly the retired learner's rows -------------------------------------------

def journal_rows():
    return sorted((e.course_id, e.journal_name, e.user_id, e.prompt_index, e.submitted_text, e.draft)
                  for e in JournalEntry.objects.all())


def test_retiring_deletes_all_journal_rows_of_the_learner_and_nothing_else(two_journals):
    before = journal_rows()
    b_revisions = set(JournalRevision.objects.filter(entry__user_id=LEARNER_B).values_list("pk", "text"))
    with CaptureQueriesContext(connection) as captured:
        deleted = privacy.retire_journal([LEARNER_A, "never-seen"])
    assert not JournalEntry.objects.filter(user_id=LEARNER_A).exists()
    assert not JournalRevision.objects.filter(entry__user_id=LEARNER_A).exists()
    assert journal_rows() == [row for row in before if row[2] != LEARNER_A]
    assert set(JournalRevision.objects.values_list("pk", "text")) == b_revisions
    # A: 3 entries here + 1 elsewhere; 3 + 1 + 1 revisions.
    assert deleted == 4 + 5
    # one DELETE per table, and one UPDATE taking the learner's name off comments they wrote as staff
    assert len(own_queries(captured)) == 4


def save_draft(wb, usage_id, ratings, user=LEARNER_A, version=0):
    return wb.call(usage_id, "save_draft", {"ratings": ratings, "evidence": {}, "version": version}, user=user)


def test_retiring_deletes_all_answers_of_the_learner_and_nothing_else(wb, assessments):
    b_rows = sorted(AssessmentResponse.objects.filter(user_id=LEARNER_B).values_list("group_name", "phase",
                                                                                     "evidence"))
    b_ratings = CompetenceRating.objects.filter(user_id=LEARNER_B).count()
    for user in (LEARNER_A, LEARNER_B):  # drafts of a third group, not submitted
        assert save_draft(wb, assessments[2], {"vision": 1}, user).status == 200
    with CaptureQueriesContext(connection) as captured:
        deleted = privacy.retire_self_assessment([LEARNER_A])
    assert not AssessmentResponse.objects.filter(user_id=LEARNER_A).exists()
    assert not CompetenceRating.objects.filter(user_id=LEARNER_A).exists()
    assert sorted(AssessmentResponse.objects.values_list("group_name", "phase", "evidence")) == b_rows
    assert CompetenceRating.objects.count() == b_ratings == 2 * len(ENTRECOMP.competence_ids)
    assert deleted == 3 + 3 * len(ENTRECOMP.competence_ids) + 1  # + A's draft
    assert not AssessmentDraft.objects.filter(user_id=LEARNER_A).exists()
    assert list(AssessmentDraft.objects.values_list("user_id", flat=True)) == [LEARNER_B]
    assert len(own_queries(captured)) == 4  # groups answered, then one DELETE per table


def test_cohort_figures_no_longer_count_a_retired_learner(assessments):
    course = AssessmentResponse.objects.values_list("course_id", flat=True).first()
    cid = ENTRECOMP.competence_ids[0]
    cohort = assessment_store.cohort(course, GROUP, "before")  # cached from here on
    assert cohort["learners"] == 2 and cohort["averages"][cid] == 3.0
    assert assessment_store.distribution(course, GROUP, "before")[cid] == {2: 1, 4: 1}
    assert assessment_store.paired_change(course, GROUP, "before", "after")[cid] == (2.5, 2)

    privacy.retire_self_assessment([LEARNER_A])

    cohort = assessment_store.cohort(course, GROUP, "before")
    assert cohort["learners"] == 1 and cohort["averages"][cid] == 4.0
    assert assessment_store.cohort(course, GROUP, "after")["averages"][cid] == 5.0
    assert assessment_store.distribution(course, GROUP, "before")[cid] == {4: 1}
    assert assessment_store.phase_counts(course, GROUP) == {"before": 1, "after": 1}
    assert assessment_store.paired_change(course, GROUP, "before", "after")[cid] == (1.0, 1)


def test_a_retired_learner_left_out_of_the_profile_cohort_at_once(wb, assessments):
    before = assessments[0]
    assert "Cohort average (dotted line)" in wb.render(before, LEARNER_B)  # 2 learners: shown, and cached
    privacy.retire_self_assessment([LEARNER_A])
    profile = wb.render(before, LEARNER_B)
    assert "Cohort average (dotted line)" not in profile
    assert "enough learners have answered (minimum: 2)" in profile


# Retirement through Open edX's signal ------------------------------------------------------

@pytest.fixture
def maria(monkeypatch):
    """An LMS user whose anonymous ids (two courses) are learner_a's rows."""
    user = SimpleNamespace(pk=501, username="maria")
    ids = {501: [LEARNER_A, "maria-in-another-course"]}
    monkeypatch.setattr(retirement, "anonymous_ids_of", lambda u: ids.get(u.pk, []))
    return user


def test_the_retirement_signal_deletes_the_learners_data(two_journals, assessments, platform_signal, maria):
    assert retirement.connect_retirement_signal() is True
    b_entries = JournalEntry.objects.filter(user_id=LEARNER_B).count()
    platform_signal.send(sender=LMSAccountRetirementView, user=maria)
    assert not JournalEntry.objects.filter(user_id=LEARNER_A).exists()
    assert not JournalRevision.objects.filter(entry__user_id=LEARNER_A).exists()
    assert not AssessmentResponse.objects.filter(user_id=LEARNER_A).exists()
    assert not CompetenceRating.objects.filter(user_id=LEARNER_A).exists()
    assert JournalEntry.objects.filter(user_id=LEARNER_B).count() == b_entries
    assert AssessmentResponse.objects.filter(user_id=LEARNER_B).count() == 2


def test_connecting_twice_retires_once(two_journals, platform_signal, maria, monkeypatch):
    calls = []
    journal = retirement.registered_retirements()["bizmooc_reflection_journal"]

    def counting(anonymous_ids, user_id):
        calls.append(user_id)
        return journal(anonymous_ids, user_id)

    monkeypatch.setitem(retirement._retirements, "bizmooc_reflection_journal", counting)
    retirement.connect_retirement_signal()
    retirement.connect_retirement_signal()
    platform_signal.send(sender=LMSAccountRetirementView, user=maria)
    assert calls == [501]
    assert not JournalEntry.objects.filter(user_id=LEARNER_A).exists()


def test_another_users_retirement_leaves_the_learner_alone(two_journals, platform_signal, maria):
    retirement.connect_retirement_signal()
    platform_signal.send(sender=LMSAccountRetirementView, user=SimpleNamespace(pk=999))
    assert JournalEntry.objects.filter(user_id=LEARNER_A).count() == 4


def test_without_the_platform_nothing_breaks(wb, two_journals, monkeypatch):
    monkeypatch.delitem(sys.modules, retirement.SIGNAL_MODULE, raising=False)
    assert retirement.connect_retirement_signal() is False
    assert JournalEntry.objects.filter(user_id=LEARNER_A).count() == 4
    assert get(wb, two_journals[0], "my_journal").status == 200


# Download my data ----------------------------------------------------------------------------

def download(wb, usage_id, user=LEARNER_A):
    return wb.call(usage_id, "download_my_data", method="GET", user=user)


def test_journal_download_has_every_entry_and_revision_of_the_caller_only(two_journals, wb):
    result = download(wb, two_journals[0])
    assert result.status == 200
    assert result.response.content_disposition == 'attachment; filename="journal-my-data.json"'
    assert result.response.content_type == "application/json"
    data = json.loads(result.text)
    assert data["component"] == "bizmooc_reflection_journal" and data["learner"] == LEARNER_A
    journals = {j["journal_name"]: j["entries"] for j in data["journals"]}
    assert set(journals) == {"Learning log", "Study habits"}
    log = journals["Learning log"]
    assert len(log) == 1 and log[0]["revision_count"] == 3
    assert [r["text"] for r in log[0]["revisions"]] == [f"A reflects on week one (revision {n})" for n in (1, 2, 3)]
    assert all(r["submitted_at"] for r in log[0]["revisions"])
    habits = {e["prompt_index"]: e for e in journals["Study habits"]}
    assert habits[1]["draft"] == "A's unsent draft" and habits[1]["submitted_at"] is None
    assert habits[0]["submitted_text"] == "A on study habits (revision 1)"
    assert "B's private" not in result.text and "B on study" not in result.text
    assert "another course" not in result.text  # this course only
    assert LEARNER_B not in result.text


def test_self_assessment_download_has_every_answer_of_the_caller_only(assessments, wb):
    result = download(wb, assessments[1])
    assert result.status == 200
    assert result.response.content_disposition == 'attachment; filename="self-assessment-my-data.json"'
    data = json.loads(result.text)
    assert data["component"] == "bizmooc_self_assessment" and data["learner"] == LEARNER_A
    assert [(r["group_name"], r["phase"]) for r in data["responses"]] == [
        (GROUP, "before"), (GROUP, "after"), ("Second check", "before")]
    before = data["responses"][0]
    assert before["ratings"] == {cid: 2 for cid in ENTRECOMP.competence_ids}
    assert before["evidence"] == {"spotting_opportunities": "A's evidence before"}
    assert before["framework"] == "entrecomp" and before["submitted_at"]
    assert data["responses"][1]["evidence"] == {"spotting_opportunities": "A's evidence after"}
    assert "B's secret" not in result.text and LEARNER_B not in result.text
    assert data["drafts"] == []


def test_self_assessment_download_has_the_callers_drafts(wb):
    usage_id = wb.load(assessment_xml("during"))
    assert save_draft(wb, usage_id, {"vision": 3, "creativity": None}).status == 200
    assert save_draft(wb, usage_id, {"vision": 7}, user=LEARNER_B).status == 200
    data = download(wb, usage_id).json
    assert data["responses"] == []
    (draft,) = data["drafts"]
    assert (draft["group_name"], draft["phase"], draft["version"]) == (GROUP, "during", 1)
    assert draft["ratings"] == {"creativity": None, "vision": 3} and draft["modified"]


def test_lms_learner_downloads_by_anonymous_id(wb):
    usage_id = wb.load(journal_xml())
    lms = lms_user("7f3a9c0d1e2b4a5c6d7e8f9a0b1c2d3e", username="maria")
    assert submit(wb, usage_id, "Maria's entry", user=lms).status == 200
    data = download(wb, usage_id, user=lms).json
    assert data["learner"] == "7f3a9c0d1e2b4a5c6d7e8f9a0b1c2d3e"
    assert data["journals"][0]["entries"][0]["submitted_text"] == "Maria's entry"


@pytest.mark.parametrize("xml", [journal_xml(), assessment_xml()])
def test_download_is_for_signed_in_learners_only(wb, xml):
    usage_id = wb.load(xml)
    result = download(wb, usage_id, user=LMS_ANONYMOUS)
    assert result.status == 403 and result.error_code == "not_signed_in"
    assert wb.call(usage_id, "download_my_data", method="POST").status == 405


def test_a_learner_with_no_data_gets_an_empty_file(wb):
    journal, sa = wb.load(journal_xml()), wb.load(assessment_xml())
    assert download(wb, journal).json["journals"] == []
    assert download(wb, sa).json["responses"] == []


def test_the_learner_views_link_to_the_download(two_journals, assessments, wb):
    for usage_id in (two_journals[0], assessments[0]):
        html = wb.render(usage_id)
        assert "Download my data (JSON)" in html
        assert "/download_my_data" in html
    assert "Download my data" not in wb.render(two_journals[0], LMS_ANONYMOUS)


def _big_journal(usage_id, user, size):
    now = timezone.now()
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(course_id="workbench", journal_name=f"Journal {i % 3}", usage_id=f"{usage_id}-{i}",
                     prompt_index=0, user_id=user, position=f"{i:04d}", submitted_text="text", submitted_at=now,
                     first_submitted_at=now, revision_count=size, version=size)
        for i in range(size))
    JournalRevision.objects.bulk_create(JournalRevision(entry=e, number=n, text=f"r{n}", submitted_at=now)
                                        for e in JournalEntry.objects.filter(pk__in=[x.pk for x in entries])
                                        for n in range(1, size + 1))


def _big_assessment(user, size):
    now = timezone.now()
    for i in range(size):
        response = AssessmentResponse.objects.create(
            course_id="workbench", group_name=f"Group {i}", phase="before", user_id=user, usage_id=f"sa-{i}",
            framework_id="entrecomp", evidence={"x": "y"}, submitted_at=now)
        CompetenceRating.objects.bulk_create(CompetenceRating(
            response=response, course_id="workbench", group_name=response.group_name, phase="before",
            user_id=user, competence_id=cid, level=3) for cid in ENTRECOMP.competence_ids)
    AssessmentDraft.objects.bulk_create(AssessmentDraft(
        course_id="workbench", group_name=f"Group {i}", phase="during", user_id=user, usage_id=f"sa-{i}",
        ratings={"vision": 1}, version=1) for i in range(size))


def _measure(wb, usage_id, user):
    total, own, _ = count_queries(lambda: download(wb, usage_id, user=user), OWN_TABLES)
    return total, own


@pytest.mark.parametrize("kind", ["journal", "self_assessment"])
def test_download_queries_do_not_grow_with_the_learners_data(wb, kind):
    usage_id = wb.load(journal_xml() if kind == "journal" else assessment_xml())
    for user, size in (("small_learner", 1), ("large_learner", 40)):
        if kind == "journal":
            _big_journal(usage_id, user, size)
        else:
            _big_assessment(user, size)
    _measure(wb, usage_id, "small_learner")  # warm-up
    small = _measure(wb, usage_id, "small_learner")
    large = _measure(wb, usage_id, "large_learner")
    assert small == large
    # the rows, then their revisions or ratings (prefetch), and a journal entry's staff comments
    assert small[1] == 3  # a self-assessment's drafts
    data = download(wb, usage_id, user="large_learner").json
    if kind == "journal":
        assert sum(len(j["entries"]) for j in data["journals"]) == 40
        assert len(data["journals"][0]["entries"][0]["revisions"]) == 40
    else:
        assert len(data["responses"]) == len(data["drafts"]) == 40
