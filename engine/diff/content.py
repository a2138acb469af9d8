"""What changed between two knowledge bases: rules, rule sets, offers, ladders, pools, profile fields.

Everything is compared as its file format's data (`model_dump`), so a change the engine would
see is never missed and a change in wording or order of keys in the YAML is never reported.
Each changed item lists its changed values by dotted path (`tariff.annual`, `when.age.gte`,
`rungs[mellemform].name`), old and new, with the difference for whole numbers.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from engine.knowledge.assemble import Knowledge

SECTIONS = ("rulesets", "rules", "ladders", "offers", "pools", "fields")
"""In the order a reader takes them in: which rule sets, which rules, then what they point at."""


def _dump(model: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=exclude)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of mappings with unique ids, keyed by id; None for any other list."""
    if not items or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        return None
    keyed = {i["id"]: i for i in items}
    return keyed if len(keyed) == len(items) else None


def changes(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Every changed value between two dumps, by dotted path; lists of items with ids by id."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            out += changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list):
        old_keyed, new_keyed = _keyed(old), _keyed(new)
        if old_keyed is not None and new_keyed is not None:
            out = []
            if list(old_keyed) != list(new_keyed):
                out.append(_change(path, list(old_keyed), list(new_keyed)))
            for key in old_keyed:
                if key in new_keyed:
                    out += changes(old_keyed[key], new_keyed[key], f"{path}[{key}]")
            return out
    return [_change(path, old, new)]


def _change(path: str, old: Any, new: Any) -> dict[str, Any]:
    change: dict[str, Any] = {"field": path, "old": old, "new": new}
    if isinstance(old, int) and isinstance(new, int) and not isinstance(old, bool) and not isinstance(new, bool):
        change["difference"] = new - old
    return change


def _compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]],
             brief: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Items added, removed and changed, by id; each with the `brief` values that name it."""

    def head(ident: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"id": ident, **{key: _get(data, path) for key, path in brief.items()}}

    return {
        "added": [head(i, new[i]) for i in sorted(set(new) - set(old))],
        "removed": [head(i, old[i]) for i in sorted(set(old) - set(new))],
        "changed": [{**head(i, new[i]), "changes": found} for i in sorted(set(old) & set(new))
                    if (found := changes(old[i], new[i]))],
    }


def _get(data: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _rules(kb: Knowledge) -> dict[str, dict[str, Any]]:
    """Each rule with the rule set it belongs to and that rule set's validity, which is the rule's."""
    out = {}
    for ruleset in kb.rulesets:
        validity = {f"ruleset_{k}": v for k, v in _dump(ruleset, {"rules"}).items() if k in ("valid_from", "valid_to")}
        for rule in ruleset.rules:
            out[rule.id] = {**_dump(rule), "ruleset": ruleset.id, **validity}
    return out


def _content(kb: Knowledge) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        "rulesets": {rs.id: _dump(rs, {"rules", "kind"}) for rs in kb.rulesets},
        "rules": _rules(kb),
        "ladders": {i: _dump(m) for i, m in kb.ladders.items()},
        "offers": {i: _dump(m) for i, m in kb.offers.items()},
        "pools": {i: _dump(m) for i, m in kb.pools.items()},
        "fields": {f.id: _dump(f) for f in kb.schema.fields},
    }


BRIEF: dict[str, dict[str, str]] = {
    "rulesets": {"version": "version", "title": "title"},
    "rules": {"ruleset": "ruleset"},
    "ladders": {"name": "name"},
    "offers": {"name": "name", "ladder": "ladder", "rung": "rung", "annual_cost": "tariff.annual"},
    "pools": {"name": "name"},
    "fields": {"type": "type"},
}
"""Per section: output key -> the value (dotted path) that names an item in a list."""


def content_diff(old: Knowledge, new: Knowledge) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Section -> added, removed, changed items, in id order; empty lists when nothing changed."""
    before, after = _content(old), _content(new)
    return {section: _compare(before[section], after[section], BRIEF[section]) for section in SECTIONS}


def count(diff: dict[str, dict[str, list[Any]]]) -> int:
    """How many items were added, removed or changed in all sections."""
    return sum(len(items) for section in diff.values() for items in section.values())
