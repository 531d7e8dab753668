"""Workbench demo scenarios for peer review, in the spirit of the BizMOOC pilots. Learners
switch with `?student=` (try learner_a, learner_b and learner_c, and course_staff for the
staff dashboard)."""
import json
from xml.sax.saxutils import quoteattr

from .rubric import template


def _peer(display_name, **attributes):
    attrs = " ".join(f"{name}={quoteattr(value if isinstance(value, str) else json.dumps(value))}"
                     for name, value in attributes.items())
    return f"<bizmooc_peer_review display_name={quoteattr(display_name)} {attrs}/>"


ESSAY = _peer(
    "Week 1: an opportunity you noticed", submission_type="text", min_words=20, max_words=400,
    prompt="<p>Describe an opportunity you noticed at work or in your community: whose problem is it, and what "
           "could be done about it? Use at least 20 words.</p>",
    peer_enabled="true", reviews_to_give="2", reviews_needed="2", self_enabled="true", wait_days="2",
)

CANVAS_REVIEW = _peer(
    "Week 2: review each other's business model", submission_type="artefact", artefact_kind="canvas",
    rubric=template("business_model")[1].as_json(),
    prompt="<p>Submit the business model canvas you made above. Your peers see your canvas, never your name.</p>",
    reviews_to_give="2", reviews_needed="2",
)
CANVAS_FIRST = ('<bizmooc_canvas display_name="Week 2: the business model of your idea" '
                'template_choice="business_model_canvas" min_notes="1"/>')

TRAINING_EXAMPLES = [
    {"text": "Our canteen throws away a lot of food every Friday. An app could let colleagues reserve the leftovers "
             "at a low price before 2 pm, so less food is wasted and the canteen earns a little. I asked ten "
             "colleagues and eight said they would use it.",
     "scores": {"ideas": "excellent", "evidence": "solid", "organisation": "clear"}},
    {"text": "Something with apps would be good because everybody has a phone.",
     "scores": {"ideas": "poor", "evidence": "none", "organisation": "hard"}},
]
CALIBRATED = _peer(
    "Week 3: calibrated peer grading (with training)", submission_type="text", min_words=10,
    prompt="<p>In a few sentences: which problem would you solve first, and why?</p>",
    training_enabled="true", training_examples=TRAINING_EXAMPLES, grading_method="calibrated",
    reviews_to_give="2", reviews_needed="2", wait_action="staff",
)

FILES = _peer(
    "Week 4: your pitch slides", submission_type="text", min_words=0, max_words=300, files_mode="optional",
    prompt="<p>Upload the slides of your pitch (PDF, images or a presentation) and say in a few words what you "
           "would like your reviewers to look at.</p>",
    reviews_to_give="1", reviews_needed="1",
)

PEER_REVIEW_SCENARIOS = [
    ("Peer review: an essay with peer and self-review", ESSAY),
    ("Peer review: make a canvas, then submit it for review",
     f"<vertical_demo>{CANVAS_FIRST}{CANVAS_REVIEW}</vertical_demo>"),
    ("Peer review: training examples and calibrated grades", CALIBRATED),
    ("Peer review: upload your slides (files)", FILES),
]
