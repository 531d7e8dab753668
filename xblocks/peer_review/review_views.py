"""What peer review shows: the learner's page and STATE (the browser draws the steps from the
JSON arguments), leases, received reviews and grades as JSON, the Studio editor, the staff
dashboard, exports and report rows. Queries come from review_store and queue_store; the
rules from workflow and rubric. Reviewers are anonymous both ways: no JSON a learner gets
names another learner."""
import math

from webob import Response

from xblocks.common import artefacts, reports, seams, settings_form
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _
from xblocks.common.text import clean_html, word_count

from . import file_store, files, review_store, rubric, workflow
from . import review_service as service
from .models import DRAFT, PEER, STAFF
from .review_settings import FILES_ON, file_limits

JS_CLASS = "BizMOOCPeerReview"
OWN_JS = "static/js/peer_review.js"
OWN_CSS = "static/css/peer_review.css"
STAFF_JS = "static/js/peer_review_staff.js"
EXTRAS_JS = "static/js/peer_review_extras.js"  # loaded on first use (training, drafts of reviews, ...)
FILES_JS = "static/js/peer_review_files.js"  # loaded where the block takes files

GRADE_BANDS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0)]


# The browser's strings, translated on the server and handed over in the init args: the
# learner's page, and what staff get on top (the dashboard's, peer_review_staff.js).
BROWSER_STRINGS = {
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your work is still on this page; please try again when connected."),
    "step_submit": _("Submit"),
    "step_training": _("Training"),
    "step_peer": _("Peer review"),
    "step_self": _("Self review"),
    "step_staff": _("Staff review and grade"),
    "step_grade": _("Grade"),
    "status_todo": _("to do"),
    "status_current": _("current step"),
    "status_done": _("done"),
    "status_closed": _("closed"),
    "due": _("due {date}"),
    "words": _("{count} words"),
    "words_range": _("{count} words (between {min} and {max})"),
    "words_min": _("{count} words (at least {min})"),
    "words_max": _("{count} words (at most {max})"),
    "too_many_words": _("{count} words: please shorten to at most {max}."),
    "too_few_words": _("{count} words: please write at least {min}."),
    "empty": _("Please write your answer first."),
    "bad_link": _("Enter a web address starting with http:// or https://."),
    "choose_artefact": _("Choose the work to submit."),
    "no_artefacts": _("You have nothing to submit yet: first create your work in the course component it comes "
                      "from, then reload this page."),
    "artefact_hint": _("Reviewers see a read-only copy of it, without your name."),
    "unsaved": _("Unsaved changes"),
    "saving": _("Saving…"),
    "saved": _("Draft saved"),
    "offline": _("Offline: your draft is kept on this device and will be saved when you are back online."),
    "restored_local": _("Your unsaved draft from this device is restored."),
    "loaded_newer": _("The newer draft is loaded."),
    "kept_mine": _("Your text is kept and saved."),
    "confirm_submit": _("Submit now? After submitting you can no longer change your work."),
    "yes_submit": _("Yes, submit"),
    "submitted": _("Your work is submitted."),
    "submitted_at": _("Submitted {date}"),
    "open_link": _("{link} (opens in a new tab)"),
    "training_progress": _("{done} of {total} examples done"),
    "correct": _("Correct."),
    "training_passed": _("All your scores match. Well done!"),
    "training_retry": _("Some scores differ from the course team's. Change them and check again."),
    "training_done": _("Training complete."),
    "given": _("{given} of {total} reviews given"),
    "received": _("{count} of {total} reviews received"),
    "waiting_since": _("Waiting since {date}"),
    "reserved_until": _("Reserved for you until {time}."),
    "lease_shown": _("A submission is shown for you to review."),
    "review_sent": _("Your review is saved. Thank you!"),
    "self_sent": _("Your self review is saved."),
    "points": _("({points} points)"),
    "points_one": _("({points} point)"),
    "comment_optional": _("Comment on {criterion} (optional)"),
    "comment_required": _("Comment on {criterion} (required)"),
    "comments_only": _("Comments only: this criterion gives no points."),
    "feedback_optional": _("Overall feedback (optional)"),
    "feedback_required": _("Overall feedback (required)"),
    "pick_option": _("Choose one option for {criterion}."),
    "write_comment": _("Write a comment for {criterion}."),
    "write_feedback": _("Write your overall feedback."),
    "check_form": _("Please check the highlighted fields."),
    "grade_final": _("Your grade: {points} of {max} points"),
    "grade_provisional": _("Provisional grade: {points} of {max} points"),
    "review_n": _("Review {n} ({kind})"),
    "kind_peer": _("peer review"),
    "kind_self": _("your self review"),
    "kind_staff": _("course team"),
    "score": _("{label} ({points} points)"),
    "score_one": _("{label} ({points} point)"),
    "comment": _("Comment: {text}"),
    "feedback": _("Overall feedback: {text}"),
    "flagged": _("You reported this review; the course team will look at it."),
    "flag_reason": _("Please say why."),
    "differs": _("Differs from the course team's choice."),
    "review_restored": _("Your review in progress is restored."),
    "notify_saved": _("Settings saved."),
}

