"""Workbench demo scenarios for the reflection journal, with content in the spirit of
the BizMOOC pilot "Learning to learn (through MOOCs)". Learners switch with `?student=`."""
import json
from xml.sax.saxutils import quoteattr


def _journal(display_name, prompts, **attributes):
    attrs = " ".join(f"{name}={quoteattr(str(value))}" for name, value in attributes.items())
    return (f'<bizmooc_reflection_journal display_name={quoteattr(display_name)} '
            f'prompts={quoteattr(json.dumps(prompts))} {attrs}/>')


WEEK_1 = _journal(
    "Week 1: Why am I taking this MOOC?",
    ["<p>Think about why you enrolled in <em>Learning to learn</em>. What do you want to be able to do "
     "at the end of the course, and how will you notice at work that you can do it?</p>"],
    journal_name="Learning to learn: my journal",
    guidance="<p>Write for yourself: be honest and concrete. Name a situation from your job or studies.</p>",
    example_entry="<p>I lead a small sales team and we keep missing product-training deadlines. I want to "
                  "learn how to plan my own learning in 20-minute slots so that I can show my team it works.</p>",
    min_words=40, max_words=400, graded="true", weight="1.0",
)

WEEK_2 = _journal(
    "Week 2: Planning my learning",
    ["<p>Which learning strategy from this week (spaced repetition, retrieval practice, planning with a "
     "learning diary) did you try?</p>",
     "<p>What worked, what did not, and what will you change next week?</p>"],
    journal_name="Learning to learn: my journal",
    min_words=30, max_words=300, allow_revisions="true",
)

PRIVATE = _journal(
    "Final reflection: my learning path",
    ["<p>Look back at your journal. Which habit of learning will you keep after this MOOC, and what "
     "support do you need from your employer or your peers to keep it?</p>"],
    journal_name="Learning to learn: my journal",
    staff_can_read="false", allow_revisions="false", min_words=50,
)

INTRAPRENEUR = _journal(
    "Opportunity log: what did I notice this week?",
    ["<p>Describe one problem you noticed in your organisation this week that nobody owns yet. "
     "Who suffers from it, and what would a first small experiment look like?</p>"],
    journal_name="Intrapreneurship opportunity log",
    max_words=250,
)

JOURNAL_SCENARIOS = [
    ("Reflection journal: week 1 (graded, with example)", WEEK_1),
    ("Reflection journal: two prompts, revisions allowed", WEEK_2),
    ("Reflection journal: private final reflection, no revisions", PRIVATE),
    ("Reflection journal: a course unit with three weeks of one journal",
     f'<vertical_demo>{WEEK_1}{WEEK_2}{PRIVATE}</vertical_demo>'),
    ("Reflection journal: intrapreneurship opportunity log (try ?student=learner_a and ?student=learner_b)",
     INTRAPRENEUR),
]
