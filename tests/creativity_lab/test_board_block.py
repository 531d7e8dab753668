"""The idea board on the real workbench runtime: learners, staff and course authors using it as
they would through the browser, one fresh runtime per request."""
import json
from types import SimpleNamespace

import pytest
from xblock.validation import ValidationMessage

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, lms_user
from tests.creativity_lab.board_helpers import (
    CATEGORIES,
    HOSTILE,
    board_xml,
    dots,
    get,
    idea,
    operator,
    page,
    post,
    set_phase,
    stored,
    view_args,
)
from xblocks.common import artefacts
from xblocks.creativity_lab.models import Idea, Membership, Room, Vote
from xblocks.creativity_lab.scenarios import IDEA_BOARD_SCENARIOS

LEARNER_C = "learner_c"


def titles(board_page):
    return [i["title"] for i in board_page["ideas"]]


def types(wb, usage_id):
    return [event.type for event in wb.events_of(usage_id)]


@pytest.fixture
def usage_id(wb):
    return wb.load(board_xml(categories=CATEGORIES, phase_mode="manual", completion_ideas=1, completion_votes=2))


# Posting, seeing, editing, withdrawing ----------------------------------------------------------------------

def test_a_posted_idea_is_on_everyones_board_without_its_author(wb, usage_id):
    posted = post(wb, usage_id, "post_idea", {"title": " Share leftovers ", "text": "With a food-sharing fridge",
                                              "category": "process", "tags": ["Fridge", "fridge", "community"]})
    assert posted.status == 200, posted.text
    mine = posted.json["idea"]
    assert (mine["title"], mine["category"], mine["tags"], mine["mine"], mine["editable"]) == \
        ("Share leftovers", "process", ["fridge", "community"], True, True)
    assert (mine["votes"], mine["author"], mine["status"], mine["room"]) == (None, None, "visible", None)
    assert posted.json["me"] == {"ideas": 1, "dots_used": 0, "completed": False}

    theirs = page(wb, usage_id, LEARNER_B)["ideas"]
    assert [(i["id"], i["mine"], i["editable"], i["author"]) for i in theirs] == [(mine["id"], False, False, None)]
    staff = view_args(wb, usage_id, STAFF)["board"]["ideas"][0]
    assert (staff["author"], staff["votes"]) == (LEARNER_A, 0)  # staff see who, and the counts
    args = view_args(wb, usage_id)
    assert args["board"]["ideas"][0]["id"] == mine["id"] and args["me"]["ideas"] == 1
    assert args["config"]["categories"] == CATEGORIES and args["phase"]["current"] == "collect"
    assert types(wb, usage_id) == ["bizmooc.idea_board.posted"]


def test_authors_are_shown_to_peers_when_the_board_is_not_anonymous(wb):
    usage_id = wb.load(board_xml(anonymous=False))
    idea(wb, usage_id, "Named", user=lms_user("anon-1", username="ada"))
    assert page(wb, usage_id, LEARNER_B)["ideas"][0]["author"] == "ada"


def test_learner_text_is_plain_text_everywhere(wb, usage_id):
    posted = idea(wb, usage_id, HOSTILE, text=HOSTILE)
    assert posted["title"] == HOSTILE.strip() and posted["text"] == HOSTILE.strip()
    html = wb.render(usage_id, LEARNER_B)
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    rendered = artefacts.render_artefact("idea", posted["id"], lambda text: text)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_own_ideas_are_edited_and_withdrawn_while_collecting_only(wb, usage_id):
    mine = idea(wb, usage_id, "First words")
    edited = post(wb, usage_id, "edit_idea", {"idea": mine["id"], "title": "Better words", "text": "More",
                                              "category": "product", "tags": ["new"]})
    assert edited.status == 200, edited.text
    assert (edited.json["idea"]["title"], edited.json["idea"]["tags"]) == ("Better words", ["new"])
    assert page(wb, usage_id, LEARNER_B, tag="new")["total"] == 1

    before = stored()
    other = post(wb, usage_id, "edit_idea", {"idea": mine["id"], "title": "Mine now"}, user=LEARNER_B)
    assert (other.status, other.error_code) == (403, "not_yours")
    assert post(wb, usage_id, "withdraw_idea", {"idea": mine["id"]}, user=LEARNER_B).error_code == "not_yours"
    set_phase(wb, usage_id, "vote")
    before = stored()
    late = post(wb, usage_id, "edit_idea", {"idea": mine["id"], "title": "Too late"})
    assert (late.status, late.error_code) == (403, "wrong_phase")
    assert post(wb, usage_id, "withdraw_idea", {"idea": mine["id"]}).error_code == "wrong_phase"
    assert stored() == before

    set_phase(wb, usage_id, "collect")
    gone = post(wb, usage_id, "withdraw_idea", {"idea": mine["id"]})
    assert gone.status == 200 and gone.json["idea"]["status"] == "withdrawn"
    assert gone.json["me"]["ideas"] == 0
    assert page(wb, usage_id, LEARNER_B)["total"] == 0 and page(wb, usage_id, STAFF)["total"] == 0
    assert Room.objects.get().ideas == 0
    assert {"bizmooc.idea_board.edited", "bizmooc.idea_board.withdrawn"} <= set(types(wb, usage_id))


