"""Danish and English user-facing text. Danish is the default; domain terms stay Danish."""

from __future__ import annotations

import re
from typing import Any

from engine.pii import mask

# Diagnostic codes are stable: scripts and docs rely on them (see docs/diagnostics.md).
DIAGNOSTICS: dict[str, tuple[str, str]] = {
    "file-read": ("filen kan ikke læses: {reason}", "the file cannot be read: {reason}"),
    "encoding": ("filen er ikke UTF-8-tekst", "the file is not UTF-8 text"),
    "yaml-syntax": ("YAML-syntaksfejl: {problem}", "YAML syntax error: {problem}"),
    "yaml-duplicate-key": (
        "nøglen '{key}' står to gange; den ene ville blive ignoreret",
        "the key '{key}' appears twice; one would be ignored",
    ),
    "yaml-key-type": ("nøgler skal være tekst", "keys must be text"),
    "yaml-empty": ("filen er tom", "the file is empty"),
    "not-a-mapping": ("forventede en YAML-mapping (nøgle: værdi)", "expected a YAML mapping (key: value)"),
    "unknown-kind": (
        "ukendt kind '{kind}'; forventede {expected}",
        "unknown kind '{kind}'; expected {expected}",
    ),
    "unknown-key": ("ukendt nøgle '{key}'{hint}", "unknown key '{key}'{hint}"),
    "missing-key": ("'{key}' mangler", "'{key}' is missing"),
    "wrong-type": ("forkert type: forventede {expected}", "wrong type: expected {expected}"),
    "wrong-value": ("ugyldig værdi: tilladt er {expected}", "invalid value: allowed are {expected}"),
    "out-of-range": ("værdien skal være {limit}", "the value must be {limit}"),
    "too-long": ("højst {max} tegn eller elementer", "at most {max} characters or items"),
    "too-short": ("skal have mindst {min} element(er)", "needs at least {min} item(s)"),
    "pattern": (
        "ugyldigt id: brug små bogstaver a-z, cifre og _ (fx 'ung_spor')",
        "invalid id: use lower-case a-z, digits and _ (e.g. 'ung_spor')",
    ),
    "pseudonym": (
        "et sags-id skal være et pseudonym (bogstaver, cifre, - _ .; højst 40 tegn)",
        "a case id must be a pseudonym (letters, digits, - _ .; at most 40 characters)",
    ),
    "kroner-float": (
        "beløb skrives i hele kroner uden tusindtalspunktum, fx 684000 (YAML læser 684.000 som et decimaltal)",
        "amounts are whole kroner without thousands separator, e.g. 684000 (YAML reads 684.000 as a decimal)",
    ),
    "kroner-type": ("beløb skal være hele kroner, fx 440000", "amounts must be whole kroner, e.g. 440000"),
    "iso-date": ("datoen skal være en ISO-dato (ÅÅÅÅ-MM-DD)", "the date must be an ISO date (YYYY-MM-DD)"),
    "personal-data": (
        "ligner personoplysninger ({kind}: {masked}); sager skal være anonymiserede",
        "looks like personal data ({kind}: {masked}); cases must be anonymised",
    ),
    "invalid": ("ugyldig værdi: {detail}", "invalid value: {detail}"),
    "duplicate-id": ("{what} '{id}' er defineret flere gange (også {other})", "{what} '{id}' is defined more than once (also {other})"),
    "unknown-ref": ("ukendt {what} '{id}'{hint}", "unknown {what} '{id}'{hint}"),
    "rung-not-in-ladder": (
        "trinnet '{rung}' findes ikke på trappen '{ladder}'{hint}",
        "the rung '{rung}' is not on the ladder '{ladder}'{hint}",
    ),
    "operator-type": (
        "operatoren '{op}' kan ikke bruges på feltet '{field}' af typen {type}",
        "the operator '{op}' cannot be used on the field '{field}' of type {type}",
    ),
    "value-type": (
        "'{field}' er af typen {type}; værdien passer ikke",
        "'{field}' is of type {type}; the value does not fit",
    ),
    "fact-cycle": (
        "afledte fakta afhænger af hinanden i ring: {cycle}",
        "derived facts depend on each other in a cycle: {cycle}",
    ),
    "exception-self": ("en regel kan ikke være undtagelse til sig selv", "a rule cannot be an exception to itself"),
    "exception-derive-only": (
        "reglen '{target}' afleder kun fakta; en undtagelse kan kun tilsidesætte regler med virkning på forslaget",
        "the rule '{target}' only derives facts; an exception can only override rules that shape the suggestion",
    ),
    "missing-file": ("ingen {what} fundet i {folder}", "no {what} found in {folder}"),
    "yaml-character": ("tegnet {code} må ikke stå i en YAML-fil (styretegn eller binære data)", "the character {code} is not allowed in a YAML file (control character or binary data)"),
    "yaml-depth": ("filen er indlejret dybere end {limit} niveauer", "the file is nested deeper than {limit} levels"),
    "yaml-limit": ("filen har flere end {limit} YAML-elementer (fx en alias-bombe)", "the file has more than {limit} YAML nodes (e.g. an alias bomb)"),
    "schema-twice": ("der er mere end ét profilskema (også {other})", "there is more than one profile schema (also {other})"),
    "not-a-file": ("findes ikke eller er ikke en fil eller mappe", "does not exist or is not a file or folder"),
    "no-cases": ("ingen sager (*.yaml) fundet", "no cases (*.yaml) found"),
    "ladder-unknown-in-case": ("trappen '{id}' findes ikke i kataloget", "the ladder '{id}' is not in the catalogue"),
    "out-is-input": ("--out peger på en fil, kommandoen læser; vælg et andet navn", "--out names a file the command reads; choose another name"),
    "file-write": ("filen kan ikke skrives: {reason}", "the file cannot be written: {reason}"),
    "xlsx-needs-out": ("--format xlsx kræver --out FIL.xlsx", "--format xlsx needs --out FILE.xlsx"),
    "offer-one-side": ("tilbuddet '{offer}' findes ikke på {side}-siden af scenariet", "the offer '{offer}' does not exist on the {side} side of the scenario"),
    "overlay-twice": ("'{id}' står flere gange i {key}; kun én ændring pr. id", "'{id}' is listed more than once in {key}; one change per id"),
    "overlay-conflict": ("'{id}' bliver både fjernet og ændret på samme side", "'{id}' is both removed and changed on the same side"),
    "outside-horizon": ("året {year} ligger uden for scenariets år {first}-{last}", "the year {year} is outside the scenario's years {first}-{last}"),
    "levels-field": ("udgiftsgrupper kræver et heltalsfelt i profilskemaet; '{field}' er ikke et", "cost levels need an integer field of the profile schema; '{field}' is not one"),
    "levels-missing": (
        "sagen {case} er med i et tilbud med udgiftsgrupper, men feltet '{field}' mangler eller er ikke 1-{n}",
        "the case {case} takes part in an offer with cost levels, but the field '{field}' is missing or not 1-{n}",
    ),
    "ref-unknown": (
        "'{ref}' er hverken en mappe eller en git-revision i {repo} (fx HEAD~1, main, et tag eller en commit)",
        "'{ref}' is neither a folder nor a git revision of {repo} (e.g. HEAD~1, main, a tag or a commit)",
    ),
    "ref-no-git": (
        "'{ref}' er ikke en mappe, og der er intet git-arkiv (eller git er ikke installeret) at finde den som revision i",
        "'{ref}' is not a folder, and there is no git repository (or git is not installed) to find it in as a revision",
    ),
    "ref-empty": (
        "'{ref}' har hverken regelsæt eller kataloger (en mappe med rules/ og catalogs/, eller med YAML-filerne selv)",
        "'{ref}' has neither rule sets nor catalogues (a folder with rules/ and catalogs/, or with the YAML files themselves)",
    ),
    "case-id-twice": ("sags-id '{id}' findes også i {other}", "case id '{id}' is also in {other}"),
    # Rule tests (`ladder test`, rules/tests/*.yaml).
    "no-tests": ("ingen testfiler (*.yaml) fundet", "no test files (*.yaml) found"),
    "test-kind": ("en testfil skal have `kind: tests` (her: '{kind}')", "a test file needs `kind: tests` (here: '{kind}')"),
    "test-case-missing": ("sagsfilen '{path}' findes ikke (stien regnes fra testfilens mappe)", "the case file '{path}' does not exist (the path is relative to the test file's folder)"),
    "test-name-twice": ("testen '{name}' findes også i {other}; giv hver test sit eget navn", "the test '{name}' is also at {other}; give each test its own name"),
    # Cohort tables (CSV, Excel): line is the row, col the column number; the column's name is shown before.
    "cohort-format": (
        "filtypen '{suffix}' kan ikke bruges som kohorte: brug en mappe med YAML-sager, en CSV-fil (.csv) eller en Excel-fil (.xlsx)",
        "the file type '{suffix}' cannot be used as a cohort: use a folder of YAML cases, a CSV file (.csv) or an Excel file (.xlsx)",
    ),
    "cohort-empty": (
        "filen indeholder ingen sager: den skal have en overskriftsrække med feltnavne og derunder én række pr. sag",
        "the file holds no cases: it needs a header row of field ids and below it one row per case",
    ),
    "cohort-column-unknown": ("kolonnen er ikke et felt i profilskemaet{hint}", "the column is not a field of the profile schema{hint}"),
    "cohort-column-twice": ("kolonnen står to gange (også kolonne {other})", "the column appears twice (also column {other})"),
    "cohort-column-missing": (
        "kolonnen '{name}' mangler i overskriftsrækken; feltet skal udfyldes for hver sag",
        "the column '{name}' is missing from the header row; the field is required for every case",
    ),
    "cohort-column-blank": ("der står værdier i en kolonne uden navn i overskriftsrækken", "a column without a name in the header row holds values"),
    "cohort-row-length": (
        "rækken har flere celler end overskriftsrækkens {width} kolonner{advice}",
        "the row has more cells than the {width} columns of the header row{advice}",
    ),
    "cohort-cell": ("cellen kan ikke læses som {expected}", "the cell cannot be read as {expected}"),
    "cohort-decimal": (
        "tal skrives uden tusindtalsseparator og med komma eller punktum som decimaltegn, fx 1500 eller 62,5; et tal som 1.500 kan læses på to måder (har det tre decimaler, så skriv 1,5000)",
        "numbers are written without a thousands separator and with a comma or a point as decimal mark, e.g. 1500 or 62.5; a number like 1.500 can be read two ways (if it has three decimals, write 1.5000)",
    ),
    "cohort-too-many": ("filen har flere end {limit} sager; del kohorten op", "the file has more than {limit} cases; split the cohort"),
    "cohort-too-large": ("filen er større end {limit} MB", "the file is larger than {limit} MB"),
    "cohort-csv": ("CSV-filen kan ikke læses: {problem}", "the CSV file cannot be read: {problem}"),
    "cohort-xlsx": (
        "filen kan ikke læses som en Excel-projektmappe (.xlsx); gem den igen fra Excel som .xlsx eller som CSV",
        "the file cannot be read as an Excel workbook (.xlsx); save it again from Excel as .xlsx or as CSV",
    ),
}

