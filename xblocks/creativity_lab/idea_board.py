"""The idea board XBlock: its settings (board_settings.py) and handlers, each wired to what the
action does (`board_service`) and, for views, to what is shown (`board_views`)."""

from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.exports import csv_response, json_download
from xblocks.common.handlers import LEARNER, STAFF, api_handler
from xblocks.common.shapes import Bool, Choice, Int, IntText, ListOf, Str
from xblocks.notifications.kinds import kinds_of

from . import board as rules
from . import board_service as service
from . import board_views as views
from . import privacy
from .board_settings import SETTINGS
from .board_store import Filters
from .scenarios import IDEA_BOARD_SCENARIOS


def _title_max():
    return get_setting("IDEA_TITLE_MAX_CHARS")


def _text_max():
    return get_setting("IDEA_TEXT_MAX_CHARS")


def _comment_max():
    return get_setting("IDEA_COMMENT_MAX_CHARS")


PAGE = IntText(min_value=1, required=False, default=1)
IDEA_ID = Str(max_length=40)
TAGS = ListOf(Str(max_length=200), max_items=20, required=False, default=[])
IDEA_SHAPE = {"title": Str(max_length=_title_max), "text": Str(max_length=_text_max, required=False, default=""),
              "category": Str(max_length=40, required=False, default=""), "tags": TAGS}


class IdeaBoardBlock(BizMOOCBlock):
    """Learners post ideas in rooms, build on and comment on each other's, and dot-vote."""

    view_module = views
    event_prefix = "idea_board"
    allowed_events = frozenset({"posted", "edited", "withdrawn", "commented", "voted", "flagged", "moderated",
                                "phase_changed", "clustered", "unclustered"})
    completion_mode = "completable"
    has_custom_completion = True
    settings_schema = SETTINGS

    def student_view(self, context=None):
        return service.student_fragment(self, self.caller)

    # Learner handlers ------------------------------------------------------------------------------

    @api_handler(method="GET", role=LEARNER, shape={
        "page": PAGE, "sort": Choice(("newest", "votes"), required=False, default="newest"),
        "category": Str(max_length=40, required=False, default=""), "tag": Str(max_length=30, required=False,
                                                                                default=""),
        "mine": Choice(("0", "1"), required=False, default="0"), "q": Str(max_length=100, required=False, default=""),
        "room": IntText(min_value=1, required=False)})
    def board(self, data, caller):
        filters = Filters(sort=data["sort"], category=data["category"], tag=data["tag"].strip().lower(),
                          mine=data["mine"] == "1", q=data["q"].strip())
        return service.board_page(self, caller, filters, data["page"], room=data["room"])

    # CHANGED (contract): `phase`, the phase the page shows, so a change by the dates is noticed too.
    @api_handler(method="GET", role=LEARNER, shape={"since": IntText(min_value=0),
                                                    "room": IntText(min_value=1, required=False),
                                                    "phase": Choice(rules.PHASES, required=False)})
    def poll(self, data, caller):
        return service.poll(self, caller, data["room"], data["since"], data["phase"])

    @api_handler(method="POST", role=LEARNER, shape=dict(IDEA_SHAPE, builds_on=Str(max_length=40, required=False,
                                                                                     default="")))
    def post_idea(self, data, caller):
        return service.post_idea(self, caller, data)

    @api_handler(method="POST", role=LEARNER, shape=dict(IDEA_SHAPE, idea=IDEA_ID))
    def edit_idea(self, data, caller):
        return service.edit_idea(self, caller, data)

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "category": Str(max_length=40)})
    def move_idea(self, data, caller):
        return service.move_idea(self, caller, data["idea"], data["category"])

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID})
    def withdraw_idea(self, data, caller):
        return service.withdraw_idea(self, caller, data["idea"])

    @api_handler(method="GET", role=LEARNER, shape={"idea": IDEA_ID, "page": PAGE})
    def comments(self, data, caller):
        return service.comments(self, caller, data["idea"], data["page"])

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "text": Str(max_length=_comment_max)})
    def add_comment(self, data, caller):
        return service.add_comment(self, caller, data["idea"], data["text"])

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "dots": Int(min_value=-1000, max_value=1000)})
    def set_dots(self, data, caller):
        return service.set_dots(self, caller, data["idea"], data["dots"])

    @api_handler(method="POST", role=LEARNER, shape={"from": IDEA_ID, "to": IDEA_ID})
    def move_dot(self, data, caller):
        return service.move_dot(self, caller, data["from"], data["to"])

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID, "into": IDEA_ID})
    def group_ideas(self, data, caller):
        """Group a duplicate idea into the cluster led by `into` (staff; learners if allowed)."""
        return service.group_ideas(self, caller, data["idea"], data["into"])

    @api_handler(method="POST", role=LEARNER, shape={"idea": IDEA_ID})
    def ungroup_idea(self, data, caller):
        """Take an idea out of its cluster; the lead's: dissolve the cluster."""
        return service.ungroup_idea(self, caller, data["idea"])

    @api_handler(method="POST", role=LEARNER, shape={"target": Choice(("idea", "comment")), "id": IDEA_ID,
                                                     "reason": Str(max_length=500, required=False, default="")})
    def flag(self, data, caller):
        return service.flag(self, caller, data["target"], data["id"], data["reason"])

    @api_handler(method="GET", role=LEARNER)
    def notifications(self, data, caller):
        return service.notification_choices(self, caller)

    @api_handler(method="POST", role=LEARNER, shape={"kind": Choice(tuple(kinds_of("idea_board"))), "enabled": Bool()})
    def set_notification(self, data, caller):
        return service.set_notification(self, caller, data["kind"], data["enabled"])

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        return service.user_state(self, caller)

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
        return service.moderate(self, caller, data["target"], data["id"], data["action"])

    @api_handler(method="GET", role=STAFF, shape={"page": PAGE})
    def review_queue(self, data, caller):
        return views.review_page(self, data["page"])

    @api_handler(method="POST", role=STAFF, shape={"phase": Choice(rules.PHASES + ("auto",))})
    def set_phase(self, data, caller):
        return service.set_phase(self, caller, data["phase"])

    @api_handler(method="GET", role=STAFF, shape={"page": PAGE})
    def room_stats(self, data, caller):
        return views.stats_page(self, data["page"])

    @api_handler(method="GET", role=STAFF, shape={"what": Choice(("ideas", "votes", "comments"))})
    def export_csv(self, data, caller):
        return csv_response(*views.export(self, data["what"]))

    @staticmethod
    def workbench_scenarios():
        return IDEA_BOARD_SCENARIOS
