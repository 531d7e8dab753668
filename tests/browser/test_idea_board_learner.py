"""The idea board as learners use it, in Chromium: posting (with field errors), editing and
withdrawing; search, filters, sort and pages; comments and flags; two learners seeing each
other's ideas arrive by polling (anonymous: no author); brainwriting lineage; others'
ideas withheld until the vote; dot voting within the budget and refusals beyond it; the
results ranking; HTML-like text staying text; the phone layout; axe on every state.

Scenarios (xblocks/creativity_lab/scenarios.py), all with phases switched by staff:
0 brainstorming with categories (anonymous, 5 dots, at most 2 per idea); 1 SCAMPER prompt
cards, ideas hidden until the vote; 2 brainwriting in rooms of 3 (names shown, 3 dots, 1 per idea).
Tests that switch phases run on a workbench of their own (`fresh_workbench`); the others
share the session's, each as learners of its own and with titles of its own.
"""
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench
from .test_languages import switch_language

pytestmark = pytest.mark.browser

FREE, SCAMPER, BRAINWRITING = (f"bizmooc_idea_board.{n}" for n in range(3))
STAFF = "course_staff"
XSS = "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>"
NO_XSS = "() => window.__xss === undefined && !document.querySelector('.bizmooc img')"
# The right edge of the block's widest part (the workbench's own header shows the long learner id;
# a wide table scrolls inside its own box).
OVERFLOW = """() => Math.ceil(Math.max(...Array.from(document.querySelectorAll('.bizmooc, .bizmooc *'))
    .filter(el => el.getClientRects().length && !el.parentNode.closest('.ib-scroll'))
    .map(el => el.getBoundingClientRect().right)))"""
# Ideas through the post_idea handler, as the page sends them (to fill a board quickly).
SEED = """async ([ideas]) => {
    const usage = document.querySelector('.xblock-v1').dataset.usage;
    const student = new URLSearchParams(location.search).get('student');
    for (const idea of ideas) {
        const response = await fetch('/handler/' + usage + '/post_idea/?student=' + student, {
            method: 'POST', credentials: 'same-origin', body: JSON.stringify(idea),
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': BizMOOC.csrfToken()}});
        if (!response.ok) { throw new Error(await response.text()); }
    }
}"""

# What set_dots answers to a request the buttons would no longer send (the refusal's message).
REFUSED = """async ([idea, dots]) => {
    const usage = document.querySelector('.xblock-v1').dataset.usage;
    const student = new URLSearchParams(location.search).get('student');
    const response = await fetch('/handler/' + usage + '/set_dots/?student=' + student, {
        method: 'POST', credentials: 'same-origin', body: JSON.stringify({idea: idea, dots: dots}),
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': BizMOOC.csrfToken()}});
    return (await response.json()).error.message;
}"""


def card_id(locator):
    return locator.get_attribute("data-id")


@pytest.fixture
def fresh_workbench(migrated_db):
    """A workbench of this test's own: phases switched here change nobody else's board."""
    with serve_workbench(migrated_db) as base:
        yield base


def board(page):
    return page.locator(".bizmooc-idea-board").first


def live(page):
    return page.locator(".bizmooc-idea-board > .bizmooc-live").first


def alert(page):
    return page.locator(".bizmooc-idea-board > .bizmooc-error").first


def card(page, title):
    return page.locator(".ib-list > .ib-idea").filter(has=page.locator("h5", has_text=title))


def titles(page):
    return [t.strip() for t in page.locator(".ib-list > .ib-idea h5").all_inner_texts()]


def open_board(page, base, scenario, student):
    open_block(page, base, scenario, student)
    expect(page.locator(".ib-phase")).not_to_be_empty()
    return page


def post(page, title, text, category=None, tags=None):
    form = page.locator(".ib-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Your idea").fill(text)
    if category:
        form.get_by_label("Category").select_option(label=category)
    if tags:
        form.get_by_label("Tags (optional)").fill(tags)
    form.get_by_role("button", name="Post idea").click()
    expect(live(page)).to_have_text("Your idea is posted.")
    expect(card(page, title)).to_have_count(1)


def seed(page, ideas):
    page.evaluate(SEED, [ideas])


