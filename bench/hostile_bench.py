"""Wall time, exit code and masking of `ladder` on the hostile inputs of issue 13, each a fresh process.

Run: python bench/hostile_bench.py [--runs N]
Every input is made in a temporary folder; each command runs N times (default 3) as a separate
process, so interpreter start and imports count, and the median is printed with the exit code and
whether the planted serial number `4821` appears anywhere in stdout or stderr. The README's and
docs/privacy.md's times come from this script.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = (ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml").read_text(encoding="utf-8")
SPIR = str(ROOT / "scenarios" / "spir.yaml")
HEADER = "case_id,decision_date,ladder,age\n"


def inputs(tmp: Path) -> list[tuple[str, list[str]]]:
    def write(name: str, text: str) -> str:
        (tmp / name).write_text(text, encoding="utf-8")
        return str(tmp / name)

    def with_id(case_id: str) -> str:
        return CASE.replace("case_id: K-17", f"case_id: {json.dumps(case_id)}")

    log = str(tmp / "l.db")
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "suggest", write("k17.yaml", CASE), "--log", log],
                   check=True, capture_output=True)
    decide = ["log", "decide", log, "--entry", "1", "--followed", "yes", "--role", "udvalget", "--reason"]
    fifo = tmp / "pipe.yaml"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    return [
        ("case id of 80.000 characters", ["suggest", write("long.yaml", with_id("K" + "a" * 80_000 + "@x"))]),
        ("case with 150.000 keys", ["suggest", write("keys.yaml", CASE + "".join(f"k{i}: 1\n"
                                                                                 for i in range(150_000)))]),
        ("case id 010190–4821 (en dash)", ["suggest", write("dash.yaml", with_id("010190\u20134821"))]),
        ("case id K9010190-4821", ["suggest", write("after.yaml", with_id("K9010190-4821"))]),
        ("case id Anna-Jensen-1", ["suggest", write("name.yaml", with_id("Anna-Jensen-1"))]),
        ("2 MB value of digits", ["suggest", write("value.yaml", CASE + "note: '" + "1 " * 1_000_000 + "'\n")]),
        ("CSV cell of 5.000 digits", ["simulate", SPIR, "--runs", "1", "--cohort",
                                      write("big.csv", HEADER + "S-1,2025-01-01,boern," + "9" * 5000 + "\n")]),
        ("CSV cell of 130.000 digits", ["simulate", SPIR, "--runs", "1", "--cohort",
                                        write("huge.csv", HEADER + "S-1,2025-01-01,boern," + "1" * 130_000 + "\n")]),
        ("CSV header 010190–4821", ["simulate", SPIR, "--runs", "1", "--cohort",
                                    write("head.csv", "case_id,decision_date,ladder,010190\u20134821\n"
                                                      "S-1,2025-01-01,boern,1\n")]),
        ("simulate /dev/zero", ["simulate", "/dev/zero"]),
        ("simulate a named pipe", ["simulate", str(fifo)]),
        ("--cohort /dev/urandom", ["simulate", SPIR, "--cohort", "/dev/urandom"]),
        ("--lang 010190-4821", ["suggest", str(tmp / "k17.yaml"), "--lang", "010190-4821"]),
        ("--format 0101904821", ["suggest", str(tmp / "k17.yaml"), "--format", "0101904821"]),
        ("unknown flag --x0101904821", ["suggest", "--x0101904821"]),
        ("--entry 0101904821", ["log", "decide", log, "--entry", "0101904821", "--followed", "yes", "--role",
                                "udvalget", "--reason", "x"]),
        ("--reason of 100.000 digits", [*decide, "1" * 100_000]),
        ("--reason mor 010190–4821", [*decide, "mor 010190\u20134821"]),
        ("--role sagsbehandler Peter Hansen", ["log", "decide", log, "--entry", "1", "--followed", "yes",
                                               "--reason", "ok", "--role", "sagsbehandler Peter Hansen"]),
        ("--out x.png --chart x.png", ["simulate", SPIR, "--out", str(tmp / "x.png"), "--chart", str(tmp / "x.png")]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine"), str(ROOT / "cli.py")], check=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        print(f"{'input':38} {'exit':>4} {'median s':>9} {'max s':>6}  serial shown")
        for name, command in inputs(tmp):
            times, code, leaked = [], 0, False
            for _ in range(args.runs):
                start = time.perf_counter()
                done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *command], capture_output=True,
                                      text=True, timeout=120, check=False)
                times.append(time.perf_counter() - start)
                code, leaked = done.returncode, leaked or "4821" in done.stdout + done.stderr
            shown = "YES" if leaked else "no"
            print(f"{name:38} {code:>4} {statistics.median(times):>9.2f} {max(times):>6.2f}  {shown}")


if __name__ == "__main__":
    main()