STAFF_STRINGS = {
    "grade_of": _("Grade: {points} of {max} points"),
    "summary_submissions": _("Submissions"),
    "summary_waiting": _("Waiting for reviews"),
    "summary_longest": _("Longest wait (hours)"),
    "summary_outstanding": _("Reviews outstanding"),
    "summary_flagged": _("Reported reviews"),
    "page": _("Page {page} of {pages} ({total} submissions)"),
    "open": _("Open"),
    "submission_of": _("Submission of {learner}"),
    "status_line": _("Status: {status}"),
    "reviewer": _("Reviewer: {reviewer}"),
    "reported": _("reported by the learner"),
    "to_staff_mark": _("passed to staff"),
    "none": _("none"),
    "staff_graded": _("Staff grade saved."),
    "overridden": _("Grade overridden."),
    "reason_needed": _("Give a reason."),
    "points_needed": _("Enter points between 0 and {max}."),
    "confirm_remove": _("Remove this submission? Its reviews no longer count."),
    "yes_remove": _("Yes, remove it"),
    "removed": _("Submission removed."),
    "confirm_reset": _("Reset this learner? Their submission and reviews are cleared and they may submit again."),
    "yes_reset": _("Yes, reset"),
    "reset_done": _("Learner reset."),
    "confirm_regrade": _("Regrade every learner with the current rubric? Changed grades are sent to the gradebook."),
    "yes_regrade": _("Yes, regrade"),
    "st_draft": _("draft"),
    "st_submitted": _("submitted"),
    "st_removed": _("removed"),
    "st_waiting": _("waiting for reviews"),
    "st_done": _("graded"),
    "st_training": _("in training"),
    "st_peer": _("reviewing peers"),
    "st_self": _("reviewing own work"),
    "hide_dashboard": _("Hide the dashboard"),
    "show_dashboard": _("Show the dashboard"),
    "kind_self_staff": _("the learner's self review"),
}


# peer_review_files.js's strings: only on the pages of blocks that take files (files_config).
FILE_STRINGS = {
    "label_optional": _("Add files (optional)"),
    "label_required": _("Add files (at least one)"),
    "limits": _("Allowed: {types}. At most {n} files, each at most {size} MB."),
    "your_files": _("Your files"),
    "files_of_work": _("Files of this work"),
    "download": _("Download {name} ({size})"),
    "size_kb": _("{n} KB"),
    "size_mb": _("{n} MB"),
    "remove": _("Remove"),
    "remove_name": _("Remove {name}"),
    "removed": _("Removed: {what}."),
    "uploading": _("Uploading {name}…"),
    "added": _("Added: {what}."),
    "too_large": _("{name} is larger than {size} MB."),
}


def browser_strings(block, staff=False):
    strings = {**BROWSER_STRINGS, **STAFF_STRINGS} if staff else BROWSER_STRINGS
    return {key: block.gettext(text) for key, text in strings.items()}


def iso(moment):
    return moment.isoformat() if moment else None


def submission_json(block, submission):
    """SUBMISSION; a submitted artefact as it was frozen at submit time (label and HTML)."""
    if submission is None:
        return {"id": None, "status": "none", "text": "", "link": "", "artefact": None, "artefact_html": None,
                "version": 0, "submitted_at": None, "words": 0, "removed_reason": ""}
    artefact = None
    if submission.artefact_id:
        artefact = {"kind": submission.artefact_kind, "id": submission.artefact_id,
                    "label": submission.artefact_label or draft_label(block, submission)}
    return {"id": str(submission.public_id), "status": submission.status, "text": submission.text,
            "link": submission.link, "artefact": artefact,
            "artefact_html": artefact_html(block, submission) if submission.status != DRAFT else None,
            "version": submission.version, "submitted_at": iso(submission.submitted_at),
            "words": word_count(submission.text), "removed_reason": submission.removed_reason}


