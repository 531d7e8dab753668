"""A component's settings, declared once.

Each component lists its course-team settings in one `Schema`: for each, its type and
limits, its label and help, the widget the Studio editor shows and the group it sits in,
and the rules that span several settings. Everything else is derived from that list:

- the XBlock fields (`Scope.settings`, so they travel in OLX): `BizMOOCBlock` adds them to
  the class, with the label and help Studio's generic editor and the OLX export use;
- the `studio_submit` handler's accepted body and its checks, which report *every* field at
  fault at once (`SettingsRefused`), not only the first;
- `validate()`, the warnings Studio shows on the unit page, from the same checks;
- the Studio editor's form (`settings_form.py`): one row per setting, in its group.

Settings with an inner structure (a rubric, a framework, a canvas template, categories,
prompt cards) are `Structured`: the schema still declares and checks them (with the
component's parser), and the component supplies the hand-built part of the editor.
"""
from dataclasses import dataclass, field

from xblock.fields import Boolean, Float, Integer, Scope, String

from .dates import check_moment, moment_text
from .errors import ApiError, _
from .fields import JSONDict, JSONList
from .fields import Moment as MomentField
from .shapes import Anything, Bool, Choice, Int, ListOf, Number, Str
from .text import clean_html


@dataclass(frozen=True)
class Problem:
    """One setting at fault: the field, an untranslated message, its placeholders."""

    field: str
    message: str
    params: dict = field(default_factory=dict)
    code: str = "invalid_settings"

    @classmethod
    def of(cls, error, name):
        return cls(error.field or name, error.message, error.params, error.code)

    def translated(self, gettext):
        return ApiError(None, self.message, params=self.params).translated(gettext)


class SettingsRefused(ApiError):
    """400 naming every setting at fault in `fields`; the first one is also the error's
    code, message and `field`, as any other refusal."""

    def __init__(self, problems):
        first = problems[0]
        super().__init__(first.code, first.message, field=first.field, params=first.params)
        self.problems = problems

    def as_json(self, gettext=lambda text: text):
        body = super().as_json(gettext)
        body["error"]["fields"] = [{"field": p.field, "message": p.translated(gettext)} for p in self.problems]
        return body


class Setting:
    """A setting's name, default, label, help, group and when the editor shows it.

    `show_when` is ("other_setting", value) or ("other_setting", (value, ...)): the editor
    hides the row otherwise (the value is kept and still checked)."""

    widget = "text"
    # The refusals of the setting's rule that `message` replaces.
    message_codes = ("out_of_range", "too_long", "invalid_length")

    def __init__(self, default, label, help=None, group=None, show_when=None, message=None,  # noqa: A002
                 stored_is_warning=False):
        self.name = None  # set by Schema
        self.default = default
        self.label = label
        self.help = help
        self.group = group
        self.show_when = show_when
        # A stored value that breaks the rules is only a warning in Studio (learners simply do
        # not see the part at fault); a save is still refused.
        self.stored_is_warning = stored_is_warning
        # Said instead of the generic "'name' is out of range." when the value breaks the
        # setting's own type or limits, so course teams read which limit, in their words.
        self.message = message

    def refusal(self, error):
        """The Problem for a value that broke this setting's rule (`error`, an ApiError)."""
        if self.message and error.code in self.message_codes:
            return Problem(self.name, self.message, self.message_params(), error.code)
        return Problem.of(error, self.name)

    def message_params(self):
        return {}

    def rule(self):
        """The request rule (shapes.py) that checks a submitted value."""
        raise NotImplementedError

    def xblock_field(self):
        raise NotImplementedError

    def clean(self, value, values):
        """The value as stored; `values` are the other settings, already checked."""
        return value

    def as_request(self, value):
        """A stored value as the editor sends it (what `clean` turns back into it)."""
        return value

    def _field_kwargs(self):
        kwargs = {"display_name": self.label, "scope": Scope.settings, "default": self.default}
        if self.help:
            kwargs["help"] = self.help
        return kwargs


