"""The reflection journal's queries. Every function does a fixed number of queries,
whatever the number of learners or entries, and uses the model's indexes:

- one block's entries for one learner: the unique (usage_id, user_id, prompt_index);
- one learner's journal: (course_id, journal_name, user_id, position);
- a block's staff figures: (usage_id, first_submitted_at);
- a learner's newest entries in a course (peer review's choices): (course_id, user_id, modified);
- an entry as an artefact: its unique public_id;
- staff comments on an entry: the unique (entry, author_id); a staff member's: author_id.

Saves use a conditional UPDATE on `version` (compare-and-set), so two tabs or two
devices cannot overwrite each other's newer text, on SQLite as on MySQL.
"""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from xblocks.common.errors import _, conflict, forbidden
from xblocks.common.versioned import save_versioned

from .models import JournalEntry, JournalFeedback, JournalRevision


@dataclass(frozen=True)
class Place:
    """Where an entry belongs and what "My journal" shows about it."""

    course_id: str
    journal_name: str
    usage_id: str
    user_id: str
    position: str = ""
    unit_title: str = ""


# Revisions shown on the page; all of them are in the learner's data download.
RECENT_REVISIONS = 10


def entries_for_block(usage_id, user_id):
    """{prompt_index: entry} for one learner in one block (3 queries).

    Each entry carries `recent_revisions`, its latest RECENT_REVISIONS revisions, newest
    first: a learner who revised 200 times must not get a page 200 revisions long; and
    `feedback.all()`, the course staff's comments, oldest first.
    """
    recent = Prefetch("revisions", to_attr="recent_revisions",
                      queryset=JournalRevision.objects.order_by("-number")[:RECENT_REVISIONS])
    entries = JournalEntry.objects.filter(usage_id=usage_id, user_id=user_id).prefetch_related(recent, "feedback")
    return {entry.prompt_index: entry for entry in entries}


def journal_for_learner(course_id, journal_name, user_id, offset=0, limit=None):
    """A learner's entries across the course, in course order, with the course staff's
    comments (2 queries)."""
    entries = JournalEntry.objects.filter(
        course_id=course_id, journal_name=journal_name, user_id=user_id
    ).order_by("position", "prompt_index").prefetch_related("feedback")
    return list(entries[offset:offset + limit] if limit else entries)


def _conflict(entry):
    return conflict(
        "version_conflict",
        _("This entry was changed in another tab or on another device."),
        details={"version": entry.version, "text": entry.draft},
    )


def _revisions_closed():
    return forbidden(_("This journal does not allow revising a submitted entry."), code="revisions_closed")


def _locate(place, prompt_text, with_position=True):
    """The columns that say where an entry belongs. Its place in the course is written when
    the entry is created and when it is submitted, not on every autosave."""
    columns = {"course_id": place.course_id, "journal_name": place.journal_name, "prompt_text": prompt_text}
    if with_position:
        # "<ancestor indexes>|<usage id>" can outgrow the column (MySQL refuses, SQLite
        # keeps it); the indexes come first, so the clipped value still sorts in course order.
        columns.update(position=place.position[:255], unit_title=place.unit_title[:255])
    return columns


def save_draft(place, prompt_index, prompt_text, text, base_version, allow_revisions=True):
    """Store a draft written from `base_version`; return the entry with its new version.

    Refused with 409 (and the newer text) when someone saved since `base_version`, and
    with 403 when the entry is submitted and the journal does not allow revising it.
    """
    lookup = {"usage_id": place.usage_id, "user_id": place.user_id, "prompt_index": prompt_index}
    entry, saved = save_versioned(
        JournalEntry, lookup, base_version,
        created={**_locate(place, prompt_text), "draft": text},
        changed={**_locate(place, prompt_text, with_position=False), "draft": text},
        only_if=None if allow_revisions else {"submitted_at__isnull": True},
    )
    if not saved:
        if entry is None:
            raise conflict("version_conflict", _("This entry no longer exists; reload the page."))
        if entry.is_submitted and not allow_revisions:
            raise _revisions_closed()
        raise _conflict(entry)
    return entry


def submit(place, prompt_index, prompt_text, text, base_version, allow_revisions):
    """Submit (or revise) an entry: the draft becomes the submitted text and a dated revision.

    Returns (entry, first_submission). Refused when revising is not allowed or when the
    learner's version is stale; the caller's transaction undoes the draft save then.
    """
    entry = save_draft(place, prompt_index, prompt_text, text, base_version)
    if entry.is_submitted and not allow_revisions:
        raise _revisions_closed()
    now = timezone.now()
    first = not entry.is_submitted
    changes = {"submitted_text": text, "submitted_at": now, "first_submitted_at": entry.first_submitted_at or now,
               **_locate(place, prompt_text)}
    # The version check above already serialised this entry's writers (a row lock on MySQL,
    # the write lock on SQLite), so the count read with the entry is the one incremented.
    JournalEntry.objects.filter(pk=entry.pk).update(revision_count=F("revision_count") + 1, **changes)
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.revision_count += 1
    JournalRevision.objects.create(entry=entry, number=entry.revision_count, text=text, submitted_at=now)
    return entry, first


