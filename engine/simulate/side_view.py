"""What the extra costs of a scenario need from one side's evaluation (run.SideEvaluation), as a Protocol.

The programme costs, the outcome contract and the effects on case facts read a side's cases,
inferences, resources and tariffs; naming that here keeps them free of an import of run.py,
which imports them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from engine.cases.files import Case
from engine.evaluate.durable import Inference
from engine.knowledge.assemble import Knowledge


class LimitedPlaces(Protocol):
    key: str
    offers: frozenset[str]

    def places_on(self, day: dt.date) -> int: ...


class SideView(Protocol):
    kb: Knowledge
    cases: list[Case]

    @property
    def resources(self) -> Any: ...

    def case_inference(self, i: int) -> Inference: ...

    def inference(self, values: dict[str, Any], day: dt.date) -> Inference: ...

    def month_state(self, day: dt.date) -> tuple[Any, ...]: ...

    def cost(self, offer_id: str | None) -> int: ...
