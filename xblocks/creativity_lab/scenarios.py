"""Workbench demo scenarios for the idea board, in the spirit of the BizMOOC pilot
"Innovation, creativity & problem-solving". Learners switch with `?student=<id>`;
`?student=course_staff` is staff (devstack/settings.py)."""
import json
from xml.sax.saxutils import quoteattr


def _board(display_name, **attributes):
    def text(value):
        if isinstance(value, bool):
            return str(value).lower()
        return value if isinstance(value, str) else json.dumps(value)
    attrs = " ".join(f"{name}={quoteattr(text(value))}" for name, value in attributes.items())
    return f"<bizmooc_idea_board display_name={quoteattr(display_name)} {attrs}/>"


BRAINSTORMING = _board(
    "Week 1: how might we reduce food waste in our canteen?", technique="free",
    challenge="<p>Our canteen throws away about 40 kg of food a day. <strong>How might we</strong> halve that "
              "within a year? Post as many ideas as you can; build on others' ideas in the comments.</p>",
    categories=[{"id": "process", "name": "Process"}, {"id": "product", "name": "Product"},
                {"id": "people", "name": "People"}],
    vote_budget=5, max_dots_per_idea=2, completion_ideas=2, completion_votes=3, phase_mode="manual",
    learner_clusters=True,
)
SCAMPER = _board(
    "Week 2: SCAMPER your commute", technique="prompts",
    challenge="<p>Take your daily journey to work or study. Use the SCAMPER prompt cards to find new ways of "
              "making it cheaper, greener or more pleasant.</p>",
    allow_tags=True, hide_until_vote=True, phase_mode="manual", completion_ideas=1,
)
BRAINWRITING = _board(
    "Week 3: brainwriting in rooms of three", technique="brainwriting",
    challenge="<p>Brainwriting 6-3-5, online: write an idea, then build on the ideas of the others in your room. "
              "Staff move the board to the vote when everyone has written.</p>",
    room_size=3, phase_mode="manual", anonymous=False, vote_budget=3, max_dots_per_idea=1, completion_ideas=1,
    completion_votes=1, graded=True,
)

IDEA_BOARD_SCENARIOS = [
    ("Idea board: brainstorming with categories (try ?student=learner_a, learner_b, course_staff)", BRAINSTORMING),
    ("Idea board: SCAMPER prompt cards, ideas hidden until the vote", SCAMPER),
    ("Idea board: brainwriting in rooms of 3, phases switched by staff (graded)", BRAINWRITING),
]
