"""Helpers for the idea board tests: OLX, handler calls as a given learner, and a snapshot of
everything the board's tables hold (to prove a refused request changed nothing)."""
import json

from tests.conftest import LEARNER_A, STAFF
from tests.olx import block_xml
from xblocks.creativity_lab.models import Board, Comment, Flag, Idea, IdeaTag, Membership, PostLog, Room, Vote

BOARD = "bizmooc_idea_board"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
CATEGORIES = [{"id": "process", "name": "Process"}, {"id": "product", "name": "Product"}]


def board_xml(**attributes):
    """OLX for one idea board (see `tests.olx.block_xml`)."""
    return block_xml(BOARD, **attributes)


def post(wb, usage_id, handler, body=None, user=LEARNER_A):
    return wb.call(usage_id, handler, body or {}, user=user)


def get(wb, usage_id, handler, user=LEARNER_A, query=""):
    return wb.call(usage_id, handler, user=user, method="GET", query=query)


def page(wb, usage_id, user=LEARNER_A, **query):
    result = get(wb, usage_id, "board", user=user, query="&".join(f"{k}={v}" for k, v in query.items()))
    assert result.status == 200, result.text
    return result.json


def idea(wb, usage_id, title="An idea", user=LEARNER_A, **fields):
    result = post(wb, usage_id, "post_idea", {"title": title, **fields}, user=user)
    assert result.status == 200, result.text
    return result.json["idea"]


def set_phase(wb, usage_id, phase):
    result = post(wb, usage_id, "set_phase", {"phase": phase}, user=STAFF)
    assert result.status == 200, result.text
    return result.json["phase"]


def dots(wb, usage_id, idea_id, count, user=LEARNER_A):
    return post(wb, usage_id, "set_dots", {"idea": idea_id, "dots": count}, user=user)


def view_args(wb, usage_id, user=LEARNER_A):
    fragment = wb.block(usage_id, user).student_view({})
    return json.loads(fragment.json_init_args["bizmooc"])


def operator(settings, **values):
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], **values}}


def stored():
    """Everything the idea board's tables hold."""
    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list(*fields))
    return {
        "boards": rows(Board, "usage_id", "manual_phase"),
        "rooms": rows(Room, "board_id", "number", "participants", "contributors", "ideas", "revision"),
        "members": rows(Membership, "usage_id", "user_id", "room_id", "completed", "contributed"),
        "ideas": rows(Idea, "public_id", "room_id", "author", "title", "text", "category", "tags", "builds_on_id",
                      "status", "pinned", "votes", "comments", "flags", "builds", "modified"),
        "tags": rows(IdeaTag, "idea_id", "tag"),
        "votes": rows(Vote, "idea_id", "voter", "dots"),
        "comments": rows(Comment, "public_id", "text", "status", "pinned", "flags"),
        "flags": rows(Flag, "idea_id", "target_key", "user_id"),
        "posts": rows(PostLog, "user_id", "created"),
    }
