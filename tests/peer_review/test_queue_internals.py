"""The peer queue's hand-out query written as SQL (queue_store._CandidateQuery): it locks
with SKIP LOCKED when the database its query runs on can, the one Django's router names for
writes to the queue, not the default connection."""
import pytest
from django.db import connections
from django.utils import timezone

from xblocks.peer_review import queue_store
from xblocks.peer_review.models import ReviewSlot


def test_the_sql_skips_locked_rows_only_when_asked():
    assert queue_store._CandidateQuery.sql(True).endswith("LIMIT 1 FOR UPDATE SKIP LOCKED")  # pylint: disable=protected-access
    assert queue_store._CandidateQuery.sql(False).endswith("LIMIT 1")  # pylint: disable=protected-access


@pytest.mark.django_db
def test_skip_locked_is_decided_by_the_database_the_router_names(monkeypatch):
    asked = []

    class Router:
        @staticmethod
        def db_for_write(model):
            asked.append(model)
            return "default"

    monkeypatch.setattr(queue_store, "router", Router)
    features = connections["default"].features
    assert queue_store._locking_alias() == ("default", features.has_select_for_update_skip_locked)  # pylint: disable=protected-access
    assert queue_store._candidates("u", "r", timezone.now()).db == "default"  # pylint: disable=protected-access
    assert asked and set(asked) == {ReviewSlot}
