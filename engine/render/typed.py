"""JSON through a typed output model: the model checks every key, and its field order is the key order.

A key the engine adds without describing it in `engine/model/` fails here, at once, instead of
reaching an integrator undocumented. Optional keys the engine leaves out stay out (`exclude_unset`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from engine.text.jsontext import render


def dump(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked by `model` and back as plain JSON values, keys by their JSON names (`from`)."""
    return model.model_validate(data).model_dump(mode="json", by_alias=True, exclude_unset=True)


def typed_json(model: type[BaseModel], data: dict[str, Any] | list[dict[str, Any]]) -> str:
    """One object, or a list of objects, as the stable JSON text every output shares."""
    if isinstance(data, list):
        return render([dump(model, item) for item in data], False)
    return render([dump(model, data)], True)
