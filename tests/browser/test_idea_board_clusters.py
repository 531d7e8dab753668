"""Clusters on the idea board, in Chromium on a desktop and a phone (390x844), by keyboard:
a learner groups a duplicate into an idea while ideas are collected ("Group with…", a
checkbox per other card of the room, and a search for those on other pages), the cluster
is one card ("A group of 2 ideas", the members' titles behind a disclosure), voted on as
one with the dots counted, and staff ungroup it; axe on each state. The desktop's cluster
is docs/screenshots/idea-board-cluster.png.

Scenario 0 (brainstorming with categories) lets learners group duplicates; the phase is
switched, so each test runs on a workbench of its own.
"""
import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_idea_board_learner import (
    FREE,
    STAFF,
    block_shot,
    card,
    fresh_workbench,
    live,
    open_board,
    seed,
    switch_phase,
)

pytestmark = pytest.mark.browser
__all__ = ["fresh_workbench"]  # the fixture, imported for this module's tests


def press(page, locator, key="Enter"):
    """Focus a control and operate it from the keyboard."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


@pytest.mark.parametrize("width, height", [(1100, 900), (390, 844)])
def test_group_a_duplicate_by_keyboard_vote_on_the_cluster_then_ungroup(new_context, fresh_workbench, width,
                                                                        height):
    ana = open_board(new_context(width=width, height=height).new_page(), fresh_workbench, FREE, "ana")
    seed(ana, [{"title": "Buddy for each newcomer", "text": "A colleague to ask", "category": "process"},
               {"title": "Share the leftovers", "text": "At 2 pm", "category": "product"}])
    ben = open_board(new_context(width=width, height=height).new_page(), fresh_workbench, FREE, "ben")
    seed(ben, [{"title": "A mentor in week one", "text": "Someone to ask", "category": "people"}])
    ana.reload()
    open_board(ana, fresh_workbench, FREE, "ana")
    lead = card(ana, "Buddy for each newcomer")
    expect(card(ana, "A mentor in week one")).to_have_count(1)

    press(ana, lead.get_by_role("button", name="Group with…"))
    form = lead.locator(".ib-group-form")
    expect(form.locator("input").first).to_be_focused()
    expect(form.locator(".ib-choices label")).to_have_count(2)  # the two other cards of the room
    assert_accessible(ana, f"the group form at {width}px")
    press(ana, form.get_by_label("A mentor in week one · People"), " ")
    press(ana, form.get_by_role("button", name="Group"))
    expect(live(ana)).to_have_text("Grouped: Buddy for each newcomer.")
    expect(card(ana, "A mentor in week one")).to_have_count(0)
    expect(form).to_have_count(0)
    expect(lead.get_by_role("button", name="Ungroup")).to_be_focused()
    summary = lead.locator(".ib-cluster > summary")
    expect(summary).to_have_text("A group of 2 ideas")
    press(ana, summary)
    expect(lead.locator(".ib-cluster li")).to_have_text(["A mentor in week one"])
    assert_accessible(ana, f"a cluster's card at {width}px")
    if width > 390:
        block_shot(ana, "idea-board-cluster.png")  # the course-team guide's "Groups of ideas"

    switch_phase(new_context, fresh_workbench, FREE, "vote")
    ben.reload()
    open_board(ben, fresh_workbench, FREE, "ben")
    cluster = card(ben, "Buddy for each newcomer")
    expect(cluster.get_by_role("button", name="Group with…")).to_be_hidden()  # learners: while collecting only
    press(ben, cluster.get_by_role("button", name="Give a dot"))
    expect(cluster.locator(".ib-votes")).to_have_text("Votes: 1")
    expect(ben.locator(".ib-budget")).to_have_text("4 of 5 dots left (at most 2 per idea).")
    expect(ben.locator(".ib-total")).to_have_text("Ideas: 2")
    assert_accessible(ben, f"voting on a cluster at {width}px")

    staff = open_board(new_context(width=width, height=height).new_page(), fresh_workbench, FREE, STAFF)
    staff_card = card(staff, "Buddy for each newcomer")
    press(staff, staff_card.get_by_role("button", name="Ungroup"))
    expect(live(staff)).to_have_text("The ideas are shown on their own again.")
    expect(card(staff, "A mentor in week one")).to_have_count(1)
    expect(staff_card.locator(".ib-cluster")).to_be_hidden()
    expect(staff_card.locator(".ib-votes")).to_have_text("Votes: 1")  # the cluster's dot stays on the lead
    expect(staff_card.get_by_role("button", name="Group with…")).to_be_focused()
    assert_accessible(staff, f"staff after ungrouping at {width}px")


def test_a_duplicate_that_is_not_on_the_page_is_found_by_the_group_forms_search(new_context, fresh_workbench):
    ana = open_board(new_context(width=1100, height=900).new_page(), fresh_workbench, FREE, "ana")
    seed(ana, [{"title": "Buddy for each newcomer", "text": "A colleague to ask", "category": "process"}])
    ben = open_board(new_context(width=1100, height=900).new_page(), fresh_workbench, FREE, "ben")
    seed(ben, [{"title": "A mentor in week one", "text": "Someone to ask", "category": "people"}])
    ana.reload()
    open_board(ana, fresh_workbench, FREE, "ana")
    ana.locator(".ib-filters").get_by_label("Category").select_option(label="Process")  # the page: one card
    expect(ana.locator(".ib-total")).to_have_text("Ideas: 1")
    lead = card(ana, "Buddy for each newcomer")

    press(ana, lead.get_by_role("button", name="Group with…"))
    form = lead.locator(".ib-group-form")
    expect(form.locator(".ib-group-none")).to_have_text("No other idea on this page can be grouped with this one.")
    search = form.get_by_label("Search")
    expect(search).to_be_focused()
    search.fill("mentor")
    search.press("Enter")
    found = form.get_by_label("A mentor in week one · People")
    expect(found).to_be_focused()
    expect(form.locator(".ib-group-none")).to_be_hidden()
    assert_accessible(ana, "the group form after a search")
    press(ana, found, " ")
    press(ana, form.get_by_role("button", name="Group"))
    expect(live(ana)).to_have_text("Grouped: Buddy for each newcomer.")
    expect(lead.locator(".ib-cluster > summary")).to_have_text("A group of 2 ideas")

    press(ana, lead.get_by_role("button", name="Ungroup"))
    expect(live(ana)).to_have_text("The ideas are shown on their own again.")
    press(ana, lead.get_by_role("button", name="Group with…"))
    form.get_by_label("Search").fill("nothing like this")
    form.get_by_label("Search").press("Enter")
    expect(live(ana)).to_have_text("No other idea on this page can be grouped with this one.")
    expect(form.locator(".ib-choices label")).to_have_count(0)
