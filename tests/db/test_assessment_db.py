"""The self-assessment's tables on a real database (SQLite here, MariaDB in scripts/test):
the guarantees the schema gives, the cohort figures the database computes for staff and
learners, the migration that adds the tables, and learners' answers racing each other.

Cohort averages, distributions and paired changes are computed by the database (GROUP BY
on rating rows, a correlated subquery for the pairing); here they are checked against the
same figures computed in Python from the answers themselves.
"""
import io
import random
import statistics
from collections import Counter, defaultdict

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from xblocks.common.errors import ApiError
from xblocks.learning_to_learn import assessment_store, frameworks
from xblocks.learning_to_learn.models import AssessmentDraft, AssessmentResponse, CompetenceRating

COURSE = "course-v1:BizMOOC+ENT+2026"
GROUP = "Intrapreneurship competences"
ENTRECOMP = frameworks.built_in("entrecomp")
APP = "bizmooc_learning_to_learn"
RESPONSE_TABLE = "bizmooc_learning_to_learn_assessmentresponse"
RATING_TABLE = "bizmooc_learning_to_learn_competencerating"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def place(user_id, phase="before", group=GROUP, course=COURSE):
    return {"course_id": course, "group_name": group, "phase": phase, "user_id": user_id,
            "usage_id": f"block-v1:BizMOOC+ENT+2026+type@bizmooc_self_assessment+block@{phase}"}


def answer(user_id, ratings, phase="before", evidence=None, group=GROUP, course=COURSE):
    """What the submit handler does: read the learner's answers, then create or replace this phase's."""
    where = place(user_id, phase, group, course)
    existing = assessment_store.learner_responses(course, group, user_id).get(phase, (None, None))[0]
    return assessment_store.save_response(where, "entrecomp", ratings, evidence or {}, existing)


def response_row(user_id="learner-1", phase="before", **changes):
    values = {"course_id": COURSE, "group_name": GROUP, "phase": phase, "user_id": user_id,
              "usage_id": "block", "framework_id": "entrecomp", "submitted_at": timezone.now()}
    values.update(changes)
    return AssessmentResponse(**values)


# What the schema guarantees -------------------------------------------------------------------

@pytest.mark.django_db
def test_one_response_per_course_group_phase_and_learner():
    response_row().save()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            response_row(usage_id="another block of the same group and phase").save()
    # Any other course, group, phase or learner is another answer.
    response_row(course_id="course-v1:BizMOOC+ENT+2027").save()
    response_row(group_name="Another group").save()
    response_row(phase="after").save()
    response_row(user_id="learner-2").save()
    assert AssessmentResponse.objects.count() == 5


@pytest.mark.django_db
def test_one_rating_per_response_and_competence():
    response = answer("learner-1", {"vision": 3, "creativity": None})
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            CompetenceRating.objects.create(response=response, course_id=COURSE, group_name=GROUP, phase="before",
                                            user_id="learner-1", competence_id="vision", level=5)
    assert sorted(response.ratings.values_list("competence_id", "level")) == [("creativity", None), ("vision", 3)]


@pytest.mark.django_db
def test_deleting_a_response_deletes_its_ratings_and_no_others():
    mine = answer("learner-1", {"vision": 3, "creativity": 4})
    theirs = answer("learner-2", {"vision": 5, "creativity": None})
    mine.delete()
    assert list(CompetenceRating.objects.values_list("response_id", "competence_id", "level").order_by(
        "competence_id")) == [(theirs.pk, "creativity", None), (theirs.pk, "vision", 5)]
    AssessmentResponse.objects.filter(course_id=COURSE).delete()
    assert not CompetenceRating.objects.exists()


