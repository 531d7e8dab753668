"""What a learner's or the staff's action in a peer review does: the reads, the rules
(workflow, rubric, grading), the writes (review_store, queue_store, gradebook) and the
events, in the handler's one transaction. The block wires handlers to these functions and
hands what they return to review_views, which only presents it."""
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from xblocks.common import artefacts, events
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request, conflict, forbidden, not_found
from xblocks.common.links import safe_url
from xblocks.common.text import word_count
from xblocks.notifications import api as notifications
from xblocks.notifications.reminders import Due

from . import file_store, files, gradebook, grading, queue_store, regrading, review_dates, review_store, workflow
from . import rubric as rubrics
from .models import DRAFT, PEER, SELF, STAFF, SUBMITTED
from .review_settings import FILES_ON, file_limits

MAX_LABEL = 255  # Submission.artefact_label


def now():
    return datetime.now(timezone.utc)


def comment_max():
    return get_setting("PEER_COMMENT_MAX_CHARS")


# The rules' view of a block and a submission ---------------------------------------------------

def settings_of(block, user_id=None, submission=None):
    """The rules' view of the block, with the step dates of the learner `user_id` (or of the
    submission's author): fixed, or relative to them (review_dates.py)."""
    user_id = user_id or getattr(submission, "user_id", None)
    dues = review_dates.step_dues(block, user_id, getattr(submission, "submitted_at", None))
    return workflow.Settings(
        training=block.training_enabled, peer=block.peer_enabled, self_review=block.self_enabled,
        staff=block.staff_enabled, reviews_to_give=block.reviews_to_give, reviews_needed=block.reviews_needed,
        training_total=len(block.training_examples), wait_days=block.wait_days,
        wait_action=block.wait_action, grading_method=block.grading_method, **dues)


def progress_of(submission, training_passed=0):
    if submission is None:
        return workflow.Progress(training_passed=training_passed)
    return workflow.Progress(status=submission.status, submitted_at=submission.submitted_at,
                             given=submission.given, received=submission.received,
                             training_passed=training_passed, self_done=submission.self_done,
                             to_staff=submission.to_staff)


def rubric_of(block, review):
    """The rubric a review was made with, in the reader's language; the block's for a review
    stored before rubric versions existed (regrading.check_change pins those before the rubric
    changes)."""
    if review is None or review.rubric_id is None:
        return block.rubric_for_learners
    try:
        return rubrics.localized(rubrics.from_stored(review.rubric_id, review.rubric.rubric), block.gettext)
    except ApiError:  # a stored version the limits of today refuse: shown with the block's
        return block.rubric_for_learners


def _calibrated_basis(submission, peer, settings, fresh):
    """The calibrated points of a submission, None when its grade is the median's."""
    if settings.grading_method != "calibrated" or len(peer) < settings.reviews_needed or not peer \
            or submission.override_points is not None:
        return None
    if submission.grade_final and submission.grade_method == "calibrated" and not fresh:
        return submission.grade_points  # final: kept as it was published
    if submission.grade_final and submission.grade_method == "median" and not fresh:
        return None  # final with the median (calibration was not ready): stays the median's
    return calibrated_points(submission, peer)


