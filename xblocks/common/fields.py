"""XBlock field types the suite needs beyond XBlock's own.

XBlock writes Dict and List fields to OLX with json.dumps (an emoji becomes a
\\ud83d\\ude80 surrogate pair) but reads them back with YAML, which leaves lone
surrogates that the LMS cannot store: a course with an emoji in a prompt or a framework
would not import. These fields read JSON first; hand-written YAML still loads.
"""
import json

from xblock.fields import Dict, List


class _JSONFirst:
    def from_string(self, serialized):
        try:
            return self.enforce_type(json.loads(serialized))
        except ValueError:
            return super().from_string(serialized)


class JSONDict(_JSONFirst, Dict):
    """A Dict that round-trips through OLX exactly, emoji included."""


class JSONList(_JSONFirst, List):
    """A List that round-trips through OLX exactly, emoji included."""
