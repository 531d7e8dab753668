"""The suite's events as xAPI statements, through the real event-routing-backends (ERB).

Events are what the LMS hands ERB: the payload a block publishes (here from the real blocks
where that is cheap: the journal on the workbench), wrapped as the platform's tracking log
wraps a server event of an XBlock handler (`name`, `timestamp`, `data`, `context` with
`course_id`, `user_id`, `session`, `module`). ERB's own `XApiProcessor` and registry turn them
into `tincan.Statement`s. Only the platform's tables that ERB reads are stood in for, as
ERB's own tests do (test_utils in its repository): the external ids (`ExternalId`) that name
the actor, and the course overview that names the course.
"""
import importlib
import json
import sys
import uuid
from types import SimpleNamespace

import pytest

# event-routing-backends is a test requirement (requirements/test*.txt): without it these tests
# must fail, not be skipped.
from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from event_routing_backends import helpers  # noqa: E402
from event_routing_backends.processors.xapi import constants  # noqa: E402
from event_routing_backends.processors.xapi.registry import XApiTransformersRegistry  # noqa: E402
from event_routing_backends.processors.xapi.transformer import XApiTransformer  # noqa: E402
from event_routing_backends.processors.xapi.transformer_processor import XApiProcessor  # noqa: E402
from opaque_keys.edx.keys import CourseKey  # noqa: E402
from tincan import Statement  # noqa: E402

from tests.learning_to_learn.journal_helpers import journal_xml, submit  # noqa: E402
from xblocks.analytics import events as analytics_events  # noqa: E402
from xblocks.analytics import transformers  # noqa: E402
from xblocks.analytics.apps import AnalyticsConfig  # noqa: E402

LMS = "https://lms.bizmooc.test"
COURSE = "course-v1:BizMOOC+ENT+2026"
COURSE_NAME = "Entrepreneurship: from idea to business model"


def block_key(block_type, block_id):
    return f"block-v1:BizMOOC+ENT+2026+type@{block_type}+block@{block_id}"


def ext(name):
    return transformers.extension(name)


@pytest.fixture
def platform(settings, monkeypatch, db):  # pylint: disable=unused-argument
    """ERB's settings as its plugin settings set them in the LMS, and the platform's
    external ids and course overviews (the only edx-platform code ERB calls here)."""
    settings.LMS_ROOT_URL = LMS
    settings.XAPI_AGENT_IFI_TYPE = "external_id"
    settings.XAPI_EVENTS_ENABLED = True
    settings.XAPI_EVENT_LOGGING_ENABLED = False
    external_ids = {}
    asked_courses = []

    class ExternalId:  # openedx/core/djangoapps/external_user_ids/models.py: one id per (user, type)
        @staticmethod
        def add_new_user_id(user, type_name):
            created = (user.pk, type_name) not in external_ids
            external_ids.setdefault((user.pk, type_name), SimpleNamespace(external_user_id=uuid.uuid4()))
            return external_ids[(user.pk, type_name)], created

    def get_course_overviews(course_keys):
        asked_courses.extend(course_keys)
        return [{"display_name": COURSE_NAME}]

    monkeypatch.setattr(helpers, "ExternalId", ExternalId)
    monkeypatch.setattr(helpers, "ExternalIdType", SimpleNamespace(XAPI="xapi", LTI="lti"))
    monkeypatch.setattr(helpers, "get_potentially_retired_user_by_username", lambda username: None)
    monkeypatch.setattr(helpers, "get_course_overviews", get_course_overviews)
    helpers.get_anonymous_user_id.cache_clear()
    helpers.get_course_from_id.cache_clear()
    learner = get_user_model().objects.create_user("learner_a", "learner_a@example.com")
    yield SimpleNamespace(learner=learner, external_ids=external_ids, asked_courses=asked_courses)
    helpers.get_anonymous_user_id.cache_clear()
    helpers.get_course_from_id.cache_clear()


def lms_event(name, data, user, usage_key, display_name="Week 3", timestamp="2026-03-02T10:15:30.123456+00:00"):
    """A block's published event as the LMS's tracking log hands it to ERB."""
    return {
        "name": name,
        "timestamp": timestamp,
        "data": data,
        "context": {
            "course_id": COURSE,
            "org_id": "BizMOOC",
            "user_id": user.pk,
            "username": user.username,
            "session": "6ad0a24d8303f49d14409a669d430b6f",
            "event_source": "server",
            "page": "x_module",
            "host": "lms.bizmooc.test",
            "path": f"/courses/{COURSE}/xblock/{usage_key}/handler/submit_entry",
            "module": {"usage_key": usage_key, "display_name": display_name},
            "course_user_tags": {},
            "asides": {},
        },
    }


