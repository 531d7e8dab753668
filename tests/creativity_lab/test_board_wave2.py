"""What issues 13 and 15 asked of the idea board: notifications of responses and of the vote
(never to the actor, each kind turned off by the learner), dot limits said plainly, ties sharing
a rank, the course team's options on vote counts and dots on one's own ideas, participants
counted as who posted, commented or voted, staff's phase selector, the learner's own idea."""
import pytest

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.creativity_lab.board_helpers import board_xml, dots, get, idea, operator, page, post, set_phase, view_args
from xblocks.creativity_lab import board
from xblocks.notifications.models import Notification

LEARNER_C = "learner_c"


def told():
    return sorted(Notification.objects.values_list("kind", "user_id", "context__variant"))


@pytest.fixture
def usage_id(wb):
    return wb.load(board_xml(phase_mode="manual", technique="brainwriting", vote_budget=3, max_dots_per_idea=2,
                             anonymous=False))


def test_comments_and_builds_tell_the_author_never_the_actor(wb, usage_id):
    mine = idea(wb, usage_id, "Bike sharing")
    assert post(wb, usage_id, "add_comment", {"idea": mine["id"], "text": "my own note"}).status == 200
    assert told() == []
    assert post(wb, usage_id, "add_comment", {"idea": mine["id"], "text": "yes, and"}, user=LEARNER_B).status == 200
    idea(wb, usage_id, "Bike sharing with repairs", user=LEARNER_B, builds_on=mine["id"])
    assert told() == [("idea_response", LEARNER_A, "built_on"), ("idea_response", LEARNER_A, "commented")]
    assert Notification.objects.filter(context__idea="Bike sharing").count() == 2


def test_the_vote_tells_the_participants_once_and_respects_their_choice(wb, usage_id):
    idea(wb, usage_id, "A")
    idea(wb, usage_id, "B", user=LEARNER_B)
    view_args(wb, usage_id, LEARNER_C)  # placed, but took no part
    assert get(wb, usage_id, "notifications", user=LEARNER_B).json == {
        "preferences": {"idea_response": True, "voting_open": True}}
    chosen = post(wb, usage_id, "set_notification", {"kind": "voting_open", "enabled": False}, user=LEARNER_B)
    assert chosen.json == {"preferences": {"idea_response": True, "voting_open": False}}
    set_phase(wb, usage_id, "vote")
    set_phase(wb, usage_id, "vote")  # already voting: nobody is told twice
    assert told() == [("voting_open", LEARNER_A, None)]


@pytest.mark.parametrize("body, code", [
    ({"kind": "journal_reply", "enabled": False}, "invalid_choice"),
    ({"kind": "voting_open", "enabled": "no"}, "invalid_type"),
    ({"kind": "voting_open"}, "missing_field"),
])
def test_bad_notification_choices_are_refused(wb, usage_id, body, code):
    refused = post(wb, usage_id, "set_notification", body)
    assert (refused.status, refused.error_code) == (400, code)


def test_dot_refusals_say_what_limit(wb, usage_id):
    target = idea(wb, usage_id, "Target", user=LEARNER_B)
    set_phase(wb, usage_id, "vote")
    below = dots(wb, usage_id, target["id"], -1)
    assert (below.status, below.error_code) == (400, "no_dots") and "take back" in below.json["error"]["message"]
    above = dots(wb, usage_id, target["id"], 3)
    assert (above.status, above.error_code) == (400, "too_many_dots") and "at most 2" in above.json["error"]["message"]


def test_ties_share_a_rank_across_pages(wb, usage_id, settings):
    operator(settings, IDEA_PAGE_SIZE=2)
    ideas = [idea(wb, usage_id, title, user=LEARNER_C) for title in ("One", "Two", "Three")]
    set_phase(wb, usage_id, "vote")
    for user, chosen in ((LEARNER_A, 0), (LEARNER_B, 1)):
        assert dots(wb, usage_id, ideas[chosen]["id"], 1, user=user).status == 200
    set_phase(wb, usage_id, "results")
    first = get(wb, usage_id, "board", query="sort=votes").json
    second = get(wb, usage_id, "board", query="sort=votes&page=2").json
    assert [i["rank"] for i in first["ideas"] + second["ideas"]] == [1, 1, 3]
    assert board.ranks([2, 2, 0], {2: 0, 0: 2}) == {2: 1, 0: 3}


