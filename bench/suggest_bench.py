"""Median wall time of `ladder suggest` on one case, cold start included (target: < 0.5 s).

Run: python bench/suggest_bench.py [--runs N] [CASE]
Each run is a fresh process, as at a visitation meeting: interpreter start, imports, loading the
rule and catalogue files (from the knowledge cache once built, see engine/cache.py), inference
through durable-rules and rendering all count. The sources are byte-compiled first, as any install
does (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise recompile them every run).
Set LADDER_NO_CACHE=1 to time a run that validates every file.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", nargs="?", default=str(ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml"))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--format", default="json", choices=["json", "table", "markdown"])
    args = parser.parse_args()
    command = [sys.executable, str(ROOT / "cli.py"), "suggest", args.case, "--format", args.format]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine"), str(ROOT / "cli.py")], check=True)
    subprocess.run(command, check=True, capture_output=True)  # warm the file and knowledge caches
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    print(f"ladder suggest ({args.format}), {args.runs} cold runs: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s (target < 0.5 s)")


if __name__ == "__main__":
    main()
