"""The self-assessment's queries. Each function does a fixed number of queries, whatever
the number of learners: cohort figures are aggregated by the database (GROUP BY
competence on indexed rating rows) and cohort averages are cached until the next answer
in that phase invalidates them.
"""
import hashlib

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from xblocks.common.config import get_setting
from xblocks.common.errors import _, conflict
from xblocks.common.versioned import save_versioned

from .assessment import PHASES
from .models import AssessmentDraft, AssessmentResponse, CompetenceRating


def cohort_cache_key(course_id, group_name, phase):
    digest = hashlib.sha1(f"{course_id}\n{group_name}\n{phase}".encode("utf-8")).hexdigest()
    return f"bizmooc:cohort:{digest}"


def learner_responses(course_id, group_name, user_id):
    """{phase: (response, {competence_id: level})} for one learner's group (2 queries).

    The phases are named so that the database finds the rows through the whole
    (course, group, phase, learner) unique index: without them it reads every answer of
    the group (all learners) to find this learner's."""
    responses = AssessmentResponse.objects.filter(
        course_id=course_id, group_name=group_name, phase__in=PHASES, user_id=user_id
    ).prefetch_related("ratings")
    return {r.phase: (r, {rating.competence_id: rating.level for rating in r.ratings.all()}) for r in responses}


def save_response(place, framework_id, ratings, evidence, existing):
    """Create or replace the learner's answer for this phase (a constant number of queries).

    `existing` is the learner's current response for the phase or None; the caller has
    already decided that revising is allowed. A first answer that loses a race with
    another request for the same learner and phase is refused with a 409.
    """
    now = timezone.now()
    if existing is None:
        try:
            with transaction.atomic():
                response = AssessmentResponse.objects.create(
                    course_id=place["course_id"], group_name=place["group_name"], phase=place["phase"],
                    user_id=place["user_id"], usage_id=place["usage_id"], framework_id=framework_id,
                    evidence=evidence, submitted_at=now,
                )
        except IntegrityError:
            # Another tab or device saved this learner's first answer a moment ago.
            raise conflict("already_answered", _("Your answers were just saved from another tab or device. "
                                                 "Reload the page to see them.")) from None
    else:
        AssessmentResponse.objects.filter(pk=existing.pk).update(
            framework_id=framework_id, evidence=evidence, submitted_at=now, usage_id=place["usage_id"],
            revision_count=F("revision_count") + 1,
        )
        CompetenceRating.objects.filter(response_id=existing.pk).delete()
        response = existing
    CompetenceRating.objects.bulk_create([
        CompetenceRating(response_id=response.pk, course_id=place["course_id"], group_name=place["group_name"],
                         phase=place["phase"], user_id=place["user_id"], competence_id=cid, level=level)
        for cid, level in ratings.items()
    ])
    cache.delete(cohort_cache_key(place["course_id"], place["group_name"], place["phase"]))
    AssessmentDraft.objects.filter(**_draft_lookup(place)).delete()  # answered: the draft is done
    return response


# Drafts -------------------------------------------------------------------------------

def _draft_lookup(place):
    return {key: place[key] for key in ("course_id", "group_name", "phase", "user_id")}


def learner_draft(place):
    """The learner's draft for the phase, or None (1 query, on the unique index)."""
    return AssessmentDraft.objects.filter(**_draft_lookup(place)).first()


def _draft_conflict(draft):
    return conflict("already_answered",
                    _("Your answers were just saved from another tab or device. Reload the page to see them."),
                    details={"version": draft.version, "ratings": draft.ratings, "evidence": draft.evidence})


def save_draft(place, ratings, evidence, base_version):
    """Store a draft saved from `base_version` (common/versioned.py); the draft with its new
    version (2 queries).

    Refused with 409 (and the newer draft) when another tab or device saved since."""
    values = {"usage_id": place["usage_id"], "ratings": ratings, "evidence": evidence}
    draft, saved = save_versioned(AssessmentDraft, _draft_lookup(place), base_version, created=values, changed=values)
    if not saved:
        if draft is None:  # submitted from elsewhere meanwhile: nothing to save into
            raise conflict("already_answered", _("Your answers were just saved from another tab or device. "
                                                 "Reload the page to see them."))
        raise _draft_conflict(draft)
    return draft


def cohort(course_id, group_name, phase):
    """{"learners": n, "averages": {competence_id: mean level}} for a phase; cached.

    Two aggregate queries on a cache miss, none on a hit.
    """
    key = cohort_cache_key(course_id, group_name, phase)
    figures = cache.get(key)
    if figures is None:
        scope = {"course_id": course_id, "group_name": group_name, "phase": phase}
        learners = AssessmentResponse.objects.filter(**scope).count()
        rows = CompetenceRating.objects.filter(**scope, level__isnull=False).values("competence_id").annotate(
            average=Avg("level"))
        figures = {"learners": learners, "averages": {row["competence_id"]: float(row["average"]) for row in rows}}
        cache.set(key, figures, get_setting("COHORT_CACHE_SECONDS"))
    return figures


def distribution(course_id, group_name, phase):
    """{competence_id: {level or None: count}} for a phase (1 query)."""
    rows = CompetenceRating.objects.filter(course_id=course_id, group_name=group_name, phase=phase).values(
        "competence_id", "level").annotate(count=Count("id"))
    result = {}
    for row in rows:
        result.setdefault(row["competence_id"], {})[row["level"]] = row["count"]
    return result


def phase_counts(course_id, group_name):
    """{phase: number of learners who answered} (1 query)."""
    rows = AssessmentResponse.objects.filter(course_id=course_id, group_name=group_name).values("phase").annotate(
        count=Count("id"))
    return {row["phase"]: row["count"] for row in rows}


def paired_change(course_id, group_name, first, last):
    """{competence_id: (mean change, learners)} over learners who rated it in both phases (1 query).

    The later rating is fetched by a correlated subquery on the (course, group, learner,
    competence) index, so the database pairs the rows; nothing is loaded per learner.
    """
    later = CompetenceRating.objects.filter(
        course_id=course_id, group_name=group_name, phase=last, user_id=OuterRef("user_id"),
        competence_id=OuterRef("competence_id"), level__isnull=False,
    ).values("level")[:1]
    rows = (CompetenceRating.objects.filter(course_id=course_id, group_name=group_name, phase=first,
                                            level__isnull=False)
            .annotate(later=Subquery(later)).filter(later__isnull=False)
            .values("competence_id").annotate(change=Avg(F("later") - F("level")), learners=Count("id")))
    return {row["competence_id"]: (float(row["change"]), row["learners"]) for row in rows}


def responses_for_export(course_id, group_name):
    """Every response of a group with its ratings, in a stable order (2 queries per 500)."""
    return AssessmentResponse.objects.filter(course_id=course_id, group_name=group_name).order_by(
        "phase", "user_id").prefetch_related("ratings").iterator(chunk_size=500)


def responses_for_learners(course_id, group_name, phase, user_ids):
    """{user_id: (response, ratings)} for a batch of learners (2 queries)."""
    responses = AssessmentResponse.objects.filter(
        course_id=course_id, group_name=group_name, phase=phase, user_id__in=user_ids).prefetch_related("ratings")
    return {r.user_id: (r, {x.competence_id: x.level for x in r.ratings.all()}) for r in responses}


def block_figures(usage_id):
    return AssessmentResponse.objects.filter(usage_id=usage_id).aggregate(
        learners=Count("id"), revised=Count("id", filter=Q(revision_count__gt=1)))
