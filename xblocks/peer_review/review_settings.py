"""Peer review's settings, declared once (common/settings.py): the block's fields, the
Studio save and `validate()` come from here. The rubric and the training examples are
structured settings, parsed by rubric.py."""
from xblock.fields import String

from xblocks.common import artefacts
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, Phrase, _, bad_request
from xblocks.common.settings import Decimal, Flag, Group, Moment, OneOf, Schema, Structured, Text, Whole, problem
from xblocks.common.shapes import Bool, Str

from . import rubric as rubrics

MAX_TRAINING_EXAMPLES = 10
# The most words min_words and max_words may ask for (max_words 0 is "no limit"); the editor's
# inputs carry the same limit.
WORD_LIMIT = 20_000


def submission_max():
    return get_setting("PEER_SUBMISSION_MAX_CHARS")


class ArtefactKind(OneOf):
    """The kind of work learners submit from another component: one of the kinds the
    installed components register (common/artefacts.py), read when it is needed, so that
    peer review names none of them. A kind no installed component provides is refused
    when learners submit such work (`_artefact_problems`)."""

    def __init__(self, default, label, **kwargs):
        super().__init__(default, label, (), widget="select", **kwargs)

    @property
    def choices(self):
        return artefacts.artefact_kind_choices()

    @choices.setter
    def choices(self, _value):
        pass  # the registry's, never a list of our own

    def rule(self):
        return Str(max_length=40)

    def xblock_field(self):
        return String(**self._field_kwargs())


def parse_rubric(value, values):
    """The rubric as stored (rubric.parse_rubric checks it, naming what is wrong)."""
    return rubrics.parse_rubric(value).as_json()


def check_training_examples(the_rubric, examples):
    """Staff-scored examples: [{"text", "scores"}], each scored on every criterion."""
    if not isinstance(examples, list) or len(examples) > MAX_TRAINING_EXAMPLES:
        raise bad_request("invalid_training", _("Give at most {n} training examples."), field="training_examples",
                          n=MAX_TRAINING_EXAMPLES)
    clean = []
    for n, example in enumerate(examples, start=1):
        where = Phrase(_("Training example {n}"), n=n)
        text = example.get("text") if isinstance(example, dict) else None
        if not isinstance(text, str) or not text.strip() or len(text) > submission_max() \
                or set(example) - {"text", "scores"}:
            raise bad_request("invalid_training", _("{where} needs a text and the scores of the course team."),
                              field="training_examples", where=where)
        try:
            scores = rubrics.check_example_scores(the_rubric, example.get("scores"), where)
        except ApiError as error:
            error.field = "training_examples"
            raise
        clean.append({"text": text, "scores": scores})
    return clean


def parse_training_examples(value, values):
    """Examples scored on the rubric; unchecked when the rubric itself is at fault (it is
    reported), so that the other rules still see them. Declared after the rubric, which is
    therefore checked first."""
    if "rubric" not in values:
        return value if isinstance(value, list) else []
    return check_training_examples(rubrics.parse_rubric(values["rubric"]), value or [])


def _word_problems(values):
    if values["max_words"] and values["min_words"] > values["max_words"]:
        yield problem("min_words", _("The minimum number of words is above the maximum."))


def _training_problems(values):
    if values["training_enabled"] and not values["training_examples"]:
        yield problem("training_examples", _("Training needs at least one example."))


def _artefact_problems(values):
    kind = values["artefact_kind"]
    if values["submission_type"] == "artefact" and kind not in artefacts.artefact_kinds():
        yield problem("artefact_kind", _("No component of this installation provides work of the kind '{kind}'."),
                      kind=kind)


def step_warnings(values):
    """What makes a block that saves fine grade nothing, or not as asked (validate() only)."""
    if not (values["peer_enabled"] or values["self_enabled"] or values["staff_enabled"]):
        yield problem(None, _("Turn on at least one of the peer, self-review or staff steps, or nothing grades the "
                              "work."))
    if values["peer_enabled"] and values["reviews_to_give"] < 1:
        yield problem("reviews_to_give", _("With the peer step on, each learner must give at least one review."))
    if values["grading_method"] == "calibrated" and not values["peer_enabled"]:
        yield problem("grading_method", _("Calibrated grades need the peer step."))


