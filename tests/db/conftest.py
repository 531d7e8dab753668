"""Fixtures for the database tests: the same tests run on SQLite and on MariaDB.

`run_together` starts real threads at one barrier, each with its own database
connection and its own transaction (as the handler wrapper gives every request), and
returns what each thread returned or raised.
"""
import threading

import pytest
from django.db import connection, transaction
from django.db.backends.signals import connection_created

from xblocks.learning_to_learn.journal_store import Place

COURSE = "course-v1:BizMOOC+L2L+2026"
BLOCK = "block-v1:BizMOOC+L2L+2026+type@bizmooc_reflection_journal+block@week1"


def _sqlite_waits_for_writers(sender, connection, **kwargs):  # pylint: disable=unused-argument,redefined-outer-name
    # Threads queue for SQLite's single write lock instead of failing with "database is locked".
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 30000")


connection_created.connect(_sqlite_waits_for_writers, dispatch_uid="bizmooc-tests-sqlite-busy-timeout")


@pytest.fixture
def place():
    """A learner's place in a journal block; keyword arguments change any part."""

    def make(user_id="learner-a", usage_id=BLOCK, **changes):
        values = {
            "course_id": COURSE,
            "journal_name": "My learning journal",
            "usage_id": usage_id,
            "user_id": user_id,
            "position": "0001/0001",
            "unit_title": "Week 1: How do I learn?",
        }
        values.update(changes)
        return Place(**values)

    return make


@pytest.fixture
def run_together():
    """Run `work(i)` for i in range(count) in `count` threads released together.

    Each call runs on the thread's own connection, which the thread closes when done, and
    inside one `transaction.atomic()` like a handler call (`atomic=False`: `work` opens
    its own transactions, e.g. one per retry). Returns a list of ("ok", value) or ("error", exception),
    in thread order.
    """

    def run(count, work, atomic=True, timeout=120):
        barrier = threading.Barrier(count)
        outcomes = [None] * count

        def thread_main(index):
            try:
                connection.ensure_connection()  # connect first, so the race is on the queries
                barrier.wait(timeout=timeout)
                if atomic:
                    with transaction.atomic():
                        outcomes[index] = ("ok", work(index))
                else:
                    outcomes[index] = ("ok", work(index))
            except Exception as error:  # pylint: disable=broad-except
                outcomes[index] = ("error", error)
            finally:
                connection.close()

        threads = [threading.Thread(target=thread_main, args=(i,), name=f"learner-thread-{i}") for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in threads), "a thread hung"
        return outcomes

    return run
