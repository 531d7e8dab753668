"""xAPI transformers for the suite's events, registered with event-routing-backends (ERB).

Imported by `apps.AnalyticsConfig.ready()` only where ERB is an installed app. Each class is
registered the way ERB registers its own (`XApiTransformersRegistry.register(name)` on an
`XApiTransformer` subclass), so ERB's `XApiProcessor` turns the event into a
`tincan.Statement`: actor (ERB's external id of `context.user_id`), verb, object, result,
context (the course as parent activity, ERB's transformer version and session id).

What ERB receives is the LMS's tracking-log event, not the bare payload: the XBlock runtime's
`publish(block, "bizmooc.<prefix>.<action>", payload)` becomes

    {"name": "bizmooc.reflection_journal.submitted", "timestamp": "...",
     "data": <payload>,
     "context": {"course_id": "course-v1:...", "user_id": 42, "username": "...",
                 "session": "...", "module": {"usage_key": "block-v1:...", "display_name": "..."},
                 "event_source": "server", "page": "x_module", ...}}

The object is the block as ERB names blocks (`<LMS_ROOT_URL>/xblock/<usage key>`), so Aspects
finds its name and place in the course; an idea is `<block>/idea/<public id>` with the board
as grouping. The payload's other fields go to the result's extensions, under
`EXTENSION_BASE`: counts, phases, points and random public ids only, never a learner's text.
"""
from event_routing_backends.processors.xapi import constants
from event_routing_backends.processors.xapi.registry import XApiTransformersRegistry
from event_routing_backends.processors.xapi.transformer import XApiTransformer
from tincan import Activity, ActivityDefinition, ActivityList, Extensions, LanguageMap, Result, Verb

# Verbs ERB does not define (it has answered, posted, edited, voted, evaluated, earned, ...).
VERB_SUBMITTED = "http://activitystrea.ms/schema/1.0/submit"
VERB_CREATED = "http://activitystrea.ms/schema/1.0/create"
VERB_SAVED = "http://activitystrea.ms/schema/1.0/save"
VERB_COMMENTED = "http://adlnet.gov/expapi/verbs/commented"

# Activity type ERB does not define.
ACTIVITY_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"

# Keys of the suite's own extensions (an IRI each, as xAPI requires): EXTENSION_BASE + field.
EXTENSION_BASE = "urn:bizmooc:xapi:extension:"


def extension(name):
    return f"{EXTENSION_BASE}{name}"


def verb(iri, display):
    return Verb(id=iri, display=LanguageMap({constants.EN: display}))


class BizmoocTransformer(XApiTransformer):
    """The block the event came from is the object; the payload's fields are extensions.

    Subclasses set `_verb` (read by ERB's `get_verb`), `activity_type`, `extension_fields`
    (payload keys copied as they are), and may add a score (`get_score`).
    """

    additional_fields = ("result",)
    activity_type = constants.XAPI_ACTIVITY_RESOURCE
    extension_fields = ()

    def block_iri(self):
        return self.get_object_iri("xblock", self.get_data("context.module.usage_key", True))

    def block_activity(self):
        name = self.get_data("context.module.display_name")
        return Activity(
            id=self.block_iri(),
            definition=ActivityDefinition(
                type=self.activity_type,
                name=LanguageMap({constants.EN: name}) if name else None,
            ),
        )

    def get_object(self):
        return self.block_activity()

    def get_score(self):
        return None

    def get_extensions(self):
        data = self.get_data("data") or {}
        return {extension(key): data[key] for key in self.extension_fields if data.get(key) is not None}

    def get_result(self):
        score, extensions = self.get_score(), self.get_extensions()
        if score is None and not extensions:
            return None
        return Result(score=score, extensions=Extensions(extensions) if extensions else None)


# Reflection journal ----------------------------------------------------------------------

@XApiTransformersRegistry.register("bizmooc.reflection_journal.submitted")
class JournalEntrySubmittedTransformer(BizmoocTransformer):
    """A learner submitted the entry of one prompt (data: prompt, revision, words)."""

    _verb = verb(VERB_SUBMITTED, "submitted")
    extension_fields = ("prompt", "revision", "words")


@XApiTransformersRegistry.register("bizmooc.reflection_journal.revised")
class JournalEntryRevisedTransformer(JournalEntrySubmittedTransformer):
    """A learner submitted a revision of an entry they had submitted."""

    _verb = verb(constants.XAPI_VERB_EDITED, constants.EDITED)


# Competence self-assessment ----------------------------------------------------------------

@XApiTransformersRegistry.register("bizmooc.self_assessment.submitted")
class SelfAssessmentSubmittedTransformer(BizmoocTransformer):
    """A learner answered a self-assessment phase (data: phase, framework, rated).

    The event carries how many competences were rated, not the levels; if it ever carries
    `ratings` ({competence id: level or null}), they become the `levels` extension.
    """

    _verb = verb(VERB_SUBMITTED, "submitted")
    activity_type = ACTIVITY_ASSESSMENT
    extension_fields = ("phase", "framework", "rated")

    def get_extensions(self):
        extensions = super().get_extensions()
        ratings = self.get_data("data.ratings")
        if isinstance(ratings, dict):
            extensions[extension("levels")] = ratings
        return extensions