def transform(event):
    """The registered transformer's `tincan.Statement`, checked against what ERB's processor
    (as its xAPI backend runs it) hands the routers: that statement as JSON."""
    statement = XApiTransformersRegistry.get_transformer(event).transform()
    assert isinstance(statement, Statement)
    assert XApiProcessor()([event]) == [json.loads(statement.to_json())]
    return statement


def assert_common(statement, platform, usage_key):
    """What every statement of the suite has: the learner's external id, the course."""
    [external_id] = platform.external_ids.values()
    assert statement.actor.account.home_page == LMS
    assert statement.actor.account.name == str(external_id.external_user_id)
    assert statement.version == constants.XAPI_SPECIFICATION_VERSION
    [course] = statement.context.context_activities.parent
    assert course.id == f"{LMS}/course/{COURSE}"
    assert course.definition.type == constants.XAPI_ACTIVITY_COURSE
    assert course.definition.name["en-US"] == COURSE_NAME
    assert platform.asked_courses == [CourseKey.from_string(COURSE)]
    assert statement.context.extensions[constants.XAPI_CONTEXT_SESSION_ID] == "6ad0a24d8303f49d14409a669d430b6f"
    assert str(statement.timestamp).startswith("2026-03-02 10:15:30")
    # A valid statement survives its own JSON: what the LRS (Aspects' Ralph) receives.
    assert Statement.from_json(statement.to_json()).to_json() == statement.to_json()
    return f"{LMS}/xblock/{usage_key}"


# Registration ------------------------------------------------------------------------------

def test_every_listed_event_has_an_erb_transformer_registered_when_the_app_is_ready():
    assert apps.get_app_config("bizmooc_analytics").name == "xblocks.analytics"
    for name in analytics_events.XAPI_EVENTS:
        transformer = XApiTransformersRegistry.mapping.get(name)
        assert transformer is not None, name
        assert issubclass(transformer, XApiTransformer) and transformer.__module__ == transformers.__name__
    assert len(set(analytics_events.XAPI_EVENTS)) == len(analytics_events.XAPI_EVENTS)


def test_listed_events_are_events_the_blocks_may_publish():
    from xblocks.creativity_lab.idea_board import IdeaBoardBlock
    from xblocks.initiative_canvas.canvas_block import CanvasBlock
    from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock
    from xblocks.learning_to_learn.self_assessment import SelfAssessmentBlock
    from xblocks.peer_review.peer_review import PeerReviewBlock

    allowed = {f"bizmooc.{block.event_prefix}.{action}"
               for block in (ReflectionJournalBlock, SelfAssessmentBlock, CanvasBlock, IdeaBoardBlock, PeerReviewBlock)
               for action in block.allowed_events}
    assert set(analytics_events.XAPI_EVENTS) <= allowed


def test_without_event_routing_backends_installed_the_app_registers_nothing(monkeypatch):
    monkeypatch.setattr(XApiTransformersRegistry, "mapping", {})
    monkeypatch.delitem(sys.modules, "xblocks.analytics.transformers")
    monkeypatch.delattr(importlib.import_module("xblocks.analytics"), "transformers")
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "event_routing_backends")
    config = AnalyticsConfig("xblocks.analytics", importlib.import_module("xblocks.analytics"))
    config.ready()
    assert "xblocks.analytics.transformers" not in sys.modules
    assert XApiTransformersRegistry.mapping == {}

    monkeypatch.setattr(apps, "is_installed", lambda name: True)
    config.ready()  # with ERB installed: importing the module registers every transformer
    assert set(XApiTransformersRegistry.mapping) == set(analytics_events.XAPI_EVENTS)


# Reflection journal: the payloads the real block publishes -----------------------------------

