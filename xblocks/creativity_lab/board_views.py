"""What the idea board shows: the learner's and staff's page (the browser draws the ideas from
JSON), the Studio preview and editor, the JSON of ideas, comments and pages, mobile data,
report rows and CSV exports. Presentation only: what an action does (who is where, the
rules, the writes) is `board_service`'s; rules come from `board`, queries from `board_store`.
"""
import hashlib

from xblocks.common import relative_dates, reports, seams, settings_form
from xblocks.common.config import get_setting
from xblocks.common.dates import moment_text
from xblocks.common.errors import _
from xblocks.common.text import clean_html

from . import board, board_dates, board_store
from .board_store import NO_ROOMS, Filters, shown_number
from .models import VISIBLE, Comment

JS_CLASS = "BizMOOCIdeaBoard"
OWN_JS = "static/js/idea_board.js"
OWN_CSS = "static/css/idea_board.css"
STAFF_JS = "static/js/idea_board_staff.js"
MORE_JS = "static/js/idea_board_more.js"  # comments, flags, editing, moving, withdrawal, notifications: on first use

BROWSER_STRINGS = {
    "collect_until": _("Collecting ideas until {date}."),
    "collect": _("Collecting ideas."),
    "vote_until": _("Voting: give your dots to the ideas you prefer, until {date}."),
    "vote": _("Voting: give your dots to the ideas you prefer."),
    "results": _("Results: the ideas ranked by votes."),
    "room_option": _("{label} (participants: {count}, ideas: {ideas})"),
    "room_n": _("Room {n}"),
    "budget": _("{left} of {budget} dots left (at most {max} per idea)."),
    "total": _("Ideas: {count}"),
    "none": _("No ideas yet."),
    "none_match": _("No ideas match."),
    "page": _("Page {page} of {pages}"),
    "new_ideas": _("New ideas: {count}."),
    "chars": _("{count} of {limit} characters"),
    "required": _("Please fill in this field."),
    "too_long": _("At most {limit} characters."),
    "builds_on": _("Builds on: {title}"),
    "building_on": _("Your idea builds on: {title}"),
    "posted": _("Your idea is posted."),
    "edit_h": _("Edit your idea"),
    "save": _("Save changes"),
    "saved": _("Your idea is saved."),
    "confirm_withdraw": _("Withdraw this idea? It disappears from the board with its votes."),
    "withdrawn": _("Your idea is withdrawn."),
    "votes": _("Votes: {count}"),
    "my_dots": _("your dots: {count}"),
    "comments": _("Comments ({count})"),
    "commented": _("Your comment is added."),
    "by": _("by {author}"),
    "mine": _("your idea"),
    "my_comment": _("your comment"),
    "pinned": _("Pinned"),
    "status_hidden": _("Hidden"),
    "status_flagged": _("Flagged"),
    "status_withdrawn": _("Withdrawn"),
    "rank": _("#{n}"),
    "tags": _("Tags: {tags}"),
    "flagged": _("Thank you: the course team will look at it."),
    "confirm_delete": _("Delete for good? This cannot be undone."),
    "moderated": _("Done: {action}."),
    "deleted": _("Deleted."),
    "phase_set": _("Phase switched."),
    "flags": _("Flags: {count}. Reasons: {reasons}"),
    "total_row": _("All rooms"),
    "one_board": _("One board"),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Please try again when you are connected."),
    "room_label": _("Room {number}"),  # the room's name in the JSON (room_label)
    "notify_saved": _("Your choice is saved."),
    "moved": _("Moved: now {what}."),
    "cluster": _("A group of {count} ideas"),
    "grouped": _("Grouped: {title}."),
    "ungrouped": _("The ideas are shown on their own again."),
    "group_none": _("No other idea on this page can be grouped with this one."),
}
ROOM_LINE = _("Your room: {label}. Participants: {count}.")
BROWSER_STRINGS["room_line"] = ROOM_LINE  # kept up to date by each board page
STUDIO_STRINGS = {
    "settings_saved": _("Settings saved."),
    "error_title": _("The settings were not saved"),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your changes are still on this page; please try again when connected."),
    "category": _("Category {n}"),
    "card": _("Prompt card {n}"),
    "added": _("Added: {what}."),
    "removed": _("Removed: {what}."),
    "moved": _("Moved: now {what}."),
    "scamper": _("The SCAMPER cards are in the list; edit them as you like."),
    "required": _("{field}: this field is required."),
    "invalid": _("{field}: {message}"),
}
TECHNIQUE_NAMES = {"free": _("Free brainstorming"), "prompts": _("Prompt cards"), "brainwriting": _("Brainwriting")}


