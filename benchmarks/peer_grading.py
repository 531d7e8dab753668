"""Peer-review grading methods on synthetic courses (issue 6, "Calibrated grades").

Run through `bash benchmarks/run --only peer_grading` (or `python benchmarks/peer_grading.py`).
Measures `xblocks.peer_review.grading.estimate_scores` with the methods "median" (ORA2's),
"mean" and "calibrated" (Piech et al. 2013, PG1) against the known truth of simulated courses:

- every learner submits once and reviews k = 3 or 5 peers; each submission receives exactly
  k reviews and each learner gives exactly k (random rounds of one review each, never one's
  own submission, never the same one twice), 1,000 learners, several seeds;
- true scores N(75, 12^2), reviewer bias N(0, 5^2), reviewer precision tau ~ Gamma(shape 2,
  rate 80) (so the noise of a review is N(0, 1/tau): a standard deviation of about 9 points,
  with a long tail of careless reviewers); true scores and points are clipped to 0..100, as a
  rubric out of 100 would;
- two controls: no bias at all (calibration has nothing to correct and must not hurt), and a
  fifth of the reviewers giving everything about the same score (75 +/- 1, whatever the work);
- RMSE against the truth, the share of submissions estimated within 5 and within 10 points,
  and the RMSE cut of calibrated against the median (positive = calibrated is better);
- "graded": what the block gives, grading.graded_estimates: the calibrated estimate, kept
  within the range of the submission's own reviews, where grading.calibration_ready holds on
  its neighbourhood, else the median; with the share of submissions calibrated;
- small courses (3, 4, 5, 10 and 30 learners, 2 or 3 reviews each, each learner reviewing
  the next k in a ring of random order, SMALL_SEEDS seeds): median, calibrated and "graded"
  RMSE and the share calibrated, the evidence for the rule's thresholds;
- run time of each method on 1,000 and 100,000 submissions with 5 reviews each.

Writes `peer_grading.json` and `peer_grading.md` to --results and prints the table. The target
(calibrated cuts the median's RMSE by at least 20% in the main scenario and is not worse than
the median in the controls) is flagged, never asserted: the process fails only on a crash.
"""
import math
import os
import random
import statistics
import sys
import time

import harness  # noqa: F401  (machine information and the results layout shared by every benchmark)

# pylint: disable=wrong-import-position
from harness import argument_parser, flag_lines, machine_info, table, write_results  # noqa: E402

from xblocks.peer_review.grading import estimate_scores, graded_estimates  # noqa: E402

METHODS = ("median", "mean", "calibrated")
SCENARIOS = {
    "main": "bias N(0, 5²), precision Gamma(2, rate 80)",
    "no_bias": "control: no bias, precision Gamma(2, rate 80)",
    "flat_fifth": "control: as main, but a fifth of the reviewers give everything 75 ± 1",
}
LEARNERS = 1000
REVIEWS = (3, 5)
SEEDS = (1, 2, 3, 4, 5)
SMALL_SIZES = (3, 4, 5, 10, 30)
SMALL_REVIEWS = (2, 3)
SMALL_SEEDS = 200
TIMING_SIZES = (1000, 100_000)
TIMING_REVIEWS = 5
TIMING_REPEATS = 5
TARGET_CUT = 0.20
MAX_POINTS = 100.0


def clip(value):
    return min(MAX_POINTS, max(0.0, value))


def assign(rng, n, k):
    """k rounds; in each, every learner reviews one submission and every submission gets one
    review (a random permutation), never one's own nor one already reviewed: conflicts are
    swapped with a random other learner when the swap is valid for both."""
    reviewed = [set() for _ in range(n)]
    for _round in range(k):
        perm = list(range(n))
        rng.shuffle(perm)
        for i in range(n):
            while perm[i] == i or perm[i] in reviewed[i]:
                t = rng.randrange(n)
                if perm[t] != i and perm[t] not in reviewed[i] and perm[i] != t and perm[i] not in reviewed[t]:
                    perm[i], perm[t] = perm[t], perm[i]
        for i in range(n):
            reviewed[i].add(perm[i])
    return [(v, u) for v in range(n) for u in sorted(reviewed[v])]


