"""The JSON form of `ladder suggest`: one object per case, or a list sorted by case id for several."""

from __future__ import annotations

from engine.text.jsontext import render

__all__ = ["render"]
