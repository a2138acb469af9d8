"""`ladder cockpit`: hand counts, flows case by case, the same bytes, clean errors, and every form agrees.

Counts per rung and follow shares equal a hand count, flows equal the moves computed case by case, the
same files give the same bytes, every bad input is a clean error, and JSON, HTML, xlsx and table agree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import openpyxl
import pytest
import yaml

from engine.cockpit.forecast import MIN_POINTS, fit
from engine.cockpit.periods import period_of, periods_between
from engine.cockpit.snapshots import date_from_name
from engine.knowledge.assemble import load_knowledge
from tests.conftest import EXAMPLES
from tests.test_bad_input import assert_input_error, invoke

CASES = sorted(EXAMPLES.glob("*.yaml"))
# (case id, followed, offer chosen or None for the default): what the meeting decided, by hand.
DECISIONS = {
    "B-08": ("yes", None),
    "K-17": ("no", "ekstern_specialskole"),
    "K-21": ("yes", None),
    "K-22": ("partly", "specialklasse_egen"),
    "V-07": ("no", "midlertidigt_107"),
    "B-11": ("yes", None),
}
REASONS = {"yes": "Fulgt", "no": "Forældrene ønsker ekstern skole.", "partly": "forældrene  ønsker ekstern skole"}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def example_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A log built the way a meeting builds it: `ladder suggest --log` over the example cases, then decisions."""
    folder = tmp_path_factory.mktemp("cockpit-log")
    log = folder / "beslutninger.db"
    run = invoke("suggest", EXAMPLES, "--log", log, "--format", "json")
    assert run.exit_code == 0, run.output
    results = json.loads(run.stdout)
    listed = json.loads(invoke("log", "list", log, "--format", "json").stdout)
    seq = {row["case_id"]: row["seq"] for row in listed}
    for case_id, (followed, offer) in DECISIONS.items():
        args = ["log", "decide", log, "--entry", seq[case_id], "--followed", followed, "--reason", REASONS[followed],
                "--role", "visitationsudvalget"]
        decided = invoke(*args, *(["--offer", offer] if offer else []))
        assert decided.exit_code == 0, decided.output
    return log, results


def cockpit_json(*args: object) -> dict:
    run = invoke("cockpit", *args, "--format", "json")
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_counts_per_rung_and_follow_shares_equal_a_hand_count(example_log, kb):
    log, results = example_log
    data = cockpit_json(log)
    assert len(data["periods"]) == 1 and data["periods"][0]["stock"] == "log"
    # By hand: each case sits on the offer the meeting chose, else on the current offer its case file names.
    current = {}
    for path in CASES:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if case.get("current_offer"):
            current[case["case_id"]] = case["current_offer"]
    first = {r["case_id"]: r["suggestions"][0]["offer_id"] if r["suggestions"] else None for r in results}
    placed = dict(current)
    for case_id, (followed, offer) in DECISIONS.items():
        chosen = offer if offer else first[case_id] if followed == "yes" else None
        if chosen:
            placed[case_id] = chosen
    expected: dict[str, int] = {}
    for offer in placed.values():
        expected[kb.offers[offer].rung] = expected.get(kb.offers[offer].rung, 0) + 1
    counts = data["counts"][0]
    assert {r["rung"]: r["cases"] for r in counts["by_rung"] if r["cases"]} == expected
    assert counts["cases"] == len(placed)
    assert counts["annual_cost"] == sum(kb.offers[o].tariff.annual for o in placed.values())
    # Follow shares by hand: per suggested rung, followed fully out of decided.
    tally: dict[tuple[str, str | None], list[int]] = {}
    for r in results:
        key = (r["ladder"], (r["suggested_rung"] or {}).get("rung"))
        row = tally.setdefault(key, [0, 0, 0])
        row[0] += 1
        if r["case_id"] in DECISIONS:
            row[1] += 1
            row[2] += DECISIONS[r["case_id"]][0] == "yes"
    follow = data["follow"]
    got = {(r["ladder"], r["rung"]): [r["suggestions"], r["decided"], r["yes"]] for r in follow["by_rung"]}
    assert got == {k: v for k, v in tally.items()}
    for r in follow["by_rung"]:
        assert r["share_followed"] == (round(r["yes"] / r["decided"], 3) if r["decided"] else None)
    total = follow["total"]
    assert (total["suggestions"], total["decided"]) == (len(results), len(DECISIONS))
    assert (total["yes"], total["partly"], total["no"]) == (3, 1, 2)
    assert total["share_followed"] == 0.5 and total["share_followed_at_least_partly"] == 0.667
    # The two spellings of one reason are one group; the reasons of "yes" are not listed.
    assert [(g["text"], g["decisions"], g["no"], g["partly"]) for g in follow["reasons"]] == [
        ("Forældrene ønsker ekstern skole", 3, 2, 1)]
    assert follow["time_to_decision"]["decisions"] == len(DECISIONS)


