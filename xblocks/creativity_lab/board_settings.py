"""The idea board's settings, declared once (common/settings.py): the block's fields, the
Studio editor and the checks of a save and of `validate()` come from here. Categories and
prompt cards are structured: `board` parses them, templates/idea_board/studio_list.html and
static/js/idea_board_studio.js edit them."""
from xblocks.common.errors import _
from xblocks.common.relative_dates import MAX_DAYS
from xblocks.common.settings import (
    Decimal,
    Flag,
    Group,
    Moment,
    OneOf,
    Schema,
    Structured,
    Text,
    Whole,
    graded,
    problem,
    weight,
)

from . import board

LIST_EDITOR = "idea_board/studio_list.html"
# The modes that show the fixed phase dates (as before relative phases: also by hand).
FIXED_PHASES = ("dates", "manual")


def _categories(value, values):
    return board.clean_categories(value)


def _cards(value, values):
    return board.clean_cards(value)


def _cards_problems(values):
    if values["technique"] == "prompts" and not values["prompt_cards"]:
        yield problem("prompt_cards", _("The prompt-card technique needs at least one card."))


def _date_problems(values):
    vote, results = values["vote_start"], values["results_start"]
    if vote and results and results <= vote:
        yield problem("results_start", _("The results phase must start after the vote."))
    vote_days, results_days = values["vote_after_days"], values["results_after_days"]
    if values["phase_mode"] == "relative" and vote_days and results_days and results_days <= vote_days:
        yield problem("results_after_days", _("The results phase must start after the vote."))


def _vote_problems(values):
    if values["room_size"] == 1:
        yield problem("room_size", _("A room holds at least 2 learners (0: one board for all)."))
    if values["max_dots_per_idea"] > values["vote_budget"]:
        yield problem("max_dots_per_idea", _("The dots per idea cannot exceed the dots each learner has."))


def _completion_problems(values):
    if values["completion_votes"] > values["vote_budget"]:
        yield problem("completion_votes", _("Learners cannot place more dots than they have."))
    if values["completion_ideas"] <= 0 and values["completion_votes"] <= 0:
        yield problem("completion_ideas", _("Ask for at least one idea or one dot for completion."))


GROUPS = (
    Group("challenge", _("Component and challenge")),
    Group("categories", _("Categories and tags")),
    Group("technique", _("Technique")),
    Group("phases", _("Phases")),
    Group("rooms", _("Rooms, anonymity and votes")),
    Group("completion", _("Completion and grading")),
)

SETTINGS = Schema({
    "display_name": Text("Idea board", _("Display name"), max_length=255, min_length=1, group="challenge"),
    "challenge": Text(
        "<p>How might we make the first week of new colleagues better?</p>", _("Challenge (HTML)"),
        max_length=20_000, lines=5, html=True, group="challenge",
        help=_("The question learners generate ideas for, shown above the board. Basic HTML is allowed; scripts "
               "and styles are removed.")),
    "categories": Structured([], _("Categories"), parse=_categories, editor=LIST_EDITOR,
                             group="categories"),
    "allow_tags": Flag(True, _("Learners may tag their ideas"), group="categories"),
    "learner_clusters": Flag(False, _("Learners may group duplicate ideas"), group="categories"),
    "technique": OneOf(
        "free", _("Technique"), widget="select", group="technique",
        choices=(("free", _("Free brainstorming")), ("prompts", _("Prompt cards (such as SCAMPER)")),
                 ("brainwriting", _("Brainwriting: build on each other's ideas"))),
        help=_("Prompt cards are shown to learners above the board. With brainwriting, every idea has a “Build on "
               "this” button and shows what it builds on.")),
    "prompt_cards": Structured(board.scamper_cards(), _("Prompt cards"), parse=_cards, group="technique",
                               editor=LIST_EDITOR, show_when=("technique", "prompts")),
    "phase_mode": OneOf("dates", _("Phases switch"), widget="select", group="phases",
                        choices=(("dates", _("By the dates below")),
                                 ("relative", _("For each learner, days after they enrolled (self-paced courses)")),
                                 ("manual", _("By hand: staff switch them on the board")))),
    "vote_start": Moment(_("Voting starts (UTC)"), group="phases", show_when=("phase_mode", FIXED_PHASES)),
    "results_start": Moment(_("Results start (UTC)"), group="phases", show_when=("phase_mode", FIXED_PHASES)),
    # Relative phases: each learner's own window (board_dates.py, README "Dates").
    "vote_after_days": Decimal(0, _("Days until the vote, from the learner's enrolment"), min_value=0,
                               max_value=MAX_DAYS, help=_("0: no vote phase by date."), group="phases",
                               show_when=("phase_mode", "relative")),
    "results_after_days": Decimal(0, _("Days until the results, from the learner's enrolment"), min_value=0,
                                  max_value=MAX_DAYS, help=_("0: no results phase by date."), group="phases",
                                  show_when=("phase_mode", "relative")),
    "hide_until_vote": Flag(False, _("Hide the others' ideas until voting starts (against anchoring)"),
                            group="phases"),
    "room_size": Whole(
        0, _("Learners per room"), min_value=0, max_value=board.MAX_ROOM_SIZE, group="rooms",
        help=_("0: one board for everyone. For a MOOC use 50–200, so that each learner sees a board of a workable "
               "size; staff see all rooms.")),
    "vote_budget": Whole(5, _("Dots per learner"), min_value=1, max_value=board.MAX_BUDGET, group="rooms"),
    "max_dots_per_idea": Whole(3, _("Most dots on one idea"), min_value=1, max_value=board.MAX_BUDGET,
                               group="rooms"),
    "hide_votes_until_results": Flag(False, _("Hide vote counts until the results (against bandwagoning)"),
                                     group="rooms"),
    "own_dots": Flag(True, _("Learners may give dots to their own ideas"), group="rooms"),
    "anonymous": Flag(True, _("Anonymous towards other learners (staff still see authors)"), group="rooms"),
    "completion_ideas": Whole(1, _("Ideas to post for completion"), min_value=0, max_value=100, group="completion"),
    "completion_votes": Whole(0, _("Dots to place for completion"), min_value=0, max_value=board.MAX_BUDGET,
                              group="completion"),
    "graded": graded(_("Graded: full marks on completion"), group="completion"),
    "weight": weight(group="completion"),
}, groups=GROUPS, checks=(_cards_problems, _date_problems, _vote_problems, _completion_problems))
