"""Benchmarks of the business-model canvas for canvases of 10 and 300 notes (issue 4, "Contract and performance").

Run through `bash benchmarks/run` (its own venv, a throwaway SQLite database), after the
journal's and the self-assessment's benchmarks, whose figures it shows next to its own. In
the xblock-sdk workbench with the devstack settings, with the demo scenario "week 2"
(Business Model Canvas, 9 sections, an example canvas of 7 notes, graded), measures in
one process, interleaved round by round with hello-world's student view as the floor:

1. the student view (fresh runtime + get_block + render, as the workbench per request) for
   a learner whose canvas has 10 and 300 notes (spread over the 9 sections, texts of about
   120 characters, 3 snapshots);
2. `save_canvas` with 10 and 300 notes (one note edited, saved from the current version:
   an autosave), `create_snapshot` of a 10- and a 300-note canvas, and the staff list
   (`staff_list`, first page) of a block with 1 and with 60 canvases, through
   `runtime.handle` (the request is built untimed, the runtime and the block are not);
3. database queries of each, split into the canvas tables, the workbench's field data and
   the total, with a flag when a count differs between the two sizes; SQLite's plan of
   every query on the canvas tables;
4. the size of the student view's JSON arguments and HTML at 10 and 300 notes;
5. page weight of the canvas's own JS+CSS that the student view links to, i.e. what a
   learner's page loads up front (the budget), the file of rarely used tools it loads on
   first use (named by `tools_url` in its init args) and the Studio view's apart, raw and
   gzip, the shared helper counted once;

and puts the render, save and page-weight figures next to the journal's, the
self-assessment's and free-text-response's from their latest results files.

Writes `canvas.json` and `canvas.md` to --results and prints the table. Figures are never
asserted; the process fails only when something crashes or a view does not show what it
should (not every note on the page, a save that did not store the notes).
"""
import gzip
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

import harness  # noqa: F401  (sets Django up: import it before anything that needs Django)

# pylint: disable=wrong-import-position
import webob  # noqa: E402
from harness import (  # noqa: E402
    BUDGET_MS_ABOVE_HELLO,
    BUDGET_OWN_BYTES,
    HELLO_XML,
    Bench,
    Fail,
    Prepared,
    QueryCounter,
    argument_parser,
    catalogue_count,
    count_cell,
    explain,
    file_weight,
    flag_lines,
    kb,
    machine_info,
    machine_sentence,
    measure_times,
    migrate,
    ms_cell,
    plan_warnings,
    profile_calls,
    profile_lines,
    table,
    weight_row,
    write_results,
)

import xblocks.common  # noqa: E402
import xblocks.initiative_canvas  # noqa: E402
from devstack.platform_services import LmsRuntime  # noqa: E402  the LMS services of the devstack
from xblocks.common.config import get_setting  # noqa: E402
from xblocks.initiative_canvas import canvas_templates  # noqa: E402
from xblocks.initiative_canvas.models import Canvas, CanvasSnapshot  # noqa: E402
from xblocks.initiative_canvas.scenarios import BMC, EXAMPLE  # noqa: E402

CANVAS_TABLES = ("bizmooc_initiative_canvas_",)
QUERIES = QueryCounter("canvas", CANVAS_TABLES)

SIZES = (10, 300)  # notes on the measured canvases
STAFF_SIZES = (1, 60)  # canvases in the block whose staff list is measured
SNAPSHOTS_SEEDED = 3  # named snapshots of the reader's and the snapshot-taker's canvases
SEED = 2024

STAFF = "course_staff"  # staff in the devstack (WORKBENCH_STAFF_IDS)


def learner(role, n):
    return f"bench_cv_{role}_{n}"


SCENARIOS = {
    # key: (scenario id, description, xml); the canvas's own demo block "week 2", unchanged,
    # once for the learners and once per staff-list size (a block's usage id comes from the
    # description).
    "hello": ("bench.hello", "Benchmark: hello world", HELLO_XML),
    "canvas": ("bench.canvas", "Benchmark: canvas, Business Model Canvas (demo week 2)", BMC),
    **{f"staff_{n}": (f"bench.canvas.staff{n}", f"Benchmark: canvas block with {n} canvases", BMC)
       for n in STAFF_SIZES},
}

