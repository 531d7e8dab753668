"""A learner's reflection journal, clicked and typed for real in Chromium.

Scenarios (see xblocks/learning_to_learn/scenarios.py): 0 week 1 (40-400 words, graded,
with example), 1 two prompts (30-300 words, revisions allowed), 2 private final reflection
(at least 50 words, no revisions), 3 a unit with the three of them in one journal.
"""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, number, open_block, type_into, word_count

pytestmark = pytest.mark.browser

WEEK_1, TWO_PROMPTS, PRIVATE, UNIT = 0, 1, 2, 3

MOTIVATION = (
    "I enrolled because my sales team keeps postponing product training until the last week. "
    "I want to plan my own learning in short slots of twenty minutes, three times a week, and show "
    "my colleagues that it works. I will notice it at work when I finish each module on time "
    "without rushing at the end."
)
STRATEGY = (
    "This week I tried retrieval practice: after each video I closed the notes and wrote down "
    "the three ideas I remembered. It felt slower than rereading, but on Friday I could still "
    "explain the canvas to a colleague without looking anything up."
)
CHANGE = (
    "Next week I will keep retrieval practice but move it to the morning, because in the "
    "evening I was too tired and skipped two sessions. I will also ask a colleague to quiz me "
    "on Thursdays so that I have a fixed appointment."
)
HABIT = (
    "The habit I will keep is a weekly learning plan on Monday morning: what I want to learn, "
    "when, and how I will check that I learnt it. To keep it I need my manager to protect one "
    "hour a week in my calendar and a peer from another department who plans with me, so that "
    "we keep each other honest when work gets busy."
)
XSS = "<script>window.__xss=1</script><b>bold</b>"


def section(page, prompt=0, block=0):
    return page.locator(".bizmooc-journal").nth(block).locator(f".journal-prompt[data-prompt='{prompt}']")


def live_region(page, block=0):
    return page.locator(".bizmooc-journal").nth(block).locator(".bizmooc-live")


def write_and_wait_saved(page, text, prompt=0, block=0):
    entry = section(page, prompt, block)
    type_into(entry.locator(".journal-text"), text)
    expect(entry.locator(".journal-save-state")).to_have_text("Draft saved")
    return entry


def submit(page, text, prompt=0, block=0):
    """Type `text`, press Submit; return the handler's JSON answer."""
    entry = section(page, prompt, block)
    type_into(entry.locator(".journal-text"), text)
    with page.expect_response(re.compile(r"/submit_entry/")) as answer:
        entry.locator(".journal-submit").click()
        if entry.locator(".journal-confirm").count():  # revisions off: Submit asks first
            entry.locator(".journal-confirm-submit").click()
    assert answer.value.ok, answer.value.text()
    return answer.value.json()


LOCAL_COPIES = """() => Object.fromEntries(Object.keys(localStorage)
    .filter(key => key.startsWith('bizmooc-journal:')).map(key => [key, JSON.parse(localStorage.getItem(key))]))"""


def local_copies(page):
    """The journal's unconfirmed copies kept on this device (each test has its own context)."""
    return page.evaluate(LOCAL_COPIES)


def test_word_count_updates_live(page, workbench, learner):
    open_block(page, workbench, WEEK_1, learner)
    entry = section(page)
    count = entry.locator(".journal-count")
    expect(entry.locator(".journal-words")).to_have_text(number(0))
    expect(count).to_contain_text(re.compile(r"40\D+400"))  # the limits are shown
    textarea = entry.locator(".journal-text")
    type_into(textarea, "Planning my learning")
    expect(entry.locator(".journal-words")).to_have_text(number(3))
    textarea.press_sequentially(" in twenty-minute slots, isn't it?")
    expect(entry.locator(".journal-words")).to_have_text(number(8))
    for _ in range(len("isn't it?")):
        textarea.press("Backspace")
    expect(entry.locator(".journal-words")).to_have_text(number(6))


