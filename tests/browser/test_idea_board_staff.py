"""The idea board as course staff run it, in Chromium: moderation of ideas and comments by
keyboard (hide, restore, pin, unpin, delete) and what learners then see; ideas hidden after
three flags waiting in the review queue; the phase switch; rooms (the room shown, statistics);
CSV exports; authors shown to staff on an anonymous board; axe on the staff view.

Scenarios: see test_idea_board_learner.py. `course_staff` is staff on the workbench.
"""
import csv
import io
import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, serve_workbench
from .test_idea_board_learner import BRAINWRITING, FREE, STAFF, XSS, card, live, open_board, post, switch_phase, titles

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


def search(page, text):
    """Search, then wait for that search's answer to be on the page: the board's own first load
    may already have filled the list and the total, and a card found there can be redrawn."""
    field = page.locator(".ib-filters").get_by_label("Search")
    field.fill(text)
    with page.expect_response(lambda r: "/board/" in r.url and f"q={quote_plus(text)}" in r.url) as answer:
        field.press("Enter")
    assert answer.value.ok
    expect(page.locator(".ib-list > .ib-idea").filter(has_not_text=text)).to_have_count(0)
    expect(page.locator(".ib-total")).not_to_have_text("")


def press(page, locator, key="Enter"):
    """Focus a control and operate it from the keyboard."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


def test_staff_view_passes_axe_with_every_panel_open(new_context, page, workbench, learner):
    open_board(new_context().new_page(), workbench, FREE, learner)  # a learner opens the board first
    open_board(page, workbench, FREE, STAFF)
    expect(page.locator(".ib-staff")).to_be_visible()
    assert_accessible(page, "staff view")
    page.get_by_role("button", name="Review queue").click()
    page.get_by_role("button", name="Room statistics").click()
    expect(page.locator(".ib-stats tbody tr")).not_to_have_count(0)
    expect(page.get_by_role("button", name="Review queue")).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "staff view with the queue and statistics open")
    for what in ("ideas", "votes", "comments"):
        expect(page.get_by_role("link", name=f"{what.capitalize()} (CSV)")).to_have_attribute(
            "href", re.compile(rf"export_csv.*what={what}"))


def test_moderation_by_keyboard(new_context, workbench, learner):
    ana_id = f"ana_{learner}"[:40]
    ana = open_board(new_context().new_page(), workbench, FREE, ana_id)
    post(ana, f"Menu by vote {learner}", "Let learners vote on next week's menu")
    idea = card(ana, f"Menu by vote {learner}")
    idea.get_by_role("button", name="Comments (0)").click()
    idea.get_by_label("Your comment").fill(f"Yes, and publish the results {learner}")
    idea.get_by_role("button", name="Add comment").click()
    expect(live(ana)).to_have_text("Your comment is added.")

    staff = open_board(new_context().new_page(), workbench, FREE, STAFF)
    search(staff, learner)
    mine = card(staff, f"Menu by vote {learner}")
    expect(mine.locator(".ib-meta")).to_contain_text(ana_id)  # staff see authors on an anonymous board
    expect(mine.locator(".ib-votes")).to_have_text("Votes: 0")  # and the counts

    press(staff, mine.get_by_role("button", name="Hide"))
    expect(live(staff)).to_have_text("Done: Hide.")
    expect(mine.locator(".ib-meta")).to_contain_text("Hidden")
    expect(mine.get_by_role("button", name="Restore")).to_be_focused()
    ana.reload()
    open_board(ana, workbench, FREE, ana_id)
    expect(card(ana, f"Menu by vote {learner}")).to_have_count(0)
    staff.keyboard.press("Enter")  # Restore, still focused
    expect(mine.get_by_role("button", name="Hide")).to_be_focused()
    expect(mine.locator(".ib-meta")).not_to_contain_text("Hidden")
    press(staff, mine.get_by_role("button", name="Pin"))
    expect(mine.locator(".ib-meta")).to_contain_text("Pinned")
    expect(mine.get_by_role("button", name="Unpin")).to_be_focused()
    ana.reload()
    open_board(ana, workbench, FREE, ana_id)
    expect(card(ana, f"Menu by vote {learner}").locator(".ib-meta")).to_contain_text("Pinned")
    assert_accessible(staff, "staff view after moderation")

    press(staff, mine.get_by_role("button", name="Comments (1)"))
    comment = mine.locator(".ib-comment")
    expect(comment.locator(".ib-meta")).to_contain_text(ana_id)
    press(staff, comment.get_by_role("button", name="Hide"))
    expect(comment.locator(".ib-meta")).to_contain_text("Hidden")
    expect(comment.get_by_role("button", name="Restore")).to_be_focused()
    learner_view = card(ana, f"Menu by vote {learner}")
    learner_view.get_by_role("button", name=re.compile(r"^Comments")).click()
    expect(learner_view.locator(".ib-comment")).to_have_count(0)
    staff.once("dialog", lambda dialog: dialog.accept())
    press(staff, comment.get_by_role("button", name="Delete"))
    expect(live(staff)).to_have_text("Deleted.")
    expect(mine.locator(".ib-comment")).to_have_count(0)
    expect(mine.get_by_role("button", name=re.compile(r"^Comments"))).to_be_focused()

    staff.once("dialog", lambda dialog: dialog.dismiss())  # changing one's mind keeps the idea
    press(staff, mine.get_by_role("button", name="Delete"))
    expect(mine).to_have_count(1)
    staff.once("dialog", lambda dialog: dialog.accept())
    press(staff, mine.get_by_role("button", name="Delete"))
    expect(live(staff)).to_have_text("Deleted.")
    expect(card(staff, f"Menu by vote {learner}")).to_have_count(0)
    ana.reload()
    open_board(ana, workbench, FREE, ana_id)
    expect(card(ana, f"Menu by vote {learner}")).to_have_count(0)


def test_three_flags_send_an_idea_to_the_review_queue(new_context, workbench, learner):
    author = open_board(new_context().new_page(), workbench, FREE, f"a_{learner}"[:40])
    post(author, f"Buy my course {learner}", XSS)
    for n in range(3):
        flagger = open_board(new_context().new_page(), workbench, FREE, f"f{n}_{learner}"[:40])
        search(flagger, learner)
        target = card(flagger, f"Buy my course {learner}")
        target.get_by_role("button", name="Flag").click()
        target.get_by_label("Why should the course team look at this?").fill(f"Advert {n}")
        target.get_by_role("button", name="Send flag").click()
        expect(live(flagger)).to_have_text("Thank you: the course team will look at it.")
    author.reload()
    open_board(author, workbench, FREE, f"a_{learner}"[:40])
    search(author, learner)
    expect(card(author, f"Buy my course {learner}")).to_have_count(0)

    staff = open_board(new_context().new_page(), workbench, FREE, STAFF)
    press(staff, staff.get_by_role("button", name="Review queue"))
    queued = staff.locator(".ib-queue-item", has_text=f"Buy my course {learner}")
    expect(queued).to_have_count(1)
    expect(queued.locator(".ib-text")).to_have_text(XSS)
    expect(queued.locator(".ib-meta")).to_contain_text("Flags: 3")
    for n in range(3):
        expect(queued.locator(".ib-meta")).to_contain_text(f"Advert {n}")
    assert staff.evaluate("() => window.__xss === undefined")
    assert_accessible(staff, "with the review queue")
    press(staff, queued.get_by_role("button", name="Restore"))
    expect(live(staff)).to_have_text("Done: Restore.")
    expect(queued).to_have_count(0)
    author.reload()
    open_board(author, workbench, FREE, f"a_{learner}"[:40])
    search(author, learner)
    expect(card(author, f"Buy my course {learner}")).to_have_count(1)


def test_rooms_statistics_and_csv(new_context, fresh_workbench, tmp_path):
    students = ["ana", "ben", "cleo", "dan"]
    for student in students:  # rooms of 3: the fourth learner opens room 2
        page = open_board(new_context().new_page(), fresh_workbench, BRAINWRITING, student)
        post(page, f"Idea of {student}", f"{student} writes an idea")
    dan = page
    assert titles(dan) == ["Idea of dan"]
    expect(dan.locator(".ib-room")).to_have_text("Your room: Room 2. Participants: 1.")

    staff = open_board(new_context().new_page(), fresh_workbench, BRAINWRITING, STAFF)
    assert sorted(titles(staff)) == sorted(f"Idea of {s}" for s in students)  # all rooms
    rooms = staff.get_by_label("Room shown")
    expect(rooms.locator("option")).to_have_text(["All rooms", "Room 1 (participants: 3, ideas: 3)",
                                                  "Room 2 (participants: 1, ideas: 1)"])
    rooms.select_option(label="Room 2 (participants: 1, ideas: 1)")
    expect(staff.locator(".ib-list > .ib-idea")).to_have_count(1)
    assert titles(staff) == ["Idea of dan"]
    expect(card(staff, "Idea of dan").locator(".ib-meta")).to_contain_text("dan")

    press(staff, staff.get_by_role("button", name="Room statistics"))
    rows = staff.locator(".ib-stats tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th, td")).to_have_text(["Room 1", "3", "3", "0", "0", "0"])
    expect(rows.nth(1).locator("th, td")).to_have_text(["Room 2", "1", "1", "0", "0", "0"])
    expect(staff.locator(".ib-stats tfoot th")).to_have_text("All rooms")
    assert_accessible(staff, "with rooms and statistics")

    with staff.expect_download() as download:
        staff.get_by_role("link", name="Ideas (CSV)").click()
    saved = tmp_path / "ideas.csv"
    download.value.save_as(saved)
    found = list(csv.DictReader(io.StringIO(saved.read_text("utf-8-sig"))))
    assert sorted(row["title"] for row in found) == sorted(f"Idea of {s}" for s in students)

    switch_phase(new_context, fresh_workbench, BRAINWRITING, "vote")
    staff.reload()
    open_board(staff, fresh_workbench, BRAINWRITING, STAFF)
    expect(staff.get_by_label("Phase", exact=True)).to_have_value("vote")
    expect(staff.locator(".ib-phase")).to_have_text("Voting: give your dots to the ideas you prefer.")
