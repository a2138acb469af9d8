"""The meeting in a real browser: Debian's Chromium driven by Playwright through `ladder serve` with the decision
log on a real PostgreSQL server; axe-core (WCAG 2.1 AA) finds nothing on any page, and no page breaks its CSP.

axe-core is the npm package, installed by .ci/run (`AXE_CORE_JS`, else .ci/node/node_modules/axe-core); it is
evaluated into each page by the test, never loaded from the network. Screenshots land in `LADDER_SCREENSHOTS`
(else a temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.log import store as dl
from engine.text.diagnostics import InputError
from tests.conftest import EXAMPLES, ROOT, required_tool_missing

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    for candidate in (os.environ.get("AXE_CORE_JS"), ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js",
                      ROOT / "node_modules" / "axe-core" / "axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    required_tool_missing("axe-core (npm install axe-core)")
    return ""


@pytest.fixture(scope="module")
def server(postgres) -> Iterator[dict[str, Any]]:
    """`ladder serve` in a thread on a free port, with the example cases and a PostgreSQL decision log."""
    import uvicorn

    from tests.postgres_server import free_port
    from web.app import Settings, create_app
    from web.serve import log_config

    url = postgres.create_database("browser")
    app = create_app(Settings(cases=EXAMPLES, log=url))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_config=log_config())
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "log": url}
    instance.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        required_tool_missing("Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("LADDER_SCREENSHOTS") or tempfile.mkdtemp(prefix="ladder-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Checked:
    """A page that is checked with axe-core and screenshotted at every step, and collects CSP violations."""

    def __init__(self, page: Any, shots: Path, axe: str) -> None:
        self.page, self.shots, self.axe = page, shots, axe
        self.violations: list[str] = []
        page.on("console", lambda message: self.violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.on("pageerror", lambda error: self.violations.append(str(error)))

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe)  # evaluated by the test through the DevTools protocol, not a <script>
        found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
                              ".violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target)"
                              ".join(' | '))", AXE_TAGS)
        assert found == [], f"{name}: {found}"


def test_a_meeting_in_the_browser(server: dict[str, Any], browser: Any, shots: Path) -> None:
    axe = axe_source()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    checked = Checked(page, shots, axe)
    base = server["base"]

    page.goto(base + "/")
    checked.check("1-agenda")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the first stop: skip to content

    # Fill in K-17 by hand, as a caseworker would.
    page.get_by_role("link", name="Ny sag").first.click()
    checked.check("2-form-empty")
    page.get_by_label("Sags-id (pseudonym)").fill("K-17")
    page.get_by_label("Dato for visitationen").fill("10-03-2025")
    page.get_by_label("Indsatstrappe").select_option(label="Specialundervisning")
    page.get_by_label("Alder", exact=True).fill("14")
    page.get_by_label("Klassetrin").fill("8")
    page.get_by_label("Skolefravær seneste kvartal").fill("62,5")
    page.get_by_role("group", name="Skolevægring (ufrivilligt skolefravær)").get_by_label("ja").check()
    page.get_by_role("group", name="Diagnoser").get_by_label("autisme").check()
    page.get_by_role("group", name="Vanskeligheder").get_by_label("socio-emotionelle vanskeligheder").check()
    page.get_by_label("SDQ samlet vanskelighedsscore (forældreskema)").fill("19")
    page.get_by_label("Nuværende tilbud", exact=True).select_option(label="Ekstern specialskole (privat)")
    page.get_by_role("button", name="Vis forslag").click()

    page.wait_for_url(re.compile(r"/suggestion/"))
    suggestion_url = page.url
    assert "Ungdomsskolens udskolingsspor" in page.locator(".suggested").inner_text()
    assert "440.000 kr." in page.locator(".suggested").inner_text()
    assert page.locator("figure.staircase svg").count() == 1 and "Forslag" in page.locator("figure svg").text_content()
    checked.check("3-suggestion")

    # "Hvis det oplyses": an answer, chosen with the keyboard, shows the new suggestion.
    answer = page.locator("section.answers button.answer").first
    assert "selvskade" in answer.inner_text()
    answer.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != suggestion_url)
    assert "850.000 kr." in page.locator(".suggested").inner_text()
    assert "Risici: selvskade" in page.locator(".answer-note").inner_text()
    checked.check("4-answered")
    page.get_by_role("link", name="Tilbage til forslaget uden svaret").click()
    assert "440.000 kr." in page.locator(".suggested").inner_text()

    # The decision, into the PostgreSQL log.
    page.get_by_label("Delvist").check()
    page.get_by_role("textbox", name="Begrundelse").fill("Spor med plads fra august; risici undersøges af PPR")
    page.get_by_role("combobox", name="Rolle").select_option("visitationsudvalget")
    page.get_by_role("button", name="Registrér beslutningen").click()
    page.wait_for_url(re.compile(r"/log/\d+$"))
    checked.check("5-log-entry")
    entries = dl.read_log(server["log"])
    assert [(e.kind, e.case_id, e.followed) for e in entries][-2:] == [("suggestion", "K-17", None),
                                                                       ("decision", "K-17", "partly")]
    seq = entries[-2].seq

    page.get_by_role("link", name="Referat til udskrift").click()
    page.wait_for_url(re.compile(rf"/log/{seq}/minutes$"))
    assert page.get_by_role("button", name="Udskriv / gem som PDF").is_visible()  # app.js ran under the CSP
    text = page.locator("main").inner_text()
    for expected in ("Beslutningsstøtte, ikke en afgørelse", entries[-2].knowledge_sha256, "delvist",
                     "Spor med plads fra august", "visitationsudvalget", str(seq)):
        assert expected in text
    checked.check("6-minutes")
    page.emulate_media(media="print")
    page.screenshot(path=str(shots / "6-minutes-print.png"), full_page=True)
    page.pdf(path=str(shots / "6-minutes.pdf"), format="A4")
    page.emulate_media(media="screen")

    page.goto(base + "/log")
    checked.check("7-log")
    page.get_by_role("link", name="Tjek hashkæden").click()
    assert "intakt" in page.locator("main").inner_text()
    checked.check("8-log-verified")
    page.goto(base + "/ladders")
    checked.check("9-ladders")
    page.goto(base + "/login")
    checked.check("9-login")
    page.goto(base + "/case/no-such-token")
    assert "findes ikke" in page.locator("main").inner_text()
    checked.check("9-not-found")

    # An error next to its field, and the English toggle.
    page.goto(base + "/case/new")
    page.get_by_label("Sags-id (pseudonym)").fill("K-18")
    page.get_by_label("Dato for visitationen").fill("2025-03-10")
    page.get_by_label("Indsatstrappe").select_option("skole")
    page.get_by_label("Alder", exact=True).fill("fjorten")
    page.get_by_role("button", name="Tjek sagen").click()
    assert "forventede et helt tal" in page.locator("#f-age-error-1").inner_text()
    assert page.get_by_label("Alder", exact=True).get_attribute("aria-invalid") == "true"
    checked.check("10-form-errors")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en" and "New case" in page.locator("h1").inner_text()
    checked.check("11-english")
    page.goto(base + "/")
    checked.check("12-agenda-english")

    assert checked.violations == []
    context.close()


def test_a_cpr_number_typed_in_the_browser_is_refused(server: dict[str, Any], browser: Any, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server["base"] + "/case/new")
    page.get_by_label("Sags-id (pseudonym)").fill("K-19")
    page.get_by_label("Dato for visitationen").fill("2025-03-10")
    page.get_by_label("Indsatstrappe").select_option("skole")
    page.get_by_label("Alder", exact=True).fill("170312-4821")
    page.get_by_role("button", name="Vis forslag").click()
    body = page.content()
    assert "170312-XXXX" in body and "170312-4821" not in body and "1703124821" not in body
    assert page.get_by_label("Alder", exact=True).input_value() == ""
    page.screenshot(path=str(shots / "13-cpr-refused.png"), full_page=True)
    try:
        rows = [str(e) for e in dl.read_log(server["log"])]
    except InputError as error:  # run alone, no suggestion has made the log yet: nothing logged at all
        assert [d.code for d in error.diagnostics] == ["log-not-a-log"]
        rows = []
    assert not any("4821" in row for row in rows)
    context.close()


def test_screenshots_folder_is_kept_only_when_asked(shots: Path) -> None:
    if not os.environ.get("LADDER_SCREENSHOTS"):
        shutil.rmtree(shots, ignore_errors=True)
