"""The business-model canvas XBlock: its settings (`canvas_settings`), user state and
handlers, wired to `canvas_service` (what an action does) and `canvas_views` (what is shown)."""

from xblock.fields import Boolean, Scope

from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request
from xblocks.common.exports import csv_response, html_page, json_download
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.public_ids import public_id_or_404
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, Str

from . import canvas, canvas_service, canvas_templates, privacy
from . import canvas_views as views
from .canvas_settings import SETTINGS
from .scenarios import CANVAS_SCENARIOS

SAVE_SHAPE = {"notes": Anything(), "version": Int(min_value=0)}


def _public_id(value):
    return public_id_or_404(value, _("There is no such canvas."))


class CanvasBlock(BizMOOCBlock):
    """A learner's business-model canvas: sticky notes in the sections of a template."""

    view_module = views
    settings_schema = SETTINGS
    event_prefix = "canvas"
    allowed_events = frozenset({"created", "snapshot_created", "snapshot_restored", "imported", "exported"})
    completion_mode = "completable"
    has_custom_completion = True

    completed = Boolean(scope=Scope.user_state, default=False)

    @property
    def template(self):
        return canvas_service.template_of(self)

    # Learner handlers -----------------------------------------------------------------

    @api_handler(method="POST", shape=SAVE_SHAPE, role=LEARNER)
    def save_canvas(self, data, caller):
        return canvas_service.save_notes(self, caller, data["notes"], data["version"])

    @api_handler(method="POST", shape={"text": Str(max_length=lambda: get_setting("MAX_REQUEST_BYTES")),
                                       "version": Int(min_value=0),
                                       "fitting_only": Bool(required=False, default=False)}, role=LEARNER)
    def import_json(self, data, caller):
        return canvas_service.import_document(self, caller, data["text"], data["version"], data["fitting_only"])

    @api_handler(method="GET", shape={"format": Choice(("json", "html"))}, role=LEARNER)
    def export_canvas(self, data, caller):
        notes = canvas_service.exported_notes(self, caller, data["format"])
        if data["format"] == "json":
            return json_download("canvas.json", canvas.export_document(self.template, notes, self.display_name))
        return html_page(views.printable_html(self, notes))

    @api_handler(method="POST", shape={"name": Str(max_length=80, min_length=1)}, role=LEARNER)
    def create_snapshot(self, data, caller):
        return {"snapshot": views.snapshot_item(canvas_service.create_snapshot(self, caller, data["name"]))}

    @api_handler(method="POST", shape={"snapshot": Str(max_length=40), "version": Int(min_value=0)}, role=LEARNER)
    def restore_snapshot(self, data, caller):
        return canvas_service.restore_snapshot(self, caller, _public_id(data["snapshot"]), data["version"])

    @api_handler(method="GET", shape={"snapshot": Str(max_length=40)}, role=LEARNER)
    def view_snapshot(self, data, caller):
        snapshot, template = canvas_service.snapshot_with_template(self, caller, _public_id(data["snapshot"]))
        return html_page(views.printable_html(self, snapshot.notes, title=snapshot.name, when=snapshot.created,
                                              template=template))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        return json_download("canvas-my-data.json", {
            "component": "bizmooc_canvas", "course_id": self.course_key_str, "learner": caller.user_id,
            "canvases": privacy.canvas_data(self.course_key_str, caller.user_id)})

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        return canvas_service.user_state(self, caller)

    # Staff handlers -------------------------------------------------------------------

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=STAFF)
    def staff_list(self, data, caller):
        return views.staff_page(self, data["page"])

    @api_handler(method="GET", shape={"canvas": Str(max_length=40)}, role=STAFF)
    def staff_canvas(self, data, caller):
        found = canvas_service.canvas_in_block(self, _public_id(data["canvas"]))
        return {"html": views.readonly_html(self, found.notes)}

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, canvas_service.block_canvases(self))
        return csv_response("canvases.csv", header, rows)

    @api_handler(method="GET", role=STAFF)
    def export_all_json(self, data, caller):
        return json_download("canvases.json", views.all_canvases(self))

    # Studio ---------------------------------------------------------------------------

    @api_handler(method="POST", shape={"text": Str(max_length=1_000_000)}, role=AUTHOR)
    def import_template(self, data, caller):
        return {"template": canvas_templates.parse_template_text(data["text"]).as_json()}

    def settings_saving(self, values, **flags):
        """What the schema cannot know: this block's own location, and the custom template
        stored (kept when the editor sends none)."""
        if values["continue_from"] and values["continue_from"] == self.usage_key_str:
            raise bad_request("invalid_continue_from", _("A canvas cannot continue from itself."),
                              field="continue_from")
        if values["custom_template"] is None:
            values["custom_template"] = self.custom_template

    @staticmethod
    def workbench_scenarios():
        return CANVAS_SCENARIOS
