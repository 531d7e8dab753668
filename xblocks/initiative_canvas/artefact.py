"""The canvas as an artefact other components embed by reference (peer review): a
read-only rendering and a plain-text summary, found by the canvas's or a snapshot's
public id, never showing who made it; the list a learner picks from (their canvases and
snapshots in a course) and who made one (checked by the consumer).

(A canvas "snapshot" the learner names and takes is a row of its own; the artefact
`snapshot()` is the frozen copy a consumer stores, of a canvas or of such a row.)"""

from xblocks.common.errors import ApiError, _
from xblocks.common.public_ids import parse_public_id
from xblocks.common.rendering import render_package_template

from . import canvas, canvas_store, canvas_templates


def template_for(template_id, layout, fallback=None):
    """The template a canvas was made with: a built-in by id, a custom one from the layout
    stored with it (or `fallback`, the block's template, for a canvas saved before that)."""
    if template_id in canvas_templates.BUILT_IN:
        return canvas_templates.built_in(template_id)
    if layout:
        try:
            return canvas_templates.parse_template(layout, stored=True)
        except ApiError:
            return fallback
    return fallback


# What a learner picks from: their newest canvases and snapshots in the course.
MAX_CHOICES = 50



def canvas_name(template_id, custom_title, gettext):
    """What a canvas is called in a list: its template's title, in the reader's language for
    a built-in (the block is not loaded, so not its display name)."""
    if template_id in canvas_templates.BUILT_IN:
        return gettext(canvas_templates.built_in(template_id).title)
    return custom_title or gettext(_("Canvas"))


def choice_label(row, gettext):
    date = row["when"].date().isoformat()
    if row["snapshot_name"]:
        return gettext(_("Snapshot '{name}', {date}")).format(name=row["snapshot_name"], date=date)
    name = canvas_name(row["template"], row["custom_title"], gettext)
    return gettext(_("{canvas} — current canvas")).format(canvas=name)


class CanvasArtefacts:
    """Provider registered with xblocks.common.artefacts under the kind "canvas"."""

    label = _("Business-model canvas")  # how a course team choosing the kind of work reads it

    def _load(self, artefact_id):
        public_id = parse_public_id(artefact_id)
        return canvas_store.by_public_id(public_id) if public_id else None

    def snapshot(self, artefact_id):
        """The notes and the template they sit in: a built-in by id only, so its titles are
        translated whenever it is shown; a custom one's layout as the course team wrote it."""
        found = self._load(artefact_id)
        if found is None:
            return None
        template_id, notes, _changed, stored_layout = found
        layout = template_for(template_id, stored_layout)
        if layout is None:
            return None
        return {"template": layout.id, "layout": canvas_store.layout_of(layout), "notes": notes}

    def render_snapshot(self, snapshot, gettext):
        if not snapshot:
            return None
        layout = template_for(snapshot.get("template"), snapshot.get("layout"))
        if layout is None:
            return None
        return render_readonly(canvas_templates.localized(layout, gettext), snapshot.get("notes", []), gettext)

    def render(self, artefact_id, gettext):
        return self.render_snapshot(self.snapshot(artefact_id), gettext)

    def summary(self, artefact_id):
        found = self._load(artefact_id)
        if found is None:
            return None
        template_id, notes, _changed, stored_layout = found
        layout = template_for(template_id, stored_layout)
        if layout is None:
            return "\n".join(note["text"] for note in notes)
        return "\n\n".join(f"{section.title}:\n" + "\n".join(f"- {n['text']}" for n in items)
                           for section, items in canvas.section_notes(layout, notes) if items)

    def choices(self, course_id, user_id, gettext):
        if not course_id or not user_id:
            return []
        return [{"id": str(row["artefact"]), "label": choice_label(row, gettext)}
                for row in canvas_store.learner_artefacts(course_id, user_id, MAX_CHOICES)]

    def owner(self, artefact_id):
        public_id = parse_public_id(artefact_id)
        return canvas_store.owner_of(public_id) if public_id else None


def render_readonly(layout, notes, gettext, heading="h5"):
    """The canvas as read-only HTML (learners' text escaped), sections in template order, each
    under a `heading` (h5 inside a component's page, h2 on a page of its own)."""
    labels = {key: gettext(label) for key, label in canvas.COLOURS.items()}
    sections = [(section, [dict(note, label=labels[note["colour"]]) for note in items])
                for section, items in canvas.section_notes(layout, notes)]
    return render_package_template(__package__, "canvas/readonly.html", {
        "template": layout, "sections": sections, "empty": gettext(_("(empty)")), "heading": heading,
    })
