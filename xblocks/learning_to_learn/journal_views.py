"""What the reflection journal shows: fragments for each view, the JSON the browser and
the mobile apps get, and the rows of staff exports and reports. Called by the block,
one function per view; the queries come from `journal_store`."""
from django.utils.translation import get_language

from xblocks.common import reports, seams, settings_form
from xblocks.common.errors import _
from xblocks.common.locations import unit_url
from xblocks.common.text import clean_html, word_count

from . import journal, journal_store
from . import journal_service as service

JS_CLASS = "BizMOOCReflectionJournal"
OWN_JS = "static/js/reflection_journal.js"
OWN_CSS = "static/css/reflection_journal.css"
STAFF_JS = "static/js/reflection_journal_staff.js"  # loaded when staff open their panel

# Strings the browser needs, translated on the server with the block's catalogue.
BROWSER_STRINGS = {
    "words": _("Words: {count}"),
    "saving": _("Saving…"),
    "saved": _("Draft saved"),
    "unsaved": _("Unsaved changes"),
    "offline": _("Not saved yet: no connection. Your text is kept on this device "
                 "and will be sent when you are back online."),
    "submitted": _("Entry submitted."),
    "revised": _("Revision {number} submitted."),
    "restored": _("Restored text you had not saved yet."),
    "conflict": _("This entry was changed in another tab or on another device."),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Please try again when you are connected."),
    "too_few": _("Too few words to submit: {count} (minimum: {min})."),
    "too_many": _("Too many words to submit: {count} (maximum: {max})."),
    "no_entries": _("Your journal has no entries yet."),
    "go_to_unit": _("Go to the unit"),
    "draft": _("Draft, not submitted"),
    "submitted_on": _("Submitted {date}"),
    "loading": _("Loading…"),
    "wrote": _("Learners who wrote"),
    "submitted_count": _("Learners who submitted"),
    "entries": _("Submitted entries"),
    "staff_private": _("Entries in this journal are private: you see only the figures."),
    "learner": _("Learner"),
    "prompt": _("Prompt"),
    "answer": _("Answer"),
    "date": _("Submitted"),
    "settings_saved": _("Settings saved."),
    "error_title": _("The settings were not saved"),
    "submit_revision": _("Submit revision"),
    "more": _("Show more"),
    "this_block": _("From this page"),
    "with_feedback": _("Entries with feedback"),
    "feedback": _("Feedback"),
    "feedback_heading": _("Feedback from the course team"),
    "course_team": _("Course team"),
    "your_comment": _("Your comment"),
    "add_feedback": _("Comment on this entry"),
    "edit_feedback": _("Edit your comment"),
    "feedback_label": _("Your comment to the learner (only they can read it)"),
    "save_feedback": _("Save comment"),
    "delete_feedback": _("Delete comment"),
    "cancel": _("Cancel"),
    "feedback_saved": _("Comment saved. The learner can read it under their entry."),
    "feedback_deleted": _("Comment deleted."),
    "choice_saved": _("Your choice is saved."),
}


def _strings(block):
    return {key: block.gettext(text) for key, text in BROWSER_STRINGS.items()}


def entry_state(entry):
    """One entry as the browser and the mobile apps see it (the learner's own data only)."""
    return {
        "prompt": entry.prompt_index,
        "version": entry.version,
        "draft": entry.draft,
        "submitted_text": entry.submitted_text,
        "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
        "revision_count": entry.revision_count,
    }


def own_entry_state(entry):
    """An entry with the course staff's comments on it, for the mobile apps."""
    return {**entry_state(entry), "feedback": [_comment(feedback) for feedback in entry.feedback.all()]}


def _comment(feedback):
    """A staff comment as its learner sees it: never who wrote it beyond "the course team"."""
    return {"text": feedback.text, "created": feedback.created.isoformat(), "modified": feedback.modified.isoformat()}