def test_withdrawing_an_idea_returns_the_dots_on_it(wb, usage_id):
    mine = idea(wb, usage_id, "Mine")
    set_phase(wb, usage_id, "vote")
    assert dots(wb, usage_id, mine["id"], 2, user=LEARNER_B).status == 200
    set_phase(wb, usage_id, "collect")  # staff went back to collecting
    assert post(wb, usage_id, "withdraw_idea", {"idea": mine["id"]}).status == 200
    assert not Vote.objects.exists() and Idea.objects.get().votes == 0
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json["dots_used"] == 0


def test_others_ideas_are_withheld_until_the_vote_when_the_course_team_says_so(wb):
    usage_id = wb.load(board_xml(hide_until_vote=True, phase_mode="manual"))
    idea(wb, usage_id, "A's idea")
    idea(wb, usage_id, "B's idea", user=LEARNER_B)
    seen = page(wb, usage_id, LEARNER_B)
    assert (titles(seen), seen["hidden_until_vote"]) == (["B's idea"], True)
    assert view_args(wb, usage_id, LEARNER_B)["phase"]["hide_until_vote"] is True
    assert sorted(titles(page(wb, usage_id, STAFF))) == ["A's idea", "B's idea"]
    a_id = Idea.objects.get(title="A's idea").public_id
    hidden = post(wb, usage_id, "add_comment", {"idea": str(a_id), "text": "peek"}, user=LEARNER_B)
    assert hidden.status == 404
    set_phase(wb, usage_id, "vote")
    seen = page(wb, usage_id, LEARNER_B)
    assert (sorted(titles(seen)), seen["hidden_until_vote"]) == (["A's idea", "B's idea"], False)


def test_building_on_an_idea_shows_the_lineage(wb, usage_id):
    parent = idea(wb, usage_id, "Canteen app")
    child = idea(wb, usage_id, "Canteen app with leftovers alarm", user=LEARNER_B, builds_on=parent["id"])
    assert child["builds_on"] == {"id": parent["id"], "title": "Canteen app"}
    by_id = {i["id"]: i for i in page(wb, usage_id)["ideas"]}
    assert by_id[parent["id"]]["builds"] == 1 and by_id[child["id"]]["builds_on"]["title"] == "Canteen app"


# Rooms ------------------------------------------------------------------------------------------------------

def test_learners_are_placed_in_rooms_and_see_their_room_only(wb):
    usage_id = wb.load(board_xml(room_size=2, phase_mode="manual"))
    a = idea(wb, usage_id, "Room one idea")
    idea(wb, usage_id, "Also room one", user=LEARNER_B)
    c_args = view_args(wb, usage_id, LEARNER_C)
    assert c_args["room"] == {"number": 2, "label": "Room 2", "participants": 0}  # C has not posted nor voted
    assert c_args["board"]["total"] == 0 and c_args["rooms"] == []
    assert view_args(wb, usage_id, LEARNER_A)["room"]["number"] == 1

    before = stored()
    for handler, body in (("add_comment", {"idea": a["id"], "text": "hi"}),
                          ("post_idea", {"title": "Into room 1", "builds_on": a["id"]}),
                          ("flag", {"target": "idea", "id": a["id"]})):
        refused = post(wb, usage_id, handler, body, user=LEARNER_C)
        assert (refused.status, refused.error_code) == (404, "not_found"), handler
    assert stored() == before
    posting_elsewhere = post(wb, usage_id, "post_idea", {"title": "x", "room": 1}, user=LEARNER_C)
    assert (posting_elsewhere.status, posting_elsewhere.error_code) == (400, "unknown_field")
    assert get(wb, usage_id, "board", user=LEARNER_C, query="room=1").status == 403
    assert get(wb, usage_id, "poll", user=LEARNER_C, query="since=0&room=1").status == 400
    set_phase(wb, usage_id, "vote")
    before = stored()
    assert dots(wb, usage_id, a["id"], 1, user=LEARNER_C).status == 404
    assert stored() == before

    staff = view_args(wb, usage_id, STAFF)
    assert [(r["number"], r["label"], r["participants"], r["ideas"]) for r in staff["rooms"]] == \
        [(1, "Room 1", 2, 2), (2, "Room 2", 0, 0)]
    assert staff["board"]["total"] == 2 and staff["room"]["number"] is None
    assert page(wb, usage_id, STAFF, room=2)["total"] == 0
    assert get(wb, usage_id, "board", user=STAFF, query="room=9").status == 404
    stats = get(wb, usage_id, "room_stats", user=STAFF).json
    assert [(r["number"], r["participants"], r["ideas"]) for r in stats["rooms"]] == [(1, 2, 2), (2, 0, 0)]
    assert stats["totals"]["participants"] == 2 and stats["totals"]["ideas"] == 2


