"""Artefacts one component shows inside another, by reference and without the author.

A producing component (the canvas, the journal, the idea board) registers a provider for
its kind of artefact; a consuming component (peer review) asks for an artefact by kind and
id and gets a read-only rendering and a plain-text summary. Ids are opaque public ids,
never anonymous user ids, so nothing in an artefact reference says who made it.
`common/` never imports a component: providers are registered from each app's ready().
"""

_providers = {}


def register_artefact_provider(kind, provider):
    """`provider` has `render(artefact_id, gettext) -> str` (HTML, author-free, escaped) and
    `summary(artefact_id) -> str`; both return None for an unknown id."""
    _providers[kind] = provider


def artefact_kinds():
    return sorted(_providers)


def render_artefact(kind, artefact_id, gettext):
    provider = _providers.get(kind)
    return provider.render(artefact_id, gettext) if provider else None


def artefact_summary(kind, artefact_id):
    provider = _providers.get(kind)
    return provider.summary(artefact_id) if provider else None
