"""Synthetic demonstration data for the cockpit: quarterly snapshots and a real decision log, same seed, same data.

Nobody in it is a real person. The stock starts as a synthetic cohort (`engine.synth.generate`, its
current offers) and moves quarter by quarter: some cases end, new ones arrive, some move a rung
up or down — with a slow drift up the school ladder, so that the trend has something to show.
External offers carry their own yearly cost, spread around the tariff. Each quarter the
visitation meets a few dozen synthetic cases: every suggestion is the engine's own (`ladder
suggest`), made on the case's decision date; from the third quarter the local mellemform and the
Ungdomsskole tracks are full, so cases wait for a place. The meeting follows most suggestions and
gives reasons when not. Rates and reasons are assumptions for the demonstration, listed below and
in docs/synth.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np

from engine.cases.files import case_from_source
from engine.cockpit.periods import period_of
from engine.files.outputs import text_cell
from engine.files.source import Source
from engine.knowledge.assemble import Knowledge
from engine.synth.generate import CURRENT_OFFERS, synthesize

START = dt.date(2024, 1, 1)
LEAVE = {"skole": 0.06, "boern": 0.08, "voksen": 0.04}
"""Share of a ladder's cases that end each quarter (an assumption)."""
ARRIVE = 0.09
"""New cases each quarter, as a share of the first quarter's stock."""
UP, DOWN, DRIFT = 0.035, 0.03, 0.004
"""A case moves a rung up or down each quarter; on the school ladder up grows by DRIFT a quarter."""
OWN_COST = 0.15
"""External offers: each case's yearly cost is the tariff ± up to this share (negotiated prices)."""
MEETINGS = 30
"""Cases the visitation meets in the first quarter; two more each quarter after."""
FULL_FROM = 2
"""From this quarter (0-based) the capacity-limited local offers are full."""
FOLLOWED = (("yes", 0.72), ("partly", 0.10), ("no", 0.18))
REASONS = (
    "Forældrene ønsker ekstern skole.", "forældrene ønsker ekstern skole", "Forældrene ønsker ekstern skole",
    "Sagen skal belyses mere; ny PPV bestilt", "Fortsat i nuværende tilbud, det virker",
    "Fortsat i nuværende tilbud; det virker.", "Ingen ledig plads i mellemformen",
    "Ønsker fra den unge om at blive i netværket", "Visiteret efter børnefaglig undersøgelse",
)
ROLES = ("visitationsudvalget", "teamleder", "myndighed")


def _offers_by_rung(kb: Knowledge) -> dict[str, list[str]]:
    """Per rung the offers the synthetic cohort uses (a placement moves to one of them)."""
    used = {o for tiers in CURRENT_OFFERS.values() for table in tiers.values() for o in table}
    out: dict[str, list[str]] = {}
    for offer in sorted(kb.offers.values(), key=lambda o: o.id):
        if offer.id in used:
            out.setdefault(offer.rung, []).append(offer.id)
    return out


def _cost(kb: Knowledge, offer: str, u: float) -> int | None:
    item = kb.offers[offer]
    if item.local or not item.tariff.annual:
        return None
    return int(round(item.tariff.annual * (1 - OWN_COST + 2 * OWN_COST * u), -3))


def _quarter_ends(quarters: int, start: dt.date) -> list[dt.date]:
    ends = [period_of(start, "quarter")]
    while len(ends) < quarters:
        ends.append(ends[-1].following())
    return [p.end for p in ends]


SNAPSHOTS = "snapshots"
LOG = "beslutninger.db"
"""Where `ladder synth --cockpit DIR` puts the exports and the log inside DIR."""


def snapshots(kb: Knowledge, n: int, quarters: int, seed: int, start: dt.date = START) -> dict[str, bytes]:
    """File name -> CSV bytes, one export per quarter end (`2024-03-31.csv`), `;`-separated as Danish Excel."""
    rng = np.random.default_rng([seed, 17])
    rungs = _offers_by_rung(kb)
    ladder_rungs = {lad.id: [r.id for r in lad.rungs] for lad in kb.ladders.values()}
    stock: dict[str, list[Any]] = {}
    counter = 0

    def arrive(count: int, salt: int) -> None:
        nonlocal counter
        for case in synthesize(count, seed + salt, kb):
            if case.get("current_offer"):
                counter += 1
                offer = case["current_offer"]
                stock[f"S-{counter:06d}"] = [case["ladder"], offer, _cost(kb, offer, float(rng.random()))]

    arrive(n, 0)
    first = len(stock)
    files: dict[str, bytes] = {}
    for q, end in enumerate(_quarter_ends(quarters, start)):
        if q:
            for case_id in sorted(stock):
                ladder, offer, _ = stock[case_id]
                u = float(rng.random())
                if u < LEAVE[ladder]:
                    del stock[case_id]
                    continue
                up = UP + (DRIFT * q if ladder == "skole" else 0.0)
                step = 1 if u < LEAVE[ladder] + up else -1 if u < LEAVE[ladder] + up + DOWN else 0
                if step:
                    order = ladder_rungs[ladder]
                    at = order.index(kb.offers[offer].rung) + step
                    if 0 <= at < len(order) and rungs.get(order[at]):
                        choices = rungs[order[at]]
                        moved = choices[int(rng.random() * len(choices))]
                        stock[case_id] = [ladder, moved, _cost(kb, moved, float(rng.random()))]
            arrive(int(first * ARRIVE), 1000 + q)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["case_id", "ladder", "current_offer", "annual_cost"])
        for case_id in sorted(stock):
            ladder, offer, cost = stock[case_id]
            writer.writerow([text_cell(case_id), ladder, offer, "" if cost is None else cost])
        files[f"{end.isoformat()}.csv"] = out.getvalue().encode("utf-8")
    return files


