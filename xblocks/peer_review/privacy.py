"""A retired learner's peer review data, and "Download my data".

Retirement deletes the learner's submissions (with their slots and the reviews they
received), training answers, reviews in progress and uploaded files (their rows, and their
bytes in the storage once the retirement commits: file_store.retire). The reviews they gave
are part of other learners' grades: their points stay, but the reviewer id, comments and
feedback are erased, so nothing they wrote and nothing that points to them remains. Slots
they held go back to the queue.

A review's reviewer is unique per (submission, kind), so the erased id must differ from one
review to the next, or retiring the second reviewer of one work would break that constraint
(and the platform's retirement would fail on every retry): it becomes "retired:<review id>",
which names the row, not the person.
"""
from django.db import connections, router
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from . import file_store
from .models import Review, ReviewDraft, ReviewSlot, Submission, TrainingAnswer
from .queue_store import release_reviewers

RETIRED_PREFIX = "retired:"


def _delete(queryset):
    """Rows no other table references: one DELETE (`QuerySet.delete()`); how many."""
    return queryset.delete()[0]


def _delete_submissions(anonymous_ids):
    """The learners' submissions, their slots and reviews gone: one DELETE, where `delete()`
    reads them and deletes 100 at a time (a table that comes to reference them fails the
    foreign-key check and tests/common/test_retirement_internals.py)."""
    ids = list(anonymous_ids)
    if not ids:
        return 0
    with connections[router.db_for_write(Submission)].cursor() as cursor:
        cursor.execute(f"DELETE FROM {Submission._meta.db_table} WHERE user_id IN "  # pylint: disable=protected-access
                       f"({', '.join(['%s'] * len(ids))})", ids)
        return cursor.rowcount


def retire_peer_review(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete or anonymise everything of these learners, in every course (9 queries)."""
    own = Submission.objects.filter(user_id__in=anonymous_ids).values("pk")
    deleted = _delete(ReviewSlot.objects.filter(submission_id__in=own))
    deleted += _delete(Review.objects.filter(submission_id__in=own))
    deleted += _delete_submissions(anonymous_ids)
    deleted += _delete(TrainingAnswer.objects.filter(reviewer_id__in=anonymous_ids))
    deleted += _delete(ReviewDraft.objects.filter(reviewer_id__in=anonymous_ids))
    deleted += file_store.retire(anonymous_ids)
    release_reviewers(anonymous_ids)
    deleted += Review.objects.filter(reviewer_id__in=anonymous_ids).update(
        reviewer_id=Concat(Value(RETIRED_PREFIX), Cast("pk", CharField())),
        comments={}, feedback="", flag_reason="")
    return deleted


def _iso(moment):
    return moment.isoformat() if moment else None


def peer_review_data(course_id, user_id):
    """What is stored about the learner in the course's peer reviews (5 queries). The
    reviews they received come without their reviewers; their files are listed (name, size,
    type, when), downloadable on the page they were uploaded on."""
    submissions = list(Submission.objects.filter(course_id=course_id, user_id=user_id).prefetch_related("reviews"))
    given = Review.objects.filter(course_id=course_id, reviewer_id=user_id)
    return {
        "submissions": [{
            "block": s.usage_id, "status": s.status, "text": s.text, "link": s.link,
            "artefact": {"kind": s.artefact_kind, "id": s.artefact_id, "label": s.artefact_label,
                         "text": s.artefact_text, "snapshot": s.artefact_data,
                         "html": s.artefact_html} if s.artefact_id else None,
            "removed_reason": s.removed_reason,
            "submitted_at": _iso(s.submitted_at), "grade": s.grade_points, "grade_method": s.grade_method,
            "reviews_received": [{"kind": r.kind, "scores": r.scores, "comments": r.comments, "feedback": r.feedback,
                                  "points": r.points, "flagged": r.flagged} for r in s.reviews.all()],
        } for s in submissions],
        "reviews_given": [{"block": r.usage_id, "kind": r.kind, "scores": r.scores, "comments": r.comments,
                           "feedback": r.feedback, "points": r.points, "created": _iso(r.created)} for r in given],
        "training_answers": [{"block": a.usage_id, "example": a.example_index, "scores": a.scores, "passed": a.passed,
                              "attempts": a.attempts}
                             for a in TrainingAnswer.objects.filter(course_id=course_id, reviewer_id=user_id)],
        "files": [{"block": f.usage_id, "file": str(f.public_id), "name": f.name, "size": f.size,
                   "content_type": f.content_type, "uploaded_at": _iso(f.uploaded_at)}
                  for f in file_store.files_of_learner(course_id, user_id)],
        "reviews_in_progress": [{"block": d.usage_id, "kind": d.kind, "scores": d.scores, "comments": d.comments,
                                 "feedback": d.feedback, "saved": _iso(d.modified)}
                                for d in ReviewDraft.objects.filter(course_id=course_id, reviewer_id=user_id)],
    }
