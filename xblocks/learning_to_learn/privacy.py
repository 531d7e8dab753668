"""What the journal and the self-assessment do for a learner's privacy: delete a retired
learner's rows, and gather everything stored about one learner in a course for "Download
my data". Registered with `xblocks.common.retirement` by the app's `ready()`.

Retirement deletes with one DELETE per table, whatever the number of rows, and sends no
model signals (no receiver needs them): the child rows (revisions, ratings) go first, so
the parents have nothing left to cascade to. The exports take two queries each.
"""
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone

from . import assessment
from .assessment_store import cohort_cache_key
from .models import (
    AssessmentDraft,
    AssessmentResponse,
    CompetenceRating,
    JournalEntry,
    JournalFeedback,
    JournalRevision,
)


def _delete(queryset):
    """Delete the rows of a table no other table references; the number deleted. Django's
    `QuerySet.delete()` does it in one DELETE (and would cascade to a table that comes to
    reference it)."""
    return queryset.delete()[0]


def _delete_learners(model, anonymous_ids):
    """Delete the learners' rows of a table others reference, once those rows are gone: one
    DELETE, where `delete()` would read the rows and delete them 100 at a time. A table that
    comes to reference it fails the database's foreign-key check and
    tests/common/test_retirement_internals.py, not silently."""
    table, ids = model._meta.db_table, list(anonymous_ids)  # pylint: disable=protected-access
    if not ids:
        return 0
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE user_id IN ({', '.join(['%s'] * len(ids))})", ids)
        return cursor.rowcount


def _iso(moment):
    return moment.isoformat() if moment else None


# Retirement ---------------------------------------------------------------------------

def retire_journal(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete every journal entry, revision and staff comment on them of these learners, in every
    course, and take their name off the comments they wrote as course staff (4 queries).

    A retired staff member's comments stay, with no author: they were written to the learner,
    are part of that learner's journal (and of their "Download my data"), and the learner was
    only ever shown "the course team", never who. What is personal to the staff member, the
    link to them, goes."""
    ids = list(anonymous_ids)
    if not ids:
        return 0
    feedback = _delete(JournalFeedback.objects.filter(entry__user_id__in=ids))
    authored = JournalFeedback.objects.filter(author_id__in=ids).update(author_id="")
    revisions = _delete(JournalRevision.objects.filter(entry__user_id__in=ids))
    entries = _delete_learners(JournalEntry, ids)
    return entries + revisions + feedback + authored


def retire_self_assessment(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete these learners' responses, ratings and drafts, in every course (4 queries).

    Distributions, phase counts and paired changes are computed by the database on each
    request; the cached cohort averages of the phases they answered are dropped, so the
    next learner's profile no longer counts them."""
    answered = set(AssessmentResponse.objects.filter(user_id__in=anonymous_ids)
                   .values_list("course_id", "group_name", "phase").distinct())
    ratings = _delete(CompetenceRating.objects.filter(user_id__in=anonymous_ids))
    responses = _delete_learners(AssessmentResponse, anonymous_ids)
    drafts = _delete(AssessmentDraft.objects.filter(user_id__in=anonymous_ids))
    cache.delete_many([cohort_cache_key(*scope) for scope in answered])
    return responses + ratings + drafts


# Download my data ---------------------------------------------------------------------

def _envelope(component, course_id, user_id):
    return {"component": component, "course_id": course_id, "learner": user_id,
            "exported_at": timezone.now().isoformat()}


def journal_data(course_id, user_id):
    """Every journal entry of the learner in the course, with every revision and the course
    staff's comments on it (3 queries)."""
    entries = (JournalEntry.objects.filter(course_id=course_id, user_id=user_id)
               .order_by("journal_name", "position", "prompt_index").prefetch_related("revisions", "feedback"))
    journals = {}
    for entry in entries:
        journals.setdefault(entry.journal_name, []).append({
            "block": entry.usage_id,
            "unit_title": entry.unit_title,
            "prompt_index": entry.prompt_index,
            "prompt": entry.prompt_text,
            "draft": entry.draft,
            "draft_version": entry.version,
            "submitted_text": entry.submitted_text,
            "first_submitted_at": _iso(entry.first_submitted_at),
            "submitted_at": _iso(entry.submitted_at),
            "revision_count": entry.revision_count,
            "created": _iso(entry.created),
            "modified": _iso(entry.modified),
            "revisions": [{"number": r.number, "text": r.text, "submitted_at": _iso(r.submitted_at)}
                          for r in entry.revisions.all()],
            "feedback": [{"from": "course team", "text": f.text, "created": _iso(f.created),
                          "modified": _iso(f.modified)} for f in entry.feedback.all()],
        })
    data = _envelope("bizmooc_reflection_journal", course_id, user_id)
    data["journals"] = [{"journal_name": name, "entries": items} for name, items in journals.items()]
    return data


def self_assessment_data(course_id, user_id):
    """Every self-assessment answer of the learner in the course, all groups and phases,
    with ratings and evidence, and the drafts not submitted yet (3 queries)."""
    responses = (AssessmentResponse.objects.filter(course_id=course_id, user_id=user_id)
                 .prefetch_related("ratings"))
    order = {phase: index for index, phase in enumerate(assessment.PHASES)}
    data = _envelope("bizmooc_self_assessment", course_id, user_id)
    data["responses"] = [{
        "group_name": response.group_name,
        "phase": response.phase,
        "block": response.usage_id,
        "framework": response.framework_id,
        "submitted_at": _iso(response.submitted_at),
        "revision_count": response.revision_count,
        # level null: "I can't judge yet"
        "ratings": {rating.competence_id: rating.level
                    for rating in sorted(response.ratings.all(), key=lambda r: r.competence_id)},
        "evidence": response.evidence,
    } for response in sorted(responses, key=lambda r: (r.group_name, order.get(r.phase, len(order))))]
    drafts = AssessmentDraft.objects.filter(course_id=course_id, user_id=user_id)
    data["drafts"] = [{
        "group_name": draft.group_name,
        "phase": draft.phase,
        "block": draft.usage_id,
        "version": draft.version,
        "modified": _iso(draft.modified),
        "ratings": dict(sorted(draft.ratings.items())),
        "evidence": draft.evidence,
    } for draft in sorted(drafts, key=lambda d: (d.group_name, order.get(d.phase, len(order))))]
    return data