# Dot voting -------------------------------------------------------------------------------------------------

def test_dots_within_budget_and_per_idea_maximum_in_the_vote_phase(wb, usage_id):
    first, second = idea(wb, usage_id, "First", user=LEARNER_B), idea(wb, usage_id, "Second", user=LEARNER_B)
    early = dots(wb, usage_id, first["id"], 1)
    assert (early.status, early.error_code) == (403, "wrong_phase")
    set_phase(wb, usage_id, "vote")
    placed = dots(wb, usage_id, first["id"], 3)
    assert placed.status == 200, placed.text
    assert (placed.json["idea"]["votes"], placed.json["idea"]["my_dots"], placed.json["me"]["dots_used"]) == (3, 3, 3)
    assert placed.json["completed"] is False  # 1 idea and 2 dots needed: no idea posted yet

    before = stored()
    full = dots(wb, usage_id, first["id"], 4)
    assert (full.status, full.error_code, full.json["error"]["field"]) == (400, "too_many_dots", "dots")
    over = dots(wb, usage_id, second["id"], 3)
    assert (over.status, over.error_code) == (400, "over_budget")
    assert "2" in over.json["error"]["message"]
    assert stored() == before

    moved = post(wb, usage_id, "move_dot", {"from": first["id"], "to": second["id"]})
    assert moved.status == 200, moved.text
    assert [(i["votes"], i["my_dots"]) for i in moved.json["ideas"]] == [(2, 2), (1, 1)]
    assert moved.json["me"]["dots_used"] == 3
    assert dots(wb, usage_id, first["id"], 0).json["me"]["dots_used"] == 1  # dots taken back
    assert Vote.objects.get().dots == 1 and Idea.objects.get(title="First").votes == 0
    assert page(wb, usage_id, LEARNER_B)["ideas"][0]["my_dots"] == 0  # B's own dots, not A's

    set_phase(wb, usage_id, "results")
    assert dots(wb, usage_id, second["id"], 2).error_code == "wrong_phase"
    assert post(wb, usage_id, "move_dot", {"from": second["id"], "to": first["id"]}).error_code == "wrong_phase"


def test_completion_and_grade_once_the_rule_is_met(wb):
    usage_id = wb.load(board_xml(phase_mode="manual", completion_ideas=1, completion_votes=2, graded=True))
    target = idea(wb, usage_id, "Mine")
    assert "completion" not in types(wb, usage_id)
    set_phase(wb, usage_id, "vote")
    assert dots(wb, usage_id, target["id"], 1).json["completed"] is False
    done = dots(wb, usage_id, target["id"], 2)
    assert done.json["completed"] is True and done.json["me"]["completed"] is True
    assert [e.type for e in done.events].count("completion") == 1
    assert [e.data for e in done.events if e.type == "grade"] == [{"value": 1.0, "max_value": 1.0}]
    again = dots(wb, usage_id, target["id"], 0)  # taking dots back does not undo completion
    assert again.json["completed"] is True and "completion" not in [e.type for e in again.events]
    assert get(wb, usage_id, "student_view_user_state").json == {"room": None, "ideas": 1, "dots_used": 0,
                                                                 "completed": True}


def test_move_dot_refusals(wb, usage_id):
    first, second = idea(wb, usage_id, "First"), idea(wb, usage_id, "Second")
    set_phase(wb, usage_id, "vote")
    before = stored()
    assert post(wb, usage_id, "move_dot", {"from": first["id"], "to": second["id"]}).error_code == "no_dot"
    dots(wb, usage_id, first["id"], 1)
    dots(wb, usage_id, second["id"], 3)
    before = stored()
    assert post(wb, usage_id, "move_dot", {"from": first["id"], "to": second["id"]}).error_code == "too_many_dots"
    assert post(wb, usage_id, "move_dot", {"from": first["id"], "to": first["id"]}).error_code == "same_idea"
    assert stored() == before


# The page: sorting, filters, paging, polling ----------------------------------------------------------------

