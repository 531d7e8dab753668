"""Benchmarks of the reflection journal, measured against two peers in one process.

Run through `bash benchmarks/run` (its own venv, a throwaway SQLite database). Measures,
in the xblock-sdk workbench with the devstack settings:

1. server render time of the student view: the workbench's hello-world block (the floor),
   xblock-free-text-response and the journal, in two layers, interleaved round by round:
   - "runtime": a fresh devstack `LmsRuntime(student)`, `get_block`, `runtime.render(block,
     "student_view")` and the fragment's HTML, i.e. what the workbench's view does per request;
   - "http": the whole workbench request, `GET /scenario/<id>/?student=...` with Django's
     test Client (URL routing, middleware, the page template);
2. handler time: the journal's `save_draft` / `submit_entry` against free-text-response's
   `save_reponse` / `submit`, through `runtime.handle(block, name, webob_request)` and
   through `POST /handler/<usage_id>/<name>/` with the test Client;
3. page weight of each block's own JS+CSS, raw and gzipped, the shared helper apart;
4. database queries per view and per handler for a learner with 1 and with 200 entries
   in the journal, split into journal tables, the workbench's field data and the rest.

Writes `journal.json` and `journal.md` to --results and prints the table. Figures are
never asserted; the process fails only when something crashes. The machinery (the
workbench bench, interleaved timing, query counting, page weight, machine information)
is `harness.py`, shared with the other benchmarks.
"""
import sys
import time
from pathlib import Path

import harness  # noqa: F401  (sets Django up: import it before anything that needs Django)

# pylint: disable=wrong-import-position
from django.utils import timezone as dj_timezone  # noqa: E402
from harness import (  # noqa: E402
    BUDGET_MS_ABOVE_HELLO,
    BUDGET_OWN_BYTES,
    HELLO_XML,
    STOCK_I18N,
    Bench,
    Fail,
    Prepared,
    QueryCounter,
    argument_parser,
    catalogue_count,
    count_cell,
    file_weight,
    flag_lines,
    kb,
    machine_info,
    machine_sentence,
    measure_times,
    migrate,
    ms_cell,
    paired,
    profile_calls,
    profile_lines,
    statics,
    table,
    weight_row,
    write_results,
)

import xblocks.common  # noqa: E402
import xblocks.learning_to_learn  # noqa: E402
from devstack.platform_services import LmsRuntime  # noqa: E402  the LMS services of the devstack
from xblocks.learning_to_learn.models import JournalEntry, JournalRevision  # noqa: E402
from xblocks.learning_to_learn.scenarios import JOURNAL_SCENARIOS  # noqa: E402

# The same render budget as a ratio to the peer measured in the same run: DESIGN.md measured
# free-text-response at 60 ms and hello-world at 21 ms, so 20 ms above hello-world is about
# half of what free-text-response costs above it. Machine speed and load cancel out of it.
BUDGET_SHARE_OF_FTR = 20.0 / (60.0 - 21.0)

JOURNAL_TABLES = ("bizmooc_learning_to_learn_",)
QUERIES = QueryCounter("journal", JOURNAL_TABLES)

# Learners. The render learner has one submitted entry in the measured block; the heavy
# learner has that too plus 199 entries of the same journal in other blocks.
READER = "bench_reader"
HEAVY = "bench_heavy"
SAVER = {"runtime": "bench_saver_rt", "http": "bench_saver_http"}
OTHER_ENTRIES = 199

PROMPT = ("<p>Think about why you enrolled in <em>Learning to learn</em>. What do you want to be able to do "
          "at the end of the course, and how will you notice at work that you can do it?</p>")
ANSWER = (
    "I enrolled because my team keeps postponing the product training that our customers expect us to "
    "know by heart. I want to plan my own learning in short slots of twenty minutes, two or three times "
    "a week, and to keep a diary of what worked. At the end of the course I would like to show my team a "
    "routine that fits between customer calls: one short video, one retrieval question written from "
    "memory, and one note on how I could use the idea on Monday. I will notice that it works when I can "
    "explain a new product feature to a colleague without opening the slides, and when the team asks me "
    "how I found the time. I also want to understand why I give up on online courses after the third "
    "week, and what I can change in my environment so that it does not happen again this time."
)