def evaluate(block, the_rubric, submission, reviews, training_passed, moment, fresh=False):
    """(Progress, Grade or None) of a submission, with its reviews already loaded; a
    calibrated grade reads the reviewers' neighbourhood (2 queries).

    The grade is computed with the rubric of the reviews that decide it (the staff review, else
    the first peer review that counts, else the self-review): a rubric edited since does not
    change it. A later review made with another rubric counts for the criteria (ids) the two
    share. `the_rubric` is the block's, for a submission without reviews. `fresh`: a final
    calibrated grade is estimated again rather than kept (regrading)."""
    settings = settings_of(block, submission=submission)
    progress = progress_of(submission, training_passed)
    if submission is None or submission.status != SUBMITTED:
        return progress, None
    # As ORA2, the first `reviews_needed` peer reviews are the ones that count: reviews given
    # later (extra ones, when every submission had its count) do not change a grade.
    peer = [r for r in reviews if r.kind == PEER][:max(settings.reviews_needed, 1)]
    own = next((r for r in reviews if r.kind == SELF), None)
    staff = next((r for r in sorted(reviews, key=lambda r: r.created, reverse=True) if r.kind == STAFF), None)
    calibrated = None if staff is not None else _calibrated_basis(submission, peer, settings, fresh)
    override = (submission.override_points, submission.override_reason) \
        if submission.override_points is not None else None
    basis = staff or (peer[0] if settings.peer and peer else None) or own
    if basis is not None:
        the_rubric = rubric_of(block, basis)
    grade = workflow.grade(the_rubric, settings, progress, moment, peer=[r.criterion_points for r in peer],
                           self_review=own.criterion_points if own else None,
                           staff=staff.criterion_points if staff else None, override=override, calibrated=calibrated)
    if grade is not None:
        grade = replace(grade, rubric=basis.rubric_id if basis is not None and basis.rubric_id else None)
    return progress, grade


def calibrated_points(submission, peer):
    reviews, training = review_store.neighbourhood(submission, [r.reviewer_id for r in peer])
    if not grading.calibration_ready(reviews, submission.pk, training):
        return None  # too few overlapping reviews: workflow.grade uses the median and says why
    estimates = grading.estimate_scores(reviews, "calibrated", training=training)
    return estimates.get(submission.pk)


# The learner's state -------------------------------------------------------------------------

@dataclass(frozen=True)
class LearnerState:
    """What the learner's page shows, evaluated (review_views.state_json presents it)."""

    rubric: object
    submission: object
    reviews: list
    progress: workflow.Progress
    grade: object
    held: object
    moment: datetime
    drafts: dict  # {kind: ReviewDraft} of the reviews the learner has in progress
    files: list = ()  # the learner's files (with files on)
    lease_files: list = ()  # the files of the work the learner holds a lease on


def files_of_work(block, author_id):
    """The files of an author's work, oldest first (1 query; none, and no query, with files off)."""
    return file_store.files_of(block.usage_key_str, author_id) if block.files_mode in FILES_ON else []


def _training_passed(block, submission, user_id):
    if block.training_enabled and block.training_examples and submission is not None:
        return review_store.passed_training(block.usage_key_str, user_id)
    return 0


def learner_state(block, caller, submission=None):
    """The caller's state; brings the stored grade up to date and, once it is final,
    publishes completion and the grade (constant queries)."""
    moment = now()
    submission = submission or review_store.submission_of(block.usage_key_str, caller.user_id)
    reviews = review_store.reviews_of(submission)
    the_rubric = block.rubric_for_learners
    progress, grade = evaluate(block, the_rubric, submission, reviews,
                               _training_passed(block, submission, caller.user_id), moment)
    gradebook.sync(block, submission, progress, grade, moment, current_user=True)
    held, drafts = None, {}
    if submission is not None and workflow.peer_open(settings_of(block, caller.user_id, submission), progress,
                                                     moment):
        held = queue_store.held_slot(block.usage_key_str, caller.user_id)
    if held is not None or (submission is not None and submission.status == SUBMITTED and block.self_enabled
                            and not submission.self_done):
        drafts = review_store.review_drafts(block.usage_key_str, caller.user_id)
    if drafts.get(PEER) is not None and (held is None or drafts[PEER].lease_id != held.lease_id):
        del drafts[PEER]  # written under a lease that ran out: another submission now
    lease_files = files_of_work(block, held.submission.user_id) if held is not None \
        and held.expires_at and held.expires_at > moment else []
    return LearnerState(the_rubric, submission, reviews, progress, grade, held, moment, drafts,
                        files_of_work(block, caller.user_id), lease_files)


# The work ------------------------------------------------------------------------------------

def _place(block, caller):
    return review_store.Place(course_id=block.course_key_str, usage_id=block.usage_key_str, user_id=caller.user_id)


