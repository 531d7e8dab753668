"""The idea board's rules, free of XBlock and of the database: phases, who sees and may
change what, dot-voting limits, the completion rule, the course team's categories and
prompt cards (the other settings: board_settings.py), and the rows of the CSV exports.

Learner text is plain text: it is checked here (length, valid characters) and stored as
typed; pages and scripts escape it on output.
"""
import functools
import importlib.resources
import json
import math

from xblocks.common.config import get_setting
from xblocks.common.errors import _, bad_request, forbidden
from xblocks.common.structures import STRUCTURE_ID

COLLECT, VOTE, RESULTS = "collect", "vote", "results"
PHASES = (COLLECT, VOTE, RESULTS)

MAX_CATEGORIES = 12
MAX_CARDS = 20
MAX_TAGS = 5
MAX_TAG_CHARS = 30
MAX_CARD_TITLE = 120
MAX_CARD_TEXT = 500
MAX_CATEGORY_NAME = 60
MAX_ROOM_SIZE = 10_000
MAX_BUDGET = 100


# Phases ---------------------------------------------------------------------------------

def current_phase(phase_mode, manual_phase, vote_start, results_start, now):
    """The phase now: the staff's choice when they set one, else by the dates (aware
    datetimes or None; "manual" mode without a choice yet: collect)."""
    if manual_phase in PHASES:
        return manual_phase
    if phase_mode == "manual":
        return COLLECT
    if results_start and now >= results_start:
        return RESULTS
    if vote_start and now >= vote_start:
        return VOTE
    return COLLECT


# Who sees and may change what ---------------------------------------------------------------

def others_withheld(phase, hide_until_vote, is_staff):
    """Learners see only their own ideas while collecting, if the course team hides the rest."""
    return phase == COLLECT and hide_until_vote and not is_staff


def votes_shown(phase, is_staff, until_results=False):
    """Counts are hidden while ideas are collected (against anchoring), and during the vote too
    if the course team chose so (against bandwagoning); staff always see them."""
    return is_staff or phase == RESULTS or (phase == VOTE and not until_results)


def ranks(votes, above):
    """{votes: rank} where ideas with as many votes share a rank (1, 1, 3): `above` maps each
    count of votes to the number of ideas with more."""
    return {count: above[count] + 1 for count in votes}


def editable(is_mine, phase, status):
    return is_mine and phase == COLLECT and status == "visible"


def check_can_change(is_mine, phase, status, withdrawing=False):
    """Refuse editing or withdrawing an idea that is not the caller's, outside the collect
    phase, or (editing) once hidden by staff or flags."""
    if not is_mine:
        raise forbidden(_("You can only change your own ideas."), code="not_yours")
    if phase != COLLECT:
        raise forbidden(_("Ideas can only be changed while ideas are collected."), code="wrong_phase")
    if status == "withdrawn" or (not withdrawing and status != "visible"):
        raise forbidden(_("This idea can no longer be changed."), code="not_editable")


def check_category(category, categories):
    if category and category not in {c["id"] for c in categories}:
        raise bad_request("unknown_category", _("This board has no category '{category}'."), field="category",
                          category=category[:40])


def check_posting(phase):
    if phase != COLLECT:
        raise forbidden(_("New ideas can only be posted while ideas are collected."), code="wrong_phase")


def check_dots(phase, dots, used_elsewhere, budget, max_per_idea, own_refused=False, before=0):
    """Refuse `dots` on one idea outside the vote phase, below none, above the per-idea
    maximum, beyond the learner's budget given the dots they placed on other ideas, or more
    dots on their own idea where the course team forbids it (`own_refused`)."""
    if phase != VOTE:
        raise forbidden(_("Votes can only be cast during the vote phase."), code="wrong_phase")
    if dots < 0:
        raise bad_request("no_dots", _("You have no dots on this idea to take back."), field="dots")
    if own_refused and dots > before:
        raise forbidden(_("Give your dots to the others' ideas: this board does not count dots on your own."),
                        code="own_idea")
    if dots > max_per_idea:
        raise bad_request("too_many_dots", _("An idea takes at most {limit} of your dots."), field="dots",
                          limit=max_per_idea)
    if used_elsewhere + dots > budget:
        raise bad_request("over_budget", _("You have {left} of your {budget} dots left."), field="dots",
                          left=max(budget - used_elsewhere, 0), budget=budget)


