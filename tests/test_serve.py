"""`ladder serve` without a browser: the JSON API against the CLI, the pages' forms, CSRF, logins, headers,
the address check, and personal data refused everywhere and kept nowhere."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from engine.knowledge.assemble import Knowledge
from engine.log import store as dl
from tests.conftest import EXAMPLES
from tests.test_bad_input import invoke
from web.app import Settings, create_app
from web.security import hash_password

K17 = EXAMPLES / "k17_udskoling_autisme.yaml"
CPR = "170312-4821"
CPR_FORMS = (CPR, "1703124821", "17031248")  # the number, without the dash, and its first eight digits


def client(kb: Knowledge, **settings: Any) -> TestClient:
    settings.setdefault("cases", EXAMPLES)
    return TestClient(create_app(Settings(knowledge=kb, **settings)), base_url="https://testserver")


def csrf(http: TestClient, path: str = "/") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', http.get(path).text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def k17_json() -> str:
    return json.dumps(yaml.safe_load(K17.read_text(encoding="utf-8")), default=str, ensure_ascii=False)


def k17_form(token: str, **changes: Any) -> dict[str, Any]:
    form = {"csrf": token, "case_id": "K-17", "decision_date": "2025-03-10", "ladder": "skole", "age": "14",
            "grade": "8", "absence_pct": "62,5", "school_refusal": "ja", "diagnoses": ["autisme"],
            "difficulties": ["socio_emotionelle"], "sdq_total": "19", "current_offer": "ekstern_specialskole",
            "action": "suggest"}
    form.update(changes)
    return form


def nowhere(text: str) -> None:
    for form in CPR_FORMS:
        assert form not in text


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_api_suggest_gives_exactly_the_bytes_of_the_cli(kb: Knowledge, lang: str) -> None:
    cli = invoke("suggest", K17, "--format", "json", "--lang", lang)
    assert cli.exit_code == 0
    response = client(kb).post(f"/api/suggest?lang={lang}", content=k17_json().encode(),
                               headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.content == cli.stdout.encode("utf-8")
    assert "440.000" in cli.stdout or "440000" in cli.stdout


@pytest.mark.parametrize(("body", "code", "field"), [
    (b"{case_id: K-17", "serve-body-json", None),
    (b"[1, 2]", "not-a-mapping", None),
    (b'{"case_id": "K-17", "decision_date": "2025-03-10", "ladder": "skole", "age": "fjorten"}', "wrong-type", "age"),
    (b'{"case_id": "K-17", "decision_date": "2025-03-10", "ladder": "skole", "alder": 14}', "unknown-key", "alder"),
    (b'{"case_id": "K-17", "decision_date": "2025-03-10", "ladder": "skole", "current_offer": "specialskolen"}',
     "unknown-ref", "current_offer"),
    (b'{"case_id": "K-17", "case_id": "K-18", "decision_date": "2025-03-10", "ladder": "skole"}',
     "yaml-duplicate-key", None),
    (b'{"a": ' * 200 + b"1" + b"}" * 200, "yaml-depth", None),
    (b"\xff\xfe", "encoding", None),
    (b'{"case_id": NaN}', "serve-body-json", None),
])
def test_bad_input_to_the_api_is_a_422_with_diagnostics(kb: Knowledge, body: bytes, code: str,
                                                          field: str | None) -> None:
    http = client(kb)
    for path in ("/api/suggest", "/api/validate"):
        response = http.post(path, content=body, headers={"content-type": "application/json"})
        data = response.json()
        if path == "/api/validate" and code in ("wrong-type", "unknown-key", "unknown-ref"):
            assert response.status_code == 200 and data["valid"] is False  # the answer, not a refusal
        else:
            assert response.status_code == 422
        assert code in [d["code"] for d in data["diagnostics"]]
        assert all(d["file"] == "body" for d in data["diagnostics"])
        if field:
            assert field in [d.get("field") for d in data["diagnostics"]]
        assert "Traceback" not in response.text


def test_validate_and_the_read_only_endpoints(kb: Knowledge) -> None:
    http = client(kb)
    ok = http.post("/api/validate", content=k17_json().encode(), headers={"content-type": "application/json"})
    assert ok.json() == {"valid": True, "personal_data": False, "diagnostics": []}
    wrong_type = http.post("/api/suggest", content=k17_json().encode(), headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 422
    ladders = http.get("/api/ladders?date=2025-03-10").json()
    skole = next(lad for lad in ladders["ladders"] if lad["id"] == "skole")
    offers = {o["id"]: o for r in skole["rungs"] for o in r["offers"]}
    assert offers["ungdomsskole_pda_autisme"]["annual_cost"] == 440000 and skole["rungs"][0]["rung_number"] == 1
    assert http.get("/api/ladders?date=10-03-2025").status_code == 422
    health = http.get("/health").json()
    assert health["status"] == "ok" and health["ruleset_sha256"] == kb.sha256
    schema = http.get("/openapi.json").json()
    assert {"/api/suggest", "/api/validate", "/api/ladders", "/health"} <= set(schema["paths"])
    assert "Case" in schema["components"]["schemas"] and "Suggestion" in schema["components"]["schemas"]
    assert http.get("/docs").status_code == 404  # no documentation page that loads scripts from a CDN


def test_a_body_over_the_limit_is_refused_before_it_is_read(kb: Knowledge) -> None:
    response = client(kb).post("/api/suggest", content=b" " * (5 * 1024 * 1024),
                               headers={"content-type": "application/json"})
    assert response.status_code == 413


# --- personal data --------------------------------------------------------------------------------------------


def test_a_cpr_number_in_the_api_body_is_refused_masked(kb: Knowledge, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    http = client(kb)
    for body in (k17_json().replace("K-17", CPR), k17_json().replace('"grade": 8', f'"grade": 8, "note": "{CPR}"'),
                 k17_json().replace('"grade": 8', '"grade": 1703124821')):
        for path in ("/api/suggest", "/api/validate"):
            response = http.post(path, content=body.encode(), headers={"content-type": "application/json"})
            assert response.status_code == 422 and response.json()["personal_data"] is True
            assert "170312-XXXX" in response.text
            nowhere(response.text)
    nowhere(caplog.text)


@pytest.mark.parametrize("where", ["case_id", "age", "diagnoses", "tried_offers.0.offer", "unknown_field",
                                   "field name", "action"])
def test_a_cpr_number_in_any_form_field_is_refused_and_kept_nowhere(kb: Knowledge, tmp_path: Path, where: str,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    log = tmp_path / "log.db"
    http = client(kb, log=log)
    token = csrf(http, "/case/new")
    form = k17_form(token)
    if where == "field name":
        form[CPR] = "1"
    elif where == "diagnoses":
        form["diagnoses"] = ["autisme", CPR]
    else:
        form[where] = CPR
    response = http.post("/case", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "170312-XXXX" in response.text
    nowhere(response.text)
    state = http.app.state.ladder
    for session in state.sessions._by_id.values():
        assert not session.cases  # nothing of the refused case is held
    nowhere(caplog.text)
    assert not log.exists() or all(form not in log.read_bytes().decode("utf-8", "replace") for form in CPR_FORMS)


def test_a_cpr_number_in_an_upload_is_refused_and_kept_nowhere(kb: Knowledge,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    http = client(kb)
    token = csrf(http)
    text = K17.read_text(encoding="utf-8")
    files = [("files", ("a.yaml", (text + f"# forælder {CPR}\n").encode(), "application/x-yaml")),
             ("files", ("b.csv", f"case_id;decision_date;ladder\nK-1;2025-03-10;{CPR}\n".encode(), "text/csv")),
             ("files", ("c.csv", b"case_id;decision_date;ladder\nK-2;2025-03-10;skole;x@y.dk\n", "text/csv")),
             ("files", (f"{CPR}.yaml", text.encode(), "application/x-yaml")),
             ("files", ("ok.yaml", text.encode(), "application/x-yaml"))]
    response = http.post("/upload", data={"csrf": token}, files=files)
    assert response.status_code == 200
    assert "170312-XXXX" in response.text and "1 sag hentet" in response.text
    nowhere(response.text)
    sessions = list(http.app.state.ladder.sessions._by_id.values())
    held = [w.text for s in sessions for w in s.cases.values()]
    assert len(held) == 1 and all(form not in held[0] for form in CPR_FORMS)
    nowhere(caplog.text)


def test_a_cpr_number_in_a_decision_is_refused_and_not_logged(kb: Knowledge, tmp_path: Path) -> None:
    log = tmp_path / "log.db"
    http = client(kb, log=log)
    token = csrf(http, "/case/new")
    found = http.post("/case", data=k17_form(token), follow_redirects=False)
    page = found.headers["location"]
    for field in ("reason", "role", "offer"):
        form = {"csrf": token, "followed": "yes", "reason": "Fulgt", "role": "visitationsudvalget", field: CPR}
        response = http.post(f"{page}/decide", data=form, follow_redirects=False)
        assert response.status_code == 422 and "XXXX" in response.text
        nowhere(response.text)
    assert not log.exists() or dl.read_log(log) == []


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_meeting_flow_without_a_browser(kb: Knowledge, tmp_path: Path) -> None:
    log = tmp_path / "log.db"
    http = client(kb, log=log)
    token = csrf(http, "/case/new")
    typed = http.post("/case", data=k17_form(token), follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"].startswith("/suggestion/")
    page = http.get(typed.headers["location"])
    assert "440.000 kr." in page.text and "Hvis det oplyses" in page.text and "▼ Forslag" in page.text
    answered = http.post(typed.headers["location"] + "/answer", data={"csrf": token, "q": "0", "a": "0"},
                         follow_redirects=True)
    assert "850.000 kr." in answered.text and "Risici" in answered.text
    decided = http.post(typed.headers["location"] + "/decide", follow_redirects=False, data={
        "csrf": token, "followed": "partly", "reason": "Plads fra august", "role": "visitationsudvalget"})
    assert decided.status_code == 303 and decided.headers["location"] == "/log/1"
    entries = dl.read_log(log)
    assert [(e.kind, e.case_id) for e in entries] == [("suggestion", "K-17"), ("decision", "K-17")]
    assert entries[0].output_sha256 == dl.sha256_text(invoke("suggest", K17, "--format", "json").stdout)
    minutes = http.get("/log/1/minutes").text
    for expected in ("Beslutningsstøtte, ikke en afgørelse", entries[0].knowledge_sha256, "Plads fra august",
                     "delvist", "visitationsudvalget", entries[1].entry_hash):
        assert expected in minutes
    assert "intakt" in http.get("/log/verify").text
    english = http.get("/lang/en?next=/log/1/minutes", follow_redirects=True).text
    assert "Decision support, not a decision" in english or "decision support" in english.lower()


def test_errors_stand_next_to_their_field_and_the_case_saves_as_the_cli_reads_it(kb: Knowledge) -> None:
    http = client(kb)
    token = csrf(http, "/case/new")
    bad = http.post("/case", data=k17_form(token, age="fjorten", current_offer="specialskolen"))
    assert bad.status_code == 422
    age = re.search(r'<div class="field has-error">\s*<label for="f-age">.*?</div>', bad.text, re.S)
    assert age and "forventede et helt tal" in age.group(0) and 'aria-invalid="true"' in age.group(0)
    saved = http.post("/case", data=k17_form(token, action="save"))
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    assert yaml.safe_load(saved.text)["absence_pct"] == "62,5"
    from engine.files.source import source_from_bytes
    from engine.suggest.suggestion import suggest
    from web.cases import case_from_source

    read_back = case_from_source(source_from_bytes(saved.content, "k17.yaml", personal=True), kb)
    assert json.dumps(suggest(kb, read_back)) == invoke("suggest", K17, "--format", "json").stdout.strip() or \
        suggest(kb, read_back)["suggestions"][0]["offer_id"] == "ungdomsskole_pda_autisme"


def test_the_agenda_shows_a_bad_case_with_its_errors_and_the_rest_work(kb: Knowledge, tmp_path: Path) -> None:
    folder = tmp_path / "sager"
    folder.mkdir()
    shutil.copy(K17, folder / "k17.yaml")
    (folder / "bad.yaml").write_text("case_id: K-99\ndecision_date: 2025-03-10\nladder: skolen\n", encoding="utf-8")
    http = client(kb, cases=folder)
    agenda = http.get("/").text
    assert "wrong-value" in agenda and "bad.yaml:3:1" in agenda and "mente du &#39;skole&#39;" in agenda
    assert str(tmp_path) not in agenda  # a file is named, not the server's folders
    link = re.search(r'href="(/suggestion/[^"]+)" aria-label="[^"]*K-17', agenda)
    assert link and "440.000 kr." in http.get(link.group(1)).text


# --- protection ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/case", "/upload", "/suggestion/x/answer", "/suggestion/x/decide", "/log/1/decide",
                                  "/logout", "/login"])
@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_form_post_without_the_csrf_token_is_refused(kb: Knowledge, tmp_path: Path, path: str,
                                                       token: str | None) -> None:
    http = client(kb, log=tmp_path / "log.db")
    csrf(http)  # a session exists
    data = {"followed": "yes", "reason": "x", "role": "ppr"} | ({"csrf": token} if token else {})
    response = http.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert not (tmp_path / "log.db").exists() or dl.read_log(tmp_path / "log.db") == []


def test_headers_cookies_and_the_access_log(kb: Knowledge, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ladder.access")
    http = client(kb)
    page = http.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-frame-options"] == "DENY"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    link = re.search(r'href="(/suggestion/[^"]+)"', page.text).group(1)
    http.get(link + "?case_id=K-17")
    assert "/suggestion/{token}" in caplog.text and link not in caplog.text and "K-17" not in caplog.text
    assert "<script>" not in page.text and " style=" not in page.text and "onclick" not in page.text


def test_an_error_page_shows_no_trace(kb: Knowledge, monkeypatch: pytest.MonkeyPatch,
                                      caplog: pytest.LogCaptureFixture) -> None:
    import web.app

    def broken(*args: Any) -> Any:
        raise RuntimeError(f"boom {CPR}")

    monkeypatch.setattr(web.app, "_suggest", broken)
    http = client(kb)
    link = re.search(r'href="(/suggestion/[^"]+)"', http.get("/").text).group(1)
    response = http.get(link)
    assert response.status_code == 500 and "Traceback" not in response.text and "boom" not in response.text
    assert "RuntimeError" in caplog.text
    nowhere(caplog.text)


def test_logins(kb: Knowledge) -> None:
    http = client(kb, users={"anna": hash_password("en lang adgangskode")})
    assert http.get("/", follow_redirects=False).headers["location"] == "/login"
    assert http.post("/api/suggest", content=k17_json().encode(),
                     headers={"content-type": "application/json"}).status_code == 401
    token = csrf(http, "/login")
    assert http.post("/login", data={"csrf": token, "user": "anna", "password": "forkert"}).status_code == 401
    assert http.post("/login", data={"csrf": token, "user": "anna", "password": "en lang adgangskode"},
                     follow_redirects=False).status_code == 303
    assert "Dagsorden" in http.get("/").text
    import base64

    basic = "Basic " + base64.b64encode(b"anna:en lang adgangskode").decode()
    api = TestClient(http.app, base_url="https://testserver")
    assert api.get("/api/ladders", headers={"authorization": basic}).status_code == 200
    assert api.get("/api/ladders").status_code == 401
    assert api.get("/health").status_code == 200


def test_a_reverse_proxy_header_authenticates(kb: Knowledge) -> None:
    http = client(kb, proxy_header="X-Remote-User")
    assert http.get("/").status_code == 401
    assert http.get("/", headers={"X-Remote-User": "anna"}).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_another_address_without_logins_refuses_to_start(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import web.serve

    started: list[Any] = []
    monkeypatch.setattr(web.serve, "run", lambda *args: started.append(args))
    run = invoke("serve", "--host", host)
    assert run.exit_code == 2 and "--users" in run.stderr and not started


def test_the_users_file_and_the_password_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import web.serve

    made = invoke("serve", "--hash-password")  # CliRunner's stdin is empty: too short
    assert made.exit_code == 2
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["serve", "--hash-password"], input="en lang adgangskode\n")
    line = result.stdout.strip().splitlines()[-1]
    assert result.exit_code == 0 and line.startswith('navn = "$argon2id$')
    users = tmp_path / "users.toml"
    users.write_text("[users]\n" + line.replace("navn", "anna") + '\nbo = "hemmelighed"\n', encoding="utf-8")
    started: list[Any] = []
    monkeypatch.setattr(web.serve, "run", lambda *args: started.append(args))
    refused = invoke("serve", "--host", "0.0.0.0", "--users", users)
    assert refused.exit_code == 1 and "serve-users-hash" in refused.stderr and "hemmelighed" not in refused.output
    users.write_text("[users]\n" + line.replace("navn", "anna") + "\n", encoding="utf-8")
    assert invoke("serve", "--host", "0.0.0.0", "--users", users, "--port", "8765").exit_code == 0
    assert started and started[0][1:] == ("0.0.0.0", 8765)


def test_hostile_form_values_are_refused_not_echoed(kb: Knowledge) -> None:
    http = client(kb)
    token = csrf(http, "/case/new")
    long = http.post("/case", data=k17_form(token, case_id="K" * 5000))
    assert long.status_code == 422 and "K" * 300 not in long.text and "højst 200" in long.text
    many = http.post("/case", data=k17_form(token, diagnoses=[f"x{i}" for i in range(1500)]))
    assert many.status_code == 422 and "Traceback" not in many.text
    answer = http.post("/suggestion/nope/answer", data={"csrf": token, "q": "9" * 5000, "a": "0"})
    assert answer.status_code == 404
    files = [("files", ("sager.docx", b"PK\x03\x04", "application/octet-stream")),
             ("files", ("stor.yaml", b"#" * (3 * 1024 * 1024), "application/x-yaml"))]
    upload = http.post("/upload", data={"csrf": token}, files=files)
    assert upload.status_code in (200, 413)
    if upload.status_code == 200:
        assert "serve-upload-format" in upload.text
    assert http.get("/lang/en?next=//evil.example/x", follow_redirects=False).headers["location"] == "/"
