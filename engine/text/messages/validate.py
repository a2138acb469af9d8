"""`ladder validate`: its summary and the static analysis of a rule set."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "validate.ok": ("Ingen problemer: {files} {files:fil|filer}, {rules} {rules:regel|regler}, {offers} tilbud", "No problems: {files} {files:file|files}, {rules} {rules:rule|rules}, {offers} {offers:offer|offers}"),
    "validate.ok_warnings": (
        "Ingen fejl: {files} {files:fil|filer}, {rules} {rules:regel|regler}, {offers} tilbud; {warnings} {warnings:advarsel|advarsler}",
        "No errors: {files} {files:file|files}, {rules} {rules:rule|rules}, {offers} {offers:offer|offers}; {warnings} {warnings:warning|warnings}",
    ),
    # Parts of static-analysis messages (engine/knowledge/analysis.py).
    "analysis.from_schema": ("fra profilskemaet", "from the profile schema"),
    "analysis.from_ruleset": ("ladders i regelsættet", "ladders of the rule set"),
    "analysis.from_offer": ("tilbuddets trappe", "the offer's ladder"),
    "analysis.via": ("fra reglen", "from the rule"),
    "analysis.never_derived": ("ingen regel, der afleder faktummet, kan gælde", "no rule deriving the fact can apply"),
    "analysis.why.places_zero": ("det har 0 pladser", "it has 0 places"),
    "analysis.why.schedule_zero": ("kapacitetsplanen har aldrig pladser", "its capacity schedule never has places"),
    "analysis.why.pool": ("puljen", "the pool"),
    "analysis.why.pool_zero": ("har aldrig pladser", "never has places"),
    "analysis.why.target": ("målgruppen kan aldrig være opfyldt:", "the target group can never hold:"),
    "analysis.why.rule": ("reglen", "the rule"),
    "analysis.why.always": ("gælder altid for hver sag på trappen og har", "always applies to every case on the ladder and has"),
}
