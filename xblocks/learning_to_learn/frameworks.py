"""Competence frameworks: the built-in ones (EntreComp, LifeComp, shipped as data files
with their source and licence) and custom ones defined by a course team.

A framework is plain data: areas holding competences, and a rating scale of levels, each
with a label, a band (e.g. "Foundation") and a descriptor. `parse_framework` is the one
gate every framework passes (Studio save, JSON import, OLX import): it returns a clean
`Framework` or raises an ApiError saying what is wrong.
"""
import functools
import importlib.resources
import json
from dataclasses import dataclass, replace

from xblocks.common import jsontext
from xblocks.common.config import get_setting
from xblocks.common.errors import Phrase, _, bad_request
from xblocks.common.structures import STRUCTURE_ID

BUILT_IN = ("entrecomp", "lifecomp")
MAX_AREAS = 10
MAX_COMPETENCES = 40
MAX_LEVELS = 10
MAX_TITLE = 200
MAX_TEXT = 1000


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    band: str
    descriptor: str


@dataclass(frozen=True)
class Competence:
    id: str
    title: str
    descriptor: str
    area_id: str


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    competences: tuple


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    source: str
    licence: str
    levels: tuple
    allow_not_sure: bool
    areas: tuple

    @property
    def competences(self):
        return tuple(c for area in self.areas for c in area.competences)

    @property
    def competence_ids(self):
        return tuple(c.id for c in self.competences)

    @property
    def level_values(self):
        return tuple(level.value for level in self.levels)

    @property
    def max_level(self):
        return self.levels[-1].value

    @property
    def min_level(self):
        return self.levels[0].value

    def level(self, value):
        return next((level for level in self.levels if level.value == value), None)

    def as_json(self):
        """The framework as the JSON a course team exports and imports."""
        return {
            "id": self.id, "title": self.title, "source": self.source, "licence": self.licence,
            "scale": {
                "levels": [{"value": lv.value, "label": lv.label, "band": lv.band, "descriptor": lv.descriptor}
                           for lv in self.levels],
                "allow_not_sure": self.allow_not_sure,
            },
            "areas": [{"id": a.id, "title": a.title, "competences": [
                {"id": c.id, "title": c.title, "descriptor": c.descriptor} for c in a.competences
            ]} for a in self.areas],
        }


def _text(value, where, limit, required=True):
    if not isinstance(value, str) or (required and not value.strip()):
        raise bad_request("invalid_framework", _("{where} needs a text."), field="framework", where=where)
    if len(value) > limit:
        raise bad_request("invalid_framework", _("{where} is longer than {limit} characters."),
                          field="framework", where=where, limit=limit)
    return value.strip()


def _ident(value, where, seen):
    if not isinstance(value, str) or not STRUCTURE_ID.match(value):
        raise bad_request("invalid_framework",
                          _("{where}: an id is 1-40 lowercase letters, digits, '-' or '_'."),
                          field="framework", where=where)
    if value in seen:
        raise bad_request("invalid_framework", _("The id '{id}' is used twice."), field="framework", id=value)
    seen.add(value)
    return value


def _list(value, where, low, high):
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise bad_request("invalid_framework", _("{where} must list between {low} and {high} items."),
                          field="framework", where=where, low=low, high=high)
    return value


def _object(value, where):
    if not isinstance(value, dict):
        raise bad_request("invalid_framework", _("{where} must be an object."), field="framework", where=where)
    return value


def _parse_level(raw, n):
    raw = _object(raw, Phrase(_("Level {n}"), n=n))
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise bad_request("invalid_framework", _("Level {n}: the value must be a whole number from 0 to 100."),
                          field="framework", n=n)
    return Level(
        value,
        _text(raw.get("label"), Phrase(_("The label of level {n}"), n=n), MAX_TITLE),
        _text(raw.get("band", ""), Phrase(_("The band of level {n}"), n=n), MAX_TITLE, required=False),
        _text(raw.get("descriptor", ""), Phrase(_("The descriptor of level {n}"), n=n), MAX_TEXT, required=False),
    )


def _parse_area(raw, n, seen):
    """An area and its competences; `seen` collects ids, which are unique across the framework."""
    raw = _object(raw, Phrase(_("Area {n}"), n=n))
    area_id = _ident(raw.get("id"), Phrase(_("The id of area {n}"), n=n), seen)
    title = _text(raw.get("title"), Phrase(_("The title of area {n}"), n=n), MAX_TITLE)
    competences = []
    listed = _list(raw.get("competences"), Phrase(_("The competences of area {n}"), n=n), 1, MAX_COMPETENCES)
    for number, comp in enumerate(listed, start=1):
        comp = _object(comp, Phrase(_("Competence {number} of area {n}"), number=number, n=n))
        competences.append(Competence(
            _ident(comp.get("id"), Phrase(_("The id of competence {number} in area {n}"), number=number, n=n), seen),
            _text(comp.get("title"), Phrase(_("The title of competence {number} in area {n}"), number=number, n=n),
                  MAX_TITLE),
            _text(comp.get("descriptor", ""),
                  Phrase(_("The descriptor of competence {number} in area {n}"), number=number, n=n),
                  MAX_TEXT, required=False),
            area_id,
        ))
    return Area(area_id, title, tuple(competences))


