"""The rule and catalogue folders assembled into one cross-checked knowledge base.

Each file is valid on its own after `engine.files.source`; this module checks what only the whole can
tell: ids that are defined twice or referenced but never defined, operators that do not fit a
field's type, and cycles among derived facts. Every problem is reported at once, at its line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from engine.files.guard import cpr_in_policy
from engine.files.paths import folder_files, identity
from engine.files.paths import kind as path_kind
from engine.files.source import Path_, Source, did_you_mean, read_source, validate
from engine.model.catalog import Catalog, Ladder, Offer, Pool
from engine.model.common import Validity
from engine.model.profile import OUTCOMES, ProfileSchema, case_model
from engine.model.rules import Condition, Label, Rule, RuleSet
from engine.rules.conditions import Expr, fields_of, normalise, target_group_expr
from engine.rules.operators import operators_for
from engine.text.diagnostics import Diagnostic, InputError, diag

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES = ROOT / "rules"
DEFAULT_CATALOGS = ROOT / "catalogs"

KINDS = {"catalog": Catalog, "profile_schema": ProfileSchema, "ruleset": RuleSet}


@dataclass(frozen=True)
class Where:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    ruleset: RuleSet
    expr: Expr
    reads: frozenset[str]
    stratum: int
    where: Where

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass
class Knowledge:
    """Everything `suggest` needs, validated and cross-checked; immutable in use."""

    schema: ProfileSchema
    ladders: dict[str, Ladder]
    offers: dict[str, Offer]
    pools: dict[str, Pool]
    rulesets: list[RuleSet]
    rules: list[CompiledRule]
    facts: dict[str, Label]
    flags: dict[str, Label]
    derivers: dict[str, list[str]]
    files: list[str]
    sha256: str
    withdrawn: frozenset[str] = frozenset()
    """Offers a scenario removed: still known (cases and rules may name them), never suggested."""
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    """(kind, id) -> where it is defined: "ladder", "rung", "pool", "offer", "rule", "ruleset", "fact", "flag",
    and parts the static analysis points at: "offer.price_year", "offer.valid_to", "offer.schedule" and
    "pool.schedule" (the last step)."""

    @cached_property
    def case_model(self) -> type[BaseModel]:
        return case_model(self.schema)

    @cached_property
    def rung_position(self) -> dict[str, tuple[str, int]]:
        """rung id -> (ladder id, index from 0 at the least intrusive rung)."""
        return {r.id: (lad.id, i) for lad in self.ladders.values() for i, r in enumerate(lad.rungs)}

    @cached_property
    def rule_by_id(self) -> dict[str, CompiledRule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def target_groups(self) -> dict[str, Expr | None]:
        return {oid: target_group_expr(o.target_group) for oid, o in self.offers.items()}

    @cached_property
    def offers_on_rung(self) -> dict[tuple[str, str], list[Offer]]:
        """(ladder id, rung id) -> the rung's offers, by id."""
        out: dict[tuple[str, str], list[Offer]] = {}
        for offer in sorted(self.offers.values(), key=lambda o: o.id):
            out.setdefault((offer.ladder, offer.rung), []).append(offer)
        return out

    @cached_property
    def strata(self) -> list[list[CompiledRule]]:
        out: list[list[CompiledRule]] = [[] for _ in range(max((r.stratum for r in self.rules), default=-1) + 1)]
        for rule in self.rules:
            out[rule.stratum].append(rule)
        return out



def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and path_kind(p) == "file")


def _expand(paths: Iterable[Path], problems: list[Diagnostic]) -> list[Path]:
    """Files as given and the YAML files of folders (not their subfolders), without repeats."""
    out: list[Path] = []
    for path in paths:
        if path_kind(path) == "folder":
            out.extend(_yaml_files(path))
        elif path_kind(path) == "file":
            out.append(path)
        else:
            problems.append(diag(str(path), (1, 1), "not-a-file"))
    return list(dict.fromkeys(out))


