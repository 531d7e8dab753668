"""The peer queue's queries: handing out a submission to review under a lease, and
finishing, renewing or dropping slots. The order is allocation.py's; here it runs as

    SELECT slot.*, (the work's columns) FROM slot WHERE usage_id = ? AND available_at <= now
      AND author_id <> me AND submission_id NOT IN (my finished peer reviews)
    ORDER BY tier, position, submitted_at, id LIMIT 1 FOR UPDATE SKIP LOCKED

which walks the `bizmooc_peer_queue` index in order and stops at the first row it may take:
it reads past at most the slots leased right now (in the index alone: `available_at` is its
last column), the reviewer's own and the ones they reviewed, never the rest of the course.
On MySQL/MariaDB `SKIP LOCKED` lets concurrent reviewers pass over each other's rows instead
of queueing or taking the same one; on SQLite the handler's IMMEDIATE transaction holds the
write lock, so hand-outs run one at a time.

A hand-out is at most 3 queries: the reviewer's current slot, the candidate, the lease.

Django took longer to build and compile the candidate query (six subqueries) than the
database takes to run it, so the candidate runs as the SQL above, written out once
(`_CandidateQuery`) and read into a slot with `Manager.raw()`; `_candidates` is the same
query as a queryset, which the tests hold the SQL to.
"""
import functools
import uuid

from django.db import connections, router, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.transaction import TransactionManagementError

from xblocks.common.errors import _, conflict, not_found

from . import allocation
from .models import PEER, Review, ReviewSlot, Submission


def held_slot(usage_id, reviewer_id):
    """The slot the reviewer holds or last held in this block, with its submission (1 query)."""
    return ReviewSlot.objects.select_related("submission").filter(
        usage_id=usage_id, reviewer_id=reviewer_id).order_by("pk").first()


# The work's columns come through scalar subqueries, not a join: a locking read locks the rows
# of the tables it joins, but not those its subqueries read, so a hand-out locks one slot row
# and never the submission (which a finishing review may be updating at the same moment).
WORK_FIELDS = ("public_id", "text", "link", "artefact_kind", "artefact_id", "artefact_html", "artefact_data")


def _locking_alias():
    """The database a locking read of the queue runs on, and whether it may skip locked rows
    there (MySQL 8, MariaDB 10.6+; not SQLite, which has no row locks)."""
    alias = router.db_for_write(ReviewSlot)
    return alias, connections[alias].features.has_select_for_update_skip_locked


def _candidates(usage_id, reviewer_id, now):
    reviewed = Review.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id, kind=PEER).values("submission_id")
    work = Submission.objects.filter(pk=OuterRef("submission_id"))
    alias, skip_locked = _locking_alias()
    query = (ReviewSlot.objects.using(alias)
             .annotate(**{f"work_{name}": Subquery(work.values(name)[:1]) for name in WORK_FIELDS})
             .filter(usage_id=usage_id, available_at__lte=now)
             .exclude(author_id=reviewer_id).exclude(submission_id__in=reviewed)
             .order_by("tier", "position", "submitted_at", "id"))
    if skip_locked:
        query = query.select_for_update(skip_locked=True)
    return query


def _field(model, name):
    return model._meta.get_field(name)  # pylint: disable=protected-access


def _table(model):
    return model._meta.db_table  # pylint: disable=protected-access


class _CandidateQuery:
    """`_candidates(...)[:1]` written out as SQL, run with `ReviewSlot.objects.raw()` (which
    gives the slot's own fields their Python types); the work's columns are turned into
    Python values by their model fields. Like the queryset, its locking read refuses to run
    outside a transaction, where the lock would end with the statement."""

    @staticmethod
    @functools.cache
    def sql(skip_locked):
        slot, review, submission = _table(ReviewSlot), _table(Review), _table(Submission)
        work = ", ".join(f"(SELECT w.{_field(Submission, name).column} FROM {submission} w "
                         f"WHERE w.id = s.submission_id LIMIT 1) AS work_{name}" for name in WORK_FIELDS)
        return (f"SELECT s.*, {work} FROM {slot} s "
                "WHERE s.usage_id = %s AND s.available_at <= %s AND NOT (s.author_id = %s) "
                f"AND NOT (s.submission_id IN (SELECT r.submission_id FROM {review} r "
                "WHERE r.usage_id = %s AND r.reviewer_id = %s AND r.kind = %s)) "
                "ORDER BY s.tier, s.position, s.submitted_at, s.id LIMIT 1"
                + (" FOR UPDATE SKIP LOCKED" if skip_locked else ""))

    def first(self, usage_id, reviewer_id, now):
        """The first slot the reviewer may take at `now`, with its work's columns as `work_*`
        attributes, or None (1 query)."""
        alias, skip_locked = _locking_alias()
        if skip_locked and transaction.get_autocommit(using=alias):
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        db = connections[alias]
        moment = _field(ReviewSlot, "available_at").get_db_prep_value(now, db)
        params = [usage_id, moment, reviewer_id, usage_id, reviewer_id, PEER]
        slot = next(iter(ReviewSlot.objects.raw(self.sql(skip_locked), params, using=alias)), None)
        if slot is not None:
            for name in WORK_FIELDS:
                field, value = _field(Submission, name), getattr(slot, f"work_{name}")
                value = field.from_db_value(value, None, db) if hasattr(field, "from_db_value") \
                    else field.to_python(value)
                setattr(slot, f"work_{name}", value)
        return slot


_first_candidate = _CandidateQuery()


