"""A constant number of database queries per view and per handler, whatever the size of
the learner's journal and the number of learners in the block (DESIGN.md's budget).

Each action is measured twice, on two identical blocks: once where the learner's journal
has 1 entry (with 1 revision) and the block has 1 learner, once where the journal has 60
entries (and the learner's entry here 60 revisions) and the block 60 learners. The total
number of queries must be the same, and the queries on the journal's own tables must stay
within the budget below.

The workbench's own `workbench_xblockstate` queries (one get-or-create per XBlock field
scope read or written) are counted in the totals too: they depend on which fields a request
touches, not on how much journal data exists, so they must not vary either; they are left
out of the per-action budget only because Open edX stores fields differently.
"""
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.journal_helpers import get, journal_xml, row, save, submit
from tests.queries import count_queries
from xblocks.learning_to_learn.models import JournalEntry, JournalRevision

JOURNAL_TABLES = ("bizmooc_learning_to_learn_journalentry", "bizmooc_learning_to_learn_journalrevision",
                  "bizmooc_learning_to_learn_journalfeedback")
SMALL, LARGE = 1, 60

# Queries on the journal tables per action (SAVEPOINT/RELEASE statements not counted).
BUDGET = {
    "student_view": 3,             # entries of this block + their revisions and staff comments (prefetch)
    "student_view_user_state": 3,  # as student_view: entries, revisions, staff comments
    "save_draft": 2,               # conditional UPDATE + read back
    "submit_entry (revision)": 6,
    "submit_entry (first)": 5,    # INSERT, then as a revision minus the conditional UPDATE
    "my_journal": 2,               # a page of entries + their staff comments
    "download_journal": 2,
    "staff_summary": 3,            # figures + one page of entries + their comments
    "export_csv": 2,               # entries and comments, two streams read side by side
    "generate_report_data": 1,     # one query per batch of 200 learners
}


PROMPTS = [f"<p>Question {number}</p>" for number in range(1, 11)]
LAST_PROMPT = len(PROMPTS) - 1  # left unanswered, for a first submission
# Prompts learner_a also answered in the large case; two stay open so that the first
# submission measured below does not complete the block in one case and not the other.
MORE_HERE = range(1, LAST_PROMPT - 1)


def populate(wb, size, journal_name):
    """A journal block where learner_a's journal has `size` entries and the block `size` learners.

    With the large size the learner also answered every prompt of this block but two,
    and their first entry has `size` revisions, so a per-entry or per-revision query shows.
    """
    usage_id = wb.load(journal_xml(journal_name=journal_name, prompts=PROMPTS))
    assert submit(wb, usage_id, "My own first answer.").status == 200
    entry = row(usage_id)
    now = timezone.now()
    JournalRevision.objects.bulk_create(
        JournalRevision(entry=entry, number=number, text=f"Revision {number}", submitted_at=now)
        for number in range(2, size + 1)
    )
    JournalEntry.objects.filter(pk=entry.pk).update(revision_count=size)
    common = {"course_id": entry.course_id, "journal_name": journal_name, "prompt_text": "Earlier prompt",
              "submitted_text": "Earlier answer", "submitted_at": now, "first_submitted_at": now,
              "revision_count": 1, "version": 1}
    here = MORE_HERE if size > 1 else range(0)
    # More of learner_a's entries in this block, each with a revision.
    for prompt in here:
        more = JournalEntry.objects.create(usage_id=usage_id, user_id=LEARNER_A, prompt_index=prompt,
                                           position=entry.position, **common)
        JournalRevision.objects.create(entry=more, number=1, text="Earlier answer", submitted_at=now)
    # The rest of learner_a's journal, in other blocks of the course.
    JournalEntry.objects.bulk_create(
        JournalEntry(usage_id=f"{usage_id}-elsewhere-{i}", user_id=LEARNER_A, prompt_index=0,
                     position=f"{i:04d}|elsewhere", unit_title=f"Week {i}", **common)
        for i in range(1 + len(here), size)
    )
    # Other learners of this block.
    JournalEntry.objects.bulk_create(
        JournalEntry(usage_id=usage_id, user_id=f"peer-{i}", prompt_index=0, position=entry.position, **common)
        for i in range(1, size)
    )
    assert JournalEntry.objects.filter(journal_name=journal_name, user_id=LEARNER_A,
                                       course_id=entry.course_id).count() == size
    assert JournalEntry.objects.filter(usage_id=usage_id).values("user_id").distinct().count() == size
    return usage_id


def report(wb, usage_id, _version):
    users = [LEARNER_A] + [f"peer-{i}" for i in range(1, 60)]
    states = [SimpleNamespace(username=user, state={"journal_owner": user}) for user in users]
    return list(wb.block(usage_id, STAFF).generate_report_data(iter(states)))


# Each action gets the learner's current version, read before measuring.
ACTIONS = {
    "student_view": lambda wb, uid, version: wb.render(uid, LEARNER_A),
    "student_view_user_state": lambda wb, uid, version: get(wb, uid, "student_view_user_state"),
    "save_draft": lambda wb, uid, version: save(wb, uid, "A new draft", version=version),
    "submit_entry (revision)": lambda wb, uid, version: submit(wb, uid, "A revision", version=version),
    "submit_entry (first)": lambda wb, uid, version: submit(wb, uid, "First answer to the last", prompt=LAST_PROMPT),
    "my_journal": lambda wb, uid, version: get(wb, uid, "my_journal"),
    "download_journal": lambda wb, uid, version: get(wb, uid, "download_journal", query="format=markdown"),
    "staff_summary": lambda wb, uid, version: get(wb, uid, "staff_summary", user=STAFF),
    "export_csv": lambda wb, uid, version: get(wb, uid, "export_csv", user=STAFF),
    "generate_report_data": report,
}


def measure(wb, name, usage_id):
    version = row(usage_id).version
    return count_queries(lambda: ACTIONS[name](wb, usage_id, version), JOURNAL_TABLES)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_queries_do_not_grow_with_entries_or_learners(wb, name):
    warm_up = populate(wb, SMALL, "Warm-up journal")
    measure(wb, name, warm_up)  # first-use caches, if any, are not what we measure
    small = populate(wb, SMALL, "Small journal")
    large = populate(wb, LARGE, "Large journal")

    small_total, small_journal, _ = measure(wb, name, small)
    large_total, large_journal, large_result = measure(wb, name, large)

    assert large_journal == small_journal, f"{name}: journal queries grow with data"
    assert large_total == small_total, f"{name}: queries grow with data"
    assert small_journal <= BUDGET[name], f"{name}: {small_journal} journal queries, budget {BUDGET[name]}"

    # The large case really had the data in play.
    if name == "my_journal":
        assert large_result.json["has_next"] is True
    if name == "staff_summary":
        assert large_result.json["figures"]["wrote"] == LARGE
    if name == "generate_report_data":
        assert len(large_result) == LARGE + len(MORE_HERE)  # one row per entry
    if name == "student_view":
        # The page names all 60 revisions but lists only the latest ten (the download has all).
        assert "Revisions: 60" in large_result and "Earlier revisions not shown here: 50." in large_result
