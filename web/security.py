"""Who may use the meeting room and how its pages are protected: logins, sessions, CSRF tokens, headers.

Why each piece:
- passwords are stored only as argon2id hashes in a users file (`--users users.toml`), made with
  `ladder serve --hash-password`; a login compares in constant time through argon2 itself;
- a session is a random 256-bit id in a cookie (HttpOnly, SameSite=Strict, Secure) and server-side
  state: the cookie carries nothing to forge or read, and the uploaded cases of a session live in
  the server's memory only, never on disk;
- every form carries the session's CSRF token, checked on every POST (SameSite alone does not
  cover old browsers or a subdomain);
- a trusted reverse proxy may authenticate instead (`--proxy-user-header`): the header names the
  user; the proxy must set it and strip it from what clients send.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.text.diagnostics import InputError, diag

SESSION_COOKIE = "ladder_session"
SESSION_IDLE_SECONDS = 8 * 3600
"""A meeting day; then the session and the cases uploaded in it are gone."""
MAX_SESSIONS = 2000
MAX_USERS_BYTES = 256 * 1024
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
"""No inline script or style at all: a value that slipped through escaping could not run."""
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cache-Control": "no-store",
}


# --- passwords ----------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash for the users file (argon2-cffi's defaults, RFC 9106's low-memory choice)."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def _verify(hashed: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return PasswordHasher().verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def check_login(users: dict[str, str], name: str, password: str) -> bool:
    """True when `name` is a user and the password matches; an unknown name costs a hash too, so the
    time does not tell which names exist."""
    hashed = users.get(name)
    if hashed is None:
        if not _DUMMY:
            _DUMMY.append(hash_password(secrets.token_hex(8)))
        _verify(_DUMMY[0], password)
        return False
    return _verify(hashed, password)


def read_users(path: Path) -> dict[str, str]:
    """`[users] name = "$argon2id$…"` from a TOML file; InputError naming file:line otherwise.

    Only argon2 hashes are accepted: a plain password written by mistake is refused, not used.
    """
    from engine.files.paths import read_file

    name = str(path)
    try:
        data = tomllib.loads(read_file(path, MAX_USERS_BYTES).decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError([diag(name, (1, 1), "encoding")]) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError([diag(name, (1, 1), "toml-syntax", problem=str(error).split(" (at")[0])]) from None
    problems = []
    users = data.get("users")
    extra = [k for k in data if k != "users"]
    for key in extra:
        problems.append(diag(name, _line(path, key), "unknown-key", key=key, guess="users"))
    if not isinstance(users, dict) or not users:
        problems.append(diag(name, (1, 1), "serve-users-empty"))
        raise InputError(problems)
    out: dict[str, str] = {}
    for user, hashed in users.items():
        if not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            problems.append(diag(name, _line(path, user), "serve-users-hash", user=user))
        else:
            out[user] = hashed
    if problems:
        raise InputError(problems)
    return out


def _line(path: Path, key: str) -> tuple[int, int]:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip().startswith((key, f'"{key}"', f"'{key}'", f"[{key}")):
                return number, 1
    except (OSError, UnicodeDecodeError):
        pass
    return 1, 1


# --- sessions ---------------------------------------------------------------------------------------


@dataclass
class Session:
    id: str
    csrf: str
    user: str | None = None
    seen: float = field(default_factory=time.monotonic)
    cases: dict[str, Any] = field(default_factory=dict)
    """Token -> a case uploaded, typed or answered in this session (web.cases.WorkCase); memory only."""
    notices: list[Any] = field(default_factory=list)
    """Problems of the last upload, shown once on the agenda."""


class Sessions:
    """Server-side sessions in memory, by a random id; idle ones are dropped."""

    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            found = self._by_id.get(session_id)
            if found is None or now - found.seen > SESSION_IDLE_SECONDS:
                self._by_id.pop(session_id, None)
                return None
            found.seen = now
            return found

    def new(self, user: str | None = None) -> Session:
        now = time.monotonic()
        with self._lock:
            if len(self._by_id) >= MAX_SESSIONS:
                for key in [k for k, s in self._by_id.items() if now - s.seen > SESSION_IDLE_SECONDS]:
                    del self._by_id[key]
                if len(self._by_id) >= MAX_SESSIONS:  # the oldest goes
                    del self._by_id[min(self._by_id, key=lambda k: self._by_id[k].seen)]
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user)
            self._by_id[session.id] = session
            return session

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._by_id.pop(session_id, None)


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return session is not None and bool(token) and hmac.compare_digest(session.csrf, str(token))
