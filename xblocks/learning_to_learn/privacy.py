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
from .models import AssessmentResponse, CompetenceRating, JournalEntry, JournalRevision


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
    """Delete every journal entry and revision of these learners, in every course (2 queries)."""
    revisions = _delete(JournalRevision.objects.filter(entry__user_id__in=anonymous_ids))
    entries = _delete_learners(JournalEntry, anonymous_ids)
    return entries + revisions


def retire_self_assessment(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete these learners' responses and ratings, in every course (3 queries).

    Distributions, phase counts and paired changes are computed by the database on each
    request; the cached cohort averages of the phases they answered are dropped, so the
    next learner's profile no longer counts them."""
    answered = set(AssessmentResponse.objects.filter(user_id__in=anonymous_ids)
                   .values_list("course_id", "group_name", "phase").distinct())
    ratings = _delete(CompetenceRating.objects.filter(user_id__in=anonymous_ids))
    responses = _delete_learners(AssessmentResponse, anonymous_ids)
    cache.delete_many([cohort_cache_key(*scope) for scope in answered])
    return responses + ratings


# Download my data ---------------------------------------------------------------------

def _envelope(component, course_id, user_id):
    return {"component": component, "course_id": course_id, "learner": user_id,
            "exported_at": timezone.now().isoformat()}


def journal_data(course_id, user_id):
    """Every journal entry of the learner in the course, with every revision (2 queries)."""
    entries = (JournalEntry.objects.filter(course_id=course_id, user_id=user_id)
               .order_by("journal_name", "position", "prompt_index").prefetch_related("revisions"))
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
        })
    data = _envelope("bizmooc_reflection_journal", course_id, user_id)
    data["journals"] = [{"journal_name": name, "entries": items} for name, items in journals.items()]
    return data


def self_assessment_data(course_id, user_id):
    """Every self-assessment answer of the learner in the course, all groups and phases,
    with ratings and evidence (2 queries)."""
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
    return data
