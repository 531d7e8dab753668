"""Peer review's tables on a real database (SQLite here, MariaDB in scripts/test): the
migration and the guarantees of the schema, many reviewers asking for work at the same
moment from real threads, a simulated course where learners review each other
concurrently, leases that expire, and retirement.

Each thread has its own connection and its own transaction, as each handler call does in
the LMS. What must hold: no slot is ever handed to two reviewers, no learner is handed
their own work or one they already reviewed, no submission gets more reviewers than it
needs while others still need some, and the counters equal the rows.
"""
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xblocks.common import retirement
from xblocks.common.seams import file_storage
from xblocks.peer_review import file_store, files, privacy, queue_store, review_store, rubric
from xblocks.peer_review.models import (
    Review,
    ReviewDraft,
    ReviewSlot,
    ReviewStep,
    Submission,
    SubmissionFile,
    TrainingAnswer,
)

APP = "bizmooc_peer_review"
COURSE = "course-v1:BizMOOC+ENT+2026"
BLOCK = "block-v1:BizMOOC+ENT+2026+type@bizmooc_peer_review+block@week3"
GENERAL = rubric.template("general")[1]
SCORED = rubric.score_review(GENERAL, {"ideas": "good", "evidence": "solid", "organisation": "clear"}, {},
                             "Clear.", 100)
LEASE_MINUTES = 60


def place(user_id, usage_id=BLOCK, course_id=COURSE):
    return review_store.Place(course_id=course_id, usage_id=usage_id, user_id=user_id)


def submit(user_id, needed, to_give, usage_id=BLOCK, course_id=COURSE, when=None):
    """What the submit handler does after checking the work."""
    values = {"text": f"The work of {user_id}", "link": "", "artefact_kind": "", "artefact_id": ""}
    return review_store.submit_work(place(user_id, usage_id, course_id), values, 0, when or timezone.now(), needed,
                                    to_give, True)


def hand_out(reviewer, usage_id=BLOCK, now=None):
    """What the next_review handler does, in its transaction: lock the reviewer's own
    submission, then hand out."""
    with transaction.atomic():
        review_store.submission_of(usage_id, reviewer, lock=True)
        return queue_store.hand_out(usage_id, reviewer, now or timezone.now(), LEASE_MINUTES)


def finish(reviewer, slot, needed, to_give, usage_id=BLOCK):
    """What the submit_review handler does: check the lease, then store and count the review."""
    now = timezone.now()
    own = review_store.submission_of(usage_id, reviewer)
    leased = queue_store.leased_slot(usage_id, slot.lease_id, reviewer, now)
    return review_store.finish_peer_review(own, leased, reviewer, SCORED, to_give, needed, now)


# The migration ---------------------------------------------------------------------------------

def _constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.django_db(transaction=True)
def test_migration_goes_back_to_zero_and_forward_again():
    call_command("migrate", APP, "zero", verbosity=0, interactive=False, stdout=io.StringIO())
    with connection.cursor() as cursor:
        assert not [t for t in connection.introspection.table_names(cursor) if t.startswith(APP + "_")]
    call_command("migrate", APP, verbosity=0, interactive=False, stdout=io.StringIO())
    slots = _constraints(f"{APP}_reviewslot")
    assert slots["bizmooc_peer_queue"]["columns"] == ["usage_id", "tier", "position", "submitted_at", "id",
                                                           "available_at"]
    assert slots["bizmooc_peer_lease_by"]["columns"] == ["usage_id", "reviewer_id"]
    submissions = _constraints(f"{APP}_submission")
    assert submissions["bizmooc_peer_sub_once"]["columns"] == ["usage_id", "user_id"]
    reviews = _constraints(f"{APP}_review")
    assert reviews["bizmooc_peer_review_once"]["columns"] == ["submission_id", "reviewer_id", "kind"]
    assert reviews["bizmooc_peer_review_by"]["columns"] == ["usage_id", "reviewer_id", "kind"]
    uploaded = _constraints(f"{APP}_submissionfile")
    assert uploaded["bizmooc_peer_file_of_work"]["columns"] == ["usage_id", "user_id", "uploaded_at"]
    assert uploaded["bizmooc_peer_file_learner"]["columns"] == ["course_id", "user_id"]
    assert uploaded["bizmooc_peer_file_retire"]["columns"] == ["user_id"]
    assert any(c["unique"] and c["columns"] == ["public_id"] for c in uploaded.values())


