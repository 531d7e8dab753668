"""Peer review's tables, keyed by course, block usage id and anonymous user id.

- `Submission`: one per learner and block; the learner's draft, then the submitted work, with
  a frozen copy of a submitted artefact (the provider's author-free snapshot, plain-text
  summary and the label the learner chose it by, as they were at submit time: reviewers and
  staff see what was submitted, not what the canvas or journal entry became later; the
  snapshot is rendered when it is shown, so its section titles and labels are in the reader's
  language; `artefact_html`, a rendering in the author's language, is only read for
  submissions made before `artefact_data` existed), with
  denormalised counters (reviews given by the author, finished reviews received) and the grade.
  `public_id` is what reviewers, staff pages and links use: it never says who wrote it.
  `score_points`: what the platform's gradebook was told for the learner (gradebook.py), so that
  a grade reaches it when it becomes final, whoever's request that is.
- `ReviewSlot`: the peer queue and its leases in one table. A submitted work gets
  `reviews_needed` slots; a reviewer is handed the best available slot (allocation.py's
  order, which is the column order of the `bizmooc_peer_queue` index, `available_at` after
  it) and holds it until `expires_at`. A slot is available when `available_at <= now`: a lease sets it to the expiry,
  so an expired lease is back in the queue without anything scanning for it. A finished slot
  stays as an "extra" slot (tier 2) for learners who still need someone to review when every
  submission has its reviews. One lease per reviewer and block.
- `RubricVersion`: a rubric as reviews were made with it, one row per distinct rubric (keyed by
  the SHA-256 of its canonical JSON, shared by every block that uses the same rubric; `scoring`
  hashes only what decides points, so wording-only edits are told apart). Each
  `Review` points to the one it was made with, and a submission's stored grade to the one it
  was computed with, so a later edit in Studio neither changes those grades nor the criterion
  names, option labels and points a learner reads. One row per rubric, not a copy per review:
  a rubric may be tens of kilobytes and a block has thousands of reviews; reading a review with
  its rubric is a join (no extra query), and writing one is one `INSERT … IGNORE` of the
  version (the key is the hash, so nothing has to be looked up first). `rubric` is None for a
  review made before these rows existed (migration 0004): it was made with the block's rubric,
  which is taken as its rubric until the course team next changes it (the save pins it first).
- `Review`: a finished peer, self or staff review: the options chosen, comments, points.
- `TrainingAnswer`: a learner's answer to a staff-scored example (calibration).
- `ReviewDraft`: a review in progress (options chosen, comments, feedback), one per reviewer,
  block and kind: a peer review's belongs to the lease it was written under (`lease_id`; a
  draft of another lease is not shown), a self review's has none. Gone once the review is saved.
- `SubmissionFile`: a file a learner uploaded with their work (files.py says which), keyed as the
  work is (block and learner), not by a foreign key: a learner uploads before their first draft
  is saved, and a reset or removed work keeps its files. Written while the work is a draft,
  frozen once it is submitted. The bytes are in Django's storage (seams.file_storage) under
  `storage_name`, a name made of a random id only; `name` is the learner's own file name (shown
  to them and staff, never to reviewers), `content_type` the one files.py names for its
  extension after checking its bytes, never the browser's. `public_id` is what the page and the
  download handler use.
- `ReviewStep`: what the reviewer reminders need to know of a block without loading it (its
  name, the reviews each learner gives, the peer due date), written when a learner submits.
"""
import uuid

from django.db import models

DRAFT, SUBMITTED, REMOVED = "draft", "submitted", "removed"
PEER, SELF, STAFF = "peer", "self", "staff"


