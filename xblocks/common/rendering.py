"""Rendering a block's Django templates and assembling its fragment.

Templates are read from the block's own package and rendered with XBlock's i18n
template tags (`{% load i18n %}` then `{% trans %}`), which translate through the
block's i18n service, so the same template works in the workbench and in Open edX.
Compiled templates are cached per (package, path): parsing is most of a render's cost.

The fragment always carries the shared browser helper and stylesheet first, then the
block's own files, all as resource URLs (never inlined), then one initializer call
with the block's JSON arguments.
"""
import functools
import importlib.resources

from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
from web_fragments.fragment import Fragment

COMMON_JS = "static/common/js/bizmooc.js"
COMMON_CSS = "static/common/css/bizmooc.css"


@functools.cache
def _engine():
    libraries = get_installed_libraries()
    libraries["i18n"] = "xblock.utils.templatetags.i18n"
    return Engine(libraries=libraries, autoescape=True)


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
    context = dict(context, _i18n_service=block.runtime.service(block, "i18n"))
    return _template(package_of(block), f"templates/{path}").render(Context(context))


def build_fragment(block, html, js_class, js_args, own_js, own_css):
    """A fragment with the shared helper, the block's JS/CSS as URLs, and its initializer."""
    fragment = Fragment(html)
    fragment.add_css_url(block.runtime.local_resource_url(block, COMMON_CSS))
    fragment.add_css_url(block.runtime.local_resource_url(block, own_css))
    fragment.add_javascript_url(block.runtime.local_resource_url(block, COMMON_JS))
    fragment.add_javascript_url(block.runtime.local_resource_url(block, own_js))
    fragment.initialize_js(js_class, js_args)
    return fragment
