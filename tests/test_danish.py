"""The meeting reads Danish: names and labels instead of ids, rungs from 1, one bad case holds back
no other, and what Danes type is read alike in YAML cases, CSV cohorts and the JSON Schema."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from cli import app
from engine.cases.cohort import read_table
from engine.cases.files import case_from_source
from engine.files.source import read_source
from engine.knowledge.assemble import Knowledge, load_knowledge
from engine.knowledge.jsonschema import json_schema
from engine.knowledge.labels import Labels, rule_title, short_title
from engine.render.suggest.markdown import render as render_markdown
from engine.render.suggest.table import render as render_table
from engine.suggest.suggestion import suggest
from engine.text.diagnostics import Diagnostic, InputError
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
K17 = EXAMPLES / "k17_udskoling_autisme.yaml"


def cli(*args: object) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def example_results(kb: Knowledge, lang: str) -> list[dict[str, Any]]:
    from engine.cases.files import load_cases

    return [suggest(kb, case, lang) for case in load_cases([EXAMPLES], kb)]


def table_text(results: list[dict[str, Any]], labels: Labels) -> str:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    render_table(results, labels, Console(file=buffer, width=200, color_system=None))
    assert buffer.getvalue(), "the table was rendered"
    return buffer.getvalue()


def internal_ids(kb: Knowledge) -> set[str]:
    """Ids no person should have to read: every rule, offer, rung, flag, derived fact and profile field id
    that is not also an ordinary word (those have an underscore or are English field names)."""
    ids = {r.id for r in kb.rules} | set(kb.offers) | set(kb.flags) | set(kb.facts)
    ids |= {rung.id for ladder in kb.ladders.values() for rung in ladder.rungs}
    ids |= {spec.id for spec in kb.schema.fields}
    for spec in kb.schema.fields:
        ids |= {v for v in spec.values or [] if "_" in v}
    return {i for i in ids if "_" in i or i in {s.id for s in kb.schema.fields}}


# --- a) names and labels in the table and the minutes -------------------------------------------------


@pytest.mark.parametrize("form", ["table", "markdown"])
def test_no_internal_id_in_what_the_meeting_reads(kb: Knowledge, form: str) -> None:
    results = example_results(kb, "da")
    labels = Labels(kb, "da")
    text = table_text(results, labels) if form == "table" else render_markdown(results, labels)
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    # "case_id" etc. never appear; pseudonyms (K-17) are the case's own name and stay.
    assert not words & internal_ids(kb), sorted(words & internal_ids(kb))
    assert not re.search(r"\b[a-z_]+ = ", text), "facts read 'Diagnoser: autisme', not 'diagnoses = autisme'"


def test_k17_reads_labels_values_and_rung_numbers(kb: Knowledge) -> None:
    [result] = [r for r in example_results(kb, "da") if r["case_id"] == "K-17"]
    labels = Labels(kb, "da")
    for text in (table_text([result], labels), render_markdown([result], labels)):
        flat = " ".join(text.split())
        assert "Trin 5: Specialskole / særligt skoletilbud" in flat
        assert "Trappe: Specialundervisning" in flat
        assert "Diagnoser: autisme" in flat
        assert "Vanskeligheder: socio-emotionelle vanskeligheder" in flat
        assert "Skolevægring: ja" in flat
        assert "Trin 1: Almenundervisning –" in flat and "Trin 4: Specialklasse –" in flat
        assert "Risici (bruges af »" in flat  # the missing field by its label, the rule by its title
        assert "Regelgrundlag: Specialundervisning i folkeskolen (version 2024.1)" in flat
        assert "(4)" not in flat  # the old 0-based rung number


def test_english_uses_the_english_labels(kb: Knowledge) -> None:
    [result] = [r for r in example_results(kb, "en") if r["case_id"] == "K-17"]
    flat = " ".join(render_markdown([result], Labels(kb, "en")).split())
    assert "Rung 5: Special school" in flat and "Diagnoses: autism" in flat
    assert "Difficulties: socio-emotional difficulties" in flat and "Risks (needed by “" in flat
    assert "Trin" not in flat


def test_cli_markdown_and_table_use_the_labels() -> None:
    for fmt in ("markdown", "table"):
        out = cli("suggest", K17, "--format", fmt)
        assert out.exit_code == 0, out.output
        assert "udskoling_skolevaegring_spor" not in out.stdout and "Diagnoser: autisme" in out.stdout


def test_values_read_as_a_person_writes_them(kb: Knowledge) -> None:
    da, en = Labels(kb, "da"), Labels(kb, "en")
    assert da.fact("absence_pct", 62.5) == "Skolefravær seneste kvartal: 62,5 %"
    assert en.fact("absence_pct", 62.5) == "School absence last quarter: 62.5 %"
    assert da.fact("age", 14) == "Alder: 14 år"
    assert da.fact("ladder", "skole") == "Indsatstrappe: Specialundervisning"
    assert da.fact("current_offer", "ekstern_specialskole") == "Nuværende tilbud: Ekstern specialskole (privat)"
    assert da.fact("risks", []) == "Risici: ingen"
    assert da.fact("support_need", "hoejt") == "Samlet støttebehov (VUM 2.0): højt"
    assert da.field("function_levels.praktiske_opgaver").endswith(": praktiske opgaver")
    assert da.fact("tried_offers", [{"offer": "stoette_3a", "outcome": "insufficient"}]).endswith(
        "(uden tilstrækkelig effekt)")
    assert da.user("offer:ekstern_specialskole") == "målgruppen for Ekstern specialskole (privat)"
    assert da.field("skolevaegring") == "Skolevægring"  # a derived fact's label from the rule set


def test_a_rule_title_names_the_rule_else_the_reason_s_first_clause(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    assert short_title("Ved bekymrende fravær er almenundervisning uden støtte ikke nok; støtte i klassen er "
                       "første skridt.") == "Ved bekymrende fravær er almenundervisning uden støtte ikke nok"
    assert short_title("Eleven går i 7.-10. klasse.") == "Eleven går i 7.-10. klasse"
    path = rules / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: udskoling_skolevaegring_spor\n",
        "  - id: udskoling_skolevaegring_spor\n    title: Udskolingsspor\n    title_en: Youth school track\n"),
        encoding="utf-8")
    kb = load_knowledge([rules], [catalogs])
    assert rule_title(kb.rule_by_id["udskoling_skolevaegring_spor"].rule, "en") == "Youth school track"
    result = suggest(kb, case_from_source(read_source(K17, personal=True), kb))
    assert {s["rung"]: s["why"] for s in result["skipped_rungs"]}["specialklasse"] == (
        "under minimumstrinnet sat af »Udskolingsspor«")
    assert "**Udskolingsspor**: Elev i udskolingen" in render_markdown([result], Labels(kb, "da"))


# --- b) rung numbers from 1 wherever a person reads them; rung_number in the JSON -------------------------


def _every_rung(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if "rung_index" in node else []
        return found + [d for v in node.values() for d in _every_rung(v)]
    if isinstance(node, list):
        return [d for v in node for d in _every_rung(v)]
    return []


def test_rung_number_beside_every_rung_index(kb: Knowledge) -> None:
    results = example_results(kb, "da")
    rungs = [d for r in results for d in _every_rung(r)]
    assert len(rungs) > 20
    assert all(d["rung_number"] == d["rung_index"] + 1 for d in rungs)
    for r in results:
        assert all("rung_number" in s for s in r["skipped_rungs"] + r["suggestions"])
        if r["suggested_rung"]:
            assert r["suggested_rung"]["rung_number"] == r["suggested_rung"]["rung_index"] + 1


def test_show_writes_the_same_rung_numbers_as_suggest(tmp_path: Path) -> None:
    suggested = json.loads(cli("suggest", K17, "--format", "json").stdout)["suggested_rung"]
    label = f"Trin {suggested['rung_number']}: {suggested['rung_name']}"
    assert label in " ".join(cli("suggest", K17).stdout.split())
    assert label in cli("show", "skole", "--date", "2025-03-10").stdout
    page = tmp_path / "skole.html"
    assert cli("show", "skole", "--date", "2025-03-10", "--html", page).exit_code == 0
    assert label in page.read_text(encoding="utf-8")


# --- b) offer ids where a caseworker looks them up -------------------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


def test_show_lists_every_offer_id_in_svg_and_html(kb: Knowledge, tmp_path: Path) -> None:
    svg, html = tmp_path / "a.svg", tmp_path / "a.html"
    assert cli("show", "--date", "2025-03-10", "--svg", svg).exit_code == 0
    assert cli("show", "--date", "2025-03-10", "--html", html).exit_code == 0
    drawn = "".join(t for e in ET.parse(svg).getroot().iter(f"{SVG}text") for t in e.itertext())
    page = html.read_text(encoding="utf-8")
    for offer in kb.offers.values():
        assert offer.id in drawn, offer.id
        assert f"<code>{offer.id}</code>" in page, offer.id


# --- c) one bad case does not hold back the others ----------------------------------------------------------


@pytest.fixture()
def agenda(tmp_path: Path) -> Path:
    folder = tmp_path / "dagsorden"
    folder.mkdir()
    for name in ("k17_udskoling_autisme.yaml", "v03_bostoette.yaml", "b08_anbringelse.yaml"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    (folder / "k99_forkert.yaml").write_text("case_id: K-99\ndecision_date: 2025-03-10\nladder: Skole\nage: fjorten\n",
                                            encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_a_bad_case_in_a_folder_leaves_the_others_their_suggestion(agenda: Path, fmt: str) -> None:
    out = cli("suggest", agenda, "--format", fmt)
    assert out.exit_code == 1
    for case_id in ("K-17", "V-03", "B-08"):
        assert case_id in out.stdout
    assert "K-99" not in out.stdout
    assert "k99_forkert.yaml:3:1: fejl[wrong-value]" in out.stderr and "mente du 'skole'" in out.stderr
    assert "3 sager har fået forslag ovenfor; 1 fil kunne ikke bruges" in out.stderr
    assert "Traceback" not in out.output


def test_json_with_a_bad_case_is_still_one_valid_document(agenda: Path) -> None:
    first, second = cli("suggest", agenda, "--format", "json"), cli("suggest", agenda, "--format", "json")
    assert first.stdout == second.stdout  # deterministic, byte for byte
    data = json.loads(first.stdout)
    assert [r["case_id"] for r in data] == ["B-08", "K-17", "V-03"]  # the same list, sorted by case id


def test_personal_data_in_one_case_exits_4_after_the_others(agenda: Path) -> None:
    (agenda / "k98_cpr.yaml").write_text("case_id: K-98\ndecision_date: 2025-03-10\nladder: skole\n"
                                         "note_id: 170312-1234\n", encoding="utf-8")
    out = cli("suggest", agenda, "--format", "json")
    assert out.exit_code == 4
    assert len(json.loads(out.stdout)) == 3
    assert "170312-XXXX" in out.stderr and "1234" not in out.stderr


def test_a_missing_file_among_good_ones_is_reported_like_a_bad_one(tmp_path: Path) -> None:
    out = cli("suggest", K17, tmp_path / "findes_ikke.yaml", "--format", "json")
    assert out.exit_code == 1 and [r["case_id"] for r in json.loads(out.stdout)] == ["K-17"]
    assert "[not-a-file]" in out.stderr


def test_nothing_readable_is_an_error_without_output(agenda: Path) -> None:
    out = cli("suggest", agenda / "k99_forkert.yaml", "--format", "json")
    assert out.exit_code == 1 and out.stdout == ""


def test_the_log_keeps_the_suggestions_that_were_shown(agenda: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.db"
    assert cli("suggest", agenda, "--format", "json", "--log", log).exit_code == 1
    listed = json.loads(cli("log", "list", log, "--format", "json").stdout)
    assert sorted(row["case_id"] for row in listed) == ["B-08", "K-17", "V-03"]


# --- d) what Danes type: the same in YAML, CSV and the JSON Schema ----------------------------------------


_INT12 = re.compile(r"[-+]?[0-9]+")
_FLOAT12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def yaml12(token: str) -> Any:
    """A plain scalar as an editor reads it (YAML 1.2 core schema, the VS Code YAML extension's default)."""
    if token in ("", "~", "null", "Null", "NULL"):
        return None
    if token in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return token.lower() == "true"
    if _INT12.fullmatch(token):
        return int(token)
    if re.fullmatch(r"0x[0-9a-fA-F]+|0o[0-7]+", token):
        return int(token, 0)
    if _FLOAT12.fullmatch(token):
        return float(token)
    return token


BASE = {"case_id": "T-1", "decision_date": "2025-03-10", "ladder": "skole"}

# (field, what is typed): every one of these must get the same answer from all three readers.
TYPED = [
    *[("school_refusal", w) for w in ("true", "false", "True", "FALSE", "ja", "Ja", "NEJ", "nej", "yes", "No",
                                      "j", "N", "sand", "Falsk", "1", "0", "on", "off", "On", "måske", "2", "")],
    *[("age", w) for w in ("14", "014", "+14", "-1", "121", "1.500", "14,5", "fjorten", "1_000", "1 000", "")],
    *[("absence_pct", w) for w in ("23,5", "23.5", "62", "0,125", "1,500", "1.000,5", "1 000", "12,3456", "ti",
                                   "101", "")],
    *[("decision_date", w) for w in ("2025-03-10", "10-03-2025", "1-3-2025", "10.03.2025", "10-03-25",
                                     "10/03/2025", "2025-02-30", "20250310", "10. marts 2025")],
    *[("ladder", w) for w in ("skole", "Skole", "skolen")],
    *[("support_need", w) for w in ("hoejt", "højt", "Hoejt")],
]


@pytest.fixture(scope="module")
def case_schema(kb: Knowledge) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema("case", "da", kb.schema),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def read_yaml(kb: Knowledge, tmp_path: Path, field: str, token: str) -> tuple[bool, Any]:
    lines = [f"{k}: {token if k == field else v}" for k, v in BASE.items()]
    if field not in BASE:
        lines.append(f"{field}: {token}")
    path = tmp_path / "sag.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        case = case_from_source(read_source(path, personal=True), kb)
    except InputError:
        return False, None
    return True, case.values.get(field)


def read_csv(kb: Knowledge, tmp_path: Path, field: str, token: str) -> tuple[bool, Any]:
    row = {**BASE, field: token}
    path = tmp_path / "kohorte.csv"
    path.write_text(";".join(row) + "\n" + ";".join(row.values()) + "\n", encoding="utf-8")
    try:
        cases, problems = read_table(path, kb)
    except InputError:
        return False, None
    return (not problems, cases[0].values.get(field) if cases else None)


@pytest.mark.parametrize(("field", "token"), TYPED, ids=[f"{f}={t or 'empty'}" for f, t in TYPED])
def test_yaml_csv_and_the_schema_agree(kb: Knowledge, tmp_path: Path, case_schema: Any, field: str,
                                       token: str) -> None:
    yaml_ok, yaml_value = read_yaml(kb, tmp_path, field, token)
    csv_ok, csv_value = read_csv(kb, tmp_path, field, token)
    schema_ok = case_schema.is_valid({**BASE, field: yaml12(token)})
    assert yaml_ok == csv_ok == schema_ok, (yaml_ok, csv_ok, schema_ok)
    assert yaml_value == csv_value


@pytest.mark.parametrize(("field", "token"), [("school_refusal", "1.0"), ("age", "14.0"), ("age", "0x10"),
                                              ("absence_pct", "1.500"), ("absence_pct", "1e1"),
                                              ("decision_date", "31-02-2025")])
def test_where_the_schema_cannot_see_it_is_looser_never_stricter(kb: Knowledge, tmp_path: Path, case_schema: Any,
                                                                 field: str, token: str) -> None:
    """The editor reads 1.500 as the number 1.5 and cannot tell that 31-02 is no date: ladder refuses what was
    written, and so does a cohort; the schema lets it pass (docs/schema.md)."""
    assert not read_yaml(kb, tmp_path, field, token)[0] and not read_csv(kb, tmp_path, field, token)[0]
    assert case_schema.is_valid({**BASE, field: yaml12(token)})


def test_typed_values_mean_what_they_say(kb: Knowledge, tmp_path: Path) -> None:
    assert read_yaml(kb, tmp_path, "school_refusal", "Ja") == (True, True)
    assert read_yaml(kb, tmp_path, "school_refusal", "nej") == (True, False)
    assert read_yaml(kb, tmp_path, "age", "014") == (True, 14)  # YAML 1.1 would read octal 12
    assert read_yaml(kb, tmp_path, "absence_pct", "23,5") == (True, 23.5)
    ok, day = read_yaml(kb, tmp_path, "decision_date", "01-03-2024")
    assert ok and day.isoformat() == "2024-03-01"


def problems_of(kb: Knowledge, tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "sag.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        case_from_source(read_source(path, personal=True), kb)
    return caught.value.diagnostics


def one(found: list[Diagnostic]) -> Diagnostic:
    assert len(found) == 1, [d.render() for d in found]
    return found[0]


HEAD = "case_id: T-1\ndecision_date: 2025-03-10\n"


@pytest.mark.parametrize(("text", "code", "guess"), [
    ("ladder: Skole\n", "wrong-value", "skole"),
    ("ladder: skole\ndifficulties: [socio-emotionelle]\n", "wrong-value", "socio_emotionelle"),
    ("ladder: skole\ndiagnoses: [Udviklingshæmning]\n", "wrong-value", "udviklingshaemning"),
    ("ladder: voksen\nsupport_need: høj\n", "wrong-value", "hoejt"),
    ("ladder: skole\ncurrent_offer: almenklasse\n", "unknown-ref", "almen_undervisning"),
    ("ladder: skole\ncurrent_offer: Ekstern specialskole\n", "unknown-ref", "ekstern_specialskole"),
    ("ladder: skole\ncurrent_offer: Almen-Undervisning\n", "unknown-ref", "almen_undervisning"),
    ("ladder: skole\ntried_offers: [{offer: almenklasse_med_stoette, outcome: insufficient}]\n", "unknown-ref",
     "stoette_3a"),
    ("ladder: skole\nalder: 14\n", "unknown-key", "age"),
])
def test_did_you_mean_for_values_offers_and_labels(kb: Knowledge, tmp_path: Path, text: str, code: str,
                                                   guess: str) -> None:
    found = one(problems_of(kb, tmp_path, HEAD + text))
    assert found.code == code and dict(found.params).get("guess") == guess, found.render()


def test_a_rung_with_several_offers_names_them_all(kb: Knowledge, tmp_path: Path) -> None:
    found = one(problems_of(kb, tmp_path, HEAD + "ladder: skole\ncurrent_offer: specialskole\n"))
    message = found.message()
    assert "mente du 'ekstern_specialskole' eller '" in message, message


def test_a_cohort_cell_gets_the_same_rewrite(kb: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("case_id;decision_date;ladder;school_refusal\nK-1;01-03-24;skole;ON\n", encoding="utf-8")
    _, problems = read_table(path, kb)
    assert sorted(d.message() for d in problems) == [
        "cellen kan ikke læses som ja eller nej (også true/false, yes/no, j/n, sand/falsk, 1/0); skriv true",
        "datoen skal være en ISO-dato (ÅÅÅÅ-MM-DD) eller dansk med firecifret år (DD-MM-ÅÅÅÅ); skriv 2024-03-01"]


def test_an_inline_case_in_a_rule_test_reads_typed_values_alike(kb: Knowledge, tmp_path: Path) -> None:
    from engine.ruletest.run import load_tests

    path = tmp_path / "t.yaml"
    case = "case_id: T-1\ndecision_date: 10-03-2025\nladder: skole\nage: 014\nabsence_pct: 62,5\nschool_refusal: Ja\n"
    inline = "".join(f"      {line}\n" for line in case.splitlines())
    path.write_text(f"kind: tests\ntests:\n  - name: typed\n    case:\n{inline}    expect:\n      rung: mellemform\n",
                    encoding="utf-8")
    [test] = load_tests([path], kb)
    assert {k: test.case.values[k] for k in ("age", "absence_pct", "school_refusal")} == {
        "age": 14, "absence_pct": 62.5, "school_refusal": True}
    assert test.case.values["decision_date"].isoformat() == "2025-03-10"


def test_the_same_guess_for_a_cohort_cell(kb: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("case_id;decision_date;ladder;difficulties\nK-1;2025-03-10;skole;Socio-emotionelle\n",
                    encoding="utf-8")
    _, problems = read_table(path, kb)
    assert "mente du 'socio_emotionelle'" in one(problems).message()


@pytest.mark.parametrize(("text", "code", "rewrite"), [
    ("ladder: skole\nschool_refusal: on\n", "boolean-text", "skriv true"),
    ("ladder: skole\nschool_refusal: OFF\n", "boolean-text", "skriv false"),
    ("ladder: skole\nschool_refusal: måske\n", "boolean-text", "ja eller nej"),
    ("ladder: skole\nabsence_pct: 1.500\n", "number-ambiguous", "1,5000"),
    ("ladder: skole\nage: 14 år\n", "wrong-type", "et helt tal; skriv 14"),
    ("ladder: skole\nabsence_pct: 62,5 %\n", "wrong-type", "; skriv 62,5"),
    ("ladder: skole\nage: fjorten\n", "wrong-type", "forventede et helt tal"),
    ("ladder: skole\ndecision_date: 10. marts 2025\n", "iso-date", "; skriv 2025-03-10"),
    ("ladder: skole\ndecision_date: 2025-3-1\n", "iso-date", "; skriv 2025-03-01"),
])
def test_refusals_name_the_rewrite(kb: Knowledge, tmp_path: Path, text: str, code: str, rewrite: str) -> None:
    found = one(problems_of(kb, tmp_path, (HEAD if "decision_date" not in text else "case_id: T-1\n") + text))
    assert found.code == code and rewrite in found.message(), found.render()


def test_a_catalogue_keeps_iso_dates_and_names_the_rewrite(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    path = catalogs / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      - from: 2023-08-01", "      - from: 01-08-2023"),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_knowledge([rules], [catalogs])
    found = one([d for d in caught.value.diagnostics if d.code == "iso-date"])
    assert found.message().endswith("; skriv 2023-08-01") and "DD-MM" not in found.message()


@pytest.mark.parametrize("value", ["010324-1234", "0103241234", "01.03.24.1234", "01-03-24-1234"])
def test_a_date_like_cpr_number_is_still_personal_data(tmp_path: Path, value: str) -> None:
    path = tmp_path / "sag.yaml"
    path.write_text(f"case_id: T-1\ndecision_date: {value}\nladder: skole\n", encoding="utf-8")
    out = cli("suggest", path)
    assert out.exit_code == 4 and "[personal-data]" in out.stderr and "1234" not in out.stderr


def test_a_danish_date_is_no_cpr_number(tmp_path: Path) -> None:
    path = tmp_path / "sag.yaml"
    path.write_text("case_id: T-1\ndecision_date: 01-03-2024\nladder: skole\nage: 14\n", encoding="utf-8")
    out = cli("suggest", path, "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["decision_date"] == "2024-03-01"


# --- the profile schema's value labels -----------------------------------------------------------------------


def test_every_shipped_category_value_has_a_label(kb: Knowledge) -> None:
    for spec in kb.schema.fields:
        if spec.type in ("category", "categories", "scores") and spec.id != "ladder":
            wanted = set(spec.values or spec.keys or [])
            assert set(spec.value_labels) == wanted == set(spec.value_labels_en), spec.id


def test_a_value_label_for_an_unknown_value_is_an_error(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    path = catalogs / "profile_schema.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{misbrug: misbrug,", "{misbrugg: misbrug,"),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_knowledge([rules], [catalogs])
    assert any("value_labels" in d.message() for d in caught.value.diagnostics)


def test_shipped_docs_name_the_accepted_forms() -> None:
    text = (ROOT / "docs" / "cohorts.md").read_text(encoding="utf-8")
    for form in ("ja/nej", "DD-MM-ÅÅÅÅ", "23,5", "on/off"):
        assert form in text, form
