"""Settings a workplace makes once instead of on every command: the decision log's file and roles.

Looked up in this order, the first one found wins: the command-line option, the environment
variable `LADDER_LOG`, the nearest `ladder.toml` from the working folder upwards (the search stops
at the top of a git repository and never enters a folder of `LADDER_CEILING_DIRECTORIES`, like
git's `GIT_CEILING_DIRECTORIES`), `$XDG_CONFIG_HOME/ladder/config.toml`
(by default `~/.config/ladder/config.toml`). A configuration file reads:

    [log]
    file = "visitation.ladderlog"   # a relative path is relative to the configuration file's folder
    roles = ["visitationsudvalget", "teamleder"]   # who may be named by `ladder log decide --role`

The `[content]` section names the municipality's own content folders (engine/files/content.py).
Unknown keys are errors at file:line, like in every other file `ladder` reads. `roles` replaces
the built-in list (`DEFAULT_ROLES`): a closed list, so that a name typed as a role is refused.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from engine.text.diagnostics import InputError, diag

CONTENT_PARTS = ("rules", "catalogs", "tests", "cases", "scenarios")
"""The content folders `[content]` may name (engine/files/content.py)."""
KEYS: dict[str, dict[str, type]] = {"log": {"file": str, "roles": list},
                                    "content": {part: tuple for part in CONTENT_PARTS}}
"""Section -> key -> type (tuple: a text or a list of texts): everything a configuration file may hold."""
DEFAULT_ROLES = ("visitationsudvalget", "udvalget", "sagsbehandler", "rådgiver", "socialrådgiver", "familierådgiver",
                 "teamleder", "afdelingsleder", "leder", "myndighed", "ppr", "psykolog", "skoleleder", "konsulent")
"""The roles `ladder log decide --role` accepts unless ladder.toml lists others."""
MAX_CONFIG_BYTES = 1024 * 1024
ENV_LOG = "LADDER_LOG"
ENV_CEILING = "LADDER_CEILING_DIRECTORIES"
CONFIG_NAME = "ladder.toml"
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _ceilings() -> set[Path]:
    found = set()
    for entry in os.environ.get(ENV_CEILING, "").split(os.pathsep):
        if entry.strip():
            try:
                found.add(Path(entry).expanduser().resolve())
            except (OSError, RuntimeError):
                continue
    return found


def searched_folders(cwd: Path | None = None) -> list[Path]:
    """The folders a ladder.toml (or content) is looked for in, from `cwd` upwards: never into a
    ceiling folder, never above the top of a git repository, so a stray file far above is not found."""
    ceilings, out = _ceilings(), []
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if folder in ceilings:
            break
        out.append(folder)
        if (folder / ".git").exists():
            break
    return out


def near(path: Path, cwd: Path | None = None) -> Path:
    """`path` (absolute) as a user would name it: relative to the working folder when inside it."""
    try:
        return path.relative_to((cwd or Path.cwd()).resolve())
    except ValueError:
        return path


def nearest_config(cwd: Path | None = None) -> Path | None:
    """The nearest ladder.toml from `cwd` upwards (named relative to `cwd` when inside it), or None."""
    from engine.files.paths import kind

    found = next((f / CONFIG_NAME for f in searched_folders(cwd) if kind(f / CONFIG_NAME) == "file"), None)
    return near(found, cwd) if found is not None else None


def config_files(cwd: Path | None = None) -> list[Path]:
    """Where a configuration file is looked for, in order."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [*filter(None, [nearest_config(cwd)]), Path(base) / "ladder" / "config.toml"]


