"""Rendering a block's Django templates and assembling its fragment.

Templates are read from the block's own package and rendered with `{% load i18n %}` then
`{% trans %}`/`{% blocktrans %}`: our own tags (templatetags_i18n.py), which translate with
the block's i18n service given in the context, never through Django's global translation,
so the same template works in the workbench and in Open edX.
Compiled templates are cached per (package, path): parsing is most of a render's cost.

The fragment always carries the shared browser helper and stylesheet first, then the
block's own files, all as resource URLs (never inlined), then one initializer call
with the block's JSON arguments, escaped (see `safe_json`).
"""
import functools
import importlib.resources
import json

from django.template import Context, Engine, Template
from web_fragments.fragment import Fragment

from .seams import i18n_of, resource_uri
from .templatetags_i18n import TRANSLATOR

# The shared helper and stylesheet, in this package (xblocks.common), served to every block.
COMMON_PACKAGE = __package__
COMMON_JS = "static/js/bizmooc.js"
COMMON_CSS = "static/css/bizmooc.css"


@functools.cache
def _engine():
    # The templates load `i18n` (ours: Django's tags, translating with the block's catalogue)
    # and Django's `l10n`. Not XBlock's i18n tags (xblock.utils.templatetags.i18n): they merge
    # the catalogue into Django's global translation at every `{% trans %}`, and the process's
    # catalogue list (memory, and the cost of every gettext) grew with each render.
    return Engine(libraries={"i18n": "xblocks.common.templatetags_i18n", "l10n": "django.templatetags.l10n",
                             "bizmooc_dates": "xblocks.common.templatetags_dates"},
                  autoescape=True)


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
    context = Context(context)
    context.update({TRANSLATOR: i18n_of(block)})
    return _template(package_of(block), f"templates/{path}").render(context)


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
