"""What each journal action does: the rules it applies (`journal`), what it reads and writes
(`journal_store`), and the events it publishes, in the handler's one transaction.

The block class only wires handlers to these functions and hands their results to
`journal_views` to be presented; nothing here renders.
"""
import uuid
from dataclasses import dataclass, replace

from xblocks.common import events
from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request, forbidden, not_found
from xblocks.common.locations import course_position
from xblocks.common.text import plain_text, word_count
from xblocks.notifications import api as notifications

from . import journal, journal_store

# The notification a learner gets when the course team comments on an entry (issue 15).
REPLY_KIND = "journal_reply"


@dataclass(frozen=True)
class Page:
    """One page of a list that grows, and whether another follows."""

    items: list
    number: int
    has_next: bool


def config_of(block):
    return journal.JournalConfig(
        prompts=tuple(block.prompts), min_words=block.min_words, max_words=block.max_words,
        allow_revisions=block.allow_revisions, staff_can_read=block.staff_can_read,
    )


def journal_key(block):
    """The journal name as stored: an over-long name imported from OLX (validate() warns)
    must not make every save fail on MySQL."""
    return block.journal_name[:100]


def place_for(block, caller, with_position=True):
    """Where the caller's entries belong. The place in the course (a walk up the parents)
    is only worked out when the store writes it: on creating and on submitting."""
    place = journal_store.Place(course_id=block.course_key_str, journal_name=journal_key(block),
                                usage_id=block.usage_key_str, user_id=caller.user_id)
    if not with_position:
        return place
    parent = block.get_parent() if block.parent else None
    # Not every container has a display name (the workbench's vertical_demo has none).
    parent_title = getattr(parent, "display_name", None) if parent is not None else None
    return replace(place, position=course_position(block), unit_title=parent_title or block.display_name)


def _prompt_text(block, index):
    if index >= len(block.prompts):
        raise bad_request("unknown_prompt", _("This journal has no such prompt."), field="prompt")
    return plain_text(block.prompts[index])


def _page(rows, number, size):
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)


def save_draft(block, caller, prompt, text, version):
    """Keep the learner's draft (the word limits wait for submission); the entry."""
    prompt_text = _prompt_text(block, prompt)
    journal.check_draft(text)
    place = place_for(block, caller, with_position=version == 0)  # only a new entry needs it
    return journal_store.save_draft(place, prompt, prompt_text, text, version, block.allow_revisions)


def submit_entry(block, caller, prompt, text, version):
    """Submit (or revise) an entry; completion and the grade once every prompt is answered.
    Returns (entry, whether every prompt is now submitted)."""
    prompt_text = _prompt_text(block, prompt)
    journal.check_submission(config_of(block), text)
    entry, first = journal_store.submit(place_for(block, caller), prompt, prompt_text, text, version,
                                        block.allow_revisions)
    block.remember_learner(caller)
    events.publish_event(block, "submitted" if first else "revised", {
        "prompt": prompt, "revision": entry.revision_count, "words": word_count(text),
    })
    done = journal_store.submitted_prompt_count(block.usage_key_str, caller.user_id, len(block.prompts))
    if first and done == len(block.prompts):
        block.publish_completed()
    return entry, done == len(block.prompts)


def journal_page(block, caller, number):
    """One page of the learner's whole journal (every block of the same name), in course order."""
    size = get_setting("STAFF_PAGE_SIZE")
    entries = journal_store.journal_for_learner(block.course_key_str, journal_key(block), caller.user_id,
                                                offset=(number - 1) * size, limit=size + 1)
    events.publish_event(block, "journal_viewed", {"page": number})
    return _page(entries, number, size)


def whole_journal(block, caller, file_format):
    """Every entry of the learner's journal, for a download."""
    entries = journal_store.journal_for_learner(block.course_key_str, journal_key(block), caller.user_id)
    events.publish_event(block, "downloaded", {"format": file_format, "entries": len(entries)})
    return entries


def entries_by_prompt(block, caller):
    entries = journal_store.entries_for_block(block.usage_key_str, caller.user_id)
    return [entries.get(index) for index in range(len(block.prompts))]


def staff_page(block, number):
    """The block's figures and, if the course team let staff read entries, a page of them."""
    size = get_setting("STAFF_PAGE_SIZE")
    figures = journal_store.block_figures(block.usage_key_str)
    if not block.staff_can_read:
        return figures, None
    rows = journal_store.block_entries_page(block.usage_key_str, (number - 1) * size, size + 1)
    return figures, _page(rows, number, size)


# Staff comments on entries, and the learner's choice to be told of them ----------------------

def _entry_for_feedback(block, entry_id):
    if not block.staff_can_read:
        raise forbidden(_("Entries in this journal are private: you see only the figures."), code="entries_private")
    try:
        public_id = uuid.UUID(entry_id)
    except ValueError:
        raise bad_request("unknown_entry", _("This entry no longer exists; reload the page."), field="entry") from None
    entry = journal_store.submitted_entry_of_block(block.usage_key_str, public_id)
    if entry is None:
        raise not_found(_("This entry no longer exists; reload the page."), code="unknown_entry")
    return entry


def save_feedback(block, caller, entry_id, text):
    """Add, change or (with empty text) delete the caller's comment on a submitted entry of
    this block; only while the course team lets staff read entries. The learner is notified
    of a new comment, not of each edit. Returns the comment, or None once deleted."""
    entry = _entry_for_feedback(block, entry_id)
    if not text.strip():
        journal_store.delete_feedback(entry, caller.user_id)
        events.publish_event(block, "feedback_deleted", {"entry": str(entry.public_id)})
        return None
    feedback, created = journal_store.save_feedback(entry, caller.user_id, text.strip())
    events.publish_event(block, "feedback_given" if created else "feedback_edited", {"entry": str(entry.public_id)})
    if created:
        notifications.journal_reply(block, entry.user_id, staff_id=caller.user_id)
    return feedback


def reply_notifications(block, caller):
    """Whether the learner is told when the course team comments on an entry (1 query)."""
    return notifications.block_preferences(block, caller.user_id, "journal")[REPLY_KIND]


def set_reply_notifications(block, caller, enabled):
    notifications.set_block_preference(block, caller.user_id, REPLY_KIND, enabled)
    return enabled
