"""The journal's tables and queries on a real database (SQLite, and MariaDB as Open edX
runs MySQL): what the database itself enforces, what text survives a round trip, and
what the store's queries return."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xblocks.learning_to_learn import journal_store
from xblocks.learning_to_learn.models import JournalEntry, JournalRevision

from .conftest import BLOCK, COURSE

pytestmark = pytest.mark.django_db

MULTILINGUAL = (
    "Zażółć gęślą jaźń: uczę się najlepiej rano. 🧠📚✍️\n"
    "Уча най-добре, когато си водя бележки — ЩЪРКЕЛ, ѝ, ъ, ю, я. 🇧🇬\n"
    "Emoji beyond the BMP: 😀🤔🦄𝄞 and a ZWJ family 👩‍👩‍👧‍👦."
)


def make_entry(usage_id=BLOCK, user_id="learner-a", prompt_index=0, **fields):
    values = {
        "course_id": COURSE, "journal_name": "My learning journal", "usage_id": usage_id,
        "prompt_index": prompt_index, "user_id": user_id, "position": "0001|" + usage_id,
    }
    values.update(fields)
    return JournalEntry.objects.create(**values)


# What the database enforces ----------------------------------------------------------


def test_database_refuses_a_second_entry_for_the_same_learner_block_and_prompt():
    make_entry(draft="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create goes straight to INSERT: the database, not Django, has to refuse it.
        JournalEntry.objects.bulk_create([JournalEntry(
            course_id=COURSE, journal_name="j", usage_id=BLOCK, prompt_index=0, user_id="learner-a",
            position="p", draft="second")])
    assert list(JournalEntry.objects.values_list("draft", flat=True)) == ["first"]


def test_same_prompt_for_another_learner_or_another_prompt_is_allowed():
    make_entry()
    make_entry(user_id="learner-b")
    make_entry(prompt_index=1)
    make_entry(usage_id=BLOCK + "-week2")
    assert JournalEntry.objects.count() == 4


def test_database_refuses_two_revisions_with_the_same_number():
    entry = make_entry()
    entry.revisions.create(number=1, text="v1", submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.revisions.create(number=1, text="v1 again", submitted_at=timezone.now())
    assert list(entry.revisions.values_list("text", flat=True)) == ["v1"]


def test_deleting_an_entry_deletes_its_revisions_only():
    kept = make_entry(user_id="learner-b")
    kept.revisions.create(number=1, text="keep me", submitted_at=timezone.now())
    entry = make_entry()
    for number in (1, 2, 3):
        entry.revisions.create(number=number, text=f"v{number}", submitted_at=timezone.now())

    deleted, per_model = entry.delete()

    assert per_model == {"bizmooc_learning_to_learn.JournalEntry": 1, "bizmooc_learning_to_learn.JournalRevision": 3}
    assert list(JournalRevision.objects.values_list("text", flat=True)) == ["keep me"]
    assert deleted == 4


def test_deleting_a_learners_entries_in_bulk_deletes_their_revisions():
    # What a learner's data retirement does: one queryset delete across blocks.
    for usage_id in (BLOCK, BLOCK + "-week2"):
        entry = make_entry(usage_id=usage_id)
        entry.revisions.create(number=1, text="retire me", submitted_at=timezone.now())
    other = make_entry(user_id="learner-b")
    other.revisions.create(number=1, text="stays", submitted_at=timezone.now())

    JournalEntry.objects.filter(user_id="learner-a").delete()

    assert list(JournalEntry.objects.values_list("user_id", flat=True)) == ["learner-b"]
    assert list(JournalRevision.objects.values_list("text", flat=True)) == ["stays"]


# What survives a round trip -----------------------------------------------------------


def test_polish_bulgarian_and_emoji_text_round_trips(place):
    title = "Tydzień 1 — Седмица 1 🧭"
    where = place(journal_name="Dziennik / Дневник 📓", unit_title=title)
    journal_store.save_draft(where, 0, "Jak się uczysz? Как учиш? 🤔", MULTILINGUAL, 0)
    journal_store.submit(where, 0, "Jak się uczysz? Как учиш? 🤔", MULTILINGUAL + " ✅", 1, True)

    entry = JournalEntry.objects.get(user_id=where.user_id)  # a fresh read from the database
    assert entry.draft == MULTILINGUAL + " ✅"
    assert entry.submitted_text == MULTILINGUAL + " ✅"
    assert entry.prompt_text == "Jak się uczysz? Как учиш? 🤔"
    assert entry.unit_title == title
    assert entry.journal_name == "Dziennik / Дневник 📓"
    assert entry.revisions.get().text == MULTILINGUAL + " ✅"
    # ...and the learner's journal finds it by its emoji name.
    assert journal_store.journal_for_learner(COURSE, "Dziennik / Дневник 📓", where.user_id) == [entry]


def test_a_full_length_emoji_unit_title_is_kept_to_the_column_size(place):
    # 255 characters is the column size; four-byte characters must still fit (utf8mb4).
    where = place(unit_title="🧠" * 300)
    journal_store.save_draft(where, 0, "Prompt", "text", 0)
    assert JournalEntry.objects.get().unit_title == "🧠" * 255


def test_a_block_with_the_longest_usage_id_deep_in_a_course_saves_and_sorts(place):
    # The column allows 255-character usage ids; the course position prefixes one with
    # each ancestor's index ("0003.0001.0004.0000|<usage id>"), which can outgrow 255.
    # MySQL refuses an over-long value (strict mode) where SQLite keeps it: the learner's
    # save must not fail there, and "My journal" must still list blocks in course order.
    stem = "block-v1:BizMOOC+" + "Learning_to_learn_through_MOOCs_" * 6
    blocks = {n: (stem + f"+type@bizmooc_reflection_journal+block@week{n}").ljust(255, "x") for n in (1, 2)}
    assert all(len(usage_id) == 255 for usage_id in blocks.values())
    for n, unit in ((2, "0004"), (1, "0002")):
        where = place(usage_id=blocks[n], position=f"0003.0001.{unit}.0000|{blocks[n]}")
        journal_store.save_draft(where, 0, "P", f"week {n}", 0)

    entries = journal_store.journal_for_learner(COURSE, "My learning journal", "learner-a")
    assert [(entry.usage_id, entry.draft) for entry in entries] == [(blocks[1], "week 1"), (blocks[2], "week 2")]


def test_a_50000_character_entry_round_trips(place):
    # The operator's default JOURNAL_MAX_CHARS: the longest entry a learner may save.
    paragraph = "Uczę się przez powtarzanie. Уча чрез повторение. 📚 "
    text = (paragraph * (50_000 // len(paragraph) + 1))[:49_999] + "!"
    assert len(text) == 50_000
    where = place()
    journal_store.save_draft(where, 0, "Prompt", text, 0)
    journal_store.submit(where, 0, "Prompt", text, 1, True)

    entry = JournalEntry.objects.get()
    assert len(entry.draft) == 50_000 and entry.draft == text
    assert entry.submitted_text == text
    assert entry.revisions.get().text == text


# The store's queries --------------------------------------------------------------------


def test_journal_for_learner_lists_entries_in_course_order_then_prompt_order(place):
    # Saved out of order, across three blocks of the same journal, plus noise that must not show.
    week = {n: f"{BLOCK}-week{n}" for n in (1, 2, 3)}
    positions = {1: "0000.0001.0000|" + week[1], 2: "0000.0001.0003|" + week[2], 3: "0000.0002.0000|" + week[3]}
    for n, prompt in ((3, 0), (1, 1), (2, 0), (1, 0), (3, 1)):
        journal_store.save_draft(place(usage_id=week[n], position=positions[n]), prompt, "Prompt",
                                 f"week {n} prompt {prompt}", 0)
    journal_store.save_draft(place(usage_id=week[1], position=positions[1], user_id="learner-b"), 0, "P", "other", 0)
    journal_store.save_draft(place(usage_id=week[1], position=positions[1], journal_name="Other journal"),
                             2, "P", "other journal", 0)
    journal_store.save_draft(place(usage_id=week[1], position=positions[1], course_id="course-v1:X+Y+Z"),
                             3, "P", "other course", 0)

    with CaptureQueriesContext(connection) as queries:
        entries = journal_store.journal_for_learner(COURSE, "My learning journal", "learner-a")
    assert [entry.draft for entry in entries] == [
        "week 1 prompt 0", "week 1 prompt 1", "week 2 prompt 0", "week 3 prompt 0", "week 3 prompt 1",
    ]
    assert len(queries) == 2  # the entries, then the staff comments on them (prefetch)

    page = journal_store.journal_for_learner(COURSE, "My learning journal", "learner-a", offset=2, limit=2)
    assert [entry.draft for entry in page] == ["week 2 prompt 0", "week 3 prompt 0"]


def test_journal_order_puts_prompt_10_after_prompt_9(place):
    # prompt_index is a number: "10" must not sort between "1" and "2".
    where = place()
    for prompt in (10, 2, 9, 1):
        journal_store.save_draft(where, prompt, "P", f"prompt {prompt}", 0)
    entries = journal_store.journal_for_learner(COURSE, "My learning journal", "learner-a")
    assert [entry.prompt_index for entry in entries] == [1, 2, 9, 10]


def test_block_figures_count_learners_not_entries(place):
    # learner-a: two prompts, both submitted; learner-b: one draft only; learner-c: one of two submitted.
    for prompt in (0, 1):
        journal_store.submit(place("learner-a"), prompt, "P", "done", 0, True)
    journal_store.save_draft(place("learner-b"), 0, "P", "still writing", 0)
    journal_store.submit(place("learner-c"), 0, "P", "done", 0, True)
    journal_store.save_draft(place("learner-c"), 1, "P", "draft", 0)
    # learner-a revises: more revisions, still one learner and two entries.
    journal_store.submit(place("learner-a"), 0, "P", "done again", 1, True)
    # Another block's learner is not counted.
    journal_store.submit(place("learner-d", usage_id=BLOCK + "-week2"), 0, "P", "elsewhere", 0, True)

    with CaptureQueriesContext(connection) as queries:
        figures = journal_store.block_figures(BLOCK)
    assert figures == {"wrote": 3, "submitted": 2, "entries": 3, "with_feedback": 0}
    assert len(queries) == 1
    assert journal_store.block_figures("block-v1:nobody+here") == {"wrote": 0, "submitted": 0, "entries": 0,
                                                                  "with_feedback": 0}


def test_entries_for_learners_fetches_a_batch_in_one_query(place):
    learners = [f"learner-{n:03d}" for n in range(60)]
    for user_id in learners:
        for prompt in (1, 0):
            journal_store.save_draft(place(user_id), prompt, "P", f"{user_id}/{prompt}", 0)
    journal_store.save_draft(place("learner-000", usage_id=BLOCK + "-week2"), 0, "P", "other block", 0)

    batch = learners[10:50] + ["learner-without-entries"]
    with CaptureQueriesContext(connection) as queries:
        found = journal_store.entries_for_learners(BLOCK, batch)
    assert len(queries) == 1
    assert set(found) == set(learners[10:50])
    assert all([e.draft for e in found[u]] == [f"{u}/0", f"{u}/1"] for u in learners[10:50])
    assert journal_store.entries_for_learners(BLOCK, []) == {}


def test_submit_keeps_every_revision_dated_and_numbered(place):
    where = place()
    journal_store.save_draft(where, 0, "P", "draft", 0)
    before = timezone.now() - timedelta(seconds=1)
    entry, first = journal_store.submit(where, 0, "P", "first answer", 1, True)
    assert first is True
    entry, first = journal_store.submit(where, 0, "P", "second answer", entry.version, True)
    assert first is False

    entry = JournalEntry.objects.get()
    assert entry.revision_count == 2
    assert entry.submitted_text == "second answer"
    assert entry.first_submitted_at <= entry.submitted_at
    revisions = list(entry.revisions.all())
    assert [(r.number, r.text) for r in revisions] == [(1, "first answer"), (2, "second answer")]
    assert all(r.submitted_at >= before for r in revisions)
    assert revisions[0].submitted_at == entry.first_submitted_at
