"""A constant number of database queries per view and handler, whatever the number of
submissions in the block (DESIGN.md's budget): each action is measured on a block with 1
and with 200 other submissions (and their queue slots and reviews). Handing out a
submission is at most 3 queries on the queue tables."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.peer_review.peer_helpers import GOOD, get, next_review, peer_xml, review, submit
from tests.queries import count_queries, statements_of
from xblocks.peer_review import allocation, queue_store
from xblocks.peer_review.models import Review, ReviewSlot, Submission

OWN_TABLES = ("bizmooc_peer_review_",)

BUDGET = {
    "hand_out": 3,              # the reviewer's slot, the candidate (locked), the lease
    "next_review": 4,           # + the learner's submission (row-locked: one hand-out at a time)
    # submission, lease, counters, slot, the rubric's version (INSERT ... IGNORE: reviews keep the
    # rubric they were made with), review, lease end, the reviewed work and its reviews (its grade
    # may now be final: gradebook.settle), the review's draft (DELETE), STATE's reviews + lease.
    # A review that completes the reviewed learner's grade writes its grade columns: one UPDATE more
    # (test_the_review_that_completes_...; the benchmark seeds both sizes so that its reviews do).
    # Notifications (reviews_received, grade_ready) are 2 queries each on the notifications' tables.
    "submit_review": 12,
    "state": 3,                 # submission, its reviews, the learner's lease
    "student_view": 3,
    "staff_dashboard": 3,       # the summary aggregate, the count, one page
    "export_csv": 1,
    "generate_report_data": 1,
}


def add_graded_peers(usage_id, others, given, points):
    """`others` learners' submissions, already graded, next to learner_a's; returns them."""
    mine = Submission.objects.get(usage_id=usage_id, user_id=LEARNER_A)
    moment = timezone.now() - timedelta(hours=1)
    Submission.objects.bulk_create(
        Submission(course_id=mine.course_id, usage_id=usage_id, user_id=f"peer-{i}", status="submitted",
                   text=f"Essay {i}", version=1, submitted_at=moment + timedelta(seconds=i), received=1, given=given,
                   author_done=True, grade_points=points, grade_final=True, grade_method="median")
        for i in range(others))
    return list(Submission.objects.filter(usage_id=usage_id, user_id__startswith="peer-"))


def populate(wb, others):
    """A block where learner_a submitted and `others` other learners submitted and each got one
    review from someone; learner_b submitted too, so learner_a has something to review."""
    usage_id = wb.load(peer_xml(reviews_to_give=3, reviews_needed=3))
    assert submit(wb, usage_id, LEARNER_A).status == 200
    assert submit(wb, usage_id, LEARNER_B).status == 200
    subs = add_graded_peers(usage_id, others, given=3, points=5)
    ReviewSlot.objects.bulk_create(
        ReviewSlot(submission=s, usage_id=usage_id, author_id=s.user_id, tier=tier, position=position,
                   submitted_at=s.submitted_at, available_at=s.submitted_at)
        for s in subs for tier, position in [(2, 3), (0, 1), (0, 2)])
    Review.objects.bulk_create(
        Review(submission=s, course_id=s.course_id, usage_id=usage_id, reviewer_id=f"peer-{(n + 1) % others}",
               kind="peer", scores=GOOD, criterion_points={"ideas": 3, "evidence": 3, "organisation": 2}, points=8)
        for n, s in enumerate(subs))
    return usage_id


def _hand_out(wb, usage_id):
    return queue_store.hand_out(usage_id, LEARNER_A, timezone.now(), 60)


def _report(wb, usage_id):
    states = [SimpleNamespace(username=u, state={"learner_id": u}) for u in [LEARNER_A, LEARNER_B]]
    return list(wb.block(usage_id, STAFF).generate_report_data(iter(states)))


ACTIONS = {
    "hand_out": _hand_out,
    "next_review": lambda wb, uid: wb.call(uid, "next_review", {}),
    "state": lambda wb, uid: get(wb, uid, "state"),
    "student_view": lambda wb, uid: wb.render(uid),
    "staff_dashboard": lambda wb, uid: get(wb, uid, "staff_dashboard", user=STAFF, query="filter=waiting"),
    "export_csv": lambda wb, uid: get(wb, uid, "export_csv", user=STAFF, query="what=grades"),
    "generate_report_data": _report,
}


def measure(wb, name, usage_id):
    if name == "submit_review":  # the lease is taken first: only the review itself is measured
        lease = next_review(wb, usage_id, LEARNER_A)
        return count_queries(lambda: review(wb, usage_id, LEARNER_A, lease["id"], GOOD), OWN_TABLES)
    return count_queries(lambda: ACTIONS[name](wb, usage_id), OWN_TABLES)


@pytest.mark.parametrize("name", list(BUDGET))
def test_queries_do_not_grow_with_submissions(wb, name):
    measure(wb, name, populate(wb, 1))  # first-use caches are not what we measure
    small_total, small_own, _ = measure(wb, name, populate(wb, 1))
    large_total, large_own, large = measure(wb, name, populate(wb, 200))
    assert large_own == small_own, f"{name}: peer review queries grow with submissions"
    assert large_total == small_total, f"{name}: queries grow with submissions"
    assert small_own <= BUDGET[name], f"{name}: {small_own} queries, budget {BUDGET[name]}"
    if name == "hand_out":
        # Authors who did their reviews first (tier 0), fewest reviews, oldest: peer-0's second review,
        # before learner_b's first (learner_b owes reviews).
        assert (large.submission.user_id, large.tier, large.position) == ("peer-0", allocation.TIER_AUTHOR_DONE, 1)
    if name == "staff_dashboard":
        assert large.json["total"] == 2 and large.json["summary"]["submissions"] == 202
    if name == "export_csv":
        assert large.text.count("\n") == 1 + 202


def test_the_hand_out_query_walks_the_queue_index(wb):
    """The candidate query's plan uses the queue index for its ORDER BY (no sort of the block)."""
    usage_id = populate(wb, 50)
    query = queue_store._candidates(usage_id, LEARNER_A, timezone.now())  # pylint: disable=protected-access
    plan = query.explain()
    assert "bizmooc_peer_queue" in plan
    assert "TEMP B-TREE" not in plan.upper()