def _check_open(due, moment, message):
    if due and moment > due:
        raise forbidden(message, code="closed")


def _frozen_artefact(block, artefact_id, caller):
    """The artefact as it is at submit time, stored with the submission: later changes to
    the canvas, journal entry or idea do not reach its reviewers. What is stored is the
    provider's snapshot (the learner's content, author-free), not a rendering: it is
    rendered when shown, so section titles and labels are in the reader's language, not
    the author's. The label is the one the learner chose it by, else the summary's first line."""
    kind = block.artefact_kind
    data = artefacts.artefact_snapshot(kind, artefact_id)
    text = artefacts.artefact_summary(kind, artefact_id)
    if not data or text is None:
        raise bad_request("empty", _("Choose the work you want to submit."), field="artefact")
    chosen = artefacts.artefact_choices(kind, block.course_key_str, caller.user_id, block.gettext)
    label = next((c["label"] for c in chosen if c["id"] == artefact_id), "") or text.strip().split("\n", 1)[0]
    return {"artefact_data": data, "artefact_text": text, "artefact_label": label[:MAX_LABEL]}


def _final_work_values(block, values, caller):
    """The checks of a submit, by the block's type of work."""
    if block.submission_type == "text":
        words = word_count(values["text"])
        if not values["text"].strip() and not files.text_optional(block.files_mode, block.min_words):
            raise bad_request("empty", _("Write your answer before you submit it."), field="text")
        if words < block.min_words or (block.max_words and words > block.max_words):
            raise bad_request("word_limits", _("Your answer has {count} words; it needs between {low} and {high}."),
                              field="text", count=words, low=block.min_words, high=block.max_words or "∞")
    elif block.submission_type == "link":
        # Reviewers and staff open it: the shared check, as for every stored address.
        values["link"] = safe_url(values["link"])
        if values["link"] is None:
            raise bad_request("invalid_link", _("Give a web address that starts with https://."), field="link")
    elif not values["artefact_id"]:
        raise bad_request("empty", _("Choose the work you want to submit."), field="artefact")
    else:
        values.update(_frozen_artefact(block, values["artefact_id"], caller))
    return values


def _files_checked(block, caller):
    """Submitting with files required: the work needs one (1 query)."""
    if block.files_mode == "required" and not file_store.count_of(block.usage_key_str, caller.user_id):
        raise bad_request("files_required", _("Add at least one file before you submit."), field="files")


def work_values(block, data, caller, final):
    """What to store of a draft or submission, checked for the block's type."""
    artefact = data["artefact"]
    values = {"text": data["text"], "link": data["link"].strip(), "artefact_kind": "", "artefact_id": ""}
    kind = block.artefact_kind
    if block.submission_type == "artefact" and artefact is not None:
        if not isinstance(artefact, dict) or artefact.get("kind") != kind \
                or not isinstance(artefact.get("id"), str) or len(artefact["id"]) > 64:
            raise bad_request("invalid_artefact", _("Choose one of your own works to submit."), field="artefact")
        if artefacts.artefact_owner(kind, artefact["id"]) != (block.course_key_str, caller.user_id):
            raise forbidden(_("You can only submit your own work from this course."), code="not_your_artefact")
        values.update(artefact_kind=kind, artefact_id=artefact["id"])
    return _final_work_values(block, values, caller) if final else values


def _due(block, caller, step, submission=None):
    """The caller's date of a step (fixed, or relative to them: review_dates.py)."""
    return getattr(settings_of(block, caller.user_id, submission), step)


def save_draft(block, data, caller):
    _check_open(_due(block, caller, "submission_due"), now(), _("The submission deadline has passed."))
    saved = review_store.save(_place(block, caller), work_values(block, data, caller, final=False), data["version"])
    block.remember_learner(caller)
    return saved


