"""Rule-test reports: readable text for policy staff, JSON for scripts, JUnit XML for CI servers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.ruletest.run import Coverage, Mismatch, Report, TestResult
from engine.text.messages import t
from engine.text.money import kroner
from engine.text.privacy import mask

_SETS = ("flags", "missing_information", "rules_fired", "rules_not_fired", "rules_overridden")


def percent(part: int, total: int, lang: str) -> str:
    """One decimal, rounded half up, with the decimal mark of the language: 93,8."""
    value = Decimal(100) if total == 0 else (Decimal(part) * 100 / total)
    text = f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
    return text.replace(".", ",") if lang == "da" else text


def _value(value: Any, key: str, lang: str) -> str:
    if value is None:
        return t("test.not_suggested", lang) if key.startswith("cost_difference.") else t("test.none", lang)
    if key.startswith("cost_difference."):
        return kroner(value)
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


def mismatch_line(m: Mismatch, lang: str) -> str:
    """`key: expected X, actual Y`, or for sets what is missing and what is unexpected."""
    if m.key in _SETS:
        parts = []
        missing = [v for v in m.expected if v not in m.actual]
        extra = [v for v in m.actual if v not in m.expected]
        if m.key == "rules_fired":
            missing, extra = m.expected, []
        if missing:
            parts.append(f"{t('test.missing_items', lang)}: {', '.join(missing)}")
        if extra:
            parts.append(f"{t('test.extra_items', lang)}: {', '.join(extra)}")
        return f"{m.key}: " + "; ".join(parts)
    return (f"{m.key}: {t('test.expected', lang)} {_value(m.expected, m.key, lang)}, "
            f"{t('test.actual', lang)} {_value(m.actual, m.key, lang)}")


def _coverage_lines(coverage: Coverage, lang: str) -> list[str]:
    fired, total = coverage.rule_fraction()
    suggested, offers = coverage.offer_fraction()
    lines = [t("test.coverage.rules", lang, fired=fired, total=total, pct=percent(fired, total, lang)),
             t("test.coverage.offers", lang, suggested=suggested, total=offers, pct=percent(suggested, offers, lang))]
    if coverage.rules_never_fired:
        lines.append(t("test.coverage.never_fired", lang))
        lines += [f"  {rid} ({mask(where)})" for rid, where in coverage.rules_never_fired]
    if coverage.offers_never_suggested:
        lines.append(t("test.coverage.never_suggested", lang))
        lines += [f"  {oid}" for oid in coverage.offers_never_suggested]
    return lines


def text(report: Report, lang: str, show_coverage: bool) -> str:
    """Every test on one line, each failed expectation below its test; then the totals."""
    lines = []
    for result in report.results:
        mark = "✓" if result.passed else "✗"
        lines.append(f"{mark} {mask(result.test.where)} {result.test.name}")
        lines += [f"    {mismatch_line(m, lang)}" for m in result.mismatches]
    failed = len(report.failed)
    lines.append("")
    lines.append(t("test.summary", lang, passed=len(report.results) - failed, failed=failed,
                   total=len(report.results)))
    if show_coverage:
        lines += _coverage_lines(report.coverage, lang)
    return "\n".join(lines) + "\n"


def _result_json(result: TestResult, lang: str) -> dict[str, Any]:
    return {
        "file": mask(result.test.file),
        "line": result.test.line,
        "name": result.test.name,
        "case_id": result.test.case.case_id,
        "passed": result.passed,
        "mismatches": [{"key": m.key, "expected": m.expected, "actual": m.actual, "text": mismatch_line(m, lang)}
                       for m in result.mismatches],
    }


def as_json(report: Report, lang: str) -> str:
    coverage = report.coverage
    fired, total = coverage.rule_fraction()
    suggested, offers = coverage.offer_fraction()
    data = {
        "tests": [_result_json(r, lang) for r in report.results],
        "summary": {"total": len(report.results), "passed": len(report.results) - len(report.failed),
                    "failed": len(report.failed)},
        "coverage": {
            "rules": {"fired": fired, "total": total, "percent": percent(fired, total, "en"),
                      "never_fired": [{"rule_id": r, "where": mask(w)} for r, w in coverage.rules_never_fired]},
            "offers": {"suggested": suggested, "total": offers, "percent": percent(suggested, offers, "en"),
                       "never_suggested": coverage.offers_never_suggested},
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def junit(report: Report, lang: str) -> bytes:
    """JUnit XML as Jenkins, GitLab and Azure DevOps read it: one suite per test file."""
    root = ET.Element("testsuites", name="ladder", tests=str(len(report.results)), failures=str(len(report.failed)))
    fired, total = report.coverage.rule_fraction()
    suites: dict[str, ET.Element] = {}
    for result in report.results:
        file = mask(result.test.file)  # a path is shown masked, like in every message
        if file not in suites:
            suites[file] = ET.SubElement(root, "testsuite", name=file, tests="0", failures="0")
            props = ET.SubElement(suites[file], "properties")
            ET.SubElement(props, "property", name="rule_coverage", value=f"{fired}/{total}")
        suite = suites[file]
        suite.set("tests", str(int(suite.get("tests", "0")) + 1))
        case = ET.SubElement(suite, "testcase", classname=file, name=result.test.name, file=file,
                             line=str(result.test.line))
        if not result.passed:
            suite.set("failures", str(int(suite.get("failures", "0")) + 1))
            lines = [mismatch_line(m, lang) for m in result.mismatches]
            failure = ET.SubElement(case, "failure", message=lines[0], type="expectation")
            failure.text = "\n".join(lines)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
