"""The business-model canvas XBlock: fields, views and handlers, wired to
`canvas_templates` and `canvas` (the rules) and `canvas_store` (the queries)."""

from xblock.fields import Boolean, Integer, Scope, String
from xblock.validation import ValidationMessage

from xblocks.common import events
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request, forbidden, not_found
from xblocks.common.exports import csv_response, html_page, json_download
from xblocks.common.fields import JSONDict, JSONList
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.public_ids import public_id_or_404
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, ListOf, Number, Str
from xblocks.common.structures import chosen_structure
from xblocks.common.text import clean_html

from . import artefact, canvas, canvas_store, canvas_templates, privacy
from . import canvas_views as views
from .scenarios import CANVAS_SCENARIOS

TEMPLATE_CHOICES = canvas_templates.BUILT_IN + ("custom",)

SAVE_SHAPE = {"notes": Anything(), "version": Int(min_value=0)}

SETTINGS_SHAPE = {
    "display_name": Str(max_length=255, min_length=1),
    "instructions": Str(max_length=20_000),
    "template_choice": Choice(TEMPLATE_CHOICES),
    "custom_template": Anything(),
    "example_notes": Anything(),
    "continue_from": Str(max_length=255),
    "required_sections": ListOf(Str(max_length=40), max_items=canvas_templates.MAX_SECTIONS),
    "min_notes": Int(min_value=1, max_value=50),
    "graded": Bool(),
    "weight": Number(min_value=0, max_value=1000),
}


def _public_id(value):
    return public_id_or_404(value, _("There is no such canvas."))