TEXT: dict[str, tuple[str, str]] = {
    # Checks the file formats make themselves (PydanticCustomError types in engine/model/).
    "custom.test_list": ("en liste kræver en operator, fx `in: [...]`", "a list needs an operator, e.g. `in: [...]`"),
    "custom.expect_empty": ("skriv mindst én forventning (fx rung, offers eller flags)", "write at least one expectation (e.g. rung, offers or flags)"),
    "custom.test_empty": ("en test kræver mindst én operator", "a test needs at least one operator"),
    "custom.between_order": ("between skrives [laveste, højeste]", "between needs [lowest, highest]"),
    "custom.condition_empty": ("en tom betingelse", "an empty condition"),
    "custom.effects_empty": ("en regel skal have mindst én virkning under `then`", "a rule needs at least one effect under `then`"),
    "custom.capacity_one_of": ("kapacitet skal have præcis én af places, schedule eller pool", "capacity needs exactly one of places, schedule or pool"),
    "custom.capacity_pool_occupied": ("belægningen for en pulje angives på puljen", "the occupancy of a pool is set on the pool"),
    "custom.schedule_order": ("trinene i en plan skal stå i datoorden", "schedule steps must be in date order"),
    "custom.age_order": ("minimumsalderen er over maksimumsalderen", "min age is above max age"),
    "custom.values_needed": ("et kategorifelt skal have `values`", "a category field needs `values`"),
    "custom.values_unused": ("kun kategorifelter har `values`", "only category fields take `values`"),
    "custom.keys_needed": ("`keys` hører til og kræves af felter af typen scores", "`keys` belongs to, and is needed by, scores fields"),
    "custom.range_unused": ("kun talfelter har min og max", "only numeric fields take min and max"),
    "custom.core_field": ("skemaet skal have felterne case_id (pseudonym), decision_date (date) og ladder (category), alle required", "the schema must declare case_id (pseudonym), decision_date (date) and ladder (category), all required"),
    "custom.duplicate_field": ("et felt-id er erklæret to gange", "a field id is declared twice"),
    "custom.number_precision": ("tal må højst have fire decimaler og skal være under 1.000.000.000", "numbers may have at most four decimals and must be below 1,000,000,000"),
    "custom.list_unique": ("en værdi står to gange i listen", "a value is listed twice"),
    "custom.tariff_one_of": ("angiv enten annual eller annual_pct, ikke begge", "give annual or annual_pct, not both"),
    "custom.change_empty": ("en ændring skal ændre noget ud over id", "a change must change something besides the id"),
    "custom.horizon": ("last skal ligge fra first til first + 29", "last must be from first to first + 29"),
    "custom.investment_kind": ("en investering er enten year + amount (engangsbeløb) eller annual med from/to (løbende)", "an investment is either year + amount (one-off) or annual with from/to (running)"),
    "custom.shares_sum": ("success + breakdown må højst være 1", "success + breakdown must be at most 1"),
    "custom.steady_state_yearly": ("relapse_per_year og move_out_per_year kræver cohort_model: fixed (en fast kohorte, der følges over årene)", "relapse_per_year and move_out_per_year need cohort_model: fixed (one cohort followed over the years)"),
    "custom.index_twice": ("et år står to gange i prisindekset", "a year is in the price index twice"),
    "severity.error": ("fejl", "error"),
    "word.or": ("eller", "or"),
    "word.line": ("linje", "line"),
    "word.row": ("række", "row"),
    "cohort.boolean": ("ja eller nej (også sand/falsk, true/false, 1/0)", "yes or no (also true/false, ja/nej, 1/0)"),
    "cohort.tried_offers": ("tilbud:udfald adskilt af semikolon, fx bostoette_85:insufficient", "offer:outcome separated by semicolons, e.g. bostoette_85:insufficient"),
    "cohort.quote_lists": (
        "; står der semikolon i en celle, fx en liste som autisme;angst, skal cellen stå i anførselstegn: \"autisme;angst\"",
        "; a cell holding a semicolon, e.g. a list such as autisme;angst, must be in quotes: \"autisme;angst\"",
    ),
    "word.column": ("kolonne '{name}'", "column '{name}'"),
    "word.recursive_alias": ("et alias, der peger på sig selv", "an alias that points to itself"),
    "severity.warning": ("advarsel", "warning"),
    "hint.did_you_mean": (" (mente du '{guess}'?)", " (did you mean '{guess}'?)"),
    "what.offer": ("tilbud", "offer"),
    "what.rung": ("trin", "rung"),
    "what.ladder": ("trappe", "ladder"),
    "what.pool": ("pulje", "pool"),
    "what.rule": ("regel", "rule"),
    "what.ruleset": ("regelsæt", "rule set"),
    "what.field": ("felt", "field"),
    "what.fact": ("faktum", "fact"),
    "what.flag": ("markering", "flag"),
    "what.value": ("værdi", "value"),
    "what.catalog": ("katalog (kind: catalog)", "catalogue (kind: catalog)"),
    "what.profile_schema": ("profilskema (kind: profile_schema)", "profile schema (kind: profile_schema)"),
    "what.rules": ("regelsæt (kind: ruleset)", "rule set (kind: ruleset)"),
    "type.text": ("tekst", "text"),
    "type.integer": ("et helt tal", "a whole number"),
    "type.number": ("et tal", "a number"),
    "type.boolean": ("true eller false", "true or false"),
    "type.list": ("en liste", "a list"),
    "type.mapping": ("en mapping (nøgle: værdi)", "a mapping (key: value)"),
    "type.date": ("en dato", "a date"),
    "errors.found": ("{n} problem(er) fundet", "{n} problem(s) found"),
    "validate.ok": ("Ingen problemer: {files} filer, {rules} regler, {offers} tilbud", "No problems: {files} files, {rules} rules, {offers} offers"),
    # Suggestion output.
    "out.disclaimer": (
        "Beslutningsstøtte, ikke en afgørelse: visitationen skal foretage en konkret og individuel vurdering.",
        "Decision support, not a decision: the visitation must make a concrete and individual assessment.",
    ),
    "out.case": ("Sag", "Case"),
    "out.ladder": ("Trappe", "Ladder"),
    "out.decision_date": ("Afgørelsesdato", "Decision date"),
    "out.suggested_rung": ("Foreslået trin", "Suggested rung"),
    "out.no_suggestion": ("Intet tilbud kan foreslås", "No offer can be suggested"),
    "out.rank": ("Nr.", "Rank"),
    "out.offer": ("Tilbud", "Offer"),
    "out.rung": ("Trin", "Rung"),
    "out.annual_cost": ("Takst/år", "Tariff/yr"),
    "out.vs_current": ("Ift. nuværende", "Vs current"),
    "out.vs_reference": ("Ift. alternativ", "Vs alternative"),
    "out.course_cost": ("Forløb", "Course"),
    "out.local": ("Lokalt", "Local"),
    "out.legal_basis": ("Hjemmel", "Legal basis"),
    "out.reasons": ("Begrundelse", "Reasons"),
    "out.skipped": ("Trin der er sprunget over", "Rungs skipped"),
    "out.missing": ("Manglende oplysninger", "Missing information"),
    "out.needed_by": ("bruges af", "needed by"),
    "out.warnings": ("Advarsler", "Warnings"),
    "out.facts": ("Oplysninger brugt", "Facts used"),
    "out.current": ("Nuværende tilbud", "Current offer"),
    "out.reference": ("Sædvanligt alternativ", "Usual alternative"),
    "out.flags": ("Markeringer", "Flags"),
    "out.yes": ("ja", "yes"),
    "out.no": ("nej", "no"),
    "out.ruleset": ("Regelgrundlag", "Rule basis"),
    "out.uncertain": ("målgruppe uafklaret", "target group unresolved"),
    "out.months": ("{n} mdr.", "{n} months"),
}