OPERATIONS = {
    # name: label; the timed names and the query names are the same.
    "render/hello": "hello-world student_view (the floor)",
    **{f"render/{n}": f"student_view, canvas of {n} notes" for n in SIZES},
    **{f"save/{n}": f"`save_canvas`, {n} notes (one edited, from the current version)" for n in SIZES},
    **{f"snapshot/{n}": f"`create_snapshot` of a canvas of {n} notes" for n in SIZES},
    **{f"staff/{n}": f"`staff_list` (GET, first page), {n} canvas{'es' if n != 1 else ''} in the block"
       for n in STAFF_SIZES},
}
# Operations measured at two sizes: group -> (label, [(size label, operation name)]).
GROUPS = {
    "render": ("student_view", [(f"{n} notes", f"render/{n}") for n in SIZES]),
    "save": ("`save_canvas` (one note edited)", [(f"{n} notes", f"save/{n}") for n in SIZES]),
    "snapshot": ("`create_snapshot`", [(f"{n} notes", f"snapshot/{n}") for n in SIZES]),
    "staff": ("`staff_list` (first page)", [(f"{n} canvas{'es' if n != 1 else ''}", f"staff/{n}")
                                            for n in STAFF_SIZES]),
}

# What learners write on a Business Model Canvas, about 90-100 characters plus a qualifier (the demo's
# intrapreneurial idea: repair manuals for field technicians, in the spirit of the pilot MOOC).
TEXTS = {
    "key_partners": [
        "Translation agency we already use for the product catalogue; they know our terms in all six languages",
        "The tablet supplier of the service fleet: could they preinstall the app and keep it updated for us?",
    ],
    "key_activities": [
        "Turning 400 pages of PDF manuals into short searchable steps with photos, one repair task per page",
        "Keeping manuals in step with each product release: writers get the change list two weeks earlier",
    ],
    "key_resources": [
        "Two technical writers, half of their time for six months, and the product engineers' review slots",
        "The service app that every technician already carries; offline storage of about 2 GB per device",
    ],
    "value_propositions": [
        "Technicians find the right repair step in under a minute, on site, even without a mobile signal",
        "Fewer second visits: the part and the procedure are known before the van leaves the depot",
    ],
    "customer_relationships": [
        "Technicians rate each step and suggest fixes from the field; the writers answer within a week",
        "A champion in every regional team shows new colleagues how to search and how to report gaps",
    ],
    "channels": [
        "Rolled out through the existing service app, announced at the monthly regional team meetings",
        "A two-minute video in the onboarding course for new technicians, subtitled in all six languages",
    ],
    "customer_segments": [
        "Field technicians of our own service department, about 350 people in six countries, mostly on the road",
        "Later: partner service companies who repair our machines under contract and pay for manual access",
    ],
    "cost_structure": [
        "Translation of about 400 pages per release, roughly 30,000 euros a year at today's agency rates",
        "Writers' time to restructure the manuals, plus app changes by the internal mobile team (2 sprints)",
    ],
    "revenue_streams": [
        "Savings: second visits are about 8% of jobs today; halving them saves about 1,900 van trips a year",
        "Licence fees from partner service companies, once the manuals prove themselves with our own teams",
    ],
}
# Appended to each text (learners qualify their notes): ~120 characters a note on average.
QUALIFIERS = [" (to check with the team)", " (heard in interview 3)", " (rough estimate for now)",
              " (idea from week 2)", " (the team's idea)", " (seen in the pilot)", " (ask the controller)"]


def size_label(n):
    return f"{n} notes"


def make_notes(n, rng, sections):
    """n notes spread over the template's sections (each section at least one when n allows),
    ~120 characters each, ids as the browser makes them."""
    notes = []
    for index in range(n):
        section = sections[index] if index < len(sections) else rng.choice(sections)
        text = rng.choice(TEXTS[section]) + rng.choice(QUALIFIERS)
        note_id = f"n{1_700_000_000_000 + index * 7919:x}{rng.randrange(36 ** 5):05x}"[:20]
        notes.append({"id": note_id, "section": section, "text": text,
                      "colour": rng.choice(("yellow", "yellow", "green", "blue", "pink", "grey"))})
    return notes


# The workbench, one block per scenario -------------------------------------------------------

