"""XBlock field types the suite needs beyond XBlock's own.

XBlock writes Dict and List fields to OLX with json.dumps (an emoji becomes a
\\ud83d\\ude80 surrogate pair) but reads them back with YAML, which leaves lone
surrogates that the LMS cannot store: a course with an emoji in a prompt or a framework
would not import. These fields read JSON first; hand-written YAML still loads.
"""
import json
import logging

from xblock.fields import DateTime, Dict, List

log = logging.getLogger(__name__)


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


class Moment(DateTime):
    """A DateTime whose stored text, if it is not a date (a hand-edited OLX file), reads as
    none and is logged, instead of failing every view of the block. Earlier releases stored
    these settings as text ("2027-03-01T14:00"), which this reads as it did."""

    def from_json(self, value):
        try:
            return super().from_json(value)
        except (TypeError, ValueError, OverflowError):
            log.warning("Ignoring a setting that is not a date: %r", value)
            return None

    def from_string(self, serialized):
        """OLX text read as typed: YAML would turn "2027-03-01" into a date object, which
        DateTime refuses (earlier releases exported these settings as such text)."""
        return self.from_json(serialized)
