"""Peer review's queries on submissions, reviews and training answers (the queue's are in
queue_store). Each function is a fixed number of queries whatever the size of the course.

Drafts are saved with a compare-and-set on `version` (a conditional UPDATE), as the canvas
does: a stale tab gets a 409 with the newer draft. Counters change with F() in one UPDATE
that touches both submissions of a finished review (the reviewed one and the reviewer's own)
in primary-key order, so two reviewers finishing each other's work cannot deadlock.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    PositiveIntegerField,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from xblocks.common.errors import _, conflict, not_found
from xblocks.common.upsert import upsert
from xblocks.common.versioned import save_versioned

from . import queue_store
from . import rubric as rubrics
from .models import (
    DRAFT,
    PEER,
    REMOVED,
    SELF,
    STAFF,
    SUBMITTED,
    Review,
    ReviewDraft,
    ReviewStep,
    RubricVersion,
    Submission,
    TrainingAnswer,
)


@dataclass(frozen=True)
class Place:
    course_id: str
    usage_id: str
    user_id: str


def submission_of(usage_id, user_id, lock=False):
    """The learner's submission in this block, or None (1 query); `lock`: row-locked until the
    transaction ends (the hand-out of a review runs so)."""
    rows = Submission.objects.filter(usage_id=usage_id, user_id=user_id)
    return (rows.select_for_update() if lock else rows).first()


def submission_by_pk(pk):
    """A submission by its primary key, or None (1 query)."""
    return Submission.objects.filter(pk=pk).first()


def submission_by_public_id(usage_id, public_id):
    found = Submission.objects.filter(usage_id=usage_id, public_id=public_id).first()
    if found is None:
        raise not_found(_("There is no such submission."))
    return found


def _stale(found):
    return conflict("version_conflict", _("Your draft was changed in another tab or on another device."),
                    details={"version": found.version, "text": found.text, "link": found.link})


def save(place, values, base_version, submit_at=None):
    """Store the draft written from `base_version` (or submit it with `submit_at`); the
    submission. Only a draft can change: a submitted work is refused (409)."""
    lookup = {"usage_id": place.usage_id, "user_id": place.user_id}
    status = {"status": SUBMITTED, "submitted_at": submit_at} if submit_at else {}
    found, saved = save_versioned(Submission, lookup, base_version,
                                  created={"course_id": place.course_id, **values, **status},
                                  changed={**values, **status}, only_if={"status": DRAFT})
    if not saved:
        if found is not None and found.status != DRAFT:
            raise conflict("already_submitted", _("You have already submitted your work."))
        if found is None:
            raise conflict("version_conflict", _("This draft no longer exists; reload the page."))
        raise _stale(found)
    return found


def submit_work(place, values, base_version, moment, reviews_needed, reviews_to_give, peer):
    """Submit the learner's work and, with the peer step, put it in the queue (2-4 queries)."""
    submission = save(place, values, base_version, submit_at=moment)
    if peer:
        queue_store.add_slots(submission, reviews_needed, author_done=submission.given >= reviews_to_give)
    return submission


def finish_peer_review(own, slot, reviewer_id, scored, reviews_to_give, reviews_needed, moment, rubric=None):
    """Store a finished peer review of the slot's submission, made with `rubric`, and count it
    (5-7 queries).

    The order is the lock order (MySQL/MariaDB): the counters first, one UPDATE that locks
    both submissions in primary-key order before any slot row (two reviewers finishing each
    other's work queue instead of deadlocking); then the queue index of the slots; the lease
    index last (see queue_store.release)."""
    count_peer_review(slot.submission_id, own.pk, reviews_to_give)
    queue_store.finish(slot, reviews_needed, moment)
    if not own.author_done and own.given + 1 >= reviews_to_give:
        queue_store.author_did_reviews(own.pk)
    review = record_review(slot.submission, reviewer_id, PEER, scored, rubric)
    queue_store.release(slot)
    own.given += 1
    own.author_done = own.author_done or own.given >= reviews_to_give
    return review


def reviews_of(submission):
    """Every review of a submission, oldest first, each with the rubric it was made with (1
    query: a join; a submission has a handful of reviews)."""
    if submission is None:
        return []
    return list(Review.objects.filter(submission=submission).select_related("rubric").order_by("created", "id"))