def _strings(block, strings=None):
    return {key: block.gettext(text) for key, text in (strings or BROWSER_STRINGS).items()}


# JSON --------------------------------------------------------------------------------------------------

def author_of(block, sit, name, user_id):
    if sit.caller.is_staff:  # the platform's username where it knows it (seams.usernames_of)
        return sit.names.get(user_id) or name or user_id
    return None if block.anonymous else (name or None)


def idea_json(block, sit, idea, members=None):
    """An idea's card; `members`: the ideas grouped under it (a cluster's card shows their
    titles and counts as one), given where the page or the action read them (else left out:
    the browser keeps what it showed)."""
    mine = idea.author == sit.caller.user_id
    parent = idea.builds_on
    shown_parent = parent is not None and (sit.caller.is_staff or parent.status == VISIBLE)
    found = {
        "id": str(idea.public_id), "title": idea.title, "text": idea.text, "category": idea.category,
        "tags": list(idea.tags), "author": author_of(block, sit, idea.author_name, idea.author),
        "mine": mine, "editable": board.editable(mine, sit.phase, idea.status),
        "votes": idea.votes if board.votes_shown(sit.phase, sit.caller.is_staff, block.hide_votes_until_results)
        else None,
        "my_dots": getattr(idea, "my_dots", 0), "comments": idea.comments,
        "builds_on": {"id": str(parent.public_id), "title": parent.title} if shown_parent else None,
        "builds": idea.builds, "pinned": idea.pinned, "status": idea.status,
        "flagged_by_me": bool(getattr(idea, "flagged_by_me", False)), "created": idea.created.isoformat(),
        "room": shown_number(idea.room.number),
    }
    if members is not None:
        found["members"] = [{"id": str(m.public_id), "title": m.title} for m in members]
    return found


def comment_json(block, sit, comment):
    return {"id": str(comment.public_id), "text": comment.text,
            "author": author_of(block, sit, comment.author_name, comment.author),
            "mine": comment.author == sit.caller.user_id, "created": comment.created.isoformat(),
            "status": comment.status, "pinned": comment.pinned,
            "flagged_by_me": bool(getattr(comment, "flagged_by_me", False))}


def board_page(block, sit, filters=Filters(), page=1):
    size = get_setting("IDEA_PAGE_SIZE")
    ideas, total, page = board_store.page_of_ideas(block.usage_key_str, sit.room_id, sit.viewer, filters, page, size)
    named(sit, [idea.author for idea in ideas])
    members = board_store.members_of(sit.viewer, [idea.pk for idea in ideas])  # 1 query, none on an empty page
    shown = [idea_json(block, sit, idea, members.get(idea.pk, [])) for idea in ideas]
    if sit.phase == board.RESULTS:  # ties share a rank, across pages too (1 query)
        ranks = board.ranks([i.votes for i in ideas], board_store.ranks_above(
            block.usage_key_str, sit.room_id, sit.viewer, filters, [i.votes for i in ideas]))
        for idea, row in zip(ideas, shown):
            row["rank"] = ranks[idea.votes]
    return {"ideas": shown, "page": page, "pages": board.pages(total, size),
            "total": total, "revision": revision_of(block, sit), "phase": sit.phase, "me": sit.me(),
            "participants": room_json(block, sit)["participants"],
            "hidden_until_vote": sit.withheld}


def named(sit, user_ids):
    """Staff see the platform's usernames of a page's authors (1 query in the LMS)."""
    if sit.caller.is_staff:
        sit.names = seams.usernames_of(user_ids)


