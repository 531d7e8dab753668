"""Benchmarks of the competence self-assessment as its cohort grows (issue 3, "Performance").

Run through `bash benchmarks/run` (its own venv, a throwaway SQLite database), after the
journal's benchmark. In the xblock-sdk workbench with the devstack settings, with the demo
scenario "after" (EntreComp, 15 competences, phase after, cohort average shown from 2
learners, graded), for N = 1, 1,000 and 10,000 other learners who answered both phases of
the group (rows bulk-created straight into the tables, random levels with some "can't
judge yet", fixed seed), measures:

1. render time of the profile (the student view of a learner who answered "before" and
   "after": radar chart, change since "before", cohort average), through the runtime as the
   workbench does per request, with the cohort figures cached (warm) and with the cache
   cleared before each render (cold: the database aggregates the cohort), interleaved with
   hello-world's student view as the floor;
2. `submit_assessment` (a revision) and the staff report (`staff_report`: distribution and
   paired change over all learners) through `runtime.handle`;
3. database queries of each, split into the assessment tables, the workbench's field data
   and the total, with a flag when a count differs between N values; every query on the
   assessment tables timed on its own and with SQLite's EXPLAIN QUERY PLAN;
4. page weight of the self-assessment's own JS+CSS (student view; Studio apart), the shared
   helper counted once.

Writes `self_assessment.json` and `self_assessment.md` to --results and prints the table.
Figures are never asserted; the process fails only when something crashes or a view does
not show what it should (no cohort average, no comparison with "before").
"""
import random
import re
import sys
import time
from pathlib import Path

import harness  # noqa: F401  (sets Django up: import it before anything that needs Django)

# pylint: disable=wrong-import-position
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone as dj_timezone  # noqa: E402
from harness import (  # noqa: E402
    BUDGET_MS_ABOVE_HELLO,
    BUDGET_OWN_BYTES,
    HELLO_XML,
    Bench,
    Fail,
    Prepared,
    QueryCounter,
    argument_parser,
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
    paired,
    plan_warnings,
    profile_calls,
    profile_lines,
    table,
    time_sql,
    weight_row,
    write_results,
)

import xblocks.common  # noqa: E402
import xblocks.learning_to_learn  # noqa: E402
from xblocks.learning_to_learn import assessment_store, frameworks  # noqa: E402
from xblocks.learning_to_learn.assessment_service import cohort_threshold  # noqa: E402
from xblocks.learning_to_learn.models import AssessmentResponse, CompetenceRating  # noqa: E402
from xblocks.learning_to_learn.scenarios_assessment import AFTER, BEFORE  # noqa: E402

ASSESSMENT_TABLES = ("bizmooc_learning_to_learn_assessmentresponse", "bizmooc_learning_to_learn_competencerating",
                     "bizmooc_learning_to_learn_assessmentdraft")
QUERIES = QueryCounter("assessment", ASSESSMENT_TABLES)

SIZES = (1, 1_000, 10_000)  # other learners who answered both phases of the group
LARGE = 10_000  # from this size on, fewer rounds (the staff report reads every rating)
LARGE_ROUNDS_SHARE = 4  # ... a quarter of --rounds, at least 10
SEED = 2024
SEED_BATCH = 2_000  # objects per INSERT (Django lowers it to SQLite's variable limit)
NOT_SURE_SHARE = 0.08  # ratings left at "I can't judge yet"

# The measured learners (besides the N seeded ones): the reader answered both phases through
# the handlers and is the one whose profile is rendered; the reviser revises "after" in every
# round; course_staff is staff in the devstack (WORKBENCH_STAFF_IDS).
READER = "bench_sa_reader"
REVISER = "bench_sa_reviser"
STAFF = "course_staff"
BENCH_LEARNERS = 2

SCENARIOS = {
    # key: (scenario id, description, xml); the self-assessment's own demo blocks, unchanged.
    "hello": ("bench.hello", "Benchmark: hello world", HELLO_XML),
    "before": ("bench.sa.before", "Benchmark: self-assessment, EntreComp before", BEFORE),
    "after": ("bench.sa.after", "Benchmark: self-assessment, EntreComp after (cohort shown)", AFTER),
}

OPERATIONS = {
    # name: label; the timed names and the query names are the same.
    "render/hello": "hello-world student_view (the floor)",
    "render/profile_warm": "profile view, cohort figures cached",
    "render/profile_cold": "profile view, cohort cache cleared before each render",
    "submit/revision": "`submit_assessment` (a revision; answers with the profile)",
    "draft/save": "`save_draft` (the autosave of a revision in progress; compare-and-set on its version)",
    "staff/report": "`staff_report` (GET; distribution + paired change)",
}
QUERY_OPERATIONS = ("render/profile_warm", "render/profile_cold", "submit/revision", "draft/save", "staff/report")

