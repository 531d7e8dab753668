"""A retired learner's canvases and snapshots are deleted (registered in apps.ready())."""
from .models import Canvas, CanvasSnapshot


def retire_canvas(anonymous_ids, user_id=None):  # pylint: disable=unused-argument
    """Delete every canvas and snapshot of these learners, in every course."""
    snapshots, _ = CanvasSnapshot.objects.filter(canvas__user_id__in=anonymous_ids).delete()
    canvases, _ = Canvas.objects.filter(user_id__in=anonymous_ids).delete()
    return canvases + snapshots


def canvas_data(course_id, user_id):
    """Everything stored about the learner's canvases in the course, for "Download my data"."""
    canvases = Canvas.objects.filter(course_id=course_id, user_id=user_id).prefetch_related("snapshots")
    return [{
        "block": canvas.usage_id, "template": canvas.template_id, "notes": canvas.notes,
        "version": canvas.version, "created": canvas.created.isoformat(), "modified": canvas.modified.isoformat(),
        "snapshots": [{"name": s.name, "template": s.template_id, "notes": s.notes, "created": s.created.isoformat()}
                      for s in canvas.snapshots.all()],
    } for canvas in canvases]
