"""The allocation rules on plain values: who gets which submission to review next."""
from datetime import datetime, timedelta, timezone

from xblocks.peer_review import allocation
from xblocks.peer_review.allocation import TIER_AUTHOR_DONE, TIER_AUTHOR_OWES, TIER_EXTRA, Slot

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def slot(id_, submission, author, tier=TIER_AUTHOR_DONE, position=0, age_hours=1, available_in=None):
    submitted = NOW - timedelta(hours=age_hours)
    available = submitted if available_in is None else NOW + timedelta(minutes=available_in)
    return Slot(id_, submission, author, tier, position, submitted, available)


def test_never_ones_own_submission():
    slots = [slot(1, "s-a", "ann")]
    assert allocation.pick(slots, "ann", set(), NOW) is None
    assert allocation.pick(slots, "bob", set(), NOW).id == 1


def test_never_a_submission_already_reviewed():
    slots = [slot(1, "s-a", "ann", position=0), slot(2, "s-a", "ann", position=1), slot(3, "s-c", "cid", position=1)]
    assert allocation.pick(slots, "bob", {"s-a"}, NOW).id == 3


def test_never_a_slot_someone_holds_until_the_lease_expires():
    held = slot(1, "s-a", "ann", available_in=30)
    other = slot(2, "s-c", "cid", position=2)
    assert allocation.pick([held, other], "bob", set(), NOW).id == 2
    later = NOW + timedelta(minutes=31)
    assert allocation.pick([held, other], "bob", set(), later).id == 1  # the expired lease is back in the queue


def test_authors_who_did_their_reviews_come_first_then_fewest_then_oldest():
    owes_new = slot(1, "s-owes", "ann", tier=TIER_AUTHOR_OWES, position=0)
    done_second = slot(2, "s-done", "cid", tier=TIER_AUTHOR_DONE, position=1)
    done_first_young = slot(3, "s-young", "dan", tier=TIER_AUTHOR_DONE, position=0, age_hours=1)
    done_first_old = slot(4, "s-old", "eve", tier=TIER_AUTHOR_DONE, position=0, age_hours=5)
    extra = slot(5, "s-extra", "fay", tier=TIER_EXTRA, position=0)
    slots = [owes_new, done_second, done_first_young, done_first_old, extra]
    order = []
    reviewed = set()
    while (chosen := allocation.pick(slots, "bob", reviewed, NOW)) is not None:
        order.append(chosen.id)
        reviewed.add(chosen.submission)
    assert order == [4, 3, 2, 1, 5]


def test_a_finished_slot_becomes_an_extra_slot_after_every_needed_review():
    assert allocation.after_review(0, 3) == (TIER_EXTRA, 3)
    assert allocation.after_review(3, 3) == (TIER_EXTRA, 6)
    assert allocation.initial_slots(2, author_done=False) == [(TIER_AUTHOR_OWES, 0), (TIER_AUTHOR_OWES, 1)]
    assert allocation.initial_slots(3, author_done=True) == [(TIER_AUTHOR_DONE, n) for n in range(3)]


def test_lease_expiry():
    expires = allocation.lease_expiry(NOW, 60)
    assert expires == NOW + timedelta(minutes=60)
    assert not allocation.is_expired(expires, NOW + timedelta(minutes=59))
    assert allocation.is_expired(expires, NOW + timedelta(minutes=60))
    assert allocation.is_expired(None, NOW)
