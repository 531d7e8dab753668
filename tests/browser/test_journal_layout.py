"""Layout: no horizontal scroll at 320 px, and the README's screenshots (desktop 1100 px
and phone 375 px), taken on a workbench of their own so the figures shown are clean."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, open_block, serve_workbench, type_into

pytestmark = pytest.mark.browser

OVERFLOW = """() => ({
    page: document.scrollingElement.scrollWidth,
    blocks: Array.from(document.querySelectorAll('.bizmooc')).map(b => ({
        right: Math.ceil(b.getBoundingClientRect().right), scroll: b.scrollWidth, client: b.clientWidth})),
})"""


@pytest.mark.parametrize("view", ["student_view", "studio_view"])
def test_no_horizontal_scroll_at_320px(new_context, workbench, view):
    page = new_context(width=320, height=640).new_page()
    for scenario in range(5):
        open_block(page, workbench, scenario, "course_staff", view=view)
        if view == "student_view":  # with every panel open: the widest state
            for button in page.locator(".journal-show-mine, .journal-show-staff").all():
                button.click()
            expect(page.locator(".journal-mine-list[aria-busy], .journal-staff-panel[aria-busy]")).to_have_count(0)
            for summary in page.locator(".journal-example summary").all():
                summary.click()
        sizes = page.evaluate(OVERFLOW)
        assert sizes["page"] <= 320, f"scenario {scenario} {view}: page scrolls sideways: {sizes}"
        for block in sizes["blocks"]:
            assert block["right"] <= 320 and block["scroll"] <= block["client"], \
                f"scenario {scenario} {view}: block overflows: {sizes}"


@pytest.fixture(scope="module")
def pristine_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


UNIT, TWO_PROMPTS = 3, 1  # the unit holds week 1, week 2 (two prompts) and the final reflection
WEEK_2_BLOCK = ".bizmooc-journal >> nth=1"
MARIA_WEEK_1 = (
    "I coordinate training for twelve shop managers and I am always the last to finish my own courses. "
    "I want to learn how to plan my learning in short, regular slots, so that I can set an example. "
    "I will notice it when I finish a module every week without staying late on Friday."
)
MARIA_STRATEGY = (
    "I tried retrieval practice: after each video I closed my notes and wrote down the three ideas I "
    "remembered. It felt slower than rereading, but on Friday I could still explain the business model "
    "canvas to a colleague without looking anything up."
)
MARIA_DRAFT = "Next week I will move my sessions to the morning, because in the evening I"
OTHERS = {
    "jonas": "Spaced repetition with flash cards on my phone, ten minutes on the tram every morning. I kept "
             "it up for five days out of seven and the vocabulary of the finance module finally stuck.",
    "elena": "I planned the week in my learning diary on Monday. Writing down when I would study made it a "
             "real appointment; I only missed one session, when a client meeting ran late.",
}


def block_shot(page, name, block=".xblock-v1"):
    """A screenshot of the whole block; the workbench's fixed banner is pinned to the top first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".workbench .banner { position: static; }")
    page.locator(block).first.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide")


def submit(block, text, prompt=0):
    section = block.locator(f".journal-prompt[data-prompt='{prompt}']")
    type_into(section.locator(".journal-text"), text)
    with block.page.expect_response(re.compile(r"/submit_entry/")):
        section.locator(".journal-submit").click()
    expect(block.locator(".bizmooc-live")).to_have_text(re.compile("submitted"))


def test_screenshots(new_context, pristine_workbench):
    base = pristine_workbench
    for learner, text in OTHERS.items():
        submit(open_block(new_context().new_page(), base, UNIT, learner).locator(WEEK_2_BLOCK), text)

    page = open_block(new_context(width=1100, height=900).new_page(), base, UNIT, "maria")
    submit(page.locator(".bizmooc-journal").first, MARIA_WEEK_1)
    week_2 = page.locator(WEEK_2_BLOCK)
    submit(week_2, MARIA_STRATEGY)
    type_into(week_2.locator(".journal-prompt[data-prompt='1'] .journal-text"), MARIA_DRAFT)
    expect(week_2.locator(".journal-prompt[data-prompt='1'] .journal-save-state")).to_have_text("Draft saved")
    page.reload()
    week_2 = page.locator(WEEK_2_BLOCK)
    block_shot(page, "journal-student.png", WEEK_2_BLOCK)

    week_2.get_by_role("button", name="Show all my entries").click()
    expect(week_2.locator(".journal-mine-entry")).to_have_count(3)
    block_shot(page, "journal-my-journal.png", WEEK_2_BLOCK)

    phone = open_block(new_context(width=375, height=800, device_scale_factor=2).new_page(), base, UNIT, "maria")
    block_shot(phone, "journal-phone.png", WEEK_2_BLOCK)

    staff = open_block(new_context(width=1100, height=900).new_page(), base, UNIT, "course_staff")
    staff_block = staff.locator(WEEK_2_BLOCK)
    staff_block.get_by_role("button", name="Show responses").click()
    expect(staff_block.locator(".journal-staff-table tbody tr")).to_have_count(3)
    maria_row = staff_block.locator(".journal-staff-table tbody tr", has_text="maria")
    maria_row.get_by_role("button", name="Comment on this entry").click()
    maria_row.locator(".journal-feedback-input").fill(
        "Good choice of strategy. Next week, try retrieving before the video too: what do you already know?")
    with staff.expect_response(re.compile(r"/staff_feedback/")):
        maria_row.get_by_role("button", name="Save comment").click()
    expect(maria_row.get_by_role("button", name="Edit your comment")).to_be_visible()
    block_shot(staff, "journal-staff.png", WEEK_2_BLOCK)
    page.reload()
    expect(page.locator(WEEK_2_BLOCK).locator(".journal-feedback")).to_have_count(1)
    block_shot(page, "journal-feedback.png", WEEK_2_BLOCK)

    open_block(staff, base, TWO_PROMPTS, "course_staff", view="studio_view")
    block_shot(staff, "journal-studio.png")
    for name in ("journal-student.png", "journal-my-journal.png", "journal-phone.png", "journal-staff.png",
                 "journal-studio.png", "journal-feedback.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000, name