@pytest.mark.django_db
def test_text_in_any_script_survives_the_database():
    evidence = {"vision": "Zażółć gęślą jaźń — Видение 🚀 <b>&</b> \"quoted\""}
    answer("učiteľ-ü", {"vision": 3}, evidence=evidence, group="Kompetenzen: Führung ✓")
    stored = AssessmentResponse.objects.get()
    assert (stored.user_id, stored.group_name, stored.evidence) == ("učiteľ-ü", "Kompetenzen: Führung ✓", evidence)


@pytest.mark.django_db
def test_a_revision_replaces_the_ratings_and_counts():
    first = answer("learner-1", {"vision": 3, "creativity": 4}, evidence={"vision": "old"})
    second = answer("learner-1", {"vision": 5, "creativity": None}, evidence={"creativity": "new"})
    assert second.pk == first.pk
    stored = AssessmentResponse.objects.get()
    assert (stored.revision_count, stored.evidence) == (2, {"creativity": "new"})
    assert stored.submitted_at >= first.submitted_at
    assert sorted(stored.ratings.values_list("competence_id", "level")) == [("creativity", None), ("vision", 5)]


# Cohort figures against Python -----------------------------------------------------------------

LEARNERS = 300


def _random_answers(seed=20261129):
    """{phase: {learner: ratings}}: 300 learners before, about two thirds of them after plus
    some who only answered after; about one rating in eight is "can't judge yet"."""
    rng = random.Random(seed)
    ids = ENTRECOMP.competence_ids

    def ratings(bias):
        return {cid: (None if rng.random() < 0.125 else min(8, max(1, rng.randint(1, 6) + bias))) for cid in ids}

    before = {f"learner-{i:03d}": ratings(0) for i in range(LEARNERS)}
    after = {learner: ratings(rng.randint(0, 2)) for learner in before if rng.random() < 0.66}
    after.update({f"late-{i:02d}": ratings(1) for i in range(20)})
    return {"before": before, "after": after}


@pytest.fixture
def cohort_data(db):  # pylint: disable=unused-argument,invalid-name
    answers = _random_answers()
    for phase, learners in answers.items():
        for learner, ratings in learners.items():
            assessment_store.save_response(place(learner, phase), "entrecomp", ratings, {}, None)
    # Noise the queries must leave out: another group, another course, another phase.
    for group, course, phase in (("Other group", COURSE, "before"), (GROUP, "course-v1:Other+X+1", "before"),
                                 (GROUP, COURSE, "during")):
        for i in range(5):
            assessment_store.save_response(place(f"learner-{i:03d}", phase, group, course), "entrecomp",
                                           {cid: 8 for cid in ENTRECOMP.competence_ids}, {}, None)
    assert AssessmentResponse.objects.filter(course_id=COURSE, group_name=GROUP, phase="before").count() == LEARNERS
    return answers


def _python_averages(learners):
    result = {}
    for cid in ENTRECOMP.competence_ids:
        levels = [ratings[cid] for ratings in learners.values() if ratings[cid] is not None]
        if levels:
            result[cid] = statistics.fmean(levels)
    return result


@pytest.mark.django_db
def test_cohort_averages_match_python_and_leave_out_cant_judge(cohort_data):
    for phase in ("before", "after"):
        figures = assessment_store.cohort(COURSE, GROUP, phase)
        assert figures["learners"] == len(cohort_data[phase])
        expected = _python_averages(cohort_data[phase])
        assert set(figures["averages"]) == set(ENTRECOMP.competence_ids)
        for cid, value in expected.items():
            assert figures["averages"][cid] == pytest.approx(value, abs=1e-4), (phase, cid)
        # Counting "can't judge" as 0 would pull every average down: make sure the data can tell.
        as_zero = statistics.fmean(r["vision"] or 0 for r in cohort_data[phase].values())
        assert figures["averages"]["vision"] - as_zero > 0.1