EVIDENCE = "Ran a two-week pilot of a customer-feedback board with my team and presented the results."


def size_label(n):
    return f"N={n:,}"


# The workbench and the cohort ---------------------------------------------------------------

class AssessmentBench(Bench):
    scenarios = SCENARIOS

    def __init__(self):
        super().__init__()
        block = self.block("after", READER)
        self.course_id, self.group = block.course_key_str, block.group_key
        self.framework = frameworks.built_in(block.framework_choice)
        self.competences = [c.id for c in self.framework.competences]
        self.levels = [level.value for level in self.framework.levels]
        self.rng = random.Random(SEED)
        self.seeded = 0

    def cohort_key(self, phase="after"):
        return assessment_store.cohort_cache_key(self.course_id, self.group, phase)

    def ratings(self, rng):
        return {cid: None if rng.random() < NOT_SURE_SHARE else rng.choice(self.levels) for cid in self.competences}

    def payload(self, key, handler, student):
        if handler != "submit_assessment":
            return {}
        ratings = self.ratings(self.rng)
        return {"ratings": ratings, "evidence": {self.competences[0]: EVIDENCE}}

    def answer_both_phases(self, student):
        for key in ("before", "after"):
            self.handle_runtime(key, "submit_assessment", student)

    def seed_to(self, total):
        """Other learners up to `total`, each with an answer in both phases (bulk, one transaction).

        "after" levels drift up from "before" (growth), both with some "can't judge yet".
        Returns (learners added, responses added, rating rows added, seconds).
        """
        started = time.perf_counter()
        rng = random.Random(f"{SEED}-{self.seeded}-{total}")
        now = dj_timezone.now()
        users = [f"bench-cohort-{i:06d}" for i in range(self.seeded, total)]
        levels = {}
        for user in users:
            before = self.ratings(rng)
            after = {cid: None if rng.random() < NOT_SURE_SHARE
                     else min(self.levels[-1], max(self.levels[0], (level or rng.choice(self.levels))
                                                   + rng.choice((-1, 0, 1, 1, 2))))
                     for cid, level in before.items()}
            levels[user] = {"before": before, "after": after}
        with transaction.atomic():
            responses = AssessmentResponse.objects.bulk_create(
                (AssessmentResponse(course_id=self.course_id, group_name=self.group, phase=phase, user_id=user,
                                    usage_id=str(self.usage[phase]), framework_id=self.framework.id, evidence={},
                                    submitted_at=now)
                 for user in users for phase in ("before", "after")),
                batch_size=SEED_BATCH)
            if any(r.pk is None for r in responses):  # a database that cannot return ids from a bulk insert
                ids = dict(((u, p), pk) for pk, u, p in AssessmentResponse.objects.filter(
                    course_id=self.course_id, group_name=self.group, user_id__in=users).values_list(
                        "pk", "user_id", "phase"))
                for r in responses:
                    r.pk = ids[(r.user_id, r.phase)]
            CompetenceRating.objects.bulk_create(
                (CompetenceRating(response_id=r.pk, course_id=self.course_id, group_name=self.group, phase=r.phase,
                                  user_id=r.user_id, competence_id=cid, level=level)
                 for r in responses for cid, level in levels[r.user_id][r.phase].items()),
                batch_size=SEED_BATCH)
        # Rows written behind save_response's back: drop the cached cohort figures as it would.
        for phase in ("before", "after"):
            cache.delete(self.cohort_key(phase))
        self.seeded = total
        return len(users), len(responses), len(responses) * len(self.competences), time.perf_counter() - started

    # The measured operations

    def profile(self):
        return self.render_runtime("after", READER)

    def warm_profile(self):
        assessment_store.cohort(self.course_id, self.group, "after")  # cached now, whatever happened before
        return self.profile

    def cold_profile(self):
        cache.delete(self.cohort_key())
        return self.profile

    def revise(self):
        return self.handle_runtime("after", "submit_assessment", REVISER)

    def staff_report(self):
        return self.handle_runtime("after", "staff_report", STAFF, {}, "GET")

    def save_draft(self):
        """The reviser's autosave, from the version the last save returned (a revision ends the draft)."""
        version = getattr(self, "draft_version", 0)
        payload = {"ratings": self.ratings(self.rng), "evidence": {}, "version": version}
        try:
            result = self.handle_runtime("after", "save_draft", REVISER, payload)
        except Fail:  # the draft ended with a revision meanwhile: start a new one
            payload["version"] = 0
            result = self.handle_runtime("after", "save_draft", REVISER, payload)
        self.draft_version = result["version"]
        return result

    def check(self, expected_learners):
        """The profile shows what it should at this size; a measurement of anything else is useless."""
        html = self.cold_profile()()
        for marker, what in (("sa-key-cohort", "the cohort average"), ("sa-key-earlier", "the change since before")):
            if marker not in html:
                raise Fail(f"the profile view of {READER} does not show {what} ({marker!r} missing)")
        figures = assessment_store.cohort(self.course_id, self.group, "after")
        if figures["learners"] != expected_learners:
            raise Fail(f"cohort of {figures['learners']} learners, expected {expected_learners}")
        report = self.staff_report()["html"]
        if "bench-cohort" in report:
            raise Fail("the staff report names learners")
        return figures