def test_sorting_filtering_searching_and_paging(wb, usage_id, settings):
    operator(settings, IDEA_PAGE_SIZE=4, IDEA_POSTS_PER_MINUTE=100)
    for number in range(9):
        idea(wb, usage_id, f"Idea {number}", text="solar panels" if number % 3 == 0 else "other",
             category="process" if number % 2 else "product", tags=["green"] if number < 2 else [],
             user=LEARNER_A if number < 3 else LEARNER_B)
    first = page(wb, usage_id)
    assert (titles(first), first["page"], first["pages"], first["total"]) == \
        (["Idea 8", "Idea 7", "Idea 6", "Idea 5"], 1, 3, 9)
    assert titles(page(wb, usage_id, page=3)) == ["Idea 0"]
    assert page(wb, usage_id, page=99)["page"] == 3
    assert titles(page(wb, usage_id, category="process")) == ["Idea 7", "Idea 5", "Idea 3", "Idea 1"]
    assert titles(page(wb, usage_id, tag="GREEN")) == ["Idea 1", "Idea 0"]
    assert titles(page(wb, usage_id, mine=1)) == ["Idea 2", "Idea 1", "Idea 0"]
    assert titles(page(wb, usage_id, q="SOLAR")) == ["Idea 6", "Idea 3", "Idea 0"]
    assert page(wb, usage_id, q="nothing like this")["total"] == 0

    ids = {i.title: str(i.public_id) for i in Idea.objects.all()}
    set_phase(wb, usage_id, "vote")
    dots(wb, usage_id, ids["Idea 2"], 3, user=LEARNER_B)
    dots(wb, usage_id, ids["Idea 4"], 1, user=LEARNER_B)
    assert post(wb, usage_id, "moderate", {"target": "idea", "id": ids["Idea 0"], "action": "pin"},
                user=STAFF).status == 200
    ranked = page(wb, usage_id, sort="votes")
    assert titles(ranked) == ["Idea 0", "Idea 2", "Idea 4", "Idea 8"]
    assert ranked["ideas"][0]["pinned"] and [i["votes"] for i in ranked["ideas"]] == [0, 3, 1, 0]


def test_a_poll_says_whether_anything_changed(wb, usage_id):
    revision = view_args(wb, usage_id)["board"]["revision"]
    quiet = get(wb, usage_id, "poll", query=f"since={revision}")
    assert quiet.json == {"changed": False, "revision": revision}
    idea(wb, usage_id, "New", user=LEARNER_B)
    changed = get(wb, usage_id, "poll", query=f"since={revision}").json
    assert changed["changed"] is True and changed["revision"] > revision
    assert changed["phase"]["current"] == "collect"
    now = changed["revision"]
    assert get(wb, usage_id, "poll", query=f"since={now}&phase=collect").json["changed"] is False
    assert get(wb, usage_id, "poll", query=f"since={now}&phase=vote").json["changed"] is True  # by the dates
    set_phase(wb, usage_id, "vote")
    after = get(wb, usage_id, "poll", query=f"since={now}").json
    assert after["changed"] and after["phase"]["current"] == "vote" and after["phase"]["manual"] is True
    staff = get(wb, usage_id, "poll", user=STAFF, query="since=0").json
    assert staff["changed"] and staff["revision"] == after["revision"]


# Comments, flags, moderation --------------------------------------------------------------------------------

def test_comments_yes_and(wb, usage_id):
    target = idea(wb, usage_id, "Idea")
    added = post(wb, usage_id, "add_comment", {"idea": target["id"], "text": f" yes, and {HOSTILE}"}, user=LEARNER_B)
    assert added.status == 200, added.text
    assert (added.json["comment"]["text"], added.json["comments"]) == (f"yes, and {HOSTILE}", 1)
    listed = get(wb, usage_id, "comments", query=f"idea={target['id']}").json
    assert [(c["text"], c["mine"], c["author"]) for c in listed["comments"]] == [(f"yes, and {HOSTILE}", False, None)]
    assert page(wb, usage_id)["ideas"][0]["comments"] == 1
    assert get(wb, usage_id, "comments", user=STAFF, query=f"idea={target['id']}").json["comments"][0]["author"] \
        == LEARNER_B
    before = stored()
    assert post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "   "}).error_code == "empty"
    too_long = post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "x" * 1001})
    assert (too_long.status, too_long.error_code) == (400, "too_long")
    assert stored() == before


def test_posting_faster_than_the_rate_limit_is_refused(wb, usage_id, settings):
    operator(settings, IDEA_POSTS_PER_MINUTE=3)
    target = idea(wb, usage_id, "One")
    idea(wb, usage_id, "Two")
    assert post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "three"}).status == 200
    before = stored()
    for handler, body in (("post_idea", {"title": "Four"}), ("add_comment", {"idea": target["id"], "text": "4"})):
        refused = post(wb, usage_id, handler, body)
        assert (refused.status, refused.error_code) == (429, "rate_limited")
    assert stored() == before
    assert post(wb, usage_id, "post_idea", {"title": "B is not limited"}, user=LEARNER_B).status == 200


