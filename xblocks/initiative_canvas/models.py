"""Canvases live in the database: staff list them across learners, another component
(peer review) shows them by reference, and a later canvas block can continue from one.

One `Canvas` per learner and block holds the notes as one JSON document, saved whole with
a compare-and-set on `version`, so a second tab cannot overwrite newer work. `public_id`
is what other components and staff links use: it does not reveal the learner.
"""
import uuid

from django.db import models


class Canvas(models.Model):
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    user_id = models.CharField(max_length=64, help_text="Anonymous user id (32 characters in Open edX).")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template_id = models.CharField(max_length=40)
    # A course team's own template, kept with the canvas so that it can still be shown (peer
    # review, snapshots) after the block's template changed; empty for the built-ins.
    layout = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list)
    note_count = models.PositiveIntegerField(default=0)
    sections_filled = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "user_id"], name="bizmooc_canvas_once")]
        indexes = [
            models.Index(fields=["usage_id", "modified"], name="bizmooc_canvas_by_block"),
            # A learner's canvases in a course: "Download my data", retirement, and the
            # choices peer review offers when a learner submits a canvas.
            models.Index(fields=["course_id", "user_id"], name="bizmooc_canvas_by_learner"),
        ]

    def __str__(self):
        return f"canvas {self.public_id}"


class CanvasSnapshot(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="snapshots")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80)
    template_id = models.CharField(max_length=40)
    layout = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["canvas", "created"], name="bizmooc_snapshot_by_canvas")]

    def __str__(self):
        return f"snapshot {self.name}"