class Submission(models.Model):
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64, help_text="Anonymous user id (32 characters in Open edX).")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, default=DRAFT)
    text = models.TextField(blank=True, default="")
    link = models.CharField(max_length=2000, blank=True, default="")
    artefact_kind = models.CharField(max_length=20, blank=True, default="")
    artefact_id = models.CharField(max_length=64, blank=True, default="")
    artefact_label = models.CharField(max_length=255, blank=True, default="")
    artefact_html = models.TextField(blank=True, default="", help_text="The provider's rendering at submit time.")
    artefact_data = models.JSONField(default=dict, blank=True, help_text="The provider's snapshot at submit time.")
    artefact_text = models.TextField(blank=True, default="", help_text="The provider's summary at submit time.")
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    # Counters, each changed with F() in the transaction that finishes a review.
    given = models.PositiveIntegerField(default=0, help_text="Peer reviews the author gave in this block.")
    received = models.PositiveIntegerField(default=0, help_text="Finished peer reviews of this submission.")
    author_done = models.BooleanField(default=False, help_text="The author gave the reviews they owe.")
    self_done = models.BooleanField(default=False)
    to_staff = models.BooleanField(default=False, help_text="Short of reviews after the wait: staff grade it.")
    flagged = models.BooleanField(default=False, help_text="One of its reviews was flagged by the author.")
    removed_reason = models.CharField(max_length=500, blank=True, default="")
    # The grade as last computed, and what the learner's grade event last said.
    grade_points = models.FloatField(null=True, blank=True)
    grade_method = models.CharField(max_length=12, blank=True, default="")
    grade_final = models.BooleanField(default=False)
    grade_published = models.FloatField(null=True, blank=True)
    override_points = models.FloatField(null=True, blank=True)
    override_reason = models.CharField(max_length=500, blank=True, default="")
    # The gradebook's copy of the final grade, sent with the LMS's grade signal (gradebook.py).
    score_points = models.FloatField(null=True, blank=True, help_text="The points the gradebook holds (None: none).")
    grade_rubric = models.ForeignKey("RubricVersion", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="The rubric the stored grade was computed with.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "user_id"], name="bizmooc_peer_sub_once")]
        indexes = [
            models.Index(fields=["usage_id", "status", "submitted_at"], name="bizmooc_peer_sub_by_block"),
            models.Index(fields=["course_id", "user_id"], name="bizmooc_peer_sub_by_learner"),
        ]

    def __str__(self):
        return f"submission {self.public_id}"


class ReviewSlot(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="slots")
    usage_id = models.CharField(max_length=255)
    author_id = models.CharField(max_length=64)
    tier = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField(help_text="Reviews the submission had (finished or leased) before this one.")
    submitted_at = models.DateTimeField()
    available_at = models.DateTimeField()
    lease_id = models.UUIDField(null=True, blank=True, unique=True)
    reviewer_id = models.CharField(max_length=64, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # `available_at` last: the ORDER BY is the columns before it, and a slot leased right now is
            # passed over inside the index, without reading its row.
            models.Index(fields=["usage_id", "tier", "position", "submitted_at", "id", "available_at"],
                         name="bizmooc_peer_queue"),
            # Not unique on purpose: on MySQL/MariaDB, concurrent leases written into a unique
            # secondary index deadlock on its duplicate checks. One lease per reviewer is kept by
            # the hand-out, which runs with the reviewer's own submission row locked.
            models.Index(fields=["usage_id", "reviewer_id"], name="bizmooc_peer_lease_by"),
        ]

    def __str__(self):
        return f"slot {self.pk} of {self.submission_id}"


class RubricVersion(models.Model):
    digest = models.CharField(max_length=64, primary_key=True, help_text="SHA-256 of the canonical rubric JSON.")
    rubric = models.JSONField(help_text="The rubric as parsed (rubric.Rubric.as_json), untranslated.")
    scoring = models.CharField(max_length=64, db_index=True,
                               help_text="SHA-256 of what decides points (rubric.scoring): ids and points.")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"rubric {self.digest[:12]}"


class Review(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=5)
    scores = models.JSONField(default=dict, help_text="criterion id -> option id")
    criterion_points = models.JSONField(default=dict, help_text="criterion id -> points")
    comments = models.JSONField(default=dict, help_text="criterion id -> comment")
    feedback = models.TextField(blank=True, default="")
    points = models.FloatField(default=0)
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=500, blank=True, default="")
    rubric = models.ForeignKey(RubricVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="The rubric the review was made with (None: before migration 0004).")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer_id", "kind"],
                                               name="bizmooc_peer_review_once")]
        indexes = [
            models.Index(fields=["usage_id", "reviewer_id", "kind"], name="bizmooc_peer_review_by"),
            models.Index(fields=["course_id", "reviewer_id"], name="bizmooc_peer_review_learner"),
        ]

    def __str__(self):
        return f"{self.kind} review {self.public_id}"


class TrainingAnswer(models.Model):
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=64)
    example_index = models.PositiveSmallIntegerField()
    scores = models.JSONField(default=dict)
    points = models.FloatField(default=0)
    true_points = models.FloatField(default=0)
    passed = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "reviewer_id", "example_index"],
                                               name="bizmooc_peer_training_once")]
        indexes = [models.Index(fields=["course_id", "reviewer_id"], name="bizmooc_peer_training_learner")]

    def __str__(self):
        return f"training answer {self.example_index}"


class ReviewDraft(models.Model):
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=5)
    lease_id = models.UUIDField(null=True, blank=True, help_text="The lease a peer review draft was written under.")
    scores = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    feedback = models.TextField(blank=True, default="")
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "reviewer_id", "kind"],
                                               name="bizmooc_peer_draft_once")]
        indexes = [models.Index(fields=["course_id", "reviewer_id"], name="bizmooc_peer_draft_learner"),
                   models.Index(fields=["reviewer_id"], name="bizmooc_peer_draft_reviewer")]

    def __str__(self):
        return f"{self.kind} review draft {self.pk}"


class SubmissionFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64, help_text="The author's anonymous user id.")
    storage_name = models.CharField(max_length=255, help_text="The file's name in the storage.")
    name = models.CharField(max_length=255, help_text="The learner's own file name (author and staff only).")
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["usage_id", "user_id", "uploaded_at"], name="bizmooc_peer_file_of_work"),
            models.Index(fields=["course_id", "user_id"], name="bizmooc_peer_file_learner"),
            models.Index(fields=["user_id"], name="bizmooc_peer_file_retire"),
        ]

    def __str__(self):
        return f"file {self.public_id}"


class ReviewStep(models.Model):
    usage_id = models.CharField(max_length=255, unique=True)
    course_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True, default="")
    reviews_to_give = models.PositiveSmallIntegerField(default=0)
    peer_due = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"review step of {self.usage_id}"
