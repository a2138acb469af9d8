"""A diff in words: names for ids, and a changed value said in the rule language, never as JSON.

A changed condition (a rule's `when`, an offer's target group) is flattened to its tests on both
sides, each said with its operator's words from the one operator table (`engine.rules.operators`,
`words`) and the profile schema's labels and value labels: "betingelsen 'Diagnoser indeholder en af
autisme, PDA-profil' er fjernet". Ids of offers, rungs, ladders, rules and flags read as their names;
a part of a rule or an offer reads as its label (`rule.key.<path>`), else as its path.
"""

from __future__ import annotations

import re
from typing import Any

from engine.knowledge.assemble import Knowledge
from engine.knowledge.labels import Labels, humanised, pick
from engine.rules.operators import OPERATORS
from engine.text.messages import MESSAGES, t
from engine.text.money import kroner

KRONER_FIELDS = ("annual", "annual_cost", "course_cost", "vs_current", "vs_reference")
"""Values (the last part of a changed value's path) that are amounts in kroner."""
OFFER_LISTS = ("require", "prefer", "exclude", "reference")
GROUPS = ("all", "any")
_INDEX = re.compile(r"\[[^\]]*\]")

Leaf = tuple[str, str, Any, bool]
"""One test of a condition: field, operator, value, negated."""


def is_amount(field: str, value: Any) -> bool:
    return field.rsplit(".", 1)[-1] in KRONER_FIELDS and isinstance(value, int) and not isinstance(value, bool)


class Names:
    """Names for the ids of both sides of a diff: the new side's, else the old side's (for what was removed)."""

    def __init__(self, old: Knowledge | None, new: Knowledge | None, lang: str) -> None:
        self.lang = lang
        self.sides = [Labels(kb, lang) for kb in (new, old) if kb is not None]

    def _labels(self, ident: str, attr: str) -> Labels | None:
        return next((s for s in self.sides if ident in getattr(s.kb, attr)), None)

    def offer(self, ident: str) -> str:
        found = self._labels(ident, "offers")
        return found.offer(ident) if found else humanised(ident)

    def ladder(self, ident: str) -> str:
        found = self._labels(ident, "ladders")
        return found.ladder(ident) if found else humanised(ident)

    def rule(self, ident: str) -> str:
        found = self._labels(ident, "rule_by_id")
        return found.rule(ident) if found else humanised(ident)

    def pool(self, ident: str) -> str:
        found = self._labels(ident, "pools")
        return pick(found.kb.pools[ident].name, None, self.lang) if found else humanised(ident)

    def flag(self, ident: str) -> str:
        found = self._labels(ident, "flags")
        return pick(found.kb.flags[ident].label, found.kb.flags[ident].label_en, self.lang) if found else humanised(
            ident)

    def rung(self, ident: str, ladder: str | None = None) -> str:
        """`Trin 4: Specialklasse` for a rung id (of `ladder`, else of any ladder that has it)."""
        for side in self.sides:
            for ladder_id, found in side.kb.ladders.items():
                numbers = [i for i, rung in enumerate(found.rungs, 1) if rung.id == ident]
                if numbers and ladder in (None, ladder_id):
                    return side.rung(ladder_id, numbers[0])
        return humanised(ident)

    def field(self, name: str) -> str:
        return self.sides[0].field(name) if self.sides else humanised(name)

    def value(self, name: str, value: Any) -> str:
        return self.sides[0].value(name, value) if self.sides else str(value)

    def item(self, section: str, ident: str) -> str:
        """What a person calls an item of a diff section."""
        named = {"offers": self.offer, "ladders": self.ladder, "rules": self.rule, "pools": self.pool,
                 "fields": self.field}.get(section)
        if named is not None:
            return named(ident)
        ruleset = next((rs for side in self.sides for rs in side.kb.rulesets if rs.id == ident), None)
        return ruleset.title if ruleset else humanised(ident)