def expand_paths(paths: Iterable[Path]) -> list[Path] | None:
    """The files `load_knowledge` would read, or None when a path does not exist."""
    problems: list[Diagnostic] = []
    files = _expand(paths, problems)
    return None if problems else files


def read_document(source: Source) -> BaseModel:
    """A parsed rule, catalogue or schema file validated by its `kind`; InputError otherwise (also for a
    CPR number written in it: `cpr_in_policy`, exit 4, as its names are printed)."""
    data = source.data
    if not isinstance(data, dict):
        raise InputError([diag(source.file, (1, 1), "not-a-mapping")])
    if found := cpr_in_policy(source):
        raise InputError(found)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # `kind: {x: 1}` is no key of a dict
        where = source.where(("kind",)) if "kind" in data else (1, 1)
        code = "unknown-kind" if "kind" in data else "missing-key"
        params = {"kind": str(kind)[:40], "expected": ", ".join(KINDS)} if "kind" in data else {"key": "kind"}
        raise InputError([diag(source.file, where, code, **params)])
    return validate(source, KINDS[kind])


def _read_all(paths: Iterable[Path], problems: list[Diagnostic]) -> list[tuple[Source, BaseModel]]:
    out = []
    for path in _expand(paths, problems):
        try:
            source = read_source(path)
            out.append((source, read_document(source)))
        except InputError as error:
            problems.extend(error.diagnostics)
    return out


class _Checker:
    """Collects cross-reference problems with their positions."""

    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []
        self.seen: dict[tuple[str, str], Where] = {}

    def at(self, source: Source, path: Path_) -> Where:
        line, col = source.where(path)
        return Where(source.file, line, col)

    def add(self, where: Where, code: str, /, **params: Any) -> None:
        self.problems.append(diag(where.file, (where.line, where.col), code, **params))

    def define(self, what: str, ident: str, where: Where) -> bool:
        key = (what, ident)
        if key in self.seen:
            self.add(where, "duplicate-id", what=f"@what.{what}", id=ident, other=str(self.seen[key]))
            return False
        self.seen[key] = where
        return True

    def ref(self, what: str, ident: str, known: Iterable[str], where: Where) -> bool:
        known = list(known)
        if ident in known:
            return True
        self.add(where, "unknown-ref", what=f"@what.{what}", id=ident, guess=did_you_mean(ident, known))
        return False




def _fits(kind: str, value: Any) -> bool:
    if kind in ("integer", "number", "scores"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind in ("boolean", "fact"):
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, dt.date)
    return isinstance(value, str)


