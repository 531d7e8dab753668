"""The idea board's rules on their own, without XBlock or the database: phases, who may
change what, dot limits, completion, learner input, the course team's settings, prompt
cards and CSV rows."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from xblocks.common.errors import ApiError
from xblocks.common.fields import Moment
from xblocks.creativity_lab import board
from xblocks.creativity_lab.board_settings import SETTINGS

MARCH = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def refused(call, *args, **kwargs):
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    return caught.value


def moment(text):
    """A phase date as the block's field reads the stored text (None when it is no date)."""
    return Moment().from_json(text)


def settings(**changes):
    values = {"display_name": "Board", "challenge": "", "categories": [], "allow_tags": True, "technique": "free",
              "prompt_cards": board.scamper_cards(), "phase_mode": "dates", "vote_start": "", "results_start": "",
              "hide_until_vote": False, "room_size": 0, "anonymous": True, "vote_budget": 5, "max_dots_per_idea": 3,
              "completion_ideas": 1, "completion_votes": 0, "graded": False, "weight": 1.0}
    values.update(changes)
    return values


@pytest.mark.parametrize("mode, manual, vote, results, now, phase", [
    ("dates", "", "", "", MARCH, "collect"),
    ("dates", "", "2026-03-01T09:00", "", MARCH, "vote"),
    ("dates", "", "2026-03-01T09:01", "", MARCH, "collect"),
    ("dates", "", "2026-02-01T00:00", "2026-03-01T09:00+00:00", MARCH, "results"),
    ("dates", "", "2026-02-01", "2026-03-01T10:00+01:00", MARCH, "results"),  # 09:00 UTC
    ("dates", "vote", "", "2026-01-01", MARCH, "vote"),  # staff override the dates
    ("manual", "", "2026-01-01", "2026-02-01", MARCH, "collect"),
    ("manual", "results", "", "", MARCH, "results"),
    ("dates", "", "not a date", "", MARCH, "collect"),
])
def test_phase_by_dates_or_by_staff(mode, manual, vote, results, now, phase):
    assert board.current_phase(mode, manual, moment(vote), moment(results), now) == phase


def test_others_ideas_withheld_only_from_learners_while_collecting():
    assert board.others_withheld("collect", True, False)
    assert not board.others_withheld("collect", True, True)
    assert not board.others_withheld("vote", True, False)
    assert not board.others_withheld("collect", False, False)
    assert not board.votes_shown("collect", False) and board.votes_shown("collect", True)
    assert board.votes_shown("vote", False) and board.votes_shown("results", False)


def test_only_the_author_changes_an_idea_and_only_while_collecting():
    board.check_can_change(True, "collect", "visible")
    board.check_can_change(True, "collect", "hidden", withdrawing=True)
    assert refused(board.check_can_change, False, "collect", "visible").code == "not_yours"
    assert refused(board.check_can_change, True, "vote", "visible").code == "wrong_phase"
    assert refused(board.check_can_change, True, "collect", "hidden").code == "not_editable"
    assert refused(board.check_can_change, True, "collect", "withdrawn", withdrawing=True).code == "not_editable"
    assert board.editable(True, "collect", "visible") and not board.editable(True, "vote", "visible")
    assert refused(board.check_posting, "vote").status == 403


def test_dots_within_the_phase_the_budget_and_the_per_idea_maximum():
    board.check_dots("vote", 3, 2, 5, 3)
    board.check_dots("vote", 0, 5, 5, 3)
    assert refused(board.check_dots, "collect", 1, 0, 5, 3).code == "wrong_phase"
    assert refused(board.check_dots, "results", 1, 0, 5, 3).code == "wrong_phase"
    error = refused(board.check_dots, "vote", 2, 4, 5, 3)
    assert (error.code, error.params) == ("over_budget", {"left": 1, "budget": 5})
    assert refused(board.check_dots, "vote", 4, 0, 5, 3).code == "too_many_dots"


@pytest.mark.parametrize("ideas, dots, need_ideas, need_votes, met", [
    (1, 0, 1, 0, True), (0, 5, 1, 0, False), (2, 2, 2, 3, False), (2, 3, 2, 3, True), (0, 3, 0, 3, True),
    (5, 5, 0, 0, False),
])
def test_completion_rule(ideas, dots, need_ideas, need_votes, met):
    assert board.completion_met(ideas, dots, need_ideas, need_votes) is met


def test_learner_input_is_trimmed_and_checked():
    categories = [{"id": "process", "name": "Process"}]
    assert board.clean_idea("  Title ", " text ", "process", [" Green  Ideas ", "green ideas", "X"], categories, True) \
        == ("Title", "text", "process", ["green ideas", "x"])
    assert refused(board.clean_idea, "   ", "", "", [], categories, True).code == "empty"
    assert refused(board.clean_idea, "t", "", "nope", [], categories, True).code == "unknown_category"
    assert refused(board.clean_idea, "t", "", "", ["x"], categories, False).code == "no_tags"
    assert refused(board.clean_idea, "t", "", "", ["a" * 31], categories, True).code == "too_long"
    assert refused(board.clean_idea, "t", "", "", list("abcdef"), categories, True).code == "too_many_tags"
    assert refused(board.clean_idea, "t", "", "", [" "], categories, True).code == "empty_tag"
    assert refused(board.clean_comment, "  ").code == "empty"
    assert board.clean_comment(" yes, and ") == "yes, and"