def line_of(text: str, section: str, key: str | None) -> tuple[int, int]:
    """Where `[section]` (or its `key`) is written; tomllib keeps no positions."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header.group(1).strip('"\'')
            if key is None and current == section:
                return number, line.index("[") + 1
            continue
        name = re.match(r"""["']?([^"'=\s]+)["']?\s*=""", stripped)
        if name and current == section and name.group(1) == key:
            return number, line.index(stripped[0]) + 1
        if name and not current and key is None and name.group(1) == section:
            return number, line.index(stripped[0]) + 1
    return 1, 1


def read_config(path: Path) -> dict[str, dict[str, Any]]:
    """A configuration file, checked key by key; InputError naming file:line otherwise."""
    from engine.files.paths import read_file
    from engine.files.source import did_you_mean

    name = str(path)
    try:
        text = read_file(path, MAX_CONFIG_BYTES).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([diag(name, (1, 1), "encoding")]) from None
    try:
        data = tomllib.loads(text)
    except ValueError as error:  # tomllib converts numbers itself: 5.000 digits raise a plain ValueError
        if not isinstance(error, tomllib.TOMLDecodeError):
            raise InputError([diag(name, (1, 1), "toml-syntax", problem="@word.max_digits")]) from None
        message = str(error)
        at = _AT.search(message)
        where = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        raise InputError([diag(name, where, "toml-syntax", problem=_AT.sub("", message))]) from None
    problems = []
    for section, value in data.items():
        if section not in KEYS:
            problems.append(diag(name, line_of(text, section, None), "unknown-key", key=section,
                                 guess=did_you_mean(section, KEYS)))
            continue
        if not isinstance(value, dict):
            problems.append(diag(name, line_of(text, section, None), "wrong-type", expected="@type.mapping"))
            continue
        for key, item in value.items():
            where = line_of(text, section, key)
            if key not in KEYS[section]:
                problems.append(diag(name, where, "unknown-key", key=key, guess=did_you_mean(key, KEYS[section])))
            elif KEYS[section][key] is tuple:
                listed = [item] if isinstance(item, str) else item
                if not isinstance(listed, list) or not listed or not all(isinstance(r, str) and r.strip()
                                                                         for r in listed):
                    problems.append(diag(name, where, "wrong-type", expected="@type.paths"))
            elif KEYS[section][key] is list:
                if not isinstance(item, list) or not item or not all(isinstance(r, str) and r.strip() for r in item):
                    problems.append(diag(name, where, "wrong-type", expected="@type.text_list"))
            elif not isinstance(item, KEYS[section][key]) or (isinstance(item, str) and not item.strip()):
                problems.append(diag(name, where, "wrong-type", expected="@type.text"))
    if problems:
        raise InputError(problems)
    return data


def _first_config(cwd: Path | None) -> tuple[Path, dict[str, dict[str, Any]]] | None:
    """The first configuration file found, read and checked; None when there is none."""
    from engine.files.paths import kind

    for path in config_files(cwd):
        if kind(path) == "file":  # a folder or a pipe of that name is no configuration
            return path, read_config(path)
    return None


def roles(cwd: Path | None = None) -> tuple[str, ...]:
    """The roles `ladder log decide --role` accepts: `[log] roles` of the configuration, else DEFAULT_ROLES."""
    found = _first_config(cwd)
    listed = found[1].get("log", {}).get("roles") if found else None
    return tuple(role.strip() for role in listed) if listed else DEFAULT_ROLES


DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""A log named so is a PostgreSQL URL, kept as text (`engine.log.store.log_target`)."""


def log_file(cwd: Path | None = None) -> Path | str | None:
    """The decision log configured by `LADDER_LOG` or a configuration file (a PostgreSQL URL as text), or None."""
    if os.environ.get(ENV_LOG, "").strip():
        if os.environ[ENV_LOG].strip().startswith(DATABASE_SCHEMES):
            return os.environ[ENV_LOG].strip()
        return Path(os.environ[ENV_LOG]).expanduser()
    config = _first_config(cwd)
    if config is None:
        return None
    path, data = config
    found = data.get("log", {}).get("file")
    if found is None:
        return None
    if found.strip().startswith(DATABASE_SCHEMES):
        return found.strip()
    target = Path(found).expanduser()
    return target if target.is_absolute() else path.parent / target
