"""Benchmarks of the idea board at MOOC scale: 20,000 ideas and 100,000 votes (issue 5, "Contract and performance").

Run through `bash benchmarks/run` (its own venv, a throwaway SQLite database). In the
xblock-sdk workbench with the devstack settings, four copies of the demo block "Week 1:
how might we reduce food waste in our canteen?" (categories process / product / people,
tags allowed, 5 dots per learner, at most 2 per idea, phases switched by staff), seeded
straight into the tables with bulk_create:

- one board (room_size 0) and rooms of 100 (room_size 100), each at two sizes: SMALL
  (20 learners, 20 ideas, 100 votes: one room) and LARGE (20,000 learners, 20,000 ideas,
  100,000 votes: one room of 20,000, or 200 rooms of 100 learners, 100 ideas and 500
  votes each, the measured learners in room 101);

measures in one process, interleaved round by round with hello-world's student view as
the floor, for a learner of the measured room (the reader, a voter and a poster):

1. the student view (first page, newest; fresh runtime + get_block + render, as the
   workbench per request) in the vote phase, a learner's and the staff's (all rooms), and
   the learner's on a block whose fields were read ahead (untimed), as Open edX loads them
   in bulk: the block's own cost without the workbench's query per field;
2. `poll` with nothing changed and with a change (the room's revision moved on), the staff
   poll of the whole board; `set_dots` 0 -> 1 (a vote) and 1 -> 0 (taking the dot back);
   `post_idea` in the collect phase; `board`: page 1 newest, page 1 by votes, a category, a
   tag and a search, and the staff's page 1 by votes across all rooms, through
   `runtime.handle` (the request is built untimed; the phase is switched untimed, in the
   board's row, when an operation needs the other one);
3. database queries of each, split into the idea board's tables, the workbench's field
   data and the total, with a flag when a count differs between the small and the large
   board; at the large size SQLite's plan of every query on the board's tables and each
   SELECT's time when run on its own;
4. the size of the student view's JSON arguments and HTML, of `poll`'s and `board`'s answers;
5. page weight of the board's own JS+CSS that a learner's page links to (up front: the
   budget), the staff page's and the Studio view's apart, raw and gzip, the shared helper
   counted once.

Seeding (documented in the results too): the board row (manual phase "vote"), its rooms,
one membership per learner (placed in order, as `join` fills rooms), the ideas (each room
gets ideas in proportion to its learners; authors drawn from the room's learners, so some
post two or three and some none; 90% with one of the three categories, 30% with one or two
tags as `IdeaTag` rows too, 15% building on an earlier idea of the room, 1% withdrawn, 0.5%
hidden by staff, 0.3% hidden by three flags, one pinned per room; created over two weeks;
every 7th idea "Compost ..." in category "product" with tag "app", so that the filters
measured find ideas on the small boards too),
one `PostLog` row per idea, and five one-dot votes per learner on distinct visible ideas of
their room, not their own, drawn with a popularity skew (weights 1/rank^0.9 over a random
ranking of the room's ideas). Clusters (issue 13): in each room 10% of the visible ideas are
grouped, in clusters of 2 to 4 under their oldest idea (the lead), before the votes are drawn:
votes go to cards (ideas of their own and leads), never to the members, as after a grouping.
Denormalised counters are set from the rows: an idea's votes
and builds, a room's participants, ideas (not withdrawn) and revision, a membership's
`completed` by the block's rule (2 ideas and 3 dots). The measured voter holds 4 votes
elsewhere and toggles a fifth on one idea, so the tables hold 100,000 vote rows or one
fewer. Comments and flag rows are not seeded (no measured operation reads them).

Clusters and columns: `board` for each category's column (the desktop's columns, a phone's
tabs), `group_ideas` by staff (two cards of the measured room that the voter did not vote on,
grouped; the pair is ungrouped again untimed before each round, so the first round merges the
duplicate's dots, later rounds none), `ungroup_idea` (the same pair, grouped untimed first),
and `set_dots` 0 -> 1 on a cluster's card (the dot taken back untimed, with the target's, so
the budget allows it).

`--quick`: the large boards with 1,000 learners and ideas instead of 20,000, written to
`idea_board-quick.{json,md}` (a check of the benchmark, not the figures).

Writes `idea_board.json` and `idea_board.md` to --results and prints the table. Figures are
never asserted; the process fails only when something crashes or an operation does not do
what it should (a page without its ideas, a vote not counted, a poll that sees no change).
"""
import contextlib
import itertools
import json
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import harness  # noqa: F401  (sets Django up: import it before anything that needs Django)

# pylint: disable=wrong-import-position
from django.db import transaction  # noqa: E402
from django.db.models import Count, Max, Sum  # noqa: E402
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
    profile_calls,
    profile_lines,
    table,
    time_sql,
    weight_row,
    write_results,
)

import xblocks.common  # noqa: E402
import xblocks.creativity_lab  # noqa: E402
from devstack.platform_services import LmsRuntime  # noqa: E402  the LMS services of the devstack
from xblocks.common.config import get_setting  # noqa: E402
from xblocks.creativity_lab import board_store  # noqa: E402
from xblocks.creativity_lab import board_views as views  # noqa: E402
from xblocks.creativity_lab.models import (  # noqa: E402
    FLAGGED,
    HIDDEN,
    VISIBLE,
    WITHDRAWN,
    Board,
    Idea,
    IdeaTag,
    Membership,
    PostLog,
    Room,
    Vote,
)
from xblocks.creativity_lab.scenarios import BRAINSTORMING  # noqa: E402

PREFIX = "bizmooc_creativity_lab_"
QUERIES = QueryCounter("board", (PREFIX,))
SEED = 2024
STAFF = "course_staff"  # staff in the devstack (WORKBENCH_STAFF_IDS)
PAGE_OVER_MS = 100.0  # a page this slow is a problem whatever hello-world takes
SLOW_QUERY_MS = 1.0  # a query plan's sort or scan is flagged when the query alone takes this long
SLOW_ANY_QUERY_MS = 5.0  # any SELECT on the board's tables is flagged when it alone takes this long

