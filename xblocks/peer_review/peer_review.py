"""The peer review XBlock: fields, views and handlers, wired to `rubric` and `workflow` (the
rules), `allocation` + `queue_store` (who reviews what) and `review_store` (the queries)."""

from xblock.fields import Boolean, Float, Integer, Scope, String
from xblock.validation import ValidationMessage

from xblocks.common import artefacts, events
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, Phrase, _, bad_request, conflict, forbidden, not_found
from xblocks.common.exports import csv_response, json_download
from xblocks.common.fields import JSONDict, JSONList
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.links import safe_url
from xblocks.common.public_ids import public_id_or_404
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, MapOf, Number, Str
from xblocks.common.text import clean_html, word_count

from . import gradebook, privacy, queue_store, regrading, review_store, workflow
from . import review_views as views
from . import rubric as rubrics
from .models import SELF, SUBMITTED
from .models import STAFF as STAFF_REVIEW
from .scenarios import PEER_REVIEW_SCENARIOS

SUBMISSION_TYPES = ("text", "link", "artefact")
ARTEFACT_KINDS = ("canvas", "journal", "idea")
MAX_TRAINING_EXAMPLES = 10
MAX_LABEL = 255  # Submission.artefact_label


def _submission_max():
    return get_setting("PEER_SUBMISSION_MAX_CHARS")


def _comment_max():
    return get_setting("PEER_COMMENT_MAX_CHARS")


WORK_SHAPE = {
    "text": Str(max_length=_submission_max, required=False, default=""),
    "link": Str(max_length=2000, required=False, default=""),
    "artefact": Anything(required=False, default=None),
    "version": Int(min_value=0),
}
SCORES_SHAPE = {
    "scores": MapOf(Str(max_length=40), max_items=rubrics.MAX_CRITERIA),
    "comments": MapOf(Str(max_length=_comment_max), max_items=rubrics.MAX_CRITERIA, required=False, default={}),
    "feedback": Str(max_length=_comment_max, required=False, default=""),
}
SUBMISSION_ID = {"submission": Str(max_length=40)}

SETTINGS_SHAPE = {
    "display_name": Str(max_length=255, min_length=1),
    "prompt": Str(max_length=20_000),
    "submission_type": Choice(SUBMISSION_TYPES),
    "artefact_kind": Choice(ARTEFACT_KINDS),
    "min_words": Int(min_value=0, max_value=views.WORD_LIMIT),
    "max_words": Int(min_value=0, max_value=views.WORD_LIMIT),  # 0: no limit
    "rubric": Anything(),
    "training_examples": Anything(),
    "training_enabled": Bool(),
    "peer_enabled": Bool(),
    "reviews_to_give": Int(min_value=0, max_value=20),
    "reviews_needed": Int(min_value=1, max_value=20),
    "self_enabled": Bool(),
    "staff_enabled": Bool(),
    "submission_due": Str(max_length=40),
    "peer_due": Str(max_length=40),
    "self_due": Str(max_length=40),
    "wait_days": Number(min_value=0, max_value=365),
    "wait_action": Choice(("fewer", "staff")),
    "grading_method": Choice(("median", "calibrated")),
    "graded": Bool(),
    "weight": Number(min_value=0, max_value=1000),
    # Saving a rubric that scores differently while learners have reviews made with the current one
    # is refused (409 rubric_in_use) unless this says the course team confirmed it (regrading.py).
    "confirm_rubric_change": Bool(required=False, default=False),
}


def _public_id(value):
    return public_id_or_404(value, _("There is no such submission."))


def check_training_examples(the_rubric, examples):
    """Staff-scored examples: [{"text", "scores"}], each scored on every criterion."""
    if not isinstance(examples, list) or len(examples) > MAX_TRAINING_EXAMPLES:
        raise bad_request("invalid_training", _("Give at most {n} training examples."), field="training_examples",
                          n=MAX_TRAINING_EXAMPLES)
    clean = []
    for n, example in enumerate(examples, start=1):
        where = Phrase(_("Training example {n}"), n=n)
        text = example.get("text") if isinstance(example, dict) else None
        if not isinstance(text, str) or not text.strip() or len(text) > _submission_max() \
                or set(example) - {"text", "scores"}:
            raise bad_request("invalid_training", _("{where} needs a text and the scores of the course team."),
                              field="training_examples", where=where)
        try:
            scores = rubrics.check_example_scores(the_rubric, example.get("scores"), where)
        except ApiError as error:
            error.field = "training_examples"
            raise
        clean.append({"text": text, "scores": scores})
    return clean


