"""What a learner's or staff member's action on a canvas does: the reads, the rules
(`canvas`, `canvas_templates`), the writes (`canvas_store`) and the events, in one place.
The block wires its handlers here; views only present what these functions return.
Each handler runs in one transaction (common/handlers.py api_handler)."""
from dataclasses import dataclass

from xblocks.common import events, seams
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request, forbidden, not_found

from . import artefact, canvas, canvas_store, canvas_templates


def template_of(block):
    """The template in use, in the learner's language; a broken custom one falls back to
    the Business Model Canvas (validate() says so)."""
    if block.template_choice == "custom":
        try:
            return canvas_templates.parse_template(block.custom_template, stored=True)
        except ApiError:
            pass
    choice = block.template_choice if block.template_choice in canvas_templates.BUILT_IN \
        else "business_model_canvas"
    return canvas_templates.localized(canvas_templates.built_in(choice), block.gettext)


def _place(block, caller):
    return canvas_store.Place(course_id=block.course_key_str, usage_id=block.usage_key_str, user_id=caller.user_id)


def own_canvas(block, caller, required=True):
    found = canvas_store.learner_canvas(block.usage_key_str, caller.user_id)
    if found is None and required:
        raise bad_request("no_canvas", _("Add a note to your canvas first."))
    return found


@dataclass(frozen=True)
class LearnerCanvas:
    """What the learner's page starts from: the notes to edit, the notes of sections the
    template no longer has (stored, not handed to the page), and where the notes came from."""

    template: object
    notes: list
    kept: list
    version: int
    continued: bool
    snapshots: list


def _continued_notes(block, template, caller):
    """Notes of the learner's canvas in the `continue_from` block, in this template's sections."""
    if not block.continue_from:
        return None
    earlier = canvas_store.learner_canvas(block.continue_from, caller.user_id)
    if earlier is None:
        return None
    return [note for note in earlier.notes if note.get("section") in template.section_ids]


def learner_canvas(block, caller):
    template = template_of(block)
    own = canvas_store.learner_canvas(block.usage_key_str, caller.user_id)
    continued = None if own else _continued_notes(block, template, caller)
    notes = own.notes if own else (continued or [])
    # Notes of sections the template no longer has stay stored (save keeps them) but are
    # not handed to the page, which could only send them back to be refused.
    kept = canvas.outside(template, notes)
    return LearnerCanvas(template=template, notes=[note for note in notes if note not in kept], kept=kept,
                         version=own.version if own else 0, continued=continued is not None,
                         snapshots=list(canvas_store.snapshots_of(own)))


def _saved(block, caller, template, notes, base_version):
    counts = canvas.progress(template, notes)
    saved = canvas_store.save(_place(block, caller), template, notes, base_version, counts)
    block.remember_learner(caller)
    if base_version == 0:
        events.publish_event(block, "created", {"notes": len(notes)})
    if not block.completed and canvas.rule_met(template, notes, block.required_sections, block.min_notes):
        block.completed = True
        block.publish_completed()
    return {"version": saved.version, "saved_at": saved.modified.isoformat(), "progress": counts,
            "completed": block.completed}


def _kept_notes(block, template, caller):
    """The stored notes of sections the template no longer has: the page never sends them
    (they are not shown), and a save must not lose them."""
    stored = canvas_store.learner_canvas(block.usage_key_str, caller.user_id)
    return canvas.outside(template, stored.notes) if stored else []


def save_notes(block, caller, notes, version):
    template = template_of(block)
    notes = canvas.check_notes(template, notes)
    return _saved(block, caller, template, notes + _kept_notes(block, template, caller), version)


def import_document(block, caller, text, version, fitting_only=False):
    template = template_of(block)
    notes = canvas.import_document(template, text, fitting_only, block.gettext)
    result = _saved(block, caller, template, notes, version)
    events.publish_event(block, "imported", {"notes": len(notes)})
    return dict(result, notes=notes)


def exported_notes(block, caller, export_format):
    found = own_canvas(block, caller, required=False)
    events.publish_event(block, "exported", {"format": export_format})
    return found.notes if found else []


def create_snapshot(block, caller, name):
    snapshot = canvas_store.create_snapshot(own_canvas(block, caller), name.strip())
    events.publish_event(block, "snapshot_created", {})
    return snapshot


def restore_snapshot(block, caller, snapshot_id, version):
    # Without a canvas of their own, any snapshot id (another learner's) is simply not found.
    snapshot = canvas_store.snapshot_of(own_canvas(block, caller, required=False), snapshot_id)
    template = template_of(block)
    if snapshot.template_id != template.id:
        raise forbidden(_("This snapshot was taken with another template; open it to copy its notes."),
                        code="other_template")
    # Checked again: a custom template keeps its id while the course team edits its sections.
    notes = canvas.check_notes(template, snapshot.notes)
    result = _saved(block, caller, template, notes, version)
    events.publish_event(block, "snapshot_restored", {})
    return dict(result, notes=notes)


def snapshot_with_template(block, caller, snapshot_id):
    """A snapshot of the caller's, and the template it was taken with (built-in, or the
    custom one stored with it), in the reader's language."""
    snapshot = canvas_store.snapshot_of(own_canvas(block, caller, required=False), snapshot_id)
    template = canvas_templates.localized(
        artefact.template_for(snapshot.template_id, snapshot.layout, template_of(block)), block.gettext)
    return snapshot, template


def user_state(block, caller):
    found = own_canvas(block, caller, required=False)
    return {"notes": found.notes if found else [], "version": found.version if found else 0,
            "completed": block.completed}


def canvas_in_block(block, canvas_id):
    found = canvas_store.canvas_in_block(block.usage_key_str, canvas_id)
    if found is None:
        raise not_found(_("There is no such canvas."))
    return found


# Staff reads: the list, the exports and the report take their canvases from here -------------

@dataclass(frozen=True)
class StaffPage:
    """One page of the block's canvases (notes not loaded), who made each as staff may see
    them (a username where the platform knows it, else the anonymous id), and the total."""

    template: object
    canvases: list
    names: dict
    page: int
    has_next: bool
    total: int


def staff_page(block, page):
    """2 queries (the page, the count), and 1 for the usernames in the LMS."""
    size = get_setting("STAFF_PAGE_SIZE")
    found = canvas_store.block_page(block.usage_key_str, (page - 1) * size, size + 1)
    shown = found[:size]
    return StaffPage(template=template_of(block), canvases=shown,
                     names=seams.usernames_of([c.user_id for c in shown]), page=page,
                     has_next=len(found) > size, total=canvas_store.block_count(block.usage_key_str))


def block_canvases(block):
    """Every canvas of the block, for the exports (1 query, read in chunks)."""
    return canvas_store.block_canvases_for_export(block.usage_key_str)


def canvases_for_learners(block, user_ids):
    """{user_id: canvas} of a batch of learners, for the report (1 query)."""
    return canvas_store.canvases_for_learners(block.usage_key_str, user_ids)
