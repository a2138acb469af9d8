"""Effects on case facts: a changed profile goes through the rules again, and the rules decide its offer."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cases.files import case_from_source
from engine.evaluate.durable import infer
from engine.files.source import Source
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.render.simulate.markdown import render as render_markdown
from engine.suggest.visitation import suggested_offer
from engine.text.diagnostics import InputError
from tests.test_simulate import SCENARIOS, cli, run_file, write

PUPIL = ("case_id,decision_date,ladder,age,grade,absence_pct,school_refusal,diagnoses,difficulties,sdq_total\n"
         "P-1,2025-01-15,skole,11,5,60,false,angst,socio_emotionelle,12\n")


def _scenario(tmp_path: Path, value: int, share: float = 1, model: str = "steady_state", extra: str = "",
              pupils: str = PUPIL) -> Path:
    cohort = write(tmp_path, "elev.csv", pupils)
    return write(tmp_path, f"s_{value}.yaml", f"""\
kind: scenario
id: fravaer
title: Fravær
cohort: {cohort}
cohort_model: {model}
years: {{first: 2025, last: 2026}}
price_year: 2023
case_effects:
  - id: fremmoede
    label: Eleven kommer i skole
    when: {{ladder: skole, absence_pct: {{gte: 50}}}}
    set: {{absence_pct: {value}}}
    share: {share}