def revision_of(block, sit):
    """The revision the page compares with `poll` (1 query; the learner's is on the membership)."""
    if sit.member is not None and sit.room_id == sit.member.room_id:
        return sit.member.room.revision
    found = board_store.room_revision(block.usage_key_str, sit.room_number) if sit.room_id is not None \
        else board_store.board_revision(block.usage_key_str)
    return found[0] if found else 0


def _iso(moment):
    return moment.isoformat() if moment else None


def phase_json(block, phase, manual_phase, user_id=None):
    """The phase and the dates it switches on, the learner's own in "relative" mode (board_dates.py)."""
    vote_start, results_start = board_dates.phase_dates(block, user_id)
    return {"current": phase, "manual": manual_phase in board.PHASES, "mode": block.phase_mode,
            "vote_start": _iso(vote_start),
            "results_start": _iso(results_start), "hide_until_vote": block.hide_until_vote}


def config_json(block):
    return {
        "technique": block.technique, "categories": block.categories, "allow_tags": block.allow_tags,
        "anonymous": block.anonymous, "vote_budget": block.vote_budget, "max_dots_per_idea": block.max_dots_per_idea,
        "own_dots": block.own_dots, "hide_votes_until_results": block.hide_votes_until_results,
        "learner_clusters": block.learner_clusters,
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
             "participants": r["contributors"], "ideas": r["ideas"]} for r in board_store.rooms_of(block.usage_key_str)]


def room_json(block, sit):
    member = sit.member
    if member is None or sit.caller.is_staff and sit.room_id != member.room_id:
        return {"number": None, "label": None, "participants": 0}
    return {"number": shown_number(member.room.number), "label": room_label(block, member.room.number),
            "participants": member.room.contributors}


# Views ------------------------------------------------------------------------------------------------------

def signed_out_fragment(block):
    html = block.render_template("idea_board/signed_out.html", {"block": block})
    return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)


def student_fragment(block, caller, sit):
    """The page of a signed-in caller in situation `sit` (board_service.situation)."""
    config, room = config_json(block), room_json(block, sit)
    room_line = "" if caller.is_staff or room["number"] is None else \
        block.gettext(ROOM_LINE).format(label=room["label"], count=room["participants"])
    html = block.render_template("idea_board/student.html", {
        "block": block, "challenge_html": clean_html(block.challenge), "config": config,
        "cards": config["prompt_cards"], "room_line": room_line, "is_staff": caller.is_staff, "signed_in": True,
    })
    args = {"strings": _strings(block), "config": config,
            "phase": phase_json(block, sit.phase, sit.manual_phase, sit.caller.user_id),
            "room": room, "me": sit.me(), "board": board_page(block, sit), "is_staff": caller.is_staff,
            "rooms": rooms_json(block, sit), "more_url": block.static_url(MORE_JS),
            "draft_key": "bizmooc-idea-draft-" + hashlib.sha256(
                f"{block.usage_key_str}\n{caller.user_id}".encode()).hexdigest()[:20]}
    fragment = block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)
    if caller.is_staff:  # the staff tools, kept out of the learner's page weight
        fragment.add_javascript_url(block.static_url(STAFF_JS))
    return fragment


