"""The diagnostic codes and their sentences; a code is stable, scripts and docs rely on it."""

from __future__ import annotations

from engine.text.messages.plural import Texts

# See docs/diagnostics.md for every code.
DIAGNOSTICS: Texts = {
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
    "wrong-type": ("forkert type: forventede {expected}{rewrite}", "wrong type: expected {expected}{rewrite}"),
    "wrong-value": ("ugyldig værdi{hint}: tilladt er {expected}", "invalid value{hint}: allowed are {expected}"),
    "boolean-text": (
        "skriv ja eller nej (også true/false, yes/no, j/n, sand/falsk, 1/0){rewrite}",
        "write yes or no (also true/false, ja/nej, j/n, sand/falsk, 1/0){rewrite}",
    ),
    "number-ambiguous": (
        "tal skrives uden tusindtalsseparator og med komma eller punktum som decimaltegn, fx 1500 eller 62,5; et tal som 1.500 kan læses på to måder (har det tre decimaler, så skriv 1,5000)",
        "numbers are written without a thousands separator and with a comma or a point as decimal mark, e.g. 1500 or 62.5; a number like 1.500 can be read two ways (if it has three decimals, write 1.5000)",
    ),
    "out-of-range": ("værdien skal være {limit}", "the value must be {limit}"),
    "too-long": ("højst {max} tegn eller elementer", "at most {max} characters or items"),
    "personal-data-policy": ("ligner et CPR-nummer ({masked}); et CPR-nummer hører aldrig hjemme i regler, kataloger, scenarier, budgetter eller befolkningstal", "looks like a CPR number ({masked}); a CPR number never belongs in rules, catalogues, scenarios, budgets or population figures"),
    "folder-nothing-to-check": ("mappen har ingen filer, ladder kan tjekke (*.yaml, *.csv, *.xlsx); dens undermapper læses ikke: nævn dem selv", "the folder holds no file ladder can check (*.yaml, *.csv, *.xlsx); its subfolders are not read: name them"),
    "text-too-short": ("skal have mindst {min} {min:tegn|tegn}", "needs at least {min} {min:character|characters}"),
    "too-short": ("skal have mindst {min} {min:element|elementer}", "needs at least {min} {min:item|items}"),
    "pattern": (
        "ugyldigt id: brug små bogstaver a-z, cifre og _ (fx 'ung_spor')",
        "invalid id: use lower-case a-z, digits and _ (e.g. 'ung_spor')",
    ),
    "pseudonym": (
        "et sags-id skal være et pseudonym (bogstaver, cifre, - _ .; mindst ét ciffer; højst 40 tegn; højst ét ord, der kan ligne et navn), ikke et navn",
        "a case id must be a pseudonym (letters, digits, - _ .; at least one digit; at most 40 characters; at most one word that could be a name), not a name",
    ),
    "kroner-float": (
        "beløb skrives i hele kroner uden tusindtalspunktum, fx 684000 (YAML læser 684.000 som et decimaltal)",
        "amounts are whole kroner without thousands separator, e.g. 684000 (YAML reads 684.000 as a decimal)",
    ),
    "kroner-type": ("beløb skal være hele kroner, fx 440000", "amounts must be whole kroner, e.g. 440000"),
    "iso-date": ("datoen skal være en ISO-dato (ÅÅÅÅ-MM-DD){also}{rewrite}", "the date must be an ISO date (YYYY-MM-DD){also}{rewrite}"),
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
    "fact-is-field": ("det afledte faktum '{fact}' har samme navn som et felt i profilskemaet; giv det et andet navn", "the derived fact '{fact}' has the same name as a field of the profile schema; give it another name"),
    "exception-self": ("en regel kan ikke være undtagelse til sig selv", "a rule cannot be an exception to itself"),
    "exception-derive-only": (
        "reglen '{target}' afleder kun fakta; en undtagelse kan kun tilsidesætte regler med virkning på forslaget",
        "the rule '{target}' only derives facts; an exception can only override rules that shape the suggestion",
    ),
    "missing-file": ("ingen {what} fundet i {folder}", "no {what} found in {folder}"),
    "yaml-character": ("tegnet {code} må ikke stå i en YAML-fil (styretegn eller binære data)", "the character {code} is not allowed in a YAML file (control character or binary data)"),
    "yaml-depth": ("filen er indlejret dybere end {limit} niveauer", "the file is nested deeper than {limit} levels"),
    "file-too-large": ("filen er større end {limit} MB; ingen regel-, katalog- eller sagsfil er så stor", "the file is larger than {limit} MB; no rule, catalogue or case file is that large"),
    "yaml-limit": ("filen har flere end {limit} YAML-elementer (fx en alias-bombe eller titusinder af nøgler)", "the file has more than {limit} YAML nodes (e.g. an alias bomb or tens of thousands of keys)"),
    "schema-twice": ("der er mere end ét profilskema (også {other})", "there is more than one profile schema (also {other})"),
    "not-a-file": ("findes ikke eller er ikke en almindelig fil eller mappe (fx en enhed eller en pipe)", "does not exist or is not a regular file or folder (e.g. a device or a pipe)"),
    "cases-too-many": ("flere end {limit} sagsfiler; del kohorten op", "more than {limit} case files; split the cohort"),
    "no-cases": ("ingen sager (*.yaml) fundet", "no cases (*.yaml) found"),
    "ladder-unknown-in-case": ("trappen '{id}' findes ikke i kataloget", "the ladder '{id}' is not in the catalogue"),
    "out-is-input": ("{option} peger på en fil, kommandoen læser; vælg et andet navn (også med --force)", "{option} names a file the command reads; choose another name (--force does not change that)"),
    "out-not-a-file": ("{option}: navnet er ikke en almindelig fil (fx en enhed eller en mappe); vælg et filnavn", "{option}: the name is not a regular file (e.g. a device or a folder); choose a file name"),
    "out-twice": ("{option} og {other} peger på samme fil; vælg to forskellige filnavne", "{option} and {other} name the same file; choose two different file names"),
    "out-exists": ("{option}: filen findes allerede; vælg et andet navn eller skriv --force for at erstatte den", "{option}: the file already exists; choose another name or add --force to replace it"),
    "file-write": ("filen kan ikke skrives: {reason}", "the file cannot be written: {reason}"),
    "show-ladder-unknown": ("trappen '{id}' findes ikke i kataloget{hint}; trapperne er: {known}", "the ladder '{id}' is not in the catalogue{hint}; the ladders are: {known}"),
    "offer-one-side": ("tilbuddet '{offer}' findes ikke på {side}-siden af scenariet", "the offer '{offer}' does not exist on the {side} side of the scenario"),
    "overlay-twice": ("'{id}' står flere gange i {key}; kun én ændring pr. id", "'{id}' is listed more than once in {key}; one change per id"),
    "overlay-conflict": ("'{id}' bliver både fjernet og ændret på samme side", "'{id}' is both removed and changed on the same side"),
    "budget-outside-years": ("året {year} ligger uden for budgettets år {first}-{last}", "the year {year} is outside the budget's years {first}-{last}"),
    "budget-scenario-folder": ("'{file}' er en mappe; et forslags scenarie er én fil (kind: scenario)", "'{file}' is a folder; a proposal's scenario is one file (kind: scenario)"),
    "budget-file-missing": ("filen '{file}' findes ikke eller er ikke en almindelig fil eller mappe", "the file '{file}' does not exist or is not a regular file or folder"),
    "mapping-needs-table": ("--mapping oversætter en eksport (CSV eller Excel), ikke en mappe med sagsfiler", "--mapping translates an export (CSV or Excel), not a folder of case files"),
    "mapping-set-unknown": ("værdisættet '{name}' står ikke under value_sets{hint}", "the value set '{name}' is not under value_sets{hint}"),
    "mapping-field-unknown": ("'{name}' er ikke et felt i profilskemaet{hint}", "'{name}' is not a field of the profile schema{hint}"),
    "mapping-column-unknown": ("kolonnen står ikke i oversættelsen {mapping}{hint}", "the column is not in the mapping {mapping}{hint}"),
    "mapping-value-unknown": ("værdien står ikke i oversættelsen {mapping} for kolonnen{hint}; rækken er ikke læst", "the value is not in the mapping {mapping} for the column{hint}; the row is not read"),
    "population-band": ("befolkningsfilen dækker ikke alle aldre {first}-{last} i {year} med bånd inden for gruppen", "the population file does not cover every age {first}-{last} in {year} with bands inside the group"),
    "keyfig-cohort": ("skriv --cohort ÅR=FIL, fx --cohort 2017=sager_2017.csv", "write --cohort YEAR=FILE, e.g. --cohort 2017=cases_2017.csv"),
    "keyfig-ages": ("skriv --ages FRA-TIL med hele år, fx --ages 0-22", "write --ages FROM-TO in whole years, e.g. --ages 0-22"),
    "keyfig-year-twice": ("året {year} har to kohorter", "the year {year} has two cohorts"),
    "outside-horizon": ("året {year} ligger uden for scenariets år {first}-{last}", "the year {year} is outside the scenario's years {first}-{last}"),
    "case-effect-field": (
        "feltet '{field}' kan ikke ændres af en effekt: kun profilfelter med tal, ja/nej eller kategorier (ikke case_id, decision_date, ladder eller tilbud)",
        "the field '{field}' cannot be changed by an effect: only profile fields with numbers, yes/no or categories (not case_id, decision_date, ladder or offers)",
    ),
    "case-effect-value": ("værdien passer ikke til feltet '{field}' ({expected})", "the value does not fit the field '{field}' ({expected})"),
    "no-capacity": ("'{id}' har ingen pladser (capacity) på scenariesiden; pr. plads kræver pladser", "'{id}' has no places (capacity) on the scenario side; per place needs places"),
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
    "cohort-xlsx-sheets": (
        "arbejdsbogen har {count} ark; en kohorte læses fra en arbejdsbog med ét ark: flyt eller slet de andre (også skjulte ark)",
        "the workbook has {count} sheets; a cohort is read from a workbook with one sheet: move or delete the others (hidden sheets too)",
    ),
    "cohort-xlsx-formula": (
        "cellen har en formel uden et gemt resultat og ville blive læst som tom; åbn og gem projektmappen i Excel (så regnes den ud), eller skriv værdien",
        "the cell holds a formula without a stored result and would be read as empty; open and save the workbook in Excel (which computes it), or type the value",
    ),
    "cohort-xlsx-comments": (
        "arbejdsbogen har kommentarer eller noter; de læses ikke og kan rumme personoplysninger: slet dem (Gennemse › Slet)",
        "the workbook has comments or notes; they are not read and may hold personal data: delete them (Review › Delete)",
    ),
    "cohort-xlsx-sheet-name": (
        "arkets navn ligner personoplysninger ({kind}: {masked}); omdøb arket",
        "the sheet's name looks like personal data ({kind}: {masked}); rename the sheet",
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
    "cohort-cell": ("cellen kan ikke læses som {expected}{rewrite}", "the cell cannot be read as {expected}{rewrite}"),
    "cohort-decimal": (
        "tal skrives uden tusindtalsseparator og med komma eller punktum som decimaltegn, fx 1500 eller 62,5; et tal som 1.500 kan læses på to måder (har det tre decimaler, så skriv 1,5000)",
        "numbers are written without a thousands separator and with a comma or a point as decimal mark, e.g. 1500 or 62.5; a number like 1.500 can be read two ways (if it has three decimals, write 1.5000)",
    ),
    "cohort-too-many": ("filen har flere end {limit} sager; del kohorten op", "the file has more than {limit} cases; split the cohort"),
    "cohort-too-wide": ("overskriftsrækken har flere end {limit} kolonner", "the header row has more than {limit} columns"),
    "cohort-too-large": ("filen er større end {limit} MB", "the file is larger than {limit} MB"),
    "cohort-xlsx-unpacked": ("Excel-filen fylder mere end {limit} MB udpakket (en .xlsx er et zip-arkiv); del kohorten op", "the Excel file unpacks to more than {limit} MB (an .xlsx is a zip archive); split the cohort"),
    "cohort-csv": ("CSV-filen kan ikke læses: {problem}", "the CSV file cannot be read: {problem}"),
    "cohort-xlsx": (
        "filen kan ikke læses som en Excel-projektmappe (.xlsx); gem den igen fra Excel som .xlsx eller som CSV",
        "the file cannot be read as an Excel workbook (.xlsx); save it again from Excel as .xlsx or as CSV",
    ),
    "validity-inverted": (
        "valid_from ({valid_from}) ligger efter valid_to ({valid_to}): {what} '{id}' gælder aldrig",
        "valid_from ({valid_from}) is after valid_to ({valid_to}): the {what} '{id}' never applies",
    ),
    # Static analysis (engine/knowledge/analysis.py): warnings from `ladder validate`.
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
    # The decision log (`ladder suggest --log`, `ladder log`, engine/log/store.py): line is the entry's number.
    "toml-syntax": ("TOML-syntaksfejl: {problem}", "TOML syntax error: {problem}"),
    "init-not-empty": (
        "mappen findes og er ikke tom; `ladder init` laver en ny mappe og skriver aldrig i en, der har indhold",
        "the folder exists and is not empty; `ladder init` makes a new folder and never writes into one with contents",
    ),
    "content-folder-missing": (
        "[content] {key}: mappen '{folder}' findes ikke ved siden af ladder.toml; ret stien, eller fjern linjen",
        "[content] {key}: the folder '{folder}' does not exist beside ladder.toml; correct the path or remove the line",
    ),
    "log-not-a-log": (
        "filen er ikke en beslutningslog fra ladder; vælg den rigtige fil, eller et nyt filnavn til en ny log",
        "the file is not a ladder decision log; choose the right file, or a new file name for a new log",
    ),
    "log-damaged": ("filen er ikke en SQLite-database, eller den er beskadiget", "the file is not an SQLite database, or it is damaged"),
    "log-version": (
        "loggen har formatversion {found}; denne udgave af ladder læser version {supported}: opdatér ladder",
        "the log has format version {found}; this version of ladder reads version {supported}: update ladder",
    ),
    "log-database": ("beslutningsloggens database kan ikke bruges: {reason}", "the decision log's database cannot be used: {reason}"),
    "serve-users-empty": ("filen har ingen brugere: skriv [users] og én linje navn = \"$argon2id$…\" pr. bruger", "the file has no users: write [users] and one line name = \"$argon2id$…\" per user"),
    "serve-users-hash": ("brugeren '{user}' har ikke en argon2-hash; lav den med ladder serve --hash-password (en adgangskode skrives aldrig i filen)", "the user '{user}' has no argon2 hash; make it with ladder serve --hash-password (a password is never written in the file)"),
    "serve-upload-too-large": ("det sendte er større end {limit} kB", "what was sent is larger than {limit} kB"),
    "serve-upload-format": ("filtypen '{suffix}' kan ikke hentes; brug .yaml, .yml eller .csv", "the file type '{suffix}' cannot be uploaded; use .yaml, .yml or .csv"),
    "serve-body-json": ("indholdet er ikke JSON: {problem}", "the body is not JSON: {problem}"),
    "log-locked": ("loggen har været låst af et andet program i mere end {seconds} s; prøv igen", "the log has been locked by another program for more than {seconds} s; try again"),
    "log-entry-unknown": ("{what} nr. {seq} findes ikke i loggen (posterne er nr. 1-{last})", "{what} number {seq} is not in the log (the entries are 1-{last})"),
    "log-text-empty": ("teksten er tom", "the text is empty"),
    "log-role-unknown": (
        "rollen er ikke en af de tilladte: {roles}{hint}; skriv en rolle, aldrig et navn (listen sættes i ladder.toml under [log] roles)",
        "the role is not one of those allowed: {roles}{hint}; write a role, never a name (the list is set in ladder.toml under [log] roles)",
    ),
    "log-not-verified": (
        "forslaget er ikke skrevet i loggen, fordi dens hashkæde ikke er intakt (se ovenfor, og `ladder log verify`); skriv --force for at skrive i den alligevel",
        "the suggestion is not written to the log, because its hash chain is not intact (see above, and `ladder log verify`); add --force to write to it anyway",
    ),
    "log-personal-data": (
        "ligner personoplysninger ({kind}: {masked}); skriv uden CPR-numre, e-mailadresser og telefonnumre, og nævn roller, ikke personer",
        "looks like personal data ({kind}: {masked}); write without CPR numbers, e-mail addresses and phone numbers, and name roles, not people",
    ),
    "log-entry-edited": (
        "post {seq} er ændret, efter den blev skrevet (dens hash passer ikke med indholdet); de følgende poster kan ikke stoles på",
        "entry {seq} was changed after it was written (its hash does not match its content); the entries after it cannot be trusted",
    ),
    "log-entry-replaced": (
        "post {seq} er ændret, og dens hash er regnet om: post {next} peger på en anden post {seq}; de følgende poster kan ikke stoles på",
        "entry {seq} was changed and its hash recomputed: entry {next} points to another entry {seq}; the entries after it cannot be trusted",
    ),
    "log-entry-missing": (
        "post {seq} mangler: den er slettet (næste post er nr. {next}); de følgende poster kan ikke stoles på",
        "entry {seq} is missing: it was deleted (the next entry is number {next}); the entries after it cannot be trusted",
    ),
    "log-output-edited": (
        "forslaget gemt i post {seq} er ændret: det passer ikke med forslagets hash i kæden",
        "the suggestion stored in entry {seq} was changed: it does not match the suggestion's hash in the chain",
    ),
    "log-tail-missing": (
        "loggen skulle have {count} poster, men slutter ved post {last}: de sidste poster er slettet",
        "the log should have {count} entries but ends at entry {last}: the last entries were deleted",
    ),
    "log-meta-mismatch": (
        "loggens tæller ({count} poster) eller seneste hash passer ikke med post {last}: loggen er ændret uden om ladder",
        "the log's count ({count} entries) or latest hash does not match entry {last}: the log was changed outside ladder",
    ),
    "log-head-unknown": (
        "hashen fra --expect-head findes ikke i loggen: posten, den blev gemt fra, er ændret eller slettet, eller loggen er skrevet om",
        "the hash given with --expect-head is not in the log: the entry it was saved from was changed or deleted, or the log was rewritten",
    ),
    # ladder cockpit
    "cockpit-no-snapshots": ("mappen har ingen snapshotfiler (.csv eller .xlsx)", "the folder has no snapshot files (.csv or .xlsx)"),
    "cockpit-too-many-snapshots": ("mappen har flere end {limit} snapshotfiler; vælg den rigtige mappe", "the folder has more than {limit} snapshot files; choose the right folder"),
    "cockpit-column-missing": ("kolonnen '{name}' mangler i overskriftsrækken; et snapshot skal have case_id, ladder og current_offer", "the column '{name}' is missing from the header row; a snapshot needs case_id, ladder and current_offer"),
    "cockpit-offer-ladder": ("tilbuddet '{offer}' hører til trappen '{own}', ikke '{ladder}'", "the offer '{offer}' belongs to the ladder '{own}', not '{ladder}'"),
    "cockpit-cost-without-offer": ("en udgift uden et tilbud i current_offer: udfyld tilbuddet eller tøm cellen", "a cost without an offer in current_offer: fill in the offer or empty the cell"),
    "cockpit-snapshot-date": (
        "snapshottets dato kan ikke findes: giv filen datoen i navnet (fx 2024-03-31.csv, 20240331.csv, kohorte_2024Q1.xlsx, 2024-K1.csv eller 2024-03.csv) eller tilføj kolonnen snapshot_date",
        "the snapshot's date cannot be found: put the date in the file name (e.g. 2024-03-31.csv, 20240331.csv, kohorte_2024Q1.xlsx, 2024-K1.csv or 2024-03.csv) or add the column snapshot_date",
    ),
    "cockpit-snapshot-dates": ("snapshottet har to datoer, {first} og {second}; ét snapshot er én dato (filnavnet og snapshot_date skal passe sammen)", "the snapshot has two dates, {first} and {second}; one snapshot is one date (the file name and snapshot_date must agree)"),
    "cockpit-snapshot-twice": ("der er to snapshots for {date} (også {other}); fjern det ene", "there are two snapshots for {date} (also {other}); remove one"),
    "cockpit-log-not-verified": ("loggens hashkæde er ikke intakt (se ovenfor og `ladder log verify`); tallene ville bygge på en ændret log. --force læser den alligevel", "the log's hash chain is not intact (see above and `ladder log verify`); the figures would rest on an altered log. --force reads it anyway"),
    "cockpit-log-time": ("post {seq} har ikke en gyldig tid (ÅÅÅÅ-MM-DDTtt:mm:ssZ)", "entry {seq} has no valid time (YYYY-MM-DDThh:mm:ssZ)"),
    "cockpit-ladder-unknown": ("trappen '{id}' findes ikke i kataloget{hint}; trapperne er: {known}", "the ladder '{id}' is not in the catalogue{hint}; the ladders are: {known}"),
    "cockpit-range": ("perioden er tom: --from ({start}) ligger efter --to ({end})", "the range is empty: --from ({start}) is after --to ({end})"),
    "cockpit-too-many-periods": ("perioden fra --from til --to har flere end {limit} perioder; vælg en kortere periode eller --period year", "the range from --from to --to has more than {limit} periods; choose a shorter range or --period year"),
    "cockpit-no-data": ("ingen data: giv en eller flere beslutningslogge og/eller mapper med snapshots", "no data: give one or more decision logs and/or folders of snapshots"),
}
