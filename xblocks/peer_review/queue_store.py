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
database takes to run it, so it and the reviewer's slot are compiled to SQL once per
database connection and run with each call's values (`_Prepared`).
"""
import uuid
import weakref
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db import connection, connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

from xblocks.common.errors import _, conflict, not_found

from . import allocation
from .models import PEER, Review, ReviewSlot, Submission


def held_slot(usage_id, reviewer_id):
    """The slot the reviewer holds or last held in this block, with its submission (1 query)."""
    return _held_slot.first(usage_id=usage_id, reviewer_id=reviewer_id)


# The work's columns come through scalar subqueries, not a join: a locking read locks the rows
# of the tables it joins, but not those its subqueries read, so a hand-out locks one slot row
# and never the submission (which a finishing review may be updating at the same moment).
WORK_FIELDS = ("public_id", "text", "link", "artefact_kind", "artefact_id", "artefact_html", "artefact_data")


def _candidates(usage_id, reviewer_id, now):
    reviewed = Review.objects.filter(usage_id=usage_id, reviewer_id=reviewer_id, kind=PEER).values("submission_id")
    work = Submission.objects.filter(pk=OuterRef("submission_id"))
    query = (ReviewSlot.objects
             .annotate(**{f"work_{name}": Subquery(work.values(name)[:1]) for name in WORK_FIELDS})
             .filter(usage_id=usage_id, available_at__lte=now)
             .exclude(author_id=reviewer_id).exclude(submission_id__in=reviewed)
             .order_by("tier", "position", "submitted_at", "id"))
    if connection.features.has_select_for_update_skip_locked:
        query = query.select_for_update(skip_locked=True)
    return query


class _Prepared:
    """A query compiled to SQL once per database connection instead of on every call.

    `build(**values)` gives the queryset (sliced to the rows wanted); `fields` names, per
    value, the model field it is written to the database as. The queryset is compiled once
    with sentinel values (equal to nothing else the query holds), which tells where each
    value goes among the parameters; each call then runs that SQL with its own values and
    makes the model instance as Django's ModelIterable does (the same converters, the
    select_related objects, the annotations as attributes), on the connection the queryset
    would use. Like the queryset, a locking query refuses to run outside a transaction."""

    def __init__(self, model, build, **fields):
        self.model, self.build, self.fields = model, build, fields
        self.template = None  # the queryset with sentinels, for the database alias it goes to
        self.compiled = weakref.WeakKeyDictionary()  # connection -> what running the query needs

    def sentinels(self):
        return {name: (datetime(2001, 2, 3, 4, 5, 6, index, tzinfo=dt_timezone.utc)
                       if self.field(name).get_internal_type() == "DateTimeField" else f"\x00bizmooc-{name}")
                for index, name in enumerate(self.fields)}

    def field(self, name):
        return self.model._meta.get_field(self.fields[name])  # pylint: disable=protected-access

    def compile(self, db):
        sentinels = self.sentinels()
        queryset = self.build(**sentinels)
        compiler = queryset.query.get_compiler(connection=db)
        sql, params = compiler.as_sql()
        names = {self.field(name).get_db_prep_value(value, db): name for name, value in sentinels.items()}
        places = [(names.get(param), param) for param in params]
        if set(sentinels) - {name for name, _param in places}:
            raise RuntimeError(f"Not every value made it into the compiled query: {sql}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return {
            "sql": sql, "places": places, "locks": bool(queryset.query.select_for_update),
            "converters": list(compiler.get_converters([expression for expression, _sql, _alias in select]).items()),
            "model_slice": slice(start, end),
            "init_list": [col.target.attname for col, _sql, _alias in select[start:end]],
            "related": get_related_populators(klass_info, select, db.alias),
            "annotations": list(compiler.annotation_col_map.items()),
        }

    def first(self, **values):
        """The first model instance of the query with these values, or None (1 query)."""
        if self.template is None:
            self.template = self.build(**self.sentinels())
        db = connections[self.template.db]
        compiled = self.compiled.get(db)
        if compiled is None:
            compiled = self.compiled[db] = self.compile(db)
        if compiled["locks"] and db.features.has_select_for_update and db.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = [param if name is None else self.field(name).get_db_prep_value(values[name], db)
                  for name, param in compiled["places"]]
        with db.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in compiled["converters"]:
            for converter in converters:
                row[position] = converter(row[position], expression, db)
        obj = self.model.from_db(db.alias, compiled["init_list"], row[compiled["model_slice"]])
        for populator in compiled["related"]:
            populator.populate(row, obj)
        for name, position in compiled["annotations"]:
            setattr(obj, name, row[position])
        return obj


_held_slot = _Prepared(
    ReviewSlot, lambda usage_id, reviewer_id: ReviewSlot.objects.select_related("submission").filter(
        usage_id=usage_id, reviewer_id=reviewer_id).order_by("pk")[:1],
    usage_id="usage_id", reviewer_id="reviewer_id")
_first_candidate = _Prepared(
    ReviewSlot, lambda usage_id, reviewer_id, now: _candidates(usage_id, reviewer_id, now)[:1],
    usage_id="usage_id", reviewer_id="reviewer_id", now="available_at")


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
    if connection.features.has_select_for_update_skip_locked:
        rows = ReviewSlot.objects.filter(pk__in=list(rows.select_for_update(skip_locked=True)
                                                     .values_list("pk", flat=True)))
    rows.update(tier=allocation.TIER_AUTHOR_DONE)


def drop_slots(submission_id):
    """Take a removed or reset submission out of the queue (1 query)."""
    return ReviewSlot.objects.filter(submission_id=submission_id)._raw_delete(  # pylint: disable=protected-access
        ReviewSlot.objects.db)


def outstanding(usage_id, now):
    """Leases running right now in the block (1 query)."""
    return ReviewSlot.objects.filter(usage_id=usage_id, expires_at__gt=now).exclude(reviewer_id=None).count()


def release_reviewers(reviewer_ids):
    """Give back every slot these reviewers hold (retirement) (1 query)."""
    return ReviewSlot.objects.filter(reviewer_id__in=reviewer_ids).update(
        reviewer_id=None, lease_id=None, expires_at=None, available_at=F("submitted_at"))
