"""Which submission a reviewer gets next: the rules, without a database.

A submitted work has `reviews_needed` slots in the queue, one per review it still needs.
A reviewer gets the first slot, in this order, that they may take:

1. never a slot of their own submission, nor of one they already reviewed, nor one that
   someone else holds under an unexpired lease;
2. slots of submissions whose authors gave the reviews they owe come first (tier 0), then
   the others (tier 1): learners who do their part get their reviews first;
3. then the fewest reviews (finished plus leased): a slot's `position` is how many reviews
   its submission had when it was made available, so first reviews go before second ones;
4. then the oldest submission (`submitted_at`), then the slot id (a stable tie-break).

When a slot's review is finished, the slot becomes an "extra" slot (tier 2, its position
moved past every needed review), so that a learner who must still give reviews when every
submission has its count is handed one that has few reviews, not turned away.

A lease lasts `lease_minutes`; while it runs the slot's `available_at` is its expiry, so an
expired lease is available again without anything scanning for it. `queue_store` runs this
order as one indexed query; `pick` below is the same rule on plain values, for the tests.
"""
from dataclasses import dataclass
from datetime import timedelta

TIER_AUTHOR_DONE = 0
TIER_AUTHOR_OWES = 1
TIER_EXTRA = 2


@dataclass(frozen=True)
class Slot:
    id: int
    submission: str
    author: str
    tier: int
    position: int
    submitted_at: object
    available_at: object


def author_tier(author_done):
    return TIER_AUTHOR_DONE if author_done else TIER_AUTHOR_OWES


def initial_slots(reviews_needed, author_done):
    """(tier, position) of the slots a newly submitted work gets."""
    return [(author_tier(author_done), position) for position in range(max(reviews_needed, 1))]


def after_review(position, reviews_needed):
    """(tier, position) of a slot once its review is finished: an extra slot, after the others."""
    return TIER_EXTRA, position + max(reviews_needed, 1)


def lease_expiry(now, lease_minutes):
    return now + timedelta(minutes=lease_minutes)


def is_expired(expires_at, now):
    return expires_at is None or expires_at <= now


def priority(slot):
    """The sort key of the queue (the column order of the `bizmooc_peer_queue` index)."""
    return slot.tier, slot.position, slot.submitted_at, slot.id


def eligible(slot, reviewer, reviewed, now):
    """May `reviewer` (who reviewed the submissions in `reviewed`) take `slot` now?"""
    return slot.author != reviewer and slot.submission not in reviewed and slot.available_at <= now


def pick(slots, reviewer, reviewed, now):
    """The slot `reviewer` gets next, or None."""
    candidates = [slot for slot in slots if eligible(slot, reviewer, reviewed, now)]
    return min(candidates, key=priority, default=None)
