"""`ladder keyfigures`: cost per inhabitant of an age band and per case, per year."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "keyfig.title": ("Nøgletal for {first}-{last}-årige", "Key figures for ages {first}-{last}"),
    "keyfig.year": ("År", "Year"),
    "keyfig.cases": ("Sager", "Cases"),
    "keyfig.without_offer": ("Uden tilbud", "Without an offer"),
    "keyfig.annual_cost": ("Udgift pr. år", "Cost a year"),
    "keyfig.inhabitants": ("Indbyggere", "Inhabitants"),
    "keyfig.per_inhabitant": ("Pr. indbygger", "Per inhabitant"),
    "keyfig.per_case": ("Pr. sag", "Per case"),
    "keyfig.change": (
        "Udgift pr. {first}-{last}-årig: {start} ({y0}) → {end} ({y1}), {change}.",
        "Cost per {first}-{last}-year-old: {start} ({y0}) → {end} ({y1}), {change}.",
    ),
    "keyfig.by_rung": ("Pr. trin, {year}", "Per rung, {year}"),
    "keyfig.by_offer": ("Pr. tilbud, {year}", "Per offer, {year}"),
    "keyfig.by_provider": ("Pr. leverandørtype, {year}", "Per kind of provider, {year}"),
    "keyfig.by_function": ("Pr. funktion i kontoplanen, {year}", "Per account function, {year}"),
    "keyfig.group": ("Gruppe", "Group"),
    "keyfig.provider.own": ("Kommunens eget", "The municipality's own"),
    "keyfig.provider.other_municipality": ("Anden kommune", "Another municipality"),
    "keyfig.provider.region": ("Region", "Region"),
    "keyfig.provider.private": ("Privat", "Private"),
    "keyfig.without_age": (
        "{n} {n:sag|sager} i kohorten for {year} har ingen alder og tæller ikke med i aldersgruppen.",
        "{n} {n:case|cases} in the cohort for {year} {n:has|have} no age and {n:is|are} not counted in the age band.",
    ),
    "keyfig.method": (
        "Hvert år er én kohorte (årets sager) og årets befolkning. En sag koster sit nuværende tilbuds årstakst fra kataloget (takstens eget prisår, ikke fremskrevet); en sag uden tilbud koster 0 og tælles for sig. Udgift pr. indbygger = udgiften til aldersgruppens sager / aldersgruppens indbyggere; pr. sag = udgiften / sager med et tilbud; hele kroner, afrundet.",
        "Each year is one cohort (the year's cases) and the year's population. A case costs its current offer's annual tariff from the catalogue (the tariff's own price year, not converted); a case without an offer costs 0 and is counted apart. Cost per inhabitant = the cost of the age band's cases / the band's inhabitants; per case = the cost / cases with an offer; whole kroner, rounded.",
    ),
}
