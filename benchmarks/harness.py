"""What every benchmark of the suite needs, once: the Django/workbench setup, a `Bench` of
workbench scenarios (render and handle through the runtime or the test Client), timing in
interleaved rounds with medians and p90, database queries split by table, page weight of
the files a view ships, machine information, cProfile breakdowns and Markdown helpers.

Importing this module sets Django up (devstack settings, the installed suite first), so
each benchmark module imports it before anything that needs Django. The benchmark modules
(`journal.py`, `self_assessment.py`) keep only what they measure and how they report it.
"""
import argparse
import contextlib
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

REPO = Path(os.environ.get("BIZMOOC_REPO") or Path(__file__).resolve().parent.parent)
# devstack/ (the workbench settings) is not part of the distribution. Appended after
# site-packages so that the installed suite, not the source tree, is what is measured.
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devstack.settings")

import django  # noqa: E402

django.setup()

# pylint: disable=wrong-import-position
import webob  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.translation import get_language, trans_real  # noqa: E402
from workbench.scenarios import add_xml_scenario, get_scenarios  # noqa: E402

from devstack.platform_services import LmsRuntime  # noqa: E402  the LMS services of the devstack

BUDGET_MS_ABOVE_HELLO = 20.0  # DESIGN.md: student view within 20 ms of hello-world
BUDGET_OWN_BYTES = 20 * 1024  # DESIGN.md: at most 20 KB of a component's own JS+CSS

FIELD_DATA_TABLE = "workbench_xblockstate"
HELLO_XML = "<helloworld_demo/>"

# free-text-response gets the upstream workbench's i18n service, as it would anywhere but in
# our devstack: the devstack's service hands every block the BizMOOC catalogue, which
# free-text-response's `{% trans %}` tags (xblock.utils) merge into Django's translation on
# every render, so it would get slower with every render of the run.
STOCK_I18N = "workbench.runtime.WorkbenchI18NService"


class Fail(RuntimeError):
    """A measured operation did not do what it should: a crash, not a slow result."""


# Timing ----------------------------------------------------------------------------------------

def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples_ns):
    ms = [value / 1e6 for value in samples_ns]
    return {
        "n": len(ms), "median_ms": round(statistics.median(ms), 3), "p90_ms": round(percentile(ms, 0.9), 3),
        "mean_ms": round(statistics.fmean(ms), 3), "min_ms": round(min(ms), 3), "max_ms": round(max(ms), 3),
    }


class Prepared:
    """An operation with an untimed setup: `prepare()` returns the zero-argument callable to time."""

    def __init__(self, prepare):
        self.prepare = prepare


def measure_times(ops, rounds, warmup, seed=2024, raw=None):
    """Interleaved: every round runs every operation once, in a shuffled order.

    `ops` maps names to zero-argument callables or `Prepared` ones. `raw`, if given,
    receives the samples (ns) in round order, for paired comparisons.
    """
    names = list(ops)
    rng = random.Random(seed)
    samples = {name: [] for name in names}
    for round_number in range(warmup + rounds):
        rng.shuffle(names)
        for name in names:
            op = ops[name].prepare() if isinstance(ops[name], Prepared) else ops[name]
            start = time.perf_counter_ns()
            op()
            elapsed = time.perf_counter_ns() - start
            if round_number >= warmup:
                samples[name].append(elapsed)
    if raw is not None:
        raw.update(samples)
    return {name: summary_ms(values) for name, values in samples.items()}


def paired(raw, ratio_to="ftr", minus="hello"):
    """Per-round comparisons (same round, so a load spike hits both sides): for every
    "<group>/<key>" sample, the median of its ratio to "<group>/<ratio_to>" and of its
    difference to "<group>/<minus>", where those were measured."""
    result = {}
    for name, values in raw.items():
        group = name.rsplit("/", 1)[0]
        row = {}
        if ratio_to and f"{group}/{ratio_to}" in raw:
            row[f"ratio_to_{ratio_to}"] = round(
                statistics.median(a / b for a, b in zip(values, raw[f"{group}/{ratio_to}"])), 3)
        if minus and f"{group}/{minus}" in raw:
            row[f"minus_{minus}_ms"] = round(
                statistics.median(a - b for a, b in zip(values, raw[f"{group}/{minus}"])) / 1e6, 3)
        result[name] = row
    return result


