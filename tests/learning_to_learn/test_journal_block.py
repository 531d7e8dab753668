"""The reflection journal on the real workbench runtime: learners, staff and course
authors using it as they would through the browser, one fresh runtime per request."""
import json
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, lms_user
from tests.helpers import assert_the_browser_cannot_choose_an_event
from tests.learning_to_learn.journal_helpers import get, journal_xml, row, save, snapshot, submit, words
from xblocks.common.dates import printed_time
from xblocks.learning_to_learn.models import JournalEntry, JournalRevision
from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock

EVENT_TYPES = {"completion", "grade"} | {f"bizmooc.reflection_journal.{action}"
                                         for action in ("submitted", "revised", "downloaded", "journal_viewed")}

SETTINGS = {
    "display_name": "Week 2: Planning my learning",
    "journal_name": "Learning to learn: my journal",
    "prompts": ["<p>Which strategy did you try?</p>", "<p>What will you change?</p>"],
    "guidance": "<p>Be concrete.</p>",
    "example_entry": "<p>I tried spaced repetition.</p>",
    "min_words": 5,
    "max_words": 300,
    "allow_revisions": False,
    "staff_can_read": False,
    "graded": True,
    "weight": 2.5,
}


def textarea(html, index=0):
    match = re.search(rf'<textarea id="[^"]*-t{index}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, html
    return match.group(0), match.group(1)


def event_types(wb, usage_id=None):
    return [event.type for event in wb.events_of(usage_id)]


# Drafts --------------------------------------------------------------------------------

def test_draft_is_saved_and_shown_again_after_a_reload(wb):
    usage_id = wb.load(journal_xml())
    first = save(wb, usage_id, "I plan my learning")
    assert first.status == 200 and first.json["version"] == 1 and first.json["saved_at"]
    second = save(wb, usage_id, "I plan my learning in 20-minute slots", version=1)
    assert second.json["version"] == 2
    _, text = textarea(wb.render(usage_id))
    assert text == "I plan my learning in 20-minute slots"
    state = get(wb, usage_id, "student_view_user_state").json
    assert state == {"entries": [{"prompt": 0, "version": 2, "draft": "I plan my learning in 20-minute slots",
                                  "submitted_text": "", "submitted_at": None, "revision_count": 0,
                                  "feedback": []}]}


def test_save_from_an_older_version_is_a_conflict_that_changes_nothing(wb):
    usage_id = wb.load(journal_xml())
    save(wb, usage_id, "first words")                       # tab 1 -> version 1
    save(wb, usage_id, "newer words from tab one", version=1)  # tab 1 -> version 2
    before = snapshot(usage_id)

    stale = save(wb, usage_id, "tab two never saw the newer text", version=1)
    assert stale.status == 409
    assert stale.json["error"]["code"] == "version_conflict"
    assert stale.json["error"]["details"] == {"version": 2, "text": "newer words from tab one"}
    # A second tab that started before the entry existed is refused the same way.
    assert save(wb, usage_id, "tab two's first text", version=0).json["error"]["details"]["version"] == 2
    assert snapshot(usage_id) == before

    # Loading the newer version and saving from it works.
    assert save(wb, usage_id, "merged text", version=2).json["version"] == 3


def test_draft_may_break_word_limits_but_not_the_size_cap(wb, settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"JOURNAL_MAX_CHARS": 40}}
    usage_id = wb.load(journal_xml(min_words=10, max_words=12))
    assert save(wb, usage_id, "two words").status == 200
    too_long = save(wb, usage_id, "x" * 41, version=1)
    assert (too_long.status, too_long.error_code) == (400, "too_long")
    assert row(usage_id).draft == "two words"


def test_unknown_prompt_is_refused(wb):
    usage_id = wb.load(journal_xml(prompts=["<p>Only one</p>"]))
    result = save(wb, usage_id, "text", prompt=1)
    assert (result.status, result.error_code) == (400, "unknown_prompt")
    assert not JournalEntry.objects.exists()