def settings_summary(block):
    gettext = block.gettext
    yes, no = gettext(_("yes")), gettext(_("no"))
    dates = {"vote": moment_text(block.vote_start) or "—", "results": moment_text(block.results_start) or "—"}
    return [
        (gettext(_("Technique")), gettext(TECHNIQUE_NAMES.get(block.technique, TECHNIQUE_NAMES["free"]))),
        (gettext(_("Categories")), ", ".join(c["name"] for c in block.categories) or gettext(_("none"))),
        (gettext(_("Tags")), yes if block.allow_tags else no),
        (gettext(_("Learners may group duplicate ideas")), yes if block.learner_clusters else no),
        (gettext(_("Phases")), _phases_summary(block, gettext, dates)),
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


def _phases_summary(block, gettext, dates):
    if block.phase_mode == board_dates.MANUAL:
        return gettext(_("switched by staff"))
    if block.phase_mode == relative_dates.RELATIVE:  # each learner's own window (board_dates.py)
        days = {"vote": f"{block.vote_after_days:g}", "results": f"{block.results_after_days:g}"}
        return gettext(_("for each learner: days from their enrolment to the vote: {vote}, to the results: "
                         "{results}")).format(**days)
    return gettext(_("vote from {vote}, results from {results}")).format(**dates)


def author_fragment(block):
    html = block.render_template("idea_board/author.html", {
        "block": block, "challenge_html": clean_html(block.challenge), "summary": settings_summary(block)})
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


def studio_fragment(block):
    """The editor: the shared settings form; categories and prompt cards are its structured parts."""
    html = settings_form.render(block, _("Idea board settings"), "bizmooc-idea-board-studio ibs",
                                {"blank": [{}]})  # the blank row of studio_list.html
    return block.fragment_for(html, "BizMOOCIdeaBoardStudio", {"scamper": board.scamper_cards(),
                                                               "strings": _strings(block, STUDIO_STRINGS)},
                              "static/js/idea_board_studio.js", "static/css/idea_board_studio.css")


def mobile_data(block):
    """The block for the mobile apps (Course Blocks API). The platform collects it once per
    course when the course is published, with no user, and caches it for everyone
    (devstack PublishRuntime): so the phases are the block's, relative ones as days; each
    learner's own dates come with the board (`board`, `poll`)."""
    relative = block.phase_mode == relative_dates.RELATIVE
    return {
        "display_name": block.display_name, "challenge": clean_html(block.challenge),
        "config": config_json(block),
        "phase": {"mode": block.phase_mode, "vote_start": None if relative else _iso(block.vote_start),
                  "results_start": None if relative else _iso(block.results_start),
                  "vote_after_days": block.vote_after_days if relative else None,
                  "results_after_days": block.results_after_days if relative else None,
                  "hide_until_vote": block.hide_until_vote},
        "room_size": block.room_size, "graded": block.graded,
    }


# Staff ----------------------------------------------------------------------------------------------------------

def review_page(block, page):
    size = get_setting("STAFF_PAGE_SIZE")
    items, reasons, total, page = board_store.review_queue(block.usage_key_str, page, size)
    names = seams.usernames_of([item.author for item in items])
    rows = []
    for item in items:
        is_comment = isinstance(item, Comment)
        room = item.idea.room if is_comment else item.room
        kind = "comment" if is_comment else "idea"
        rows.append({"target": kind, "id": str(item.public_id), "title": item.idea.title if is_comment else item.title,
                     "text": item.text, "flags": item.flags, "reasons": reasons.get((kind, item.pk), []),
                     "room": shown_number(room.number),
                     "author": names.get(item.author) or item.author_name or item.author})
    return {"items": rows, "page": page, "pages": board.pages(total, size), "total": total}


def stats_page(block, page):
    size = get_setting("STAFF_PAGE_SIZE")
    rooms, totals, page = board_store.room_stats(block.usage_key_str, page, size)
    return {"rooms": [{"number": shown_number(r["number"]), "label": room_label(block, r["number"]) or "",
                       "participants": r["contributors"], "ideas": r["ideas"], "votes": r["votes"],
                       "comments": r["comments"], "hidden": r["hidden"]} for r in rooms],
            "page": page, "pages": board.pages(totals["rooms"], size), "total": totals["rooms"], "totals": totals}


def export(block, what):
    """(filename, header, rows) of a staff CSV export; rows are generated while streaming."""
    usage_id = block.usage_key_str
    if what == "ideas":
        names = {c["id"]: c["name"] for c in block.categories}
        return "ideas.csv", board.IDEA_HEADER, (
            board.idea_row(i, shown_number(i.room.number), i.builds_on.public_id if i.builds_on else "", names,
                           i.cluster.public_id if i.cluster else "")
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

    return reports.report_rows(user_state_iterator, rows_for, limit_responses, legacy_field="board_owner")
