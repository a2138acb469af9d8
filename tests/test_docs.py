"""The documentation names every diagnostic code the tool can give."""

from __future__ import annotations

from engine.text.messages import DIAGNOSTICS
from tests.conftest import ROOT


def test_every_diagnostic_code_is_documented():
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    missing = [code for code in DIAGNOSTICS if f"`{code}`" not in text]
    assert not missing
