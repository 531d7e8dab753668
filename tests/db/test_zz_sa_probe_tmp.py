import pytest
from xblocks.learning_to_learn import assessment_store
from xblocks.learning_to_learn.models import AssessmentResponse, CompetenceRating
pytestmark = pytest.mark.django_db(transaction=True)

PLACE = {"course_id": "c", "group_name": "g", "phase": "before", "user_id": "u", "usage_id": "b"}

def test_race(run_together):
    assessment_store.save_response(PLACE, "entrecomp", {"a": 1, "b": None}, {}, None)
    def work(i):
        responses = assessment_store.learner_responses("c", "g", "u")
        existing = responses.get("before", (None, None))[0]
        assessment_store.save_response(PLACE, "entrecomp", {"a": i % 8 + 1, "b": i}, {}, existing)
        return existing is None
    outcomes = run_together(10, work)
    for o in outcomes: print(o[0], repr(o[1])[:150])
    print(AssessmentResponse.objects.values_list("revision_count", flat=True), list(CompetenceRating.objects.values_list("competence_id", "level")))
