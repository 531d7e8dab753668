"""The reflection journal XBlock: fields, views and handlers, wired to `journal`
(the rules) and `journal_store` (the queries). No logic of its own lives here."""
from django.utils.translation import get_language
from xblock.fields import Boolean, Integer, Scope, String
from xblock.validation import ValidationMessage

from xblocks.common import events
from xblocks.common.block import BizMOOCBlock
from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request
from xblocks.common.exports import csv_response, download, html_page, json_download
from xblocks.common.fields import JSONList
from xblocks.common.handlers import AUTHOR, LEARNER, STAFF, api_handler
from xblocks.common.locations import course_position
from xblocks.common.shapes import Bool, Choice, Int, IntText, ListOf, Number, Str
from xblocks.common.text import clean_html, word_count

from . import journal, journal_store, privacy
from . import journal_views as views
from .scenarios import JOURNAL_SCENARIOS


def _max_chars():
    return get_setting("JOURNAL_MAX_CHARS")


ENTRY_SHAPE = {
    "prompt": Int(min_value=0, max_value=lambda: get_setting("JOURNAL_MAX_PROMPTS") - 1),
    "text": Str(max_length=_max_chars),
    "version": Int(min_value=0),
}

SETTINGS_SHAPE = {
    "display_name": Str(max_length=255),
    "journal_name": Str(max_length=100),
    "prompts": ListOf(Str(max_length=20_000), max_items=lambda: get_setting("JOURNAL_MAX_PROMPTS")),
    "guidance": Str(max_length=20_000),
    "example_entry": Str(max_length=20_000),
    "min_words": Int(min_value=0, max_value=1_000_000),
    "max_words": Int(min_value=0, max_value=1_000_000),
    "allow_revisions": Bool(),
    "staff_can_read": Bool(),
    "graded": Bool(),
    "weight": Number(min_value=0, max_value=1000),
}