def check_due(name, value):
    value = value.strip()
    try:
        views.parse_due(value)
    except ValueError:
        raise bad_request("invalid_date", _("Give a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM."), field=name) from None
    return value


class PeerReviewBlock(BizMOOCBlock):
    """Learners submit work, review each other's with a rubric, and get a grade."""

    view_module = views
    event_prefix = "peer_review"
    allowed_events = frozenset({"submitted", "review_assigned", "review_submitted", "self_reviewed",
                                "training_answered", "flagged", "graded", "staff_graded", "overridden", "removed",
                                "reset"})
    completion_mode = "completable"
    has_custom_completion = True
    editable_settings = tuple(name for name in SETTINGS_SHAPE if name != "confirm_rubric_change")

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Peer review")
    prompt = String(display_name=_("Prompt"), scope=Scope.settings,
                    default="<p>Describe an opportunity you see for a new product or service, and who would "
                            "benefit from it.</p>")
    submission_type = String(display_name=_("What learners submit"), scope=Scope.settings, default="text",
                             values=SUBMISSION_TYPES)
    artefact_kind = String(display_name=_("Kind of work"), scope=Scope.settings, default="canvas",
                           values=ARTEFACT_KINDS)
    min_words = Integer(display_name=_("Minimum words"), scope=Scope.settings, default=0)
    max_words = Integer(display_name=_("Maximum words"), scope=Scope.settings, default=1000,
                        help=_("0 means no limit."))
    rubric = JSONDict(display_name=_("Rubric"), scope=Scope.settings, default=rubrics.default_rubric_json())
    training_examples = JSONList(display_name=_("Training examples"), scope=Scope.settings, default=[])
    training_enabled = Boolean(display_name=_("Training step"), scope=Scope.settings, default=False)
    peer_enabled = Boolean(display_name=_("Peer step"), scope=Scope.settings, default=True)
    reviews_to_give = Integer(display_name=_("Reviews each learner gives"), scope=Scope.settings, default=3)
    reviews_needed = Integer(display_name=_("Reviews each submission needs"), scope=Scope.settings, default=3)
    self_enabled = Boolean(display_name=_("Self-review step"), scope=Scope.settings, default=False)
    staff_enabled = Boolean(display_name=_("Staff step"), scope=Scope.settings, default=False,
                            help=_("When on, the staff grade is the final grade."))
    submission_due = String(display_name=_("Submission due"), scope=Scope.settings, default="")
    peer_due = String(display_name=_("Peer reviews due"), scope=Scope.settings, default="")
    self_due = String(display_name=_("Self-review due"), scope=Scope.settings, default="")
    wait_days = Float(display_name=_("Days to wait for reviews"), scope=Scope.settings, default=3)
    wait_action = String(display_name=_("After the wait"), scope=Scope.settings, default="fewer",
                         values=("fewer", "staff"))
    grading_method = String(display_name=_("Grading method"), scope=Scope.settings, default="median",
                            values=("median", "calibrated"))
    graded = Boolean(display_name=_("Graded"), scope=Scope.settings, default=True)

    learner_id = String(scope=Scope.user_state, default="")

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

    def due_of(self, name):
        try:
            return views.parse_due(getattr(self, name))
        except ValueError:
            return None

    def place_for(self, caller):
        return review_store.Place(course_id=self.course_key_str, usage_id=self.usage_key_str, user_id=caller.user_id)

    # Learner state ------------------------------------------------------------------

    def _own(self, caller):
        return review_store.submission_of(self.usage_key_str, caller.user_id)

    def _training_passed(self, submission, caller):
        if self.training_enabled and self.training_examples and submission is not None:
            return review_store.passed_training(self.usage_key_str, caller.user_id)
        return 0

    def learner_state(self, caller, submission=None):
        """STATE for the caller; brings the stored grade up to date and, once it is final,
        publishes completion and the grade (constant queries)."""
        moment = views.now()
        submission = submission or self._own(caller)
        reviews = review_store.reviews_of(submission)
        training_passed = self._training_passed(submission, caller)
        the_rubric = self.rubric_for_learners
        progress, grade = views.evaluate(self, the_rubric, submission, reviews, training_passed, moment)
        gradebook.sync(self, submission, progress, grade, moment, current_user=True)
        held = None
        settings = views.settings_of(self)
        if submission is not None and workflow.peer_open(settings, progress, moment):
            held = queue_store.held_slot(self.usage_key_str, caller.user_id)
        return views.state_json(self, caller, the_rubric, submission, reviews, progress, grade, held, moment)

    # Learner handlers: the work --------------------------------------------------------

    def _work_values(self, data, caller, final):
        """What to store of a draft or submission, checked for this block's type."""
        artefact = data["artefact"]
        values = {"text": data["text"], "link": data["link"].strip(), "artefact_kind": "", "artefact_id": ""}
        if self.submission_type == "artefact" and artefact is not None:
            if not isinstance(artefact, dict) or artefact.get("kind") != self.artefact_kind \
                    or not isinstance(artefact.get("id"), str) or len(artefact["id"]) > 64:
                raise bad_request("invalid_artefact", _("Choose one of your own works to submit."), field="artefact")
            if artefacts.artefact_owner(self.artefact_kind, artefact["id"]) != (self.course_key_str, caller.user_id):
                raise forbidden(_("You can only submit your own work from this course."), code="not_your_artefact")
            values.update(artefact_kind=self.artefact_kind, artefact_id=artefact["id"])
        if not final:
            return values
        if self.submission_type == "text":
            words = word_count(values["text"])
            if not values["text"].strip():
                raise bad_request("empty", _("Write your answer before you submit it."), field="text")
            if words < self.min_words or (self.max_words and words > self.max_words):
                raise bad_request("word_limits", _("Your answer has {count} words; it needs between {low} and {high}."),
                                  field="text", count=words, low=self.min_words, high=self.max_words or "∞")
        elif self.submission_type == "link":
            # Reviewers and staff open it: the shared check, as for every stored address.
            values["link"] = safe_url(values["link"])
            if values["link"] is None:
                raise bad_request("invalid_link", _("Give a web address that starts with https://."), field="link")
        elif not values["artefact_id"]:
            raise bad_request("empty", _("Choose the work you want to submit."), field="artefact")
        else:
            values.update(self._frozen_artefact(values["artefact_id"], caller))
        return values

    def _frozen_artefact(self, artefact_id, caller):
        """The artefact as it is at submit time, stored with the submission: later changes to
        the canvas, journal entry or idea do not reach its reviewers. What is stored is the
        provider's snapshot (the learner's content, author-free), not a rendering: it is
        rendered when shown, so section titles and labels are in the reader's language, not
        the author's. The label is the one the learner chose it by, else the summary's first line."""
        kind = self.artefact_kind
        data = artefacts.artefact_snapshot(kind, artefact_id)
        text = artefacts.artefact_summary(kind, artefact_id)
        if not data or text is None:
            raise bad_request("empty", _("Choose the work you want to submit."), field="artefact")
        chosen = artefacts.artefact_choices(kind, self.course_key_str, caller.user_id, self.gettext)
        label = next((c["label"] for c in chosen if c["id"] == artefact_id), "") or text.strip().split("\n", 1)[0]
        return {"artefact_data": data, "artefact_text": text, "artefact_label": label[:MAX_LABEL]}

    def _remember_learner(self, caller):
        if self.learner_id != caller.user_id:
            self.learner_id = caller.user_id

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
        due = self.due_of("submission_due")
        if due and views.now() > due:
            raise forbidden(_("The submission deadline has passed."), code="closed")
        saved = review_store.save(self.place_for(caller), self._work_values(data, caller, final=False),
                                  data["version"])
        self._remember_learner(caller)
        return {"version": saved.version, "saved_at": saved.modified.isoformat()}

    @api_handler(method="POST", shape=WORK_SHAPE, role=LEARNER)
    def submit(self, data, caller):
        moment = views.now()
        due = self.due_of("submission_due")
        if due and moment > due:
            raise forbidden(_("The submission deadline has passed."), code="closed")
        values = self._work_values(data, caller, final=True)
        submission = review_store.submit_work(self.place_for(caller), values, data["version"], moment,
                                              self.reviews_needed, self.reviews_to_give, self.peer_enabled)
        self._remember_learner(caller)
        events.publish_event(self, "submitted", {"submission": str(submission.public_id),
                                                 "type": self.submission_type})
        if not (self.peer_enabled or self.self_enabled or self.staff_enabled):
            events.publish_completion(self)
        return self.learner_state(caller, submission)

    # Learner handlers: training -----------------------------------------------------------

    def _submitted(self, caller, lock=False):
        submission = review_store.submission_of(self.usage_key_str, caller.user_id, lock=lock)
        if submission is None or submission.status != SUBMITTED:
            raise conflict("not_submitted", _("Submit your own work first."))
        return submission

    @api_handler(method="GET", role=LEARNER)
    def training_example(self, data, caller):
        if not self.training_enabled or not self.training_examples:
            raise not_found(_("This peer review has no training."), code="no_training")
        self._submitted(caller)
        answers = review_store.training_answers(self.usage_key_str, caller.user_id)
        total = len(self.training_examples)
        done = sum(1 for a in answers.values() if a.passed and a.example_index < total)
        index = next((i for i in range(total) if not (i in answers and answers[i].passed)), None)
        if index is None:
            return {"example": None, "done": done, "total": total}
        return {"example": {"index": index, "text": self.training_examples[index]["text"]}, "done": done,
                "total": total}

    @api_handler(method="POST", shape={"index": Int(min_value=0, max_value=MAX_TRAINING_EXAMPLES),
                                       "scores": MapOf(Str(max_length=40), max_items=rubrics.MAX_CRITERIA)},
                 role=LEARNER)
    def training_answer(self, data, caller):
        if not self.training_enabled or data["index"] >= len(self.training_examples):
            raise not_found(_("There is no such training example."), code="no_training")
        submission = self._submitted(caller)
        the_rubric = self.rubric_for_learners
        answer = rubrics.check_choices(the_rubric, data["scores"])
        expected = self.training_examples[data["index"]]["scores"]
        correct, passed = rubrics.check_training(the_rubric, expected, answer)
        review_store.answer_training(self.place_for(caller), data["index"], answer,
                                     rubrics.example_points(the_rubric, answer),
                                     rubrics.example_points(the_rubric, expected), passed)
        events.publish_event(self, "training_answered", {"index": data["index"], "passed": passed})
        return {"correct": correct, "expected": expected, "passed": passed,
                "state": self.learner_state(caller, submission)}

    # Learner handlers: reviews -----------------------------------------------------------

    @api_handler(method="POST", role=LEARNER)
    def next_review(self, data, caller):
        moment = views.now()
        submission = self._submitted(caller, lock=True)  # one hand-out at a time per learner
        progress = views.progress_of(submission, self._training_passed(submission, caller))
        settings = views.settings_of(self)
        if workflow.current_step(settings, progress, moment) != "peer":
            raise conflict("not_peer_step", _("Reviewing peers is not your current step."))
        slot = queue_store.hand_out(self.usage_key_str, caller.user_id, moment, get_setting("PEER_LEASE_MINUTES"))
        if slot is None:
            return {"lease": None, "reason": "none_available"}
        if getattr(slot, "new_lease", False):
            events.publish_event(self, "review_assigned", {"lease": str(slot.lease_id)})
        return {"lease": views.lease_json(self, slot)}

    @api_handler(method="POST", shape=dict(SCORES_SHAPE, lease=Str(max_length=40)), role=LEARNER)
    def submit_review(self, data, caller):
        moment = views.now()
        lease_id = public_id_or_404(data["lease"], _("This submission was not handed out to you for review."),
                                    code="not_handed_out")
        own = self._submitted(caller)
        slot = queue_store.leased_slot(self.usage_key_str, lease_id, caller.user_id, moment)
        in_use = self.rubric_in_use  # parsed once: stored with the review, and localized for scoring
        the_rubric = rubrics.localized(in_use, self.gettext)
        scored = rubrics.score_review(the_rubric, data["scores"], data["comments"], data["feedback"], _comment_max())
        review = review_store.finish_peer_review(own, slot, caller.user_id, scored, self.reviews_to_give,
                                                 self.reviews_needed, moment, rubric=in_use)
        events.publish_event(self, "review_submitted", {"review": str(review.public_id), "points": scored.points})
        gradebook.settle(self, slot.submission_id, the_rubric, moment)  # the reviewed learner's grade, now
        return self.learner_state(caller, own)

    @api_handler(method="POST", shape=SCORES_SHAPE, role=LEARNER)
    def submit_self_review(self, data, caller):
        own = self._submitted(caller)
        if not self.self_enabled:
            raise not_found(_("This peer review has no self-review."), code="no_self_review")
        if own.self_done:
            raise conflict("already_reviewed", _("You have already reviewed this submission."))
        due = self.due_of("self_due")
        if due and views.now() > due:
            raise forbidden(_("The self-review deadline has passed."), code="closed")
        scored = rubrics.score_review(self.rubric_for_learners, data["scores"], data["comments"], data["feedback"],
                                     _comment_max())
        review_store.record_review(own, caller.user_id, SELF, scored, self.rubric_in_use)
        review_store.mark(own.pk, self_done=True)
        own.self_done = True
        events.publish_event(self, "self_reviewed", {"points": scored.points})
        return self.learner_state(caller, own)

    @api_handler(method="POST", shape={"review": Str(max_length=40), "reason": Str(max_length=500, min_length=1)},
                 role=LEARNER)
    def flag_review(self, data, caller):
        public_id = public_id_or_404(data["review"], _("There is no such review of your work."))
        review = review_store.flag(self.usage_key_str, caller.user_id, public_id, data["reason"].strip())
        events.publish_event(self, "flagged", {"review": str(review.public_id)})
        return {"flagged": True}

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        return json_download("peer-review-my-data.json", {
            "component": "bizmooc_peer_review", "course_id": self.course_key_str, "learner": caller.user_id,
            **privacy.peer_review_data(self.course_key_str, caller.user_id)})

    # Staff handlers ----------------------------------------------------------------------

    def _staff_view_of(self, submission):
        reviews = review_store.reviews_of(submission)
        _progress, grade = views.evaluate(self, self.rubric_for_learners, submission, reviews, 0, views.now())
        return reviews, grade

    def _by_id(self, value):
        return review_store.submission_by_public_id(self.usage_key_str, _public_id(value))

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1),
                                      "filter": Choice(("all", "waiting", "to_staff", "flagged"), required=False,
                                                       default="all")}, role=STAFF)
    def staff_dashboard(self, data, caller):
        return views.dashboard(self, data["page"], data["filter"], views.now())

    @api_handler(method="GET", shape=SUBMISSION_ID, role=STAFF)
    def staff_submission(self, data, caller):
        submission = self._by_id(data["submission"])
        reviews, grade = self._staff_view_of(submission)
        return views.staff_submission(self, submission, reviews, grade)

    @api_handler(method="POST", shape=dict(SCORES_SHAPE, **SUBMISSION_ID), role=STAFF)
    def staff_grade(self, data, caller):
        submission = self._by_id(data["submission"])
        if submission.status != SUBMITTED:
            raise conflict("not_submitted", _("Only submitted work can be graded."))
        scored = rubrics.score_review(self.rubric_for_learners, data["scores"], data["comments"], data["feedback"],
                                     _comment_max())
        review_store.record_review(submission, caller.user_id, STAFF_REVIEW, scored, self.rubric_in_use)
        _reviews, grade = self._staff_view_of(submission)
        gradebook.sync(self, submission, None, grade, views.now(), current_user=False)
        events.publish_event(self, "staff_graded", {"submission": str(submission.public_id), "points": scored.points})
        return {"grade": views.grade_json(self, grade)}

    @api_handler(method="POST", shape=dict(SUBMISSION_ID, points=Number(min_value=0, max_value=1_000_000),
                                           reason=Str(max_length=500, min_length=1)), role=STAFF)
    def override_grade(self, data, caller):
        submission = self._by_id(data["submission"])
        if submission.status != SUBMITTED:
            raise conflict("not_submitted", _("Only submitted work can be graded."))
        maximum = self.rubric_for_learners.max_points
        if data["points"] > maximum:
            raise bad_request("out_of_range", _("Give between 0 and {max} points."), field="points", max=maximum)
        submission.override_points, submission.override_reason = data["points"], data["reason"].strip()
        review_store.mark(submission.pk, override_points=submission.override_points,
                          override_reason=submission.override_reason)
        _reviews, grade = self._staff_view_of(submission)
        gradebook.sync(self, submission, None, grade, views.now(), current_user=False)
        events.publish_event(self, "overridden", {"submission": str(submission.public_id), "points": data["points"]})
        return {"grade": views.grade_json(self, grade)}

    @api_handler(method="POST", shape=dict(SUBMISSION_ID, reason=Str(max_length=500)), role=STAFF)
    def remove_submission(self, data, caller):
        submission = self._by_id(data["submission"])
        gradebook.clear(self, submission)
        review_store.remove(submission, data["reason"].strip())
        queue_store.drop_slots(submission.pk)
        events.publish_event(self, "removed", {"submission": str(submission.public_id)})
        return {"removed": True}

    @api_handler(method="POST", shape=SUBMISSION_ID, role=STAFF)
    def reset_learner(self, data, caller):
        submission = self._by_id(data["submission"])
        gradebook.clear(self, submission)
        review_store.reset(submission)
        queue_store.drop_slots(submission.pk)
        events.publish_event(self, "reset", {"submission": str(submission.public_id)})
        return {"reset": True}

    @api_handler(method="POST", role=STAFF)
    def regrade(self, data, caller):
        """Recompute the block's grades with the current rubric (regrading.py); the counts."""
        counts = regrading.regrade(self, views.now())
        return dict(counts, message=views.regrade_message(self, counts))

    @api_handler(method="GET", shape={"what": Choice(("submissions", "reviews", "grades"))}, role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, data["what"])
        return csv_response(f"peer-review-{data['what']}.csv", header, rows)

    # Studio ------------------------------------------------------------------------------

    @api_handler(method="POST", shape=SETTINGS_SHAPE, role=AUTHOR)
    def studio_submit(self, data, caller):
        the_rubric = rubrics.parse_rubric(data["rubric"])
        data["rubric"] = the_rubric.as_json()
        data["training_examples"] = check_training_examples(the_rubric, data["training_examples"] or [])
        if data["max_words"] and data["min_words"] > data["max_words"]:
            raise bad_request("invalid_words", _("The minimum number of words is above the maximum."),
                              field="min_words")
        for name in ("submission_due", "peer_due", "self_due"):
            data[name] = check_due(name, data[name])
        if data["training_enabled"] and not data["training_examples"]:
            raise bad_request("no_examples", _("Training needs at least one example."), field="training_examples")
        regrading.check_change(self, the_rubric, data.pop("confirm_rubric_change"))
        data["prompt"] = clean_html(data["prompt"])
        for name, value in data.items():
            setattr(self, name, value)
        return {"result": "success"}

    def validate(self):
        validation = super().validate()

        def error(message, **params):
            validation.add(ValidationMessage(ValidationMessage.ERROR, Phrase(message, **params)
                                             .translated(self.gettext)))
        try:
            the_rubric = rubrics.parse_rubric(self.rubric)
            check_training_examples(the_rubric, self.training_examples)
        except ApiError as problem:
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem.translated(self.gettext)))
        if not (self.peer_enabled or self.self_enabled or self.staff_enabled):
            error(_("Turn on at least one of the peer, self-review or staff steps, or nothing grades the work."))
        if self.training_enabled and not self.training_examples:
            error(_("Training needs at least one example."))
        if self.peer_enabled and self.reviews_to_give < 1:
            error(_("With the peer step on, each learner must give at least one review."))
        if self.grading_method == "calibrated" and not self.peer_enabled:
            error(_("Calibrated grades need the peer step."))
        if self.submission_type == "artefact" and self.artefact_kind not in artefacts.artefact_kinds():
            error(_("No component of this installation provides work of the kind '{kind}'."), kind=self.artefact_kind)
        for name in ("submission_due", "peer_due", "self_due"):
            if getattr(self, name) and self.due_of(name) is None:
                error(_("Give a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM."))
        return validation

    @staticmethod
    def workbench_scenarios():
        return PEER_REVIEW_SCENARIOS
