"""`ladder serve`: the web app of the visitation meeting (pages and JSON API), a shell like cli.py.

Why FastAPI on Starlette with Jinja2, served by uvicorn: Starlette is a small, well-kept ASGI
toolkit, FastAPI adds the OpenAPI description a case system needs (/openapi.json) without code of
our own, Jinja2 escapes every value by default, and uvicorn is the standard server for them. Pages
are rendered on the server and work without JavaScript; the one script (static/app.js) only adds
a print button.

Each route parses the request, calls the engine (`engine.suggest.suggestion.suggest`, `engine.cases.files`,
`engine.log.store`, `engine.show.view`, `engine.render.*`) and renders; nothing here decides
anything about a case. Case data never travels in a URL: cases are named by random tokens, held in
the session's memory, and every form is a POST.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.files.config import DEFAULT_ROLES
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import Diagnostic, InputError, diag, printable
from engine.text.privacy import mask, personal_data_kind
from web import cases as wc
from web.security import HEADERS, SESSION_COOKIE, Session, Sessions, check_login, csrf_ok
from web.text import tx

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "ladder_lang"
ACCESS = logging.getLogger("ladder.access")
ERRORS = logging.getLogger("ladder.error")
PUBLIC = ("/static/", "/health", "/login", "/lang/")
"""Paths open without a login (the login page itself, its style, the health check)."""


@dataclass
class Settings:
    """What `ladder serve` was started with."""

    rules: list[Path] | None = None
    catalogs: list[Path] | None = None
    log: Path | str | None = None
    cases: Path | None = None
    users: dict[str, str] | None = None
    proxy_header: str | None = None
    roles: tuple[str, ...] = DEFAULT_ROLES
    secure_cookies: bool = True
    knowledge: Knowledge | None = None
    """Given by tests to skip loading; else loaded (from the cache) at start."""


@dataclass
class State:
    settings: Settings
    kb: Knowledge
    sessions: Sessions = field(default_factory=Sessions)
    secret: bytes = field(default_factory=lambda: __import__("secrets").token_bytes(32))
    folder_paths: dict[str, Path] = field(default_factory=dict)
    basic_ok: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    memo: OrderedDict[tuple[str, str], dict[str, Any]] = field(default_factory=OrderedDict)


# --- the app -------------------------------------------------------------------------------------------


def create_app(settings: Settings) -> FastAPI:
    """The ASGI app; the knowledge is loaded once, here (restart after changing rules or catalogues)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from engine.knowledge.cache import load_knowledge_cached

    kb = settings.knowledge or load_knowledge_cached(settings.rules, settings.catalogs)
    state = State(settings, kb)
    app = FastAPI(title="ladder", version=_version(), docs_url=None, redoc_url=None,
                  description="Beslutningsstøtte til visitation efter indsatstrappen: et forslag er "
                              "beslutningsstøtte, aldrig en afgørelse. Decision support, never a decision. "
                              "See docs/api.md.")
    app.state.ladder = state
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    from engine.text.money import kroner

    env.globals.update(tx=tx, kroner=kroner, mask=mask)
    app.state.env = env
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.add_middleware(_BodyLimit)
    from starlette.formparsers import MultiPartParser

    # An uploaded file stays in memory (never spooled to a temporary file on disk): bodies are at most 4 MB.
    MultiPartParser.spool_max_size = wc.MAX_BODY_BYTES

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await _guarded(request, call_next, state)
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        route = request.scope.get("route")
        pattern = "/static/…" if request.url.path.startswith("/static/") else getattr(route, "path", "(no route)")
        # The access log names the route's pattern, never the path or query (no case data, no tokens).
        ACCESS.info('%s "%s %s" %s %.0fms', request.client.host if request.client else "-", request.method,
                    pattern, response.status_code,
                    (time.perf_counter() - started) * 1000)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _error(request, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        # FastAPI's own 422 would echo the input; ours names the parameter only.
        names = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in error.errors()})
        problems = [diag(name[:60] or "request", (1, 1), "invalid", detail=name[:60]) for name in names]
        if request.url.path.startswith("/api/"):
            return _api_problems(problems, _lang(request))
        return _error(request, 404)

    _routes(app, state)
    return app


def _version() -> str:
    from engine.log.store import tool_version

    return tool_version()