ROOM_SIZE = 100
CONFIGS = {"one": ("one board", 0), "rooms": (f"rooms of {ROOM_SIZE}", ROOM_SIZE)}
SIZES = {"small": (20, 20), "large": (20_000, 20_000)}  # (learners, ideas); every learner places 5 one-dot votes
VOTES_PER_LEARNER = 5
BOARDS = [f"{config}_{size}" for config in CONFIGS for size in SIZES]

# The demo board, unchanged for one board; with room_size for the rooms. Its rules (read by
# the seeding): 5 dots, at most 2 per idea, complete with 2 ideas and 3 dots.
BUDGET, MAX_PER_IDEA, COMPLETION_IDEAS, COMPLETION_DOTS = 5, 2, 2, 3
CATEGORIES = ("process", "product", "people")


def board_xml(room_size):
    return BRAINSTORMING if not room_size else BRAINSTORMING.replace(
        "<bizmooc_idea_board ", f'<bizmooc_idea_board room_size="{room_size}" ', 1)


SCENARIOS = {
    "hello": ("bench.hello", "Benchmark: hello world", HELLO_XML),
    **{f"{config}_{size}": (f"bench.ideas.{config}.{size}",
                            f"Benchmark: idea board, {label}, {SIZES[size][1]:,} ideas", board_xml(room_size))
       for config, (label, room_size) in CONFIGS.items() for size in SIZES},
}

SEARCH, TAG, CATEGORY = "compost", "app", "product"
CLUSTERED_SHARE = 0.10  # of each room's visible ideas, grouped in clusters of 2 to 4
OPERATIONS = {
    # key: (label, role); each runs on every board as "<key>/<board>".
    "render": ("student_view, a learner (first page, newest)", "reader"),
    "render_warm": ("the same, block fields read ahead (the block's own cost)", "reader"),
    "poll_same": ("`poll`, nothing changed", "reader"),
    "poll_changed": ("`poll`, the room changed", "reader"),
    "vote_add": ("`set_dots` 0 → 1 (a vote)", "voter"),
    "vote_remove": ("`set_dots` 1 → 0 (the dot taken back)", "voter"),
    "post_idea": ("`post_idea` (collect phase)", "poster"),
    "board_newest": ("`board` page 1, newest", "reader"),
    "board_votes": ("`board` page 1, most votes", "reader"),
    "board_category": (f"`board` category \"{CATEGORY}\"", "reader"),
    "board_tag": (f"`board` tag \"{TAG}\"", "reader"),
    "board_search": (f"`board` search \"{SEARCH}\"", "reader"),
    "staff_render": ("student_view, staff (all rooms)", "staff"),
    "staff_poll": ("`poll`, staff, whole board, nothing changed", "staff"),
    "staff_board_votes": ("`board`, staff, all rooms, page 1, most votes", "staff"),
    **{f"board_column_{c}": (f"`board` column \"{c}\" (a phone's tab)", "reader") for c in CATEGORIES
       if c != CATEGORY},
    "group": ("`group_ideas`, staff (a duplicate into a card)", "staff"),
    "ungroup": ("`ungroup_idea`, staff (the cluster dissolved)", "staff"),
    "vote_cluster": ("`set_dots` 0 → 1 on a cluster's card", "voter"),
}
BOARD_QUERY = {"board_newest": "&page=1", "board_votes": "&page=1&sort=votes",
               "board_category": f"&category={CATEGORY}", "board_tag": f"&tag={TAG}", "board_search": f"&q={SEARCH}",
               "staff_board_votes": "&page=1&sort=votes",
               **{f"board_column_{c}": f"&category={c}" for c in CATEGORIES if c != CATEGORY}}

# What learners post on the canteen board: a title from two halves, a text of two or three sentences.
TITLE_STARTS = ["Offer half portions", "Let people pre-order lunch", "Weigh the daily waste", "Donate unsold meals",
                "Sell yesterday's bread cheaply", "Compost the peelings", "Show the waste on a screen",
                "Plan the menu from sales data", "Use smaller plates", "Cook pasta to order", "Freeze leftover soup",
                "Ask guests to rate the portions", "Put a salad bar by weight", "Turn leftovers into a daily special"]
TITLE_ENDS = ["at lunch", "on Fridays", "for the late shift", "with an app", "through a local charity",
              "in every cafeteria", "with the kitchen team", "before 10 am", "by the exit", "at a discount"]
SENTENCES = [
    "Most of what we throw away is rice and potatoes that were served but not eaten.",
    "The kitchen cooks for the busiest day of the week, every day.",
    "A pilot in the small cafeteria for one month would show whether it works.",
    "Students told us in the survey they would pay less for a smaller plate.",
    "The local food bank collects every evening if we tell them by 3 pm.",
    "A scale by the dish return costs about 400 euros and shows the waste per day.",
    "The compost could go to the university garden, which asked for it last year.",
    "Pre-orders in the app would tell the kitchen at 10 am how many meals to cook.",
    "Bread is baked at 6 am and half of it is left at closing time.",
    "Guests could choose side dishes themselves instead of getting all of them.",
    "We could start with one dish a day and measure the difference after two weeks.",
    "The canteen team would need half an hour a day for this at first.",
]
TAGS = ["quick-win", "kitchen", "app", "students", "staff", "charity", "compost", "pricing", "menu", "data",
        "packaging", "events"]


def learner(n):
    return f"bench_ib_{n:05d}"


@contextlib.contextmanager
def explicit_dates(model, *names):
    """Let bulk_create keep the dates given (auto_now / auto_now_add off) for the duration."""
    fields = [model._meta.get_field(name) for name in names]  # pylint: disable=protected-access
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# Seeding ------------------------------------------------------------------------------------------

