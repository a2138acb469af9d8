"""One case's whole suggestion: the walk up the ladder, and what each missing answer would change.

`engine.suggest.visitation` walks the ladder for one inference; `engine.suggest.answers` tries the answers a
meeting could give and marks what each cost difference rests on. A single case is evaluated by
durable-rules (`engine.evaluate.durable`), every variant of it too; whole cohorts go through
`engine.suggest.cohort.suggest_cases`, which evaluates all variants of all cases at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.cases.files import Case
from engine.evaluate.durable import Inference, infer
from engine.knowledge.assemble import Knowledge
from engine.suggest.answers import answer_questions
from engine.suggest.visitation import visit


def suggest(kb: Knowledge, case: Case, lang: str = "da", *, inference: Inference | None = None) -> dict[str, Any]:
    """The decision-support suggestion for one case, as the JSON-ready dictionary."""
    day: dt.date = case.model.decision_date  # type: ignore[attr-defined]
    if inference is None:
        inference = infer(kb, case.values, day)
    result = visit(kb, case, inference, lang)

    def durable(variants: list[dict[str, Any]], when: dt.date) -> list[Inference]:
        return [infer(kb, values, when) for values in variants]

    answer_questions(kb, case, inference, result, lang, durable)
    return result
