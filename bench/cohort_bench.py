"""The figures of issue 18 (columnar cohorts), every one from files on disk, beside references measured in the same run.

Run: python bench/cohort_bench.py [--quick] [--json] [--seed 1]   (bench/run.py runs it too)

1. Reading a cohort CSV of 1.000.000 synthetic cases (`ladder synth`; --quick: 150.000) with every check
   (`engine.cases.columnar.read_columnar`: the personal-data guard, cell reading, the case model's
   field types, the catalogue; no case objects) beside pyarrow's bare read of the same file (every
   column as text, the reader's block size, with pyarrow's threads as the reader reads, and on one
   thread) and Python's `csv.reader` over it; the first read in a fresh process (what a command sees)
   beside pyarrow's first read in one; the same rows shuffled (a case system's export is seldom in
   case id order) beside pyarrow's read of that file; the row path
   (`engine.cases.rows.read_table_rows`) on the first 150.000 rows (--quick: 30.000).
2. The same for an .xlsx workbook of 20.000 cases (--quick: 5.000) beside openpyxl's bare read.
3. Identical: the columnar reader's cases (id, model, values, source) and problems against the row
   path's on the smaller CSV and the workbook, and on a CSV with bad rows (personal data, bad cells,
   repeated ids).
4. End to end: the 1.000.000-case CSV read and evaluated by the shipped rules (`infer_cases` on the
   table's columns), with the statuses, derived facts and missing information of an evenly spread
   sample compared with the evaluator fed each case's values; beside it the same with pyarrow's parse
   and the evaluator's chunks on one thread each.
5. A 600.000-row export read with every check and every case object made (the first 600.000 rows of the large file).
6. `ladder simulate scenarios/housing_first.yaml` with 150.000 cases and 1.000 runs (--quick: 15.000) in a
   fresh process, the fastest of three with its modules compiled (wall, peak memory), beside a fresh
   process that only loads the command's modules, and its JSON compared byte for byte with the same
   simulation on the cases the row path reads (15.000 cases, 100 runs: the row path is the slow part).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.cases import columnar, rows  # noqa: E402
from engine.knowledge.assemble import Knowledge, load_knowledge  # noqa: E402

SCENARIO = ROOT / "scenarios" / "housing_first.yaml"
CLI = [sys.executable, str(ROOT / "cli.py")]


def best(call: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The fastest of `repeat` runs (a shared machine only ever adds time) and the last result."""
    fastest, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def synth(folder: Path, n: int, seed: int, name: str) -> Path:
    path = folder / name
    subprocess.run([*CLI, "synth", "--n", str(n), "--seed", str(seed), "--out", str(path)], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def head(path: Path, n: int, out: Path) -> Path:
    """The header and the first n rows of a CSV file."""
    with path.open("rb") as source, out.open("wb") as sink:
        for number, line in enumerate(source):
            if number > n:
                break
            sink.write(line)
    return out


def shuffled(path: Path, seed: int, out: Path) -> Path:
    """The CSV file's rows in a random order under its header: a case system's export is seldom in
    case id order, and the reader sorts the ids."""
    import random

    header, *body = path.read_bytes().splitlines(keepends=True)
    random.Random(seed).shuffle(body)
    out.write_bytes(b"".join([header, *body]))
    return out


def bare_arrow(path: Path, threads: bool = True) -> int:
    """pyarrow's own read of the file, every column as text, with the reader's threads and block size."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    data = path.read_bytes()
    width = data.split(b"\n", 1)[0].count(b",") + 1
    options = pcsv.ReadOptions(autogenerate_column_names=True, use_threads=threads, block_size=columnar.BLOCK)
    as_text = pcsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)})
    table = pcsv.read_csv(pa.py_buffer(data), read_options=options, convert_options=as_text)
    return int(table.num_rows)


def bare_csv(path: Path) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def identical(path: Path, kb: Knowledge) -> bool:
    """The columnar reader's cases and problems are the row path's, field for field."""
    want_cases, want_problems = rows.read_table_rows(path, kb)
    cases, problems = columnar.read_columnar(path, kb).result()
    return problems == want_problems and len(cases) == len(want_cases) and all(
        a.case_id == b.case_id and a.model == b.model and a.values == b.values and a.source == b.source
        for a, b in zip(cases, want_cases, strict=True))


FIRST_READ = """
import sys, time
sys.path[:0] = [{root!r}, {bench!r}]
from pathlib import Path
import cohort_bench
from engine.cases import columnar
from engine.knowledge.assemble import load_knowledge
kb, path = load_knowledge(), Path({path!r})
start = time.perf_counter()
{call}
print(time.perf_counter() - start)
"""


def first_read(path: Path, call: str) -> float:
    """The fastest of three fresh processes' only read of the file, its modules loaded first: what a
    command sees (in one process the later reads reuse memory the first one had the system map)."""
    code = FIRST_READ.format(root=str(ROOT), bench=str(ROOT / "bench"), path=str(path), call=call)
    return min(float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout) for _ in range(3))


def reading(kb: Knowledge, large: Path, small: Path, mixed: Path, say: Callable[[str], None]) -> dict[str, Any]:
    n = bare_arrow(large) - 1
    checked, cohort = best(lambda: columnar.read_columnar(large, kb))
    assert not cohort.problems and len(cohort.rows) == n
    arrow_s, _ = best(lambda: bare_arrow(large))
    mixed_s, mixed_cohort = best(lambda: columnar.read_columnar(mixed, kb))
    assert not mixed_cohort.problems and mixed_cohort.cases.case_ids() == cohort.cases.case_ids()  # the same cases
    mixed_arrow_s, _ = best(lambda: bare_arrow(mixed))
    first_s = first_read(large, "columnar.read_columnar(path, kb)")
    first_arrow_s = first_read(large, "cohort_bench.bare_arrow(path)")
    arrow_one_s, _ = best(lambda: bare_arrow(large, threads=False))
    csv_s, _ = best(lambda: bare_csv(large))
    m = bare_arrow(small) - 1
    row_s, _ = best(lambda: rows.read_table_rows(small, kb), repeat=1)
    small_s, _ = best(lambda: columnar.read_columnar(small, kb))
    out = {"rows": n, "columnar_s": round(checked, 3), "columnar_rows_per_s": round(n / checked),
           "pyarrow_bare_s": round(arrow_s, 3), "pyarrow_bare_rows_per_s": round(n / arrow_s),
           "pyarrow_bare_one_thread_s": round(arrow_one_s, 3),
           "pyarrow_bare_one_thread_rows_per_s": round(n / arrow_one_s),
           "csv_reader_s": round(csv_s, 3), "csv_reader_rows_per_s": round(n / csv_s),
           "columnar_vs_pyarrow": round(checked / arrow_s, 2), "columnar_vs_csv_reader": round(checked / csv_s, 2),
           "shuffled_s": round(mixed_s, 3), "shuffled_rows_per_s": round(n / mixed_s),
           "shuffled_pyarrow_bare_s": round(mixed_arrow_s, 3), "shuffled_vs_pyarrow": round(mixed_s / mixed_arrow_s, 2),
           "first_read_s": round(first_s, 3), "first_read_rows_per_s": round(n / first_s),
           "pyarrow_first_read_s": round(first_arrow_s, 3), "first_read_vs_pyarrow": round(first_s / first_arrow_s, 2),
           "row_path_rows": m, "row_path_s": round(row_s, 2), "row_path_rows_per_s": round(m / row_s),
           "columnar_small_s": round(small_s, 3), "speedup_over_row_path": round(row_s / small_s, 1)}
    say(f"CSV, {n:,} rows with every check: {checked:.2f} s ({out['columnar_rows_per_s']:,} rows/s); pyarrow's bare "
        f"read {arrow_s:.2f} s (x{out['columnar_vs_pyarrow']}; on one thread {arrow_one_s:.2f} s); the first read in a "
        f"fresh process {first_s:.2f} s ({out['first_read_rows_per_s']:,} rows/s), pyarrow's {first_arrow_s:.2f} s "
        f"(x{out['first_read_vs_pyarrow']}); its rows shuffled {mixed_s:.2f} s "
        f"({out['shuffled_rows_per_s']:,} rows/s), "
        f"pyarrow's bare read of that {mixed_arrow_s:.2f} s (x{out['shuffled_vs_pyarrow']}); "
        f"csv.reader {csv_s:.2f} s "
        f"(x{out['columnar_vs_csv_reader']}); row path on {m:,} rows {row_s:.1f} s "
        f"({out['row_path_rows_per_s']:,} rows/s, {out['speedup_over_row_path']}x the columnar time)")
    return out


def xlsx(kb: Knowledge, folder: Path, source: Path, n: int, say: Callable[[str], None]) -> dict[str, Any]:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with source.open(encoding="utf-8", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle)):
            if number > n:
                break
            sheet.append(cells)
    path = folder / "kohorte.xlsx"
    book.save(path)

    def bare() -> int:
        loaded = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _ in loaded.worksheets[0].iter_rows(values_only=True))
        loaded.close()
        return count

    bare_s, _ = best(bare, repeat=2)
    checked, _ = best(lambda: columnar.read_columnar(path, kb), repeat=2)
    row_s, _ = best(lambda: rows.read_table_rows(path, kb), repeat=1)
    out = {"rows": n, "columnar_s": round(checked, 2), "columnar_rows_per_s": round(n / checked),
           "openpyxl_bare_s": round(bare_s, 2), "columnar_vs_openpyxl": round(checked / bare_s, 2),
           "row_path_s": round(row_s, 2), "identical": identical(path, kb)}
    say(f"xlsx, {n:,} rows: {checked:.2f} s ({out['columnar_rows_per_s']:,} rows/s); openpyxl's bare read "
        f"{bare_s:.2f} s (x{out['columnar_vs_openpyxl']}); row path {row_s:.2f} s; identical: {out['identical']}")
    return out


def bad_rows(folder: Path, source: Path) -> Path:
    """The small CSV with personal data, unreadable cells and a repeated case id in some rows."""
    lines = source.read_text(encoding="utf-8").splitlines()
    spoil = ["0101901234", "14 år", "2025-02-30", "ukendt_tilbud", "anna@example.dk"]
    for k, number in enumerate(range(7, len(lines), 997)):
        cells = lines[number].split(",")
        cells[3 + k % 3] = spoil[k % len(spoil)]
        lines[number] = ",".join(cells)
    lines.append(lines[1])
    path = folder / "kohorte_fejl.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def one_thread() -> Iterator[None]:
    """pyarrow's parse and the evaluator's chunks on one thread each, as before they used two."""
    import importlib

    evaluator = importlib.import_module("engine.evaluate.fast.evaluate")
    saved = columnar.PARSE_THREADS, evaluator.THREADS
    columnar.PARSE_THREADS, evaluator.THREADS = False, 1
    try:
        yield
    finally:
        columnar.PARSE_THREADS, evaluator.THREADS = saved


def evaluation(kb: Knowledge, large: Path, say: Callable[[str], None]) -> dict[str, Any]:
    import numpy as np

    from engine.evaluate.fast import evaluate, infer_cases

    phases: dict[str, float] = {}

    def end_to_end() -> Any:
        start = time.perf_counter()
        cohort = columnar.read_columnar(large, kb)
        read = time.perf_counter()
        verdicts = infer_cases(kb, cohort.cases)
        phases.update(read_s=round(read - start, 2), evaluate_s=round(time.perf_counter() - read, 2))
        return cohort, verdicts

    seconds, (cohort, verdicts) = best(end_to_end, repeat=2)
    threaded = dict(phases)  # the last run's phases; then the same on one thread
    with one_thread():
        one_s, _ = best(end_to_end, repeat=2)
    cases = cohort.cases
    sample = list(range(0, len(cases), max(1, len(cases) // 10_000)))
    reference = evaluate(kb, [cases[i].values for i in sample], [cases[i].values["decision_date"] for i in sample])
    same = all(bool((getattr(verdicts, k)[sample] == getattr(reference, k)).all())
               for k in ("status", "derived", "missing"))
    out = {"cases": len(cases), "seconds": round(seconds, 2), "cases_per_s": round(len(cases) / seconds),
           "sample": len(sample), "identical": same, "rules": len(kb.rules), "fired": int(np.sum(verdicts.status == 0)),
           **threaded, "one_thread_s": round(one_s, 2), "one_thread_read_s": phases["read_s"],
           "one_thread_evaluate_s": phases["evaluate_s"]}
    say(f"{len(cases):,} cases from a CSV file read and evaluated: {seconds:.2f} s (last run: reading "
        f"{threaded['read_s']:.2f} s, evaluating {threaded['evaluate_s']:.2f} s) "
        f"({out['cases_per_s']:,} cases/s); {len(sample):,} sampled cases identical to the evaluator on their values: "
        f"{same}; beside it, parsing and evaluating on one thread: {one_s:.2f} s (last run: reading "
        f"{phases['read_s']:.2f} s, evaluating {phases['evaluate_s']:.2f} s)")
    return out


_PEAK = """
import atexit, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("peak-kib " + line.split()[1] + "\\n")
atexit.register(peak)
sys.path.insert(0, sys.argv.pop(1))
sys.argv[0] = "ladder"
import cli
cli.main()
"""
"""`ladder simulate` reporting its own peak (VmHWM): a child's ru_maxrss on Linux starts at its
parent's resident size at fork, so this benchmark's own gigabytes would be counted in it."""


def simulation(folder: Path, table: Path, runs: int, seed: int) -> dict[str, Any]:
    """`ladder simulate` in a fresh process, the fastest of three: wall time and the process's own peak
    memory, beside a fresh process that only loads the command's modules.

    The modules are compiled first, as an installed package has them: a machine that sets
    PYTHONDONTWRITEBYTECODE (as this one does) would otherwise compile every module in every run."""
    import compileall

    for part in ("engine", "web"):
        compileall.compile_dir(ROOT / part, quiet=1)
    for script in ROOT.glob("cli*.py"):
        compileall.compile_file(script, quiet=1)
    output = folder / "result.json"

    def once() -> int:
        with output.open("wb") as sink:
            child = subprocess.run([sys.executable, "-c", _PEAK, str(ROOT), "simulate", str(SCENARIO), "--cohort",
                                    str(table), "--runs", str(runs), "--seed", str(seed), "--format", "json"],
                                   stdout=sink, stderr=subprocess.PIPE, text=True)
        if child.returncode:
            raise SystemExit(f"ladder simulate failed: {child.stderr[-2000:]}")
        return next(int(line.split()[1]) for line in child.stderr.splitlines() if line.startswith("peak-kib"))

    elapsed, peak = best(once)
    load = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); import cli, engine.simulate.job, "
            "engine.cases.columnar, engine.evaluate.fast"]
    startup, _ = best(lambda: subprocess.run(load, check=True))
    return {"cases": sum(1 for _ in table.open("rb")) - 1, "runs": runs, "seconds": round(elapsed, 2),
            "peak_rss_mib": round(peak / 1024), "startup_s": round(startup, 2)}


def simulation_identical(kb: Knowledge, table: Path, runs: int, seed: int) -> bool:
    """The simulation's JSON on the columnar reader's cases and on the row path's, byte for byte."""
    from engine.knowledge.overlay import load_scenario, side_knowledge
    from engine.simulate.run import simulate

    source, parsed = load_scenario(SCENARIO)
    sides = side_knowledge(source, parsed)
    texts = []
    for cases in (columnar.read_columnar(table, sides["scenario"]).cases,
                  rows.read_table_rows(table, sides["scenario"])[0]):
        result = simulate(parsed, sides, cases, runs=runs, seed=seed, scenario_source=source, cohort_name=str(table))
        texts.append(json.dumps(result, ensure_ascii=False, indent=2))
    return texts[0] == texts[1]


def run(quick: bool, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    kb = load_knowledge()
    with tempfile.TemporaryDirectory(prefix="ladder-cohorts-") as name:
        folder = Path(name)
        large = synth(folder, 150_000 if quick else 1_000_000, seed, "kohorte.csv")
        small = head(large, 30_000 if quick else 150_000, folder / "kohorte_lille.csv")
        mixed = shuffled(large, seed, folder / "kohorte_blandet.csv")
        out: dict[str, Any] = {"csv": reading(kb, large, small, mixed, say)}
        mixed.unlink()
        out["csv"]["identical"] = identical(small, kb)
        out["csv"]["identical_with_bad_rows"] = identical(bad_rows(folder, small), kb)
        say(f"CSV identical to the row path: {out['csv']['identical']}; with bad rows: "
            f"{out['csv']['identical_with_bad_rows']}")
        out["xlsx"] = xlsx(kb, folder, large, 5_000 if quick else 20_000, say)
        out["evaluation"] = evaluation(kb, large, say)
        export = head(large, 600_000 if not quick else 100_000, folder / "eksport.csv")
        export_s, _ = best(lambda: list(columnar.read_columnar(export, kb).cases), repeat=2)  # every case made
        out["export"] = {"rows": 100_000 if quick else 600_000, "seconds": round(export_s, 2)}
        say(f"export of {out['export']['rows']:,} rows read with every check, case objects made: {export_s:.2f} s")
        sim_table = head(large, 15_000 if quick else 150_000, folder / "kohorte_sim.csv")
        out["simulate"] = simulation(folder, sim_table, 1000, seed)
        say(f"ladder simulate {SCENARIO.stem}, {out['simulate']['cases']:,} cases x 1.000 runs: "
            f"{out['simulate']['seconds']:.2f} s, peak {out['simulate']['peak_rss_mib']} MiB; beside it, a process "
            f"that only loads the command's modules: {out['simulate']['startup_s']:.2f} s")
        check = head(large, 15_000 if not quick else 3_000, folder / "kohorte_check.csv")
        out["simulate"]["identical_to_row_path"] = simulation_identical(kb, check, 100, seed)
        say(f"ladder simulate JSON byte-identical on the row path's cases: {out['simulate']['identical_to_row_path']}")
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of the report")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    say(f"load average {os.getloadavg()[0]:.2f}")
    out = run(args.quick, args.seed, say)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
