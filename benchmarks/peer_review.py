"""Peer review benchmarks: allocation at 100,000 submissions, SQLite and MariaDB (issue 6, "Contract and performance").

Run through `bash benchmarks/run` (its own venv, a throwaway SQLite database; for this
benchmark it also starts a throwaway MariaDB server on loopback, and stops it on exit). The
SQLite part runs in this process; when the server's BIZMOOC_MARIADB_* env is there, the same
measurements run again in a child process on MariaDB (settings `benchmarks/mariadb_settings.py`,
through PyMySQL), and one report holds both.

In the xblock-sdk workbench with the devstack settings, two copies of a text peer review
(3 reviews to give, 3 needed, the general rubric), seeded straight into the tables with
bulk_create: one with 10 submissions, one with 100,000. Seeding (the same rules at both sizes,
in submission order, oldest first):

- 65% of the learners (not counting the measured pools) gave their 3 reviews ("done"); 90% of
  their submissions received 3 reviews, the newest 10% received 2 or 1 (their open slots are
  the head of the queue, tier 0); the reviews left over (3 per done author, 2 per finisher)
  went, one each, to the oldest submissions of authors who still owe reviews (tier 1, as the
  queue does once tier 0 has nothing at that position);
- the reviews are Review rows (random options, half with feedback), each by a distinct
  reviewer who never reviews their own work; a finished slot is an extra slot (tier 2,
  position + 3), as `queue_store.finish` leaves it; the open slots are as `add_slots` makes
  them (tier 0 when the author gave their reviews, else 1, positions 0-2);
- 1% of the block's learners hold a running lease (expiring 10-60 min ahead) on the first
  slots of the queue, the ones a hand-out has to read past; 0.2% hold an expired one;
- measured pools: "fresh" reviewers (the newest 3,000 submitters: submitted, gave nothing,
  hold no lease), "finishers" (600 learners who gave 2 reviews and owe a third: their review
  moves their own slots to tier 0), one learner reading the page while reviewing (a running
  lease) and one graded learner (3 reviews received, grade final). At 10 submissions the
  pools are 4 and 2 learners.

Measured, interleaved round by round with hello-world's student view as the floor:

1. `next_review` through the runtime (fresh runtime + get_block + handle, as the workbench per
   request), the same on a block whose fields were read ahead (untimed: Open edX loads a
   block's fields in bulk, the workbench runs a query per field) and `queue_store.hand_out`
   called directly in a transaction, each by a fresh reviewer; the lease handed out is given
   back (untimed) before the next operation, so the number of running leases stays as
   seeded; at 100,000 and at 10 submissions; next to a commit floor (a one-row UPDATE in its
   own transaction) and a cProfile of 200 direct hand-outs (compiling SQL, database, commit);
2. `submit_review` of a fresh reviewer's first review (also with the fields read ahead) and of
   a finisher's third (the lease handed out untimed first);
3. `state` and the student view of the reviewing and the graded learner (and the reviewing
   learner's with the fields read ahead);
4. database queries of each, split into peer review's tables, the workbench's field data
   and the total, at 10 and at 100,000 submissions (flagged when they differ: a reviewer's
   first `submit_review` does at 100,000: its work is the head of the queue, short of one
   review, so the review completes its grade and writes the grade columns (one UPDATE, and
   grade_ready's 2 queries on the notifications' tables); at 10 the seeded running lease holds
   the one such slot and the reviewer gets a work with fewer reviews, no grade to write. The
   count of each case is constant: tests/peer_review/test_peer_review_queries.py); the SQL on
   peer review's tables at 100,000 with its plan (SQLite `EXPLAIN QUERY PLAN`, MariaDB
   `EXPLAIN`), each SELECT's time on its own and, on MariaDB, the rows the hand-out's
   candidate query reads (Handler_read_*);
5. page weight of peer review's own JS+CSS: what a learner's page links to (the budget), the
   staff page's extra script and the Studio view's, raw and gzip.

Writes `peer_review.json` and `peer_review.md` to --results and prints the table. Figures are
never asserted; the process fails only when something crashes or an operation does not do
what it should (no lease handed out, one's own work handed out, a review not counted).
"""
import argparse
import collections
import cProfile
import json
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import harness  # noqa: F401  (sets Django up: import it before anything that needs Django)

# pylint: disable=wrong-import-position
from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Max  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import (  # noqa: E402
    BUDGET_MS_ABOVE_HELLO,
    BUDGET_OWN_BYTES,
    HELLO_XML,
    Bench,
    Fail,
    Prepared,
    QueryCounter,
    argument_parser,
    count_cell,
    count_operations,
    describe_sql,
    explain,
    file_weight,
    flag_lines,
    kb,
    machine_info,
    machine_sentence,
    measure_times,
    migrate,
    ms_cell,
    plan_warnings,
    table,
    time_sql,
    weight_row,
    write_results,
)

import xblocks.common  # noqa: E402
import xblocks.peer_review  # noqa: E402
from devstack.platform_services import LmsRuntime  # noqa: E402  the LMS services of the devstack
from xblocks.common.config import get_setting  # noqa: E402
from xblocks.peer_review import queue_store  # noqa: E402
from xblocks.peer_review.models import PEER, SUBMITTED, Review, ReviewSlot, Submission  # noqa: E402

PREFIX = "bizmooc_peer_review_"
QUERIES = QueryCounter("peer", (PREFIX,))
BUDGET_HAND_OUT_MS = 5.0  # DESIGN.md: at most 5 ms and 3 queries per hand-out with 100,000 submissions
BUDGET_HAND_OUT_QUERIES = 3
SEED = 2026
STAFF = "course_staff"  # staff in the devstack (WORKBENCH_STAFF_IDS)
REVIEWS = 3  # to give and needed

