"""The cohort evaluator: the rule sets compiled to numpy, with results identical to durable-rules.

`engine.inference` (durable-rules) stays the reference and evaluates the single case of
`ladder suggest`; commands that evaluate whole cohorts use this package. Both give the same
`Inference` per case, which tests/test_vectorised.py checks on random rule sets and cases.

    verdicts = infer_cases(kb, cases)   # or evaluate(kb, values, days) over flattened values
    verdicts.inference(i)               # case i's Inference, as engine.inference.infer gives it
    verdicts.fired("rule_id")           # a column: where the rule fired
    suggest_cases(kb, cases, lang)      # each case's `ladder suggest` dictionary, in order
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine.fast.evaluate import evaluate
from engine.fast.verdicts import Verdicts

if TYPE_CHECKING:
    from engine.cases import Case
    from engine.inference import Inference
    from engine.knowledge import Knowledge

__all__ = ["Verdicts", "evaluate", "infer_cases", "infer_many", "suggest_cases"]


def infer_many(kb: Knowledge, values: Sequence[Mapping[str, Any]],
               days: Sequence[dt.date] | dt.date) -> list[Inference]:
    """`[engine.inference.infer(kb, v, d) for v, d in zip(values, days)]`, computed as one cohort."""
    return evaluate(kb, values, days).inferences()


def infer_cases(kb: Knowledge, cases: Sequence[Case]) -> Verdicts:
    """Loaded cases (`engine.cases.load_cases`, `engine.cohort.load_cohort`) evaluated as one cohort."""
    return evaluate(kb, [c.values for c in cases], [c.model.decision_date for c in cases])  # type: ignore[attr-defined]


def suggest_cases(kb: Knowledge, cases: Sequence[Case], lang: str = "da") -> Iterator[dict[str, Any]]:
    """`engine.suggestion.suggest(kb, case, lang)` for every case, with the cohort inferred at once and
    the answers of every case's missing facts (`engine.answers`) evaluated as one more cohort."""
    from engine.answers import answered, questions
    from engine.visitation import visit

    verdicts = infer_cases(kb, cases)
    pending = []
    values: list[Mapping[str, Any]] = []
    days: list[dt.date] = []
    for i, case in enumerate(cases):
        inference = verdicts.inference(i)
        result = visit(kb, case, inference, lang)
        asked = questions(kb, result, inference)
        pending.append((case, result, asked, len(values)))
        values.extend(asked.variants)
        days.extend([case.model.decision_date] * len(asked.variants))  # type: ignore[attr-defined]
    answers = infer_many(kb, values, days) if values else []
    for case, result, asked, start in pending:
        answered(kb, case, result, asked, answers[start:start + len(asked.variants)], lang)
        yield result