def switch_phase(new_context, base, scenario, phase):
    """Staff switch the phase by keyboard: focus the menu, choose, Tab to the button, Enter."""
    staff = open_board(new_context().new_page(), base, scenario, STAFF)
    menu = staff.get_by_label("Phase", exact=True)
    menu.focus()
    for _ in range(4):
        if menu.input_value() == phase:
            break
        staff.keyboard.press("ArrowDown")
    expect(menu).to_have_value(phase)
    staff.keyboard.press("Tab")
    expect(staff.get_by_role("button", name="Switch phase")).to_be_focused()
    staff.keyboard.press("Enter")
    expect(live(staff)).to_have_text("Phase switched.")
    staff.close()


# -- posting -------------------------------------------------------------------------------

def test_post_edit_and_withdraw_an_idea(page, workbench, learner):
    open_board(page, workbench, FREE, learner)
    assert_accessible(page, "learner, collect phase")
    form = page.locator(".ib-form")
    counter = form.locator(".ib-count")
    expect(counter).to_have_text("0 of 2000 characters")

    # An empty title is refused in the form, the message tied to the field.
    form.get_by_label("Your idea").fill("Sell leftovers at half price after 14:00")
    expect(counter).to_have_text("40 of 2000 characters")
    form.get_by_role("button", name="Post idea").click()
    title = form.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    note = page.locator("#" + title.get_attribute("aria-describedby").split()[-1])
    expect(note).to_have_text("Please fill in this field.")
    expect(alert(page)).to_have_text("Please fill in this field.")
    assert_accessible(page, "with a field error")

    post(page, f"Happy hour {learner}", "Sell leftovers at half price after 14:00", category="Process",
         tags="pricing, evening")
    expect(title).not_to_have_attribute("aria-invalid", "true")
    expect(title).to_have_value("")
    mine = card(page, f"Happy hour {learner}")
    expect(mine.locator(".ib-text")).to_have_text("Sell leftovers at half price after 14:00")
    expect(mine.locator(".ib-meta")).to_contain_text("Process")
    expect(mine.locator(".ib-meta")).to_contain_text("your idea")
    expect(mine.locator(".ib-tags")).to_have_text("Tags: pricing, evening")
    expect(mine.locator(".ib-votes")).to_be_hidden()  # counts are hidden while collecting

    mine.get_by_role("button", name="Edit").click()
    expect(page.locator(".ib-post-h")).to_have_text("Edit your idea")
    expect(title).to_be_focused()
    expect(title).to_have_value(f"Happy hour {learner}")
    form.get_by_label("Your idea").fill("Sell leftovers at half price after 14:30")
    form.get_by_role("button", name="Save changes").click()
    expect(live(page)).to_have_text("Your idea is saved.")
    expect(mine.locator(".ib-text")).to_have_text("Sell leftovers at half price after 14:30")
    expect(mine.get_by_role("button", name="Edit")).to_be_focused()
    expect(page.locator(".ib-post-h")).to_have_text("Post an idea")

    page.reload()
    open_board(page, workbench, FREE, learner)
    expect(card(page, f"Happy hour {learner}").locator(".ib-text")).to_have_text(
        "Sell leftovers at half price after 14:30")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download my data")).click()
    assert f"Happy hour {learner}" in download.value.path().read_text("utf-8")
    page.once("dialog", lambda dialog: dialog.accept())
    card(page, f"Happy hour {learner}").get_by_role("button", name="Withdraw").click()
    expect(live(page)).to_have_text("Your idea is withdrawn.")
    expect(card(page, f"Happy hour {learner}")).to_have_count(0)
    page.reload()
    open_board(page, workbench, FREE, learner)
    expect(card(page, f"Happy hour {learner}")).to_have_count(0)


def test_html_in_ideas_and_comments_is_text(new_context, workbench, learner):
    page = open_board(new_context().new_page(), workbench, FREE, learner)
    post(page, XSS[:60], XSS)
    mine = card(page, "<script>")
    expect(mine.locator("h5")).to_have_text(XSS[:60])
    expect(mine.locator(".ib-text")).to_have_text(XSS)
    mine.get_by_role("button", name=re.compile(r"^Comments")).click()
    mine.get_by_label("Your comment").fill(XSS)
    mine.get_by_role("button", name="Add comment").click()
    expect(mine.locator(".ib-comment .ib-text")).to_have_text(XSS)
    assert page.evaluate(NO_XSS)
    for student in (f"other_{learner}"[:40], STAFF):
        other = open_board(new_context().new_page(), workbench, FREE, student)
        other.locator(".ib-filters").get_by_label("Search").fill("window.__xss=1")
        other.locator(".ib-filters").get_by_label("Search").press("Enter")
        expect(card(other, "<script>").first.locator(".ib-text")).to_have_text(XSS)
        assert other.evaluate(NO_XSS)