HOSTILE_BODIES = [
    b'{"prompt": 0, "text": "\\ud800 lone surrogate", "version": 0}',
    b'{"prompt": 0, "text": "x", "version": 1e400}',
    b'{"prompt": 0, "text": "x", "version": -1}',
    b'{"prompt": 99999999999999999999999, "text": "x", "version": 0}',
    b'{"prompt": 0, "text": ["x"], "version": 0}',
    b'{"prompt": 0, "text": {"__proto__": "x"}, "version": 0}',
    b'{"prompt": null, "text": "x", "version": 0}',
    b'{"prompt": 0, "text": "x", "version": 0, "user_id": "learner_b"}',
    b'[{"prompt": 0, "text": "x", "version": 0}]',
    b'{"prompt": 0, "text": "x", "version": 0',
    b"\x00\x01\x02",
    b"",
]


@pytest.mark.parametrize("handler", ["save_draft", "submit_entry"])
@pytest.mark.parametrize("raw", HOSTILE_BODIES)
def test_hostile_bodies_get_a_4xx_json_error_and_change_nothing(wb, handler, raw):
    usage_id = wb.load(journal_xml())
    save(wb, usage_id, "Kept as it is.")
    before = snapshot(usage_id)
    result = wb.call(usage_id, handler, raw=raw)
    assert 400 <= result.status < 500, result.text
    assert set(result.json["error"]) >= {"code", "message"}
    assert snapshot(usage_id) == before
    assert wb.events == []


# Submitting and revising ------------------------------------------------------------------

def test_submission_must_meet_the_word_limits(wb):
    usage_id = wb.load(journal_xml(min_words=3, max_words=5))
    short = submit(wb, usage_id, words(2))
    assert (short.status, short.error_code) == (400, "too_few_words")
    assert sorted(re.findall(r"\d+", short.json["error"]["message"])) == ["2", "3"]  # their count, the minimum
    long = submit(wb, usage_id, words(6))
    assert (long.status, long.error_code) == (400, "too_many_words")
    assert sorted(re.findall(r"\d+", long.json["error"]["message"])) == ["5", "6"]
    assert not JournalEntry.objects.exists()

    accepted = submit(wb, usage_id, words(4))
    assert accepted.status == 200
    assert accepted.json["completed"] is True
    assert accepted.json["entry"]["submitted_text"] == words(4)
    assert accepted.json["entry"]["revision_count"] == 1


def test_refused_submission_keeps_the_saved_draft(wb):
    usage_id = wb.load(journal_xml(min_words=3))
    save(wb, usage_id, "my draft so far")
    assert submit(wb, usage_id, "too short", version=1).status == 400
    entry = row(usage_id)
    assert (entry.draft, entry.version, entry.submitted_at) == ("my draft so far", 1, None)


def test_every_revision_is_kept_dated_and_numbered(wb):
    usage_id = wb.load(journal_xml())
    texts = ["First try at planning.", "Second, after week two.", "Third: what actually worked."]
    version = 0
    for text in texts:
        result = submit(wb, usage_id, text, version=version)
        assert result.status == 200, result.text
        version = result.json["entry"]["version"]
    entry = row(usage_id)
    revisions = list(JournalRevision.objects.filter(entry=entry))
    assert [(r.number, r.text) for r in revisions] == list(enumerate(texts, start=1))
    assert all(r.submitted_at for r in revisions)
    assert revisions[0].submitted_at <= revisions[1].submitted_at <= revisions[2].submitted_at
    assert entry.first_submitted_at == revisions[0].submitted_at
    assert entry.submitted_at == revisions[2].submitted_at
    assert (entry.submitted_text, entry.revision_count) == (texts[2], 3)

    html = wb.render(usage_id)
    assert "Revisions: 3" in html and "(revision 3)" in html
    for text in texts:
        assert text in html


def test_revising_is_refused_when_the_journal_does_not_allow_it(wb):
    usage_id = wb.load(journal_xml(allow_revisions=False))
    assert submit(wb, usage_id, "My final reflection.").status == 200
    before = snapshot(usage_id)
    submitted_events = len(wb.events)

    again = submit(wb, usage_id, "Changed my mind.", version=1)
    assert (again.status, again.error_code) == (403, "revisions_closed")
    # Nor can the locked entry's draft be changed behind the learner's back.
    draft = save(wb, usage_id, "Changed my mind.", version=1)
    assert (draft.status, draft.error_code) == (403, "revisions_closed")
    assert snapshot(usage_id) == before
    assert len(wb.events) == submitted_events

    html = wb.render(usage_id)
    tag, text = textarea(html)
    assert "readonly" in tag and text == "My final reflection."
    assert re.search(r'<button type="button" class="bizmooc-button journal-submit"\s+disabled', html)
    assert "Once submitted, an entry cannot be changed." in html


