"""The competence self-assessment XBlock: fields, views and handlers, wired to
`frameworks` and `assessment` (the rules) and `assessment_store` (the queries)."""
from datetime import datetime
from datetime import timezone as dt_timezone

from django.utils import timezone
from xblock.fields import Boolean, DateTime, Integer, Scope, String
from xblock.validation import ValidationMessage

from xblocks.common import events
from xblocks.common.block import BizMOOCBlock
from xblocks.common.errors import ApiError, _, bad_request, forbidden
from xblocks.common.exports import csv_response, html_page, json_download
from xblocks.common.fields import JSONDict
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.shapes import Anything, Bool, Choice, Int, MapOf, Nullable, Number, Str
from xblocks.common.structures import chosen_structure
from xblocks.common.text import clean_html

from . import assessment, assessment_store, frameworks, privacy
from . import assessment_views as views
from .scenarios_assessment import ASSESSMENT_SCENARIOS

FRAMEWORK_CHOICES = frameworks.BUILT_IN + ("custom",)

SUBMIT_SHAPE = {
    "ratings": MapOf(Nullable(Int(min_value=0, max_value=100)), max_items=frameworks.MAX_COMPETENCES),
    "evidence": MapOf(Str(max_length=assessment.MAX_EVIDENCE), max_items=frameworks.MAX_COMPETENCES,
                      required=False, default={}),
}

SETTINGS_SHAPE = {
    "display_name": Str(max_length=255, min_length=1),
    "instructions": Str(max_length=20_000),
    "framework_choice": Choice(FRAMEWORK_CHOICES),
    "custom_framework": Nullable(Anything()),
    "feedback": Anything(),
    "group_name": Str(max_length=100, min_length=1),
    "phase": Choice(assessment.PHASES),
    "show_cohort": Bool(),
    "cohort_min_learners": Int(min_value=1, max_value=100_000),
    "allow_revisions": Bool(),
    "revise_until": Str(max_length=40),
    "ask_evidence": Bool(),
    "graded": Bool(),
    "weight": Number(min_value=0, max_value=1000),
}