# -- finding ideas ---------------------------------------------------------------------------

def test_search_filter_sort_and_pages(new_context, workbench, learner):
    token = re.sub(r"\W", "", learner)[-12:]
    page = open_board(new_context().new_page(), workbench, FREE, learner)
    post(page, f"Compost bins {token}", "Compost what is left; sell the compost to gardeners", category="Process",
         tags=f"soil{token}")
    post(page, f"Smaller plates {token}", "People take less with smaller plates", category="Product")
    others = [open_board(new_context().new_page(), workbench, FREE, f"{n}_{learner}"[:40]) for n in "bcde"]
    for n, other in enumerate(others):
        seed(other, [{"title": f"Seeded {token} {n}-{i}", "text": "More ideas to fill pages", "category": "",
                      "tags": [], "builds_on": ""} for i in range(5)])

    filters = page.locator(".ib-filters")
    filters.get_by_label("Search").fill(token)
    filters.get_by_label("Search").press("Enter")
    expect(page.locator(".ib-total")).to_have_text("Ideas: 22")
    expect(page.locator(".ib-page")).to_have_text("Page 1 of 2")
    expect(page.locator(".ib-list > .ib-idea")).to_have_count(20)
    assert titles(page)[0] == f"Seeded {token} 3-4"  # newest first
    page.get_by_role("button", name="Next page").click()
    expect(page.locator(".ib-page")).to_have_text("Page 2 of 2")
    expect(page.get_by_role("heading", name="Ideas", exact=True)).to_be_focused()
    expect(page.locator(".ib-list > .ib-idea")).to_have_count(2)
    assert titles(page) == [f"Smaller plates {token}", f"Compost bins {token}"]
    expect(page.get_by_role("button", name="Next page")).to_be_hidden()
    page.get_by_role("button", name="Previous page").click()
    expect(page.locator(".ib-page")).to_have_text("Page 1 of 2")

    filters.get_by_label("Category").select_option(label="Product")  # applies at once
    expect(page.locator(".ib-total")).to_have_text("Ideas: 1")
    assert titles(page) == [f"Smaller plates {token}"]
    expect(page.locator(".ib-pager")).to_be_hidden()
    filters.get_by_label("Category").select_option(label="All categories")
    filters.get_by_label("Only my ideas").check()
    expect(page.locator(".ib-total")).to_have_text("Ideas: 2")
    filters.get_by_label("Only my ideas").uncheck()
    filters.get_by_label("Search").fill("")
    filters.get_by_label("Tag").fill(f"soil{token}")
    filters.get_by_role("button", name="Show").click()
    expect(page.locator(".ib-total")).to_have_text("Ideas: 1")
    assert titles(page) == [f"Compost bins {token}"]
    filters.get_by_label("Search").fill(f"nothing like this {token}")
    filters.get_by_label("Search").press("Enter")
    expect(page.locator(".ib-total")).to_have_text("No ideas match.")
    expect(page.locator(".ib-list > .ib-idea")).to_have_count(0)
    assert_accessible(page, "with filters set")


# -- comments, flags ---------------------------------------------------------------------------