# Queries ---------------------------------------------------------------------------------------

class QueryCounter:
    """Counts a block of code's queries: the block's own tables (under `label`), the
    workbench's field data, transaction statements and the rest."""

    def __init__(self, label, tables):
        self.label = label
        self.tables = tuple(table.lower() for table in tables)

    def classify(self, sql):
        lowered = sql.lower()
        if any(table in lowered for table in self.tables):
            return self.label
        if FIELD_DATA_TABLE in lowered:
            return "field_data"
        if lowered.split(" ", 1)[0] in ("begin", "commit", "rollback", "savepoint", "release"):
            return "transaction"
        return "other"

    def count(self, captured):
        counts = {self.label: 0, "field_data": 0, "transaction": 0, "other": 0}
        for query in captured.captured_queries:
            counts[self.classify(query["sql"])] += 1
        counts["total"] = len(captured.captured_queries)
        return counts

    def capture(self, func):
        """(counts, [SQL of the own-table queries]) of one call of `func`."""
        # With DEBUG the connection logs at most `queries_limit` (9,000) queries, dropping the
        # oldest: once the log is full (only the test Client's requests empty it), Django's
        # CaptureQueriesContext sees nothing. Start from an empty log.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            func()
        if len(captured) >= connection.queries_limit:
            raise Fail(f"more than {connection.queries_limit} queries in one operation: not counted")
        own = [q["sql"] for q in captured.captured_queries if self.classify(q["sql"]) == self.label]
        return self.count(captured), own


def explain(sql):
    """SQLite's EXPLAIN QUERY PLAN of a captured (already interpolated) query: its detail lines."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [row[-1] for row in cursor.fetchall()]


def plan_warnings(plan):
    """Lines of a SQLite plan (see `explain`) that read a whole table or sort in a temporary B-tree."""
    return [line for line in plan
            if (line.startswith("SCAN ") and "CONSTANT ROW" not in line) or "TEMP B-TREE" in line]


def _outer(text, keyword):
    """Where `keyword` first occurs in `text` outside parentheses (subqueries), or -1."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and text.startswith(keyword, index):
            return index
    return -1


def describe_sql(sql, prefix="", limit=150):
    """A captured query, short: `prefix` (an app's table prefix) and quotes dropped, literals
    as ?, a long column list (subqueries included) elided, INSERT values and UPDATE values
    left out; beyond `limit`, the middle elided (the end says WHERE, ORDER BY and LIMIT)."""
    text = sql.replace('"', "").replace("`", "")
    if prefix:
        text = text.replace(prefix, "")
    text = re.sub(r"'(?:[^']|'')*'", "?", text)
    at = _outer(text, " FROM ") if text.startswith("SELECT ") else -1
    if at > 57:
        text = f"SELECT {text[7:47]}…{text[at:]}"
    match = re.match(r"(INSERT INTO \S+) \((.*?)\) VALUES", text, re.S)
    if match:
        text = f"{match.group(1)} (…) VALUES (…)"
    match = re.match(r"UPDATE (\S+) SET (.*?) WHERE (.*)", text, re.S)
    if match:
        columns = re.findall(r"(\w+) = ", match.group(2))
        text = f"UPDATE {match.group(1)} SET {', '.join(columns)} WHERE {match.group(3)}"
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + " … " + text[-(limit - head - 3):]


def count_operations(ops, names, counter):
    """({name: counts}, {name: [own-table SQL]}) of the operations `names` of `ops` (plain or
    `Prepared` callables, as for `measure_times`), each run once uncounted first (steady
    state: first-use work is not what is counted); a `Prepared` setup stays out of the count."""
    counts, sqls = {}, {}
    for name in names:
        op = ops[name]
        (op.prepare() if isinstance(op, Prepared) else op)()
        run = op.prepare() if isinstance(op, Prepared) else op
        counts[name], sqls[name] = counter.capture(run)
    return counts, sqls


