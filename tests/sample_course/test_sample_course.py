"""The sample course export (devstack/bizmooc-demo-course.tar.gz) that course teams import
into Studio: it is exactly what scripts/build-sample-course makes of its OLX source
(devstack/sample-course/), it has the layout of a Studio export, and every BizMOOC block in
it loads through the suite's own OLX import on the real workbench runtime, validates
cleanly, and exports again to the same settings. The canvas that continues from an earlier
one names it by the location Open edX gives that block once the course is imported.

The BizMOOC blocks sit inline in the vertical files, as Studio exports pure XBlocks: Open
edX resolves pointer files (`<block url_name="x"/>` + `<type>/x.xml`) only for its
built-in XmlMixin blocks, so a pure XBlock written that way would import empty.
"""
import gzip
import io
import json
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from opaque_keys.edx.keys import UsageKey
from xblock.fields import Boolean, DateTime, Dict, Float, Integer, List, Scope, String

from tests.conftest import LEARNER_A, LEARNER_B
from xblocks.creativity_lab.idea_board import IdeaBoardBlock
from xblocks.initiative_canvas import canvas, canvas_store, canvas_templates
from xblocks.initiative_canvas.canvas_block import CanvasBlock
from xblocks.learning_to_learn import frameworks
from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock
from xblocks.learning_to_learn.self_assessment import SelfAssessmentBlock
from xblocks.peer_review.peer_review import PeerReviewBlock

REPO = Path(__file__).resolve().parents[2]
TARBALL = REPO / "devstack" / "bizmooc-demo-course.tar.gz"
SOURCE = REPO / "devstack" / "sample-course"
BUILD = REPO / "scripts" / "build-sample-course"
TOP = "course"
JOURNAL = "bizmooc_reflection_journal"
SA = "bizmooc_self_assessment"
CANVAS = "bizmooc_canvas"
IDEA_BOARD = "bizmooc_idea_board"
PEER_REVIEW = "bizmooc_peer_review"
BLOCKS = {JOURNAL: ReflectionJournalBlock, SA: SelfAssessmentBlock, CANVAS: CanvasBlock, IDEA_BOARD: IdeaBoardBlock,
          PEER_REVIEW: PeerReviewBlock}
# What the exporter writes next to the fields; not fields themselves.
NOT_FIELDS = {"url_name", "xblock-family"}
CONTAINERS = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}


def tar_bytes(path):
    """The uncompressed tar stream: what must match, whatever gzip build compressed it."""
    return gzip.decompress(path.read_bytes())


def members(path):
    with tarfile.open(path) as tar:
        return {m.name: (m.type, m.mode, m.mtime, m.uid, m.gid, tar.extractfile(m).read() if m.isfile() else None)
                for m in tar.getmembers()}


# The tarball is never stale -------------------------------------------------------------

def test_committed_tarball_is_what_the_build_script_makes(tmp_path):
    rebuilt = tmp_path / "rebuilt.tar.gz"
    subprocess.run([str(BUILD), str(rebuilt)], cwd=REPO, check=True, capture_output=True, timeout=60)
    committed, fresh = members(TARBALL), members(rebuilt)
    stale = sorted(name for name in committed.keys() | fresh.keys() if committed.get(name) != fresh.get(name))
    assert not stale, f"run scripts/build-sample-course: {TARBALL.name} differs from {SOURCE.name}/ in {stale}"
    assert tar_bytes(TARBALL) == tar_bytes(rebuilt)


def test_the_build_is_reproducible(tmp_path):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    for out in (first, second):
        subprocess.run([str(BUILD), str(out)], cwd=REPO, check=True, capture_output=True, timeout=60)
    assert first.read_bytes() == second.read_bytes()
    header = first.read_bytes()[:10]
    assert header[3] & 0x08 == 0, "gzip header names a file (gzip -n leaves it out)"
    assert header[4:8] == b"\0\0\0\0", "gzip header carries a time (gzip -n leaves it out)"


def test_tarball_holds_one_top_folder_named_course_and_nothing_else():
    with tarfile.open(TARBALL) as tar:
        for member in tar.getmembers():
            assert member.name == TOP or member.name.startswith(TOP + "/"), member.name
            assert ".." not in member.name.split("/") and not member.name.startswith("/"), member.name
            assert member.isdir() or member.isfile(), f"{member.name}: only folders and files"
            assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
            assert member.mode == (0o755 if member.isdir() else 0o644), f"{member.name}: {oct(member.mode)}"
            assert not any(part.startswith(".") for part in member.name.split("/")), member.name


