"""The performance figures of issue 5: both evaluators, `ladder suggest`'s cold start, `ladder simulate`.

Run: python bench/run.py [--quick] [--json] [--seed 1]

1. Synthetic cohorts (`engine.synth.generate.synthesize`, flattened as rules see a case) of 1.000, 10.000,
   100.000 and 1.000.000 cases (--quick: up to 100.000). Each size is evaluated by the cohort
   evaluator (`engine.evaluate.fast.evaluate`: case dictionaries in, every rule's status, the derived
   facts and the missing information out, in columns) and by durable-rules
   (`engine.evaluate.durable.infer`, one case at a time). Above 10.000 cases (--quick: 1.000)
   durable-rules evaluates an evenly spread sample and its time for the whole cohort is
   extrapolated from the sample's rate; the output says so. Every case durable-rules evaluated
   is compared with the cohort evaluator's `Inference` for it (equal, key order included).
   Building every case's `Inference` object from the columns is timed separately.
2. Peak memory: the process's peak resident set (cohort dictionaries included) and the cohort
   evaluator's own peak allocation at the largest size (tracemalloc, in a separate untimed run).
3. The median cold start of `ladder suggest` on one case (fresh processes, as bench/suggest_bench.py).
4. `ladder simulate scenarios/housing_first.yaml` on a synthetic cohort of 150.000 cases with
   1.000 Monte Carlo runs (--quick: 15.000 cases), the whole command in a fresh process.
5. Columnar cohorts (issue 18, bench/cohort_bench.py): reading a cohort CSV and xlsx with every check
   beside pyarrow's and openpyxl's bare reads and Python's csv.reader, the row path and whether
   its cases and problems are identical, 1.000.000 cases from a CSV file evaluated end to end, a
   600.000-row export, and `ladder simulate` 150.000 x 1.000 with its JSON against the row path's.

--json prints one JSON line instead of the report. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from engine.cases.files import case_from_source  # noqa: E402
from engine.evaluate.durable import Inference, infer  # noqa: E402
from engine.evaluate.fast import evaluate  # noqa: E402
from engine.files.source import Source  # noqa: E402
from engine.knowledge.assemble import Knowledge, load_knowledge  # noqa: E402
from engine.synth.generate import synthesize  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000, 100_000)
PIECE = 100_000
SUGGEST_CASE = ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml"
SCENARIO = ROOT / "scenarios" / "housing_first.yaml"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    memory = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    from importlib.metadata import version

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory, "system": platform.platform(),
            "python": platform.python_version(), "numpy": np.__version__,
            "durable_rules": version("durable-rules"), "load_average": os.getloadavg()[0]}


class _Flattener:
    """Case dictionaries as `engine.model.profile.flatten` gives them, without validating each one
    (synth's cases are valid by construction; a sample is checked against the real thing)."""

    def __init__(self) -> None:
        self.sets: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}

    def __call__(self, case: dict[str, Any], case_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in case.items():
            kind = type(value)
            if kind is list:
                if key == "tried_offers":
                    out[key] = [(t["offer"], t["outcome"]) for t in value]
                else:  # equal sets are shared: a million cases hold a few hundred distinct ones
                    found = self.sets.get((key, tuple(value)))
                    if found is None:
                        found = self.sets[(key, tuple(value))] = frozenset(value)
                    out[key] = found
            elif kind is dict:
                for name, score in value.items():
                    out[f"{key}.{name}"] = score
            else:
                out[key] = value
        out["case_id"] = case_id
        return out


def cohort(n: int, seed: int, kb: Knowledge) -> tuple[list[dict[str, Any]], list[dt.date]]:
    """n flattened synthetic cases (made 100.000 at a time to bound memory) and their decision dates."""
    flatten = _Flattener()
    values: list[dict[str, Any]] = []
    for piece, start in enumerate(range(0, n, PIECE)):
        raw = synthesize(min(PIECE, n - start), seed + piece, kb)
        if piece == 0:
            for data in raw[:200]:
                assert case_from_source(Source("<synth>", data, {}), kb).values == flatten(data, data["case_id"])
        values.extend(flatten(data, f"S-{start + i + 1:07d}") for i, data in enumerate(raw))
        del raw
    return values, [v["decision_date"] for v in values]


def same(fast: Inference, reference: Inference) -> bool:
    return fast == reference and all(
        list(getattr(fast, k)) == list(getattr(reference, k)) for k in ("status", "derived", "missing", "values"))


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def evaluators(kb: Knowledge, sizes: tuple[int, ...], seed: int, full_durable: int, sample: int,
               say: Callable[[str], None]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    largest = max(sizes)
    say(f"synthetic cohort of {dk(largest)} cases ...")
    values, days = cohort(largest, seed, kb)
    infer(kb, values[0], days[0])  # compiles the rules into durable-rules once
    evaluate(kb, values[:100], days[:100])
    rows = []
    for n in sizes:
        fast_s, verdicts = timed(lambda n=n: evaluate(kb, values[:n], days[:n]))
        build_s, _ = timed(lambda v=verdicts: sum(1 for _ in v.iter_inferences()))
        if n <= full_durable:
            picked = list(range(n))
        else:
            picked = sorted(set(np.linspace(0, n - 1, sample).astype(int).tolist()))
        durable_s, reference = timed(lambda p=picked: [infer(kb, values[i], days[i]) for i in p])
        durable_rate = len(picked) / durable_s
        identical = all(same(verdicts.inference(i), want) for i, want in zip(picked, reference, strict=True))
        row = {"cases": n, "fast_s": round(fast_s, 3), "fast_cases_per_s": round(n / fast_s),
               "fast_inferences_s": round(fast_s + build_s, 3),
               "fast_inferences_cases_per_s": round(n / (fast_s + build_s)),
               "durable_s": round(n / durable_rate, 2), "durable_cases_per_s": round(durable_rate),
               "durable_extrapolated": len(picked) < n, "durable_sample": len(picked),
               "ratio": round(durable_s / len(picked) * n / fast_s, 1), "identical": identical}
        rows.append(row)
        say(_row_text(row))
        del verdicts, reference
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    evaluate(kb, values, days)
    evaluator_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    memory = {"peak_rss_mib": round(peak_rss), "evaluator_peak_mib": round(evaluator_peak),
              "cohort_cases": largest}
    say(f"peak memory: process {memory['peak_rss_mib']} MiB (with the {dk(largest)} case dictionaries); "
        f"the cohort evaluator's own allocations {memory['evaluator_peak_mib']} MiB")
    return rows, memory


def dk(x: float) -> str:
    """A whole number the Danish way: 1.000.000."""
    return f"{x:,.0f}".replace(",", ".")


def _row_text(row: dict[str, Any]) -> str:
    n = dk
    durable = (f"durable-rules {n(row['durable_cases_per_s'])}/s, {row['durable_s']:.1f} s"
               + (f" (extrapolated from {n(row['durable_sample'])} cases)" if row["durable_extrapolated"] else ""))
    return (f"{n(row['cases']):>9} cases: fast {n(row['fast_cases_per_s'])}/s, {row['fast_s']:.3f} s "
            f"(with an Inference per case {row['fast_inferences_s']:.2f} s); {durable}; "
            f"ratio {row['ratio']:.0f}x; identical: {row['identical']}")


def cold_start(runs: int) -> dict[str, Any]:
    """`ladder suggest` in fresh processes, sources byte-compiled and the knowledge cache warm."""
    command = [sys.executable, str(ROOT / "cli.py"), "suggest", str(SUGGEST_CASE), "--format", "json"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine"), str(ROOT / "cli.py")], check=True)
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3)}


def simulation(n: int, runs: int, seed: int) -> dict[str, Any]:
    """The whole `ladder simulate` command on a synthetic cohort, in a fresh process."""
    cli = [sys.executable, str(ROOT / "cli.py")]
    with tempfile.TemporaryDirectory(prefix="ladder-bench-") as folder:
        table = Path(folder) / "kohorte.csv"
        subprocess.run([*cli, "synth", "--n", str(n), "--seed", str(seed), "--out", str(table)], check=True)
        output = Path(folder) / "result.json"
        with output.open("wb") as sink:
            start = time.perf_counter()
            child = subprocess.Popen([*cli, "simulate", str(SCENARIO), "--cohort", str(table), "--runs", str(runs),
                                      "--seed", str(seed), "--format", "json"], stdout=sink)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory
            elapsed = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"ladder simulate failed with exit code {child.returncode}")
        result = json.loads(output.read_text(encoding="utf-8"))
    return {"scenario": SCENARIO.stem, "cases": n, "runs": runs, "seconds": round(elapsed, 2),
            "participants": result["cohort"]["participants"], "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes; finishes in well under 45 s")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of the report")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    started = time.perf_counter()
    kb = load_knowledge()
    info = machine()
    say(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, Python {info['python']}, "
        f"numpy {info['numpy']}, durable-rules {info['durable_rules']}, load average {info['load_average']:.2f}")
    say(f"shipped rules: {len(kb.rules)} rules in {len(kb.strata)} strata, {len(kb.facts)} derived facts")
    sizes = QUICK_SIZES if args.quick else SIZES
    rows, memory = evaluators(kb, sizes, args.seed, full_durable=1_000 if args.quick else 10_000,
                              sample=2_000 if args.quick else 10_000, say=say)
    start = cold_start(7 if args.quick else 21)
    say(f"ladder suggest cold start: median {start['median_s']:.3f} s over {start['runs']} runs "
        f"(min {start['min_s']:.3f}, max {start['max_s']:.3f})")
    sim = simulation(15_000 if args.quick else 150_000, 1000, args.seed)
    say(f"ladder simulate {sim['scenario']}: {dk(sim['cases'])} cases, {dk(sim['runs'])} runs, "
        f"{dk(sim['participants'])} with effects: {sim['seconds']:.1f} s, peak {sim['peak_rss_mib']} MiB")
    from bench.cohort_bench import run as cohorts

    columnar = cohorts(args.quick, args.seed, say)
    last = rows[-1]
    out = {
        "ratio": last["ratio"], "identical": all(r["identical"] for r in rows),
        "fast_cases_per_s": last["fast_cases_per_s"], "durable_cases_per_s": last["durable_cases_per_s"],
        "cases": last["cases"], "fast_s": last["fast_s"], "durable_extrapolated": last["durable_extrapolated"],
        "sizes": rows, "memory": memory, "suggest_cold_start": start, "simulate": sim, "cohorts": columnar,
        "machine": info, "quick": args.quick, "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        say(f"total {out['seconds']:.1f} s")


if __name__ == "__main__":
    main()