@pytest.mark.django_db
def test_cohort_is_cached_until_a_new_answer(cohort_data):
    first = assessment_store.cohort(COURSE, GROUP, "after")
    # Written behind the store's back: the cached figures stay.
    CompetenceRating.objects.filter(course_id=COURSE, group_name=GROUP, phase="after").update(level=8)
    assert assessment_store.cohort(COURSE, GROUP, "after") == first
    # A new answer through the store invalidates them.
    answer("newcomer", {cid: 8 for cid in ENTRECOMP.competence_ids}, phase="after")
    fresh = assessment_store.cohort(COURSE, GROUP, "after")
    assert fresh["learners"] == first["learners"] + 1
    assert set(fresh["averages"].values()) == {8.0}
    # ... of that phase only: "before" is still the cached one.
    before = assessment_store.cohort(COURSE, GROUP, "before")
    CompetenceRating.objects.filter(phase="before").update(level=1)
    answer("newcomer", {cid: 1 for cid in ENTRECOMP.competence_ids}, phase="after")
    assert assessment_store.cohort(COURSE, GROUP, "before") == before


@pytest.mark.django_db
def test_distribution_matches_python_including_cant_judge(cohort_data):
    for phase in ("before", "after"):
        expected = {cid: Counter(ratings[cid] for ratings in cohort_data[phase].values())
                    for cid in ENTRECOMP.competence_ids}
        assert assessment_store.distribution(COURSE, GROUP, phase) == {cid: dict(c) for cid, c in expected.items()}
    assert assessment_store.phase_counts(COURSE, GROUP) == {"before": LEARNERS, "after": len(cohort_data["after"]),
                                                            "during": 5}


@pytest.mark.django_db
def test_paired_change_matches_python_over_learners_who_rated_both(cohort_data):
    before, after = cohort_data["before"], cohort_data["after"]
    expected = defaultdict(list)
    for learner, later in after.items():
        earlier = before.get(learner)
        if earlier is None:
            continue
        for cid in ENTRECOMP.competence_ids:
            if earlier[cid] is not None and later[cid] is not None:
                expected[cid].append(later[cid] - earlier[cid])
    paired = assessment_store.paired_change(COURSE, GROUP, "before", "after")
    assert set(paired) == set(expected)
    for cid, changes in expected.items():
        mean_change, learners = paired[cid]
        assert learners == len(changes), cid
        assert mean_change == pytest.approx(statistics.fmean(changes), abs=1e-4), cid
    # The data really has learners on each side who are not paired.
    assert len(after) > sum(1 for learner in after if learner in before) > 150
    assert max(learners for _, learners in paired.values()) < len(before)


@pytest.mark.django_db
def test_paired_change_on_a_small_example():
    answer("both", {"vision": 2, "creativity": 3}, phase="before")
    answer("both", {"vision": 5, "creativity": None}, phase="after")   # creativity: can't judge after
    answer("both-too", {"vision": 4, "creativity": 6}, phase="before")
    answer("both-too", {"vision": 3, "creativity": 6}, phase="after")
    answer("only-before", {"vision": 1, "creativity": 1}, phase="before")
    answer("only-after", {"vision": 8, "creativity": 8}, phase="after")
    answer("both", {"vision": 8, "creativity": 8}, phase="after", group="Another group")
    assert assessment_store.paired_change(COURSE, GROUP, "before", "after") == {
        "vision": (pytest.approx(1.0), 2),     # (+3 - 1) / 2
        "creativity": (pytest.approx(0.0), 1),  # only both-too rated it in both phases
    }
    assert assessment_store.paired_change(COURSE, GROUP, "before", "during") == {}


# The migration that adds the tables ----------------------------------------------------------

def _tables():
    with connection.cursor() as cursor:
        return {name for name in connection.introspection.table_names(cursor) if name.startswith(APP + "_")}


def _constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _migrate(target=None):
    call_command("migrate", APP, *([target] if target else []), verbosity=0, interactive=False,
                 stdout=io.StringIO())


def _applied():
    return {name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP}