def parse_framework(data):
    """Validate framework JSON (already parsed) and return a Framework."""
    data = _object(data, Phrase(_("The framework")))
    scale = _object(data.get("scale"), Phrase(_("The rating scale")))
    levels = []
    for position, raw in enumerate(_list(scale.get("levels"), Phrase(_("The rating scale")), 2, MAX_LEVELS), start=1):
        level = _parse_level(raw, position)
        if levels and level.value <= levels[-1].value:
            raise bad_request("invalid_framework", _("Level values must rise from the first level to the last."),
                              field="framework")
        levels.append(level)
    seen, areas = set(), []
    for position, raw in enumerate(_list(data.get("areas"), Phrase(_("The list of areas")), 1, MAX_AREAS), start=1):
        areas.append(_parse_area(raw, position, seen))
    if sum(len(area.competences) for area in areas) > MAX_COMPETENCES:
        raise bad_request("invalid_framework", _("Too many competences in one framework (maximum: {n})."),
                          field="framework", n=MAX_COMPETENCES)
    allow_not_sure = scale.get("allow_not_sure", False)
    if not isinstance(allow_not_sure, bool):
        raise bad_request("invalid_framework", _("scale.allow_not_sure must be true or false."), field="framework")
    return Framework(
        id=_ident(data.get("id", "custom"), Phrase(_("The framework")), set()),
        title=_text(data.get("title"), Phrase(_("The framework title")), MAX_TITLE),
        source=_text(data.get("source", ""), Phrase(_("The source")), MAX_TEXT, required=False),
        licence=_text(data.get("licence", ""), Phrase(_("The licence")), MAX_TEXT, required=False),
        levels=tuple(levels), allow_not_sure=allow_not_sure, areas=tuple(areas),
    )


def parse_framework_text(text):
    """A framework from uploaded JSON text: size-checked, then parsed and validated."""
    limit = get_setting("FRAMEWORK_MAX_BYTES")
    if len(text.encode("utf-8")) > limit:
        raise bad_request("too_large", _("The framework file is larger than {limit} bytes."), field="framework",
                          limit=limit)
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as error:
        raise bad_request("invalid_json", _("The framework is not valid JSON (line {line})."), field="framework",
                          line=error.lineno) from None
    return parse_framework(data)


@functools.cache
def built_in(framework_id):
    """A built-in framework from its data file (parsed once per process)."""
    if framework_id not in BUILT_IN:
        raise KeyError(framework_id)
    text = importlib.resources.files(__package__).joinpath(f"data/{framework_id}.json").read_text("utf-8")
    return parse_framework(json.loads(text))


def translatable_texts(data):
    """The texts of a built-in framework that learners read, for the catalogue (scripts/i18n).

    Source and licence stay as published: they are citations.
    """
    texts = [data["title"]]
    for level in data["scale"]["levels"]:
        texts += [level["label"], level.get("band", ""), level.get("descriptor", "")]
    for area in data["areas"]:
        texts.append(area["title"])
        for competence in area["competences"]:
            texts += [competence["title"], competence.get("descriptor", "")]
    return [text for text in dict.fromkeys(texts) if text]


@functools.cache
def _built_in_texts():
    """Every text of the built-in frameworks that the catalogue translates."""
    return frozenset(text for fid in BUILT_IN for text in translatable_texts(built_in(fid).as_json()))


def localized(framework, gettext):
    """A framework with its texts in the learner's language: every text of a built-in one; of a
    custom one, the texts it kept from a built-in (a copy of LifeComp with only its title
    changed still reads in German), the course team's own texts as written."""
    known = None if framework.id in BUILT_IN else _built_in_texts()

    def tr(text):
        return gettext(text) if text and (known is None or text in known) else text

    return replace(
        framework,
        title=tr(framework.title),
        levels=tuple(replace(lv, label=tr(lv.label), band=tr(lv.band), descriptor=tr(lv.descriptor))
                     for lv in framework.levels),
        areas=tuple(replace(area, title=tr(area.title), competences=tuple(
            replace(c, title=tr(c.title), descriptor=tr(c.descriptor)) for c in area.competences))
            for area in framework.areas),
    )