class _Assembler(_Checker):
    def __init__(self, documents: list[tuple[Source, BaseModel]]):
        super().__init__()
        self.documents = documents
        self.schema: ProfileSchema | None = None
        self.ladders: dict[str, Ladder] = {}
        self.offers: dict[str, Offer] = {}
        self.pools: dict[str, Pool] = {}
        self.rulesets: list[tuple[Source, RuleSet]] = []
        self.facts: dict[str, Label] = {}
        self.flags: dict[str, Label] = {}
        self.catalog_offers: list[tuple[Source, int, Offer]] = []
        self.ruleset_ladders: list[tuple[Source, int, str]] = []
        self.schema_source: Source | None = None
        self.derivers: dict[str, list[str]] = {}

    def collect(self, rule_folders: list[Path], catalog_folders: list[Path]) -> None:
        schema_at: Where | None = None
        for source, model in self.documents:
            if isinstance(model, ProfileSchema):
                if schema_at is not None:
                    self.add(self.at(source, ("kind",)), "schema-twice", other=str(schema_at))
                    continue
                self.schema, self.schema_source = model, source
                schema_at = self.at(source, ("kind",))
            elif isinstance(model, Catalog):
                self._collect_catalog(source, model)
            elif isinstance(model, RuleSet):
                self._collect_ruleset(source, model)
        first = (catalog_folders or rule_folders or [Path(".")])[0]
        if self.schema is None:
            self.add(Where(str(first), 1, 1), "missing-file", what="@what.profile_schema", folder=str(first))
        if not self.ladders:
            self.add(Where(str(first), 1, 1), "missing-file", what="@what.catalog", folder=str(first))
        if not self.rulesets:
            where = str((rule_folders or [first])[0])
            self.add(Where(where, 1, 1), "missing-file", what="@what.rules", folder=where)

    def _collect_catalog(self, source: Source, catalog: Catalog) -> None:
        for i, ladder in enumerate(catalog.ladders):
            if self.define("ladder", ladder.id, self.at(source, ("ladders", i, "id"))):
                self.ladders[ladder.id] = ladder
            for j, rung in enumerate(ladder.rungs):
                self.define("rung", rung.id, self.at(source, ("ladders", i, "rungs", j, "id")))
        for i, pool in enumerate(catalog.pools):
            if self.define("pool", pool.id, self.at(source, ("pools", i, "id"))):
                self.pools[pool.id] = pool
                self.mark("pool.schedule", pool.id, source, ("pools", i, "schedule", len(pool.schedule) - 1))
        for i, offer in enumerate(catalog.offers):
            where = self.at(source, ("offers", i, "id"))
            self.check_validity(source, ("offers", i), offer, "offer", offer.id)
            if self.define("offer", offer.id, where):
                self.offers[offer.id] = offer
                self._mark_offer(source, i, offer)
        self.catalog_offers.extend((source, i, o) for i, o in enumerate(catalog.offers))

    def mark(self, kind: str, ident: str, source: Source, path: Path_) -> None:
        """Remember where a part of a definition stands, for the static analysis to point at."""
        self.seen.setdefault((kind, ident), self.at(source, path))

    def _mark_offer(self, source: Source, i: int, offer: Offer) -> None:
        base: Path_ = ("offers", i)
        self.mark("offer.price_year", offer.id, source, base + ("tariff", "price_year"))
        if offer.valid_to is not None:
            self.mark("offer.valid_to", offer.id, source, base + ("valid_to",))
        if offer.capacity is not None and offer.capacity.schedule:
            last = len(offer.capacity.schedule) - 1
            self.mark("offer.schedule", offer.id, source, base + ("capacity", "schedule", last))

    def check_validity(self, source: Source, base: Path_, item: Validity, what: str, ident: str) -> None:
        """A window that closes before it opens would silently never apply."""
        if item.valid_from is not None and item.valid_to is not None and item.valid_from > item.valid_to:
            self.add(self.at(source, base + ("valid_to",)), "validity-inverted", what=f"@what.{what}", id=ident,
                     valid_from=item.valid_from.isoformat(), valid_to=item.valid_to.isoformat())

    def _collect_ruleset(self, source: Source, ruleset: RuleSet) -> None:
        self.define("ruleset", ruleset.id, self.at(source, ("id",)))
        self.check_validity(source, (), ruleset, "ruleset", ruleset.id)
        self.rulesets.append((source, ruleset))
        self.ruleset_ladders.extend((source, i, lad) for i, lad in enumerate(ruleset.ladders))
        for name, label in ruleset.facts.items():
            if self.define("fact", name, self.at(source, ("facts", name))):
                self.facts[name] = label
        for name, label in ruleset.flags.items():
            if self.define("flag", name, self.at(source, ("flags", name))):
                self.flags[name] = label
        for i, rule in enumerate(ruleset.rules):
            self.define("rule", rule.id, self.at(source, ("rules", i, "id")))

    # --- references -------------------------------------------------------------------------

    def check_offers(self) -> None:
        for source, i, offer in self.catalog_offers:
            base: Path_ = ("offers", i)
            if not self.ref("ladder", offer.ladder, self.ladders, self.at(source, base + ("ladder",))):
                continue
            rungs = [r.id for r in self.ladders[offer.ladder].rungs]
            if offer.rung not in rungs:
                self.add(self.at(source, base + ("rung",)), "rung-not-in-ladder", rung=offer.rung,
                         ladder=offer.ladder, guess=did_you_mean(offer.rung, rungs))
            if offer.capacity and offer.capacity.pool:
                self.ref("pool", offer.capacity.pool, self.pools, self.at(source, base + ("capacity", "pool")))
            if offer.target_group and offer.target_group.when is not None:
                self.check_condition(source, base + ("target_group", "when"), offer.target_group.when)
        self.check_ladders()
        if self.schema is not None and self.schema_source is not None and self.ladders:
            index = next(i for i, f in enumerate(self.schema.fields) if f.id == "ladder")
            for j, value in enumerate(self.schema.by_id["ladder"].values or []):
                if value not in self.ladders:
                    where = self.at(self.schema_source, ("fields", index, "values", j))
                    self.ref("ladder", value, self.ladders, where)

    def check_ladders(self) -> None:
        """A ladder's age range points at ladders that exist; continued help at its own rungs and offers."""
        for source, model in self.documents:
            if not isinstance(model, Catalog):
                continue
            for i, ladder in enumerate(model.ladders):
                base: Path_ = ("ladders", i)
                for key in ("younger", "older"):
                    target = getattr(ladder.age, key) if ladder.age else None
                    if target is not None:
                        self.ref("ladder", target, self.ladders, self.at(source, base + ("age", key)))
                help_ = ladder.continued_help
                if help_ is None:
                    continue
                rungs = [r.id for r in ladder.rungs]
                for j, rung in enumerate(help_.after_rungs):
                    self.ref("rung", rung, rungs, self.at(source, base + ("continued_help", "after_rungs", j)))
                for j, offer in enumerate(help_.after_offers):
                    self.ref("offer", offer, self.offers, self.at(source, base + ("continued_help", "after_offers", j)))
        if self.schema is not None and self.schema_source is not None:
            for i, spec in enumerate(self.schema.fields):
                if spec.id == "current_offer_outcome":
                    for j, value in enumerate(spec.values or []):
                        self.ref("value", value, OUTCOMES, self.at(self.schema_source, ("fields", i, "values", j)))

    def field_kind(self, name: str) -> str | None:
        if name in self.facts:
            return "fact"
        if self.schema is None:
            return None
        spec = self.schema.paths().get(name)
        return spec.type if spec else None

    def check_condition(self, source: Source, path: Path_, condition: Condition) -> None:
        for key in ("all", "any"):
            for i, item in enumerate(getattr(condition, key) or []):
                self.check_condition(source, path + (key, i), item)
        if condition.not_ is not None:
            self.check_condition(source, path + ("not",), condition.not_)
        if self.schema is None:
            return
        names = [*self.schema.paths(), *self.facts]
        for name, test in condition.tests.items():
            where = self.at(source, path + (name,))
            kind = self.field_kind(name)
            if kind is None:
                self.ref("field", name, names, where)
                continue
            for op, value in test.operators():
                op_where = self.at(source, path + (name, op))
                if op not in operators_for(kind):
                    self.add(op_where, "operator-type", op=op, field=name, type=kind)
                    continue
                if op == "known":
                    continue
                values = list(value) if isinstance(value, list | tuple) else [value]
                for v in values:
                    self.check_value(name, kind, v, op_where)

    def check_value(self, name: str, kind: str, value: Any, where: Where) -> None:
        if not _fits(kind, value):
            self.add(where, "value-type", field=name, type=kind)
            return
        assert self.schema is not None
        spec = self.schema.paths().get(name)
        if kind in ("category", "categories") and spec is not None:
            self.ref("value", value, spec.values or [], where)
        elif kind == "offer":
            self.ref("offer", value, self.offers, where)

    def check_rules(self) -> None:
        for source, i, ladder in self.ruleset_ladders:
            self.ref("ladder", ladder, self.ladders, self.at(source, ("ladders", i)))
        fields = {f.id for f in self.schema.fields} | set(self.schema.paths()) if self.schema else set()
        for source, ruleset in self.rulesets:
            for name in ruleset.facts:
                # A case could then state the fact itself; what rules derive and what a case says must not mix.
                if name in fields:
                    self.add(self.at(source, ("facts", name)), "fact-is-field", fact=name)
        for source, ruleset in self.rulesets:
            for i, rule in enumerate(ruleset.rules):
                base: Path_ = ("rules", i)
                self.check_condition(source, base + ("when",), rule.when)
                self._check_effects(source, base + ("then",), rule)
                for j, target in enumerate(rule.exception_to):
                    where = self.at(source, base + ("exception_to", j))
                    if target == rule.id:
                        self.add(where, "exception-self")
                    elif self.ref("rule", target, self._all_rule_ids(), where) and not self._rule(
                        target
                    ).then.decides():
                        self.add(where, "exception-derive-only", target=target)

    def _all_rule_ids(self) -> list[str]:
        return [r.id for _, rs in self.rulesets for r in rs.rules]

    def _rule(self, rule_id: str) -> Rule:
        return next(r for _, rs in self.rulesets for r in rs.rules if r.id == rule_id)

    def _check_effects(self, source: Source, path: Path_, rule: Rule) -> None:
        then = rule.then
        rungs = [r.id for lad in self.ladders.values() for r in lad.rungs]
        for key in ("min_rung", "max_rung"):
            value = getattr(then, key)
            if value is not None:
                self.ref("rung", value, rungs, self.at(source, path + (key,)))
        for key in ("require", "prefer", "exclude"):
            for j, offer in enumerate(getattr(then, key)):
                self.ref("offer", offer, self.offers, self.at(source, path + (key, j)))
        if then.reference is not None:
            self.ref("offer", then.reference, self.offers, self.at(source, path + ("reference",)))
        for j, flag in enumerate(then.flags):
            self.ref("flag", flag, self.flags, self.at(source, path + ("flags", j)))
        for j, fact in enumerate(then.derive):
            self.ref("fact", fact, self.facts, self.at(source, path + ("derive", j)))

    # --- derived facts ----------------------------------------------------------------------

    def compile_rules(self) -> list[CompiledRule]:
        """Rules with their stratum: a rule runs after every rule that derives a fact it reads."""
        entries: dict[str, tuple[Source, RuleSet, int, Rule, Expr]] = {}
        for source, ruleset in self.rulesets:
            for i, rule in enumerate(ruleset.rules):
                entries.setdefault(rule.id, (source, ruleset, i, rule, normalise(rule.when)))
        derivers: dict[str, list[str]] = {}
        for rid, (*_, rule, _) in entries.items():
            for fact in rule.then.derive:
                derivers.setdefault(fact, []).append(rid)
        depends = {rid: sorted({d for f in fields_of(e[4]) for d in derivers.get(f, [])}) for rid, e in entries.items()}
        stratum: dict[str, int] = {}
        state: dict[str, int] = {}

        def visit(rid: str, trail: list[str]) -> int:
            if state.get(rid) == 2:
                return stratum[rid]
            if state.get(rid) == 1:
                cycle = trail[trail.index(rid):] + [rid]
                source, _, i, *_ = entries[rid]
                facts = [f for a, b in zip(cycle, cycle[1:], strict=False)
                         for f in entries[b][3].then.derive if f in fields_of(entries[a][4])]
                self.add(self.at(source, ("rules", i, "when")), "fact-cycle",
                         cycle=" -> ".join(cycle) + (f" ({', '.join(sorted(set(facts)))})" if facts else ""))
                raise _Cycle
            state[rid] = 1
            level = 0
            for dep in depends[rid]:
                level = max(level, visit(dep, trail + [rid]) + 1)
            state[rid] = 2
            stratum[rid] = level
            return level

        compiled = []
        for rid in sorted(entries):
            try:
                visit(rid, [])
            except _Cycle:
                return []
        for rid, (source, ruleset, i, rule, expr) in entries.items():
            compiled.append(CompiledRule(rule, ruleset, expr, frozenset(fields_of(expr)), stratum[rid],
                                         self.at(source, ("rules", i, "id"))))
        self.derivers = derivers
        return sorted(compiled, key=lambda r: (r.stratum, r.id))


