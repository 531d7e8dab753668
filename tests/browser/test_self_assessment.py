"""The competence self-assessment in Chromium: learner, staff and Studio, by keyboard.

Scenarios (xblocks/learning_to_learn/scenarios_assessment.py): 0 EntreComp "before",
1 EntreComp "after" (cohort average from 2 learners, graded), 2 both in one unit,
3 LifeComp "before" (no evidence asked). 0-2 share the group "Intrapreneurship
competences", so one learner's "before" in scenario 0 is the earlier phase of scenario 1.

Most tests use the session's workbench, each as its own learner. Tests that count
learners (cohort average, staff report) or change a block's settings (Studio save) run
on `isolated_workbench`, a second server with its own database, so they see only what
they did and never change what other tests expect.
"""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench

pytestmark = pytest.mark.browser

SA = "bizmooc_self_assessment"
BEFORE, AFTER, UNIT, LIFECOMP = 0, 1, 2, 3
STAFF = "course_staff"
ROOT = ".bizmooc-assessment"
DATA = Path(__file__).resolve().parents[2] / "xblocks" / "learning_to_learn" / "data"
ENTRECOMP = json.loads((DATA / "entrecomp.json").read_text(encoding="utf-8"))
LIFECOMP_DATA = json.loads((DATA / "lifecomp.json").read_text(encoding="utf-8"))
XSS = "<script>window.__xss=1</script>"


def competences(framework):
    return [c for area in framework["areas"] for c in area["competences"]]


def level_label(framework, value):
    return next(level["label"] for level in framework["scale"]["levels"] if level["value"] == value)


@pytest.fixture(scope="module")
def isolated_workbench():
    """A workbench of this module's own: nobody else answers or edits there."""
    with serve_workbench() as base:
        yield base


def open_sa(page, base, scenario, student, view=None):
    return open_block(page, base, f"{SA}.{scenario}", student, view)


def block(page, index=0):
    return page.locator(ROOT).nth(index)


def rate(page, levels, index=0, skip=()):
    """Check the radio for `levels[i]` of every competence i (None: "I can't judge yet")."""
    groups = block(page, index).locator(".sa-competence")
    for i in range(groups.count()):
        if i in skip:
            continue
        value = levels[i]
        groups.nth(i).locator(f"input[type=radio][value='{'' if value is None else value}']").check()


def submit(page, index=0):
    """Press the block's submit button; return the handler's JSON answer, wait for the profile."""
    with page.expect_response(re.compile(r"/submit_assessment/")) as answer:
        block(page, index).locator(".sa-submit").click()
    assert answer.value.ok, why(answer.value)
    expect(block(page, index).locator(".sa-profile")).to_be_visible()
    return answer.value.json()


def why(response):
    """A handler's failure in one line: the JSON error, or the title of Django's debug page."""
    text = response.text()
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    return f"{response.status} {response.url}: " + (title.group(1).strip() if title else text[:500])


def rating_table(page, index=0):
    """{competence title: [cell texts after the title]} of the profile's "Your ratings" table."""
    table = block(page, index).locator(".sa-profile .sa-table").first
    result = {}
    for row in table.locator("tbody tr").all():
        title = row.locator("th").inner_text().split(" · ")[0].strip()
        result[title] = [cell.strip() for cell in row.locator("td").all_inner_texts()]
    return result


def column_headers(page, index=0):
    return [h.strip() for h in block(page, index).locator(".sa-profile .sa-table").first
            .locator("thead th").all_inner_texts()]


def live_text(page, index=0):
    return block(page, index).locator(".bizmooc-live")


def focused(page, script="el => el"):
    return page.evaluate(f"() => ({script})(document.activeElement)")


# Every view ------------------------------------------------------------------------

VIEWS = [("learner", None), (STAFF, None), (STAFF, "author_view"), (STAFF, "studio_view")]


@pytest.mark.parametrize("scenario", [BEFORE, AFTER, UNIT, LIFECOMP])
@pytest.mark.parametrize("student,view", VIEWS, ids=["learner", "staff", "author", "studio"])
def test_every_view_loads_cleanly_and_passes_axe(page, workbench, learner, scenario, student, view):
    open_sa(page, workbench, scenario, learner if student == "learner" else student, view)
    expect(page.locator(ROOT).first).to_be_visible()
    if view == "studio_view":
        expect(page.locator(".sa-studio .sa-fb-comp").first).to_be_visible()
    assert_accessible(page, f"in {SA}.{scenario} {view or 'student_view'} as {student}")


# Learner ---------------------------------------------------------------------------

