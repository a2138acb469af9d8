"""Starting the meeting room: the address check, the logging that keeps case data out, and uvicorn."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from web.security import LOOPBACK


def refusal(host: str, users: Path | None, proxy_header: str | None) -> str | None:
    """The text key why `ladder serve` must not start on `host`, or None: off the machine itself only with logins."""
    if users is not None and proxy_header:
        return "serve.users_and_proxy"
    if host.strip("[]") in LOOPBACK:
        return None
    return None if users is not None or proxy_header else "serve.host_refused"


def log_config() -> dict[str, Any]:
    """uvicorn's own access log is off (it would print every path and query); `ladder.access` names routes only.

    Error records pass through the masking function (`engine.text.privacy.mask`) like every message of the CLI.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"masked": {"()": "web.serve.MaskFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain",
                                "filters": ["masked"]}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "ladder": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


class MaskFilter(logging.Filter):
    """Every log record rendered and masked before it is written: no CPR number, e-mail or phone in a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        from engine.text.diagnostics import printable
        from engine.text.privacy import mask

        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = mask(printable(mask(text)).replace("\\x0a", "\n")), None
        return True


def run(app: Any, host: str, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_config=log_config(), server_header=False,
                            date_header=True, proxy_headers=False, timeout_keep_alive=5, limit_concurrency=200,
                            h11_max_incomplete_event_size=64 * 1024)
    uvicorn.Server(config).run()


def read_password(prompt: str) -> str:
    """A password from the terminal (not echoed, asked twice) or one line of standard input."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt + ": ")
        if getpass.getpass(prompt + " (igen/again): ") != first:
            raise ValueError("mismatch")
        return first
    return sys.stdin.readline().rstrip("\n")


def print_hash(lang: str) -> int:
    """`ladder serve --hash-password`: the line for the --users file, or 2 when no usable password came."""
    from web.security import hash_password
    from web.text import tx

    try:
        password = read_password(tx("serve.password_prompt", lang))
    except ValueError:
        return 2
    if len(password) < 12:
        print(tx("serve.password_short", lang), file=sys.stderr)
        return 2
    print(tx("serve.hash_line", lang), file=sys.stderr)
    print(f'navn = "{hash_password(password)}"')
    return 0


def settings(rules: list[Path] | None, catalog: list[Path] | None, log: str | None, cases: Path | None,
             users: Path | None, proxy_user_header: str | None) -> Any:
    """Everything the app needs, read and checked before it starts (InputError otherwise)."""
    from engine.files.config import log_file, roles
    from engine.files.paths import check_folder
    from engine.knowledge.assemble import ROOT
    from engine.knowledge.cache import load_knowledge_cached
    from engine.log.store import check_target, log_target
    from web.app import Settings
    from web.security import read_users

    folder = cases if cases is not None else ROOT / "examples" / "cases"
    found = log if log is not None else log_file()
    target = log_target(found) if found is not None else None
    if target is not None:
        check_target(target)
    accounts = read_users(users) if users is not None else None
    if cases is not None:
        check_folder(cases)
    kb = load_knowledge_cached(rules, catalog)
    return Settings(rules, catalog, target, folder if folder.is_dir() else None, accounts, proxy_user_header,
                    roles(), knowledge=kb)


def start(settings: Any, host: str, port: int) -> None:
    from web.app import create_app

    run(create_app(settings), host, port)


def tx(key: str, lang: str, **params: Any) -> str:
    from web.text import tx as text

    return text(key, lang, **params)
