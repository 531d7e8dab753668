"""The canvas as an artefact other components embed by reference (peer review): a
read-only rendering and a plain-text summary, found by the canvas's or a snapshot's
public id, never showing who made it."""
import uuid

from xblocks.common.errors import ApiError, _
from xblocks.common.rendering import render_package_template

from . import canvas, canvas_store, canvas_templates


def template_for(template_id, layout, fallback=None):
    """The template a canvas was made with: a built-in by id, a custom one from the layout
    stored with it (or `fallback`, the block's template, for a canvas saved before that)."""
    if template_id in canvas_templates.BUILT_IN:
        return canvas_templates.built_in(template_id)
    if layout:
        try:
            return canvas_templates.parse_template(layout)
        except ApiError:
            return fallback
    return fallback


class CanvasArtefacts:
    """Provider registered with xblocks.common.artefacts under the kind "canvas"."""

    def _load(self, artefact_id):
        try:
            public_id = uuid.UUID(str(artefact_id))
        except ValueError:
            return None
        return canvas_store.by_public_id(public_id)

    def render(self, artefact_id, gettext, template=None):
        found = self._load(artefact_id)
        if found is None:
            return None
        template_id, notes, _changed, stored_layout = found
        layout = template_for(template_id, stored_layout, template)
        if layout is None:
            return None
        return render_readonly(canvas_templates.localized(layout, gettext), notes, gettext)

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




def render_readonly(layout, notes, gettext):
    """The canvas as read-only HTML (learners' text escaped), sections in template order."""
    labels = {key: gettext(label) for key, label in canvas.COLOURS.items()}
    sections = [(section, [dict(note, label=labels[note["colour"]]) for note in items])
                for section, items in canvas.section_notes(layout, notes)]
    return render_package_template(__package__, "canvas/readonly.html", {
        "template": layout, "sections": sections, "empty": gettext(_("(empty)")),
    })
