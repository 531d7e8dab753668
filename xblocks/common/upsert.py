"""Insert a row or update the one with the same unique key, in one statement.

One query whatever happened before, and on InnoDB one exclusive lock on the row either way:
unlike get_or_create (a SELECT, then an INSERT that may lose a race and leave the loser a
shared lock), racing callers queue on the row instead of deadlocking over it.
"""
from django.db import connections, router


def upsert(row, unique_fields, update_fields):
    """Insert `row` or update `update_fields` of the row with the same `unique_fields` (1 query).
    MySQL/MariaDB name no conflict target (ON DUPLICATE KEY UPDATE), so they are given none."""
    model = type(row)
    target = unique_fields if connections[router.db_for_write(model)].features.supports_update_conflicts_with_target \
        else None
    model.objects.bulk_create([row], update_conflicts=True, unique_fields=target, update_fields=update_fields)
