"""The competence self-assessment XBlock: its settings (`assessment_settings`) and handlers,
wired to `assessment_service` (what each action does) and `assessment_views` (what is shown).
No logic of its own lives here."""

from xblocks.common.block import BizMOOCBlock
from xblocks.common.exports import csv_response, html_page, json_download
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.shapes import Int, MapOf, Nullable, Str

from . import assessment, frameworks, privacy
from . import assessment_service as service
from . import assessment_views as views
from .assessment_settings import SETTINGS
from .scenarios_assessment import ASSESSMENT_SCENARIOS

SUBMIT_SHAPE = {
    "ratings": MapOf(Nullable(Int(min_value=0, max_value=100)), max_items=frameworks.MAX_COMPETENCES),
    "evidence": MapOf(Str(max_length=assessment.MAX_EVIDENCE), max_items=frameworks.MAX_COMPETENCES,
                      required=False, default={}),
}

# A draft: the same answers, some possibly missing, and the version the page saved from.
DRAFT_SHAPE = {**SUBMIT_SHAPE, "version": Int(min_value=0, max_value=2_000_000_000)}


class SelfAssessmentBlock(BizMOOCBlock):
    """Learners rate themselves on a competence framework, phase after phase."""

    view_module = views
    event_prefix = "self_assessment"
    allowed_events = frozenset({"submitted", "revised", "profile_downloaded"})
    completion_mode = "completable"
    has_custom_completion = True
    settings_schema = SETTINGS

    # The configuration, as the rules want it (assessment_service) ---------------------

    @property
    def framework(self):
        return service.framework_of(self)

    @property
    def parsed_feedback(self):
        return service.feedback_of(self)

    @property
    def group_key(self):
        return service.group_key(self)

    @property
    def phase_key(self):
        return service.phase_key(self)

    def revisions_open(self, now=None):
        return service.revisions_open(self, now)

    # Learner handlers -----------------------------------------------------------------

    @api_handler(method="POST", shape=SUBMIT_SHAPE, role=LEARNER)
    def submit_assessment(self, data, caller):
        service.submit(self, caller, data["ratings"], data["evidence"])
        return {"profile_html": views.profile_html(self, caller)}

    @api_handler(method="GET", role=LEARNER)
    def revision_form(self, data, caller):
        """The form filled with the learner's answers, fetched when they choose to revise."""
        return {"html": views.form_html(self, *service.answers_to_revise(self, caller))}

    @api_handler(method="POST", shape=DRAFT_SHAPE, role=LEARNER)
    def save_draft(self, data, caller):
        """Keep the answers so far (autosave); a draft is not a submission."""
        draft = service.save_draft(self, caller, data["ratings"], data["evidence"], data["version"])
        return {"version": draft.version}

    @api_handler(method="GET", role=LEARNER)
    def download_profile(self, data, caller):
        service.profile_downloaded(self)
        return html_page(views.printable_html(self, caller))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        """Everything the self-assessment stores about the caller in this course, as a JSON file."""
        return json_download("self-assessment-my-data.json",
                             privacy.self_assessment_data(self.course_key_str, caller.user_id))

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        return service.user_state(self, caller)

    # Staff handlers -------------------------------------------------------------------

    @api_handler(method="GET", role=STAFF)
    def staff_report(self, data, caller):
        return {"html": views.staff_report_html(self)}

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, service.responses_for_export(self))
        return csv_response("self-assessment.csv", header, rows)

    # Studio ---------------------------------------------------------------------------

    @api_handler(method="POST", shape={"text": Str(max_length=1_000_000)}, role=AUTHOR)
    def import_framework(self, data, caller):
        """Check an uploaded framework file; the editor loads what comes back."""
        return {"framework": frameworks.parse_framework_text(data["text"]).as_json()}

    def settings_saving(self, values, **flags):
        if values["custom_framework"] is None:  # a built-in is chosen and the custom one is kept as it is
            del values["custom_framework"]

    @staticmethod
    def workbench_scenarios():
        return ASSESSMENT_SCENARIOS