def course(seed, n, k, scenario="main"):
    """(truth {submission: points}, reviews [(reviewer, submission, points)]) of one course."""
    rng = random.Random(f"{scenario}/{n}/{k}/{seed}")
    truth = [clip(rng.gauss(75.0, 12.0)) for _ in range(n)]
    bias = [0.0 if scenario == "no_bias" else rng.gauss(0.0, 5.0) for _ in range(n)]
    noise_sd = [1.0 / math.sqrt(rng.gammavariate(2.0, 1.0 / 80.0)) for _ in range(n)]  # gammavariate: scale
    flat = set(rng.sample(range(n), n // 5)) if scenario == "flat_fifth" else set()
    reviews = []
    for v, u in assign(rng, n, k):
        if v in flat:
            points = rng.gauss(75.0, 1.0)
        else:
            points = truth[u] + bias[v] + rng.gauss(0.0, noise_sd[v])
        reviews.append((f"learner-{v}", f"submission-{u}", clip(points)))
    return {f"submission-{u}": truth[u] for u in range(n)}, reviews


def ring_course(seed, n, k):
    """A small course with the main scenario's truth, bias and precision: learner at position i
    of a random order reviews the next k positions (k < n), so k given and k received."""
    rng = random.Random(f"small/{n}/{k}/{seed}")
    truth = [clip(rng.gauss(75.0, 12.0)) for _ in range(n)]
    bias = [rng.gauss(0.0, 5.0) for _ in range(n)]
    noise_sd = [1.0 / math.sqrt(rng.gammavariate(2.0, 1.0 / 80.0)) for _ in range(n)]
    order = list(range(n))
    rng.shuffle(order)
    reviews = []
    for shift in range(1, k + 1):
        for position, v in enumerate(order):
            u = order[(position + shift) % n]
            reviews.append((f"learner-{v}", f"submission-{u}", clip(truth[u] + bias[v] + rng.gauss(0.0, noise_sd[v]))))
    return {f"submission-{u}": truth[u] for u in range(n)}, reviews


def graded(reviews):
    """(estimates, share calibrated) of what the block gives (the rule applied)."""
    result = graded_estimates(reviews)
    return {u: points for u, (_method, points) in result.items()}, \
        sum(method == "calibrated" for method, _points in result.values()) / len(result)


def small_courses():
    """Per size and k: RMSE of median, calibrated and graded (pooled over seeds), share calibrated."""
    results = {}
    for k in SMALL_REVIEWS:
        for n in SMALL_SIZES:
            if n <= k:
                continue
            squares = {"median": 0.0, "calibrated": 0.0, "graded": 0.0}
            shares = []
            for seed in range(SMALL_SEEDS):
                truth, reviews = ring_course(seed, n, k)
                found = {method: estimate_scores(reviews, method) for method in ("median", "calibrated")}
                found["graded"], share = graded(reviews)
                shares.append(share)
                for method, estimates in found.items():
                    squares[method] += math.fsum((estimates[u] - truth[u]) ** 2 for u in truth)
            row = {"learners": n, "reviews": k, **{f"{method}_rmse": math.sqrt(total / (n * SMALL_SEEDS))
                                                   for method, total in squares.items()},
                   "calibrated_share": statistics.fmean(shares)}
            row["cut"] = 1.0 - row["calibrated_rmse"] / row["median_rmse"]
            results[f"{n}/{k}"] = row
            print(f"benchmarks: peer_grading: {n} learners, {k} reviews: median {row['median_rmse']:.2f}, calibrated "
                  f"{row['calibrated_rmse']:.2f} ({row['cut']:+.1%}), graded {row['graded_rmse']:.2f} "
                  f"({row['calibrated_share']:.0%} calibrated)", file=sys.stderr, flush=True)
    return results


def errors(truth, estimates):
    diffs = [estimates[u] - truth[u] for u in truth]
    return {
        "rmse": math.sqrt(math.fsum(d * d for d in diffs) / len(diffs)),
        "within_5": sum(abs(d) <= 5.0 for d in diffs) / len(diffs),
        "within_10": sum(abs(d) <= 10.0 for d in diffs) / len(diffs),
    }


def accuracy():
    """Per scenario and k: every seed's figures per method, and their means."""
    results = {}
    for scenario in SCENARIOS:
        for k in REVIEWS:
            runs = []
            for seed in SEEDS:
                truth, reviews = course(seed, LEARNERS, k, scenario)
                run = {"seed": seed}
                for method in METHODS:
                    run[method] = errors(truth, estimate_scores(reviews, method))
                estimates, run["calibrated_share"] = graded(reviews)
                run["graded"] = errors(truth, estimates)
                run["cut"] = 1.0 - run["calibrated"]["rmse"] / run["median"]["rmse"]
                runs.append(run)
            mean = {method: {key: statistics.fmean(run[method][key] for run in runs)
                             for key in ("rmse", "within_5", "within_10")} for method in METHODS + ("graded",)}
            mean["calibrated_share"] = statistics.fmean(run["calibrated_share"] for run in runs)
            mean["graded_cut"] = 1.0 - mean["graded"]["rmse"] / mean["median"]["rmse"]
            mean["cut"] = 1.0 - mean["calibrated"]["rmse"] / mean["median"]["rmse"]
            mean["worst_seed_cut"] = min(run["cut"] for run in runs)
            results[f"{scenario}/{k}"] = {"scenario": scenario, "reviews": k, "runs": runs, "mean": mean}
            print(f"benchmarks: peer_grading: {scenario}, {k} reviews: median {mean['median']['rmse']:.2f}, "
                  f"calibrated {mean['calibrated']['rmse']:.2f} ({mean['cut']:+.1%}), "
                  f"graded {mean['graded']['rmse']:.2f} ({mean['graded_cut']:+.1%}, "
                  f"{mean['calibrated_share']:.0%} calibrated)", file=sys.stderr, flush=True)
    return results


def timings():
    """Seconds per method on one course of each size (the calibrated fit's sweeps included):
    the median of TIMING_REPEATS runs at 1,000 submissions, one run at 100,000. Wall and CPU
    time, with the load average, since the machine may be shared (CPU time is the process's
    own, less sensitive to other jobs)."""
    results = {}
    for n in TIMING_SIZES:
        truth, reviews = course(1, n, TIMING_REVIEWS, "main")
        row = {"submissions": n, "reviews": len(reviews), "runs": TIMING_REPEATS if n < 10_000 else 1,
               "load_average_before": round(os.getloadavg()[0], 2)}
        for method in METHODS:
            samples, cpu = [], []
            for _ in range(row["runs"]):
                start, start_cpu = time.perf_counter(), time.process_time()
                estimates = estimate_scores(reviews, method)
                samples.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            row[f"{method}_s"] = round(statistics.median(samples), 3)
            row[f"{method}_cpu_s"] = round(statistics.median(cpu), 3)
            row[f"{method}_rmse"] = round(errors(truth, estimates)["rmse"], 3)
        row["load_average_after"] = round(os.getloadavg()[0], 2)
        results[str(n)] = row
        print(f"benchmarks: peer_grading: {n:,} submissions: calibrated {row['calibrated_s']:.1f} s",
              file=sys.stderr, flush=True)
    return results


def markdown(doc):
    m = doc["machine"]
    lines = [f"# Peer-review grading on synthetic courses ({m['timestamp']})", "",
             f"Python {m['python']} ({m['implementation']}), {m['cpu_count']} CPUs ({m['cpu_model']}), "
             f"git {m['git_commit']}{' (xblocks/ modified)' if m['xblocks_dirty'] else ''}.", "",
             f"{LEARNERS:,} learners, each submitting once and reviewing k peers (each submission gets exactly k "
             "reviews); true scores N(75, 12²), reviewer bias N(0, 5²), reviewer precision Gamma(shape 2, rate 80) "
             "(review noise N(0, 1/τ)); truth and points clipped to 0..100. Figures are means over seeds "
             f"{', '.join(map(str, SEEDS))}; `cut` = RMSE reduction of calibrated against the median "
             "(positive: calibrated is closer to the truth).", "",
             "## Accuracy against the truth", ""]
    rows = []
    for key, result in doc["accuracy"].items():
        mean = result["mean"]
        cells = [SCENARIOS[result["scenario"]], result["reviews"]]
        cells += [f"{mean[method]['rmse']:.2f}" for method in METHODS]
        cells += [" / ".join(f"{mean[method]['within_5']:.0%}" for method in METHODS)]
        cells += [" / ".join(f"{mean[method]['within_10']:.0%}" for method in METHODS)]
        cells += [f"{mean['cut']:+.1%}", f"{mean['worst_seed_cut']:+.1%}"]
        cells += [f"{mean['graded']['rmse']:.2f}", f"{mean['graded_cut']:+.1%}", f"{mean['calibrated_share']:.0%}"]
        rows.append(cells)
    lines += table(["scenario", "k", "RMSE median", "RMSE mean", "RMSE calibrated",
                    "within 5 (med / mean / cal)", "within 10 (med / mean / cal)", "cut", "worst seed cut",
                    "RMSE graded (rule)", "graded cut", "calibrated by the rule"],
                   "lrrrrrrrrrrr", rows)
    lines += ["", "`graded` is what the block gives: calibrated (within the range of the submission's own reviews) "
              "where grading.calibration_ready holds on its neighbourhood, else the median.", "",
              f"## Small courses (ring of k reviews each, {SMALL_SEEDS} seeds, main scenario)", ""]
    lines += table(["learners", "k", "RMSE median", "RMSE calibrated", "cut", "RMSE graded (rule)",
                    "calibrated by the rule"], "rrrrrrr",
                   [[row["learners"], row["reviews"], f"{row['median_rmse']:.2f}", f"{row['calibrated_rmse']:.2f}",
                     f"{row['cut']:+.1%}", f"{row['graded_rmse']:.2f}", f"{row['calibrated_share']:.0%}"]
                    for row in doc["small_courses"].values()])
    lines += ["", f"## Run time (one course, {TIMING_REVIEWS} reviews per submission; seconds, wall (CPU))", ""]
    lines += table(["submissions", "reviews", "runs", "median", "mean", "calibrated", "RMSE median / calibrated",
                    "load average (before / after)"], "rrrrrrrr",
                   [[f"{row['submissions']:,}", f"{row['reviews']:,}", row["runs"]]
                    + [f"{row[f'{method}_s']:.2f} ({row[f'{method}_cpu_s']:.2f})" for method in METHODS]
                    + [f"{row['median_rmse']:.2f} / {row['calibrated_rmse']:.2f}",
                       f"{row['load_average_before']:.1f} / {row['load_average_after']:.1f}"]
                    for row in doc["timings"].values()])
    lines += ["", f"Run times are medians of {TIMING_REPEATS} runs at 1,000 submissions and one run at 100,000, on a "
              f"machine with {m['cpu_count']} CPUs that other jobs may share (load average shown)."]
    lines += flag_lines(doc["flags"])
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)  # --rounds/--warmup/--profile are accepted (benchmarks/run passes them) and unused
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    accuracy_results = accuracy()
    small_results = small_courses()
    timing_results = timings()

    flags = []
    for key, result in accuracy_results.items():
        mean = result["mean"]
        if result["scenario"] == "main" and mean["cut"] < TARGET_CUT:
            flags.append(f"{key}: calibrated cuts the median's RMSE by {mean['cut']:.1%} (target {TARGET_CUT:.0%})")
        if result["scenario"] != "main" and mean["cut"] < 0:
            flags.append(f"{key}: calibrated is worse than the median ({mean['cut']:+.1%} RMSE cut)")
    for row in timing_results.values():
        if row["calibrated_s"] > 60:
            flags.append(f"calibrated took {row['calibrated_s']:.0f} s ({row['calibrated_cpu_s']:.0f} s CPU) for "
                         f"{row['submissions']:,} submissions (aim: well under a minute; load average "
                         f"{row['load_average_before']:.1f})")
    doc = {
        "machine": machine_info(),
        "config": {"learners": LEARNERS, "reviews": list(REVIEWS), "seeds": list(SEEDS), "scenarios": SCENARIOS,
                   "truth": "N(75, 12^2) clipped to 0..100", "bias": "N(0, 5^2)",
                   "precision": "Gamma(shape 2, rate 80); review noise N(0, 1/tau)", "points": "clipped to 0..100",
                   "flat_reviewers": "a fifth of the reviewers give N(75, 1) whatever the work",
                   "timing_sizes": list(TIMING_SIZES), "timing_reviews": TIMING_REVIEWS,
                   "timing_repeats": TIMING_REPEATS, "target_cut": TARGET_CUT},
        "accuracy": accuracy_results,
        "small_courses": small_results,
        "timings": timing_results,
        "flags": flags,
        "duration_s": round(time.monotonic() - started, 1),
    }
    write_results(args.results, "peer_grading", doc, markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
