"""What each learner's or staff's action on the idea board does: who is calling and where
(`situation`), the rules (`board`), the writes (`board_store`), events and completion, all
inside the handler's one transaction (`api_handler` opens it). The block wires handlers to
these functions; `board_views` only turns what they return into JSON and pages.

`situation()` works out, once per request, who is calling, their room and the phase: every
action starts from it.
"""
from dataclasses import dataclass, field

from django.utils import timezone

from xblocks.common import events
from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request, forbidden, not_found
from xblocks.common.public_ids import public_id_or_404
from xblocks.notifications import api as notifications

from . import board, board_dates, board_store
from . import board_views as views
from .board_store import Viewer, shown_number
from .models import WITHDRAWN


@dataclass
class Situation:
    caller: object
    member: object          # the learner's Membership (None: staff who never posted or voted)
    manual_phase: str
    phase: str
    room_id: int | None     # the room shown; None: the whole board (staff)
    room_number: int | None
    my_ideas: int
    my_dots: int
    completed: bool
    withheld: bool          # others' ideas withheld from this learner until the vote
    names: dict = field(default_factory=dict)  # staff: {anonymous id: username} of the authors shown

    @property
    def viewer(self):
        return Viewer(self.caller.user_id, self.caller.is_staff, self.withheld)

    def me(self):
        return {"ideas": self.my_ideas, "dots_used": self.my_dots, "completed": self.completed}


def phase_of(block, manual_phase, user_id=None):
    """The phase for `user_id`: by the board's dates, or by the learner's own (board_dates.py)."""
    vote_start, results_start = board_dates.phase_dates(block, user_id)
    return board.current_phase(block.phase_mode, manual_phase, vote_start, results_start, timezone.now())


def situation(block, caller, join=False, room=None):
    """The caller's situation: learners are placed in a room on first sight (`join` places
    staff too, when they post or vote); staff may look at one room by number (`room`)."""
    if join or not caller.is_staff:
        member = board_store.join(block.course_key_str, block.usage_key_str, caller.user_id, block.room_size)
    else:
        member = board_store.membership(block.usage_key_str, caller.user_id)
    if member is not None:
        manual, my_ideas, my_dots = member.room.board.manual_phase, member.my_ideas, member.my_dots
    else:
        manual, my_ideas, my_dots = board_store.staff_place(block.usage_key_str, caller.user_id)
    room_id = room_number = None
    if room is not None:
        if not caller.is_staff:
            if member is None or room != shown_number(member.room.number):
                raise forbidden(_("You can only see the ideas of your own room."), code="other_room")
        room_id = board_store.room_id_of(block.usage_key_str, room)
        if room_id is None:
            raise not_found(_("There is no such room."))
        room_number = room
    elif not caller.is_staff:
        room_id, room_number = member.room_id, member.room.number
    phase = phase_of(block, manual, caller.user_id)
    return Situation(caller, member, manual, phase, room_id, room_number, my_ideas, my_dots,
                     bool(member and member.completed), board.others_withheld(phase, block.hide_until_vote,
                                                                              caller.is_staff))


# Helpers --------------------------------------------------------------------------------------------

def _uuid(value, what="idea"):
    return public_id_or_404(value, _("There is no such comment on your board.") if what == "comment"
                            else _("There is no such idea on your board."))


def _completed(block, sit, ideas, dots):
    """Publish completion (and the grade) once, the first time the rule is met."""
    if sit.member.completed:
        return True
    if board.completion_met(ideas, dots, block.completion_ideas, block.completion_votes) \
            and board_store.mark_completed(sit.member):
        block.publish_completed()
        return True
    return False


def _my_idea(sit, public_id, withdrawing=False):
    idea = board_store.idea_for(sit.viewer, _uuid(public_id), room_id=sit.member.room_id, status=None)
    board.check_can_change(idea.author == sit.caller.user_id, sit.phase, idea.status, withdrawing)
    return idea


def _visible_idea(block, sit, public_id):
    """An idea the caller may see: learners in their room only; staff anywhere in the block."""
    if sit.caller.is_staff:
        return board_store.idea_for(sit.viewer, _uuid(public_id), usage_id=block.usage_key_str)
    return board_store.idea_for(sit.viewer, _uuid(public_id), room_id=sit.member.room_id)