@pytest.mark.django_db
def test_models_have_no_missing_migration():
    out = io.StringIO()
    call_command("makemigrations", APP, "--check", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_one_submission_per_learner():
    submit("ann", 2, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(course_id=COURSE, usage_id=BLOCK, user_id="ann")


# Concurrency ---------------------------------------------------------------------------------

def _ok(outcomes):
    errors = [value for kind, value in outcomes if kind == "error"]
    assert not errors, errors
    return [value for _kind, value in outcomes]


@pytest.mark.django_db(transaction=True)
def test_many_reviewers_at_once_never_share_a_slot_nor_get_their_own(run_together):
    authors = [f"author-{i:02d}" for i in range(10)]
    for author in authors:
        submit(author, needed=2, to_give=2)
    reviewers = authors + [f"other-{i:02d}" for i in range(10)]  # 20 reviewers for 20 slots

    got = _ok(run_together(len(reviewers), lambda i: hand_out(reviewers[i])))
    # SKIP LOCKED may leave a reviewer without work while others' rows were locked: they ask again.
    for index, slot in enumerate(got):
        if slot is None:
            got[index] = hand_out(reviewers[index])
    # Whoever still has nothing could only have been given their own work.
    left = set(ReviewSlot.objects.filter(reviewer_id=None).values_list("author_id", flat=True))
    assert all(left <= {reviewers[i]} for i, slot in enumerate(got) if slot is None), left

    leased = [(reviewers[i], slot) for i, slot in enumerate(got) if slot is not None]
    assert len({slot.pk for _r, slot in leased}) == len(leased), "a slot was handed out twice"
    assert len({slot.lease_id for _r, slot in leased}) == len(leased)
    assert all(slot.author_id != reviewer for reviewer, slot in leased), "a learner got their own work"
    per_submission = ReviewSlot.objects.exclude(reviewer_id=None).values("submission_id") \
        .annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_submission) <= 2, "a submission got more reviewers than it needs"
    assert len(leased) >= 19 and len(leased) == sum(per_submission)
    assert ReviewSlot.objects.filter(tier=2).count() == 0
    # The database agrees with what each reviewer was told.
    assert {(s.reviewer_id, s.lease_id) for s in ReviewSlot.objects.exclude(reviewer_id=None)} == \
        {(reviewer, slot.lease_id) for reviewer, slot in leased}


@pytest.mark.django_db(transaction=True)
def test_the_same_learner_asking_twice_at_once_gets_one_lease(run_together):
    for author in ("ann", "bob", "cid", "dan"):
        submit(author, needed=2, to_give=2)
    got = _ok(run_together(6, lambda i: hand_out("dan")))
    assert len({slot.lease_id for slot in got if slot is not None}) == 1
    assert ReviewSlot.objects.filter(reviewer_id="dan").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_simulated_course_every_author_who_reviewed_gets_the_reviews_needed(run_together):
    """Twelve learners, each giving 4 reviews and needing 3, all reviewing at the same time.

    Slots of authors who did their reviews go first, then the fewest reviews; an extra
    review is handed out only when no needed one is eligible. With 48 reviews given for 36
    needed, a needed slot left empty would mean 13 extra reviews, all given by the author or
    by the two who reviewed that work: at most 12. So every submission reaches 3."""
    learners = [f"learner-{i:02d}" for i in range(12)]
    needed, to_give = 3, 4
    for learner in learners:
        submit(learner, needed, to_give)

    def review_all(i):
        me, given, attempts = learners[i], 0, 0
        while given < to_give:
            attempts += 1
            assert attempts < 500, f"{me} found nothing to review"
            with transaction.atomic():
                slot = hand_out(me)
            if slot is None:
                continue
            with transaction.atomic():
                finish(me, slot, needed, to_give)
            given += 1
        return given

    assert _ok(run_together(len(learners), review_all, atomic=False)) == [to_give] * len(learners)

    submissions = {s.user_id: s for s in Submission.objects.filter(usage_id=BLOCK)}
    rows = list(Review.objects.filter(usage_id=BLOCK, kind="peer").select_related("submission"))
    assert len(rows) == len(learners) * to_give
    assert all(r.submission.user_id != r.reviewer_id for r in rows), "a self-review"
    assert len({(r.submission_id, r.reviewer_id) for r in rows}) == len(rows), "reviewed the same work twice"
    for learner, found in submissions.items():
        assert found.given == to_give and found.author_done, learner
        assert found.received == sum(1 for r in rows if r.submission_id == found.pk), learner  # F() kept every count
        assert found.received >= needed, f"{learner} got {found.received} of {needed} reviews"
    assert not ReviewSlot.objects.exclude(reviewer_id=None).exists()  # every lease was closed


@pytest.mark.django_db(transaction=True)
def test_an_expired_lease_returns_the_slot_to_the_queue():
    submit("ann", needed=1, to_give=1)
    held = hand_out("bob")
    assert held.submission.user_id == "ann"
    assert hand_out("cid") is None  # ann's only slot is leased to bob
    later = timezone.now() + timedelta(minutes=LEASE_MINUTES + 1)
    taken = hand_out("cid", now=later)
    assert taken.pk == held.pk and taken.lease_id != held.lease_id
    with pytest.raises(Exception) as refused:
        queue_store.leased_slot(BLOCK, held.lease_id, "bob", later)
    assert refused.value.status == 404  # bob's lease is gone: cid holds the slot now
    assert ReviewSlot.objects.get(pk=held.pk).reviewer_id == "cid"


@pytest.mark.django_db
def test_hand_out_is_three_queries_with_many_submissions():
    from django.test.utils import CaptureQueriesContext

    start = timezone.now() - timedelta(days=1)
    Submission.objects.bulk_create(
        Submission(course_id=COURSE, usage_id=BLOCK, user_id=f"peer-{i}", status="submitted",
                   submitted_at=start + timedelta(seconds=i), given=3, author_done=True)
        for i in range(5000))
    subs = list(Submission.objects.filter(usage_id=BLOCK).only("pk", "user_id", "submitted_at"))
    ReviewSlot.objects.bulk_create(
        ReviewSlot(submission=s, usage_id=BLOCK, author_id=s.user_id, tier=0, position=p,
                   submitted_at=s.submitted_at, available_at=s.submitted_at) for s in subs for p in range(3))
    for reviewer in ("r-1", "r-2"):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            slot = queue_store.hand_out(BLOCK, reviewer, timezone.now(), LEASE_MINUTES)
        statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) == 3, statements
    assert slot.submission.user_id == "peer-1" and slot.position == 0  # peer-0's first slot went to r-1