def _assert_assessment_schema():
    response = _constraints(RESPONSE_TABLE)
    assert response["bizmooc_assessment_once_per_phase"]["columns"] == ["course_id", "group_name", "phase", "user_id"]
    assert response["bizmooc_assessment_once_per_phase"]["unique"] is True
    assert response["bizmooc_assessment_by_block"]["columns"] == ["usage_id", "submitted_at"]
    rating = _constraints(RATING_TABLE)
    assert rating["bizmooc_rating_once"]["columns"] == ["response_id", "competence_id"]
    assert rating["bizmooc_rating_once"]["unique"] is True
    assert rating["bizmooc_rating_cohort"]["columns"] == ["course_id", "group_name", "phase", "competence_id",
                                                          "level"]
    assert rating["bizmooc_rating_by_learner"]["columns"] == ["course_id", "group_name", "user_id", "competence_id"]
    assert [c["foreign_key"] for c in rating.values() if c["foreign_key"]] == [(RESPONSE_TABLE, "id")]


@pytest.mark.django_db(transaction=True)
def test_migration_0002_adds_and_removes_only_the_assessment_tables():
    leaf = MigrationLoader(connection).graph.leaf_nodes(APP)[0][1]
    assert "0002_self_assessment" in _applied()
    _assert_assessment_schema()
    from xblocks.learning_to_learn.models import JournalEntry  # pylint: disable=import-outside-toplevel
    journal_entry = JournalEntry.objects.create(course_id=COURSE, journal_name="j", usage_id="u", prompt_index=0,
                                                user_id="l", position="p", draft="kept")
    try:
        _migrate("0001_initial")
        assert RESPONSE_TABLE not in _tables() and RATING_TABLE not in _tables()
        assert "bizmooc_learning_to_learn_journalentry" in _tables()
        assert "0002_self_assessment" not in _applied() and "0001_initial" in _applied()
        # Columns the journal had at 0001 only: later migrations add others (0003: public_id).
        assert JournalEntry.objects.values_list("draft", flat=True).get() == "kept"  # rolling back keeps journals

        _migrate("0002_self_assessment")
        assert {RESPONSE_TABLE, RATING_TABLE} <= _tables()
        _assert_assessment_schema()
        # Saved as the rows are (submitting today also clears the draft, a table of 0006).
        response = response_row(evidence={"vision": "Ünïcode ✓"})
        response.save()
        assert AssessmentResponse.objects.get(pk=response.pk).evidence == {"vision": "Ünïcode ✓"}
        assert JournalEntry.objects.filter(pk=journal_entry.pk).values_list("draft", flat=True).get() == "kept"
    finally:
        _migrate()  # back to the latest state for the other tests, whatever failed
    assert leaf in _applied()


# Learners racing each other -----------------------------------------------------------------