def test_vote_counts_hidden_until_results_and_dots_on_own_ideas_forbidden(wb):
    usage_id = wb.load(board_xml(phase_mode="manual", hide_votes_until_results=True, own_dots=False))
    mine = idea(wb, usage_id, "Mine")
    theirs = idea(wb, usage_id, "Theirs", user=LEARNER_B)
    set_phase(wb, usage_id, "vote")
    refused = dots(wb, usage_id, mine["id"], 1)
    assert (refused.status, refused.error_code) == (403, "own_idea")
    assert dots(wb, usage_id, theirs["id"], 1).status == 200
    assert {i["votes"] for i in page(wb, usage_id)["ideas"]} == {None}
    assert {i["votes"] for i in page(wb, usage_id, STAFF)["ideas"]} == {0, 1}
    assert view_args(wb, usage_id)["config"]["own_dots"] is False
    set_phase(wb, usage_id, "results")
    assert sorted(i["votes"] for i in page(wb, usage_id)["ideas"]) == [0, 1]


def test_participants_are_who_posted_commented_or_voted_never_staff(wb, usage_id):
    first = idea(wb, usage_id, "First")
    view_args(wb, usage_id, LEARNER_B)
    assert view_args(wb, usage_id, LEARNER_C)["room"]["participants"] == 1
    post(wb, usage_id, "add_comment", {"idea": first["id"], "text": "and"}, user=LEARNER_B)
    idea(wb, usage_id, "Staff's example", user=STAFF)
    set_phase(wb, usage_id, "vote")
    assert dots(wb, usage_id, first["id"], 1, user=LEARNER_C).status == 200
    assert dots(wb, usage_id, first["id"], 2, user=LEARNER_C).status == 200
    assert view_args(wb, usage_id, LEARNER_A)["room"]["participants"] == 3
    assert get(wb, usage_id, "room_stats", user=STAFF).json["totals"]["participants"] == 3


def test_the_phase_selector_and_the_own_idea_read_true(wb, usage_id):
    staff_page = wb.render(usage_id, STAFF)
    assert "Automatic, by the dates" not in staff_page  # a board switched by hand has no automatic phase
    assert view_args(wb, usage_id, STAFF)["phase"]["mode"] == "manual"
    assert "Automatic, by the dates" in wb.render(wb.load(board_xml()), STAFF)
    mine = idea(wb, usage_id, "Mine")
    assert mine["mine"] is True and mine["author"] == LEARNER_A  # the page writes "your idea" (idea_board.js)


def test_the_page_names_its_draft_key_and_on_demand_tools(wb, usage_id):
    args, other = view_args(wb, usage_id), view_args(wb, usage_id, LEARNER_B)
    assert args["draft_key"].startswith("bizmooc-idea-draft-") and args["draft_key"] != other["draft_key"]
    assert args["more_url"].endswith("creativity_lab/static/js/idea_board_more.js")


def test_ideas_move_between_category_columns_by_author_and_staff(wb):
    usage_id = wb.load(board_xml(phase_mode="manual", categories=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]))
    mine = idea(wb, usage_id, "Mine", category="a")
    moved = post(wb, usage_id, "move_idea", {"idea": mine["id"], "category": "b"})
    assert moved.json["idea"]["category"] == "b"
    not_mine = post(wb, usage_id, "move_idea", {"idea": mine["id"], "category": "a"}, user=LEARNER_B)
    assert (not_mine.status, not_mine.error_code) == (403, "not_yours")
    unknown = post(wb, usage_id, "move_idea", {"idea": mine["id"], "category": "zzz"})
    assert (unknown.status, unknown.error_code) == (400, "unknown_category")
    set_phase(wb, usage_id, "vote")
    late = post(wb, usage_id, "move_idea", {"idea": mine["id"], "category": ""})
    assert (late.status, late.error_code) == (403, "wrong_phase")
    by_staff = post(wb, usage_id, "move_idea", {"idea": mine["id"], "category": ""}, user=STAFF)
    assert by_staff.status == 200 and page(wb, usage_id)["ideas"][0]["category"] == ""
    assert "ib-columns" in wb.render(usage_id) and "ib-columns" not in wb.render(wb.load(board_xml()))
