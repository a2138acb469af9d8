"""Shared fixtures: the shipped knowledge base, example cases, and a scratch copy of the content."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from engine.cases.files import Case, case_from_source
from engine.files.source import Source
from engine.knowledge.assemble import Knowledge, load_knowledge

# The knowledge cache of the test run lives in its own folder, not the user's ~/.cache.
os.environ.setdefault("LADDER_CACHE_DIR", tempfile.mkdtemp(prefix="ladder-cache-"))
# Nor does a developer's decision log or configuration reach the tests (see engine/files/config.py).
os.environ.pop("LADDER_LOG", None)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ladder-config-")
# A ladder.toml (or rules/ + catalogs/) above the temporary folders is never taken for a test's content
# (engine/files/content.py): the search for it stops below these folders.
os.environ["LADDER_CEILING_DIRECTORIES"] = os.pathsep.join(
    str(Path(p).resolve()) for p in (tempfile.gettempdir(), Path(__file__).resolve().parents[2]))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()


def make_case(kb: Knowledge, **fields: object) -> Case:
    """A case from keyword fields, validated exactly as a case file would be."""
    data = {"case_id": "T-1", "decision_date": "2025-03-10", **fields}
    return case_from_source(Source("<test>", data, {}), kb)


@pytest.fixture()
def content(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the shipped rules/ and catalogs/ folders."""
    rules = tmp_path / "rules"
    catalogs = tmp_path / "catalogs"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "catalogs", catalogs)
    return rules, catalogs


def required_tool_missing(what: str) -> None:
    """A tool the browser or PostgreSQL tests need is missing: in CI a failure (.ci/run installs it), else a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (tests/postgres_server.py): Debian's binaries, a temporary folder."""
    from tests import postgres_server

    try:
        server = postgres_server.start()
    except (RuntimeError, KeyError, OSError) as error:
        required_tool_missing(f"PostgreSQL ({error})")
    yield server
    from engine.log.postgres import close_connections

    close_connections()
    server.stop()
