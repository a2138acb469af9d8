"""How often the meeting followed the suggestions — per period, rung and offer — why not, and how fast it decided.

Every count is of the suggestions made in the range (or period) and the latest decision recorded
about each up to `--to`: the log's own rule that a later decision corrects an earlier one.
Followed means `yes`; `partly` is counted beside it. The reasons given when a suggestion was not
(or only partly) followed are free text: they are grouped by their normalised text (masked
through engine.text.privacy; case, punctuation and repeated spaces ignored) and shown masked and
cut; names cannot be detected, which is why the log's rules forbid typing them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from engine.cockpit.logs import Decided, LogData, Suggested
from engine.cockpit.money import rounded, share
from engine.cockpit.names import Names
from engine.model.cockpit import (
    DecisionTime,
    DecisionTimePeriod,
    Follow,
    FollowCount,
    FollowOffer,
    FollowPeriod,
    FollowRung,
    ReasonGroup,
)
from engine.text.privacy import mask

MAX_REASON_SHOWN = 200
"""Characters of a reason shown: enough to read it, too few for a case story."""

Pair = tuple[Suggested, Decided | None]


def _count(pairs: Iterable[Pair]) -> dict[str, int | float | None]:
    tally = {"suggestions": 0, "decided": 0, "yes": 0, "partly": 0, "no": 0}
    for _, decision in pairs:
        tally["suggestions"] += 1
        if decision is not None:
            tally["decided"] += 1
            tally[decision.followed] += 1
    out: dict[str, int | float | None] = dict(tally)
    out["undecided"] = tally["suggestions"] - tally["decided"]
    out["share_followed"] = share(tally["yes"], tally["decided"])
    out["share_followed_at_least_partly"] = share(tally["yes"] + tally["partly"], tally["decided"])
    return out


_PUNCTUATION = re.compile(r"[.,;:!?()\[\]\"'»«“”–-]+")


def normalised(text: str) -> str:
    """The grouping key of a reason: masked, lower case, punctuation and repeated spaces ignored."""
    return " ".join(_PUNCTUATION.sub(" ", mask(text).casefold()).split())


def shown(text: str) -> str:
    text = " ".join(mask(text).split()).strip(" .!;:,-–")
    return text if len(text) <= MAX_REASON_SHOWN else text[:MAX_REASON_SHOWN].rstrip() + "…"


def reasons(pairs: Iterable[Pair]) -> list[ReasonGroup]:
    groups: dict[str, dict[str, int]] = {}
    forms: dict[str, dict[str, int]] = {}
    for _, decision in pairs:
        if decision is None or decision.followed == "yes" or not decision.reason.strip():
            continue
        key = normalised(decision.reason)
        if not key:
            continue
        group = groups.setdefault(key, {"no": 0, "partly": 0})
        group[decision.followed] += 1
        form = shown(decision.reason)
        forms.setdefault(key, {})[form] = forms.setdefault(key, {}).get(form, 0) + 1
    out = []
    for key, group in groups.items():
        text = min(forms[key], key=lambda f: (-forms[key][f], f))  # the commonest way it was written
        out.append(ReasonGroup(text=text, decisions=group["no"] + group["partly"], no=group["no"],
                               partly=group["partly"]))
    return sorted(out, key=lambda r: (-r.decisions, r.text))


def _days(pairs: Iterable[Pair]) -> list[float]:
    return sorted((d.time - s.time).total_seconds() / 86400 for s, d in pairs if d is not None)


def decision_time(pairs: Iterable[Pair]) -> DecisionTime:
    """Days from suggestion to its (latest) decision: median, mean, 90th percentile (nearest rank), max."""
    days = [max(d, 0.0) for d in _days(pairs)]
    n = len(days)
    if not n:
        return DecisionTime(decisions=0, median_days=None, mean_days=None, p90_days=None, max_days=None)
    middle = days[n // 2] if n % 2 else (days[n // 2 - 1] + days[n // 2]) / 2
    return DecisionTime(decisions=n, median_days=rounded(middle), mean_days=rounded(sum(days) / n),
                        p90_days=rounded(days[max(math.ceil(0.9 * n) - 1, 0)]), max_days=rounded(days[-1]))


def follow(logs: LogData, names: Names, periods: list[tuple[str, dt.date, dt.date]], ladders: list[str] | None,
           until: dt.datetime) -> Follow:
    """The follow view over the suggestions made in `periods` (key, first day, last day) on `ladders`."""
    first, last = periods[0][1], periods[-1][2]
    chosen: list[Pair] = []
    for s in logs.suggestions:
        if first <= s.time.date() <= last and (ladders is None or s.ladder in ladders):
            chosen.append((s, logs.decision(s.key, until)))
    by_period = []
    time_by_period = []
    for key, start, end in periods:
        inside = [p for p in chosen if start <= p[0].time.date() <= end]
        by_period.append(FollowPeriod(period=key, **_count(inside)))  # type: ignore[arg-type]
        time_by_period.append(DecisionTimePeriod(period=key, **decision_time(inside).model_dump()))
    rung_groups: dict[tuple[str | None, str | None], list[Pair]] = {}
    offer_groups: dict[tuple[str | None, str | None, str | None], list[Pair]] = {}
    for pair in chosen:
        s = pair[0]
        rung_groups.setdefault((s.ladder, s.rung), []).append(pair)
        offer_groups.setdefault((s.ladder, s.rung, s.offer), []).append(pair)

    def rung_fields(ladder: str | None, rung: str | None) -> dict[str, object]:
        info = names.rung(rung)
        return {"ladder": ladder, "ladder_name": names.ladder(ladder) or None, "rung": rung,
                "rung_name": names.rung_name(rung), "rung_number": info.number if info else None}

    def order(ladder: str | None, rung: str | None) -> tuple[int, int, str]:
        info = names.rung(rung)
        return (names.ladder_order.get(ladder or "", 99), info.number if info else 99, rung or "")

    by_rung = [FollowRung(**rung_fields(*key), **_count(pairs))  # type: ignore[arg-type]
               for key, pairs in sorted(rung_groups.items(), key=lambda item: order(*item[0]))]
    by_offer = [FollowOffer(**rung_fields(key[0], key[1]), offer=key[2], offer_name=names.offer(key[2]) or None,
                            **_count(pairs))  # type: ignore[arg-type]
                for key, pairs in sorted(offer_groups.items(), key=lambda item: (*order(*item[0][:2]),
                                                                                 item[0][2] or ""))]
    return Follow(total=FollowCount(**_count(chosen)), by_period=by_period, by_rung=by_rung,  # type: ignore[arg-type]
                  by_offer=by_offer, reasons=reasons(chosen), time_to_decision=decision_time(chosen),
                  time_by_period=time_by_period)
