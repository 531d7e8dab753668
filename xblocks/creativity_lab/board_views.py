"""What the idea board shows: the learner's and staff's page (the browser draws the ideas from
JSON), the Studio preview and editor, the JSON of ideas, comments and pages, mobile data,
report rows and CSV exports. Rules come from `board`, queries from `board_store`.

`situation()` works out, once per request, who is calling, their room and the phase: every
view and handler starts from it.
"""
from dataclasses import dataclass

from django.utils import timezone

from xblocks.common import reports
from xblocks.common.config import get_setting
from xblocks.common.errors import _, forbidden, not_found
from xblocks.common.text import clean_html

from . import board, board_store
from .board_store import NO_ROOMS, Filters, Viewer
from .models import VISIBLE, Comment

JS_CLASS = "BizMOOCIdeaBoard"
OWN_JS = "static/js/idea_board.js"
OWN_CSS = "static/css/idea_board.css"
STAFF_JS = "static/js/idea_board_staff.js"

BROWSER_STRINGS = {
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Please try again when you are connected."),
    "room_label": _("Room {number}"),
    "collect": _("Collecting ideas"),
    "vote": _("Voting"),
    "results": _("Results"),
}
STUDIO_STRINGS = {
    "saved": _("Settings saved."),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Please try again when you are connected."),
}
TECHNIQUE_NAMES = {"free": _("Free brainstorming"), "prompts": _("Prompt cards"), "brainwriting": _("Brainwriting")}
PHASE_NAMES = {"collect": _("Collecting ideas"), "vote": _("Voting"), "results": _("Results")}


def _strings(block, strings=None):
    return {key: block.gettext(text) for key, text in (strings or BROWSER_STRINGS).items()}


# Who is calling, in which room and phase ------------------------------------------------------------

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

    @property
    def viewer(self):
        return Viewer(self.caller.user_id, self.caller.is_staff, self.withheld)

    def me(self):
        return {"ideas": self.my_ideas, "dots_used": self.my_dots, "completed": self.completed}


def phase_of(block, manual_phase):
    return board.current_phase(block.phase_mode, manual_phase, block.vote_start, block.results_start, timezone.now())


def situation(block, caller, join=False, room=None):
    """The caller's situation: learners are placed in a room on first sight (`join` places
    staff too, when they post or vote); staff may look at one room by number (`room`)."""
    member = None
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
    phase = phase_of(block, manual)
    return Situation(caller, member, manual, phase, room_id, room_number, my_ideas, my_dots,
                     bool(member and member.completed), board.others_withheld(phase, block.hide_until_vote,
                                                                              caller.is_staff))


def shown_number(number):
    """A room's number as the page shows it: None for the one room of a block without rooms."""
    return None if number == NO_ROOMS else number


# JSON --------------------------------------------------------------------------------------------------

def author_of(block, sit, name, user_id):
    if sit.caller.is_staff:
        return name or user_id
    return None if block.anonymous else (name or None)


def idea_json(block, sit, idea):
    mine = idea.author == sit.caller.user_id
    parent = idea.builds_on
    shown_parent = parent is not None and (sit.caller.is_staff or parent.status == VISIBLE)
    return {
        "id": str(idea.public_id), "title": idea.title, "text": idea.text, "category": idea.category,
        "tags": list(idea.tags), "author": author_of(block, sit, idea.author_name, idea.author),
        "mine": mine, "editable": board.editable(mine, sit.phase, idea.status),
        "votes": idea.votes if board.votes_shown(sit.phase, sit.caller.is_staff) else None,
        "my_dots": getattr(idea, "my_dots", 0), "comments": idea.comments,
        "builds_on": {"id": str(parent.public_id), "title": parent.title} if shown_parent else None,
        "builds": idea.builds, "pinned": idea.pinned, "status": idea.status,
        "flagged_by_me": bool(getattr(idea, "flagged_by_me", False)), "created": idea.created.isoformat(),
        "room": shown_number(idea.room.number),
    }


def comment_json(block, sit, comment):
    return {"id": str(comment.public_id), "text": comment.text,
            "author": author_of(block, sit, comment.author_name, comment.author),
            "mine": comment.author == sit.caller.user_id, "created": comment.created.isoformat(),
            "status": comment.status, "pinned": comment.pinned,
            "flagged_by_me": bool(getattr(comment, "flagged_by_me", False))}


