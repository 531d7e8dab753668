"""The reflection journal's settings, declared once (common/settings.py): the block's
fields, the Studio editor and the checks of a save and of `validate()` come from here."""
from xblocks.common.config import get_setting
from xblocks.common.errors import _
from xblocks.common.settings import Flag, Schema, Text, TextList, Whole, graded, problem, weight
from xblocks.common.text import plain_text

NEGATIVE_WORDS = _("Word limits cannot be negative.")


def _max_prompts():
    return get_setting("JOURNAL_MAX_PROMPTS")


def _prompts_problems(values):
    prompts = values["prompts"]
    if not [p for p in prompts if plain_text(p).strip()]:
        yield problem("prompts", _("Add at least one prompt for learners to answer."))
    elif any(not plain_text(p).strip() for p in prompts):
        yield problem("prompts", _("Remove the empty prompt or write its text."))


def _name_problems(values):
    if not values["journal_name"].strip():
        yield problem("journal_name", _("Give the journal a name: blocks with the same name form one journal."))


def _word_limit_problems(values):
    ceiling = get_setting("JOURNAL_MAX_WORDS_CEILING")
    if values["max_words"] and values["min_words"] > values["max_words"]:
        yield problem("max_words", _("The maximum number of words must not be below the minimum."))
    for name in ("min_words", "max_words"):
        if values[name] > ceiling:
            yield problem(name, _("On this site, word limits cannot exceed {ceiling}."), ceiling=ceiling)


SETTINGS = Schema({
    "display_name": Text("Reflection journal", _("Display name"), max_length=255),
    "journal_name": Text(
        "My learning journal", _("Journal name"), max_length=100,
        message=_("The journal name must be at most 100 characters."),
        help=_("Blocks with the same journal name in this course form one journal, which learners can read and "
               "download as a whole.")),
    "prompts": TextList(
        ["<p>What did you learn this week, and how did you learn it?</p>"], _("Prompts"),
        max_items=_max_prompts, max_length=20_000, html=True, item_label=_("Prompt {number}"),
        add_label=_("Add a prompt"), message=_("Too many prompts for one journal block (maximum: {count})."),
        help=_("Learners write one entry per prompt. Basic HTML is allowed; scripts and styles are removed.")),
    "guidance": Text("", _("Guidance (HTML)"), max_length=20_000, lines=3, html=True,
                     help=_("Advice shown above the prompts (HTML).")),
    "example_entry": Text("", _("Example entry (HTML, optional)"), max_length=20_000, lines=3, html=True,
                          help=_("An optional example learners can open (HTML).")),
    "min_words": Whole(0, _("Minimum words"), min_value=0, max_value=None, message=NEGATIVE_WORDS),
    "max_words": Whole(0, _("Maximum words (0: no maximum)"), min_value=0, max_value=None,
                       message=NEGATIVE_WORDS),
    "allow_revisions": Flag(True, _("Learners may revise a submitted entry (every revision is kept)")),
    "staff_can_read": Flag(True, _("Course staff may read entries (learners are told before they write)")),
    "graded": graded(_("Graded: full marks for submitting every prompt")),
    "weight": weight(),
}, checks=(_name_problems, _prompts_problems, _word_limit_problems))
