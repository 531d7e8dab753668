"""Rows for Open edX's Problem Responses report (`generate_report_data`).

The platform hands a block an iterator over learners' XBlock user state. The suite keeps
learners' work in its own tables, keyed by anonymous id, so each block stores that id in
one user-state field (`learner_id`, declared on the base block) and the report looks the
rows up in batches: one query per batch of learners, whatever the size of the course.
Releases up to 0.2 named that field per component (`journal_owner`, ...): a learner who has
not acted since is still found under the old name (`legacy_field`).
"""
from itertools import islice

BATCH = 200


LEARNER_FIELD = "learner_id"


def _learner_of(state, legacy_field):
    return state.state.get(LEARNER_FIELD) or (state.state.get(legacy_field) if legacy_field else None)


def report_rows(user_state_iterator, rows_for_batch, limit_responses=None, legacy_field=None):
    """Yield (username, row) pairs, at most `limit_responses` of them.

    `rows_for_batch(owner_ids)` returns {owner_id: [row, ...]} for a batch of anonymous ids.
    """
    produced = 0
    states = iter(user_state_iterator)
    while batch := list(islice(states, BATCH)):
        owners = {_learner_of(state, legacy_field): state.username for state in batch
                  if _learner_of(state, legacy_field)}
        found = rows_for_batch(list(owners))
        for owner, username in owners.items():
            for row in found.get(owner, ()):
                if limit_responses is not None and produced >= limit_responses:
                    return
                produced += 1
                yield username, row
