"""What the canvas builder shows: the learner's canvas (the browser draws it from the JSON
arguments), the printable page, read-only renderings for staff and other components, the
staff list, exports and report rows, from what `canvas_service` reads."""
from django.utils.translation import get_language

from xblocks.common import rendering, reports, settings_form
from xblocks.common.config import get_setting
from xblocks.common.errors import _
from xblocks.common.text import clean_html

from . import artefact, canvas, canvas_service, canvas_templates

JS_CLASS = "BizMOOCCanvas"
OWN_JS = "static/js/canvas.js"
OWN_CSS = "static/css/canvas.css"
# Loaded by canvas.js on first use (PNG, import, snapshots, example, staff list): not up front.
TOOLS_JS = "static/js/canvas_tools.js"

# Strings the browser needs, translated on the server with the block's catalogue.
BROWSER_STRINGS = {
    "moved_to": _("Note moved to {section}, position {position}."),
    "added": _("Note added to {section}."),
    "deleted": _("Note deleted from {section}."),
    "undone": _("Note restored in {section}."),
    "notes_in": _("Notes: {count}"),
    "saving": _("Saving…"),
    "saved": _("All changes saved"),
    "unsaved": _("Unsaved changes"),
    "offline": _("Not saved yet: no connection. Your canvas is kept on this device and will be sent when you "
                 "are back online."),
    "conflict": _("This canvas was changed in another tab or on another device."),
    "restored_local": _("Restored changes you had not saved yet."),
    "snapshot_created": _("Snapshot \"{name}\" saved."),
    "snapshot_restored": _("Snapshot \"{name}\" restored."),
    "too_many": _("This canvas is full: at most {limit} notes."),
    "empty_note": _("A note needs some text."),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Please try again when you are connected."),
    "import_done": _("Canvas imported."),
    "import_fitting": _("{count} of its notes fit the sections of this canvas."),
    "show_example": _("Show the example canvas"),
    "hide_example": _("Hide the example canvas"),
    "continued": _("Your canvas starts from your earlier canvas in this course."),
    "chars": _("{count} of {limit} characters"),
    "note_changed": _("Note saved."),
    "loaded_newer": _("The newer canvas is loaded."),
    "newer_copy": _("Newer canvas, {date}"),
    "kept_mine": _("Your notes are kept; the newer canvas is saved as the snapshot \"{name}\"."),
    "too_many_snapshots": _("A canvas keeps at most {limit} snapshots."),
    "snapshot_name_needed": _("Give the snapshot a name."),
    "filled": _("{count} of {total}"),
    "canvas_of": _("Canvas of {learner}"),
}

def _strings(block, strings=BROWSER_STRINGS):
    return {key: block.gettext(text) for key, text in strings.items()}


def colours(block):
    return [{"key": key, "label": block.gettext(label)} for key, label in canvas.COLOURS.items()]


def snapshot_item(snapshot):
    return {"id": str(snapshot.public_id), "name": snapshot.name, "created": snapshot.created.isoformat(),
            "template": snapshot.template_id}


def student_fragment(block, caller):
    if not caller.is_authenticated:
        html = block.render_template("canvas/signed_out.html", {"block": block})
        return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)
    state = canvas_service.learner_canvas(block, caller)
    template, notes = state.template, state.notes
    handler = block.runtime.handler_url
    html = block.render_template("canvas/student.html", {
        "block": block,
        "template": template,
        "instructions": clean_html(block.instructions),
        "sections": canvas.section_notes(template, notes),
        "is_staff": caller.is_staff,
        "printable_url": handler(block, "export_canvas", query="format=html"),
        "json_url": handler(block, "export_canvas", query="format=json"),
        "my_data_url": handler(block, "download_my_data"),
        "csv_url": handler(block, "export_csv") if caller.is_staff else "",
        "all_json_url": handler(block, "export_all_json") if caller.is_staff else "",
        "colours": colours(block),
        "example_html": readonly_html(block, block.example_notes) if block.example_notes else "",
        "kept_count": len(state.kept),
    })
    args = {
        "template": template.as_json(),
        "notes": notes,
        "version": state.version,
        "continued": state.continued,
        "example": block.example_notes,
        "snapshots": [snapshot_item(s) for s in state.snapshots],
        "snapshot_url": handler(block, "view_snapshot"),
        "tools_url": block.static_url(TOOLS_JS),
        "colours": colours(block),
        "limits": {"notes": get_setting("CANVAS_MAX_NOTES"), "chars": get_setting("CANVAS_NOTE_MAX_CHARS"),
                   "snapshots": get_setting("CANVAS_MAX_SNAPSHOTS")},
        "storage_key": f"bizmooc-canvas:{block.usage_key_str}:{caller.user_id}",
        "strings": _strings(block),
        "is_staff": caller.is_staff,
        "autosave_ms": 1200,
    }
    return block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)


def readonly_html(block, notes):
    return artefact.render_readonly(block.template, notes, block.gettext)


def printable_html(block, notes, title=None, when=None, template=None):
    template = template or block.template
    return block.render_template("canvas/printable.html", {
        "block": block, "template": template, "title": title or block.display_name, "when": when,
        "canvas_html": artefact.render_readonly(template, notes, block.gettext, heading="h2"),
        "lang": get_language() or "en",
        "css_urls": [block.shared_static_url(rendering.COMMON_CSS),
                     block.static_url(OWN_CSS)],
    })


