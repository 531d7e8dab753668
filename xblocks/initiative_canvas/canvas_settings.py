"""The canvas's settings, declared once (common/settings.py): the block's fields, the
Studio editor and the checks of a save and of `validate()` come from here.

The template in use, the example canvas and the required sections are structured: their
parsers read the template chosen (`template_for`), and the component's own editor templates
(templates/canvas/studio_*.html, static/js/canvas_studio.js) edit them. Their refusals
name what the rules name ("template", "notes"), which the editor finds inside its parts."""
from xblocks.common.errors import _, bad_request
from xblocks.common.settings import Group, OneOf, Schema, Structured, Text, Whole, graded, weight
from xblocks.common.shapes import ListOf, Str

from . import canvas, canvas_templates

TEMPLATE_CHOICES = (
    ("business_model_canvas", _("Business Model Canvas (built in, 9 building blocks)")),
    ("lean_canvas", _("Lean Canvas (built in)")),
    ("value_proposition_canvas", _("Value Proposition Canvas (built in)")),
    ("custom", _("Custom template (edit it below)")),
)


def template_for(values):
    """The template the (checked) settings choose."""
    if values["template_choice"] == "custom":
        return canvas_templates.parse_template(values["custom_template"])
    return canvas_templates.built_in(values["template_choice"])


def _custom_template(value, values):
    """The custom template as stored. With a built-in chosen, one the editor sent is still
    checked and kept, so switching back later does not lose it; none (None, or nothing stored
    yet) keeps what is stored (CanvasBlock.settings_saving)."""
    if values["template_choice"] != "custom" and value in (None, {}):
        return value
    return canvas_templates.parse_template(value).as_json()


def _example_notes(value, values):
    return canvas.check_notes(template_for(values), value or [])


def _required_sections(value, values):
    value = ListOf(Str(max_length=40), max_items=canvas_templates.MAX_SECTIONS).check("required_sections", value)
    known = template_for(values).section_ids
    unknown = [section for section in value if section not in known]
    if unknown:
        raise bad_request("unknown_section", _("This template has no section '{section}'."), section=unknown[0])
    return value


def _grouped(group, setting):
    setting.group = group
    return setting


class Location(Text):
    """A block's location, typed or pasted: surrounding blanks are not part of it."""

    def clean(self, value, values):
        return value.strip()


SETTINGS = Schema({
    "display_name": Text("Business model canvas", _("Display name"), max_length=255, min_length=1,
                         group="component"),
    "instructions": Text(
        "<p>Describe your business idea, or an opportunity inside your organisation, with a few short notes per "
        "section.</p>", _("Instructions (HTML)"), max_length=20_000, lines=4, html=True, group="component",
        help=_("Shown above the canvas. Basic HTML is allowed; scripts and styles are removed.")),
    "template_choice": OneOf("business_model_canvas", _("The canvas learners fill in"), TEMPLATE_CHOICES,
                             group="template"),
    "custom_template": Structured({}, _("Custom template"), _custom_template,
                                  editor="canvas/studio_template.html", after=("template_choice",),
                                  group="template"),
    "example_notes": Structured([], _("Example canvas"), _example_notes,
                                editor="canvas/studio_notes.html", after=("template_choice", "custom_template"),
                                group="example",
                                help=_("Notes of an example canvas learners can show next to theirs.")),
    "required_sections": Structured([], _("Required sections"), _required_sections,
                                    editor="canvas/studio_required.html",
                                    after=("template_choice", "custom_template"), group="completion",
                                    help=_("Sections that count for completion; none means all.")),
    "min_notes": Whole(1, _("Notes needed in each required section"), min_value=1, max_value=50,
                       group="completion"),
    "graded": _grouped("completion", graded(_("Graded: full marks when the canvas is complete"))),
    "weight": _grouped("completion", weight()),
    "continue_from": Location(
        "", _("Location of the earlier canvas component (optional)"), max_length=255, group="continue",
        help=_("The location of another canvas component of this course, as Studio shows it in that component's "
               "settings (for example block-v1:Org+Course+Run+type@bizmooc_canvas+block@week2). A learner who has "
               "no canvas here yet starts from their own canvas there: notes in sections this template also has "
               "are copied. Leave empty to start from an empty canvas.")),
}, groups=(
    Group("component", _("Component")),
    Group("template", _("Template")),
    Group("example", _("Example canvas"),
          _("Learners can show these notes next to their own canvas. Leave the list empty for no example.")),
    Group("completion", _("Completion and grading")),
    Group("continue", _("Continue from an earlier canvas")),
))