async def _guarded(request: Request, call_next: Callable[[Request], Awaitable[Response]], state: State) -> Response:
    """Session, login and the last line of defence: an error never shows a trace or a value."""
    settings = state.settings
    path = request.url.path
    try:
        session = state.sessions.get(request.cookies.get(SESSION_COOKIE))
        created = None
        api = path.startswith("/api/") or path in ("/health", "/openapi.json")
        if session is None and not api and not path.startswith("/static/"):
            session = created = state.sessions.new()
        request.state.session = session
        request.state.user = session.user if session else None
        if settings.proxy_header and path != "/health":
            user = request.headers.get(settings.proxy_header, "").strip()
            if not user:
                return _unauthorised(request, api)
            request.state.user = user[:100]
        elif settings.users and not path.startswith(PUBLIC):
            user = request.state.user or (await run_in_threadpool(_basic_user, request, state) if api else None)
            if user is None:
                if api:
                    return _unauthorised(request, True)
                response: Response = RedirectResponse("/login", status_code=303)
                _set_cookie(response, created, settings)
                return response
            request.state.user = user
        response = await call_next(request)
        _set_cookie(response, created, settings)
        return response
    except Exception as error:  # noqa: BLE001 - the last line of defence
        ERRORS.error("internal error %s\n%s", type(error).__name__, mask(printable(mask(traceback.format_exc()))))
        return _error(request, 500)


def _set_cookie(response: Response, session: Session | None, settings: Settings) -> None:
    if session is not None:
        response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="strict",
                            secure=settings.secure_cookies, path="/")


