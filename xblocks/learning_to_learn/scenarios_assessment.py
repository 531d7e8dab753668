"""Workbench demo scenarios for the competence self-assessment: EntreComp before and
after an intrapreneurship course, and LifeComp for "Learning to learn"."""
import json
from xml.sax.saxutils import quoteattr

# Feedback may name only competences of the block's framework (validate() warns otherwise).
ENTRECOMP_FEEDBACK = {
    "spotting_opportunities": [
        {"from": 1, "to": 3, "text": "Start an opportunity log: each week, note one problem a colleague or customer "
                                     "complains about and who would pay to have it solved.",
         "links": [{"label": "Week 2: spotting opportunities", "url": "/courses/"}]},
        {"from": 4, "to": 8, "text": "Test one of your opportunities with three potential users before you build "
                                     "anything.",
         "links": [{"label": "Lean experiments (Strategyzer)", "url": "https://www.strategyzer.com/"}]},
    ],
    "coping_uncertainty": [
        {"from": 1, "to": 4, "text": "Break a risky decision into small, cheap experiments: what is the smallest "
                                     "step that tells you whether you are right?"},
    ],
}
LIFECOMP_FEEDBACK = {
    "managing_learning": [
        {"from": 1, "to": 2, "text": "Plan two fixed 20-minute learning slots a week and log them in your journal."},
        {"from": 3, "to": 5, "text": "Review your learning plan every Friday: what worked, what will you change?"},
    ],
}


def _block(display_name, **attributes):
    attrs = " ".join(f"{name}={quoteattr(value if isinstance(value, str) else json.dumps(value))}"
                     for name, value in attributes.items())
    return f"<bizmooc_self_assessment display_name={quoteattr(display_name)} {attrs}/>"


BEFORE = _block(
    "EntreComp check: where do I stand? (before)", framework_choice="entrecomp",
    group_name="Intrapreneurship competences", phase="before", feedback=ENTRECOMP_FEEDBACK,
    instructions="<p>Rate yourself on each EntreComp competence as you are <strong>today</strong>, at work or "
                 "in your studies. You will repeat this check at the end of the course.</p>",
)
AFTER = _block(
    "EntreComp check: how did I grow? (after)", framework_choice="entrecomp",
    group_name="Intrapreneurship competences", phase="after", feedback=ENTRECOMP_FEEDBACK, show_cohort="true",
    cohort_min_learners="2", graded="true",
    instructions="<p>Six weeks later: rate yourself again and compare with your first check.</p>",
)
LIFECOMP = _block(
    "Learning to learn: LifeComp self-check", framework_choice="lifecomp",
    group_name="Learning to learn competences", phase="before", feedback=LIFECOMP_FEEDBACK, ask_evidence="false",
    allow_revisions="true",
)

ASSESSMENT_SCENARIOS = [
    ("Self-assessment: EntreComp, before the course", BEFORE),
    ("Self-assessment: EntreComp, after the course (compare; cohort from 2 learners; graded)", AFTER),
    ("Self-assessment: before and after in one unit (try ?student=learner_a and ?student=learner_b)",
     f'<vertical_demo>{BEFORE}{AFTER}</vertical_demo>'),
    ("Self-assessment: LifeComp for learning to learn", LIFECOMP),
]
