"""Artefacts one component shows inside another, by reference and without the author.

A producing component (the canvas, the journal, the idea board) registers a provider for
its kind of artefact; a consuming component (peer review) asks for an artefact by kind and
id and gets a read-only rendering and a plain-text summary. Ids are opaque public ids,
never anonymous user ids, so nothing in an artefact reference says who made it.
`common/` never imports a component: providers are registered from each app's ready().
"""

_providers = {}


def register_artefact_provider(kind, provider):
    """`provider` has
    - `render(artefact_id, gettext) -> str`: read-only HTML, author-free, learner text escaped;
    - `summary(artefact_id) -> str`: plain text (exports, reports);
    - `choices(course_id, user_id, gettext) -> [{"id", "label"}]`: the artefacts of this kind a
      learner made in a course, newest first, for the learner to pick one to submit;
    - `owner(artefact_id) -> (course_id, user_id)`: who made it, checked by the consumer so a
      learner can only submit their own work from the same course.
    All of them return None for an unknown id (`choices` returns [])."""
    _providers[kind] = provider


def artefact_kinds():
    return sorted(_providers)


def render_artefact(kind, artefact_id, gettext):
    provider = _providers.get(kind)
    return provider.render(artefact_id, gettext) if provider else None


def artefact_summary(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.summary(artefact_id) if provider else None


def artefact_choices(kind, course_id, user_id, gettext):
    provider = _providers.get(kind)
    return provider.choices(course_id, user_id, gettext) if provider else []


def artefact_owner(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.owner(artefact_id) if provider else None