class _Cycle(Exception):
    pass


class SortedPaths(NamedTuple):
    rules: list[Path]
    catalogs: list[Path]
    cases: list[Path]
    scenarios: list[Path]
    problems: list[Diagnostic]
    tests: list[Path]
    budgets: list[Path]
    mappings: list[Path]
    populations: list[Path]
    tables: list[Path]
    """CSV and .xlsx cohort tables (a folder's too), and files named as tables of another type."""


OTHER_KINDS = ("scenario", "tests", "budget", "cohort_mapping", "population")
"""The `kind`s of ladder's YAML files that are neither knowledge (`KINDS`) nor a case."""
TABLE_SUFFIXES = (".csv", ".xlsx")
"""A cohort table's file types; a folder's tables are checked with its YAML files."""
OTHER_TABLE_SUFFIXES = (".tsv", ".txt", ".xls", ".xlsm", ".xlsb", ".ods")
"""Files named as tables of another type: refused as a cohort table (`cohort-format`), not as YAML."""


def _unparsed(path: Path, error: InputError) -> list[Diagnostic]:
    """Why a file could not be sorted; it may be a case, so a CPR number in it is what to report."""
    try:
        read_source(path, personal=True)
    except InputError as personal:
        if any(d.code == "personal-data" for d in personal.diagnostics):
            return personal.diagnostics
    return error.diagnostics