def _full(kb: Knowledge) -> Knowledge:
    """The knowledge base with every capacity-limited offer and pool occupied to its places."""
    offers = {}
    for oid, offer in kb.offers.items():
        cap = offer.capacity
        if cap is not None and cap.places is not None and not cap.pool:
            offer = offer.model_copy(update={"capacity": cap.model_copy(update={"occupied": cap.places})})
        offers[oid] = offer
    pools = {pid: pool.model_copy(update={"occupied": max(s.places for s in pool.schedule)})
             for pid, pool in kb.pools.items()}
    return dataclasses.replace(kb, offers=offers, pools=pools)


def decision_log(path: Path, kb: Knowledge, quarters: int, seed: int, start: dt.date = START) -> int:
    """Write a decision log of real suggestions and synthetic decisions to `path` (a new file); the entries."""
    from engine.log.store import append_decision, append_suggestions
    from engine.suggest.suggestion import suggest

    rng = np.random.default_rng([seed, 29])
    full = _full(kb)
    events: list[tuple[str, int, Any]] = []
    number = 0
    for q, end in enumerate(_quarter_ends(quarters, start)):
        first_day = period_of(end, "quarter").start
        days = (end - first_day).days + 1
        meeting_kb = full if q >= FULL_FROM else kb
        for case in synthesize(MEETINGS + 2 * q, seed * 7919 + q, kb):
            number += 1
            day = first_day + dt.timedelta(days=int(rng.random() * days))
            case = {**case, "case_id": f"V-{number:05d}", "decision_date": day}
            result = suggest(meeting_kb, case_from_source(Source("<synth>", case, {}), meeting_kb), "da")
            when = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=number % 180)
            events.append((when.strftime("%Y-%m-%dT%H:%M:%SZ"), 0, result))
            if not result.get("suggestions") or rng.random() < 0.06:
                continue  # no offer to decide on, or not decided yet
            delay = 0 if rng.random() < 0.5 else int(rng.random() * 45) + 1
            decided = when + dt.timedelta(days=delay, minutes=30)
            u = rng.random()
            followed = "yes" if u < FOLLOWED[0][1] else "partly" if u < FOLLOWED[0][1] + FOLLOWED[1][1] else "no"
            offers = [s["offer_id"] for s in result["suggestions"]]
            current = (result.get("current_offer") or {}).get("offer_id")
            chosen = offers[0] if followed == "yes" else (offers[1] if len(offers) > 1 else offers[0]) \
                if followed == "partly" else (current or (offers[1] if len(offers) > 1 else None))
            reason = "Fulgt" if followed == "yes" else REASONS[int(rng.random() * len(REASONS))]
            role = ROLES[int(rng.random() * len(ROLES))]
            events.append((decided.strftime("%Y-%m-%dT%H:%M:%SZ"), 1,
                           (result["case_id"], followed, chosen, reason, role)))
    events.sort(key=lambda e: (e[0], e[1]))
    seq_of: dict[str, int] = {}
    i = 0
    written = 0
    while i < len(events):
        time, kind, payload = events[i]
        if kind == 0:
            batch = [payload]
            while i + 1 < len(events) and events[i + 1][:2] == (time, 0):
                i += 1
                batch.append(events[i][2])
            for entry in append_suggestions(path, batch, "da", now=time):
                seq_of[entry.case_id] = entry.seq
            written += len(batch)
        else:
            case_id, followed, chosen, reason, role = payload
            append_decision(path, seq_of[case_id], followed, reason, role, offer=chosen,
                            known_offers=lambda: set(kb.offers), now=time)
            written += 1
        i += 1
    return written


def write_demo(folder: Path, kb: Knowledge, n: int, quarters: int, seed: int, *, force: bool,
               check: Any) -> tuple[int, int]:
    """`ladder synth --cockpit DIR`: the quarterly snapshots and a decision log written into `folder`;
    `check(targets)` refuses an output before anything is written. (files, log entries)"""
    from engine.files.outputs import write_atomic
    from engine.files.paths import kind, missing
    from engine.text.diagnostics import InputError, diag

    if not (kind(folder) == "folder" or missing(folder)) or kind(folder.resolve().parent) != "folder":
        raise InputError([diag(str(folder), (1, 1), "not-a-file")])
    files = snapshots(kb, n, quarters, seed)
    log = folder / LOG
    check([(folder / SNAPSHOTS / name, "--cockpit") for name in files] + [(log, "--cockpit")])
    (folder / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(folder / SNAPSHOTS / name, data, force, "--cockpit")
    tmp = folder / f".{LOG}.tmp"
    tmp.unlink(missing_ok=True)
    entries = decision_log(tmp, kb, quarters, seed)
    if not force and log.exists():
        tmp.unlink()
        raise InputError([diag(str(log), (1, 1), "out-exists", option="--cockpit")])
    for stale in (log.with_name(log.name + "-wal"), log.with_name(log.name + "-shm")):
        stale.unlink(missing_ok=True)  # a replaced log's journal would be applied to the new one
    tmp.replace(log)
    return len(files), entries