def submit(block, data, caller):
    moment = now()
    _check_open(_due(block, caller, "submission_due"), moment, _("The submission deadline has passed."))
    values = work_values(block, data, caller, final=True)
    _files_checked(block, caller)
    submission = review_store.submit_work(_place(block, caller), values, data["version"], moment,
                                          block.reviews_needed, block.reviews_to_give, block.peer_enabled)
    block.remember_learner(caller)
    if block.peer_enabled:  # what the reviewer reminders read (reminder_source)
        activity = notifications.activity_of(block)
        review_store.record_step(replace(_place(block, caller), course_id=activity.course_id), activity.name,
                                 block.reviews_to_give, _due(block, caller, "peer_due", submission))
    events.publish_event(block, "submitted", {"submission": str(submission.public_id),
                                              "type": block.submission_type})
    if not (block.peer_enabled or block.self_enabled or block.staff_enabled):
        events.publish_completion(block)
    return submission


def submitted(block, caller, lock=False):
    """The caller's submitted work; 409 before they submitted."""
    submission = review_store.submission_of(block.usage_key_str, caller.user_id, lock=lock)
    if submission is None or submission.status != SUBMITTED:
        raise conflict("not_submitted", _("Submit your own work first."))
    return submission


# Files ---------------------------------------------------------------------------------------

def _draft_files(block, caller, moment):
    """Files may change while the work is a draft (or not started): the work's row is locked
    so that a submit waits for the upload or deletion, which then waits for nothing (1 query)."""
    if block.files_mode not in FILES_ON:
        raise not_found(_("This peer review takes no files."), code="no_files")
    _check_open(_due(block, caller, "submission_due"), moment, _("The submission deadline has passed."))
    own = review_store.submission_of(block.usage_key_str, caller.user_id, lock=True)
    if own is not None and own.status != DRAFT:
        raise conflict("already_submitted", _("You have already submitted your work."))


def upload_file(block, name, content, caller):
    """Store a file with the caller's draft, checked against the block's limits (files.py;
    3 queries and the storage's write)."""
    moment = now()
    _draft_files(block, caller, moment)
    checked = files.check_file(name, content, file_limits(block), file_store.count_of(block.usage_key_str,
                                                                                      caller.user_id))
    found = file_store.add(_place(block, caller), checked, content, moment)
    block.remember_learner(caller)
    events.publish_event(block, "file_added", {"file": str(found.public_id), "kind": checked.kind,
                                               "size": checked.size})
    return found


def delete_file(block, public_id, caller):
    """The author removes a file from their draft (3 queries; the bytes go once it commits)."""
    _draft_files(block, caller, now())
    found = file_store.file_by_public_id(block.usage_key_str, public_id)
    if found.user_id != caller.user_id:
        raise not_found(_("There is no such file."), code="no_file")  # another's: as if there were none
    file_store.remove(found)
    events.publish_event(block, "file_removed", {"file": str(found.public_id)})


def file_for(block, public_id, caller):
    """(file, name to download it as) for who may read it: its author and course staff (its
    own name), a reviewer holding a lease on the work or who reviewed it ("work-<n>.<ext>", n
    its place among the work's files); 404 for anyone else, as if there were none (2-3 queries)."""
    found = file_store.file_by_public_id(block.usage_key_str, public_id)
    if found.user_id == caller.user_id or caller.is_staff:
        return found, found.name
    if not file_store.may_review(block.usage_key_str, found.user_id, caller.user_id, now()):
        raise not_found(_("There is no such file."), code="no_file")
    position = [f.pk for f in file_store.files_of(block.usage_key_str, found.user_id)].index(found.pk) + 1
    return found, files.neutral_name(position, found.extension)


# Training ------------------------------------------------------------------------------------

def training_example(block, caller):
    """(index of the next example to score or None, examples passed, total)."""
    if not block.training_enabled or not block.training_examples:
        raise not_found(_("This peer review has no training."), code="no_training")
    submitted(block, caller)
    answers = review_store.training_answers(block.usage_key_str, caller.user_id)
    total = len(block.training_examples)
    done = sum(1 for a in answers.values() if a.passed and a.example_index < total)
    index = next((i for i in range(total) if not (i in answers and answers[i].passed)), None)
    return index, done, total


