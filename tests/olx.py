"""OLX for the block tests, and the import/export round trip every BizMOOC block must pass.

Why one module: every block is configured by course teams in Studio and moved between courses
as OLX, so every block's tests write OLX the same way (`block_xml`) and check the same promise
(`OlxRoundTrip`): each course-team field survives export and re-import exactly, a twice-exported
block is byte-identical, defaults stay defaults. Written once, a fix or a stricter check here
reaches every block at once; the block's own test module keeps only what differs (its fields
at non-default values and the checks on its own types, emoji and defaults) and its test that no
learner data is exported.
"""
import io
import json
from datetime import datetime
from xml.sax.saxutils import quoteattr

import pytest
from lxml import etree
from xblock.fields import Scope

# XBlock's own fields: every block has them, none is a course-team setting of ours.
XBLOCK_OWN_FIELDS = ("name", "tags")
COURSE_SCOPES = (Scope.settings, Scope.content)


def block_xml(tag, **attributes):
    """OLX for one block as a course team would write it: dicts and lists become JSON, booleans
    true/false, dates ISO 8601, the rest text; every value is quoted as an XML attribute."""
    def text(value):
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)
    return f"<{tag} " + " ".join(f"{name}={quoteattr(text(value))}" for name, value in attributes.items()) + "/>"


def course_field_names(block_class):
    """The names of the block's own course-team fields (settings and content scopes)."""
    return {name for name, field in block_class.fields.items()
            if field.scope in COURSE_SCOPES and name not in XBLOCK_OWN_FIELDS}


def course_fields(block):
    """The block's own course-team fields and their values (XBlock's `name` and `tags` are not ours)."""
    return {name: getattr(block, name) for name in course_field_names(type(block))}


def assert_every_course_field_covered(block_class, every_field, settings_shape):
    """`every_field` names every course-team field of the block, each at a value other than its
    default (a default would round-trip even if export forgot the field), and Studio's editor
    (`settings_shape`) saves exactly those fields."""
    assert set(every_field) == set(settings_shape)
    assert course_field_names(block_class) == set(every_field)
    for name, value in every_field.items():
        assert block_class.fields[name].default != value, name


def exported(block):
    """The block's OLX node, as Studio's course export writes it."""
    node = etree.Element("x")
    block.add_xml_to_node(node)
    return node


def exported_text(block):
    return etree.tostring(exported(block), encoding="unicode")


def reimport(wb, xml):
    """The block that importing `xml` gives (as a learner sees it)."""
    return wb.block(wb.load(xml))


class OlxRoundTrip:
    """The round-trip tests, run for a block by a subclass in its test module::

        class TestOlx(OlxRoundTrip, tag=CANVAS, block_class=CanvasBlock, settings_shape=SETTINGS_SHAPE,
                      every_field=EVERY_FIELD, olx=canvas_xml):

    `tag` is the block's OLX tag, `settings_shape` what Studio's editor saves, `every_field` every
    course-team field at a non-default value with emoji, quotes and markup, `olx` makes the OLX of
    one block from fields. The `check_*` hooks add the block's own assertions.
    """

    def __init_subclass__(cls, *, tag, block_class, settings_shape, every_field, olx, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.tag, cls.block_class, cls.settings_shape, cls.every_field = tag, block_class, settings_shape, every_field
        cls.olx = staticmethod(olx)

    def check_every_field(self):
        """More about `every_field` (e.g. a JSON field stored as Studio stores it)."""

    def check_imported(self, block):
        """More about the block imported from `every_field` (defaults to: no validation message)."""
        assert block.validate().empty

    def check_round_trip(self, again):
        """More about the re-imported block: types kept, characters beyond the basic plane kept."""

    def check_defaults(self, again):
        """The defaults a block without settings comes back with."""

    @pytest.fixture
    def imported(self, wb):
        block = reimport(wb, self.olx(**self.every_field))
        assert course_fields(block) == self.every_field
        self.check_imported(block)
        return block

    def test_every_course_field_is_covered_with_a_non_default_value(self):
        assert_every_course_field_covered(self.block_class, self.every_field, self.settings_shape)
        self.check_every_field()

    def test_round_trip_through_add_xml_to_node(self, wb, imported):
        node = exported(imported)
        assert node.tag == self.tag
        again = reimport(wb, etree.tostring(node, encoding="unicode"))
        assert course_fields(again) == self.every_field
        self.check_round_trip(again)

    def test_round_trip_through_the_runtime_export(self, wb, imported):
        out = io.BytesIO()
        imported.runtime.export_to_xml(imported, out)
        assert course_fields(reimport(wb, out.getvalue())) == self.every_field

    def test_twice_exported_is_identical(self, wb, imported):
        first = exported(imported)
        second = exported(reimport(wb, etree.tostring(first)))
        assert etree.tostring(first) == etree.tostring(second)

    def test_defaults_round_trip_as_defaults(self, wb):
        block = reimport(wb, f"<{self.tag}/>")
        again = reimport(wb, etree.tostring(exported(block)))
        assert course_fields(again) == course_fields(block)
        self.check_defaults(again)
