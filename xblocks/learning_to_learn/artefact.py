"""A journal entry as an artefact other components embed by reference (peer review): the
prompt and the learner's answer, read-only, found by the entry's public id, never showing
who wrote it.

The answer shown is the one last submitted, or the draft of an entry never submitted. What
a learner picks from is labelled from columns stored with the entry (unit title, prompt
text, dates), so no journal block has to be loaded.
"""

from xblocks.common.errors import _
from xblocks.common.public_ids import parse_public_id
from xblocks.common.rendering import render_package_template

from . import journal_store

# What a learner picks from: their newest entries in the course.
MAX_CHOICES = 50
# Characters of the prompt shown in a choice's label.
LABEL_PROMPT_CHARS = 80



def answer_of(entry):
    """The submitted answer, or the draft of an entry never submitted."""
    return entry.submitted_text if entry.submitted_at else entry.draft


def _excerpt(text, limit=LABEL_PROMPT_CHARS):
    """The text on one line, cut after a whole word when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def choice_label(entry, gettext):
    """"<unit>: <prompt> — submitted <date>" (or "— draft, <date>"), from the entry alone."""
    prompt = _excerpt(entry.prompt_text)
    if entry.unit_title and prompt:
        what = gettext(_("{unit}: {prompt}")).format(unit=entry.unit_title, prompt=prompt)
    else:
        what = entry.unit_title or prompt or gettext(_("Journal entry"))
    if entry.submitted_at:
        return gettext(_("{entry} — submitted {date}")).format(entry=what,
                                                                date=entry.submitted_at.date().isoformat())
    return gettext(_("{entry} — draft, {date}")).format(entry=what, date=entry.modified.date().isoformat())


class JournalArtefacts:
    """Provider registered with xblocks.common.artefacts under the kind "journal"."""

    label = _("Journal entry")  # how a course team choosing the kind of work reads it

    def _load(self, artefact_id):
        public_id = parse_public_id(artefact_id)
        return journal_store.entry_by_public_id(public_id) if public_id else None

    def snapshot(self, artefact_id):
        """The entry's texts as they are now: the unit title and prompt (the course team's, kept
        as written) and the learner's answer."""
        entry = self._load(artefact_id)
        if entry is None:
            return None
        return {"unit_title": entry.unit_title, "prompt": entry.prompt_text, "answer": answer_of(entry).strip()}

    def render_snapshot(self, snapshot, gettext):
        if not snapshot:
            return None
        return render_package_template(__package__, "reflection_journal/artefact.html", {
            "unit_title": snapshot.get("unit_title", ""),
            "prompt": snapshot.get("prompt", ""),
            "answer": snapshot.get("answer", ""),
            "strings": {
                "prompt": gettext(_("Prompt")),
                "answer": gettext(_("Answer")),
                "empty": gettext(_("(no answer yet)")),
            },
        })

    def render(self, artefact_id, gettext):
        return self.render_snapshot(self.snapshot(artefact_id), gettext)

    def summary(self, artefact_id):
        entry = self._load(artefact_id)
        if entry is None:
            return None
        return "\n\n".join(part for part in (entry.prompt_text.strip(), answer_of(entry).strip()) if part)

    def choices(self, course_id, user_id, gettext):
        if not course_id or not user_id:
            return []
        return [{"id": str(entry.public_id), "label": choice_label(entry, gettext)}
                for entry in journal_store.learner_entries_with_text(course_id, user_id, MAX_CHOICES)]

    def owner(self, artefact_id):
        public_id = parse_public_id(artefact_id)
        found = journal_store.owner_of(public_id) if public_id else None
        return tuple(found) if found else None