def rubric_version(rubric):
    """The stored version of `rubric` (untranslated), created if it is new; its key (1 query,
    whether or not it existed: an INSERT that ignores the row already there)."""
    digest = rubrics.digest(rubric)
    RubricVersion.objects.bulk_create([RubricVersion(digest=digest, rubric=rubric.as_json(),
                                                     scoring=rubrics.scoring_digest(rubric))], ignore_conflicts=True)
    return digest


def record_review(submission, reviewer_id, kind, scored, rubric=None):
    """Store a review made with `rubric` (2 queries with the rubric's version, 3 for a staff
    review given again: it replaces the earlier)."""
    values = {"scores": scored.scores, "criterion_points": scored.criterion_points, "comments": scored.comments,
              "feedback": scored.feedback, "points": scored.points,
              "rubric_id": rubric_version(rubric) if rubric is not None else None}
    if kind == STAFF:
        review, _created = Review.objects.update_or_create(
            submission=submission, reviewer_id=reviewer_id, kind=kind,
            defaults=dict(values, course_id=submission.course_id, usage_id=submission.usage_id))
        return review
    try:
        with transaction.atomic():
            return Review.objects.create(submission=submission, course_id=submission.course_id,
                                         usage_id=submission.usage_id, reviewer_id=reviewer_id, kind=kind, **values)
    except IntegrityError:
        raise conflict("already_reviewed", _("You have already reviewed this submission.")) from None


def count_peer_review(reviewed_id, own_id, reviews_to_give):
    """The reviewed work received one more review, the reviewer gave one more; both in one
    UPDATE (1 query)."""
    Submission.objects.filter(pk__in=sorted({reviewed_id, own_id})).update(
        received=Case(When(pk=reviewed_id, then=F("received") + 1), default=F("received"),
                      output_field=PositiveIntegerField()),
        given=Case(When(pk=own_id, then=F("given") + 1), default=F("given"), output_field=PositiveIntegerField()),
        author_done=Case(When(pk=own_id, given__gte=reviews_to_give - 1, then=Value(True)), default=F("author_done"),
                         output_field=BooleanField()),
    )


def mark(submission_id, **values):
    """Set flags or grade columns of one submission (1 query)."""
    Submission.objects.filter(pk=submission_id).update(**values)


def training_answers(usage_id, reviewer_id):
    """{example index: TrainingAnswer} of a learner (1 query)."""
    return {a.example_index: a for a in TrainingAnswer.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id)}


def passed_training(usage_id, reviewer_id):
    return TrainingAnswer.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id, passed=True).count()


def answer_training(place, index, scores, points, true_points, passed):
    """Record an attempt at a training example; a passed example stays passed (2 queries)."""
    answer, created = TrainingAnswer.objects.get_or_create(
        usage_id=place.usage_id, reviewer_id=place.user_id, example_index=index,
        defaults={"course_id": place.course_id, "scores": scores, "points": points, "true_points": true_points,
                  "passed": passed})
    if not created and not answer.passed:
        TrainingAnswer.objects.filter(pk=answer.pk).update(scores=scores, points=points, true_points=true_points,
                                                           passed=passed, attempts=F("attempts") + 1)
    return answer


def flag(usage_id, author_id, review_public_id, reason):
    """The author flags a review of their own work (2 queries); another's is not found."""
    review = Review.objects.filter(public_id=review_public_id, submission__usage_id=usage_id,
                                   submission__user_id=author_id).exclude(kind=SELF).first()
    if review is None:
        raise not_found(_("There is no such review of your work."))
    Review.objects.filter(pk=review.pk).update(flagged=True, flag_reason=reason)
    mark(review.submission_id, flagged=True)
    return review


# Calibration ---------------------------------------------------------------------------------

def neighbourhood(submission, reviewer_ids):
    """The peer reviews that tell how strict and consistent this submission's reviewers are:
    every review of a submission one of them reviewed (theirs and the others'), and their
    training answers. Bounded by reviews given and needed, not by the course (2 queries)."""
    theirs = Review.objects.filter(usage_id=submission.usage_id, reviewer_id__in=reviewer_ids, kind=PEER) \
        .values("submission_id")
    reviews = list(Review.objects.filter(usage_id=submission.usage_id, kind=PEER, submission_id__in=theirs)
                   .values_list("reviewer_id", "submission_id", "points"))
    training = list(TrainingAnswer.objects.filter(usage_id=submission.usage_id, reviewer_id__in=reviewer_ids)
                    .values_list("reviewer_id", "example_index", "points", "true_points"))
    return reviews, training