def seed_board(usage_id, course_id, room_size, n_learners, n_ideas, rng):
    """The board's rows (see the module's docstring) in one transaction; the measured learners
    and the voter's target idea, by role, plus what was seeded."""
    start = datetime(2026, 11, 2, 8, tzinfo=timezone.utc)
    per_room = room_size or n_learners
    n_rooms = -(-n_learners // per_room)
    numbers = [board_store.NO_ROOMS] if not room_size else list(range(1, n_rooms + 1))
    target_index = len(numbers) // 2  # the measured room: the middle one (room 101 of 200)
    with transaction.atomic():
        board = Board.objects.create(course_id=course_id, usage_id=usage_id, manual_phase="vote")
        Room.objects.bulk_create(Room(board=board, number=number) for number in numbers)
        rooms = list(Room.objects.filter(board=board).order_by("number"))
        members = [[learner(i) for i in range(r * per_room, min((r + 1) * per_room, n_learners))]
                   for r in range(len(rooms))]
        # The measured learners: the first three of the measured room.
        reader, voter, poster = members[target_index][:3]

        # Ideas, in proportion to each room's learners, in time order within the board.
        next_pk = (Idea.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        ideas = []  # dicts, then rows
        room_ideas = [[] for _ in rooms]
        owner_of_idea = [r for r, people in enumerate(members) for _ in people]  # learner index -> room
        span = timedelta(days=14) / n_ideas
        for j in range(n_ideas):
            r = owner_of_idea[j * n_learners // n_ideas]
            author = rng.choice(members[r])
            earlier = room_ideas[r]
            parent = rng.choice(earlier) if earlier and rng.random() < 0.15 else None
            roll = rng.random()
            status = WITHDRAWN if roll < 0.01 else HIDDEN if roll < 0.015 else FLAGGED if roll < 0.018 else VISIBLE
            idea = {"pk": next_pk + j, "room": r, "author": author, "parent": parent, "status": status,
                    "pinned": False, "votes": 0, "builds": 0, "created": start + span * j,
                    "category": rng.choice(CATEGORIES) if rng.random() < 0.9 else "",
                    "tags": rng.sample(TAGS, rng.choice((1, 2))) if rng.random() < 0.3 else [],
                    "title": f"{rng.choice(TITLE_STARTS)} {rng.choice(TITLE_ENDS)}",
                    "text": " ".join(rng.sample(SENTENCES, rng.choice((2, 3))))}
            if j % 7 == 0:  # every board, however small, has ideas that the filters measured find
                idea.update(title=f"Compost the peelings {rng.choice(TITLE_ENDS)}", category=CATEGORY,
                            tags=sorted({TAG, *idea["tags"]}))
            if parent is not None:
                parent["builds"] += 1
            ideas.append(idea)
            earlier.append(idea)
        for r, found in enumerate(room_ideas):
            visible = [idea for idea in found if idea["status"] == VISIBLE]
            if visible:
                rng.choice(visible)["pinned"] = True

        # Clusters: 10% of each room's visible ideas, in clusters of 2 to 4 under their oldest idea.
        for r, found in enumerate(room_ideas):
            visible = [idea for idea in found if idea["status"] == VISIBLE and not idea["pinned"]]
            pool = rng.sample(visible, len(visible))
            grouped = 0
            while pool and grouped < CLUSTERED_SHARE * len(visible):
                size = min(rng.choice((2, 3, 4)), len(pool))
                chunk = sorted(pool[:size], key=lambda idea: idea["pk"])
                del pool[:size]
                for member in chunk[1:]:
                    member["cluster"] = chunk[0]
                grouped += size

        # Votes: five one-dot votes per learner on distinct cards of their room, not their own.
        votes = []  # (idea, voter)
        dots = {}
        target = lead = None
        for r, people in enumerate(members):
            visible = [idea for idea in room_ideas[r] if idea["status"] == VISIBLE and "cluster" not in idea]
            ranked = rng.sample(visible, len(visible))
            cumulative = list(itertools.accumulate(1 / (k + 1) ** 0.9 for k in range(len(ranked))))
            if r == target_index:
                target = next(idea for idea in ranked[len(ranked) // 3:] if idea["author"] != voter)
                # The measured cluster: one led by someone else than the voter, who never votes on it.
                leading = {id(i["cluster"]) for i in room_ideas[r] if "cluster" in i}
                lead = next((idea for idea in ranked if id(idea) in leading and idea["author"] != voter
                             and idea is not target), None)
                if lead is None:  # a small room without one: two cards grouped for it
                    lead, member = [idea for idea in ranked if idea["author"] != voter and idea is not target
                                    and id(idea) not in leading and not idea["pinned"]][:2]
                    member["cluster"] = lead
                    ranked.remove(member)
                    cumulative = cumulative[:-1]
                    leading.add(id(lead))
            for person in people:
                wanted = VOTES_PER_LEARNER - 1 if person == voter else VOTES_PER_LEARNER
                chosen = {}  # idea pk -> idea, in the order drawn
                while len(chosen) < wanted:
                    for idea in rng.choices(ranked, cum_weights=cumulative, k=2 * VOTES_PER_LEARNER):
                        if (len(chosen) < wanted and idea["author"] != person and idea["pk"] not in chosen
                                and not (person == voter and (idea is target or idea is lead))):
                            chosen[idea["pk"]] = idea
                for idea in chosen.values():
                    idea["votes"] += 1
                    votes.append((idea, person))
                dots[person] = len(chosen)

        with explicit_dates(Idea, "created", "modified"):
            Idea.objects.bulk_create((Idea(
                id=i["pk"], public_id=uuid.UUID(int=rng.getrandbits(128), version=4), course_id=course_id,
                usage_id=usage_id, room=rooms[i["room"]], author=i["author"], author_name=i["author"],
                title=i["title"], text=i["text"], category=i["category"], tags=i["tags"],
                builds_on_id=i["parent"]["pk"] if i["parent"] else None, status=i["status"], pinned=i["pinned"],
                cluster_id=i["cluster"]["pk"] if "cluster" in i else None,
                votes=i["votes"], flags=3 if i["status"] == FLAGGED else 0, builds=i["builds"],
                created=i["created"], modified=i["created"]) for i in ideas), batch_size=2000)
        IdeaTag.objects.bulk_create((IdeaTag(idea_id=i["pk"], room=rooms[i["room"]], tag=tag)
                                     for i in ideas for tag in i["tags"]), batch_size=2000)
        PostLog.objects.bulk_create((PostLog(usage_id=usage_id, user_id=i["author"], created=i["created"])
                                     for i in ideas), batch_size=2000)
        Vote.objects.bulk_create((Vote(idea_id=idea["pk"], usage_id=usage_id, voter=person, dots=1)
                                  for idea, person in votes), batch_size=2000)
        posted = {}
        for idea in ideas:
            if idea["status"] != WITHDRAWN:
                posted[idea["author"]] = posted.get(idea["author"], 0) + 1
        authors = {idea["author"] for idea in ideas}
        took_part = {r: [p for p in people if p in authors or dots.get(p, 0)] for r, people in enumerate(members)}
        Membership.objects.bulk_create((Membership(
            usage_id=usage_id, user_id=person, room=rooms[r], contributed=person in authors or bool(dots.get(person)),
            completed=posted.get(person, 0) >= COMPLETION_IDEAS and dots.get(person, 0) >= COMPLETION_DOTS)
            for r, people in enumerate(members) for person in people), batch_size=2000)
        for r, room in enumerate(rooms):
            found = room_ideas[r]
            Room.objects.filter(pk=room.pk).update(
                participants=len(members[r]), contributors=len(took_part[r]),
                ideas=sum(1 for i in found if i["status"] != WITHDRAWN),
                revision=len(found) + sum(i["votes"] for i in found))
    # The staff's pair: two cards of the measured room of their own, that the voter did not vote on.
    mine = {idea["pk"] for idea, person in votes if person == voter}
    room = room_ideas[target_index]
    leading = {i["cluster"]["pk"] for i in room if "cluster" in i}
    free = [i for i in room if i["status"] == VISIBLE and "cluster" not in i and i is not target and not i["pinned"]
            and i["pk"] not in mine and i["pk"] not in leading]
    public = dict(Idea.objects.filter(pk__in=[lead["pk"], free[0]["pk"], free[1]["pk"]])
                  .values_list("pk", "public_id"))
    return {
        "roles": {"reader": reader, "voter": voter, "poster": poster, "staff": STAFF},
        "lead": str(public[lead["pk"]]), "pair": (str(public[free[0]["pk"]]), str(public[free[1]["pk"]])),
        "target": str(Idea.objects.filter(pk=target["pk"]).values_list("public_id", flat=True).get()),
        "room_number": None if not room_size else numbers[target_index],
        "rooms": len(rooms), "learners": n_learners, "ideas": n_ideas, "votes": len(votes),
        "room_learners": len(members[target_index]), "room_ideas": len(room_ideas[target_index]),
        "room_votes": sum(i["votes"] for i in room_ideas[target_index]),
        "room_visible": sum(1 for i in room_ideas[target_index] if i["status"] == VISIBLE),
        "room_cards": sum(1 for i in room_ideas[target_index] if i["status"] == VISIBLE and "cluster" not in i),
        "clustered": sum(1 for i in ideas if "cluster" in i),
        "clusters": len({i["cluster"]["pk"] for i in ideas if "cluster" in i}),
        "tag_rows": sum(len(i["tags"]) for i in ideas),
    }


def check_counters(usage_id, seeded):
    """The denormalised counters agree with the rows they count."""
    ideas = Idea.objects.filter(usage_id=usage_id)
    if ideas.aggregate(n=Sum("votes"))["n"] != Vote.objects.filter(usage_id=usage_id).aggregate(n=Sum("dots"))["n"]:
        raise Fail(f"seeding {usage_id}: ideas' vote counters differ from the votes")
    if Vote.objects.filter(usage_id=usage_id).count() != seeded["votes"]:
        raise Fail(f"seeding {usage_id}: not {seeded['votes']} vote rows")
    rooms = Room.objects.filter(board__usage_id=usage_id)
    if rooms.aggregate(n=Sum("participants"))["n"] != Membership.objects.filter(usage_id=usage_id).count():
        raise Fail(f"seeding {usage_id}: participants differ from memberships")
    if rooms.aggregate(n=Sum("ideas"))["n"] != ideas.exclude(status=WITHDRAWN).count():
        raise Fail(f"seeding {usage_id}: rooms' idea counters differ from the ideas")
    over = Vote.objects.filter(usage_id=usage_id).values("voter").annotate(n=Sum("dots")).filter(n__gt=BUDGET)
    if over.exists():
        raise Fail(f"seeding {usage_id}: a learner over the dot budget")
    builds = ideas.exclude(builds_on=None).values("builds_on").annotate(n=Count("pk"))
    if sum(row["n"] for row in builds) != ideas.aggregate(n=Sum("builds"))["n"]:
        raise Fail(f"seeding {usage_id}: builds counters differ from the ideas built on")


# The workbench ------------------------------------------------------------------------------------------

class IdeaBench(Bench):
    scenarios = SCENARIOS

    def __init__(self):
        super().__init__()
        self.rng = random.Random(SEED)
        self.seeded = {}
        self.phase = {}
        self.voted = {}  # board -> the voter's dots on the target idea
        self.cluster_dot = {}  # board -> the voter's dots on the cluster's card ("lead")
        self.grouped = {}  # board -> whether the staff's pair is grouped
        self.posts = 0
        self.usage_str = {key: str(usage) for key, usage in self.usage.items()}

    def role(self, key, role):
        return self.seeded[key]["roles"][role]

    def set_phase(self, key, phase):
        """The staff's manual phase, straight in the board's row (untimed)."""
        if self.phase[key] != phase:
            Board.objects.filter(usage_id=self.usage_str[key]).update(manual_phase=phase)
            self.phase[key] = phase

    # The measured operations, each prepared untimed

    def prepare_render(self, key, role, warm=False):
        """A render; `warm`: on a block whose fields were read ahead (untimed), as Open edX loads
        them in bulk, so the workbench's one query per field read stays out."""
        self.set_phase(key, "vote")
        student = self.role(key, role)
        if warm:
            return self.prepare_warm_render(key, student)
        return lambda: self.render_runtime(key, student)

    def prepare_poll(self, key, role, changed):
        self.set_phase(key, "vote")
        student = self.role(key, role)
        if role == "staff":
            revision = board_store.board_revision(self.usage_str[key])[0]
        else:
            revision = board_store.learner_revision(self.usage_str[key], student)[0]
        request = self.request(student, method="GET", query=f"&since={revision - changed}&phase=vote")

        def run():
            answer = self.handle(key, "poll", student, request)
            if answer["changed"] != bool(changed):
                raise Fail(f"poll on {key} since {revision - changed} answered {answer!r:.200}")
            return answer
        return run

    def vote(self, key, dots, on="target"):
        """The voter's dots on the target idea (or `on` "lead": the cluster's card), set through
        the handler; the answer checked."""
        student = self.role(key, "voter")
        request = self.request(student, {"idea": self.seeded[key][on], "dots": dots})
        answer = self.handle(key, "set_dots", student, request)
        if answer["idea"]["my_dots"] != dots or answer["me"]["dots_used"] != VOTES_PER_LEARNER - 1 + dots:
            raise Fail(f"set_dots {dots} on the {on} of {key} answered {answer!r:.300}")
        (self.voted if on == "target" else self.cluster_dot)[key] = dots
        return answer

    def prepare_vote_cluster(self, key):
        """A dot on a cluster's card (0 -> 1); untimed first: the dot taken back, and the
        target's, so that the voter has one left."""
        self.set_phase(key, "vote")
        if self.voted[key]:
            self.vote(key, 0)
        if self.cluster_dot[key]:
            self.vote(key, 0, "lead")
        return lambda: self.vote(key, 1, "lead")

    def group(self, key, grouped):
        """Staff group the pair (the second into the first) or ungroup it; the answer checked."""
        first, second = self.seeded[key]["pair"]
        handler, body = ("group_ideas", {"idea": second, "into": first}) if grouped else ("ungroup_idea",
                                                                                       {"idea": first})
        answer = self.handle(key, handler, STAFF, self.request(STAFF, body))
        if [m["id"] for m in answer["idea"]["members"]] != ([second] if grouped else []):
            raise Fail(f"{handler} on {key} answered {answer!r:.300}")
        self.grouped[key] = grouped
        return answer

    def prepare_group(self, key, grouped):
        self.set_phase(key, "vote")
        if self.grouped[key] == grouped:
            self.group(key, not grouped)
        return lambda: self.group(key, grouped)

    def prepare_vote(self, key, dots):
        """A vote (0 -> 1) or its taking back (1 -> 0); the other state is set first, untimed."""
        self.set_phase(key, "vote")
        if self.cluster_dot[key]:
            self.vote(key, 0, "lead")
        if self.voted[key] == dots:
            self.vote(key, 1 - dots)
        return lambda: self.vote(key, dots)

    def prepare_post(self, key):
        self.set_phase(key, "collect")
        student = self.role(key, "poster")
        # The rate limit (IDEA_POSTS_PER_MINUTE) counts the last minute's posts: forget the benchmark's own.
        PostLog.objects.filter(usage_id=self.usage_str[key], user_id=student,
                               created__gt=datetime.now(timezone.utc) - timedelta(minutes=5)).delete()
        self.posts += 1
        rng = random.Random(self.posts)
        request = self.request(student, {"title": f"{rng.choice(TITLE_STARTS)} {rng.choice(TITLE_ENDS)}",
                                         "text": " ".join(rng.sample(SENTENCES, 2)), "category": CATEGORY,
                                         "tags": [TAG]})

        def run():
            answer = self.handle(key, "post_idea", student, request)
            if not answer["idea"]["mine"]:
                raise Fail(f"post_idea on {key} answered {answer!r:.300}")
            return answer
        return run

    def prepare_board(self, key, name):
        self.set_phase(key, "vote")
        student = self.role(key, OPERATIONS[name][1])
        request = self.request(student, method="GET", query=BOARD_QUERY[name])

        def run():
            answer = self.handle(key, "board", student, request)
            if answer["total"] and not answer["ideas"]:
                raise Fail(f"board {name} on {key}: {answer['total']} ideas but none on page 1")
            return answer
        return run

    # What the student view sends

    def fragment(self, key, role="reader"):
        runtime = LmsRuntime(self.role(key, role))
        block = runtime.get_block(self.usage[key])
        frag = block.student_view({})
        args = frag.json_init_args["bizmooc"]
        html = frag.body_html()
        return {"json_args_bytes": len(args.encode()), "body_html_bytes": len(html.encode()),
                "args": json.loads(args)}


def operations(bench):
    ops = {"render/hello": lambda: bench.render_runtime("hello", learner(0))}
    for key in BOARDS:
        ops[f"render/{key}"] = Prepared(lambda key=key: bench.prepare_render(key, "reader"))
        ops[f"render_warm/{key}"] = Prepared(lambda key=key: bench.prepare_render(key, "reader", warm=True))
        ops[f"staff_render/{key}"] = Prepared(lambda key=key: bench.prepare_render(key, "staff"))
        ops[f"poll_same/{key}"] = Prepared(lambda key=key: bench.prepare_poll(key, "reader", 0))
        ops[f"poll_changed/{key}"] = Prepared(lambda key=key: bench.prepare_poll(key, "reader", 1))
        ops[f"staff_poll/{key}"] = Prepared(lambda key=key: bench.prepare_poll(key, "staff", 0))
        ops[f"vote_add/{key}"] = Prepared(lambda key=key: bench.prepare_vote(key, 1))
        ops[f"vote_remove/{key}"] = Prepared(lambda key=key: bench.prepare_vote(key, 0))
        ops[f"post_idea/{key}"] = Prepared(lambda key=key: bench.prepare_post(key))
        ops[f"group/{key}"] = Prepared(lambda key=key: bench.prepare_group(key, True))
        ops[f"ungroup/{key}"] = Prepared(lambda key=key: bench.prepare_group(key, False))
        ops[f"vote_cluster/{key}"] = Prepared(lambda key=key: bench.prepare_vote_cluster(key))
        for name in BOARD_QUERY:
            ops[f"{name}/{key}"] = Prepared(lambda key=key, name=name: bench.prepare_board(key, name))
    return ops


def check(bench):
    """The views show what they should before anything is measured."""
    for key in BOARDS:
        seeded = bench.seeded[key]
        args = bench.fragment(key)["args"]
        page = args["board"]
        if page["total"] != seeded["room_cards"] or len(page["ideas"]) != min(20, seeded["room_cards"]):
            raise Fail(f"{key}: the learner's first page shows {len(page['ideas'])} of {page['total']} cards, "
                       f"the room has {seeded['room_cards']} (ideas of their own and clusters)")
        if args["room"]["number"] != seeded["room_number"]:
            raise Fail(f"{key}: the learner is in room {args['room']['number']}, not {seeded['room_number']}")
        staff = bench.fragment(key, "staff")["args"]
        if len(staff["rooms"]) != seeded["rooms"]:
            raise Fail(f"{key}: staff see {len(staff['rooms'])} rooms, not {seeded['rooms']}")
        votes = bench.prepare_board(key, "board_votes")()
        ranked = [idea["votes"] for idea in votes["ideas"] if not idea["pinned"]]
        if ranked != sorted(ranked, reverse=True) or None in ranked:
            raise Fail(f"{key}: page 1 by votes is not in vote order: {ranked}")
        for name in ("board_category", "board_tag", "board_search", *(n for n in BOARD_QUERY if "column" in n)):
            if not bench.prepare_board(key, name)()["total"]:
                raise Fail(f"{key}: {name} finds nothing")
        bench.prepare_vote(key, 1)()
        bench.prepare_vote(key, 0)()
        bench.prepare_post(key)()
        bench.prepare_vote_cluster(key)()
        bench.prepare_group(key, True)()
        bench.prepare_group(key, False)()
        bench.prepare_poll(key, "reader", 0)()
        bench.prepare_poll(key, "reader", 1)()


# Measurements ---------------------------------------------------------------------------------------------

def plans(sqls, timed=True):
    """SQLite's plan of every query on the board's tables; a SELECT's time when run on its own."""
    result = {}
    for name, statements in sqls.items():
        rows = []
        for sql in statements:
            row = {"sql": sql, "plan": explain(sql)}
            if timed and sql.lstrip().upper().startswith("SELECT"):
                row["alone_ms"] = time_sql(sql)
            rows.append(row)
        result[name] = rows
    return result


def page_weight(bench):
    """Own JS+CSS that the learner's and the staff's student view and the Studio view link
    to, raw and gzip -6 (per file), from the installed package; the shared helper once."""
    package_dir = Path(xblocks.creativity_lab.__path__[0])
    common_dir = Path(xblocks.common.__path__[0])
    key = "rooms_small"
    own, shared = bench.shipped_files(key, "student_view", package_dir, common_dir, bench.role(key, "reader"))
    staff, staff_shared = bench.shipped_files(key, "student_view", package_dir, common_dir, STAFF)
    studio, studio_shared = bench.shipped_files(key, "studio_view", package_dir, common_dir, STAFF)
    every = [p for p in (package_dir / "static").rglob("*") if p.suffix in (".js", ".css")]
    more = [package_dir / views.MORE_JS]  # loaded on first use (board_views.MORE_JS)
    return {
        "on_demand": file_weight(more, package_dir),
        "learner": file_weight(own, package_dir),
        "staff": file_weight(staff, package_dir),
        "studio": file_weight(studio, package_dir),
        "learner_and_studio": file_weight(set(own) | set(studio), package_dir),
        "shared_helper": file_weight(set(shared) | set(staff_shared) | set(studio_shared), common_dir),
        "not_linked": [str(p.relative_to(package_dir)) for p in sorted(every) if p not in set(own) | set(staff)
                       | set(studio) | set(more)],
        "installed_from": str(package_dir),
    }


def profile_render(bench, results_dir, key, renders=30):
    student = bench.role(key, "reader")
    bench.set_phase(key, "vote")
    return profile_calls(lambda: bench.render_runtime(key, student), renders, results_dir / "idea_board-profile.txt",
                         f"cProfile of {renders} idea board student_view renders, {key} (runtime layer)", top=8)


# Report ---------------------------------------------------------------------------------------------------------

def board_label(key):
    config, size = key.split("_")
    return f"{CONFIGS[config][0]}, {SIZES[size][1]:,} ideas"


def markdown(doc):
    t, p, q, c = doc["times"], doc["paired"], doc["queries"], doc["config"]
    lines = [f"# Idea board benchmarks ({doc['machine']['timestamp']})", "",
             machine_sentence(doc["machine"], c), ""]
    lines += ["Boards: the demo block \"Week 1\" (3 categories, tags, 5 dots per learner, at most 2 per idea, "
              "phases switched by staff), seeded with bulk_create (see the docstring of `benchmarks/idea_board.py`):",
              ""]
    lines += table(["board", "learners", "ideas", "vote rows", "rooms", "clusters / ideas grouped under a lead",
                    "measured room: learners / ideas / visible / votes", "seeding s"], "lrrrrrrr", [
        [board_label(key), f"{s['learners']:,}", f"{s['ideas']:,}", f"{s['votes']:,}", f"{s['rooms']:,}",
         f"{s['clusters']:,} / {s['clustered']:,}",
         f"{'room ' + str(s['room_number']) if s['room_number'] else 'the board'}: {s['room_learners']:,} / "
         f"{s['room_ideas']:,} / {s['room_visible']:,} / {s['room_votes']:,}", c["seeding_s"][key]]
        for key, s in doc["seeded"].items()])
    lines += ["", "Measured for three learners of the measured room (reader, voter, poster) and staff (all rooms). "
              "Page size 20. All operations interleaved, round by round; the phase (vote, or collect for "
              "`post_idea`) is set untimed before each.", ""]
    lines += [f"## Time (ms, median / p90; fresh runtime + get_block + render/handle, as the workbench per "
              f"request); hello-world's student view: {ms_cell(t['render/hello'])}", "",
              "Renders also show `− hello`: the median of per-round differences to hello-world (paired).", ""]
    rows = []
    for op, (label, _role) in OPERATIONS.items():
        cells = []
        for key in BOARDS:
            cell = ms_cell(t[f"{op}/{key}"])
            if op in ("render", "render_warm", "staff_render"):
                cell += f" ({p[f'{op}/{key}']:+.1f})"
            cells.append(cell)
        rows.append([label] + cells)
    lines += table(["operation"] + [board_label(key) for key in BOARDS], "l" + "r" * len(BOARDS), rows)
    lines += ["", "## Database queries (board tables / workbench field data / total incl. savepoints)", ""]
    rows = []
    for op, (label, _role) in OPERATIONS.items():
        growth = doc["query_growth"][op]
        rows.append([label] + [count_cell(q[f"{op}/{key}"], "board") for key in BOARDS]
                    + ["yes" if not growth else f"**NO: {growth}**"])
    rows.append(["hello-world student_view (the floor)", count_cell(q["render/hello"], "board"), "", "", "", ""])
    lines += table(["operation"] + [board_label(key) for key in BOARDS] + ["constant?"],
                   "l" + "r" * len(BOARDS) + "l", rows)
    for large in ("one_large", "rooms_large"):
        lines += ["", f"## Queries on the board's tables, {board_label(large)}: SQLite plans and time alone", "",
                  "`alone`: the captured SELECT run on its own (median of 5, ms, rows fetched).", ""]
        rows = []
        for op, (label, _role) in OPERATIONS.items():
            for query in doc["board_queries"][f"{op}/{large}"]:
                rows.append([label, f"`{describe_sql(query['sql'], PREFIX, 140)}`",
                             describe_sql("; ".join(query["plan"]), PREFIX, 2000) or "–",
                             f"{query['alone_ms']:.2f}" if "alone_ms" in query else ""])
        lines += table(["operation", "query", "plan", "alone"], "lllr", rows)
    f, a = doc["fragments"], doc["answer_bytes"]
    lines += ["", "## What the student view and the handlers send (bytes; handler answers as json.dumps)", ""]
    lines += table(["board", "learner: view's JSON arguments", "learner: view's HTML", "staff: view's JSON arguments",
                    "`poll`, nothing changed", "`poll`, changed", "`board` page 1"], "lrrrrrr", [
        [board_label(key), f"{f[key]['reader']['json_args_bytes']:,}", f"{f[key]['reader']['body_html_bytes']:,}",
         f"{f[key]['staff']['json_args_bytes']:,}", f"{a[key]['poll_same']:,}", f"{a[key]['poll_changed']:,}",
         f"{a[key]['board_newest']:,}"] for key in BOARDS])
    w = doc["page_weight"]
    lines += ["", "## Page weight (own JS+CSS; gzip -6 per file)", ""]
    lines += table(["what", "files", "bytes", "gzip"], "llrr", [
        weight_row(label, w[name]) for label, name in (
            ("learner's page: what the student view links to (up front: the budget)", "learner"),
            ("learner's page, on first use (comments, flags, editing, moving, withdrawal, notifications)",
             "on_demand"),
            ("staff's page: what the student view links to", "staff"),
            ("Studio view", "studio"),
            ("learner's page + Studio view", "learner_and_studio"),
            ("shared helper xblocks/common/static (once per page)", "shared_helper"))])
    if w["not_linked"]:
        lines += ["", "Own static files no view links to: " + ", ".join(f"`{n}`" for n in w["not_linked"]) + "."]
    harmless = plan_findings(doc, slow=False)
    if harmless:
        lines += ["", f"Plans that sort in a temporary B-tree or scan, but take under {SLOW_QUERY_MS:.0f} ms alone "
                  "(not flagged):", ""]
        lines += [f"- {label}, {board_label(board)}: `{describe_sql(query['sql'], PREFIX, 90)}`: "
                  f"`{describe_sql(line, PREFIX)}`, {query['alone_ms']:.2f} ms"
                  for label, board, query, line in harmless]
    if doc.get("profile"):
        lines += profile_lines("Where the learner's student view's time goes, largest board", doc["profile"])
        if doc["profile"].get("top"):
            lines += ["", "Largest own-time functions (ms per render):", ""]
            lines += table(["function", "ms"], "lr", [[f"`{name}`", ms] for name, ms in doc["profile"]["top"]])
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def plan_findings(doc, slow):
    """(operation label, board, query, plan line) of the large boards' queries whose plan reads a
    whole table or sorts in a temporary B-tree: `slow`, those taking SLOW_QUERY_MS or more alone
    (or not timed: writes), else the others (a sort of one row, of a page)."""
    found = []
    for large in ("one_large", "rooms_large"):
        for op, (label, _role) in OPERATIONS.items():
            for query in doc["board_queries"][f"{op}/{large}"]:
                is_slow = query.get("alone_ms", SLOW_QUERY_MS) >= SLOW_QUERY_MS
                found += [(label, large, query, line) for line in plan_warnings(query["plan"]) if is_slow == slow]
    return found


def find_flags(doc):
    flags = []
    t, p, q = doc["times"], doc["paired"], doc["queries"]
    for op, (label, _role) in OPERATIONS.items():
        if doc["query_growth"][op]:
            flags.append(f"QUERY COUNT DIFFERS WITH SIZE: {label}: {doc['query_growth'][op]}")
    for key in BOARDS:
        own = q[f"poll_same/{key}"]["board"]
        if own != 1:
            flags.append(f"`poll` with nothing changed runs {own} queries on the board's tables ({board_label(key)}), "
                         "not 1")
        for op in ("render", "staff_render"):  # as the workbench serves them (render_warm: see the table)
            over = p[f"{op}/{key}"]
            if over > BUDGET_MS_ABOVE_HELLO:
                flags.append(f"{OPERATIONS[op][0]}, {board_label(key)}: {over:+.1f} ms above hello-world (budget "
                             f"{BUDGET_MS_ABOVE_HELLO:.0f} ms)")
        for op, (label, _role) in OPERATIONS.items():
            median = t[f"{op}/{key}"]["median_ms"]
            if median > PAGE_OVER_MS:
                flags.append(f"{label}, {board_label(key)}: {median:.0f} ms (median), over {PAGE_OVER_MS:.0f} ms")
    for label, board, query, line in plan_findings(doc, slow=True):
        flags.append(f"{label}, {board_label(board)}: `{describe_sql(query['sql'], PREFIX, 110)}`: plan reads "
                     f"`{describe_sql(line, PREFIX)}`" + (f", {query['alone_ms']:.1f} ms alone" if "alone_ms" in query
                                                          else ""))
    flagged = {id(query) for _label, _board, query, _line in plan_findings(doc, slow=True)}
    for large in ("one_large", "rooms_large"):
        for op, (label, _role) in OPERATIONS.items():
            for query in doc["board_queries"][f"{op}/{large}"]:
                if id(query) not in flagged and query.get("alone_ms", 0) >= SLOW_ANY_QUERY_MS:
                    flags.append(f"{label}, {board_label(large)}: `{describe_sql(query['sql'], PREFIX, 140)}` takes "
                                 f"{query['alone_ms']:.1f} ms alone (plan: "
                                 f"`{describe_sql('; '.join(query['plan']), PREFIX, 300)}`)")
    w = doc["page_weight"]
    if w["learner"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"the idea board's own JS+CSS on learner pages is {kb(w['learner']['bytes'])} "
                     f"({w['learner']['gzip_bytes']:,} bytes gzip; budget 20 KB)")
    return flags


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], rounds=30, warmup=3,
                             profile_help="cProfile the learner's student view on the largest board (auto: when it "
                                          "is >20 ms above hello-world)")
    parser.add_argument("--quick", action="store_true",
                        help="large boards of 1,000 learners and ideas, written to idea_board-quick.*")
    args = parser.parse_args(argv)
    if args.quick:
        SIZES["large"] = (1_000, 1_000)
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    migrate()
    bench = IdeaBench()
    seeding = {}
    for config, (_label, room_size) in CONFIGS.items():
        for size, (n_learners, n_ideas) in SIZES.items():
            key = f"{config}_{size}"
            began = time.monotonic()
            course = bench.block(key, STAFF).course_key_str
            bench.seeded[key] = seed_board(bench.usage_str[key], course, room_size, n_learners, n_ideas, bench.rng)
            check_counters(bench.usage_str[key], bench.seeded[key])
            bench.phase[key], bench.voted[key], bench.cluster_dot[key], bench.grouped[key] = "vote", 0, 0, False
            seeding[key] = round(time.monotonic() - began, 1)
            print(f"benchmarks: idea_board: seeded {key} in {seeding[key]} s", file=sys.stderr, flush=True)
    check(bench)

    ops = operations(bench)
    print(f"benchmarks: idea_board: {args.rounds} interleaved rounds (+{args.warmup} warm-up) of {len(ops)} "
          "operations…", file=sys.stderr, flush=True)
    raw = {}
    times = measure_times(ops, args.rounds, args.warmup, seed=SEED, raw=raw)
    pairs = {name: round(statistics.median(a - b for a, b in zip(values, raw["render/hello"])) / 1e6, 3)
             for name, values in raw.items()}
    counts, sqls = count_operations(ops, list(ops), QUERIES)
    large_sqls = {name: statements for name, statements in sqls.items() if name.endswith("_large")}
    board_queries = plans(large_sqls)

    growth = {}
    for op, (label, _role) in OPERATIONS.items():
        differs = []
        for config in CONFIGS:
            small, large = counts[f"{op}/{config}_small"], counts[f"{op}/{config}_large"]
            if (small["board"], small["field_data"], small["total"]) != (large["board"], large["field_data"],
                                                                          large["total"]):
                differs.append(f"{CONFIGS[config][0]}: {count_cell(small, 'board')} at {SIZES['small'][1]} ideas, "
                               f"{count_cell(large, 'board')} at {SIZES['large'][1]:,}")
        growth[op] = "; ".join(differs)
    answers = {key: {name: len(json.dumps(ops[f"{name}/{key}"].prepare()()).encode())
                     for name in ("poll_same", "poll_changed", "board_newest")} for key in BOARDS}
    fragments = {key: {role: {k: v for k, v in bench.fragment(key, role).items() if k != "args"}
                       for role in ("reader", "staff")} for key in BOARDS}

    doc = {
        "machine": machine_info(),
        "config": {"rounds": args.rounds, "warmup": args.warmup, "seed": SEED, "room_size": ROOM_SIZE,
                   "sizes": {size: {"learners": n, "ideas": i, "votes_per_learner": VOTES_PER_LEARNER}
                             for size, (n, i) in SIZES.items()},
                   "scenario": {key: SCENARIOS[key][2] for key in BOARDS}, "page_size": get_setting("IDEA_PAGE_SIZE"),
                   "seeding_s": seeding,
                   "layer": "fresh devstack LmsRuntime + get_block + runtime.render/handle (webob request built "
                            "untimed for handlers)"},
        "seeded": {key: {k: v for k, v in bench.seeded[key].items() if k not in ("roles", "target", "lead", "pair")}
                   for key in BOARDS},
        "times": times,
        "paired": pairs,
        "queries": counts,
        "query_growth": growth,
        "board_queries": board_queries,
        "fragments": fragments,
        "answer_bytes": answers,
        "page_weight": page_weight(bench),
        "budgets": {"render_ms_above_hello": BUDGET_MS_ABOVE_HELLO, "own_js_css_bytes": BUDGET_OWN_BYTES,
                    "any_operation_ms": PAGE_OVER_MS},
    }
    doc["flags"] = find_flags(doc)
    (args.results / "idea_board-profile.txt").unlink(missing_ok=True)  # never leave a stale listing
    largest = max(("one_large", "rooms_large"), key=lambda key: pairs[f"render/{key}"])
    doc["profile"] = None
    if args.profile == "always" or (args.profile == "auto" and pairs[f"render/{largest}"] > BUDGET_MS_ABOVE_HELLO):
        doc["profile"] = profile_render(bench, args.results, largest)
    doc["duration_s"] = round(time.monotonic() - started, 1)
    write_results(args.results, "idea_board-quick" if args.quick else "idea_board", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