# Simulation output.
RULETESTS: dict[str, tuple[str, str]] = {
    "test.pass": ("bestået", "passed"),
    "test.fail": ("fejlet", "failed"),
    "test.expected": ("forventet", "expected"),
    "test.actual": ("faktisk", "actual"),
    "test.missing_items": ("mangler", "missing"),
    "test.extra_items": ("uventet", "unexpected"),
    "test.none": ("intet", "none"),
    "test.not_suggested": ("ikke foreslået", "not suggested"),
    "test.summary": ("{passed} bestået, {failed} fejlet af {total} test", "{passed} passed, {failed} failed of {total} tests"),
    "test.coverage.rules": ("Regeldækning: {fired} af {total} regler har været i brug ({pct} %)", "Rule coverage: {fired} of {total} rules fired ({pct} %)"),
    "test.coverage.offers": ("Tilbudsdækning: {suggested} af {total} tilbud er foreslået ({pct} %)", "Offer coverage: {suggested} of {total} offers suggested ({pct} %)"),
    "test.coverage.never_fired": ("Regler, ingen test får i brug:", "Rules no test fires:"),
    "test.coverage.never_suggested": ("Tilbud, ingen test får foreslået:", "Offers no test gets suggested:"),
    "test.coverage.below": ("Regeldækningen {pct} % er under kravet på {min} % (--min-coverage)", "Rule coverage {pct} % is below the required {min} % (--min-coverage)"),
}