def test_journal_entry_submitted_and_revised_from_the_real_block(wb, platform):
    usage_id = wb.load(journal_xml(prompts=["<p>Which strategy did you try?</p>"], allow_revisions=True,
                                   min_words=1))
    submit(wb, usage_id, "I tried spaced repetition.")
    submit(wb, usage_id, "I tried spaced repetition, twice a week.", version=1)
    published = [e for e in wb.events if e.type.startswith("bizmooc.")]
    assert [e.type for e in published] == ["bizmooc.reflection_journal.submitted", "bizmooc.reflection_journal.revised"]

    usage_key = block_key("bizmooc_reflection_journal", "week2")
    first, second = (transform(lms_event(e.type, e.data, platform.learner, usage_key, "Week 2: my journal"))
                     for e in published)

    block = assert_common(first, platform, usage_key)
    assert first.verb.id == transformers.VERB_SUBMITTED and first.verb.display["en"] == "submitted"
    assert first.object.id == block
    assert first.object.definition.type == constants.XAPI_ACTIVITY_RESOURCE
    assert first.object.definition.name["en"] == "Week 2: my journal"
    assert dict(first.result.extensions) == {ext("prompt"): 0, ext("revision"): 1, ext("words"): 4}
    assert first.result.score is None

    assert_common(second, platform, usage_key)
    assert second.verb.id == constants.XAPI_VERB_EDITED
    assert second.object.id == block
    assert dict(second.result.extensions) == {ext("prompt"): 0, ext("revision"): 2, ext("words"): 7}
    assert first.id != second.id  # ERB's id: actor, verb and time


# Every other event: the payloads as the blocks' handlers build them ---------------------------

CASES = [
    # (event, payload, block type, verb, object type, extensions)
    ("bizmooc.self_assessment.submitted", {"phase": "before", "framework": "entrecomp", "rated": 15},
     "bizmooc_self_assessment", transformers.VERB_SUBMITTED, transformers.ACTIVITY_ASSESSMENT,
     {"phase": "before", "framework": "entrecomp", "rated": 15}),
    ("bizmooc.self_assessment.revised", {"phase": "after", "framework": "entrecomp", "rated": 14},
     "bizmooc_self_assessment", constants.XAPI_VERB_EDITED, transformers.ACTIVITY_ASSESSMENT,
     {"phase": "after", "framework": "entrecomp", "rated": 14}),
    ("bizmooc.canvas.created", {"notes": 3}, "bizmooc_canvas", transformers.VERB_CREATED,
     constants.XAPI_ACTIVITY_RESOURCE, {"notes": 3}),
    ("bizmooc.canvas.snapshot_created", {}, "bizmooc_canvas", transformers.VERB_SAVED,
     constants.XAPI_ACTIVITY_RESOURCE, {}),
    ("bizmooc.canvas.exported", {"format": "json"}, "bizmooc_canvas", constants.XAPI_VERB_INTERACTED,
     constants.XAPI_ACTIVITY_RESOURCE, {"format": "json"}),
    ("bizmooc.peer_review.submitted", {"submission": "5f0c6a0e-6a1c-4b3e-9d55-0b6f0f3f2a10", "type": "text"},
     "bizmooc_peer_review", transformers.VERB_SUBMITTED, constants.XAPI_ACTIVITY_RESOURCE,
     {"submission": "5f0c6a0e-6a1c-4b3e-9d55-0b6f0f3f2a10", "type": "text"}),
]


@pytest.mark.parametrize("name,payload,block_type,verb_id,activity_type,extensions", CASES,
                         ids=[case[0] for case in CASES])
def test_block_events_become_statements_about_the_block(platform, name, payload, block_type, verb_id,
                                                        activity_type, extensions):
    usage_key = block_key(block_type, "week3")
    statement = transform(lms_event(name, payload, platform.learner, usage_key))
    block = assert_common(statement, platform, usage_key)
    assert statement.verb.id == verb_id
    assert statement.object.id == block and statement.object.definition.type == activity_type
    assert dict(statement.result.extensions if statement.result else {}) == {
        ext(key): value for key, value in extensions.items()}


def test_self_assessed_levels_become_an_extension_when_the_event_carries_them(platform):
    usage_key = block_key("bizmooc_self_assessment", "before")
    ratings = {"spotting_opportunities": 3, "creativity": 4, "vision": None}
    statement = transform(lms_event("bizmooc.self_assessment.submitted",
                                    {"phase": "before", "framework": "entrecomp", "rated": 2, "ratings": ratings},
                                    platform.learner, usage_key))
    assert statement.result.extensions[ext("levels")] == ratings