class CanvasBench(Bench):
    scenarios = SCENARIOS

    def __init__(self):
        super().__init__()
        self.template = canvas_templates.built_in("business_model_canvas")
        self.sections = list(self.template.section_ids)
        self.rng = random.Random(SEED)
        self.notes = {}  # learner -> the notes last saved
        self.versions = {}  # learner -> the canvas's current version
        self.edits = 0
        self.snapshots = 0
        self.usage_str = {key: str(usage) for key, usage in self.usage.items()}

    # Requests

    def request(self, student, payload=None, method="POST", query=""):
        if method == "POST":
            return webob.Request.blank(f"/?student={student}", method="POST", body=json.dumps(payload).encode(),
                                       content_type="application/json")
        return webob.Request.blank(f"/?student={student}{query}")

    def handle(self, key, handler, student, request):
        """What the workbench does per handler request: fresh runtime, get_block, handle."""
        runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        response = runtime.handle(block, handler, request)
        return self.after(key, handler, student, response.status_code, response.body)

    def call(self, key, handler, student, payload=None, method="POST"):
        return self.handle(key, handler, student, self.request(student, payload, method))

    def after(self, key, handler, student, status, body):
        data = super().after(key, handler, student, status, body)
        if handler == "save_canvas":
            self.versions[student] = data["version"]
        return data

    # Learners and their canvases

    def save(self, key, student, notes):
        self.notes[student] = notes
        return self.call(key, "save_canvas", student, {"notes": notes, "version": self.versions.get(student, 0)})

    def snapshot(self, key, student):
        self.snapshots += 1
        return self.call(key, "create_snapshot", student, {"name": f"week {self.snapshots % 12 + 1}"})

    def seed(self):
        """Readers (10 and 300 notes, 3 snapshots), savers, snapshot-takers, and the staff blocks'
        canvases, all through the handlers."""
        for n in SIZES:
            for role in ("reader", "saver", "snapper"):
                self.save("canvas", learner(role, n), make_notes(n, self.rng, self.sections))
            for role in ("reader", "snapper"):
                for _ in range(SNAPSHOTS_SEEDED):
                    self.snapshot("canvas", learner(role, n))
        for n in STAFF_SIZES:
            for index in range(n):
                self.save(f"staff_{n}", f"bench_cv_class{n}_{index:04d}", make_notes(self.rng.randint(3, 60), self.rng,
                                                                                  self.sections))
        for n in SIZES:
            for role in ("reader", "saver", "snapper"):
                stored = Canvas.objects.get(usage_id=self.usage_str["canvas"], user_id=learner(role, n))
                if stored.note_count != n or len(stored.notes) != n:
                    raise Fail(f"seeding: {learner(role, n)} has {stored.note_count} notes, not {n}")
        for n in STAFF_SIZES:
            found = Canvas.objects.filter(usage_id=self.usage_str[f"staff_{n}"]).count()
            if found != n:
                raise Fail(f"seeding: the staff block holds {found} canvases, not {n}")

    # The measured operations

    def prepare_save(self, n):
        """An autosave: one note's text edited, the whole canvas sent from the current version."""
        student = learner("saver", n)
        self.edits += 1
        notes = [dict(note) for note in self.notes[student]]
        edited = notes[self.edits % len(notes)]
        edited["text"] = re.sub(r" \(edit \d+\)$", "", edited["text"]) + f" (edit {self.edits})"
        self.notes[student] = notes
        request = self.request(student, {"notes": notes, "version": self.versions[student]})
        return lambda: self.handle("canvas", "save_canvas", student, request)

    def prepare_snapshot(self, n):
        """A snapshot; the ones taken by earlier rounds are dropped (untimed) before the limit is reached."""
        student = learner("snapper", n)
        own = Canvas.objects.get(usage_id=self.usage_str["canvas"], user_id=student)
        if CanvasSnapshot.objects.filter(canvas=own).count() >= get_setting("CANVAS_MAX_SNAPSHOTS") - 1:
            keep = CanvasSnapshot.objects.filter(canvas=own).order_by("id").values_list("id", flat=True)[
                :SNAPSHOTS_SEEDED]
            CanvasSnapshot.objects.filter(canvas=own).exclude(id__in=list(keep)).delete()
        self.snapshots += 1
        request = self.request(student, {"name": f"week {self.snapshots % 12 + 1}"})
        return lambda: self.handle("canvas", "create_snapshot", student, request)

    def prepare_staff(self, n):
        request = self.request(STAFF, method="GET")
        return lambda: self.handle(f"staff_{n}", "staff_list", STAFF, request)

    def check(self):
        """The views and handlers do what they should; a measurement of anything else is useless."""
        for n in SIZES:
            sizes = self.fragment(n)
            if sizes["notes_in_args"] != n:
                raise Fail(f"the student view of a canvas of {n} notes gives the browser {sizes['notes_in_args']}")
            saved = self.prepare_save(n)()
            if saved["progress"] is None or sum(saved["progress"].values()) != n:
                raise Fail(f"save_canvas with {n} notes answered {saved!r:.300}")
            stored = Canvas.objects.get(usage_id=self.usage_str["canvas"], user_id=learner("saver", n))
            if stored.notes != self.notes[learner("saver", n)] or stored.version != self.versions[learner("saver", n)]:
                raise Fail(f"save_canvas with {n} notes did not store the notes sent")
            snap = self.prepare_snapshot(n)()
            if not snap.get("snapshot", {}).get("id"):
                raise Fail(f"create_snapshot answered {snap!r:.300}")
        for n in STAFF_SIZES:
            page = self.prepare_staff(n)()
            if page["total"] != n or len(page["rows"]) != min(n, get_setting("STAFF_PAGE_SIZE")):
                raise Fail(f"staff_list of a block with {n} canvases: total {page['total']}, {len(page['rows'])} rows")
            if any("notes" in row and isinstance(row["notes"], list) for row in page["rows"]):
                raise Fail("staff_list sends the notes")

    def fragment(self, n):
        """Sizes of the student view for the reader of n notes: HTML, JSON arguments (raw and gzip)."""
        runtime = LmsRuntime(learner("reader", n))
        block = runtime.get_block(self.usage["canvas"])
        frag = runtime.render(block, "student_view")
        html = frag.body_html()
        # The runtime writes the initializer's arguments into the page as one script element,
        # {"bizmooc": "<the block's JSON, as a string>"}: the block's JSON, escaped once more.
        scripts = re.findall(r'<script type="json/xblock-args" class="xblock_json_init_args">(.*?)</script>',
                             html, re.S)
        in_page = scripts[0].strip() if scripts else ""
        try:
            args = json.loads(in_page)["bizmooc"]
            notes_in_args = len(json.loads(args)["notes"])
        except (KeyError, TypeError, ValueError):
            args, notes_in_args = "", None
        notes_json = json.dumps(self.notes[learner("reader", n)])
        return {
            "notes": n,
            "notes_in_args": notes_in_args,
            "json_args_bytes": len(args.encode()),
            "json_args_gzip_bytes": len(gzip.compress(args.encode(), compresslevel=6, mtime=0)),
            "json_args_in_page_bytes": len(in_page.encode()),
            "notes_json_bytes": len(notes_json.encode()),
            # The HTML without the arguments' script element.
            "body_html_bytes": len(html.encode()) - len(in_page.encode()),
            "body_html_gzip_bytes": len(gzip.compress(html.replace(in_page, "").encode(), compresslevel=6, mtime=0)),
            "inline_css_js_bytes": sum(len(r.data.encode()) for r in frag.resources if r.kind == "text"),
        }