# `ladder diff`.
DIFF: dict[str, tuple[str, str]] = {
    "diff.title": ("Ændringer fra {old} til {new}", "Changes from {old} to {new}"),
    "diff.current": ("nuværende indhold", "current content"),
    "diff.parts": ("{side}: regler fra {rules}; kataloger fra {catalogs}", "{side}: rules from {rules}; catalogues from {catalogs}"),
    "diff.old": ("før", "old"),
    "diff.new": ("efter", "new"),
    "diff.cohort": ("Sager: {cohort}", "Cases: {cohort}"),
    "diff.default_cohort": ("eksempelsagerne og regeltestenes sager", "the example cases and the rule tests' cases"),
    "diff.section.rulesets": ("Regelsæt", "Rule sets"),
    "diff.section.rules": ("Regler", "Rules"),
    "diff.section.ladders": ("Trapper", "Ladders"),
    "diff.section.offers": ("Tilbud", "Offers"),
    "diff.section.pools": ("Puljer", "Pools"),
    "diff.section.fields": ("Felter i profilskemaet", "Profile schema fields"),
    "diff.added": ("tilføjet", "added"),
    "diff.removed": ("fjernet", "removed"),
    "diff.changed": ("ændret", "changed"),
    "diff.id": ("Id", "Id"),
    "diff.change": ("Ændring", "Change"),
    "diff.details": ("Detaljer", "Details"),
    "diff.no_content_changes": ("Ingen ændringer i regler og kataloger.", "No changes in rules and catalogues."),
    "diff.cases": ("Sager, hvis forslag ændres", "Cases whose suggestion changes"),
    "diff.no_case_changes": ("Ingen sags forslag ændres.", "No case's suggestion changes."),
    "diff.case": ("Sag", "Case"),
    "diff.source": ("Kilde", "Source"),
    "diff.what": ("Ændret", "Changed"),
    "diff.rung": ("Trin", "Rung"),
    "diff.first_offer": ("Første forslag", "First suggestion"),
    "diff.annual_cost": ("Takst/år", "Tariff/yr"),
    "diff.difference": ("Forskel/år", "Difference/yr"),
    "diff.arrow": ("{old} → {new}", "{old} → {new}"),
    "diff.none": ("intet forslag", "no suggestion"),
    "diff.compared.rung": ("trin", "rung"),
    "diff.compared.offers": ("tilbudsliste", "offer list"),
    "diff.compared.first_offer": ("første forslag", "first suggestion"),
    "diff.compared.annual_cost": ("takst", "tariff"),
    "diff.compared.flags": ("markeringer", "flags"),
    "diff.compared.missing_information": ("manglende oplysninger", "missing information"),
    "diff.reordered": ("ny rækkefølge", "new order"),
    "diff.problems": ("Hvorfor en sag kun er gyldig på den ene side", "Why a case is valid on one side only"),
    "diff.invalid_old": ("kun gyldig efter ændringen", "valid only after the change"),
    "diff.invalid_new": ("ugyldig efter ændringen", "invalid after the change"),
    "diff.summary": (
        "{cases} sager: {changed} med ændret forslag (heraf {one_side} med forslag på kun den ene side), {unchanged} uændrede, {invalid} gyldige på kun den ene side.",
        "{cases} cases: {changed} with a changed suggestion ({one_side} of them with a suggestion on one side only), {unchanged} unchanged, {invalid} valid on one side only.",
    ),
    "diff.impact": ("Samlet forskel i takst pr. år: {amount}", "Total difference in tariff per year: {amount}"),
    "diff.measure": (
        "Forskellen er taksten pr. år for det første forslag, efter minus før, lagt sammen for sagerne med et forslag på begge sider.",
        "The difference is the annual tariff of the first suggestion, new minus old, summed over the cases with a suggestion on both sides.",
    ),
}

