"""The idea board's queries and writes, each a fixed number of queries whatever the number
of learners, ideas, votes or comments (the counts are in tests/creativity_lab/test_board_queries.py).

Concurrency (see models.py for the lock order): a learner's writes first lock their own
membership row, so one learner's requests run one after the other and a dot budget can
never be overspent; then the room's revision is bumped (which also serialises writes within
a room briefly); counters on ideas and rooms only change with F() updates. Every function
runs inside the handler's transaction (`api_handler` opens one).

Filters: room, status, category, "mine" and the sort orders use the indexes in models.py;
a tag filter goes through the indexed `IdeaTag` rows. The text search (`q`) is a plain
case-insensitive LIKE on title and text, not indexed: it scans the ideas of one room (or,
for staff without a room, of the board) that pass the other filters.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request, not_found
from xblocks.common.upsert import upsert

from . import board as rules
from .models import (
    FLAGGED,
    HIDDEN,
    VISIBLE,
    WITHDRAWN,
    Board,
    Comment,
    Flag,
    Idea,
    IdeaTag,
    Membership,
    PostLog,
    Room,
    Vote,
)

NO_ROOMS = 0  # the number of the one room of a block without rooms


def shown_number(number):
    """A room's number as the page shows it: None for the one room of a block without rooms."""
    return None if number == NO_ROOMS else number


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and what they may see."""
    user_id: str
    is_staff: bool = False
    withheld: bool = False  # others' ideas withheld (hide until the vote)


@dataclass(frozen=True)
class Filters:
    sort: str = "newest"
    category: str = ""
    tag: str = ""
    mine: bool = False
    q: str = ""


# The learner's place ---------------------------------------------------------------------------

def _sum_of(queryset, field, group):
    return Coalesce(Subquery(queryset.order_by().values(group).annotate(n=Sum(field)).values("n")[:1]),
                    Value(0), output_field=IntegerField())


def _count_of(queryset, group):
    return Coalesce(Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
                    Value(0), output_field=IntegerField())


def _me(usage_id, user_ref):
    """Annotations: the learner's ideas (not withdrawn) and dots placed in the block."""
    return {
        "my_ideas": _count_of(Idea.objects.filter(usage_id=usage_id, author=user_ref).exclude(status=WITHDRAWN),
                              "author"),
        "my_dots": _sum_of(Vote.objects.filter(usage_id=usage_id, voter=user_ref), "dots", "voter"),
    }


def membership(usage_id, user_id):
    """The learner's membership with its room, the board's manual phase and their counts
    (`my_ideas`, `my_dots`), or None (1 query)."""
    return (Membership.objects.filter(usage_id=usage_id, user_id=user_id).select_related("room__board")
            .annotate(**_me(usage_id, OuterRef("user_id"))).first())


def staff_place(usage_id, user_id):
    """(manual phase, my_ideas, my_dots) for a caller without a room: staff (1 query)."""
    found = Board.objects.filter(usage_id=usage_id).annotate(**_me(usage_id, user_id)) \
        .values_list("manual_phase", "my_ideas", "my_dots").first()
    return found or ("", 0, 0)


def _locked_board(course_id, usage_id):
    """The block's board, created if needed, locked until the transaction ends (2 queries).

    One upsert (common/upsert.py) creates or locks the row. get_or_create and then SELECT ...
    FOR UPDATE could deadlock when learners opened a new board at once.
    """
    _upsert_board(course_id, usage_id)
    return Board.objects.get(usage_id=usage_id)


def _upsert_board(course_id, usage_id, **values):
    """Create the block's board with `values`, or write them to it (1 query; see _locked_board)."""
    upsert(Board(course_id=course_id, usage_id=usage_id, **values), ["usage_id"], ["course_id", *values])


