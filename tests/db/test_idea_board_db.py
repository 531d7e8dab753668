"""The idea board's tables on a real database (SQLite here, MariaDB in scripts/test): the
migration, what the schema guarantees, dot votes racing each other from twenty threads (each
with its own connection and transaction, as each handler call in the LMS), room placement
racing, and a retired learner's data being deleted with every counter kept exact.

xblock-poll, measured here, lost 55-79% of acknowledged votes with 10 learners voting at
once (a read-modify-write of one shared field); votes here are rows with a unique constraint
and counters change only with F() updates, under a lock on the voter's own membership.
"""
import io
import random
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Sum

from xblocks.common import retirement
from xblocks.common.errors import ApiError
from xblocks.creativity_lab import board_store, privacy
from xblocks.creativity_lab.board_store import Viewer
from xblocks.creativity_lab.models import Board, Comment, Flag, Idea, Membership, PostLog, Room, Vote

APP = "bizmooc_creativity_lab"
COURSE = "course-v1:BizMOOC+ICP+2026"
BLOCK = "block-v1:BizMOOC+ICP+2026+type@bizmooc_idea_board+block@week1"
BUDGET, MAX_PER_IDEA = 5, 3


def member(user_id, room_size=0, usage_id=BLOCK):
    return board_store.join(COURSE, usage_id, user_id, room_size)


def new_idea(user_id, title="Idea", room_size=0, parent=None):
    with transaction.atomic():
        mine = member(user_id, room_size)
        locked = board_store.lock_me(mine)
        return board_store.post_idea(mine, locked, COURSE, user_id, (title, "text", "", ["tag"]), parent)


def vote(user_id, idea, dots):
    """What the set_dots handler does, in one transaction."""
    with transaction.atomic():
        return board_store.cast_dots(member(user_id), Viewer(user_id), idea.public_id, dots, "vote", BUDGET,
                                     MAX_PER_IDEA)


def assert_counts_exact():
    """Every idea's counter equals its vote rows; nobody beyond their budget or a per-idea maximum."""
    for found in Idea.objects.all():
        assert found.votes == (Vote.objects.filter(idea=found).aggregate(n=Sum("dots"))["n"] or 0), found.title
    per_voter = Vote.objects.values("voter").annotate(n=Sum("dots"))
    assert all(row["n"] <= BUDGET for row in per_voter), list(per_voter)
    assert not Vote.objects.filter(dots__gt=MAX_PER_IDEA).exists()
    assert not Vote.objects.filter(dots=0).exists()


# The migration ---------------------------------------------------------------------------------------

def _tables():
    with connection.cursor() as cursor:
        return {name for name in connection.introspection.table_names(cursor) if name.startswith(APP + "_")}


def _migrate(target=None):
    call_command("migrate", APP, *([target] if target else []), verbosity=0, interactive=False, stdout=io.StringIO())


def _constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


TABLES = {f"{APP}_{name}" for name in ("board", "room", "membership", "idea", "ideatag", "vote", "comment", "flag",
                                        "postlog")}


def _assert_schema():
    assert _tables() == TABLES
    votes = _constraints(f"{APP}_vote")
    assert (votes["bizmooc_vote_once"]["columns"], votes["bizmooc_vote_once"]["unique"]) == (["idea_id", "voter"], True)
    members = _constraints(f"{APP}_membership")
    assert members["bizmooc_member_once"]["columns"] == ["usage_id", "user_id"]
    flags = _constraints(f"{APP}_flag")
    assert flags["bizmooc_flag_once"]["columns"] == ["idea_id", "target_key", "user_id"]
    ideas = _constraints(f"{APP}_idea")
    assert ideas["bizmooc_idea_room_new"]["columns"] == ["room_id", "status", "cluster_id", "pinned", "created"]
    assert ideas["bizmooc_idea_room_votes"]["columns"] == ["room_id", "status", "cluster_id", "pinned", "votes"]
    assert _constraints(f"{APP}_postlog")["bizmooc_post_rate"]["columns"] == ["usage_id", "user_id", "created"]
    assert _constraints(f"{APP}_ideatag")["bizmooc_tag_by_room"]["columns"] == ["room_id", "tag"]


