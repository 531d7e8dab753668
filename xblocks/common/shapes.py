"""Declared request shapes: what a handler accepts, checked before any state changes.

A shape is a dict of field name -> rule. Rules know their type, whether they are
required, and their limits; a limit may be a callable so that it can read an operator
setting at request time. `validate(shape, data)` returns a clean copy or raises an
ApiError naming the offending field; unknown keys are refused, not ignored, so that a
typo in a client never silently drops data.
"""
import math

from .errors import _, bad_request


def _limit(value):
    return value() if callable(value) else value


class Rule:
    """Base rule: `required` keys must be present; optional ones take `default`."""

    def __init__(self, required=True, default=None):
        self.required = required
        self.default = default

    def check(self, name, value):
        raise NotImplementedError


class Str(Rule):
    """Text of at most `max_length` characters; `min_length` counts non-blank characters."""

    def __init__(self, max_length, min_length=0, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length

    def check(self, name, value):
        if not isinstance(value, str):
            raise bad_request("invalid_type", _("'{name}' must be text."), field=name, name=name)
        try:
            value.encode("utf-8")  # JSON's "\ud800" escapes give strings no database can store
        except UnicodeEncodeError:
            raise bad_request("invalid_text", _("'{name}' is not valid text."), field=name, name=name) from None
        limit = _limit(self.max_length)
        if len(value) > limit:
            raise bad_request("too_long", _("'{name}' is longer than {limit} characters."),
                              field=name, name=name, limit=limit)
        if len(value.strip()) < self.min_length:
            raise bad_request("too_short", _("'{name}' must not be empty."), field=name, name=name)
        return value


class Int(Rule):
    def __init__(self, min_value=None, max_value=None, **kwargs):
        super().__init__(**kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def check(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request("invalid_type", _("'{name}' must be a whole number."), field=name, name=name)
        low, high = _limit(self.min_value), _limit(self.max_value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise bad_request("out_of_range", _("'{name}' is out of range."), field=name, name=name)
        return value


class Number(Int):
    """A whole or decimal number (JSON has no distinction the browser respects).

    NaN and infinities are refused: every comparison with NaN is false, so they would pass
    the range check, and the runtime cannot save them nor the browser read them back.
    """

    def check(self, name, value):
        if isinstance(value, float) and not math.isfinite(value):
            raise bad_request("out_of_range", _("'{name}' is out of range."), field=name, name=name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, float):
            low, high = _limit(self.min_value), _limit(self.max_value)
            if (low is not None and value < low) or (high is not None and value > high):
                raise bad_request("out_of_range", _("'{name}' is out of range."), field=name, name=name)
            return value
        return super().check(name, value)


class IntText(Int):
    """A whole number given as text, as query parameters are (e.g. `?page=2`)."""

    def check(self, name, value):
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            value = int(value)
        return super().check(name, value)


class Bool(Rule):
    def check(self, name, value):
        if not isinstance(value, bool):
            raise bad_request("invalid_type", _("'{name}' must be true or false."), field=name, name=name)
        return value


class Choice(Rule):
    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def check(self, name, value):
        if value not in self.choices:
            raise bad_request("invalid_choice", _("'{name}' must be one of: {choices}."),
                              field=name, name=name, choices=", ".join(map(str, self.choices)))
        return value


class ListOf(Rule):
    def __init__(self, item, max_items, min_items=0, **kwargs):
        super().__init__(**kwargs)
        self.item = item
        self.max_items = max_items
        self.min_items = min_items

    def check(self, name, value):
        if not isinstance(value, list):
            raise bad_request("invalid_type", _("'{name}' must be a list."), field=name, name=name)
        high = _limit(self.max_items)
        if not self.min_items <= len(value) <= high:
            raise bad_request("invalid_length", _("'{name}' must hold between {low} and {high} items."),
                              field=name, name=name, low=self.min_items, high=high)
        return [self.item.check(name, item) for item in value]


class Nullable(Rule):
    """`rule`, or JSON null (e.g. "I can't judge yet")."""

    def __init__(self, rule, **kwargs):
        super().__init__(**kwargs)
        self.rule = rule

    def check(self, name, value):
        return None if value is None else self.rule.check(name, value)


class MapOf(Rule):
    """An object with short text keys (ids) and values checked by `value`; keys are not
    known in advance (competence ids), so the domain module checks which ones exist."""

    def __init__(self, value, max_items, max_key_length=40, **kwargs):
        super().__init__(**kwargs)
        self.value = value
        self.max_items = max_items
        self.max_key_length = max_key_length

    def check(self, name, value):
        if not isinstance(value, dict):
            raise bad_request("invalid_type", _("'{name}' must be an object."), field=name, name=name)
        high = _limit(self.max_items)
        if len(value) > high:
            raise bad_request("invalid_length", _("'{name}' must hold at most {high} items."),
                              field=name, name=name, high=high)
        clean = {}
        for key, item in value.items():
            if not key or len(key) > self.max_key_length:
                raise bad_request("invalid_key", _("'{name}' has an invalid key."), field=name, name=name)
            clean[key] = self.value.check(f"{name}.{key}", item)
        return clean


class Anything(Rule):
    """Any JSON value, for structured data a domain parser validates (a framework)."""

    def check(self, name, value):
        return value


def validate(shape, data):
    """Check `data` (parsed JSON) against `shape`; return the cleaned dict."""
    if not isinstance(data, dict):
        raise bad_request("invalid_body", _("The request body must be a JSON object."))
    unknown = sorted(set(data) - set(shape))
    if unknown:
        raise bad_request("unknown_field", _("Unexpected field '{name}'."), field=unknown[0], name=unknown[0])
    clean = {}
    for name, rule in shape.items():
        if name not in data:
            if rule.required:
                raise bad_request("missing_field", _("'{name}' is required."), field=name, name=name)
            clean[name] = rule.default
            continue
        clean[name] = rule.check(name, data[name])
    return clean
