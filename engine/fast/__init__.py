"""The cohort evaluator: the rule sets compiled to numpy, with results identical to durable-rules.

`engine.inference` (durable-rules) stays the reference and evaluates the single case of
`ladder suggest`; commands that evaluate whole cohorts use this package. Both give the same
`Inference` per case, which tests/test_vectorised.py checks on random rule sets and cases.

    verdicts = evaluate(kb, [case.values for case in cases], [case.model.decision_date for case in cases])
    verdicts.inference(i)            # case i's Inference, as engine.inference.infer gives it
    infer_many(kb, values, days)     # every case's Inference
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine.fast.evaluate import evaluate
from engine.fast.verdicts import Verdicts

if TYPE_CHECKING:
    from engine.inference import Inference
    from engine.knowledge import Knowledge

__all__ = ["Verdicts", "evaluate", "infer_many"]


def infer_many(kb: Knowledge, values: Sequence[Mapping[str, Any]],
               days: Sequence[dt.date] | dt.date) -> list[Inference]:
    """`[engine.inference.infer(kb, v, d) for v, d in zip(values, days)]`, computed as one cohort."""
    return evaluate(kb, values, days).inferences()
