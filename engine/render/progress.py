"""A progress bar on stderr for long runs, shown only once a run has taken more than a second."""

from __future__ import annotations

import sys
import time
from typing import Any

from engine.text.messages import t


class Progress:
    """Called as `progress(stage, done, total)`; `stage` names a text `sim.progress.<stage>`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(t(f"sim.progress.{stage}", self.lang), total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
