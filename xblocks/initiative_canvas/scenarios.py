"""Workbench demo scenarios for the canvas builder, in the spirit of the BizMOOC pilot
"Sense of initiative: entrepreneurship & intrapreneurship". Learners switch with `?student=`."""
import json
from xml.sax.saxutils import quoteattr

EXAMPLE = [
    {"id": "ex1", "section": "customer_segments", "text": "Field technicians of our own service department",
     "colour": "yellow"},
    {"id": "ex2", "section": "value_propositions", "text": "Repair manuals on the phone, offline, in 6 languages",
     "colour": "yellow"},
    {"id": "ex3", "section": "value_propositions",
     "text": "Do technicians really lack the manuals, or the time to read them?", "colour": "blue"},
    {"id": "ex4", "section": "channels", "text": "Rolled out through the existing service app", "colour": "green"},
    {"id": "ex5", "section": "key_resources", "text": "Technical writers; the translation budget", "colour": "yellow"},
    {"id": "ex6", "section": "cost_structure", "text": "Translation of 400 pages per release", "colour": "pink"},
    {"id": "ex7", "section": "revenue_streams", "text": "Savings: fewer second visits (about 8% of jobs today)",
     "colour": "green"},
]


def _canvas(display_name, **attributes):
    attrs = " ".join(f"{name}={quoteattr(value if isinstance(value, str) else json.dumps(value))}"
                     for name, value in attributes.items())
    return f"<bizmooc_canvas display_name={quoteattr(display_name)} {attrs}/>"


BMC = _canvas(
    "Week 2: the business model of your idea", template_choice="business_model_canvas", example_notes=EXAMPLE,
    instructions="<p>Sketch the business model of your idea, or of an opportunity inside your organisation. "
                 "Start with customer segments and value propositions; write one short note per thought.</p>",
    required_sections=["customer_segments", "value_propositions", "channels", "revenue_streams"], min_notes=1,
    graded="true",
)
LEAN = _canvas(
    "Week 3: a lean canvas for your riskiest assumptions", template_choice="lean_canvas",
    instructions="<p>Write down the problem first, then the smallest solution you could test next week.</p>",
    min_notes=1,
)
VPC = _canvas(
    "Value proposition: what do your customers need?", template_choice="value_proposition_canvas",
    instructions="<p>Fill in the customer profile on the right before the value map on the left.</p>",
)
CONTINUED = _canvas(
    "Week 5: your business model after the interviews", template_choice="business_model_canvas",
    # The workbench names a usage after the slug of its scenario's title (the first one below).
    continue_from="canvas-week-2-business-model-canvas-with-example-graded.bizmooc_canvas.d0.u0",
    instructions="<p>You start from your canvas of week 2. Update it with what the customer interviews taught "
                 "you, and take a snapshot called \"week 5\".</p>",
)

CANVAS_SCENARIOS = [
    ("Canvas: week 2, Business Model Canvas with example (graded)", BMC),
    ("Canvas: week 3, Lean Canvas", LEAN),
    ("Canvas: Value Proposition Canvas", VPC),
    ("Canvas: week 5, continues from your week 2 canvas (try ?student=learner_a and ?student=learner_b)",
     CONTINUED),
]
