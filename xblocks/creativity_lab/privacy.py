"""A retired learner's ideas, comments, votes, flags and room places are deleted, and the
counters they fed corrected (registered in apps.ready()); "Download my data"."""
from collections import Counter

from django.db.models import F

from .models import VISIBLE, WITHDRAWN, Comment, Flag, Idea, Membership, PostLog, Room, Vote


def _decrement(model, field, amounts):
    for pk, amount in amounts.items():
        if amount:
            model.objects.filter(pk=pk).update(**{field: F(field) - amount})


def retire_idea_board(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete everything these learners wrote or did on idea boards, in every course.

    Peers' counts stay exact: the retired learner's dots, comments and flags are taken off
    the ideas they were on, and their room places are freed. Peers' ideas grouped under a
    retired learner's idea come back as cards of their own (the `cluster` key is set null);
    the retired learner's ideas grouped under a peer's simply leave that cluster. A retirement is rare, so this
    runs a query per idea and room touched."""
    deleted = 0
    rooms = Counter()
    votes = Counter()
    for idea_id, room_id, dots in Vote.objects.filter(voter__in=anonymous_ids).values_list(
            "idea_id", "idea__room_id", "dots"):
        votes[idea_id] += dots
        rooms[room_id] += 0
    _decrement(Idea, "votes", votes)
    deleted += Vote.objects.filter(voter__in=anonymous_ids).delete()[0]

    flags_on_ideas, flags_on_comments = Counter(), Counter()
    for idea_id, comment_id in Flag.objects.filter(user_id__in=anonymous_ids).values_list("idea_id", "comment_id"):
        if comment_id:
            flags_on_comments[comment_id] += 1
        else:
            flags_on_ideas[idea_id] += 1
    _decrement(Idea, "flags", flags_on_ideas)
    _decrement(Comment, "flags", flags_on_comments)
    deleted += Flag.objects.filter(user_id__in=anonymous_ids).delete()[0]

    comments = Counter()
    for idea_id, room_id in Comment.objects.filter(author__in=anonymous_ids, status=VISIBLE).values_list(
            "idea_id", "idea__room_id"):
        comments[idea_id] += 1
        rooms[room_id] += 0
    _decrement(Idea, "comments", comments)
    deleted += Comment.objects.filter(author__in=anonymous_ids).delete()[0]

    builds, ideas = Counter(), Counter()
    for room_id, parent_id, status in Idea.objects.filter(author__in=anonymous_ids).values_list(
            "room_id", "builds_on_id", "status"):
        if parent_id:
            builds[parent_id] += 1
        ideas[room_id] += status != WITHDRAWN
    deleted += Idea.objects.filter(author__in=anonymous_ids).delete()[0]
    _decrement(Idea, "builds", builds)  # parents by others (the learner's own ones are gone)

    places, contributors = Counter(), Counter()
    for room_id, contributed in Membership.objects.filter(user_id__in=anonymous_ids).values_list(
            "room_id", "contributed"):
        places[room_id] += 1
        contributors[room_id] += contributed
    deleted += Membership.objects.filter(user_id__in=anonymous_ids).delete()[0]
    deleted += PostLog.objects.filter(user_id__in=anonymous_ids).delete()[0]
    for room_id in set(rooms) | set(ideas) | set(places):
        Room.objects.filter(pk=room_id).update(revision=F("revision") + 1, ideas=F("ideas") - ideas[room_id],
                                               participants=F("participants") - places[room_id],
                                               contributors=F("contributors") - contributors[room_id])
    return deleted


def board_data(course_id, user_id):
    """Everything stored about the learner on the course's idea boards, for "Download my data"."""
    return {
        "rooms": [{"block": m.usage_id, "room": m.room.number, "completed": m.completed,
                   "contributed": m.contributed, "joined": m.joined.isoformat()}
                  for m in Membership.objects.filter(user_id=user_id, room__board__course_id=course_id)
                  .select_related("room")],
        # `cluster`: the lead idea of the group the idea was put in (by staff or peers), if any.
        "ideas": [{"block": i.usage_id, "id": str(i.public_id), "title": i.title, "text": i.text,
                   "category": i.category, "tags": i.tags, "status": i.status, "votes": i.votes,
                   "cluster": str(i.cluster.public_id) if i.cluster else None,
                   "created": i.created.isoformat(), "modified": i.modified.isoformat()}
                  for i in Idea.objects.filter(course_id=course_id, author=user_id).select_related("cluster")
                  .order_by("created")],
        "comments": [{"block": c.usage_id, "idea": str(c.idea.public_id), "text": c.text, "status": c.status,
                      "created": c.created.isoformat()}
                     for c in Comment.objects.filter(course_id=course_id, author=user_id).select_related("idea")
                     .order_by("created")],
        "votes": [{"block": v.usage_id, "idea": str(v.idea.public_id), "dots": v.dots,
                   "modified": v.modified.isoformat()}
                  for v in Vote.objects.filter(voter=user_id, idea__course_id=course_id).select_related("idea")],
        "flags": [{"block": f.usage_id, "idea": str(f.idea.public_id), "comment": f.target_key != "idea",
                   "reason": f.reason, "created": f.created.isoformat()}
                  for f in Flag.objects.filter(user_id=user_id, idea__course_id=course_id).select_related("idea")],
    }