def test_flags_hide_an_idea_for_review_and_staff_restore_it(wb, usage_id, settings):
    operator(settings, IDEA_FLAGS_TO_HIDE=2)
    target = idea(wb, usage_id, "Rude idea")
    own = post(wb, usage_id, "flag", {"target": "idea", "id": target["id"]})
    assert (own.status, own.error_code) == (400, "own")
    assert post(wb, usage_id, "flag", {"target": "idea", "id": target["id"], "reason": "rude"},
                user=LEARNER_B).json == {"flagged": True}
    assert page(wb, usage_id, LEARNER_B)["ideas"][0]["flagged_by_me"] is True
    before = stored()
    assert post(wb, usage_id, "flag", {"target": "idea", "id": target["id"]}, user=LEARNER_B).json == {"flagged": True}
    assert stored() == before  # flagging twice changes nothing
    post(wb, usage_id, "flag", {"target": "idea", "id": target["id"], "reason": "spam"}, user=LEARNER_C)
    assert page(wb, usage_id, LEARNER_B)["total"] == 0 and page(wb, usage_id)["total"] == 0
    queue = get(wb, usage_id, "review_queue", user=STAFF).json
    assert [(i["target"], i["id"], i["flags"], i["reasons"], i["author"]) for i in queue["items"]] == \
        [("idea", target["id"], 2, ["rude", "spam"], LEARNER_A)]
    restored = post(wb, usage_id, "moderate", {"target": "idea", "id": target["id"], "action": "restore"}, user=STAFF)
    assert restored.json["idea"]["status"] == "visible"
    assert get(wb, usage_id, "review_queue", user=STAFF).json["total"] == 0
    assert page(wb, usage_id, LEARNER_B)["total"] == 1
    assert types(wb, usage_id).count("bizmooc.idea_board.flagged") == 2


def test_flagged_comments_wait_for_review_too(wb, usage_id, settings):
    operator(settings, IDEA_FLAGS_TO_HIDE=1)
    target = idea(wb, usage_id, "Idea")
    comment = post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "spam spam"}, user=LEARNER_B).json
    flagged = post(wb, usage_id, "flag", {"target": "comment", "id": comment["comment"]["id"], "reason": "spam"})
    assert flagged.status == 200
    assert get(wb, usage_id, "comments", query=f"idea={target['id']}").json["total"] == 0
    assert page(wb, usage_id)["ideas"][0]["comments"] == 0
    queue = get(wb, usage_id, "review_queue", user=STAFF).json["items"]
    assert [(i["target"], i["title"], i["text"]) for i in queue] == [("comment", "Idea", "spam spam")]
    deleted = post(wb, usage_id, "moderate", {"target": "comment", "id": queue[0]["id"], "action": "delete"},
                   user=STAFF)
    assert deleted.json == {"deleted": True}
    assert get(wb, usage_id, "comments", user=STAFF, query=f"idea={target['id']}").json["total"] == 0


def test_staff_hide_pin_and_delete(wb, usage_id):
    target = idea(wb, usage_id, "Idea")
    other = idea(wb, usage_id, "Other", user=LEARNER_B, builds_on=target["id"])
    comment = post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "c"}, user=LEARNER_B).json["comment"]

    before = stored()
    for action in ("hide", "delete", "pin"):
        refused = post(wb, usage_id, "moderate", {"target": "idea", "id": target["id"], "action": action})
        assert (refused.status, refused.error_code) == (403, "forbidden")
    for handler in ("review_queue", "room_stats"):
        assert get(wb, usage_id, handler).status == 403
    assert get(wb, usage_id, "export_csv", query="what=ideas").status == 403
    assert post(wb, usage_id, "set_phase", {"phase": "vote"}).status == 403
    assert stored() == before

    hidden = post(wb, usage_id, "moderate", {"target": "idea", "id": target["id"], "action": "hide"}, user=STAFF)
    assert hidden.json["idea"]["status"] == "hidden" and titles(page(wb, usage_id, LEARNER_B)) == ["Other"]
    assert post(wb, usage_id, "moderate", {"target": "idea", "id": target["id"], "action": "restore"},
                user=STAFF).json["idea"]["status"] == "visible"
    pinned = post(wb, usage_id, "moderate", {"target": "comment", "id": comment["id"], "action": "pin"}, user=STAFF)
    assert pinned.json["comment"]["pinned"] is True
    hide_c = post(wb, usage_id, "moderate", {"target": "comment", "id": comment["id"], "action": "hide"}, user=STAFF)
    assert hide_c.json["comment"]["status"] == "hidden"
    assert Idea.objects.get(title="Idea").comments == 0
    gone = post(wb, usage_id, "moderate", {"target": "idea", "id": target["id"], "action": "delete"}, user=STAFF)
    assert gone.json == {"deleted": True}
    left = page(wb, usage_id, LEARNER_B)["ideas"]
    assert [(i["id"], i["builds_on"]) for i in left] == [(other["id"], None)]
    assert Room.objects.get().ideas == 1
    assert types(wb, usage_id).count("bizmooc.idea_board.moderated") == 5


