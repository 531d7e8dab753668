"""Peer review's settings, declared once (common/settings.py): the block's fields, the
Studio save and `validate()` come from here. The rubric and the training examples are
structured settings, parsed by rubric.py."""
from xblock.fields import String

from xblocks.common import artefacts, relative_dates
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, Phrase, _, bad_request
from xblocks.common.settings import Decimal, Flag, Group, Moment, OneOf, Schema, Structured, Text, Whole, problem
from xblocks.common.shapes import Bool, Str

from . import files
from . import rubric as rubrics

MAX_TRAINING_EXAMPLES = 10
# The most words min_words and max_words may ask for (max_words 0 is "no limit"); the editor's
# inputs carry the same limit.
WORD_LIMIT = 20_000


def submission_max():
    return get_setting("PEER_SUBMISSION_MAX_CHARS")


MAX_FILES = 10  # the most files per submission a course team may allow
FILES_ON = ("optional", "required")
# The setting that allows each kind of file (files.KINDS).
KIND_SETTINGS = {files.PDF: "files_pdf", files.IMAGE: "files_images", files.DOCUMENT: "files_documents",
                 files.SPREADSHEET: "files_spreadsheets", files.PRESENTATION: "files_presentations"}


# The largest file a course team may ask for. What learners may upload is also bounded by the
# operator's PEER_FILE_MAX_BYTES, applied on every upload (file_limits), never at save: a
# course saved on one site must save on another with a lower limit (Tutor's web server takes
# 4 MB bodies), and a lowered limit must not make every editor refuse to save.
MAX_FILE_MB = 1024


def file_limits(block):
    """What the block allows (files.Limits); the size also bounded by the operator's ceiling
    (PEER_FILE_MAX_BYTES) as it is today."""
    return files.Limits(kinds=tuple(k for k, name in KIND_SETTINGS.items() if getattr(block, name)),
                        max_bytes=min(block.max_file_mb * files.MB, get_setting("PEER_FILE_MAX_BYTES")),
                        max_files=block.max_files)


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


def _file_problems(values):
    if values["files_mode"] in FILES_ON and not any(values[name] for name in KIND_SETTINGS.values()):
        yield problem("files_pdf", _("Allow at least one type of file, or turn files off."))


def step_warnings(values):
    """What makes a block that saves fine grade nothing, or not as asked (validate() only)."""
    if not (values["peer_enabled"] or values["self_enabled"] or values["staff_enabled"]):
        yield problem(None, _("Turn on at least one of the peer, self-review or staff steps, or nothing grades the "
                              "work."))
    if values["peer_enabled"] and values["reviews_to_give"] < 1:
        yield problem("reviews_to_give", _("With the peer step on, each learner must give at least one review."))
    if values["grading_method"] == "calibrated" and not values["peer_enabled"]:
        yield problem("grading_method", _("Calibrated grades need the peer step."))


DATES_MODES = ((relative_dates.FIXED, _("Fixed dates, the same for everyone")),
               (relative_dates.RELATIVE, _("Relative to each learner (self-paced courses)")))


def days_after(label):
    return Decimal(0, label, min_value=0, max_value=relative_dates.MAX_DAYS, help=_("0 for no deadline."),
                   show_when=("dates_mode", relative_dates.RELATIVE), group="dates")


def counted_from(label):
    return OneOf(relative_dates.SUBMISSION, label, (
        (relative_dates.ENROLMENT, _("the learner's enrolment")),
        (relative_dates.SUBMISSION, _("the learner's submission"))),
        widget="select", show_when=("dates_mode", relative_dates.RELATIVE), group="dates")


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
    "files_mode": OneOf("off", _("Files"), (
        ("off", _("No files")), ("optional", _("Learners may add files to their work")),
        ("required", _("Learners must add at least one file"))), group="work",
        help=_("Reviewers download the files under a neutral name (work-1.pdf); nothing opens in the browser.")),
    "files_pdf": Flag(True, _("PDF"), show_when=("files_mode", FILES_ON), group="work"),
    "files_images": Flag(True, _("Images (PNG, JPEG, GIF, WebP)"), show_when=("files_mode", FILES_ON),
                         group="work"),
    "files_documents": Flag(False, _("Documents (Word, OpenDocument text)"), show_when=("files_mode", FILES_ON),
                            group="work"),
    "files_spreadsheets": Flag(False, _("Spreadsheets (Excel, OpenDocument)"), show_when=("files_mode", FILES_ON),
                               group="work"),
    "files_presentations": Flag(True, _("Presentations (PowerPoint, OpenDocument)"),
                                show_when=("files_mode", FILES_ON), group="work"),
    "max_file_mb": Whole(10, _("Largest file (MB)"), min_value=1, max_value=MAX_FILE_MB,
                         show_when=("files_mode", FILES_ON), group="work",
                         help=_("At most the limit of this installation.")),
    "max_files": Whole(3, _("Most files per submission"), min_value=1, max_value=MAX_FILES,
                       show_when=("files_mode", FILES_ON), group="work"),
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
    # Fixed or relative step dates (review_dates.py, README "Dates").
    "dates_mode": OneOf(relative_dates.FIXED, _("Dates"), DATES_MODES, group="dates"),
    "submission_due": Moment(_("Submissions due"), group="dates", show_when=("dates_mode", relative_dates.FIXED)),
    "peer_due": Moment(_("Peer reviews due"), group="dates", show_when=("dates_mode", relative_dates.FIXED)),
    "self_due": Moment(_("Self reviews due"), group="dates", show_when=("dates_mode", relative_dates.FIXED)),
    "submission_due_days": days_after(_("Days learners have to submit, from their enrolment")),
    "peer_due_days": days_after(_("Days for the peer reviews")),
    "peer_due_from": counted_from(_("Days for the peer reviews count from")),
    "self_due_days": days_after(_("Days for the self review")),
    "self_due_from": counted_from(_("Days for the self review count from")),
    "wait_days": Decimal(3, _("Days a submission may wait for reviews"), min_value=0, max_value=365, group="dates"),
    "wait_action": OneOf("fewer", _("Then"), (
        ("fewer", _("grade it with the reviews it has")), ("staff", _("pass it to the course team to grade"))),
        widget="select", group="dates"),
    "grading_method": OneOf("median", _("How peer scores become a grade"), (
        ("median", _("Median per criterion (as in ORA2)")),
        ("calibrated", _("Calibrated: allows for reviewers who are harsh, lenient or careless"))), group="grading"),
    "graded": Flag(True, _("Graded"), group="grading"),
    "weight": Decimal(1.0, _("Weight (points in the grade)"), min_value=0, max_value=1000, group="grading"),
}, groups=GROUPS, checks=(_word_problems, _training_problems, _artefact_problems, _file_problems),
    # Saving a rubric that scores differently while learners have reviews made with the current one
    # is refused (409 rubric_in_use) unless this says the course team confirmed it (regrading.py).
    request_flags={"confirm_rubric_change": Bool(required=False, default=False)})
