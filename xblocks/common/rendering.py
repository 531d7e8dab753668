"""Rendering a block's Django templates and assembling its fragment.

Templates are read from the block's own package and rendered with Django's i18n
template tags (`{% load i18n %}` then `{% trans %}`), translating with the block's i18n
service's catalogue (merged once per language, never into Django's global translation),
so the same template works in the workbench and in Open edX.
Compiled templates are cached per (package, path): parsing is most of a render's cost.

The fragment always carries the shared browser helper and stylesheet first, then the
block's own files, all as resource URLs (never inlined), then one initializer call
with the block's JSON arguments, escaped (see `safe_json`).
"""
import contextlib
import functools
import importlib.resources
import json

from django.conf import settings
from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
from django.utils import translation
from django.utils.translation import trans_real
from web_fragments.fragment import Fragment

from .seams import i18n_of, resource_uri

# The shared helper and stylesheet, in this package (xblocks.common), served to every block.
COMMON_PACKAGE = __package__
COMMON_JS = "static/js/bizmooc.js"
COMMON_CSS = "static/css/bizmooc.css"


@functools.cache
def _engine():
    # Django's own i18n tags, translating with the active translation, which
    # `_block_translation` swaps for one that also holds the block's catalogue. Not XBlock's
    # tags (xblock.utils.templatetags.i18n): they merge the catalogue into Django's global
    # translation at every `{% trans %}`, Django prepends a copy on each merge, and the
    # process's catalogue list (memory, and the cost of every gettext) grew with each render.
    return Engine(libraries=get_installed_libraries(), autoescape=True)


_MERGED_LIMIT = 64
_merged_translations = {}  # (language, id(catalogue)) -> (catalogue, DjangoTranslation)
_UNSET = object()


def _merged_translation(i18n_service):
    """Django's translation for the active language plus the service's catalogue, built once."""
    catalog = getattr(i18n_service, "_catalog", None)
    if not catalog:
        return None  # the service only proxies Django's translation: nothing to add
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = (language, id(catalog))
    found = _merged_translations.get(key)
    if found is None or found[0] is not catalog:
        if len(_merged_translations) >= _MERGED_LIMIT:
            _merged_translations.clear()
        merged = trans_real.DjangoTranslation(language)
        merged.merge(i18n_service)
        found = _merged_translations[key] = (catalog, merged)
    return found[1]


@contextlib.contextmanager
def _block_translation(i18n_service):
    """Translate with the block's catalogue for the duration of one render (this thread only)."""
    merged = _merged_translation(i18n_service)
    if merged is None:
        yield
        return
    active = trans_real._active  # pylint: disable=protected-access
    previous = getattr(active, "value", _UNSET)
    active.value = merged
    try:
        yield
    finally:
        if previous is _UNSET:
            del active.value
        else:
            active.value = previous


@functools.cache
def _template(package, path):
    source = importlib.resources.files(package).joinpath(path).read_text(encoding="utf-8")
    return Template(source, engine=_engine())


def package_of(block):
    """The Python package that holds `block`'s class, templates and static files."""
    cls = getattr(type(block), "unmixed_class", type(block))
    return cls.__module__.rpartition(".")[0]


def render_template(block, path, context):
    """Render `templates/<path>` of the block's package; autoescaped, translated."""
    with _block_translation(i18n_of(block)):
        return _template(package_of(block), f"templates/{path}").render(Context(context))


def render_package_template(package, path, context):
    """Render `templates/<path>` of `package` outside any block (an artefact provider's
    read-only rendering): autoescaped; strings must come translated in `context`."""
    return _template(package, f"templates/{path}").render(Context(context))


def static_url(block, path, package=None):
    """The runtime's URL of `path` ("static/js/x.js") in `package` (default: the block's own),
    named as the platform's collectstatic and resource view both find it (seams.py, 4)."""
    uri = resource_uri(type(block), package or package_of(block), path)
    return block.runtime.local_resource_url(block, uri)


def build_fragment(block, html, js_class, js_args, own_js, own_css):
    """A fragment with the shared helper, the block's JS/CSS as URLs, and its initializer."""
    fragment = Fragment(html)
    fragment.add_css_url(static_url(block, COMMON_CSS, COMMON_PACKAGE))
    fragment.add_css_url(static_url(block, own_css))
    fragment.add_javascript_url(static_url(block, COMMON_JS, COMMON_PACKAGE))
    fragment.add_javascript_url(static_url(block, own_js))
    fragment.initialize_js(js_class, {"bizmooc": safe_json(js_args)})
    return fragment


def safe_json(data):
    """JSON that cannot end the <script> element a runtime writes it into.

    Runtimes (the workbench, and the LMS for XBlock JSON arguments) put the arguments
    unescaped into a script element, so a "</script>" typed by a course team would end
    it and run what follows. Escaping <, > and & as \\u sequences keeps the JSON equal.
    """
    text = json.dumps(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