def problem_fields(values):
    """The settings a save refuses (board_settings.SETTINGS), in the editor's order."""
    return [problem.field for problem in SETTINGS.check(values)[1]]


def test_settings_are_checked_together():
    clean, problems = SETTINGS.check(settings(vote_start=" 2026-03-01T09:00 "))
    assert not problems and clean["vote_start"] == MARCH
    cases = {
        "categories": settings(categories=[{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]),
        "prompt_cards": settings(technique="prompts", prompt_cards=[]),
        "vote_start": settings(vote_start="next monday"),
        "results_start": settings(vote_start="2026-03-02", results_start="2026-03-01"),
        "room_size": settings(room_size=1),
        "max_dots_per_idea": settings(vote_budget=2, max_dots_per_idea=3),
        "completion_votes": settings(completion_votes=6),
        "completion_ideas": settings(completion_ideas=0, completion_votes=0),
    }
    for field, values in cases.items():
        assert problem_fields(values) == [field], field
    for bad in ([{"id": "Bad Id", "name": "x"}], [{"id": "a", "name": ""}], [{"id": "a"}], "x",
                [{"id": str(i), "name": "n"} for i in range(13)]):
        assert refused(board.clean_categories, bad).field == "categories"
    for bad in ([{"title": ""}], [{"title": "t", "text": "x" * 501}], [{"title": "t", "other": 1}], {}):
        assert refused(board.clean_cards, bad).field == "prompt_cards"


def test_scamper_cards_are_built_in_and_translated_only_when_unchanged():
    cards = board.scamper_cards()
    assert [c["title"] for c in cards] == ["Substitute", "Combine", "Adapt", "Modify", "Put to another use",
                                           "Eliminate", "Reverse"]
    own = {"title": "Our own card", "text": "As written"}
    shown = board.localized_cards(cards[:1] + [own], lambda text: f"[{text}]")
    assert shown == [{"title": "[Substitute]", "text": f"[{cards[0]['text']}]"}, own]
    assert board.translatable_texts({"cards": cards[:1]}) == [cards[0]["title"], cards[0]["text"]]


def test_csv_rows():
    when = datetime(2026, 3, 1, tzinfo=timezone.utc)
    idea = SimpleNamespace(public_id="i1", author="anon", author_name="ann", title="=SUM(A1)", text="t", category="c",
                           tags=["a", "b"], status="visible", pinned=True, votes=3, comments=1, flags=0, created=when)
    row = board.idea_row(idea, 2, "i0", {"c": "Customers"}, "i9")
    assert dict(zip(board.IDEA_HEADER, row)) | {"created": ""} == {
        "idea": "i1", "room": 2, "author": "anon", "author_name": "ann", "title": "=SUM(A1)", "text": "t",
        "category": "Customers", "category_id": "c", "tags": "a; b", "builds_on": "i0", "status": "visible",
        "pinned": 1, "votes": 3, "comments": 1, "flags": 0, "created": "", "cluster": "i9"}
    assert board.idea_row(idea, 2, "", {})[-1] == ""
    assert len(board.vote_row("i1", None, SimpleNamespace(voter="v", dots=2, modified=when))) == len(board.VOTE_HEADER)
    assert board.pages(0, 20) == 1 and board.pages(41, 20) == 3


def test_who_may_group_ideas_and_when():
    for phase in board.PHASES:
        board.check_grouping(True, False, phase)  # staff: always
    board.check_grouping(False, True, board.COLLECT)
    for allowed, phase, code in ((False, board.COLLECT, "no_grouping"), (True, board.VOTE, "wrong_phase"),
                                 (True, board.RESULTS, "wrong_phase")):
        with pytest.raises(ApiError) as caught:
            board.check_grouping(False, allowed, phase)
        assert (caught.value.status, caught.value.code) == (403, code)


def test_what_can_be_grouped():
    def an_idea(pk, room=1, status="visible", cluster=None):
        return SimpleNamespace(pk=pk, room_id=room, status=status, cluster_id=cluster)

    board.check_cluster(an_idea(1), an_idea(2), 3, 0)
    for lead, member, leads, code in (
            (an_idea(1), an_idea(1), 0, "same_idea"), (an_idea(1), an_idea(2, room=2), 0, "other_room"),
            (an_idea(1, status="hidden"), an_idea(2), 0, "not_visible"),
            (an_idea(1), an_idea(2, status="withdrawn"), 0, "not_visible"),
            (an_idea(1, cluster=9), an_idea(2), 0, "in_cluster"), (an_idea(1), an_idea(2, cluster=9), 0, "in_cluster"),
            (an_idea(1), an_idea(2), board.MAX_CLUSTER - 1, "cluster_full")):
        with pytest.raises(ApiError) as caught:
            board.check_cluster(lead, member, leads, 0)
        assert (caught.value.status, caught.value.code) == (400, code)
    with pytest.raises(ApiError) as caught:  # a cluster is not put into another
        board.check_cluster(an_idea(1), an_idea(2), 0, 1)
    assert caught.value.code == "in_cluster"
