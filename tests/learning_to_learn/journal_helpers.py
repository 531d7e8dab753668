"""Small helpers shared by the reflection journal's block, OLX and query-count tests."""
import json
from xml.sax.saxutils import quoteattr

from tests.conftest import LEARNER_A
from xblocks.learning_to_learn.models import JournalEntry

JOURNAL = "bizmooc_reflection_journal"


def journal_xml(prompts=None, **attributes):
    """OLX for one journal block; `prompts` is a list of HTML strings."""
    attrs = {name: str(value).lower() if isinstance(value, bool) else str(value) for name, value in attributes.items()}
    if prompts is not None:
        attrs["prompts"] = json.dumps(prompts)
    return f"<{JOURNAL} " + " ".join(f"{name}={quoteattr(value)}" for name, value in attrs.items()) + "/>"


def words(count, word="reflect"):
    return " ".join([word] * count)


def save(wb, usage_id, text, version=0, prompt=0, user=LEARNER_A):
    return wb.call(usage_id, "save_draft", {"prompt": prompt, "text": text, "version": version}, user=user)


def submit(wb, usage_id, text, version=0, prompt=0, user=LEARNER_A):
    return wb.call(usage_id, "submit_entry", {"prompt": prompt, "text": text, "version": version}, user=user)


def get(wb, usage_id, handler, user=LEARNER_A, query=""):
    return wb.call(usage_id, handler, user=user, method="GET", query=query)


def row(usage_id, user=LEARNER_A, prompt=0):
    return JournalEntry.objects.get(usage_id=usage_id, user_id=user, prompt_index=prompt)


def snapshot(usage_id):
    """Everything stored for a block's entries, to prove a refused request changed nothing."""
    return [
        (entry.user_id, entry.prompt_index, entry.draft, entry.version, entry.submitted_text, entry.submitted_at,
         entry.revision_count, [(r.number, r.text, r.submitted_at) for r in entry.revisions.all()])
        for entry in JournalEntry.objects.filter(usage_id=usage_id).order_by("user_id", "prompt_index")
    ]