class Text(Setting):
    """Text; `html` text is cleaned of scripts and styles before it is stored."""

    def __init__(self, default, label, max_length, min_length=0, lines=1, html=False, **kwargs):
        super().__init__(default, label, **kwargs)
        self.max_length = max_length
        self.min_length = min_length
        self.lines = lines
        self.html = html
        self.widget = "textarea" if lines > 1 else "text"

    def rule(self):
        return Str(max_length=self.max_length, min_length=self.min_length)

    def xblock_field(self):
        return String(**self._field_kwargs())

    def clean(self, value, values):
        return clean_html(value) if self.html else value


class Whole(Setting):
    widget = "number"
    step = 1

    def __init__(self, default, label, min_value, max_value, **kwargs):
        super().__init__(default, label, **kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def rule(self):
        return Int(min_value=self.min_value, max_value=self.max_value)

    def xblock_field(self):
        return Integer(**self._field_kwargs())


class Decimal(Whole):
    """A number that may have decimals (a weight, a number of days)."""

    step = "any"

    def rule(self):
        return Number(min_value=self.min_value, max_value=self.max_value)

    def xblock_field(self):
        return Float(**self._field_kwargs())


class Flag(Setting):
    widget = "checkbox"

    def rule(self):
        return Bool()

    def xblock_field(self):
        return Boolean(**self._field_kwargs())


class OneOf(Setting):
    """One of `choices`, a tuple of (value, label); shown as radio buttons or a select."""

    def __init__(self, default, label, choices, widget="radio", **kwargs):
        super().__init__(default, label, **kwargs)
        self.choices = tuple(choices)
        self.widget = widget

    @property
    def values(self):
        return tuple(value for value, _label in self.choices)

    def rule(self):
        return Choice(self.values)

    def xblock_field(self):
        return String(values=self.values, **self._field_kwargs())


class Moment(Setting):
    """A date, or a date and time (None: none), typed as dates.py reads it, stored in UTC."""

    widget = "moment"

    def __init__(self, label, **kwargs):
        super().__init__(None, label, **kwargs)

    def rule(self):
        return Str(max_length=40)

    def xblock_field(self):
        return MomentField(**self._field_kwargs())

    def clean(self, value, values):
        return check_moment(self.name, value)

    def as_request(self, value):
        return moment_text(value)


class Structured(Setting):
    """A list or dict with an inner structure, parsed by the component's `parse(value,
    values)` (which raises ApiError naming what is wrong) into what is stored.

    `editor` names the component's template for its part of the Studio editor; `after`
    lists settings the parser reads, so they are checked first."""

    widget = "structured"

    def __init__(self, default, label, parse, editor=None, after=(), **kwargs):
        super().__init__(default, label, **kwargs)
        self.parse = parse
        self.editor = editor
        self.after = tuple(after)

    def rule(self):
        return Anything()

    def xblock_field(self):
        kind = JSONList if isinstance(self.default, list) else JSONDict
        return kind(**self._field_kwargs())

    def clean(self, value, values):
        return self.parse(value, values)


class TextList(Setting):
    """A list of texts (a journal's prompts), edited as rows added, removed and reordered
    with the shared row-list editor (bizmooc.js `rowList`). `item_label` has a {number}."""

    widget = "textlist"
    message_codes = ("invalid_length",)  # `message` is about the number of items

    def __init__(self, default, label, max_items, max_length, item_label, add_label, lines=3, html=False,
                 **kwargs):
        super().__init__(default, label, **kwargs)
        self.max_items = max_items
        self.max_length = max_length
        self.item_label = item_label
        self.add_label = add_label
        self.lines = lines
        self.html = html

    def rule(self):
        return ListOf(Str(max_length=self.max_length), max_items=self.max_items)

    def message_params(self):
        return {"count": self.max_items() if callable(self.max_items) else self.max_items}

    def xblock_field(self):
        return JSONList(**self._field_kwargs())

    def clean(self, value, values):
        return [clean_html(item) for item in value] if self.html else value


@dataclass(frozen=True)
class Group:
    """A titled part of the editor (a fieldset)."""

    id: str
    title: str
    help: str = None


class Schema:
    """A component's settings, its editor's groups, and the rules spanning settings.

    `checks` are functions of the values (a dict of the settings valid on their own) that
    yield Problems; a check that reads a setting at fault stops at its KeyError, since that
    setting is reported already; `request_flags` are extra, optional request fields that are
    not settings (peer review's "confirm the rubric change")."""

    def __init__(self, settings, groups=(), checks=(), request_flags=None):
        self.settings = {}
        for name, setting in settings.items():
            setting.name = name
            self.settings[name] = setting
        self.groups = tuple(groups)
        self.checks = tuple(checks)
        self.request_flags = dict(request_flags or {})

    def __iter__(self):
        return iter(self.settings.values())

    def __contains__(self, name):
        return name in self.settings

    def names(self):
        return tuple(self.settings)

    def xblock_fields(self):
        return {name: setting.xblock_field() for name, setting in self.settings.items()}

    def request_shape(self):
        """What `studio_submit` accepts: every setting (checked by `problems`, so that all
        faults are reported together) and the optional request flags."""
        shape = {name: Anything() for name in self.settings}
        shape.update(self.request_flags)
        return shape

    def values_of(self, block):
        return {name: getattr(block, name) for name in self.settings}

    def request_values(self, block):
        """The block's stored settings as the editor would send them."""
        return {name: setting.as_request(getattr(block, name)) for name, setting in self.settings.items()}

    def _ordered(self):
        """Settings in an order where each structured parser's inputs come first."""
        done, order = set(), []

        def visit(setting):
            if setting.name in done:
                return
            done.add(setting.name)
            for name in getattr(setting, "after", ()):
                visit(self.settings[name])
            order.append(setting)

        for setting in self.settings.values():
            visit(setting)
        return order

    def check(self, values):
        """(clean values, problems): every setting checked on its own, then the rules."""
        clean, problems = {}, []
        for setting in self._ordered():
            if any(name not in clean for name in getattr(setting, "after", ())):
                continue  # an input of this parser is at fault already
            try:
                value = setting.rule().check(setting.name, values.get(setting.name, setting.default))
                clean[setting.name] = setting.clean(value, clean)
            except ApiError as error:
                problems.append(setting.refusal(error))
        for rule in self.checks:
            try:
                problems.extend(rule(clean))
            except KeyError:
                pass  # a setting the rule reads is at fault on its own, and already reported
        position = {name: index for index, name in enumerate(self.settings)}
        problems.sort(key=lambda found: position.get(found.field, len(position)))  # the editor's order
        return clean, problems

    def cleaned(self, values):
        """The values to store; raises SettingsRefused naming every setting at fault."""
        clean, problems = self.check(values)
        if problems:
            raise SettingsRefused(problems)
        return clean


def graded(label, **kwargs):
    """Whether the component is graded; `label` says for what (each component's own rule)."""
    return Flag(False, label, **kwargs)


def weight(**kwargs):
    """The points the component is worth in the course grade, as every component declares it."""
    return Decimal(1.0, _("Weight (points in the grade)"), min_value=0, max_value=None,
                   message=_("The weight cannot be negative."), **kwargs)


def problem(field_name, message, **params):
    """A Problem, for the `checks` of a schema."""
    return Problem(field_name, message, params)


__all__ = ["Decimal", "Flag", "Group", "Moment", "OneOf", "Problem", "Schema", "Setting", "SettingsRefused",
           "Structured", "Text", "TextList", "Whole", "_", "graded", "problem", "weight"]