def draft_label(block, submission):
    """What a draft's chosen artefact is called: nothing is frozen before the submit."""
    summary = artefacts.artefact_summary(submission.artefact_kind, submission.artefact_id) or ""
    return summary.strip().split("\n", 1)[0][:120]


def artefact_html(block, submission):
    """The artefact as it was submitted, None for other work. Its snapshot is rendered now, in
    the reader's language; a submission from before snapshots has only the HTML rendered at
    submit time (in the author's language)."""
    if not submission.artefact_id:
        return None
    html = artefacts.render_artefact_snapshot(submission.artefact_kind, submission.artefact_data, block.gettext)
    return html or submission.artefact_html or block.gettext(_("This work is no longer available."))


def file_json(block, found, name):
    """A file as the page lists it: `name` is the one its reader downloads it as (a reviewer's
    is neutral: files.neutral_name); the download goes through the `file` handler."""
    return {"id": str(found.public_id), "name": name, "size": found.size,
            "url": block.runtime.handler_url(block, "file", query=f"file={found.public_id}")}


def own_files_json(block, found):
    """The author's (or staff's) view of a work's files: their own names."""
    return [file_json(block, f, f.name) for f in found]


def neutral_files_json(block, found):
    """A reviewer's view: "work-1.pdf", "work-2.png"…, never the author's file names."""
    return [file_json(block, f, files.neutral_name(n, f.extension)) for n, f in enumerate(found, start=1)]


def file_response(found, name):
    """A stored file as a download, whoever reads it: `attachment` (never shown in the page's
    origin, so an HTML or script file a browser might sniff could not run there; files.py
    refuses them anyway), a content type of files.py's table, `nosniff`, and a sandboxing
    Content-Security-Policy should a browser render it all the same. Streamed from the storage
    in 64 KB blocks; private to the reader's browser (no shared cache keeps it)."""
    stored = file_store.open_stored(found)

    def chunks():
        try:
            while True:
                block = stored.read(64 * 1024)
                if not block:
                    return
                yield block
        finally:
            stored.close()

    response = Response(app_iter=chunks(), content_type=files.served_type(found.content_type),
                        content_length=found.size)
    response.headers.update({
        "Content-Disposition": files.content_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "Cross-Origin-Resource-Policy": "same-origin",
    })
    return response


def lease_json(block, slot, lease_files=()):
    if slot is None:
        return None
    work = slot.submission
    return {"id": str(slot.lease_id), "expires": iso(slot.expires_at),
            "text": work.text if not work.artefact_id else None, "link": work.link or None,
            "artefact_html": artefact_html(block, work), "files": neutral_files_json(block, lease_files)}


def review_json(the_rubric, review, reviewer=False):
    rows = []
    for criterion in the_rubric.criteria:
        option = criterion.option(review.scores.get(criterion.id)) if criterion.options else None
        rows.append({"criterion": criterion.id, "name": criterion.name, "option": option.id if option else None,
                     "label": option.label if option else None,
                     "points": review.criterion_points.get(criterion.id) if criterion.options else None,
                     "comment": review.comments.get(criterion.id, "")})
    found = {"id": str(review.public_id), "kind": review.kind, "feedback": review.feedback, "flagged": review.flagged,
             "scores": rows}
    if reviewer:
        found["reviewer"] = review.reviewer_id
    return found


def grade_json(block, grade):
    if grade is None:
        return None
    return {"final": grade.final, "points": grade.points, "max": grade.max, "method": grade.method,
            "per_criterion": [{"criterion": c.id, "name": c.name, "points": p, "max": m}
                              for c, p, m in grade.per_criterion],
            "explanation": grade.explanation.translated(block.gettext)}


