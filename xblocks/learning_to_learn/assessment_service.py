"""What each self-assessment action does: the rules it applies (`frameworks`, `assessment`),
what it reads and writes (`assessment_store`), and the events it publishes, in the
handler's one transaction.

The block class wires handlers to these functions and hands their results to
`assessment_views` to be presented; the views read through here and never decide.
"""
from django.utils import timezone

from xblocks.common import events
from xblocks.common.config import get_setting
from xblocks.common.errors import ApiError, _, bad_request, forbidden

from . import assessment, assessment_store, frameworks

REVISIONS_CLOSED = _("Answers to this assessment can no longer be changed.")


# The configuration, as the rules want it ---------------------------------------------

def framework_of(block):
    """The framework in use, in the learner's language (a custom one: the texts it kept from a
    built-in); a broken custom one falls back to EntreComp (validate() says so)."""
    if block.framework_choice == "custom":
        try:
            return frameworks.localized(frameworks.parse_framework(block.custom_framework), block.gettext)
        except ApiError:
            pass
    choice = block.framework_choice if block.framework_choice in frameworks.BUILT_IN else "entrecomp"
    return frameworks.localized(frameworks.built_in(choice), block.gettext)


def feedback_of(block, framework=None):
    """The feedback bands that fit the framework ({} if they do not: validate() warns)."""
    try:
        return assessment.parse_feedback(framework or framework_of(block), block.feedback)
    except ApiError:
        return {}


def group_key(block):
    """The group name as stored (clipped like the column; validate() warns if longer)."""
    return block.group_name[:100]


def phase_key(block):
    """The phase, or "before" for a value no editor offers (validate() says so)."""
    return block.phase if block.phase in assessment.PHASES else "before"


def revisions_open(block, now=None):
    if not block.allow_revisions:
        return False
    return block.revise_until is None or (now or timezone.now()) <= block.revise_until


def cohort_threshold(block):
    """Learners needed before the cohort average shows: the course team's, or the
    platform's if higher (it protects learners' privacy)."""
    return max(block.cohort_min_learners, get_setting("COHORT_MIN_LEARNERS"))


# Reads -----------------------------------------------------------------------------

def learner_responses(block, user_id):
    """{phase: (response, {competence_id: level})} of one learner in the block's group."""
    return assessment_store.learner_responses(block.course_key_str, group_key(block), user_id)


def earlier_phase(block, responses):
    """The latest phase before the block's that the learner answered (None if none): the
    profile shows the change since then."""
    order = assessment.PHASES.index(phase_key(block))
    answered = [phase for phase in assessment.PHASES[:order] if phase in responses]
    return answered[-1] if answered else None


def cohort_averages(block):
    """({competence_id: average} or None while too few learners answered, the number needed)."""
    figures = assessment_store.cohort(block.course_key_str, group_key(block), phase_key(block))
    needed = cohort_threshold(block)
    return (figures["averages"] if figures["learners"] >= needed else None), needed


def staff_figures(block):
    """What the staff report shows: answers per phase, the distribution of levels in this
    phase, and the paired change between the first and last phases answered."""
    course_id, group = block.course_key_str, group_key(block)
    counts = assessment_store.phase_counts(course_id, group)
    answered = [p for p in assessment.PHASES if counts.get(p)]
    paired = assessment_store.paired_change(course_id, group, answered[0], answered[-1]) \
        if len(answered) >= 2 else {}
    return {"counts": counts, "answered": answered, "paired": paired,
            "distribution": assessment_store.distribution(course_id, group, phase_key(block))}


def responses_for_export(block):
    return assessment_store.responses_for_export(block.course_key_str, group_key(block))


def responses_for_learners(block, user_ids):
    return assessment_store.responses_for_learners(block.course_key_str, group_key(block), phase_key(block),
                                                   user_ids)


# Learner actions ----------------------------------------------------------------------

def _revisions_closed():
    return forbidden(REVISIONS_CLOSED, code="revisions_closed")


def _place(block, caller):
    return {"course_id": block.course_key_str, "group_name": group_key(block), "phase": phase_key(block),
            "user_id": caller.user_id, "usage_id": block.usage_key_str}


def _checked(block, ratings, evidence, complete):
    """(framework, evidence without blank texts) once the answers pass the rules."""
    framework = framework_of(block)
    evidence = {cid: text.strip() for cid, text in evidence.items() if text.strip()}
    if not block.ask_evidence and evidence:
        raise bad_request("evidence_not_asked", _("This assessment does not ask for evidence."), field="evidence")
    assessment.check_ratings(framework, ratings, evidence, complete=complete)
    return framework, evidence


def _may_answer(block, caller):
    """The caller's current response for the phase (None if none), once they may change it."""
    existing = learner_responses(block, caller.user_id).get(phase_key(block), (None, None))[0]
    if existing is not None and not revisions_open(block):
        raise _revisions_closed()
    return existing


def submit(block, caller, ratings, evidence):
    """Save the caller's answers for the block's phase (a first answer or a revision),
    note the caller for the report, publish the event and, for a first answer, completion.
    The draft of the phase is done with. Returns the learner's answers as they now are."""
    framework, evidence = _checked(block, ratings, evidence, complete=True)
    existing = _may_answer(block, caller)
    assessment_store.save_response(_place(block, caller), framework.id, ratings, evidence, existing)
    block.remember_learner(caller)
    # The levels themselves go to the tracking log (as peer-review points do): xAPI's
    # `levels` extension (analytics/transformers.py) answers "distribution of self-assessed
    # levels". Evidence, the learner's text, never does.
    events.publish_event(block, "revised" if existing else "submitted", {
        "phase": phase_key(block), "framework": framework.id,
        "rated": sum(1 for v in ratings.values() if v is not None),
        "ratings": dict(sorted(ratings.items())),
    })
    if existing is None:
        block.publish_completed()


def save_draft(block, caller, ratings, evidence, version):
    """Keep the caller's answers so far (some may be missing) as the phase's draft, saved
    from `version`; the draft. Not an answer: no event, no completion, no cohort figures."""
    _framework, evidence = _checked(block, ratings, evidence, complete=False)
    _may_answer(block, caller)
    return assessment_store.save_draft(_place(block, caller), ratings, evidence, version)


def learner_draft(block, caller):
    """The caller's draft for the block's phase, or None."""
    return assessment_store.learner_draft(_place(block, caller))


def answers_to_revise(block, caller):
    """(the caller's answers for this phase, their draft or None), when they may still change them."""
    if not revisions_open(block):
        raise _revisions_closed()
    return learner_responses(block, caller.user_id).get(phase_key(block)), learner_draft(block, caller)


def profile_downloaded(block):
    events.publish_event(block, "profile_downloaded", {"phase": phase_key(block)})


def user_state(block, caller):
    """The caller's answers in every phase, for the mobile apps."""
    return {"phases": {phase: {"ratings": ratings, "evidence": response.evidence,
                               "submitted_at": response.submitted_at.isoformat()}
                       for phase, (response, ratings) in learner_responses(block, caller.user_id).items()},
            "can_revise": revisions_open(block)}
