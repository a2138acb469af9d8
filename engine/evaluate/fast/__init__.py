"""The cohort evaluator: the rule sets compiled to numpy, with results identical to durable-rules.

`engine.evaluate.durable` (durable-rules) stays the reference and evaluates the single case of
`ladder suggest`; commands that evaluate whole cohorts use this package. Both give the same
`Inference` per case, which tests/test_vectorised.py checks on random rule sets and cases.

    verdicts = infer_cases(kb, cases)   # or evaluate(kb, values, days) over flattened values
    verdicts.inference(i)               # case i's Inference, as engine.evaluate.durable.infer gives it
    verdicts.fired("rule_id")           # a column: where the rule fired
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine.evaluate.fast.evaluate import evaluate
from engine.evaluate.fast.verdicts import Verdicts

if TYPE_CHECKING:
    from engine.cases.files import Case
    from engine.evaluate.durable import Inference
    from engine.knowledge.assemble import Knowledge

__all__ = ["Verdicts", "evaluate", "infer_cases", "infer_many"]


def infer_many(kb: Knowledge, values: Sequence[Mapping[str, Any]],
               days: Sequence[dt.date] | dt.date) -> list[Inference]:
    """`[engine.evaluate.durable.infer(kb, v, d) for v, d in zip(values, days)]`, computed as one cohort."""
    return evaluate(kb, values, days).inferences()


def infer_cases(kb: Knowledge, cases: Sequence[Case]) -> Verdicts:
    """Loaded cases (`engine.cases.files.load_cases`, `engine.cases.cohort.load_cohort`) evaluated as one cohort.

    The cases of a table read by columns (`engine.cases.columnar.CohortCases`) are encoded from the
    table's columns, without a dict per case.
    """
    cohort = getattr(cases, "cohort", None)
    if cohort is not None and cohort.cases is cases:
        from engine.evaluate.fast.table import infer_table

        found = infer_table(kb, cohort)
        if found is not None:
            return found
    return evaluate(kb, [c.values for c in cases], [c.values["decision_date"] for c in cases])
