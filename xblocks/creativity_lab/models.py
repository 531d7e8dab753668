"""The idea board's tables: everything learners share (ideas, votes, comments, flags) and
everything counted concurrently lives here, keyed by course, block usage id and anonymous
user id (DESIGN.md "Where state lives").

- `Board`: one row per block, the staff's manual phase (settings do not persist in the LMS).
- `Room`: learners are placed in rooms of at most `room_size`; `revision` is bumped with F()
  on every change in the room, so a poll where nothing changed is one indexed query.
- `Membership`: which room a learner is in (one per block and learner); its row is the lock
  that serialises one learner's votes, so a budget can never be overspent.
- `Idea`, `Vote` (one row per idea and voter, holding the dots), `Comment`, `Flag` (one per
  target and learner) and `PostLog` (one row per idea or comment posted: the rate limit is one
  indexed count). Counters on ideas and rooms are denormalised and only ever changed with F().
- Clusters: an idea's `cluster` points to the lead idea of the cluster it was grouped into
  (null: a card of its own, or the lead of a cluster). A cluster is one card, the lead's: its
  votes are the lead's, members hold none (board_store.group_ideas merges their dots).

Lock order, in every write: the learner's membership row, then the room row (the revision
bump comes first), then idea rows (lower id first), then inserts. Inserting a child row
takes a shared lock on its parent in InnoDB; taking the exclusive lock first avoids deadlocks.
"""
import uuid

from django.db import models

VISIBLE, HIDDEN, FLAGGED, WITHDRAWN = "visible", "hidden", "flagged", "withdrawn"
STATUSES = [(s, s) for s in (VISIBLE, HIDDEN, FLAGGED, WITHDRAWN)]


class Board(models.Model):
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255, unique=True)
    manual_phase = models.CharField(max_length=10, blank=True, default="",
                                    help_text="Phase set by staff; empty: by the block's dates.")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"board {self.usage_id}"


class Room(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rooms")
    number = models.PositiveIntegerField(help_text="0: the one board of a block without rooms.")
    participants = models.PositiveIntegerField(default=0, help_text="Learners placed in the room.")
    contributors = models.PositiveIntegerField(default=0, help_text="Learners who posted, commented or voted.")
    ideas = models.PositiveIntegerField(default=0, help_text="Ideas not withdrawn nor deleted.")
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "number"], name="bizmooc_room_number_once")]
        indexes = [models.Index(fields=["board", "participants"], name="bizmooc_room_by_fill")]

    def __str__(self):
        return f"room {self.number}"


class Membership(models.Model):
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    completed = models.BooleanField(default=False)
    contributed = models.BooleanField(default=False, help_text="Posted, commented or voted on the board.")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "user_id"], name="bizmooc_member_once")]
        indexes = [models.Index(fields=["usage_id", "contributed"], name="bizmooc_member_contributed")]

    def __str__(self):
        return f"member {self.user_id}"


class Idea(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="room_ideas")
    author = models.CharField(max_length=64)
    author_name = models.CharField(max_length=150, blank=True, default="")
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True, default="")
    category = models.CharField(max_length=40, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    builds_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cluster = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The lead idea of the cluster this idea was grouped into.")
    status = models.CharField(max_length=10, choices=STATUSES, default=VISIBLE)
    pinned = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)
    builds = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # A room's page of cards (`cluster` IS NULL: ideas of their own and clusters' leads): newest or
            # most voted, pinned first; and by category. The page's count reads the index alone.
            models.Index(fields=["room", "status", "cluster", "pinned", "created"], name="bizmooc_idea_room_new"),
            models.Index(fields=["room", "status", "cluster", "pinned", "votes"], name="bizmooc_idea_room_votes"),
            models.Index(fields=["room", "status", "cluster", "category", "pinned", "created"],
                         name="bizmooc_idea_room_cat"),
            # Staff across rooms: walked in page order, status checked per row (an IN on status
            # before the sort keys would make the database sort every idea of the board).
            models.Index(fields=["usage_id", "pinned", "created"], name="bizmooc_idea_block_new"),
            models.Index(fields=["usage_id", "pinned", "votes", "created"], name="bizmooc_idea_block_votes"),
            # The review queue and exports; the count of staff's cards across rooms reads it alone.
            models.Index(fields=["usage_id", "status", "created", "cluster"], name="bizmooc_idea_block_status"),
            # "Mine", completion counts, reports, privacy.
            models.Index(fields=["usage_id", "author", "created"], name="bizmooc_idea_author"),
            models.Index(fields=["course_id", "author"], name="bizmooc_idea_course_author"),
        ]

    def __str__(self):
        return f"idea {self.public_id}"


class IdeaTag(models.Model):
    """An idea's tags as rows, so that filtering a room by tag uses an index."""
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="tag_rows")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "tag"], name="bizmooc_idea_tag_once")]
        indexes = [models.Index(fields=["room", "tag"], name="bizmooc_tag_by_room")]

    def __str__(self):
        return self.tag


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="vote_rows")
    usage_id = models.CharField(max_length=255)
    voter = models.CharField(max_length=64)
    dots = models.PositiveSmallIntegerField()
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "voter"], name="bizmooc_vote_once")]
        indexes = [models.Index(fields=["usage_id", "voter"], name="bizmooc_vote_by_voter")]

    def __str__(self):
        return f"{self.dots} dots"


class Comment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comment_rows")
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    author = models.CharField(max_length=64)
    author_name = models.CharField(max_length=150, blank=True, default="")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=STATUSES, default=VISIBLE)
    pinned = models.BooleanField(default=False)
    flags = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["idea", "status", "pinned", "created"], name="bizmooc_comment_by_idea"),
            models.Index(fields=["usage_id", "status", "created"], name="bizmooc_comment_by_block"),
            models.Index(fields=["course_id", "author"], name="bizmooc_comment_author"),
        ]

    def __str__(self):
        return f"comment {self.public_id}"


class Flag(models.Model):
    """A learner's report of an idea (`comment` null) or of a comment on it; once per target."""
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="flag_rows")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flag_rows")
    target_key = models.CharField(max_length=36, help_text='"idea", or the comment\'s public id.')
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "target_key", "user_id"], name="bizmooc_flag_once")]
        indexes = [models.Index(fields=["usage_id", "user_id"], name="bizmooc_flag_by_user")]

    def __str__(self):
        return f"flag on {self.target_key}"


class PostLog(models.Model):
    """When a learner posted an idea or a comment: the rate limit counts these rows."""
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64)
    created = models.DateTimeField(db_index=False)

    class Meta:
        indexes = [models.Index(fields=["usage_id", "user_id", "created"], name="bizmooc_post_rate")]

    def __str__(self):
        return f"post {self.created}"