def operations(bench):
    ops = {"render/hello": lambda: bench.render_runtime("hello", learner("reader", SIZES[0]))}
    for n in SIZES:
        ops[f"render/{n}"] = lambda n=n: bench.render_runtime("canvas", learner("reader", n))
        ops[f"save/{n}"] = Prepared(lambda n=n: bench.prepare_save(n))
        ops[f"snapshot/{n}"] = Prepared(lambda n=n: bench.prepare_snapshot(n))
    for n in STAFF_SIZES:
        ops[f"staff/{n}"] = Prepared(lambda n=n: bench.prepare_staff(n))
    return ops


# Measurements ----------------------------------------------------------------------------------

def count_queries(bench):
    """Queries of each operation (steady state: each runs once, uncounted, first) and the SQL
    on the canvas tables, in order."""
    counts, sqls = {}, {}
    ops = operations(bench)
    for name in OPERATIONS:
        op = ops[name]
        (op.prepare() if isinstance(op, Prepared) else op)()
        run = op.prepare() if isinstance(op, Prepared) else op  # the setup stays out of the count
        counts[name], sqls[name] = QUERIES.capture(run)
    return counts, sqls


def short(text):
    """Table names without the app's prefix, no quotes."""
    return text.replace('"', "").replace("bizmooc_initiative_canvas_", "")


