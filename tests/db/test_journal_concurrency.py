"""Learners' saves racing each other on a real database, from real threads.

Each thread has its own connection and its own transaction, as each handler call does
in the LMS (the handler wrapper runs every handler in `transaction.atomic()`). Two tabs,
a phone and a laptop, or a retrying autosave must never silently overwrite newer text,
create a second entry, or lose or duplicate a revision, and a refused save must be a
409 the browser can act on, never a database error (a 500).
"""
import pytest

from xblocks.common.errors import ApiError
from xblocks.learning_to_learn import journal_store
from xblocks.learning_to_learn.models import JournalEntry, JournalRevision

from .conftest import BLOCK

pytestmark = pytest.mark.django_db(transaction=True)


def _split(outcomes):
    wins = [(i, value) for i, (kind, value) in enumerate(outcomes) if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    unexpected = [e for e in errors if not (isinstance(e, ApiError) and e.status == 409)]
    assert not unexpected, f"refused with something other than a 409: {unexpected!r}"
    return wins, errors


def test_twenty_tabs_saving_from_the_same_version_one_wins_the_rest_get_409(place, run_together):
    where = place()
    journal_store.save_draft(where, 0, "P", "first words", 0)
    base = journal_store.save_draft(where, 0, "P", "first words, more", 1).version
    assert base == 2

    outcomes = run_together(20, lambda i: journal_store.save_draft(where, 0, "P", f"text from tab {i}", base))

    wins, errors = _split(outcomes)
    assert len(wins) == 1, outcomes
    assert len(errors) == 19
    winner_index, winner = wins[0]
    assert winner.version == base + 1
    entry = JournalEntry.objects.get()
    assert entry.version == base + 1
    assert entry.draft == f"text from tab {winner_index}"
    # Each refused tab is shown the text that won, to merge or reload, with its version.
    assert all(e.code == "version_conflict" for e in errors)
    assert {(e.details["version"], e.details["text"]) for e in errors} == {(base + 1, entry.draft)}


def test_ten_tabs_creating_the_first_draft_make_one_entry(place, run_together):
    where = place()

    outcomes = run_together(10, lambda i: journal_store.save_draft(where, 0, "P", f"first draft from tab {i}", 0))

    wins, errors = _split(outcomes)
    assert len(wins) == 1, outcomes
    assert len(errors) == 9
    winner_index, winner = wins[0]
    assert winner.version == 1
    entry = JournalEntry.objects.get()  # exactly one row
    assert (entry.version, entry.draft) == (1, f"first draft from tab {winner_index}")
    assert all(e.code == "version_conflict" for e in errors)


def test_twenty_submissions_retrying_on_409_keep_every_revision_numbered_once(place, run_together):
    where = place()
    start = journal_store.save_draft(where, 0, "P", "draft", 0).version

    def submit_until_accepted(i):
        from django.db import transaction  # pylint: disable=import-outside-toplevel

        version, refusals = start, 0
        while True:
            try:
                with transaction.atomic():
                    entry, first = journal_store.submit(where, 0, "P", f"revision by device {i}", version, True)
                return entry.revision_count, first, refusals
            except ApiError as error:
                if error.status != 409 or refusals >= 100:
                    raise
                refusals += 1
                version = error.details["version"]  # what the browser does: retry on the fresh version

    outcomes = run_together(20, submit_until_accepted, atomic=False)

    wins, errors = _split(outcomes)
    assert not errors, errors
    numbers = sorted(value[0] for _, value in wins)
    assert numbers == list(range(1, 21))
    assert sum(1 for _, value in wins if value[1]) == 1  # one "first submission" (completion, grade)
    assert sum(value[2] for _, value in wins) > 0  # they really did collide

    entry = JournalEntry.objects.get()
    assert entry.revision_count == 20
    assert entry.version == start + 20
    revisions = list(JournalRevision.objects.filter(entry=entry))
    assert [r.number for r in revisions] == list(range(1, 21))
    assert sorted(r.text for r in revisions) == sorted(f"revision by device {i}" for i in range(20))
    assert entry.submitted_text == revisions[-1].text  # the latest revision is what staff see
    assert entry.first_submitted_at == revisions[0].submitted_at


def test_twenty_learners_submitting_at_once_are_all_counted(place, run_together):
    outcomes = run_together(20, lambda i: journal_store.submit(place(f"learner-{i:02d}"), 0, "P", "done", 0, True))

    wins, errors = _split(outcomes)
    assert not errors and len(wins) == 20
    assert journal_store.block_figures(BLOCK) == {"wrote": 20, "submitted": 20, "entries": 20, "with_feedback": 0}
    assert JournalRevision.objects.count() == 20


def test_ten_devices_submitting_a_no_revision_entry_keep_exactly_one_submission(place, run_together):
    # A journal that does not allow revising: devices racing to submit, each retrying on
    # a 409 with the fresh version, must leave one submission; the rest are told it is closed.
    where = place()
    start = journal_store.save_draft(where, 0, "P", "draft", 0).version

    def submit_until_settled(i):
        from django.db import transaction  # pylint: disable=import-outside-toplevel

        version = start
        for _ in range(100):
            try:
                with transaction.atomic():
                    return journal_store.submit(where, 0, "P", f"answer from device {i}", version, False)[0]
            except ApiError as error:
                if error.status != 409:
                    raise
                version = error.details["version"]
        raise AssertionError("never settled")

    outcomes = run_together(10, submit_until_settled, atomic=False)

    wins = [(i, value) for i, (kind, value) in enumerate(outcomes) if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1, outcomes
    assert [(e.status, e.code) for e in errors] == [(403, "revisions_closed")] * 9, errors
    winner_text = f"answer from device {wins[0][0]}"
    entry = JournalEntry.objects.get()
    # The refused submissions changed nothing, not even the draft (their transaction rolled back).
    assert (entry.submitted_text, entry.draft, entry.revision_count) == (winner_text, winner_text, 1)
    assert entry.version == start + 1
    assert list(entry.revisions.values_list("number", "text")) == [(1, winner_text)]