def test_revising_is_allowed_by_default(wb):
    usage_id = wb.load(journal_xml())
    submit(wb, usage_id, "First.")
    assert save(wb, usage_id, "Second thoughts", version=1).status == 200
    assert submit(wb, usage_id, "Second thoughts.", version=2).json["entry"]["revision_count"] == 2


# Completion, grade and events -------------------------------------------------------------

def test_completion_and_grade_are_published_once_when_every_prompt_is_submitted(wb):
    usage_id = wb.load(journal_xml(prompts=["<p>One</p>", "<p>Two</p>"], graded=True, weight=3))
    block = wb.block(usage_id)
    assert block.has_score and block.max_score() == 1.0

    submit(wb, usage_id, "First answer.", prompt=0)
    assert event_types(wb) == ["bizmooc.reflection_journal.submitted"]
    result = submit(wb, usage_id, "Second answer.", prompt=1)
    assert result.json["completed"] is True
    assert event_types(wb)[1:] == ["bizmooc.reflection_journal.submitted", "completion", "grade"]
    completion, grade = wb.events[-2:]
    assert completion.data == {"completion": 1.0}
    assert grade.data == {"value": 1.0, "max_value": 1.0}
    assert completion.user_id == grade.user_id == LEARNER_A

    submit(wb, usage_id, "First answer, revised.", prompt=0, version=1)
    assert event_types(wb)[-1] == "bizmooc.reflection_journal.revised"
    assert event_types(wb).count("completion") == 1 and event_types(wb).count("grade") == 1
    assert wb.events[-1].data == {"prompt": 0, "revision": 2, "words": 3}


def test_each_learner_completes_for_themselves(wb):
    usage_id = wb.load(journal_xml(graded=True))
    submit(wb, usage_id, "Anna's answer.", user=LEARNER_A)
    submit(wb, usage_id, "Ben's answer.", user=LEARNER_B)
    assert [(e.user_id, e.type) for e in wb.events if e.type in ("completion", "grade")] == [
        (LEARNER_A, "completion"), (LEARNER_A, "grade"), (LEARNER_B, "completion"), (LEARNER_B, "grade")]


def test_ungraded_journal_completes_without_a_grade(wb):
    usage_id = wb.load(journal_xml(graded=False))
    block = wb.block(usage_id)
    assert not block.has_score and block.max_score() is None
    submit(wb, usage_id, "An answer.")
    assert "completion" in event_types(wb)
    assert "grade" not in event_types(wb)


def test_drafts_and_refusals_publish_nothing(wb):
    usage_id = wb.load(journal_xml(min_words=5))
    save(wb, usage_id, "a draft")
    submit(wb, usage_id, "too short", version=1)
    assert wb.events == []


def test_only_allow_listed_events_are_published(wb):
    usage_id = wb.load(journal_xml(graded=True))
    submit(wb, usage_id, "First.")
    submit(wb, usage_id, "Second.", version=1)
    get(wb, usage_id, "my_journal")
    get(wb, usage_id, "download_journal", query="format=markdown")
    get(wb, usage_id, "download_journal", query="format=html")
    get(wb, usage_id, "staff_summary", user=STAFF)
    get(wb, usage_id, "export_csv", user=STAFF)
    assert set(event_types(wb)) == EVENT_TYPES
    assert_the_browser_cannot_choose_an_event(wb, usage_id)


# Privacy between learners ---------------------------------------------------------------

def test_another_learner_never_sees_the_first_learners_entry(wb):
    usage_id = wb.load(journal_xml())
    secret = "Anna is worried about her manager"
    submit(wb, usage_id, secret, user=LEARNER_A)

    assert secret not in wb.render(usage_id, LEARNER_B)
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json == {"entries": [None]}
    assert get(wb, usage_id, "my_journal", user=LEARNER_B).json["entries"] == []
    for fmt in ("markdown", "html"):
        assert secret not in get(wb, usage_id, "download_journal", user=LEARNER_B, query=f"format={fmt}").text

    # Ben's first save starts his own entry; it neither conflicts with nor touches Anna's.
    assert save(wb, usage_id, "Ben's own words", user=LEARNER_B).json["version"] == 1
    assert row(usage_id, LEARNER_A).submitted_text == secret
    assert row(usage_id, LEARNER_B).draft == "Ben's own words"
    assert secret in wb.render(usage_id, LEARNER_A)