SIZES = {"small": 10, "large": 100_000}
# Fresh reviewers used by a hand-out go back to their pool; a review uses one up (at 10 submissions,
# the query counts of the two first-review operations use the 4 of them).
POOLS = {"small": {"fresh": 4, "finishers": 2}, "large": {"fresh": 3000, "finishers": 600}}
SHARE_DONE = 0.65  # authors who gave their reviews
SHARE_PARTIAL = 0.10  # of their submissions: still short of reviews (the head of the queue)
SHARE_LEASED = 0.01  # learners holding a running lease
SHARE_EXPIRED = 0.002  # learners whose lease ran out


def xml(n):
    return (f'<bizmooc_peer_review display_name="Benchmark: peer review, {n:,} submissions" submission_type="text" '
            f'reviews_to_give="{REVIEWS}" reviews_needed="{REVIEWS}"/>')


SCENARIOS = {
    "hello": ("bench.hello", "Benchmark: hello world", HELLO_XML),
    **{size: (f"bench.peer_review.{size}", f"Benchmark: peer review, {n} submissions", xml(n))
       for size, n in SIZES.items()},
}

OPERATIONS = {
    # name: label; the sizes each is measured at (timed at those in TIMED_AT, counted at both).
    "next_review": "`next_review` (handler, fresh reviewer)",
    "next_review/warm": "`next_review`, block fields read ahead (as Open edX loads them)",
    "hand_out": "`queue_store.hand_out` (direct, in a transaction)",
    "submit_review/first": "`submit_review`, a reviewer's first review",
    "submit_review/third": "`submit_review`, a reviewer's third (own slots move to tier 0)",
    "submit_review/warm": "`submit_review`, first review, block fields read ahead",
    "state/reviewing": "`state`, learner with a running lease",
    "state/graded": "`state`, graded learner (3 reviews received)",
    "render/reviewing": "student_view, learner with a running lease",
    "render/graded": "student_view, graded learner",
    "render/reviewing/warm": "student_view, learner with a running lease, block fields read ahead",
}
TIMED_SMALL = ("next_review", "next_review/warm", "hand_out")
WRITES = ("next_review", "next_review/warm", "hand_out", "submit_review/first", "submit_review/third",
          "submit_review/warm")  # also timed at 10 submissions: does the time grow?

SENTENCES = [
    "Our canteen throws away a lot of food every Friday afternoon.",
    "An app could let colleagues reserve the leftovers at a low price before two o'clock.",
    "I asked ten colleagues and eight of them said they would use it at least once a week.",
    "Field technicians lose time because the repair manuals are long PDF files.",
    "Short searchable steps with photos would let them find the right procedure on site.",
    "The idea costs little to try: one technical writer for three months and the existing app.",
    "Small shops in our town cannot afford a delivery service of their own.",
    "A shared cargo bike run by the shopkeepers' association could deliver within two hours.",
    "The risk is that customers do not want to pay for delivery; a pilot in one street would tell.",
    "Older neighbours often need help with their phones and online forms.",
    "Students from the vocational school could offer an hour of help in the library every week.",
    "It would be free for the neighbours and count as an internship for the students.",
    "The main competitor is the phone shop, but it only helps its own customers.",
    "Next, I would test the price with twenty customers and count how many come back.",
]
FEEDBACK = ["Clear idea, and the interviews make it convincing.", "Say who would pay for it.",
            "A good start: the test you propose is cheap and quick.", "Which problem comes first? It is not clear."]


def learner(size, i):
    return f"bench_pr_{size}_{i:06d}"


# Seeding ---------------------------------------------------------------------------------------

class Population:
    """Who is who in a seeded block, and what was seeded."""

    def __init__(self, fresh, finishers, reviewing, graded, stats):
        self.fresh = collections.deque(fresh)  # reviewers for hand-outs; given back after one
        self.finishers = list(finishers)
        self.reviewing = reviewing
        self.graded = graded
        self.stats = stats


def assign_reviews(received, reviewers, quota):
    """(submission index, reviewer index) of every finished review: breadth-first over the
    submissions (first reviews, then second, then third), each reviewer giving theirs to
    consecutive ones, never their own and never one twice."""
    items = [i for level in range(REVIEWS) for i, count in enumerate(received) if count > level]
    left = dict(quota)
    reviewed = collections.defaultdict(set)
    pairs, p = [], 0
    for sub in items:
        q = p
        while True:
            if q >= len(reviewers):
                raise Fail(f"seeding: nobody left to review submission {sub}")
            r = reviewers[q]
            if left[r] and r != sub and sub not in reviewed[r]:
                break
            q += 1
        pairs.append((sub, r))
        left[r] -= 1
        reviewed[r].add(sub)
        while p < len(reviewers) and not left[reviewers[p]]:
            p += 1
    return pairs