SIMULATION: dict[str, tuple[str, str]] = {
    "sim.disclaimer": (
        "Beregning til planlægning, ikke en afgørelse: hver sag visiteres konkret og individuelt.",
        "A planning calculation, not a decision: every case is assessed concretely and individually.",
    ),
    "sim.side.baseline": ("basis", "baseline"),
    "sim.side.scenario": ("scenarie", "scenario"),
    "sim.no_suggestion": (
        "{n} sag(er) får intet forslag på {side}-siden og tæller med 0 kr.: {ids}",
        "{n} case(s) get no suggestion on the {side} side and count as 0 kr.: {ids}",
    ),
    "sim.unadjusted": (
        "Takster i andre prisår er ikke fremskrevet til {year} (intet prisindeks for året): {offers}",
        "Tariffs in other price years are not converted to {year} (no price index for the year): {offers}",
    ),
    "sim.effect_unused": (
        "Effektantagelserne for {offer} bruges ikke: ingen sag i kohorten får tilbuddet.",
        "The effect assumptions for {offer} are not used: no case in the cohort gets the offer.",
    ),
    "sim.no_cohort": ("Ingen kohorte: kun faste effekter og investeringer indgår.", "No cohort: only fixed effects and investments count."),
    "sim.model.steady_state": (
        "Stabil sagsstamme: kohorten er hvert års sager; den ældes ikke, og hvert år er forløbene nye.",
        "Steady state: the cohort is every year's caseload; it does not age, and every year's courses are new.",
    ),
    "sim.model.fixed": (
        "Fast kohorte: de samme sager følges over årene; fraflytning og tilbagefald sker ved årsskiftet.",
        "Fixed cohort: the same cases are followed over the years; move-out and relapse happen at the turn of the year.",
    ),
    "sim.assume.capacity": (
        "Pladser fordeles måned for måned efter kapacitetsplanen (1. i måneden); flere end pladserne: størst besparelse først, ved lighed sags-id; resten får deres næste forslag. Katalogets 'occupied' indgår ikke: kohorten er hele sagsstammen.",
        "Places are allocated month by month from the capacity schedule (the 1st of the month); more cases than places: largest saving first, ties by case id; the rest get their next suggestion. The catalogue's 'occupied' is not used: the cohort is the whole caseload.",
    ),
    "sim.assume.rules": (
        "Reglerne anvendes på hver sags egen afgørelsesdato; tilbuddenes gyldighed og pladser følger scenariets måneder.",
        "Rules are applied at each case's own decision date; offers' validity and places follow the scenario's months.",
    ),
    "sim.assume.money": (
        "Beløb i hele kroner i scenariets prisår; årsudgift = takst × måneder / 12, afrundet én gang pr. år.",
        "Amounts in whole kroner in the scenario's price year; annual cost = tariff × months / 12, rounded once per year.",
    ),
    "sim.assume.effects": (
        "Effekter trækkes pr. sag i hver kørsel: sammenbrud (et trin op), succes (ellers bliver sagen, hvor den var), årligt tilbagefald til trinnet før og årlig fraflytning (begge sider bliver 0 kr.).",
        "Effects are drawn per case in each run: breakdown (one rung up), success (otherwise the case stays where it was), yearly relapse to the rung before and yearly move-out (both sides become 0 kr.).",
    ),
    "sim.budget": ("Budgetoversigt (mio. kr., besparelser negative)", "Budget table (DKK million, savings negative)"),
    "sim.row.potential": ("Økonomisk potentiale", "Økonomisk potentiale (financial potential)"),
    "sim.row.investment": ("Investeringsbehov", "Investeringsbehov (investment)"),
    "sim.row.result": ("Resultat", "Resultat (result)"),
    "sim.row.p10": ("Resultat, P10", "Result, P10"),
    "sim.row.p90": ("Resultat, P90", "Result, P90"),
    "sim.row.cumulative": ("Akkumuleret resultat", "Cumulative result"),
    "sim.row.baseline": ("Udgift, basis", "Cost, baseline"),
    "sim.row.scenario": ("Udgift, scenarie", "Cost, scenario"),
    "sim.row.unplaced": ("Visiteret uden plads", "Qualified without a place"),
    "sim.moves": ("Flytninger (december {year})", "Moves (December {year})"),
    "sim.from": ("Fra", "From"),
    "sim.to": ("Til", "To"),
    "sim.count": ("Antal", "Count"),
    "sim.difference": ("Forskel pr. år", "Difference per year"),
    "sim.capacity": ("Kapacitet", "Capacity"),
    "sim.resource": ("Plads/pulje", "Places/pool"),
    "sim.year": ("År", "Year"),
    "sim.places": ("Pladser (gns.)", "Places (avg.)"),
    "sim.used": ("Brugte pladsmåneder", "Place-months used"),
    "sim.qualified": ("Visiteret", "Qualified"),
    "sim.unplaced": ("Uden plads", "Without a place"),
    "sim.payback": ("Tilbagebetalt i {year}", "Paid back in {year}"),
    "sim.no_payback": ("Investeringen er ikke tilbagebetalt inden for perioden", "The investment is not paid back within the horizon"),
    "sim.cohort": ("Kohorte: {cases} sager, heraf {participants} med effektantagelser; {runs} kørsler, seed {seed}", "Cohort: {cases} cases, {participants} with effect assumptions; {runs} runs, seed {seed}"),
    "sim.assumptions": ("Forudsætninger", "Assumptions"),
    "sim.warnings": ("Advarsler", "Warnings"),
    "sim.none": ("ingen", "none"),
    "sim.chart_title": ("Akkumuleret resultat med P10-P90", "Cumulative result with P10-P90"),
    "sim.chart_y": ("mio. kr. (besparelse negativ)", "DKK million (saving negative)"),
    "sim.chart_mean": ("middel", "mean"),
    "sim.fixed": ("Faste effekter", "Fixed effects"),
    "sim.investments": ("Investeringer", "Investments"),
    "sim.progress.allocate": ("Fordeler pladser", "Allocating places"),
    "sim.progress.runs": ("Monte Carlo-kørsler", "Monte Carlo runs"),
}