class ReflectionJournalBlock(BizMOOCBlock):
    """A reflective journal entry; blocks sharing a journal name form one journal."""

    view_module = views
    event_prefix = "reflection_journal"
    allowed_events = frozenset({"submitted", "revised", "downloaded", "journal_viewed"})
    completion_mode = "completable"
    has_custom_completion = True
    editable_fields = tuple(SETTINGS_SHAPE)

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Reflection journal")
    journal_name = String(
        display_name=_("Journal name"), scope=Scope.settings, default="My learning journal",
        help=_("Blocks with the same journal name in a course form one journal."),
    )
    prompts = JSONList(
        display_name=_("Prompts"), scope=Scope.settings,
        default=["<p>What did you learn this week, and how did you learn it?</p>"],
        help=_("One or more questions (HTML). Learners write one entry per prompt."),
    )
    guidance = String(display_name=_("Guidance"), scope=Scope.settings, default="",
                      help=_("Advice shown above the prompts (HTML)."))
    example_entry = String(display_name=_("Example entry"), scope=Scope.settings, default="",
                           help=_("An optional example learners can open (HTML)."))
    min_words = Integer(display_name=_("Minimum words"), scope=Scope.settings, default=0)
    max_words = Integer(display_name=_("Maximum words"), scope=Scope.settings, default=0,
                        help=_("0 means no maximum."))
    allow_revisions = Boolean(display_name=_("Allow revising a submitted entry"), scope=Scope.settings, default=True)
    staff_can_read = Boolean(display_name=_("Course staff may read entries"), scope=Scope.settings, default=True,
                             help=_("Learners are told before they write."))

    # Lets generate_report_data find this learner's rows (it only sees user state).
    journal_owner = String(scope=Scope.user_state, default="")

    # Rules, as the domain module wants them ------------------------------------------

    @property
    def config(self):
        return journal.JournalConfig(
            prompts=tuple(self.prompts), min_words=self.min_words, max_words=self.max_words,
            allow_revisions=self.allow_revisions, staff_can_read=self.staff_can_read,
        )

    @property
    def journal_key(self):
        """The journal name as stored: an over-long name imported from OLX (validate() warns)
        must not make every save fail on MySQL."""
        return self.journal_name[:100]

    def place_for(self, caller, with_position=True):
        """Where the caller's entries belong. The place in the course (a walk up the parents)
        is only worked out when the store writes it: on creating and on submitting."""
        if not with_position:
            return journal_store.Place(course_id=self.course_key_str, journal_name=self.journal_key,
                                       usage_id=self.usage_key_str, user_id=caller.user_id)
        parent = self.get_parent() if self.parent else None
        # Not every container has a display name (the workbench's vertical_demo has none).
        parent_title = getattr(parent, "display_name", None) if parent is not None else None
        return journal_store.Place(
            course_id=self.course_key_str, journal_name=self.journal_key, usage_id=self.usage_key_str,
            user_id=caller.user_id, position=course_position(self),
            unit_title=parent_title or self.display_name,
        )

    def _prompt_text(self, index):
        if index >= len(self.prompts):
            raise bad_request("unknown_prompt", _("This journal has no such prompt."), field="prompt")
        return journal.plain_text(self.prompts[index])

    # Learner handlers ------------------------------------------------------------

    @api_handler(method="POST", shape=ENTRY_SHAPE, role=LEARNER)
    def save_draft(self, data, caller):
        prompt_text = self._prompt_text(data["prompt"])
        journal.check_draft(data["text"])
        place = self.place_for(caller, with_position=data["version"] == 0)  # only a new entry needs it
        entry = journal_store.save_draft(place, data["prompt"], prompt_text, data["text"], data["version"],
                                         self.allow_revisions)
        return {"version": entry.version, "saved_at": entry.modified.isoformat()}

    @api_handler(method="POST", shape=ENTRY_SHAPE, role=LEARNER)
    def submit_entry(self, data, caller):
        prompt_text = self._prompt_text(data["prompt"])
        journal.check_submission(self.config, data["text"])
        entry, first = journal_store.submit(self.place_for(caller), data["prompt"], prompt_text,
                                            data["text"], data["version"], self.allow_revisions)
        if self.journal_owner != caller.user_id:  # user state is written only when it changes
            self.journal_owner = caller.user_id
        events.publish_event(self, "submitted" if first else "revised", {
            "prompt": data["prompt"], "revision": entry.revision_count, "words": word_count(data["text"]),
        })
        done = journal_store.submitted_prompt_count(self.usage_key_str, caller.user_id, len(self.prompts))
        completed_now = first and done == len(self.prompts)
        if completed_now:
            self.publish_completed()
        return {"entry": views.entry_state(entry), "completed": done == len(self.prompts)}

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=LEARNER)
    def my_journal(self, data, caller):
        size = get_setting("STAFF_PAGE_SIZE")
        entries = journal_store.journal_for_learner(
            self.course_key_str, self.journal_key, caller.user_id, offset=(data["page"] - 1) * size, limit=size + 1
        )
        events.publish_event(self, "journal_viewed", {"page": data["page"]})
        return {
            "entries": [views.journal_item(self, entry) for entry in entries[:size]],
            "page": data["page"], "has_next": len(entries) > size,
        }

    @api_handler(method="GET", shape={"format": Choice(("markdown", "html"))}, role=LEARNER)
    def download_journal(self, data, caller):
        entries = journal_store.journal_for_learner(self.course_key_str, self.journal_key, caller.user_id)
        events.publish_event(self, "downloaded", {"format": data["format"], "entries": len(entries)})
        if data["format"] == "markdown":
            text = journal.journal_markdown(self.journal_name, entries, self.gettext)
            return download(text, "journal.md", "text/markdown")
        return html_page(self.render_template("reflection_journal/printable.html", {
            "journal_name": self.journal_name, "entries": entries, "lang": get_language() or "en",
            "css_url": self.static_url(views.OWN_CSS),
        }))

    @api_handler(method="GET", role=LEARNER)
    def download_my_data(self, data, caller):
        """Everything the journal stores about the caller in this course, as a JSON file."""
        return json_download("journal-my-data.json", privacy.journal_data(self.course_key_str, caller.user_id))

    @api_handler(method="GET", role=LEARNER)
    def student_view_user_state(self, data, caller):
        entries = journal_store.entries_for_block(self.usage_key_str, caller.user_id)
        return {"entries": [views.entry_state(entries[i]) if i in entries else None for i in range(len(self.prompts))]}

    # Staff handlers --------------------------------------------------------------

    @api_handler(method="GET", shape={"page": IntText(min_value=1, required=False, default=1)}, role=STAFF)
    def staff_summary(self, data, caller):
        size = get_setting("STAFF_PAGE_SIZE")
        figures = journal_store.block_figures(self.usage_key_str)
        result = {"figures": figures, "staff_can_read": self.staff_can_read, "page": data["page"]}
        if self.staff_can_read:
            rows = journal_store.block_entries_page(self.usage_key_str, (data["page"] - 1) * size, size + 1)
            result["entries"] = [views.staff_item(self, entry) for entry in rows[:size]]
            result["has_next"] = len(rows) > size
        return result

    @api_handler(method="GET", role=STAFF)
    def export_csv(self, data, caller):
        header, rows = views.export_rows(self, journal_store.block_entries_for_export(self.usage_key_str))
        return csv_response("journal-entries.csv", header, rows)

    # Studio ----------------------------------------------------------------------

    @api_handler(method="POST", shape=SETTINGS_SHAPE, role=AUTHOR)
    def studio_submit(self, data, caller):
        problems = journal.config_problems(data["journal_name"], data["prompts"], data["min_words"],
                                           data["max_words"], data["weight"])
        if problems:
            field, message, params = problems[0]
            raise bad_request("invalid_settings", message, field=field, **params)
        data["prompts"] = journal.cleaned_prompts(data["prompts"])
        data["guidance"] = clean_html(data["guidance"])
        data["example_entry"] = clean_html(data["example_entry"])
        for name, value in data.items():
            setattr(self, name, value)
        return {"saved": True}

    def validate(self):
        validation = super().validate()
        for _field, message, params in journal.config_problems(
                self.journal_name, self.prompts, self.min_words, self.max_words, self.weight):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(message).format(**params)))
        return validation

    @staticmethod
    def workbench_scenarios():
        return JOURNAL_SCENARIOS