@pytest.mark.django_db(transaction=True)
def test_a_hand_out_locks_only_inside_a_transaction():
    """The candidate runs from SQL compiled once (queue_store._Prepared); like the queryset it
    comes from, its locking read refuses to run outside a transaction, where a lock would end
    with the statement."""
    submit("ann", needed=1, to_give=1)
    with transaction.atomic():  # compiled on this connection inside a transaction first
        assert hand_out("cid").submission.user_id == "ann"
    if connection.features.has_select_for_update_skip_locked:
        with pytest.raises(TransactionManagementError):
            queue_store.hand_out(BLOCK, "bob", timezone.now(), LEASE_MINUTES)
        assert not ReviewSlot.objects.filter(reviewer_id="bob").exists()
    else:  # SQLite: no row locks; the handler's transaction holds the write lock
        assert queue_store.hand_out(BLOCK, "bob", timezone.now(), LEASE_MINUTES) is None  # cid holds it


# Retirement --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_retirement_deletes_the_learners_work_and_anonymises_their_reviews():
    assert retirement.registered_retirements()["bizmooc_peer_review"] is privacy.retire_peer_review
    for learner in ("ann", "bob", "keep"):
        submit(learner, needed=2, to_give=1)
    finish("ann", hand_out("ann"), 2, 1)    # ann reviews bob
    finish("bob", hand_out("bob"), 2, 1)    # bob reviews ann
    held = hand_out("keep")
    TrainingAnswer.objects.create(course_id=COURSE, usage_id=BLOCK, reviewer_id="ann", example_index=0)

    deleted = retirement.retire_anonymous_ids(["ann"], user_id=3)

    assert deleted["bizmooc_peer_review"] > 0
    assert not Submission.objects.filter(user_id="ann").exists()
    assert not TrainingAnswer.objects.exists()
    given = Review.objects.get(submission__user_id="bob")
    assert (given.reviewer_id, given.comments, given.feedback, given.points) == (f"retired:{given.pk}", {}, "", 8)
    assert not ReviewSlot.objects.filter(author_id="ann").exists()
    # keep's lease stays, unless it was of ann's work (gone with it)
    assert ReviewSlot.objects.filter(reviewer_id="keep", lease_id=held.lease_id).exists() == \
        (held.submission.user_id != "ann")


