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
    "validity-inverted": (
        "valid_from ({valid_from}) ligger efter valid_to ({valid_to}): {what} '{id}' gælder aldrig",
        "valid_from ({valid_from}) is after valid_to ({valid_to}): the {what} '{id}' never applies",
    ),
    # Static analysis (engine/analysis.py): warnings from `ladder validate`.
    "rule-never-true": (
        "betingelsen i reglen '{rule}' kan aldrig være opfyldt: {reason}",
        "the condition of the rule '{rule}' can never hold: {reason}",
    ),
    "rule-conflict": (
        "reglen '{rule}' og reglen '{other}' ({other_at}) kan gælde for samme sag og modsiger hinanden ({what}); "
        "angiv forrangen med exception_to",
        "the rule '{rule}' and the rule '{other}' ({other_at}) can apply to the same case and contradict each other "
        "({what}); state the precedence with exception_to",
    ),
    "offer-unreachable": (
        "tilbuddet '{offer}' kan aldrig foreslås: {why}",
        "the offer '{offer}' can never be suggested: {why}",
    ),
    "rung-empty": (
        "trinnet '{rung}' på trappen '{ladder}' har intet tilbud; sager springes over det",
        "the rung '{rung}' of the ladder '{ladder}' has no offer; cases skip it",
    ),
    "tariff-jump": (
        "taksten springer {ratio} gange (over {factor}) fra trinnet '{lower}' (højst {low}) til '{upper}' "
        "(mindst {high}): overvej en mellemform; store spring mellem tilbudsformer skubber borgere op ad trappen",
        "the tariff jumps {ratio_en} times (above {factor_en}) from the rung '{lower}' (at most {low}) to '{upper}' "
        "(at least {high}): consider a mellemform; big jumps between offer forms push people up the ladder",
    ),
    "price-year-old": (
        "taksten for '{offer}' er fra prisåret {year}, {age} år før {today} (grænse: {limit} år); tjek den aktuelle takst",
        "the tariff of '{offer}' is from the price year {year}, {age} years before {today} (limit: {limit} years); "
        "check the current tariff",
    ),
    "capacity-expired": (
        "kapacitetsplanen for {what} '{id}' er udløbet: ingen pladser fra {date}",
        "the capacity schedule of the {what} '{id}' has run out: no places from {date}",
    ),
    "offer-expired": (
        "tilbuddet '{offer}' gælder kun til og med {date}; forlæng valid_to eller fjern tilbuddet",
        "the offer '{offer}' is only valid until {date}; extend valid_to or remove the offer",
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
    "validate.ok_warnings": (
        "Ingen fejl: {files} filer, {rules} regler, {offers} tilbud; {warnings} advarsel(er)",
        "No errors: {files} files, {rules} rules, {offers} offers; {warnings} warning(s)",
    ),
    # Parts of static-analysis messages (engine/analysis.py).
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
    "schema.usage": (
        "angiv enten et skemanavn ({names}) eller --all MAPPE; --out hører til et skemanavn",
        "give either a schema name ({names}) or --all FOLDER; --out goes with a schema name",
    ),
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
    da, en = TEXT.get(key) or SIMULATION.get(key) or RULETESTS.get(key) or ENGINE[key]
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

# Titles and descriptions in the JSON Schemas (`ladder schema`): what an editor shows on hover.
# Keys: "title.<schema>", "<Model>" (a model), "<Model>.<key>" (its key), "*.<key>" (any model's key).
SCHEMA_TEXT: dict[str, tuple[str, str]] = {
    "title.case": ("ladder: sag (anonymiseret sagsprofil)", "ladder: case (anonymised case profile)"),
    "title.catalog": ("ladder: tilbudskatalog (kind: catalog)", "ladder: offer catalogue (kind: catalog)"),
    "title.rules": ("ladder: regelsæt (kind: ruleset)", "ladder: rule set (kind: ruleset)"),
    "title.scenario": ("ladder: scenarie (kind: scenario)", "ladder: scenario (kind: scenario)"),
    "title.tests": ("ladder: regeltest (kind: tests)", "ladder: rule tests (kind: tests)"),
    "title.profile_schema": ("ladder: profilskema (kind: profile_schema)", "ladder: profile schema (kind: profile_schema)"),
    # Shared keys.
    "*.id": ("Id: små bogstaver a-z, cifre og _, fx ung_spor.", "Id: lower-case a-z, digits and _, e.g. ung_spor."),
    "*.kind": ("Filens art.", "The kind of file."),
    "*.title": ("Titel.", "Title."),
    "*.name": ("Navn (dansk).", "Name (Danish)."),
    "*.name_en": ("Navn på engelsk (vises med --lang en).", "Name in English (shown with --lang en)."),
    "*.description": ("Beskrivelse i fri tekst.", "Description in free text."),
    "*.source": ("Kilde, fx kommunens takstblad, Tilbudsportalen eller en rapport.", "Source, e.g. the municipality's tariff sheet, Tilbudsportalen or a report."),
    "*.valid_from": ("Gælder fra og med denne dato (ÅÅÅÅ-MM-DD).", "Valid from this date on, inclusive (YYYY-MM-DD)."),
    "*.valid_to": ("Gælder til og med denne dato (ÅÅÅÅ-MM-DD).", "Valid until this date, inclusive (YYYY-MM-DD)."),
    "*.legal_basis": ("Hjemmel, fx 'Folkeskoleloven § 20, stk. 2'.", "Legal basis, e.g. 'Folkeskoleloven § 20, stk. 2'."),
    "*.price_year": ("Prisår, fx 2024.", "Price year, e.g. 2024."),
    "*.year": ("År.", "Year."),
    "*.offer": ("Tilbuddets id fra kataloget.", "The offer's id from the catalogue."),
    "*.ladder": ("Trappens id.", "The ladder's id."),
    "*.rung": ("Trinnets id (på tilbuddets trappe).", "The rung's id (on the offer's ladder)."),
    "*.schedule": ("Pladser over tid: fra hver dato gælder det nye antal; i datoorden.", "Places over time: from each date the new number applies; in date order."),
    "*.occupied": ("Pladser i brug, da kataloget sidst blev opdateret; uden det kan ladder ikke vide, at der er fuldt.", "Places in use when the catalogue was last updated; without it ladder cannot know that it is full."),
    "*.capacity": ("Pladser (valgfrit): places, schedule eller pool.", "Places (optional): places, schedule or pool."),
    "*.target_group": ("Målgruppe (valgfrit): alder og betingelser, sagen skal opfylde.", "Target group (optional): age and conditions the case must meet."),
    "*.label_en": ("Tekst på engelsk (vises med --lang en).", "Text in English (shown with --lang en)."),
    "*.to": ("Sidste år (standard: periodens sidste).", "Last year (default: the horizon's last)."),
    # Case.
    "Case": (
        "En anonymiseret sag. Felterne kommer fra profilskemaet (catalogs/profile_schema.yaml); navne og CPR-numre hører ikke hjemme her, og sags-id er et pseudonym.",
        "An anonymised case. The fields come from the profile schema (catalogs/profile_schema.yaml); names and CPR numbers do not belong here, and the case id is a pseudonym.",
    ),
    "Case.kind": ("Kan udelades; skrives den, er den 'case'.", "May be left out; when written, it is 'case'."),
    "TriedOffer": ("Et tilbud, sagen har prøvet, og hvordan det gik.", "An offer the case has tried, and how it went."),
    "TriedOffer.outcome": (
        "insufficient: uden tilstrækkelig effekt (forslaget bliver mindst et trin højere); ended: afsluttet; ongoing: i gang.",
        "insufficient: without sufficient effect (the suggestion is at least one rung higher); ended: ended; ongoing: under way.",
    ),
    # Rule set.
    "RuleSet": (
        "Et regelsæt: regler med betingelse (when), virkning (then), begrundelse (because) og hjemmel (legal_basis).",
        "A rule set: rules with a condition (when), effects (then), a reason (because) and a legal basis (legal_basis).",
    ),
    "RuleSet.version": ("Regelsættets version som tekst, fx \"2024.1\"; står i hvert forslag.", "The rule set's version as text, e.g. \"2024.1\"; shown in every suggestion."),
    "RuleSet.ladders": ("Trapperne, regelsættet gælder for; udeladt: alle trapper.", "The ladders the rule set covers; left out: every ladder."),
    "RuleSet.facts": (
        "Afledte fakta med tekst: en regel kan udlede dem (derive), og andre regler kan læse dem som felter.",
        "Derived facts with their text: a rule may derive them, and other rules read them like fields.",
    ),
    "RuleSet.flags": ("Markeringer med tekst, som reglerne kan sætte (fx en påmindelse om en PPR-vurdering).", "Flags with their text that the rules may set (e.g. a reminder of a PPR assessment)."),
    "RuleSet.rules": ("Reglerne.", "The rules."),
    "Label": ("Tekst til et afledt faktum eller en markering.", "Text of a derived fact or a flag."),
    "Label.label": ("Tekst på dansk.", "Text in Danish."),
    "Rule": (
        "En regel: når betingelsen (when) holder, gælder virkningerne (then). Begrundelse og hjemmel vises i forslaget.",
        "A rule: when its condition (when) holds, its effects (then) apply. Reason and legal basis are shown in the suggestion.",
    ),
    "Rule.when": ("Betingelsen: felttest, all, any og not.", "The condition: field tests, all, any and not."),
    "Rule.then": ("Virkningerne, når betingelsen holder.", "The effects when the condition holds."),
    "Rule.because": ("Begrundelsen i hele sætninger; vises i forslaget.", "The reason in full sentences (Danish); shown in the suggestion."),
    "Rule.because_en": ("Begrundelsen på engelsk (vises med --lang en).", "The reason in English (shown with --lang en)."),
    "Rule.exception_to": (
        "Regler, denne regel er en undtagelse til: fyrer begge, tilsidesættes deres virkning på forslaget.",
        "Rules this rule is an exception to: when both fire, their effects on the suggestion are set aside.",
    ),
    "Condition": (
        "En betingelse: felttest samt all, any og not; alle dele skal holde. Mangler en oplysning, er testen ukendt, aldrig falsk.",
        "A condition: field tests and all, any and not; every part must hold. A missing field makes a test unknown, never false.",
    ),
    "Condition.*": (
        "Et felt fra profilskemaet, et scores-felt som function_levels.relationer, eller et afledt faktum: en værdi (betyder eq) eller en test med operatorer.",
        "A profile schema field, a scores field such as function_levels.relationer, or a derived fact: a value (meaning eq) or a test with operators.",
    ),
    "Condition.all": ("Alle disse betingelser skal holde.", "All of these conditions must hold."),
    "Condition.any": ("Mindst én af disse betingelser skal holde.", "At least one of these conditions must hold."),
    "Condition.not": ("Betingelsen må ikke holde (ukendt forbliver ukendt).", "The condition must not hold (unknown stays unknown)."),
    "Test": ("En test af ét felt; med flere operatorer skal alle holde.", "A test of one field; with several operators, all must hold."),
    "Test.eq": ("Lig med.", "Equal to."),
    "Test.ne": ("Forskellig fra.", "Not equal to."),
    "Test.lt": ("Mindre end.", "Less than."),
    "Test.lte": ("Mindre end eller lig med.", "Less than or equal to."),
    "Test.gt": ("Større end.", "Greater than."),
    "Test.gte": ("Større end eller lig med.", "Greater than or equal to."),
    "Test.between": ("Mellem [laveste, højeste], begge med.", "Between [lowest, highest], both included."),
    "Test.in": ("En af disse værdier.", "One of these values."),
    "Test.not_in": ("Ingen af disse værdier.", "None of these values."),
    "Test.contains": ("Listen (fx diagnoses) indeholder værdien.", "The list (e.g. diagnoses) contains the value."),
    "Test.contains_any": ("Listen indeholder mindst én af værdierne.", "The list contains at least one of the values."),
    "Test.contains_all": ("Listen indeholder alle værdierne.", "The list contains all of the values."),
    "Test.contains_none": ("Listen indeholder ingen af værdierne.", "The list contains none of the values."),
    "Test.known": ("true: feltet er udfyldt; false: feltet mangler. Aldrig ukendt.", "true: the field is filled in; false: it is missing. Never unknown."),
    "Effects": ("Hvad reglen gør, når betingelsen holder; mindst én virkning.", "What the rule does when its condition holds; at least one effect."),
    "Effects.min_rung": ("Laveste trin, der kan foreslås (trinnets id).", "The lowest rung that may be suggested (the rung's id)."),
    "Effects.max_rung": ("Højeste trin, der kan foreslås (trinnets id).", "The highest rung that may be suggested (the rung's id)."),
    "Effects.require": ("Kun disse tilbud kan foreslås; kræver flere regler tilbud, gælder de fælles.", "Only these offers may be suggested; when several rules require offers, those in common apply."),
    "Effects.prefer": (
        "Disse tilbud rangeres før de andre på trinnet (indbyrdes: sikker målgruppe, lokale, billigste først).",
        "These offers rank before the others on the rung (among them: certain target group, local, cheapest first).",
    ),
    "Effects.exclude": ("Disse tilbud kan ikke foreslås.", "These offers may not be suggested."),
    "Effects.reference": (
        "Det sædvanlige alternativ (et tilbuds id): forslagets takst sammenlignes med dets (vs_reference).",
        "The usual alternative (an offer's id): the suggestion's tariff is compared with its tariff (vs_reference).",
    ),
    "Effects.flags": ("Markeringer, der vises med forslaget (erklæret under flags).", "Flags shown with the suggestion (declared under flags)."),
    "Effects.derive": ("Afledte fakta, der bliver sande (erklæret under facts); andre regler kan læse dem.", "Derived facts that become true (declared under facts); other rules may read them."),
    # Catalogue.
    "Catalog": ("Et tilbudskatalog: trapper med trin, puljer af pladser og tilbud med takster.", "An offer catalogue: ladders with rungs, pools of places and offers with tariffs."),
    "Catalog.ladders": ("Indsatstrapperne.", "The offer ladders."),
    "Catalog.pools": ("Puljer af pladser, som flere tilbud deler.", "Pools of places shared by several offers."),
    "Catalog.offers": ("Tilbuddene, hvert på et trin på en trappe.", "The offers, each on a rung of a ladder."),
    "Ladder": ("En indsatstrappe; trinnene står med det mindst indgribende først, og den rækkefølge er hele pointen.", "An offer ladder; the rungs are listed least intrusive first, and that order is the whole point."),
    "Ladder.least_intervention_basis": ("Hjemmel for mindsteindgrebsprincippet på trappen.", "Legal basis of the least intervention principle on this ladder."),
    "Ladder.transition_age": ("Alderen, hvor en sag forlader trappen (18 for børn); ladder advarer et år før.", "The age at which a case leaves the ladder (18 for children); ladder warns a year before."),
    "Ladder.rungs": ("Trinnene, mindst indgribende først.", "The rungs, least intrusive first."),
    "Rung": ("Et trin på trappen.", "A rung of the ladder."),
    "Pool": ("En pulje af pladser, som flere tilbud deler (fx Ungdomsskolens tre udskolingsspor).", "A pool of places shared by several offers (e.g. the Ungdomsskole's three tracks)."),
    "Step": ("Fra denne dato har tilbuddet (eller puljen) så mange pladser.", "From this date on, the offer (or pool) has this many places."),
    "Step.from": ("Datoen (ÅÅÅÅ-MM-DD), antallet gælder fra.", "The date (YYYY-MM-DD) the number applies from."),
    "Step.places": ("Antal pladser fra datoen.", "Number of places from the date."),
    "Offer": ("Et tilbud på et trin, med takst og hjemmel og eventuelt pladser og målgruppe.", "An offer on a rung, with tariff and legal basis and optionally places and a target group."),
    "Offer.provider": ("Leverandør: own (kommunens egen), other_municipality, region eller private.", "Provider: own (the municipality's own), other_municipality, region or private."),
    "Offer.local": ("true, når tilbuddet er lokalt; lokale og egne tilbud rangeres før andre på samme trin.", "true when the offer is local; local and own offers rank before others on the same rung."),
    "Offer.tariff": ("Årlig takst i hele kroner med prisår og kilde.", "Annual tariff in whole kroner with price year and source."),
    "Offer.expected_duration_months": ("Forventet varighed i måneder; forløbets udgift er takst × måneder / 12.", "Expected duration in months; the course cost is tariff × months / 12."),
    "Tariff": ("Takst: årligt beløb i hele kroner, prisår og kilde.", "Tariff: annual amount in whole kroner, price year and source."),
    "Tariff.annual": ("Årlig takst i hele kroner uden tusindtalspunktum, fx 684000.", "Annual tariff in whole kroner without a thousands separator, e.g. 684000."),
    "Capacity": ("Pladser: præcis én af places, schedule eller pool.", "Places: exactly one of places, schedule or pool."),
    "Capacity.places": ("Antal pladser.", "Number of places."),
    "Capacity.pool": ("Id på den pulje, hvis pladser tilbuddet deler med andre.", "Id of the pool whose places the offer shares with others."),
    "TargetGroup": (
        "Målgruppe: sagen skal være i aldersspændet og opfylde betingelsen. Afhænger det af manglende oplysninger, foreslås tilbuddet med uafklaret målgruppe.",
        "Target group: the case must be in the age range and meet the condition. When that depends on missing information, the offer is suggested with its target group unresolved.",
    ),
    "TargetGroup.description": ("Målgruppen i ord.", "The target group in words."),
    "TargetGroup.age": ("Aldersspænd (min, max).", "Age range (min, max)."),
    "TargetGroup.when": ("Betingelse, sagen skal opfylde, skrevet som en regels when.", "A condition the case must meet, written like a rule's when."),
    "AgeRange": ("Aldersspænd; begge grænser er med.", "Age range; both limits included."),
    "AgeRange.min": ("Laveste alder i år.", "Lowest age in years."),
    "AgeRange.max": ("Højeste alder i år.", "Highest age in years."),
    # Profile schema.
    "ProfileSchema": (
        "Profilskemaet: de felter en anonymiseret sag kan have. Et felt tilføjet her kan bruges i regler uden ny kode.",
        "The profile schema: the fields an anonymised case may have. A field added here can be used in rules without new code.",
    ),
    "ProfileSchema.fields": ("Felterne; case_id, decision_date og ladder skal være med og være required.", "The fields; case_id, decision_date and ladder must be there and be required."),
    "FieldSpec": ("Et felt i sagsprofilen.", "A field of the case profile."),
    "FieldSpec.type": (
        "Felttype: pseudonym, integer, number, boolean, date, category, categories (en liste), scores, offer eller tried_offers.",
        "Field type: pseudonym, integer, number, boolean, date, category, categories (a list), scores, offer or tried_offers.",
    ),
    "FieldSpec.label": ("Feltets navn på dansk.", "The field's name in Danish."),
    "FieldSpec.unit": ("Enhed, fx år eller %.", "Unit, e.g. years or %."),
    "FieldSpec.required": ("true: feltet skal være udfyldt i hver sag.", "true: every case must fill the field in."),
    "FieldSpec.values": ("De tilladte værdier (category og categories).", "The allowed values (category and categories)."),
    "FieldSpec.keys": ("Nøglerne i et scores-felt.", "The keys of a scores field."),
    "FieldSpec.min": ("Mindste værdi (integer, number og scores).", "Lowest value (integer, number and scores)."),
    "FieldSpec.max": ("Største værdi (integer, number og scores).", "Highest value (integer, number and scores)."),
    # Scenario.
    "Scenario": (
        "Et scenarie til ladder simulate: basis mod scenarie med ændringer i katalog og regler, investeringer og effektantagelser.",
        "A scenario for ladder simulate: baseline against scenario with changes to catalogue and rules, investments and effect assumptions.",
    ),
    "Scenario.title_en": ("Titel på engelsk.", "Title in English."),
    "Scenario.cohort": (
        "Standardkohorten, relativt til denne fil: en mappe med sager, en CSV- eller Excel-fil; --cohort går forud.",
        "The default cohort, relative to this file: a folder of cases, a CSV or Excel file; --cohort overrides it.",
    ),
    "Scenario.cohort_model": (
        "steady_state: kohorten er hvert års sager og ældes ikke. fixed: én kohorte følges over årene.",
        "steady_state: the cohort is every year's caseload and does not age. fixed: one cohort followed over the years.",
    ),
    "Scenario.years": ("Perioden: første og sidste år (højst 30 år).", "The horizon: first and last year (at most 30 years)."),
    "Scenario.price_year": ("Prisåret, resultatet opgøres i.", "The price year the result is in."),
    "Scenario.price_index": ("Prisindeks pr. år; omregner takster fra andre prisår.", "Price index per year; converts tariffs from other price years."),
    "Scenario.baseline": ("Ændringer på basissiden (verden uden tiltaget).", "Changes on the baseline side (the world without the measure)."),
    "Scenario.scenario": ("Ændringer på scenariesiden.", "Changes on the scenario side."),
    "Scenario.investments": ("Investeringsbehov: engangsbeløb (year og amount) eller løbende (annual, from, to).", "Investments: one-off (year and amount) or running (annual, from, to)."),
    "Scenario.fixed_effects": ("Faste årlige effekter, som sagerne ikke viser; besparelser negative.", "Fixed yearly effects the cases do not show; savings negative."),
    "Scenario.effects": ("Effektantagelser pr. tilbud (tilbuddets id), trukket i hver Monte Carlo-kørsel.", "Effect assumptions per offer (the offer's id), drawn in each Monte Carlo run."),
    "Horizon": ("Årene, der regnes på.", "The years computed."),
    "Horizon.first": ("Første år.", "First year."),
    "Horizon.last": ("Sidste år.", "Last year."),
    "PriceIndex": ("Prisindeks for et år.", "The price index of a year."),
    "PriceIndex.index": ("Indekstal, fx 104.2 (punktum som decimaltegn).", "Index, e.g. 104.2."),
    "Overlay": ("Ændringer i katalog og regler på den ene side; resten er som givet.", "Changes to catalogue and rules on one side; the rest is as given."),
    "Overlay.add_offers": ("Nye tilbud, skrevet som i et katalog.", "New offers, written as in a catalogue."),
    "Overlay.change_offers": ("Ændringer af katalogets tilbud.", "Changes to the catalogue's offers."),
    "Overlay.remove_offers": ("Tilbud, der fjernes: de er stadig kendte, men foreslås aldrig.", "Offers removed: still known, never suggested."),
    "Overlay.add_pools": ("Nye puljer, skrevet som i et katalog.", "New pools, written as in a catalogue."),
    "Overlay.change_pools": ("Nye pladsplaner for katalogets puljer.", "New schedules for the catalogue's pools."),
    "Overlay.add_rules": ("Nye regler under id'et på det regelsæt, de hører til.", "New rules under the id of the rule set they join."),
    "Overlay.change_rules": ("Regler, der erstatter reglen med samme id.", "Rules that replace the rule with the same id."),
    "Overlay.remove_rules": ("Id'er på regler, der fjernes.", "Ids of rules removed."),
    "OfferChange": ("Ændring af et tilbud i kataloget; det, der ikke nævnes, er uændret.", "A change to a catalogue offer; what is not named stays as it is."),
    "OfferChange.id": ("Id på tilbuddet, der ændres.", "Id of the offer to change."),
    "OfferChange.annual": ("Ny årlig takst i hele kroner.", "The new annual tariff in whole kroner."),
    "OfferChange.annual_pct": ("Eller ændringen af taksten i procent (-10 er ti procent billigere).", "Or the change of the tariff in per cent (-10 is ten per cent cheaper)."),
    "PoolChange": ("Ny pladsplan for en pulje.", "A new schedule for a pool."),
    "PoolChange.id": ("Id på puljen.", "Id of the pool."),
    "Investment": ("En investering: engangsbeløb (year og amount) eller løbende beløb (annual med from og to).", "An investment: one-off (year and amount) or running (annual with from and to)."),
    "Investment.label": ("Hvad investeringen går til.", "What the investment is for."),
    "Investment.amount": ("Engangsbeløb i hele kroner (med year).", "One-off amount in whole kroner (with year)."),
    "Investment.annual": ("Løbende beløb pr. år i hele kroner.", "Running amount per year in whole kroner."),
    "Investment.from": ("Første år for det løbende beløb (standard: periodens første).", "First year of the running amount (default: the horizon's first)."),
    "FixedEffect": ("En fast årlig effekt; besparelser negative.", "A fixed yearly effect; savings negative."),
    "FixedEffect.label": ("Hvad effekten er.", "What the effect is."),
    "FixedEffect.amount": ("Beløb i hele kroner; en besparelse er negativ.", "Amount in whole kroner; a saving is negative."),
    "Effect": ("Antagelser om forløbene i et tilbud.", "Assumptions about the courses of an offer."),
    "Effect.breakdown": ("Andel af forløb, der bryder sammen (0-1): sagen rykker et trin op.", "Share of courses that break down (0-1): the case moves a rung up."),
    "Effect.success": (
        "Andel af forløb, der virker (0-1; standard: alle, der ikke bryder sammen); resten bliver, hvor de var.",
        "Share of courses that work (0-1; default: all that do not break down); the rest stay where they were.",
    ),
    "Effect.relapse_per_year": ("Årlig andel af succeserne, der falder tilbage (kun cohort_model: fixed).", "Yearly share of the successes that fall back (cohort_model: fixed only)."),
    "Effect.move_out_per_year": ("Årlig andel, der flytter fra kommunen (kun cohort_model: fixed).", "Yearly share moving out of the municipality (cohort_model: fixed only)."),
    "Effect.levels": ("Omkostningsniveauer i stedet for takster (fx VIVEs udgiftsgrupper).", "Cost levels instead of tariffs (e.g. VIVE's cost groups)."),
    "Levels": (
        "Omkostningsniveauer: sagens niveau læses fra et heltalsfelt (1 = laveste); succes flytter et niveau ned, sammenbrud et op.",
        "Cost levels: the case's level is read from an integer field (1 = the lowest); success moves one level down, a breakdown one up.",
    ),
    "Levels.field": ("Heltalsfeltet i profilen med sagens niveau.", "The integer profile field holding the case's level."),
    "Levels.costs": ("Årlig udgift pr. niveau i hele kroner, laveste niveau først.", "Annual cost per level in whole kroner, lowest level first."),
    # Rule tests.
    "TestFile": ("Regeltest: sager og hvad forslaget skal vise; køres med ladder test.", "Rule tests: cases and what the suggestion must show; run by ladder test."),
    "TestFile.tests": ("Testene.", "The tests."),
    "RuleTest": ("En test: en sag og hvad forslaget for den skal vise.", "A test: a case and what its suggestion must show."),
    "RuleTest.name": ("Testens navn; vises, når testen fejler.", "The test's name; shown when the test fails."),
    "RuleTest.case": ("En sagsfil (relativt til testfilen) eller sagen skrevet her.", "A case file (relative to the test file) or the case written here."),
    "RuleTest.expect": ("Det forventede; kun det, der står, tjekkes.", "What is expected; only what is written is checked."),
    "Expect": ("Hvad forslaget skal vise; kun det, der står, tjekkes.", "What the suggestion must show; only what is written is checked."),
    "Expect.rung": ("Det foreslåede trin (null: intet trin kan foreslås).", "The suggested rung (null: no rung can be suggested)."),
    "Expect.offers": ("De foreslåede tilbud i rækkefølge.", "The suggested offers, in order."),
    "Expect.flags": ("Markeringerne (rækkefølgen er ligegyldig).", "The flags (in any order)."),
    "Expect.missing_information": ("De manglende oplysninger (rækkefølgen er ligegyldig).", "The missing information (in any order)."),
    "Expect.rules_fired": ("Regler, der skal fyre.", "Rules that must fire."),
    "Expect.rules_not_fired": ("Regler, der ikke må fyre.", "Rules that must not fire."),
    "Expect.cost_difference": ("Beløb pr. foreslået tilbud (tilbuddets id).", "Amounts per suggested offer (the offer's id)."),
    "OfferCosts": ("Beløb, et foreslået tilbud skal vise; hvert er valgfrit.", "Amounts a suggested offer must show; each is optional."),
    "OfferCosts.annual_cost": ("Årlig takst i hele kroner.", "Annual tariff in whole kroner."),
    "OfferCosts.course_cost": ("Forløbets udgift i hele kroner (takst × måneder / 12).", "The course cost in whole kroner (tariff × months / 12)."),
    "OfferCosts.vs_current": ("Forskel til det nuværende tilbud; negativ er en besparelse.", "Difference to the current offer; negative is a saving."),
    "OfferCosts.vs_reference": ("Forskel til det sædvanlige alternativ; negativ er en besparelse.", "Difference to the usual alternative; negative is a saving."),
}