def time_sql(sql, repeats=5):
    """Median wall time (ms) of running a captured query on its own, rows fetched."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            start = time.perf_counter_ns()
            cursor.execute(sql)
            cursor.fetchall()
            samples.append(time.perf_counter_ns() - start)
    return round(statistics.median(samples) / 1e6, 3)


# Translation -----------------------------------------------------------------------------------

@contextlib.contextmanager
def stock_i18n():
    """The upstream workbench's i18n service instead of the devstack's, for the duration."""
    services = django.conf.settings.WORKBENCH.setdefault("services", {})
    previous = services.get("i18n")
    services["i18n"] = STOCK_I18N
    try:
        yield
    finally:
        if previous is None:
            services.pop("i18n", None)
        else:
            services["i18n"] = previous


def catalogue_count():
    """How many catalogues Django's translation for the active language holds (grows if a
    block merges its own into it on every render)."""
    catalog = trans_real.translation(get_language())._catalog  # pylint: disable=protected-access
    return len(getattr(catalog, "_catalogs", [catalog]))


# The workbench, one block per scenario -----------------------------------------------------------

class Bench:
    """Workbench scenarios, one block each, rendered and handled per learner.

    Subclasses set `scenarios` ({key: (scenario id, description, xml)}), may name the keys
    that run with the stock i18n service, and give handler payloads (`payload`) and checks
    of handler answers (`after`).
    """

    scenarios = {}
    stock_i18n_keys = frozenset()

    def __init__(self):
        get_scenarios()  # the workbench's own scenarios, loaded as the server does
        self.usage = {}
        for key, (scenario_id, description, xml) in self.scenarios.items():
            add_xml_scenario(scenario_id, description, xml)
            self.usage[key] = get_scenarios()[scenario_id].usage_id
        self.client = Client()

    def i18n_for(self, key):
        return stock_i18n() if key in self.stock_i18n_keys else contextlib.nullcontext()

    def block(self, key, student):
        """A fresh runtime's block, as a request would get it."""
        with self.i18n_for(key):
            runtime = LmsRuntime(student)
        return runtime.get_block(self.usage[key])

    # Rendering

    def render_runtime(self, key, student, view="student_view"):
        with self.i18n_for(key):
            runtime = LmsRuntime(student)
            block = runtime.get_block(self.usage[key])
            frag = runtime.render(block, view)
            return frag.body_html() + frag.head_html() + frag.foot_html()

    def prepare_warm_render(self, key, student):
        """A block whose fields were all read already (untimed), as from a bulk-loaded cache.

        The workbench's field data runs one or two queries per field on first read; Open edX
        loads a block's fields in bulk. Timing only `runtime.render` on such a block shows the
        block's own cost without the workbench's storage.
        """
        with self.i18n_for(key):
            runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        for name in block.fields:
            getattr(block, name)

        def run():
            frag = runtime.render(block, "student_view")
            return frag.body_html() + frag.head_html() + frag.foot_html()
        return run

    def render_http(self, key, student):
        with self.i18n_for(key):
            response = self.client.get(f"/scenario/{self.scenarios[key][0]}/?student={student}")
        if response.status_code != 200:
            raise Fail(f"GET scenario {key}: HTTP {response.status_code}")
        return response.content

    # Handlers

    def payload(self, key, handler, student):
        return {}

    def after(self, key, handler, student, status, body):
        """Checks a handler's answer; subclasses note what they need from it."""
        if status != 200:
            raise Fail(f"{key} {handler} for {student}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)

    def handle_runtime(self, key, handler, student, payload=None, method="POST"):
        payload = self.payload(key, handler, student) if payload is None else payload
        with self.i18n_for(key):
            runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        if method == "POST":
            request = webob.Request.blank(f"/?student={student}", method="POST", body=json.dumps(payload).encode(),
                                          content_type="application/json")
        else:
            request = webob.Request.blank(f"/?student={student}")
        response = runtime.handle(block, handler, request)
        return self.after(key, handler, student, response.status_code, response.body)

    def handle_http(self, key, handler, student):
        payload = self.payload(key, handler, student)
        with self.i18n_for(key):
            response = self.client.post(f"/handler/{self.usage[key]}/{handler}/?student={student}",
                                        data=json.dumps(payload), content_type="application/json")
        return self.after(key, handler, student, response.status_code, response.content)

    def request(self, student, payload=None, method="POST", query=""):
        """A handler request, built ahead (untimed): POST with a JSON body, or GET with `query`
        ("&name=value..."), for `handle`."""
        if method == "POST":
            return webob.Request.blank(f"/?student={student}", method="POST", body=json.dumps(payload).encode(),
                                       content_type="application/json")
        return webob.Request.blank(f"/?student={student}{query}")

    def handle(self, key, handler, student, request):
        """What the workbench does per handler request: fresh runtime, get_block, handle; the
        answer checked by `after`."""
        with self.i18n_for(key):
            runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        response = runtime.handle(block, handler, request)
        return self.after(key, handler, student, response.status_code, response.body)

    # What a view ships

    def shipped_files(self, key, view, package_dir, common_dir, student):
        """The JS/CSS files a view's fragment links to, split into the block's own and the shared helper."""
        runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        frag = runtime.render(block, view)
        prefix = f"/resource/{block.scope_ids.block_type}/"
        own, shared = [], []
        for resource in frag.resources:
            if resource.kind != "url" or not resource.data.startswith(prefix):
                continue  # the workbench's own jQuery and runtime
            uri = resource.data[len(prefix):]  # relative to xblocks/ (xblocks/common/seams.py, 4)
            if uri.startswith("common/"):
                shared.append(common_dir.parent / uri)
            else:
                own.append(package_dir.parent / uri)
        return own, shared

    def fragment_size(self, key, student):
        runtime = LmsRuntime(student)
        block = runtime.get_block(self.usage[key])
        frag = runtime.render(block, "student_view")
        return {
            "body_html_bytes": len(frag.body_html().encode()),
            "inline_css_js_bytes": sum(len(r.data.encode()) for r in frag.resources if r.kind == "text"),
            "resource_urls": [r.data for r in frag.resources if r.kind == "url"],
        }


# Page weight -----------------------------------------------------------------------------------

def file_weight(paths, root):
    files = []
    for path in sorted(paths):
        data = path.read_bytes()
        files.append({"file": str(path.relative_to(root)), "bytes": len(data),
                      "gzip_bytes": len(gzip.compress(data, compresslevel=6, mtime=0))})
    return {"files": files, "bytes": sum(f["bytes"] for f in files),
            "gzip_bytes": sum(f["gzip_bytes"] for f in files)}


def statics(package_dir, subdir):
    """Every .js and .css file under a package's folder."""
    base = package_dir / subdir
    return [p for p in base.rglob("*") if p.is_file() and p.suffix in (".js", ".css")]


# cProfile --------------------------------------------------------------------------------------

def profile_calls(func, calls, path, title, top=0):
    """cProfile of `calls` calls of `func`: where the time goes per call (ms, profiler
    overhead included); the full listing goes to `path`. With `top`, the result also names
    the `top` functions with the most own time (ms per call)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        func()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt

    def cumulative(predicate):
        # Largest cumulative time among functions matching the predicate (outermost call wins).
        best = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if predicate(filename, name):
                best = max(best, ct)
        return best

    def own(predicate):
        return sum(tt for (filename, _line, name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items()
                   if predicate(filename, name))

    per = 1000.0 / calls
    breakdown = {
        "total_ms_per_render_under_profiler": round(total * per, 2),
        "sql_execute_ms": round(cumulative(lambda f, n: f.endswith("django/db/backends/utils.py")
                                           and n == "execute") * per, 2),
        # SQLite does much of a query's work while rows are fetched, outside `execute`.
        "sqlite_cursor_own_ms": round(own(lambda f, n: "sqlite3.Cursor" in n or "SQLiteCursorWrapper" in n) * per, 2),
        "logging_ms": round(cumulative(lambda f, n: f.endswith("logging/__init__.py") and n == "_log") * per, 2),
        "django_template_render_ms": round(cumulative(lambda f, n: f.endswith("django/template/base.py")
                                                      and n == "render") * per, 2),
        "nh3_clean_ms": round(own(lambda f, n: "nh3" in n) * per, 2),
        "workbench_field_data_ms": round(cumulative(lambda f, n: f.endswith("workbench/models.py")
                                                    and n == "get_for_key") * per, 2),
        "aside_lookup_every_block_ms": round(cumulative(lambda f, n: f.endswith("xblock/runtime.py")
                                                        and n == "render_asides") * per, 2),
    }
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    listing = out.getvalue()
    tottime = io.StringIO()
    pstats.Stats(profiler, stream=tottime).sort_stats("tottime").print_stats(25)
    path.write_text(f"{title}\n\n== by cumulative time ==\n{listing}\n== by own time ==\n{tottime.getvalue()}",
                    encoding="utf-8")
    result = {"renders": calls, "breakdown": breakdown, "listing": str(path)}
    if top:
        ranked = sorted(((tt, f"{Path(filename).name}:{line}({name})")
                         for (filename, line, name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items()),
                        reverse=True)
        result["top"] = [[name, round(tt * per, 2)] for tt, name in ranked[:top]]
    return result


# Machine ---------------------------------------------------------------------------------------

def machine_info(peers=()):
    """Versions, CPU, git state and settings; `peers` are (key, distribution) of measured peers."""
    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    cpu_model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip() or None
        dirty = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "xblocks"],
                                    capture_output=True, text=True, check=False).stdout.strip())
    except OSError:
        commit, dirty = None, None
    info = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "django": django.get_version(),
        "xblock": version("XBlock"),
        "xblock_sdk": version("xblock-sdk"),
    }
    info.update({key: version(dist) for key, dist in peers})
    info.update({
        "bizmooc_xblocks": version("bizmooc-xblocks"),
        "git_commit": commit,
        "xblocks_dirty": dirty,
        "database": connection.vendor,
        "sqlite": connection.Database.sqlite_version if connection.vendor == "sqlite" else None,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "debug": django.conf.settings.DEBUG,
    })
    return info


# Markdown --------------------------------------------------------------------------------------

def kb(value):
    return f"{value / 1024:.1f} KB"


def ms_cell(summary):
    """A timing summary as "median / p90" (ms)."""
    return f"{summary['median_ms']:.2f} / {summary['p90_ms']:.2f}"


def table(header, align, rows):
    """Markdown table lines: `header` cells, `align` one of "l"/"r" per column, `rows` of cells."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def weight_row(label, weight):
    """A page-weight table row: label, file names, bytes (KB), gzip bytes."""
    names = ", ".join(Path(f["file"]).name for f in weight["files"])
    return [label, names, f"{weight['bytes']:,} ({kb(weight['bytes'])})", f"{weight['gzip_bytes']:,}"]


def count_cell(counts, label):
    """Query counts as "own tables / workbench field data / total"."""
    return f"{counts[label]} / {counts['field_data']} / {counts['total']}"


def profile_lines(heading, profile):
    """A cProfile breakdown (see `profile_calls`) as a Markdown section."""
    lines = ["", f"## {heading} (cProfile, ms per render, profiler overhead included)", ""]
    lines += table(["part", "ms"], "lr", [[k.replace("_ms", "").replace("_", " "), v]
                                          for k, v in profile["breakdown"].items()])
    lines.append(f"\nFull listing: `{profile['listing']}`")
    return lines


def machine_sentence(machine, config, peers=()):
    """One line: versions, CPUs, database, rounds, git. `peers` are (label, key in machine)."""
    m = machine
    peer_text = "".join(f"{label} {m[key]}, " for label, key in peers)
    return (f"Python {m['python']}, Django {m['django']}, XBlock {m['xblock']}, xblock-sdk {m['xblock_sdk']}, "
            f"{peer_text}{m['cpu_count']} CPUs ({m['cpu_model']}), {m['database']}, DEBUG={m['debug']}; "
            f"{config['rounds']} interleaved rounds after {config['warmup']} warm-up, git {m['git_commit']}"
            f"{' (xblocks/ modified)' if m['xblocks_dirty'] else ''}.")


def flag_lines(flags):
    return ["", "## Flags", ""] + ([f"- {flag}" for flag in flags] or ["- none"])


# Running ---------------------------------------------------------------------------------------

def argument_parser(description, rounds=200, warmup=20, profile_help="cProfile the measured block's render"):
    """The options every benchmark takes (benchmarks/run passes its own to each of them)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--rounds", type=int, default=rounds, help=f"measured rounds per operation (default {rounds})")
    parser.add_argument("--warmup", type=int, default=warmup)
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto", help=profile_help)
    return parser


def migrate():
    call_command("migrate", interactive=False, verbosity=0)


def write_results(results_dir, name, doc, markdown_text):
    """`<name>.json` and `<name>.md` in `results_dir`; prints the table (stdout) and where it went (stderr)."""
    (results_dir / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    (results_dir / f"{name}.md").write_text(markdown_text, encoding="utf-8")
    print(markdown_text, flush=True)
    print(f"benchmarks: results in {results_dir}/{name}.json and {name}.md ({doc['duration_s']} s)",
          file=sys.stderr, flush=True)
