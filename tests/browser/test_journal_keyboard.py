"""Keyboard only: reach the textarea with Tab, write, Tab to Submit, press Enter (then
Space for a revision); focus is visible on every stop."""
import pytest
from playwright.sync_api import expect

from .conftest import number, open_block, word_count

pytestmark = pytest.mark.browser

TEXT = ("Before this course I learnt only when a deadline forced me to. Now I plan two short sessions a "
        "week and write down one question before each video, so that I watch with a purpose. At work I "
        "notice it because I can explain the new pricing rules to my team without my notes.")


def focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {cls: el.className, tag: el.tagName, text: (el.textContent || '').trim(),
                outline: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
    }""")


def assert_focus_visible(state):
    assert state["outline"] not in ("none", "") and state["width"] >= 2, f"no visible focus on {state}"


def tab_to(page, predicate, limit=30):
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError(f"Tab never reached the element; last focus: {focused(page)}")


def test_keyboard_only_submit_and_revise(page, workbench, learner):
    open_block(page, workbench, 0, learner)
    page.locator("body").click(position={"x": 5, "y": 5})  # start from the top of the page
    state = tab_to(page, lambda s: "journal-text" in s["cls"])
    assert_focus_visible(state)
    page.keyboard.type(TEXT)
    expect(page.locator(".journal-words")).to_have_text(number(word_count(TEXT)))

    state = tab_to(page, lambda s: True, limit=1)
    assert "journal-submit" in state["cls"], f"Tab from the textarea went to {state}"
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    expect(page.locator(".bizmooc-live")).to_have_text("Entry submitted.")
    expect(page.locator(".journal-submit")).to_have_text("Submit revision")

    # Revise with Space: Shift+Tab back to the textarea, add a sentence, Tab to the button.
    page.keyboard.press("Shift+Tab")
    state = focused(page)
    assert "journal-text" in state["cls"], f"Shift+Tab from Submit went to {state}"
    page.keyboard.press("Control+End")
    page.keyboard.type(" Next week I will try it with a colleague.")
    state = tab_to(page, lambda s: True, limit=1)
    assert "journal-submit" in state["cls"]
    page.keyboard.press("Space")
    expect(page.locator(".bizmooc-live")).to_have_text("Revision 2 submitted.")

    # The other controls are reachable and show focus too.
    for name in ("Show all my entries", "Download as Markdown"):
        state = tab_to(page, lambda s, name=name: s["text"].startswith(name))
        assert_focus_visible(state)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # opens "My journal"
    expect(page.locator(".journal-mine-entry")).to_have_count(1)
