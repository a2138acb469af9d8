"""`ladder simulate --format json`: the simulation through its typed model (`ladder schema simulation`)."""

from __future__ import annotations

from typing import Any

from engine.model.simulation import Simulation
from engine.render.typed import typed_json


def render(result: dict[str, Any]) -> str:
    return typed_json(Simulation, result)