def _expand_all(paths: Iterable[Path], problems: list[Diagnostic]) -> list[Path]:
    """Files as given, and a folder's YAML files and tables (not its subfolders'); a folder with
    neither is a problem: nothing in it would be checked."""
    out: list[Path] = []
    for path in paths:
        try:
            folder = path_kind(path) == "folder"
        except InputError as error:  # a loop of links, no permission: said as it is
            problems += error.diagnostics
            continue
        if not folder:
            out += _expand([path], problems)
            continue
        try:
            found = [p for p in folder_files(path) if p.suffix.lower() in (".yaml", ".yml", *TABLE_SUFFIXES)]
        except InputError as error:
            problems += error.diagnostics
            continue
        if not found:
            problems.append(diag(str(path), (1, 1), "folder-nothing-to-check"))
        out += found
    return out  # `sort_paths` takes each file once, by its `identity`


def sort_paths(paths: list[Path]) -> SortedPaths:
    """Rule, catalogue and schema, case, scenario, rule-test, budget, mapping, population and table
    files among files and folders.

    Files are sorted by their `kind`; a file without one is a case, a CSV or .xlsx file a cohort
    table (a folder's too). A file named twice (another path, a link) is sorted once. A path that
    does not exist, a file that cannot be parsed or is of an unknown kind, and a folder with nothing
    to check, is a problem of its own. Catalogues given without a profile
    schema are checked against the shipped schema.
    """
    problems: list[Diagnostic] = []
    kinds: dict[Path, str | None] = {}
    seen: set[Path] = set()
    for path in _expand_all(paths, problems):
        if (same := identity(path)) in seen:
            continue  # another name for a file already sorted
        seen.add(same)
        if path.suffix.lower() in (*TABLE_SUFFIXES, *OTHER_TABLE_SUFFIXES):
            kinds[path] = "table"
            continue
        try:
            source = read_source(path)
        except InputError as error:
            problems.extend(_unparsed(path, error))
            continue
        data = source.data
        kind = data.get("kind") if isinstance(data, dict) else None
        if kind is not None and kind != "case" and kind not in (*KINDS, *OTHER_KINDS):
            expected = ", ".join(sorted(("case", *KINDS, *OTHER_KINDS)))
            problems.append(diag(source.file, source.where(("kind",)), "unknown-kind", kind=str(kind)[:40],
                                 expected=expected))
            continue
        kinds[path] = None if kind == "case" else kind

    def of(*wanted: str | None) -> list[Path]:
        return [p for p, k in kinds.items() if k in wanted]

    catalogs = of(*(k for k in KINDS if k != "ruleset"))
    if catalogs and "profile_schema" not in kinds.values():
        catalogs += [p for p in _yaml_files(DEFAULT_CATALOGS) if _kind_of(p) == "profile_schema"]
    return SortedPaths(of("ruleset"), catalogs, of(None), of("scenario"), problems, of("tests"), of("budget"),
                       of("cohort_mapping"), of("population"), of("table"))