# Staff statistics and exports -------------------------------------------------------------------------------

def test_csv_exports_are_formula_safe(wb, usage_id):
    target = idea(wb, usage_id, "=HYPERLINK(\"http://x\")", text="+1", tags=["@tag"], category="product")
    post(wb, usage_id, "add_comment", {"idea": target["id"], "text": "-2"}, user=LEARNER_B)
    set_phase(wb, usage_id, "vote")
    dots(wb, usage_id, target["id"], 2, user=LEARNER_B)
    ideas = get(wb, usage_id, "export_csv", user=STAFF, query="what=ideas").csv_dicts
    assert [(r["title"], r["text"], r["tags"], r["author"], r["votes"]) for r in ideas] == \
        [("'=HYPERLINK(\"http://x\")", "'+1", "'@tag", LEARNER_A, "2")]
    assert (ideas[0]["category"], ideas[0]["category_id"]) == ("Product", "product")  # as the course team named it
    votes = get(wb, usage_id, "export_csv", user=STAFF, query="what=votes").csv_dicts
    assert [(r["idea"], r["voter"], r["dots"]) for r in votes] == [(target["id"], LEARNER_B, "2")]
    result = get(wb, usage_id, "export_csv", user=STAFF, query="what=comments")
    assert result.response.content_type == "text/csv" and "comments.csv" in result.response.content_disposition
    comments = result.csv_dicts
    assert [(r["idea"], r["author"], r["text"]) for r in comments] == [(target["id"], LEARNER_B, "'-2")]
    assert get(wb, usage_id, "export_csv", user=STAFF, query="what=secrets").status == 400


def test_report_rows_my_data_and_mobile(wb, usage_id):
    idea(wb, usage_id, "Mine", text="details", tags=["a"])
    idea(wb, usage_id, "Theirs", user=LEARNER_B)
    # learner_id (the base block's field), or board_owner as releases up to 0.2 stored it.
    states = [SimpleNamespace(username=LEARNER_A, state={"learner_id": LEARNER_A})] + [
        SimpleNamespace(username=user, state={"board_owner": user}) for user in (LEARNER_B, "nobody")]
    rows = list(wb.block(usage_id, STAFF).generate_report_data(iter(states)))
    assert [(user, row["idea"]) for user, row in rows] == [(LEARNER_A, "Mine"), (LEARNER_B, "Theirs")]
    assert rows[0][1]["tags"] == "a" and rows[0][1]["text"] == "details"

    mine = get(wb, usage_id, "download_my_data")
    data = json.loads(mine.text)
    assert [i["title"] for i in data["ideas"]] == ["Mine"] and data["learner"] == LEARNER_A
    assert "attachment" in mine.response.content_disposition

    mobile = wb.block(usage_id).student_view_data()
    assert mobile["config"]["categories"] == CATEGORIES and mobile["phase"]["mode"] == "manual"
    assert "Theirs" not in json.dumps(mobile)


def test_the_artefact_provider_shows_an_idea_without_its_author(wb, usage_id):
    posted = idea(wb, usage_id, "Shareable", text="Body", user=lms_user("anon-9", username="zoe"))
    rendered = artefacts.render_artefact("idea", posted["id"], lambda text: text)
    assert "Shareable" in rendered and "zoe" not in rendered and "anon-9" not in rendered
    assert artefacts.artefact_summary("idea", posted["id"]) == "Shareable\n\nBody"
    assert artefacts.artefact_owner("idea", posted["id"]) == ("workbench", "anon-9")
    assert artefacts.artefact_choices("idea", "workbench", "anon-9", lambda t: t) == \
        [{"id": posted["id"], "label": "Shareable"}]
    assert artefacts.render_artefact("idea", "not-a-uuid", lambda t: t) is None


# Signed out, Studio, validation, scenarios ------------------------------------------------------------------

def test_signed_out_visitors_see_a_notice_and_cannot_act(wb, usage_id):
    assert view_args(wb, usage_id, LMS_ANONYMOUS) == {"signed_out": True}
    assert "bizmooc-idea-board" in wb.render(usage_id, LMS_ANONYMOUS)
    refused = post(wb, usage_id, "post_idea", {"title": "x"}, user=LMS_ANONYMOUS)
    assert (refused.status, refused.error_code) == (403, "not_signed_in")
    assert not Idea.objects.exists() and not Membership.objects.exists()