FTR_XML = ('<freetextresponse display_name="Week 1: Why am I taking this MOOC?" min_word_count="40" '
           'max_word_count="400" prompt="{}"/>').format(
               PROMPT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))

SCENARIOS = {
    # key: (scenario id, description, xml); the journal's own demo scenario, unchanged.
    "hello": ("bench.hello", "Benchmark: hello world", HELLO_XML),
    "ftr": ("bench.ftr", "Benchmark: free-text-response", FTR_XML),
    "journal": ("bench.journal", "Benchmark: reflection journal (demo week 1)", JOURNAL_SCENARIOS[0][1]),
}

LABELS = {"hello": "hello-world", "ftr": "free-text-response", "journal": "journal",
          "journal_200": "journal (learner with 200 entries)"}


# The workbench, one block per scenario -------------------------------------------------------

class JournalBench(Bench):
    scenarios = SCENARIOS
    # free-text-response gets the upstream workbench's i18n service (see harness.STOCK_I18N).
    stock_i18n_keys = frozenset({"ftr"})

    def __init__(self):
        super().__init__()
        self.versions = {}  # (student) -> the journal entry's current version
        self.text_counter = 0

    # Handlers

    def _next_text(self):
        self.text_counter += 1
        return f"{ANSWER} (Saved {self.text_counter}.)"

    def payload(self, key, handler, student):
        text = self._next_text()
        if key == "journal":
            return {"prompt": 0, "text": text, "version": self.versions.get(student, 0)}
        return {"student_answer": text}

    def after(self, key, handler, student, status, body):
        data = super().after(key, handler, student, status, body)
        if handler == "save_draft":
            self.versions[student] = data["version"]
        elif handler == "submit_entry":
            self.versions[student] = data["entry"]["version"]
        return data

    # Learners

    def seed(self):
        """The reader and heavy learner: one submitted entry here; the heavy one 199 more elsewhere."""
        for student in (READER, HEAVY, SAVER["runtime"], SAVER["http"]):
            self.handle_runtime("journal", "save_draft", student)
            self.handle_runtime("journal", "submit_entry", student)
            self.handle_runtime("ftr", "save_reponse", student)
            self.handle_runtime("ftr", "submit", student)
        runtime = LmsRuntime(HEAVY)
        block = runtime.get_block(self.usage["journal"])
        now = dj_timezone.now()
        others = JournalEntry.objects.bulk_create(
            JournalEntry(
                course_id="workbench", journal_name=block.journal_name,
                usage_id=f"bench-other-{i:03d}.bizmooc_reflection_journal.d0.u0", prompt_index=0,
                user_id=HEAVY, position=f"{i:04d}|bench-other-{i:03d}", unit_title=f"Week {i}",
                prompt_text="What did you learn this week, and how did you learn it?",
                draft=ANSWER, version=2, submitted_text=ANSWER, submitted_at=now, first_submitted_at=now,
                revision_count=1,
            )
            for i in range(OTHER_ENTRIES)
        )
        JournalRevision.objects.bulk_create(
            JournalRevision(entry=entry, number=1, text=ANSWER, submitted_at=now) for entry in others
        )
        entries = JournalEntry.objects.filter(user_id=HEAVY, journal_name=block.journal_name).count()
        if entries != OTHER_ENTRIES + 1:
            raise Fail(f"seeding: the heavy learner has {entries} entries, not {OTHER_ENTRIES + 1}")
        return entries


# Measurements ----------------------------------------------------------------------------------

