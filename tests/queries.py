"""Counting the database queries of one view or handler call, for the query-count tests.

Why one module: every block promises a constant number of queries per view and handler
(DESIGN.md's budget), and every block's query test counts them the same way. Counting in one
place keeps the blocks' figures comparable: the same statements are left out (the savepoints
Django's test transactions add, which the LMS does not run) and the same tables are "own".
"""
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The bookkeeping of Django's test transactions around each atomic block, not the block's queries.
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT")


def statements_of(action):
    """Run `action()`; return the SQL it sent (savepoints left out) and what it returned."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith(SAVEPOINTS)], result


def count_queries(action, own_tables):
    """Run `action()`: (number of statements, number of those naming one of `own_tables`, its result).

    A handler's answer (anything with a `status`) must be a success: counting the queries of a
    refusal would prove nothing. `own_tables` are table names or prefixes of them.
    """
    statements, result = statements_of(action)
    if hasattr(result, "status"):
        assert result.status == 200, result.text
    own = [sql for sql in statements if any(table in sql for table in own_tables)]
    return len(statements), len(own), result