# Rubric changes and regrading ------------------------------------------------------------------

def learners_with_reviews(usage_id, rubric):
    """How many learners' works (not removed) have reviews made with this rubric, or one that
    scores as it does, or made before versions were stored (with the block's rubric) (1 query)."""
    made_with = Q(rubric__scoring=rubrics.scoring_digest(rubric)) | Q(rubric__isnull=True)
    return Review.objects.filter(made_with, usage_id=usage_id).exclude(submission__status=REMOVED) \
        .values("submission_id").distinct().count()


def pin_reviews(usage_id, rubric):
    """Reviews and grades stored before rubric versions existed were made with the block's rubric
    as it is now: say so, before it changes (3 queries)."""
    digest = rubric_version(rubric)
    Review.objects.filter(usage_id=usage_id, rubric__isnull=True).update(rubric_id=digest)
    Submission.objects.filter(usage_id=usage_id, grade_rubric__isnull=True).exclude(grade_points=None) \
        .update(grade_rubric_id=digest)
    return digest


def reviews_not_made_with(usage_id, digest):
    """Reviews of the block's submitted works made with another rubric than `digest`, with it (1
    query, batched)."""
    return Review.objects.filter(usage_id=usage_id, submission__status=SUBMITTED).exclude(rubric_id=digest) \
        .only("id", "submission_id", "scores").order_by("id").iterator(chunk_size=500)


def rescore_reviews(changes, digest):
    """Store re-scored reviews: `changes` is [(review id, criterion points, points)] (1 query per
    500 reviews)."""
    rows = [Review(pk=pk, criterion_points=points, points=total, rubric_id=digest) for pk, points, total in changes]
    Review.objects.bulk_update(rows, ["criterion_points", "points", "rubric"], batch_size=500)


def submissions_with_reviews(submission_ids):
    """[(submission, its reviews oldest first)] (2 queries per 500 submissions)."""
    result = []
    ids = sorted(submission_ids)
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        reviews = {}
        for found in Review.objects.filter(submission_id__in=batch).select_related("rubric").order_by("created", "id"):
            reviews.setdefault(found.submission_id, []).append(found)
        result += [(s, reviews.get(s.pk, [])) for s in Submission.objects.filter(pk__in=batch).order_by("pk")]
    return result


def passed_training_of(usage_id, user_ids):
    """{learner: training examples passed} (1 query)."""
    return dict(TrainingAnswer.objects.filter(usage_id=usage_id, reviewer_id__in=list(user_ids), passed=True)
                .values("reviewer_id").annotate(n=Count("pk")).values_list("reviewer_id", "n"))


def rubric_versions(usage_id):
    """{digest: rubric JSON} of every rubric the block's reviews were made with (1 query)."""
    used = Review.objects.filter(usage_id=usage_id).exclude(rubric=None).values("rubric_id")
    return dict(RubricVersion.objects.filter(digest__in=used).values_list("digest", "rubric"))


# Staff ---------------------------------------------------------------------------------------

def _waiting(usage_id, needed):
    return Q(usage_id=usage_id, status=SUBMITTED, received__lt=needed, grade_final=False)


def filtered(usage_id, which, needed, wait_action, wait_days, now, staff_step=False):
    """The block's submissions for a dashboard filter (a queryset, not run yet). With the
    staff step on, every submitted work without a final grade is for staff."""
    rows = Submission.objects.filter(usage_id=usage_id).exclude(status=DRAFT)
    if which == "waiting":
        rows = rows.filter(_waiting(usage_id, needed))
    elif which == "to_staff":
        overdue = _waiting(usage_id, needed) & Q(submitted_at__lte=now - timedelta(days=wait_days))
        if staff_step:
            rows = rows.filter(status=SUBMITTED, grade_final=False)
        else:
            late = overdue if wait_action == "staff" else Q(pk=None)
            rows = rows.filter(Q(to_staff=True, grade_final=False) | late)
    elif which == "flagged":
        rows = rows.filter(flagged=True)
    return rows