def test_draft_autosaves_and_survives_a_reload(page, new_context, workbench, learner):
    open_block(page, workbench, WEEK_1, learner)
    entry = write_and_wait_saved(page, MOTIVATION)
    # Confirmed by the server: nothing left waiting on this device.
    assert local_copies(page) == {}
    page.reload()
    expect(section(page).locator(".journal-text")).to_have_value(MOTIVATION)
    expect(section(page).locator(".journal-words")).to_have_text(number(word_count(MOTIVATION)))
    # Another device (no localStorage) gets it from the server.
    other = open_block(new_context().new_page(), workbench, WEEK_1, learner)
    expect(section(other).locator(".journal-text")).to_have_value(MOTIVATION)
    assert entry.locator(".journal-status").inner_text().strip() == ""  # a draft, not submitted


def test_offline_text_is_kept_locally_and_sent_when_back_online(page, new_context, workbench, learner, page_errors):
    page_errors.allow(r"net::ERR_INTERNET_DISCONNECTED")
    context = page.context
    open_block(page, workbench, TWO_PROMPTS, learner)
    context.set_offline(True)
    entry = section(page)
    type_into(entry.locator(".journal-text"), STRATEGY)
    offline = "Not saved yet: no connection. Your text is kept on this device"
    expect(entry.locator(".journal-save-state")).to_contain_text(offline)
    expect(live_region(page)).to_contain_text(offline)
    kept = local_copies(page)
    assert [copy["text"] for copy in kept.values()] == [STRATEGY]
    assert all(learner in key for key in kept)
    assert_accessible(page, "with the offline notice")

    context.set_offline(False)
    page.reload()
    expect(section(page).locator(".journal-text")).to_have_value(STRATEGY)
    # Sent once the page is back: the unconfirmed copy is gone from the device.
    page.wait_for_function(f"() => Object.keys(({LOCAL_COPIES})()).length === 0", timeout=10_000)
    fresh = open_block(new_context().new_page(), workbench, TWO_PROMPTS, learner)
    expect(section(fresh).locator(".journal-text")).to_have_value(STRATEGY)


def test_a_stale_second_tab_gets_the_conflict_panel(page, new_context, workbench, learner, page_errors):
    page_errors.allow(r"status of 409")
    first = open_block(page, workbench, TWO_PROMPTS, learner)
    second = open_block(page.context.new_page(), workbench, TWO_PROMPTS, learner)
    conflict = section(second).locator(".journal-conflict")

    write_and_wait_saved(first, "Text from the first tab about spaced repetition.")
    type_into(section(second).locator(".journal-text"), "Text from the second tab")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("This entry was changed in another tab or on another device.")
    expect(section(second).locator(".journal-text")).to_have_value("Text from the second tab")  # nothing lost
    assert_accessible(second, "with the conflict panel")

    conflict.get_by_role("button", name="Load the newer text").click()
    expect(conflict).to_be_hidden()
    expect(section(second).locator(".journal-text")).to_have_value(
        "Text from the first tab about spaced repetition.")
    expect(section(second).locator(".journal-text")).to_be_focused()

    # The first tab is now the stale one's rival again: it saves, the second one conflicts.
    type_into(section(first).locator(".journal-text"), " More from the first tab.")
    expect(section(first).locator(".journal-save-state")).to_have_text("Draft saved")
    section(second).locator(".journal-text").press_sequentially(" And my own addition.")
    expect(conflict).to_be_visible()
    mine = section(second).locator(".journal-text").input_value()
    conflict.get_by_role("button", name="Keep my text").click()
    expect(conflict).to_be_hidden()
    expect(section(second).locator(".journal-save-state")).to_have_text("Draft saved")
    expect(section(second).locator(".journal-text")).to_have_value(mine)
    fresh = open_block(new_context().new_page(), workbench, TWO_PROMPTS, learner)
    expect(section(fresh).locator(".journal-text")).to_have_value(mine)


