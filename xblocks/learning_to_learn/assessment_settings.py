"""The competence self-assessment's settings, declared once (common/settings.py): the
block's fields, the Studio editor and the checks of a save and of `validate()` come from
here. The framework (its competences and levels) and the feedback bands are structured
settings, with their own parts of the editor (templates/self_assessment/*_editor.html)."""
from xblocks.common.errors import _
from xblocks.common.settings import Flag, Group, Moment, OneOf, Schema, Structured, Text, Whole, graded, weight

from . import assessment, frameworks

PHASE_LABELS = {"before": _("Before the course"), "during": _("During the course"), "after": _("After the course")}

FRAMEWORK_LABELS = {
    "entrecomp": _("EntreComp (built in: the entrepreneurship competence framework)"),
    "lifecomp": _("LifeComp (built in: personal, social and learning to learn)"),
    "custom": _("Custom framework (edit it below)"),
}


def _custom_framework(value, values):
    """The custom framework as stored. It must parse when chosen; with a built-in chosen,
    one the editor sent is still checked and kept (switching back does not lose it), and
    None (or nothing stored yet) keeps what is stored (`settings_saving`)."""
    if values["framework_choice"] != "custom" and value in (None, {}):
        return None
    return frameworks.parse_framework(value).as_json()


def chosen_framework(values):
    """The framework the settings `values` choose (the built-ins untranslated: feedback and
    answers are kept by id and level value, which no language changes)."""
    if values["framework_choice"] == "custom":
        return frameworks.parse_framework(values["custom_framework"])
    return frameworks.built_in(values["framework_choice"])


def _in_group(group, setting):
    setting.group = group
    return setting


def _feedback(value, values):
    assessment.parse_feedback(chosen_framework(values), value)
    return value


SETTINGS = Schema({
    "display_name": Text("Competence self-assessment", _("Display name"), max_length=255, min_length=1,
                         group="component"),
    "instructions": Text(
        "<p>Rate yourself honestly: there are no right or wrong answers.</p>", _("Instructions (HTML)"),
        max_length=20_000, lines=4, html=True, group="component",
        help=_("Shown above the rating form. Basic HTML is allowed; scripts and styles are removed.")),
    "group_name": Text(
        "Competence check", _("Assessment group name"), max_length=100, min_length=1, group="time",
        help=_("Blocks in this course with the same group name form one assessment over time: learners see their "
               "change since the earlier phases.")),
    "phase": OneOf("before", _("Phase"), PHASE_LABELS.items(), widget="select", group="time"),
    "allow_revisions": Flag(True, _("Learners may revise their answers"), group="time"),
    "revise_until": Moment(_("Revisions close at"), group="time",
                           help=_("Leave empty to allow revisions at any time.")),
    "ask_evidence": Flag(True, _("Ask for a short piece of evidence per competence (optional for learners)"),
                         group="evidence"),
    "show_cohort": Flag(False, _("Show learners the cohort average"), group="evidence"),
    "cohort_min_learners": Whole(
        10, _("Learners needed before the cohort average shows"), min_value=1, max_value=100_000, group="evidence",
        help=_("The platform may set a higher minimum to protect learners' privacy.")),
    "graded": _in_group("evidence", graded(_("Graded: full marks for submitting the self-assessment"))),
    "weight": _in_group("evidence", weight()),
    "framework_choice": OneOf("entrecomp", _("Framework learners rate themselves against"),
                              FRAMEWORK_LABELS.items(), group="framework"),
    "custom_framework": Structured({}, _("Custom framework"), parse=_custom_framework, group="framework",
                                   editor="self_assessment/framework_editor.html", after=("framework_choice",),
                                   show_when=("framework_choice", "custom")),
    # Feedback that no longer fits the framework is only a warning when stored: learners simply
    # do not see it.
    "feedback": Structured({}, _("Feedback per competence and level band"), parse=_feedback, group="feedback",
                           stored_is_warning=True,
                           editor="self_assessment/feedback_editor.html",
                           after=("framework_choice", "custom_framework")),
}, groups=(
    Group("component", _("Component")),
    Group("time", _("Assessment over time")),
    Group("evidence", _("Evidence, cohort and grading")),
    Group("framework", _("Competence framework")),
    Group("feedback", _("Feedback per competence and level band"),
          _("For the framework chosen above. A learner whose level falls between a band's levels sees its text and "
            "links in the profile. Open a competence to edit its bands.")),
))