def _lease(slot_id, reviewer_id, expires, only_if_mine=False):
    """Give the slot to the reviewer until `expires`; the number of rows changed (1 query)."""
    lease_id = uuid.uuid4()
    rows = ReviewSlot.objects.filter(pk=slot_id)
    if only_if_mine:
        rows = rows.filter(reviewer_id=reviewer_id)
    return lease_id, rows.update(reviewer_id=reviewer_id, lease_id=lease_id, expires_at=expires, available_at=expires)


def _leased(slot, reviewer_id, lease_id, expires):
    slot.reviewer_id, slot.lease_id, slot.expires_at, slot.available_at = reviewer_id, lease_id, expires, expires
    slot.new_lease = True
    return slot


def hand_out(usage_id, reviewer_id, now, lease_minutes):
    """The reviewer's slot: the one they hold while its lease runs, else the next in the
    queue under a new lease; None when nothing is available (at most 3 queries).

    The caller holds the reviewer's own submission row locked (review_store.
    submission_of(..., lock=True)), so two requests of one reviewer (two tabs) run one after
    the other and the second is given the first one's lease."""
    held = held_slot(usage_id, reviewer_id)
    expires = allocation.lease_expiry(now, lease_minutes)
    if held is not None:
        if not allocation.is_expired(held.expires_at, now):
            return held
        # Expired, and nobody took it since: the reviewer gets it again under a new lease.
        lease_id, renewed = _lease(held.pk, reviewer_id, expires, only_if_mine=True)
        if renewed:
            return _leased(held, reviewer_id, lease_id, expires)
    slot = _first_candidate.first(usage_id=usage_id, reviewer_id=reviewer_id, now=now)
    if slot is None:
        return None
    slot.submission = Submission(pk=slot.submission_id, usage_id=usage_id, user_id=slot.author_id,
                                 **{name: getattr(slot, f"work_{name}") for name in WORK_FIELDS})
    lease_id, _changed = _lease(slot.pk, reviewer_id, expires)
    return _leased(slot, reviewer_id, lease_id, expires)


def leased_slot(usage_id, lease_id, reviewer_id, now):
    """The reviewer's running lease `lease_id`, with its submission; 4xx otherwise (1 query)."""
    slot = ReviewSlot.objects.select_related("submission").filter(usage_id=usage_id, lease_id=lease_id).first()
    if slot is None or slot.reviewer_id != reviewer_id:
        raise not_found(_("This submission was not handed out to you for review."), code="not_handed_out")
    if allocation.is_expired(slot.expires_at, now):
        raise conflict("lease_expired", _("Your time to review this submission ran out; ask for a submission "
                                          "to review again."))
    return slot


def finish(slot, reviews_needed, now):
    """Turn a reviewed slot into an extra slot (1 query); refused if the lease changed or ran
    out since it was read (the transaction rolls back). `release` then ends the lease."""
    tier, position = allocation.after_review(slot.position, reviews_needed)
    changed = ReviewSlot.objects.filter(pk=slot.pk, lease_id=slot.lease_id, expires_at__gt=now).update(
        tier=tier, position=position, available_at=now)
    if not changed:
        raise conflict("lease_expired", _("Your time to review this submission ran out; ask for a submission "
                                          "to review again."))


def release(slot):
    """End the reviewer's lease on a finished slot (1 query).

    Separate from `finish`, and the last write of a finishing review to the slots. On
    MySQL/MariaDB a hand-out's locking scan holds the queue-index rows it passed until it
    commits, and then writes the lease index: a finishing review changes the queue index
    first and the lease index last, and never waits on a slot after that, so the two cannot
    wait on each other (tested with concurrent reviewers in tests/db/test_peer_review_db.py)."""
    ReviewSlot.objects.filter(pk=slot.pk).update(reviewer_id=None, lease_id=None, expires_at=None)


def add_slots(submission, reviews_needed, author_done):
    """The queue slots of a work just submitted (1 query)."""
    ReviewSlot.objects.bulk_create(
        ReviewSlot(submission=submission, usage_id=submission.usage_id, author_id=submission.user_id, tier=tier,
                   position=position, submitted_at=submission.submitted_at, available_at=submission.submitted_at)
        for tier, position in allocation.initial_slots(reviews_needed, author_done))


def author_did_reviews(submission_id):
    """Move the author's slots ahead, now that they gave the reviews they owed (1-2 queries).

    A slot being handed out at this very moment is skipped rather than waited for (it is
    leased, and keeps its place when it returns): a finishing review never waits on a slot
    row after it changed its own, so it cannot deadlock with a hand-out."""
    rows = ReviewSlot.objects.filter(submission_id=submission_id, tier=allocation.TIER_AUTHOR_OWES)
    if _locking_alias()[1]:  # the locking read and the update both run on the database for writes
        rows = ReviewSlot.objects.filter(pk__in=list(rows.select_for_update(skip_locked=True)
                                                     .values_list("pk", flat=True)))
    rows.update(tier=allocation.TIER_AUTHOR_DONE)


def drop_slots(submission_id):
    """Take a removed or reset submission out of the queue (1 query)."""
    return ReviewSlot.objects.filter(submission_id=submission_id).delete()[0]  # no table references slots


def release_reviewers(reviewer_ids):
    """Give back every slot these reviewers hold (retirement) (1 query)."""
    return ReviewSlot.objects.filter(reviewer_id__in=reviewer_ids).update(
        reviewer_id=None, lease_id=None, expires_at=None, available_at=F("submitted_at"))
