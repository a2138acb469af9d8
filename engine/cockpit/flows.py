"""Moves between rungs from one period's stock to the next — up, down, same, in, out — case by case.

A case in both periods on the same ladder moved up or down by its rung's number, or stayed
(`same`, also when it changed offer on the rung). A case only in the later period, or without an
offer before, came `in`; one only in the earlier period, or without an offer after, went `out`. A
case that changed ladder (a pupil's case closed in school, opened in the children's area) went
out of one ladder and in to the other.
"""

from __future__ import annotations

import numpy as np

from engine.cockpit.names import Names
from engine.cockpit.stock import Codes, Stock
from engine.model.cockpit import Flow, LadderMoves, Moves, Transition

DIRECTIONS = ("up", "down", "same", "in", "out")


def moves(before: Stock, after: Stock, names: Names, codes: Codes,
          ladders: list[str]) -> dict[tuple[str, str | None, str | None], int]:
    """(ladder, from rung or None, to rung or None) -> cases, over `ladders`.

    Each case's offer before and after side by side (-1: not there, or on no offer), counted per
    distinct pair of offers: a quarter of 150.000 cases has a few hundred pairs."""
    wanted = set(ladders)
    offers = names.kb.offers
    size = codes.size
    old_of = np.full(size, -1, dtype=np.int64)
    new_of = np.full(size, -1, dtype=np.int64)
    old_of[before.cases] = before.offers
    new_of[after.cases] = after.offers
    present = (old_of >= 0) | (new_of >= 0)
    width = len(codes.offers) + 1
    pairs, counts = np.unique((old_of[present] + 1) * width + (new_of[present] + 1), return_counts=True)
    found: dict[tuple[str, str | None, str | None], int] = {}

    def add(key: tuple[str, str | None, str | None], n: int) -> None:
        if key[0] in wanted:
            found[key] = found.get(key, 0) + n

    for pair, n in zip(pairs.tolist(), counts.tolist(), strict=True):
        old = offers[codes.offers[pair // width - 1]] if pair // width else None
        new = offers[codes.offers[pair % width - 1]] if pair % width else None
        if old is not None and new is not None and old.ladder == new.ladder:
            add((old.ladder, old.rung, new.rung), n)
            continue
        if old is not None:
            add((old.ladder, old.rung, None), n)
        if new is not None:
            add((new.ladder, None, new.rung), n)
    return found


def direction(names: Names, old: str | None, new: str | None) -> str:
    if old is None:
        return "in"
    if new is None:
        return "out"
    a, b = names.rungs[old].number, names.rungs[new].number
    return "up" if b > a else "down" if b < a else "same"


def flow(from_key: str, to_key: str, before: Stock, after: Stock, names: Names, codes: Codes,
         ladders: list[str]) -> Flow:
    found = moves(before, after, names, codes, ladders)
    per_ladder = {ladder: dict.fromkeys(DIRECTIONS, 0) for ladder in ladders}
    transitions: list[Transition] = []

    def order(key: tuple[str, str | None, str | None]) -> tuple[int, int, int]:
        ladder, old, new = key
        return (names.ladder_order[ladder], names.rungs[old].number if old else 0,
                names.rungs[new].number if new else 99)

    for key in sorted(found, key=order):
        ladder, old, new = key
        way = direction(names, old, new)
        per_ladder[ladder][way] += found[key]
        a, b = names.rung(old), names.rung(new)
        transitions.append(Transition(
            ladder=ladder, ladder_name=names.ladder(ladder), from_rung=old, from_rung_name=a.name if a else None,
            from_rung_number=a.number if a else None, to_rung=new, to_rung_name=b.name if b else None,
            to_rung_number=b.number if b else None, direction=way, cases=found[key]))  # type: ignore[arg-type]
    total = {way: sum(counts[way] for counts in per_ladder.values()) for way in DIRECTIONS}
    return Flow(from_period=from_key, to_period=to_key, total=Moves(**_keys(total)),
                by_ladder=[LadderMoves(ladder=ladder, ladder_name=names.ladder(ladder), **_keys(per_ladder[ladder]))
                           for ladder in ladders],
                transitions=transitions)


def _keys(counts: dict[str, int]) -> dict[str, int]:
    return {("in_" if way == "in" else way): n for way, n in counts.items()}
