"""`ladder show`: the ladder as a staircase in the terminal, as SVG and as an HTML page."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from engine.knowledge.assemble import Knowledge
from engine.render.show import svg as ladder_svg
from engine.render.show.text_metrics import fit, text_width, truncate, wrap
from engine.show.view import ladder_view
from engine.text.money import kroner

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
DATE = "2025-03-10"


def run(*args: str):
    return CliRunner().invoke(app, ["show", *args])


def svg_file(tmp_path: Path, *args: str, name: str = "x.svg") -> Path:
    target = tmp_path / name
    result = run(*args, "--date", DATE, "--svg", str(target))
    assert result.exit_code == 0, result.output
    return target


def squeeze(text: str) -> str:
    """Text without any whitespace: a name wrapped over lines still matches."""
    return "".join(text.split())


def letters(text: str) -> str:
    """Text without whitespace and hyphens: a name wrapped or hyphenated over lines still matches."""
    return squeeze(text).replace("-", "")


def all_text(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def skole_offers(kb: Knowledge):
    return [o for o in kb.offers.values() if o.ladder == "skole"]


# --- SVG ---------------------------------------------------------------------------------------------


def test_svg_is_valid_and_names_every_rung_and_tariff_in_danish(tmp_path, kb):
    root = ET.parse(svg_file(tmp_path, "skole")).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 1600 900"  # a 16:9 slide
    text = squeeze(all_text(root))
    for rung in kb.ladders["skole"].rungs:
        assert letters(rung.name) in letters(text), rung.name
    for offer in skole_offers(kb):
        assert squeeze(f"{kroner(offer.tariff.annual)}/år") in text, offer.id
    assert "684.000 kr./år" in all_text(root)
    assert "Lokalt" in text and "Eksternt" in text
    assert "Specialundervisning" in text and DATE in text


def test_svg_in_english_uses_the_english_names(tmp_path, kb):
    root = ET.parse(svg_file(tmp_path, "skole", "--lang", "en")).getroot()
    text = squeeze(all_text(root))
    for rung in kb.ladders["skole"].rungs:
        assert rung.name_en and squeeze(rung.name_en) in text, rung.name_en
    for offer in skole_offers(kb):
        assert squeeze(f"{kroner(offer.tariff.annual)}/yr") in text, offer.id
    assert "Local" in text and "External" in text and "Trin" not in text


def test_svg_without_a_ladder_stacks_every_ladder(tmp_path, kb):
    root = ET.parse(svg_file(tmp_path)).getroot()
    text = squeeze(all_text(root))
    for ladder in kb.ladders.values():
        assert squeeze(ladder.name) in text
    assert root.get("viewBox") == f"0 0 1600 {900 * len(kb.ladders)}"


def test_output_is_deterministic(tmp_path):
    for flag, suffix in (("--svg", "svg"), ("--html", "html")):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        for target in (first, second):
            assert run("boern", "--date", DATE, flag, str(target)).exit_code == 0
        assert first.read_bytes() == second.read_bytes()


def test_text_is_escaped(tmp_path, content):
    rules, catalogs = content
    path = catalogs / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Ekstern specialskole (privat)", 'name: "Ekstern <specialskole> & co"'), encoding="utf-8")
    target = tmp_path / "x.svg"
    result = run("skole", "--rules", str(rules), "--catalog", str(catalogs), "--date", DATE, "--svg", str(target))
    assert result.exit_code == 0, result.output
    assert "<specialskole>&co" in squeeze(all_text(ET.parse(target).getroot()))


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("ladder", ["skole", "boern", "voksen"])
def test_shipped_ladders_fit_a_slide_and_every_line_fits_its_card(kb, ladder, lang):
    """The layout promise: nothing overlaps, nothing runs out of its card, one 16:9 slide."""
    view = ladder_view(kb, ladder, dt.date(2025, 3, 10), lang)
    _, height, steps, heights = ladder_svg._panel(view, lang)
    assert height == pytest.approx(ladder_svg.SLIDE)
    assert all(b > a for a, b in zip(heights, heights[1:], strict=False)), "a staircase rises"
    for step, h in zip(steps, heights, strict=True):
        assert step.content <= h + 0.01
        assert not step.damage, "no name cut or word broken on the shipped content"
        for card in step.cards:
            inner = card.width - ladder_svg.STRIPE - 2 * ladder_svg.CARD_PAD
            for line in card.lines:
                width = sum(text_width(text, size, bold) for text, size, bold, _ in line.parts)
                assert line.indent + width <= inner + 0.01, line.parts


# --- HTML --------------------------------------------------------------------------------------------


def test_html_is_standalone_with_the_svg_and_a_table(tmp_path, kb):
    target = tmp_path / "x.html"
    result = run("skole", "--date", DATE, "--html", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page), "no external resources"
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>"))  # the page is well-formed XML
    assert root.find(f".//{SVG}svg") is not None
    table = root.find(f".//{XHTML}table")
    assert table is not None
    cells = [" ".join("".join(td.itertext()).split()) for td in table.iter(f"{XHTML}td")]
    for offer in skole_offers(kb):
        assert offer.name in cells and f"{kroner(offer.tariff.annual)}/år" in cells
    headings = ["".join(th.itertext()) for th in table.iter(f"{XHTML}th") if th.get("scope") == "rowgroup"]
    assert headings[0].startswith("Trin 7") and headings[-1] == "Trin 1: Almenundervisning"


# --- terminal ----------------------------------------------------------------------------------------


def test_terminal_lists_rungs_most_intrusive_first_with_tariffs(kb):
    result = run("skole", "--date", DATE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    rungs = kb.ladders["skole"].rungs
    # "Trin 5: Specialskole", as suggest and the HTML page write a rung
    positions = [out.index(f"Trin {i + 1}: {rung.name}") for i, rung in enumerate(rungs)]
    assert positions == sorted(positions, reverse=True)
    for offer in skole_offers(kb):
        assert f"{kroner(offer.tariff.annual)}/år" in out
        assert f"id: {offer.id}" in out  # what a caseworker writes in a case
    # a staircase: each rung stands further to the right than the one below it
    indents = [len(line) - len(line.lstrip()) for line in out.splitlines() if re.match(r"\s*Trin \d: ", line)]
    assert indents == sorted(indents, reverse=True) and indents[0] > indents[-1] == 0


def test_terminal_without_a_ladder_shows_every_ladder(kb):
    result = run("--date", DATE, "--lang", "en")
    assert result.exit_code == 0, result.output
    for ladder in kb.ladders.values():
        assert ladder.name_en in result.stdout


# --- bad use -----------------------------------------------------------------------------------------


def test_unknown_ladder_is_a_clean_error_with_a_guess():
    result = run("skol")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "[show-ladder-unknown]" in result.output and "'skole'" in result.output


def test_svg_and_html_together_is_a_usage_error(tmp_path):
    result = run("skole", "--svg", str(tmp_path / "a.svg"), "--html", str(tmp_path / "a.html"))
    assert result.exit_code == 2 and "angiv enten --svg eller --html, ikke begge" in result.output
    assert not list(tmp_path.iterdir())


def test_bad_date_is_an_error():
    result = run("skole", "--date", "10-03-2025")
    assert result.exit_code == 1 and "[iso-date]" in result.output


def test_writing_into_the_rules_is_refused(content):
    rules, catalogs = content
    for flag in ("--svg", "--html"):
        target = rules / "ladder.out"
        result = run("skole", "--rules", str(rules), "--catalog", str(catalogs), flag, str(target))
        assert result.exit_code == 1 and "[out-is-input]" in result.output
        assert not target.exists()


# --- the date: validity and capacity -----------------------------------------------------------------


def test_pool_places_follow_the_schedule(kb):
    before = ladder_view(kb, "skole", dt.date(2024, 1, 1))
    after = ladder_view(kb, "skole", dt.date(2025, 1, 1))
    (pool_before,), (pool_after,) = before.pools, after.pools
    assert (pool_before.places, pool_before.next_change) == (8, (dt.date(2024, 8, 1), 12))
    assert (pool_after.places, pool_after.next_change) == (12, None)
    assert len(pool_after.offers) == 3
    track = next(o for o in after.offers if o.id == "ungdomsskole_pda_autisme")
    assert (track.capacity.kind, track.capacity.places) == ("pool", 12)
    assert next(o for o in after.offers if o.id == "ekstern_specialskole").capacity.kind == "unlimited"


def test_offers_outside_their_validity_are_marked_not_left_out(tmp_path, content):
    rules, catalogs = content
    path = catalogs / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    name: Specialklasse i egen kommune\n",
        "    name: Specialklasse i egen kommune\n    valid_from: 2025-08-01\n"), encoding="utf-8")
    args = ["skole", "--rules", str(rules), "--catalog", str(catalogs)]
    target = tmp_path / "x.svg"
    assert run(*args, "--date", DATE, "--svg", str(target)).exit_code == 0
    text = all_text(ET.parse(target).getroot())
    assert "Specialklasse i egen kommune" in " ".join(text.split())
    assert "gælder ikke på datoen (gyldig fra 2025-08-01)" in " ".join(text.split())
    assert run(*args, "--date", "2025-08-01", "--svg", str(target), "--force").exit_code == 0
    assert "gælder ikke" not in all_text(ET.parse(target).getroot())


def test_rungs_bottom_up_with_every_offer_once(kb):
    view = ladder_view(kb, "skole", dt.date(2025, 3, 10))
    assert [r.id for r in view.rungs] == [r.id for r in kb.ladders["skole"].rungs]
    assert sorted(o.id for o in view.offers) == sorted(o.id for o in skole_offers(kb))
    assert all(o.id in {x.id for x in kb.offers.values() if x.rung == r.id} for r in view.rungs for o in r.offers)


# --- text metrics ------------------------------------------------------------------------------------


def test_wrap_keeps_lines_within_the_width_and_references_whole():
    text = "Ungdomsskolens udskolingsspor for elever med PDA-profil/autisme (§ 3 a, stk. 2)"
    for width in (90, 140, 220):
        lines = wrap(text, width, 14, bold=True)
        assert all(text_width(line, 14, True) <= width for line in lines)
        joined = squeeze("".join(lines))
        assert joined == squeeze(text) if width >= 140 else joined.replace("-", "") == squeeze(text).replace("-", "")
    assert any("§\u00a03\u00a0a," in line for line in wrap(text, 140, 14))


def test_fit_shrinks_before_it_cuts():
    size, lines, clean = fit("Dagbehandlingstilbud", 170, (20, 16, 13), 2, bold=True)
    assert clean and size < 20 and lines == ["Dagbehandlingstilbud"]
    size, lines, clean = fit("Dagbehandlingstilbud", 150, (20, 16, 13), 2, bold=True)  # no size fits: hyphenated
    assert clean and size == 20 and lines == ["Dagbehand-", "lingstilbud"]
    assert fit("Dagbehandlingstilbud", 150, (20, 16, 13), 2, bold=True, hyphenate=False)[2] is False
    size, lines, clean = fit("a " * 100, 100, (14,), 2)
    assert not clean and len(lines) == 2 and lines[-1].endswith("…")
    assert text_width(truncate("Ekstern specialskole (privat)", 80, 14), 14) <= 80