def test_learner_rates_every_competence_by_keyboard_and_sees_the_profile(page, workbench, learner):
    """Arrow keys choose a level, Tab moves on to the evidence and the next competence,
    Enter on the button submits; the profile (radar + table) takes the form's place."""
    open_sa(page, workbench, BEFORE, learner)
    comps = competences(ENTRECOMP)
    levels = [i % 7 + 1 for i in range(len(comps))]  # 1..7: every level but the top one is used
    block(page).locator(".sa-competence input[type=radio]").first.focus()
    for i, level in enumerate(levels):
        if level == 1:
            page.keyboard.press("Space")
        for _ in range(level - 1):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")  # the evidence field of this competence
        assert focused(page, "el => el.tagName") == "TEXTAREA"
        if i in (0, 5):
            page.keyboard.type(f"Evidence for {comps[i]['title']}: I ran a pilot at work.")
        page.keyboard.press("Tab")  # the next competence's radio group, or the submit button
    assert focused(page, "el => el.className").startswith("bizmooc-button sa-submit")
    with page.expect_response(re.compile(r"/submit_assessment/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.ok, why(answer.value)

    profile = block(page).locator(".sa-profile")
    expect(profile).to_be_visible()
    expect(block(page).locator(".sa-form")).to_be_hidden()
    expect(live_text(page)).to_have_text(re.compile(r"answers are saved"))
    assert focused(page, "el => el.id").endswith("-profile")
    radar = profile.locator(".sa-radar svg")
    expect(radar).to_be_visible()
    expect(radar.locator(".sa-series-you polygon")).to_have_count(1)
    expect(radar.locator(".sa-axes text")).to_have_count(len(comps))
    table = rating_table(page)
    assert list(table) == [c["title"] for c in comps]
    for comp, level in zip(comps, levels):
        assert table[comp["title"]][0] == f"{level} · {level_label(ENTRECOMP, level)}"
    # No earlier phase, so no change column; feedback matches the levels chosen.
    assert "Change" not in column_headers(page)
    expect(profile.locator(".sa-feedback")).to_contain_text("Start an opportunity log")
    assert_accessible(page, "on the profile")

    page.reload()
    expect(block(page).locator(".sa-profile")).to_be_visible()
    expect(block(page).locator(".sa-form")).to_have_count(0)  # fetched only when revising
    block(page).locator(".sa-revise").click()
    evidence = block(page).locator(".sa-competence").first.locator("textarea")
    expect(evidence).to_be_visible()
    assert evidence.input_value().startswith("Evidence for")


def test_an_unanswered_competence_is_named_focused_and_nothing_is_saved(page, workbench, learner):
    open_sa(page, workbench, LIFECOMP, learner)
    rate(page, [3] * 9, skip=(4,))
    block(page).locator(".sa-submit").click()
    error = block(page).locator(".bizmooc-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile(r"^Rate every competence before submitting\D*\b1\b"))
    missing = block(page).locator(".sa-competence").nth(4)
    expect(missing).to_have_class(re.compile(r"\bsa-missing\b"))
    expect(missing.locator("input[type=radio]").first).to_be_focused()
    assert_accessible(page, "with the missing-answer message")

    page.reload()
    expect(block(page).locator(".sa-form")).to_be_visible()
    expect(block(page).locator(".sa-profile")).to_have_count(0)


def test_before_then_after_shows_the_change_and_the_dashed_earlier_series(page, workbench, learner):
    comps = competences(ENTRECOMP)
    before = [2] * len(comps)
    after = [2 + (i % 3) for i in range(len(comps))]  # +0, +1, +2 ...
    open_sa(page, workbench, BEFORE, learner)
    rate(page, before)
    submit(page)

    open_sa(page, workbench, AFTER, learner)
    expect(block(page).locator(".sa-form")).to_be_visible()
    rate(page, after)
    submit(page)
    headers = column_headers(page)
    assert "Before the course" in headers and "Change" in headers
    table = rating_table(page)
    for comp, old, new in zip(comps, before, after):
        cells = table[comp["title"]]
        assert cells[0] == f"{new} · {level_label(ENTRECOMP, new)}"
        assert cells[1:3] == [str(old), "0" if new == old else f"+{new - old}"]
    earlier = block(page).locator(".sa-radar .sa-series-earlier polygon")
    expect(earlier).to_have_count(1)
    dash = earlier.evaluate("el => getComputedStyle(el).strokeDasharray")
    assert dash not in ("", "none"), dash
    expect(block(page).locator(".sa-legend")).to_contain_text("dashed line")
    areas = block(page).locator(".sa-areas")
    expect(areas.locator("thead")).to_contain_text("Change")
    expect(areas.locator("tbody tr").first.locator("td").last).to_have_text(re.compile(r"^\+\d"))
    assert_accessible(page, "on the before/after profile")

    # The unit with both blocks shows both profiles, each with its own phase.
    open_sa(page, workbench, UNIT, learner)
    expect(block(page, 0).locator(".sa-profile h4")).to_contain_text("Before the course")
    expect(block(page, 1).locator(".sa-profile h4")).to_contain_text("After the course")
    assert_accessible(page, "on the unit with two profiles")


def test_revising_replaces_the_answers(page, workbench, learner):
    open_sa(page, workbench, LIFECOMP, learner)
    first = LIFECOMP_DATA["areas"][0]["competences"][0]["title"]
    rate(page, [3] * 9)
    submit(page)
    assert rating_table(page)[first][0] == f"3 · {level_label(LIFECOMP_DATA, 3)}"

    block(page).locator(".sa-revise").click()
    expect(block(page).locator(".sa-form")).to_be_visible()
    expect(block(page).locator(".sa-competence").first.locator("input:checked")).to_be_focused()
    block(page).locator(".sa-cancel").click()  # cancel keeps the saved answers
    expect(block(page).locator(".sa-form")).to_be_hidden()
    expect(block(page).locator(".sa-profile")).to_be_visible()

    block(page).locator(".sa-revise").click()
    page.keyboard.press("ArrowRight")  # 3 -> 4 on the first competence
    submit(page)
    assert rating_table(page)[first][0] == f"4 · {level_label(LIFECOMP_DATA, 4)}"
    page.reload()
    assert rating_table(page)[first][0] == f"4 · {level_label(LIFECOMP_DATA, 4)}"
    # "I can't judge yet" is a level of its own in the table.
    block(page).locator(".sa-revise").click()
    expect(block(page).locator(".sa-submit")).to_have_text("Save my new answers")
    rate(page, [None] + [3] * 8)
    submit(page)
    assert rating_table(page)[first][0] == "can't judge yet"


def test_evidence_with_markup_is_kept_as_text(page, workbench, learner):
    open_sa(page, workbench, BEFORE, learner)
    rate(page, [4] * len(competences(ENTRECOMP)))
    evidence = block(page).locator(".sa-competence").first.locator("textarea")
    evidence.fill(XSS)
    submit(page)
    page.reload()
    block(page).locator(".sa-revise").click()
    expect(block(page).locator(".sa-competence").first.locator("textarea")).to_have_value(XSS)
    assert page.evaluate("() => window.__xss") is None
    assert block(page).locator("script").count() == 0


def test_the_printable_profile_opens(page, workbench, learner):
    open_sa(page, workbench, LIFECOMP, learner)
    rate(page, [2, 3, 4, 5, 1, 2, 3, 4, 5])
    submit(page)
    with page.context.expect_page() as popup:
        block(page).get_by_role("link", name=re.compile("Printable profile")).click()
    printable = popup.value
    printable.wait_for_load_state("load")
    expect(printable.locator("h1")).to_have_text("Learning to learn: LifeComp self-check")
    expect(printable.locator("table.sa-table tbody tr")).to_have_count(9)
    expect(printable.locator("svg.sa-radar-print")).to_be_visible()
    assert printable.evaluate("() => document.documentElement.lang")
    assert_accessible(printable, "on the printable profile", selector="main")


def test_two_learners_make_the_cohort_average_appear_and_staff_see_the_report(new_context, isolated_workbench):
    """Learner A and B answer "before" and "after" in two browsers; the cohort average of
    "after" (shown from 2 learners) appears once both have answered; the staff report
    counts the levels and the mean paired change."""
    base = isolated_workbench
    comps = competences(ENTRECOMP)
    # The first competence: A 2 -> 4, B 3 -> 6; B's others vary, for a chart worth a screenshot.
    plan = {"cohort_a": ([2] * len(comps), [4] * len(comps)),
            "cohort_b": ([3, 2, 4, 1, 3, 2, 5, 3, 2, 4, 3, 1, 2, 3, 4],
                         [6, 4, 5, 3, 5, 4, 6, 5, 3, 6, 5, 3, 4, 4, 6])}
    pages = {}
    for student, (before, after) in plan.items():
        page = new_context().new_page()
        pages[student] = page
        open_sa(page, base, BEFORE, student)
        rate(page, before)
        submit(page)
        open_sa(page, base, AFTER, student)
        rate(page, after)
        submit(page)
        if student == "cohort_a":
            expect(block(page).locator(".sa-cohort-note")).to_have_text(
                re.compile(r"cohort average appears .*\b2\b"))
            assert "Cohort average" not in column_headers(page)
    page_b = pages["cohort_b"]
    assert "Cohort average" in column_headers(page_b)
    expect(block(page_b).locator(".sa-radar .sa-series-cohort polygon")).to_have_count(1)
    assert rating_table(page_b)[comps[0]["title"]][-1] == "5"  # (4 + 6) / 2
    expect(block(page_b).locator(".sa-legend")).to_contain_text("Cohort average (dotted line)")
    page_a = pages["cohort_a"]
    page_a.reload()
    assert "Cohort average" in column_headers(page_a)
    expect(block(page_a).locator(".sa-cohort-note")).to_have_count(0)

    # The screenshot: a learner's profile after "before" and "after", with the cohort.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Tall enough for the whole profile: the workbench's banner would cover a scrolled element.
    page_b.set_viewport_size({"width": 1100, "height": page_b.evaluate("() => document.documentElement.scrollHeight")})
    page_b.evaluate("() => window.scrollTo(0, 0)")
    block(page_b).locator(".sa-profile").screenshot(path=str(SCREENSHOTS / "self-assessment-profile.png"))
    page_b.set_viewport_size({"width": 1100, "height": 900})

    staff = new_context().new_page()
    open_sa(staff, base, AFTER, STAFF)
    show = block(staff).locator(".sa-show-staff")
    show.click()
    expect(show).to_have_attribute("aria-expanded", "true")
    panel = block(staff).locator(".sa-staff-panel")
    phases = panel.locator("table").first
    expect(phases.locator("tbody tr").nth(0)).to_have_text(re.compile(r"Before the course\s*2"))
    expect(phases.locator("tbody tr").nth(2)).to_have_text(re.compile(r"After the course\s*2"))
    dist = panel.locator("table").nth(1)
    expect(dist.locator("caption")).to_contain_text("mean change from Before the course to After the course")
    headers = [h.strip() for h in dist.locator("thead th").all_inner_texts()]
    # Headed by the levels' names, not their numbers.
    assert headers == (["Competence"] + [level["label"] for level in ENTRECOMP["scale"]["levels"]]
                       + ["Can't judge", "Mean change", "Paired learners"])
    first = dist.locator("tbody tr").first
    expect(first.locator("th")).to_have_text(comps[0]["title"])
    cells = [c.strip() for c in first.locator("td").all_inner_texts()]
    assert cells == ["0", "0", "0", "1", "0", "1", "0", "0", "0", "+2.5", "2"]
    assert_accessible(staff, "with the staff report open")
    show.click()
    expect(panel).to_be_hidden()


# Studio ----------------------------------------------------------------------------

def studio(page):
    return page.locator(".sa-studio")


def level_rows(page):
    return studio(page).locator(".sa-level-list > li")


def editor_snapshot(page):
    """What the custom editor holds, read from the page."""
    return page.evaluate("""() => {
        const root = document.querySelector('.sa-studio');
        const values = sel => Array.from(root.querySelectorAll(sel)).map(el => el.value);
        return {title: root.querySelector('.sa-fw-title').value,
                levels: values('.sa-level-list [data-f="label"]'),
                ids: values('.sa-area-list [data-f="id"]'),
                feedback: Array.from(root.querySelectorAll('.sa-fb-comp')).map(el => el.dataset.cid)};
    }""")


def choose_custom_by_keyboard(page):
    studio(page).locator("input[name=framework_choice]:checked").focus()
    while studio(page).locator("input[name=framework_choice][value=custom]").is_checked() is False:
        page.keyboard.press("ArrowDown")
    expect(studio(page).locator(".sa-custom")).to_be_visible()


def test_studio_editor_works_by_keyboard_at_320px(new_context, workbench):
    page = new_context(width=320, height=700).new_page()
    open_sa(page, workbench, BEFORE, STAFF, "studio_view")
    choose_custom_by_keyboard(page)
    labels = [level["label"] for level in ENTRECOMP["scale"]["levels"]]
    assert editor_snapshot(page)["levels"] == labels

    # Move level 1 down: the labels swap, the values stay in rising order, focus stays put.
    move = level_rows(page).nth(0).locator("[data-act=move-down]")
    move.focus()
    page.keyboard.press("Enter")
    assert editor_snapshot(page)["levels"][:2] == [labels[1], labels[0]]
    values = studio(page).locator(".sa-level-list [data-f=value]").evaluate_all("els => els.map(e => e.value)")
    assert values == [str(v) for v in range(1, 9)]
    expect(level_rows(page).nth(1).locator("[data-act=move-down]")).to_be_focused()
    expect(studio(page).locator(".bizmooc-live")).to_have_text("Moved: now Level 2.")
    page.keyboard.press("Shift+Tab")  # "Move up" of the same row
    page.keyboard.press("Enter")
    assert editor_snapshot(page)["levels"] == labels

    # Add a level: focus goes to its label; remove it again: focus goes to the row before.
    studio(page).locator("[data-act=add-level]").focus()
    page.keyboard.press("Enter")
    expect(level_rows(page)).to_have_count(9)
    expect(level_rows(page).nth(8).locator("[data-f=label]")).to_be_focused()
    expect(level_rows(page).nth(8).locator("[data-f=value]")).to_have_value("9")
    page.keyboard.type("Beyond expert")
    level_rows(page).nth(8).locator("[data-act=remove]").focus()
    page.keyboard.press("Enter")
    expect(level_rows(page)).to_have_count(8)
    expect(level_rows(page).nth(7).locator("[data-f=value]")).to_be_focused()

    # A feedback band, opened and added by keyboard.
    comp = studio(page).locator(".sa-fb-comp").first
    comp.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(comp).to_have_attribute("open", "")
    comp.locator("[data-act=add-band]").focus()
    page.keyboard.press("Enter")
    expect(comp.locator(".sa-band-row")).to_have_count(3)  # the scenario has two already
    expect(comp.locator(".sa-band-row").last.locator("[data-f=from]")).to_be_focused()
    expect(comp.locator("summary")).to_contain_text("(feedback bands: 3)")

    # Nothing is wider than the screen, and the whole editor passes axe.
    overflow = studio(page).evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the editor is {overflow}px wider than a 320px screen"
    studio(page).locator(".sa-fb-comp summary").evaluate_all("els => els.forEach(s => s.click())")
    assert_accessible(page, "in the expanded editor at 320px")
    page.set_viewport_size({"width": 1100, "height": 900})
    assert_accessible(page, "in the expanded editor at 1100px")


def test_studio_save_errors_point_at_the_field_and_change_nothing(page, workbench, page_errors):
    page_errors.allow(r"status of 400 .*/studio_submit/")
    open_sa(page, workbench, BEFORE, STAFF, "studio_view")
    error = studio(page).locator(".bizmooc-error")

    # Checked in the browser: a required field left empty.
    group = studio(page).locator("input[name=group_name]")
    group.fill("")
    studio(page).locator(".bizmooc-settings-save").click()
    expect(error).to_be_visible()
    expect(error).to_have_text("Assessment group name: this field is required.")
    expect(group).to_be_focused()
    expect(group).to_have_attribute("aria-invalid", "true")
    group.fill("Intrapreneurship competences")

    # A link line without "label | address", in a closed competence: opened, marked, focused.
    comp = studio(page).locator(".sa-fb-comp[data-cid=spotting_opportunities]")
    links = comp.locator(".sa-band-row").first.locator("[data-f=links]")
    links.evaluate("el => { el.value = 'Week 2\\njust-a-label-no-address'; }")
    studio(page).locator(".bizmooc-settings-save").click()
    expect(error).to_have_text(re.compile(r"^Line 1 of the links"))
    expect(comp).to_have_attribute("open", "")
    expect(links).to_be_focused()
    links.fill("Week 2: spotting opportunities | /courses/")

    # A competence id used twice.
    choose_custom_by_keyboard(page)
    second = studio(page).locator(".sa-comp-row").nth(1).locator("[data-f=id]")
    second.fill("spotting_opportunities")
    studio(page).locator(".bizmooc-settings-save").click()
    expect(error).to_have_text("The id 'spotting_opportunities' is used twice.")
    expect(second).to_be_focused()
    second.fill("creativity")

    # Checked by the server: a custom scale of one level.
    while level_rows(page).count() > 1:
        level_rows(page).last.locator("[data-act=remove]").click()
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        studio(page).locator(".bizmooc-settings-save").click()
    assert answer.value.status == 400
    expect(error).to_have_text(re.compile(r"rating scale must list between 2 and 10 items"))
    expect(studio(page).locator(".sa-fw-title")).to_be_focused()
    expect(studio(page).locator(".bizmooc-field-error")).to_have_count(1)
    assert_accessible(page, "with a save error")

    page.reload()
    expect(studio(page).locator("input[name=framework_choice][value=entrecomp]")).to_be_checked()
    expect(studio(page).locator(".sa-custom")).to_be_hidden()


def test_studio_reports_every_field_the_server_refuses_at_once(page, workbench, page_errors):
    """A closing date that is no date and a scale of one level: both marked by one save."""
    page_errors.allow(r"status of 400 .*/studio_submit/")
    open_sa(page, workbench, BEFORE, STAFF, "studio_view")
    choose_custom_by_keyboard(page)
    while level_rows(page).count() > 1:
        level_rows(page).last.locator("[data-act=remove]").click()
    date = studio(page).locator("input[name=revise_until]")
    date.fill("next Friday")
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        studio(page).locator(".bizmooc-settings-save").click()
    assert answer.value.status == 400
    assert [f["field"] for f in answer.value.json()["error"]["fields"]] == ["revise_until", "framework"]
    expect(studio(page).locator(".bizmooc-field-error")).to_have_count(2)
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(studio(page).locator(".sa-fw-title")).to_have_attribute("aria-invalid", "true")
    expect(date).to_be_focused()
    assert_accessible(page, "with two save errors")

    page.reload()
    expect(studio(page).locator("input[name=framework_choice][value=entrecomp]")).to_be_checked()


def test_studio_framework_import_and_export(page, workbench, tmp_path, page_errors):
    page_errors.allow(r"status of 400 .*/import_framework/")
    open_sa(page, workbench, BEFORE, STAFF, "studio_view")
    choose_custom_by_keyboard(page)
    before = editor_snapshot(page)
    error = studio(page).locator(".bizmooc-error")

    # Malformed JSON, pasted: the server's message, the field marked, the editor unchanged.
    paste = studio(page).locator(".sa-import-text")
    paste.fill('{"title": "Broken", "areas": [')
    with page.expect_response(re.compile(r"/import_framework/")) as answer:
        studio(page).locator("[data-act=import-paste]").click()
    assert answer.value.status == 400
    expect(error).to_have_text(re.compile(r"not valid JSON \(line 1\)"))
    expect(paste).to_be_focused()
    expect(paste).to_have_attribute("aria-invalid", "true")
    assert editor_snapshot(page) == before

    # A valid JSON file that is not a valid framework, uploaded.
    upload = studio(page).locator(".sa-import-file")
    with page.expect_response(re.compile(r"/import_framework/")):
        upload.set_input_files(files=[{"name": "one-level.json", "mimeType": "application/json",
                                       "buffer": json.dumps({"title": "x", "scale": {"levels": [
                                           {"value": 1, "label": "only"}]}, "areas": []}).encode()}])
    expect(error).to_have_text(re.compile(r"rating scale must list between 2 and 10 items"))
    assert editor_snapshot(page) == before

    # A good framework file: loaded into the editor and the feedback list; exported back.
    framework = {
        "id": "team-skills", "title": "Team skills", "source": "Our course team", "licence": "CC BY 4.0",
        "scale": {"levels": [{"value": 1, "label": "Not yet", "band": "Starting", "descriptor": "I need help."},
                             {"value": 2, "label": "With support", "band": "Starting", "descriptor": ""},
                             {"value": 3, "label": "On my own", "band": "Able", "descriptor": "Without help."}],
                  "allow_not_sure": False},
        "areas": [{"id": "people", "title": "People", "competences": [
            {"id": "listening", "title": "Listening", "descriptor": "I let others finish."},
            {"id": "feedback", "title": "Giving feedback", "descriptor": ""}]}],
    }
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(framework), encoding="utf-8")
    with page.expect_response(re.compile(r"/import_framework/")):
        upload.set_input_files(str(path))
    expect(studio(page).locator(".bizmooc-live")).to_have_text("Framework imported: Team skills.")
    expect(error).to_be_hidden()
    assert editor_snapshot(page) == {"title": "Team skills", "levels": ["Not yet", "With support", "On my own"],
                                     "ids": ["people", "listening", "feedback"],
                                     "feedback": ["listening", "feedback"]}
    expect(studio(page).locator(".sa-not-sure")).not_to_be_checked()
    with page.expect_download() as download:
        studio(page).locator("[data-act=export]").click()
    assert download.value.suggested_filename == "framework.json"
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8")) == framework


def test_studio_custom_framework_reaches_the_learner(new_context, isolated_workbench):
    """Switch LifeComp to a custom copy without "Wellbeing", add a feedback band, save;
    the learner then rates 8 competences and sees the new feedback."""
    base = isolated_workbench
    page = new_context().new_page()
    open_sa(page, base, LIFECOMP, STAFF, "studio_view")
    choose_custom_by_keyboard(page)
    studio(page).locator("[data-act=start-from][data-fw=lifecomp]").click()
    expect(studio(page).locator(".bizmooc-live")).to_have_text(re.compile("copied into the custom framework"))
    snapshot = editor_snapshot(page)
    assert snapshot["levels"] == [level["label"] for level in LIFECOMP_DATA["scale"]["levels"]]
    assert "wellbeing" in snapshot["feedback"]

    wellbeing = studio(page).locator(".sa-comp-row").filter(
        has=page.locator("[data-f=id]").and_(page.locator("[data-prev=wellbeing]")))
    expect(wellbeing).to_have_count(1)
    wellbeing.locator("[data-act=remove]").click()
    assert "wellbeing" not in editor_snapshot(page)["ids"]
    assert "wellbeing" not in editor_snapshot(page)["feedback"]

    comp = studio(page).locator(".sa-fb-comp[data-cid=self_regulation]")
    comp.locator("summary").click()
    comp.locator("[data-act=add-band]").click()
    band = comp.locator(".sa-band-row").last
    band.locator("[data-f=from]").select_option("1")
    band.locator("[data-f=to]").select_option("3")
    band.locator("[data-f=text]").fill("Plan your week on Monday: three learning slots, each with a goal.")
    band.locator("[data-f=links]").fill("Week 1: planning | /courses/week-1\nPomodoro | https://example.org/pomodoro")
    studio(page).locator(".sa-fb-comp[data-cid=managing_learning] summary").click()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The whole page in the viewport, scrolled to the top: the workbench's sticky banner stays above the editor.
    page.set_viewport_size({"width": 1100, "height": page.evaluate("() => document.documentElement.scrollHeight")})
    page.evaluate("() => window.scrollTo(0, 0)")
    studio(page).screenshot(path=str(SCREENSHOTS / "self-assessment-studio.png"))
    page.set_viewport_size({"width": 1100, "height": 900})
    assert_accessible(page, "in the custom editor")

    # Flat settings travel with it: a closing date, the cohort, a weight.
    studio(page).locator("input[name=revise_until]").fill("2030-01-31T12:00")
    studio(page).locator("input[name=show_cohort]").check()
    studio(page).locator("input[name=weight]").fill("2.5")
    events = []
    page.on("console", lambda message: events.append(message.text) if "Runtime event" in message.text else None)
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        studio(page).locator(".bizmooc-settings-save").click()
    assert answer.value.ok, why(answer.value)
    expect(studio(page).locator(".bizmooc-live")).to_have_text("Settings saved.")
    expect(studio(page).locator(".bizmooc-error")).to_be_hidden()
    sent = answer.value.request.post_data_json
    assert sorted(sent) == sorted(["display_name", "instructions", "framework_choice", "custom_framework", "feedback",
                                   "group_name", "phase", "show_cohort", "cohort_min_learners", "allow_revisions",
                                   "revise_until", "ask_evidence", "graded", "weight"])
    assert sent["revise_until"] == "2030-01-31T12:00" and sent["weight"] == 2.5
    assert [c["id"] for a in sent["custom_framework"]["areas"] for c in a["competences"]] == [
        "self_regulation", "flexibility", "empathy", "communication", "collaboration", "growth_mindset",
        "critical_thinking", "managing_learning"]
    assert sent["feedback"]["self_regulation"] == [{
        "from": 1, "to": 3, "text": "Plan your week on Monday: three learning slots, each with a goal.",
        "links": [{"label": "Week 1: planning", "url": "/courses/week-1"},
                  {"label": "Pomodoro", "url": "https://example.org/pomodoro"}]}]
    # The workbench's runtime.notify() logs what Studio would act on.
    for _ in range(50):
        if len(events) >= 2:
            break
        page.wait_for_timeout(20)
    assert events == ['Runtime event "save" with data: {state: start}',
                      'Runtime event "save" with data: {state: end}'], events

    with page.expect_console_message(lambda message: "Runtime event" in message.text):
        studio(page).locator(".bizmooc-settings-cancel").click()
    assert events[-1].startswith('Runtime event "cancel"'), events

    page.reload()
    expect(studio(page).locator("input[name=framework_choice][value=custom]")).to_be_checked()
    expect(studio(page).locator(".sa-comp-row")).to_have_count(8)
    expect(studio(page).locator("input[name=revise_until]")).to_have_value("2030-01-31T12:00")
    expect(studio(page).locator("input[name=show_cohort]")).to_be_checked()
    expect(studio(page).locator("input[name=weight]")).to_have_value("2.5")

    open_sa(page, base, LIFECOMP, STAFF, "author_view")
    expect(block(page)).to_contain_text("8 competences")
    deadline = block(page).locator("time.bizmooc-date")  # the suite's one date format (issue 13)
    expect(deadline).to_have_attribute("datetime", "2030-01-31T12:00:00+00:00")
    expect(deadline).to_have_text(page.evaluate("() => BizMOOC.formatDate('2030-01-31T12:00:00+00:00')"))

    open_sa(page, base, LIFECOMP, "custom_learner")
    titles = block(page).locator(".sa-competence-title").all_inner_texts()
    assert len(titles) == 8 and "Wellbeing" not in titles
    rate(page, [2] * 8)
    submit(page)
    feedback = block(page).locator(".sa-feedback")
    expect(feedback).to_contain_text("Plan your week on Monday")
    expect(feedback.get_by_role("link", name="Pomodoro")).to_have_attribute("href", "https://example.org/pomodoro")
    assert_accessible(page, "on the profile with the custom framework")


# Drafts, the phone stepper, the radar's named axes (issue 13) ------------------------------

def test_ratings_are_kept_as_a_draft_and_restored_on_reload(page, workbench, learner):
    """5 of 15 answered, reload: the 5 are still chosen (kept on the server, not only here)."""
    open_sa(page, workbench, BEFORE, learner)
    groups = block(page).locator(".sa-competence")
    for i in range(5):
        with page.expect_response(re.compile(r"/save_draft/")) as saved:
            groups.nth(i).locator("input[type=radio][value='3']").check()
        assert saved.value.ok, why(saved.value)
    expect(block(page).locator(".sa-save-state")).to_have_text("Draft saved")
    assert_accessible(page, "with a draft saved")
    page.evaluate("() => window.localStorage.clear()")  # the server's copy, not this device's
    page.reload()
    expect(block(page).locator(".sa-competence input[type=radio]:checked")).to_have_count(5)
    for i in range(5):
        expect(groups.nth(i).locator("input[type=radio][value='3']")).to_be_checked()
    expect(block(page).locator(".sa-profile")).to_have_count(0)  # a draft is not an answer
    # Answering the rest and submitting ends the draft: the profile, and no form on reload.
    rate(page, [4] * 15, skip=range(5))
    submit(page)
    page.reload()
    expect(block(page).locator(".sa-profile")).to_be_visible()
    expect(block(page).locator(".sa-form")).to_have_count(0)


def test_on_a_phone_one_competence_per_screen_by_keyboard(new_context, workbench, learner):
    """390x844: one competence at a time with "n of 9", Next/Previous by keyboard; the
    answers submitted at the end are all there."""
    page = new_context(width=390, height=844).new_page()
    open_sa(page, workbench, LIFECOMP, learner)
    comps = competences(LIFECOMP_DATA)
    progress = block(page).locator(".sa-step-progress")
    expect(progress).to_have_text(f"1 of {len(comps)}")
    expect(block(page).locator(".sa-competence:visible")).to_have_count(1)
    expect(block(page).get_by_role("button", name="Previous competence")).to_be_disabled()
    assert_accessible(page, "on a phone, first competence")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    block(page).screenshot(path=str(SCREENSHOTS / "self-assessment-phone.png"))

    block(page).locator(".sa-competence input[type=radio]").first.focus()
    for i, comp in enumerate(comps):
        current = block(page).locator(".sa-competence:visible")
        expect(current).to_have_attribute("data-competence", comp["id"])
        page.keyboard.press("Space")  # the first level
        for _ in range(i % 4):
            page.keyboard.press("ArrowRight")
        if i == len(comps) - 1:
            break
        # Tab past the rest of the group to "Next competence" (Previous is skipped while disabled).
        for _ in range(3):
            page.keyboard.press("Tab")
            if focused(page, "el => el.textContent") == "Next competence":
                break
        page.keyboard.press("Enter")
        expect(progress).to_have_text(f"{i + 2} of {len(comps)}")
        assert focused(page, "el => el.type") == "radio"  # on the next competence's levels
    expect(block(page).get_by_role("button", name="Next competence")).to_be_disabled()
    # Back by keyboard, and forward again: the answer is still chosen.
    block(page).get_by_role("button", name="Previous competence").focus()
    page.keyboard.press("Enter")
    expect(progress).to_have_text(f"{len(comps) - 1} of {len(comps)}")
    expect(block(page).locator(".sa-competence:visible input:checked")).to_have_count(1)
    result = submit(page)
    assert "profile_html" in result
    table = rating_table(page)
    assert [table[c["title"]][0].split(" · ")[0] for c in comps] == [str(i % 4 + 1) for i in range(len(comps))]
    assert_accessible(page, "on a phone, the profile")


def test_a_missing_answer_on_a_phone_brings_its_screen_back(new_context, workbench, learner):
    page = new_context(width=390, height=844).new_page()
    open_sa(page, workbench, LIFECOMP, learner)
    rate_visible = block(page).locator(".sa-competence:visible input[type=radio][value='2']")
    next_button = block(page).get_by_role("button", name="Next competence")
    for i in range(9):
        if i != 2:
            rate_visible.check()
        if i < 8:
            next_button.click()
    block(page).locator(".sa-submit").click()
    expect(block(page).locator(".bizmooc-error")).to_be_visible()
    expect(block(page).locator(".sa-step-progress")).to_have_text("3 of 9")
    missing = block(page).locator(".sa-competence:visible")
    expect(missing).to_have_class(re.compile(r"\bsa-missing\b"))
    expect(missing.locator("input[type=radio]").first).to_be_focused()


def test_the_radar_names_its_axes_and_leaves_a_gap_for_cant_judge(page, workbench, learner):
    open_sa(page, workbench, BEFORE, learner)
    comps = competences(ENTRECOMP)
    rate(page, [5 if i not in (3, 7) else None for i in range(len(comps))])
    submit(page)
    radar = block(page).locator(".sa-radar svg")
    labels = radar.locator(".sa-axes text")
    expect(labels).to_have_count(len(comps))
    expect(labels.first).to_have_text(re.compile("Spotting"))
    # The full names for screen readers: the chart's description.
    description = radar.locator("desc")
    expect(description).to_have_text(re.compile("; ".join(re.escape(c["title"]) for c in comps)))
    assert radar.get_attribute("aria-describedby") == description.get_attribute("id")
    # No point for the two it can't judge, nothing at the centre, their names marked "?".
    expect(radar.locator(".sa-series-you circle")).to_have_count(len(comps) - 2)
    expect(radar.locator(".sa-series-you polygon")).to_have_count(0)
    expect(radar.locator(".sa-axes text.sa-axis-unrated")).to_have_count(2)
    expect(block(page).locator(".sa-unrated-note")).to_be_visible()
    # Every label is inside the chart.
    box = radar.bounding_box()
    for label in labels.all():
        inner = label.bounding_box()
        assert box["x"] - 1 <= inner["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, \
            label.text_content()
    assert_accessible(page, "on a profile with unrated competences")


def test_the_printable_profile_names_the_learner(page, workbench, learner):
    open_sa(page, workbench, LIFECOMP, learner)
    rate(page, [3] * 9)
    submit(page)
    with page.context.expect_page() as popup:
        block(page).get_by_role("link", name=re.compile("Printable profile")).click()
    printable = popup.value
    printable.wait_for_load_state("load")
    expect(printable.locator(".sa-learner")).to_have_text(re.compile(rf"^Learner: .*{learner}"))
