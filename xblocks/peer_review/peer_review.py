"""The peer review XBlock: its settings (review_settings), handlers wired to the service layer
(review_service: what each action does) and to review_views (what is shown)."""

from xblocks.common import artefacts
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _
from xblocks.common.exports import csv_response, json_download
from xblocks.common.handlers import LEARNER, STAFF, api_handler
from xblocks.common.public_ids import public_id_or_404
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, MapOf, Number, Str
from xblocks.notifications.kinds import kinds_of

from . import privacy, review_store
from . import review_service as service
from . import review_views as views
from . import rubric as rubrics
from .models import PEER, SELF
from .review_settings import MAX_TRAINING_EXAMPLES, SETTINGS, step_warnings, submission_max
from .scenarios import PEER_REVIEW_SCENARIOS

WORK_SHAPE = {
    "text": Str(max_length=submission_max, required=False, default=""),
    "link": Str(max_length=2000, required=False, default=""),
    "artefact": Anything(required=False, default=None),
    "version": Int(min_value=0),
}
SCORES_SHAPE = {
    "scores": MapOf(Str(max_length=40), max_items=rubrics.MAX_CRITERIA),
    "comments": MapOf(Str(max_length=service.comment_max), max_items=rubrics.MAX_CRITERIA, required=False,
                      default={}),
    "feedback": Str(max_length=service.comment_max, required=False, default=""),
}
SUBMISSION_ID = {"submission": Str(max_length=40)}
FILE_ID = {"file": Str(max_length=40)}


def _file_id(value):
    return public_id_or_404(value, _("There is no such file."), code="no_file")


def _public_id(value):
    return public_id_or_404(value, _("There is no such submission."))


