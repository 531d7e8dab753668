"""Clustering on the idea board (issue 13): staff, and learners where the course team allows
it, group duplicate ideas of one room into one cluster, shown as one card (the lead's) with
the members' titles, ranked and voted on as one. Dots already placed merge onto the cluster,
capped at the per-idea maximum, the excess returned; ungrouping brings the ideas back without
dots, the cluster's dots staying on the lead. Refusals are 4xx and change nothing."""
import csv
import io
import json

import pytest

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.creativity_lab.board_helpers import (
    CATEGORIES,
    board_xml,
    dots,
    get,
    idea,
    page,
    post,
    set_phase,
    stored,
    view_args,
)
from xblocks.common import retirement
from xblocks.creativity_lab import board
from xblocks.creativity_lab.models import Idea, Vote

LEARNER_C = "learner_c"


@pytest.fixture
def usage_id(wb):
    return wb.load(board_xml(phase_mode="manual", vote_budget=5, max_dots_per_idea=3, categories=CATEGORIES))


def group(wb, usage_id, duplicate, lead, user=STAFF):
    return post(wb, usage_id, "group_ideas", {"idea": duplicate, "into": lead}, user=user)


def ungroup(wb, usage_id, target, user=STAFF):
    return post(wb, usage_id, "ungroup_idea", {"idea": target}, user=user)


def card(wb, usage_id, idea_id, user=LEARNER_A):
    return next(found for found in page(wb, usage_id, user=user)["ideas"] if found["id"] == idea_id)


def test_a_cluster_is_one_card_voted_on_as_one_and_dots_merge_capped(wb, usage_id):
    lead = idea(wb, usage_id, "Buddy for each newcomer", category="process")
    duplicate = idea(wb, usage_id, "A mentor in week one", user=LEARNER_B, category="product")
    idea(wb, usage_id, "Welcome lunch", user=LEARNER_C)
    set_phase(wb, usage_id, "vote")
    assert dots(wb, usage_id, lead["id"], 2, user=LEARNER_C).status == 200
    assert dots(wb, usage_id, duplicate["id"], 3, user=LEARNER_C).status == 200  # 5 of 5 used
    assert dots(wb, usage_id, duplicate["id"], 1, user=LEARNER_A).status == 200

    grouped = group(wb, usage_id, duplicate["id"], lead["id"])

    assert grouped.status == 200, grouped.text
    assert grouped.json["idea"]["members"] == [{"id": duplicate["id"], "title": "A mentor in week one"}]
    assert grouped.json["idea"]["votes"] == 4  # C's 2 + 3 capped at 3; A's 1
    shown = page(wb, usage_id)
    assert shown["total"] == 2 and [i["title"] for i in shown["ideas"]] == ["Welcome lunch",
                                                                            "Buddy for each newcomer"]
    assert card(wb, usage_id, lead["id"])["category"] == "process"  # the lead's column
    assert page(wb, usage_id, user=LEARNER_C)["me"]["dots_used"] == 3  # two dots back in C's budget
    assert page(wb, usage_id, user=LEARNER_A)["me"]["dots_used"] == 1
    assert Idea.objects.get(public_id=duplicate["id"]).votes == 0

    refused = dots(wb, usage_id, duplicate["id"], 1, user=LEARNER_B)
    assert (refused.status, refused.error_code) == (400, "in_cluster")
    assert dots(wb, usage_id, lead["id"], 4, user=LEARNER_C).json["error"]["code"] == "too_many_dots"
    assert dots(wb, usage_id, lead["id"], 3, user=LEARNER_B).status == 200
    assert card(wb, usage_id, lead["id"])["votes"] == 7

    set_phase(wb, usage_id, "results")
    ranked = page(wb, usage_id, sort="votes")["ideas"]
    assert (ranked[0]["id"], ranked[0]["rank"], len(ranked[0]["members"])) == (lead["id"], 1, 1)
    assert [e.data for e in wb.events_of(usage_id) if e.type == "bizmooc.idea_board.clustered"] == [
        {"cluster": lead["id"], "idea": duplicate["id"], "room": None, "size": 2}]


