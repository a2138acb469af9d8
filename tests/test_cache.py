"""The knowledge cache: same answers as without it, rebuilt on any change, never trusted when broken."""

from __future__ import annotations

import pickle

from typer.testing import CliRunner

from cli import app
from engine.knowledge.assemble import Knowledge
from engine.knowledge.cache import load_knowledge_cached
from tests.conftest import EXAMPLES

runner = CliRunner()


def _json(env: dict[str, str]) -> str:
    out = runner.invoke(app, ["suggest", str(EXAMPLES), "--format", "json"], env=env)
    assert out.exit_code == 0, out.output
    return out.stdout


def test_cached_and_uncached_output_are_byte_identical(tmp_path):
    env = {"LADDER_CACHE_DIR": str(tmp_path)}
    first = _json(env)  # builds the cache
    assert list(tmp_path.glob("knowledge-*.pickle"))
    assert _json(env) == first  # served from it
    assert _json({"LADDER_NO_CACHE": "1"}) == first


def test_a_changed_file_gets_a_new_entry(tmp_path, monkeypatch, content):
    monkeypatch.setenv("LADDER_CACHE_DIR", str(tmp_path / "cache"))
    rules, catalogs = content
    before = load_knowledge_cached([rules], [catalogs])
    path = catalogs / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("annual: 684000", "annual: 690000"), encoding="utf-8")
    after = load_knowledge_cached([rules], [catalogs])
    assert before.offers["ekstern_specialskole"].tariff.annual == 684000
    assert after.offers["ekstern_specialskole"].tariff.annual == 690000
    assert before.sha256 != after.sha256
    assert len(list((tmp_path / "cache").glob("knowledge-*.pickle"))) == 2


def test_a_broken_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("LADDER_CACHE_DIR", str(tmp_path))
    load_knowledge_cached()
    (entry,) = tmp_path.glob("knowledge-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert isinstance(load_knowledge_cached(), Knowledge)
    assert isinstance(pickle.loads(entry.read_bytes()), Knowledge)


def test_a_cache_file_others_may_write_is_not_unpickled(tmp_path, monkeypatch):
    monkeypatch.setenv("LADDER_CACHE_DIR", str(tmp_path))
    load_knowledge_cached()
    (entry,) = tmp_path.glob("knowledge-*.pickle")
    entry.write_bytes(pickle.dumps("not knowledge, and not to be trusted"))
    entry.chmod(0o666)
    assert isinstance(load_knowledge_cached(), Knowledge)  # rebuilt, not read