def describe(sql, limit=150):
    """A captured query, short: literals as ?, a long column list elided."""
    text = re.sub(r"'(?:[^']|'')*'", "?", short(sql))
    match = re.match(r"SELECT (.*?) FROM (.*)", text, re.S)
    if match and len(match.group(1)) > 50:
        text = f"SELECT {match.group(1)[:40]}… FROM {match.group(2)}"
    match = re.match(r"(INSERT INTO \S+) \((.*?)\) VALUES", text, re.S)
    if match:
        text = f"{match.group(1)} (…) VALUES (…)"
    match = re.match(r"UPDATE (\S+) SET (.*?) WHERE (.*)", text, re.S)
    if match:
        columns = re.findall(r"(\w+) = ", match.group(2))
        text = f"UPDATE {match.group(1)} SET {', '.join(columns)} WHERE {match.group(3)}"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def canvas_plans(sqls):
    """SQLite's plan of every query on the canvas tables."""
    return {name: [{"sql": sql, "plan": explain(sql)} for sql in statements] for name, statements in sqls.items()}


def page_weight(bench):
    """Own JS+CSS that the student and Studio views link to, raw and gzip -6 (per file), from
    the installed package; the shared helper counted once, apart."""
    package_dir = Path(xblocks.initiative_canvas.__path__[0])
    common_dir = Path(xblocks.common.__path__[0])
    student = learner("reader", SIZES[0])
    own, shared = bench.shipped_files("canvas", "student_view", package_dir, common_dir, student)
    studio, studio_shared = bench.shipped_files("canvas", "studio_view", package_dir, common_dir, student)
    on_demand = on_demand_files(bench, package_dir, student)
    return {
        "learner": file_weight(own, package_dir),
        "learner_on_demand": file_weight(on_demand, package_dir),
        "learner_with_on_demand": file_weight(set(own) | set(on_demand), package_dir),
        "studio": file_weight(studio, package_dir),
        "learner_and_studio": file_weight(set(own) | set(studio), package_dir),
        "shared_helper": file_weight(set(shared) | set(studio_shared), common_dir),
        "installed_from": str(package_dir),
    }


def on_demand_files(bench, package_dir, student):
    """The file canvas.js loads on first use of a rarely used tool: `tools_url` of the student
    view's init args (a workbench resource URL of the block's own package)."""
    runtime = LmsRuntime(student)
    block = runtime.get_block(bench.usage["canvas"])
    url = json.loads(block.student_view({}).json_init_args["bizmooc"]).get("tools_url")
    prefix = f"/resource/{block.scope_ids.block_type}/"
    return [package_dir.parent / url[len(prefix):]] if url and url.startswith(prefix) else []


def payload_sizes(bench):
    """The save request's body at each size (what the browser sends on every autosave)."""
    return {str(n): len(json.dumps({"notes": bench.notes[learner("saver", n)],
                                    "version": bench.versions[learner("saver", n)]}).encode()) for n in SIZES}


