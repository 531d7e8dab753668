"""The reflection journal XBlock: its settings (`journal_settings`), views (`journal_views`)
and handlers, each wired to the action of `journal_service`. No logic of its own lives here."""
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.exports import csv_response, download, html_page, json_download
from xblocks.common.handlers import LEARNER, STAFF, api_handler
from xblocks.common.shapes import Bool, Choice, Int, IntText, Str

from . import journal, journal_store, privacy
from . import journal_service as service
from . import journal_views as views
from .journal_settings import SETTINGS
from .scenarios import JOURNAL_SCENARIOS


def _max_chars():
    return get_setting("JOURNAL_MAX_CHARS")


ENTRY_SHAPE = {
    "prompt": Int(min_value=0, max_value=lambda: get_setting("JOURNAL_MAX_PROMPTS") - 1),
    "text": Str(max_length=_max_chars),
    "version": Int(min_value=0),
}

FEEDBACK_SHAPE = {
    "entry": Str(max_length=36),  # the entry's public id
    "text": Str(max_length=_max_chars),  # empty: delete the comment
}


class ReflectionJournalBlock(BizMOOCBlock):
    """A reflective journal entry; blocks sharing a journal name form one journal."""

    view_module = views
    event_prefix = "reflection_journal"
    allowed_events = frozenset({"submitted", "revised", "downloaded", "journal_viewed",
                                "feedback_given", "feedback_edited", "feedback_deleted"})
    completion_mode = "completable"
    has_custom_completion = True
    settings_schema = SETTINGS

    # Learner handlers: each action is journal_service's, presented by journal_views ---------

    @api_handler(method="POST", shape=ENTRY_SHAPE, role=LEARNER)
    def save_draft(self, data, caller):
        entry = service.save_draft(self, caller, data["prompt"], data["text"], data["version"])
        return {"version": entry.version, "saved_at": entry.modified.isoformat()}

    @api_handler(method="POST", shape=ENTRY_SHAPE, role=LEARNER)
    def submit_entry(self, data, caller):
        entry, completed = service.submit_entry(self, caller, data["prompt"], data["text"], data["version"])
        return {"entry": views.entry_state(entry), "completed": completed}

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=LEARNER)
    def my_journal(self, data, caller):
        page = service.journal_page(self, caller, data["page"])
        return {"entries": [views.journal_item(self, entry) for entry in page.items],
                "page": page.number, "has_next": page.has_next}

    @api_handler(method="GET", shape={"format": Choice(("markdown", "html"))}, role=LEARNER)
    def download_journal(self, data, caller):
        entries = service.whole_journal(self, caller, data["format"])
        if data["format"] == "markdown":
            text = journal.journal_markdown(self.journal_name, entries, self.gettext, views.comment_texts)
            return download(text, "journal.md", "text/markdown")
        return html_page(views.printable_journal(self, entries))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        """Everything the journal stores about the caller in this course, as a JSON file."""
        return json_download("journal-my-data.json", privacy.journal_data(self.course_key_str, caller.user_id))

    @api_handler(method="POST", shape={"enabled": Bool()}, role=LEARNER)
    def reply_notifications(self, data, caller):
        """Whether the learner is told when the course team comments on one of their entries."""
        return {"enabled": service.set_reply_notifications(self, caller, data["enabled"])}

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        return {"entries": [views.own_entry_state(entry) if entry else None
                            for entry in service.entries_by_prompt(self, caller)]}

    # Staff handlers --------------------------------------------------------------

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=STAFF)
    def staff_summary(self, data, caller):
        figures, page = service.staff_page(self, data["page"])
        result = {"figures": figures, "staff_can_read": self.staff_can_read, "page": data["page"]}
        if page is not None:
            result["entries"] = views.staff_items(self, caller, page.items)
            result["has_next"] = page.has_next
        return result

    @api_handler(method="POST", shape=FEEDBACK_SHAPE, role=STAFF)
    def staff_feedback(self, data, caller):
        """Add, change or (empty text) delete the caller's comment on a submitted entry."""
        feedback = service.save_feedback(self, caller, data["entry"], data["text"])
        return {"feedback": views.feedback_item(feedback, caller) if feedback else None}

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, journal_store.block_entries_for_export(self.usage_key_str),
                                         journal_store.block_feedback_for_export(self.usage_key_str))
        return csv_response("journal-entries.csv", header, rows)

    @staticmethod
    def workbench_scenarios():
        return JOURNAL_SCENARIOS
