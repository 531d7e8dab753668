"""The first save of a learner's row, lost to another tab while that tab's transaction is
still open: the losing tabs must get a 409, never a database error, and change nothing.
And learners opening a board nobody opened before: all of them placed, no database error.

The test holds the winner's transaction open until both losers are seen waiting on its
row lock (InnoDB's own view of its transactions), so this interleaving is the same on every
run rather than left to chance as in the many-tab races of test_journal_concurrency.py.
On SQLite the losers queue for the single write lock instead, which cannot be observed
from another connection; the outcome they must reach is the same.
"""
import threading
import time

import pytest
from django.db import connection, transaction

from xblocks.common.errors import ApiError
from xblocks.creativity_lab import board_store
from xblocks.creativity_lab.models import Board, Membership, Room
from xblocks.initiative_canvas import canvas, canvas_store
from xblocks.initiative_canvas.canvas_templates import built_in
from xblocks.initiative_canvas.models import Canvas
from xblocks.learning_to_learn import journal_store
from xblocks.learning_to_learn.models import JournalEntry
from xblocks.peer_review import review_store
from xblocks.peer_review.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "course-v1:BizMOOC+ENT+2026"
LEARNER = "learner-a"
LOSERS = 2
PATIENCE_SECONDS = 120  # only a hung server comes near this
# InnoDB refreshes its INNODB_TRX view only when it was not read for 0.1 s: polled more
# often, it would show the same old rows for ever.
INNODB_TRX_REFRESH_SECONDS = 0.2


def _journal(tab):
    place = journal_store.Place(course_id=COURSE, journal_name="Journal", usage_id="journal-block", user_id=LEARNER)
    return journal_store.save_draft(place, 0, "Prompt", f"first draft from tab {tab}", 0)


def _canvas(tab):
    template = built_in("business_model_canvas")
    notes = [{"id": f"n{tab}", "section": "value_propositions", "text": f"tab {tab}"}]
    place = canvas_store.Place(course_id=COURSE, usage_id="canvas-block", user_id=LEARNER)
    return canvas_store.save(place, template, notes, 0, canvas.progress(template, notes))


def _review_draft(tab):
    place = review_store.Place(course_id=COURSE, usage_id="review-block", user_id=LEARNER)
    values = {"text": f"draft from tab {tab}", "link": "", "artefact_kind": "", "artefact_id": ""}
    return review_store.save(place, values, 0)


def _open_board(tab):
    """A learner opening a board nobody has opened yet: the board row is created on the way."""
    return board_store.join(COURSE, "board-block", f"learner-{tab}", 50).pk


def _waiting_on_locks():
    """How many transactions InnoDB has waiting for a lock (None on SQLite)."""
    if connection.vendor != "mysql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
        return cursor.fetchone()[0]


def _wait_until_losers_wait(losers, outcomes):
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        waiting = _waiting_on_locks()
        if waiting is None or waiting >= LOSERS:
            return
        if not any(thread.is_alive() for thread in losers):
            raise AssertionError(f"the losing tabs finished without waiting on the winner's row: {outcomes[1:]!r}")
        time.sleep(INNODB_TRX_REFRESH_SECONDS)
    raise AssertionError(f"the losing tabs never waited on the winner's row ({_waiting_on_locks()} waiting)")


def _in_own_transaction(work, tab, outcomes, before_commit=None):
    try:
        connection.ensure_connection()
        with transaction.atomic():
            outcomes[tab] = ("ok", work(tab))
            if before_commit:
                before_commit()
    except Exception as error:  # pylint: disable=broad-except
        outcomes[tab] = ("error", error)
    finally:
        connection.close()


def _race(work):
    """`work(0)` in a transaction held open until LOSERS other tabs running `work(tab)` wait
    on its locks; what each returned or raised, in tab order."""
    outcomes = [None] * (LOSERS + 1)
    inserted, release = threading.Event(), threading.Event()

    def hold_open():
        inserted.set()
        assert release.wait(PATIENCE_SECONDS), "the test never released the winner"

    winner = threading.Thread(target=_in_own_transaction, args=(work, 0, outcomes, hold_open))
    winner.start()
    assert inserted.wait(PATIENCE_SECONDS), outcomes
    losers = [threading.Thread(target=_in_own_transaction, args=(work, tab, outcomes)) for tab in range(1, LOSERS + 1)]
    for thread in losers:
        thread.start()
    try:
        _wait_until_losers_wait(losers, outcomes)
    finally:
        release.set()
    for thread in [winner, *losers]:
        thread.join(PATIENCE_SECONDS)
    assert not any(thread.is_alive() for thread in [winner, *losers]), "a tab hung"
    return outcomes


@pytest.mark.parametrize("save, model", [(_journal, JournalEntry), (_canvas, Canvas), (_review_draft, Submission)],
                         ids=["journal entry", "canvas", "peer-review draft"])
def test_tabs_losing_the_first_save_to_an_open_transaction_get_409(save, model):
    outcomes = _race(save)

    assert outcomes[0][0] == "ok", outcomes[0]
    for kind, value in outcomes[1:]:
        assert kind == "error" and isinstance(value, ApiError), f"a losing tab got {value!r}, not a 409"
        assert (value.status, value.code) == (409, "version_conflict")
    assert model.objects.count() == 1
    assert model.objects.get().version == 1  # the winner's save, untouched by the losers


def test_learners_opening_a_new_board_at_once_are_all_placed():
    outcomes = _race(_open_board)

    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    assert Board.objects.count() == 1
    assert Membership.objects.count() == LOSERS + 1
    assert list(Room.objects.values_list("number", "participants")) == [(1, LOSERS + 1)]
