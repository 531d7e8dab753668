"""Journal entries live in the database, not in XBlock user state, because they are
read across blocks ("My journal" gathers every block of the same journal), by staff
reports and exports, and must survive a block being moved.

One `JournalEntry` per learner, block and prompt. `version` rises with every save, so
a second tab that saves from an older version is refused instead of overwriting newer
text. Each submission is also kept as a `JournalRevision`, dated and numbered.
`public_id` is what another component (peer review) uses to show an entry: it does not
reveal the learner.
"""
import uuid

from django.db import models


class JournalEntry(models.Model):
    """One learner's answer to one prompt of one block.

    Column sizes keep the (course, journal, learner, position) index under MySQL's
    3,072-byte key limit in utf8mb4.
    """

    course_id = models.CharField(max_length=255)
    journal_name = models.CharField(max_length=100)
    usage_id = models.CharField(max_length=255)
    prompt_index = models.PositiveSmallIntegerField()
    user_id = models.CharField(max_length=64, help_text="Anonymous user id (32 characters in Open edX).")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Copied from the block when the learner saves, so "My journal" can list entries of
    # other blocks without loading those blocks.
    position = models.CharField(max_length=255, help_text="Sorts entries in course order.")
    unit_title = models.CharField(max_length=255, blank=True)
    prompt_text = models.TextField(blank=True, help_text="The prompt as plain text when last saved.")
    draft = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    submitted_text = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "user_id", "prompt_index"], name="bizmooc_journal_entry_once"),
        ]
        indexes = [
            models.Index(fields=["course_id", "journal_name", "user_id", "position"],
                         name="bizmooc_journal_by_learner"),
            models.Index(fields=["usage_id", "first_submitted_at"], name="bizmooc_journal_by_block"),
            # A learner's newest entries in a course, to pick one for peer review.
            models.Index(fields=["course_id", "user_id", "modified"], name="bizmooc_journal_by_author"),
        ]

    def __str__(self):
        return f"{self.journal_name} / {self.usage_id} / prompt {self.prompt_index}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class JournalRevision(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="bizmooc_journal_revision_once"),
        ]
        ordering = ["entry", "number"]


class JournalFeedback(models.Model):
    """A course staff member's comment on a submitted entry, private to its learner.

    One comment per staff member and entry (they edit or delete it). `author_id` is the
    staff member's anonymous id; "" once that staff member is retired (the comment stays
    with the learner's journal, see privacy.retire_journal).
    """

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="feedback")
    author_id = models.CharField(max_length=64, blank=True, help_text="The staff member's anonymous id.")
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Also the index of an entry's comments (the learner's page, the staff panel, exports).
            models.UniqueConstraint(fields=["entry", "author_id"], name="bizmooc_journal_feedback_once"),
        ]
        # A retired staff member's comments.
        indexes = [models.Index(fields=["author_id"], name="bizmooc_journal_feedback_by")]
        ordering = ["entry", "created"]


class AssessmentPlace(models.Model):
    """Where a learner's self-assessment belongs: a phase of a course's assessment group, and
    the block it was last saved from. Shared by the answer and the draft."""

    course_id = models.CharField(max_length=255)
    group_name = models.CharField(max_length=100)
    phase = models.CharField(max_length=10)
    user_id = models.CharField(max_length=64)
    usage_id = models.CharField(max_length=255)
    evidence = models.JSONField(default=dict, help_text="{competence_id: learner's text}")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.group_name} / {self.phase} / {self.user_id}"


class AssessmentResponse(AssessmentPlace):
    """One learner's self-assessment in one phase of an assessment group.

    Blocks of a course with the same group name form one assessment over time; a learner
    answers each phase (before / during / after) once, revising it while allowed.
    """

    framework_id = models.CharField(max_length=40)
    revision_count = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "group_name", "phase", "user_id"],
                                    name="bizmooc_assessment_once_per_phase"),
        ]
        indexes = [models.Index(fields=["usage_id", "submitted_at"], name="bizmooc_assessment_by_block")]


class CompetenceRating(models.Model):
    """One rating, a row of its own so that the database computes cohort averages,
    distributions and paired changes (GROUP BY competence) without loading answers.
    Grouping columns are copied from the response so those queries need no join."""

    response = models.ForeignKey(AssessmentResponse, on_delete=models.CASCADE, related_name="ratings")
    course_id = models.CharField(max_length=255)
    group_name = models.CharField(max_length=100)
    phase = models.CharField(max_length=10)
    user_id = models.CharField(max_length=64)
    competence_id = models.CharField(max_length=40)
    level = models.SmallIntegerField(null=True, help_text="Null: the learner can't judge yet.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "competence_id"], name="bizmooc_rating_once"),
        ]
        indexes = [
            models.Index(fields=["course_id", "group_name", "phase", "competence_id", "level"],
                         name="bizmooc_rating_cohort"),
            models.Index(fields=["course_id", "group_name", "user_id", "competence_id"],
                         name="bizmooc_rating_by_learner"),
        ]


class AssessmentDraft(AssessmentPlace):
    """A learner's ratings not submitted yet (or a revision in progress), saved as they
    answer so that a reload or another device finds them. A draft is not an answer: no
    completion, no grade, and it never counts in cohort figures or staff reports.

    `version` rises with every save, so a tab that saves from an older version is refused
    instead of overwriting newer answers (as for journal drafts)."""

    ratings = models.JSONField(default=dict, help_text="{competence_id: level or null} answered so far")
    version = models.PositiveIntegerField(default=0)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Also the index of every lookup: the learner's draft for a phase.
            models.UniqueConstraint(fields=["course_id", "group_name", "phase", "user_id"],
                                    name="bizmooc_assessment_draft_once"),
        ]
        # A learner's drafts in a course ("Download my data"), and in every course (retirement).
        indexes = [models.Index(fields=["user_id", "course_id"], name="bizmooc_assessment_draft_by")]

    def __str__(self):
        return f"{self.group_name} / {self.phase} / {self.user_id} (draft)"