@pytest.mark.django_db(transaction=True)
def test_retirement_deletes_uploaded_files_rows_and_bytes_once_committed():
    """A file's bytes leave the storage when the retirement commits, not before: a retirement
    rolled back keeps both row and bytes."""
    def uploaded(user_id):
        checked = files.check_file("slides.pdf", b"%PDF-1.4 x", files.Limits(files.KINDS, 1024, 3), 0)
        with transaction.atomic():
            return file_store.add(place(user_id), checked, b"%PDF-1.4 x", timezone.now())

    ann, keep = uploaded("ann"), uploaded("keep")
    storage = file_storage()
    with pytest.raises(RuntimeError), transaction.atomic():
        privacy.retire_peer_review(["ann"])
        raise RuntimeError("another component failed")
    assert SubmissionFile.objects.filter(user_id="ann").exists() and storage.exists(ann.storage_name)
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        privacy.retire_peer_review(["ann"])
    # 9: as before, and the files' names and their DELETE (the storage is no query)
    assert len([q for q in captured.captured_queries if f"{APP}_" in q["sql"]]) == 9
    assert not SubmissionFile.objects.filter(user_id="ann").exists() and not storage.exists(ann.storage_name)
    assert storage.exists(keep.storage_name)
    assert file_store.files_of(BLOCK, "keep") == [keep]


@pytest.mark.django_db
def test_retiring_two_reviewers_of_the_same_work_one_after_the_other():
    """Each retirement erases the reviewer's id; the second must not collide with the first."""
    work = submit("ann", needed=2, to_give=0)
    for reviewer in ("bob", "cid"):
        Review.objects.create(submission_id=work.pk, course_id=COURSE, usage_id=BLOCK, reviewer_id=reviewer,
                              kind="peer", points=8, comments={"c": f"by {reviewer}"}, feedback="Good")
    reviewed = Review.objects.filter(reviewer_id__in=["bob", "cid"]).values_list("submission_id", flat=True)
    assert set(reviewed) == {work.pk}

    assert retirement.retire_anonymous_ids(["bob"], user_id=7)["bizmooc_peer_review"] > 0
    assert retirement.retire_anonymous_ids(["cid"], user_id=8)["bizmooc_peer_review"] > 0

    kept = Review.objects.filter(submission_id=reviewed[0]).order_by("pk")
    assert [(r.reviewer_id, r.points) for r in kept] == [(f"retired:{r.pk}", 8) for r in kept]
    assert not Review.objects.filter(reviewer_id__in=["bob", "cid"]).exists()


# Reviews in progress and the reminders' steps: upserts on every backend -------------------------

def _own(queries):
    """The statements on peer review's tables (not the transaction's BEGIN and COMMIT)."""
    return [q["sql"] for q in queries.captured_queries if "bizmooc_peer_review_" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_review_draft_and_a_step_are_upserted_in_one_query_each():
    mine = place("drafter")
    for feedback in ("first", "second"):
        with CaptureQueriesContext(connection) as queries:
            review_store.save_review_draft(mine, "self", None, {"scores": {"ideas": "good"}, "comments": {},
                                                                "feedback": feedback})
        assert len(_own(queries)) == 1
    assert [d.feedback for d in ReviewDraft.objects.all()] == ["second"]
    review_store.drop_review_draft(BLOCK, "drafter", "self")
    assert not ReviewDraft.objects.exists()
    for to_give in (2, 3):
        with CaptureQueriesContext(connection) as queries:
            review_store.record_step(mine, "Week 3", to_give, None)
        assert len(_own(queries)) == 1
    assert list(ReviewStep.objects.values_list("usage_id", "reviews_to_give")) == [(BLOCK, 3)]


@pytest.mark.django_db(transaction=True)
def test_who_owes_reviews_is_one_query_on_every_backend():
    review_store.record_step(place("x"), "Week 3", 2, None)
    review_store.record_step(place("x", usage_id=BLOCK + "-closed"), "Closed", 2,
                             timezone.now() - timedelta(days=1))
    for user in ("ana", "ben"):
        submit(user, 1, 2)
    submit("late", 1, 2, usage_id=BLOCK + "-closed")
    Submission.objects.filter(user_id="ben").update(given=1)
    with CaptureQueriesContext(connection) as queries:
        owing = review_store.reviewers_owing(timezone.now())
    assert len(_own(queries)) == 1
    assert owing == [(COURSE, BLOCK, "Week 3", "ana", 2), (COURSE, BLOCK, "Week 3", "ben", 1)]