@XApiTransformersRegistry.register("bizmooc.self_assessment.revised")
class SelfAssessmentRevisedTransformer(SelfAssessmentSubmittedTransformer):
    """A learner changed their answers to a phase while revisions were open."""

    _verb = verb(constants.XAPI_VERB_EDITED, constants.EDITED)


# Business-model canvas ---------------------------------------------------------------------

@XApiTransformersRegistry.register("bizmooc.canvas.created")
class CanvasCreatedTransformer(BizmoocTransformer):
    """A learner's first save of their canvas (data: notes)."""

    _verb = verb(VERB_CREATED, "created")
    extension_fields = ("notes",)


@XApiTransformersRegistry.register("bizmooc.canvas.snapshot_created")
class CanvasSnapshotTransformer(BizmoocTransformer):
    """A learner kept a named snapshot of their canvas (no data)."""

    _verb = verb(VERB_SAVED, "saved")


@XApiTransformersRegistry.register("bizmooc.canvas.exported")
class CanvasExportedTransformer(BizmoocTransformer):
    """A learner exported their canvas (data: format, json or html)."""

    _verb = verb(constants.XAPI_VERB_INTERACTED, constants.INTERACTED)
    extension_fields = ("format",)


# Idea board ----------------------------------------------------------------------------------

class IdeaTransformer(BizmoocTransformer):
    """The object is the idea (`data.idea`, its public id); the board is the grouping."""

    def get_object(self):
        return Activity(
            id=f"{self.block_iri()}/idea/{self.get_data('data.idea', True)}",
            definition=ActivityDefinition(type=constants.XAPI_ACTIVITY_DISCUSSION),
        )

    def get_context_activities(self):
        context_activities = super().get_context_activities()
        context_activities.grouping = ActivityList([self.block_activity()])
        return context_activities


@XApiTransformersRegistry.register("bizmooc.idea_board.posted")
class IdeaPostedTransformer(IdeaTransformer):
    """A learner posted an idea (data: idea, room, builds_on)."""

    _verb = verb(constants.XAPI_VERB_POSTED, constants.POSTED)
    extension_fields = ("room", "builds_on")


@XApiTransformersRegistry.register("bizmooc.idea_board.commented")
class IdeaCommentedTransformer(IdeaTransformer):
    """A learner commented on an idea (data: idea, comment)."""

    _verb = verb(VERB_COMMENTED, "commented")
    extension_fields = ("comment",)


@XApiTransformersRegistry.register("bizmooc.idea_board.voted")
class IdeaVotedTransformer(IdeaTransformer):
    """A learner set their dots on an idea (data: idea, dots, before; moved_from on a move)."""

    _verb = verb(constants.XAPI_VERB_VOTED, constants.VOTED)
    extension_fields = ("dots", "before", "moved_from")


# Peer review ---------------------------------------------------------------------------------

@XApiTransformersRegistry.register("bizmooc.peer_review.submitted")
class PeerSubmissionTransformer(BizmoocTransformer):
    """A learner submitted their work (data: submission, type)."""

    _verb = verb(VERB_SUBMITTED, "submitted")
    extension_fields = ("submission", "type")


@XApiTransformersRegistry.register("bizmooc.peer_review.review_submitted")
class ReviewGivenTransformer(BizmoocTransformer):
    """A learner reviewed a peer's work (data: review, points: the rubric's points they gave).

    The event has no maximum, so the score is raw points only."""

    _verb = verb(constants.XAPI_VERB_EVALUATED, constants.EVALUATED)
    extension_fields = ("review",)
    review_kind = "peer"

    def get_score(self):
        points = self.get_data("data.points")
        return None if points is None else {"raw": points}

    def get_extensions(self):
        return {**super().get_extensions(), extension("review_kind"): self.review_kind}


@XApiTransformersRegistry.register("bizmooc.peer_review.self_reviewed")
class SelfReviewTransformer(ReviewGivenTransformer):
    """A learner reviewed their own work (data: points)."""

    review_kind = "self"


@XApiTransformersRegistry.register("bizmooc.peer_review.graded")
class FinalGradeTransformer(BizmoocTransformer):
    """The learner's grade became final (data: submission, points, max, method)."""

    _verb = verb(constants.XAPI_VERB_EARNED, constants.EARNED)
    extension_fields = ("submission", "method")

    def get_score(self):
        points, possible = self.get_data("data.points"), self.get_data("data.max")
        if points is None:
            return None
        score = {"raw": points, "min": 0}
        if possible:
            score.update(max=possible, scaled=round(points / possible, 4))
        return score