def test_ungrouping_brings_the_ideas_back_without_dots_and_keeps_the_clusters_on_the_lead(wb, usage_id):
    lead, first, second = (idea(wb, usage_id, title, user=user) for title, user in
                           (("Lead", LEARNER_A), ("First", LEARNER_B), ("Second", LEARNER_C)))
    set_phase(wb, usage_id, "vote")
    dots(wb, usage_id, first["id"], 2, user=LEARNER_A)
    for member in (first, second):
        assert group(wb, usage_id, member["id"], lead["id"]).status == 200
    assert [m["title"] for m in card(wb, usage_id, lead["id"])["members"]] == ["First", "Second"]
    total = Vote.objects.values_list("dots", flat=True)

    one = ungroup(wb, usage_id, first["id"])  # one idea leaves
    assert one.status == 200 and [m["title"] for m in one.json["idea"]["members"]] == ["Second"]
    assert card(wb, usage_id, first["id"])["votes"] == 0 and card(wb, usage_id, lead["id"])["votes"] == 2
    whole = ungroup(wb, usage_id, lead["id"])  # the lead's: the cluster dissolves
    assert whole.json["idea"]["members"] == [] and page(wb, usage_id)["total"] == 3
    assert sorted(Vote.objects.values_list("dots", flat=True)) == sorted(total)  # nothing lost or doubled
    assert [e.data["dissolved"] for e in wb.events_of(usage_id) if e.type == "bizmooc.idea_board.unclustered"] \
        == [False, True]
    refused = ungroup(wb, usage_id, lead["id"])
    assert (refused.status, refused.error_code) == (400, "not_grouped")


def test_learners_group_only_where_allowed_and_while_ideas_are_collected(wb):
    usage_id = wb.load(board_xml(phase_mode="manual", learner_clusters=True))
    mine, theirs = idea(wb, usage_id, "Mine"), idea(wb, usage_id, "Theirs", user=LEARNER_B)
    assert view_args(wb, usage_id)["config"]["learner_clusters"] is True
    assert group(wb, usage_id, theirs["id"], mine["id"], user=LEARNER_A).status == 200
    assert ungroup(wb, usage_id, theirs["id"], user=LEARNER_B).status == 200
    set_phase(wb, usage_id, "vote")
    refused = group(wb, usage_id, theirs["id"], mine["id"], user=LEARNER_A)
    assert (refused.status, refused.error_code) == (403, "wrong_phase")
    assert group(wb, usage_id, theirs["id"], mine["id"]).status == 200  # staff: in any phase
    set_phase(wb, usage_id, "results")
    assert ungroup(wb, usage_id, theirs["id"], user=LEARNER_A).error_code == "wrong_phase"

    closed = wb.load(board_xml(phase_mode="manual"))
    one, two = idea(wb, closed, "One"), idea(wb, closed, "Two", user=LEARNER_B)
    refused = group(wb, closed, two["id"], one["id"], user=LEARNER_A)
    assert (refused.status, refused.error_code) == (403, "no_grouping")
    assert view_args(wb, closed)["config"]["learner_clusters"] is False


def test_bad_groupings_are_refused_and_change_nothing(wb):
    usage_id = wb.load(board_xml(phase_mode="manual", room_size=2))
    a, b = idea(wb, usage_id, "A"), idea(wb, usage_id, "B", user=LEARNER_B)
    c = idea(wb, usage_id, "C in room 2", user=LEARNER_C)
    d = idea(wb, usage_id, "D", user=LEARNER_B)
    hidden, withdrawn = idea(wb, usage_id, "Hidden"), idea(wb, usage_id, "Withdrawn")
    assert post(wb, usage_id, "moderate", {"target": "idea", "id": hidden["id"], "action": "hide"},
                user=STAFF).status == 200
    assert post(wb, usage_id, "withdraw_idea", {"idea": withdrawn["id"]}).status == 200
    assert group(wb, usage_id, b["id"], a["id"]).status == 200
    before = stored()
    for duplicate, lead, status, code in (
            (a["id"], a["id"], 400, "same_idea"), (d["id"], d["id"], 400, "same_idea"),
            (c["id"], d["id"], 400, "other_room"), (a["id"], d["id"], 400, "in_cluster"),  # a cluster into another
            (d["id"], b["id"], 400, "in_cluster"), (b["id"], d["id"], 400, "in_cluster"),  # a member, either way
            (hidden["id"], d["id"], 400, "not_visible"), (d["id"], withdrawn["id"], 400, "not_visible"),
            ("not-a-uuid", d["id"], 404, "not_found"), (d["id"], "", 404, None)):
        refused = group(wb, usage_id, duplicate, lead)
        assert refused.status == status, (duplicate, lead, refused.text)
        assert code is None or refused.error_code == code, refused.text
    refused = ungroup(wb, usage_id, d["id"])
    assert (refused.status, refused.error_code) == (400, "not_grouped")
    assert stored() == before


