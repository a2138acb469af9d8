"""Every case of a cohort suggested at once: `ladder test` and `ladder diff` ask for whole cohorts.

The cohort evaluator (`engine.evaluate.fast`) infers all cases together, and all the answers of
every case's missing facts as one more cohort; each case's result is `engine.suggest.suggestion.
suggest`'s, byte for byte (tests/test_vectorised.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from engine.cases.files import Case
from engine.evaluate.fast import infer_cases, infer_many
from engine.knowledge.assemble import Knowledge
from engine.suggest.answers import answered, questions
from engine.suggest.visitation import visit


def suggest_cases(kb: Knowledge, cases: Sequence[Case], lang: str = "da") -> Iterator[dict[str, Any]]:
    """`engine.suggest.suggestion.suggest(kb, case, lang)` for every case, with the cohort inferred at once and
    the answers of every case's missing facts (`engine.suggest.answers`) evaluated as one more cohort."""
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
