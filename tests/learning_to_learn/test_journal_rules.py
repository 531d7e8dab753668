"""The journal's rules without XBlock or database: what course teams may configure,
what learners may submit, and how the journal is written out as Markdown."""
import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from xblocks.common.errors import ApiError
from xblocks.common.text import plain_text
from xblocks.learning_to_learn.journal import (
    JournalConfig,
    check_draft,
    check_submission,
    journal_markdown,
)
from xblocks.learning_to_learn.journal_settings import SETTINGS

GOOD = {name: setting.default for name, setting in SETTINGS.settings.items()}
GOOD.update({"journal_name": "Learning to learn: my journal", "prompts": ["<p>What did you learn?</p>"],
             "min_words": 10, "max_words": 200, "weight": 1.0})


def problems(**changes):
    """(field, message) of every problem the settings schema finds, as a save reports them."""
    _clean, found = SETTINGS.check(dict(GOOD, **changes))
    return [(problem.field, problem.message.format(**problem.params)) for problem in found]


def test_sensible_settings_have_no_problems():
    assert problems() == []
    assert problems(min_words=0, max_words=0, weight=0) == []
    assert problems(min_words=50, max_words=50) == []


@pytest.mark.parametrize("changes, field, message", [
    ({"journal_name": "   "}, "journal_name", "Give the journal a name: blocks with the same name form one journal."),
    ({"journal_name": "x" * 101}, "journal_name", "The journal name must be at most 100 characters."),
    ({"prompts": []}, "prompts", "Add at least one prompt for learners to answer."),
    ({"prompts": ["<p> </p>", "<br>"]}, "prompts", "Add at least one prompt for learners to answer."),
    ({"prompts": ["<p>Fine</p>", "<p><script>x</script></p>"]}, "prompts",
     "Remove the empty prompt or write its text."),
    ({"prompts": ["<p>Q</p>"] * 11}, "prompts", "Too many prompts for one journal block (maximum: 10)."),
    ({"min_words": -1}, "min_words", "Word limits cannot be negative."),
    ({"max_words": -5}, "max_words", "Word limits cannot be negative."),
    ({"min_words": 300, "max_words": 200}, "max_words", "The maximum number of words must not be below the minimum."),
    ({"max_words": 5001}, "max_words", "On this site, word limits cannot exceed 5000."),
    ({"min_words": 6000, "max_words": 0}, "min_words", "On this site, word limits cannot exceed 5000."),
    ({"weight": -1}, "weight", "The weight cannot be negative."),
])
def test_impossible_settings_are_explained(changes, field, message):
    assert (field, message) in problems(**changes)


def test_every_problem_is_reported_at_once():
    found = problems(journal_name="", prompts=[], min_words=10, max_words=5, weight=-2)
    assert [field for field, _ in found] == ["journal_name", "prompts", "max_words", "weight"]


def test_limits_follow_operator_settings(settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"JOURNAL_MAX_PROMPTS": 2, "JOURNAL_MAX_WORDS_CEILING": 100}}
    assert ("prompts", "Too many prompts for one journal block (maximum: 2).") in problems(prompts=["<p>Q</p>"] * 3)
    assert ("max_words", "On this site, word limits cannot exceed 100.") in problems(max_words=150)


def words(count):
    return " ".join(["word"] * count)


def refused(config, text):
    """(code, message) of a refused submission, the message reduced to the numbers it tells the learner."""
    with pytest.raises(ApiError) as caught:
        check_submission(config, text)
    assert caught.value.status == 400 and caught.value.field == "text"
    message = caught.value.as_json()["error"]["message"]
    return caught.value.code, sorted(int(number) for number in re.findall(r"\d+", message)) or message


def test_submission_within_limits_passes():
    config = JournalConfig(prompts=("q",), min_words=3, max_words=5)
    for count in (3, 4, 5):
        check_submission(config, words(count))


def test_submission_word_limits():
    config = JournalConfig(prompts=("q",), min_words=3, max_words=5)
    # The message tells the learner their count and the limit.
    assert refused(config, words(2)) == ("too_few_words", [2, 3])
    assert refused(config, words(6)) == ("too_many_words", [5, 6])
    assert refused(config, "   \n ") == ("empty", "Write your reflection before submitting.")
    assert refused(config, "!!! ...") == ("empty", "Write your reflection before submitting.")


def test_no_minimum_still_needs_some_text_and_no_maximum_means_the_ceiling(settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"JOURNAL_MAX_WORDS_CEILING": 20}}
    config = JournalConfig(prompts=("q",), min_words=0, max_words=0)
    check_submission(config, "One.")
    check_submission(config, words(20))
    assert refused(config, words(21)) == ("too_many_words", [20, 21])
    # A course maximum above the operator's ceiling is capped by it.
    assert JournalConfig(prompts=("q",), max_words=50).effective_max_words == 20
    assert JournalConfig(prompts=("q",), max_words=10).effective_max_words == 10


def test_drafts_may_break_word_limits_but_not_the_size_cap(settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"JOURNAL_MAX_CHARS": 100}}
    check_draft("")
    check_draft("x" * 100)
    with pytest.raises(ApiError) as caught:
        check_draft("x" * 101)
    assert caught.value.code == "too_long"
    config = JournalConfig(prompts=("q",), min_words=0, max_words=0)
    with pytest.raises(ApiError):
        check_submission(config, "word " * 30)  # 150 characters: over the cap, whatever the word count


def test_plain_text_of_course_html():
    assert plain_text("<p>Think about <em>why</em>\n you   enrolled.</p><script>x()</script>") == \
        "Think about why you enrolled."


def entry(title, prompt, submitted="", draft="", when=None):
    return SimpleNamespace(unit_title=title, prompt_text=prompt, submitted_text=submitted, draft=draft,
                           submitted_at=when)


def test_journal_markdown_lists_entries_in_the_given_order():
    entries = [
        entry("Week 1", "Why did you enrol?\nBe concrete.", submitted="To plan my learning.",
              when=datetime(2024, 3, 5, 14, 0, tzinfo=timezone.utc)),
        entry("Week 2", "What worked?", draft="  Spaced repetition.  "),
        entry("", "", draft=""),
    ]
    assert journal_markdown("My journal", entries, lambda text: text) == "\n".join([
        "# My journal", "",
        "## Week 1", "", "> Why did you enrol?", "> Be concrete.", "", "To plan my learning.", "",
        "*Submitted 2024-03-05*", "",
        "## Week 2", "", "> What worked?", "", "Spaced repetition.", "", "*Draft, not submitted*", "",
        "## Journal entry", "", "(no answer yet)", "", "*Draft, not submitted*", "",
    ])


def test_journal_markdown_prefers_the_submitted_text_and_translates_labels():
    german = {"Submitted {date}": "Eingereicht am {date}", "Journal entry": "Tagebucheintrag"}
    text = journal_markdown("Tagebuch", [entry("", "", submitted="Eingereicht", draft="Neuer Entwurf",
                                               when=datetime(2024, 1, 2, tzinfo=timezone.utc))],
                            lambda s: german.get(s, s))
    assert "Eingereicht" in text and "Neuer Entwurf" not in text
    assert "## Tagebucheintrag" in text and "*Eingereicht am 2024-01-02*" in text
