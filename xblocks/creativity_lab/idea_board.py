"""The idea board XBlock: fields, views and handlers, wired to `board` (the rules),
`board_store` (the queries) and `board_views` (what is shown)."""

from xblock.fields import Boolean, Integer, Scope, String
from xblock.validation import ValidationMessage

from xblocks.common import events
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request
from xblocks.common.exports import csv_response, json_download
from xblocks.common.fields import JSONList
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.public_ids import public_id_or_404
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, ListOf, Number, Str
from xblocks.common.text import clean_html

from . import board as rules
from . import board_store, privacy
from . import board_views as views
from .board_store import Filters
from .models import WITHDRAWN
from .scenarios import IDEA_BOARD_SCENARIOS


def _title_max():
    return get_setting("IDEA_TITLE_MAX_CHARS")


def _text_max():
    return get_setting("IDEA_TEXT_MAX_CHARS")


def _comment_max():
    return get_setting("IDEA_COMMENT_MAX_CHARS")


def _uuid(value, what="idea"):
    return public_id_or_404(value, _("There is no such comment on your board.") if what == "comment"
                            else _("There is no such idea on your board."))


PAGE = IntText(min_value=1, required=False, default=1)
IDEA_ID = Str(max_length=40)
TAGS = ListOf(Str(max_length=200), max_items=20, required=False, default=[])
IDEA_SHAPE = {"title": Str(max_length=_title_max), "text": Str(max_length=_text_max, required=False, default=""),
              "category": Str(max_length=40, required=False, default=""), "tags": TAGS}

SETTINGS_SHAPE = {
    "display_name": Str(max_length=255, min_length=1),
    "challenge": Str(max_length=20_000),
    "categories": Anything(),
    "allow_tags": Bool(),
    "technique": Choice(rules.TECHNIQUES),
    "prompt_cards": Anything(),
    "phase_mode": Choice(rules.PHASE_MODES),
    "vote_start": Str(max_length=40),
    "results_start": Str(max_length=40),
    "hide_until_vote": Bool(),
    "room_size": Int(min_value=0, max_value=rules.MAX_ROOM_SIZE),
    "anonymous": Bool(),
    "vote_budget": Int(min_value=1, max_value=rules.MAX_BUDGET),
    "max_dots_per_idea": Int(min_value=1, max_value=rules.MAX_BUDGET),
    "completion_ideas": Int(min_value=0, max_value=100),
    "completion_votes": Int(min_value=0, max_value=rules.MAX_BUDGET),
    "graded": Bool(),
    "weight": Number(min_value=0, max_value=1000),
}