# The course structure --------------------------------------------------------------------

@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    """The committed tarball unpacked, as Studio unpacks an import."""
    target = tmp_path_factory.mktemp("import")
    with tarfile.open(TARBALL) as tar:
        tar.extractall(target, filter="data")
    return target / TOP


def parse(path):
    assert path.is_file(), f"{path} is missing"
    return etree.parse(str(path)).getroot()


def pointer(child):
    """A child that only names its file (Studio's pointer form): url_name and nothing else."""
    return set(child.attrib) == {"url_name"} and len(child) == 0


class Course:
    """The course as Studio would read it: every container from its own file."""

    def __init__(self, root):
        self.root = root
        top = parse(root / "course.xml")
        assert top.tag == "course" and set(top.attrib) == {"url_name", "org", "course"}
        self.org, self.number, self.run = top.get("org"), top.get("course"), top.get("url_name")
        self.course = parse(root / "course" / f"{self.run}.xml")
        self.files = {("course", self.run): self.course}  # (tag, url_name) -> root element
        self._walk("course", self.course)

    def _walk(self, tag, element):
        child_tag = CONTAINERS.get(tag)
        if child_tag is None:
            return
        children = list(element)
        assert children, f"<{tag}> has no {child_tag}"
        for child in children:
            assert child.tag == child_tag, f"<{tag}> holds <{child.tag}>, expected <{child_tag}>"
            assert pointer(child), etree.tostring(child)
            url_name = child.get("url_name")
            assert (child_tag, url_name) not in self.files, f"{child_tag} {url_name} is used twice"
            loaded = parse(self.root / child_tag / f"{url_name}.xml")
            assert loaded.tag == child_tag and "url_name" not in loaded.attrib
            assert loaded.get("display_name", "").strip(), f"{child_tag}/{url_name}.xml has no display_name"
            self.files[(child_tag, url_name)] = loaded
            self._walk(child_tag, loaded)

    def of(self, tag):
        return {url: element for (kind, url), element in self.files.items() if kind == tag}

    def components(self):
        """(vertical url_name, component element) in course order."""
        for url_name, vertical in self.of("vertical").items():
            for child in vertical:
                yield url_name, child

    def bizmooc_blocks(self):
        return [(unit, child) for unit, child in self.components() if child.tag in BLOCKS]

    def course_key(self):
        """The course's id once imported, as Open edX writes it."""
        return f"course-v1:{self.org}+{self.number}+{self.run}"

    def policy(self):
        return json.loads((self.root / "policies" / self.run / "policy.json").read_text("utf-8"))[f"course/{self.run}"]


@pytest.fixture(scope="module")
def course(course_dir):
    return Course(course_dir)


def test_course_resolves_from_course_xml_down_to_every_unit(course):
    assert (course.org, course.number, course.run) == ("BizMOOC", "XBlocksDemo", "2026")
    assert len(course.of("chapter")) == 3  # one per BizMOOC pilot
    assert len(course.of("sequential")) >= 3
    # Learning to learn: two units; Sense of initiative: five (the last a peer review); Innovation: two
    assert len(course.of("vertical")) == 9


def test_every_file_in_the_export_is_used(course, course_dir):
    used = {course_dir / "course.xml", course_dir / "course" / f"{course.run}.xml"}
    used |= {course_dir / tag / f"{url}.xml" for (tag, url) in course.files if tag != "course"}
    for _unit, child in course.components():
        if child.tag == "html":
            html = parse(course_dir / "html" / f"{child.get('url_name')}.xml")
            used |= {course_dir / "html" / f"{child.get('url_name')}.xml",
                     course_dir / "html" / f"{html.get('filename')}.html"}
    structural = {p for p in course_dir.rglob("*.xml")} | set((course_dir / "html").glob("*.html"))
    assert structural - used == set(), "files nothing refers to"