def operations(bench):
    return {
        "render/hello": lambda: bench.render_runtime("hello", READER),
        "render/profile_warm": Prepared(bench.warm_profile),
        "render/profile_cold": Prepared(bench.cold_profile),
        "submit/revision": bench.revise,
        "draft/save": bench.save_draft,
        "staff/report": bench.staff_report,
    }


# Measurements ----------------------------------------------------------------------------------

def count_queries(bench):
    """Queries of each operation (steady state: each runs once untimed first) and the SQL on
    the assessment tables, in order."""
    counts, sqls = {}, {}
    for name in QUERY_OPERATIONS:
        op = operations(bench)[name]
        run = (lambda o=op: o.prepare()()) if isinstance(op, Prepared) else op
        run()
        if isinstance(op, Prepared):
            prepared = op.prepare()  # the setup (cache warmed or cleared) stays out of the count
            counts[name], sqls[name] = QUERIES.capture(prepared)
        else:
            counts[name], sqls[name] = QUERIES.capture(run)
    return counts, sqls


def short(text):
    """Table names without the app's prefix, columns without their table, no quotes."""
    text = text.replace('"', "").replace("bizmooc_learning_to_learn_", "")
    return re.sub(r"\b(assessmentresponse|competencerating|assessmentdraft)\.", "", text)


def describe(sql, limit=170):
    """A captured query, short: string literals as ?, a long column list elided."""
    text = re.sub(r"'(?:[^']|'')*'", "?", short(sql))
    match = re.match(r"SELECT (.*?) FROM (.*)", text, re.S)
    if match and len(match.group(1)) > 50:
        text = f"SELECT {match.group(1)[:40]}… FROM {match.group(2)}"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def assessment_query_times(sqls, repeats):
    """Each SELECT on the assessment tables run on its own (median ms) and SQLite's plan of it."""
    rows = {}
    for name, statements in sqls.items():
        rows[name] = []
        for sql in statements:
            select = sql.lstrip().upper().startswith("SELECT")
            rows[name].append({"sql": sql, "ms": time_sql(sql, repeats) if select else None,
                               "plan": explain(sql)})
    return rows


def page_weight(bench):
    """Own JS+CSS that the student and Studio views link to, raw and gzip -6 (per file), from
    the installed package; the shared helper counted once, apart."""
    package_dir = Path(xblocks.learning_to_learn.__path__[0])
    common_dir = Path(xblocks.common.__path__[0])
    learner, shared = bench.shipped_files("after", "student_view", package_dir, common_dir, READER)
    studio, studio_shared = bench.shipped_files("after", "studio_view", package_dir, common_dir, READER)
    return {
        "learner": file_weight(learner, package_dir),
        "studio": file_weight(studio, package_dir),
        "learner_and_studio": file_weight(set(learner) | set(studio), package_dir),
        "shared_helper": file_weight(set(shared) | set(studio_shared), common_dir),
        "installed_from": str(package_dir),
    }