def test_comments_and_flags(new_context, workbench, learner, page_errors):
    ana = open_board(new_context().new_page(), workbench, FREE, f"ana_{learner}"[:40])
    post(ana, f"Doggy bags {learner}", "Let guests take their leftovers home")
    ben = open_board(new_context().new_page(), workbench, FREE, f"ben_{learner}"[:40])
    idea = card(ben, f"Doggy bags {learner}")
    toggle = idea.get_by_role("button", name=re.compile(r"^Comments"))
    expect(toggle).to_have_text("Comments (0)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    box = idea.get_by_label("Your comment")
    box.focus()
    idea.get_by_role("button", name="Add comment").click()
    expect(box).to_have_attribute("aria-invalid", "true")  # empty: refused in the page
    box.fill("Yes, and the bags could be compostable")
    idea.get_by_role("button", name="Add comment").click()
    expect(live(ben)).to_have_text("Your comment is added.")
    expect(toggle).to_have_text("Comments (1)")
    comment = idea.locator(".ib-comment")
    expect(comment.locator(".ib-text")).to_have_text("Yes, and the bags could be compostable")
    expect(comment.locator(".ib-meta")).to_contain_text("your comment")
    expect(comment.get_by_role("button", name="Flag")).to_be_hidden()  # not one's own
    assert_accessible(ben, "with comments open")

    ana.reload()
    open_board(ana, workbench, FREE, f"ana_{learner}"[:40])
    mine = card(ana, f"Doggy bags {learner}")
    expect(mine.get_by_role("button", name="Flag")).to_be_hidden()
    mine.get_by_role("button", name="Comments (1)").click()
    theirs = mine.locator(".ib-comment")
    expect(theirs.locator(".ib-text")).to_have_text("Yes, and the bags could be compostable")
    expect(theirs.locator(".ib-meta")).not_to_contain_text("ben_")  # anonymous towards peers
    theirs.get_by_role("button", name="Flag").click()
    reason = theirs.get_by_label("Why should the course team look at this?")
    expect(reason).to_be_focused()
    assert_accessible(ana, "with the flag form open")
    theirs.get_by_role("button", name="Cancel").click()
    expect(theirs.get_by_role("button", name="Flag")).to_be_focused()
    theirs.get_by_role("button", name="Flag").press("Enter")
    theirs.get_by_label("Why should the course team look at this?").fill("Off topic")
    theirs.get_by_role("button", name="Send flag").click()
    expect(live(ana)).to_have_text("Thank you: the course team will look at it.")
    expect(theirs).to_be_focused()
    expect(theirs.get_by_role("button", name="Flag")).to_be_hidden()
    expect(theirs.locator(".ib-flagged")).to_be_visible()

    # Ben flags Ana's idea; once flagged, the button stays gone after a reload.
    idea.get_by_role("button", name="Flag").first.click()
    idea.get_by_label("Why should the course team look at this?").fill("Looks like an advert")
    idea.get_by_role("button", name="Send flag").click()
    expect(live(ben)).to_have_text("Thank you: the course team will look at it.")
    ben.reload()
    open_board(ben, workbench, FREE, f"ben_{learner}"[:40])
    expect(card(ben, f"Doggy bags {learner}").locator(":scope > .ib-actions > .ib-flagged")).to_be_visible()
    expect(card(ben, f"Doggy bags {learner}").locator(":scope > .ib-actions > [data-act=flag]")).to_be_hidden()


# -- two learners, polling --------------------------------------------------------------------------

def test_two_learners_see_new_ideas_arrive_without_reloading(new_context, workbench, learner):
    ana_id, ben_id = f"ana_{learner}"[:40], f"ben_{learner}"[:40]
    ben, ana = new_context().new_page(), new_context().new_page()
    for page, student in ((ben, ben_id), (ana, ana_id)):
        page.clock.install()  # polls every 15 s: the test moves the page's clock on instead of waiting
        open_board(page, workbench, FREE, student)
    ben.locator(".ib-form").get_by_label("Title").fill("Half-typed")  # typing survives the refresh
    ben.locator(".ib-form").get_by_label("Title").focus()

    post(ana, f"Weigh the waste {learner}", "Show every day's kilos on a screen by the exit")
    ben.clock.fast_forward(16_000)
    arrived = card(ben, f"Weigh the waste {learner}")
    expect(arrived).to_have_count(1)
    expect(live(ben)).to_have_text("New ideas: 1.")
    expect(ben.locator(".ib-form").get_by_label("Title")).to_be_focused()
    expect(ben.locator(".ib-form").get_by_label("Title")).to_have_value("Half-typed")
    meta = arrived.locator(".ib-meta").inner_text()
    assert ana_id not in meta and "by " not in meta  # anonymous towards peers

    # Nothing new: the next poll answers "unchanged", and the page fetches nothing more.
    with ben.expect_response(lambda response: "/poll/" in response.url) as polled:
        ben.clock.fast_forward(16_000)
    assert polled.value.json()["changed"] is False

    # A comment from Ben reaches Ana's count on her next poll.
    arrived.get_by_role("button", name="Comments (0)").click()
    arrived.get_by_label("Your comment").fill("Yes, and per dish")
    arrived.get_by_role("button", name="Add comment").click()
    expect(live(ben)).to_have_text("Your comment is added.")
    ana.clock.fast_forward(16_000)
    expect(card(ana, f"Weigh the waste {learner}").get_by_role("button", name="Comments (1)")).to_be_visible()


def test_brainwriting_builds_on_an_idea_and_shows_the_lineage(new_context, fresh_workbench, learner):
    workbench = fresh_workbench  # the first learners of a fresh board share room 1
    ana_id, ben_id = f"ana_{learner}"[:40], f"ben_{learner}"[:40]
    ana = open_board(new_context().new_page(), workbench, BRAINWRITING, ana_id)
    expect(ana.locator(".ib-brainwriting")).to_be_visible()
    expect(ana.locator(".ib-room")).to_contain_text("Room")
    post(ana, f"Car pool app {learner}", "Match colleagues who live on the same route")
    ben = open_board(new_context().new_page(), workbench, BRAINWRITING, ben_id)
    source = card(ben, f"Car pool app {learner}")
    expect(source.locator(".ib-meta")).to_contain_text(f"by {ana_id}")  # this board shows names
    source.get_by_role("button", name="Build on this").click()
    form = ben.locator(".ib-form")
    expect(form.get_by_label("Title")).to_be_focused()
    expect(ben.locator(".ib-builds")).to_contain_text(f"Your idea builds on: Car pool app {learner}")
    assert_accessible(ben, "building on an idea")
    form.get_by_label("Title").fill(f"Car pool parking {learner}")
    form.get_by_label("Your idea").fill("Reserve the best parking spots for full cars")
    form.get_by_role("button", name="Post idea").click()
    expect(live(ben)).to_have_text("Your idea is posted.")
    built = card(ben, f"Car pool parking {learner}")
    expect(built.locator(".ib-lineage")).to_have_text(f"Builds on: Car pool app {learner}")
    expect(ben.locator(".ib-builds")).to_be_hidden()


def test_others_ideas_are_withheld_until_the_vote(new_context, fresh_workbench):
    ana = open_board(new_context().new_page(), fresh_workbench, SCAMPER, "ana")
    cards = ana.locator(".ib-cards > li")
    expect(cards).to_have_count(7)
    expect(cards.first).to_contain_text("Substitute")
    expect(ana.locator(".ib-done")).to_be_hidden()
    post(ana, "Bike with a trailer", "Carry the shopping home by bike", tags="bike")
    expect(ana.locator(".ib-done")).to_have_text("You have completed this activity.")  # one idea is enough here
    ben = open_board(new_context().new_page(), fresh_workbench, SCAMPER, "ben")
    expect(ben.locator(".ib-withheld")).to_be_visible()
    expect(card(ben, "Bike with a trailer")).to_have_count(0)
    post(ben, "Walk one stop", "Get off one stop early")
    assert titles(ben) == ["Walk one stop"]
    switch_phase(new_context, fresh_workbench, SCAMPER, "vote")
    ben.reload()
    open_board(ben, fresh_workbench, SCAMPER, "ben")
    expect(ben.locator(".ib-withheld")).to_be_hidden()
    assert sorted(titles(ben)) == ["Bike with a trailer", "Walk one stop"]


# -- voting and results ---------------------------------------------------------------------------

def test_dot_voting_within_the_budget_then_results(new_context, fresh_workbench, page_errors):
    page_errors.allow(r"status of 4\d\d")
    ana = open_board(new_context().new_page(), fresh_workbench, FREE, "ana")
    for title in ("Compost", "Smaller plates", "Pre-order lunch"):
        post(ana, title, f"{title}: an idea against waste")
    ben = open_board(new_context().new_page(), fresh_workbench, FREE, "ben")
    expect(ben.locator(".ib-budget")).to_be_hidden()
    expect(ben.get_by_role("button", name="Give a dot")).to_have_count(0)

    switch_phase(new_context, fresh_workbench, FREE, "vote")
    ben.reload()
    open_board(ben, fresh_workbench, FREE, "ben")
    expect(ben.locator(".ib-phase")).to_have_text("Voting: give your dots to the ideas you prefer.")
    expect(ben.locator(".ib-post")).to_be_hidden()
    budget = ben.locator(".ib-budget")
    expect(budget).to_have_text("5 of 5 dots left (at most 2 per idea).")
    assert_accessible(ben, "learner, vote phase")

    compost = card(ben, "Compost")
    expect(compost.locator(".ib-votes")).to_have_text("Votes: 0")
    give = compost.get_by_role("button", name="Give a dot")
    give.focus()
    ben.keyboard.press("Enter")
    expect(compost.locator(".ib-mydots")).to_have_text("your dots: 1")
    expect(budget).to_have_text("4 of 5 dots left (at most 2 per idea).")
    expect(live(ben)).to_have_text("4 of 5 dots left (at most 2 per idea).")
    expect(give).to_be_focused()
    ben.keyboard.press("Enter")
    expect(compost.locator(".ib-votes")).to_have_text("Votes: 2")
    expect(budget).to_have_text("3 of 5 dots left (at most 2 per idea).")
    # At the per-idea limit "+" is off and the keyboard lands on "−"; the server says the limit too.
    expect(give).to_be_disabled()
    expect(compost.get_by_role("button", name="Take back a dot")).to_be_focused()
    refused = ben.evaluate(REFUSED, [card_id(compost), 3])
    assert refused == "An idea takes at most 2 of your dots."

    plates, lunch = card(ben, "Smaller plates"), card(ben, "Pre-order lunch")
    for _ in range(2):
        plates.get_by_role("button", name="Give a dot").click()
        expect(live(ben)).to_contain_text("dots left")
    expect(budget).to_have_text("1 of 5 dots left (at most 2 per idea).")
    lunch.get_by_role("button", name="Give a dot").click()
    expect(budget).to_have_text("0 of 5 dots left (at most 2 per idea).")
    # Beyond the budget every "+" is off; the server's refusal says how many dots are left.
    expect(lunch.get_by_role("button", name="Give a dot")).to_be_disabled()
    assert ben.evaluate(REFUSED, [card_id(lunch), 2]) == "You have 1 of your 5 dots left."
    expect(lunch.locator(".ib-votes")).to_have_text("Votes: 1")
    assert ben.evaluate(REFUSED, [card_id(lunch), -1]) == "You have no dots on this idea to take back."
    # Taking a dot back frees it for another idea.
    plates.get_by_role("button", name="Take back a dot").click()
    expect(budget).to_have_text("1 of 5 dots left (at most 2 per idea).")
    expect(plates.locator(".ib-votes")).to_have_text("Votes: 1")
    expect(lunch.get_by_role("button", name="Give a dot")).to_be_enabled()
    lunch.get_by_role("button", name="Give a dot").click()
    expect(lunch.locator(".ib-votes")).to_have_text("Votes: 2")
    expect(budget).to_have_text("0 of 5 dots left (at most 2 per idea).")
    ben.reload()
    open_board(ben, fresh_workbench, FREE, "ben")
    expect(ben.locator(".ib-budget")).to_have_text("0 of 5 dots left (at most 2 per idea).")
    expect(card(ben, "Compost").locator(".ib-mydots")).to_have_text("your dots: 2")

    switch_phase(new_context, fresh_workbench, FREE, "results")
    ana.reload()
    open_board(ana, fresh_workbench, FREE, "ana")
    expect(ana.locator(".ib-phase")).to_have_text("Results: the ideas ranked by votes.")
    expect(ana.locator(".ib-filters").get_by_label("Sort")).to_have_value("votes")
    # Compost and Pre-order lunch tie with 2 votes: both are #1, the next is #3.
    expect(ana.locator(".ib-list > .ib-idea .ib-rank")).to_have_text(["#1", "#1", "#3"])
    assert titles(ana)[2] == "Smaller plates"
    expect(card(ana, "Smaller plates").locator(".ib-votes")).to_have_text("Votes: 1")
    expect(card(ana, "Compost").locator(".ib-meta")).to_contain_text("your idea")
    expect(ana.get_by_role("button", name="Give a dot")).to_have_count(0)
    expect(ana.get_by_role("button", name="Edit")).to_have_count(0)
    assert_accessible(ana, "learner, results phase")


# -- dates ----------------------------------------------------------------------------------------

def test_dates_on_a_german_page_read_as_the_suites_one_format(new_context, workbench, learner):
    """Issue 13: a card's date is BizMOOC.formatDate's, in the page's language (German here)."""
    page = open_board(new_context().new_page(), workbench, FREE, learner)
    seed(page, [{"title": f"Datum {learner}", "text": "Ein Datum im Format der Seite", "category": "", "tags": [],
                 "builds_on": ""}])
    switch_language(page, "de")
    ideas = page.evaluate("""async () => {
        const usage = document.querySelector('.xblock-v1').dataset.usage;
        const student = new URLSearchParams(location.search).get('student');
        const response = await fetch('/handler/' + usage + '/board/?student=' + student, {credentials: 'same-origin'});
        return (await response.json()).ideas;
    }""")
    shown = page.locator(".ib-list > .ib-idea").evaluate_all("cards => cards.map(card => card.dataset.id)")
    ideas = [idea for idea in ideas if idea["id"] in shown]
    assert ideas
    for idea in ideas:
        meta = page.locator(f".ib-list > .ib-idea[data-id='{idea['id']}'] .ib-meta").first
        expected = page.evaluate("iso => BizMOOC.formatDate(iso)", idea["created"])
        assert expected == page.evaluate("iso => BizMOOC.formatDate(iso, 'de')", idea["created"])
        assert expected != page.evaluate("iso => BizMOOC.formatDate(iso, 'en')", idea["created"])
        expect(meta).to_contain_text(expected)


# -- layout ---------------------------------------------------------------------------------------

def test_phone_width_without_sideways_scroll(new_context, workbench, learner):
    page = open_board(new_context(width=320, height=640).new_page(), workbench, SCAMPER, learner)
    post(page, f"Fold-up scooter {learner}", "Last mile from the station " * 8, tags="scooter, last-mile")
    card(page, f"Fold-up scooter {learner}").get_by_role("button", name=re.compile(r"^Comments")).click()
    assert page.evaluate(OVERFLOW) <= 320
    assert_accessible(page, "at 320 px")
    staff = open_board(new_context(width=320, height=640).new_page(), workbench, SCAMPER, STAFF)
    staff.get_by_role("button", name="Room statistics").click()
    expect(staff.locator(".ib-stats tbody tr")).not_to_have_count(0)
    assert staff.evaluate(OVERFLOW) <= 320
    assert_accessible(staff, "staff at 320 px")


def test_author_view(page, workbench):
    open_block(page, workbench, FREE, STAFF, view="author_view")
    expect(page.locator(".ib-summary")).to_contain_text("Free brainstorming")
    assert_accessible(page, "author view")


# -- screenshots ----------------------------------------------------------------------------------

def block_shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".workbench .banner { position: static; }")
    page.locator(".xblock-v1").first.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide")