def board_page(block, sit, filters=Filters(), page=1):
    size = get_setting("IDEA_PAGE_SIZE")
    ideas, total, page = board_store.page_of_ideas(block.usage_key_str, sit.room_id, sit.viewer, filters, page, size)
    return {"ideas": [idea_json(block, sit, idea) for idea in ideas], "page": page, "pages": board.pages(total, size),
            "total": total, "revision": revision_of(block, sit), "phase": sit.phase, "me": sit.me(),
            "hidden_until_vote": sit.withheld}


def revision_of(block, sit):
    """The revision the page compares with `poll` (1 query; the learner's is on the membership)."""
    if sit.member is not None and sit.room_id == sit.member.room_id:
        return sit.member.room.revision
    found = board_store.room_revision(block.usage_key_str, sit.room_number) if sit.room_id is not None \
        else board_store.board_revision(block.usage_key_str)
    return found[0] if found else 0


def phase_json(block, phase, manual_phase):
    return {"current": phase, "manual": manual_phase in board.PHASES,
            "vote_start": board.parse_when(block.vote_start).isoformat() if block.vote_start else None,
            "results_start": board.parse_when(block.results_start).isoformat() if block.results_start else None,
            "hide_until_vote": block.hide_until_vote}


def config_json(block):
    return {
        "technique": block.technique, "categories": block.categories, "allow_tags": block.allow_tags,
        "anonymous": block.anonymous, "vote_budget": block.vote_budget, "max_dots_per_idea": block.max_dots_per_idea,
        "prompt_cards": board.localized_cards(block.prompt_cards, block.gettext) if block.technique == "prompts"
        else [],
        "title_max": get_setting("IDEA_TITLE_MAX_CHARS"), "text_max": get_setting("IDEA_TEXT_MAX_CHARS"),
        "comment_max": get_setting("IDEA_COMMENT_MAX_CHARS"),
        "page_size": get_setting("IDEA_PAGE_SIZE"),
        "completion": {"ideas": block.completion_ideas, "votes": block.completion_votes},
    }


def room_label(block, number):
    return None if number in (None, NO_ROOMS) else block.gettext(BROWSER_STRINGS["room_label"]).format(number=number)


def rooms_json(block, sit):
    if not sit.caller.is_staff:
        return []
    return [{"number": shown_number(r["number"]), "label": room_label(block, r["number"]) or "",
             "participants": r["participants"], "ideas": r["ideas"]} for r in board_store.rooms_of(block.usage_key_str)]


def room_json(block, sit):
    member = sit.member
    if member is None or sit.caller.is_staff and sit.room_id != member.room_id:
        return {"number": None, "label": None, "participants": 0}
    return {"number": shown_number(member.room.number), "label": room_label(block, member.room.number),
            "participants": member.room.participants}


# Views ------------------------------------------------------------------------------------------------------

def student_fragment(block, caller):
    if not caller.is_authenticated:
        html = block.render_template("idea_board/signed_out.html", {"block": block})
        return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)
    sit = situation(block, caller)
    strings = _strings(block)
    html = block.render_template("idea_board/student.html", {
        "block": block, "challenge_html": clean_html(block.challenge), "strings": strings,
        "is_staff": caller.is_staff, "signed_in": True,
    })
    args = {"strings": strings, "config": config_json(block), "phase": phase_json(block, sit.phase, sit.manual_phase),
            "room": room_json(block, sit), "me": sit.me(), "board": board_page(block, sit),
            "is_staff": caller.is_staff, "rooms": rooms_json(block, sit)}
    fragment = block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)
    if caller.is_staff:  # the staff tools, kept out of the learner's page weight
        fragment.add_javascript_url(block.static_url(STAFF_JS))
    return fragment


def settings_summary(block):
    gettext = block.gettext
    yes, no = gettext(_("yes")), gettext(_("no"))
    dates = {"vote": block.vote_start or "—", "results": block.results_start or "—"}
    return [
        (gettext(_("Technique")), gettext(TECHNIQUE_NAMES.get(block.technique, TECHNIQUE_NAMES["free"]))),
        (gettext(_("Categories")), ", ".join(c["name"] for c in block.categories) or gettext(_("none"))),
        (gettext(_("Tags")), yes if block.allow_tags else no),
        (gettext(_("Phases")), gettext(_("switched by staff")) if block.phase_mode == "manual" else
         gettext(_("vote from {vote}, results from {results}")).format(**dates)),
        (gettext(_("Others' ideas hidden until the vote")), yes if block.hide_until_vote else no),
        (gettext(_("Rooms")), gettext(_("at most {size} learners each")).format(size=block.room_size)
         if block.room_size else gettext(_("one board for all"))),
        (gettext(_("Anonymous towards peers")), yes if block.anonymous else no),
        (gettext(_("Dots")), gettext(_("{budget} per learner, at most {max} per idea")).format(
            budget=block.vote_budget, max=block.max_dots_per_idea)),
        (gettext(_("Completion")), gettext(_("{ideas} ideas posted, {votes} dots placed")).format(
            ideas=block.completion_ideas, votes=block.completion_votes)),
        (gettext(_("Graded")), gettext(_("yes, weight {weight}")).format(weight=block.weight) if block.graded else no),
    ]


