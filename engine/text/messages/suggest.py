"""`ladder suggest`: reasons, principles, skipped rungs, review, answers and warnings of a suggestion."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "suggest.partial": (
        "{shown} {shown:sag|sager} har fået forslag ovenfor; {unread} {unread:fil|filer} kunne ikke bruges:",
        "{shown} {shown:case|cases} got their suggestion above; {unread} {unread:file|files} could not be used:",
    ),
    "answer.none_of_these": ("ingen af disse", "none of these"),
    "answer.per_year": ("/år", "/year"),
    "answer.or": (" eller ", " or "),
    "answer.together": ("(sammen med {facts})", "(together with {facts})"),
    "answer.outside": ("sagen hører til en anden trappe", "the case belongs on another ladder"),
    "answer.range": ("Højeste trin, de manglende svar kan føre til: {rung} (fx {condition})", "Highest rung the missing answers could lead to: {rung} (e.g. {condition})"),
    "review.current": ("Nuværende tilbud: {offer}; virker: {outcome}{since}", "Current offer: {offer}; works: {outcome}{since}"),
    "review.since": (" (siden {date}, {months} måneder)", " (since {date}, {months} months)"),
    "review.no_outcome": ("ikke oplyst", "not given"),
    "review.status.keep": ("Tilbuddet virker og fastholdes; oplysningerne viser ikke et mindre behov.", "The offer works and is kept; the facts show no reduced need."),
    "review.status.keep_partly": ("Tilbuddet virker delvist: trinnet fastholdes, og indsatsen justeres.", "The offer works partly: the rung is kept and the help adjusted."),
    "review.status.hold_unknown": ("Opfølgning nødvendig: {fields} er ikke oplyst; tilbuddet fastholdes, og der vises ingen besparelse.", "Review needed: {fields} not given; the offer is kept and no saving is shown."),
    "review.status.step_down": ("Nedtrapning: fra {from_rung} til {to_rung} (højst {n} trin ad gangen).", "Step-down: from {from_rung} to {to_rung} (at most {n} {n:rung|rungs} at a time)."),
    "review.status.step_down_direct": ("Nedtrapning: fra {from_rung} til {to_rung}, et alternativ, som reglerne nævner i stedet for det nuværende tilbud.", "Step-down: from {from_rung} to {to_rung}, an alternative the rules name instead of the current offer."),
    "review.status.change": ("Tilbuddet virker ikke eller er brudt sammen: et andet tilbud foreslås.", "The offer does not work or broke down: another offer is suggested."),
    "review.follow_up": ("Næste opfølgning senest {date}.", "Next follow-up by {date}."),
    "basis.depends": ("Forskellene afhænger af oplysninger, der mangler: {fields}.", "The differences depend on missing information: {fields}."),
    "basis.withheld": ("Besparelser vises ikke, fordi de hviler på oplysninger, der mangler: {fields}.", "Savings are not shown because they rest on missing information: {fields}."),
    "principle.least_intervention": (
        "Mindsteindgrebsprincippet: laveste trin på trappen, der opfylder behovet og har et ledigt tilbud.",
        "Least intervention: the lowest rung of the ladder that meets the need and has an available offer.",
    ),
    "principle.tried": (
        "Tilbuddet {offer} på {rung} er afprøvet uden tilstrækkelig effekt.",
        "The offer {offer} on {rung} was tried without sufficient effect.",
    ),
    "principle.tried_short": ("et afprøvet tilbud", "an offer tried"),
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
        "Den unge fylder 18 inden for 12 måneder: afgørelsen om ungestøtte (Barnets Lov §§ 114-116: opretholdt døgnophold, fast kontaktperson, anden støtte til 23 år) skal træffes senest 6 måneder før en anbringelse ophører (§ 111); ved betydelig og varigt nedsat funktionsevne forberedes overgangen til voksenområdet fra 16 år, så støtten kan begynde ved 18 (§§ 122-123).",
        "The young person turns 18 within 12 months: the decision on ungestøtte (Barnets Lov §§ 114-116: continued stay, a fixed contact person, other support until 23) must be made at least 6 months before a placement ends (§ 111); with a considerable and lasting disability, the transition to the adult area is prepared from 16 so that support can start at 18 (§§ 122-123).",
    ),
    "warn.age_unknown": (
        "Alderen er ikke oplyst: om sagen hører til trappen '{ladder}', kan ikke kontrolleres.",
        "The age is not given: whether the case belongs on the ladder '{ladder}' cannot be checked.",
    ),
    "warn.review_needed": (
        "Opfølgning nødvendig: {fields} er ikke oplyst. Nuværende tilbud ({offer}) fastholdes, og der vises ingen besparelse, før oplysningerne foreligger.",
        "Review needed: {fields} not given. The current offer ({offer}) is kept and no saving is shown until these facts are known.",
    ),
    "warn.home": (
        "{offer} er borgerens hjem: en flytning skal være fagligt forsvarlig og til et tilbud, der dækker behovet; en borger, der ikke kan give informeret samtykke, flyttes kun efter Serviceloven § 129. Afklar samtykke og boligløsning.",
        "{offer} is the citizen's home: a move must be professionally sound and to an offer that meets the need; a citizen who cannot give informed consent is moved only under Serviceloven § 129. Settle consent and a housing solution.",
    ),
    "flag.home": (
        "Tilbuddet er borgerens hjem: afklar samtykke og en anden boligløsning før en flytning",
        "The offer is the citizen's home: settle consent and another housing solution before a move",
    ),
    "fit.outside": (
        "Sagen hører ikke til trappen '{ladder}' ved alderen {age} år; den hører til trappen '{other}'. Der gives intet forslag på denne trappe.",
        "At age {age} the case does not belong on the ladder '{ladder}'; it belongs on the ladder '{other}'. No suggestion is given on this ladder.",
    ),
    "fit.outside_nowhere": (
        "Sagen hører ikke til trappen '{ladder}' ved alderen {age} år. Der gives intet forslag.",
        "At age {age} the case does not belong on the ladder '{ladder}'. No suggestion is given.",
    ),
    "fit.continued_help": (
        "Den unge er {age} år og havde en anbringelse eller fast kontaktperson før 18: kun ungestøtte ({basis}), aldrig en ny anbringelse.",
        "The young person is {age} and had a placement or a fixed contact person before 18: only continued help ({basis}), never a new placement.",
    ),
    "principle.continued_help": (
        "Den unge er {age} år: efter 18 gives kun ungestøtte ({basis}) til den, der var anbragt eller havde fast kontaktperson umiddelbart før 18.",
        "The young person is {age}: after 18 only continued help ({basis}) is given, to one placed or with a fixed contact person right before 18.",
    ),
    "principle.continued_stay": (
        "Den unge er {age} år og anbragt: døgnopholdet kan opretholdes som ungestøtte ({basis}); det er ikke en ny anbringelse.",
        "The young person is {age} and placed: the stay can be kept up as continued help ({basis}); it is not a new placement.",
    ),
    "principle.review.keep": (
        "Opfølgning: {offer} virker, og oplysningerne viser ikke et mindre behov; tilbuddet fastholdes.",
        "Review: {offer} works and the facts show no reduced need; the offer is kept.",
    ),
    "principle.review.keep_partly": (
        "Opfølgning: {offer} virker delvist; trinnet fastholdes, og indsatsen justeres på samme trin.",
        "Review: {offer} works partly; the rung is kept and the help is adjusted on the same rung.",
    ),
    "principle.review.hold_unknown": (
        "Et nuværende tilbud er tegn på et behov: {offer} fastholdes, indtil {fields} er oplyst.",
        "A current offer is evidence of a need: {offer} is kept until {fields} is known.",
    ),
    "principle.review.step_down": (
        "Opfølgning: oplysningerne viser et mindre behov end {offer} dækker; nedtrapning højst {n} trin ad gangen, med opfølgning senest {date}.",
        "Review: the facts show less need than {offer} meets; step down at most {n} {n:rung|rungs} at a time, with a follow-up by {date}.",
    ),
    "principle.review.step_down_direct": (
        "Opfølgning: oplysningerne viser, at behovet kan dækkes af et alternativ, som reglerne nævner i stedet for {offer}; opfølgning senest {date}.",
        "Review: the facts show the need can be met by an alternative the rules name instead of {offer}; follow-up by {date}.",
    ),
    "principle.review.change": (
        "Opfølgning: {offer} virker ikke eller er brudt sammen; et andet tilbud foreslås.",
        "Review: {offer} does not work or broke down; another offer is suggested.",
    ),
    "why.review_not_working": (
        "{offer} virker ikke ifølge opfølgningen",
        "{offer} does not work according to the review",
    ),
    "why.review_broke_down": (
        "{offer} er brudt sammen ifølge opfølgningen",
        "{offer} broke down according to the review",
    ),
    "why.direct_access": (
        "{offer} har direkte adgang uden visitation og foreslås ikke",
        "{offer} has direct access without visitation and is not suggested",
    ),
    "why.continued_only": (
        "{offer}: efter 18 gives kun ungestøtte ({basis})",
        "{offer}: after 18 only continued help is given ({basis})",
    ),
    "why.continued_help_offer": (
        "{offer} er ungestøtte efter 18 for den, der var anbragt eller havde fast kontaktperson før 18",
        "{offer} is continued help after 18 for one placed or with a fixed contact person before 18",
    ),
    "skip.review_hold": (
        "nuværende tilbud ({offer}) fastholdes, mens oplysninger mangler",
        "the current offer ({offer}) is kept while facts are missing",
    ),
    "skip.below_current": (
        "under trinnet for det nuværende tilbud ({offer}), som opfølgningen har vurderet",
        "below the rung of the current offer ({offer}), which the review assessed",
    ),
    "skip.step_limit": (
        "nedtrapning går højst {n} trin ad gangen",
        "a step-down goes at most {n} {n:rung|rungs} at a time",
    ),
    "skip.review_partly": (
        "{offer} virker delvist: trinnet fastholdes",
        "{offer} works partly: the rung is kept",
    ),
    "answer.between": ("{low}-{high}", "{low}-{high}"),
    "answer.at_least": ("{low} eller mere", "{low} or more"),
    "answer.at_most": ("{high} eller mindre", "{high} or less"),
    "answer.over": ("over {low}", "over {low}"),
    "answer.under": ("under {high}", "under {high}"),
    "answer.and": ("{first} og {second}", "{first} and {second}"),
    "skip.continued_only": (
        "efter 18 gives kun ungestøtte ({basis})",
        "after 18 only continued help is given ({basis})",
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
        "Kapaciteten er fuld i {offer} ({occupied} af {places} {places:plads|pladser}); næste mulighed er foreslået.",
        "{offer} is full ({occupied} of {places} {places:place|places}); the next option is suggested.",
    ),
    "warn.old_price": (
        "Taksten for {offer} er fra {year}, mere end to år før afgørelsesåret {now}: tjek den aktuelle takst.",
        "The tariff of {offer} is from {year}, more than two years before the decision year {now}: check the current tariff.",
    ),
    "warn.min_above_max": (
        "Reglerne modsiger hinanden: minimumstrinnet {min} ({min_rules}) ligger over det højeste trin {max} ({max_rules}).",
        "The rules contradict each other: the minimum rung {min} ({min_rules}) is above the highest rung {max} ({max_rules}).",
    ),
    "warn.other_ladder": (
        "Reglen {rule} peger på trappen {ladder}, men sagen hører til trappen {case_ladder}; virkningen er ikke brugt.",
        "The rule {rule} points at the ladder {ladder}, but the case is on the ladder {case_ladder}; its effect is not used.",
    ),
    "warn.require_conflict": (
        "Reglerne kræver tilbud, der ikke kan forenes ({rules}); intet krævet tilbud er fælles.",
        "The rules require offers that cannot be combined ({rules}); no required offer is common to all.",
    ),
    "warn.reference_conflict": (
        "Flere regler nævner et sædvanligt alternativ ({refs}); {chosen} er brugt.",
        "Several rules name a usual alternative ({refs}); {chosen} is used.",
    ),
    "warn.prefer_excluded": (
        "{offer} er både foretrukket og udelukket; udelukkelsen gælder.",
        "{offer} is both preferred and excluded; the exclusion applies.",
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