""" + extra)


def _suggest(kb, values: dict) -> str | None:
    case = case_from_source(Source("<elev>", values, {}), kb)
    return suggested_offer(kb, case, infer(kb, case.values, case.model.decision_date))


def test_a_case_moves_rung_only_because_its_absence_changed(tmp_path: Path) -> None:
    path = _scenario(tmp_path, 0)
    result = run_file(path, runs=3)
    effect = result["case_effects"][0]
    assert effect["reached"] == 1
    # Absence of 60 % is worrying absence and school refusal: with socio-emotional difficulties the rules
    # ask for a mellemform. At 0 % the same pupil (anxiety and socio-emotional difficulties) needs
    # support in the general class: nothing but the absence changed.
    assert [(m["from"], m["to"], m["count"]) for m in effect["moves"]] == [("mellemform_lokal", "stoette_3a", 1)]
    year = result["years"]["2025"]
    assert year["baseline_cost"] == 110_000 and year["scenario_cost"] == 90_000
    assert year["potential"] == -20_000
    # The same answer as `ladder suggest` gives for the pupil written with 0 % absence.
    source, scenario = load_scenario(path)
    kb = side_knowledge(source, scenario)["scenario"]
    pupil = {"case_id": "P-1", "decision_date": "2025-01-15", "ladder": "skole", "age": 11, "grade": 5,
             "school_refusal": False, "diagnoses": ["angst"], "difficulties": ["socio_emotionelle"], "sdq_total": 12}
    assert _suggest(kb, {**pupil, "absence_pct": 60}) == "mellemform_lokal"
    assert _suggest(kb, {**pupil, "absence_pct": 0}) == "stoette_3a"


def test_a_change_the_rules_do_not_care_about_changes_nothing(tmp_path: Path) -> None:
    # 55 % is still above 50 %: the rules decide as before, so no typed number can move the case.
    result = run_file(_scenario(tmp_path, 55), runs=3)
    assert result["case_effects"][0]["moves"] == []
    assert all(y["potential"] == 0 for y in result["years"].values())


def test_the_share_is_drawn_per_case_and_run(tmp_path: Path) -> None:
    cohort = "".join(PUPIL.splitlines(keepends=True)[1:]).replace("P-1", "P-{n}")
    pupils = PUPIL + "".join(cohort.replace("{n}", str(n)) for n in range(2, 51))
    room = "".join(f"{side}:\n  change_offers: [{{id: mellemform_lokal, capacity: {{places: 100}}}}]\n"
                   for side in ("baseline", "scenario"))
    steady = run_file(_scenario(tmp_path, 0, share=0.4, extra=room, pupils=pupils), runs=400, seed=2)
    # 50 pupils × 40 % × 20.000 kr. saved each.
    assert abs(steady["years"]["2025"]["potential"] + 400_000) <= 25_000
    assert steady["years"]["2025"]["p10"] < steady["years"]["2025"]["p90"]
    fixed = run_file(_scenario(tmp_path, 0, share=0.4, model="fixed", extra=room, pupils=pupils), runs=400, seed=2)
    # One cohort followed: the change is drawn once, so each run's two years are the same.
    assert fixed["years"]["2025"]["potential"] == fixed["years"]["2026"]["potential"]
    assert fixed["years"]["2026"]["cumulative_p10"] == 2 * fixed["years"]["2025"]["p10"]


def test_holbaek_absence_programme() -> None:
    result = run_file(SCENARIOS / "holbaek_fravaer.yaml", runs=500, seed=1)
    years = result["years"]
    assert years["2019"]["investment"] == 1_200_000
    assert years["2019"]["potential"] == years["2020"]["potential"] == 0
    effect = result["case_effects"][0]
    assert effect["reached"] == 20 and effect["share"] == 0.4 and effect["from"] == 2021
    # Every move is a step down the school ladder, decided by the rules.
    assert effect["moves"] and all(m["annual_difference"] < 0 for m in effect["moves"])
    for year in ("2021", "2022", "2023"):
        assert -2_600_000 < years[year]["potential"] < -1_600_000
    assert result["payback_year"] == 2021
    assert result["present_value"]["payback_year"] == 2021
    text = render_markdown(result, "da")
    assert "Skolefravær seneste kvartal: 0 %; Skolevægring (ufrivilligt skolefravær): nej" in text


def test_skanderborg_flats() -> None:
    result = run_file(SCENARIOS / "skanderborg_boliger.yaml", runs=1)
    for year in ("2016", "2017", "2018", "2019", "2020"):
        # 14 flats × (720.000 − 420.000): 4,2 mio. kr. a year against the seed's "about 5 mio."
        assert result["years"][year]["potential"] == -14 * 300_000
        assert result["years"][year]["unplaced"] == 2
    assert result["years"]["2016"]["investment"] == 2_800_000
    assert result["moves"] == [{"from": "midlertidigt_107", "from_name": "Midlertidigt botilbud (§ 107)",
                                "to": "almen_bolig_105",
                                "to_name": "Egen almen bolig med tæt bostøtte (almenboligloven § 105, stk. 2, og § 85)",
                                "count": 14, "annual_difference": -4_200_000, "year": 2020}]
    assert result["payback_year"] == 2016


HEAD = "kind: scenario\nid: x\ntitle: X\nyears: {first: 2025, last: 2025}\nprice_year: 2024\n"
EFFECT = "case_effects:\n  - id: a\n    label: A\n    share: 0.4\n"


@pytest.mark.parametrize(("extra", "line", "code"), [
    ("    when: {absence: {gte: 50}}\n    set: {absence_pct: 0}\n", 10, "unknown-ref"),
    ("    when: {skolevaegring: true}\n    set: {absense_pct: 0}\n", 11, "unknown-ref"),
    ("    when: {absence_pct: {gte: \"50\"}}\n    set: {absence_pct: 0}\n", 10, "value-type"),
    ("    when: {diagnoses: {contains: ondt}}\n    set: {absence_pct: 0}\n", 10, "unknown-ref"),
    ("    when: {any: [{skolevaegring: true}, {grade: {contains: x}}]}\n    set: {absence_pct: 0}\n", 10,
     "operator-type"),
    ("    when: {skolevaegring: true}\n    set: {ladder: voksen}\n", 11, "case-effect-field"),
    ("    when: {skolevaegring: true}\n    set: {current_offer: stoette_3a}\n", 11, "case-effect-field"),
    ("    when: {skolevaegring: true}\n    set: {absence_pct: 150}\n", 11, "case-effect-value"),
    ("    when: {skolevaegring: true}\n    set: {school_refusal: nej}\n", 11, "case-effect-value"),
    ("    when: {skolevaegring: true}\n    set: {diagnoses: [angst, ondt]}\n", 11, "case-effect-value"),
    ("    when: {skolevaegring: true}\n    set: {grade: 2.5}\n", 11, "case-effect-value"),
    ("    when: {skolevaegring: true}\n    set: {}\n", 11, "too-short"),
    ("    when: {skolevaegring: true}\n    set: {absence_pct: 0}\n    from: 2031\n", 12, "outside-horizon"),
    ("    when: {skolevaegring: true}\n    set: {absence_pct: 0}\n    share: 1.4\n", 12, "unknown-key"),
])
def test_bad_case_effects_name_the_line(tmp_path: Path, extra: str, line: int, code: str) -> None:
    text = HEAD + EFFECT + extra
    if "share: 1.4" in extra:  # a key twice is refused by the YAML reader at the second one
        text = HEAD + EFFECT.replace("share: 0.4", "share: 1.4") + extra.replace("    share: 1.4\n", "")
        line, code = 9, "out-of-range"
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as error:
        source, parsed = load_scenario(path)
        side_knowledge(source, parsed)
    found = [(d.line, d.code) for d in error.value.diagnostics]
    assert (line, code) in found, found


def test_duplicate_case_effect_ids_and_cli_languages(tmp_path: Path) -> None:
    one = "  - {id: a, label: A, share: 1, when: {skolevaegring: true}, set: {absence_pct: 0}}\n"
    path = write(tmp_path, "dup.yaml", HEAD + "case_effects:\n" + one + one)
    da = cli("simulate", str(path))
    en = cli("simulate", str(path), "--lang", "en")
    assert da.returncode == en.returncode == 1
    assert f"{path}:6:1" in da.stderr, da.stderr
    assert "et id står to gange under case_effects" in da.stderr
    assert "an id is in case_effects twice" in en.stderr