def author_fragment(block):
    html = block.render_template("idea_board/author.html", {
        "block": block, "challenge_html": clean_html(block.challenge), "summary": settings_summary(block)})
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


SETTINGS = ("display_name", "challenge", "categories", "allow_tags", "technique", "prompt_cards", "phase_mode",
            "vote_start", "results_start", "hide_until_vote", "room_size", "anonymous", "vote_budget",
            "max_dots_per_idea", "completion_ideas", "completion_votes", "graded", "weight")


def studio_fragment(block):
    values = {name: getattr(block, name) for name in SETTINGS}
    scamper = board.scamper_cards()
    strings = _strings(block, STUDIO_STRINGS)
    html = block.render_template("idea_board/studio.html", {"block": block, "values": values, "scamper": scamper,
                                                            "strings": strings})
    return block.fragment_for(html, "BizMOOCIdeaBoardStudio", {"values": values, "scamper": scamper,
                                                               "strings": strings},
                              "static/js/idea_board_studio.js", "static/css/idea_board_studio.css")


def mobile_data(block):
    return {
        "display_name": block.display_name, "challenge": clean_html(block.challenge),
        "config": config_json(block),
        "phase": {"mode": block.phase_mode, "vote_start": block.vote_start or None,
                  "results_start": block.results_start or None, "hide_until_vote": block.hide_until_vote},
        "room_size": block.room_size, "graded": block.graded,
    }


# Staff ----------------------------------------------------------------------------------------------------------

def review_page(block, page):
    size = get_setting("STAFF_PAGE_SIZE")
    items, reasons, total, page = board_store.review_queue(block.usage_key_str, page, size)
    rows = []
    for item in items:
        is_comment = isinstance(item, Comment)
        room = item.idea.room if is_comment else item.room
        kind = "comment" if is_comment else "idea"
        rows.append({"target": kind, "id": str(item.public_id), "title": item.idea.title if is_comment else item.title,
                     "text": item.text, "flags": item.flags, "reasons": reasons.get((kind, item.pk), []),
                     "room": shown_number(room.number), "author": item.author_name or item.author})
    return {"items": rows, "page": page, "pages": board.pages(total, size), "total": total}


def stats_page(block, page):
    size = get_setting("STAFF_PAGE_SIZE")
    rooms, totals, page = board_store.room_stats(block.usage_key_str, page, size)
    return {"rooms": [{"number": shown_number(r["number"]), "label": room_label(block, r["number"]) or "",
                       "participants": r["participants"], "ideas": r["ideas"], "votes": r["votes"],
                       "comments": r["comments"], "hidden": r["hidden"]} for r in rooms],
            "page": page, "pages": board.pages(totals["rooms"], size), "total": totals["rooms"], "totals": totals}


def export(block, what):
    """(filename, header, rows) of a staff CSV export; rows are generated while streaming."""
    usage_id = block.usage_key_str
    if what == "ideas":
        names = {c["id"]: c["name"] for c in block.categories}
        return "ideas.csv", board.IDEA_HEADER, (
            board.idea_row(i, shown_number(i.room.number), i.builds_on.public_id if i.builds_on else "", names)
            for i in board_store.ideas_for_export(usage_id))
    if what == "votes":
        return "votes.csv", board.VOTE_HEADER, (
            board.vote_row(v.idea.public_id, shown_number(v.idea.room.number), v)
            for v in board_store.votes_for_export(usage_id))
    return "comments.csv", board.COMMENT_HEADER, (
        board.comment_row(c, c.idea.public_id, shown_number(c.idea.room.number))
        for c in board_store.comments_for_export(usage_id))


def report_rows(block, user_state_iterator, limit_responses=None):
    """Rows for the Problem Responses report: one per idea a learner posted."""
    def rows_for(owner_ids):
        found = board_store.ideas_for_learners(block.usage_key_str, owner_ids)
        return {owner: [{"idea": i.title, "text": i.text, "category": i.category, "tags": ", ".join(i.tags),
                         "votes": i.votes, "comments": i.comments, "status": i.status} for i in ideas]
                for owner, ideas in found.items()}

    return reports.report_rows(user_state_iterator, "board_owner", rows_for, limit_responses)
