"""A synthetic, anonymised cohort over the three shipped ladders, for demos, tests and benchmarks.

No case stands for a real person: every value is drawn from the distributions documented, with a
justification each, in docs/synth.md. The facts are drawn together so that they correlate the way
the rules expect (high absence with school refusal, neglect with insufficient parenting capacity,
severe VUM function levels with a high support need), so every rung of every ladder gets cases.

The draws are vectorised with numpy per ladder; only the final dictionaries are built in Python.
Every value is a plain Python object (int, float, bool, str, date, list, dict), exactly as a case
YAML file would give it, so `engine.cases.files.case_from_source` accepts the dictionaries unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.knowledge.assemble import Knowledge

LADDER_MIX: dict[str, float] = {"skole": 0.40, "boern": 0.35, "voksen": 0.25}
"""Share of cases per ladder (an assumption for demos; see docs/synth.md)."""

MISSING: dict[str, dict[str, float]] = {
    "skole": {"grade": 0.02, "absence_pct": 0.05, "school_refusal": 0.10, "diagnoses": 0.10,
              "difficulties": 0.10, "risks": 0.30, "sdq_total": 0.35},
    "boern": {"diagnoses": 0.20, "risks": 0.05, "sdq_total": 0.25, "parenting_capacity_sufficient": 0.25,
              "placement_considered": 0.15, "can_live_at_home_with_support": 0.15,
              "network_foster_family_available": 0.15, "needs_support_at_night": 0.40},
    "voksen": {"diagnoses": 0.15, "risks": 0.10, "function_levels": 0.10, "function_levels.theme": 0.05,
               "support_need": 0.10, "can_live_at_home_with_support": 0.10, "needs_support_at_night": 0.40},
}
"""Share of cases in which an optional field is left out, as in real case files (docs/synth.md)."""

CURRENT_OFFER_RATE: dict[str, float] = {"skole": 0.60, "boern": 0.55, "voksen": 0.50}
TRIED_RATE = 0.35
"""Share of cases with a current offer above the first tryable rung that also record a tried one."""
INSUFFICIENT_SHARE = 0.75
HOMELESS_RATE = 0.10
HOMELESS_CURRENT_OFFER_RATE = 0.10
"""Homeless citizens are mostly at a § 110 shelter, which is direct admission and not on the ladder."""

THEMES = ("relationer", "kommunikation", "mobilitet", "egenomsorg", "samfundsliv", "praktiske_opgaver")
THEME_OFFSET = {"relationer": 0.2, "kommunikation": -0.3, "mobilitet": -1.0, "egenomsorg": -0.1,
                "samfundsliv": 0.5, "praktiske_opgaver": 0.2}
"""Relative to the person's overall level: mobility is rarely the problem, community life often is."""

# Current offer per need tier (0 = nothing notable ... 3 = the highest tier); weights are renormalised
# over the offers the knowledge base actually has on the case's ladder.
CURRENT_OFFERS: dict[str, dict[int, dict[str, float]]] = {
    "skole": {
        0: {"almen_undervisning": 0.85, "stoette_3a": 0.15},
        1: {"almen_undervisning": 0.45, "stoette_3a": 0.45, "mellemform_lokal": 0.10},
        2: {"almen_undervisning": 0.15, "stoette_3a": 0.40, "mellemform_lokal": 0.25, "specialklasse_egen": 0.20},
        3: {"stoette_3a": 0.20, "mellemform_lokal": 0.15, "specialklasse_egen": 0.25, "specialskole_kommunal": 0.10,
            "ekstern_specialskole": 0.25, "dagbehandling_ekstern": 0.05},
    },
    "boern": {
        0: {"aaben_raadgivning": 0.80, "fast_kontaktperson": 0.10, "familiebehandling": 0.10},
        1: {"aaben_raadgivning": 0.30, "fast_kontaktperson": 0.35, "familiebehandling": 0.35},
        2: {"fast_kontaktperson": 0.20, "familiebehandling": 0.40, "stoette_i_hjemmet": 0.40},
        3: {"stoette_i_hjemmet": 0.35, "netvaerksplejefamilie": 0.15, "plejefamilie": 0.30, "opholdssted": 0.15,
            "boerne_ungehjem": 0.05},
    },
    "voksen": {
        0: {"gruppeforloeb_82a": 0.50, "individuel_82b": 0.50},
        1: {"individuel_82b": 0.30, "bostoette_85": 0.70},
        2: {"bostoette_85": 0.50, "midlertidigt_107": 0.50},
        3: {"midlertidigt_107": 0.60, "laengerevarende_108": 0.40},
    },
}
TRYABLE: dict[str, tuple[str, ...]] = {
    "skole": ("stoette_3a", "mellemform_lokal", "specialklasse_egen"),
    "boern": ("fast_kontaktperson", "familiebehandling", "stoette_i_hjemmet"),
    "voksen": ("individuel_82b", "bostoette_85", "midlertidigt_107"),
}
"""Offers a case may have tried before it reached its current offer (below that offer's rung)."""