def state_json(block, caller, found):
    """STATE of the caller, from review_service.learner_state."""
    submission, progress, grade, held, moment = found.submission, found.progress, found.grade, found.held, found.moment
    settings = service.settings_of(block, caller.user_id, submission)  # the caller's own step dates
    step = workflow.current_step(settings, progress, moment, grade_final=bool(grade and grade.final))
    peer_shown = not workflow.peer_open(settings, progress, moment)
    final = bool(grade and grade.final)
    shown = [r for r in found.reviews if (r.kind != PEER or peer_shown) and (r.kind != STAFF or final)]
    lease = held if held is not None and step == "peer" and held.expires_at and held.expires_at > moment else None
    return {
        "step": step,
        "submission": dict(submission_json(block, submission), files=own_files_json(block, found.files)),
        "steps": [dict(s, due=iso(s["due"])) for s in workflow.steps(settings, progress, moment, step)],
        "training": {"done": progress.training_passed, "total": settings.training_total}
        if settings.training and settings.training_total else None,
        "peer": {"given": progress.given, "to_give": settings.reviews_to_give,
                 "lease": lease_json(block, lease, found.lease_files)}
        if settings.peer else None,
        "self": {"done": progress.self_done} if settings.self_review else None,
        "received": {"count": progress.received, "needed": settings.reviews_needed,
                     "waiting_since": iso(workflow.waiting_since(settings, progress)),
                     "to_staff": bool(submission) and workflow.goes_to_staff(settings, progress, moment)},
        "reviews": [review_json(service.rubric_of(block, r), r) for r in shown],
        "grade": grade_json(block, grade),
        "drafts": {kind: {"scores": d.scores, "comments": d.comments, "feedback": d.feedback}
                   for kind, d in found.drafts.items()},
    }


def config_json(block):
    return {"submission_type": block.submission_type,
            "artefact_kind": block.artefact_kind if block.submission_type == "artefact" else None,
            "min_words": block.min_words, "max_words": block.max_words,
            "max_chars": get_setting("PEER_SUBMISSION_MAX_CHARS"), "comment_max": get_setting("PEER_COMMENT_MAX_CHARS"),
            "training": block.training_enabled, "peer": block.peer_enabled, "self": block.self_enabled,
            "staff": block.staff_enabled, "lease_minutes": get_setting("PEER_LEASE_MINUTES"),
            "files": files_config(block), "text_optional": files.text_optional(block.files_mode, block.min_words)}


def files_config(block):
    """What the upload form needs, None with files off: the accepted extensions, the limits, and
    the script that draws it (loaded on demand: most blocks take no files)."""
    if block.files_mode not in FILES_ON:
        return None
    limits = file_limits(block)
    return {"required": block.files_mode == "required", "max_files": limits.max_files,
            "max_bytes": limits.max_bytes, "max_mb": files.format_mb(limits.max_bytes),
            "accept": ["." + ext for ext in files.extensions_of(limits.kinds)],
            "script": block.static_url(FILES_JS),
            "strings": {key: block.gettext(text) for key, text in FILE_STRINGS.items()}}


# Views ---------------------------------------------------------------------------------------

def student_fragment(block, caller):
    if not caller.is_authenticated:
        html = block.render_template("peer_review/signed_out.html", {"block": block})
        return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)
    prompt_html = clean_html(block.prompt)
    state = block.learner_state(caller)
    own = state["submission"]
    html = block.render_template("peer_review/student.html", {
        "block": block, "prompt_html": prompt_html, "is_staff": caller.is_staff,
        "removed": own["status"] == "removed", "removed_reason": own["removed_reason"],
        "my_data_url": block.runtime.handler_url(block, "download_my_data")})
    args = {"state": state, "strings": browser_strings(block, staff=caller.is_staff),
            "extras_url": block.static_url(EXTRAS_JS),
            "rubric": block.rubric_for_learners.as_json(), "config": config_json(block), "is_staff": caller.is_staff,
            "storage_key": f"bizmooc-peer:{block.usage_key_str}:{caller.user_id}"}
    fragment = block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)
    if caller.is_staff:  # the dashboard's script: staff only, so learners do not download it
        fragment.add_javascript_url(block.static_url(STAFF_JS))
    return fragment


def author_fragment(block):
    the_rubric = block.rubric_for_learners
    summary = [
        (block.gettext(_("What learners submit")), block.gettext({"text": _("Text"), "link": _("A link"),
                                                                  "artefact": _("Work from another component")}
                                                                 [block.submission_type])),
        (block.gettext(_("Reviews each learner gives")), block.reviews_to_give if block.peer_enabled else 0),
        (block.gettext(_("Reviews each submission needs")), block.reviews_needed if block.peer_enabled else 0),
        (block.gettext(_("Maximum points")), the_rubric.max_points),
    ]
    html = block.render_template("peer_review/author.html", {
        "block": block, "prompt_html": clean_html(block.prompt), "rubric": the_rubric, "summary": summary})
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