@pytest.mark.django_db(transaction=True)
def test_migrations_go_back_to_zero_and_forward_again():
    applied = {name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP}
    assert applied == {"0001_initial", "0002_contributors", "0003_clusters"}
    _assert_schema()
    try:
        _migrate("zero")
        assert _tables() == set()
        _migrate("0001_initial")
        _seed_before_contributors()
        _migrate()
        _assert_schema()
        # 0002 counted who had posted or voted already: a, b; c only looked.
        assert dict(Membership.objects.values_list("user_id", "contributed")) == {"a": True, "b": True, "c": False}
        assert Room.objects.get().contributors == 2
        # 0003: ideas stored before clusters are cards of their own; the members of a cluster are found by index.
        assert list(Idea.objects.values_list("cluster_id", flat=True)) == [None]
        assert any(c["columns"] == ["cluster_id"] and c["index"] for c in _constraints(f"{APP}_idea").values())
        saved = new_idea("learner-a", "Zażółć 🚀 „idea“")
        assert Idea.objects.get(pk=saved.pk).title == "Zażółć 🚀 „idea“"
    finally:
        _migrate()


def _seed_before_contributors():
    """A board as 0001 stored it (raw rows: the models have the later columns)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {APP}_board (course_id, usage_id, manual_phase, created) "
                       "VALUES (%s, %s, '', CURRENT_TIMESTAMP)", [COURSE, BLOCK])
        cursor.execute(f"INSERT INTO {APP}_room (board_id, number, participants, ideas, revision) "
                       f"SELECT id, 0, 3, 1, 1 FROM {APP}_board")
        for user in ("a", "b", "c"):
            cursor.execute(f"INSERT INTO {APP}_membership (usage_id, user_id, room_id, completed, joined) "
                           f"SELECT %s, %s, id, FALSE, CURRENT_TIMESTAMP FROM {APP}_room", [BLOCK, user])
        cursor.execute(f"INSERT INTO {APP}_idea (public_id, course_id, usage_id, room_id, author, author_name, title, "
                       "text, category, tags, status, pinned, votes, comments, flags, builds, created, modified) "
                       f"SELECT %s, %s, %s, id, 'a', '', 'T', '', '', '[]', 'visible', FALSE, 1, 0, 0, 0, "
                       f"CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM {APP}_room", [uuid.uuid4().hex, COURSE, BLOCK])
        cursor.execute(f"INSERT INTO {APP}_vote (idea_id, usage_id, voter, dots, modified) "
                       f"SELECT id, %s, 'b', 1, CURRENT_TIMESTAMP FROM {APP}_idea", [BLOCK])


@pytest.mark.django_db
def test_models_have_no_missing_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", APP, check=True, dry_run=True, verbosity=1, stdout=out)
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


# What the schema guarantees ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_one_vote_row_per_idea_and_voter_and_one_flag_per_target_and_learner():
    idea = new_idea("author")
    Vote.objects.create(idea=idea, usage_id=BLOCK, voter="v", dots=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(idea=idea, usage_id=BLOCK, voter="v", dots=2)
    Flag.objects.create(idea=idea, target_key="idea", usage_id=BLOCK, user_id="v")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(idea=idea, target_key="idea", usage_id=BLOCK, user_id="v")
    assert (Vote.objects.count(), Flag.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_one_membership_per_block_and_learner():
    first = member("learner-a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(usage_id=BLOCK, user_id="learner-a", room=first.room)
    assert member("learner-a").pk == first.pk


@pytest.mark.django_db
def test_long_texts_in_any_script_round_trip():
    text = "Zażółć gęślą jaźń — Видение ✓ 中文 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍🔧🇪🇺 " * 30
    with transaction.atomic():
        mine = member("učiteľ-🙂")
        locked = board_store.lock_me(mine)
        saved = board_store.post_idea(mine, locked, COURSE, "Žofia", ("🚀" * 120, text[:2000], "", ["ünïcode 🙂"]),
                                      None)
    fresh = Idea.objects.get(pk=saved.pk)
    assert (fresh.title, fresh.text, fresh.tags, fresh.author) == ("🚀" * 120, text[:2000], ["ünïcode 🙂"], "učiteľ-🙂")


# Dot votes racing each other ----------------------------------------------------------------------------------

def _errors(outcomes):
    unexpected = [value for kind, value in outcomes if kind == "error" and not isinstance(value, ApiError)]
    assert not unexpected, f"refused with something other than an ApiError: {unexpected!r}"
    return [value for kind, value in outcomes if kind == "error"]


@pytest.mark.django_db(transaction=True)
def test_twenty_voters_voting_and_unvoting_at_once_leave_exact_counts(run_together):
    ideas = [new_idea(f"author-{i}", f"Idea {i}") for i in range(4)]
    voters = [f"voter-{i:02d}" for i in range(20)]
    for voter in voters:
        member(voter)

    def work(index):
        rng = random.Random(index)
        accepted = {}
        for _step in range(12):
            target = rng.choice(ideas)
            count = rng.randint(0, MAX_PER_IDEA)
            try:
                vote(voters[index], target, count)
                accepted[target.pk] = count
            except ApiError as error:
                assert error.code == "over_budget", error.code
        return accepted

    outcomes = run_together(20, work, atomic=False)

    assert not _errors(outcomes)
    assert_counts_exact()
    # Each voter's last accepted dots are exactly what is stored.
    for index, (_kind, accepted) in enumerate(outcomes):
        stored = dict(Vote.objects.filter(voter=voters[index]).values_list("idea_id", "dots"))
        assert stored == {pk: count for pk, count in accepted.items() if count}
    assert Idea.objects.aggregate(n=Sum("votes"))["n"] == Vote.objects.aggregate(n=Sum("dots"))["n"]


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_of_one_learner_at_once_never_overspend_the_budget(run_together):
    ideas = [new_idea(f"author-{i}", f"Idea {i}") for i in range(20)]
    member("greedy")

    outcomes = run_together(20, lambda i: vote("greedy", ideas[i], 1))

    errors = _errors(outcomes)
    assert len(errors) == 20 - BUDGET
    assert {e.code for e in errors} == {"over_budget"}
    assert Vote.objects.filter(voter="greedy").aggregate(n=Sum("dots"))["n"] == BUDGET
    assert_counts_exact()


@pytest.mark.django_db(transaction=True)
def test_twenty_voters_on_one_idea_then_all_taking_their_dots_back(run_together):
    idea = new_idea("author")
    for i in range(20):
        member(f"voter-{i}")

    outcomes = run_together(20, lambda i: vote(f"voter-{i}", idea, 1 + i % MAX_PER_IDEA))
    assert not _errors(outcomes)
    assert Idea.objects.get(pk=idea.pk).votes == sum(1 + i % MAX_PER_IDEA for i in range(20))
    assert_counts_exact()

    outcomes = run_together(20, lambda i: vote(f"voter-{i}", idea, 0))
    assert not _errors(outcomes)
    assert Idea.objects.get(pk=idea.pk).votes == 0 and not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_moving_dots_at_once_keeps_every_count(run_together):
    first, second = new_idea("author-1", "First"), new_idea("author-2", "Second")
    for i in range(20):
        vote(f"voter-{i}", first, 2)

    def work(index):
        with transaction.atomic():
            board_store.move_dot(member(f"voter-{index}"), Viewer(f"voter-{index}"), first.public_id,
                                 second.public_id, "vote", BUDGET, MAX_PER_IDEA)

    assert not _errors(run_together(20, work, atomic=False))
    assert (Idea.objects.get(pk=first.pk).votes, Idea.objects.get(pk=second.pk).votes) == (20, 20)
    assert_counts_exact()


# Clusters -----------------------------------------------------------------------------------------------------------

def group(lead, duplicate, own_dots=True):
    """What the group_ideas handler does after its checks, in one transaction."""
    with transaction.atomic():
        board_store.group_ideas(Idea.objects.get(pk=lead.pk), Idea.objects.get(pk=duplicate.pk), MAX_PER_IDEA,
                                own_dots)


@pytest.mark.django_db
def test_grouping_merges_dots_onto_the_lead_capped_and_returns_the_excess():
    lead, duplicate = new_idea("author-1", "Lead"), new_idea("author-2", "Duplicate")
    vote("both", lead, 2)
    vote("both", duplicate, 2)     # 4 on the cluster: capped at 3, one returns
    vote("dup-only", duplicate, 3)  # moves over as it is
    vote("lead-only", lead, 1)
    vote("author-1", duplicate, 1)  # the lead's author: their dot returns where own dots are refused
    group(lead, duplicate, own_dots=False)
    assert dict(Vote.objects.values_list("voter", "dots")) == {"both": 3, "dup-only": 3, "lead-only": 1}
    assert not Vote.objects.filter(idea=duplicate).exists()
    fresh = Idea.objects.get(pk=duplicate.pk)
    assert (fresh.cluster_id, fresh.votes, Idea.objects.get(pk=lead.pk).votes) == (lead.pk, 0, 7)
    assert_counts_exact()
    with pytest.raises(ApiError) as caught:
        vote("both", duplicate, 1)
    assert caught.value.code == "in_cluster"
    with transaction.atomic():
        board_store.ungroup_idea(Idea.objects.get(pk=lead.pk))  # the cluster dissolves; its dots stay on the lead
    assert Idea.objects.get(pk=duplicate.pk).cluster_id is None and Idea.objects.get(pk=lead.pk).votes == 7
    assert_counts_exact()


@pytest.mark.django_db(transaction=True)
def test_grouping_while_voters_vote_keeps_every_count(run_together):
    lead, duplicate = new_idea("author-1", "Lead"), new_idea("author-2", "Duplicate")
    for i in range(19):
        member(f"voter-{i}")

    def work(index):
        if index == 19:
            return group(lead, duplicate)
        rng = random.Random(index)
        for _step in range(6):
            try:
                vote(f"voter-{index}", rng.choice((lead, duplicate)), rng.randint(0, MAX_PER_IDEA))
            except ApiError as error:
                assert error.code in ("in_cluster", "over_budget"), error.code
        return None

    assert not _errors(run_together(20, work, atomic=False))
    assert Idea.objects.get(pk=duplicate.pk).cluster_id == lead.pk
    assert not Vote.objects.filter(idea=duplicate).exists()
    assert_counts_exact()


@pytest.mark.django_db
def test_retiring_a_clusters_lead_author_brings_the_peers_ideas_back():
    lead, duplicate = new_idea("retired", "Lead"), new_idea("keep", "Duplicate")
    mine, theirs = new_idea("retired", "Mine"), new_idea("keep", "Theirs")
    group(lead, duplicate)
    group(theirs, mine)
    retirement.retire_anonymous_ids(["retired"], user_id=5)
    assert list(Idea.objects.order_by("pk").values_list("title", "cluster_id")) == [("Duplicate", None),
                                                                                   ("Theirs", None)]


# Rooms ------------------------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_twenty_learners_arriving_at_once_never_overfill_a_room(run_together):
    outcomes = run_together(20, lambda i: member(f"learner-{i:02d}", room_size=3).room.number, atomic=False)

    assert not _errors(outcomes)
    rooms = list(Room.objects.order_by("number").values_list("number", "participants"))
    assert rooms == [(n, 3) for n in range(1, 7)] + [(7, 2)]
    for number, participants in rooms:
        assert Membership.objects.filter(room__number=number).count() == participants
    assert Membership.objects.count() == 20 and Board.objects.count() == 1
    assert sorted(value for _kind, value in outcomes) == sorted(n for n, p in rooms for _ in range(p))


@pytest.mark.django_db(transaction=True)
def test_one_learner_in_ten_tabs_at_once_takes_one_place(run_together):
    outcomes = run_together(10, lambda i: member("learner-a", room_size=50).pk, atomic=False)

    assert not _errors(outcomes)
    assert len({value for _kind, value in outcomes}) == 1
    assert Membership.objects.count() == 1
    assert list(Room.objects.values_list("number", "participants")) == [(1, 1)]


# Retirement ---------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_retirement_deletes_the_learners_data_and_keeps_peers_counts_exact():
    assert retirement.registered_retirements()["bizmooc_idea_board"] is privacy.retire_idea_board
    kept = new_idea("keep", "Kept idea")
    gone = new_idea("retired", "Retired idea")
    child = new_idea("keep", "Builds on the retired idea", parent=gone)
    vote("retired", kept, 2)
    vote("keep", gone, 1)
    with transaction.atomic():
        retired = member("retired")
        board_store.add_comment(retired, board_store.lock_me(retired), kept, COURSE, "r", "yes, and")
        board_store.flag(kept, None, "retired", "spam")
    assert Idea.objects.get(pk=kept.pk).votes == 2

    deleted = retirement.retire_anonymous_ids(["retired"], user_id=5)

    assert deleted["bizmooc_idea_board"] > 0
    fresh = Idea.objects.get(pk=kept.pk)
    assert (fresh.votes, fresh.comments, fresh.flags) == (0, 0, 0)
    assert not Idea.objects.filter(author="retired").exists()
    assert Idea.objects.get(pk=child.pk).builds_on is None
    assert not Vote.objects.exists()  # the retired learner's, and the peer's on the deleted idea
    assert not Comment.objects.exists() and not Flag.objects.exists()
    assert not Membership.objects.filter(user_id="retired").exists()
    assert not PostLog.objects.filter(user_id="retired").exists()
    room = Room.objects.get()
    assert (room.participants, room.contributors, room.ideas) == (1, 1, 2)
    assert retirement.retire_anonymous_ids(["retired"])["bizmooc_idea_board"] == 0


@pytest.mark.django_db
def test_unknown_public_ids_are_not_found():
    member("someone")
    with pytest.raises(ApiError) as caught:
        vote("someone", Idea(public_id=uuid.uuid4()), 1)
    assert caught.value.status == 404
