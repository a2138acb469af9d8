"""Settings a workplace makes once instead of on every command; for now only the decision log's file.

Looked up in this order, the first one found wins: the command-line option, the environment
variable `LADDER_LOG`, `ladder.toml` in the working folder, `$XDG_CONFIG_HOME/ladder/config.toml`
(by default `~/.config/ladder/config.toml`). A configuration file reads:

    [log]
    file = "visitation.ladderlog"   # a relative path is relative to the configuration file's folder

Unknown keys are errors at file:line, like in every other file `ladder` reads.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from engine.diagnostics import InputError, diag

KEYS: dict[str, dict[str, type]] = {"log": {"file": str}}
"""Section -> key -> type: everything a configuration file may hold."""
ENV_LOG = "LADDER_LOG"
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def config_files(cwd: Path | None = None) -> list[Path]:
    """Where a configuration file is looked for, in order."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [(cwd or Path()) / "ladder.toml", Path(base) / "ladder" / "config.toml"]


def _line_of(text: str, section: str, key: str | None) -> tuple[int, int]:
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
    from engine.load import did_you_mean

    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise InputError([diag(name, (1, 1), "file-read", reason=error.strerror or type(error).__name__)]) from None
    except UnicodeDecodeError:
        raise InputError([diag(name, (1, 1), "encoding")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _AT.search(message)
        where = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        raise InputError([diag(name, where, "toml-syntax", problem=_AT.sub("", message))]) from None
    problems = []
    for section, value in data.items():
        if section not in KEYS:
            problems.append(diag(name, _line_of(text, section, None), "unknown-key", key=section,
                                 guess=did_you_mean(section, KEYS)))
            continue
        if not isinstance(value, dict):
            problems.append(diag(name, _line_of(text, section, None), "wrong-type", expected="@type.mapping"))
            continue
        for key, item in value.items():
            where = _line_of(text, section, key)
            if key not in KEYS[section]:
                problems.append(diag(name, where, "unknown-key", key=key, guess=did_you_mean(key, KEYS[section])))
            elif not isinstance(item, KEYS[section][key]) or (isinstance(item, str) and not item.strip()):
                problems.append(diag(name, where, "wrong-type", expected="@type.text"))
    if problems:
        raise InputError(problems)
    return data


def log_file(cwd: Path | None = None) -> Path | None:
    """The decision log configured by `LADDER_LOG` or a configuration file, or None."""
    if os.environ.get(ENV_LOG, "").strip():
        return Path(os.environ[ENV_LOG]).expanduser()
    for path in config_files(cwd):
        if path.is_file():
            found = read_config(path).get("log", {}).get("file")
            if found is None:
                return None
            target = Path(found).expanduser()
            return target if target.is_absolute() else path.parent / target
    return None