def timed_operations(bench):
    """name -> callable; each call is one measured operation, or a `Prepared` whose setup is untimed."""
    ops = {}
    for key in ("hello", "ftr", "journal"):
        ops[f"render/warm/{key}"] = Prepared(lambda k=key: bench.prepare_warm_render(k, READER))
    for layer, render in (("runtime", bench.render_runtime), ("http", bench.render_http)):
        ops[f"render/{layer}/hello"] = lambda r=render: r("hello", READER)
        ops[f"render/{layer}/ftr"] = lambda r=render: r("ftr", READER)
        ops[f"render/{layer}/journal"] = lambda r=render: r("journal", READER)
        ops[f"render/{layer}/journal_200"] = lambda r=render: r("journal", HEAVY)
    for layer, handle in (("runtime", bench.handle_runtime), ("http", bench.handle_http)):
        student = SAVER[layer]
        ops[f"save/{layer}/journal"] = lambda h=handle, s=student: h("journal", "save_draft", s)
        ops[f"save/{layer}/ftr"] = lambda h=handle, s=student: h("ftr", "save_reponse", s)
        ops[f"submit/{layer}/journal"] = lambda h=handle, s=student: h("journal", "submit_entry", s)
        ops[f"submit/{layer}/ftr"] = lambda h=handle, s=student: h("ftr", "submit", s)
    return ops


def measure_revisions(bench, rounds, warmup):
    """The render for a learner whose entry has many revisions (the save/submit learner, after the run).

    The student view lists every revision of the entry, so its time and HTML grow with them
    (the query count does not: revisions are prefetched).
    """
    student = SAVER["runtime"]
    count = JournalRevision.objects.filter(entry__user_id=student, entry__usage_id=bench.usage["journal"]).count()
    ops = {"one revision": lambda: bench.render_runtime("journal", READER),
           "many revisions": lambda: bench.render_runtime("journal", student)}
    times = measure_times(ops, rounds, warmup)
    html = []
    counts, _ = QUERIES.capture(lambda: html.append(bench.render_runtime("journal", student)))
    html = html[0]
    return {
        "revisions": count,
        "times": times,
        "html_bytes": len(html.encode()),
        "html_bytes_one_revision": len(bench.render_runtime("journal", READER).encode()),
        "queries": counts,
    }


def measure_queries(bench):
    """Queries per operation for a learner with 1 and with 200 entries (steady state: updates)."""
    results = {}
    learners = {"1": READER, "200": HEAVY}

    def capture(func):
        return QUERIES.capture(func)[0]

    operations = {
        "journal student_view": lambda s: bench.render_runtime("journal", s),
        "journal save_draft": lambda s: bench.handle_runtime("journal", "save_draft", s),
        "journal submit_entry": lambda s: bench.handle_runtime("journal", "submit_entry", s),
        "journal my_journal (GET, one page)": lambda s: bench.handle_runtime("journal", "my_journal", s, {}, "GET"),
        "journal student_view_user_state (GET)": lambda s: bench.handle_runtime(
            "journal", "student_view_user_state", s, {}, "GET"),
    }
    for name, func in operations.items():
        row = {}
        for entries, student in learners.items():
            func(student)  # once more before counting: steady state, nothing created lazily
            row[entries] = capture(lambda: func(student))
        row["grows"] = row["200"]["total"] != row["1"]["total"] or row["200"]["journal"] != row["1"]["journal"]
        results[name] = row
    peers = {
        "hello-world student_view": lambda: bench.render_runtime("hello", READER),
        "free-text-response student_view": lambda: bench.render_runtime("ftr", READER),
        "free-text-response save_reponse": lambda: bench.handle_runtime("ftr", "save_reponse", READER),
        "free-text-response submit": lambda: bench.handle_runtime("ftr", "submit", READER),
    }
    peer_counts = {}
    for name, func in peers.items():
        func()
        peer_counts[name] = capture(func)
    return results, peer_counts