def templates_json(block):
    result = []
    for template_id in rubric.TEMPLATES:
        name, built = rubric.template(template_id)
        result.append({"id": template_id, "name": block.gettext(name),
                       "rubric": rubric.localized(built, block.gettext).as_json()})
    return result


STUDIO_STRINGS = {
    "settings_saved": _("Settings saved."),
    "error_title": _("Something went wrong. Please try again."),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your changes are still on this page; please try again when connected."),
    "criterion": _("Criterion {n}"),
    "option": _("Option {n} of criterion {c}"),
    "example": _("Example {n}"),
    "expected": _("The course team's score for {criterion}"),
    "choose": _("Choose…"),
    "added": _("Added: {what}."),
    "removed": _("Removed: {what}."),
    "moved": _("Moved: now {what}."),
    "loaded": _("Rubric loaded: {name}."),
    "imported": _("Rubric imported."),
    "bad_json": _("This is not a rubric in JSON: {message}"),
    "required": _("{field}: this field is required."),
    "invalid": _("{field}: {message}"),
    "need_options": _("{field}: give this criterion at least two options, or make it comments only."),
    "comments_needed": _("{field}: a comments-only criterion needs comments (optional or required)."),
    "need_criterion": _("Add at least one criterion."),
    "words_order": _("The fewest words must not be more than the most words."),
    "need_examples": _("Add at least one training example, or switch training off."),
    "pick_expected": _("{field}: choose the course team's score."),
    "max_points": _("Highest possible score: {points} points."),
}


def studio_fragment(block):
    """The settings form (common/settings_form.py); the rubric and training examples are
    peer review's own parts of it (rubric_editor.html, examples_editor.html, the studio JS)."""
    html = settings_form.render(block, _("Peer review settings"), "bizmooc-peer-review pr-studio")
    args = {"values": {"rubric": block.rubric, "training_examples": block.training_examples},
            "templates": templates_json(block),
            "strings": {key: block.gettext(text) for key, text in STUDIO_STRINGS.items()}}
    return block.fragment_for(html, "BizMOOCPeerReviewStudio", args, "static/js/peer_review_studio.js",
                              "static/css/peer_review_studio.css")


def mobile_data(block):
    return {"display_name": block.display_name, "prompt": clean_html(block.prompt),
            "rubric": block.rubric_for_learners.as_json(), "config": config_json(block),
            "graded": block.graded, "max_score": block.max_score()}


# Staff ---------------------------------------------------------------------------------------

def _hours(since, moment):
    return round((moment - since).total_seconds() / 3600, 1) if since else None


def dashboard(block, page, which, moment):
    """The summary, and one page of the block's submissions, by username where the platform
    knows it (4 queries in the LMS)."""
    settings = service.settings_of(block)
    the_rubric = block.rubric_for_learners
    counts = review_store.dashboard(block.usage_key_str, settings.reviews_needed, the_rubric.max_points, GRADE_BANDS)
    size = get_setting("STAFF_PAGE_SIZE")
    rows = review_store.filtered(block.usage_key_str, which, settings.reviews_needed, settings.wait_action,
                                 settings.wait_days, moment, staff_step=settings.staff)
    total = rows.count()
    found = review_store.page(rows, (page - 1) * size, size)
    summary = {
        "submissions": counts["submissions"], "waiting": counts["waiting"],
        "longest_wait_hours": _hours(counts["oldest_wait"], moment) or 0,
        "reviews_outstanding": counts["reviews_outstanding"] or 0, "flagged": counts["flagged"],
        "grades": [{"label": f"{round(low * 100)}–{round(high * 100)}%", "count": counts[f"band{n}"]}
                   for n, (low, high) in enumerate(GRADE_BANDS)],
    }
    result = []
    found = list(found)
    names = seams.usernames_of([s.user_id for s in found])  # course staff may know who; else the anonymous id
    for submission in found:
        progress = service.progress_of(submission)
        since = workflow.waiting_since(settings, progress)
        result.append({"id": str(submission.public_id), "learner": names.get(submission.user_id, submission.user_id),
                       "submitted_at": iso(submission.submitted_at), "received": submission.received,
                       "given": submission.given, "waiting_hours": _hours(since, moment) if since else None,
                       "grade": submission.grade_points if submission.grade_final else None,
                       "status": submission.status,
                       "to_staff": submission.status == "submitted" and (
                           (settings.staff and not submission.grade_final)
                           or workflow.goes_to_staff(settings, progress, moment)),
                       "flagged": submission.flagged})
    return {"summary": summary, "rows": result, "page": page, "pages": max(1, math.ceil(total / size)),
            "total": total}


