"""Cases as the meeting room handles them: the agenda folder, uploads, the form, answers tried, API bodies.

Every way in ends as the text of a case file and goes through the engine's own reading
(`engine.files.source.source_from_bytes` with the personal-data guard, then `engine.cases.files.case_from_source`),
so the web page, the API and `ladder suggest` accept, refuse and explain exactly the same cases,
with the same diagnostics. Nothing here decides anything about a case.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.cases.files import Case, case_from_source, read_cases
from engine.cases.write import case_yaml
from engine.files.guard import cpr_in_text
from engine.files.source import Source, source_from_bytes
from engine.knowledge.assemble import Knowledge
from engine.model.profile import TRIED_OUTCOMES, FieldSpec
from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.privacy import personal_data_kind

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""One uploaded file: a case is a few hundred bytes, a CSV of a meeting's agenda a few kB."""
MAX_BODY_BYTES = 4 * 1024 * 1024
"""Any request body (a form with files, an API call): refused before it is read past this."""
MAX_WORK_CASES = 200
"""Cases one session may hold in memory (uploads, typed cases, answers tried)."""
MAX_FORM_VALUE = 200
"""Characters of one form field; no field of a case is longer."""
TRIED_ROWS = 3
"""Empty rows for tried offers on the form, besides those the case has."""
PERSONAL_CODES = ("personal-data", "log-personal-data", "personal-data-policy")


@dataclass
class WorkCase:
    """A case the session holds: its file text (the CLI's format) and where it came from."""

    token: str
    name: str
    text: str
    origin: str
    """folder, upload, form or answer."""
    where: dict[int, str] = field(default_factory=dict)
    """Line -> field, when the text was written from the form (to put problems next to fields)."""
    note: str = ""
    """For an answer tried: what was applied."""
    base: str | None = None
    """For an answer tried: the token of the case it was tried on."""


def new_token() -> str:
    return secrets.token_urlsafe(12)


def is_personal(problems: list[Diagnostic]) -> bool:
    return any(d.code in PERSONAL_CODES for d in problems)


# --- reading ----------------------------------------------------------------------------------------


def load_text(text: str, name: str, kb: Knowledge) -> Case:
    """A case from file text, read exactly as `ladder suggest` reads a file; InputError otherwise."""
    return case_from_source(source_from_bytes(text.encode("utf-8"), name, personal=True), kb)


def source_of(work: WorkCase) -> Source:
    return source_from_bytes(work.text.encode("utf-8"), work.name, personal=True)


@dataclass
class AgendaItem:
    token: str
    name: str
    case: Case | None
    problems: list[Diagnostic]
    origin: str