def submitted_prompt_count(usage_id, user_id, prompt_count):
    """How many of the block's current prompts this learner has submitted (1 query)."""
    return JournalEntry.objects.filter(
        usage_id=usage_id, user_id=user_id, prompt_index__lt=prompt_count, first_submitted_at__isnull=False
    ).count()


def block_figures(usage_id):
    """Learners who wrote and who submitted in one block, submitted entries and those with a
    staff comment (1 query; the join with the comments is why every count is distinct)."""
    submitted = Q(first_submitted_at__isnull=False)
    figures = JournalEntry.objects.filter(usage_id=usage_id).aggregate(
        wrote=Count("user_id", distinct=True),
        submitted=Count("user_id", distinct=True, filter=submitted),
        entries=Count("id", distinct=True, filter=submitted),
        with_feedback=Count("id", distinct=True, filter=submitted & Q(feedback__isnull=False)),
    )
    return figures


def block_entries_page(usage_id, offset, limit):
    """Submitted entries of a block, newest first, one page, with their staff comments (2 queries)."""
    return list(
        JournalEntry.objects.filter(usage_id=usage_id, first_submitted_at__isnull=False)
        .order_by("-submitted_at", "id").prefetch_related("feedback")[offset:offset + limit]
    )


EXPORT_ORDER = ("user_id", "prompt_index")


def block_entries_for_export(usage_id):
    """Every entry of a block, streamed in a stable order (1 query, iterated in chunks)."""
    return JournalEntry.objects.filter(usage_id=usage_id).order_by(*EXPORT_ORDER).iterator(chunk_size=500)


def block_feedback_for_export(usage_id):
    """Every staff comment on a block's entries as (entry id, text), in the entries' export
    order (1 query, streamed): the export walks both streams side by side."""
    return JournalFeedback.objects.filter(entry__usage_id=usage_id).order_by(
        *[f"entry__{name}" for name in EXPORT_ORDER], "created", "id").values_list("entry_id", "text").iterator(
        chunk_size=500)


# Staff comments -----------------------------------------------------------------------------

def submitted_entry_of_block(usage_id, public_id):
    """A submitted entry of this block by its public id, or None (1 query)."""
    return JournalEntry.objects.filter(usage_id=usage_id, public_id=public_id,
                                       first_submitted_at__isnull=False).first()


def save_feedback(entry, author_id, text):
    """Write the staff member's comment on the entry; (comment, whether it is new) (1-2 queries)."""
    updated = JournalFeedback.objects.filter(entry=entry, author_id=author_id).update(
        text=text, modified=timezone.now())
    if updated:
        return JournalFeedback.objects.get(entry=entry, author_id=author_id), False
    try:
        with transaction.atomic():
            return JournalFeedback.objects.create(entry=entry, author_id=author_id, text=text), True
    except IntegrityError:  # the same staff member saved from another tab a moment ago
        JournalFeedback.objects.filter(entry=entry, author_id=author_id).update(text=text, modified=timezone.now())
        return JournalFeedback.objects.get(entry=entry, author_id=author_id), False


def delete_feedback(entry, author_id):
    """Delete the staff member's comment on the entry; whether there was one (1 query)."""
    return JournalFeedback.objects.filter(entry=entry, author_id=author_id).delete()[0] > 0


def entries_for_learners(usage_id, user_ids):
    """{user_id: [entries]} for a batch of learners of one block (1 query)."""
    found = {}
    for entry in JournalEntry.objects.filter(usage_id=usage_id, user_id__in=user_ids).order_by("prompt_index"):
        found.setdefault(entry.user_id, []).append(entry)
    return found


# Entries as artefacts of peer review, found by their public id (never by learner) --------------

ARTEFACT_COLUMNS = ("public_id", "unit_title", "prompt_text", "draft", "submitted_text", "submitted_at", "modified")


def entry_by_public_id(public_id):
    """An entry by its public id, with what a read-only rendering shows, or None (1 query)."""
    return JournalEntry.objects.filter(public_id=public_id).only(*ARTEFACT_COLUMNS).first()


def learner_entries_with_text(course_id, user_id, limit):
    """A learner's entries in a course that have an answer (submitted or drafted), most
    recently changed first, at most `limit` (1 query)."""
    return list(JournalEntry.objects.filter(course_id=course_id, user_id=user_id)
                .filter(Q(submitted_at__isnull=False) | ~Q(draft=""))
                .order_by("-modified", "-id").only(*ARTEFACT_COLUMNS)[:limit])


def owner_of(public_id):
    """(course_id, user_id) of an entry, or None (1 query)."""
    return JournalEntry.objects.filter(public_id=public_id).values_list("course_id", "user_id").first()