def _fresh(block, sit, idea):
    return views.idea_json(block, sit, board_store.idea_for(sit.viewer, idea.public_id,
                                                            usage_id=block.usage_key_str, status=None))


def _me(ideas, dots_used, completed):
    return {"ideas": ideas, "dots_used": dots_used, "completed": completed}


def _lock(sit):
    """The caller's counts under the lock on their membership (staff never count as participants)."""
    return board_store.lock_me(sit.member, counted=not sit.caller.is_staff)


def _clean_idea(block, data):
    return board.clean_idea(data["title"], data["text"], data["category"], data["tags"], block.categories,
                            block.allow_tags)


# Reading the board -------------------------------------------------------------------------------------

def board_page(block, caller, filters, page, room=None):
    return views.board_page(block, situation(block, caller, room=room), filters, page)


def poll(block, caller, room, since, shown_phase):
    """One indexed query: the revision of the caller's room (or the board, for staff)."""
    if not caller.is_staff:
        if room is not None:
            raise bad_request("other_room", _("You can only see the ideas of your own room."), field="room")
        found = board_store.learner_revision(block.usage_key_str, caller.user_id)
    elif room is not None:
        found = board_store.room_revision(block.usage_key_str, room)
    else:
        found = board_store.board_revision(block.usage_key_str)
    revision, manual = found or (0, "")
    phase = phase_of(block, manual, caller.user_id)
    if revision == since and shown_phase in (None, phase):
        return {"changed": False, "revision": revision}
    return {"changed": True, "revision": revision, "phase": views.phase_json(block, phase, manual, caller.user_id)}


def comments(block, caller, public_id, page):
    sit = situation(block, caller)
    idea = _visible_idea(block, sit, public_id)
    size = get_setting("IDEA_PAGE_SIZE")
    found, total, page = board_store.page_of_comments(idea, sit.viewer, page, size)
    views.named(sit, [c.author for c in found])
    return {"comments": [views.comment_json(block, sit, c) for c in found], "page": page,
            "pages": board.pages(total, size), "total": total}


def user_state(block, caller):
    sit = situation(block, caller)
    return {"room": shown_number(sit.member.room.number) if sit.member else None, "ideas": sit.my_ideas,
            "dots_used": sit.my_dots, "completed": sit.completed}


# Learners' actions ---------------------------------------------------------------------------------------

def post_idea(block, caller, data):
    sit = situation(block, caller, join=True)
    board.check_posting(sit.phase)
    values = _clean_idea(block, data)
    locked = _lock(sit)
    board_store.check_rate(sit.member)
    parent = board_store.idea_for(sit.viewer, _uuid(data["builds_on"]), room_id=sit.member.room_id) \
        if data["builds_on"] else None
    idea = board_store.post_idea(sit.member, locked, block.course_key_str, caller.username, values, parent)
    if parent is not None:
        notifications.idea_response(block, parent.author, parent.title, built_on=True, actor_id=caller.user_id)
    idea.room, idea.my_dots, idea.flagged_by_me = sit.member.room, 0, False
    block.remember_learner(caller)
    events.publish_event(block, "posted", {"idea": str(idea.public_id), "room": shown_number(idea.room.number),
                                           "builds_on": str(parent.public_id) if parent else None})
    completed = _completed(block, sit, locked["my_ideas"] + 1, locked["my_dots"])
    return {"idea": views.idea_json(block, sit, idea), "me": _me(locked["my_ideas"] + 1, locked["my_dots"], completed),
            "completed": completed}


def edit_idea(block, caller, data):
    sit = situation(block, caller, join=True)
    idea = _my_idea(sit, data["idea"])
    board_store.edit_idea(idea, _clean_idea(block, data))
    events.publish_event(block, "edited", {"idea": str(idea.public_id)})
    return {"idea": _fresh(block, sit, idea)}


def move_idea(block, caller, public_id, category):
    """Move an idea to another category's column: its author while ideas are collected, staff
    at any time."""
    sit = situation(block, caller, join=not caller.is_staff)
    board.check_category(category, block.categories)
    if caller.is_staff:
        idea = board_store.idea_for(sit.viewer, _uuid(public_id), usage_id=block.usage_key_str)
    else:
        idea = _my_idea(sit, public_id)
    board_store.move_idea(idea, category)
    events.publish_event(block, "edited", {"idea": str(idea.public_id), "category": category})
    return {"idea": _fresh(block, sit, idea)}


