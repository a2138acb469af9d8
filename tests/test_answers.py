"""What an answer would change, what a cost difference rests on, review and step-down, age and ladder.

The cases here are written for these tests (not the review's cases); the shipped example cases
and rule tests (rules/tests/) pin the same behaviour from a policy officer's side.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine.evaluate.durable import infer
from engine.knowledge.assemble import Knowledge
from engine.suggest.answers import answer_space, questions
from engine.suggest.cohort import suggest_cases
from engine.suggest.suggestion import suggest
from engine.suggest.visitation import add_months, visit
from tests.conftest import make_case

PUPIL_9 = {"ladder": "skole", "age": 15, "grade": 9, "diagnoses": ["autisme"]}
"""A 9th-grader with autism: no need facts entered."""


def answers_of(result: dict, field: str) -> list[dict]:
    return next((q["answers"] for q in result["if_answered"] if q["field"] == field), [])


# --- what an answer would change --------------------------------------------------------------


def test_k17_with_risks_unknown_shows_day_treatment_at_850000(kb: Knowledge) -> None:
    from pathlib import Path

    from engine.cases.files import load_cases
    from tests.conftest import EXAMPLES

    (case,) = load_cases([Path(EXAMPLES / "k17_udskoling_autisme.yaml")], kb)
    result = suggest(kb, case)
    assert result["suggestions"][0]["annual_cost"] == 440000
    risks = answers_of(result, "risks")
    assert {tuple(a["value"]) for a in risks} == {("vold",), ("selvskade",)}
    for answer in risks:
        assert (answer["rung"], answer["rung_number"]) == ("dagbehandling", 6)
        assert answer["offer_id"] == "dagbehandling_ekstern"
        assert (answer["annual_cost"], answer["vs_suggestion"]) == (850000, 410000)
    assert result["possible_rung_max"]["rung"] == "dagbehandling"
    assert result["possible_rung_max"]["if"]["risks"] in (["vold"], ["selvskade"])
    assert result["if_answered"][0]["question"]


def test_only_answers_that_move_the_suggestion_are_listed(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="skole", age=8, grade=2, absence_pct=3, school_refusal=False,
                                   diagnoses=[], difficulties=[], risks=[]))
    # sdq_total is missing, but with no worrying absence no SDQ value changes anything.
    assert "sdq_total" in {m["field"] for m in result["missing_information"]} or True
    assert answers_of(result, "sdq_total") == []
    for question in result["if_answered"]:
        for answer in question["answers"]:
            first = result["suggestions"][0]
            assert (answer["rung_number"], answer["offer_id"]) != (first["rung_number"], first["offer_id"])


def test_answers_are_ordered_by_how_far_they_move(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=16, risks=["misbrug"]))
    present = result["suggested_rung"]["rung_number"]
    far = [max(abs((a["rung_number"] or 0) - present) for a in q["answers"]) for q in result["if_answered"]]
    assert far == sorted(far, reverse=True)
    for q in result["if_answered"]:
        moves = [abs((a["rung_number"] or 0) - present) for a in q["answers"]]
        assert moves == sorted(moves, reverse=True)


def test_answers_that_only_count_together_are_shown_with_each_other(kb: Knowledge) -> None:
    """SPIR needs both that placement is the alternative and that the young person can live at home."""
    result = suggest(kb, make_case(kb, ladder="boern", age=16, risks=["misbrug"]))
    assert result["suggestions"][0]["offer_id"] == "misbrugsbehandling_ung"
    placement = answers_of(result, "placement_considered")
    spir = [a for a in placement if a["offer_id"] == "spir_doegnstoette"]
    assert spir and spir[0]["value"] is True and spir[0]["with"] == {"can_live_at_home_with_support": True}
    alone = [a for a in placement if a["with"] == {}]
    assert alone and alone[0]["rung"] == "hjemmebaseret"


def test_possible_rung_max_is_reached_by_its_condition(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=16, risks=["misbrug"]))
    top = result["possible_rung_max"]
    assert top["rung"] == "institution" and top["rung_number"] == 6
    answered = suggest(kb, make_case(kb, ladder="boern", age=16, risks=["misbrug"], **top["if"]))
    assert answered["suggested_rung"]["rung"] == "institution"


def test_numbers_are_answered_on_each_side_of_each_threshold(kb: Knowledge) -> None:
    absence = {a.label[0]: a.value for a in answer_space(kb)["absence_pct"]}
    assert absence == {"0-10": 0, "over 10 og under 50": 10.0001, "50-100": 50}
    sdq = {a.label[1]: a.value for a in answer_space(kb)["sdq_total"]}
    assert sdq == {"0-16": 0, "17-40": 17}


def test_the_same_answers_from_both_evaluators(kb: Knowledge) -> None:
    cases = [make_case(kb, ladder="boern", age=16, risks=["misbrug"]),
             make_case(kb, ladder="skole", age=14, grade=8, diagnoses=["autisme"], school_refusal=True),
             make_case(kb, ladder="voksen", age=30, risks=["hjemloeshed"]),
             make_case(kb, ladder="boern", age=20, current_offer="opholdssted"),
             make_case(kb, **PUPIL_9, current_offer="ekstern_specialskole", current_offer_outcome="virker")]
    fast = list(suggest_cases(kb, cases))
    for case, got in zip(cases, fast, strict=True):
        assert json.dumps(got, sort_keys=True) == json.dumps(suggest(kb, case), sort_keys=True)


def test_a_case_without_missing_facts_has_no_questions(kb: Knowledge) -> None:
    case = make_case(kb, ladder="voksen", age=40, risks=[], diagnoses=[], support_need="let",
                     function_levels={k: 0 for k in ("relationer", "kommunikation", "mobilitet", "egenomsorg",
                                                     "samfundsliv", "praktiske_opgaver")},
                     can_live_at_home_with_support=True, needs_support_at_night=False)
    inference = infer(kb, case.values, case.model.decision_date)
    result = visit(kb, case, inference)
    assert questions(kb, result, inference).variants == []
    full = suggest(kb, case)
    assert full["if_answered"] == []
    assert all(s["cost_difference"]["basis"] == "certain" for s in full["suggestions"])


# --- no savings from unknowns -----------------------------------------------------------------


def test_a_pupil_whose_special_school_works_is_not_moved_and_shows_no_saving(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, **PUPIL_9, current_offer="ekstern_specialskole",
                                   current_offer_outcome="virker", current_offer_since="2023-08-15"))
    first = result["suggestions"][0]
    assert (first["offer_id"], first["rung"]) == ("ekstern_specialskole", "specialskole")
    assert result["review"]["status"] == "hold_unknown"
    assert result["review"]["unknown_fields"]
    assert result["review"]["months_in_offer"] == 18
    for suggestion in result["suggestions"]:
        cost = suggestion["cost_difference"]
        assert cost["vs_current"] is None or cost["vs_current"] >= 0
        assert cost["basis"] == "depends_on_missing" and cost["depends_on"]
    assert any("Opfølgning nødvendig" in w for w in result["warnings"])
    assert not any(r["rule_id"] == "almenklasse" for r in first["reasons"])


def test_without_an_outcome_the_current_offer_is_still_evidence_of_a_need(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, **PUPIL_9, current_offer="ekstern_specialskole"))
    assert result["suggested_rung"]["rung"] == "specialskole"
    assert result["review"]["status"] == "hold_unknown"
    assert all(s["cost_difference"]["vs_current"] is None or s["cost_difference"]["vs_current"] >= 0
               for s in result["suggestions"])
    assert any(s["cost_difference"]["withheld"] for s in result["suggestions"])


REDUCED = {"absence_pct": 2, "school_refusal": False, "difficulties": [], "risks": [], "sdq_total": 9}
"""The need facts of a 9th-grader who is doing well."""


def test_at_review_with_a_reduced_need_one_rung_down(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, **PUPIL_9, **REDUCED, current_offer="ekstern_specialskole",
                                   current_offer_outcome="virker"))
    assert result["suggested_rung"]["rung"] == "specialklasse"
    review = result["review"]
    assert review["status"] == "step_down"
    assert review["step_down"] == {"from_rung": "specialskole", "from_rung_number": 5, "to_rung": "specialklasse",
                                   "to_rung_number": 4, "max_rungs": 1, "direct": False}
    assert review["follow_up_date"] == "2025-09-10"
    assert any(r["rule_id"] == "opfoelgning" for r in result["suggestions"][0]["reasons"])
    assert result["suggestions"][0]["cost_difference"]["basis"] == "certain"


def test_the_step_down_limit_is_a_rule_set_setting(content, tmp_path) -> None:
    from engine.knowledge.assemble import load_knowledge

    rules, catalogs = content
    path = rules / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ladders: [skole]\n",
                                                             "ladders: [skole]\nreview:\n  step_down_max_rungs: 2\n"
                                                             "  follow_up_months: 3\n"), encoding="utf-8")
    kb = load_knowledge([rules], [catalogs])
    result = suggest(kb, make_case(kb, **PUPIL_9, **REDUCED, current_offer="ekstern_specialskole"))
    assert result["suggested_rung"]["rung"] == "mellemform"
    assert result["review"]["follow_up_date"] == "2025-06-10"


def test_an_offer_that_works_partly_keeps_its_rung(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, **PUPIL_9, **REDUCED, current_offer="ekstern_specialskole",
                                   current_offer_outcome="virker_delvist"))
    assert result["suggested_rung"]["rung"] == "specialskole"
    assert result["review"]["status"] == "keep_partly"


def test_an_offer_that_does_not_work_is_not_suggested_again(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, **PUPIL_9, **REDUCED, current_offer="specialklasse_egen",
                                   current_offer_outcome="virker_ikke"))
    assert result["review"]["status"] == "change"
    assert "specialklasse_egen" not in [s["offer_id"] for s in result["suggestions"]]
    assert result["suggested_rung"]["rung"] == "specialskole"


def test_a_broken_down_placement_is_replaced_on_the_same_rung(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=10, can_live_at_home_with_support=False,
                                   network_foster_family_available=False, current_offer="plejefamilie",
                                   current_offer_outcome="brudt_sammen"))
    assert result["suggested_rung"]["rung"] == "plejefamilie"
    assert "plejefamilie" not in [s["offer_id"] for s in result["suggestions"]]


def test_an_offer_that_works_ranks_before_the_others(kb: Knowledge) -> None:
    base = {"ladder": "skole", "age": 14, "grade": 8, "absence_pct": 62.5, "school_refusal": True,
            "diagnoses": ["autisme"], "difficulties": ["socio_emotionelle"], "sdq_total": 19, "risks": []}
    plain = suggest(kb, make_case(kb, **base, current_offer="ekstern_specialskole"))
    assert plain["suggestions"][0]["offer_id"] == "ungdomsskole_pda_autisme"
    works = suggest(kb, make_case(kb, **base, current_offer="ekstern_specialskole", current_offer_outcome="virker"))
    assert works["suggestions"][0]["offer_id"] == "ekstern_specialskole"
    assert works["review"]["status"] == "keep"
    tried = suggest(kb, make_case(kb, **base, tried_offers=[{"offer": "ungdomsskole_pda_autisme",
                                                             "outcome": "brudt_sammen"}]))
    assert tried["suggestions"][-1]["offer_id"] == "ungdomsskole_pda_autisme"


def test_a_home_is_never_suggested_away_without_a_flag(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="voksen", age=50, risks=[], diagnoses=[], support_need="fuldstaendigt",
                                   function_levels={"egenomsorg": 4, "praktiske_opgaver": 4},
                                   can_live_at_home_with_support=False, needs_support_at_night=True,
                                   current_offer="laengerevarende_108"))
    assert result["suggestions"][0]["offer_id"] == "laengerevarende_108"
    assert "boligen_er_hjemmet" not in [f["flag"] for f in result["flags"]]
    moved = suggest(kb, make_case(kb, ladder="voksen", age=50, risks=[], diagnoses=[], support_need="let",
                                  function_levels={k: 1 for k in ("relationer", "kommunikation", "mobilitet",
                                                                  "egenomsorg", "samfundsliv", "praktiske_opgaver")},
                                  can_live_at_home_with_support=True, needs_support_at_night=False,
                                  current_offer="laengerevarende_108"))
    assert moved["review"]["status"] == "step_down" and moved["review"]["moves_home"]
    assert moved["suggested_rung"]["rung"] == "midlertidigt_botilbud"
    assert "boligen_er_hjemmet" in [f["flag"] for f in moved["flags"]]
    assert any("§ 129" in w for w in moved["warnings"])


# --- age and ladder ---------------------------------------------------------------------------


def test_a_young_person_placed_before_18_gets_continued_help_never_a_new_placement(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=20, can_live_at_home_with_support=False,
                                   tried_offers=[{"offer": "opholdssted", "outcome": "afsluttet"}]))
    assert result["ladder_fit"]["status"] == "continued_help"
    assert "§ 114" in result["ladder_fit"]["legal_basis"]
    offers = [kb.offers[s["offer_id"]] for s in result["suggestions"]]
    assert offers and all(o.continued_help for o in offers)
    assert {o.rung for o in offers} <= {"forebyggende", "hjemmebaseret"}
    # Placed now: the stay may be kept up as ungestøtte, it is no new placement.
    placed = suggest(kb, make_case(kb, ladder="boern", age=20, current_offer="opholdssted"))
    assert placed["suggestions"][0]["offer_id"] == "opholdssted"
    assert any(r["rule_id"] == "alder_og_trappe" and "§ 114" in r["legal_basis"]
               for r in placed["suggestions"][0]["reasons"])


def test_a_young_adult_without_a_measure_before_18_is_pointed_to_the_adult_ladder(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=20, risks=["kriminalitet"]))
    assert result["ladder_fit"]["status"] == "outside"
    assert result["ladder_fit"]["belongs_to"] == "voksen"
    assert result["suggestions"] == [] and result["suggested_rung"] is None
    assert "Voksne" in result["warnings"][0]


@pytest.mark.parametrize(("ladder", "age", "belongs"), [("boern", 30, "voksen"), ("voksen", 15, "boern"),
                                                         ("skole", 30, "voksen"), ("skole", 3, "boern")])
def test_a_case_outside_its_ladder_gets_no_placement(kb: Knowledge, ladder: str, age: int, belongs: str) -> None:
    result = suggest(kb, make_case(kb, ladder=ladder, age=age, can_live_at_home_with_support=False))
    assert result["suggestions"] == []
    assert (result["ladder_fit"]["status"], result["ladder_fit"]["belongs_to"]) == ("outside", belongs)


def test_the_18_year_warning_names_ungestoette_and_the_transition(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", age=17, risks=[]))
    warning = next(w for w in result["warnings"] if "18" in w)
    assert "§§ 114-116" in warning and "§§ 122-123" in warning and "§ 111" in warning


def test_an_unknown_age_is_asked_for(kb: Knowledge) -> None:
    result = suggest(kb, make_case(kb, ladder="boern", risks=["omsorgssvigt"]))
    assert result["ladder_fit"]["status"] == "unknown"
    assert "age" in [m["field"] for m in result["missing_information"]]
    ages = answers_of(result, "age")
    assert any(a["ladder_fit"] == "outside" for a in ages)


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 6) == dt.date(2026, 5, 15)


# --- the JSON Schema of the output --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_suggestion_is_described_by_the_output_schema(kb: Knowledge, lang: str) -> None:
    """Every key the engine writes is in `ladder schema suggestion` (no other key is allowed)."""
    import jsonschema

    from engine.cases.files import load_cases
    from engine.knowledge.jsonschema import json_schema
    from tests.conftest import EXAMPLES, ROOT

    schema = json_schema("suggestion", lang)
    shipped = json.loads((ROOT / "schemas" / "suggestion.schema.json").read_text(encoding="utf-8"))
    assert lang == "en" or shipped == schema
    validator = jsonschema.Draft202012Validator(schema)
    cases = load_cases([EXAMPLES], kb) + [
        make_case(kb, ladder="boern", age=16, risks=["misbrug"]),
        make_case(kb, **PUPIL_9, **REDUCED, current_offer="ekstern_specialskole", current_offer_outcome="virker",
                  current_offer_since="2023-08-15"),
        make_case(kb, ladder="boern", age=20, current_offer="opholdssted"),
        make_case(kb, ladder="voksen", age=50, support_need="let", can_live_at_home_with_support=True,
                  current_offer="laengerevarende_108")]
    for case in cases:
        result = json.loads(json.dumps(suggest(kb, case, lang)))
        errors = sorted(validator.iter_errors(result), key=str)
        assert not errors, (case.case_id, [e.message for e in errors[:3]])
    broken = json.loads(json.dumps(suggest(kb, cases[0], lang)))
    broken["suggestions"][0]["cost_difference"]["saving_guess"] = 1
    assert list(validator.iter_errors(broken)), "an undescribed key fails"
