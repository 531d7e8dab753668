"""Artefacts one component shows inside another, by reference and without the author.

A producing component (the canvas, the journal, the idea board) registers a provider for
its kind of artefact; a consuming component (peer review) asks for an artefact by kind and
id and gets a read-only rendering and a plain-text summary. Ids are opaque public ids,
never anonymous user ids, so nothing in an artefact reference says who made it.

A consumer that must keep the work as it was (peer review freezes it at submit time) stores
a `snapshot`, not a rendering: the snapshot holds the learner's content, and the words around
it (section titles, labels) are put in by `render_snapshot` when someone looks at it, in that
reader's language, not in the author's language of the day they submitted.
`common/` never imports a component: providers are registered from each app's ready().
"""

_providers = {}


def register_artefact_provider(kind, provider):
    """`provider` has
    - `label`: what the kind is called, marked with `_()` (a course team picks the kind of work);
    - `snapshot(artefact_id) -> dict`: the artefact's content as it is now, JSON-serialisable and
      author-free (no user ids, no names), with whatever `render_snapshot` needs to draw it;
    - `render_snapshot(snapshot, gettext) -> str`: read-only HTML of a snapshot, learner text
      escaped, fixed words through `gettext` (the reader's language);
    - `render(artefact_id, gettext) -> str`: `render_snapshot(snapshot(artefact_id), gettext)`;
    - `summary(artefact_id) -> str`: plain text (exports, reports);
    - `choices(course_id, user_id, gettext) -> [{"id", "label"}]`: the artefacts of this kind a
      learner made in a course, newest first, for the learner to pick one to submit;
    - `owner(artefact_id) -> (course_id, user_id)`: who made it, checked by the consumer so a
      learner can only submit their own work from the same course.
    All of them return None for an unknown id (`choices` returns []); `render_snapshot` returns
    None for a snapshot it cannot draw."""
    _providers[kind] = provider


def artefact_kinds():
    return sorted(_providers)


def artefact_kind_choices():
    """(kind, untranslated label) of every registered kind, for a course team to pick one."""
    return tuple((kind, getattr(_providers[kind], "label", kind)) for kind in artefact_kinds())


def render_artefact(kind, artefact_id, gettext):
    provider = _providers.get(kind)
    return provider.render(artefact_id, gettext) if provider else None


def artefact_snapshot(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.snapshot(artefact_id) if provider else None


def render_artefact_snapshot(kind, snapshot, gettext):
    provider = _providers.get(kind)
    return provider.render_snapshot(snapshot, gettext) if provider and snapshot else None


def artefact_summary(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.summary(artefact_id) if provider else None


def artefact_choices(kind, course_id, user_id, gettext):
    provider = _providers.get(kind)
    return provider.choices(course_id, user_id, gettext) if provider else []


def artefact_owner(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.owner(artefact_id) if provider else None