def _basic_user(request: Request, state: State) -> str | None:
    """HTTP Basic for API clients; a verified pair is remembered for 5 minutes (argon2 is slow on purpose)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        name, _, password = base64.b64decode(header[6:], validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    import hashlib

    key = hashlib.sha256(state.secret + header.encode()).hexdigest()
    with state.lock:
        if state.basic_ok.get(key, 0) > time.monotonic():
            return name
    if not check_login(state.settings.users or {}, name, password):
        return None
    with state.lock:
        if len(state.basic_ok) > 1000:
            state.basic_ok.clear()
        state.basic_ok[key] = time.monotonic() + 300
    return name


def _unauthorised(request: Request, api: bool) -> Response:
    lang = _lang(request)
    if api:
        return JSONResponse({"error": "unauthorised", "message": tx("error.401", lang)}, status_code=401,
                            headers={"WWW-Authenticate": 'Basic realm="ladder"'})
    return HTMLResponse(f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>401</title>"
                        f"</head><body><main><h1>401</h1><p>{tx('error.401', lang)}</p></main></body></html>",
                        status_code=401)


class _BodyLimit:
    """Refuses a request body over `MAX_BODY_BYTES` before reading it (Content-Length) or while reading it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > wc.MAX_BODY_BYTES:
            await self._refuse(scope, send)
            return
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > wc.MAX_BODY_BYTES:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, send)

    @staticmethod
    async def _refuse(scope: dict[str, Any], send: Any) -> None:
        body = json.dumps({"error": "too-large", "limit_kb": wc.MAX_BODY_BYTES // 1024}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# --- helpers the routes share ------------------------------------------------------------------------------


def _lang(request: Request) -> str:
    if request.url.path.startswith("/api/"):
        return "en" if request.query_params.get("lang") == "en" else "da"
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "da"


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state: State = request.app.state.ladder
    session: Session | None = getattr(request.state, "session", None)
    lang = _lang(request)
    html = request.app.state.env.get_template(template).render(
        lang=lang, csrf=session.csrf if session else "", user=getattr(request.state, "user", None),
        logins=bool(state.settings.users), has_log=state.settings.log is not None, here=request.url.path,
        **context)
    return HTMLResponse(html, status_code=status)


def _error(request: Request, status: int) -> Response:
    lang = _lang(request)
    if request.url.path.startswith("/api/") or request.url.path in ("/health", "/openapi.json"):
        key = f"error.{status}" if status in (400, 401, 403, 404, 413) else "error.500"
        message = tx(key, lang, kb=wc.MAX_BODY_BYTES // 1024)
        return JSONResponse({"error": str(status), "message": message}, status_code=status)
    key = f"error.{status}" if status in (400, 403, 404, 413) else "error.500"
    try:
        return _page(request, "error.html", status, message=tx(key, lang, kb=wc.MAX_BODY_BYTES // 1024))
    except Exception:  # noqa: BLE001 - an error page must not fail in turn
        return HTMLResponse("<!DOCTYPE html><title>Error</title><p>Error</p>", status_code=status)


async def _form(request: Request) -> dict[str, Any]:
    """The submitted form as {name: value or [values]}; files as UploadFile objects."""
    form = await request.form(max_files=20, max_fields=2000)
    out: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        out[key] = values if len(values) > 1 or key.endswith("[]") else values[0]
    return out


def _checked(request: Request, form: dict[str, Any]) -> None:
    if not csrf_ok(getattr(request.state, "session", None), form.get("csrf") if isinstance(form.get("csrf"), str)
                   else None):
        raise StarletteHTTPException(403)


def _labels(state: State, lang: str) -> Any:
    from engine.knowledge.labels import Labels

    return Labels(state.kb, lang)


def _work(request: Request, token: str) -> wc.WorkCase:
    """The case a token names: one of this session's, or a file of the agenda folder."""
    state: State = request.app.state.ladder
    session: Session | None = request.state.session
    if session is not None and token in session.cases:
        return session.cases[token]
    path = state.folder_paths.get(token)
    if path is None:
        _agenda_items(state, session)  # the folder may have a new file since the agenda was shown
        path = state.folder_paths.get(token)
    if path is None:
        raise StarletteHTTPException(404)
    try:
        work = wc.folder_work(path)
    except InputError:
        raise StarletteHTTPException(404) from None
    work.token = token
    return work


def _agenda_items(state: State, session: Session | None) -> tuple[list[wc.AgendaItem], list[wc.AgendaItem]]:
    folder, paths = wc.folder_agenda(state.settings.cases, state.kb, state.secret)
    with state.lock:
        state.folder_paths = paths
    own = wc.work_agenda(session.cases if session else {}, state.kb)
    return folder, own


def _remember(session: Session, work: wc.WorkCase) -> None:
    """Keep a case in the session (memory only); the oldest answers tried go first when it is full."""
    if len(session.cases) >= wc.MAX_WORK_CASES:
        oldest = next((k for k, w in session.cases.items() if w.origin == "answer"), next(iter(session.cases)))
        del session.cases[oldest]
    session.cases[work.token] = work


def _suggest(state: State, work: wc.WorkCase, lang: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    try:
        case = wc.load_text(work.text, work.name, state.kb)
    except InputError as error:
        return None, error.diagnostics
    return _suggestion_of(state, case, lang), []


MEMO_SIZE = 256
"""Suggestions remembered: a meeting sees a suggestion, then records the decision about the same one."""


def _suggestion_of(state: State, case: Any, lang: str) -> dict[str, Any]:
    """`engine.suggest.suggestion.suggest`, remembered by the validated case: the same knowledge and case give the same
    suggestion (no clock, no randomness: docs/evaluation.md, section 8), so the page, the API and the decision
    share one computation. The result is only read, never changed, by the callers."""
    from engine.suggest.suggestion import suggest

    key = (case.model.model_dump_json(), lang)
    with state.lock:
        found = state.memo.get(key)
        if found is not None:
            state.memo.move_to_end(key)
            return found
    result = suggest(state.kb, case, lang)
    with state.lock:
        state.memo[key] = result
        while len(state.memo) > MEMO_SIZE:
            state.memo.popitem(last=False)
    return result


def _staircase(state: State, result: dict[str, Any], lang: str) -> str:
    from engine.render.show.svg import svg_element
    from engine.show.view import ladder_view

    if result["ladder"] not in state.kb.ladders:
        return ""
    day = dt.date.fromisoformat(result["decision_date"])
    rung = result.get("suggested_rung")
    marked = {result["ladder"]: rung["rung_number"]} if rung else {}
    return svg_element([ladder_view(state.kb, result["ladder"], day, lang)], lang, marked)


def _diagnostics_json(problems: list[Diagnostic], lang: str, source: Any = None) -> list[dict[str, Any]]:
    out = []
    for d in problems:
        item = {"file": mask(printable(d.file)), "line": d.line, "col": d.col, "code": d.code, "severity": d.severity,
                "message": mask(printable(d.message(lang)))}
        if d.column:
            item["column"] = mask(d.column)
        path = wc.field_path(source, d)
        if path is not None:
            item["field"] = mask(path)
        out.append(item)
    return out


def _api_problems(problems: list[Diagnostic], lang: str, source: Any = None) -> JSONResponse:
    return JSONResponse({"valid": False, "personal_data": wc.is_personal(problems),
                         "diagnostics": _diagnostics_json(problems, lang, source)}, status_code=422)


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", media_type="application/json")


# --- routes --------------------------------------------------------------------------------------------------


def _routes(app: FastAPI, state: State) -> None:
    """Every route, by area: the meeting's pages, the decision log, logins and the JSON API."""
    _agenda(app, state)
    _case_form(app, state)
    _case_submit(app, state)
    _suggestion_routes(app, state)
    _log_pages(app, state)
    _ladder_page(app, state)
    _language_and_login(app, state)
    _api(app, state)
    _api_info(app, state)


def _agenda(app: FastAPI, state: State) -> None:
    """Routes: the agenda."""
    settings = state.settings

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def agenda(request: Request) -> Response:
        session: Session = request.state.session
        folder, own = await run_in_threadpool(_agenda_items, state, session)
        notices, session.notices = session.notices, []
        lang = _lang(request)
        return _page(request, "agenda.html", folder=folder, own=own, notices=notices, labels=_labels(state, lang),
                     folder_name=settings.cases.name if settings.cases else None,
                     upload_kb=wc.MAX_UPLOAD_BYTES // 1024)

    @app.post("/upload", include_in_schema=False)
    async def upload(request: Request) -> Response:
        form = await _form(request)
        _checked(request, form)
        session: Session = request.state.session
        files = form.get("files") or []
        files = files if isinstance(files, list) else [files]
        problems: list[Diagnostic] = []
        added = 0
        for item in files:
            if isinstance(item, str) or item is None or not getattr(item, "filename", None):
                continue
            raw = await item.read(wc.MAX_UPLOAD_BYTES + 1)
            works, found = await run_in_threadpool(wc.read_upload, item.filename, raw, state.kb)
            problems += found
            for work in works:
                _remember(session, work)
                added += 1
            del raw
        session.notices = [("ok", added)] if added else []
        session.notices += [("problem", d) for d in problems[:200]]
        return RedirectResponse("/", status_code=303)


def _case_form(app: FastAPI, state: State) -> None:
    """Routes: the case form."""

    @app.get("/case/new", response_class=HTMLResponse, include_in_schema=False)
    async def new_case(request: Request) -> Response:
        return _form_page(request, state, {}, {}, None)

    @app.get("/case/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def edit_case(request: Request, token: str) -> Response:
        work = _work(request, token)
        try:
            source = wc.source_of(work)
        except InputError as error:
            return _form_page(request, state, {}, {"": error.diagnostics}, token, 422)
        problems: dict[str, list[Diagnostic]] = {}
        try:
            wc.load_text(work.text, work.name, state.kb)
        except InputError as error:
            problems = _problems_on_form(error.diagnostics, source, state.kb)
        return _form_page(request, state, wc.form_values(source, state.kb), problems, token)

    @app.get("/case", include_in_schema=False)
    async def case_again(request: Request) -> Response:
        return RedirectResponse("/case/new", status_code=303)  # e.g. the language toggle after a POST


def _case_submit(app: FastAPI, state: State) -> None:
    """Routes: a case submitted from the form (checked, saved as YAML or suggested)."""

    @app.post("/case", include_in_schema=False)
    async def submit_case(request: Request) -> Response:
        form = await _form(request)
        _checked(request, form)
        session: Session = request.state.session
        lang = _lang(request)
        personal = wc.personal_in_form(form)
        if personal:
            # Refused before anything else; the values are not shown again, nor kept.
            cleaned = {k: v for k, v in form.items() if k not in {p[0] for p in personal}}
            values = wc.form_values(_source_from_form(state, cleaned)[0], state.kb)
            problems = {p[0]: [diag("form", (1, 1), "personal-data", kind=p[1], masked=p[2])] for p in personal}
            return _form_page(request, state, values, problems, None, 422,
                              personal=tx("form.personal", lang, kind=personal[0][1], masked=personal[0][2]))
        long = sorted(k for k, v in form.items() if isinstance(v, str) and len(v) > wc.MAX_FORM_VALUE)
        if long:  # no field of a case is this long: refused, not echoed
            cleaned = {k: v for k, v in form.items() if k not in long}
            problems = {k: [diag("form", (1, 1), "too-long", max=wc.MAX_FORM_VALUE)] for k in long}
            return _form_page(request, state, wc.form_values(_source_from_form(state, cleaned)[0], state.kb),
                              problems, None, 422)
        source, text, where = _source_from_form(state, form)
        name = f"{_safe_id(form.get('case_id'))}.yaml"
        try:
            case = wc.load_text(text, name, state.kb)
        except InputError as error:
            problems = wc.form_problems(error.diagnostics, where)
            return _form_page(request, state, wc.form_values(source, state.kb), problems, None, 422)
        action = form.get("action")
        if action == "save":
            return Response(text.encode("utf-8"), media_type="application/x-yaml",
                            headers={"Content-Disposition": f'attachment; filename="{_safe_id(case.case_id)}.yaml"'})
        work = wc.WorkCase(wc.new_token(), name, text, "form", where)
        _remember(session, work)
        if action == "check":
            return _form_page(request, state, wc.form_values(source, state.kb), {}, work.token, ok=True)
        return RedirectResponse(f"/suggestion/{work.token}", status_code=303)

    @app.get("/case/{token}/yaml", include_in_schema=False)
    async def download(request: Request, token: str) -> Response:
        work = _work(request, token)
        return Response(work.text.encode("utf-8"), media_type="application/x-yaml",
                        headers={"Content-Disposition": 'attachment; filename="sag.yaml"'})


def _suggestion_routes(app: FastAPI, state: State) -> None:
    """Routes: the suggestion."""

    @app.get("/suggestion/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def suggestion(request: Request, token: str) -> Response:
        return await _suggestion_page(request, state, token)

    @app.post("/suggestion/{token}/answer", include_in_schema=False)
    async def answer(request: Request, token: str) -> Response:
        form = await _form(request)
        _checked(request, form)
        work = _work(request, token)
        lang = _lang(request)
        result, problems = await run_in_threadpool(_suggest, state, work, lang)
        try:
            question = result["if_answered"][int(form.get("q", ""))] if result else None
            chosen = question["answers"][int(form.get("a", ""))] if question else None
        except (ValueError, IndexError, TypeError):
            chosen = None
        if chosen is None:
            raise StarletteHTTPException(404)
        answers = {question["field"]: chosen["value"], **(chosen.get("with") or {})}
        data = wc.with_answer(wc.source_of(work), answers)
        from engine.cases.write import case_yaml

        labels = _labels(state, lang)
        note = "; ".join(labels.fact(k, v) if not (isinstance(v, list) and not v) else
                         f"{labels.field(k)}: {tx('form.none_of_these', lang)}" for k, v in answers.items())
        text, where = case_yaml(data, state.kb.schema)
        base = work.base if work.origin == "answer" and work.base else token
        new = wc.WorkCase(wc.new_token(), work.name, text, "answer", where, note=note, base=base)
        _remember(request.state.session, new)
        return RedirectResponse(f"/suggestion/{new.token}", status_code=303)

    @app.post("/suggestion/{token}/decide", include_in_schema=False)
    async def decide(request: Request, token: str) -> Response:
        form = await _form(request)
        _checked(request, form)
        work = _work(request, token)
        lang = _lang(request)
        problems = _decision_problems(state, form)
        if problems:
            return await _suggestion_page(request, state, token, decision_problems=problems, status=422)
        result, case_problems = await run_in_threadpool(_suggest, state, work, lang)
        if result is None:
            return await _suggestion_page(request, state, token, status=422)
        try:
            seq = await run_in_threadpool(_log_and_decide, state, result, lang, form)
        except InputError as error:
            return await _suggestion_page(request, state, token, decision_problems=error.diagnostics, status=422)
        return RedirectResponse(f"/log/{seq}", status_code=303)


def _log_pages(app: FastAPI, state: State) -> None:
    """Routes: the decision log."""
    settings = state.settings

    @app.get("/log", response_class=HTMLResponse, include_in_schema=False)
    async def log_list(request: Request) -> Response:
        return await _log_page(request, state, None)

    @app.get("/log/verify", response_class=HTMLResponse, include_in_schema=False)
    async def log_verify(request: Request) -> Response:
        from engine.log.store import verify

        if settings.log is None:
            raise StarletteHTTPException(404)
        try:
            verdict = await run_in_threadpool(verify, settings.log)
        except InputError as error:
            return await _log_page(request, state, ("bad", error.diagnostics))
        return await _log_page(request, state, ("ok", verdict) if not verdict.problems else ("bad", verdict.problems))

    @app.get("/log/{seq}", response_class=HTMLResponse, include_in_schema=False)
    async def log_show(request: Request, seq: int) -> Response:
        return await _entry_page(request, state, seq, "log_entry.html")

    @app.get("/log/{seq}/minutes", response_class=HTMLResponse, include_in_schema=False)
    async def minutes(request: Request, seq: int) -> Response:
        return await _entry_page(request, state, seq, "minutes.html")

    @app.post("/log/{seq}/decide", include_in_schema=False)
    async def log_decide(request: Request, seq: int) -> Response:
        form = await _form(request)
        _checked(request, form)
        problems = _decision_problems(state, form)
        if not problems:
            try:
                await run_in_threadpool(_decide, state, seq, form)
            except InputError as error:
                problems = error.diagnostics
        if problems:
            return await _entry_page(request, state, seq, "log_entry.html", problems, 422)
        return RedirectResponse(f"/log/{seq}", status_code=303)


def _ladder_page(app: FastAPI, state: State) -> None:
    """Routes: the ladders."""

    @app.get("/ladders", response_class=HTMLResponse, include_in_schema=False)
    async def ladders(request: Request) -> Response:
        from engine.render import ladder_text
        from engine.render.show.svg import svg_element
        from engine.show.view import ladder_views

        lang = _lang(request)
        views = ladder_views(state.kb, None, dt.date.today(), lang)
        shown = [(v, svg_element([v], lang, heading=False)) for v in views]  # the h2 and paragraph say it
        return _page(request, "ladders.html", views=shown, lt=ladder_text)


def _language_and_login(app: FastAPI, state: State) -> None:
    """Routes: language and login."""
    settings = state.settings

    @app.get("/lang/{code}", include_in_schema=False)
    async def language(request: Request, code: str, next: str = "/") -> Response:
        target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(LANG_COOKIE, "en" if code == "en" else "da", samesite="strict", httponly=True,
                            secure=settings.secure_cookies, max_age=365 * 24 * 3600)
        return response

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> Response:
        return _page(request, "login.html", failed=False)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await _form(request)
        _checked(request, form)
        name, password = str(form.get("user", ""))[:100], str(form.get("password", ""))[:1000]
        ok = bool(settings.users) and await run_in_threadpool(check_login, settings.users or {}, name, password)
        if not ok:
            return _page(request, "login.html", 401, failed=True)
        state.sessions.drop(request.state.session.id)  # a new session id at login (no fixation)
        session = state.sessions.new(name)
        response = RedirectResponse("/", status_code=303)
        _set_cookie(response, session, settings)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = await _form(request)
        _checked(request, form)
        state.sessions.drop(request.state.session.id)
        response = RedirectResponse("/login" if settings.users else "/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


async def _api_body(request: Request, lang: str) -> Any:
    """The request's case as a parsed source, or the 422 response that says why it is none."""
    raw = await request.body()
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _api_problems([diag(wc.API_FILE, (1, 1), "serve-body-json", problem="Content-Type")], lang)
    try:
        return await run_in_threadpool(wc.api_source, raw)
    except InputError as error:
        return _api_problems(error.diagnostics, lang)


def _api(app: FastAPI, state: State) -> None:
    """Routes: the JSON API for cases (suggest, validate)."""
    case_body = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Case"}}}}}

    @app.post("/api/suggest", tags=["api"], openapi_extra=case_body, responses={
        200: {"description": "Exactly the JSON `ladder suggest CASE --format json` prints for the case.",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestion"}}}},
        422: {"description": "The case cannot be used: diagnostics (personal data: masked).",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}}}})
    async def api_suggest(request: Request, lang: str = "da") -> Response:
        """The decision-support suggestion for one case (a case file's content as JSON)."""
        from engine.render.suggest.json import render

        lang = "en" if lang == "en" else "da"
        source = await _api_body(request, lang)
        if isinstance(source, Response):
            return source
        try:
            case = await run_in_threadpool(wc.case_from_source, source, state.kb)
        except InputError as error:
            return _api_problems(error.diagnostics, lang, source)
        result = await run_in_threadpool(_suggestion_of, state, case, lang)
        return Response(render([result], True).encode("utf-8"), media_type="application/json")

    @app.post("/api/validate", tags=["api"], openapi_extra=case_body, responses={
        200: {"description": "The case's diagnostics (empty when valid).",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}}},
        422: {"description": "Not a JSON object, or personal data (refused, masked).",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}}}})
    async def api_validate(request: Request, lang: str = "da") -> Response:
        """Check a case as `ladder validate` checks a case file: every problem with its line, column and field."""
        lang = "en" if lang == "en" else "da"
        source = await _api_body(request, lang)
        if isinstance(source, Response):
            return source
        try:
            await run_in_threadpool(wc.case_from_source, source, state.kb)
        except InputError as error:
            if wc.is_personal(error.diagnostics):
                return _api_problems(error.diagnostics, lang, source)
            return _json({"valid": False, "personal_data": False,
                          "diagnostics": _diagnostics_json(error.diagnostics, lang, source)})
        return _json({"valid": True, "personal_data": False, "diagnostics": []})


def _api_info(app: FastAPI, state: State) -> None:
    """Routes: the JSON API's ladders and health, and the OpenAPI components."""
    settings = state.settings

    @app.get("/api/ladders", tags=["api"], responses={200: {"description": "Ladders, rungs and offers.",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ladders"}}}}})
    async def api_ladders(request: Request, lang: str = "da", date: str | None = None) -> Response:
        """Every ladder with its rungs (numbered from 1, bottom up) and offers with tariff and places on `date`."""
        from engine.show.view import ladder_views

        lang = "en" if lang == "en" else "da"
        try:
            day = dt.date.fromisoformat(date) if date else dt.date.today()
        except ValueError:
            return _api_problems([diag("date", (1, 1), "iso-date")], lang)
        views = ladder_views(state.kb, None, day, lang)
        return _json({"date": day.isoformat(), "ruleset_sha256": state.kb.sha256,
                      "ladders": [_ladder_json(v) for v in views]})

    @app.get("/health", tags=["api"])
    async def health() -> Response:
        """Alive, with the rules' hash and the log's kind."""
        kind = None if settings.log is None else ("postgresql" if isinstance(settings.log, str) else "sqlite")
        return _json({"status": "ok", "version": _version(), "ruleset_sha256": state.kb.sha256, "log": kind})

    _openapi_components(app)


def _ladder_json(view: Any) -> dict[str, Any]:
    return {"id": view.id, "name": view.name, "legal_basis": view.legal_basis,
            "rungs": [{"id": r.id, "rung_index": r.number - 1, "rung_number": r.number, "name": r.name,
                       "offers": [{"id": o.id, "name": o.name, "annual_cost": o.tariff, "price_year": o.price_year,
                                   "local": o.local, "provider": o.provider, "legal_basis": o.legal_basis,
                                   "valid": o.valid, "places": o.capacity.places, "occupied": o.capacity.occupied,
                                   "pool": o.capacity.pool} for o in r.offers]}
                      for r in view.rungs]}


def _openapi_components(app: FastAPI) -> None:
    """The schemas the API names: the case and the suggestion from `ladder schema`, the problems, the ladders."""
    from fastapi.openapi.utils import get_openapi

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from engine.knowledge.jsonschema import json_schema

        state: State = app.state.ladder
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, kind in (("Case", "case"), ("Suggestion", "suggestion")):
            found = json.loads(json.dumps(json_schema(kind, "en", state.kb.schema)))
            found.pop("$schema", None)
            definitions = found.pop("$defs", {})
            for key, value in definitions.items():
                components[key] = value
            components[name] = json.loads(json.dumps(found).replace("#/$defs/", "#/components/schemas/"))
            for key in definitions:
                components[key] = json.loads(json.dumps(components[key]).replace("#/$defs/", "#/components/schemas/"))
        diagnostic = {"type": "object", "required": ["file", "line", "col", "code", "severity", "message"],
                      "properties": {
                          "file": {"type": "string", "description": "`body` for the request body"},
                          "line": {"type": "integer"}, "col": {"type": "integer"},
                          "code": {"type": "string", "description": "A stable code, see docs/diagnostics.md"},
                          "severity": {"type": "string", "enum": ["error", "warning"]},
                          "message": {"type": "string", "description": "In the language asked; personal data masked"},
                          "field": {"type": "string", "description": "The case field (age, tried_offers.0.offer)"}}}
        flags = {"valid": {"type": "boolean"}, "personal_data": {"type": "boolean"}}
        components["Problems"] = {"type": "object", "required": ["valid", "personal_data", "diagnostics"],
                                  "properties": {**flags, "diagnostics": {"type": "array", "items": diagnostic}}}
        components["Ladders"] = {"type": "object", "properties": {
            "date": {"type": "string", "format": "date"}, "ruleset_sha256": {"type": "string"},
            "ladders": {"type": "array", "items": {"type": "object"}}}}
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]


# --- pages built from several parts ----------------------------------------------------------------------------


def _safe_id(value: Any) -> str:
    text = str(value or "")
    return text if text and len(text) <= 40 and all(c.isalnum() or c in "-_." for c in text) else "sag"


def _source_from_form(state: State, form: dict[str, Any]) -> tuple[Any, str, dict[int, str]]:
    from engine.cases.write import case_yaml
    from engine.files.source import Source, parse_text

    text, where = case_yaml(wc.form_data(form, state.kb), state.kb.schema)
    try:
        source = parse_text(text, "sag.yaml")
    except InputError:
        source = Source("sag.yaml", {})
    return source, text, where


def _problems_on_form(problems: list[Diagnostic], source: Any, kb: Knowledge) -> dict[str, list[Diagnostic]]:
    """Problems of a case file by the form field they belong to: the longest part of their path the form has
    (`diagnoses.1` is the field `diagnoses`; `tried_offers.0.offer` a field of its own)."""
    names = {f.id for f in kb.schema.fields} | {f"{f.id}.{k}" for f in kb.schema.fields for k in (f.keys or [])}
    out: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        parts = (wc.field_path(source, problem) or "").split(".")
        name = next((".".join(parts[:n]) for n in range(len(parts), 0, -1)
                     if ".".join(parts[:n]) in names or parts[0] == "tried_offers" and n == 3), "")
        out.setdefault(name, []).append(problem)
    return out


def _form_page(request: Request, state: State, values: dict[str, Any], problems: dict[str, list[Diagnostic]],
               token: str | None, status: int = 200, ok: bool = False, personal: str | None = None) -> Response:
    from engine.model.profile import FieldSpec

    lang = _lang(request)
    labels = _labels(state, lang)
    fields_ = [f for f in state.kb.schema.fields if isinstance(f, FieldSpec)]
    offers_by_ladder = [(labels.ladder(lid), [(o.id, labels.offer(o.id)) for (lad, _), offers in
                                             state.kb.offers_on_rung.items() if lad == lid for o in offers])
                        for lid in state.kb.ladders]
    known = {f.id for f in fields_} | {f"{f.id}.{k}" for f in fields_ for k in (f.keys or [])}
    tried = values.get("tried_offers") or []
    other = [d for name, found in problems.items() if name not in known and not name.startswith("tried_offers")
             for d in found]
    count = sum(len(v) for v in problems.values())
    return _page(request, "case_form.html", status, fields=fields_, values=values, problems=problems, token=token,
                 labels=labels, offers_by_ladder=offers_by_ladder, outcomes=wc.outcomes(), other=other, count=count,
                 tried_rows=len(tried) + wc.TRIED_ROWS, tried=tried, ok=ok, personal=personal,
                 input_kind=wc.input_kind)


async def _suggestion_page(request: Request, state: State, token: str, decision_problems: list[Diagnostic] | None
                           = None, status: int = 200) -> Response:
    work = _work(request, token)
    lang = _lang(request)
    result, problems = await run_in_threadpool(_suggest, state, work, lang)
    labels = _labels(state, lang)
    svg = await run_in_threadpool(_staircase, state, result, lang) if result else ""
    return _page(request, "suggestion.html", 422 if problems and status == 200 else status, result=result,
                 problems=problems, work=work, token=token, labels=labels, svg=svg,
                 roles=state.settings.roles, decision_problems=decision_problems or [],
                 answers=_answer_rows(result, labels) if result else [],
                 offers=[(o, labels.offer(o)) for o in state.kb.offers])


def _answer_rows(result: dict[str, Any], labels: Any) -> list[dict[str, Any]]:
    """"Hvis det oplyses" as buttons: per question, each answer with what it leads to."""

    present = result["suggestions"][0]["annual_cost"] if result["suggestions"] else None
    rows = []
    for qi, question in enumerate(result["if_answered"]):
        name = question["field"]
        answers = []
        for ai, answer in enumerate(question["answers"]):
            answers.append({"q": qi, "a": ai, "said": labels.answer_said(name, answer),
                            "outcome": labels.outcome(answer, present)})
        rows.append({"question": question["question"], "answers": answers})
    return rows


def _decision_problems(state: State, form: dict[str, Any]) -> list[Diagnostic]:
    """The decision form checked like `ladder log decide` checks its options, before anything is written."""
    from engine.log.store import MAX_REASON, check_role, check_text

    if state.settings.log is None:
        raise StarletteHTTPException(404)
    problems = []
    for key, value in form.items():
        if key not in ("reason", "role") and isinstance(value, str) and (found := personal_data_kind(value)):
            problems.append(diag(key, (1, 1), "log-personal-data", kind=found[0], masked=found[1]))
    followed = form.get("followed")
    if followed not in ("yes", "no", "partly"):
        problems.append(diag("--followed", (1, 1), "wrong-value", expected="yes, no @word.or partly"))
    problems += check_text(str(form.get("reason", "")), "--reason", MAX_REASON)
    problems += check_role(str(form.get("role", "")), state.settings.roles)[1]
    offer = form.get("offer") or None
    if offer is not None and offer not in state.kb.offers:
        from engine.files.source import did_you_mean

        problems.append(diag("--offer", (1, 1), "unknown-ref", what="@what.offer", id=str(offer)[:64],
                             guess=did_you_mean(str(offer), state.kb.offers)))
    return problems


def _log_and_decide(state: State, result: dict[str, Any], lang: str, form: dict[str, Any]) -> int:
    """The suggestion the meeting saw, then its decision: two entries in the chain."""
    from engine.log.store import append_suggestions

    entry = append_suggestions(state.settings.log, [result], lang)[0]  # type: ignore[arg-type]
    _decide(state, entry.seq, form)
    return entry.seq


def _decide(state: State, seq: int, form: dict[str, Any]) -> None:
    from engine.log.store import append_decision

    append_decision(state.settings.log, seq, form["followed"], str(form["reason"]), str(form["role"]),  # type: ignore[arg-type]
                    offer=form.get("offer") or None, known_offers=lambda: set(state.kb.offers),
                    roles=state.settings.roles)


async def _log_page(request: Request, state: State, verdict: tuple[str, Any] | None) -> Response:
    from engine.log.store import read_log
    from engine.render.log.report import list_rows

    if state.settings.log is None:
        return _page(request, "log_list.html", rows=[], problems=[], verdict=None, log_name=None)
    try:
        entries = await run_in_threadpool(read_log, state.settings.log)
    except InputError as error:
        return _page(request, "log_list.html", 422, rows=[], problems=error.diagnostics, verdict=verdict,
                     log_name=_log_name(state))
    rows = list(reversed(list_rows(entries)))
    lang = _lang(request)
    labels = _labels(state, lang)
    return _page(request, "log_list.html", rows=rows, problems=[], verdict=verdict, log_name=_log_name(state),
                 labels=labels)


def _log_name(state: State) -> str:
    log = state.settings.log
    if isinstance(log, str):
        from engine.log.postgres import shown

        return shown(log)
    return mask(str(log))


async def _entry_page(request: Request, state: State, seq: int, template: str,
                      problems: list[Diagnostic] | None = None, status: int = 200) -> Response:
    from engine.log.store import read_entry
    from engine.render.log.report import _clean

    if state.settings.log is None:
        raise StarletteHTTPException(404)
    try:
        entry, decisions = await run_in_threadpool(read_entry, state.settings.log, seq)
    except InputError as error:
        if any(d.code == "log-entry-unknown" for d in error.diagnostics):
            raise StarletteHTTPException(404) from None
        return _page(request, "log_list.html", 422, rows=[], problems=error.diagnostics, verdict=None,
                     log_name=_log_name(state))
    lang = _lang(request)
    entry = _clean(entry)
    decisions = [_clean(d) for d in decisions]
    result = None
    if entry.kind == "suggestion" and entry.output:
        try:
            result = json.loads(entry.output)
        except ValueError:
            result = None
    labels = _labels(state, lang)
    return _page(request, template, status, entry=entry, decisions=decisions, result=result, labels=labels,
                 roles=state.settings.roles, decision_problems=problems or [], log_name=_log_name(state),
                 offers=[(o, labels.offer(o)) for o in state.kb.offers], answers=[])