def author_fragment(block):
    template = block.template
    html = block.render_template("canvas/author.html", {"block": block, "template": template})
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


# Strings of the Studio editor's own parts (the template, example notes, required sections).
STUDIO_STRINGS = {
    "settings_saved": _("Settings saved."),
    "error_title": _("The settings were not saved"),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your changes are still on this page; please try again when connected."),
    "section": _("Section {n}"),
    "note": _("Example note {n}"),
    "added": _("Added: {what}."),
    "removed": _("Removed: {what}."),
    "moved": _("Moved: now {what}."),
    "copied": _("{title} copied into the custom template."),
    "imported": _("Template imported: {title}."),
    "required": _("{field}: this field is required."),
    "id_format": _("{field}: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit."),
    "invalid": _("{field}: {message}"),
    "caption": _("Layout of {title}: a grid of {columns} × {rows}."),
    "place": _("{title}: column {column}, row {row}, {width} × {height}."),
    "overlap": _("The sections '{first}' and '{second}' overlap on the grid."),
    "outside": _("The section '{id}' lies outside the grid."),
    "untitled": _("(no title yet)"),
    "movable": _("movable section"),
    "drag_hint": _("Drag a section to another cell, or focus it and move it with the arrow keys: "
                   "its column and row below change with it."),
    "moved_to": _("{title}: column {column}, row {row}"),
    "unknown_section": _("Unknown section '{id}'"),
    "choose_section": _("{field}: choose a section of this template."),
}


def studio_fragment(block):
    """The settings form (common/settings_form.py); the template, the example notes and the
    required sections are the canvas's own parts of it (templates/canvas/studio_*.html)."""
    built_in = {tid: canvas_templates.localized(canvas_templates.built_in(tid), block.gettext).as_json()
                for tid in canvas_templates.BUILT_IN}
    html = settings_form.render(block, _("Canvas settings"), "bizmooc-canvas canvas-studio")
    args = {
        "template_choice": block.template_choice,
        "custom_template": block.custom_template or built_in["business_model_canvas"],
        "built_in": built_in,
        "example_notes": block.example_notes,
        "required_sections": block.required_sections,
        "colours": colours(block),
        "strings": _strings(block, STUDIO_STRINGS),
    }
    return block.fragment_for(html, "BizMOOCCanvasStudio", args, "static/js/canvas_studio.js",
                              "static/css/canvas_studio.css")


def mobile_data(block):
    return {
        "display_name": block.display_name,
        "instructions": clean_html(block.instructions),
        "template": block.template.as_json(),
        "colours": colours(block),
        "example_notes": block.example_notes,
        "required_sections": block.required_sections,
        "min_notes": block.min_notes,
        "limits": {"notes": get_setting("CANVAS_MAX_NOTES"), "chars": get_setting("CANVAS_NOTE_MAX_CHARS")},
        "graded": block.graded,
    }


def staff_page(block, page):
    """One page of the block's canvases with progress per section (canvas_service.staff_page)."""
    found = canvas_service.staff_page(block, page)
    return {
        "sections": [{"id": s.id, "title": s.title} for s in found.template.sections],
        "rows": [{"canvas": str(c.public_id), "learner": found.names.get(c.user_id, c.user_id), "notes": c.note_count,
                  "sections_filled": c.sections_filled, "modified": c.modified.isoformat()} for c in found.canvases],
        "page": found.page, "has_next": found.has_next, "total": found.total,
    }


# Sections by their title, as staff read them (in their language for a built-in template); the
# id follows for whoever matches rows to the template.
EXPORT_HEADER = ["learner", "canvas", "section", "section_id", "position", "label", "text", "modified"]


def export_rows(block, canvases):
    template = canvas_templates.localized(block.template, block.gettext)
    labels = {key: block.gettext(label) for key, label in canvas.COLOURS.items()}

    def rows():
        for found in canvases:
            for section, notes in canvas.section_notes(template, found.notes):
                for position, note in enumerate(notes, start=1):
                    yield [found.user_id, found.public_id, section.title, section.id, position,
                           labels[note["colour"]], note["text"], found.modified.isoformat()]
    return EXPORT_HEADER, rows()


def all_canvases(block):
    template = block.template
    return {"template": template.as_json(), "canvases": [
        {"learner": c.user_id, "canvas": str(c.public_id), "notes": c.notes, "modified": c.modified.isoformat()}
        for c in canvas_service.block_canvases(block)]}


def report_rows(block, user_state_iterator, limit_responses=None):
    """Rows for the Problem Responses report: one per learner, a column per section."""
    template = block.template

    def rows_for(owner_ids):
        found = canvas_service.canvases_for_learners(block, owner_ids)
        return {owner: [{section.title: "\n".join(n["text"] for n in notes)
                         for section, notes in canvas.section_notes(template, c.notes)}]
                for owner, c in found.items()}

    return reports.report_rows(user_state_iterator, rows_for, limit_responses, legacy_field="canvas_owner")