class SelfAssessmentBlock(BizMOOCBlock):
    """Learners rate themselves on a competence framework, phase after phase."""

    view_module = views
    event_prefix = "self_assessment"
    allowed_events = frozenset({"submitted", "revised", "profile_downloaded"})
    completion_mode = "completable"
    has_custom_completion = True

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Competence self-assessment")
    instructions = String(display_name=_("Instructions"), scope=Scope.settings,
                          default="<p>Rate yourself honestly: there are no right or wrong answers.</p>")
    framework_choice = String(display_name=_("Framework"), scope=Scope.settings, default="entrecomp",
                              values=FRAMEWORK_CHOICES)
    custom_framework = JSONDict(display_name=_("Custom framework"), scope=Scope.settings, default={})
    feedback = JSONDict(display_name=_("Feedback per competence and level band"), scope=Scope.settings, default={})
    group_name = String(display_name=_("Assessment group"), scope=Scope.settings, default="Competence check",
                        help=_("Blocks with the same group name form one assessment over time."))
    phase = String(display_name=_("Phase"), scope=Scope.settings, default="before", values=assessment.PHASES)
    show_cohort = Boolean(display_name=_("Show the cohort average"), scope=Scope.settings, default=False)
    cohort_min_learners = Integer(display_name=_("Learners needed before the cohort average shows"),
                                  scope=Scope.settings, default=10)
    allow_revisions = Boolean(display_name=_("Learners may revise their answers"), scope=Scope.settings, default=True)
    revise_until = DateTime(display_name=_("Revisions close at"), scope=Scope.settings, default=None)
    ask_evidence = Boolean(display_name=_("Ask for evidence"), scope=Scope.settings, default=True)

    assessment_owner = String(scope=Scope.user_state, default="")

    # Configuration, as the rules want it ---------------------------------------------

    @property
    def framework(self):
        """The framework in use, in the learner's language; a broken custom one falls back to
        EntreComp (validate() says so)."""
        if self.framework_choice == "custom":
            try:
                return frameworks.parse_framework(self.custom_framework)
            except ApiError:
                pass
        choice = self.framework_choice if self.framework_choice in frameworks.BUILT_IN else "entrecomp"
        return frameworks.localized(frameworks.built_in(choice), self.gettext)

    @property
    def parsed_feedback(self):
        try:
            return assessment.parse_feedback(self.framework, self.feedback)
        except ApiError:
            return {}

    @property
    def group_key(self):
        """The group name as stored (clipped like the column; validate() warns if longer)."""
        return self.group_name[:100]

    @property
    def phase_key(self):
        """The phase, or "before" for a value no editor offers (validate() says so)."""
        return self.phase if self.phase in assessment.PHASES else "before"

    def revisions_open(self, now=None):
        if not self.allow_revisions:
            return False
        return self.revise_until is None or (now or timezone.now()) <= self.revise_until

    def place_for(self, caller):
        return {"course_id": self.course_key_str, "group_name": self.group_key, "phase": self.phase_key,
                "user_id": caller.user_id, "usage_id": self.usage_key_str}

    # Learner handlers -----------------------------------------------------------------

    @api_handler(method="POST", shape=SUBMIT_SHAPE, role=LEARNER)
    def submit_assessment(self, data, caller):
        framework = self.framework
        evidence = {cid: text.strip() for cid, text in data["evidence"].items() if text.strip()}
        if not self.ask_evidence and evidence:
            raise bad_request("evidence_not_asked", _("This assessment does not ask for evidence."), field="evidence")
        assessment.check_ratings(framework, data["ratings"], evidence)
        responses = assessment_store.learner_responses(self.course_key_str, self.group_key, caller.user_id)
        existing = responses.get(self.phase_key, (None, None))[0]
        if existing is not None and not self.revisions_open():
            raise forbidden(_("Answers to this assessment can no longer be changed."), code="revisions_closed")
        assessment_store.save_response(self.place_for(caller), framework.id, data["ratings"], evidence, existing)
        if self.assessment_owner != caller.user_id:  # user state is written only when it changes
            self.assessment_owner = caller.user_id
        events.publish_event(self, "revised" if existing else "submitted", {
            "phase": self.phase_key, "framework": framework.id,
            "rated": sum(1 for v in data["ratings"].values() if v is not None),
        })
        if existing is None:
            self.publish_completed()
        return {"profile_html": views.profile_html(self, caller)}

    @api_handler(method="GET", role=LEARNER)
    def revision_form(self, data, caller):
        """The form filled with the learner's answers, fetched when they choose to revise."""
        if not self.revisions_open():
            raise forbidden(_("Answers to this assessment can no longer be changed."), code="revisions_closed")
        responses = assessment_store.learner_responses(self.course_key_str, self.group_key, caller.user_id)
        return {"html": views.form_html(self, responses.get(self.phase_key))}

    @api_handler(method="GET", role=LEARNER)
    def download_profile(self, data, caller):
        events.publish_event(self, "profile_downloaded", {"phase": self.phase_key})
        return html_page(views.printable_html(self, caller))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        """Everything the self-assessment stores about the caller in this course, as a JSON file."""
        return json_download("self-assessment-my-data.json",
                             privacy.self_assessment_data(self.course_key_str, caller.user_id))

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        responses = assessment_store.learner_responses(self.course_key_str, self.group_key, caller.user_id)
        return {"phases": {phase: {"ratings": ratings, "evidence": response.evidence,
                                   "submitted_at": response.submitted_at.isoformat()}
                           for phase, (response, ratings) in responses.items()},
                "can_revise": self.revisions_open()}

    # Staff handlers -------------------------------------------------------------------

    @api_handler(method="GET", role=STAFF)
    def staff_report(self, data, caller):
        return {"html": views.staff_report_html(self)}

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, assessment_store.responses_for_export(self.course_key_str,
                                                                                     self.group_key))
        return csv_response("self-assessment.csv", header, rows)

    # Studio ---------------------------------------------------------------------------

    @api_handler(method="POST", shape={"text": Str(max_length=1_000_000)}, role=AUTHOR)
    def import_framework(self, data, caller):
        """Check an uploaded framework file; the editor loads what comes back."""
        return {"framework": frameworks.parse_framework_text(data["text"]).as_json()}

    @api_handler(method="POST", shape=SETTINGS_SHAPE, role=AUTHOR)
    def studio_submit(self, data, caller):
        framework, data["custom_framework"] = chosen_structure(
            data["framework_choice"], data["custom_framework"], self.custom_framework,
            frameworks.parse_framework, frameworks.built_in)
        assessment.parse_feedback(framework, data["feedback"])
        data["revise_until"] = _parse_datetime(data["revise_until"])
        data["instructions"] = clean_html(data["instructions"])
        for name, value in data.items():
            setattr(self, name, value)
        return {"saved": True}

    def validate(self):
        validation = super().validate()
        if self.phase not in assessment.PHASES or len(self.group_name) > 100 or not self.group_name.strip():
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(
                _("Set a group name of 1 to 100 characters and choose one of the phases the editor offers."))))
        if self.framework_choice == "custom":
            try:
                frameworks.parse_framework(self.custom_framework)
            except ApiError as error:
                validation.add(ValidationMessage(ValidationMessage.ERROR, error.translated(self.gettext)))
                return validation
        try:
            assessment.parse_feedback(self.framework, self.feedback)
        except ApiError as error:
            validation.add(ValidationMessage(ValidationMessage.WARNING, error.translated(self.gettext)))
        return validation

    @staticmethod
    def workbench_scenarios():
        return ASSESSMENT_SCENARIOS


def _parse_datetime(text):
    """An ISO date-time from the editor ("" for none); naive times are taken as UTC."""
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise bad_request("invalid_date", _("Enter the date as YYYY-MM-DD HH:MM."), field="revise_until") from None
    # Stored in UTC: XBlock's DateTime field saves the wall-clock time without its offset.
    return value.astimezone(dt_timezone.utc) if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)
