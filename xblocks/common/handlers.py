"""The one wrapper every BizMOOC handler goes through.

`@api_handler(...)` declares, next to the handler, what it accepts and who may call it:

    @api_handler(method="POST", shape={"text": Str(max_length=5000)}, role=LEARNER)
    def save_draft(self, data, caller): ...

The wrapper checks, in this order and before the handler body runs: the HTTP method, the
caller's role (so someone who may not act learns nothing about the shape it expects), the
body size, that the body is JSON, and its shape. The handler body runs inside a database
transaction, so an ApiError raised half-way (say, by the domain
module) rolls back whatever it wrote. Every refusal is `{"error": {"code", "message"}}`
with a 4xx status; a dict result becomes a 200 JSON response; a webob Response (a CSV
download, a printable page) is passed through.
"""
import functools
import json
import logging

from django.db import transaction
from webob import Response
from xblock.core import XBlock

from . import jsontext
from .config import get_setting
from .errors import ApiError, _, forbidden
from .seams import caller_of, can_edit, i18n_of
from .shapes import validate

log = logging.getLogger(__name__)

# Open edX anonymous ids have 32 characters; the models keep 64.
MAX_USER_ID_LENGTH = 64

ANYONE = "anyone"
LEARNER = "learner"
STAFF = "staff"
# Course authors editing a block: in Studio, with write access to the course (Studio runs a
# block's handlers for anyone signed in, see seams.can_edit). Nobody in the LMS.
AUTHOR = "author"


def json_response(payload, status=200):
    return Response(
        body=json.dumps(payload).encode("utf-8"),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


def error_response(block, error):
    """The refusal as JSON, its message in the learner's language."""
    i18n = i18n_of(block)
    return json_response(error.as_json(i18n.gettext), status=error.status)


def _read_body(request, method, shape):
    """The request's JSON (POST) or query parameters (GET), size-checked first.

    Query strings also carry the runtime's own parameters (the workbench's `?student=`),
    so a GET handler sees only the parameters its shape declares. The body is read as the
    browser reads JSON (jsontext): NaN or Infinity would pass every range check.
    """
    if method == "GET":
        return {name: value for name, value in request.GET.items() if name in shape}
    limit = get_setting("MAX_REQUEST_BYTES")
    declared = request.content_length or 0
    if declared > limit:
        raise ApiError("too_large", _("The request is larger than {limit} bytes."), 413, params={"limit": limit})
    raw = request.body_file.read(limit + 1)
    if len(raw) > limit:
        raise ApiError("too_large", _("The request is larger than {limit} bytes."), 413, params={"limit": limit})
    try:
        return jsontext.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: "[[[[..." too deep
        raise ApiError("invalid_json", _("The request body is not valid JSON.")) from None


def _check_role(block, caller, role):
    if role == ANYONE:
        return
    if role == AUTHOR:
        # Studio's user has no anonymous id: authors are known by their write access.
        if not caller.is_signed_in:
            raise forbidden(_("Please sign in to do this."), code="not_signed_in")
        if not can_edit(block):
            raise forbidden(_("Only course authors can change this component."))
        return
    if not caller.is_authenticated:
        raise forbidden(_("Please sign in to do this."), code="not_signed_in")
    if len(caller.user_id) > MAX_USER_ID_LENGTH:  # only a workbench ?student= can be this long
        raise forbidden(_("This learner id is too long."), code="invalid_user")
    if role == STAFF and not caller.is_staff:
        raise forbidden(_("Only course staff can do this."))


def api_handler(method="POST", shape=None, role=LEARNER):
    """Declare an XBlock handler's method, body shape and role (see module docstring).

    `shape` may be a function of the block class, for a handler every component shares
    whose body each declares (`studio_submit`, from the component's settings schema)."""
    if method not in ("GET", "POST"):
        raise ValueError(method)

    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(block, request, suffix=""):  # pylint: disable=unused-argument
            try:
                if request.method != method:
                    raise ApiError("method_not_allowed", _("Use {method} for this request."), 405,
                                   params={"method": method})
                caller = caller_of(block)
                _check_role(block, caller, role)
                declared = (shape(type(block)) if callable(shape) else shape) or {}
                body = _read_body(request, method, declared)
                data = validate(declared, body)
                with transaction.atomic():
                    result = func(block, data, caller)
            except ApiError as error:
                return error_response(block, error)
            if isinstance(result, Response):
                return result
            return json_response(result if result is not None else {})

        wrapper.api_method = method
        wrapper.api_role = role
        return wrapper

    return decorate