def others(results_dir):
    """The other components' latest figures, from their results files (None when missing)."""
    rows = []

    def load(name):
        try:
            return json.loads((results_dir / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    journal = load("journal")
    if journal:
        try:
            times, pairs, weight = journal["times"], journal["paired"], journal["page_weight"]
            rows.append({
                "component": "journal", "run": journal["machine"]["timestamp"],
                "render_ms": times["render/runtime/journal"]["median_ms"],
                "render_minus_hello_ms": pairs["render/runtime/journal"]["minus_hello_ms"],
                "render_queries": journal["render_queries"]["journal"]["total"],
                "save": "`save_draft`", "save_ms": times["save/runtime/journal"]["median_ms"],
                "save_queries": journal["handler_queries"]["journal/save_draft"]["total"],
                "own_bytes": weight["journal_learner"]["bytes"], "own_gzip": weight["journal_learner"]["gzip_bytes"],
                "with_studio_bytes": weight["journal_learner_and_studio"]["bytes"],
            })
            rows.append({
                "component": "free-text-response (peer)", "run": journal["machine"]["timestamp"],
                "render_ms": times["render/runtime/ftr"]["median_ms"],
                "render_minus_hello_ms": pairs["render/runtime/ftr"]["minus_hello_ms"],
                "render_queries": journal["render_queries"]["ftr"]["total"],
                "save": "`save_reponse`", "save_ms": times["save/runtime/ftr"]["median_ms"],
                "save_queries": journal["handler_queries"]["ftr/save_reponse"]["total"],
                "own_bytes": weight["free_text_response"]["bytes"],
                "own_gzip": weight["free_text_response"]["gzip_bytes"], "with_studio_bytes": None,
            })
        except KeyError:
            pass
    assessment = load("self_assessment")
    if assessment:
        try:
            first = assessment["per_size"][str(assessment["config"]["sizes"][0])]
            weight = assessment["page_weight"]
            rows.append({
                "component": "self-assessment (profile, cohort cached)", "run": assessment["machine"]["timestamp"],
                "render_ms": first["times"]["render/profile_warm"]["median_ms"],
                "render_minus_hello_ms": first["paired"]["render/profile_warm"]["minus_hello_ms"],
                "render_queries": first["queries"]["render/profile_warm"]["total"],
                "save": "`submit_assessment`", "save_ms": first["times"]["submit/revision"]["median_ms"],
                "save_queries": first["queries"]["submit/revision"]["total"],
                "own_bytes": weight["learner"]["bytes"], "own_gzip": weight["learner"]["gzip_bytes"],
                "with_studio_bytes": weight["learner_and_studio"]["bytes"],
            })
        except (KeyError, IndexError):
            pass
    return rows


# Report ----------------------------------------------------------------------------------------

def markdown(doc):
    t, p, q = doc["times"], doc["paired"], doc["queries"]
    c = doc["config"]
    lines = [f"# Business-model canvas benchmarks ({doc['machine']['timestamp']})", "",
             machine_sentence(doc["machine"], c), "",
             f"Scenario: the demo block \"week 2\" ({c['template']}, {c['sections']} sections, example canvas of "
             f"{c['example_notes']} notes, graded). Notes are spread over all sections, "
             f"{c['note_chars']['min']}–{c['note_chars']['max']} characters (mean {c['note_chars']['mean']:.0f}); "
             f"the rendered learners' canvases have {SNAPSHOTS_SEEDED} snapshots. Each save edits one note and sends "
             "the whole canvas from the current version (an autosave). The staff list is measured on two more "
             f"blocks of the same demo, holding {' and '.join(str(n) for n in STAFF_SIZES)} canvases "
             f"(page size {c['staff_page_size']}). All operations interleaved, round by round.", ""]
    lines += ["## Time (ms, median / p90; fresh runtime + get_block + render/handle, as the workbench per "
              "request)", "", "`− hello`: median of per-round differences to hello-world's student view (paired).", ""]
    lines += table(["operation", "median / p90", "− hello"], "lrr", [
        [label, ms_cell(t[name]), f"{p[name]['minus_hello_ms']:+.2f}" if name.startswith("render/") else ""]
        for name, label in OPERATIONS.items()])
    lines += ["", "## Database queries (canvas tables / workbench field data / total incl. BEGIN/COMMIT)", ""]
    rows = []
    for group, (label, sizes) in GROUPS.items():
        growth = doc["query_growth"][group]
        rows.append([label] + [f"{size}: {count_cell(q[name], 'canvas')}" for size, name in sizes]
                    + ["yes" if growth is None else f"**NO: {growth}**"])
    rows.append([OPERATIONS["render/hello"], count_cell(q["render/hello"], "canvas"), "", ""])
    lines += table(["operation", "smaller", "larger", "constant?"], "lrrl", rows)
    lines += ["", "## Queries on the canvas tables and their SQLite plans (the larger size)", ""]
    rows = []
    for group, (label, sizes) in GROUPS.items():
        for query in doc["canvas_queries"][sizes[-1][1]]:
            rows.append([label, f"`{describe(query['sql'])}`", short("; ".join(query["plan"])) or "–"])
    lines += table(["operation", "query", "plan"], "lll", rows)
    f = doc["fragments"]
    small, large = (f[str(n)] for n in (SIZES[0], SIZES[-1]))
    per_note = {key: (large[key] - small[key]) / (SIZES[-1] - SIZES[0])
                for key in ("json_args_in_page_bytes", "body_html_bytes", "notes_json_bytes")}
    lines += ["", "## What the student view sends (bytes)", "",
              "JSON arguments: the block's initializer arguments; in the page: as the runtime writes them into the "
              "script element (`{\"bizmooc\": \"<the JSON as a string>\"}`, escaped once more). HTML: the fragment's "
              "body without that element. Save request: what every autosave sends.", ""]
    lines += table(["canvas", "JSON arguments", "gzip", "in the page", "of which the notes (JSON)", "HTML",
                    "HTML gzip", "save request"], "lrrrrrrr", [
        [size_label(n), f"{f[str(n)]['json_args_bytes']:,} ({kb(f[str(n)]['json_args_bytes'])})",
         f"{f[str(n)]['json_args_gzip_bytes']:,}", f"{f[str(n)]['json_args_in_page_bytes']:,}",
         f"{f[str(n)]['notes_json_bytes']:,}", f"{f[str(n)]['body_html_bytes']:,} ({kb(f[str(n)]['body_html_bytes'])})",
         f"{f[str(n)]['body_html_gzip_bytes']:,}", f"{doc['save_request_bytes'][str(n)]:,}"] for n in SIZES])
    lines += ["", f"Per note: {per_note['notes_json_bytes']:.0f} bytes of note JSON, "
              f"{per_note['json_args_in_page_bytes']:.0f} bytes of arguments in the page, "
              f"{per_note['body_html_bytes']:.0f} bytes of HTML (the notes drawn on the server too)."]
    w = doc["page_weight"]
    lines += ["", "## Page weight (own JS+CSS; gzip -6 per file)", ""]
    lines += table(["what", "files", "bytes", "gzip"], "llrr", [
        weight_row(label, w[key]) for label, key in (
            ("canvas: what its student view links to (loaded up front: the budget)", "learner"),
            ("canvas: loaded on a learner's first use of PNG, import, snapshots, example, staff list",
             "learner_on_demand"),
            ("canvas: student view with the on-demand file", "learner_with_on_demand"),
            ("canvas: what its Studio view links to", "studio"),
            ("canvas: student + Studio views", "learner_and_studio"),
            ("shared helper xblocks/common/static (once per page)", "shared_helper"))])
    lines += ["", "## Next to the other components", "",
              "The canvas from this run; the others from their latest results files (run, UTC, in the last column). "
              "`− hello` is each run's own paired difference to hello-world, so runs compare despite machine load. "
              f"Canvas renders and saves at {SIZES[-1]} notes (the {SIZES[0]}-note figures are above).", ""]
    rows = []
    for row in doc["others"]:
        rows.append([row["component"], f"{row['render_ms']:.2f}", f"{row['render_minus_hello_ms']:+.2f}",
                     row["render_queries"], f"{row['save']} {row['save_ms']:.2f}", row["save_queries"],
                     f"{row['own_bytes']:,} / {row['own_gzip']:,}",
                     "–" if row["with_studio_bytes"] is None else f"{row['with_studio_bytes']:,}", row["run"]])
    lines += table(["component", "render ms", "− hello", "render queries", "save handler ms", "save queries",
                    "own JS+CSS, learner (bytes / gzip)", "with Studio (bytes)", "run"], "lrrrrrrrl", rows)
    if doc.get("profile"):
        lines += profile_lines(f"Where the student view's time goes at {SIZES[-1]} notes", doc["profile"])
        if doc["profile"].get("top"):
            lines += ["", "Largest own-time functions (ms per render):", ""]
            lines += table(["function", "ms"], "lr", [[f"`{name}`", ms] for name, ms in doc["profile"]["top"]])
    cat = doc["translation_catalogues"]
    lines += ["", f"Django translation catalogues for the active language: {cat['before']} before the timed rounds, "
              f"{cat['after']} after."]
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def profile_render(bench, results_dir, renders=40):
    """cProfile of the 300-note student view; the full listing goes to a file."""
    student = learner("reader", SIZES[-1])
    return profile_calls(lambda: bench.render_runtime("canvas", student), renders, results_dir / "canvas-profile.txt",
                         f"cProfile of {renders} canvas student_view renders at {SIZES[-1]} notes (runtime layer)",
                         top=8)


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], rounds=300, warmup=30,
                             profile_help="cProfile the 300-note student view (auto: when it is >20 ms above "
                                          "hello-world)")
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    migrate()
    bench = CanvasBench()
    seed_started = time.monotonic()
    bench.seed()
    bench.check()
    seeded_s = time.monotonic() - seed_started

    print(f"benchmarks: canvas: {args.rounds} interleaved rounds (+{args.warmup} warm-up) of {len(OPERATIONS)} "
          "operations…", file=sys.stderr, flush=True)
    raw = {}
    catalogues_before = catalogue_count()
    times = measure_times(operations(bench), args.rounds, args.warmup, seed=SEED, raw=raw)
    catalogues_after = catalogue_count()
    # Each operation's samples minus hello-world's of the same round (paired), the median.
    pairs = {name: {"minus_hello_ms": round(statistics.median(
        a - b for a, b in zip(values, raw["render/hello"])) / 1e6, 3)} for name, values in raw.items()}
    counts, sqls = count_queries(bench)
    plans = canvas_plans(sqls)

    flags = []
    growth = {}
    for group, (label, sizes) in GROUPS.items():
        seen = [(size, counts[name]) for size, name in sizes]
        first = seen[0][1]
        differs = any((c["total"], c["canvas"], c["field_data"]) != (first["total"], first["canvas"],
                                                                     first["field_data"]) for _, c in seen)
        growth[group] = None if not differs else ", ".join(
            f"{size}: {c['canvas']} / {c['field_data']} / {c['total']}" for size, c in seen)
        if differs:
            flags.append(f"QUERY COUNT DIFFERS WITH SIZE: {label}: {growth[group]} (canvas tables / field data / "
                         "total)")
    for n in SIZES:
        over = pairs[f"render/{n}"]["minus_hello_ms"]
        if over > BUDGET_MS_ABOVE_HELLO:
            flags.append(f"student view at {n} notes: {over:+.1f} ms above hello-world (budget "
                         f"{BUDGET_MS_ABOVE_HELLO:.0f} ms)")
    for group, (label, sizes) in GROUPS.items():
        for query in plans[sizes[-1][1]]:
            for line in plan_warnings(query["plan"]):
                flags.append(f"{label}: `{describe(query['sql'], 90)}`: plan reads `{short(line)}` "
                             f"({sizes[-1][0]})")
    weight = page_weight(bench)
    if weight["learner"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"canvas's own JS+CSS on learner pages is {kb(weight['learner']['bytes'])} "
                     f"({weight['learner']['gzip_bytes']:,} bytes gzip; budget 20 KB)")
    if not weight["learner_on_demand"]["files"]:
        flags.append("the student view names no on-demand tools file (tools_url) in the block's package")
    if weight["learner_and_studio"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"canvas's own JS+CSS with the Studio editor is {kb(weight['learner_and_studio']['bytes'])}, "
                     "over 20 KB if Studio counts")
    if catalogues_after > catalogues_before:
        flags.append(f"Django's translation catalogues grew from {catalogues_before} to {catalogues_after} during "
                     "the run: a block merges its catalogue into Django's on every render")

    fragments = {str(n): bench.fragment(n) for n in SIZES}
    profile = None
    (args.results / "canvas-profile.txt").unlink(missing_ok=True)  # never leave a stale listing
    if args.profile == "always" or (args.profile == "auto" and pairs[f"render/{SIZES[-1]}"]["minus_hello_ms"]
                                    > BUDGET_MS_ABOVE_HELLO):
        profile = profile_render(bench, args.results)

    machine = machine_info()
    lengths = [len(note["text"]) for n in SIZES for note in bench.notes[learner("reader", n)]]
    canvas_row = {
        "component": "**canvas**", "run": machine["timestamp"],
        "render_ms": times[f"render/{SIZES[-1]}"]["median_ms"],
        "render_minus_hello_ms": pairs[f"render/{SIZES[-1]}"]["minus_hello_ms"],
        "render_queries": counts[f"render/{SIZES[-1]}"]["total"],
        "save": "`save_canvas`", "save_ms": times[f"save/{SIZES[-1]}"]["median_ms"],
        "save_queries": counts[f"save/{SIZES[-1]}"]["total"],
        "own_bytes": weight["learner"]["bytes"], "own_gzip": weight["learner"]["gzip_bytes"],
        "with_studio_bytes": weight["learner_and_studio"]["bytes"],
    }
    doc = {
        "machine": machine,
        "config": {"rounds": args.rounds, "warmup": args.warmup, "sizes": list(SIZES), "staff_sizes": list(STAFF_SIZES),
                   "seed": SEED, "scenario": BMC, "template": bench.template.title,
                   "sections": len(bench.sections), "example_notes": len(EXAMPLE),
                   "snapshots_seeded": SNAPSHOTS_SEEDED, "staff_page_size": get_setting("STAFF_PAGE_SIZE"),
                   "note_chars": {"min": min(lengths), "max": max(lengths), "mean": sum(lengths) / len(lengths)},
                   "seeding_s": round(seeded_s, 1),
                   "layer": "fresh devstack LmsRuntime + get_block + runtime.render/handle (webob request built "
                            "untimed for handlers)"},
        "times": times,
        "paired": pairs,
        "queries": counts,
        "query_growth": growth,
        "canvas_queries": plans,
        "fragments": fragments,
        "save_request_bytes": payload_sizes(bench),
        "page_weight": weight,
        "others": [canvas_row] + others(args.results),
        "translation_catalogues": {"before": catalogues_before, "after": catalogues_after},
        "profile": profile,
        "flags": flags,
        "budgets": {"render_ms_above_hello": BUDGET_MS_ABOVE_HELLO, "own_js_css_bytes": BUDGET_OWN_BYTES},
        "duration_s": round(time.monotonic() - started, 1),
    }
    write_results(args.results, "canvas", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