def comment_texts(entry):
    return [feedback.text for feedback in entry.feedback.all()]


def journal_item(block, entry):
    return {
        "unit_title": entry.unit_title,
        "unit_url": unit_url(entry.course_id, entry.usage_id),
        "prompt": entry.prompt_text,
        "text": entry.submitted_text or entry.draft,
        "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
        "is_this_block": entry.usage_id == block.usage_key_str,
        "feedback": [_comment(feedback) for feedback in entry.feedback.all()],
    }


def feedback_item(feedback, caller, names=None):
    """A staff comment as staff see it: who wrote it (a username where the platform knows it)
    and whether it is the caller's own, which they may edit or delete."""
    author = feedback.author_id
    return {"text": feedback.text, "mine": bool(author) and author == caller.user_id,
            "author": (names or {}).get(author, author), "created": feedback.created.isoformat(),
            "modified": feedback.modified.isoformat()}


def staff_items(block, caller, entries):
    """A page of submitted entries for staff, shown only when the course team allowed staff to
    read: learners and comment authors by username where the platform knows them (1 query)."""
    names = seams.usernames_of([entry.user_id for entry in entries]
                               + [feedback.author_id for entry in entries for feedback in entry.feedback.all()])
    return [{
        "id": str(entry.public_id),
        "learner": names.get(entry.user_id, entry.user_id),
        "prompt": entry.prompt_text,
        "text": entry.submitted_text,
        "words": word_count(entry.submitted_text),
        "revisions": entry.revision_count,
        "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
        "feedback": [feedback_item(feedback, caller, names) for feedback in entry.feedback.all()],
    } for entry in entries]


def _prompt_views(block, entries):
    config = service.config_of(block)
    views = []
    for index, prompt_html in enumerate(journal.cleaned_prompts(block.prompts)):
        entry = entries.get(index)
        locked = bool(entry and entry.is_submitted and not config.allow_revisions)
        views.append({
            "index": index,
            "html": prompt_html,
            "entry": entry,
            "submitted": bool(entry and entry.is_submitted),
            "submitted_at": entry.submitted_at if entry else None,
            "revision_count": entry.revision_count if entry else 0,
            "text": entry.draft if entry else "",
            "revisions": entry.recent_revisions if entry else [],
            "older_revisions": max(entry.revision_count - len(entry.recent_revisions), 0) if entry else 0,
            "locked": locked,
            "words": word_count(entry.draft) if entry else 0,
            "feedback": list(entry.feedback.all()) if entry else [],
        })
    return views


def student_fragment(block, caller):
    if not caller.is_authenticated:
        html = block.render_template("reflection_journal/signed_out.html", {"block": block})
        return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)
    entries = journal_store.entries_for_block(block.usage_key_str, caller.user_id)
    config = service.config_of(block)
    prompts = _prompt_views(block, entries)
    html = block.render_template("reflection_journal/student.html", {
        "block": block,
        "prompts": prompts,
        "guidance": clean_html(block.guidance),
        "example": clean_html(block.example_entry),
        "min_words": config.min_words,
        "max_words": config.effective_max_words if config.max_words else 0,
        "is_staff": caller.is_staff,
        "markdown_url": block.runtime.handler_url(block, "download_journal", query="format=markdown"),
        "printable_url": block.runtime.handler_url(block, "download_journal", query="format=html"),
        "my_data_url": block.runtime.handler_url(block, "download_my_data"),
        "csv_url": block.runtime.handler_url(block, "export_csv") if caller.is_staff else "",
        # Staff comment only where they may read entries: only then is there a reply to be told of.
        "reply_notifications": service.reply_notifications(block, caller) if config.staff_can_read else None,
    })
    args = {
        # No learner text here: runtimes write these args into a <script> element unescaped
        # (the workbench does), so "</script>" in an entry would end it. The text reaches
        # the browser escaped, inside the textarea.
        "entries": {str(p["index"]): {key: value for key, value in entry_state(p["entry"]).items()
                                      if key not in ("draft", "submitted_text")}
                    for p in prompts if p["entry"]},
        "min_words": config.min_words,
        "max_words": config.effective_max_words,
        "storage_key": f"bizmooc-journal:{block.usage_key_str}:{caller.user_id}",
        "strings": _strings(block),
        "autosave_ms": 1500,
        "allow_revisions": config.allow_revisions,
    }
    if caller.is_staff:
        args["staff_js_url"] = block.static_url(STAFF_JS)
    return block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)