def dashboard(usage_id, needed, max_points, bands):
    """Counts for the summary, in one aggregate query. `bands`: [(low, high)] share of max."""
    waiting = _waiting(usage_id, needed)
    aggregates = {
        "submissions": Count("pk", filter=Q(status=SUBMITTED)),
        "waiting": Count("pk", filter=waiting),
        "oldest_wait": Min("submitted_at", filter=waiting),
        "reviews_outstanding": Sum(Greatest(Value(needed) - F("received"), Value(0)), filter=waiting,
                                   output_field=IntegerField()),
        "flagged": Count("pk", filter=Q(flagged=True)),
    }
    for n, (low, high) in enumerate(bands):
        aggregates[f"band{n}"] = Count("pk", filter=Q(grade_final=True, grade_points__gte=low * max_points)
                                       & (Q(grade_points__lt=high * max_points) if high < 1 else Q()))
    return Submission.objects.filter(usage_id=usage_id).aggregate(**aggregates)


def page(rows, offset, limit):
    return list(rows.order_by("submitted_at", "id").defer("text", "artefact_html", "artefact_data", "artefact_text")
                [offset:offset + limit])


def block_submissions(usage_id):
    return Submission.objects.filter(usage_id=usage_id).exclude(status=DRAFT).order_by("submitted_at", "id") \
        .iterator(chunk_size=200)


def block_reviews(usage_id):
    return Review.objects.filter(usage_id=usage_id).select_related("submission").order_by("submission_id", "id") \
        .iterator(chunk_size=200)


def remove(submission, reason):
    mark(submission.pk, status=REMOVED, removed_reason=reason, grade_final=False, score_points=None)


def reset(submission):
    """The learner may submit again: the work is a draft once more, its reviews and grade are
    gone, and so is the frozen copy of a submitted artefact; the reviews they gave still count
    (2 queries, with the queue's)."""
    Review.objects.filter(submission=submission).delete()  # one DELETE: no table references reviews
    mark(submission.pk, status=DRAFT, submitted_at=None, received=0, self_done=False, to_staff=False, flagged=False,
         removed_reason="", grade_points=None, grade_method="", grade_final=False, override_points=None,
         override_reason="", artefact_label="", artefact_html="", artefact_data={}, artefact_text="",
         score_points=None, version=F("version") + 1)


def submissions_for_learners(usage_id, user_ids):
    return {s.user_id: s for s in Submission.objects.filter(usage_id=usage_id, user_id__in=user_ids)}


# Reviews in progress ---------------------------------------------------------------------------

def review_drafts(usage_id, reviewer_id):
    """{kind: ReviewDraft} of a reviewer in a block (1 query)."""
    return {d.kind: d for d in ReviewDraft.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id)}


def save_review_draft(place, kind, lease_id, values):
    """Keep the review in progress of `kind` (peer: written under `lease_id`); one row per
    reviewer, block and kind, replaced by each save (1 query: an upsert)."""
    upsert(ReviewDraft(course_id=place.course_id, usage_id=place.usage_id, reviewer_id=place.user_id, kind=kind,
                        lease_id=lease_id, modified=timezone.now(), **values),
            ["usage_id", "reviewer_id", "kind"], ["lease_id", "scores", "comments", "feedback", "modified"])


def drop_review_draft(usage_id, reviewer_id, kind):
    """The review is saved: its draft goes (1 query)."""
    ReviewDraft.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id, kind=kind).delete()


# What the reviewer reminders read --------------------------------------------------------------

def record_step(place, name, reviews_to_give, peer_due):
    """The block's review step as the reminders need it, written at each submit (1 query: an upsert)."""
    upsert(ReviewStep(usage_id=place.usage_id, course_id=place.course_id, name=name[:255],
                       reviews_to_give=reviews_to_give, peer_due=peer_due),
            ["usage_id"], ["course_id", "name", "reviews_to_give", "peer_due"])


def reviewers_owing(now):
    """(course id, usage id, name, user id, reviews owed) of every learner who submitted to an
    open peer step and still owes reviews, block by block (1 query); the course as the step
    names it (notifications' Activity)."""
    steps = ReviewStep.objects.filter(usage_id=OuterRef("usage_id"))
    rows = (Submission.objects.filter(status=SUBMITTED, author_done=False)
            .annotate(to_give=Subquery(steps.values("reviews_to_give")[:1]),
                      due=Subquery(steps.values("peer_due")[:1]), name=Subquery(steps.values("name")[:1]))
            .filter(to_give__gt=F("given")).filter(Q(due__isnull=True) | Q(due__gt=now))
            .order_by("usage_id", "user_id")
            .annotate(step_course=Subquery(steps.values("course_id")[:1]))
            .values_list("step_course", "usage_id", "name", "user_id", "to_give", "given"))
    return [(course, usage, name, user, to_give - given) for course, usage, name, user, to_give, given in rows]
