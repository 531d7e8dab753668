"""The Studio editor's form, built from a component's settings schema (settings.py).

One row per setting, in the schema's groups, with its label, help, limits and current
value, all escaped; a structured setting's row is the component's own template. The
shared browser code (bizmooc.js `settingsEditor`) reads the rows back by their
`data-setting` name and `data-kind`, hides rows whose `show_when` does not hold, and marks
every field the server refuses.
"""
import json
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .errors import _


def element_id(block, name):
    return f"{block.dom_id}-{name.replace('_', '-')}"


def _help(block, setting, help_id):
    if not setting.help:
        return ""
    return format_html('<p class="bizmooc-help" id="{}">{}</p>', help_id, block.gettext(setting.help))


def _show_when(setting):
    if not setting.show_when:
        return ""
    name, values = setting.show_when
    values = list(values) if isinstance(values, (tuple, list)) else [values]
    return format_html(' data-show-when="{}"', json.dumps({"name": name, "values": values}))


def _kind(setting):
    step = getattr(setting, "step", None)
    if setting.widget == "number":
        return "int" if step == 1 else "number"
    if setting.widget == "checkbox":
        return "bool"
    return "text" if setting.widget in ("text", "textarea", "moment", "select", "radio") else setting.widget


def _attributes(block, setting, help_id):
    attrs = {"id": element_id(block, setting.name), "name": setting.name, "data-setting": setting.name,
             "data-kind": _kind(setting)}
    if setting.help:
        attrs["aria-describedby"] = help_id
    if getattr(setting, "max_length", None):
        attrs["maxlength"] = setting.max_length
    if getattr(setting, "min_length", 0):
        attrs["required"] = "required"
    for limit, attr in (("min_value", "min"), ("max_value", "max")):
        value = getattr(setting, limit, None)
        if value is not None and not callable(value):
            attrs[attr] = value
    if setting.widget == "number":
        attrs["step"] = setting.step
    return format_html_join("", ' {}="{}"', attrs.items())


def _row_names(block, setting):
    """The patterns a text list's rows are named with; bizmooc.js `rowList` renumbers rows
    with the same ones after a row is added, removed or moved."""
    return {"item": block.gettext(setting.item_label), "up": block.gettext(_("Move {item} up")),
            "down": block.gettext(_("Move {item} down")), "remove": block.gettext(_("Remove {item}"))}


def _text_item(block, setting, number, text, described, names):
    """One row of a text list."""
    item_id = f"{element_id(block, setting.name)}-{number}"
    label = names["item"].format(number=number)
    return format_html(
        '<li class="bizmooc-row"><label for="{0}">{1}</label><textarea id="{0}" rows="{2}" maxlength="{3}"{4}>{5}'
        '</textarea><span class="bizmooc-row-actions">'
        '<button type="button" class="bizmooc-button secondary" data-row-act="up">{6}</button>'
        '<button type="button" class="bizmooc-button secondary" data-row-act="down">{7}</button>'
        '<button type="button" class="bizmooc-button secondary" data-row-act="remove">{8}</button></span></li>',
        item_id, label, setting.lines, setting.max_length, described, text,
        names["up"].format(item=label), names["down"].format(item=label), names["remove"].format(item=label))


def _text_list(block, setting, items, show, help_id):
    described = format_html(' aria-describedby="{}"', help_id) if setting.help else ""
    names = _row_names(block, setting)
    rows = format_html_join("", "{}", ((_text_item(block, setting, n, text, described, names),)
                                       for n, text in enumerate(items, start=1)))
    return format_html(
        '<fieldset class="bizmooc-field bizmooc-row-list" data-row="{0}" data-setting="{0}" data-kind="textlist"'
        ' data-names="{1}"{2}><legend class="bizmooc-label">{3}</legend>{4}<ol class="bizmooc-rows">{5}</ol>'
        '<button type="button" class="bizmooc-button secondary" data-row-act="add">{6}</button>'
        '<template>{7}</template></fieldset>',
        setting.name, json.dumps(names), show, block.gettext(setting.label), _help(block, setting, help_id), rows,
        block.gettext(setting.add_label), _text_item(block, setting, 0, "", described, names))


@dataclass(frozen=True)
class _Row:
    """What every widget needs to draw one setting's row."""

    block: object
    setting: object
    value: object
    context: dict

    @property
    def id(self):
        return element_id(self.block, self.setting.name)

    @property
    def help_id(self):
        return self.id + "-help"

    @property
    def label(self):
        return self.block.gettext(self.setting.label)

    @property
    def show(self):
        return _show_when(self.setting)

    @property
    def attrs(self):
        return _attributes(self.block, self.setting, self.help_id)

    @property
    def help(self):
        return _help(self.block, self.setting, self.help_id)

    def choices(self):
        """(value, translated label, whether it is the current value) of a OneOf setting."""
        return [(choice, self.block.gettext(label), choice == self.value) for choice, label in self.setting.choices]


