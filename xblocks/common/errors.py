"""The one error type a handler or a domain module raises to refuse a request.

Domain modules raise it too (they know nothing of XBlock or webob): the handler
wrapper turns it into `{"error": {"code", "message"}}` with its 4xx status. The
message is an untranslated template with `{named}` placeholders, marked with `_()`
for extraction; the wrapper translates it with the block's i18n service and only then
fills in `params`, so catalogues hold one string per message, not one per value.
"""


def _(message):
    """Mark a message for extraction; translation happens when the error is sent."""
    return message


class Phrase:
    """A translatable fragment that fills another message's placeholder, e.g. the
    "level 2 label" in "{where} needs a text.", so that no English leaks into a
    translated message."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params

    def translated(self, gettext=lambda text: text):
        return _fill(gettext(self.message), self.params, gettext)


def _fill(template, params, gettext):
    return template.format(**{name: value.translated(gettext) if isinstance(value, Phrase) else value
                              for name, value in params.items()})


class ApiError(Exception):
    """A refused request: a stable machine `code`, a human `message`, an HTTP status."""

    def __init__(self, code, message, status=400, field=None, params=None, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.params = params or {}
        self.details = details or {}

    def translated(self, gettext=lambda text: text):
        """The message in the reader's language, placeholders filled in."""
        return _fill(gettext(self.message), self.params, gettext)

    def as_json(self, gettext=lambda text: text):
        """The body sent to the browser, translated with `gettext`."""
        error = {"code": self.code, "message": self.translated(gettext)}
        if self.field:
            error["field"] = self.field
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(code, message, field=None, **params):
    """The common 400; `field` names the input at fault, for the form to highlight."""
    return ApiError(code, message, 400, field=field, params=params)


def forbidden(message, code="forbidden"):
    return ApiError(code, message, 403)


def not_found(message, code="not_found"):
    return ApiError(code, message, 404)


def conflict(code, message, details=None):
    return ApiError(code, message, 409, details=details)