def page_weight(bench):
    """Own JS+CSS of each block, raw and gzip -6 (per file), from the installed packages.

    The journal's files are the ones its fragments link to (its package also holds other
    blocks' files); the shared helper is counted once, apart.
    """
    journal_dir = Path(xblocks.learning_to_learn.__path__[0])
    common_dir = Path(xblocks.common.__path__[0])
    import freetextresponse  # pylint: disable=import-outside-toplevel
    ftr_dir = Path(freetextresponse.__path__[0])
    learner, shared = bench.shipped_files("journal", "student_view", journal_dir, common_dir, READER)
    studio, studio_shared = bench.shipped_files("journal", "studio_view", journal_dir, common_dir, READER)
    return {
        "journal_learner": file_weight(learner, journal_dir),
        "journal_learner_and_studio": file_weight(set(learner) | set(studio), journal_dir),
        "shared_helper": file_weight(set(shared) | set(studio_shared), common_dir),
        "package_static_all_blocks": file_weight(statics(journal_dir, "static"), journal_dir),
        "free_text_response": file_weight(statics(ftr_dir, "public"), ftr_dir),
        "installed_from": str(journal_dir),
    }


def fragment_sizes(bench):
    return {key: bench.fragment_size(key, READER) for key in ("hello", "ftr", "journal")}


def profile_journal(bench, results_dir, renders=100):
    """cProfile of the journal's runtime-layer render; the full listing goes to a file."""
    return profile_calls(lambda: bench.render_runtime("journal", READER), renders, results_dir / "journal-profile.txt",
                         f"cProfile of {renders} journal student_view renders (runtime layer)")


# Report ----------------------------------------------------------------------------------------

FTR_PEER = (("xblock-free-text-response", "xblock_free_text_response"),)