STUDIO = {"display_name": "Week 1 board", "challenge": "<p>How might we?</p><script>x()</script>",
          "categories": CATEGORIES, "allow_tags": False, "learner_clusters": True, "technique": "prompts",
          "prompt_cards": [{"title": "Own card", "text": "Think"}], "phase_mode": "dates",
          "vote_start": "2026-03-01T09:00", "results_start": "2026-03-08T09:00", "hide_until_vote": True,
          "vote_after_days": 7, "results_after_days": 14, "room_size": 100, "hide_votes_until_results": True,
          "own_dots": False, "anonymous": False,
          "vote_budget": 7, "max_dots_per_idea": 2, "completion_ideas": 2,
          "completion_votes": 3, "graded": True, "weight": 2.0}


def test_studio_saves_checked_settings(wb, usage_id):
    saved = post(wb, usage_id, "studio_submit", STUDIO, user=STUDIO_STAFF)
    assert saved.json == {"saved": True}, saved.text  # the shared studio_submit's answer (common/block.py)
    block = wb.block(usage_id, STAFF)
    assert block.challenge == "<p>How might we?</p>" and block.room_size == 100 and block.prompt_cards == \
        [{"title": "Own card", "text": "Think"}]
    assert block.validate().empty
    before = {name: getattr(block, name) for name in STUDIO}
    for field, value in (("vote_budget", 0), ("max_dots_per_idea", 8), ("categories", [{"id": "X Y", "name": "n"}]),
                         ("results_start", "2026-02-01T00:00"), ("technique", "magic"), ("room_size", 1)):
        refused = post(wb, usage_id, "studio_submit", dict(STUDIO, **{field: value}), user=STUDIO_STAFF)
        assert (refused.status, refused.json["error"]["field"]) == (400, field), field
    several = post(wb, usage_id, "studio_submit", dict(STUDIO, vote_budget=2, room_size=1, vote_start="soon"),
                   user=STUDIO_STAFF)
    assert [f["field"] for f in several.json["error"]["fields"]] == ["vote_start", "room_size", "completion_votes"]
    assert post(wb, usage_id, "studio_submit", STUDIO, user=LEARNER_A).status == 403
    again = wb.block(usage_id, STAFF)
    assert {name: getattr(again, name) for name in STUDIO} == before
    studio = wb.render(usage_id, STAFF, "studio_view")
    assert "BizMOOCIdeaBoardStudio" in studio
    assert "Dots" in wb.render(usage_id, STAFF, "author_view")


def test_validate_names_misconfiguration(wb):
    block = wb.block(wb.load(board_xml(vote_budget=2, max_dots_per_idea=3)))
    messages = block.validate().messages
    assert [m.type for m in messages] == [ValidationMessage.ERROR]
    assert "dots per idea" in messages[0].text
    assert wb.block(wb.load(board_xml())).validate().empty


@pytest.mark.parametrize("title, xml", IDEA_BOARD_SCENARIOS, ids=[t for t, _ in IDEA_BOARD_SCENARIOS])
def test_demo_scenarios_load_validate_and_render(wb, title, xml):
    usage_id = wb.load(xml)
    assert wb.block(usage_id).validate().empty, title
    for user in (LEARNER_A, STAFF):
        assert "bizmooc-idea-board" in wb.render(usage_id, user)
    if "rooms of 3" in title:
        for user in ("l1", "l2", "l3", "l4"):
            wb.render(usage_id, user)
        rooms = list(Room.objects.values_list("number", "participants").order_by("number"))
        assert rooms == [(1, 3), (2, 2)]  # learner_a and l1-l4
    if "SCAMPER" in title:
        assert view_args(wb, usage_id)["config"]["prompt_cards"][0]["title"] == "Substitute"


# Bad input: a 4xx JSON error, and nothing changes ------------------------------------------------------------