Columns = dict[str, list[Any]]


def _p(rng: np.random.Generator, p: float | np.ndarray, m: int) -> np.ndarray:
    """A Bernoulli draw per case with probability `p` (a number or one per case)."""
    return rng.random(m) < p


def _noisy_or(base: float | np.ndarray, *causes: tuple[float, np.ndarray]) -> np.ndarray:
    """P(present) when a base rate and each present cause independently bring the trait about."""
    absent = 1.0 - np.asarray(base, dtype=float)
    for weight, cause in causes:
        absent = absent * (1.0 - weight * cause)
    return 1.0 - absent


def _ages(rng: np.random.Generator, m: int, bands: Sequence[tuple[int, int, float]]) -> np.ndarray:
    """Ages drawn by band, then uniformly within the band."""
    band = rng.choice(len(bands), size=m, p=[b[2] for b in bands])
    low = np.array([b[0] for b in bands])[band]
    high = np.array([b[1] for b in bands])[band]
    return low + np.floor(rng.random(m) * (high - low + 1)).astype(np.int64)


def _kept(rng: np.random.Generator, m: int, rate: float) -> np.ndarray:
    return rng.random(m) >= rate


def _column(values: np.ndarray, kept: np.ndarray) -> list[Any]:
    """Plain Python values (never numpy scalars: the case model is strict), None where left out."""
    return [v if k else None for v, k in zip(values.tolist(), kept.tolist(), strict=True)]


def _lists(flags: dict[str, np.ndarray], kept: np.ndarray, allowed: Sequence[str] | None) -> list[Any]:
    """A fresh list of the present values per case, in the schema's order; None where left out."""
    names = [name for name in flags if allowed is None or name in allowed]
    m = len(kept)
    bits = np.zeros(m, dtype=np.int64)
    for i, name in enumerate(names):
        bits |= flags[name].astype(np.int64) << i
    table = [tuple(names[i] for i in range(len(names)) if mask >> i & 1) for mask in range(1 << len(names))]
    return [list(table[b]) if k else None for b, k in zip(bits.tolist(), kept.tolist(), strict=True)]


def _offers(rng: np.random.Generator, ladder: str, tier: np.ndarray, has: np.ndarray,
            kb: Knowledge) -> tuple[list[Any], list[Any]]:
    """Current offer per case from the tier tables, and a tried offer on a lower rung for some."""
    m = len(tier)
    pick = rng.random(m)
    tried_has = rng.random(m) < TRIED_RATE
    tried_pick = rng.random(m)
    insufficient = rng.random(m) < INSUFFICIENT_SHARE

    def on_ladder(offer: str) -> bool:
        return offer in kb.offers and kb.offers[offer].ladder == ladder

    def rung(offer: str) -> int:
        return kb.rung_position[kb.offers[offer].rung][1]

    current = np.full(m, -1, dtype=np.int64)
    names: list[str] = []
    for level, table in CURRENT_OFFERS[ladder].items():
        usable = [(o, w) for o, w in table.items() if on_ladder(o)]
        mask = (tier == level) & has
        if not usable or not mask.any():
            continue
        offset = len(names)
        names.extend(o for o, _ in usable)
        weights = np.array([w for _, w in usable])
        cum = np.cumsum(weights / weights.sum())
        current[mask] = offset + np.minimum(np.searchsorted(cum, pick[mask], side="right"), len(usable) - 1)
    tryable = [o for o in TRYABLE[ladder] if on_ladder(o)]
    below = {o: [t for t in tryable if rung(t) < rung(o)] for o in set(names)}
    current_col: list[Any] = []
    tried_col: list[Any] = []
    for c, th, tp, ins in zip(current.tolist(), tried_has.tolist(), tried_pick.tolist(), insufficient.tolist(),
                              strict=True):
        if c < 0:
            current_col.append(None)
            tried_col.append(None)
            continue
        offer = names[c]
        current_col.append(offer)
        options = below[offer]
        if th and options:
            tried_col.append([{"offer": options[int(tp * len(options))],
                               "outcome": "insufficient" if ins else "ended"}])
        else:
            tried_col.append(None)
    return current_col, tried_col


