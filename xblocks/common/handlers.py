"""The one wrapper every BizMOOC handler goes through.

`@api_handler(...)` declares, next to the handler, what it accepts and who may call it:

    @api_handler(method="POST", shape={"text": Str(max_length=5000)}, role=LEARNER)
    def save_draft(self, data, caller): ...

The wrapper checks, in this order and before the handler body runs: the HTTP method, the
caller's role (so someone who may not act learns nothing about the shape it expects), the
body size, that the body is JSON, and its shape. The handler body runs inside a database
transaction, so an ApiError raised half-way (say, by the domain
module) rolls back whatever it wrote. Every refusal is `{"error": {"code", "message"}}`
with a 4xx status (503 when the database refused the transaction for a lock conflict, a
deadlock say: nothing was written, the browser may send it again); a dict result becomes
a 200 JSON response; a webob Response (a CSV download, a printable page) is passed through.
"""
import functools
import json
import logging

from django.db import OperationalError, transaction
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
        return _query(request, shape)
    raw = _read_bytes(request, get_setting("MAX_REQUEST_BYTES"))
    try:
        return jsontext.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: "[[[[..." too deep
        raise ApiError("invalid_json", _("The request body is not valid JSON.")) from None


def _query(request, shape):
    return {name: value for name, value in request.GET.items() if name in shape}


def _read_bytes(request, limit):
    """The body, refused (413) when it is, or says it is, larger than `limit` bytes; never more
    than `limit` + 1 bytes are read."""
    declared = request.content_length or 0
    if declared > limit:
        raise ApiError("too_large", _("The request is larger than {limit} bytes."), 413, params={"limit": limit})
    raw = request.body_file.read(limit + 1)
    if len(raw) > limit:
        raise ApiError("too_large", _("The request is larger than {limit} bytes."), 413, params={"limit": limit})
    return raw


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


# MySQL/MariaDB's deadlock (1213) and lock wait timeout (1205); SQLite's busy write lock.
LOCK_CONFLICT_CODES = (1213, 1205)
BUSY = ApiError("busy", _("Others saved at the same moment. Please try again."), 503)


def is_lock_conflict(error):
    """Whether the database refused a transaction because others held the locks it needed:
    the transaction was rolled back whole, so the request changed nothing and can simply be
    sent again. Answered with a 503 the browser can retry, never a 500."""
    code = error.args[0] if error.args else None
    return code in LOCK_CONFLICT_CODES or "database is locked" in str(error)


def api_handler(method="POST", shape=None, role=LEARNER, upload_limit=None):
    """Declare an XBlock handler's method, body shape and role (see module docstring).

    `shape` may be a function of the block class, for a handler every component shares
    whose body each declares (`studio_submit`, from the component's settings schema).

    `upload_limit` (a POST taking a file): a function giving the most bytes the body may have.
    The body is then the file's bytes as they are (what `fetch(url, {body: file})` sends), not
    JSON: the handler gets them as `data["content"]`, and `shape` checks the query parameters
    (the file's name, say). Same checks in the same order as for JSON, the size against this
    limit instead of MAX_REQUEST_BYTES. Why not multipart: the LMS's CSRF middleware reads a
    multipart body into Django's request.POST before the block's handler sees it, and Python
    3.13 removed the `cgi` parser older WebOb versions use; a raw body reaches the handler
    untouched on every platform release, one file per request."""
    if method not in ("GET", "POST") or (upload_limit is not None and method != "POST"):
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
                if upload_limit is None:
                    data = validate(declared, _read_body(request, method, declared))
                else:
                    data = validate(declared, _query(request, declared))
                    data["content"] = _read_bytes(request, upload_limit(block))
                with transaction.atomic():
                    result = func(block, data, caller)
            except ApiError as error:
                return error_response(block, error)
            except OperationalError as error:
                if not is_lock_conflict(error):
                    raise
                log.warning("%s.%s: lock conflict, refused with 503: %s", type(block).__name__, func.__name__, error)
                return error_response(block, BUSY)
            if isinstance(result, Response):
                return result
            return json_response(result if result is not None else {})

        wrapper.api_method = method
        wrapper.api_role = role
        return wrapper

    return decorate
