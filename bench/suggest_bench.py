"""Median wall time of `ladder suggest` on one case, cold start included, with `if_answered`
(target: at most 0,25 s), beside the reference `python -c "import pydantic, yaml, typer"` timed in
the same run, so that a slow or busy machine shows in both figures.

Run: python bench/suggest_bench.py [--runs N] [CASE]
Each run is a fresh process, as at a visitation meeting: interpreter start, imports, loading the
rule and catalogue files (from the knowledge cache once built, see engine/knowledge/cache.py), inference
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
    reference = [sys.executable, "-c", "import pydantic, yaml, typer"]
    times, base = [], []
    for _ in range(args.runs):  # interleaved, so that both see the same machine
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(reference, check=True, capture_output=True)
        base.append(time.perf_counter() - start)
    print(f"ladder suggest ({args.format}), {args.runs} cold runs: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s (target: at most 0.25 s)")
    print(f"reference: python -c 'import pydantic, yaml, typer': median {statistics.median(base):.3f} s, "
          f"min {min(base):.3f} s, max {max(base):.3f} s")
    print(f"ladder suggest minus reference: {statistics.median(times) - statistics.median(base):.3f} s")


if __name__ == "__main__":
    main()
