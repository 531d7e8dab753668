"""The canvas builder's queries, each a fixed number whatever the number of learners or
notes. Saves are compare-and-set on `version` (a conditional UPDATE), as in the journal:
a stale tab gets a 409 with the newer notes instead of overwriting them.
"""
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.db.models.fields.json import KeyTextTransform

from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request, conflict, not_found
from xblocks.common.versioned import save_versioned

from . import canvas_templates
from .models import Canvas, CanvasSnapshot


@dataclass(frozen=True)
class Place:
    course_id: str
    usage_id: str
    user_id: str


def learner_canvas(usage_id, user_id):
    """The learner's canvas in this block, or None (1 query)."""
    return Canvas.objects.filter(usage_id=usage_id, user_id=user_id).first()


def snapshots_of(canvas):
    """The canvas's snapshots, newest first, without their notes (1 query)."""
    if canvas is None:
        return []
    return list(CanvasSnapshot.objects.filter(canvas=canvas).order_by("-created", "-id")
                .only("public_id", "name", "created", "template_id"))


def _stale(canvas):
    return conflict("version_conflict", _("This canvas was changed in another tab or on another device."),
                    details={"version": canvas.version, "notes": canvas.notes})


def layout_of(template):
    """What a canvas keeps of its template: nothing for a built-in, the whole of a custom one."""
    return {} if template.id in canvas_templates.BUILT_IN else template.as_json()


def save(place, template, notes, base_version, counts):
    """Store the whole set of notes written from `base_version`; return the canvas.

    `counts` is canvas.progress() of the notes: it feeds the staff list's columns.
    """
    lookup = {"usage_id": place.usage_id, "user_id": place.user_id}
    values = {"template_id": template.id, "layout": layout_of(template), "notes": notes, "note_count": len(notes),
              "sections_filled": sum(1 for n in counts.values() if n)}
    canvas, saved = save_versioned(Canvas, lookup, base_version, created={"course_id": place.course_id, **values},
                                   changed=values)
    if not saved:
        if canvas is None:
            raise conflict("version_conflict", _("This canvas no longer exists; reload the page."))
        raise _stale(canvas)
    return canvas


def create_snapshot(canvas, name):
    """A named copy of the canvas as it is now (2 queries)."""
    limit = get_setting("CANVAS_MAX_SNAPSHOTS")
    if CanvasSnapshot.objects.filter(canvas=canvas).count() >= limit:
        raise bad_request("too_many_snapshots", _("A canvas keeps at most {limit} snapshots."), field="name",
                          limit=limit)
    return CanvasSnapshot.objects.create(canvas=canvas, name=name, template_id=canvas.template_id,
                                         layout=canvas.layout, notes=canvas.notes)


def snapshot_of(canvas, public_id):
    """One of this canvas's snapshots; another learner's snapshot id is simply not found."""
    snapshot = CanvasSnapshot.objects.filter(canvas=canvas, public_id=public_id).first() if canvas else None
    if snapshot is None:
        raise not_found(_("There is no such snapshot of your canvas."))
    return snapshot


def by_public_id(public_id):
    """(template_id, notes, changed, layout) of a canvas or a snapshot, for read-only renderings
    (1-2 queries)."""
    canvas = Canvas.objects.filter(public_id=public_id).only("template_id", "notes", "modified", "layout").first()
    if canvas is not None:
        return canvas.template_id, canvas.notes, canvas.modified, canvas.layout
    snapshot = (CanvasSnapshot.objects.filter(public_id=public_id)
                .only("template_id", "notes", "created", "layout").first())
    if snapshot is not None:
        return snapshot.template_id, snapshot.notes, snapshot.created, snapshot.layout
    return None


def canvas_in_block(usage_id, public_id):
    """A canvas of this block by its public id, for staff (1 query)."""
    return Canvas.objects.filter(usage_id=usage_id, public_id=public_id).first()


def block_page(usage_id, offset, limit):
    """Canvases of a block, most recently changed first, one page (1 query, notes not loaded)."""
    return list(Canvas.objects.filter(usage_id=usage_id).order_by("-modified", "id")
                .defer("notes")[offset:offset + limit])


def block_count(usage_id):
    return Canvas.objects.filter(usage_id=usage_id).count()


def block_canvases_for_export(usage_id):
    return Canvas.objects.filter(usage_id=usage_id).order_by("user_id").iterator(chunk_size=200)


def canvases_for_learners(usage_id, user_ids):
    """{user_id: canvas} for a batch of learners (1 query)."""
    return {c.user_id: c for c in Canvas.objects.filter(usage_id=usage_id, user_id__in=user_ids)}


def _artefact_rows(queryset, name, when):
    """The same columns from a canvas or a snapshot query, for one UNION."""
    return queryset.annotate(
        artefact=F("public_id"), snapshot_name=name, template=F("template_id"),
        custom_title=KeyTextTransform("title", "layout"), when=when,
    ).values("artefact", "snapshot_name", "template", "custom_title", "when")


def learner_artefacts(course_id, user_id, limit):
    """A learner's canvases in a course and their snapshots, newest first, at most `limit`
    (1 query: a UNION; notes not loaded). Each row: {"artefact": public id, "snapshot_name":
    "" for a canvas, "template": template id, "custom_title": a custom template's title or
    None, "when": last change of a canvas, creation of a snapshot}."""
    canvases = _artefact_rows(Canvas.objects.filter(course_id=course_id, user_id=user_id),
                              Value("", output_field=CharField()), F("modified"))
    snapshots = _artefact_rows(CanvasSnapshot.objects.filter(canvas__course_id=course_id, canvas__user_id=user_id),
                               F("name"), F("created"))
    return list(canvases.union(snapshots, all=True).order_by("-when")[:limit])


def owner_of(public_id):
    """(course_id, user_id) of a canvas or of a snapshot's canvas, or None (1 query)."""
    columns = ("course_id", "user_id")
    found = list(Canvas.objects.filter(public_id=public_id).values_list(*columns)
                 .union(Canvas.objects.filter(snapshots__public_id=public_id).values_list(*columns), all=True)[:1])
    return tuple(found[0]) if found else None
