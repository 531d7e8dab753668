"""The reflection journal's rules, free of XBlock and of the database.

A journal block asks one or more prompts; a learner answers each in an entry. This
module decides what a valid configuration is, what an acceptable answer is, and how a
journal is written out (Markdown); `journal_store` does the queries.
"""
from dataclasses import dataclass

from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request
from xblocks.common.text import clean_html, word_count


@dataclass(frozen=True)
class JournalConfig:
    """What the course team set, as far as the rules care."""

    prompts: tuple
    min_words: int = 0
    max_words: int = 0  # 0: no maximum beyond the operator's ceiling
    allow_revisions: bool = True
    staff_can_read: bool = True

    @property
    def effective_max_words(self):
        ceiling = get_setting("JOURNAL_MAX_WORDS_CEILING")
        return min(self.max_words, ceiling) if self.max_words else ceiling


def cleaned_prompts(prompts):
    return [clean_html(prompt) for prompt in prompts]


def check_draft(text):
    """A draft may break the word limits (the learner is still writing) but not the size cap."""
    if len(text) > get_setting("JOURNAL_MAX_CHARS"):
        raise bad_request("too_long", _("This entry is too long to save."), field="text")


def check_submission(config, text):
    """A submitted answer must meet the course team's word limits."""
    check_draft(text)
    words = word_count(text)
    if words == 0:
        raise bad_request("empty", _("Write your reflection before submitting."), field="text")
    if words < config.min_words:
        raise bad_request("too_few_words", _("Too few words to submit: {count} (minimum: {min})."),
                          field="text", min=config.min_words, count=words)
    if words > config.effective_max_words:
        raise bad_request("too_many_words", _("Too many words to submit: {count} (maximum: {max})."),
                          field="text", max=config.effective_max_words, count=words)


def journal_markdown(journal_name, entries, gettext, comments_of=lambda entry: ()):
    """The learner's whole journal as Markdown, entries in course order, each followed by the
    course staff's comments on it (`comments_of(entry)`: their texts).

    Learner text is written as typed: Markdown is plain text, and a reader that renders
    it is expected to escape HTML as any Markdown viewer of untrusted text must.
    """
    lines = [f"# {journal_name}", ""]
    for entry in entries:
        lines.append(f"## {entry.unit_title or gettext('Journal entry')}")
        lines.append("")
        if entry.prompt_text:
            lines.extend(["> " + line for line in entry.prompt_text.splitlines()] + [""])
        text = entry.submitted_text or entry.draft
        lines.append(text.strip() if text.strip() else gettext("(no answer yet)"))
        lines.append("")
        for comment in comments_of(entry):
            lines.extend([f"**{gettext('Feedback from the course team')}**", ""]
                         + ["> " + line for line in comment.splitlines()] + [""])
        status = (gettext("Submitted {date}").format(date=entry.submitted_at.date().isoformat())
                  if entry.submitted_at else gettext("Draft, not submitted"))
        lines.extend([f"*{status}*", ""])
    return "\n".join(lines)
