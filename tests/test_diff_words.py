"""`ladder diff` in words: every operator of the one table said in Danish and English, conditions test by test."""

from __future__ import annotations

import pytest

from engine.knowledge.assemble import Knowledge
from engine.render.diff.words import Names, change_lines, condition_changes, leaves
from engine.rules.operators import OPERATORS
from engine.text.messages import MESSAGES


@pytest.mark.parametrize("name", list(OPERATORS))
def test_every_operator_has_its_words_in_a_sentence_in_both_languages(name: str) -> None:
    da, en = MESSAGES[OPERATORS[name].words]
    assert "{value}" in da and "{value}" in en


def test_a_removed_condition_is_said_with_labels_and_value_labels(kb: Knowledge) -> None:
    old = [{"diagnoses": {"contains_any": ["autisme", "pda_profil"]}}, {"difficulties": {"contains": "sociale"}}]
    new = [{"difficulties": {"contains": "sociale"}}]
    da = condition_changes(["any"], old, new, Names(kb, kb, "da"))
    assert da == ["betingelsen 'Diagnoser indeholder en af autisme, PDA-profil' er fjernet"]
    en = change_lines({"field": "when.any", "old": old, "new": new}, Names(kb, kb, "en"))
    assert en == ["the condition 'Diagnoses contains one of autism, PDA profile' is removed"]


def test_a_changed_bound_negation_a_range_and_known(kb: Knowledge) -> None:
    names = Names(kb, kb, "da")
    assert change_lines({"field": "when.age.gte", "old": 14, "new": 15}, names) == [
        "betingelsen 'Alder er mindst 14 år' er ændret til 'Alder er mindst 15 år'"]
    added = change_lines({"field": "when.not", "old": None, "new": {"sdq_total": {"between": [17, 40]}}}, names)
    sdq = "SDQ samlet vanskelighedsscore (forældreskema)"
    assert added == [f"betingelsen 'ikke ({sdq} er mellem 17 og 40)' er tilføjet"]
    assert change_lines({"field": "when.risks.known", "old": True, "new": False}, names) == [
        "betingelsen 'Risici er udfyldt' er ændret til 'Risici er ikke udfyldt'"]
    regrouped = {"field": "when", "old": {"all": [{"age": {"gte": 1}}]}, "new": {"any": [{"age": {"gte": 1}}]}}
    assert change_lines(regrouped, names) == ["betingelserne er grupperet om (samme betingelser)"]


def test_effects_and_lists_read_as_names(kb: Knowledge) -> None:
    names = Names(kb, kb, "da")
    line = change_lines({"field": "then.prefer", "old": ["ekstern_specialskole"],
                         "new": ["ekstern_specialskole", "ungdomsskole_socioemotionel"]}, names)[0]
    assert line.startswith("foretrækker tilbud: tilføjet ") and "ungdomsskole_socioemotionel" not in line
    assert "Ungdomsskole" in line
    rung = change_lines({"field": "then.min_rung", "old": "specialklasse", "new": "specialskole"}, names)[0]
    assert rung.startswith("mindste trin: Trin ") and "specialskole" not in rung.split(": ", 1)[1].split()[0]


def test_leaves_follow_every_group_and_negation() -> None:
    tree = {"all": [{"age": {"gte": 1}}, {"not": {"any": [{"risks": {"contains": "vold"}}]}}]}
    assert leaves(tree) == [("age", "gte", 1, False), ("risks", "contains", "vold", True)]
