"""Retirement deletes a table that others reference with one DELETE of its own
(learning_to_learn/privacy.py `_delete_learners`, peer_review/privacy.py `_delete_submissions`),
after deleting the rows that reference it; every other table through `QuerySet.delete()`.
A new foreign key to one of those tables must be deleted first there: this test names it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xblocks.learning_to_learn import privacy as l2l_privacy
from xblocks.learning_to_learn.models import (
    AssessmentResponse,
    CompetenceRating,
    JournalEntry,
    JournalFeedback,
    JournalRevision,
)
from xblocks.peer_review import privacy as peer_privacy
from xblocks.peer_review.models import Review, ReviewSlot, Submission, TrainingAnswer

DELETED_FIRST = {
    JournalEntry: {JournalRevision, JournalFeedback},
    AssessmentResponse: {CompetenceRating},
    Submission: {ReviewSlot, Review},
}


def referencing(model):
    return {relation.related_model for relation in model._meta.related_objects}  # pylint: disable=protected-access


@pytest.mark.parametrize("model", list(DELETED_FIRST), ids=lambda model: model.__name__)
def test_a_table_deleted_with_one_statement_is_referenced_only_by_tables_deleted_before_it(model):
    assert referencing(model) == DELETED_FIRST[model], (
        f"A new table references {model.__name__}: delete its rows first in the retirement (privacy.py)")


@pytest.mark.parametrize("model", [JournalRevision, JournalFeedback, CompetenceRating, ReviewSlot, Review,
                                   TrainingAnswer], ids=lambda model: model.__name__)
def test_the_other_tables_are_referenced_by_none_so_delete_is_one_statement(model):
    assert not referencing(model)


@pytest.mark.django_db
@pytest.mark.parametrize("retire", [l2l_privacy.retire_journal, l2l_privacy.retire_self_assessment,
                                    peer_privacy.retire_peer_review])
def test_retiring_nobody_deletes_nothing(retire):
    with CaptureQueriesContext(connection) as captured:
        assert retire([]) == 0
    assert not any(query["sql"].startswith("DELETE FROM") and "IN ()" in query["sql"]
                   for query in captured.captured_queries)