def markdown(doc):
    t = doc["times"]
    lines = [f"# Reflection journal benchmarks ({doc['machine']['timestamp']})", "",
             machine_sentence(doc["machine"], doc["config"], FTR_PEER), ""]
    lines += ["## Render time of the student view (ms, median / p90)", "",
              "runtime.render: fresh runtime + get_block + render, as the workbench does per request. "
              "HTTP: the whole `GET /scenario/<id>/` through Django's test Client. Fields preloaded: "
              "only `runtime.render` on a block whose fields were read beforehand (no workbench storage). "
              "`vs FTR` and `− hello` are medians of per-round ratios and differences (paired: same round).", ""]
    rows = []
    for key in ("hello", "ftr", "journal", "journal_200"):
        row = [LABELS[key]]
        for layer in ("runtime", "http", "warm"):
            name = f"render/{layer}/{key}"
            if name not in t:
                row += ["", "", ""]
                continue
            pair = doc["paired"][name]
            row += [ms_cell(t[name]), f"{pair['ratio_to_ftr']:.2f}×", f"{pair['minus_hello_ms']:+.2f}"]
        row.append(str(doc["render_queries"][key]["total"]))
        rows.append(row)
    lines += table(["block", "runtime.render", "vs FTR", "− hello", "HTTP GET /scenario/", "vs FTR", "− hello",
                    "fields preloaded", "vs FTR", "− hello", "queries"], "l" + "r" * 10, rows)
    rows = []
    for action, ours, theirs in (("save", "save_draft", "save_reponse"), ("submit", "submit_entry", "submit")):
        for key, handler in (("journal", ours), ("ftr", theirs)):
            row = [f"{LABELS[key]} `{handler}`"]
            for layer in ("runtime", "http"):
                name = f"{action}/{layer}/{key}"
                row += [ms_cell(t[name]), f"{doc['paired'][name]['ratio_to_ftr']:.2f}×"]
            row.append(str(doc["handler_queries"][f"{key}/{handler}"]["total"]))
            rows.append(row)
    lines += ["", "## Handlers (ms, median / p90)", ""]
    lines += table(["handler", "runtime.handle", "ratio", "HTTP POST /handler/", "ratio", "queries"], "lrrrrr", rows)
    w = doc["page_weight"]
    lines += ["", "## Page weight (own JS+CSS; gzip -6 per file)", ""]
    lines += table(["what", "files", "bytes", "gzip"], "llrr", [
        weight_row(label, w[key]) for label, key in (
            ("journal: what its student view links to", "journal_learner"),
            ("journal: student + Studio views", "journal_learner_and_studio"),
            ("shared helper xblocks/common/static (once per page)", "shared_helper"),
            ("learning_to_learn/static/** (every block of the package)", "package_static_all_blocks"),
            ("free-text-response public/ (its CSS is inlined in the fragment)", "free_text_response"))])
    q = doc["queries"]
    lines += ["", "## Database queries per operation (runtime layer; journal tables / workbench field data / "
              "total incl. BEGIN/COMMIT)", ""]
    rows = [[name, count_cell(row["1"], "journal"), count_cell(row["200"], "journal"),
             "**YES: grows with entries**" if row["grows"] else "no"] for name, row in q.items()]
    rows += [[name, f"– / {counts['field_data']} / {counts['total']}", "", ""]
             for name, counts in doc["peer_queries"].items()]
    lines += table(["operation", "1 entry", "200 entries", "grows?"], "lrrl", rows)
    r = doc["revisions"]
    lines += ["", f"Journal render for a learner whose entry has {r['revisions']} revisions (all listed on the "
              f"page): {r['times']['many revisions']['median_ms']:.2f} ms median vs "
              f"{r['times']['one revision']['median_ms']:.2f} ms with one; HTML {r['html_bytes']:,} bytes vs "
              f"{r['html_bytes_one_revision']:,}; {r['queries']['journal']} journal queries."]
    if doc.get("profile"):
        lines += profile_lines("Where the journal's render time goes", doc["profile"])
    lines += ["", "## Render budget (DESIGN.md: within 20 ms of hello-world, where free-text-response needs ~40 ms)",
              ""]
    layer_names = {"runtime": "runtime.render", "http": "HTTP GET /scenario/", "warm": "fields preloaded"}
    rows = []
    for layer, b in doc["render_budget"].items():
        share = b["journal_overhead_share_of_ftr"]
        rows.append([layer_names[layer], f"{b['journal_minus_hello_ms']:+.2f} ms", f"{b['ftr_minus_hello_ms']:+.2f} ms",
                     "n/a" if share is None else f"{share:.2f}×",
                     f"≤ 20 ms; ≤ {doc['budgets']['render_share_of_ftr']:.2f}×"])
    lines += table(["layer", "journal − hello", "FTR − hello", "journal's share of FTR's cost", "budget"], "lrrrr",
                   rows)
    c = doc["translation_catalogues"]
    lines += ["", f"Django translation catalogues for the active language: {c['before']} before the timed rounds, "
              f"{c['after']} after (constant unless a block merges its catalogue into Django's on each render). "
              f"free-text-response runs with the upstream workbench's i18n service (`{STOCK_I18N}`)."]
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], rounds=200, warmup=20,
                             profile_help="cProfile the journal's render (auto: when it is >20 ms above hello-world)")
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    migrate()
    bench = JournalBench()
    seeded = bench.seed()

    print(f"benchmarks: {args.rounds} interleaved rounds (+{args.warmup} warm-up) of "
          f"{len(timed_operations(bench))} operations…", file=sys.stderr, flush=True)
    raw = {}
    catalogues_before = catalogue_count()
    times = measure_times(timed_operations(bench), args.rounds, args.warmup, raw=raw)
    catalogues_after = catalogue_count()
    pairs = paired(raw)
    queries, peer_queries = measure_queries(bench)
    revisions = measure_revisions(bench, max(20, args.rounds // 4), args.warmup)

    render_queries = {
        "hello": peer_queries["hello-world student_view"],
        "ftr": peer_queries["free-text-response student_view"],
        "journal": queries["journal student_view"]["1"],
        "journal_200": queries["journal student_view"]["200"],
    }
    handler_queries = {
        "journal/save_draft": queries["journal save_draft"]["1"],
        "journal/submit_entry": queries["journal submit_entry"]["1"],
        "ftr/save_reponse": peer_queries["free-text-response save_reponse"],
        "ftr/submit": peer_queries["free-text-response submit"],
    }
    weight = page_weight(bench)

    flags = []
    for name, row in queries.items():
        if row["grows"]:
            flags.append(f"QUERY COUNT GROWS WITH ENTRIES: {name}: {row['1']['total']} -> {row['200']['total']} "
                         f"(journal tables {row['1']['journal']} -> {row['200']['journal']})")
    over = {}
    budget = {}
    for layer in ("runtime", "http", "warm"):
        over[layer] = pairs[f"render/{layer}/journal"]["minus_hello_ms"]
        ftr_over = pairs[f"render/{layer}/ftr"]["minus_hello_ms"]
        share = over[layer] / ftr_over if ftr_over > 0 else None
        budget[layer] = {"journal_minus_hello_ms": over[layer], "ftr_minus_hello_ms": ftr_over,
                         "journal_overhead_share_of_ftr": round(share, 2) if share is not None else None}
        label = {"runtime": "runtime.render", "http": "HTTP GET /scenario/", "warm": "fields preloaded"}[layer]
        if over[layer] > BUDGET_MS_ABOVE_HELLO:
            flags.append(f"journal render ({label}) is {over[layer]:.1f} ms above hello-world "
                         f"(budget {BUDGET_MS_ABOVE_HELLO:.0f} ms)")
        if share is not None and share > BUDGET_SHARE_OF_FTR:
            flags.append(f"journal render ({label}): its cost above hello-world is {share:.2f}× "
                         f"free-text-response's (DESIGN's budget as a ratio: {BUDGET_SHARE_OF_FTR:.2f}×)")
    if weight["journal_learner"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"journal's own JS+CSS is {kb(weight['journal_learner']['bytes'])} (budget 20 KB)")

    if catalogues_after > catalogues_before:
        flags.append(f"Django's translation catalogues grew from {catalogues_before} to {catalogues_after} during "
                     "the run: a block merges its catalogue into Django's on every render (gettext gets slower "
                     "and memory grows for the life of the process)")
    profile = None
    (args.results / "journal-profile.txt").unlink(missing_ok=True)  # never leave a stale listing
    if args.profile == "always" or (args.profile == "auto" and max(over.values()) > BUDGET_MS_ABOVE_HELLO):
        profile = profile_journal(bench, args.results)

    doc = {
        "machine": machine_info(peers=(("xblock_free_text_response", "xblock-free-text-response"),)),
        "config": {"rounds": args.rounds, "warmup": args.warmup, "seeded_entries_heavy_learner": seeded,
                   "journal_scenario": JOURNAL_SCENARIOS[0][0], "ftr_scenario": FTR_XML,
                   "ftr_i18n_service": STOCK_I18N,
                   "layers": {"runtime": "devstack LmsRuntime + get_block + runtime.render/handle (webob request)",
                              "http": "django.test.Client against /scenario/<id>/ and /handler/<usage>/<name>/"}},
        "times": times,
        "paired": pairs,
        "render_budget": budget,
        "translation_catalogues": {"before": catalogues_before, "after": catalogues_after},
        "render_queries": render_queries,
        "handler_queries": handler_queries,
        "queries": queries,
        "peer_queries": peer_queries,
        "revisions": revisions,
        "page_weight": weight,
        "fragments": fragment_sizes(bench),
        "profile": profile,
        "flags": flags,
        "budgets": {"render_ms_above_hello": BUDGET_MS_ABOVE_HELLO,
                    "render_share_of_ftr": round(BUDGET_SHARE_OF_FTR, 3), "own_js_css_bytes": BUDGET_OWN_BYTES},
        "duration_s": round(time.monotonic() - started, 1),
    }
    write_results(args.results, "journal", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