def join(course_id, usage_id, user_id, room_size):
    """The learner's membership, placing them first if needed: in the lowest-numbered room
    with a free place, or a new room (with `room_size` 0, the one room of the block).
    Placements are serialised by a lock on the board row, so no room ever takes more than
    `room_size` learners, and a learner is placed once."""
    found = membership(usage_id, user_id)
    if found is not None:
        return found
    with transaction.atomic():
        board = _locked_board(course_id, usage_id)
        if not Membership.objects.filter(usage_id=usage_id, user_id=user_id).exists():
            if room_size <= 0:
                room, _created = Room.objects.get_or_create(board=board, number=NO_ROOMS)
            else:
                room = (Room.objects.filter(board=board, number__gt=NO_ROOMS, participants__lt=room_size)
                        .order_by("number").first())
                if room is None:
                    last = Room.objects.filter(board=board).order_by("-number").values_list("number", flat=True)
                    room = Room.objects.create(board=board, number=(last.first() or NO_ROOMS) + 1)
            touch(room.pk, participants=1)
            Membership.objects.create(usage_id=usage_id, user_id=user_id, room=room)
    return membership(usage_id, user_id)


def lock_me(member, counted=True):
    """Lock the learner's membership row until the transaction ends; their counts, read
    under the lock (1 query). Subqueries are not locked: only this learner's row is. Staff
    (`counted` False) are never counted among a room's contributors."""
    locked = (Membership.objects.select_for_update().filter(pk=member.pk)
            .annotate(**_me(member.usage_id, OuterRef("user_id")))
            .values("my_ideas", "my_dots", "completed", "contributed").get())
    locked["contributed"] = locked["contributed"] or not counted
    return locked


def contributed(member, locked):
    """Count the learner among the room's contributors the first time they post, comment or
    vote (under their lock; 1 query, that time only); the room's counter change for `touch`."""
    if locked["contributed"]:
        return {}
    Membership.objects.filter(pk=member.pk).update(contributed=True)
    locked["contributed"] = True
    return {"contributors": 1}


def contributor_ids(usage_id, room_id=None):
    """The learners who posted, commented or voted on the board, or in one room (1 query)."""
    found = Membership.objects.filter(usage_id=usage_id, contributed=True)
    return list((found.filter(room_id=room_id) if room_id is not None else found).values_list("user_id", flat=True))


def mark_completed(member):
    """True once, for the request that marks the learner complete (1 query)."""
    return Membership.objects.filter(pk=member.pk, completed=False).update(completed=True) == 1


def touch(room_id, **counters):
    """Bump the room's revision (what polls compare) and change its counters (1 query)."""
    changes = {name: F(name) + delta for name, delta in counters.items()}
    Room.objects.filter(pk=room_id).update(revision=F("revision") + 1, **changes)


# Polling -------------------------------------------------------------------------------------------

def learner_revision(usage_id, user_id):
    """(revision, manual phase) of the learner's room, or None: one query on a unique index."""
    return Membership.objects.filter(usage_id=usage_id, user_id=user_id) \
        .values_list("room__revision", "room__board__manual_phase").first()


def room_revision(usage_id, number):
    return Room.objects.filter(board__usage_id=usage_id, number=number) \
        .values_list("revision", "board__manual_phase").first()


def board_revision(usage_id):
    """The sum of all rooms' revisions: it grows with any change anywhere (1 query)."""
    rooms = Room.objects.filter(board=OuterRef("pk"))
    return Board.objects.filter(usage_id=usage_id) \
        .annotate(rev=_sum_of(rooms, "revision", "board")).values_list("rev", "manual_phase").first()


# Reading ideas ---------------------------------------------------------------------------------------

def _ideas(viewer):
    """Ideas with the viewer's dots and flag on each, the idea built on and the room (joined)."""
    mine = Vote.objects.filter(idea=OuterRef("pk"), voter=viewer.user_id).values("dots")[:1]
    flagged = Flag.objects.filter(idea=OuterRef("pk"), target_key="idea", user_id=viewer.user_id)
    return Idea.objects.select_related("builds_on", "room").annotate(
        my_dots=Coalesce(Subquery(mine), Value(0), output_field=IntegerField()), flagged_by_me=Exists(flagged))


def _visible(queryset, viewer):
    if viewer.is_staff:
        return queryset.exclude(status=WITHDRAWN)
    queryset = queryset.filter(status=VISIBLE)
    return queryset.filter(author=viewer.user_id) if viewer.withheld else queryset


ORDER = {"newest": ("-pinned", "-created", "-id"), "votes": ("-pinned", "-votes", "-created", "-id")}