def rounds_for(n, rounds, warmup):
    """(rounds, warm-up rounds) at size n: fewer from LARGE on."""
    if n < LARGE:
        return rounds, warmup
    return max(10, rounds // LARGE_ROUNDS_SHARE), min(warmup, 2)


# Report ----------------------------------------------------------------------------------------

def markdown(doc):
    sizes = [str(n) for n in doc["config"]["sizes"]]
    heads = [size_label(int(n)) for n in sizes]
    per = doc["per_size"]
    c = doc["config"]
    lines = [f"# Competence self-assessment benchmarks ({doc['machine']['timestamp']})", "",
             machine_sentence(doc["machine"], c), "",
             f"Scenario: the demo block \"after\" ({c['framework']}, {c['competences']} competences, phase after, "
             f"cohort average shown from {c['cohort_threshold']} learners, graded). Its profile is rendered for a "
             f"learner who answered \"before\" and \"after\"; N other learners answered both phases "
             f"({c['not_sure_share']:.0%} of ratings \"can't judge yet\", seed {c['seed']}). Rounds per N: "
             + ", ".join(f"{size_label(int(n))}: {per[n]['rounds']} (+{per[n]['warmup']} warm-up)" for n in sizes)
             + (f"; fewer from {size_label(LARGE)} on, where every staff report and every submit reads all "
                "ratings of the group, to keep the run short." if any(
                 per[n]["rounds"] != c["rounds"] for n in sizes) else "."), ""]
    lines += ["## Seeding (bulk_create, one transaction per step, SQLite)", ""]
    lines += table(["step", "learners added", "responses", "rating rows", "seconds"], "lrrrr", [
        [f"→ {size_label(int(n))}", f"{per[n]['seeding']['learners']:,}", f"{per[n]['seeding']['responses']:,}",
         f"{per[n]['seeding']['ratings']:,}", f"{per[n]['seeding']['seconds']:.1f}"] for n in sizes])
    lines += ["", "## Time (ms, median / p90; fresh runtime + get_block + render/handle, as the workbench per "
              "request)", "", "`− hello`: median of per-round differences to hello-world's student view (paired).", ""]
    rows = []
    for name, label in OPERATIONS.items():
        rows.append([label] + [ms_cell(per[n]["times"][name]) for n in sizes])
        if name.startswith("render/profile"):
            rows.append(["… − hello"] + [f"{per[n]['paired'][name]['minus_hello_ms']:+.2f}" for n in sizes])
    lines += table(["operation"] + heads, "l" + "r" * len(sizes), rows)
    lines += ["", "## Database queries (assessment tables / workbench field data / total incl. BEGIN/COMMIT)", ""]
    rows = []
    for name in QUERY_OPERATIONS:
        constant = doc["query_growth"][name] is None
        rows.append([OPERATIONS[name]] + [count_cell(per[n]["queries"][name], "assessment") for n in sizes]
                    + ["yes" if constant else f"**NO: {doc['query_growth'][name]}**"])
    lines += table(["operation"] + heads + ["constant?"], "l" + "r" * len(sizes) + "l", rows)
    lines += ["", "## Each query on the assessment tables, run on its own (ms, median) and its SQLite plan at "
              f"{heads[-1]}", ""]
    rows = []
    for name in QUERY_OPERATIONS:
        largest = per[sizes[-1]]["assessment_queries"][name]
        for index, query in enumerate(largest):
            cells = []
            for n in sizes:
                same = per[n]["assessment_queries"][name]
                ms = same[index]["ms"] if index < len(same) else None
                cells.append("–" if ms is None else f"{ms:.2f}")
            plan = short("; ".join(query["plan"])) or "–"
            rows.append([OPERATIONS[name].split(" (")[0], f"`{describe(query['sql'])}`"] + cells + [plan])
    lines += table(["operation", "query"] + heads + ["plan"], "ll" + "r" * len(sizes) + "l", rows)
    w = doc["page_weight"]
    lines += ["", "## Page weight (own JS+CSS; gzip -6 per file)", ""]
    lines += table(["what", "files", "bytes", "gzip"], "llrr", [
        weight_row(label, w[key]) for label, key in (
            ("self-assessment: what its student view links to", "learner"),
            ("self-assessment: what its Studio view links to", "studio"),
            ("self-assessment: student + Studio views", "learner_and_studio"),
            ("shared helper xblocks/common/static (once per page)", "shared_helper"))])
    if doc.get("profile"):
        lines += profile_lines(f"Where the cold profile render goes at {heads[-1]}", doc["profile"])
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], rounds=60, warmup=5,
                             profile_help="cProfile the cold profile render at the largest N "
                                          "(auto: when it is >20 ms above hello-world)")
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    migrate()
    cache.clear()
    bench = AssessmentBench()
    for student in (READER, REVISER):
        bench.answer_both_phases(student)
    threshold = cohort_threshold(bench.block("after", READER))

    per_size = {}
    for n in SIZES:
        learners, responses, ratings, seconds = bench.seed_to(n)
        figures = bench.check(n + BENCH_LEARNERS)
        if figures["learners"] < threshold:
            raise Fail(f"{size_label(n)}: {figures['learners']} learners, below the cohort threshold {threshold}")
        rounds, warmup = rounds_for(n, args.rounds, args.warmup)
        print(f"benchmarks: self-assessment at {size_label(n)} (seeded in {seconds:.1f} s): {rounds} interleaved "
              f"rounds (+{warmup} warm-up) of {len(OPERATIONS)} operations…", file=sys.stderr, flush=True)
        raw = {}
        times = measure_times(operations(bench), rounds, warmup, raw=raw)
        counts, sqls = count_queries(bench)
        per_size[str(n)] = {
            "seeding": {"learners": learners, "responses": responses, "ratings": ratings,
                        "seconds": round(seconds, 2)},
            "rows": {"responses": AssessmentResponse.objects.count(), "ratings": CompetenceRating.objects.count()},
            "cohort_learners": figures["learners"],
            "rounds": rounds,
            "warmup": warmup,
            "times": times,
            "paired": paired(raw, ratio_to=None, minus="hello"),
            "queries": counts,
            "assessment_queries": assessment_query_times(sqls, repeats=3 if n >= LARGE else 5),
        }

    sizes = [str(n) for n in SIZES]
    largest = per_size[sizes[-1]]
    flags = []
    growth = {}
    for name in QUERY_OPERATIONS:
        seen = [(n, per_size[n]["queries"][name]) for n in sizes]
        first = seen[0][1]
        differs = [(n, c) for n, c in seen if (c["total"], c["assessment"]) != (first["total"], first["assessment"])]
        growth[name] = None if not differs else ", ".join(
            f"{size_label(int(n))}: {c['assessment']} / {c['total']}" for n, c in seen)
        if differs:
            flags.append(f"QUERY COUNT DIFFERS WITH N: {OPERATIONS[name]}: " + growth[name]
                         + " (assessment tables / total)")
    for name in ("render/profile_warm", "render/profile_cold"):
        over = {n: per_size[n]["paired"][name]["minus_hello_ms"] for n in sizes}
        if max(over.values()) > BUDGET_MS_ABOVE_HELLO:
            flags.append(f"{OPERATIONS[name]}: above hello-world by "
                         + ", ".join(f"{v:+.1f} ms at {size_label(int(n))}" for n, v in over.items())
                         + f" (budget {BUDGET_MS_ABOVE_HELLO:.0f} ms)")
    for name in QUERY_OPERATIONS:
        for query in largest["assessment_queries"][name]:
            for line in plan_warnings(query["plan"]):
                flags.append(f"{OPERATIONS[name].split(' (')[0]}: `{describe(query['sql'], 90)}`: "
                             f"plan reads `{line}` at {size_label(SIZES[-1])}")
    weight = page_weight(bench)
    if weight["learner"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"self-assessment's own JS+CSS is {kb(weight['learner']['bytes'])} (budget 20 KB)")
    elif weight["learner_and_studio"]["bytes"] > BUDGET_OWN_BYTES:
        flags.append(f"self-assessment's own JS+CSS with the Studio editor is "
                     f"{kb(weight['learner_and_studio']['bytes'])}, over 20 KB if Studio counts "
                     f"(learner pages: {kb(weight['learner']['bytes'])})")

    profile = None
    listing = args.results / "self_assessment-profile.txt"
    listing.unlink(missing_ok=True)  # never leave a stale listing
    if args.profile == "always" or (
            args.profile == "auto" and largest["paired"]["render/profile_cold"]["minus_hello_ms"]
            > BUDGET_MS_ABOVE_HELLO):
        profile = profile_calls(lambda: bench.cold_profile()(), 30, listing,
                                f"cProfile of 30 cold profile renders at {size_label(SIZES[-1])} (runtime layer)")

    framework = bench.framework
    doc = {
        "machine": machine_info(),
        "config": {"rounds": args.rounds, "warmup": args.warmup, "sizes": list(SIZES), "seed": SEED,
                   "not_sure_share": NOT_SURE_SHARE, "scenario": AFTER, "framework": framework.title,
                   "competences": len(framework.competences), "cohort_threshold": threshold,
                   "bench_learners": BENCH_LEARNERS,
                   "layer": "fresh devstack LmsRuntime + get_block + runtime.render/handle (webob request)"},
        "per_size": per_size,
        "query_growth": growth,
        "page_weight": weight,
        "fragment": bench.fragment_size("after", READER),
        "profile": profile,
        "flags": flags,
        "budgets": {"render_ms_above_hello": BUDGET_MS_ABOVE_HELLO, "own_js_css_bytes": BUDGET_OWN_BYTES},
        "duration_s": round(time.monotonic() - started, 1),
    }
    write_results(args.results, "self_assessment", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
