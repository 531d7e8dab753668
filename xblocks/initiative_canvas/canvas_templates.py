"""Canvas templates: the built-in Business Model Canvas, Lean Canvas and Value
Proposition Canvas (data files with their licence attribution) and custom ones defined by
a course team. A template is a grid (columns x rows) of sections, each with a title,
guiding questions and its place on the grid: [column, row, width, height], 1-based.
`parse_template` is the one gate every template passes (Studio save, JSON import, OLX).
"""
import functools
import importlib.resources
import json
from dataclasses import dataclass, replace

from xblocks.common import jsontext
from xblocks.common.config import get_setting
from xblocks.common.errors import Phrase, _, bad_request
from xblocks.common.links import safe_url
from xblocks.common.structures import STRUCTURE_ID

BUILT_IN = ("business_model_canvas", "lean_canvas", "value_proposition_canvas")
MAX_SECTIONS = 16
MAX_QUESTIONS = 5
MAX_GRID = 12
MAX_TITLE = 120
MAX_TEXT = 500


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple
    grid: tuple  # (column, row, width, height)

    @property
    def area(self):
        """The section's place as a CSS grid-area (row / column / span height / span width): the
        one layout of every HTML rendering (learner board, printable page, staff and peer-review
        views, through common bizmooc.css `.bizmooc-grid`); the PNG draws the same `grid`."""
        column, row, width, height = self.grid
        return f"{row} / {column} / span {height} / span {width}"


@dataclass(frozen=True)
class CanvasTemplate:
    id: str
    title: str
    attribution: str
    licence_url: str
    columns: int
    rows: int
    sections: tuple

    @property
    def section_ids(self):
        return tuple(section.id for section in self.sections)

    def section(self, section_id):
        return next((s for s in self.sections if s.id == section_id), None)

    def as_json(self):
        return {"id": self.id, "title": self.title, "attribution": self.attribution,
                "licence_url": self.licence_url, "columns": self.columns, "rows": self.rows,
                "sections": [{"id": s.id, "title": s.title, "questions": list(s.questions), "grid": list(s.grid)}
                             for s in self.sections]}


def _fail(message, **params):
    return bad_request("invalid_template", message, field="template", **params)


def _text(value, where, limit, required=True):
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(_("{where} needs a text."), where=where)
    if len(value) > limit:
        raise _fail(_("{where} is longer than {limit} characters."), where=where, limit=limit)
    try:
        value.encode("utf-8")  # JSON's "\ud800" escapes: no page could show the template
    except UnicodeEncodeError:
        raise _fail(_("{where} needs a text."), where=where) from None
    return value.strip()


