"""Danish and English user-facing text, split by area, found by one lookup; Danish is the default."""

from __future__ import annotations

import re
from typing import Any

from engine.text.messages import (
    budget,
    cockpit,
    common,
    diff,
    inputs,
    keyfigures,
    log,
    rules,
    ruletest,
    show,
    simulate,
    suggest,
    validate,
)
from engine.text.messages.diagnostics import DIAGNOSTICS
from engine.text.messages.plural import Texts, fill
from engine.text.privacy import mask

__all__ = ["DIAGNOSTICS", "MESSAGES", "SCHEMA_TEXT", "diagnostic_text", "t"]


def __getattr__(name: str) -> Any:
    """SCHEMA_TEXT on first use: only `ladder schema` and the tests read the schema texts, not the meeting."""
    if name == "SCHEMA_TEXT":
        from engine.text.messages.schema import SCHEMA_TEXT

        return SCHEMA_TEXT
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


AREAS = (common, inputs, suggest, validate, show, log, ruletest, rules, diff, simulate, cockpit, budget,
         keyfigures)
"""Every area's table; a key's first word names its area (`sim.` is simulate's, `log.` the log's)."""


def _merged() -> Texts:
    """All areas in one table; a key in two areas would make one text win silently, so it is refused."""
    merged: Texts = {}
    for area in AREAS:
        twice = merged.keys() & area.TEXTS.keys()
        if twice:
            raise ValueError(f"message keys in two areas ({area.__name__}): {sorted(twice)}")
        merged.update(area.TEXTS)
    return merged


MESSAGES: Texts = _merged()


def t(key: str, lang: str = "da", **params: Any) -> str:
    da, en = MESSAGES[key]
    text = en if lang == "en" else da
    return fill(text, params, lang) if params else text


_TEXT_KEY = re.compile(r"@([a-z_]+(?:\.[a-z_]+)+)")


def _localise(value: Any, lang: str) -> Any:
    """Replace every `@text.key` in a parameter by its text in `lang`."""
    if isinstance(value, str) and "@" in value:
        return _TEXT_KEY.sub(lambda m: t(m.group(1), lang) if m.group(1) in MESSAGES else m.group(0), value)
    return value


MAX_PARAM = 300
"""Characters of one value quoted in a message (a key, an id): enough to recognise a typo."""


def _quoted(value: Any) -> Any:
    """A value from a file as a message quotes it: masked, then cut to MAX_PARAM characters."""
    if not isinstance(value, str) or len(value) <= MAX_PARAM:
        return value
    return mask(value)[:MAX_PARAM] + f"… ({len(value)})"


def diagnostic_text(code: str, params: dict[str, Any], lang: str = "da") -> str:
    da, en = DIAGNOSTICS[code]
    text = en if lang == "en" else da
    # A parameter written "@key" is itself a text key, so that "offer" reads "tilbud" in Danish.
    shown = {k: _localise(_quoted(v), lang) for k, v in params.items()}
    guess = shown.pop("guess", None)
    shown["hint"] = t("hint.did_you_mean", lang, guess=guess) if guess else ""
    # Optional parts of a message: the exact rewrite of what was typed, other accepted forms.
    rewrite = shown.get("rewrite")
    shown["rewrite"] = t("hint.rewrite", lang, text=rewrite) if rewrite else ""
    shown.setdefault("also", "")
    return mask(fill(text, shown, lang))