class PeerReviewBlock(BizMOOCBlock):
    """Learners submit work, review each other's with a rubric, and get a grade."""

    view_module = views
    settings_schema = SETTINGS
    event_prefix = "peer_review"
    allowed_events = frozenset({"submitted", "review_assigned", "review_submitted", "self_reviewed",
                                "training_answered", "flagged", "graded", "staff_graded", "overridden", "removed",
                                "reset", "file_added", "file_removed"})
    completion_mode = "completable"
    has_custom_completion = True

    # Configuration ------------------------------------------------------------------

    def max_score(self):
        return self.rubric_for_learners.max_points if self.graded else None

    @property
    def rubric_in_use(self):
        """The rubric new reviews are made with, as the course team wrote it; a broken one falls
        back to the general template (validate() says so)."""
        try:
            return rubrics.parse_rubric(self.rubric)
        except ApiError:
            return rubrics.template("general")[1]

    @property
    def rubric_for_learners(self):
        """The rubric in use, in the reader's language."""
        return rubrics.localized(self.rubric_in_use, self.gettext)

    def settings_saving(self, values, confirm_rubric_change=False):
        service.settings_saving(self, values, confirm_rubric_change)

    def settings_warnings(self):
        return step_warnings(SETTINGS.values_of(self))

    def learner_state(self, caller, submission=None):
        """STATE for the caller (review_service.learner_state brings their grade up to date)."""
        return views.state_json(self, caller, service.learner_state(self, caller, submission))

    # Learner handlers: the work --------------------------------------------------------

    @api_handler(method="GET", role=LEARNER)
    def state(self, data, caller):
        return self.learner_state(caller)

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        return self.learner_state(caller)

    @api_handler(method="GET", role=LEARNER)
    def my_artefacts(self, data, caller):
        if self.submission_type != "artefact":
            return {"choices": []}
        return {"choices": artefacts.artefact_choices(self.artefact_kind, self.course_key_str, caller.user_id,
                                                      self.gettext)}

    @api_handler(method="POST", shape=WORK_SHAPE, role=LEARNER)
    def save_draft(self, data, caller):
        saved = service.save_draft(self, data, caller)
        return {"version": saved.version, "saved_at": saved.modified.isoformat()}

    @api_handler(method="POST", shape=WORK_SHAPE, role=LEARNER)
    def submit(self, data, caller):
        return self.learner_state(caller, service.submit(self, data, caller))

    # Learner handlers: files (files.py, file_store.py) ----------------------------------------

    @api_handler(method="POST", shape={"name": Str(max_length=1000, min_length=1)}, role=LEARNER,
                 upload_limit=lambda block: get_setting("PEER_FILE_MAX_BYTES"))
    def upload_file(self, data, caller):
        """The body is the file's bytes, its name in the query string (api_handler's
        `upload_limit`); answers the draft's files."""
        found = service.upload_file(self, data["name"], data["content"], caller)
        return {"file": str(found.public_id), "files": views.own_files_json(self, service.files_of_work(
            self, caller.user_id))}

    @api_handler(method="POST", shape=FILE_ID, role=LEARNER)
    def delete_file(self, data, caller):
        service.delete_file(self, _file_id(data["file"]), caller)
        return {"files": views.own_files_json(self, service.files_of_work(self, caller.user_id))}

    @api_handler(method="GET", shape=FILE_ID, role=LEARNER)
    def file(self, data, caller):
        """Download a file: always an attachment (views.file_response), 404 to whoever may not
        read it (review_service.file_for)."""
        found, name = service.file_for(self, _file_id(data["file"]), caller)
        return views.file_response(found, name)

    # Learner handlers: training -----------------------------------------------------------

    @api_handler(method="GET", role=LEARNER)
    def training_example(self, data, caller):
        index, done, total = service.training_example(self, caller)
        example = None if index is None else {"index": index, "text": self.training_examples[index]["text"]}
        return {"example": example, "done": done, "total": total}

    @api_handler(method="POST", shape={"index": Int(min_value=0, max_value=MAX_TRAINING_EXAMPLES),
                                       "scores": MapOf(Str(max_length=40), max_items=rubrics.MAX_CRITERIA)},
                 role=LEARNER)
    def training_answer(self, data, caller):
        correct, passed, submission = service.training_answer(self, data, caller)
        return {"correct": correct, "passed": passed, "state": self.learner_state(caller, submission)}

    # Learner handlers: reviews -----------------------------------------------------------

    @api_handler(method="POST", role=LEARNER)
    def next_review(self, data, caller):
        slot = service.next_review(self, caller)
        if slot is None:
            return {"lease": None, "reason": "none_available"}
        return {"lease": views.lease_json(self, slot, service.files_of_work(self, slot.submission.user_id))}

    @api_handler(method="POST", shape=dict(SCORES_SHAPE, lease=Str(max_length=40)), role=LEARNER)
    def submit_review(self, data, caller):
        lease_id = public_id_or_404(data["lease"], _("This submission was not handed out to you for review."),
                                    code="not_handed_out")
        return self.learner_state(caller, service.submit_review(self, data, lease_id, caller))

    @api_handler(method="POST", shape=dict(SCORES_SHAPE, kind=Choice((PEER, SELF)),
                                           lease=Str(max_length=40, required=False, default="")), role=LEARNER)
    def save_review_draft(self, data, caller):
        if data["kind"] == PEER:
            data["lease"] = public_id_or_404(data["lease"], _("This submission was not handed out to you for review."),
                                             code="not_handed_out")
        service.save_review_draft(self, data, caller)
        return {"saved": True}

    @api_handler(method="POST", shape=SCORES_SHAPE, role=LEARNER)
    def submit_self_review(self, data, caller):
        return self.learner_state(caller, service.submit_self_review(self, data, caller))

    @api_handler(method="POST", shape={"review": Str(max_length=40), "reason": Str(max_length=500, min_length=1)},
                 role=LEARNER)
    def flag_review(self, data, caller):
        public_id = public_id_or_404(data["review"], _("There is no such review of your work."))
        service.flag_review(self, public_id, data["reason"], caller)
        return {"flagged": True}

    @api_handler(method="GET", role=LEARNER)
    def notification_preferences(self, data, caller):
        return {"preferences": service.notification_preferences(self, caller)}

    @api_handler(method="POST", shape={"kind": Choice(tuple(kinds_of("peer_review"))), "enabled": Bool()},
                 role=LEARNER)
    def set_notification_preference(self, data, caller):
        return {"preferences": service.set_notification_preference(self, caller, data["kind"], data["enabled"])}

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        return json_download("peer-review-my-data.json", {
            "component": "bizmooc_peer_review", "course_id": self.course_key_str, "learner": caller.user_id,
            **privacy.peer_review_data(self.course_key_str, caller.user_id)})

    # Staff handlers ----------------------------------------------------------------------

    def _by_id(self, value):
        return review_store.submission_by_public_id(self.usage_key_str, _public_id(value))

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1),
                                      "filter": Choice(("all", "waiting", "to_staff", "flagged"), required=False,
                                                       default="all")}, role=STAFF)
    def staff_dashboard(self, data, caller):
        return views.dashboard(self, data["page"], data["filter"], service.now())

    @api_handler(method="GET", shape=SUBMISSION_ID, role=STAFF)
    def staff_submission(self, data, caller):
        submission = self._by_id(data["submission"])
        reviews, grade = service.staff_view_of(self, submission)
        return views.staff_submission(self, submission, reviews, grade,
                                      service.files_of_work(self, submission.user_id))

    @api_handler(method="POST", shape=dict(SCORES_SHAPE, **SUBMISSION_ID), role=STAFF)
    def staff_grade(self, data, caller):
        grade = service.staff_grade(self, self._by_id(data["submission"]), data, caller)
        return {"grade": views.grade_json(self, grade)}

    @api_handler(method="POST", shape=dict(SUBMISSION_ID, points=Number(min_value=0, max_value=1_000_000),
                                           reason=Str(max_length=500, min_length=1)), role=STAFF)
    def override_grade(self, data, caller):
        grade = service.override_grade(self, self._by_id(data["submission"]), data["points"], data["reason"])
        return {"grade": views.grade_json(self, grade)}

    @api_handler(method="POST", shape=dict(SUBMISSION_ID, reason=Str(max_length=500)), role=STAFF)
    def remove_submission(self, data, caller):
        service.remove_submission(self, self._by_id(data["submission"]), data["reason"])
        return {"removed": True}

    @api_handler(method="POST", shape=SUBMISSION_ID, role=STAFF)
    def reset_learner(self, data, caller):
        service.reset_learner(self, self._by_id(data["submission"]))
        return {"reset": True}

    @api_handler(method="POST", role=STAFF)
    def regrade(self, data, caller):
        """Recompute the block's grades with the current rubric (regrading.py); the counts."""
        counts = service.regrade(self)
        return dict(counts, message=views.regrade_message(self, counts))

    @api_handler(method="GET", shape={"what": Choice(("submissions", "reviews", "grades"))}, role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, data["what"])
        return csv_response(f"peer-review-{data['what']}.csv", header, rows)

    @staticmethod
    def workbench_scenarios():
        return PEER_REVIEW_SCENARIOS
