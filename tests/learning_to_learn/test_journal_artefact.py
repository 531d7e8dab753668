"""A journal entry as a peer-review artefact: the prompt and the learner's answer (the one
last submitted, or the draft of an entry never submitted), read-only and without its author;
what a learner picks from (their own entries in the course, newest first, labelled from the
entry alone); who wrote one. Found by public ids only; unknown or malformed ids find nothing."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import LEARNER_A, LEARNER_B
from tests.learning_to_learn.journal_helpers import journal_xml, row, save, submit
from xblocks.common import artefacts
from xblocks.learning_to_learn import artefact, journal_store
from xblocks.learning_to_learn.models import JournalEntry

COURSE = "course-v1:BizMOOC+L2L+2026"
OTHER_COURSE = "course-v1:BizMOOC+L2L+2027"
AUTHOR = "3f9c0d2e6b1a4c8d9e7f0a1b2c3d4e5f"  # an anonymous user id, as Open edX makes them
DAY = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.timezone.utc)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
PROMPT = "What surprised you about how you learn?"


def identity(text):
    return text


def place(user=AUTHOR, course=COURSE, block="week1", unit_title="Week 1: How do I learn?"):
    return journal_store.Place(course_id=course, journal_name="My learning journal",
                               usage_id=f"block-v1:{course}+type@bizmooc_reflection_journal+block@{block}",
                               user_id=user, position=f"0001/{block}", unit_title=unit_title)


def entry(text, user=AUTHOR, course=COURSE, block="week1", prompt=PROMPT, submitted=True, when=DAY,
          unit_title="Week 1: How do I learn?"):
    """An entry written (and submitted) on `when`."""
    where = place(user, course, block, unit_title)
    if submitted:
        made, _first = journal_store.submit(where, 0, prompt, text, 0, allow_revisions=True)
    else:
        made = journal_store.save_draft(where, 0, prompt, text, 0)
    JournalEntry.objects.filter(pk=made.pk).update(modified=when, **({"submitted_at": when} if submitted else {}))
    made.refresh_from_db()
    return made


def choices(user=AUTHOR, course=COURSE, gettext=identity):
    return artefacts.artefact_choices("journal", course, user, gettext)


def render(artefact_id, gettext=identity):
    return artefacts.render_artefact("journal", artefact_id, gettext)


@pytest.mark.django_db
def test_every_entry_gets_its_own_public_id():
    first, second = entry("One"), entry("Two", block="week2")
    assert first.public_id and second.public_id and first.public_id != second.public_id
    assert "journal" in artefacts.artefact_kinds()


@pytest.mark.django_db
def test_the_rendering_shows_the_prompt_and_the_answer_escaped_and_no_author():
    written = entry(f"I learn by doing.\n{HOSTILE}", user=AUTHOR)
    html = render(str(written.public_id))
    assert PROMPT in html and "I learn by doing.<br>" in html and "Week 1: How do I learn?" in html
    assert HOSTILE_ESCAPED in html and "<script>" not in html and "<img" not in html
    assert AUTHOR not in html


@pytest.mark.django_db
def test_the_rendering_is_in_the_readers_language():
    html = render(str(entry("Reading aloud helps.").public_id), gettext=str.upper)
    assert "PROMPT" in html and "ANSWER" in html
    assert PROMPT in html and "Reading aloud helps." in html  # course team's and learner's text untouched


@pytest.mark.django_db
def test_the_artefact_is_the_submitted_answer_not_a_later_draft():
    written = entry("Submitted for review")
    journal_store.save_draft(place(), 0, PROMPT, "Still rewriting this", written.version)
    html = render(str(written.public_id))
    assert "Submitted for review" in html and "Still rewriting this" not in html
    assert artefacts.artefact_summary("journal", str(written.public_id)) == f"{PROMPT}\n\nSubmitted for review"


@pytest.mark.django_db
def test_an_entry_never_submitted_shows_its_draft():
    drafted = entry("Half a thought", submitted=False)
    assert "Half a thought" in render(str(drafted.public_id))
    assert artefacts.artefact_summary("journal", drafted.public_id) == f"{PROMPT}\n\nHalf a thought"


@pytest.mark.django_db
def test_the_summary_is_plain_text():
    written = entry(HOSTILE, prompt="")
    assert artefacts.artefact_summary("journal", str(written.public_id)) == HOSTILE


@pytest.mark.django_db
def test_choices_are_the_learners_entries_with_text_newest_first():
    old = entry("Old", block="week1", when=DAY)
    draft = entry("Draft", block="week3", submitted=False, when=DAY + datetime.timedelta(days=2),
                  prompt="A prompt long enough to be cut short in a list, because nobody reads a whole paragraph "
                         "in a drop-down menu.")
    new = entry("New", block="week2", when=DAY + datetime.timedelta(days=1), unit_title="")
    entry("", block="week4", submitted=False, when=DAY + datetime.timedelta(days=3))  # nothing written yet

    assert choices() == [
        {"id": str(draft.public_id), "label": "Week 1: How do I learn?: A prompt long enough to be cut short in a "
                                              "list, because nobody reads a whole… — draft, 2026-11-04"},
        {"id": str(new.public_id), "label": f"{PROMPT} — submitted 2026-11-03"},
        {"id": str(old.public_id), "label": f"Week 1: How do I learn?: {PROMPT} — submitted 2026-11-02"},
    ]


@pytest.mark.django_db
def test_choice_labels_are_translated_and_never_empty():
    entry("Text", prompt="", unit_title="")
    [choice] = choices(gettext=lambda text: f"«{text}»")
    assert choice["label"] == "«{entry} — submitted {date}»".format(entry="«Journal entry»", date="2026-11-02")


@pytest.mark.django_db
def test_choices_are_only_the_callers_own_in_that_course():
    mine = entry("Mine")
    entry("Someone else's", user=LEARNER_B)
    entry("Another course", course=OTHER_COURSE)
    assert [choice["id"] for choice in choices()] == [str(mine.public_id)]
    assert choices(user="someone-who-wrote-nothing") == []
    assert choices(course="course-v1:No+Such+Course") == []
    assert choices(user="") == [] and choices(user=None) == [] and choices(course=None) == []


@pytest.mark.django_db
def test_choices_stop_at_the_newest_fifty():
    made = [entry(f"Entry {n}", block=f"b{n}", when=DAY + datetime.timedelta(hours=n)) for n in range(52)]
    found = choices()
    assert len(found) == artefact.MAX_CHOICES == 50
    assert found[0]["id"] == str(made[-1].public_id)
    assert str(made[0].public_id) not in {choice["id"] for choice in found}


@pytest.mark.django_db
def test_owner_is_the_course_and_the_learner():
    mine = entry("Mine")
    entry("Theirs", user=LEARNER_B)
    assert artefacts.artefact_owner("journal", str(mine.public_id)) == (COURSE, AUTHOR)
    assert artefacts.artefact_owner("journal", mine.public_id) == (COURSE, AUTHOR)


@pytest.mark.django_db
@pytest.mark.parametrize("artefact_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "", None, 42,
                                         "'; DROP TABLE x; --", AUTHOR + "0", AUTHOR])
def test_an_unknown_malformed_or_anonymous_user_id_finds_nothing(artefact_id):
    entry("Text")
    assert artefacts.artefact_owner("journal", artefact_id) is None
    assert render(artefact_id) is None
    assert artefacts.artefact_summary("journal", artefact_id) is None


def test_an_entry_written_in_the_block_is_a_choice_a_reviewer_can_read(wb):
    """Through the block: the prompt the learner answered is stored with the entry, so the
    choice and the rendering need no block."""
    usage_id = wb.load(journal_xml(prompts=["<p>Which <em>habit</em> helped you most?</p>"]))
    assert submit(wb, usage_id, f"Daily notes. {HOSTILE}").status == 200
    stored = row(usage_id)
    assert save(wb, usage_id, "Unrelated draft", user=LEARNER_B).status == 200

    [choice] = choices(user=LEARNER_A, course=stored.course_id)
    assert "Which habit helped you most?" in choice["label"] and "— submitted" in choice["label"]
    assert artefacts.artefact_owner("journal", choice["id"]) == (stored.course_id, LEARNER_A)
    html = render(choice["id"])
    assert "Which habit helped you most?" in html and "Daily notes." in html and HOSTILE_ESCAPED in html
    assert "<em>" not in html and LEARNER_A not in html


@pytest.mark.django_db
@pytest.mark.parametrize("call", ["choices", "owner", "render", "summary"])
def test_each_call_takes_one_query_whatever_the_number_of_entries(call):
    def measure(count):
        JournalEntry.objects.all().delete()
        made = [entry(f"Entry {n}", block=f"b{n}", when=DAY + datetime.timedelta(hours=n)) for n in range(count)]
        for learner in range(count):
            entry("Other", user=f"other-{learner}")
        target = str(made[-1].public_id)
        with CaptureQueriesContext(connection) as queries:
            if call == "choices":
                assert len(choices()) == count
            elif call == "owner":
                assert artefacts.artefact_owner("journal", target) == (COURSE, AUTHOR)
            elif call == "render":
                assert f"Entry {count - 1}" in render(target)
            else:
                assert artefacts.artefact_summary("journal", target).endswith(f"Entry {count - 1}")
        return len(queries)

    assert measure(1) == measure(30) == 1