# Clusters ---------------------------------------------------------------------------------------

MAX_CLUSTER = 20  # ideas in one cluster, the lead included


def check_grouping(is_staff, allowed, phase):
    """Staff group and ungroup ideas in any phase; learners only where the course team allows
    it ("Learners may group duplicate ideas") and only while ideas are collected and discussed
    (the collect phase): during the vote a grouping would move the others' dots, and the
    results are final. The page offers "Group with…" by the same rule (idea_board.js)."""
    if is_staff:
        return
    if not allowed:
        raise forbidden(_("Only the course team can group ideas on this board."), code="no_grouping")
    if phase != COLLECT:
        raise forbidden(_("Ideas can only be grouped while ideas are collected."), code="wrong_phase")


def check_cluster(lead, member, lead_members, member_members):
    """Refuse grouping `member` into the cluster led by `lead`: the same idea, ideas of
    different rooms, an idea hidden or withdrawn, a lead that is itself grouped into another
    cluster, a member already in a cluster or leading one (a cluster is not put into another:
    ungroup it first), or a cluster that would exceed MAX_CLUSTER ideas. `*_members`: how many
    ideas each one leads."""
    if lead.pk == member.pk:
        raise bad_request("same_idea", _("Choose another idea to group with this one."), field="idea")
    if lead.room_id != member.room_id:
        raise bad_request("other_room", _("Only ideas of the same room can be grouped."), field="idea")
    if lead.status != "visible" or member.status != "visible":
        raise bad_request("not_visible", _("Hidden or withdrawn ideas cannot be grouped."), field="idea")
    if lead.cluster_id is not None or member.cluster_id is not None or member_members:
        raise bad_request("in_cluster", _("This idea is already in a group: ungroup it first."), field="idea")
    if lead_members + 2 > MAX_CLUSTER:
        raise bad_request("cluster_full", _("A group holds at most {limit} ideas."), field="idea",
                          limit=MAX_CLUSTER)


def completion_met(ideas, dots_used, completion_ideas, completion_votes):
    """Posted at least `completion_ideas` ideas and placed at least `completion_votes` dots."""
    if completion_ideas <= 0 and completion_votes <= 0:
        return False
    return ideas >= completion_ideas and dots_used >= completion_votes


def pages(total, size):
    return max(1, math.ceil(total / size))


# Learner input ----------------------------------------------------------------------------------

def _plain(field, value, limit, required):
    value = value.strip()
    if required and not value:
        raise bad_request("empty", _("'{name}' must not be empty."), field=field, name=field)
    if len(value) > limit:
        raise bad_request("too_long", _("'{name}' is longer than {limit} characters."), field=field, name=field,
                          limit=limit)
    return value


def clean_idea(title, text, category, tags, categories, allow_tags):
    """(title, text, category, tags) as stored, or refused: empty or over-long, an unknown
    category, tags where the course team allows none, too many or too long tags."""
    title = _plain("title", title, get_setting("IDEA_TITLE_MAX_CHARS"), True)
    text = _plain("text", text, get_setting("IDEA_TEXT_MAX_CHARS"), False)
    check_category(category, categories)
    return title, text, category, clean_tags(tags, allow_tags)


def clean_tags(tags, allow_tags):
    clean = []
    for tag in tags:
        tag = " ".join(tag.split()).lower()
        if not tag:
            raise bad_request("empty_tag", _("A tag needs some text."), field="tags")
        if len(tag) > MAX_TAG_CHARS:
            raise bad_request("too_long", _("A tag holds at most {limit} characters."), field="tags",
                              limit=MAX_TAG_CHARS)
        if tag not in clean:
            clean.append(tag)
    if clean and not allow_tags:
        raise bad_request("no_tags", _("This board does not use tags."), field="tags")
    if len(clean) > MAX_TAGS:
        raise bad_request("too_many_tags", _("An idea has at most {limit} tags."), field="tags", limit=MAX_TAGS)
    return clean


def clean_comment(text):
    return _plain("text", text, get_setting("IDEA_COMMENT_MAX_CHARS"), True)


# Prompt cards -------------------------------------------------------------------------------------

@functools.cache
def _scamper_data():
    source = importlib.resources.files(__package__).joinpath("data/scamper.json").read_text("utf-8")
    return json.loads(source)


