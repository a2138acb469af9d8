"""A cache of validated knowledge bases, so a visitation meeting does not re-validate unchanged files.

Like Python's own .pyc files: the key is a hash of every rule and catalogue file's name and bytes
and of the engine's source code, so any change to either rebuilds. The cache lives in
`$LADDER_CACHE_DIR`, else `$XDG_CACHE_HOME/ladder`, else `~/.cache/ladder`; `LADDER_NO_CACHE=1`
turns it off. Unpickling runs code, so a cache file is only read when the user owns it and no one
else may write it; a file that cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES, Knowledge, expand_paths, load_knowledge

_ENGINE = Path(__file__).resolve().parents[1]


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(_ENGINE.rglob("*.py")):
        digest.update(path.relative_to(_ENGINE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    if os.environ.get("LADDER_CACHE_DIR"):
        return Path(os.environ["LADDER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ladder"


def _key(paths: list[Path]) -> str | None:
    """The cache key of these files and the code; None when one cannot be read, or its path looks like
    personal data (the pickled knowledge keeps every path, and the cache must hold no CPR number)."""
    from engine.files.paths import read_file
    from engine.files.source import MAX_FILE_BYTES
    from engine.text.diagnostics import InputError
    from engine.text.privacy import personal_data_kind

    digest = hashlib.sha256(_code_digest().encode())
    try:
        for path in paths:
            name = str(path.resolve())
            if personal_data_kind(name):
                return None
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + read_file(path, MAX_FILE_BYTES) + b"\0")
    except (OSError, InputError):
        return None
    return digest.hexdigest()


def load_knowledge_cached(rules: list[Path] | None = None, catalogs: list[Path] | None = None) -> Knowledge:
    """`load_knowledge`, served from the cache when no file and no code has changed."""
    if os.environ.get("LADDER_NO_CACHE"):
        return load_knowledge(rules, catalogs)
    files = expand_paths([*(catalogs or [DEFAULT_CATALOGS]), *(rules or [DEFAULT_RULES])])
    key = _key(files) if files is not None else None
    target = cache_dir() / f"knowledge-{key}.pickle" if key else None
    if target is not None and target.is_file() and _trusted(target):
        try:
            with target.open("rb") as handle:
                found = pickle.load(handle)
            if isinstance(found, Knowledge):
                return found
        except Exception:  # noqa: BLE001 - a broken cache file is rebuilt, whatever broke it
            pass
    knowledge = load_knowledge(rules, catalogs)
    if target is not None:
        _store(target, knowledge)
    return knowledge


def _trusted(path: Path) -> bool:
    """Only a file this user owns, that nobody else may write, is unpickled."""
    info = path.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & 0o022


def _store(target: Path, knowledge: Knowledge) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, target)
    except OSError:
        return  # a read-only home folder only costs speed
