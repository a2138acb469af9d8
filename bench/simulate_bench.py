"""Wall time of `ladder simulate` on a synthetic cohort (target: 10.000 cases, 1.000 runs, < 30 s).

Run: python bench/simulate_bench.py [--n 10000] [--runs 1000] [--seed 1]
Writes a synthetic cohort with `ladder synth`, then times the whole `ladder simulate` command for
each shipped scenario that the cohort can exercise, as a fresh process (start, loading, the
evaluation of every case on both sides, capacity, Monte Carlo and the JSON output all count).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.text.money import kroner  # noqa: E402

SCENARIOS = ("ungdomsskole", "housing_first", "spir")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cli = [sys.executable, str(ROOT / "cli.py")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine"), str(ROOT / "cli.py")], check=True)
    with tempfile.TemporaryDirectory() as folder:
        cohort = Path(folder) / "kohorte.csv"
        start = time.perf_counter()
        subprocess.run([*cli, "synth", "--n", str(args.n), "--seed", str(args.seed), "--out", str(cohort)], check=True)
        print(f"ladder synth --n {args.n}: {time.perf_counter() - start:.2f} s")
        for name in SCENARIOS:
            start = time.perf_counter()
            done = subprocess.run([*cli, "simulate", str(ROOT / "scenarios" / f"{name}.yaml"), "--cohort", str(cohort),
                                   "--runs", str(args.runs), "--seed", str(args.seed), "--format", "json"],
                                  check=True, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            result = json.loads(done.stdout)
            last = result["years"][max(result["years"])]
            print(f"ladder simulate {name}: {args.n} cases, {result['cohort']['participants']} with effects, "
                  f"{args.runs} runs: {elapsed:.2f} s (target < 30 s); potential {max(result['years'])} "
                  f"{kroner(last['potential'])} (P10 {kroner(last['p10'])}, P90 {kroner(last['p90'])})")


if __name__ == "__main__":
    main()
