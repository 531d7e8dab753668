"""The canvas builder's rules, free of XBlock and of the database: what a valid set of
notes is, how progress and the completion rule are counted, and the JSON a learner
exports and imports.

A canvas is an ordered list of notes, each {"id", "section", "text", "colour"}; a note's
place within its section is its place in the list. Colours always come with a label
(a colour is never the only way to tell notes apart).
"""
import json
import re

from xblocks.common import jsontext
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request

from . import canvas_templates

# Colour -> its label; the label is what learners choose and read, the colour only helps.
COLOURS = {
    "yellow": _("Idea"),
    "green": _("Tested"),
    "blue": _("Question"),
    "pink": _("Risk"),
    "grey": _("Note"),
}
DEFAULT_COLOUR = "yellow"
_NOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
EXPORT_FORMAT = "bizmooc-canvas/1"


def _bad(code, message, **params):
    return bad_request(code, message, field="notes", **params)


def check_notes(template, notes):
    """Return the notes cleaned, or refuse the whole set: unknown section, too many notes,
    an empty or over-long text, an unknown colour, a duplicate id."""
    if not isinstance(notes, list):
        raise _bad("invalid_notes", _("The notes must be a list."))
    limit = get_setting("CANVAS_MAX_NOTES")
    if len(notes) > limit:
        raise _bad("too_many_notes", _("A canvas holds at most {limit} notes."), limit=limit)
    max_chars = get_setting("CANVAS_NOTE_MAX_CHARS")
    sections = set(template.section_ids)
    seen, clean = set(), []
    for note in notes:
        if not isinstance(note, dict) or set(note) - {"id", "section", "text", "colour"}:
            raise _bad("invalid_note", _("Each note has an id, a section, a text and a colour."))
        note_id, section, text = note.get("id"), note.get("section"), note.get("text")
        colour = note.get("colour", DEFAULT_COLOUR)
        if not isinstance(note_id, str) or not _NOTE_ID.match(note_id) or note_id in seen:
            raise _bad("invalid_note", _("Each note needs its own id."))
        seen.add(note_id)
        if not isinstance(section, str) or section not in sections:
            raise _bad("unknown_section", _("This canvas has no section '{section}'."), section=str(section)[:40])
        if not isinstance(text, str) or not text.strip():
            raise _bad("empty_note", _("A note needs some text."))
        if len(text) > max_chars:
            raise _bad("note_too_long", _("A note holds at most {limit} characters."), limit=max_chars)
        try:
            text.encode("utf-8")  # JSON's "\ud800" escapes: no page, CSV or database could show it
        except UnicodeEncodeError:
            raise _bad("invalid_note", _("A note holds text that is not valid.")) from None
        if not isinstance(colour, str) or colour not in COLOURS:
            raise _bad("invalid_colour", _("Unknown note colour '{colour}'."), colour=str(colour)[:20])
        clean.append({"id": note_id, "section": section, "text": text, "colour": colour})
    return clean


def outside(template, notes):
    """Notes in sections the template does not have (any more): the course team changed the
    template after the learner wrote them. They are kept, never shown for editing."""
    return [note for note in notes if note.get("section") not in template.section_ids]


def progress(template, notes):
    """{section_id: number of notes}, every section present."""
    counts = dict.fromkeys(template.section_ids, 0)
    for note in notes:
        if note["section"] in counts:
            counts[note["section"]] += 1
    return counts


def rule_met(template, notes, required_sections, min_notes):
    """The completion rule: each required section (all when none are named) has at least
    `min_notes` notes."""
    counts = progress(template, notes)
    required = [s for s in required_sections if s in counts] or list(counts)
    return all(counts[s] >= max(min_notes, 1) for s in required)


def export_document(template, notes, title):
    """The canvas as the JSON a learner downloads, and can import again."""
    return {"format": EXPORT_FORMAT, "title": title, "template": template.as_json(), "notes": notes}


def _source(document):
    """The name of the template a file was made with, and its section titles by id, as the
    file says (a built-in's title is its msgid: the caller translates it)."""
    found = document.get("template") if isinstance(document.get("template"), dict) else {}
    if found.get("id") in canvas_templates.BUILT_IN:
        found = canvas_templates.built_in(found["id"]).as_json()
    sections = found.get("sections") if isinstance(found.get("sections"), list) else []
    titles = {str(s.get("id"))[:40]: str(s.get("title") or s.get("id"))[:120] for s in sections if isinstance(s, dict)}
    return str(found.get("title") or _("another template"))[:120], titles


def import_document(template, text, fitting_only=False, gettext=lambda text: text):
    """Notes from an exported canvas. Notes of sections this template lacks are not silently
    dropped (the learner would lose words): the import is refused, naming the template the
    file comes from and the sections left out, unless `fitting_only` (the learner confirmed)."""
    try:
        document = jsontext.loads(text)
    except (json.JSONDecodeError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise _bad("invalid_json", _("This file is not a canvas export (it is not valid JSON).")) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise _bad("invalid_import", _("This file is not a canvas export."))
    notes = document.get("notes")
    if isinstance(notes, list):
        foreign = [n for n in notes if isinstance(n, dict) and n.get("section") not in template.section_ids]
        if foreign and fitting_only:
            notes = [n for n in notes if n not in foreign]
        elif foreign:
            name, titles = _source(document)
            left_out = list(dict.fromkeys(gettext(titles.get(str(n.get("section")), str(n.get("section"))[:40]))
                                          for n in foreign))
            raise ApiError("other_template", _("This file comes from another template: {template}."), 400,
                           field="notes", params={"template": gettext(name)},
                           details={"template": gettext(name), "fitting": len(notes) - len(foreign),
                                    "left_out": left_out})
    return check_notes(template, notes)


def section_notes(template, notes):
    """[(section, [notes])] in template order, for read-only renderings and exports."""
    by_section = {section.id: [] for section in template.sections}
    for note in notes:
        by_section.setdefault(note["section"], []).append(note)
    return [(section, by_section[section.id]) for section in template.sections]