def test_lms_learners_are_kept_apart_by_anonymous_id(wb):
    usage_id = wb.load(journal_xml())
    submit(wb, usage_id, "first learner's text", user=lms_user("anon-aaa"))
    assert "first learner" not in wb.render(usage_id, lms_user("anon-bbb"))
    assert JournalEntry.objects.get().user_id == "anon-aaa"


# My journal and downloads ------------------------------------------------------------------

@pytest.fixture
def unit(wb):
    """A unit with two blocks of one journal around a block of another journal."""
    usage_id = wb.load(
        "<vertical_demo>"
        + journal_xml(display_name="Week 1: why this MOOC", journal_name="Portfolio", prompts=["<p>Why?</p>"])
        + journal_xml(display_name="Opportunity log", journal_name="Other log", prompts=["<p>What?</p>"])
        + journal_xml(display_name="Week 3: looking back", journal_name="Portfolio",
                      prompts=["<p>What <em>worked</em>?</p>", "<p>What next?</p>"])
        + "</vertical_demo>"
    )
    return wb.children(usage_id)


def test_my_journal_lists_the_journal_in_course_order(wb, unit):
    week1, other, week3 = unit
    # Written in a different order than the course's.
    submit(wb, week3, "Next I will plan weekly.", prompt=1)
    save(wb, week3, "Retrieval practice worked.", prompt=0)
    submit(wb, other, "Nobody owns onboarding.")
    submit(wb, week1, "To learn how to learn at work.")

    result = get(wb, week1, "my_journal")
    assert result.status == 200
    entries = result.json["entries"]
    assert [(e["unit_title"], e["prompt"], e["text"], e["is_this_block"]) for e in entries] == [
        ("Week 1: why this MOOC", "Why?", "To learn how to learn at work.", True),
        ("Week 3: looking back", "What worked?", "Retrieval practice worked.", False),
        ("Week 3: looking back", "What next?", "Next I will plan weekly.", False),
    ]
    assert entries[0]["submitted_at"] and entries[1]["submitted_at"] is None
    assert result.json["has_next"] is False
    assert "Nobody owns onboarding." not in result.text

    assert [e["text"] for e in get(wb, other, "my_journal").json["entries"]] == ["Nobody owns onboarding."]


def test_my_journal_is_paged(wb, unit, settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"STAFF_PAGE_SIZE": 2, "UNIT_URL_TEMPLATE": ""}}
    week1, _other, week3 = unit
    submit(wb, week1, "one")
    submit(wb, week3, "two", prompt=0)
    submit(wb, week3, "three", prompt=1)
    first = get(wb, week3, "my_journal", query="page=1").json
    second = get(wb, week3, "my_journal", query="page=2").json
    assert ([e["text"] for e in first["entries"]], first["has_next"]) == (["one", "two"], True)
    assert ([e["text"] for e in second["entries"]], second["has_next"]) == (["three"], False)
    assert get(wb, week3, "my_journal", query="page=0").status == 400


def test_markdown_download_holds_the_whole_journal(wb, unit):
    week1, other, week3 = unit
    submit(wb, week3, "Retrieval practice.", prompt=0)
    submit(wb, week1, "To learn at work.")
    submit(wb, other, "Not in this journal.")
    result = get(wb, week3, "download_journal", query="format=markdown")
    assert result.status == 200
    assert result.response.content_type == "text/markdown"
    assert result.response.headers["Content-Disposition"] == 'attachment; filename="journal.md"'
    text = result.text
    assert text.startswith("# Portfolio\n")
    assert text.index("## Week 1: why this MOOC") < text.index("To learn at work.") < \
        text.index("## Week 3: looking back") < text.index("> What worked?") < text.index("Retrieval practice.")
    assert "Not in this journal." not in text
    assert "> What next?" not in text  # never answered: no entry


