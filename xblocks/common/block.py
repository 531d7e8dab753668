"""The small base class every BizMOOC block extends.

It declares the services all blocks use, serves the shared helper's static files next
to the block's own, and gives short names for what every view and handler needs
(the caller, a translated string, a rendered template, a fragment). Component logic
never lives here.
"""
import hashlib
import importlib.resources

from xblock.core import XBlock
from xblock.exceptions import DisallowedFileError
from xblock.fields import Boolean, Float, Scope, String

from . import events, rendering, seams
from .errors import _
from .locations import course_id_of, usage_id_of


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants(seams.STUDIO_PERMISSIONS_SERVICE)  # Studio only: who may change settings
class BizMOOCBlock(XBlock):
    """Base for the suite's blocks. Subclasses set `event_prefix` and `allowed_events`."""

    # Studio previews `author_view` only for classes that say they have one
    # (xmodule/studio_editable.py: has_author_view); otherwise it shows the learner's view.
    has_author_view = True
    event_prefix = None
    allowed_events = frozenset()
    # The component's module of views: student_fragment, author_fragment, studio_fragment,
    # mobile_data and report_rows. The block wires; that module renders.
    view_module = None

    display_name = String(
        display_name="Display name",
        help="The title learners see above the component.",
        scope=Scope.settings,
        default="",
    )

    # Every component so far grades participation: full marks once the activity is complete.
    graded = Boolean(display_name=_("Graded"), scope=Scope.settings, default=False)
    weight = Float(display_name=_("Weight"), scope=Scope.settings, default=1.0)

    @property
    def has_score(self):
        return self.graded

    def max_score(self):
        return 1.0 if self.graded else None

    def publish_completed(self):
        """The learner finished the activity: completion, and the grade when graded."""
        events.publish_completion(self)
        if self.graded:
            events.publish_grade(self, 1.0, 1.0)

    @classmethod
    def open_local_resource(cls, uri):
        """Serve what the platform's collectstatic copies for this class, by the same name.

        URIs are relative to the folder the platform collects (`xblocks/`, see seams.py, 4),
        so the LMS's resource view (development) and the collected file (production) agree,
        for the block's own files and the shared ones alike. Only static assets are served.
        """
        if isinstance(uri, bytes):
            uri = uri.decode("utf-8")
        if not seams.is_servable(uri):
            raise DisallowedFileError(f"Only static .js, .css, .svg and .png files are served: {uri!r}")
        return importlib.resources.files(seams.collected_root(cls)).joinpath(uri).open("rb")

    # Views, the same wiring for every component -------------------------------------

    # On the view, not the class: Open edX asks has_support(block.student_view, "multi_device").
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        return self.view_module.student_fragment(self, self.caller)

    def author_view(self, context=None):
        return self.view_module.author_fragment(self)

    def studio_view(self, context=None):
        return self.view_module.studio_fragment(self)

    def student_view_data(self, context=None):
        return self.view_module.mobile_data(self)

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        return self.view_module.report_rows(self, user_state_iterator, limit_responses)

    # Short names for what views and handlers need -------------------------------------

    @property
    def caller(self):
        return seams.caller_of(self)

    # Not `course_id`/`location`: the platform and the workbench set those on blocks.
    @property
    def course_key_str(self):
        return course_id_of(self)

    @property
    def usage_key_str(self):
        return usage_id_of(self)

    @property
    def dom_id(self):
        """A short, stable prefix for element ids, unique per block on a page."""
        return "bz" + hashlib.sha1(self.usage_key_str.encode("utf-8")).hexdigest()[:10]

    def gettext(self, text):
        return seams.i18n_of(self).gettext(text)

    def render_template(self, path, context):
        return rendering.render_template(self, path, context)

    def static_url(self, path):
        """URL of `path` ("static/js/x.js") in the block's own package."""
        return rendering.static_url(self, path)

    def shared_static_url(self, path):
        """URL of `path` in xblocks/common (the shared helper and stylesheet)."""
        return rendering.static_url(self, path, rendering.COMMON_PACKAGE)

    def fragment_for(self, html, js_class, js_args, own_js, own_css):
        return rendering.build_fragment(self, html, js_class, js_args, own_js, own_css)