def _snapshot(path: Path, rows: list[tuple[str, str, str | None]], cost: dict[str, int] | None = None) -> None:
    lines = ["case_id;ladder;current_offer;annual_cost"]
    lines += [f"{c};{lad};{o or ''};{(cost or {}).get(c, '')}" for c, lad, o in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _random_stock(kb, rng: random.Random, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    offers = sorted(o.id for o in kb.offers.values() if not o.direct_access)
    out = {}
    for case_id in ids:
        offer = rng.choice(offers + [None]) if rng.random() < 0.95 else None
        ladder = kb.offers[offer].ladder if offer else rng.choice(sorted(kb.ladders))
        out[case_id] = (ladder, offer)
    return out


def test_flows_between_two_snapshots_equal_the_moves_case_by_case(tmp_path, kb):
    rng = random.Random(7)
    before = _random_stock(kb, rng, [f"S-{i:04d}" for i in range(400)])
    after = _random_stock(kb, rng, [f"S-{i:04d}" for i in range(100, 520)])
    for case_id in list(after)[:150]:  # many stay where they were
        if case_id in before:
            after[case_id] = before[case_id]
    folder = tmp_path / "snapshots"
    folder.mkdir()
    _snapshot(folder / "2024-03-31.csv", [(c, *v) for c, v in before.items()])
    _snapshot(folder / "kohorte_2024Q2.csv", [(c, *v) for c, v in after.items()])
    data = cockpit_json(folder)
    number = {r.id: (lad.id, i + 1) for lad in kb.ladders.values() for i, r in enumerate(lad.rungs)}

    def rung(stock, case_id):
        ladder, offer = stock.get(case_id, (None, None))
        return (ladder, kb.offers[offer].rung) if offer else None

    expected: dict[tuple[str, str | None, str | None], int] = {}
    ways = {"up": 0, "down": 0, "same": 0, "in": 0, "out": 0}
    for case_id in sorted(before.keys() | after.keys()):
        old, new = rung(before, case_id), rung(after, case_id)
        if old and new and old[0] == new[0]:
            key = (old[0], old[1], new[1])
            a, b = number[old[1]][1], number[new[1]][1]
            ways["up" if b > a else "down" if b < a else "same"] += 1
        else:
            if old:
                expected[(old[0], old[1], None)] = expected.get((old[0], old[1], None), 0) + 1
                ways["out"] += 1
            if new:
                expected[(new[0], None, new[1])] = expected.get((new[0], None, new[1]), 0) + 1
                ways["in"] += 1
            continue
        expected[key] = expected.get(key, 0) + 1
    flows = data["flows"]
    assert len(flows) == 1 and (flows[0]["from_period"], flows[0]["to_period"]) == ("2024-Q1", "2024-Q2")
    got = {(m["ladder"], m["from_rung"], m["to_rung"]): m["cases"] for m in flows[0]["transitions"]}
    assert got == expected
    assert flows[0]["total"] == ways
    assert sum(m["in"] + m["out"] + m["up"] + m["down"] + m["same"] for m in flows[0]["by_ladder"]) == sum(
        ways.values())
    # Counts per rung in each period are the snapshot's, case by case.
    for period, stock in (("2024-Q1", before), ("2024-Q2", after)):
        counts = next(c for c in data["counts"] if c["period"] == period)
        hand: dict[str, int] = {}
        for _, offer in stock.values():
            if offer:
                hand[kb.offers[offer].rung] = hand.get(kb.offers[offer].rung, 0) + 1
        assert {r["rung"]: r["cases"] for r in counts["by_rung"] if r["cases"]} == hand
        assert counts["without_offer"] == sum(1 for _, o in stock.values() if o is None)


def test_own_cost_from_the_export_beats_the_tariff(tmp_path, kb):
    folder = tmp_path / "s"
    folder.mkdir()
    _snapshot(folder / "2024-03-31.csv", [("S-1", "skole", "ekstern_specialskole"),
                                          ("S-2", "skole", "ekstern_specialskole")], {"S-1": 600000})
    counts = cockpit_json(folder, "--ladder", "skole")["counts"][0]
    row = next(o for o in counts["by_offer"] if o["offer"] == "ekstern_specialskole")
    assert row["annual_cost"] == 600000 + kb.offers["ekstern_specialskole"].tariff.annual
    assert row["average_annual_cost"] == (600000 + kb.offers["ekstern_specialskole"].tariff.annual) // 2


def test_same_files_give_the_same_bytes(example_log, tmp_path):
    log, _ = example_log
    outputs = []
    for n in (1, 2):
        for fmt in ("json", "html"):
            target = tmp_path / f"{n}.{fmt}"
            assert invoke("cockpit", log, "--format", fmt, "--out", target).exit_code == 0
            outputs.append(target.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_english_labels_and_no_internal_ids_in_the_page(example_log, tmp_path):
    log, _ = example_log
    target = tmp_path / "c.html"
    assert invoke("cockpit", log, "--format", "html", "--out", target, "--lang", "en").exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert '<html lang="en"' in page and "Steering cockpit" in page and "Special education" in page
    for ident in ("ekstern_specialskole", "almen_med_stoette", "specialskole</"):
        assert ident not in page


def test_xlsx_has_a_sheet_per_view_and_text_never_a_formula(tmp_path, kb):
    log = tmp_path / "log.db"
    assert invoke("suggest", EXAMPLES / "k17_udskoling_autisme.yaml", "--log", log, "--format", "json").exit_code == 0
    assert invoke("log", "decide", log, "--entry", 1, "--followed", "no", "--reason", "=HYPERLINK(\"x\")",
                  "--role", "teamleder", "--offer", "ekstern_specialskole").exit_code == 0
    target = tmp_path / "c.xlsx"
    assert invoke("cockpit", log, "--format", "xlsx", "--out", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) >= 9
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    formula = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)


def test_the_table_names_the_rungs(example_log):
    log, _ = example_log
    run = invoke("cockpit", log)
    assert run.exit_code == 0 and "Styringscockpit" in run.stdout and "Trin 5" in run.stdout


# --- bad input -----------------------------------------------------------------------------------------


def test_bad_snapshots_are_clean_errors_naming_file_row_and_column(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "2024-03-31.csv").write_text(
        "case_id;ladder;current_offer;annual_cost\nS-1;skole;ekstern_specialskol;\nS-2;skole;plejefamilie;\n"
        "Anna-Jensen-1;skole;;\nS-4;skole;stoette_3a;12,5\nS-5;skol;;\nS-1;skole;;\n", encoding="utf-8")
    run = invoke("cockpit", folder, "--format", "json")
    assert_input_error(run)
    found = {(d.line, d.col, d.code) for d in run.diagnostics}
    assert found == {(2, 3, "unknown-ref"), (3, 3, "cockpit-offer-ladder"), (4, 1, "pseudonym"),
                     (5, 4, "cohort-cell"), (6, 2, "ladder-unknown-in-case"), (7, 1, "case-id-twice")}
    assert "ekstern_specialskole" in run.stderr  # the did-you-mean


def test_personal_data_in_a_snapshot_is_refused_masked(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "2024-03-31.csv").write_text("case_id;ladder;current_offer;age\nS-1;skole;;170312-1234\n",
                                           encoding="utf-8")
    run = invoke("cockpit", folder)
    assert_input_error(run, exit_code=4)
    assert "170312-XXXX" in run.stderr and "1234" not in run.stderr


@pytest.mark.parametrize(("name", "text", "code"), [
    ("kohorte.csv", "case_id;ladder;current_offer\nS-1;skole;\n", "cockpit-snapshot-date"),
    ("2024-03-31.csv", "case_id;ladder\nS-1;skole\n", "cockpit-column-missing"),
    ("2024-03-31.csv", "case_id;ladder;current_offer;alder\nS-1;skole;;3\n", "cohort-column-unknown"),
    ("2024-03-31.csv", "case_id;ladder;current_offer;snapshot_date\nS-1;skole;;2024-06-30\n", "cockpit-snapshot-dates"),
    ("2024-03-31.csv", "case_id;ladder;current_offer\n", "cohort-empty"),
    ("2024-03-31.csv", "case_id;ladder;current_offer;annual_cost\nS-1;skole;;5000\n", "cockpit-cost-without-offer"),
])
def test_each_snapshot_problem_has_its_code(tmp_path, name, text, code):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    run = invoke("cockpit", folder)
    assert_input_error(run)
    assert code in {d.code for d in run.diagnostics}


def test_two_snapshots_of_one_date_and_an_empty_folder(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    assert_input_error(invoke("cockpit", folder))
    for name in ("2024-03-31.csv", "kohorte_20240331.csv"):
        (folder / name).write_text("case_id;ladder;current_offer\nS-1;skole;\n", encoding="utf-8")
    run = invoke("cockpit", folder)
    assert_input_error(run)
    assert "cockpit-snapshot-twice" in {d.code for d in run.diagnostics}


@pytest.mark.parametrize("args", [
    ("--ladder", "skol"), ("--from", "01-01-24"), ("--from", "0024-01-01", "--period", "måned"),
])
def test_bad_options_are_clean_errors(example_log, args):
    log, _ = example_log
    run = invoke("cockpit", log, *args)
    assert_input_error(run)


@pytest.mark.parametrize("args", [("--from", "2025-01-01", "--to", "2024-01-01"), ("--format", "xlsx")])
def test_a_refused_combination_of_flags_is_a_usage_error(example_log, args):
    log, _ = example_log
    run = invoke("cockpit", log, *args)
    assert run.exit_code == 2 and run.stdout == "" and run.stderr.startswith("Brug: ladder cockpit")


def test_a_log_that_does_not_verify_is_refused_unless_forced(example_log, tmp_path):
    import shutil
    import sqlite3

    log, _ = example_log
    copy = tmp_path / "edited.db"
    shutil.copyfile(log, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE entries SET offer = 'opholdssted' WHERE seq = 3")
    connection.close()
    run = invoke("cockpit", copy)
    assert_input_error(run)
    assert "cockpit-log-not-verified" in {d.code for d in run.diagnostics}
    assert invoke("cockpit", copy, "--force", "--format", "json").exit_code == 0


def test_not_a_log_is_a_clean_error(tmp_path):
    junk = tmp_path / "x.db"
    junk.write_bytes(b"not a database at all")
    assert_input_error(invoke("cockpit", junk))


# --- the parts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "day"), [
    ("2024-03-31.csv", dt.date(2024, 3, 31)), ("20240630.xlsx", dt.date(2024, 6, 30)),
    ("kohorte_2024Q1.xlsx", dt.date(2024, 3, 31)), ("eksport-2024-K3.csv", dt.date(2024, 9, 30)),
    ("2024_q4.csv", dt.date(2024, 12, 31)), ("udtræk 2024-02.csv", dt.date(2024, 2, 29)),
    ("kohorte.csv", None), ("2024-02-30.csv", None), ("2024-13.csv", None),
])
def test_snapshot_dates_from_file_names(name, day):
    assert date_from_name(name) == day


def test_periods_and_their_labels():
    q = period_of(dt.date(2024, 5, 17), "quarter")
    assert (q.key, q.start, q.end, q.label("da"), q.label("en")) == (
        "2024-Q2", dt.date(2024, 4, 1), dt.date(2024, 6, 30), "2. kvt. 2024", "Q2 2024")
    assert period_of(dt.date(2024, 12, 3), "month").following().key == "2025-01"
    assert [p.key for p in periods_between(dt.date(2023, 12, 1), dt.date(2025, 1, 1), "year")] == [
        "2023", "2024", "2025"]


def test_the_forecast_is_the_least_squares_line_with_its_band():
    line = fit([10, 12, 14, 16, 18])
    assert line is not None and line.slope == pytest.approx(2) and line.residual_sd == pytest.approx(0)
    value, low, high = line.at(6)
    assert value == pytest.approx(22) and low == pytest.approx(22) and high == pytest.approx(22)
    noisy = fit([10, 13, 13, 17, 18, None, 21])
    assert noisy is not None and noisy.points == 6
    value, low, high = noisy.at(8)
    assert low < value < high
    assert fit([1, 2, None, 3][: MIN_POINTS - 1]) is None


def test_synth_cockpit_is_deterministic_and_shows_every_view(tmp_path):
    for name in ("a", "b"):
        run = invoke("synth", "--cockpit", tmp_path / name, "--n", 600, "--quarters", 8, "--seed", 3)
        assert run.exit_code == 0, run.output
    first = sorted((tmp_path / "a" / "snapshots").iterdir())
    assert len(first) == 8
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in sorted((tmp_path / "b" / "snapshots").iterdir())]
    a = cockpit_json(tmp_path / "a" / "snapshots", tmp_path / "a" / "beslutninger.db")
    b = cockpit_json(tmp_path / "b" / "snapshots", tmp_path / "b" / "beslutninger.db")
    assert a["counts"] == b["counts"] and a["follow"] == b["follow"] and a["waiting"] == b["waiting"]
    assert len(a["periods"]) == 8 and len(a["flows"]) == 7 and a["waiting"]["cases"] > 0
    assert a["follow"]["reasons"] and all(tr["forecast"] for tr in a["trends"] if tr["series"] == "cases")
    assert invoke("synth", "--cockpit", tmp_path / "a", "--n", 600).exit_code == 1  # files exist: --force


def test_every_json_key_is_documented(example_log):
    from tests.conftest import ROOT

    log, _ = example_log
    text = (ROOT / "docs" / "cockpit.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(cockpit_json(log))
    assert not [k for k in sorted(keys) if f"`{k}`" not in text and f"`{k}[]`" not in text]


def test_the_output_validates_against_its_json_schema(example_log, tmp_path):
    import jsonschema

    from engine.knowledge.jsonschema import json_schema

    log, _ = example_log
    data = cockpit_json(log)
    jsonschema.Draft202012Validator(json_schema("cockpit", "da")).validate(data)
    assert invoke("schema", "cockpit").exit_code == 0


def test_the_output_validates_against_its_model(example_log):
    from engine.model.cockpit import Cockpit

    log, _ = example_log
    data = cockpit_json(log)
    assert Cockpit.model_validate(data).model_dump(mode="json", by_alias=True) == data


def test_xlsx_output_reads_back(example_log, tmp_path):
    log, _ = example_log
    target = tmp_path / "c.xlsx"
    assert invoke("cockpit", log, "--format", "xlsx", "--out", target).exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames[0] == "Overblik"


def test_an_excel_snapshot_reads_like_its_csv(tmp_path, kb):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "ladder", "current_offer", "annual_cost", "snapshot_date"])
    sheet.append(["S-1", "skole", "ekstern_specialskole", 650000, dt.datetime(2024, 6, 30)])
    sheet.append([1234, "skole", None, None, dt.datetime(2024, 6, 30)])
    sheet.append([None, None, None, None, None])
    sheet.append(["S-3", "voksen", "bostoette_85", None, dt.datetime(2024, 6, 30)])
    folder = tmp_path / "x"
    folder.mkdir()
    book.save(folder / "eksport.xlsx")
    data = cockpit_json(folder)
    assert [p["key"] for p in data["periods"]] == ["2024-Q2"] and data["sources"][0]["date"] == "2024-06-30"
    counts = data["counts"][0]
    assert (counts["cases"], counts["without_offer"]) == (2, 1)
    assert counts["annual_cost"] == 650000 + kb.offers["bostoette_85"].tariff.annual
