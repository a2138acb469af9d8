"""The personal-data guard: every key and value of what a user gives, checked before it is used.

`engine.text.privacy` finds and masks; this module turns what it finds into diagnostics at the
line and column where the user wrote it, so a file with a CPR number is refused as personal data
(exit 4) and never as some other mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from engine.text.diagnostics import Diagnostic, at_source, diag
from engine.text.privacy import (
    MAX_FINDINGS,
    SCAN_BUDGET,
    _cpr_masked,
    _cprs,
    find_written_cpr,
    normalise,
    personal_value,
)

if TYPE_CHECKING:
    from engine.files.parsed import Path_, Source


def personal_data_in(source: Source, data: Any = None, base: Path_ = ()) -> list[Diagnostic]:
    """Every key and value of `data` (default: the whole file) that is personal data, at its position.

    Run on a case before it is validated: a CPR number in a list, a key or a nested score is then
    named as personal data (and the file refused as such), not as some other mistake. At most
    `MAX_FINDINGS` are reported.
    """
    def found(node: Any, path: Path_) -> Diagnostic | None:
        hit = personal_value(node)
        return _personal(source, path, hit) if hit else None

    return _walk(source.data if data is None else data, base, found)


def cpr_in_policy(source: Source) -> list[Diagnostic]:
    """Every key and text of a rule, catalogue, scenario, budget, mapping or population file holding a
    CPR number as a person writes one (`find_written_cpr`), at its position: such a file is refused
    (exit 4), as its titles and names are printed. Its dates, amounts and ids are not taken for one."""
    def found(node: Any, path: Path_) -> Diagnostic | None:
        masked = find_written_cpr(node) if isinstance(node, str) else None
        return at_source(source, path, "personal-data-policy", masked=masked) if masked else None

    return _walk(source.data, (), found)


def _walk(data: Any, base: Path_, found: Callable[[Any, Path_], Diagnostic | None]) -> list[Diagnostic]:
    """What `found` says of every key and scalar value of `data`, in file order (a key it flags is not
    looked into), at most `MAX_FINDINGS`."""
    problems: list[Diagnostic] = []
    stack: list[tuple[Any, Path_]] = [(data, base)]
    while stack and len(problems) < MAX_FINDINGS:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in reversed(node.items()):
                if (problem := found(key, path + (key,))) is not None:
                    problems.append(problem)
                else:
                    stack.append((value, path + (key,)))
        elif isinstance(node, list):
            stack.extend((item, path + (index,)) for index, item in reversed(list(enumerate(node))))
        elif (problem := found(node, path)) is not None:
            problems.append(problem)
    return sorted(problems)[:MAX_FINDINGS]


def _personal(source: Source, path: Path_, found: tuple[str, str]) -> Diagnostic:
    kind, masked = found
    return at_source(source, path, "personal-data", kind=kind, masked=masked)


def cpr_in_text(text: str, file: str) -> list[Diagnostic]:
    """Every CPR number anywhere in a file's text, comments included, at its line and column (one
    per line, at most `MAX_FINDINGS`).

    For files that hold case data: a number in a comment is as much in the file as one in a value.
    """
    if len(text) > SCAN_BUDGET:
        return [diag(file, (1, 1), "personal-data", kind="cpr", masked="??????-XXXX")]
    plain = normalise(text)
    problems: list[Diagnostic] = []
    line, line_start, counted = 1, 0, 0
    position = 0
    while len(problems) < MAX_FINDINGS and (match := next(_cprs(plain, position), None)) is not None:
        start = match.start()
        newlines = text.count("\n", counted, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, start) + 1
        counted = start
        problems.append(diag(file, (line, start - line_start + 1), "personal-data", kind="cpr",
                             masked=_cpr_masked(match.group())))
        following = text.find("\n", match.end())  # one finding per line is enough to point at it
        if following < 0:
            break
        position = following
    return problems
