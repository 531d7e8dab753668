"""JSON text read as the browser's `JSON.parse` reads it: finite numbers only.

Python's `json` accepts the literals `NaN`, `Infinity` and `-Infinity`, and turns `1e999`
into infinity. Every comparison with NaN is false, so such a value slips past any range
check; the runtime then fails to save it (a 500), or `json.dumps` writes it back as `NaN`,
which no browser can parse. A number too long for Python's int conversion raises a bare
ValueError instead of a decoding error. Here all of these are refused as invalid JSON, so a
caller that already answers `json.JSONDecodeError` with a 400 covers them too.
"""
import json
import math


class _NotFinite(ValueError):
    pass


def _no_constant(name):
    raise _NotFinite(name)


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def loads(text):
    """`json.loads(text)`, raising json.JSONDecodeError for anything `JSON.parse` refuses
    or that is no finite number."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # _NotFinite, or an integer with more digits than Python converts
        raise json.JSONDecodeError(f"not a finite number: {str(error)[:40]}", text, 0) from None