def test_printable_page_escapes_entries(wb):
    usage_id = wb.load(journal_xml(journal_name="Portfolio"))
    submit(wb, usage_id, "<script>alert('x')</script> I <b>loved</b> it")
    result = get(wb, usage_id, "download_journal", query="format=html")
    assert result.status == 200 and result.response.content_type == "text/html"
    html = result.text
    assert "<title>Portfolio</title>" in html
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; I &lt;b&gt;loved&lt;/b&gt; it" in html


def test_printable_page_writes_dates_in_the_printable_pages_one_format(wb):
    """No script runs there: the submission date is dates.printed_time's, in the page's language."""
    usage_id = wb.load(journal_xml(journal_name="Portfolio"))
    submit(wb, usage_id, "Retrieval practice.")
    submitted_at = JournalEntry.objects.get().submitted_at
    with translation.override("en"):
        expected = printed_time(submitted_at)
    assert expected.endswith(" UTC") and str(submitted_at.year) in expected
    assert f"Submitted {expected}" in get(wb, usage_id, "download_journal", query="format=html").text


def test_download_format_is_checked(wb):
    usage_id = wb.load(journal_xml())
    result = get(wb, usage_id, "download_journal", query="format=pdf")
    assert (result.status, result.error_code) == (400, "invalid_choice")
    assert get(wb, usage_id, "download_journal").error_code == "missing_field"


# Staff -------------------------------------------------------------------------------------

@pytest.mark.parametrize("handler", ["staff_summary", "export_csv"])
def test_staff_handlers_are_refused_to_learners_and_visitors(wb, handler):
    usage_id = wb.load(journal_xml())
    submit(wb, usage_id, "Private enough.")
    learner = get(wb, usage_id, handler, user=LEARNER_A)
    assert (learner.status, learner.error_code) == (403, "forbidden")
    assert "Private enough." not in learner.text
    assert get(wb, usage_id, handler, user=lms_user("anon-x")).status == 403
    assert get(wb, usage_id, handler, user=LMS_ANONYMOUS).error_code == "not_signed_in"


def _class_of_three(wb, **settings):
    usage_id = wb.load(journal_xml(prompts=["<p>One</p>", "<p>Two</p>"], **settings))
    submit(wb, usage_id, "Anna on one.", user="anna")
    submit(wb, usage_id, "Anna on two.", user="anna", prompt=1)
    submit(wb, usage_id, "Ben on one.", user="ben")
    save(wb, usage_id, "Carla's unsent draft", user="carla")
    return usage_id


def test_staff_summary_counts_and_shows_entries_when_allowed(wb):
    usage_id = _class_of_three(wb, staff_can_read=True)
    result = get(wb, usage_id, "staff_summary", user=STAFF)
    assert result.status == 200
    assert result.json["figures"] == {"wrote": 3, "submitted": 2, "entries": 3, "with_feedback": 0}
    assert result.json["staff_can_read"] is True
    texts = sorted(entry["text"] for entry in result.json["entries"])
    assert texts == ["Anna on one.", "Anna on two.", "Ben on one."]
    assert "Carla's unsent draft" not in result.text
    assert {entry["learner"] for entry in result.json["entries"]} == {"anna", "ben"}


def test_staff_sees_only_figures_when_entries_are_private(wb):
    usage_id = _class_of_three(wb, staff_can_read=False)
    result = get(wb, usage_id, "staff_summary", user=STAFF)
    assert result.json["figures"] == {"wrote": 3, "submitted": 2, "entries": 3, "with_feedback": 0}
    assert "entries" not in result.json
    for text in ("Anna on one.", "Ben on one.", "Carla"):
        assert text not in result.text
    assert "course staff see only whether you wrote" in wb.render(usage_id, "anna")


def test_learners_are_told_whether_staff_may_read_before_they_write(wb):
    readable = wb.load(journal_xml(staff_can_read=True))
    assert "Course staff can read the entries you submit here." in wb.render(readable)


def _csv(result):
    assert result.status == 200, result.text
    assert result.response.content_type == "text/csv"
    assert result.response.headers["Content-Disposition"] == 'attachment; filename="journal-entries.csv"'
    return result.csv_dicts