class IdeaBoardBlock(BizMOOCBlock):
    """Learners post ideas in rooms, build on and comment on each other's, and dot-vote."""

    view_module = views
    event_prefix = "idea_board"
    allowed_events = frozenset({"posted", "edited", "withdrawn", "commented", "voted", "flagged", "moderated",
                                "phase_changed"})
    completion_mode = "completable"
    has_custom_completion = True

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Idea board")
    challenge = String(display_name=_("Challenge"), scope=Scope.settings, multiline_editor="html",
                       default="<p>How might we make the first week of new colleagues better?</p>")
    categories = JSONList(display_name=_("Categories"), scope=Scope.settings, default=[],
                          help=_("Columns ideas are sorted into; none: one list."))
    allow_tags = Boolean(display_name=_("Tags allowed"), scope=Scope.settings, default=True)
    technique = String(display_name=_("Technique"), scope=Scope.settings, default="free", values=rules.TECHNIQUES)
    prompt_cards = JSONList(display_name=_("Prompt cards"), scope=Scope.settings, default=rules.scamper_cards())
    phase_mode = String(display_name=_("Phases switched"), scope=Scope.settings, default="dates",
                        values=rules.PHASE_MODES)
    vote_start = String(display_name=_("Vote starts"), scope=Scope.settings, default="")
    results_start = String(display_name=_("Results start"), scope=Scope.settings, default="")
    hide_until_vote = Boolean(display_name=_("Hide others' ideas until the vote"), scope=Scope.settings,
                              default=False)
    room_size = Integer(display_name=_("Room size"), scope=Scope.settings, default=0,
                        help=_("Learners per room; 0: one board for all. Use 50-200 for a MOOC."))
    anonymous = Boolean(display_name=_("Anonymous towards peers"), scope=Scope.settings, default=True)
    vote_budget = Integer(display_name=_("Dots per learner"), scope=Scope.settings, default=5)
    max_dots_per_idea = Integer(display_name=_("Most dots per idea"), scope=Scope.settings, default=3)
    completion_ideas = Integer(display_name=_("Ideas needed for completion"), scope=Scope.settings, default=1)
    completion_votes = Integer(display_name=_("Dots needed for completion"), scope=Scope.settings, default=0)

    board_owner = String(scope=Scope.user_state, default="")

    # Helpers ----------------------------------------------------------------------------

    def _situation(self, caller, join=False, room=None):
        return views.situation(self, caller, join=join, room=room)

    def _acted(self, caller):
        """Remember the learner's anonymous id in their state, for generate_report_data."""
        if self.board_owner != caller.user_id:
            self.board_owner = caller.user_id

    def _completed(self, sit, ideas, dots):
        """Publish completion (and the grade) once, the first time the rule is met."""
        if sit.member.completed:
            return True
        if rules.completion_met(ideas, dots, self.completion_ideas, self.completion_votes) \
                and board_store.mark_completed(sit.member):
            self.publish_completed()
            return True
        return False

    def _my_idea(self, sit, public_id, withdrawing=False):
        idea = board_store.idea_for(sit.viewer, _uuid(public_id), room_id=sit.member.room_id, status=None)
        rules.check_can_change(idea.author == sit.caller.user_id, sit.phase, idea.status, withdrawing)
        return idea

    def _visible_idea(self, sit, public_id):
        """An idea the caller may see: learners in their room only; staff anywhere in the block."""
        if sit.caller.is_staff:
            return board_store.idea_for(sit.viewer, _uuid(public_id), usage_id=self.usage_key_str)
        return board_store.idea_for(sit.viewer, _uuid(public_id), room_id=sit.member.room_id)

    def _fresh(self, sit, idea):
        return views.idea_json(self, sit, board_store.idea_for(sit.viewer, idea.public_id,
                                                               usage_id=self.usage_key_str, status=None))

    # Learner handlers ------------------------------------------------------------------------------

    @api_handler(method="GET", role=LEARNER, shape={
        "page": PAGE, "sort": Choice(("newest", "votes"), required=False, default="newest"),
        "category": Str(max_length=40, required=False, default=""), "tag": Str(max_length=30, required=False,
                                                                                default=""),
        "mine": Choice(("0", "1"), required=False, default="0"), "q": Str(max_length=100, required=False, default=""),
        "room": IntText(min_value=1, required=False)})
    def board(self, data, caller):
        sit = self._situation(caller, room=data["room"])
        filters = Filters(sort=data["sort"], category=data["category"], tag=data["tag"].strip().lower(),
                          mine=data["mine"] == "1", q=data["q"].strip())
        return views.board_page(self, sit, filters, data["page"])

    # CHANGED (contract): `phase`, the phase the page shows, so a change by the dates is noticed too.
    @api_handler(method="GET", role=LEARNER, shape={"since": IntText(min_value=0),
                                                    "room": IntText(min_value=1, required=False),
                                                    "phase": Choice(rules.PHASES, required=False)})
    def poll(self, data, caller):
        """One indexed query: the revision of the caller's room (or the board, for staff)."""
        if not caller.is_staff:
            if data["room"] is not None:
                raise bad_request("other_room", _("You can only see the ideas of your own room."), field="room")
            found = board_store.learner_revision(self.usage_key_str, caller.user_id)
        elif data["room"] is not None:
            found = board_store.room_revision(self.usage_key_str, data["room"])
        else:
            found = board_store.board_revision(self.usage_key_str)
        revision, manual = found or (0, "")
        phase = views.phase_of(self, manual)
        if revision == data["since"] and data["phase"] in (None, phase):
            return {"changed": False, "revision": revision}
        return {"changed": True, "revision": revision, "phase": views.phase_json(self, phase, manual)}

    @api_handler(method="POST", role=LEARNER, shape=dict(IDEA_SHAPE, builds_on=Str(max_length=40, required=False,
                                                                                     default="")))
    def post_idea(self, data, caller):
        sit = self._situation(caller, join=True)
        rules.check_posting(sit.phase)
        values = rules.clean_idea(data["title"], data["text"], data["category"], data["tags"], self.categories,
                                  self.allow_tags)
        locked = board_store.lock_me(sit.member)
        board_store.check_rate(sit.member)
        parent = board_store.idea_for(sit.viewer, _uuid(data["builds_on"]), room_id=sit.member.room_id) \
            if data["builds_on"] else None
        idea = board_store.post_idea(sit.member, self.course_key_str, caller.username, values, parent)
        idea.room, idea.my_dots, idea.flagged_by_me = sit.member.room, 0, False
        self._acted(caller)
        events.publish_event(self, "posted", {"idea": str(idea.public_id), "room": views.shown_number(idea.room.number),
                                              "builds_on": str(parent.public_id) if parent else None})
        completed = self._completed(sit, locked["my_ideas"] + 1, locked["my_dots"])
        me = {"ideas": locked["my_ideas"] + 1, "dots_used": locked["my_dots"], "completed": completed}
        return {"idea": views.idea_json(self, sit, idea), "me": me, "completed": completed}

    @api_handler(method="POST", role=LEARNER, shape=dict(IDEA_SHAPE, idea=IDEA_ID))
    def edit_idea(self, data, caller):
        sit = self._situation(caller, join=True)
        idea = self._my_idea(sit, data["idea"])
        values = rules.clean_idea(data["title"], data["text"], data["category"], data["tags"], self.categories,
                                  self.allow_tags)
        board_store.edit_idea(idea, values)
        events.publish_event(self, "edited", {"idea": str(idea.public_id)})
        return {"idea": self._fresh(sit, idea)}

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID})
    def withdraw_idea(self, data, caller):
        sit = self._situation(caller, join=True)
        idea = self._my_idea(sit, data["idea"], withdrawing=True)
        board_store.withdraw_idea(idea)
        events.publish_event(self, "withdrawn", {"idea": str(idea.public_id)})
        locked = board_store.lock_me(sit.member)
        return {"idea": self._fresh(sit, idea),
                "me": {"ideas": locked["my_ideas"], "dots_used": locked["my_dots"], "completed": locked["completed"]}}

    @api_handler(method="GET", role=LEARNER, shape={"idea": IDEA_ID, "page": PAGE})
    def comments(self, data, caller):
        sit = self._situation(caller)
        idea = self._visible_idea(sit, data["idea"])
        size = get_setting("IDEA_PAGE_SIZE")
        found, total, page = board_store.page_of_comments(idea, sit.viewer, data["page"], size)
        return {"comments": [views.comment_json(self, sit, c) for c in found], "page": page,
                "pages": rules.pages(total, size), "total": total}

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "text": Str(max_length=_comment_max)})
    def add_comment(self, data, caller):
        sit = self._situation(caller, join=True)
        text = rules.clean_comment(data["text"])
        idea = self._visible_idea(sit, data["idea"])
        board_store.lock_me(sit.member)
        board_store.check_rate(sit.member)
        comment, count = board_store.add_comment(sit.member, idea, self.course_key_str, caller.username, text)
        self._acted(caller)
        events.publish_event(self, "commented", {"idea": str(idea.public_id), "comment": str(comment.public_id)})
        return {"comment": views.comment_json(self, sit, comment), "comments": count}

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "dots": Int(min_value=0, max_value=1000)})
    def set_dots(self, data, caller):
        sit = self._situation(caller, join=True)
        locked, idea, used = board_store.cast_dots(sit.member, sit.viewer, _uuid(data["idea"]), data["dots"],
                                                   sit.phase, self.vote_budget, self.max_dots_per_idea)
        self._acted(caller)
        events.publish_event(self, "voted", {"idea": str(idea.public_id), "dots": data["dots"],
                                             "before": idea.my_dots})
        completed = self._completed(sit, locked["my_ideas"], used)
        return {"idea": self._fresh(sit, idea), "me": {"ideas": locked["my_ideas"], "dots_used": used,
                                                       "completed": completed}, "completed": completed}

    @api_handler(method="POST", role=LEARNER, shape={"from": IDEA_ID, "to": IDEA_ID})
    def move_dot(self, data, caller):
        sit = self._situation(caller, join=True)
        locked, source, target = board_store.move_dot(sit.member, sit.viewer, _uuid(data["from"]), _uuid(data["to"]),
                                                      sit.phase, self.vote_budget, self.max_dots_per_idea)
        self._acted(caller)
        events.publish_event(self, "voted", {"idea": str(target.public_id), "dots": target.my_dots + 1,
                                             "before": target.my_dots, "moved_from": str(source.public_id)})
        fresh = board_store.ideas_by_pk(sit.viewer, [source.pk, target.pk])
        return {"ideas": [views.idea_json(self, sit, fresh[source.pk]), views.idea_json(self, sit, fresh[target.pk])],
                "me": {"ideas": locked["my_ideas"], "dots_used": locked["my_dots"], "completed": sit.completed}}

    @api_handler(method="POST", role=LEARNER, shape={"target": Choice(("idea", "comment")), "id": IDEA_ID,
                                                     "reason": Str(max_length=500, required=False, default="")})
    def flag(self, data, caller):
        sit = self._situation(caller)
        room_id = None if caller.is_staff else sit.member.room_id
        if data["target"] == "idea":
            comment, idea = None, self._visible_idea(sit, data["id"])
            author = idea.author
        else:
            comment = board_store.comment_for(sit.viewer, _uuid(data["id"], "comment"), self.usage_key_str, room_id)
            idea, author = comment.idea, comment.author
        if author == caller.user_id:
            raise bad_request("own", _("You cannot flag what you wrote yourself."), field="id")
        if board_store.flag(idea, comment, caller.user_id, data["reason"].strip()) is not None:
            events.publish_event(self, "flagged", {"target": data["target"], "id": data["id"]})
        return {"flagged": True}

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        sit = self._situation(caller)
        return {"room": views.shown_number(sit.member.room.number) if sit.member else None, "ideas": sit.my_ideas,
                "dots_used": sit.my_dots, "completed": sit.completed}

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        return json_download("idea-board-my-data.json", {
            "component": "bizmooc_idea_board", "course_id": self.course_key_str, "learner": caller.user_id,
            **privacy.board_data(self.course_key_str, caller.user_id)})

    # Staff handlers ----------------------------------------------------------------------------------

    @api_handler(method="POST", role=STAFF, shape={
        "target": Choice(("idea", "comment")), "id": IDEA_ID,
        "action": Choice(("hide", "restore", "delete", "pin", "unpin"))})
    def moderate(self, data, caller):
        sit = self._situation(caller)
        action = data["action"]
        if data["target"] == "idea":
            idea = board_store.idea_for(sit.viewer, _uuid(data["id"]), usage_id=self.usage_key_str, status=None)
            if idea.status == WITHDRAWN and action != "delete":
                raise bad_request("withdrawn", _("The author withdrew this idea."), field="id")
            board_store.moderate_idea(idea, action)
        else:
            comment = board_store.comment_for(sit.viewer, _uuid(data["id"], "comment"), self.usage_key_str)
            board_store.moderate_comment(comment, action)
        events.publish_event(self, "moderated", {"target": data["target"], "id": data["id"], "action": action})
        if action == "delete":
            return {"deleted": True}
        if data["target"] == "idea":
            return {"idea": self._fresh(sit, idea)}
        fresh = board_store.comment_for(sit.viewer, comment.public_id, self.usage_key_str)
        return {"comment": views.comment_json(self, sit, fresh)}

    @api_handler(method="GET", role=STAFF, shape={"page": PAGE})
    def review_queue(self, data, caller):
        return views.review_page(self, data["page"])

    @api_handler(method="POST", role=STAFF, shape={"phase": Choice(rules.PHASES + ("auto",))})
    def set_phase(self, data, caller):
        manual = "" if data["phase"] == "auto" else data["phase"]
        board_store.set_manual_phase(self.course_key_str, self.usage_key_str, manual)
        phase = views.phase_of(self, manual)
        events.publish_event(self, "phase_changed", {"phase": phase, "manual": bool(manual)})
        return {"phase": views.phase_json(self, phase, manual)}

    @api_handler(method="GET", role=STAFF, shape={"page": PAGE})
    def room_stats(self, data, caller):
        return views.stats_page(self, data["page"])

    @api_handler(method="GET", role=STAFF, shape={"what": Choice(("ideas", "votes", "comments"))})
    def export_csv(self, data, caller):
        return csv_response(*views.export(self, data["what"]))

    # Studio ----------------------------------------------------------------------------------------------

    @api_handler(method="POST", role=AUTHOR, shape=SETTINGS_SHAPE)
    def studio_submit(self, data, caller):
        clean = rules.clean_settings(data)
        clean["challenge"] = clean_html(clean["challenge"])
        clean["display_name"] = clean["display_name"].strip()
        for name, value in clean.items():
            setattr(self, name, value)
        return {"result": "success"}

    def validate(self):
        validation = super().validate()
        values = {name: getattr(self, name) for name in SETTINGS_SHAPE}
        try:
            rules.clean_settings(values)
        except (ApiError, KeyError, TypeError) as error:
            message = error.translated(self.gettext) if isinstance(error, ApiError) \
                else self.gettext(_("Some settings of this idea board are not valid; open the editor to fix them."))
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))
        return validation

    @staticmethod
    def workbench_scenarios():
        return IDEA_BOARD_SCENARIOS