def staff_submission(block, submission, reviews, grade, work_files=()):
    """One submission as staff see it: its author and reviewers by username where the platform
    knows them (1 query in the LMS), its files by their own names."""
    names = seams.usernames_of([submission.user_id] + [r.reviewer_id for r in reviews])
    found = {"submission": dict(submission_json(block, submission), files=own_files_json(block, work_files)),
             "learner": names.get(submission.user_id, submission.user_id),
             "reviews": [review_json(service.rubric_of(block, r), r, reviewer=True) for r in reviews],
             "grade": grade_json(block, grade)}
    for review in found["reviews"]:
        review["reviewer"] = names.get(review["reviewer"], review["reviewer"])
    return found


def regrade_message(block, counts):
    """What a regrade did, in the reader's language."""
    return block.gettext(_("Learners regraded with the current rubric: {regraded}. Grades that changed: {changed}. "
                           "Learners who keep their grade because their reviews use criteria or options the rubric "
                           "no longer has: {not_regraded}.")).format(**counts)


def _work(submission):
    """The work as submitted, as plain text (an artefact's summary frozen at submit time)."""
    if submission.artefact_id:
        return submission.artefact_text or submission.artefact_id
    return submission.link or submission.text


def _option_labels(criteria):
    """{criterion id: {option id: label}}: how a review's choices read in an export."""
    return {c.id: {o.id: o.label for o in c.options} for c in criteria}


def export_rows(block, what):
    the_rubric = block.rubric_for_learners
    usage_id = block.usage_key_str
    if what == "submissions":
        header = ["learner", "submission", "status", "submitted_at", "kind", "work", "received", "given",
                  "to_staff", "flagged", "removed_reason", "files"]
        work_files = file_store.files_by_author(usage_id)
        rows = ([s.user_id, s.public_id, s.status, iso(s.submitted_at), s.artefact_kind or block.submission_type,
                 _work(s), s.received, s.given, s.to_staff, s.flagged, s.removed_reason,
                 "; ".join(f"{f.name} ({f.size} bytes)" for f in work_files.get(s.user_id, []))]
                for s in review_store.block_submissions(usage_id))
    elif what == "reviews":
        # Criteria and options as the course team named them (in the reader's language for a
        # built-in rubric), not their ids.
        # Each review's options by the labels of the rubric it was made with; the columns are the
        # current rubric's criteria, then those of earlier rubrics it no longer has.
        criteria = list(the_rubric.criteria)
        labels = {None: _option_labels(criteria)}
        for digest, data in sorted(review_store.rubric_versions(usage_id).items()):
            try:
                made_with = rubric.localized(rubric.from_stored(digest, data), block.gettext)
            except ApiError:
                continue
            labels[digest] = _option_labels(made_with.criteria)
            criteria += [c for c in made_with.criteria if c.id not in {known.id for known in criteria}]
        header = ["submission", "author", "reviewer", "kind", "points"] + \
            [c.name for c in criteria] + [f"{c.name} (comment)" for c in criteria] + \
            ["feedback", "flagged", "flag_reason", "created"]
        rows = ([r.submission.public_id, r.submission.user_id, r.reviewer_id, r.kind, r.points]
                + [labels.get(r.rubric_id, labels[None]).get(c.id, {}).get(r.scores.get(c.id), r.scores.get(c.id, ""))
                   for c in criteria]
                + [r.comments.get(c.id, "") for c in criteria]
                + [r.feedback, r.flagged, r.flag_reason, iso(r.created)]
                for r in review_store.block_reviews(usage_id))
    else:
        header = ["learner", "submission", "points", "max", "method", "final", "override_reason"]
        rows = ([s.user_id, s.public_id, s.grade_points, the_rubric.max_points, s.grade_method, s.grade_final,
                 s.override_reason] for s in review_store.block_submissions(usage_id))
    return header, rows


def report_rows(block, user_state_iterator, limit_responses=None):
    """Rows for the Problem Responses report: one per learner who saved or submitted."""
    def rows_for(owner_ids):
        found = review_store.submissions_for_learners(block.usage_key_str, owner_ids)
        return {owner: [{"status": s.status, "submission": _work(s), "received": s.received, "given": s.given,
                         "grade": s.grade_points if s.grade_final else None, "method": s.grade_method}]
                for owner, s in found.items()}

    return reports.report_rows(user_state_iterator, rows_for, limit_responses)