def test_submitting_too_few_words_shows_the_error_and_changes_nothing(page, new_context, workbench, learner):
    open_block(page, workbench, WEEK_1, learner)
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/submit_entry/" in request.url else None)
    entry = write_and_wait_saved(page, "Too short to count.")
    entry.locator(".journal-submit").click()
    error = page.locator(".bizmooc-journal > .bizmooc-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(number(40))  # the minimum
    expect(error).to_contain_text(number(4))   # and what the learner has
    expect(error).to_have_attribute("role", "alert")  # announced once, by the alert itself
    expect(entry.locator(".journal-text")).to_be_focused()
    expect(entry.locator(".journal-submit")).to_have_text("Submit entry")
    assert_accessible(page, "with the submit error")
    assert requests == []
    fresh = open_block(new_context().new_page(), workbench, WEEK_1, learner)
    expect(section(fresh).locator(".journal-status")).to_have_text("")
    expect(section(fresh).locator(".journal-submit")).to_have_text("Submit entry")
    expect(section(fresh).locator(".journal-text")).to_have_value("Too short to count.")


def test_a_valid_submission_is_announced_and_completes(page, workbench, learner):
    open_block(page, workbench, WEEK_1, learner)
    answer = submit(page, MOTIVATION)
    assert answer["completed"] is True
    assert answer["entry"]["revision_count"] == 1
    expect(live_region(page)).to_have_text("Entry submitted.")
    entry = section(page)
    expect(entry.locator(".journal-status")).to_contain_text("Submitted")
    expect(entry.locator(".journal-submit")).to_have_text("Submit revision")
    expect(page.locator(".bizmooc-journal > .bizmooc-error")).to_be_hidden()
    assert_accessible(page, "after submitting")
    page.reload()
    expect(section(page).locator(".journal-status")).to_contain_text("Submitted")
    expect(section(page).locator(".journal-text")).to_have_value(MOTIVATION)


def test_revising_keeps_every_revision(page, workbench, learner):
    open_block(page, workbench, TWO_PROMPTS, learner)
    first = submit(page, STRATEGY)
    assert first["entry"]["revision_count"] == 1
    assert first["completed"] is False  # two prompts, one submitted
    expect(live_region(page)).to_have_text("Entry submitted.")
    addition = " On Sunday I repeated it and remembered all three."
    second = submit(page, addition)
    assert second["entry"]["revision_count"] == 2
    expect(live_region(page)).to_have_text("Revision 2 submitted.")

    page.reload()
    revisions = section(page).locator(".journal-revisions")
    expect(revisions.locator("summary")).to_have_text("Revisions: 2")
    revisions.locator("summary").click()
    items = revisions.locator("li")  # newest first, numbered as submitted
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("value", "2")
    expect(items.nth(0).locator(".journal-revision-text")).to_have_text(STRATEGY + addition)
    expect(items.nth(1).locator(".journal-revision-text")).to_have_text(STRATEGY)
    expect(section(page).locator(".journal-status")).to_contain_text("(revision 2)")
    assert_accessible(page, "with the revisions open")


def test_without_revisions_a_submitted_entry_becomes_read_only(page, workbench, learner):
    open_block(page, workbench, PRIVATE, learner)
    expect(page.locator(".journal-privacy")).to_contain_text("Once submitted, an entry cannot be changed.")
    expect(page.locator(".journal-privacy")).to_contain_text("Your entries are private")
    assert word_count(HABIT) >= 50
    submit(page, HABIT)
    expect(live_region(page)).to_have_text("Entry submitted.")
    textarea = section(page).locator(".journal-text")
    expect(textarea).not_to_be_editable()
    page.reload()
    textarea = section(page).locator(".journal-text")
    expect(textarea).to_have_attribute("readonly", "")
    expect(section(page).locator(".journal-submit")).to_be_disabled()
    textarea.click()
    page.keyboard.type("changed")
    expect(textarea).to_have_value(HABIT)


def test_my_journal_lists_the_entries_in_course_order(page, workbench, learner):
    open_block(page, workbench, UNIT, learner)
    assert page.locator(".bizmooc-journal").count() == 3
    # Written last block first: the list must follow the course, not the writing order.
    write_and_wait_saved(page, "Final: keep the Monday plan.", block=2)
    write_and_wait_saved(page, "Week 2, second prompt: mornings.", prompt=1, block=1)
    write_and_wait_saved(page, "Week 2, first prompt: retrieval.", prompt=0, block=1)
    submit(page, MOTIVATION, block=0)
    expect(live_region(page, 0)).to_have_text("Entry submitted.")

    middle = page.locator(".bizmooc-journal").nth(1)
    button = middle.get_by_role("button", name="Show all my entries")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    entries = middle.locator(".journal-mine-list .journal-mine-entry")
    expect(entries).to_have_count(4)
    expect(entries.locator(".journal-mine-text")).to_have_text([
        MOTIVATION, "Week 2, first prompt: retrieval.", "Week 2, second prompt: mornings.",
        "Final: keep the Monday plan.",
    ])
    expect(entries.locator("blockquote").nth(0)).to_contain_text("Think about why you enrolled")
    expect(entries.locator("blockquote").nth(3)).to_contain_text("Look back at your journal")
    expect(entries.nth(0)).to_contain_text("Submitted")
    expect(entries.nth(1)).to_contain_text("Draft, not submitted")
    # This block's own entries are marked.
    assert [("journal-this-block" in (entries.nth(i).get_attribute("class") or "")) for i in range(4)] == [
        False, True, True, False]
    assert_accessible(page, "with My journal open")
    button.click()
    expect(middle.locator(".journal-mine-list")).to_be_hidden()


def test_markdown_and_printable_downloads(page, workbench, learner):
    open_block(page, workbench, WEEK_1, learner)
    submit(page, MOTIVATION)
    expect(live_region(page)).to_have_text("Entry submitted.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Markdown").click()
    assert download.value.suggested_filename == "journal.md"
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert markdown.startswith("# Learning to learn: my journal\n")
    assert MOTIVATION in markdown
    assert "> Think about why you enrolled in Learning to learn." in markdown
    assert "*Submitted " in markdown

    with page.expect_popup() as popup_info:
        page.get_by_role("link", name=re.compile("Printable page")).click()
    printable = popup_info.value
    printable.wait_for_load_state("load")
    expect(printable).to_have_title("Learning to learn: my journal")
    expect(printable.locator("h1")).to_have_text("Learning to learn: my journal")
    expect(printable.locator("article")).to_have_count(1)
    expect(printable.locator("article")).to_contain_text(MOTIVATION)
    assert printable.evaluate("document.documentElement.lang")
    assert_accessible(printable, "on the printable page", selector="html")


def test_html_in_an_entry_is_shown_as_text_everywhere(page, new_context, workbench, learner):
    text = XSS + " " + STRATEGY
    open_block(page, workbench, TWO_PROMPTS, learner)
    submit(page, text)
    expect(live_region(page)).to_have_text("Entry submitted.")

    def assert_inert(where):
        assert where.evaluate("typeof window.__xss") == "undefined"
        assert where.locator(".bizmooc b, .journal-printable b, main b").count() == 0

    page.reload()
    expect(section(page).locator(".journal-text")).to_have_value(text)
    assert_inert(page)
    page.get_by_role("button", name="Show all my entries").click()
    mine = page.locator(".journal-mine-text")
    expect(mine).to_have_text(text)
    assert_inert(page)

    with page.expect_popup() as popup_info:
        page.get_by_role("link", name=re.compile("Printable page")).click()
    printable = popup_info.value
    printable.wait_for_load_state("load")
    expect(printable.locator("article")).to_contain_text(XSS)
    assert_inert(printable)

    staff = open_block(new_context().new_page(), workbench, TWO_PROMPTS, "course_staff")
    staff.get_by_role("button", name="Show responses").click()
    row = staff.locator(".journal-staff-table tbody tr", has_text=learner)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text(text)
    assert_inert(staff)