IDEA = "0d8f5cf4-0c53-4d7e-8d7a-0e3c0b8f4f21"
OTHER_IDEA = "a3a2e7e1-4b8f-4a55-9a55-2f0d8c7b1e02"
IDEA_CASES = [
    ("bizmooc.idea_board.posted", {"idea": IDEA, "room": 2, "builds_on": OTHER_IDEA}, constants.XAPI_VERB_POSTED,
     {"room": 2, "builds_on": OTHER_IDEA}),
    ("bizmooc.idea_board.posted", {"idea": IDEA, "room": 1, "builds_on": None}, constants.XAPI_VERB_POSTED,
     {"room": 1}),
    ("bizmooc.idea_board.commented", {"idea": IDEA, "comment": "b1c8e0a4-8f0e-4c61-a1f2-7d4d3f0c9e55"},
     transformers.VERB_COMMENTED, {"comment": "b1c8e0a4-8f0e-4c61-a1f2-7d4d3f0c9e55"}),
    ("bizmooc.idea_board.voted", {"idea": IDEA, "dots": 2, "before": 1}, constants.XAPI_VERB_VOTED,
     {"dots": 2, "before": 1}),
    ("bizmooc.idea_board.voted", {"idea": IDEA, "dots": 1, "before": 0, "moved_from": OTHER_IDEA},
     constants.XAPI_VERB_VOTED, {"dots": 1, "before": 0, "moved_from": OTHER_IDEA}),
]


@pytest.mark.parametrize("name,payload,verb_id,extensions", IDEA_CASES)
def test_idea_events_are_about_the_idea_on_its_board(platform, name, payload, verb_id, extensions):
    usage_key = block_key("bizmooc_idea_board", "brainstorm")
    statement = transform(lms_event(name, payload, platform.learner, usage_key, "Brainstorm"))
    board = assert_common(statement, platform, usage_key)
    assert statement.verb.id == verb_id
    assert statement.object.id == f"{board}/idea/{IDEA}"
    assert statement.object.definition.type == constants.XAPI_ACTIVITY_DISCUSSION
    [grouping] = statement.context.context_activities.grouping
    assert grouping.id == board and grouping.definition.name["en"] == "Brainstorm"
    assert dict(statement.result.extensions) == {ext(key): value for key, value in extensions.items()}


# Peer review: points ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,payload,kind", [
    ("bizmooc.peer_review.review_submitted", {"review": "7e0d3c1b-2a3f-4a9e-b0c1-3e5f7a9b1c2d", "points": 7}, "peer"),
    ("bizmooc.peer_review.self_reviewed", {"points": 0}, "self"),
])
def test_a_review_given_is_evaluated_with_its_points(platform, name, payload, kind):
    usage_key = block_key("bizmooc_peer_review", "essay")
    statement = transform(lms_event(name, payload, platform.learner, usage_key))
    block = assert_common(statement, platform, usage_key)
    assert statement.verb.id == constants.XAPI_VERB_EVALUATED
    assert statement.object.id == block
    assert statement.result.score.raw == payload["points"]
    assert statement.result.score.max is None  # the event does not say the rubric's maximum
    assert statement.result.extensions[ext("review_kind")] == kind
    if "review" in payload:
        assert statement.result.extensions[ext("review")] == payload["review"]


def test_the_final_grade_is_earned_with_points_out_of_the_maximum(platform):
    usage_key = block_key("bizmooc_peer_review", "essay")
    payload = {"submission": "5f0c6a0e-6a1c-4b3e-9d55-0b6f0f3f2a10", "points": 7.5, "max": 10, "method": "median"}
    statement = transform(lms_event("bizmooc.peer_review.graded", payload, platform.learner, usage_key))
    block = assert_common(statement, platform, usage_key)
    assert statement.verb.id == constants.XAPI_VERB_EARNED
    assert statement.object.id == block
    score = statement.result.score
    assert (score.raw, score.min, score.max, score.scaled) == (7.5, 0, 10, 0.75)
    assert dict(statement.result.extensions) == {ext("submission"): payload["submission"], ext("method"): "median"}


def test_an_event_without_its_block_is_refused_not_sent_half(platform):
    """No statement without an object: ERB's processor logs the transformer's error and
    raises it to its backend, which sends nothing."""
    event = lms_event("bizmooc.canvas.created", {"notes": 1}, platform.learner, "unused")
    del event["context"]["module"]
    with pytest.raises(ValueError, match="context.module.usage_key"):
        XApiProcessor()([event])