def test_csv_export_has_every_entry_and_is_safe_in_spreadsheets(wb):
    usage_id = _class_of_three(wb, staff_can_read=True)
    submit(wb, usage_id, "=HYPERLINK(\"http://evil.example\", \"click\") please", user="dora")
    rows = _csv(get(wb, usage_id, "export_csv", user=STAFF))
    assert [(r["learner"], r["prompt_index"], r["status"], r["answer"]) for r in rows] == [
        ("anna", "0", "submitted", "Anna on one."),
        ("anna", "1", "submitted", "Anna on two."),
        ("ben", "0", "submitted", "Ben on one."),
        ("carla", "0", "draft", ""),  # a draft was never submitted: staff never see its text
        ("dora", "0", "submitted", "'=HYPERLINK(\"http://evil.example\", \"click\") please"),
    ]
    assert rows[0]["prompt"] == "One" and rows[0]["words"] == "3" and rows[0]["revisions"] == "1"
    assert rows[0]["submitted_at"] and rows[3]["submitted_at"] == ""


def test_csv_export_has_no_answers_when_entries_are_private(wb):
    usage_id = _class_of_three(wb, staff_can_read=False)
    result = get(wb, usage_id, "export_csv", user=STAFF)
    rows = _csv(result)
    assert len(rows) == 4
    assert {r["answer"] for r in rows} == {""}
    for text in ("Anna on", "Ben on", "Carla's"):
        assert text not in result.text


def test_generate_report_data_gives_one_row_per_entry(wb):
    usage_id = _class_of_three(wb, staff_can_read=True)
    block = wb.block(usage_id, STAFF)
    # As Open edX's user_state_iterator gives them: username and the learner's user state.
    states = [SimpleNamespace(username=name.title(), state={"learner_id": wb.block(usage_id, name).learner_id})
              for name in ("anna", "ben", "carla")]
    rows = list(block.generate_report_data(iter(states)))
    assert [(username, data["Prompt"], data["Answer"]) for username, data in rows] == [
        ("Anna", "One", "Anna on one."), ("Anna", "Two", "Anna on two."), ("Ben", "One", "Ben on one."),
    ]
    assert rows[0][1]["Journal"] == "My learning journal"
    assert rows[0][1]["Words"] == 3 and rows[0][1]["Revisions"] == 1 and rows[0][1]["Submitted at"]
    assert len(list(block.generate_report_data(iter(states), limit_responses=2))) == 2


def test_generate_report_data_hides_answers_when_entries_are_private(wb):
    usage_id = _class_of_three(wb, staff_can_read=False)
    block = wb.block(usage_id, STAFF)
    states = [SimpleNamespace(username="Anna", state={"journal_owner": "anna"})]
    rows = list(block.generate_report_data(states))
    assert len(rows) == 2 and {data["Answer"] for _, data in rows} == {""}


def test_staff_get_the_staff_panel_and_learners_do_not(wb):
    usage_id = wb.load(journal_xml())
    assert "Download all entries (CSV)" in wb.render(usage_id, STAFF)
    assert "Download all entries (CSV)" not in wb.render(usage_id, LEARNER_A)


# Studio ------------------------------------------------------------------------------------

def test_studio_saves_settings(wb):
    usage_id = wb.load(journal_xml())
    result = wb.call(usage_id, "studio_submit", SETTINGS, user=STUDIO_STAFF)
    assert result.status == 200 and result.json == {"saved": True}
    block = wb.block(usage_id, LEARNER_A)
    for name, value in SETTINGS.items():
        assert getattr(block, name) == value, name


def test_studio_cleans_course_team_html(wb):
    usage_id = wb.load(journal_xml())
    body = dict(SETTINGS, prompts=['<p onclick="steal()">What <em>worked</em>?<script>alert(1)</script></p>'],
                guidance='<p style="display:none">Hidden</p><iframe src="https://evil.example"></iframe>',
                example_entry='<a href="javascript:alert(1)">Example</a>')
    assert wb.call(usage_id, "studio_submit", body, user=STUDIO_STAFF).status == 200
    block = wb.block(usage_id)
    assert block.prompts == ["<p>What <em>worked</em>?</p>"]
    assert block.guidance == "<p>Hidden</p>"
    assert block.example_entry == '<a rel="noopener noreferrer">Example</a>'