def plain(value: Any, lang: str) -> str:
    """A value without names: lists and mappings as words, never JSON."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("out.yes" if value else "out.no", lang)
    if isinstance(value, dict):
        return ", ".join(f"{humanised(str(k))}: {plain(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(plain(v, lang) for v in value) or "–"
    return str(value)


def key_label(path: str, lang: str) -> str:
    """`tariff.annual` -> `takst pr. år`; `rungs[mellemform].name` -> `rungs[mellemform].name` (no label)."""
    bare = _INDEX.sub("", path)
    key = f"rule.key.{bare}"
    return t(key, lang) if key in MESSAGES else path


# --- conditions ----------------------------------------------------------------------------------


def _wrap(parts: list[str], fragment: Any) -> Any:
    """The fragment at `parts` (below a `when`) as a whole condition, so its tests can be listed."""
    for part in reversed(parts):
        fragment = {part: fragment}
    return fragment


def leaves(node: Any, negated: bool = False) -> list[Leaf]:
    """Every test a condition makes, in order, with whether it sits under a `not`."""
    if isinstance(node, list):
        return [leaf for item in node for leaf in leaves(item, negated)]
    if not isinstance(node, dict):
        return []
    out: list[Leaf] = []
    for key, value in node.items():
        if key in GROUPS:
            out += leaves(value, negated)
        elif key == "not":
            out += leaves(value, not negated)
        elif isinstance(value, dict):
            out += [(key, op, bound, negated) for op, bound in value.items() if op in OPERATORS]
    return out


def condition_text(leaf: Leaf, names: Names) -> str:
    """`Diagnoser indeholder en af autisme, PDA-profil`: the field's label, the operator's words, the values."""
    field, op, bound, negated = leaf
    lang = names.lang
    if op == "known":
        shown = t("rule.known.true" if bound else "rule.known.false", lang)
    elif op == "between" and isinstance(bound, list) and len(bound) == 2:
        shown = t("rule.range", lang, low=names.value(field, bound[0]), high=names.value(field, bound[1]))
    else:
        shown = names.value(field, bound)
    text = f"{names.field(field)} {t(OPERATORS[op].words, lang, value=shown)}"
    return t("rule.not", lang, condition=text) if negated else text


def condition_changes(parts: list[str], old: Any, new: Any, names: Names) -> list[str]:
    """What became of the tests of a changed condition, one sentence each."""
    before, after = leaves(_wrap(parts, old)), leaves(_wrap(parts, new))
    removed = [leaf for leaf in before if leaf not in after]
    added = [leaf for leaf in after if leaf not in before]
    lang = names.lang
    if len(removed) == len(added) == 1 and removed[0][0] == added[0][0]:
        return [t("rule.condition.changed", lang, old=condition_text(removed[0], names),
                  new=condition_text(added[0], names))]
    out = [t("rule.condition.removed", lang, condition=condition_text(leaf, names)) for leaf in removed]
    out += [t("rule.condition.added", lang, condition=condition_text(leaf, names)) for leaf in added]
    return out or [t("rule.conditions.regrouped", lang)]


# --- any changed value ---------------------------------------------------------------------------


def _named(key: str, value: Any, names: Names) -> str:
    """A value whose key says what its ids are: offers, rungs, flags, rules, ladders."""
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(_named(key, v, names) for v in value) or "–"
    if key in OFFER_LISTS or key == "offer":
        return names.offer(str(value))
    if key in ("min_rung", "max_rung", "rung"):
        return names.rung(str(value))
    if key == "flags":
        return names.flag(str(value))
    if key in ("exception_to",):
        return names.rule(str(value))
    if key == "ladder":
        return names.ladder(str(value))
    return plain(value, names.lang)


def value_text(field: str, value: Any, names: Names) -> str:
    """A changed value as a person reads it: kroner, names for ids, words for lists and mappings."""
    if is_amount(field, value):
        return kroner(value)
    last = _INDEX.sub("", field).rsplit(".", 1)[-1]
    if last in (*OFFER_LISTS, "offer", "min_rung", "max_rung", "rung", "flags", "exception_to", "ladder"):
        return _named(last, value, names)
    return plain(value, names.lang)


def _list_text(field: str, old: list[Any], new: list[Any], names: Names) -> str:
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    lang = names.lang
    parts = ([t("rule.list.added", lang, items=value_text(field, added, names))] if added else [])
    parts += [t("rule.list.removed", lang, items=value_text(field, removed, names))] if removed else []
    return "; ".join(parts) or t("diff.reordered", lang)


def change_lines(change: dict[str, Any], names: Names) -> list[str]:
    """One changed value in words: conditions test by test, lists by what came and went, else old → new."""
    field, old, new = change["field"], change["old"], change["new"]
    parts = field.split(".")
    if "when" in parts:
        return condition_changes(parts[parts.index("when") + 1:], old, new, names)
    label = key_label(field, names.lang)
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(v, str) for v in [*old, *new]):
        return [f"{label}: {_list_text(field, old, new, names)}"]
    text = f"{label}: " + t("diff.arrow", names.lang, old=value_text(field, old, names),
                            new=value_text(field, new, names))
    if "difference" in change:
        amount = change["difference"]
        text += f" ({kroner(amount, signed=True) if is_amount(field, amount) else f'{amount:+d}'})"
    return [text]
