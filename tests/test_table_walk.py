"""The walk up the ladder on a table's columns (engine/simulate/table_walk.py) against the walk case by case.

`table_walks` redoes `_Visitation.ranked` as array operations; every case's order must be
`ranked_offers`' whole order, every first suggestion under a set of unavailable offers
`suggested_offer`'s, and cases that `Rankings.lead` puts together must step up alike once a tried
offer is added. The cohorts are synthetic cases bent by hypothesis to reach every branch of the
walk: ages around each ladder's and continued help's limits or missing, current offers on any
ladder with every review outcome, tried offers with every outcome, decision dates on both sides of
a rule set's change, blank fields, twins that differ in one field; and the rules are the shipped
ones plus rules that cap the ladder, require, exclude and prefer offers, override one another and
step down two rungs, with catalogues where continued help has no target group, shares a rung with
a continued stay, and a target group reads a derived fact.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cases.cohort import cohort_csv, load_cohort
from engine.evaluate.fast import infer_cases
from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES, Knowledge, load_knowledge
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.model.profile import TRIED_OUTCOMES
from engine.simulate.choices import Rankings
from engine.simulate.table_walk import row_groups, table_walks
from engine.suggest.visitation import ranked_offers, suggested_offer
from engine.synth.generate import synthesize

ROOT = Path(__file__).resolve().parent.parent

EXTRA_RULES = {
    "boern": [
        {"id": "t_loft", "when": {"sdq_total": {"gte": 25}}, "then": {"max_rung": "hjemmebaseret"}},
        {"id": "t_kraev", "when": {"risks": {"contains": "vold"}},
         "then": {"require": ["familiebehandling", "stoette_i_hjemmet", "plejefamilie", "opholdssted"]}},
        {"id": "t_kraev_ogsaa", "when": {"difficulties": {"contains": "sociale"}},
         "then": {"require": ["stoette_i_hjemmet", "opholdssted", "aaben_raadgivning"]}},
        {"id": "t_udeluk", "when": {"parenting_capacity_sufficient": False},
         "then": {"exclude": ["familiebehandling", "plejefamilie", "stoetteophold"]}},
        {"id": "t_undtagelse", "when": {"network_foster_family_available": True}, "exception_to": ["t_udeluk"],
         "then": {"prefer": ["netvaerksplejefamilie", "familie_doegnophold"]}},
        {"id": "t_over_loftet", "when": {"age": {"gte": 15}, "sdq_total": {"gte": 25}},
         "then": {"min_rung": "plejefamilie"}},
    ],
    "voksen": [
        {"id": "t_v_loft", "when": {"needs_support_at_night": False}, "then": {"max_rung": "bolig_med_stoette"}},
        {"id": "t_v_kraev", "when": {"can_live_at_home_with_support": True},
         "then": {"require": ["bostoette_85", "housing_first_85", "natstoette_85", "almen_bolig_105",
                              "aktivitet_104"]}},
        {"id": "t_v_ned", "when": {"support_need": "let"},
         "then": {"reference": "laengerevarende_108", "prefer": ["bostoette_85", "aktivitet_104"]}},
    ],
}


def _stressed_catalogs(folder: Path) -> Path:
    """The shipped catalogues, with a continued-help offer for anyone (no target group), one on a
    rung a continued stay keeps, and a target group that reads a derived fact."""
    out = folder / "kataloger"
    shutil.copytree(DEFAULT_CATALOGS, out)
    path = out / "boern.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for offer in document["offers"]:
        if offer["id"] == "spir_ungestoette":
            offer.pop("target_group", None)
        elif offer["id"] == "eget_vaerelse":
            offer["continued_help"] = True
            offer.pop("target_group", None)
            # Dear and bought, so that a certain stay ranks before it on the rung.
            offer.update(local=False, provider="private")
            offer["tariff"]["annual"] = 2_000_000
        elif offer["id"] == "misbrugsbehandling_ung":
            offer["target_group"]["when"] = {"alvorlig_adfaerd": True}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return out


def _stressed_rules(folder: Path) -> Path:
    """The shipped rules with `EXTRA_RULES` added, and the adults' reviews stepping down two rungs."""
    out = folder / "regler"
    out.mkdir()
    for path in sorted(DEFAULT_RULES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in EXTRA_RULES.get(document["id"], []):
            document["rules"].append({**rule, "because": "Test.", "legal_basis": "Test"})
        if document["id"] == "voksen":
            document["review"] = {"step_down_max_rungs": 2, "follow_up_months": 3}
        (out / path.name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return out


_KNOWLEDGE: dict[str, Knowledge] = {}


def knowledge(name: str) -> Knowledge:
    """The shipped rules, the stressed rules, or a side of a shipped scenario (`scenario:side`)."""
    if name not in _KNOWLEDGE:
        if name == "shipped":
            _KNOWLEDGE[name] = load_knowledge()
        elif name == "stressed":
            folder = Path(tempfile.mkdtemp())
            try:
                _KNOWLEDGE[name] = load_knowledge([_stressed_rules(folder)], [_stressed_catalogs(folder)])
            finally:
                shutil.rmtree(folder)
        else:
            scenario, side = name.split(":")
            source, parsed = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
            _KNOWLEDGE[name] = side_knowledge(source, parsed)[side]
    return _KNOWLEDGE[name]


def bent(kb: Knowledge, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` synthetic cases, many bent towards the edges of the walk."""
    rng = random.Random(seed)
    offers = sorted(kb.offers)
    outcomes = ["virker", "virker_delvist", "virker_ikke", "brudt_sammen"]
    ages = [None, 0, 4, 5, 6, 14, 15, 16, 17, 18, 19, 22, 23, 25, 40, 70]
    blankable = [s.id for s in kb.schema.fields if not s.required]
    cases = synthesize(n, seed, kb)
    helped = [(ladder, help_) for ladder, spec in sorted(kb.ladders.items())
              if (help_ := spec.continued_help) is not None]
    for case in cases:
        if rng.random() < 0.5:
            case["age"] = rng.choice(ages)
        if rng.random() < 0.5:
            case["current_offer"] = rng.choice([None, *offers])
        if rng.random() < 0.6:
            case["current_offer_outcome"] = rng.choice([None, *outcomes])
        if rng.random() < 0.4:
            case["tried_offers"] = [{"offer": rng.choice(offers), "outcome": rng.choice(TRIED_OUTCOMES)}
                                    for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.3:
            case["decision_date"] = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        for field in blankable:
            if rng.random() < 0.05:
                case[field] = None
        if helped and rng.random() < 0.15:  # around continued help: its ages, a qualifying current offer
            ladder, help_ = rng.choice(helped)
            case["ladder"] = ladder
            case["age"] = rng.randint((help_.age.min or 18) - 1, (help_.age.max or 22) + 1)
            case["current_offer"] = rng.choice([o.id for o in kb.offers.values() if o.ladder == ladder
                                                and (o.rung in help_.after_rungs or o.id in help_.after_offers)])
    for n in range(1, len(cases)):
        if rng.random() < 0.3:  # a twin of an earlier case but for one field, which the walk may not read
            field = rng.choice(blankable)
            cases[n] = {**cases[rng.randrange(n)], "case_id": cases[n]["case_id"],
                        field: cases[rng.randrange(len(cases))].get(field)}
    for case in cases:
        for field in [k for k, v in case.items() if v is None or v == []]:
            del case[field]
    return cases


def read(kb: Knowledge, cases: list[dict[str, Any]]) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kohorte.csv"
        path.write_text(cohort_csv(cases, kb.schema), encoding="utf-8")
        return load_cohort(path, kb)


KNOWLEDGE = ["shipped", "stressed", "housing_first:baseline", "skanderborg_boliger:scenario", "spir:scenario",
             "holbaek_fravaer:baseline"]


@pytest.mark.parametrize("name", KNOWLEDGE)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32 - 1))
def test_every_cases_order_is_the_walks(name: str, seed: int) -> None:
    kb = knowledge(name)
    cases = read(kb, bent(kb, 250, seed))
    verdicts = infer_cases(kb, cases)
    walks = table_walks(kb, cases, verdicts)
    assert walks is not None
    group, orders = walks.orders(kb)
    for i, case in enumerate(cases):
        want, whole = ranked_offers(kb, case, verdicts.inference(i))
        assert whole
        assert orders[group[i]] == want, (case.case_id, case.values)


@pytest.mark.parametrize("name", KNOWLEDGE)
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32 - 1))
def test_first_suggestions_and_step_ups_are_the_walks(name: str, seed: int) -> None:
    kb = knowledge(name)
    cases = read(kb, bent(kb, 200, seed))
    verdicts = infer_cases(kb, cases)
    names = [None, *sorted(kb.offers)]
    codes = {offer: code for code, offer in enumerate(names)}
    rankings = Rankings(kb, cases, verdicts.inference, verdicts, codes, frozenset())
    assert rankings.walks is not None and len(rankings.orders) < len(cases)
    rng = random.Random(seed)
    for unavailable in (frozenset(), frozenset(rng.sample(names[1:], 6)), frozenset(rng.sample(names[1:], 15))):
        struck = np.array([offer in unavailable for offer in names], dtype=bool)
        at_once = rankings.first_codes(struck)
        some = np.array(sorted(rng.sample(range(len(cases)), 40)), dtype=np.int64)
        assert rankings.first_codes(struck, some).tolist() == at_once[some].tolist()
        for i, case in enumerate(cases):
            want = suggested_offer(kb, case, verdicts.inference(i), unavailable=unavailable)
            assert rankings.first(i, unavailable) == want
            assert names[at_once[i]] == want
    offer = rng.choice(names[1:])
    for i in range(len(cases)):
        lead = rankings.lead(i)
        assert _stepped(kb, cases[i], verdicts.inference(i), offer) == _stepped(
            kb, cases[lead], verdicts.inference(lead), offer), (cases[i].case_id, cases[lead].case_id)


def _stepped(kb: Knowledge, case: Any, inference: Any, offer: str) -> str | None:
    """The case's first suggestion once `offer` is tried without effect (as `SideEvaluation.step_up`)."""
    from dataclasses import replace

    from engine.cases.files import Case

    values = {**case.values, "tried_offers": [*case.values.get("tried_offers", []), (offer, "insufficient")]}
    return suggested_offer(kb, Case(case.model, values, case.source),
                           replace(inference, values={**inference.values, "tried_offers": values["tried_offers"]}))


def test_a_list_of_cases_has_no_table_walk() -> None:
    kb = knowledge("shipped")
    cases = read(kb, bent(kb, 20, 1))
    verdicts = infer_cases(kb, cases)
    assert table_walks(kb, list(cases), verdicts) is None
    assert table_walks(kb, cases, verdicts) is not None


@given(st.integers(1, 60), st.integers(1, 20), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_rows_are_grouped_as_equal_rows_also_when_their_hashes_collide(n: int, width: int, values: int,
                                                                         seed: int) -> None:
    rows = np.random.default_rng(seed).integers(0, values, size=(n, width)).astype(np.uint8)
    _, want_first, want = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    for hashed in (None, lambda r: np.zeros(len(r), dtype=np.uint64), lambda r: r[:, 0].astype(np.uint64)):
        first, group = row_groups(rows) if hashed is None else row_groups(rows, hashed)
        assert np.array_equal(rows, rows[first[group]])  # every row's group holds its equal
        assert len(first) == len(want_first)  # and no two groups hold equal rows