BAD_INPUT = [
    # (who, handler, body or GET query, status, code)
    (LEARNER_B, "post_idea", {"title": ""}, 400, "empty"),
    (LEARNER_B, "post_idea", {"title": "   ", "text": "only text"}, 400, "empty"),
    (LEARNER_B, "post_idea", {"title": "x" * 121}, 400, "too_long"),
    (LEARNER_B, "post_idea", {"title": "t", "text": "x" * 2001}, 400, "too_long"),
    (LEARNER_B, "post_idea", {"title": "t", "tags": ["a", "b", "c", "d", "e", "f"]}, 400, "too_many_tags"),
    (LEARNER_B, "post_idea", {"title": "t", "tags": "green"}, 400, "invalid_type"),
    (LEARNER_B, "post_idea", {"title": "t", "category": "nope"}, 400, "unknown_category"),
    (LEARNER_B, "post_idea", {"title": "t", "builds_on": "not-a-uuid"}, 404, "not_found"),
    (LEARNER_B, "post_idea", {"title": "t", "builds_on": "00000000-0000-0000-0000-000000000000"}, 404, "not_found"),
    (LEARNER_B, "post_idea", {"title": "t", "author": "someone else"}, 400, "unknown_field"),
    (LEARNER_B, "post_idea", {"title": "\ud800"}, 400, "invalid_text"),
    (LEARNER_B, "edit_idea", {"idea": "{mine}", "title": "taken over"}, 403, "not_yours"),
    (LEARNER_A, "edit_idea", {"idea": "{mine}", "title": ""}, 400, "empty"),
    (LEARNER_B, "withdraw_idea", {"idea": "{mine}"}, 403, "not_yours"),
    (LEARNER_B, "set_dots", {"idea": "{mine}", "dots": 1}, 403, "wrong_phase"),
    (LEARNER_B, "set_dots", {"idea": "{mine}", "dots": -1}, 403, "wrong_phase"),
    (LEARNER_B, "set_dots", {"idea": "{mine}", "dots": 1001}, 400, "out_of_range"),
    (LEARNER_B, "set_dots", {"idea": "{mine}", "dots": "2"}, 400, "invalid_type"),
    (LEARNER_B, "move_dot", {"from": "{mine}", "to": "{mine}"}, 400, "same_idea"),
    (LEARNER_B, "add_comment", {"idea": "{mine}", "text": ""}, 400, "empty"),
    (LEARNER_B, "add_comment", {"idea": "{mine}", "text": "x" * 1001}, 400, "too_long"),
    (LEARNER_B, "flag", {"target": "vote", "id": "{mine}"}, 400, "invalid_choice"),
    (LEARNER_B, "flag", {"target": "idea", "id": "{mine}", "reason": "x" * 501}, 400, "too_long"),
    (LEARNER_A, "flag", {"target": "idea", "id": "{mine}"}, 400, "own"),
    (LEARNER_B, "moderate", {"target": "idea", "id": "{mine}", "action": "delete"}, 403, "forbidden"),
    (LEARNER_B, "set_phase", {"phase": "vote"}, 403, "forbidden"),
    (STAFF, "set_phase", {"phase": "brainstorm"}, 400, "invalid_choice"),
    (STAFF, "moderate", {"target": "idea", "id": "{mine}", "action": "explode"}, 400, "invalid_choice"),
    (STUDIO_STAFF, "studio_submit", {}, 400, "missing_field"),
    (LEARNER_B, "studio_submit", {}, 403, "forbidden"),
    (LEARNER_B, "board", "sort=random", 400, "invalid_choice"),
    (LEARNER_B, "board", "page=0", 400, "out_of_range"),
    (LEARNER_B, "board", "room=2", 403, "other_room"),
    (LEARNER_B, "poll", "since=abc", 400, "invalid_type"),
    (LEARNER_B, "comments", "idea=00000000-0000-0000-0000-000000000000", 404, "not_found"),
    (LEARNER_B, "export_csv", "what=ideas", 403, "forbidden"),
    (LEARNER_B, "review_queue", "", 403, "forbidden"),
]


@pytest.mark.parametrize("who, handler, body, status, code", BAD_INPUT,
                         ids=[f"{h}-{c}-{i}" for i, (_w, h, _b, _s, c) in enumerate(BAD_INPUT)])
def test_bad_input_is_refused_and_changes_nothing(wb, usage_id, who, handler, body, status, code):
    mine = idea(wb, usage_id, "Mine")
    wb.render(usage_id, LEARNER_B)
    before, events = stored(), len(wb.events)
    if isinstance(body, str):
        result = get(wb, usage_id, handler, user=who, query=body.replace("{mine}", mine["id"]))
    else:
        raw = json.dumps(body).replace("{mine}", mine["id"]).replace("\\\\ud800", "\\ud800")
        result = wb.call(usage_id, handler, raw=raw.encode("utf-8"), user=who)
    assert (result.status, result.error_code) == (status, code), result.text
    assert result.json["error"]["message"]
    assert stored() == before
    assert len(wb.events) == events


def test_wrong_method_and_broken_json_are_refused(wb, usage_id):
    before = stored()
    assert get(wb, usage_id, "post_idea").status == 405
    assert wb.call(usage_id, "board", {"page": 1}).status == 405
    broken = wb.call(usage_id, "post_idea", raw=b'{"title": ')
    assert (broken.status, broken.error_code) == (400, "invalid_json")
    assert stored() == before
