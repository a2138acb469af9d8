"""Forward chaining of the rule sets through durable-rules. The only module that imports it.

The rules are compiled into one durable-rules ruleset per knowledge base. A case is asserted as
one fact per stratum (see `engine.knowledge.assemble`): the fact of stratum k carries the profile and the
facts derived in strata below k, and only the rules of stratum k match it. Rules a later stratum
reads are thereby complete before it runs, so `not skolevaegring` means "no rule derived it".

durable-rules has traps, each handled here and covered by tests/test_inference.py:
- asserting a fact that no rule matches raises MessageNotHandledException, and the session of
  such a fact can neither be deleted (a C abort of the whole process) nor left (a ruleset holds
  1024 sessions, then MemoryError): a sentinel rule that matches every fact makes every session
  an ordinary one, whose state is always deleted;
- a ruleset name can be registered once per host and never changed: every compiled knowledge base
  gets a fresh, unique name on a private host, so loading the same rules twice works;
- state persists per session id: every evaluation uses a new session id and deletes its state,
  even on error, so nothing leaks from one case to the next;
- durable-rules' JSON parser rejects numbers in exponent form (`1e-05`), which Python writes for
  small floats: numbers are sent as integers in units of 1/10.000 (`SCALE`); the file formats
  allow at most four decimals, so this is exact;
- the stock host starts timer threads that dispatch actions in the background, and the engine
  is not thread-safe: the private host starts no threads and a lock serialises evaluations;
- an exception in an action is swallowed into the returned state: it is re-raised here;
- `allItems` over an empty list is false: set membership is sent as one boolean per value instead.
After each stratum the fired rules are checked against the three-valued reference semantics of
`engine.rules.conditions`; any disagreement is an internal error, never a silent wrong answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from durable.engine import Host, MessageNotHandledException

from engine.knowledge.assemble import Knowledge
from engine.rules.conditions import And, Expr, Leaf, evaluate, unknown_fields

Status = Literal["fired", "false", "unknown", "inactive"]

_COMPARISONS = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
SCALE = 10_000
"""Numbers travel to durable-rules as integers in 1/SCALE units (see engine.model.common.Decimal4)."""


class InferenceError(RuntimeError):
    """durable-rules did something the reference semantics forbid; a bug, never user error."""


class _QuietHost(Host):
    """A host without the background dispatch threads of the stock one."""

    def _run(self) -> None:
        return None


_LOCK = threading.RLock()
_HOST: _QuietHost | None = None
_NAMES = itertools.count()
_SESSIONS = itertools.count()


def _host() -> _QuietHost:
    global _HOST
    if _HOST is None:
        _HOST = _QuietHost()
    return _HOST


@dataclass(frozen=True)
class Inference:
    status: dict[str, Status]
    derived: dict[str, bool | None]
    missing: dict[str, tuple[str, ...]]
    overridden: dict[str, tuple[str, ...]]
    values: dict[str, Any]

    def effective(self) -> list[str]:
        """Fired rules whose effects apply: not overridden by a fired exception."""
        return [rid for rid, s in self.status.items() if s == "fired" and rid not in self.overridden]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * SCALE)
    return value


class _Encoder:
    """Maps field paths and set members to short keys, so no id can clash with durable syntax."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, Any], str] = {}

    def key(self, field: str, member: Any = None) -> str:
        return self.keys.setdefault((field, member), f"k{len(self.keys)}")

    def leaf(self, leaf: Leaf) -> dict[str, Any]:
        if leaf.op == "has":
            return {self.key(leaf.field, leaf.value): True}
        if leaf.op == "lacks":
            return {self.key(leaf.field, leaf.value): False}
        key = self.key(leaf.field)
        if leaf.op == "known":
            return {"$ex": {key: 1}}
        if leaf.op == "absent":
            return {"$nex": {key: 1}}
        if leaf.op == "eq":
            return {key: _plain(leaf.value)}
        return {_COMPARISONS[leaf.op]: {key: _plain(leaf.value)}}

    def expr(self, expr: Expr) -> dict[str, Any]:
        if isinstance(expr, Leaf):
            return self.leaf(expr)
        op = "$and" if isinstance(expr, And) else "$or"
        return {op: [self.expr(item) for item in expr.items]}

    def fact(self, values: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for (field, member), key in self.keys.items():
            if field not in values or values[field] is None:
                continue
            value = values[field]
            if member is not None:
                out[key] = member in value
            elif isinstance(value, frozenset | set):
                out[key] = len(value)
            else:
                out[key] = _plain(value)
        return out


class RuleEngine:
    """The knowledge base's rules, registered once in durable-rules."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.encoder = _Encoder()
        self.ruleset_index = {rs.id: i for i, rs in enumerate(knowledge.rulesets)}
        self._fired: list[str] = []
        self._stored = False
        definition: dict[str, Any] = {"seen": {"all": [{"m": {"$ex": {"s": 1}}}], "run": _noop}}
        for n, rule in enumerate(knowledge.rules):
            pattern = {"$and": [
                {"s": rule.stratum},
                {f"rs{self.ruleset_index[rule.ruleset.id]}": True},
                self.encoder.expr(rule.expr),
            ]}
            definition[f"r{n}"] = {"all": [{"m": pattern}], "run": self._action(rule.id)}
        with _LOCK:
            self.name = f"ladder_{knowledge.sha256[:12]}_{next(_NAMES)}"
            _host().register_rulesets({self.name: definition})

    def _action(self, rule_id: str) -> Any:
        def record(_closure: Any) -> None:
            self._fired.append(rule_id)

        return record

    def _assert(self, sid: str, stratum: int, values: Mapping[str, Any], day: dt.date) -> set[str]:
        """The rules fired by the stratum's fact."""
        fact: dict[str, Any] = {"sid": sid, "s": stratum, **self.encoder.fact(values)}
        for rs in self.knowledge.rulesets:
            fact[f"rs{self.ruleset_index[rs.id]}"] = rs.applies(day, values.get("ladder"))
        self._fired = []
        try:
            state = _host().assert_fact(self.name, fact)
            self._stored = True
        except MessageNotHandledException:  # pragma: no cover - the sentinel rule matches every fact
            raise InferenceError("durable-rules did not accept the case") from None
        if isinstance(state, dict) and "exception" in state:
            raise InferenceError(f"a rule action failed inside durable-rules: {state['exception']}")
        return set(self._fired)

    def infer(self, values: Mapping[str, Any], day: dt.date) -> Inference:
        """Run every rule valid on `day` over the case's flattened `values`."""
        kb = self.knowledge
        values = dict(values)
        status: dict[str, Status] = {}
        rule_missing: dict[str, set[str]] = {}
        derived: dict[str, bool | None] = {}
        with _LOCK:
            sid = f"case{next(_SESSIONS)}"
            self._settle_facts(-1, status, derived, values)  # facts no rule derives are false
            self._stored = False
            try:
                for stratum, rules in enumerate(kb.strata):
                    fired = self._assert(sid, stratum, values, day) if rules else set()
                    for rule in rules:
                        active = rule.ruleset.applies(day, values.get("ladder"))
                        truth = evaluate(rule.expr, values) if active else False
                        if (rule.id in fired) != (truth is True):
                            raise InferenceError(
                                f"durable-rules and the reference semantics disagree on rule {rule.id}"
                            )
                        if not active:
                            status[rule.id] = "inactive"
                        elif truth is True:
                            status[rule.id] = "fired"
                        elif truth is None:
                            status[rule.id] = "unknown"
                            rule_missing[rule.id] = self._expand(unknown_fields(rule.expr, values), rule_missing)
                        else:
                            status[rule.id] = "false"
                    self._settle_facts(stratum, status, derived, values)
            finally:
                if self._stored:  # never delete a session durable-rules did not store: that aborts
                    _host().delete_state(self.name, sid)
        missing: dict[str, set[str]] = {}
        for rid, fields in rule_missing.items():
            for name in fields:
                missing.setdefault(name, set()).add(rid)
        overridden: dict[str, set[str]] = {}
        for rid, state in status.items():
            if state == "fired":
                for target in kb.rule_by_id[rid].rule.exception_to:
                    if status.get(target) == "fired":
                        overridden.setdefault(target, set()).add(rid)
        return Inference(
            status=dict(sorted(status.items())),
            derived=dict(sorted(derived.items())),
            missing={k: tuple(sorted(v)) for k, v in sorted(missing.items())},
            overridden={k: tuple(sorted(v)) for k, v in sorted(overridden.items())},
            values=values,
        )

    def _expand(self, fields: set[str], rule_missing: dict[str, set[str]]) -> set[str]:
        """Replace an unknown derived fact by the missing profile fields behind it."""
        out: set[str] = set()
        for name in fields:
            if name in self.knowledge.facts:
                for rid in self.knowledge.derivers.get(name, []):
                    out |= rule_missing.get(rid, set())
            else:
                out.add(name)
        return out

    def _settle_facts(self, stratum: int, status: dict[str, Status], derived: dict[str, bool | None],
                      values: dict[str, Any]) -> None:
        kb = self.knowledge
        for fact in kb.facts:
            if fact in derived:
                continue
            rule_ids = kb.derivers.get(fact, [])
            if any(kb.rule_by_id[r].stratum > stratum for r in rule_ids):
                continue
            states = [status[r] for r in rule_ids]
            value: bool | None = True if "fired" in states else (None if "unknown" in states else False)
            derived[fact] = value
            if value is not None:
                values[fact] = value


def _noop(_closure: Any) -> None:
    return None


_ENGINES: dict[int, RuleEngine] = {}


def engine_for(knowledge: Knowledge) -> RuleEngine:
    """One compiled engine per knowledge object; a reloaded rule set gets its own."""
    with _LOCK:
        engine = _ENGINES.get(id(knowledge))
        if engine is None or engine.knowledge is not knowledge:
            engine = RuleEngine(knowledge)
            _ENGINES[id(knowledge)] = engine
        return engine


def infer(knowledge: Knowledge, values: Mapping[str, Any], day: dt.date) -> Inference:
    return engine_for(knowledge).infer(values, day)