def page_of_ideas(usage_id, room_id, viewer, filters, page, size):
    """(ideas, total, page) of one room (`room_id`) or of the whole board (None, staff):
    2 queries, the count and the page; the page number is clamped to the last page."""
    def filtered(queryset):
        return _shown(queryset, usage_id, room_id, viewer, filters)

    total = filtered(Idea.objects.all()).count()
    page = min(page, max(1, -(-total // size)))
    ideas = list(filtered(_ideas(viewer)).order_by(*ORDER[filters.sort])[(page - 1) * size:page * size]) \
        if total else []
    return ideas, total, page


def ranks_above(usage_id, room_id, viewer, filters, counts):
    """{votes: how many of the ideas a page is drawn from have more} for each count (1 query)."""
    counts = sorted(set(counts))
    found = _shown(Idea.objects.all(), usage_id, room_id, viewer, filters).aggregate(
        **{f"above_{n}": Count("pk", filter=Q(votes__gt=count)) for n, count in enumerate(counts)}) if counts else {}
    return {count: found[f"above_{n}"] for n, count in enumerate(counts)}


def _shown(queryset, usage_id, room_id, viewer, filters):
    """The cards of a page: ideas grouped into a cluster are shown on their lead's card only."""
    queryset = queryset.filter(room_id=room_id) if room_id is not None else queryset.filter(usage_id=usage_id)
    queryset = queryset.filter(cluster__isnull=True)
    return _filtered(_visible(queryset, viewer), usage_id, room_id, viewer, filters)


def _filtered(queryset, usage_id, room_id, viewer, filters):
    if filters.mine:
        queryset = queryset.filter(author=viewer.user_id)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.tag:
        tagged = IdeaTag.objects.filter(tag=filters.tag)
        tagged = tagged.filter(room_id=room_id) if room_id is not None else tagged.filter(idea__usage_id=usage_id)
        queryset = queryset.filter(pk__in=tagged.values("idea_id"))
    if filters.q:  # a cluster's card is found by what any of its visible ideas says
        said = Q(title__icontains=filters.q) | Q(text__icontains=filters.q)
        queryset = queryset.filter(said | Exists(Idea.objects.filter(said, cluster_id=OuterRef("pk"), status=VISIBLE)))
    return queryset


def idea_for(viewer, public_id, room_id=None, usage_id=None, status=VISIBLE):
    """One idea the viewer may see, with their dots on it; learners: in their room (1 query)."""
    queryset = _ideas(viewer).filter(public_id=public_id)
    queryset = queryset.filter(room_id=room_id) if room_id is not None else queryset.filter(usage_id=usage_id)
    if status is not None:
        queryset = _visible(queryset, viewer) if status == VISIBLE else queryset.filter(status=status)
    found = queryset.first()
    if found is None:
        raise not_found(_("There is no such idea on your board."))
    return found


def ideas_by_pk(viewer, pks):
    return {idea.pk: idea for idea in _ideas(viewer).filter(pk__in=pks)}


# Writing ideas -----------------------------------------------------------------------------------------

def check_rate(member):
    """Refuse a post beyond IDEA_POSTS_PER_MINUTE ideas and comments (1 indexed count)."""
    limit = get_setting("IDEA_POSTS_PER_MINUTE")
    since = timezone.now() - timedelta(minutes=1)
    if PostLog.objects.filter(usage_id=member.usage_id, user_id=member.user_id, created__gt=since).count() >= limit:
        raise ApiError("rate_limited", _("You can post {limit} ideas and comments a minute. Please wait a moment."),
                       429, params={"limit": limit})


def _log_post(member):
    PostLog.objects.create(usage_id=member.usage_id, user_id=member.user_id, created=timezone.now())


def post_idea(member, locked, course_id, username, values, parent):
    """Store a new idea in the learner's room (the learner's membership is locked)."""
    title, text, category, tags = values
    touch(member.room_id, ideas=1, **contributed(member, locked))
    if parent is not None:
        Idea.objects.filter(pk=parent.pk).update(builds=F("builds") + 1)
    idea = Idea.objects.create(course_id=course_id, usage_id=member.usage_id, room_id=member.room_id,
                               author=member.user_id, author_name=username or "", title=title, text=text,
                               category=category, tags=tags, builds_on=parent)
    IdeaTag.objects.bulk_create(IdeaTag(idea=idea, room_id=member.room_id, tag=tag) for tag in tags)
    _log_post(member)
    return idea


def edit_idea(idea, values):
    title, text, category, tags = values
    touch(idea.room_id)
    Idea.objects.filter(pk=idea.pk).update(title=title, text=text, category=category, tags=tags,
                                           modified=timezone.now())
    if tags != idea.tags:
        IdeaTag.objects.filter(idea=idea).delete()
        IdeaTag.objects.bulk_create(IdeaTag(idea=idea, room_id=idea.room_id, tag=tag) for tag in tags)


def move_idea(idea, category):
    """File the idea under another category (another column of the board; 2 queries)."""
    touch(idea.room_id)
    Idea.objects.filter(pk=idea.pk).update(category=category, modified=timezone.now())


def withdraw_idea(idea):
    """The author takes the idea back: gone from the board, and any dots on it (placed before
    staff switched back to collecting) return to their voters. It leaves its cluster; if it
    led one, the other ideas come back as cards of their own."""
    touch(idea.room_id, ideas=-1)
    Idea.objects.filter(pk=idea.pk).update(status=WITHDRAWN, votes=0, cluster=None, modified=timezone.now())
    Idea.objects.filter(cluster=idea).update(cluster=None)
    Vote.objects.filter(idea=idea).delete()


# Clusters ------------------------------------------------------------------------------------------------

def members_of(viewer, lead_pks):
    """{lead's pk: [ideas grouped under it that the viewer may see, oldest first]} (1 query)."""
    found = {}
    if lead_pks:
        rows = _visible(Idea.objects.filter(cluster_id__in=lead_pks), viewer).order_by("created", "id")
        for idea in rows.only("pk", "public_id", "title", "cluster_id", "status"):
            found.setdefault(idea.cluster_id, []).append(idea)
    return found


def cluster_sizes(pks):
    """{idea's pk: how many ideas are grouped under it} for those that lead a cluster (1 query)."""
    return dict(Idea.objects.filter(cluster_id__in=pks).order_by().values("cluster_id")
                .annotate(n=Count("pk")).values_list("cluster_id", "n"))


def group_ideas(lead, member, max_per_idea, own_dots=True):
    """Group `member` into the cluster led by `lead` (both checked by `rules.check_cluster`).

    A cluster is voted on as one: its dots are the lead's. The member's dots move onto the
    lead: a voter who had dots on both keeps their sum, capped at the per-idea maximum
    (`max_per_idea`), and the excess returns to their budget (a learner's dots used are the
    sum of their vote rows); where the course team forbids dots on one's own ideas
    (`own_dots` False), the lead's author gets their dots on the member back instead. No dot
    is lost or doubled. The voters' membership rows are locked first (one query, in id
    order), as each of their own votes does, so that no vote of theirs runs in between
    (7 queries whatever the number of voters)."""
    now = timezone.now()
    voters = Vote.objects.filter(idea_id__in=(lead.pk, member.pk)).values("voter")
    list(Membership.objects.select_for_update().filter(usage_id=lead.usage_id, user_id__in=voters)
         .order_by("pk").values_list("pk", flat=True))
    touch(lead.room_id)
    on_member = Vote.objects.filter(idea_id=member.pk)
    theirs = on_member.filter(voter=OuterRef("voter")).values("dots")[:1]
    Vote.objects.filter(idea_id=lead.pk, voter__in=on_member.values("voter")).update(
        dots=Least(F("dots") + Subquery(theirs), Value(max_per_idea)), modified=now)
    moved = on_member.exclude(voter__in=Vote.objects.filter(idea_id=lead.pk).values("voter"))
    if not own_dots:
        moved = moved.exclude(voter=lead.author)
    moved.update(idea_id=lead.pk, dots=Least(F("dots"), Value(max_per_idea)), modified=now)
    on_member.delete()  # what is left: the excess over the cap, returned to the voters' budgets
    Idea.objects.filter(pk=member.pk).update(cluster_id=lead.pk, votes=0, modified=now)
    total = Vote.objects.filter(idea_id=lead.pk).order_by().values("idea_id").annotate(n=Sum("dots")).values("n")
    Idea.objects.filter(pk=lead.pk).update(votes=Coalesce(Subquery(total), Value(0)), modified=now)


def ungroup_idea(idea):
    """Take one idea out of its cluster, or (the lead) dissolve the cluster: the ideas come back
    as cards of their own, without dots; the cluster's dots stay where they are, on the lead,
    and their voters may move them (`move_dot`). Nothing is lost or doubled (2 queries)."""
    touch(idea.room_id)
    rows = Idea.objects.filter(pk=idea.pk) if idea.cluster_id else Idea.objects.filter(cluster_id=idea.pk)
    rows.update(cluster=None, modified=timezone.now())


# Dots ----------------------------------------------------------------------------------------------------

def _write_vote(idea, voter, usage_id, before, after):
    if before == after:
        return
    Idea.objects.filter(pk=idea.pk).update(votes=F("votes") + (after - before))
    if before == 0:
        Vote.objects.create(idea=idea, usage_id=usage_id, voter=voter, dots=after)
    elif after == 0:
        Vote.objects.filter(idea=idea, voter=voter).delete()
    else:
        Vote.objects.filter(idea=idea, voter=voter).update(dots=after, modified=timezone.now())


def _votable(idea):
    if idea.cluster_id is not None:
        raise bad_request("in_cluster", _("This idea is grouped with others: give your dots to the group."),
                          field="idea")
    return idea


def cast_dots(member, viewer, public_id, dots, phase, budget, max_per_idea, own_dots=True, counted=True):
    """Put `dots` of the learner's dots on an idea of their room; (counts before, idea before,
    dots used after). Under the lock on the learner's membership, so that twenty requests of
    one learner at once still cannot spend more than `budget` (5 queries, 3 if unchanged). The
    room is touched before the idea is read: a grouping of the room's ideas (`group_ideas`)
    then runs wholly before or after this vote, never in between."""
    locked = lock_me(member, counted)
    touch(member.room_id)
    idea = _votable(idea_for(viewer, public_id, room_id=member.room_id))
    elsewhere = locked["my_dots"] - idea.my_dots
    rules.check_dots(phase, dots, elsewhere, budget, max_per_idea,
                     own_refused=not own_dots and idea.author == member.user_id, before=idea.my_dots)
    if dots != idea.my_dots:
        counters = contributed(member, locked)
        if counters:
            touch(member.room_id, **counters)
        _write_vote(idea, member.user_id, member.usage_id, idea.my_dots, dots)
    return locked, idea, elsewhere + dots


def move_dot(member, viewer, source_id, target_id, phase, budget, max_per_idea, own_dots=True, counted=True):
    """Move one of the learner's dots from one idea to another, both in their room, at once;
    (counts before, source before, target before)."""
    locked = lock_me(member, counted)
    touch(member.room_id)  # before the ideas are read, as in `cast_dots`
    source = _votable(idea_for(viewer, source_id, room_id=member.room_id))
    target = _votable(idea_for(viewer, target_id, room_id=member.room_id))
    if source.pk == target.pk:
        raise bad_request("same_idea", _("Choose another idea to move the dot to."), field="to")
    if source.my_dots < 1:
        raise bad_request("no_dot", _("You have no dot on this idea to move."), field="from")
    rules.check_dots(phase, target.my_dots + 1, locked["my_dots"] - 1 - target.my_dots, budget, max_per_idea,
                     own_refused=not own_dots and target.author == member.user_id, before=target.my_dots)
    for idea, delta in sorted([(source, -1), (target, 1)], key=lambda move: move[0].pk):  # ideas in id order
        _write_vote(idea, member.user_id, member.usage_id, idea.my_dots, idea.my_dots + delta)
    return locked, source, target


# Comments ------------------------------------------------------------------------------------------------

def _comments(viewer):
    flagged = Flag.objects.filter(comment=OuterRef("pk"), user_id=viewer.user_id)
    return Comment.objects.annotate(flagged_by_me=Exists(flagged))


def page_of_comments(idea, viewer, page, size):
    def filtered(queryset):
        queryset = queryset.filter(idea=idea)
        return queryset.exclude(status=WITHDRAWN) if viewer.is_staff else queryset.filter(status=VISIBLE)

    total = filtered(Comment.objects.all()).count()
    page = min(page, max(1, -(-total // size)))
    comments = list(filtered(_comments(viewer)).order_by("-pinned", "created", "id")
                    [(page - 1) * size:page * size]) if total else []
    return comments, total, page


def add_comment(member, locked, idea, course_id, username, text):
    touch(idea.room_id, **(contributed(member, locked) if member.room_id == idea.room_id else {}))
    Idea.objects.filter(pk=idea.pk).update(comments=F("comments") + 1)
    comment = Comment.objects.create(idea=idea, course_id=course_id, usage_id=member.usage_id, author=member.user_id,
                                     author_name=username or "", text=text)
    _log_post(member)
    comment.flagged_by_me = False
    return comment, Idea.objects.filter(pk=idea.pk).values_list("comments", flat=True).get()


def comment_for(viewer, public_id, usage_id, room_id=None):
    queryset = _comments(viewer).select_related("idea__room").filter(public_id=public_id, usage_id=usage_id)
    if room_id is not None:
        queryset = queryset.filter(idea__room_id=room_id)
    if not viewer.is_staff:
        queryset = queryset.filter(status=VISIBLE, idea__status=VISIBLE)
    found = queryset.first()
    if found is None:
        raise not_found(_("There is no such comment on your board."))
    return found


# Flags and moderation ---------------------------------------------------------------------------------------

def flag(idea, comment, user_id, reason):
    """Record the learner's flag once; hide the target for review at IDEA_FLAGS_TO_HIDE flags.
    True if the target was hidden by this flag, False if not, None if flagged before."""
    target = Comment.objects.filter(pk=comment.pk) if comment else Idea.objects.filter(pk=idea.pk)
    try:
        with transaction.atomic():
            touch(idea.room_id)
            target.update(flags=F("flags") + 1)  # the exclusive lock before the insert's shared one
            Flag.objects.create(idea=idea, comment=comment, target_key=str(comment.public_id) if comment else "idea",
                                usage_id=idea.usage_id, user_id=user_id, reason=reason)
    except IntegrityError:
        return None  # flagged before: nothing changes
    hidden = target.filter(status=VISIBLE, flags__gte=get_setting("IDEA_FLAGS_TO_HIDE")).update(status=FLAGGED)
    if hidden and comment:
        Idea.objects.filter(pk=idea.pk).update(comments=F("comments") - 1)
    return bool(hidden)


def _moderate(row, action, flags):
    """A staff action on one idea or comment (`row`, a one-row queryset); restoring also
    clears its flags (`flags`), so that it is not hidden again by the flags it had."""
    if action == "delete":
        row.delete()
    elif action in ("pin", "unpin"):
        row.update(pinned=action == "pin")
    elif action == "hide":
        row.update(status=HIDDEN)
    elif action == "restore":
        row.update(status=VISIBLE, flags=0)
        flags.delete()


def moderate_idea(idea, action):
    touch(idea.room_id, ideas=-1 if action == "delete" and idea.status != WITHDRAWN else 0)
    if action == "delete" and idea.builds_on_id:
        Idea.objects.filter(pk=idea.builds_on_id).update(builds=F("builds") - 1)
    _moderate(Idea.objects.filter(pk=idea.pk), action, Flag.objects.filter(idea=idea, target_key="idea"))


def moderate_comment(comment, action):
    idea = comment.idea
    touch(idea.room_id)
    was_counted = comment.status == VISIBLE
    counted = {"delete": False, "hide": False, "restore": True}.get(action, was_counted)
    if counted != was_counted:
        Idea.objects.filter(pk=idea.pk).update(comments=F("comments") + (1 if counted else -1))
    _moderate(Comment.objects.filter(pk=comment.pk), action, Flag.objects.filter(comment=comment))


def review_queue(usage_id, page, size):
    """Ideas and comments hidden by flags, waiting for staff, oldest first: ideas, then
    comments (4 queries: two counts, at most two slices, and their flags' reasons)."""
    ideas = Idea.objects.filter(usage_id=usage_id, status=FLAGGED).select_related("room").order_by("created", "id")
    comments = Comment.objects.filter(usage_id=usage_id, status=FLAGGED).select_related("idea__room") \
        .order_by("created", "id")
    idea_total, comment_total = ideas.count(), comments.count()
    total = idea_total + comment_total
    page = min(page, max(1, -(-total // size)))
    start, end = (page - 1) * size, page * size
    items = list(ideas[start:min(end, idea_total)]) if start < idea_total else []
    if end > idea_total:
        items += list(comments[max(start - idea_total, 0):end - idea_total])
    reasons = {}
    idea_pks = [item.pk for item in items if isinstance(item, Idea)]
    comment_pks = [item.pk for item in items if isinstance(item, Comment)]
    if items:
        rows = Flag.objects.filter(Q(idea_id__in=idea_pks, target_key="idea") | Q(comment_id__in=comment_pks)) \
            .exclude(reason="").order_by("created").values_list("idea_id", "comment_id", "reason")
        for idea_pk, comment_pk, reason in rows:
            reasons.setdefault(("comment", comment_pk) if comment_pk else ("idea", idea_pk), []).append(reason)
    return items, reasons, total, page


# Staff statistics and exports -------------------------------------------------------------------------------

def rooms_of(usage_id):
    """Every room of the board, with its participants (who posted, commented or voted) and
    ideas (1 query)."""
    return list(Room.objects.filter(board__usage_id=usage_id).order_by("number")
                .values("pk", "number", "ideas", "contributors"))


def room_id_of(usage_id, number):
    """The id of the board's room with this number, or None (1 query)."""
    return Room.objects.filter(board__usage_id=usage_id, number=number).values_list("pk", flat=True).first()


def room_stats(usage_id, page, size):
    """One page of rooms with counts of votes, comments and hidden ideas, and the board's
    totals (4 queries)."""
    rooms = Room.objects.filter(board__usage_id=usage_id)
    totals = rooms.aggregate(rooms=Count("pk"), participants=Coalesce(Sum("contributors"), 0),
                             ideas=Coalesce(Sum("ideas"), 0))
    page = min(page, max(1, -(-totals["rooms"] // size)))
    shown = list(rooms.order_by("number").values("pk", "number", "ideas", "contributors")
                 [(page - 1) * size:page * size])
    counts = {row["room"]: row for row in Idea.objects.filter(room__in=[r["pk"] for r in shown])
              .exclude(status=WITHDRAWN).order_by().values("room")
              .annotate(votes=Coalesce(Sum("votes"), 0), comments=Coalesce(Sum("comments"), 0),
                        hidden=Count("pk", filter=Q(status__in=(HIDDEN, FLAGGED))))} if shown else {}
    board_counts = Idea.objects.filter(usage_id=usage_id).exclude(status=WITHDRAWN) \
        .aggregate(votes=Coalesce(Sum("votes"), 0), comments=Coalesce(Sum("comments"), 0),
                   hidden=Count("pk", filter=Q(status__in=(HIDDEN, FLAGGED))))
    for room in shown:
        room.update({key: counts.get(room["pk"], {}).get(key, 0) for key in ("votes", "comments", "hidden")})
    return shown, dict(totals, **board_counts), page


def set_manual_phase(course_id, usage_id, phase):
    _upsert_board(course_id, usage_id, manual_phase=phase)
    # Every page learns of the new phase.
    Room.objects.filter(board__usage_id=usage_id).update(revision=F("revision") + 1)


def ideas_for_export(usage_id):
    return Idea.objects.filter(usage_id=usage_id).select_related("room", "builds_on", "cluster").order_by("id") \
        .iterator(chunk_size=500)


def votes_for_export(usage_id):
    return Vote.objects.filter(usage_id=usage_id).select_related("idea__room").order_by("idea_id", "id") \
        .iterator(chunk_size=500)


def comments_for_export(usage_id):
    return Comment.objects.filter(usage_id=usage_id).select_related("idea__room").order_by("id") \
        .iterator(chunk_size=500)


def ideas_for_learners(usage_id, user_ids):
    """{author: [ideas]} for a batch of learners, for the Problem Responses report (1 query)."""
    found = {}
    for idea in Idea.objects.filter(usage_id=usage_id, author__in=user_ids).exclude(status=WITHDRAWN) \
            .order_by("created", "id"):
        found.setdefault(idea.author, []).append(idea)
    return found