def test_a_cluster_holds_at_most_max_cluster_ideas(wb, usage_id, monkeypatch):
    monkeypatch.setattr(board, "MAX_CLUSTER", 2)
    lead, one, two = idea(wb, usage_id, "Lead"), idea(wb, usage_id, "One"), idea(wb, usage_id, "Two")
    assert group(wb, usage_id, one["id"], lead["id"]).status == 200
    assert group(wb, usage_id, two["id"], lead["id"]).error_code == "cluster_full"


def test_withdrawing_leaves_the_cluster_and_a_withdrawn_lead_releases_its_members(wb, usage_id):
    lead, member, other = idea(wb, usage_id, "Lead"), idea(wb, usage_id, "Member", user=LEARNER_B), \
        idea(wb, usage_id, "Other", user=LEARNER_C)
    group(wb, usage_id, member["id"], lead["id"])
    group(wb, usage_id, other["id"], lead["id"])
    assert post(wb, usage_id, "withdraw_idea", {"idea": member["id"]}, user=LEARNER_B).status == 200
    assert [m["title"] for m in card(wb, usage_id, lead["id"])["members"]] == ["Other"]
    assert post(wb, usage_id, "withdraw_idea", {"idea": lead["id"]}).status == 200
    assert [i["title"] for i in page(wb, usage_id)["ideas"]] == ["Other"]


def test_learners_see_only_visible_members_and_search_finds_cards(wb, usage_id):
    lead, member = idea(wb, usage_id, "Lead"), idea(wb, usage_id, "Spam member", user=LEARNER_B)
    group(wb, usage_id, member["id"], lead["id"])
    post(wb, usage_id, "moderate", {"target": "idea", "id": member["id"], "action": "hide"}, user=STAFF)
    assert card(wb, usage_id, lead["id"])["members"] == []
    assert [m["title"] for m in card(wb, usage_id, lead["id"], user=STAFF)["members"]] == ["Spam member"]
    assert page(wb, usage_id, q="Spam")["total"] == 0  # a hidden member finds nothing for learners


def test_search_finds_a_clusters_card_by_what_any_of_its_ideas_says(wb, usage_id):
    lead = idea(wb, usage_id, "Buddy for each newcomer")
    member = idea(wb, usage_id, "A mentor in week one", user=LEARNER_B, text="Someone to ask")
    group(wb, usage_id, member["id"], lead["id"])
    for query in ("mentor", "someone", "buddy"):
        found = page(wb, usage_id, q=query)
        assert [card["id"] for card in found["ideas"]] == [lead["id"]], query
        assert found["total"] == 1
    assert page(wb, usage_id, q="nothing like this")["total"] == 0


def test_export_my_data_and_retirement_show_and_keep_cluster_membership(wb, usage_id):
    lead, member = idea(wb, usage_id, "Lead", user=LEARNER_B), idea(wb, usage_id, "Mine")
    group(wb, usage_id, member["id"], lead["id"])
    rows = list(csv.DictReader(io.StringIO(get(wb, usage_id, "export_csv", user=STAFF, query="what=ideas").text)))
    assert {row["title"]: row["cluster"] for row in rows} == {"Lead": "", "Mine": lead["id"]}
    mine = json.loads(get(wb, usage_id, "download_my_data").text)
    assert [(i["title"], i["cluster"]) for i in mine["ideas"]] == [("Mine", lead["id"])]
    retirement.retire_anonymous_ids([LEARNER_B])
    assert card(wb, usage_id, member["id"])["members"] == []  # back as a card of its own