def folder_token(secret: bytes, path: Path) -> str:
    """A stable token for a file of the agenda folder: the URL never holds a file name (which may be a case id)."""
    return hmac.new(secret, str(path.resolve()).encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()[:24]


def folder_agenda(folder: Path | None, kb: Knowledge, secret: bytes) -> tuple[list[AgendaItem], dict[str, Path]]:
    """The cases of the agenda folder, each file with its case or its problems; and token -> file."""
    if folder is None:
        return [], {}
    try:
        cases, problems = read_cases([folder], kb)
    except InputError as error:
        return [AgendaItem("", folder.name, None, error.diagnostics, "folder")], {}
    by_file: dict[str, AgendaItem] = {}
    paths: dict[str, Path] = {}
    for case in cases:
        path = Path(case.source.file)
        token = folder_token(secret, path)
        paths[token] = path
        by_file[case.source.file] = AgendaItem(token, path.name, case, [], "folder")
    for problem in problems:
        path = Path(problem.file)
        token = folder_token(secret, path)
        if problem.file not in by_file:
            by_file[problem.file] = AgendaItem(token if path.is_file() else "", path.name, None, [], "folder")
            if path.is_file():
                paths[token] = path
        by_file[problem.file].problems.append(_renamed(problem, problem.file, path.name))
    items = sorted(by_file.values(), key=lambda i: (i.case is None, i.case.case_id if i.case else i.name))
    return items, paths


def folder_work(path: Path) -> WorkCase:
    """A file of the agenda folder as a work case (read again at every use: the folder may change)."""
    from engine.files.paths import read_file
    from engine.files.source import MAX_FILE_BYTES

    try:
        text = read_file(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([diag(path.name, (1, 1), "encoding")]) from None
    found = cpr_in_text(text, path.name)  # the guard first: a file with a CPR number is never held
    if found:
        raise InputError(found)
    return WorkCase(token="", name=path.name, text=text, origin="folder")


def work_agenda(cases: Mapping[str, WorkCase], kb: Knowledge) -> list[AgendaItem]:
    """The session's own cases (uploads and typed ones; not the answers tried), each read again."""
    items = []
    for work in cases.values():
        if work.origin == "answer":
            continue
        try:
            items.append(AgendaItem(work.token, work.name, load_text(work.text, work.name, kb), [], work.origin))
        except InputError as error:
            items.append(AgendaItem(work.token, work.name, None, error.diagnostics, work.origin))
    return items


# --- uploads -------------------------------------------------------------------------------------------


def read_upload(name: str, raw: bytes, kb: Knowledge) -> tuple[list[WorkCase], list[Diagnostic]]:
    """The cases of an uploaded YAML or CSV file, and the problems; a file with personal data is refused
    whole and nothing of it is kept.

    A YAML file is kept as it is, with its problems shown on the agenda (one bad case does not hold
    back the others). A CSV file is read by the cohort reader (`engine.cases.cohort.read_table`) from a
    private temporary file in memory (/dev/shm where there is one) after the text has been checked
    for CPR numbers; its good rows become case files.
    """
    shown_name = Path(name).name or "upload"
    if personal_data_kind(shown_name):
        return [], [diag("upload", (1, 1), "personal-data", kind=personal_data_kind(shown_name)[0],
                         masked=personal_data_kind(shown_name)[1])]
    if len(raw) > MAX_UPLOAD_BYTES:
        return [], [diag(shown_name, (1, 1), "serve-upload-too-large", limit=MAX_UPLOAD_BYTES // 1024)]
    suffix = Path(shown_name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [diag(shown_name, (1, 1), "encoding")]
        found = cpr_in_text(text, shown_name)
        if found:
            return [], found
        work = WorkCase(new_token(), shown_name, text, "upload")
        try:
            load_text(text, shown_name, kb)
        except InputError as error:
            if is_personal(error.diagnostics):
                return [], error.diagnostics
            return [work], []
        return [work], []
    if suffix == ".csv":
        return _read_csv(shown_name, raw, kb)
    return [], [diag(shown_name, (1, 1), "serve-upload-format", suffix=suffix or "-")]


def _read_csv(name: str, raw: bytes, kb: Knowledge) -> tuple[list[WorkCase], list[Diagnostic]]:
    from engine.cases.cohort import read_table

    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return [], [diag(name, (1, 1), "encoding")]
    found = cpr_in_text(text, name)
    if found:
        return [], found
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = tempfile.mkdtemp(prefix="ladder-upload-", dir=memory)
    path = Path(folder) / "upload.csv"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        try:
            cases, problems = read_table(path, kb)
        except InputError as error:
            cases, problems = [], error.diagnostics
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    problems = [_renamed(d, str(path), name) for d in problems]
    if is_personal(problems):
        return [], problems
    works = []
    for case in cases:
        data = case.model.model_dump(exclude_none=True, exclude={"kind"})
        text, where = case_yaml(data, kb.schema)
        works.append(WorkCase(new_token(), f"{name}: {case.case_id}", text, "upload", where))
    return works, problems


def _renamed(found: Diagnostic, old: str, new: str) -> Diagnostic:
    return Diagnostic(new if found.file == old else found.file, found.line, found.col, found.code, found.params,
                      found.severity, found.column)


# --- the form ---------------------------------------------------------------------------------------------


def form_data(form: Mapping[str, Any], kb: Knowledge) -> dict[str, Any]:
    """The case a submitted form describes, as `{field: value}` with the values as typed (text), lists
    for checkboxes, `{key: text}` for scores and `[{offer, outcome}]` for tried offers."""
    data: dict[str, Any] = {}
    for spec in kb.schema.fields:
        if spec.type == "categories":
            values = form.get(spec.id) or []
            data[spec.id] = [values] if isinstance(values, str) else list(values)
            if not data[spec.id] and form.get(f"{spec.id}.none"):
                data[spec.id] = []
            elif not data[spec.id]:
                data.pop(spec.id)
        elif spec.type == "scores":
            scores = {key: _one(form.get(f"{spec.id}.{key}")) for key in spec.keys or []}
            data[spec.id] = {k: v for k, v in scores.items() if v}
        elif spec.type == "tried_offers":
            rows = []
            for i in range(MAX_WORK_CASES):
                offer, outcome = _one(form.get(f"{spec.id}.{i}.offer")), _one(form.get(f"{spec.id}.{i}.outcome"))
                if f"{spec.id}.{i}.offer" not in form and f"{spec.id}.{i}.outcome" not in form:
                    break
                if offer or outcome:
                    rows.append({"offer": offer, "outcome": outcome})
            data[spec.id] = rows
        elif spec.type == "boolean":
            value = _one(form.get(spec.id))
            data[spec.id] = {"ja": True, "nej": False}.get(value, value if value not in ("", "ukendt") else None)
        else:
            data[spec.id] = _one(form.get(spec.id))
    return {k: v for k, v in data.items() if v not in (None, "", {})}


def _one(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def personal_in_form(form: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(form field, kind, masked value) for every submitted value that looks like personal data, keys too."""
    found = []
    for key, value in form.items():
        for item in (value if isinstance(value, list | tuple) else [value]):
            for text in (key, str(item)):
                hit = personal_data_kind(text)
                if hit:
                    found.append((key, *hit))
                    break
    return found


def form_values(source: Source, kb: Knowledge) -> dict[str, Any]:
    """What the form shows for a case file: each value as written in the file."""
    data = source.data if isinstance(source.data, dict) else {}
    values: dict[str, Any] = {}
    for spec in kb.schema.fields:
        value = data.get(spec.id)
        if value is None:
            continue
        if spec.type == "categories":
            values[spec.id] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        elif spec.type == "scores" and isinstance(value, dict):
            for key, score in value.items():
                values[f"{spec.id}.{key}"] = source.texts.get((spec.id, key), str(score))
        elif spec.type == "tried_offers" and isinstance(value, list):
            values[spec.id] = [{"offer": str(t.get("offer", "")), "outcome": str(t.get("outcome", ""))}
                               for t in value if isinstance(t, dict)]
        elif spec.type == "boolean":
            text = source.texts.get((spec.id,), str(value)).lower()
            values[spec.id] = "ja" if value is True or text in ("true", "ja", "yes", "j", "sand", "1") else (
                "nej" if value is False or text in ("false", "nej", "no", "n", "falsk", "0") else str(value))
        else:
            values[spec.id] = source.texts.get((spec.id,), str(value))
    return values


def form_problems(problems: list[Diagnostic], where: dict[int, str]) -> dict[str, list[Diagnostic]]:
    """Problems by the form field they are about (the line of the written file tells), else under ""."""
    out: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        name = where.get(problem.line, "")
        out.setdefault(name, []).append(problem)
        if "." in name:  # a score or tried offer: also next to its group
            out.setdefault(name.split(".")[0], [])
    return out


def outcomes() -> tuple[str, ...]:
    """The outcomes of a tried offer, without the older English spellings kept for old files."""
    return tuple(o for o in TRIED_OUTCOMES if o not in ("insufficient", "ended", "ongoing"))


def input_kind(spec: FieldSpec) -> str:
    return {"pseudonym": "text", "integer": "number", "number": "number", "date": "date"}.get(spec.type, spec.type)


# --- answers tried --------------------------------------------------------------------------------------


def with_answer(source: Source, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The case's data with the answers applied (`{field: value}`, `function_levels.relationer` for a score)."""
    data = json.loads(json.dumps(source.data if isinstance(source.data, dict) else {}, default=str))
    for path, text in source.texts.items():  # as written: `62,5` stays `62,5`
        if len(path) == 1 and isinstance(path[0], str):
            data[path[0]] = text
    for name, value in answers.items():
        head, _, key = name.partition(".")
        if key:
            scores = data.get(head) if isinstance(data.get(head), dict) else {}
            data[head] = {**scores, key: value}
        else:
            data[name] = value
    return data


# --- API bodies -------------------------------------------------------------------------------------------


API_FILE = "body"
"""How diagnostics name an API request's body (where the CLI names the file)."""


def api_source(raw: bytes) -> Source:
    """A case sent as JSON, parsed with positions (line:col of every key) and the personal-data guard.

    JSON is checked strictly first (`json.loads`), then read by the same YAML reader as a case file
    (JSON is YAML's flow style), so the limits, positions and duplicate-key checks are the same.
    """
    if len(raw) > MAX_BODY_BYTES:
        raise InputError([diag(API_FILE, (1, 1), "serve-upload-too-large", limit=MAX_BODY_BYTES // 1024)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([diag(API_FILE, (1, 1), "encoding")]) from None
    found = cpr_in_text(text, API_FILE)
    if found:
        raise InputError(found)
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        where = (getattr(error, "lineno", 1), getattr(error, "colno", 1))
        raise InputError([diag(API_FILE, where, "serve-body-json",
                               problem=str(getattr(error, "msg", "")) or type(error).__name__)]) from None
    if not isinstance(parsed, dict):
        raise InputError([diag(API_FILE, (1, 1), "not-a-mapping")])
    return source_from_bytes(raw, API_FILE, personal=True)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def field_path(source: Source | None, problem: Diagnostic) -> str | None:
    """The field a problem is about (`age`, `tried_offers.0.offer`), from the position it names."""
    if source is None:
        return None
    best: tuple[int, str] | None = None
    for path, where in source.positions.items():
        if path and where == (problem.line, problem.col):
            text = ".".join(str(p) for p in path)
            if best is None or len(path) > best[0]:
                best = (len(path), text)
    return best[1] if best else None