def _structured(row):
    setting = row.setting
    inner = row.block.render_template(setting.editor, dict(row.context, setting=setting, value=row.value)) \
        if setting.editor else ""
    return format_html('<div class="bizmooc-settings-structured" data-row="{}"{}>{}</div>',
                       setting.name, row.show, mark_safe(inner))  # noqa: S308 (a rendered, autoescaped template)


def _checkbox(row):
    return format_html(
        '<div class="bizmooc-field bizmooc-check" data-row="{}"{}><input type="checkbox"{}{}>'
        '<label for="{}">{}</label>{}</div>',
        row.setting.name, row.show, row.attrs, mark_safe(" checked") if row.value else "", row.id, row.label, row.help)


def _radio(row):
    name = row.setting.name
    options = format_html_join("", (
        '<div class="bizmooc-check"><input type="radio" id="{0}-{1}" name="{2}" value="{1}" data-setting="{2}" '
        'data-kind="text"{3}><label for="{0}-{1}">{4}</label></div>'), (
        (row.id, choice, name, mark_safe(" checked") if chosen else "", label)
        for choice, label, chosen in row.choices()))
    described = format_html(' aria-describedby="{}"', row.help_id) if row.setting.help else ""
    return format_html(
        '<fieldset class="bizmooc-field bizmooc-choices" data-row="{}"{}{}><legend class="bizmooc-label">{}'
        '</legend>{}{}</fieldset>', name, row.show, described, row.label, options, row.help)


def _labelled(row, control, label=None):
    """The common row: a label, the control, the help."""
    return format_html('<div class="bizmooc-field" data-row="{}"{}><label for="{}">{}</label>{}{}</div>',
                       row.setting.name, row.show, row.id, label or row.label, control, row.help)


def _select(row):
    options = format_html_join("", '<option value="{}"{}>{}</option>', (
        (choice, mark_safe(" selected") if chosen else "", label) for choice, label, chosen in row.choices()))
    return _labelled(row, format_html("<select{}>{}</select>", row.attrs, options))


def _textarea(row):
    return _labelled(row, format_html('<textarea rows="{}"{}>{}</textarea>', row.setting.lines, row.attrs,
                                      row.value or ""))


def _moment(row):
    label = format_html('{} <span class="bizmooc-help">({})</span>', row.label,
                        row.block.gettext(_("YYYY-MM-DDTHH:MM, UTC; empty for none")))
    return _labelled(row, format_html('<input type="text"{} value="{}">', row.attrs,
                                      row.setting.as_request(row.value)), label)


def _input(row):
    input_type = "number" if row.setting.widget == "number" else "text"
    return _labelled(row, format_html('<input type="{}"{} value="{}">', input_type, row.attrs, row.value))


_WIDGETS = {"structured": _structured, "checkbox": _checkbox, "radio": _radio, "select": _select,
            "textarea": _textarea, "moment": _moment, "text": _input, "number": _input}


def _row(block, setting, value, context):
    if setting.widget == "textlist":
        return _text_list(block, setting, value or [], _show_when(setting), element_id(block, setting.name) + "-help")
    return _WIDGETS[setting.widget](_Row(block, setting, value, context))


def render(block, title, css_class, context=None):
    """The whole editor form for `block`: its settings, grouped, then Save and Cancel, in a
    wrapper with the component's `css_class`.

    `context` goes to the component's templates of structured settings."""
    schema = block.settings_schema
    context = dict(context or {}, block=block)
    rows = {}
    for setting in schema:
        rows.setdefault(setting.group, []).append(_row(block, setting, getattr(block, setting.name), context))
    parts = [format_html_join("", "{}", ((row,) for row in rows.pop(None, [])))]
    for group in schema.groups:
        help_text = format_html('<p class="bizmooc-help">{}</p>', block.gettext(group.help)) if group.help else ""
        parts.append(format_html(
            '<fieldset class="bizmooc-settings-group" data-group="{}"><legend>{}</legend>{}{}</fieldset>',
            group.id, block.gettext(group.title), help_text,
            format_html_join("", "{}", ((row,) for row in rows.pop(group.id, [])))))
    if rows:
        raise ValueError(f"Settings in undeclared groups: {sorted(rows)}")
    return format_html(
        '<div class="bizmooc bizmooc-studio {}"><form class="bizmooc-settings-form" id="{}-studio" novalidate>'
        '<h3 class="bizmooc-title">{}</h3>{}'
        '<div class="bizmooc-error" role="alert" hidden></div>'
        '<div class="bizmooc-live bizmooc-visually-hidden" aria-live="polite"></div>'
        '<div class="bizmooc-actions"><button type="submit" class="bizmooc-button bizmooc-settings-save">{}</button>'
        '<button type="button" class="bizmooc-button secondary bizmooc-settings-cancel">{}</button></div></form></div>',
        css_class, block.dom_id, block.gettext(title), mark_safe("".join(parts)),  # noqa: S308 (built with format_html)
        block.gettext(_("Save")), block.gettext(_("Cancel")))