# Texts the engine produces for reasons, skipped rungs and warnings.
ENGINE: dict[str, tuple[str, str]] = {
    "principle.least_intervention": (
        "Mindsteindgrebsprincippet: laveste trin på trappen, der opfylder behovet og har et ledigt tilbud.",
        "Least intervention: the lowest rung of the ladder that meets the need and has an available offer.",
    ),
    "principle.tried": (
        "Tilbuddet '{offer}' på trinnet '{rung}' er afprøvet uden tilstrækkelig effekt.",
        "The offer '{offer}' on the rung '{rung}' was tried without sufficient effect.",
    ),
    "skip.below_min": ("under minimumstrinnet sat af {rules}", "below the minimum rung set by {rules}"),
    "skip.tried": ("afprøvet uden tilstrækkelig effekt ({offers})", "tried without sufficient effect ({offers})"),
    "skip.below_tried": ("under et trin, der er afprøvet uden tilstrækkelig effekt ({offers})", "below a rung tried without sufficient effect ({offers})"),
    "skip.no_offers": ("ingen tilbud på trinnet", "no offer on this rung"),
    "skip.above_max": ("over det højeste trin sat af {rules}", "above the highest rung set by {rules}"),
    "skip.none_eligible": ("intet tilbud kan bruges: {details}", "no usable offer: {details}"),
    "why.excluded": ("{offer} udelukket af {rules}", "{offer} excluded by {rules}"),
    "why.not_required": ("{offer} er ikke blandt de krævede tilbud ({rules})", "{offer} is not among the required offers ({rules})"),
    "why.not_valid": ("{offer} gælder ikke på afgørelsesdatoen", "{offer} is not valid on the decision date"),
    "why.age": ("{offer} er for alderen {range}", "{offer} is for ages {range}"),
    "why.target": ("{offer}: sagen er uden for målgruppen", "{offer}: the case is outside the target group"),
    "why.full": ("{offer} har ingen ledige pladser ({occupied} af {places})", "{offer} has no free places ({occupied} of {places})"),
    "why.withdrawn": ("{offer} findes ikke i dette scenarie", "{offer} does not exist in this scenario"),
    "why.no_place": ("{offer} har ingen plads til sagen i simuleringen", "{offer} has no place for the case in the simulation"),
    "why.no_places": ("{offer} har ingen pladser på afgørelsesdatoen", "{offer} has no places on the decision date"),
    "warn.turns_18": (
        "Den unge fylder 18 inden for 12 måneder: planlæg overgangen til voksenområdet (efterværn/ungestøtte, Barnets Lov § 114).",
        "The young person turns 18 within 12 months: plan the transition to the adult area (efterværn, Barnets Lov § 114).",
    ),
    "warn.preferred_unavailable": (
        "Et tilbud, som reglerne foretrækker, kan ikke bruges: {why}.",
        "An offer the rules prefer cannot be used: {why}.",
    ),
    "warn.no_rung_left": (
        "Der er intet trin over det, der er afprøvet uden tilstrækkelig effekt: sagen kræver en særskilt vurdering.",
        "There is no rung above the one tried without sufficient effect: the case needs a separate assessment.",
    ),
    "warn.capacity_full": (
        "Kapaciteten er fuld i {offer} ({occupied} af {places} pladser); næste mulighed er foreslået.",
        "{offer} is full ({occupied} of {places} places); the next option is suggested.",
    ),
    "warn.old_price": (
        "Taksten for {offer} er fra {year}, mere end to år før afgørelsesåret {now}: tjek den aktuelle takst.",
        "The tariff of {offer} is from {year}, more than two years before the decision year {now}: check the current tariff.",
    ),
    "warn.min_above_max": (
        "Reglerne modsiger hinanden: minimumstrinnet '{min}' ({min_rules}) ligger over det højeste trin '{max}' ({max_rules}).",
        "The rules contradict each other: the minimum rung '{min}' ({min_rules}) is above the highest rung '{max}' ({max_rules}).",
    ),
    "warn.other_ladder": (
        "Reglen '{rule}' peger på trappen '{ladder}', men sagen hører til '{case_ladder}'; virkningen er ikke brugt.",
        "The rule '{rule}' points at the ladder '{ladder}', but the case is on '{case_ladder}'; its effect is not used.",
    ),
    "warn.require_conflict": (
        "Reglerne kræver tilbud, der ikke kan forenes ({rules}); intet krævet tilbud er fælles.",
        "The rules require offers that cannot be combined ({rules}); no required offer is common to all.",
    ),
    "warn.reference_conflict": (
        "Flere regler nævner et sædvanligt alternativ ({refs}); '{chosen}' er brugt.",
        "Several rules name a usual alternative ({refs}); '{chosen}' is used.",
    ),
    "warn.prefer_excluded": (
        "'{offer}' er både foretrukket og udelukket; udelukkelsen gælder.",
        "'{offer}' is both preferred and excluded; the exclusion applies.",
    ),
    "warn.uncertain": (
        "Om sagen hører til målgruppen for {offer}, afhænger af manglende oplysninger.",
        "Whether the case is in the target group of {offer} depends on missing information.",
    ),
    "warn.no_ruleset": (
        "Intet regelsæt for denne trappe gælder på afgørelsesdatoen {date}; kun mindsteindgrebsprincippet er brugt.",
        "No rule set for this ladder is valid on the decision date {date}; only least intervention was applied.",
    ),
    "warn.current_other_ladder": (
        "Det nuværende tilbud '{offer}' hører til en anden trappe.",
        "The current offer '{offer}' is on another ladder.",
    ),
}


def t(key: str, lang: str = "da", **params: Any) -> str:
    da, en = TEXT.get(key) or SIMULATION.get(key) or RULETESTS.get(key) or DIFF.get(key) or ENGINE[key]
    text = en if lang == "en" else da
    return text.format(**params) if params else text


_TEXT_KEY = re.compile(r"@([a-z_]+(?:\.[a-z_]+)+)")


def _localise(value: Any, lang: str) -> Any:
    """Replace every `@text.key` in a parameter by its text in `lang`."""
    if isinstance(value, str) and "@" in value:
        return _TEXT_KEY.sub(lambda m: t(m.group(1), lang) if m.group(1) in TEXT or m.group(1) in SIMULATION
                             or m.group(1) in RULETESTS else m.group(0), value)
    return value


def diagnostic_text(code: str, params: dict[str, Any], lang: str = "da") -> str:
    da, en = DIAGNOSTICS[code]
    text = en if lang == "en" else da
    # A parameter written "@key" is itself a text key, so that "offer" reads "tilbud" in Danish.
    shown = {k: _localise(v, lang) for k, v in params.items()}
    guess = shown.pop("guess", None)
    shown["hint"] = t("hint.did_you_mean", lang, guess=guess) if guess else ""
    return mask(text.format(**shown))