@pytest.mark.parametrize("changes, field, message", [
    ({"min_words": 50, "max_words": 20}, "max_words", "The maximum number of words must not be below the minimum."),
    ({"journal_name": "  "}, "journal_name", "Give the journal a name: blocks with the same name form one journal."),
    ({"prompts": ["<p></p>"]}, "prompts", "Add at least one prompt for learners to answer."),
])
def test_studio_refuses_impossible_settings_and_names_the_field(wb, changes, field, message):
    usage_id = wb.load(journal_xml())
    result = wb.call(usage_id, "studio_submit", dict(SETTINGS, **changes), user=STUDIO_STAFF)
    assert result.status == 400
    assert result.json["error"] == {"code": "invalid_settings", "message": message, "field": field,
                                    "fields": [{"field": field, "message": message}]}
    block = wb.block(usage_id)
    assert (block.display_name, block.min_words, block.max_words) == ("Reflection journal", 0, 0)


@pytest.mark.parametrize("body, code", [
    ({k: v for k, v in SETTINGS.items() if k != "weight"}, "missing_field"),
    (dict(SETTINGS, min_words="5"), "invalid_type"),
    (dict(SETTINGS, graded="yes"), "invalid_type"),
    (dict(SETTINGS, prompts=["<p>q</p>"] * 11), "invalid_length"),
    (dict(SETTINGS, has_score=True), "unknown_field"),
])
def test_studio_refuses_malformed_settings(wb, body, code):
    usage_id = wb.load(journal_xml())
    result = wb.call(usage_id, "studio_submit", body, user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, code)
    assert wb.block(usage_id).display_name == "Reflection journal"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_studio_refuses_a_weight_that_is_no_number_and_saves_nothing(wb, literal):
    # Python's json reads NaN; every range check lets it through and the runtime could not save it (500).
    usage_id = wb.load(journal_xml())
    body = json.dumps(dict(SETTINGS, weight=0.123456789)).replace("0.123456789", literal).encode("utf-8")
    result = wb.call(usage_id, "studio_submit", raw=body, user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, "invalid_json")
    block = wb.block(usage_id)
    assert (block.display_name, block.weight) == ("Reflection journal", 1.0)


def test_learners_cannot_change_settings(wb):
    usage_id = wb.load(journal_xml())
    result = wb.call(usage_id, "studio_submit", SETTINGS, user=LEARNER_A)
    assert (result.status, result.error_code) == (403, "forbidden")
    assert wb.block(usage_id).journal_name == "My learning journal"


def test_validate_explains_impossible_imported_settings(wb):
    broken = wb.block(wb.load(journal_xml(journal_name="", min_words=100, max_words=10, weight=-1)))
    messages = [message.text for message in broken.validate().messages]
    assert messages == [
        "Give the journal a name: blocks with the same name form one journal.",
        "The maximum number of words must not be below the minimum.",
        "The weight cannot be negative.",
    ]
    assert all(message.type == "error" for message in broken.validate().messages)
    assert wb.block(wb.load(journal_xml(min_words=10, max_words=100))).validate().empty


def test_studio_and_author_views_show_the_settings(wb):
    usage_id = wb.load(journal_xml(journal_name="Portfolio", prompts=["<p>Why <em>now</em>?</p>"],
                                   min_words=40, allow_revisions=False))
    studio = wb.render(usage_id, STAFF, "studio_view")
    assert 'value="Portfolio"' in studio and "&lt;p&gt;Why &lt;em&gt;now&lt;/em&gt;?&lt;/p&gt;" in studio
    revisions = re.search(r'<input type="checkbox" id="bz[0-9a-f]{10}-allow-revisions"[^>]*>', studio).group(0)
    staff_can_read = re.search(r'<input type="checkbox" id="bz[0-9a-f]{10}-staff-can-read"[^>]*>', studio).group(0)
    assert " checked" not in revisions and " checked" in staff_can_read
    author = wb.render(usage_id, STAFF, "author_view")
    assert "<p>Why <em>now</em>?</p>" in author and "at least 40" in author and "not allowed" in author


# Mobile ------------------------------------------------------------------------------------