def withdraw_idea(block, caller, public_id):
    sit = situation(block, caller, join=True)
    idea = _my_idea(sit, public_id, withdrawing=True)
    board_store.withdraw_idea(idea)
    events.publish_event(block, "withdrawn", {"idea": str(idea.public_id)})
    locked = board_store.lock_me(sit.member)
    return {"idea": _fresh(block, sit, idea), "me": _me(locked["my_ideas"], locked["my_dots"], locked["completed"])}


def add_comment(block, caller, public_id, text):
    sit = situation(block, caller, join=True)
    text = board.clean_comment(text)
    idea = _visible_idea(block, sit, public_id)
    locked = _lock(sit)
    board_store.check_rate(sit.member)
    comment, count = board_store.add_comment(sit.member, locked, idea, block.course_key_str, caller.username, text)
    notifications.idea_response(block, idea.author, idea.title, actor_id=caller.user_id)
    block.remember_learner(caller)
    events.publish_event(block, "commented", {"idea": str(idea.public_id), "comment": str(comment.public_id)})
    return {"comment": views.comment_json(block, sit, comment), "comments": count}


def set_dots(block, caller, public_id, dots):
    sit = situation(block, caller, join=True)
    locked, idea, used = board_store.cast_dots(sit.member, sit.viewer, _uuid(public_id), dots, sit.phase,
                                               block.vote_budget, block.max_dots_per_idea, block.own_dots,
                                               not caller.is_staff)
    block.remember_learner(caller)
    events.publish_event(block, "voted", {"idea": str(idea.public_id), "dots": dots, "before": idea.my_dots})
    completed = _completed(block, sit, locked["my_ideas"], used)
    return {"idea": _fresh(block, sit, idea), "me": _me(locked["my_ideas"], used, completed), "completed": completed}


def move_dot(block, caller, source_id, target_id):
    sit = situation(block, caller, join=True)
    locked, source, target = board_store.move_dot(sit.member, sit.viewer, _uuid(source_id), _uuid(target_id),
                                                  sit.phase, block.vote_budget, block.max_dots_per_idea,
                                                  block.own_dots, not caller.is_staff)
    block.remember_learner(caller)
    events.publish_event(block, "voted", {"idea": str(target.public_id), "dots": target.my_dots + 1,
                                          "before": target.my_dots, "moved_from": str(source.public_id)})
    fresh = board_store.ideas_by_pk(sit.viewer, [source.pk, target.pk])
    return {"ideas": [views.idea_json(block, sit, fresh[source.pk]), views.idea_json(block, sit, fresh[target.pk])],
            "me": _me(locked["my_ideas"], locked["my_dots"], sit.completed)}


def flag(block, caller, target, public_id, reason):
    sit = situation(block, caller)
    room_id = None if caller.is_staff else sit.member.room_id
    if target == "idea":
        comment, idea = None, _visible_idea(block, sit, public_id)
        author = idea.author
    else:
        comment = board_store.comment_for(sit.viewer, _uuid(public_id, "comment"), block.usage_key_str, room_id)
        idea, author = comment.idea, comment.author
    if author == caller.user_id:
        raise bad_request("own", _("You cannot flag what you wrote yourself."), field="id")
    if board_store.flag(idea, comment, caller.user_id, reason.strip()) is not None:
        events.publish_event(block, "flagged", {"target": target, "id": public_id})
    return {"flagged": True}


# Clusters (learners where the course team allows it, staff always) ----------------------------------------

def _groupable(block, sit, public_id):
    """An idea to group or ungroup: learners' in their room and visible to them; staff's
    anywhere in the block, whatever its status (`rules.check_cluster` refuses hidden ones)."""
    if sit.caller.is_staff:
        return board_store.idea_for(sit.viewer, _uuid(public_id), usage_id=block.usage_key_str, status=None)
    return board_store.idea_for(sit.viewer, _uuid(public_id), room_id=sit.member.room_id)


def _cluster_json(block, sit, lead):
    """The cluster's card as it is now, with the ideas grouped under it (2 queries)."""
    fresh = board_store.idea_for(sit.viewer, lead.public_id, usage_id=block.usage_key_str, status=None)
    return views.idea_json(block, sit, fresh, board_store.members_of(sit.viewer, [fresh.pk]).get(fresh.pk, []))