def seed(size, usage_id, course_id, the_rubric, rng, now):
    """Submissions, their slots, reviews and leases of one block (bulk_create); its Population."""
    n = SIZES[size]
    fresh_n, finishers_n = POOLS[size]["fresh"], POOLS[size]["finishers"]
    rest = n - fresh_n - finishers_n
    done_n = max(REVIEWS, round(SHARE_DONE * rest))
    full_n = done_n - max(1, math.ceil(SHARE_PARTIAL * done_n))
    finishers = range(rest, rest + finishers_n)
    users = [learner(size, i) for i in range(n)]
    # One submission every 12 s (100,000 in 14 days), at both sizes: the newest, the measured pools,
    # were submitted hours ago, well within the block's wait before fewer reviews count.
    step = timedelta(days=14) / SIZES["large"]
    start = now - timedelta(minutes=5) - step * n
    submitted = [start + step * i for i in range(n)]

    quota = {i: REVIEWS for i in range(done_n)}
    quota.update({i: REVIEWS - 1 for i in finishers})
    received = [REVIEWS if i < full_n else (2 - (i - full_n) % 2 if i < done_n else 0) for i in range(n)]
    left = sum(quota.values()) - sum(received)
    for i in range(done_n, n):  # leftovers: one each to the oldest works of authors who owe reviews
        if left <= 0:
            break
        received[i] += 1
        left -= 1
    pairs = assign_reviews(received, list(quota), quota)
    given = collections.Counter(r for _sub, r in pairs)

    first_pk = (Submission.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    submissions = []
    for i in range(n):
        text = " ".join(rng.sample(SENTENCES, rng.randint(4, 8)))
        submissions.append(Submission(
            id=first_pk + i, course_id=course_id, usage_id=usage_id, user_id=users[i],
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4), status=SUBMITTED, text=text, version=2,
            submitted_at=submitted[i], given=given[i], received=received[i], author_done=given[i] >= REVIEWS))

    finished_at = {}  # (sub, position) -> when its review was finished
    reviews = []
    criteria = [c for c in the_rubric.criteria if c.options]
    per_sub = collections.Counter()
    for sub, r in pairs:
        position = per_sub[sub]
        per_sub[sub] += 1
        moment = submitted[sub] + (now - submitted[sub]) * (0.2 + 0.7 * (position + rng.random()) / REVIEWS)
        finished_at[(sub, position)] = moment
        chosen = {c.id: rng.choice(c.options) for c in criteria}
        points = {cid: option.points for cid, option in chosen.items()}
        reviews.append(Review(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4), submission_id=first_pk + sub,
            course_id=course_id, usage_id=usage_id, reviewer_id=users[r], kind=PEER,
            scores={cid: option.id for cid, option in chosen.items()}, criterion_points=points, comments={},
            feedback=rng.choice(FEEDBACK) if rng.random() < 0.5 else "", points=sum(points.values()),
            created=moment))

    slots, open_slots = [], []
    for i in range(n):
        for position in range(REVIEWS):
            if position < received[i]:
                slots.append(ReviewSlot(submission_id=first_pk + i, usage_id=usage_id, author_id=users[i], tier=2,
                                        position=position + REVIEWS, submitted_at=submitted[i],
                                        available_at=finished_at[(i, position)]))
            else:
                slot = ReviewSlot(submission_id=first_pk + i, usage_id=usage_id, author_id=users[i],
                                  tier=0 if given[i] >= REVIEWS else 1, position=position,
                                  submitted_at=submitted[i], available_at=submitted[i])
                slots.append(slot)
                open_slots.append(slot)

    # Leases: running ones on the head of the queue, held by authors who owe reviews (one each);
    # expired ones on random open slots of tier 1.
    owing = [i for i in range(done_n, rest)]
    running_n = max(1, round(SHARE_LEASED * n))
    expired_n = round(SHARE_EXPIRED * n)
    if running_n + expired_n > len(owing):
        raise Fail(f"seeding: {len(owing)} learners owe reviews, {running_n + expired_n} leases wanted")
    head = sorted(open_slots, key=lambda s: (s.tier, s.position, s.submitted_at))
    lessees = iter(owing)
    for slot in head[:running_n]:
        who = next(lessees)
        slot.reviewer_id, slot.lease_id = users[who], uuid.UUID(int=rng.getrandbits(128), version=4)
        slot.expires_at = slot.available_at = now + timedelta(minutes=rng.uniform(10, 60))
    reviewing = head[0].reviewer_id
    tier1 = [s for s in open_slots if s.tier == 1 and s.reviewer_id is None]
    for slot in rng.sample(tier1, expired_n):
        who = users[next(lessees)]
        if who == slot.author_id:
            continue
        slot.reviewer_id, slot.lease_id = who, uuid.UUID(int=rng.getrandbits(128), version=4)
        slot.expires_at = slot.available_at = now - timedelta(minutes=rng.uniform(1, 600))

    started = time.monotonic()
    with override_settings(DEBUG=False), transaction.atomic():  # no query log while seeding
        Submission.objects.bulk_create(submissions, batch_size=2000)
        ReviewSlot.objects.bulk_create(slots, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
    if connection.vendor == "mysql":  # the statistics InnoDB would gather by itself, now
        with connection.cursor() as cursor:
            for model in (Submission, ReviewSlot, Review):
                cursor.execute(f"ANALYZE TABLE {model._meta.db_table}")  # pylint: disable=protected-access
                cursor.fetchall()
    inserted_s = time.monotonic() - started

    found = (Submission.objects.filter(usage_id=usage_id).count(), ReviewSlot.objects.filter(usage_id=usage_id).count(),
             Review.objects.filter(usage_id=usage_id).count())
    if found != (n, len(slots), len(reviews)):
        raise Fail(f"seeding {size}: stored {found}, wanted {(n, len(slots), len(reviews))}")
    stats = {
        "submissions": n, "slots": len(slots), "reviews": len(reviews),
        "done_authors": sum(1 for i in range(n) if given[i] >= REVIEWS),
        "fully_reviewed": sum(1 for c in received if c >= REVIEWS),
        "open_slots_tier0": sum(1 for s in open_slots if s.tier == 0),
        "open_slots_tier1": sum(1 for s in open_slots if s.tier == 1),
        "extra_slots_tier2": len(slots) - len(open_slots),
        "running_leases": running_n,
        "expired_leases": sum(1 for s in open_slots if s.expires_at and s.expires_at < now),
        "fresh_pool": fresh_n, "finishers_pool": finishers_n,
        "text_chars_mean": round(sum(len(s.text) for s in submissions) / n),
        "insert_s": round(inserted_s, 1),
    }
    graded = users[full_n // 2]
    return Population([users[i] for i in range(rest + finishers_n, n)], [users[i] for i in finishers],
                      reviewing, graded, stats)


# The workbench -----------------------------------------------------------------------------------

class PeerBench(Bench):
    scenarios = SCENARIOS

    def __init__(self):
        super().__init__()
        self.pop = {}
        self.place = {}
        self.floor_slot = {}
        self.pending = []  # (size, lease id, reviewer): leases handed out by a measured operation
        self.handed = collections.defaultdict(list)  # size -> (tier, position) of the slots handed out
        self.lease_minutes = get_setting("PEER_LEASE_MINUTES")

    def seed(self, rng):
        now = timezone.now()
        for size in SIZES:
            block = self.block(size, STAFF)
            self.place[size] = (block.usage_key_str, block.course_key_str)
            started = time.monotonic()
            self.pop[size] = seed(size, block.usage_key_str, block.course_key_str, block.rubric_for_learners, rng,
                                  now)
            self.pop[size].stats["seed_s"] = round(time.monotonic() - started, 1)
            self.floor_slot[size] = ReviewSlot.objects.filter(usage_id=block.usage_key_str, tier=2).values_list(
                "pk", flat=True).first()

    # Leases handed out by the measurements go back to the queue before the next operation.

    def settle(self):
        for size, lease_id, reviewer in self.pending:
            ReviewSlot.objects.filter(usage_id=self.place[size][0], lease_id=lease_id).update(
                reviewer_id=None, lease_id=None, expires_at=None, available_at=F("submitted_at"))
            self.pop[size].fresh.append(reviewer)
        self.pending.clear()

    def fresh(self, size):
        if not self.pop[size].fresh:
            raise Fail(f"{size}: no fresh reviewer left")
        return self.pop[size].fresh.popleft()

    def check_slot(self, size, reviewer, slot_author):
        if slot_author == reviewer:
            raise Fail(f"{size}: {reviewer} was handed their own submission")

    def after(self, key, handler, student, status, body):
        data = super().after(key, handler, student, status, body)
        if handler == "next_review" and not data.get("lease"):
            raise Fail(f"{key}: next_review gave {student} nothing to review: {data!r:.200}")
        return data

    # The measured operations (Prepared: the setup is untimed)

    def warm_block(self, size, student):
        """A runtime and its block whose fields were all read already (untimed), as Open edX loads
        a block's fields in bulk: the handler's own cost without the workbench's query per field."""
        runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[size])
        for name in block.fields:
            getattr(block, name)
        return runtime, block

    def handle_on(self, runtime, block, size, handler, student, request):
        response = runtime.handle(block, handler, request)
        return self.after(size, handler, student, response.status_code, response.body)

    def prepare_next_review(self, size, warm=False):
        self.settle()
        reviewer = self.fresh(size)
        request = self.request(reviewer, {})
        if warm:
            runtime, block = self.warm_block(size, reviewer)

        def run():
            if warm:
                lease = self.handle_on(runtime, block, size, "next_review", reviewer, request)["lease"]
            else:
                lease = self.handle(size, "next_review", reviewer, request)["lease"]
            self.pending.append((size, uuid.UUID(lease["id"]), reviewer))
        return run

    def commit_floor(self, size):
        """A one-row UPDATE in a transaction: what any write costs here, the commit included."""
        with transaction.atomic():
            ReviewSlot.objects.filter(pk=self.floor_slot[size]).update(
                available_at=F("available_at") + timedelta(microseconds=1))

    def prepare_hand_out(self, size):
        self.settle()
        reviewer = self.fresh(size)
        usage_id = self.place[size][0]

        def run():
            with transaction.atomic():
                slot = queue_store.hand_out(usage_id, reviewer, timezone.now(), self.lease_minutes)
            if slot is None:
                raise Fail(f"{size}: hand_out gave {reviewer} nothing")
            self.check_slot(size, reviewer, slot.author_id)
            self.pending.append((size, slot.lease_id, reviewer))
            self.handed[size].append((slot.tier, slot.position))
        return run

    def prepare_review(self, size, which, warm=False):
        self.settle()
        reviewer = self.fresh(size) if which == "first" else self.pop[size].finishers.pop()
        with transaction.atomic():
            slot = queue_store.hand_out(self.place[size][0], reviewer, timezone.now(), self.lease_minutes)
        if slot is None:
            raise Fail(f"{size}: nothing to review for {reviewer}")
        self.check_slot(size, reviewer, slot.author_id)
        request = self.request(reviewer, {"lease": str(slot.lease_id), "scores": {"ideas": "good", "evidence": "solid",
                                                                                   "organisation": "clear"},
                                          "comments": {}, "feedback": "Clear and useful."})
        want = 1 if which == "first" else REVIEWS
        if warm:
            runtime, block = self.warm_block(size, reviewer)

        def run():
            if warm:
                state = self.handle_on(runtime, block, size, "submit_review", reviewer, request)
            else:
                state = self.handle(size, "submit_review", reviewer, request)
            if state["peer"]["given"] != want:
                raise Fail(f"{size}: after submit_review {reviewer} gave {state['peer']['given']}, not {want}")
        return run

    def prepare_state(self, size, who):
        student = self.pop[size].reviewing if who == "reviewing" else self.pop[size].graded
        request = self.request(student, method="GET")
        step = "peer" if who == "reviewing" else "done"

        def run():
            state = self.handle(size, "state", student, request)
            if state["step"] != step or (who == "reviewing" and not state["peer"]["lease"]):
                raise Fail(f"{size}: state of the {who} learner: step {state['step']}, lease {state['peer']}")
        return run

    def render(self, size, who):
        student = self.pop[size].reviewing if who == "reviewing" else self.pop[size].graded
        return self.render_runtime(size, student)


def operations(bench):
    ops = {"render/hello": lambda: bench.render_runtime("hello", STAFF),
           "floor/commit": lambda: bench.commit_floor("large")}
    for size in SIZES:
        ops[f"{size}/next_review"] = Prepared(lambda s=size: bench.prepare_next_review(s))
        ops[f"{size}/next_review/warm"] = Prepared(lambda s=size: bench.prepare_next_review(s, warm=True))
        ops[f"{size}/submit_review/warm"] = Prepared(lambda s=size: bench.prepare_review(s, "first", warm=True))
        ops[f"{size}/hand_out"] = Prepared(lambda s=size: bench.prepare_hand_out(s))
        for which in ("first", "third"):
            ops[f"{size}/submit_review/{which}"] = Prepared(lambda s=size, w=which: bench.prepare_review(s, w))
        for who in ("reviewing", "graded"):
            ops[f"{size}/state/{who}"] = Prepared(lambda s=size, w=who: bench.prepare_state(s, w))
            ops[f"{size}/render/{who}"] = lambda s=size, w=who: bench.render(s, w)
        ops[f"{size}/render/reviewing/warm"] = Prepared(
            lambda s=size: bench.prepare_warm_render(s, bench.pop[s].reviewing))
    return ops


def timed_names():
    return (["render/hello", "floor/commit"] + [f"large/{name}" for name in OPERATIONS]
            + [f"small/{name}" for name in TIMED_SMALL])


# Plans -----------------------------------------------------------------------------------------

def explain_mysql(sql):
    """MariaDB's EXPLAIN of a captured query, one line per table read."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    return [f"{r['select_type']} {r['table']}: type={r['type']} key={r['key']} rows={r['rows']}"
            + (f" ({r['Extra']})" if r.get("Extra") else "") for r in rows]


def mysql_warnings(plan):
    return [line for line in plan if " type=ALL " in line]


def sorts(plan):
    """Plan lines that sort the rows found (a temporary B-tree, a filesort): noted, not flagged,
    when the rows come from an index equality (one submission's reviews, one lease)."""
    return [line for line in plan if "TEMP B-TREE" in line or "filesort" in line or "temporary" in line]


def rows_read_mysql(sql):
    """Rows MariaDB's handlers read to run a query once (SHOW SESSION STATUS Handler_read_*)."""
    def handler_reads(cursor):
        cursor.execute("SHOW SESSION STATUS LIKE 'Handler_read%%'")
        return {name: int(value) for name, value in cursor.fetchall()}

    with connection.cursor() as cursor:
        before = handler_reads(cursor)
        cursor.execute(sql)
        cursor.fetchall()
        after = handler_reads(cursor)
    return {name.replace("Handler_read_", ""): after[name] - before[name] for name in after
            if after[name] != before[name]}


def plans_of(sqls):
    """Each query on peer review's tables with its plan and, for a SELECT, its time run alone."""
    result = {}
    for name, statements in sqls.items():
        rows = []
        for sql in statements:
            entry = {"sql": sql, "plan": [], "alone_ms": None}
            if not sql.startswith("INSERT"):
                entry["plan"] = explain_mysql(sql) if connection.vendor == "mysql" else explain(sql)
            if sql.startswith("SELECT"):
                entry["alone_ms"] = time_sql(sql)
                if connection.vendor == "mysql" and "FOR UPDATE" in sql:
                    entry["rows_read"] = rows_read_mysql(sql)
            rows.append(entry)
        result[name] = rows
    return result


def warnings_of(plan):
    """Lines of a plan that read a whole table (SQLite SCAN, MariaDB type=ALL)."""
    if any("type=" in line for line in plan):
        return mysql_warnings(plan)
    return [line for line in plan_warnings(plan) if "TEMP B-TREE" not in line]


# One database ----------------------------------------------------------------------------------

def server_version():
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            return f"MariaDB {cursor.fetchone()[0]}"
    return f"SQLite {connection.Database.sqlite_version}"


def measure(args, weigh=False):
    """Everything measured on the database of this process's settings: a part of the report."""
    started = time.monotonic()
    migrate()
    bench = PeerBench()
    rng = random.Random(SEED)
    seed_started = time.monotonic()
    bench.seed(rng)
    seeded_s = time.monotonic() - seed_started
    database = server_version()
    ops = operations(bench)
    names = timed_names()
    print(f"benchmarks: peer_review on {database}: seeded in {seeded_s:.0f} s; {args.rounds} interleaved rounds "
          f"(+{args.warmup} warm-up) of {len(names)} operations…", file=sys.stderr, flush=True)
    raw = {}
    times = measure_times({name: ops[name] for name in names}, args.rounds, args.warmup, seed=SEED, raw=raw)
    bench.settle()
    # Per round (paired): each operation's time minus hello-world's render and minus the commit floor.
    pairs = {name: {f"minus_{floor}_ms": round(statistics.median(a - b for a, b in zip(values, raw[key])) / 1e6, 3)
                    for floor, key in (("hello", "render/hello"), ("commit", "floor/commit"))}
             for name, values in raw.items()}
    handed = dict(collections.Counter(bench.handed["large"]))
    counted = ["render/hello", "floor/commit"] + [f"{size}/{name}" for size in SIZES for name in OPERATIONS]
    counts, sqls = count_operations(ops, counted, QUERIES)
    bench.settle()
    plans = plans_of({name: sqls[f"large/{name}"] for name in OPERATIONS})
    plans_small = plans_of({"hand_out": sqls["small/hand_out"]})
    profile = profile_hand_out(bench) if args.profile != "never" else None
    bench.settle()
    part = {
        "database": database, "vendor": connection.vendor,
        "machine": machine_info(),
        "seeding": {size: bench.pop[size].stats for size in SIZES},
        "seeding_s": round(seeded_s, 1),
        "times": times, "paired": pairs, "queries": counts, "plans": plans, "plans_small": plans_small,
        "hand_out_profile": profile,
        "handed_out": {f"tier {t}, position {p}": c for (t, p), c in sorted(handed.items())},
        "duration_s": round(time.monotonic() - started, 1),
    }
    if weigh:
        part["page_weight"] = page_weight(bench)
    return part


def profile_hand_out(bench, calls=200):
    """Where a direct hand-out's time goes at 100,000 submissions (cProfile, ms per hand-out, the
    profiler's overhead included): Django compiling the queries to SQL, the database running
    them (rows fetched), the commit, the rest."""
    usage_id = bench.place["large"][0]
    profiler = cProfile.Profile()
    for _ in range(calls):
        bench.settle()
        reviewer = bench.fresh("large")
        profiler.enable()
        with transaction.atomic():
            slot = queue_store.hand_out(usage_id, reviewer, timezone.now(), bench.lease_minutes)
        profiler.disable()
        bench.pending.append(("large", slot.lease_id, reviewer))
    stats = pstats.Stats(profiler).stats

    def cumulative(predicate):
        return max((ct for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
                    if predicate(filename, name)), default=0.0)

    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.values())
    parts = {
        "total": total,
        "compile_sql": cumulative(lambda f, n: f.endswith("django/db/models/sql/compiler.py") and n == "as_sql"),
        "database": cumulative(lambda f, n: f.endswith("django/db/backends/utils.py") and n == "_execute"),
        "commit": cumulative(lambda f, n: f.endswith("django/db/backends/base/base.py") and n == "_commit"),
    }
    parts["rest"] = parts["total"] - parts["compile_sql"] - parts["database"] - parts["commit"]
    return {key: round(value * 1000 / calls, 2) for key, value in parts.items()}


def measure_on_mariadb(args):
    """The same measurements in a child process on the MariaDB server of benchmarks/run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "mariadb.json"
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="mariadb_settings")
        subprocess.run([sys.executable, __file__, "--part", str(out), "--rounds", str(args.rounds), "--warmup",
                        str(args.warmup)], env=env, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


# Page weight -----------------------------------------------------------------------------------

def page_weight(bench):
    package_dir = Path(xblocks.peer_review.__path__[0])
    common_dir = Path(xblocks.common.__path__[0])
    student = bench.pop["small"].graded
    own, shared = bench.shipped_files("small", "student_view", package_dir, common_dir, student)
    staff, staff_shared = bench.shipped_files("small", "student_view", package_dir, common_dir, STAFF)
    studio, studio_shared = bench.shipped_files("small", "studio_view", package_dir, common_dir, STAFF)
    return {
        "learner": file_weight(own, package_dir),
        "staff_extra": file_weight(set(staff) - set(own), package_dir),
        # loaded by BizMOOC.loadScript: the extras on first use, the files' script where a block takes files
        "on_demand": file_weight({package_dir / "static/js/peer_review_extras.js"}, package_dir),
        "files_on_demand": file_weight({package_dir / "static/js/peer_review_files.js"}, package_dir),
        "studio": file_weight(studio, package_dir),
        "learner_and_studio": file_weight(set(own) | set(studio), package_dir),
        "shared_helper": file_weight(set(shared) | set(staff_shared) | set(studio_shared), common_dir),
        "installed_from": str(package_dir),
    }


# Report ----------------------------------------------------------------------------------------

def flags_of(part):
    db = part["database"]
    t, q, p = part["times"], part["queries"], part["paired"]
    flags = []
    for name in ("next_review", "next_review/warm", "hand_out"):
        median = t[f"large/{name}"]["median_ms"]
        if median > BUDGET_HAND_OUT_MS:
            flags.append(f"{db}: {OPERATIONS[name]} at 100,000 submissions: median {median:.2f} ms, over the "
                         f"{BUDGET_HAND_OUT_MS:.0f} ms budget (at 10 submissions: "
                         f"{t[f'small/{name}']['median_ms']:.2f} ms; a one-row write transaction here: "
                         f"{t['floor/commit']['median_ms']:.2f} ms; the queries alone: below)")
        own = q[f"large/{name}"]["peer"]
        if own > BUDGET_HAND_OUT_QUERIES:
            extra = " (the reviewer's own submission locked first, then hand_out's 3)" if name == "next_review" else ""
            flags.append(f"{db}: {OPERATIONS[name]}: {own} queries on peer review's tables, over the "
                         f"{BUDGET_HAND_OUT_QUERIES} of DESIGN.md's budget{extra}")
    for name in OPERATIONS:
        small, large = q[f"small/{name}"], q[f"large/{name}"]
        if (small["peer"], small["field_data"], small["total"]) != (large["peer"], large["field_data"], large["total"]):
            flags.append(f"{db}: QUERY COUNT DIFFERS WITH SIZE: {OPERATIONS[name]}: 10: {count_cell(small, 'peer')}, "
                         f"100,000: {count_cell(large, 'peer')}")
        for entry in part["plans"][name]:
            for line in warnings_of(entry["plan"]):
                flags.append(f"{db}: {OPERATIONS[name]}: `{describe_sql(entry['sql'], PREFIX, 90)}`: plan "
                             f"`{line.replace(PREFIX, '')}`")
    for name in ("render/reviewing", "render/graded", "render/reviewing/warm"):
        over = p[f"large/{name}"]["minus_hello_ms"]
        if over > BUDGET_MS_ABOVE_HELLO:
            flags.append(f"{db}: {OPERATIONS[name]}: {over:+.1f} ms above hello-world (budget "
                         f"{BUDGET_MS_ABOVE_HELLO:.0f} ms; field data queries: "
                         f"{q[f'large/{name}']['field_data']} of {q[f'large/{name}']['total']})")
    return flags


def markdown(doc):
    parts = [part for part in (doc["sqlite"], doc["mariadb"]) if part]
    dbs = [part["database"] for part in parts]
    c = doc["config"]
    lines = [f"# Peer review benchmarks: allocation with 100,000 submissions ({doc['machine']['timestamp']})", "",
             machine_sentence(doc["machine"], c) + f" Databases: {', '.join(dbs)}.", ""]
    if not doc["mariadb"]:
        lines += [f"**MariaDB not measured**: {doc['mariadb_missing']}", ""]
    s = doc["sqlite"]["seeding"]["large"]
    lines += [f"Seeded with bulk_create (module docstring): one block of {s['submissions']:,} submitted works, "
              f"{s['slots']:,} queue slots ({s['open_slots_tier0']:,} open in tier 0, {s['open_slots_tier1']:,} in "
              f"tier 1, {s['extra_slots_tier2']:,} finished), {s['reviews']:,} peer reviews; {s['done_authors']:,} "
              f"authors gave their {REVIEWS} reviews, {s['fully_reviewed']:,} works have all {REVIEWS}; "
              f"{s['running_leases']:,} running leases on the head of the queue, {s['expired_leases']:,} expired. "
              f"Texts of {s['text_chars_mean']} characters on average. The same rules at 10 submissions. Every "
              "measured hand-out is by a fresh reviewer (submitted, nothing given, no lease); the lease it makes goes "
              "back (untimed) before the next operation. Seeding took "
              + ", ".join(f"{part['database']} {part['seeding_s']:.0f} s" for part in parts) + ".", ""]
    lines += ["## Time (ms, median / p90; fresh runtime + get_block + handle/render, as the workbench per request)",
              "", f"Budget: a hand-out within {BUDGET_HAND_OUT_MS:.0f} ms at 100,000 submissions. `− floor`: median of "
              "per-round differences to a floor measured in the same rounds: hello-world's student view for the "
              "views and `state`, the commit floor (a one-row UPDATE in its own transaction: what any write costs "
              "on this disk) for the operations that write.", ""]

    def floor_cell(part, key, name):
        floor = "commit" if name in WRITES else "hello"
        return f"{part['paired'][key][f'minus_{floor}_ms']:+.2f} ({floor})"

    rows = []
    for name, label in OPERATIONS.items():
        rows.append([label, "100,000"] + [ms_cell(part["times"][f"large/{name}"]) for part in parts]
                    + [floor_cell(part, f"large/{name}", name) for part in parts])
        if name in TIMED_SMALL:
            rows.append([label, "10"] + [ms_cell(part["times"][f"small/{name}"]) for part in parts]
                        + [floor_cell(part, f"small/{name}", name) for part in parts])
    rows.append(["hello-world student_view (floor)", ""] + [ms_cell(part["times"]["render/hello"])
                                                           for part in parts] + ["" for _ in parts])
    rows.append(["one-row UPDATE in a transaction (commit floor)", ""]
                + [ms_cell(part["times"]["floor/commit"]) for part in parts] + ["" for _ in parts])
    lines += table(["operation", "submissions"] + dbs + [f"− floor ({db.split()[0]})" for db in dbs],
                   "lr" + "r" * 2 * len(parts), rows)
    for part in parts:
        lines += ["", f"Slots the direct hand-outs got ({part['database']}): "
                  + ", ".join(f"{k}: {v}" for k, v in part["handed_out"].items()) + "."]
    lines += ["", "## Where a direct hand-out's time goes at 100,000 submissions (cProfile, ms per hand-out, "
              "profiler overhead included)", "", "Compiling: Django turning the querysets into SQL; database: "
              "running them, rows fetched; candidate alone: the candidate query run on its own at 10 and at "
              "100,000 submissions (median of 5).", ""]
    rows = []
    for part in parts:
        prof = part.get("hand_out_profile")
        alone = [[e["alone_ms"] for e in plans["hand_out"] if "position" in e["sql"].split("ORDER BY")[-1]]
                 for plans in (part["plans_small"], part["plans"])]
        cand = " → ".join(f"{a[0]:.2f}" for a in alone if a)
        if prof:
            rows.append([part["database"], prof["total"], prof["compile_sql"], prof["database"], prof["commit"],
                         prof["rest"], cand])
    if rows:
        lines += table(["database", "total", "compiling SQL", "database", "commit", "rest",
                        "candidate alone (10 → 100,000)"], "lrrrrrr", rows)
    lines += ["", "## Database queries (peer review tables / workbench field data / total incl. BEGIN/COMMIT)", ""]
    rows = []
    for name, label in OPERATIONS.items():
        row = [label]
        for part in parts:
            small, large = part["queries"][f"small/{name}"], part["queries"][f"large/{name}"]
            same = (small["peer"], small["field_data"], small["total"]) == \
                (large["peer"], large["field_data"], large["total"])
            row += [count_cell(small, "peer"), count_cell(large, "peer"), "yes" if same else "**NO**"]
        rows.append(row)
    header = ["operation"]
    for db in dbs:
        short = db.split()[0]
        header += [f"{short}: 10", f"{short}: 100,000", "constant?"]
    lines += table(header, "l" + "rrl" * len(parts), rows)
    for part in parts:
        lines += ["", f"## Queries on peer review's tables at 100,000 submissions, {part['database']}", "",
                  "Plan: " + ("`EXPLAIN QUERY PLAN`" if part["vendor"] == "sqlite" else "`EXPLAIN`")
                  + "; alone: the SELECT run on its own (median of 5, ms)"
                  + ("; rows read: Handler_read_* of one run of the candidate query." if part["vendor"] == "mysql"
                     else "."), ""]
        rows = []
        for name in ("next_review", "hand_out", "submit_review/first", "submit_review/third", "state/reviewing"):
            for entry in part["plans"][name]:
                plan = "; ".join(entry["plan"]) or "–"
                if entry.get("rows_read"):
                    plan += " — rows read: " + ", ".join(f"{k} {v}" for k, v in entry["rows_read"].items())
                rows.append([OPERATIONS[name].split(" (")[0].split(",")[0] + ("" if "/" not in name else
                                                                             f" ({name.split('/')[1]})"),
                             f"`{describe_sql(entry['sql'], PREFIX, 160)}`", plan.replace(PREFIX, ""),
                             "" if entry["alone_ms"] is None else f"{entry['alone_ms']:.2f}"])
        lines += table(["operation", "query", "plan", "alone"], "lllr", rows)
        sorted_rows = sorted({describe_sql(entry["sql"], PREFIX, 110) for entries in part["plans"].values()
                              for entry in entries if sorts(entry["plan"])})
        if sorted_rows:
            lines += ["", "Sorts in these plans (not flagged: each sorts the rows an index equality found, one "
                      "submission's reviews or one lease): " + "; ".join(f"`{text}`" for text in sorted_rows) + "."]
    w = doc["page_weight"]
    lines += ["", "## Page weight (own JS+CSS; gzip -6 per file)", ""]
    lines += table(["what", "files", "bytes", "gzip"], "llrr", [weight_row(label, w[key]) for label, key in (
        ("learner page: what the student view links to (the budget)", "learner"),
        ("staff page: the dashboard's script, on top", "staff_extra"),
        ("on first use: training, review drafts, conflicts, artefact choice", "on_demand"),
        ("where a block takes files: the upload field and file lists", "files_on_demand"),
        ("Studio view", "studio"),
        ("student + Studio views", "learner_and_studio"),
        ("shared helper xblocks/common/static (once per page)", "shared_helper"))])
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], rounds=100, warmup=10,
                             profile_help="cProfile 200 direct hand-outs at 100,000 submissions (auto, always: yes)")
    parser.add_argument("--part", type=Path, help=argparse.SUPPRESS)  # the MariaDB child writes its part there
    args = parser.parse_args(argv)
    if args.part:  # the MariaDB child: measure, hand the part back, nothing else
        args.part.write_text(json.dumps(measure(args)), encoding="utf-8")
        return 0
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    sqlite = measure(args, weigh=True)
    weight = sqlite.pop("page_weight")
    mariadb, missing = None, None
    if os.environ.get("BIZMOOC_MARIADB_HOST"):
        mariadb = measure_on_mariadb(args)
    else:
        missing = "no server (run through `bash benchmarks/run`, which starts one with scripts/mariadb)"
    flags = flags_of(sqlite) + (flags_of(mariadb) if mariadb else [])
    if weight["learner"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"peer review's own JS+CSS on learner pages is {kb(weight['learner']['bytes'])} (budget 20 KB)")
    if not mariadb:
        flags.append(f"MariaDB not measured: {missing}")
    doc = {
        "machine": sqlite["machine"],
        "config": {"rounds": args.rounds, "warmup": args.warmup, "seed": SEED, "sizes": SIZES, "pools": POOLS,
                   "reviews_to_give": REVIEWS, "reviews_needed": REVIEWS,
                   "shares": {"done": SHARE_DONE, "partial": SHARE_PARTIAL, "leased": SHARE_LEASED,
                              "expired": SHARE_EXPIRED},
                   "scenario": xml(SIZES["large"])},
        "sqlite": sqlite, "mariadb": mariadb, "mariadb_missing": missing,
        "page_weight": weight, "flags": flags,
        "budgets": {"hand_out_ms": BUDGET_HAND_OUT_MS, "hand_out_queries": BUDGET_HAND_OUT_QUERIES,
                    "render_ms_above_hello": BUDGET_MS_ABOVE_HELLO, "own_js_css_bytes": BUDGET_OWN_BYTES},
        "duration_s": round(time.monotonic() - started, 1),
    }
    write_results(args.results, "peer_review", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