def test_screenshots(new_context, fresh_workbench):
    ideas = [("Weigh the waste", "Show every day's kilos on a screen by the exit.", "People", "nudge"),
             ("Smaller plates", "People take less with smaller plates, and can come back for more.", "Product", ""),
             ("Pre-order lunch", "Order by 10:00 in the app; the kitchen cooks what is ordered.", "Process", "app")]
    for n, (title, text, category, tags) in enumerate(ideas):
        page = open_board(new_context().new_page(), fresh_workbench, FREE, f"learner_{n}")
        post(page, title, text, category=category, tags=tags)
    desktop = open_board(new_context(width=1100, height=900).new_page(), fresh_workbench, FREE, "maria")
    card(desktop, "Weigh the waste").get_by_role("button", name=re.compile(r"^Comments")).click()
    card(desktop, "Weigh the waste").get_by_label("Your comment").fill("Yes, and per dish, so the cooks see it")
    card(desktop, "Weigh the waste").get_by_role("button", name="Add comment").click()
    expect(live(desktop)).to_have_text("Your comment is added.")
    block_shot(desktop, "idea-board-collect.png")
    switch_phase(new_context, fresh_workbench, FREE, "vote")
    desktop.reload()
    open_board(desktop, fresh_workbench, FREE, "maria")
    card(desktop, "Pre-order lunch").get_by_role("button", name="Give a dot").click()
    card(desktop, "Weigh the waste").get_by_role("button", name="Give a dot").click()
    expect(desktop.locator(".ib-budget")).to_have_text("3 of 5 dots left (at most 2 per idea).")
    block_shot(desktop, "idea-board-vote.png")
    phone = open_board(new_context(width=375, height=800, device_scale_factor=2).new_page(), fresh_workbench, FREE,
                       "maria")
    block_shot(phone, "idea-board-phone.png")
    staff = open_board(new_context(width=1100, height=900).new_page(), fresh_workbench, FREE, STAFF)
    staff.get_by_role("button", name="Room statistics").click()
    expect(staff.locator(".ib-stats tbody tr")).to_have_count(1)
    block_shot(staff, "idea-board-staff.png")
    for name in ("idea-board-collect.png", "idea-board-vote.png", "idea-board-phone.png", "idea-board-staff.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000, name
