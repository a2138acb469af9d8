"""The two texts `ladder init` writes: ladder.toml, which names the content, and a README for policy staff (Danish)."""

from __future__ import annotations

CONFIG_TEXT = """\
# ladder: kommunens eget indhold.
# Alle ladder-kommandoer, der køres i denne mappe eller en undermappe, læser regler og kataloger
# herfra i stedet for dem, der følger med programmet. Stierne er relative til denne fil.
[content]
rules = "rules"              # regelsæt (kind: ruleset)
catalogs = "catalogs"        # trapper, tilbud og takster (kind: catalog) og profilskemaet
tests = "rules/tests"        # regeltests: det `ladder test` kører
cases = "examples/cases"     # eksempelsager: dem `ladder diff` afprøver en ændring på (sammen med regeltestenes)
scenarios = "scenarios"      # planlægningsscenarier: `ladder simulate NAVN` finder NAVN.yaml her

# Beslutningsloggen og de roller, der må stå i den (se docs/decision_log.md), fx:
# [log]
# file = "beslutninger.db"
# roles = ["visitationsudvalget", "teamleder"]
"""

README_TEXT = """\
# Kommunens indsatstrappe: regler, tilbud og takster

Denne mappe er kommunens eget indhold til `ladder`. Alt, hvad `ladder` foreslår, kommer herfra:

| mappe | hvad | hvem retter |
|---|---|---|
| `catalogs/` | trapperne, trinene, tilbuddene med takster, pladser og hjemmel | økonomi og myndighed |
| `catalogs/profile_schema.yaml` | hvilke oplysninger en sag kan have | myndighed |
| `rules/` | reglerne: hvornår et trin eller tilbud er relevant, og hvorfor (med hjemmel) | fagchef, jurist |
| `rules/tests/` | regeltests: sager med det forslag, de skal have | den, der retter en regel |
| `examples/cases/` | anonymiserede eksempelsager | |
| `scenarios/` | scenarier til planlægning (`ladder simulate`) | planlægning |
| `budgets/` | budgetkataloget med forslagene til udvalget (`ladder budget`) | planlægning, økonomi |
| `examples/cohorts/` | eksempelkohorter (CSV) til scenarierne | planlægning |
| `examples/mappings/` | en oversættelse af en eksport fra sagssystemet (`--mapping`) | planlægning |
| `examples/population/` | befolkningstal til nøgletal (`ladder keyfigures`) | planlægning |
| `ladder.toml` | fortæller `ladder`, at indholdet ligger her | |

Kør kommandoerne i denne mappe (eller en undermappe): så bruges indholdet her, og `ladder` siger
hvilket indhold, den har læst.

## Sådan ændres en takst eller en regel

1. Ret filen, fx taksten i `catalogs/skole.yaml` (`annual: 440000` er kr. pr. år).
2. `ladder validate` – tjekker alle filer; en fejl vises som fil:linje:kolonne med en forklaring.
3. `ladder test` – kører regeltestene; en test, der ikke længere holder, viser forventet mod faktisk.
4. `ladder diff --old HEAD` – viser ændringen i ord og de sager, hvis forslag ændres, og hvad
   det koster. `--format markdown --out notat.md` giver et notat til udvalget.
5. Gem ændringen med en forklaring: `git commit -am "Ny takst for ungdomsskolen 2026"`.

Efter en gemt ændring viser `ladder diff --old HEAD~1` den seneste ændring igen.

Forslagene er beslutningsstøtte, aldrig en afgørelse: visitationen foretager altid en konkret og
individuel vurdering. Sagerne skal være anonymiserede: skriv aldrig CPR-numre eller navne.

Mere om reglerne og deres sprog: `docs/rules.md` i `ladder`. JSON-skemaerne i `schemas/` giver
autoudfyldning og kontrol i VS Code (`ladder schema --all schemas/ --force` laver dem på ny).
"""