def _kind_of(path: Path) -> str | None:
    try:
        data = read_source(path).data
    except InputError:
        return None
    return data.get("kind") if isinstance(data, dict) else None


def knowledge_digest(sources: list[Source]) -> str:
    """sha256 over the name and content hash of every file, in name order."""
    digest = hashlib.sha256()
    # Sorted by name and content, not by path or argument order: the same files give the same
    # digest wherever the clone is and in whatever order the folders were named.
    for name, sha in sorted((Path(s.file).name, s.sha256) for s in sources):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


Document = tuple[Source, BaseModel]


def read_documents(rules: list[Path] | None = None, catalogs: list[Path] | None = None) -> list[Document]:
    """Every rule, catalogue and schema file, each valid on its own; InputError otherwise."""
    return read_files([*(catalogs or [DEFAULT_CATALOGS]), *(rules or [DEFAULT_RULES])])


def read_files(paths: list[Path]) -> list[Document]:
    """The rule, catalogue and schema files among `paths` (files, folders), each valid on its own."""
    problems: list[Diagnostic] = []
    documents = _read_all(paths, problems)
    if problems:
        # A file that failed on its own is left out; checking the rest against it would only
        # report its ids as unknown everywhere. Fix these first.
        raise InputError(problems)
    return documents


def assemble(documents: list[Document], rules: list[Path] | None = None, catalogs: list[Path] | None = None,
             withdrawn: frozenset[str] = frozenset()) -> Knowledge:
    """Cross-check valid documents into one knowledge base; raises InputError listing every problem."""
    rule_folders = rules or [DEFAULT_RULES]
    catalog_folders = catalogs or [DEFAULT_CATALOGS]
    assembler = _Assembler(documents)
    assembler.collect(rule_folders, catalog_folders)
    assembler.check_offers()
    assembler.check_rules()
    compiled = assembler.compile_rules() if not assembler.problems else []
    if assembler.problems:
        raise InputError(assembler.problems)
    assert assembler.schema is not None
    # Overlays make several documents out of one file; each file counts once.
    unique = list({(s.file, s.sha256): s for s, _ in documents}.values())
    return Knowledge(
        schema=assembler.schema,
        ladders=assembler.ladders,
        offers=assembler.offers,
        pools=assembler.pools,
        rulesets=sorted((rs for _, rs in assembler.rulesets), key=lambda rs: rs.id),
        rules=compiled,
        facts=assembler.facts,
        flags=assembler.flags,
        derivers=assembler.derivers,
        files=sorted({s.file for s in unique}),
        sha256=knowledge_digest(unique),
        withdrawn=withdrawn,
        where=dict(assembler.seen),
    )


def load_knowledge(rules: list[Path] | None = None, catalogs: list[Path] | None = None) -> Knowledge:
    """Load and cross-check rule and catalogue folders; raises InputError listing every problem."""
    return assemble(read_documents(rules, catalogs), rules, catalogs)


def condition_problems(kb: Knowledge, source: Source, path: Path_, condition: Condition) -> list[Diagnostic]:
    """A condition outside a rule file (a scenario's case effect) held to the checks a rule's `when`
    gets: known fields and facts, operators that fit their type, values that fit the field."""
    checker = _Assembler([])
    checker.schema, checker.facts, checker.offers = kb.schema, kb.facts, kb.offers
    checker.check_condition(source, path, condition)
    return checker.problems