def _values(obj, *extra):
    return [getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields] + [getattr(obj, name)
                                                                                         for name in extra]


def test_the_compiled_hand_out_queries_give_what_their_querysets_give(wb):
    """The reviewer's slot and the candidate run from SQL compiled once per connection
    (queue_store._Prepared): for every reviewer and moment, the same rows as the querysets."""
    usage_id = populate(wb, 20)
    now = timezone.now()
    with transaction.atomic():
        leased = queue_store.hand_out(usage_id, "peer-3", now, 60)
    work = [f"work_{name}" for name in queue_store.WORK_FIELDS]
    seen = set()
    for reviewer in (LEARNER_A, LEARNER_B, "peer-0", "peer-3", "nobody"):
        for moment in (now, now + timedelta(hours=2)):  # peer-3's lease running, then run out
            with transaction.atomic():
                compiled = queue_store._first_candidate.first(  # pylint: disable=protected-access
                    usage_id=usage_id, reviewer_id=reviewer, now=moment)
                expected = queue_store._candidates(usage_id, reviewer, moment).first()  # pylint: disable=protected-access
            assert _values(compiled, *work) == _values(expected, *work)
            seen.add(compiled.pk)
            held = queue_store.held_slot(usage_id, reviewer)
            expected = ReviewSlot.objects.select_related("submission").filter(
                usage_id=usage_id, reviewer_id=reviewer).first()
            assert (held and (_values(held), _values(held.submission))) == \
                (expected and (_values(expected), _values(expected.submission)))
    assert leased.pk in seen and len(seen) > 1
    assert queue_store.held_slot(usage_id, "peer-3").lease_id == leased.lease_id
    with transaction.atomic():
        assert queue_store.hand_out("block-v1:no+such+block", LEARNER_A, now, 60) is None


def _completing_review(wb, others):
    """A block (1 review to give, 1 needed) where learner_b did their review and learner_a's
    review of learner_b's work completes learner_b's grade, among `others` graded submissions:
    the queries of that review on the block's own tables."""
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1))
    assert submit(wb, usage_id, LEARNER_A).status == 200
    assert submit(wb, usage_id, LEARNER_B).status == 200
    b_lease = next_review(wb, usage_id, LEARNER_B)
    assert review(wb, usage_id, LEARNER_B, b_lease["id"], GOOD).status == 200
    ReviewSlot.objects.bulk_create(
        ReviewSlot(submission=s, usage_id=usage_id, author_id=s.user_id, tier=2, position=1,
                   submitted_at=s.submitted_at, available_at=s.submitted_at)
        for s in add_graded_peers(usage_id, others, given=1, points=8))
    lease = next_review(wb, usage_id, LEARNER_A)
    statements, result = statements_of(lambda: review(wb, usage_id, LEARNER_A, lease["id"], GOOD))
    assert result.status == 200, result.text
    assert Submission.objects.get(usage_id=usage_id, user_id=LEARNER_B).score_points == 8
    return sum(1 for sql in statements if OWN_TABLES[0] in sql)


def test_the_review_that_completes_two_grades_sets_them_in_a_constant_number_of_queries(wb, lms_grades):
    """Learner_a's review completes learner_b's grade (their last review needed) and learner_a's own
    (their last review owed): both are stored, and learner_b's is sent to the LMS's gradebook, in
    that request and whatever the size of the block."""
    _completing_review(wb, 1)  # first-use caches
    small = _completing_review(wb, 1)
    large = _completing_review(wb, 200)
    assert small == large
    assert small <= BUDGET["submit_review"] + 2, small   # + the grade columns of both submissions
    assert [sent[0] for sent in lms_grades] == [LEARNER_B] * 3
