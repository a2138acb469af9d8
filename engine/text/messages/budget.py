"""`ladder budget` and `ladder keyfigures`: the catalogue's overview and the key figures per inhabitant."""

from __future__ import annotations

from engine.text.messages.plural import Texts

TEXTS: Texts = {
    "budget.disclaimer": (
        "Beregning til planlægning, ikke en afgørelse: hver sag visiteres konkret og individuelt.",
        "A planning calculation, not a decision: every case is assessed concretely and individually.",
    ),
    "budget.unit": ("Mio. kr.; besparelser er negative", "DKK million; savings are negative"),
    "budget.sum": ("I alt", "Total"),
    "budget.sheet": ("Oversigt", "Overview"),
    "budget.row.potential": ("Økonomisk potentiale", "Economic potential"),
    "budget.row.investment": ("Investeringsbehov", "Investment needed"),
    "budget.row.result": ("Resultat", "Result"),
    "budget.total": ("Effektiviseringer i alt", "All proposals"),
    "budget.group.politikomraade": (
        "Politikområde {name} ({n} {n:forslag|forslag})", "Policy area {name} ({n} {n:proposal|proposals})"),
    "budget.group.function": (
        "Funktion {name} ({n} {n:forslag|forslag})", "Account function {name} ({n} {n:proposal|proposals})"),
    "budget.no_function": ("uden funktion", "no function"),
    "budget.basis.lines": ("besluttede linjer", "decided lines"),
    "budget.basis.scenario": ("simuleret", "simulated"),
    "budget.simulated": ("{proposal}: simuleret ({scenario})", "{proposal}: simulated ({scenario})"),
    "budget.lines": ("Budgetlinjer", "Budget lines"),
    "budget.runs": ("{runs} Monte Carlo-kørsler, seed {seed}", "{runs} Monte Carlo runs, seed {seed}"),
    "budget.col.politikomraade": ("Politikområde", "Policy area"),
    "budget.col.udvalg": ("Udvalg", "Committee"),
    "budget.col.function": ("Funktion (kontoplan)", "Account function"),
    "budget.col.basis": ("Grundlag", "Basis"),
    "budget.col.source": ("Kilde", "Source"),
    "budget.warnings": ("Advarsler", "Warnings"),
    "budget.horizon": (
        "{proposal}: scenariets år og budgettets år er ikke de samme ({years}); år uden simulering tæller 0.",
        "{proposal}: the scenario's years and the budget's differ ({years}); years without a simulation count 0.",
    ),
    "budget.differs": (
        "{proposal}: de besluttede linjer afviger fra scenariets simulering; forskellen står ved forslaget.",
        "{proposal}: the decided lines differ from the scenario's simulation; the difference is shown with the proposal.",
    ),
}
