"""`ladder simulate`: the budget simulation's tables, sheets and chart."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "sim.by_function_note": (
        "Udgift pr. funktion i kontoplanen efter pladsfordelingen, før effektantagelserne trækkes; uden effektantagelser summerer funktionerne til basis- og scenarieudgiften (op til afrunding: 1 kr. pr. funktion). \"\" er tilbud uden funktion.",
        "Cost per account function after the allocation of places, before the effect assumptions are drawn; without effect assumptions the functions add up to the baseline and scenario cost (up to rounding: 1 kr. per function). \"\" is offers without a function.",
    ),
    "sim.disclaimer": (
        "Beregning til planlægning, ikke en afgørelse: hver sag visiteres konkret og individuelt.",
        "A planning calculation, not a decision: every case is assessed concretely and individually.",
    ),
    "sim.side.baseline": ("basis", "baseline"),
    "sim.side.scenario": ("scenarie", "scenario"),
    "sim.no_suggestion": (
        "{n} {n:sag|sager} får intet forslag på {side}-siden og tæller med 0 kr.: {ids}",
        "{n} {n:case gets|cases get} no suggestion on the {side} side and count as 0 kr.: {ids}",
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
    "sim.cohort": ("Kohorte: {cases} {cases:sag|sager}, heraf {participants} med effektantagelser; {runs} {runs:kørsel|kørsler}, seed {seed}", "Cohort: {cases} {cases:case|cases}, {participants} with effect assumptions; {runs} {runs:run|runs}, seed {seed}"),
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