def test_student_view_data_describes_the_block_without_learner_data(wb):
    usage_id = wb.load(journal_xml(display_name="Week 1", journal_name="Portfolio",
                                   prompts=['<p onmouseover="x()">Why?</p><script>x()</script>'],
                                   guidance="<p>Be honest.</p>", min_words=40, max_words=400,
                                   allow_revisions=False, staff_can_read=False, graded=True))
    submit(wb, usage_id, words(45, "secret"))
    data = wb.block(usage_id).student_view_data()
    assert data == {
        "display_name": "Week 1", "journal_name": "Portfolio", "prompts": ["<p>Why?</p>"],
        "guidance": "<p>Be honest.</p>", "example_entry": "", "min_words": 40, "max_words": 400,
        "allow_revisions": False, "staff_can_read": False, "graded": True,
    }


def test_multi_device_support_is_declared(wb):
    block = wb.block(wb.load(journal_xml()))
    assert block.has_support(block.student_view, "multi_device")


def test_student_view_user_state_lists_the_learners_entries_per_prompt(wb):
    usage_id = wb.load(journal_xml(prompts=["<p>One</p>", "<p>Two</p>", "<p>Three</p>"]))
    save(wb, usage_id, "draft of two", prompt=1)
    submit(wb, usage_id, "answer to three", prompt=2)
    result = get(wb, usage_id, "student_view_user_state")
    entries = result.json["entries"]
    assert entries[0] is None
    assert (entries[1]["draft"], entries[1]["submitted_at"]) == ("draft of two", None)
    assert (entries[2]["submitted_text"], entries[2]["revision_count"]) == ("answer to three", 1)
    assert wb.call(usage_id, "student_view_user_state", {}).status == 405


# Escaping and signed-out visitors -----------------------------------------------------------

def test_entries_with_html_or_script_render_as_text(wb):
    usage_id = wb.load(journal_xml())
    nasty = "</textarea></script><script>alert('x')</script><img src=x onerror=alert(1)>"
    submit(wb, usage_id, nasty + " first")
    submit(wb, usage_id, nasty + " second", version=1)
    html = wb.render(usage_id)  # the page's HTML, including the runtime's JSON arguments
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert html.count("</textarea>") == 1
    escaped = "&lt;/textarea&gt;&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert escaped + "&lt;img src=x onerror=alert(1)&gt; second</textarea>" in html
    assert html.count(escaped) == 3  # the textarea and both revisions
    # The page's JSON arguments stay one well-formed script element.
    args = re.findall(r'<script type="json/xblock-args"[^>]*>(.*?)</script>', html, re.S)
    assert len(args) == 1 and "alert" not in args[0]


def test_signed_out_visitor_gets_the_signed_out_view_and_403s(wb):
    usage_id = wb.load(journal_xml())
    html = wb.render(usage_id, LMS_ANONYMOUS)
    assert "Sign in and enrol to keep a reflection journal." in html
    assert "<textarea" not in html
    calls = [
        ("save_draft", "POST", {"prompt": 0, "text": "x", "version": 0}),
        ("submit_entry", "POST", {"prompt": 0, "text": "x", "version": 0}),
        ("my_journal", "GET", None),
        ("download_journal", "GET", None),
        ("student_view_user_state", "GET", None),
        ("staff_summary", "GET", None),
        ("export_csv", "GET", None),
    ]
    for handler, method, body in calls:
        result = wb.call(usage_id, handler, body, user=LMS_ANONYMOUS, method=method,
                         query="format=markdown" if handler == "download_journal" else "")
        assert (result.status, result.error_code) == (403, "not_signed_in"), handler
    assert not JournalEntry.objects.exists()
    assert wb.events == []


@pytest.mark.parametrize("title, xml", ReflectionJournalBlock.workbench_scenarios())
def test_every_demo_scenario_works_for_a_learner(wb, title, xml):
    root = wb.load(xml)
    blocks = wb.children(root) if xml.startswith("<vertical_demo") else [root]
    for usage_id in blocks:
        block = wb.block(usage_id)
        assert block.display_name in wb.render(usage_id)
        text = words(max(block.min_words, 1))
        for prompt in range(len(block.prompts)):
            result = submit(wb, usage_id, text, prompt=prompt)
            assert result.status == 200, (title, result.text)
        assert get(wb, usage_id, "my_journal").status == 200
