"""`ladder diff`: what a change of rules or catalogues does, to the content and to real cases.

Every case of the cohort gets the suggestion of the old and of the new side, exactly as
`ladder suggest` would give it. A case has changed when the suggested rung, the ranked offers,
the first offer, its annual tariff, its cost difference against the current offer or the reference
(a tariff change elsewhere moves the saving a meeting is shown), the flags or the missing
information differ. The cost
impact is the first offer's annual tariff, new minus old, in whole kroner, summed over the cases
that have a suggestion on both sides; the others are counted, not guessed at. The rule tests'
cases (fixtures made up to test a rule) are summed apart from the cohort's, so that the headline
a committee reads is never a budget effect of invented cases.
"""

from __future__ import annotations

from typing import Any

from engine.diff.case_pairs import CasePair
from engine.diff.content import content_diff, count
from engine.diff.refs import LoadedRef
from engine.suggest.cohort import suggest_cases
from engine.text.diagnostics import Diagnostic
from engine.text.privacy import mask

COMPARED = ("rung", "offers", "first_offer", "annual_cost", "course_cost", "vs_current", "vs_reference", "flags",
            "missing_information")
"""What of a suggestion makes a case count as changed, in the order a reader checks it."""


def outcome(result: dict[str, Any]) -> dict[str, Any]:
    """The parts of a suggestion a diff compares, with the names that go with them."""
    rung = result["suggested_rung"]
    first = result["suggestions"][0] if result["suggestions"] else None
    return {
        "rung": rung["rung"] if rung else None,
        "rung_name": rung["rung_name"] if rung else None,
        "offers": [s["offer_id"] for s in result["suggestions"]],
        "first_offer": first["offer_id"] if first else None,
        "first_offer_name": first["offer_name"] if first else None,
        "annual_cost": first["annual_cost"] if first else None,
        "course_cost": first["course_cost"] if first else None,
        # The saving a meeting would be shown: against today's offer and against the usual alternative.
        "vs_current": first["cost_difference"]["vs_current"] if first else None,
        "vs_reference": first["cost_difference"]["vs_reference"] if first else None,
        "flags": [f["flag"] for f in result["flags"]],
        "missing_information": [m["field"] for m in result["missing_information"]],
        "ladder_fit": result["ladder_fit"]["status"],
    }


def _problems(found: list[Diagnostic], lang: str) -> list[dict[str, Any]]:
    return [{"file": mask(d.file), "line": d.line, "col": d.col, "code": d.code, "message": d.message(lang)}
            for d in found]


def compare(pair: CasePair, results: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    """One case on both sides (`results`: each valid side's suggestion): status, what changed, cost difference."""
    sides: dict[str, Any] = {}
    for side in ("old", "new"):
        sides[side] = outcome(results[side]) if side in results else {
            "problems": _problems(pair.problems.get(side, []), lang)}
    # A file may be named after a person's number; it is masked as in every diagnostic.
    entry: dict[str, Any] = {"case_id": pair.case_id, "source": mask(pair.source)}
    if len(pair.cases) < 2:
        entry.update(status="invalid_" + ("old" if "old" not in pair.cases else "new"), changes=[])
        entry.update(old=sides["old"], new=sides["new"], annual_cost_difference=None)
        return entry
    found = [key for key in COMPARED if sides["old"][key] != sides["new"][key]]
    costs = sides["old"]["annual_cost"], sides["new"]["annual_cost"]
    difference = costs[1] - costs[0] if None not in costs else None
    entry.update(status="changed" if found else "unchanged", changes=found, old=sides["old"], new=sides["new"],
                 annual_cost_difference=difference)
    return entry


def _side(ref: LoadedRef) -> dict[str, Any]:
    return {
        # Folders may be named after anything, a person's number too: masked like every path shown.
        "ref": mask(ref.ref) if ref.ref else ref.ref,
        "kind": ref.kind,
        "commit": ref.commit,
        "rules": mask(ref.where["rules"]),
        "catalogs": mask(ref.where["catalogs"]),
        "from_current": list(ref.from_current),
        "sha256": ref.kb.sha256,
        "rulesets": {rs.id: rs.version for rs in ref.kb.rulesets},
    }


def diff_report(old: LoadedRef, new: LoadedRef, pairs: list[CasePair], cohort: str | None,
                lang: str = "da") -> dict[str, Any]:
    """The whole diff as a JSON-ready dictionary; cases listed only when something about them changed."""
    content = content_diff(old.kb, new.kb)
    results: list[dict[str, dict[str, Any]]] = [{} for _ in pairs]
    for side, ref in (("old", old), ("new", new)):
        # Each side's valid cases are inferred as one cohort (engine.evaluate.fast, identical to durable-rules).
        valid = [(i, pair.cases[side]) for i, pair in enumerate(pairs) if side in pair.cases]
        for (i, _), result in zip(valid, suggest_cases(ref.kb, [c for _, c in valid], lang), strict=True):
            results[i][side] = result
    entries = [{**compare(pair, found, lang), "fixture": pair.fixture}
               for pair, found in zip(pairs, results, strict=True)]
    return {
        "old": _side(old),
        "new": _side(new),
        **content,
        "cohort": mask(cohort) if cohort else cohort,
        "cases": [e for e in entries if e["status"] != "unchanged"],
        # The cost a committee reads is the cohort's; the rule tests' made-up cases are counted apart.
        "summary": {"content_changes": count(content), **_summary([e for e in entries if not e["fixture"]]),
                    "fixtures": _summary([e for e in entries if e["fixture"]])},
    }


def _summary(entries: list[dict[str, Any]]) -> dict[str, int]:
    """How many cases changed, how, and the sum of their first offers' tariff differences."""
    listed = [e for e in entries if e["status"] != "unchanged"]
    changed = [e for e in entries if e["status"] == "changed"]
    return {
        "cases": len(entries),
        "changed": len(changed),
        "unchanged": len(entries) - len(listed),
        "valid_one_side": len(listed) - len(changed),
        "suggestion_one_side": sum(1 for e in changed
                                   if (e["old"]["annual_cost"] is None) != (e["new"]["annual_cost"] is None)),
        "annual_cost_difference": sum(e["annual_cost_difference"] or 0 for e in changed),
    }
