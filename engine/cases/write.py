"""A case as the YAML file `ladder suggest` reads: one field a line, in the profile schema's order.

Why write it by hand rather than with yaml.dump: the file is for people (the meeting saves it and
may open it in an editor), so it keeps the schema's order, flow lists (`diagnoses: [autisme]`) and
values as they were typed (`62,5`, `01-03-2024`), which the case model reads like a cohort's cells
(`engine.model.typed`). Every value that YAML would read as something else than it says is quoted.
The writer also tells on which line each field stands, so that a problem the engine finds at
file:line can be shown next to the field it is about.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from engine.model.profile import ProfileSchema

_PLAIN = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_.,:+-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
HEADER = "# yaml-language-server: $schema=../../schemas/case.schema.json"


def scalar(value: Any) -> str:
    """One value as YAML text that reads back as written: plain when safe, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)


def case_yaml(data: dict[str, Any], schema: ProfileSchema, comment: str | None = None) -> tuple[str, dict[int, str]]:
    """The YAML text of a case given as `{field: value}` (typed values or text as typed; lists for
    `categories`, `{key: value}` for scores, `[{offer, outcome}]` for tried offers), and for each line
    the field it belongs to (`function_levels.relationer`, `tried_offers.0.outcome`). Fields the schema
    does not have are left out; so are None and empty values."""
    lines = [HEADER]
    if comment:
        lines.append("# " + " ".join(comment.split()))
    where: dict[int, str] = {}

    def add(text: str, field: str) -> None:
        lines.append(text)
        where[len(lines)] = field

    for spec in schema.fields:
        value = data.get(spec.id)
        if value is None or value == "" or value == {}:
            continue
        if spec.type == "categories":
            items = value if isinstance(value, list | tuple) else [value]
            add(f"{spec.id}: [{', '.join(scalar(v) for v in items)}]", spec.id)
        elif spec.type == "scores" and isinstance(value, dict):
            add(f"{spec.id}:", spec.id)
            for key, score in value.items():
                if score is not None and score != "":
                    add(f"  {scalar(key)}: {scalar(score)}", f"{spec.id}.{key}")
        elif spec.type == "tried_offers" and isinstance(value, list):
            if not value:
                continue
            add(f"{spec.id}:", spec.id)
            for i, tried in enumerate(value):
                add(f"  - offer: {scalar(tried.get('offer', ''))}", f"{spec.id}.{i}.offer")
                add(f"    outcome: {scalar(tried.get('outcome', ''))}", f"{spec.id}.{i}.outcome")
        else:
            add(f"{spec.id}: {scalar(value)}", spec.id)
    return "\n".join(lines) + "\n", where