def _int(value, where, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(_("{where} must be a whole number from {low} to {high}."), where=where, low=low, high=high)
    return value


def _section(raw, n, columns, rows, seen):
    if not isinstance(raw, dict):
        raise _fail(_("{where} must be an object."), where=Phrase(_("Section {n}"), n=n))
    section_id = raw.get("id")
    if not isinstance(section_id, str) or not STRUCTURE_ID.match(section_id):
        raise _fail(_("{where}: an id is 1-40 lowercase letters, digits, '-' or '_'."),
                    where=Phrase(_("Section {n}"), n=n))
    if section_id in seen:
        raise _fail(_("The id '{id}' is used twice."), id=section_id)
    seen.add(section_id)
    questions = raw.get("questions", [])
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise _fail(_("{where}: at most {n} guiding questions."), where=Phrase(_("Section {n}"), n=n),
                    n=MAX_QUESTIONS)
    grid = raw.get("grid")
    if not isinstance(grid, list) or len(grid) != 4:
        raise _fail(_("{where}: the place on the grid is [column, row, width, height]."),
                    where=Phrase(_("Section {n}"), n=n))
    column = _int(grid[0], Phrase(_("The column of section {n}"), n=n), 1, columns)
    row = _int(grid[1], Phrase(_("The row of section {n}"), n=n), 1, rows)
    width = _int(grid[2], Phrase(_("The width of section {n}"), n=n), 1, columns - column + 1)
    height = _int(grid[3], Phrase(_("The height of section {n}"), n=n), 1, rows - row + 1)
    return Section(
        section_id,
        _text(raw.get("title"), Phrase(_("The title of section {n}"), n=n), MAX_TITLE),
        tuple(_text(q, Phrase(_("A guiding question of section {n}"), n=n), MAX_TEXT) for q in questions),
        (column, row, width, height),
    )


def _overlaps(sections):
    cells = {}
    for section in sections:
        column, row, width, height = section.grid
        for c in range(column, column + width):
            for r in range(row, row + height):
                if (c, r) in cells:
                    return cells[(c, r)], section.id
                cells[(c, r)] = section.id
    return None


def _licence_url(value, stored):
    """The licence link shown on every learner's canvas: a plain web address or nothing.

    A template already stored (older OLX, a snapshot's layout) keeps working without the
    link, so learners keep their canvas; a save or an import is refused instead."""
    where = Phrase(_("The licence address"))
    text = _text(value, where, MAX_TEXT, required=False)
    url = safe_url(text) if text else ""
    if url is None:
        if stored:
            return ""
        raise _fail(_("{where} must be a web address starting with https:// or http://."), where=where)
    return url


def parse_template(data, stored=False):
    """Validate template JSON (already parsed) and return a CanvasTemplate. `stored`: the
    template was saved earlier, so an unsafe licence link is dropped, not refused."""
    if not isinstance(data, dict):
        raise _fail(_("{where} must be an object."), where=Phrase(_("The template")))
    template_id = data.get("id", "custom")
    if not isinstance(template_id, str) or not STRUCTURE_ID.match(template_id):
        raise _fail(_("{where}: an id is 1-40 lowercase letters, digits, '-' or '_'."), where=Phrase(_("The template")))
    columns = _int(data.get("columns"), Phrase(_("The number of columns")), 1, MAX_GRID)
    rows = _int(data.get("rows"), Phrase(_("The number of rows")), 1, MAX_GRID)
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not 1 <= len(raw_sections) <= MAX_SECTIONS:
        raise _fail(_("A template has between 1 and {n} sections."), n=MAX_SECTIONS)
    seen = set()
    sections = tuple(_section(raw, n, columns, rows, seen) for n, raw in enumerate(raw_sections, start=1))
    overlap = _overlaps(sections)
    if overlap:
        raise _fail(_("The sections '{first}' and '{second}' overlap on the grid."), first=overlap[0],
                    second=overlap[1])
    return CanvasTemplate(
        id=template_id,
        title=_text(data.get("title"), Phrase(_("The template title")), MAX_TITLE),
        attribution=_text(data.get("attribution", ""), Phrase(_("The attribution")), MAX_TEXT, required=False),
        licence_url=_licence_url(data.get("licence_url", ""), stored),
        columns=columns, rows=rows, sections=sections,
    )


def parse_template_text(text):
    """A template from uploaded JSON text: size-checked, parsed, validated."""
    limit = get_setting("CANVAS_TEMPLATE_MAX_BYTES")
    if len(text.encode("utf-8")) > limit:
        raise _fail(_("The template file is larger than {limit} bytes."), limit=limit)
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as error:
        raise bad_request("invalid_json", _("The template is not valid JSON (line {line})."), field="template",
                          line=error.lineno) from None
    except RecursionError:  # "[[[[..." nested deeper than the parser goes
        raise bad_request("invalid_json", _("The template is not valid JSON (line {line})."), field="template",
                          line=1) from None
    return parse_template(data)


@functools.cache
def built_in(template_id):
    """A built-in template from its data file (parsed once per process)."""
    if template_id not in BUILT_IN:
        raise KeyError(template_id)
    text = importlib.resources.files(__package__).joinpath(f"data/{template_id}.json").read_text("utf-8")
    return parse_template(json.loads(text))


def translatable_texts(data):
    """Titles and guiding questions of a built-in template, for the catalogue (scripts/i18n).
    The attribution stays as published: it is a licence notice."""
    texts = [data["title"]]
    for section in data["sections"]:
        texts += [section["title"], *section.get("questions", [])]
    return [text for text in dict.fromkeys(texts) if text]


def localized(template, gettext):
    """A built-in template in the learner's language; custom ones as the course team wrote them."""
    if template.id not in BUILT_IN:
        return template
    return replace(template, title=gettext(template.title), sections=tuple(
        replace(s, title=gettext(s.title), questions=tuple(gettext(q) for q in s.questions))
        for s in template.sections))