def author_fragment(block):
    html = block.render_template("reflection_journal/author.html", {
        "block": block,
        "prompts": journal.cleaned_prompts(block.prompts),
        "guidance": clean_html(block.guidance),
    })
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


def printable_journal(block, entries):
    """The learner's journal as a page to print or save as PDF."""
    return block.render_template("reflection_journal/printable.html", {
        "journal_name": block.journal_name, "entries": entries, "lang": get_language() or "en",
        "css_url": block.static_url(OWN_CSS),
    })


def studio_fragment(block):
    html = settings_form.render(block, _("Reflection journal settings"), "bizmooc-journal")
    return block.fragment_for(html, "BizMOOCReflectionJournalStudio", {"strings": _strings(block)},
                              "static/js/reflection_journal_studio.js", OWN_CSS)


def mobile_data(block):
    """Everything the mobile apps need to render the block natively (no learner data)."""
    config = service.config_of(block)
    return {
        "display_name": block.display_name,
        "journal_name": block.journal_name,
        "prompts": journal.cleaned_prompts(block.prompts),
        "guidance": clean_html(block.guidance),
        "example_entry": clean_html(block.example_entry),
        "min_words": config.min_words,
        "max_words": config.effective_max_words,
        "allow_revisions": config.allow_revisions,
        "staff_can_read": config.staff_can_read,
        "graded": block.graded,
    }


EXPORT_HEADER = ["learner", "prompt_index", "prompt", "status", "words", "revisions", "first_submitted_at",
                 "submitted_at", "answer", "feedback"]


def export_rows(block, entries, feedback=()):
    """CSV header and rows; answers and staff comments only when the course team let staff read
    them. `feedback` streams (entry id, text) in the entries' order: the comments of an entry
    are the ones read while their entry id is the entry's (one cell, blank-line separated)."""
    feedback = iter(feedback)

    def rows():
        pending = next(feedback, None)
        for entry in entries:
            comments = []
            while pending is not None and pending[0] == entry.pk:
                comments.append(pending[1])
                pending = next(feedback, None)
            # Learners are told staff may read what they submit: drafts never leave the journal.
            text = entry.submitted_text
            yield [
                entry.user_id, entry.prompt_index, entry.prompt_text,
                "submitted" if entry.is_submitted else "draft", word_count(text), entry.revision_count,
                entry.first_submitted_at.isoformat() if entry.first_submitted_at else "",
                entry.submitted_at.isoformat() if entry.submitted_at else "",
                text if block.staff_can_read else "",
                "\n\n".join(comments) if block.staff_can_read else "",
            ]
    return EXPORT_HEADER, rows()


def report_rows(block, user_state_iterator, limit_responses=None):
    """Rows for Open edX's Problem Responses report: one per entry of each learner."""
    def rows_for(owner_ids):
        return {owner: [{
            "Journal": block.journal_name,
            "Prompt": entry.prompt_text,
            "Answer": entry.submitted_text if block.staff_can_read else "",
            "Words": word_count(entry.submitted_text),
            "Submitted at": entry.submitted_at.isoformat() if entry.submitted_at else "",
            "Revisions": entry.revision_count,
        } for entry in entries] for owner, entries in journal_store.entries_for_learners(
            block.usage_key_str, owner_ids).items()}

    return reports.report_rows(user_state_iterator, rows_for, limit_responses, legacy_field="journal_owner")