def test_components_are_html_pointers_or_inline_bizmooc_blocks(course, course_dir):
    for unit, child in course.components():
        if child.tag == "html":
            assert pointer(child)
            html = parse(course_dir / "html" / f"{child.get('url_name')}.xml")
            assert html.tag == "html" and html.get("display_name")
            body = (course_dir / "html" / f"{html.get('filename')}.html").read_text("utf-8")
            assert etree.fromstring(f"<div>{body}</div>", etree.HTMLParser()) is not None and body.strip()
        else:
            assert child.tag in BLOCKS, f"unit {unit} holds a <{child.tag}>, which the demo does not use"
            assert not pointer(child), f"{child.tag} {child.get('url_name')}: write the block inline"
            assert child.get("url_name") and child.get("display_name")
            assert child.get("xblock-family") == "xblock.v1"


def test_url_names_are_unique(course):
    names = [url for (_tag, url) in course.files] + [child.get("url_name") for _unit, child in course.components()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_component_is_used_and_enabled_in_the_policy(course):
    used = {child.tag for _unit, child in course.bizmooc_blocks()}
    assert used == set(BLOCKS)
    policy = course.policy()
    assert set(policy["advanced_modules"]) >= set(BLOCKS)
    assert policy["display_name"].strip()
    assert json.loads(course.course.get("advanced_modules")) == policy["advanced_modules"]
    assert course.course.get("display_name") == policy["display_name"]


def test_graded_blocks_sit_in_subsections_the_grading_policy_counts(course, course_dir):
    grading = json.loads((course_dir / "policies" / course.run / "grading_policy.json").read_text("utf-8"))
    types = {grader["type"] for grader in grading["GRADER"]}
    sequential_of = {vertical.get("url_name"): url for url, seq in course.of("sequential").items()
                     for vertical in seq}
    sequentials = course.of("sequential")
    graded = [(unit, child) for unit, child in course.bizmooc_blocks() if child.get("graded") == "true"]
    assert graded, "the demo shows a graded component"
    for unit, child in graded:
        sequential = sequentials[sequential_of[unit]]
        assert sequential.get("graded") == "true" and sequential.get("format") in types, \
            f"{child.get('url_name')} is graded, but its subsection does not count towards the grade"


def test_demo_follows_the_guide_on_groups_and_journals(course):
    """Each phase of an assessment group appears once, and a group keeps one framework."""
    phases, framework_of = {}, {}
    for _unit, child in course.bizmooc_blocks():
        if child.tag != SA:
            continue
        key = (child.get("group_name"), child.get("phase"))
        assert key not in phases, f"two blocks answer {key}: they would share one answer"
        phases[key] = child.get("url_name")
        framework = child.get("framework_choice")
        assert framework_of.setdefault(child.get("group_name"), framework) == framework
    assert ("Intrapreneurship module: EntreComp check", "before") in phases
    assert ("Intrapreneurship module: EntreComp check", "after") in phases
    assert set(framework_of.values()) == {"entrecomp", "lifecomp", "custom"}


# The canvas, built over two units ------------------------------------------------------------

def template_of(element):
    """The canvas template a <bizmooc_canvas> element names, read without the block."""
    choice = element.get("template_choice", "business_model_canvas")
    if choice == "custom":
        return canvas_templates.parse_template(json.loads(element.get("custom_template")))
    return canvas_templates.built_in(choice)


def canvases(course):
    return [child for _unit, child in course.bizmooc_blocks() if child.tag == CANVAS]


def minimal_canvas(element):
    """The fewest notes that meet the element's completion rule."""
    template = template_of(element)
    required = json.loads(element.get("required_sections", "[]")) or list(template.section_ids)
    per_section = max(int(element.get("min_notes", "1")), 1)
    return [{"id": f"n{s}{i}", "section": section, "text": f"{section} {i}", "colour": "yellow"}
            for s, section in enumerate(required) for i in range(per_section)]


def test_demo_shows_a_canvas_with_an_example_and_a_completion_rule(course):
    first = canvases(course)[0]
    assert json.loads(first.get("example_notes", "[]")), "the first canvas shows an example canvas"
    assert json.loads(first.get("required_sections", "[]")), "the first canvas names its required sections"
    assert canvas.rule_met(template_of(first), minimal_canvas(first), json.loads(first.get("required_sections")),
                           int(first.get("min_notes", "1")))


def test_a_later_canvas_continues_from_an_earlier_one_by_its_open_edx_location(course):
    order = [child.get("url_name") for _unit, child in course.components()]
    by_name = {child.get("url_name"): child for child in canvases(course)}
    continuing = [child for child in by_name.values() if child.get("continue_from")]
    assert continuing, "the demo shows a canvas that continues from an earlier one"
    for child in continuing:
        location = child.get("continue_from")
        key = UsageKey.from_string(location)
        assert str(key) == location, "written as Open edX writes a usage key"
        assert str(key.course_key) == course.course_key(), "the location names this course, as course.xml does"
        assert key.block_type == CANVAS and key.block_id in by_name, f"{location} is no canvas of this course"
        assert order.index(key.block_id) < order.index(child.get("url_name")), "the earlier canvas comes first"
        earlier = by_name[key.block_id]
        # The guide's advice: notes carry over (shared sections), and the later rule asks for
        # more, so a learner who did only what the earlier canvas asked is not done on arrival.
        carried = [n for n in minimal_canvas(earlier) if n["section"] in template_of(child).section_ids]
        assert carried, "no note of the earlier canvas would carry over"
        assert not canvas.rule_met(template_of(child), carried, json.loads(child.get("required_sections", "[]")),
                                   int(child.get("min_notes", "1")))


def view_args(wb, usage_id, user):
    return json.loads(wb.block(usage_id, user).student_view({}).json_init_args["bizmooc"])


def test_the_continuing_canvas_starts_from_the_learners_canvas_at_that_location(wb, course):
    """In Open edX the earlier block's canvases are stored under its location: a learner's
    canvas there is where the later block starts, another learner's never is."""
    by_name = {child.get("url_name"): child for child in canvases(course)}
    for child in by_name.values():
        location = child.get("continue_from")
        if not location:
            continue
        earlier = by_name[UsageKey.from_string(location).block_id]
        template = template_of(earlier)
        notes = minimal_canvas(earlier)
        place = canvas_store.Place(course_id=course.course_key(), usage_id=location, user_id=LEARNER_A)
        canvas_store.save(place, template, notes, 0, canvas.progress(template, notes))

        later = wb.load(etree.tostring(child, encoding="unicode"))
        mine = view_args(wb, later, LEARNER_A)
        assert (mine["continued"], mine["version"]) == (True, 0)
        assert mine["notes"] == [n for n in notes if n["section"] in template_of(child).section_ids]
        other = view_args(wb, later, LEARNER_B)
        assert (other["continued"], other["notes"]) == (False, [])


# Every BizMOOC block through the suite's OLX import ----------------------------------------

def expected_value(field, raw):
    """The value an attribute should give, read without XBlock's own parser."""
    if isinstance(field, Boolean):
        assert raw in ("true", "false"), raw
        return raw == "true"
    if isinstance(field, Integer):
        return int(raw)
    if isinstance(field, Float):
        return float(raw)
    if isinstance(field, (List, Dict)):
        return json.loads(raw)
    if isinstance(field, DateTime):
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    assert isinstance(field, String), type(field)
    return raw


def course_fields(block):
    return {name: getattr(block, name) for name, field in block.fields.items()
            if field.scope in (Scope.settings, Scope.content) and name not in ("name", "tags")}


def validation_messages(block):
    return [message.text for message in block.validate().messages]


def block_ids(course_dir):
    return [f"{child.tag}:{child.get('url_name')}" for _unit, child in Course(course_dir).bizmooc_blocks()]


@pytest.fixture(scope="module")
def bizmooc_blocks(course):
    return {child.get("url_name"): child for _unit, child in course.bizmooc_blocks()}


def _source_blocks():
    """url_names of the blocks in the source folder, to name each test case."""
    return [f"{child.tag}:{child.get('url_name')}" for _unit, child in Course(SOURCE).bizmooc_blocks()]


@pytest.mark.parametrize("block_id", _source_blocks())
def test_block_loads_with_the_values_in_the_file_and_validates(wb, bizmooc_blocks, block_id):
    tag, url_name = block_id.split(":")
    element = bizmooc_blocks[url_name]
    cls = BLOCKS[tag]
    unknown = set(element.attrib) - NOT_FIELDS - set(cls.fields)
    assert not unknown, f"attributes the block would silently ignore: {unknown}"

    usage_id = wb.load(etree.tostring(element, encoding="unicode"))
    block = wb.block(usage_id)
    assert isinstance(block, cls)
    for name, raw in element.attrib.items():
        if name in NOT_FIELDS:
            continue
        assert getattr(block, name) == expected_value(cls.fields[name], raw), name
    for name, field in cls.fields.items():
        if field.scope == Scope.settings and name not in element.attrib and name not in ("name", "tags"):
            assert getattr(block, name) == field.default, f"{name} is not in the file but is not the default"
    assert validation_messages(block) == []

    html = wb.render(usage_id)
    assert block.display_name in html.replace("&#x27;", "'").replace("&#39;", "'")
    if tag == SA:
        if block.framework_choice == "custom":
            assert block.framework.as_json() == frameworks.parse_framework(block.custom_framework).as_json()
            assert block.framework.id == block.custom_framework["id"]
        else:
            assert block.framework.id == block.framework_choice
        assert set(block.parsed_feedback) == set(block.feedback)
        for competence in block.framework.competences:
            assert competence.title in html or competence.title.replace("'", "&#x27;") in html
    if tag == CANVAS:
        assert block.template.as_json() == template_of(element).as_json()
        page = lxml.html.fromstring(html)
        sections = [h.text_content() for h in page.xpath("//li[@data-section][contains(@class, 'canvas-section')]/h5")]
        assert sections == [section.title for section in block.template.sections]
        attributions = [p.text_content() for p in page.xpath("//p[contains(@class, 'canvas-attribution')]")]
        assert attributions and all(a.startswith(block.template.attribution) for a in attributions)
        assert page.xpath("//a[@rel='license noopener']/@href") == [block.template.licence_url]
        example = page.xpath("//section[contains(@class, 'canvas-example')]//span[@class='canvas-note-text']")
        assert sorted(n.text_content() for n in example) == sorted(n["text"] for n in block.example_notes)


@pytest.mark.parametrize("block_id", _source_blocks())
def test_block_exports_again_to_the_same_settings(wb, bizmooc_blocks, block_id):
    tag, url_name = block_id.split(":")
    block = wb.block(wb.load(etree.tostring(bizmooc_blocks[url_name], encoding="unicode")))
    node = etree.Element("x")
    block.add_xml_to_node(node)
    assert node.tag == tag
    again = wb.block(wb.load(etree.tostring(node, encoding="unicode")))
    assert course_fields(again) == course_fields(block)
    exported = {name for name in node.attrib if name not in NOT_FIELDS}
    assert exported == set(bizmooc_blocks[url_name].attrib) - NOT_FIELDS


def test_source_folder_and_tarball_name_the_same_blocks(course_dir):
    assert block_ids(course_dir) == _source_blocks()


def test_tar_stream_is_a_plain_tar(tmp_path):
    """Studio unpacks with Python's tarfile: the stream must open without gzip tricks."""
    with tarfile.open(fileobj=io.BytesIO(tar_bytes(TARBALL)), mode="r:") as tar:
        assert TOP + "/course.xml" in tar.getnames()


# Peer review and the idea board --------------------------------------------------------------

def test_a_peer_review_of_canvases_comes_after_the_canvas_it_reviews(course):
    """The guide's advice: learners submit a canvas they made earlier in the course."""
    order = [child.get("url_name") for _unit, child in course.components()]
    reviews = [child for _unit, child in course.bizmooc_blocks()
               if child.tag == PEER_REVIEW and child.get("artefact_kind") == "canvas"
               and child.get("submission_type") == "artefact"]
    assert reviews, "the demo shows a peer review of canvases"
    first_canvas = order.index(canvases(course)[0].get("url_name"))
    assert all(order.index(review.get("url_name")) > first_canvas for review in reviews)


def test_training_examples_score_every_criterion_with_an_option_of_the_rubric(wb, course):
    """A training example scored against options the rubric lacks would fail every learner."""
    trained = [child for _unit, child in course.bizmooc_blocks()
               if child.tag == PEER_REVIEW and child.get("training_enabled") == "true"]
    assert trained, "the demo shows training on examples"
    for child in trained:
        block = wb.block(wb.load(etree.tostring(child, encoding="unicode")), LEARNER_A)
        assert not block.validate().messages, [m.text for m in block.validate().messages]
        options = {c["id"]: {o["id"] for o in c["options"]} for c in block.rubric["criteria"] if c["options"]}
        for example in block.training_examples:
            assert set(example["scores"]) == set(options)
            assert all(example["scores"][c] in options[c] for c in options)
