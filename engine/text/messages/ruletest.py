"""`ladder test`: rule tests and coverage."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "test.pass": ("bestået", "passed"),
    "test.fail": ("fejlet", "failed"),
    "test.expected": ("forventet", "expected"),
    "test.actual": ("faktisk", "actual"),
    "test.missing_items": ("mangler", "missing"),
    "test.extra_items": ("uventet", "unexpected"),
    "test.none": ("intet", "none"),
    "test.not_suggested": ("ikke foreslået", "not suggested"),
    "test.summary": ("{passed} bestået, {failed} fejlet af {total} test", "{passed} passed, {failed} failed of {total} {total:test|tests}"),
    "test.coverage.rules": ("Regeldækning: {fired} af {total} {total:regel|regler} har været i brug ({pct} %)", "Rule coverage: {fired} of {total} {total:rule|rules} fired ({pct} %)"),
    "test.coverage.offers": ("Tilbudsdækning: {suggested} af {total} tilbud er foreslået ({pct} %)", "Offer coverage: {suggested} of {total} {total:offer|offers} suggested ({pct} %)"),
    "test.coverage.never_fired": ("Regler, ingen test får i brug:", "Rules no test fires:"),
    "test.coverage.never_suggested": ("Tilbud, ingen test får foreslået:", "Offers no test gets suggested:"),
    "test.coverage.below": ("Regeldækningen {pct} % er under kravet på {min} % (--min-coverage)", "Rule coverage {pct} % is below the required {min} % (--min-coverage)"),
}