def training_answer(block, data, caller):
    """(correct per criterion, passed, the caller's submission). As ORA2, the course team's
    options are never shown: the learner learns which criteria differ and tries again."""
    if not block.training_enabled or data["index"] >= len(block.training_examples):
        raise not_found(_("There is no such training example."), code="no_training")
    submission = submitted(block, caller)
    the_rubric = block.rubric_for_learners
    answer = rubrics.check_choices(the_rubric, data["scores"])
    expected = block.training_examples[data["index"]]["scores"]
    correct, passed = rubrics.check_training(the_rubric, expected, answer)
    review_store.answer_training(_place(block, caller), data["index"], answer,
                                 rubrics.example_points(the_rubric, answer),
                                 rubrics.example_points(the_rubric, expected), passed)
    events.publish_event(block, "training_answered", {"index": data["index"], "passed": passed})
    return correct, passed, submission


# Reviews -------------------------------------------------------------------------------------

def next_review(block, caller):
    """The slot handed out to the caller (a new lease or the one they hold), or None."""
    moment = now()
    submission = submitted(block, caller, lock=True)  # one hand-out at a time per learner
    progress = progress_of(submission, _training_passed(block, submission, caller.user_id))
    if workflow.current_step(settings_of(block, caller.user_id, submission), progress, moment) != "peer":
        raise conflict("not_peer_step", _("Reviewing peers is not your current step."))
    slot = queue_store.hand_out(block.usage_key_str, caller.user_id, moment, get_setting("PEER_LEASE_MINUTES"))
    if slot is not None and getattr(slot, "new_lease", False):
        events.publish_event(block, "review_assigned", {"lease": str(slot.lease_id)})
    return slot


def submit_review(block, data, lease_id, caller):
    """Score the leased submission; the reviewed learner's grade is brought up to date."""
    moment = now()
    own = submitted(block, caller)
    slot = queue_store.leased_slot(block.usage_key_str, lease_id, caller.user_id, moment)
    in_use = block.rubric_in_use  # parsed once: stored with the review, and localized for scoring
    the_rubric = rubrics.localized(in_use, block.gettext)
    scored = rubrics.score_review(the_rubric, data["scores"], data["comments"], data["feedback"], comment_max())
    review = review_store.finish_peer_review(own, slot, caller.user_id, scored, block.reviews_to_give,
                                             block.reviews_needed, moment, rubric=in_use)
    review_store.drop_review_draft(block.usage_key_str, caller.user_id, PEER)
    events.publish_event(block, "review_submitted", {"review": str(review.public_id), "points": scored.points})
    notifications.reviews_received(block, [slot.submission.user_id], caller.user_id)
    gradebook.settle(block, slot.submission_id, the_rubric, moment)  # the reviewed learner's grade, now
    return own


def submit_self_review(block, data, caller):
    own = submitted(block, caller)
    if not block.self_enabled:
        raise not_found(_("This peer review has no self-review."), code="no_self_review")
    if own.self_done:
        raise conflict("already_reviewed", _("You have already reviewed this submission."))
    _check_open(_due(block, caller, "self_due", own), now(), _("The self-review deadline has passed."))
    scored = rubrics.score_review(block.rubric_for_learners, data["scores"], data["comments"], data["feedback"],
                                  comment_max())
    review_store.record_review(own, caller.user_id, SELF, scored, block.rubric_in_use)
    review_store.mark(own.pk, self_done=True)
    review_store.drop_review_draft(block.usage_key_str, caller.user_id, SELF)
    own.self_done = True
    events.publish_event(block, "self_reviewed", {"points": scored.points})
    return own


def save_review_draft(block, data, caller):
    """Keep the caller's review in progress: a peer review under the lease they hold, or
    their self review (3 queries). Nothing is checked against the rubric until it is sent."""
    own = submitted(block, caller)
    lease_id = None
    if data["kind"] == PEER:
        lease_id = data["lease"]
        queue_store.leased_slot(block.usage_key_str, lease_id, caller.user_id, now())
    elif not block.self_enabled or own.self_done:
        raise conflict("not_self_step", _("Reviewing your own work is not your current step."))
    review_store.save_review_draft(_place(block, caller), data["kind"], lease_id,
                                   {"scores": data["scores"], "comments": data["comments"],
                                    "feedback": data["feedback"]})


