"""Wall time of `ladder cockpit` on 8 quarterly snapshots of 150.000 cases (target: under 10 s).

Run: python bench/cockpit_bench.py [--n 150000] [--quarters 8] [--repeat 3]
Writes the snapshots first (not timed): 150.000 case ids spread over the three shipped ladders
and their offers, each quarter 3 % moving a rung, 2 % leaving and as many arriving, external
offers with their own yearly cost. Then times, each as the median of `--repeat` runs:

- the reference: reading the same CSV files with Python's csv module and doing nothing with the
  rows (a fresh process, so start-up counts on both sides);
- `ladder cockpit DIR --format json --out FILE` as a fresh process: start, loading the
  catalogues, reading and checking every cell of every file (personal data, ids, offers,
  ladders, costs), counts, flows, trends and the JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.cockpit.periods import period_of  # noqa: E402
from engine.knowledge.assemble import load_knowledge  # noqa: E402

REFERENCE = """
import csv, sys
from pathlib import Path
n = 0
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            n += 1
print(n)
"""


def write_snapshots(folder: Path, n: int, quarters: int, seed: int) -> int:
    kb = load_knowledge()
    offers = sorted(o.id for o in kb.offers.values() if not o.direct_access)
    ladder = np.array([kb.offers[o].ladder for o in offers])
    tariff = np.array([kb.offers[o].tariff.annual for o in offers])
    local = np.array([kb.offers[o].local for o in offers])
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    offer = rng.integers(0, len(offers), n)
    end = period_of(__import__("datetime").date(2024, 1, 1), "quarter")
    rows = 0
    for _ in range(quarters):
        cost = np.where(local[offer], -1, np.round(tariff[offer] * (0.85 + 0.3 * rng.random(n)), -3)).astype(int)
        lines = ["case_id;ladder;current_offer;annual_cost"]
        lines += [f"S-{i:07d};{ladder[o]};{offers[o]};{'' if c < 0 else c}"
                  for i, o, c in zip(ids.tolist(), offer.tolist(), cost.tolist(), strict=True)]
        (folder / f"{end.end.isoformat()}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows += n
        moving = rng.random(n) < 0.03
        same_ladder = [np.flatnonzero(ladder == ladder[o]) for o in range(len(offers))]
        offer = np.array([rng.choice(same_ladder[o]) if m else o for o, m in zip(offer.tolist(), moving.tolist(),
                                                                                    strict=True)])
        leaving = rng.random(n) < 0.02
        ids = np.where(leaving, ids + 10_000_000, ids)  # a new case takes the place of one that ended
        end = end.following()
    return rows


def timed(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=150_000)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine"), str(ROOT / "cli.py")], check=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "snapshots"
        folder.mkdir()
        rows = write_snapshots(folder, args.n, args.quarters, args.seed)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{args.quarters} snapshots, {rows:,} rows, {size:.0f} MB".replace(",", "."))
        reference = timed([sys.executable, "-c", REFERENCE, str(folder)], args.repeat)
        out = Path(temp) / "cockpit.json"
        cockpit = timed([sys.executable, str(ROOT / "cli.py"), "cockpit", str(folder), "--format", "json", "--out",
                         str(out), "--force"], args.repeat)
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} cores, load average {load} (other work on the machine slows both figures)")
        print(f"reference, csv module reading the same files: {reference:.2f} s (median of {args.repeat})")
        print(f"ladder cockpit (fresh process, JSON out):      {cockpit:.2f} s (median of {args.repeat}); "
              f"{cockpit / reference:.1f} × the reference; target < 10 s: {'ok' if cockpit < 10 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
