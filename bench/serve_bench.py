"""Load bench of `ladder serve`: 20 simulated meeting users (suggest + decide) against one server with a PostgreSQL log.

Why it is built so: one real `ladder serve` process (uvicorn, as a meeting room runs it) and one real PostgreSQL
server (tests/postgres_server.py: Debian's binaries in a temporary folder) on this machine only (127.0.0.1).
Each user is a thread with its own session: it opens the agenda once (session cookie, CSRF token), then
repeats: asks the JSON API for a suggestion (POST /api/suggest), types a case into the form (POST /case),
records the meeting's decision (POST /suggestion/…/decide, which writes the suggestion and the decision to
the log), then thinks for a moment (`--think`, seconds, uniform between 0,5x and 1,5x). The cases are a
synthetic cohort (`engine.synth.generate`), so no two requests are the same.

Printed: requests, errors, entries in the log against the decisions that were answered (lost: a decision
answered but missing; duplicated: an entry twice), whether the chain verifies, and p50/p95/p99 latency per
request kind and overall. Exit 1 when there are errors or lost or duplicated entries.

    python bench/serve_bench.py                       # 20 users, 60 s, think 1 s
    python bench/serve_bench.py --users 20 --seconds 60 --think 0   # no pauses: the server's ceiling
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def form_of(case: dict[str, Any], token: str) -> list[tuple[str, str]]:
    """A synthetic case as the form posts it (lists as repeated fields, booleans as ja/nej)."""
    out = [("csrf", token), ("action", "suggest")]
    for key, value in case.items():
        if isinstance(value, bool):
            out.append((key, "ja" if value else "nej"))
        elif isinstance(value, list) and key == "tried_offers":
            for i, tried in enumerate(value):
                out += [(f"{key}.{i}.offer", tried["offer"]), (f"{key}.{i}.outcome", tried["outcome"])]
        elif isinstance(value, list):
            out += [(key, v) for v in value] if value else [(f"{key}.none", "1")]
        elif isinstance(value, dict):
            out += [(f"{key}.{k}", str(v)) for k, v in value.items()]
        elif isinstance(value, dt.date):
            out.append((key, value.isoformat()))
        else:
            out.append((key, str(value)))
    return out


class User(threading.Thread):
    def __init__(self, number: int, port: int, cases: list[dict[str, Any]], until: float, think: float,
                 results: list[tuple[str, float, int]], decided: list[str], errors: list[str]) -> None:
        super().__init__(daemon=True)
        self.number, self.port, self.cases, self.until, self.think = number, port, cases, until, think
        self.results, self.decided, self.errors = results, decided, errors
        self.cookie = ""
        self.random = random.Random(number)

    def request(self, kind: str, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        self.results.append((kind, time.perf_counter() - started, response.status))
        found = response.getheader("set-cookie")
        if found:
            self.cookie = found.split(";")[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def run(self) -> None:
        from urllib.parse import urlencode

        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        status, _, page = self.request("agenda", "GET", "/")
        token = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        i = 0
        while time.monotonic() < self.until:
            case = dict(self.cases[(self.number * 7919 + i) % len(self.cases)])
            case["case_id"] = f"B-{self.number:02d}-{i:05d}"
            try:
                body = json.dumps(case, default=str).encode()
                status, _, _ = self.request("api_suggest", "POST", "/api/suggest", body,
                                            {"Content-Type": "application/json"})
                if status != 200:
                    self.errors.append(f"api_suggest {status}")
                typed = urlencode(form_of(case, token)).encode()
                status, headers, _ = self.request("case_form", "POST", "/case", typed,
                                                  {"Content-Type": "application/x-www-form-urlencoded"})
                if status != 303:
                    self.errors.append(f"case_form {status}")
                    continue
                reason = f"bench u{self.number} i{i}"
                decision = urlencode({"csrf": token, "followed": self.random.choice(["yes", "partly", "no"]),
                                      "reason": reason, "role": "visitationsudvalget"}).encode()
                status, headers, _ = self.request("decide", "POST", headers["location"] + "/decide", decision,
                                                  {"Content-Type": "application/x-www-form-urlencoded"})
                if status != 303:
                    self.errors.append(f"decide {status}")
                else:
                    self.decided.append(reason)
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{type(error).__name__}: {error}")
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            i += 1
            if self.think:
                time.sleep(self.think * self.random.uniform(0.5, 1.5))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's rounds, s")
    args = parser.parse_args()

    from engine.knowledge.cache import load_knowledge_cached
    from engine.log.store import read_log, verify
    from engine.synth.generate import synthesize
    from tests import postgres_server

    kb = load_knowledge_cached()
    cases = synthesize(500, 7, kb)
    database = postgres_server.start()
    try:
        url = database.create_database("bench")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        ladder = [str(Path(sys.executable).with_name("ladder"))]
        server_log = database.folder / "serve.log"  # the access log, read only to count server errors
        with server_log.open("w") as sink:
            server = subprocess.Popen([*ladder, "serve", "--log", url, "--port", str(port)], stderr=sink,
                                      stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/health")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        print("the server did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.2)
            results: list[tuple[str, float, int]] = []
            decided: list[str] = []
            errors: list[str] = []
            until = time.monotonic() + args.seconds
            started = time.monotonic()
            users = [User(n, port, cases, until, args.think, results, decided, errors) for n in range(args.users)]
            for user in users:
                user.start()
            for user in users:
                user.join(args.seconds + 120)
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(30)
        entries = read_log(url)
        verdict = verify(url)
        internal = server_log.read_text(encoding="utf-8", errors="replace").count("internal error")
    finally:
        database.stop()

    reasons = Counter(e.reason for e in entries if e.kind == "decision")
    seqs = [e.seq for e in entries]
    lost = sum(1 for r in decided if reasons[r] == 0) + (len(decided) - sum(1 for e in entries if e.kind == "decision")
                                                        if len(decided) > len(reasons) else 0)
    duplicated = sum(n - 1 for n in reasons.values() if n > 1) + (len(seqs) - len(set(seqs)))
    suggestions = sum(1 for e in entries if e.kind == "suggestion")
    timed = [r for r in results if r[0] != "agenda"]
    print(f"ladder serve bench: {args.users} users, {elapsed:.0f} s, think {args.think:g} s, PostgreSQL log")
    print(f"requests: {len(timed)} ({len(timed) / elapsed:.1f}/s); errors: {len(errors)}; "
          f"internal errors logged by the server: {internal}")
    for error, count in Counter(errors).most_common(5):
        print(f"  {count} × {error}")
    print(f"decisions answered: {len(decided)}; log entries: {len(entries)} ({suggestions} suggestions, "
          f"{len(entries) - suggestions} decisions); lost: {lost}; duplicated: {duplicated}; "
          f"seq 1..{len(entries)} without gaps: {seqs == list(range(1, len(entries) + 1))}; "
          f"chain verifies: {not verdict.problems}")
    for kind in ("api_suggest", "case_form", "decide", "all"):
        values = [r[1] * 1000 for r in timed if kind in ("all", r[0])]
        if values:
            print(f"  {kind:12} n={len(values):5}  p50 {statistics.median(values):6.0f} ms  "
                  f"p95 {percentile(values, 95):6.0f} ms  p99 {percentile(values, 99):6.0f} ms")
    bad = errors or internal or lost or duplicated or verdict.problems or seqs != list(range(1, len(entries) + 1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
