"""Saving a learner's one row (a journal entry, a canvas, a peer-review or self-assessment draft) with
compare-and-set on its `version`, so two tabs or devices never overwrite newer text.

The first save (`base_version` 0) inserts the row; later saves update it only where the
version is still the one the browser started from. The caller decides what a refusal
says (it knows whether the row is submitted, closed or just newer).

Why a lost first save does not fall through to the UPDATE: its INSERT found the other
tab's row through the unique key, so a base version of 0 can never match (rows start at
1), and on InnoDB (MySQL, MariaDB) each losing INSERT leaves a lock on that row until its
transaction ends. An UPDATE would ask for an exclusive lock on the same row from every
losing tab at once; ten tabs racing for a journal's first draft once ended in deadlocks
(1213, a 500) instead of 409s on MariaDB. The lost save is refused from a plain read,
which takes no lock.
"""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone


def save_versioned(model, lookup, base_version, created, changed, only_if=None):
    """(row, saved): the row as stored after this save, and whether this save was applied.

    `lookup` finds the learner's one row (a unique key), `created` are the other columns
    of a new row, `changed` the columns a later save writes, `only_if` further conditions
    a row must meet to change (a draft status, say). `row` is None if there is none.
    2 queries (an insert; or a read and an update), 3 when a later save is refused.

    A later save finds the row first and then updates it by its primary key: every writer
    then locks the row's primary record before any secondary index record. An UPDATE by
    the learner's key instead lets MySQL pick any index that covers the conditions (on a
    small table it picked `usage_id, first_submitted_at` for a journal entry), and two
    writers taking the same two records in opposite orders deadlocked.
    """
    if base_version == 0:
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **created, version=1), True
        except IntegrityError:
            return model.objects.filter(**lookup).first(), False
    row = model.objects.filter(**lookup).first()
    if row is None:
        return None, False
    now = timezone.now()
    updated = model.objects.filter(pk=row.pk, **(only_if or {}), version=base_version).update(
        version=F("version") + 1, modified=now, **changed)
    if not updated:  # refused: the row as another tab or device left it, for the conflict
        return model.objects.filter(pk=row.pk).first(), False
    for name, value in changed.items():
        setattr(row, name, value)
    row.version, row.modified = base_version + 1, now
    return row, True
