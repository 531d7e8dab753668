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
from xblock.validation import ValidationMessage

from . import events, rendering, seams
from .errors import _
from .handlers import AUTHOR, api_handler
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
    # The component's settings (common/settings.py). Their XBlock fields are added to the
    # class from it; `studio_submit` and `validate` check them with it.
    settings_schema = None

    display_name = String(
        display_name="Display name",
        help="The title learners see above the component.",
        scope=Scope.settings,
        default="",
    )

    # The learner's anonymous id in their own user state: the suite keeps learners' work in
    # its tables, and the Problem Responses report only hands blocks user state (reports.py).
    learner_id = String(scope=Scope.user_state, default="")

    # Every component so far grades participation: full marks once the activity is complete.
    graded = Boolean(display_name=_("Graded"), scope=Scope.settings, default=False)
    weight = Float(display_name=_("Weight"), scope=Scope.settings, default=1.0)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        schema = cls.__dict__.get("settings_schema")
        if schema is not None:
            for name, field in schema.xblock_fields().items():
                field.__name__ = name
                setattr(cls, name, field)

    @property
    def has_score(self):
        return self.graded

    def max_score(self):
        return 1.0 if self.graded else None

    def remember_learner(self, caller):
        """Note the caller in their user state, for the report; written only when it changes."""
        if self.learner_id != caller.user_id:
            self.learner_id = caller.user_id

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

    # Settings, from the component's schema -------------------------------------------

    @api_handler(method="POST", shape=lambda cls: cls.settings_schema.request_shape(), role=AUTHOR)
    def studio_submit(self, data, caller):
        """Save the editor's settings, all of them checked first (400 naming every field at
        fault, nothing saved)."""
        schema = self.settings_schema
        flags = {name: data.pop(name) for name in schema.request_flags}
        values = schema.cleaned(data)
        self.settings_saving(values, **flags)
        for name, value in values.items():
            setattr(self, name, value)
        return {"saved": True}

    def settings_saving(self, values, **flags):
        """Called with checked settings before they are stored; raise an ApiError to refuse
        (peer review asks to confirm a rubric change that affects reviewed work)."""

    def validate(self):
        """Studio's warnings: the settings as stored (an imported course may hold anything)
        checked with the rules the editor applies, then the component's own."""
        validation = super().validate()
        schema = self.settings_schema
        if schema is not None:
            _clean, problems = schema.check(schema.request_values(self))
            for problem in problems:
                setting = schema.settings.get(problem.field)
                kind = ValidationMessage.WARNING if getattr(setting, "stored_is_warning", False) \
                    else ValidationMessage.ERROR
                validation.add(ValidationMessage(kind, problem.translated(self.gettext)))
            for problem in self.settings_warnings():
                validation.add(ValidationMessage(ValidationMessage.ERROR, problem.translated(self.gettext)))
        return validation

    def settings_warnings(self):
        """Problems of stored settings that the editor cannot cause (say, a kind of work no
        installed component provides), as common.settings.Problem."""
        return ()

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