def _first_answers(outcomes):
    oks = [(i, value) for i, (kind, value) in enumerate(outcomes) if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    unexpected = [e for e in errors if not (isinstance(e, ApiError) and e.status == 409)]
    assert not unexpected, f"refused with something other than a 409: {unexpected!r}"
    return oks, errors


@pytest.mark.django_db(transaction=True)
def test_ten_tabs_submitting_a_first_answer_make_one_response(run_together):
    def submit_from_tab(i):
        level = i % 8 + 1
        response = answer("learner-1", {cid: level for cid in ENTRECOMP.competence_ids},
                          evidence={"vision": f"tab {i}"})
        return response.pk

    outcomes = run_together(10, submit_from_tab)

    oks, errors = _first_answers(outcomes)
    response = AssessmentResponse.objects.get()  # exactly one row
    # Every accepted submission was either the first answer or a revision of it; none was lost.
    assert response.revision_count == len(oks)
    assert {pk for _, pk in oks} == {response.pk}
    # The stored answer is one tab's, whole: its ratings and its evidence.
    tab = int(response.evidence["vision"].split()[1])
    assert tab in {i for i, _ in oks}
    assert set(response.ratings.values_list("level", flat=True)) == {tab % 8 + 1}
    assert response.ratings.count() == 15 and CompetenceRating.objects.count() == 15
    for error in errors:
        assert error.code == "already_answered"
        assert error.as_json()["error"]["message"] == ("Your answers were just saved from another tab or device. "
                                                       "Reload the page to see them.")


@pytest.mark.django_db(transaction=True)
def test_ten_tabs_revising_at_once_keep_one_whole_answer(run_together):
    answer("learner-1", {cid: 1 for cid in ENTRECOMP.competence_ids})

    outcomes = run_together(10, lambda i: answer("learner-1", {cid: i % 8 + 1 for cid in ENTRECOMP.competence_ids},
                                                 evidence={"vision": f"tab {i}"}).pk)

    oks, errors = _first_answers(outcomes)
    assert not errors and len(oks) == 10
    response = AssessmentResponse.objects.get()
    assert response.revision_count == 11
    tab = int(response.evidence["vision"].split()[1])
    assert set(response.ratings.values_list("level", flat=True)) == {tab % 8 + 1}
    assert CompetenceRating.objects.count() == 15


@pytest.mark.django_db(transaction=True)
def test_the_loser_of_a_race_gets_a_409_and_its_transaction_stays_usable():
    """Both requests read "no answer yet"; the other one commits first."""
    ratings = {cid: 4 for cid in ENTRECOMP.competence_ids}
    with transaction.atomic():  # the handler's transaction
        existing = assessment_store.learner_responses(COURSE, GROUP, "learner-1").get("before", (None, None))[0]
        assert existing is None
        winner = AssessmentResponse.objects.create(**{k: v for k, v in place("learner-1").items()},
                                                   framework_id="entrecomp", evidence={"vision": "winner"},
                                                   submitted_at=timezone.now())
        with pytest.raises(ApiError) as caught:
            assessment_store.save_response(place("learner-1"), "entrecomp", ratings, {"vision": "loser"}, existing)
        assert (caught.value.status, caught.value.code) == (409, "already_answered")
        # No "current transaction is aborted": the request can still read and answer.
        assert AssessmentResponse.objects.get().pk == winner.pk
    assert AssessmentResponse.objects.get().evidence == {"vision": "winner"}
    assert not CompetenceRating.objects.exists()


# Drafts ---------------------------------------------------------------------------------------

def _draft(user_id, ratings, version, phase="during"):
    return assessment_store.save_draft(place(user_id, phase), ratings, {}, version)


@pytest.mark.django_db(transaction=True)
def test_ten_tabs_saving_a_draft_from_one_version_make_one_save(run_together):
    """The compare-and-set of the draft's version holds on the database: of ten saves from
    version 1, one wins and nine are refused with the newer draft."""
    _draft("learner-1", {"vision": 1}, 0)

    def save_from_tab(i):
        return _draft("learner-1", {"vision": i % 8 + 1}, 1).version

    outcomes = run_together(10, save_from_tab)
    oks, errors = _first_answers(outcomes)
    assert len(oks) == 1 and len(errors) == 9
    assert all(error.code == "already_answered" and error.details["version"] == 2 for error in errors)
    winner = oks[0][0] % 8 + 1
    assert AssessmentDraft.objects.get().ratings == {"vision": winner}


@pytest.mark.django_db(transaction=True)
def test_submitting_removes_only_that_phases_draft():
    _draft("learner-1", {"vision": 1}, 0, phase="before")
    _draft("learner-1", {"vision": 2}, 0, phase="after")
    _draft("learner-2", {"vision": 3}, 0, phase="before")
    answer("learner-1", {cid: 4 for cid in ENTRECOMP.competence_ids}, phase="before")
    assert sorted(AssessmentDraft.objects.values_list("user_id", "phase")) == [
        ("learner-1", "after"), ("learner-2", "before")]
