"""The outputs of `ladder log list|show|stats --format json`, key by key (`ladder schema log_entry`, …).

An entry is typed as a log can hold it, not only as ladder writes it: the log is a file anyone with
access can edit, so texts read back are plain strings (masked and cut before they are shown), and
`kind` and `followed` are described by their values rather than refused when a hand edit changed
them; `ladder log verify` is the judge of an edited log.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, RootModel

from engine.model.suggestion import Out


class LogRow(Out):
    seq: int = Field(ge=1)
    time: str
    kind: str
    case_id: str
    ladder: str | None
    offer: str | None
    entry_hash: str
    followed: str | None
    ref_seq: int | None


class LogList(RootModel[list[LogRow]]):
    """`ladder log list`: the rows as a JSON list, oldest first."""


class LogEntry(Out):
    seq: int = Field(ge=1)
    kind: str
    time: str
    case_id: str
    tool_version: str
    knowledge_sha256: str | None
    rulesets: str | None
    lang: str | None
    ladder: str | None
    rung: str | None
    offer: str | None
    output_sha256: str | None
    ref_seq: int | None
    followed: str | None
    reason: str | None
    role: str | None
    prev_hash: str
    entry_hash: str
    output: Any
    decisions: list[LogEntry] | None = None


class FollowCounts(Out):
    suggestions: int = Field(ge=0)
    decided: int = Field(ge=0)
    yes: int = Field(ge=0)
    partly: int = Field(ge=0)
    no: int = Field(ge=0)


class OfferFollowCounts(Out):
    ladder: str
    offer: str | None
    suggestions: int = Field(ge=0)
    decided: int = Field(ge=0)
    yes: int = Field(ge=0)
    partly: int = Field(ge=0)
    no: int = Field(ge=0)


class LogStats(Out):
    total: FollowCounts
    by_offer: list[OfferFollowCounts]