def flag_review(block, public_id, reason, caller):
    review = review_store.flag(block.usage_key_str, caller.user_id, public_id, reason.strip())
    events.publish_event(block, "flagged", {"review": str(review.public_id)})


# Staff ---------------------------------------------------------------------------------------

def staff_view_of(block, submission):
    """(reviews, grade) of a submission as staff see it."""
    reviews = review_store.reviews_of(submission)
    _progress, grade = evaluate(block, block.rubric_for_learners, submission, reviews, 0, now())
    return reviews, grade


def _gradable(submission):
    if submission.status != SUBMITTED:
        raise conflict("not_submitted", _("Only submitted work can be graded."))


def _regraded(block, submission):
    _reviews, grade = staff_view_of(block, submission)
    gradebook.sync(block, submission, None, grade, now(), current_user=False)
    return grade


def staff_grade(block, submission, data, caller):
    _gradable(submission)
    scored = rubrics.score_review(block.rubric_for_learners, data["scores"], data["comments"], data["feedback"],
                                  comment_max())
    review_store.record_review(submission, caller.user_id, STAFF, scored, block.rubric_in_use)
    grade = _regraded(block, submission)
    notifications.reviews_received(block, [submission.user_id], caller.user_id)
    events.publish_event(block, "staff_graded", {"submission": str(submission.public_id), "points": scored.points})
    return grade


def override_grade(block, submission, points, reason):
    _gradable(submission)
    maximum = block.rubric_for_learners.max_points
    if points > maximum:
        raise bad_request("out_of_range", _("Give between 0 and {max} points."), field="points", max=maximum)
    submission.override_points, submission.override_reason = points, reason.strip()
    review_store.mark(submission.pk, override_points=submission.override_points,
                      override_reason=submission.override_reason)
    grade = _regraded(block, submission)
    events.publish_event(block, "overridden", {"submission": str(submission.public_id), "points": points})
    return grade


def remove_submission(block, submission, reason):
    gradebook.clear(block, submission)
    review_store.remove(submission, reason.strip())
    queue_store.drop_slots(submission.pk)
    events.publish_event(block, "removed", {"submission": str(submission.public_id)})


def reset_learner(block, submission):
    gradebook.clear(block, submission)
    review_store.reset(submission)
    queue_store.drop_slots(submission.pk)
    events.publish_event(block, "reset", {"submission": str(submission.public_id)})


def regrade(block):
    return regrading.regrade(block, now())


def settings_saving(block, values, confirm_rubric_change):
    """Studio's save: a rubric change that affects reviewed work needs the course team's
    confirmation (regrading.check_change)."""
    regrading.check_change(block, rubrics.parse_rubric(values["rubric"]), confirm_rubric_change)


# Notifications: what the learner chose, and the reminders to reviewers ------------------------

def notification_preferences(block, caller):
    """{kind: on?} of peer review's notifications for the caller in this course (1 query)."""
    return notifications.block_preferences(block, caller.user_id, "peer_review")


def set_notification_preference(block, caller, kind, enabled):
    notifications.set_block_preference(block, caller.user_id, kind, enabled)
    return notification_preferences(block, caller)


def reminders_due(moment):
    """What the reviewer reminders send (xblocks.notifications.reminders): per block with an
    open peer step, {learner: reviews still owed} of those who submitted and owe some (1 query)."""
    by_block = {}
    for course_id, usage_id, name, user_id, owed in review_store.reviewers_owing(moment):
        by_block.setdefault((course_id, usage_id, name), {})[user_id] = owed
    for (course_id, usage_id, name), owed in by_block.items():
        yield Due(notifications.Activity(course_id, usage_id, name), owed)