def group_ideas(block, caller, public_id, lead_id):
    """Group a duplicate (`public_id`) into the cluster led by another idea of the same room
    (`lead_id`; an idea of its own becomes a cluster's lead): one card, voted on as one; dots
    already on the duplicate merge onto the lead (board_store.group_ideas).

    A cluster is the lead's card: it sits in the lead's column, is found by the lead's title,
    commented on, flagged and moderated through the lead (hiding the lead hides the card);
    members keep their own category, text and comments, shown again when they leave. A
    withdrawn or deleted lead releases its members; a withdrawn or deleted member leaves."""
    sit = situation(block, caller)
    board.check_grouping(caller.is_staff, block.learner_clusters, sit.phase)
    lead, member = _groupable(block, sit, lead_id), _groupable(block, sit, public_id)
    sizes = board_store.cluster_sizes([lead.pk, member.pk])
    board.check_cluster(lead, member, sizes.get(lead.pk, 0), sizes.get(member.pk, 0))
    board_store.group_ideas(lead, member, block.max_dots_per_idea, block.own_dots)
    events.publish_event(block, "clustered", {"cluster": str(lead.public_id), "idea": str(member.public_id),
                                              "room": shown_number(lead.room.number),
                                              "size": sizes.get(lead.pk, 0) + 2})
    return {"idea": _cluster_json(block, sit, lead)}


def ungroup_idea(block, caller, public_id):
    """Take an idea out of its cluster, or dissolve the cluster when it is the lead's
    (board_store.ungroup_idea: the ideas come back without dots, the dots stay on the lead)."""
    sit = situation(block, caller)
    board.check_grouping(caller.is_staff, block.learner_clusters, sit.phase)
    idea = _groupable(block, sit, public_id)
    if idea.cluster_id is None and not board_store.cluster_sizes([idea.pk]):
        raise bad_request("not_grouped", _("This idea is not in a group."), field="idea")
    lead = idea.cluster if idea.cluster_id else idea
    board_store.ungroup_idea(idea)
    events.publish_event(block, "unclustered", {"cluster": str(lead.public_id), "idea": str(idea.public_id),
                                                "dissolved": idea.cluster_id is None})
    return {"idea": _cluster_json(block, sit, lead)}


# Staff's actions --------------------------------------------------------------------------------------------

def moderate(block, caller, target, public_id, action):
    sit = situation(block, caller)
    if target == "idea":
        idea = board_store.idea_for(sit.viewer, _uuid(public_id), usage_id=block.usage_key_str, status=None)
        if idea.status == WITHDRAWN and action != "delete":
            raise bad_request("withdrawn", _("The author withdrew this idea."), field="id")
        board_store.moderate_idea(idea, action)
    else:
        comment = board_store.comment_for(sit.viewer, _uuid(public_id, "comment"), block.usage_key_str)
        board_store.moderate_comment(comment, action)
    events.publish_event(block, "moderated", {"target": target, "id": public_id, "action": action})
    if action == "delete":
        return {"deleted": True}
    if target == "idea":
        return {"idea": _fresh(block, sit, idea)}
    fresh = board_store.comment_for(sit.viewer, comment.public_id, block.usage_key_str)
    return {"comment": views.comment_json(block, sit, fresh)}


def set_phase(block, caller, phase):
    """Staff switch the phase (or back to the dates); moving to the vote tells the board's
    participants, who can turn that off (1 query for the recipients)."""
    before = situation(block, caller).phase
    manual = "" if phase == "auto" else phase
    board_store.set_manual_phase(block.course_key_str, block.usage_key_str, manual)
    current = phase_of(block, manual)
    events.publish_event(block, "phase_changed", {"phase": current, "manual": bool(manual)})
    if current == board.VOTE and before != board.VOTE:
        notifications.voting_open(block, board_store.contributor_ids(block.usage_key_str))
    return {"phase": views.phase_json(block, current, manual)}


def notification_choices(block, caller):
    """Which of the board's notifications the learner gets (1 query)."""
    return {"preferences": notifications.block_preferences(block, caller.user_id, "idea_board")}


def set_notification(block, caller, kind, enabled):
    notifications.set_block_preference(block, caller.user_id, kind, enabled)
    return notification_choices(block, caller)


def student_fragment(block, caller):
    """The learner's (or staff's) page, from their situation."""
    if not caller.is_authenticated:
        return views.signed_out_fragment(block)
    return views.student_fragment(block, caller, situation(block, caller))