def scamper_cards():
    """The built-in SCAMPER prompt cards, in English (translated with `localized_cards`)."""
    return [dict(card) for card in _scamper_data()["cards"]]


def translatable_texts(data):
    """The texts of a data file learners read (scripts/i18n)."""
    return [text for card in data["cards"] for text in (card["title"], card["text"])]


def localized_cards(cards, gettext):
    """Cards as learners read them: the built-in ones in their language, the course team's own
    as written."""
    built_in = {(c["title"], c["text"]) for c in _scamper_data()["cards"]}
    return [{"title": gettext(c["title"]), "text": gettext(c["text"])} if (c["title"], c["text"]) in built_in
            else {"title": c["title"], "text": c["text"]} for c in cards]


def _fail(field, code, message, **params):
    return bad_request(code, message, field=field, **params)


def clean_cards(cards):
    if not isinstance(cards, list) or len(cards) > MAX_CARDS:
        raise _fail("prompt_cards", "invalid_cards", _("Prompt cards: a list of at most {limit} cards."),
                    limit=MAX_CARDS)
    clean = []
    for card in cards:
        if not isinstance(card, dict) or set(card) - {"title", "text"} or not isinstance(card.get("title"), str) \
                or not isinstance(card.get("text", ""), str):
            raise _fail("prompt_cards", "invalid_cards", _("Each prompt card has a title and a text."))
        title, text = card["title"].strip(), card.get("text", "").strip()
        if not title or len(title) > MAX_CARD_TITLE or len(text) > MAX_CARD_TEXT:
            raise _fail("prompt_cards", "invalid_cards",
                        _("A prompt card needs a title of at most {title} characters and a text of at most "
                          "{text}."), title=MAX_CARD_TITLE, text=MAX_CARD_TEXT)
        clean.append({"title": title, "text": text})
    return clean


def clean_categories(categories):
    if not isinstance(categories, list) or len(categories) > MAX_CATEGORIES:
        raise _fail("categories", "invalid_categories", _("Categories: a list of at most {limit}."),
                    limit=MAX_CATEGORIES)
    clean, seen = [], set()
    for category in categories:
        if not isinstance(category, dict) or set(category) != {"id", "name"} \
                or not all(isinstance(category[key], str) for key in ("id", "name")):
            raise _fail("categories", "invalid_categories", _("Each category has an id and a name."))
        cid, name = category["id"].strip(), category["name"].strip()
        if not STRUCTURE_ID.match(cid) or cid in seen:
            raise _fail("categories", "invalid_category_id",
                        _("Category ids are unique, lower-case letters, digits, - and _ ('{id}')."), id=cid[:40])
        if not name or len(name) > MAX_CATEGORY_NAME:
            raise _fail("categories", "invalid_category_name",
                        _("A category needs a name of at most {limit} characters."), limit=MAX_CATEGORY_NAME)
        seen.add(cid)
        clean.append({"id": cid, "name": name})
    return clean


# Exports ------------------------------------------------------------------------------------------

# The category as the course team named it; its id follows for whoever matches rows to settings.
# `cluster`: the lead idea of the cluster the idea is grouped into (empty: a card of its own or a lead).
IDEA_HEADER = ["idea", "room", "author", "author_name", "title", "text", "category", "category_id", "tags",
               "builds_on", "status", "pinned", "votes", "comments", "flags", "created", "cluster"]
VOTE_HEADER = ["idea", "room", "voter", "dots", "modified"]
COMMENT_HEADER = ["comment", "idea", "room", "author", "author_name", "text", "status", "pinned", "flags", "created"]


def idea_row(idea, room_number, builds_on_id, category_names, cluster_id=""):
    return [idea.public_id, room_number, idea.author, idea.author_name, idea.title, idea.text,
            category_names.get(idea.category, idea.category), idea.category, "; ".join(idea.tags), builds_on_id or "",
            idea.status, int(idea.pinned), idea.votes, idea.comments, idea.flags, idea.created.isoformat(),
            cluster_id or ""]


def vote_row(idea_id, room_number, vote):
    return [idea_id, room_number, vote.voter, vote.dots, vote.modified.isoformat()]


def comment_row(comment, idea_id, room_number):
    return [comment.public_id, idea_id, room_number, comment.author, comment.author_name, comment.text,
            comment.status, int(comment.pinned), comment.flags, comment.created.isoformat()]
