"""Running the assistant over labelled message files and printing what it got wrong."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Judge = Callable[[Any, list[dict[str, Any]]], tuple[str, list[tuple[str, str]]]]


def main(judge: Judge) -> int:
    """For each file named on the command line: `judge(assistant, rows)` gives a summary line
    and the errors (kind, message), printed one per line, shortened."""
    from ldn_assistant import Assistant

    assistant = Assistant()
    assistant.warm_up()
    for path in sys.argv[1:]:
        text = Path(path).read_text("utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line]
        summary, errors = judge(assistant, rows)
        print(f"{path}: {summary}")
        for kind, message in errors:
            print(f"  {kind}: {message[:160]}")
    return 0
