"""What issues 13 and 15 added to the idea board, in Chromium on a desktop and a phone: a
half-written idea kept in the browser until it is posted, the choice of notifications (by
keyboard, kept on the server), search/sort/filter behind one button on a phone, one's own idea
reading "your idea" on a board that shows names, the staff's phase menu on a board switched
by hand, categories as columns (a tab each on a phone) and ideas moved between them by
keyboard; axe on each."""
import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_idea_board_learner import BRAINWRITING, FREE, STAFF, card, live, open_board, post

pytestmark = pytest.mark.browser


def test_a_half_written_idea_is_kept_until_it_is_posted(new_context, workbench, learner):
    page = open_board(new_context().new_page(), workbench, FREE, learner)
    form = page.locator(".ib-form")
    form.get_by_label("Title").fill("Half a thought")
    form.get_by_label("Your idea").fill("Weigh what comes back")
    page.reload()
    open_board(page, workbench, FREE, learner)
    expect(form.get_by_label("Title")).to_have_value("Half a thought")
    expect(form.get_by_label("Your idea")).to_have_value("Weigh what comes back")
    form.get_by_role("button", name="Post idea").click()
    expect(live(page)).to_have_text("Your idea is posted.")
    page.reload()
    open_board(page, workbench, FREE, learner)
    expect(form.get_by_label("Title")).to_have_value("")


@pytest.mark.parametrize("width, height", [(1100, 900), (390, 844)])
def test_notifications_are_chosen_by_keyboard_and_kept(new_context, workbench, learner, width, height):
    page = open_board(new_context(width=width, height=height).new_page(), workbench, FREE, f"{learner}_{width}")
    box = page.locator(".ib-notify")
    votes = box.get_by_label("voting starts")
    box.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(votes).to_be_enabled()
    expect(votes).to_be_checked()
    expect(box.get_by_label("a peer comments on or builds on my idea")).to_be_checked()
    assert_accessible(page, f"notifications open at {width} px")
    votes.focus()
    page.keyboard.press("Space")
    expect(live(page)).to_have_text("Your choice is saved.")
    page.reload()
    open_board(page, workbench, FREE, f"{learner}_{width}")
    box.locator("summary").click()
    expect(votes).to_be_enabled()
    expect(votes).not_to_be_checked()


def test_on_a_phone_search_sort_and_filter_are_behind_one_button(new_context, workbench, learner):
    phone = open_board(new_context(width=390, height=844).new_page(), workbench, FREE, learner)
    filters = phone.locator(".ib-filters")
    expect(filters).to_be_hidden()
    toggle = phone.locator(".ib-find > summary")
    expect(toggle).to_have_text("Search, sort and filter")
    toggle.focus()
    phone.keyboard.press("Enter")
    expect(filters.get_by_label("Sort")).to_be_visible()
    assert_accessible(phone, "phone, filters open")
    desktop = open_board(new_context().new_page(), workbench, FREE, learner)
    expect(desktop.locator(".ib-filters").get_by_label("Sort")).to_be_visible()


def test_ones_own_idea_reads_your_idea_and_staff_see_the_real_phase_mode(new_context, workbench, learner):
    page = open_board(new_context().new_page(), workbench, BRAINWRITING, learner)
    post(page, f"Mine {learner}", "An idea of my own")
    meta = card(page, f"Mine {learner}").locator(".ib-meta")
    expect(meta).to_contain_text("your idea")
    expect(meta).not_to_contain_text(f"by {learner}")
    staff = open_board(new_context().new_page(), workbench, BRAINWRITING, STAFF)
    menu = staff.get_by_label("Phase", exact=True)
    expect(menu.locator("option")).to_have_text(["Collect ideas", "Vote", "Results"])
    expect(menu).to_have_value("collect")


def test_categories_are_columns_on_a_desktop_and_tabs_on_a_phone(new_context, workbench, learner):
    page = open_board(new_context(width=1280, height=900).new_page(), workbench, FREE, learner)
    post(page, f"Weigh bins {learner}", "Show the waste", category="Process")
    post(page, f"Half portions {learner}", "Smaller plates", category="Product")
    process, product = card(page, f"Weigh bins {learner}"), card(page, f"Half portions {learner}")
    heads = page.locator(".ib-heads")
    left = {name: heads.get_by_role("button", name=name).bounding_box()["x"] for name in ("Process", "Product")}
    assert abs(process.bounding_box()["x"] - left["Process"]) < 2
    assert abs(product.bounding_box()["x"] - left["Product"]) < 2
    assert_accessible(page, "columns on a desktop")

    # The author moves an idea to another column by keyboard; the card follows.
    move = process.get_by_label("Move to category")
    move.focus()
    page.keyboard.press("ArrowDown")
    expect(live(page)).to_have_text("Moved: now Product.")
    expect(process.locator(".ib-meta")).to_contain_text("Product")
    assert abs(process.bounding_box()["x"] - left["Product"]) < 2

    phone = open_board(new_context(width=390, height=844).new_page(), workbench, FREE, learner)
    widths = {round(box["width"]) for box in (c.bounding_box() for c in phone.locator(".ib-list > .ib-idea").all())}
    assert widths == {round(phone.locator(".ib-list").bounding_box()["width"])}  # one column of cards
    tab = phone.locator(".ib-heads").get_by_role("button", name="Process")
    tab.focus()
    phone.keyboard.press("Enter")
    expect(tab).to_have_attribute("aria-pressed", "true")
    expect(card(phone, f"Weigh bins {learner}")).to_have_count(0)  # it is under Product now
    phone.locator(".ib-heads").get_by_role("button", name="Product").click()
    expect(card(phone, f"Weigh bins {learner}")).to_be_visible()
    assert_accessible(phone, "category tabs on a phone")