GROUPS = (
    Group("component", _("Component")),
    Group("work", _("What learners submit")),
    Group("rubric", _("Rubric")),
    Group("steps", _("Steps")),
    Group("dates", _("Dates and waiting"), _("Leave a date empty for no deadline.")),
    Group("grading", _("Grading")),
)

SETTINGS = Schema({
    "display_name": Text("Peer review", _("Display name"), max_length=255, min_length=1, group="component"),
    "prompt": Text(
        "<p>Describe an opportunity you see for a new product or service, and who would benefit from it.</p>",
        _("Prompt (HTML)"), max_length=20_000, lines=5, html=True, group="component",
        help=_("The task learners answer. Basic HTML is allowed; scripts and styles are removed.")),
    "submission_type": OneOf("text", _("Submission type"), (
        ("text", _("Text")), ("link", _("A link")),
        ("artefact", _("Work from another component of this course (canvas, journal entry, idea)"))), group="work"),
    "artefact_kind": ArtefactKind("canvas", _("Kind of work"), show_when=("submission_type", "artefact"),
                                  group="work"),
    "min_words": Whole(0, _("Fewest words"), min_value=0, max_value=WORD_LIMIT, help=_("0 for no minimum."),
                       show_when=("submission_type", "text"), group="work"),
    "max_words": Whole(1000, _("Most words"), min_value=0, max_value=WORD_LIMIT, help=_("0 for no limit."),
                       show_when=("submission_type", "text"), group="work"),
    "rubric": Structured(rubrics.default_rubric_json(), _("Rubric"), parse=parse_rubric,
                         editor="peer_review/rubric_editor.html", group="rubric"),
    "training_enabled": Flag(False, _("Training: learners first score examples until their scores match the course "
                                      "team's"), group="steps"),
    "training_examples": Structured([], _("Training examples"), parse=parse_training_examples,
                                    editor="peer_review/examples_editor.html", show_when=("training_enabled", True),
                                    group="steps"),
    "peer_enabled": Flag(True, _("Peer review"), group="steps"),
    "reviews_to_give": Whole(3, _("Reviews each learner gives"), min_value=0, max_value=20,
                             show_when=("peer_enabled", True), group="steps"),
    "reviews_needed": Whole(3, _("Reviews each submission needs"), min_value=1, max_value=20,
                            show_when=("peer_enabled", True), group="steps"),
    "self_enabled": Flag(False, _("Self review"), group="steps"),
    "staff_enabled": Flag(False, _("Staff grade: the course team's grade is the final grade"), group="steps"),
    "submission_due": Moment(_("Submissions due"), group="dates"),
    "peer_due": Moment(_("Peer reviews due"), group="dates"),
    "self_due": Moment(_("Self reviews due"), group="dates"),
    "wait_days": Decimal(3, _("Days a submission may wait for reviews"), min_value=0, max_value=365, group="dates"),
    "wait_action": OneOf("fewer", _("Then"), (
        ("fewer", _("grade it with the reviews it has")), ("staff", _("pass it to the course team to grade"))),
        widget="select", group="dates"),
    "grading_method": OneOf("median", _("How peer scores become a grade"), (
        ("median", _("Median per criterion (as in ORA2)")),
        ("calibrated", _("Calibrated: allows for reviewers who are harsh, lenient or careless"))), group="grading"),
    "graded": Flag(True, _("Graded"), group="grading"),
    "weight": Decimal(1.0, _("Weight (points in the grade)"), min_value=0, max_value=1000, group="grading"),
}, groups=GROUPS, checks=(_word_problems, _training_problems, _artefact_problems),
    # Saving a rubric that scores differently while learners have reviews made with the current one
    # is refused (409 rubric_in_use) unless this says the course team confirmed it (regrading.py).
    request_flags={"confirm_rubric_change": Bool(required=False, default=False)})
