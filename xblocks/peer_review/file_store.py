"""Peer review's uploaded files: their rows (models.SubmissionFile) and their bytes in Django's
storage (seams.file_storage). Each function is a fixed number of queries.

The bytes are written before the row (the row needs the name the storage chose); a refusal
after that deletes them again (`add`). Deleting is the other way round: the row goes in the
handler's transaction and the bytes only once it commits (`transaction.on_commit`), so a
transaction rolled back (a retirement another component failed) never leaves a row whose file
is gone. A storage that fails to delete leaves an orphan file (logged), never a 500.
"""
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from xblocks.common.errors import _, not_found
from xblocks.common.seams import file_storage

from .models import PEER, Submission, SubmissionFile

log = logging.getLogger(__name__)

FOLDER = "bizmooc/peer_review"


def files_of(usage_id, user_id):
    """The files of a learner's work in a block, oldest first (1 query)."""
    return list(SubmissionFile.objects.filter(usage_id=usage_id, user_id=user_id).order_by("uploaded_at", "id"))


def count_of(usage_id, user_id):
    return SubmissionFile.objects.filter(usage_id=usage_id, user_id=user_id).count()


def file_by_public_id(usage_id, public_id):
    """A file of this block by its public id; 404 if there is none (1 query)."""
    found = SubmissionFile.objects.filter(usage_id=usage_id, public_id=public_id).first()
    if found is None:
        raise not_found(_("There is no such file."), code="no_file")
    return found


def add(place, checked, content, moment):
    """Write the file's bytes to the storage and its row (1 query); the row."""
    storage = file_storage()
    # A random name, nothing of the learner's: the storage may still add to it (its own choice).
    name = storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{checked.extension}", ContentFile(content))
    try:
        return SubmissionFile.objects.create(
            course_id=place.course_id, usage_id=place.usage_id, user_id=place.user_id, storage_name=name,
            name=checked.name, extension=checked.extension, size=checked.size,
            content_type=checked.content_type, uploaded_at=moment)
    except BaseException:
        _delete_stored([name])
        raise


def remove(found):
    """Delete a file's row now and its bytes once the transaction commits (1 query)."""
    SubmissionFile.objects.filter(pk=found.pk).delete()
    delete_after_commit([found.storage_name])


def delete_after_commit(names):
    if names:
        transaction.on_commit(lambda: _delete_stored(names))


def _delete_stored(names):
    storage = file_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # pylint: disable=broad-except  # an orphan file, not a failed request
            log.warning("BizMOOC peer review: could not delete stored file %s", name, exc_info=True)


def open_stored(found):
    """The stored bytes of a file, as an open file (the caller closes it)."""
    return file_storage().open(found.storage_name, "rb")


def may_review(usage_id, author_id, reviewer_id, moment):
    """True when `reviewer_id` holds an unexpired lease on the author's work in this block or
    gave it a peer review (1 query)."""
    return Submission.objects.filter(usage_id=usage_id, user_id=author_id).filter(
        Q(slots__reviewer_id=reviewer_id, slots__expires_at__gt=moment)
        | Q(reviews__reviewer_id=reviewer_id, reviews__kind=PEER)).exists()


def files_of_learner(course_id, user_id):
    """Every file of a learner in a course ("Download my data"; 1 query)."""
    return list(SubmissionFile.objects.filter(course_id=course_id, user_id=user_id).order_by("usage_id", "uploaded_at",
                                                                                              "id"))


def files_by_author(usage_id):
    """{author: [file, ...]} of a block (the staff CSV; 1 query)."""
    found = {}
    for row in SubmissionFile.objects.filter(usage_id=usage_id).order_by("user_id", "uploaded_at", "id"):
        found.setdefault(row.user_id, []).append(row)
    return found


def retire(anonymous_ids):
    """Delete these learners' files: the rows (2 queries: the names, one DELETE) and, once the
    retirement commits, the stored bytes. How many rows."""
    rows = SubmissionFile.objects.filter(user_id__in=list(anonymous_ids))
    names = list(rows.values_list("storage_name", flat=True))
    deleted = rows.delete()[0]
    delete_after_commit(names)
    return deleted