class CanvasBlock(BizMOOCBlock):
    """A learner's business-model canvas: sticky notes in the sections of a template."""

    view_module = views
    event_prefix = "canvas"
    allowed_events = frozenset({"created", "snapshot_created", "snapshot_restored", "imported", "exported"})
    completion_mode = "completable"
    has_custom_completion = True

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Business model canvas")
    instructions = String(display_name=_("Instructions"), scope=Scope.settings,
                          default="<p>Describe your business idea, or an opportunity inside your organisation, "
                                  "with a few short notes per section.</p>")
    template_choice = String(display_name=_("Template"), scope=Scope.settings, default="business_model_canvas",
                             values=TEMPLATE_CHOICES)
    custom_template = JSONDict(display_name=_("Custom template"), scope=Scope.settings, default={})
    example_notes = JSONList(display_name=_("Example canvas"), scope=Scope.settings, default=[],
                             help=_("Notes of an example canvas learners can show next to theirs."))
    continue_from = String(display_name=_("Continue from"), scope=Scope.settings, default="",
                           help=_("The location of another canvas component of this course: learners start "
                                  "from their own canvas there."))
    required_sections = JSONList(display_name=_("Required sections"), scope=Scope.settings, default=[],
                                 help=_("Sections that count for completion; none means all."))
    min_notes = Integer(display_name=_("Notes needed per required section"), scope=Scope.settings, default=1)

    canvas_owner = String(scope=Scope.user_state, default="")
    completed = Boolean(scope=Scope.user_state, default=False)

    # Configuration ------------------------------------------------------------------

    @property
    def template(self):
        """The template in use, in the learner's language; a broken custom one falls back to
        the Business Model Canvas (validate() says so)."""
        if self.template_choice == "custom":
            try:
                return canvas_templates.parse_template(self.custom_template, stored=True)
            except ApiError:
                pass
        choice = self.template_choice if self.template_choice in canvas_templates.BUILT_IN \
            else "business_model_canvas"
        return canvas_templates.localized(canvas_templates.built_in(choice), self.gettext)

    def place_for(self, caller):
        return canvas_store.Place(course_id=self.course_key_str, usage_id=self.usage_key_str, user_id=caller.user_id)

    def _own_canvas(self, caller, required=True):
        found = canvas_store.learner_canvas(self.usage_key_str, caller.user_id)
        if found is None and required:
            raise bad_request("no_canvas", _("Add a note to your canvas first."))
        return found

    def _saved(self, caller, template, notes, base_version):
        counts = canvas.progress(template, notes)
        saved = canvas_store.save(self.place_for(caller), template, notes, base_version, counts)
        if self.canvas_owner != caller.user_id:
            self.canvas_owner = caller.user_id
        if base_version == 0:
            events.publish_event(self, "created", {"notes": len(notes)})
        if not self.completed and canvas.rule_met(template, notes, self.required_sections, self.min_notes):
            self.completed = True
            self.publish_completed()
        return {"version": saved.version, "saved_at": saved.modified.isoformat(), "progress": counts,
                "completed": self.completed}

    # Learner handlers -----------------------------------------------------------------

    def _kept_notes(self, template, caller):
        """The stored notes of sections the template no longer has: the page never sends them
        (they are not shown), and a save must not lose them."""
        stored = canvas_store.learner_canvas(self.usage_key_str, caller.user_id)
        return canvas.outside(template, stored.notes) if stored else []

    @api_handler(method="POST", shape=SAVE_SHAPE, role=LEARNER)
    def save_canvas(self, data, caller):
        template = self.template
        notes = canvas.check_notes(template, data["notes"])
        return self._saved(caller, template, notes + self._kept_notes(template, caller), data["version"])

    @api_handler(method="POST", shape={"text": Str(max_length=lambda: get_setting("MAX_REQUEST_BYTES")),
                                       "version": Int(min_value=0)}, role=LEARNER)
    def import_json(self, data, caller):
        template = self.template
        notes = canvas.import_document(template, data["text"])
        result = self._saved(caller, template, notes, data["version"])
        events.publish_event(self, "imported", {"notes": len(notes)})
        return dict(result, notes=notes)

    @api_handler(method="GET", shape={"format": Choice(("json", "html"))}, role=LEARNER)
    def export_canvas(self, data, caller):
        found = self._own_canvas(caller, required=False)
        notes = found.notes if found else []
        events.publish_event(self, "exported", {"format": data["format"]})
        if data["format"] == "json":
            document = canvas.export_document(self.template, notes, self.display_name)
            return json_download("canvas.json", document)
        return html_page(views.printable_html(self, notes))

    @api_handler(method="POST", shape={"name": Str(max_length=80, min_length=1)}, role=LEARNER)
    def create_snapshot(self, data, caller):
        snapshot = canvas_store.create_snapshot(self._own_canvas(caller), data["name"].strip())
        events.publish_event(self, "snapshot_created", {})
        return {"snapshot": views.snapshot_item(snapshot)}

    @api_handler(method="POST", shape={"snapshot": Str(max_length=40), "version": Int(min_value=0)}, role=LEARNER)
    def restore_snapshot(self, data, caller):
        # Without a canvas of their own, any snapshot id (another learner's) is simply not found.
        own = self._own_canvas(caller, required=False)
        snapshot = canvas_store.snapshot_of(own, _public_id(data["snapshot"]))
        template = self.template
        if snapshot.template_id != template.id:
            raise forbidden(_("This snapshot was taken with another template; open it to copy its notes."),
                            code="other_template")
        # Checked again: a custom template keeps its id while the course team edits its sections.
        notes = canvas.check_notes(template, snapshot.notes)
        result = self._saved(caller, template, notes, data["version"])
        events.publish_event(self, "snapshot_restored", {})
        return dict(result, notes=notes)

    @api_handler(method="GET", shape={"snapshot": Str(max_length=40)}, role=LEARNER)
    def view_snapshot(self, data, caller):
        snapshot = canvas_store.snapshot_of(self._own_canvas(caller, required=False), _public_id(data["snapshot"]))
        # Shown in the template it was taken with (built-in, or the custom one stored with it).
        template = canvas_templates.localized(
            artefact.template_for(snapshot.template_id, snapshot.layout, self.template), self.gettext)
        return html_page(views.printable_html(self, snapshot.notes, title=snapshot.name, when=snapshot.created,
                                              template=template))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        return json_download("canvas-my-data.json", {
            "component": "bizmooc_canvas", "course_id": self.course_key_str, "learner": caller.user_id,
            "canvases": privacy.canvas_data(self.course_key_str, caller.user_id)})

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        found = self._own_canvas(caller, required=False)
        return {"notes": found.notes if found else [], "version": found.version if found else 0,
                "completed": self.completed}

    # Staff handlers -------------------------------------------------------------------

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=STAFF)
    def staff_list(self, data, caller):
        return views.staff_page(self, data["page"])

    @api_handler(method="GET", shape={"canvas": Str(max_length=40)}, role=STAFF)
    def staff_canvas(self, data, caller):
        found = canvas_store.canvas_in_block(self.usage_key_str, _public_id(data["canvas"]))
        if found is None:
            raise not_found(_("There is no such canvas."))
        return {"html": views.readonly_html(self, found.notes)}

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, canvas_store.block_canvases_for_export(self.usage_key_str))
        return csv_response("canvases.csv", header, rows)

    @api_handler(method="GET", role=STAFF)
    def export_all_json(self, data, caller):
        return json_download("canvases.json", views.all_canvases(self))

    # Studio ---------------------------------------------------------------------------

    @api_handler(method="POST", shape={"text": Str(max_length=1_000_000)}, role=AUTHOR)
    def import_template(self, data, caller):
        return {"template": canvas_templates.parse_template_text(data["text"]).as_json()}

    @api_handler(method="POST", shape=SETTINGS_SHAPE, role=AUTHOR)
    def studio_submit(self, data, caller):
        template, data["custom_template"] = chosen_structure(
            data["template_choice"], data["custom_template"], self.custom_template,
            canvas_templates.parse_template, canvas_templates.built_in)
        data["example_notes"] = canvas.check_notes(template, data["example_notes"] or [])
        unknown = [s for s in data["required_sections"] if s not in template.section_ids]
        if unknown:
            raise bad_request("unknown_section", _("This template has no section '{section}'."),
                              field="required_sections", section=unknown[0])
        data["continue_from"] = data["continue_from"].strip()
        if data["continue_from"] == self.usage_key_str:
            raise bad_request("invalid_continue_from", _("A canvas cannot continue from itself."),
                              field="continue_from")
        data["instructions"] = clean_html(data["instructions"])
        for name, value in data.items():
            setattr(self, name, value)
        return {"saved": True}

    def validate(self):
        validation = super().validate()
        try:
            template = (canvas_templates.parse_template(self.custom_template) if self.template_choice == "custom"
                        else canvas_templates.built_in(self.template_choice))
            canvas.check_notes(template, self.example_notes)
            unknown = [s for s in self.required_sections if s not in template.section_ids]
            if unknown:
                raise bad_request("unknown_section", _("This template has no section '{section}'."),
                                  section=unknown[0])
        except (ApiError, KeyError) as error:
            message = error.translated(self.gettext) if isinstance(error, ApiError) \
                else self.gettext(_("Choose one of the templates the editor offers."))
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))
        return validation

    @staticmethod
    def workbench_scenarios():
        return CANVAS_SCENARIOS