def _pupil_draws(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
    """A school cohort's traits, drawn in a fixed order (the seed gives the same cohort)."""
    age = _ages(rng, m, ((6, 9, 0.30), (10, 12, 0.30), (13, 16, 0.40)))
    grade = np.clip(age - 6, 0, 10)
    teen, udskoling = age >= 12, age >= 13
    adhd = _p(rng, 0.20, m)
    autisme = _p(rng, 0.15, m)
    pda = _p(rng, np.where(autisme, 0.20, 0.005), m)
    angst = _p(rng, 0.08 + 0.06 * teen, m)
    depression = teen & _p(rng, 0.05, m)
    udv = _p(rng, 0.05, m)
    spise = teen & _p(rng, 0.015, m)
    tilknyt = _p(rng, 0.03, m)
    psykose = udskoling & _p(rng, 0.003, m)

    log_absence = (np.log(3.5) + 0.10 * (age - 6) + 0.5 * autisme + 0.4 * pda + 0.7 * angst + 0.6 * depression
                   + rng.normal(0.0, 1.0, m))
    absence = np.round(np.clip(np.exp(log_absence), 0.0, 100.0), 1)
    band = np.select([absence >= 50, absence >= 25, absence > 10], [0.90, 0.55, 0.20], 0.02)
    refusal = _p(rng, _noisy_or(band, (0.05, angst | autisme | pda)), m)

    socio = _p(rng, _noisy_or(0.15, (0.4, angst), (0.4, depression), (0.25, adhd), (0.35, autisme | pda),
                              (0.5, tilknyt), (0.3, refusal)), m)
    laering = _p(rng, _noisy_or(0.15, (0.9, udv), (0.25, adhd)), m)
    sociale = _p(rng, _noisy_or(0.10, (0.5, autisme), (0.2, adhd)), m)
    sprog = _p(rng, _noisy_or(np.where(age < 9, 0.12, 0.06), (0.2, autisme), (0.3, udv)), m)
    sanse = _p(rng, _noisy_or(0.03, (0.3, autisme), (0.3, pda), (0.1, adhd)), m)
    forudsigelighed = _p(rng, _noisy_or(0.04, (0.55, autisme), (0.5, pda), (0.15, angst)), m)

    vold = _p(rng, _noisy_or(0.03, (0.05, adhd), (0.10, tilknyt)), m)
    selvskade = teen & _p(rng, _noisy_or(0.04, (0.25, depression), (0.3, spise), (0.05, angst)), m)
    omsorgssvigt = _p(rng, _noisy_or(0.03, (0.3, tilknyt)), m)
    misbrug = udskoling & _p(rng, 0.02, m)
    krim = udskoling & _p(rng, 0.02, m)

    sdq = np.clip(np.round(10.5 + 4 * adhd + 3 * autisme + 2 * pda + 3 * angst + 3 * depression + 2 * tilknyt
                           + 3 * refusal + 2 * socio + rng.normal(0.0, 4.5, m)), 0, 40).astype(np.int64)
    return dict(locals())


def _skole(rng: np.random.Generator, m: int, kb: Knowledge) -> tuple[Columns, np.ndarray]:
    miss = MISSING["skole"]
    d = _pupil_draws(rng, m)
    age, grade, absence, refusal, sdq, udskoling = (d["age"], d["grade"], d["absence"], d["refusal"], d["sdq"],
                                                    d["udskoling"])
    adhd, autisme, pda, angst, udv, socio = d["adhd"], d["autisme"], d["pda"], d["angst"], d["udv"], d["socio"]
    worrying, abnormal = absence > 10, sdq >= 17
    tier = np.select(
        [(refusal | (absence >= 50)) & (autisme | pda | (udskoling & socio)),
         (worrying & (socio | abnormal)) | udv,
         worrying | abnormal | adhd | autisme | pda | angst],
        [3, 2, 1], 0)

    allowed = _allowed(kb)
    columns: Columns = {
        "age": age.tolist(),
        "grade": _column(grade, _kept(rng, m, miss["grade"])),
        "absence_pct": _column(absence, _kept(rng, m, miss["absence_pct"])),
        "school_refusal": _column(refusal, _kept(rng, m, miss["school_refusal"])),
        "diagnoses": _lists({"adhd": adhd, "autisme": autisme, "pda_profil": pda, "angst": angst,
                             "depression": d["depression"], "udviklingshaemning": udv, "spiseforstyrrelse": d["spise"],
                             "tilknytningsforstyrrelse": d["tilknyt"], "psykose": d["psykose"]},
                            _kept(rng, m, miss["diagnoses"]), allowed.get("diagnoses")),
        "difficulties": _lists({"socio_emotionelle": socio, "indlaeringsvanskeligheder": d["laering"],
                                "sociale": d["sociale"], "sproglige": d["sprog"], "sanseintegration": d["sanse"],
                                "behov_for_forudsigelighed": d["forudsigelighed"]},
                               _kept(rng, m, miss["difficulties"]), allowed.get("difficulties")),
        "risks": _lists({"misbrug": d["misbrug"], "kriminalitet": d["krim"], "selvskade": d["selvskade"],
                         "vold": d["vold"], "omsorgssvigt": d["omsorgssvigt"]}, _kept(rng, m, miss["risks"]),
                        allowed.get("risks")),
        "sdq_total": _column(sdq, _kept(rng, m, miss["sdq_total"])),
    }
    return columns, tier


def _boern(rng: np.random.Generator, m: int, kb: Knowledge) -> tuple[Columns, np.ndarray]:
    miss = MISSING["boern"]
    age = _ages(rng, m, ((0, 5, 0.25), (6, 11, 0.30), (12, 15, 0.27), (16, 17, 0.18)))
    teen, young = age >= 12, age >= 16
    adhd = (age >= 4) & _p(rng, 0.12, m)
    autisme = _p(rng, 0.07, m)
    pda = _p(rng, np.where(autisme, 0.15, 0.0), m)
    angst = _p(rng, 0.06 + 0.04 * teen, m)
    depression = teen & _p(rng, 0.05, m)
    udv = _p(rng, 0.04, m)
    spise = teen & _p(rng, 0.01, m)
    tilknyt = _p(rng, 0.06, m)
    psykose = young & _p(rng, 0.005, m)

    omsorgssvigt = _p(rng, np.select([age < 6, age < 12], [0.30, 0.22], 0.15), m)
    vold = (age >= 8) & _p(rng, _noisy_or(0.08, (0.08, adhd), (0.10, tilknyt)), m)
    selvskade = teen & _p(rng, _noisy_or(0.08, (0.3, depression), (0.3, spise)), m)
    misbrug = _p(rng, np.select([young, age >= 14], [0.25, 0.08], 0.0), m)
    krim = teen & _p(rng, _noisy_or(0.10, (0.3, misbrug)), m)
    serious = vold | selvskade | misbrug

    insufficient = _p(rng, _noisy_or(0.10, (0.55, omsorgssvigt)), m)
    cannot_live = _p(rng, _noisy_or(0.03, (0.40, omsorgssvigt & insufficient), (0.10, omsorgssvigt),
                                    (0.10, serious), (0.05, tilknyt)), m)
    placement = _p(rng, np.where(cannot_live, 0.90, _noisy_or(0.04, (0.6, misbrug & young), (0.15, serious),
                                                               (0.2, insufficient))), m)
    network = _p(rng, 0.35, m)
    night = _p(rng, _noisy_or(0.03, (0.5, udv), (0.35, misbrug & young), (0.1, autisme)), m)
    sdq = np.clip(np.round(11.0 + 5 * omsorgssvigt + 4 * serious + 4 * adhd + 3 * autisme + 2 * angst + 3 * tilknyt
                           + 2 * krim + 3 * cannot_live + rng.normal(0.0, 4.5, m)), 0, 40).astype(np.int64)

    tier = np.select([cannot_live, omsorgssvigt | insufficient | (misbrug & young) | (night & young),
                      (sdq >= 17) | krim | adhd | autisme | angst | udv], [3, 2, 1], 0)

    allowed = _allowed(kb)
    in_play = placement | cannot_live  # a network family is only looked for when placement is in play
    columns: Columns = {
        "age": age.tolist(),
        "diagnoses": _lists({"adhd": adhd, "autisme": autisme, "pda_profil": pda, "angst": angst,
                             "depression": depression, "udviklingshaemning": udv, "spiseforstyrrelse": spise,
                             "tilknytningsforstyrrelse": tilknyt, "psykose": psykose},
                            _kept(rng, m, miss["diagnoses"]), allowed.get("diagnoses")),
        "risks": _lists({"misbrug": misbrug, "kriminalitet": krim, "selvskade": selvskade, "vold": vold,
                         "omsorgssvigt": omsorgssvigt}, _kept(rng, m, miss["risks"]), allowed.get("risks")),
        # The SDQ parent form starts at age 2; younger children never have a score.
        "sdq_total": _column(sdq, _kept(rng, m, miss["sdq_total"]) & (age >= 2)),
        "parenting_capacity_sufficient": _column(~insufficient, _kept(rng, m, miss["parenting_capacity_sufficient"])),
        "placement_considered": _column(placement, _kept(rng, m, miss["placement_considered"])),
        "network_foster_family_available": _column(
            network, _kept(rng, m, miss["network_foster_family_available"]) & in_play),
        "can_live_at_home_with_support": _column(~cannot_live, _kept(rng, m, miss["can_live_at_home_with_support"])),
        # Night support is assessed for young people from 14, who are near the adult area.
        "needs_support_at_night": _column(night, _kept(rng, m, miss["needs_support_at_night"]) & (age >= 14)),
    }
    return columns, tier


def _adult_draws(rng: np.random.Generator, m: int) -> dict[str, Any]:
    """An adult cohort's traits, drawn in a fixed order (the seed gives the same cohort)."""
    age = _ages(rng, m, ((18, 23, 0.15), (24, 39, 0.35), (40, 59, 0.35), (60, 80, 0.15)))
    udv = _p(rng, 0.18, m)
    autisme = _p(rng, 0.12, m)
    pda = _p(rng, np.where(autisme, 0.05, 0.0), m)
    adhd = _p(rng, 0.12, m)
    angst = _p(rng, 0.20, m)
    depression = _p(rng, 0.25, m)
    psykose = _p(rng, 0.15, m)
    spise = _p(rng, 0.02, m)
    tilknyt = _p(rng, 0.02, m)

    homeless = _p(rng, HOMELESS_RATE, m)
    misbrug = _p(rng, _noisy_or(0.15, (0.5, homeless)), m)
    selvskade = _p(rng, _noisy_or(0.05, (0.05, depression | psykose)), m)
    vold = _p(rng, _noisy_or(0.04, (0.05, psykose)), m)
    krim = _p(rng, _noisy_or(0.04, (0.10, misbrug), (0.10, homeless)), m)
    cost_group = rng.integers(1, 6, m)

    general = (rng.normal(0.0, 1.0, m) + 1.0 * udv + 0.6 * psykose + 0.4 * autisme + 0.3 * homeless
               + 0.2 * misbrug)
    levels = {}
    for theme in THEMES:
        extra = 1.0 * udv if theme in ("kommunikation", "egenomsorg", "praktiske_opgaver") else 0.0
        if theme == "mobilitet":
            extra = extra + 0.5 * (age >= 65)
        raw = 1.3 + 0.9 * general + THEME_OFFSET[theme] + extra + rng.normal(0.0, 0.7, m)
        levels[theme] = np.clip(np.round(raw), 0, 4).astype(np.int64)
    mean = sum(levels.values()) / len(THEMES)
    lasting = (levels["egenomsorg"] == 4) & (levels["praktiske_opgaver"] == 4)
    need_score = mean + rng.normal(0.0, 0.3, m)
    need = np.digitize(need_score, [0.6, 1.3, 2.1, 2.9])
    need = np.where(lasting, np.maximum(need, 3), need)
    need_names = np.array(["intet", "let", "moderat", "hoejt", "fuldstaendigt"])
    cannot_live = _p(rng, np.where(homeless, 0.12, _noisy_or(0.03, (0.6, need == 4), (0.25, need == 3),
                                                             (0.6, lasting))), m)
    night = _p(rng, _noisy_or(0.03, (0.3, udv), (0.3, mean >= 2.5), (0.1, autisme)), m)
    return dict(locals())


def _voksen(rng: np.random.Generator, m: int, kb: Knowledge) -> tuple[Columns, np.ndarray, np.ndarray]:
    miss = MISSING["voksen"]
    d = _adult_draws(rng, m)
    age, levels, lasting, cannot_live, need, homeless = (d["age"], d["levels"], d["lasting"], d["cannot_live"],
                                                         d["need"], d["homeless"])
    tier = np.select([lasting & cannot_live, cannot_live, (need >= 2) | (np.stack(list(levels.values())) >= 3).any(0)],
                     [3, 2, 1], 0)

    allowed = _allowed(kb)
    whole = _kept(rng, m, miss["function_levels"])
    theme_cols = [_column(levels[t], _kept(rng, m, miss["function_levels.theme"])) for t in THEMES]
    function_levels = [
        ({t: v for t, v in zip(THEMES, row, strict=True) if v is not None} or None) if k else None
        for k, row in zip(whole.tolist(), zip(*theme_cols, strict=True), strict=True)
    ]
    # Homelessness is always known in the case of a homeless citizen, so risks are never left out there.
    risks_kept = _kept(rng, m, miss["risks"]) | homeless
    columns: Columns = {
        "age": age.tolist(),
        "diagnoses": _lists({k: d[v] for k, v in (("adhd", "adhd"), ("autisme", "autisme"), ("pda_profil", "pda"),
                                                  ("angst", "angst"), ("depression", "depression"),
                                                  ("udviklingshaemning", "udv"), ("spiseforstyrrelse", "spise"),
                                                  ("tilknytningsforstyrrelse", "tilknyt"), ("psykose", "psykose"))},
                            _kept(rng, m, miss["diagnoses"]), allowed.get("diagnoses")),
        "risks": _lists({"misbrug": d["misbrug"], "kriminalitet": d["krim"], "selvskade": d["selvskade"],
                         "vold": d["vold"], "hjemloeshed": homeless}, risks_kept, allowed.get("risks")),
        "function_levels": function_levels,
        "support_need": _column(d["need_names"][need], _kept(rng, m, miss["support_need"])),
        "can_live_at_home_with_support": _column(~cannot_live, _kept(rng, m, miss["can_live_at_home_with_support"])),
        "needs_support_at_night": _column(
            d["night"], _kept(rng, m, miss["needs_support_at_night"]) | ((age <= 23) & _p(rng, 0.85, m))),
        # VIVE 2020 cost quintiles: uniform by construction, and only for homeless citizens.
        "cost_group": _column(d["cost_group"], homeless),
    }
    return columns, tier, homeless


def _allowed(kb: Knowledge) -> dict[str, list[str]]:
    return {spec.id: list(spec.values) for spec in kb.schema.fields if spec.values}


def _year_from(start: dt.date) -> int:
    """Days in the 12 months from `start` (365 or 366)."""
    try:
        end = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        end = dt.date(start.year + 1, 3, 1)
    return (end - start).days


def synthesize(n: int, seed: int, kb: Knowledge, start: dt.date = dt.date(2025, 1, 1)) -> list[dict[str, Any]]:
    """`n` synthetic case dictionaries, shaped exactly as case YAML files; same (n, seed), same cases.

    Case ids are pseudonyms S-000001... in the order of the decision dates, which are spread over
    the 12 months from `start`. Fields the profile schema of `kb` lacks are left out.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError("n must be an integer")
    if n < 0:
        raise ValueError("n must be 0 or more")
    lacking = [ladder for ladder in LADDER_MIX if ladder not in kb.ladders]
    if lacking:
        raise ValueError(f"the knowledge base lacks the ladder(s) {', '.join(lacking)}")
    n = int(n)
    rng = np.random.default_rng(seed)
    if n == 0:
        return []
    ladder_of = rng.choice(len(LADDER_MIX), size=n, p=list(LADDER_MIX.values()))
    ordinals = np.sort(rng.integers(0, _year_from(start), n)) + start.toordinal()
    dates = [dt.date.fromordinal(o) for o in ordinals.tolist()]
    known = set(kb.schema.by_id)
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for number, ladder in enumerate(LADDER_MIX):
        where = np.flatnonzero(ladder_of == number)
        m = len(where)
        if ladder == "skole":
            columns, tier = _skole(rng, m, kb)
            has = rng.random(m) < CURRENT_OFFER_RATE[ladder]
        elif ladder == "boern":
            columns, tier = _boern(rng, m, kb)
            has = rng.random(m) < CURRENT_OFFER_RATE[ladder]
        else:
            columns, tier, homeless = _voksen(rng, m, kb)
            has = rng.random(m) < np.where(homeless, HOMELESS_CURRENT_OFFER_RATE, CURRENT_OFFER_RATE[ladder])
        columns["current_offer"], columns["tried_offers"] = _offers(rng, ladder, tier, has, kb)
        keys = [key for key in columns if key in known]
        for i, row in zip(where.tolist(), zip(*(columns[k] for k in keys), strict=True), strict=True):
            case = out[i]
            case["case_id"] = f"S-{i + 1:06d}"
            case["decision_date"] = dates[i]
            case["ladder"] = ladder
            case.update((k, v) for k, v in zip(keys, row, strict=True) if v is not None)
    return out
