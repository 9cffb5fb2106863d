"""Emergency recall and false alarms on labelled messages.

    .venv/bin/python scripts/safety_eval.py tests/eval/safety/*.jsonl

Each line of a file: {"q": "...", "emergency": true|false, "why": "..."}. Prints, per file,
the emergencies recognised and the ordinary messages flagged, and lists the errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ldn_assistant import Assistant


def main(paths: list[str]) -> int:
    assistant = Assistant()
    assistant.warm_up()
    for path in paths:
        rows = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]
        errors = []
        found = flagged = 0
        for row in rows:
            emergency = assistant.ask(row["q"]).safety == "emergency"
            if row["emergency"]:
                found += emergency
            else:
                flagged += emergency
            if emergency != row["emergency"]:
                errors.append(("missed" if row["emergency"] else "false alarm", row["q"]))
        emergencies = sum(1 for r in rows if r["emergency"])
        print(
            f"{path}: emergencies recognised {found} / {emergencies}, "
            f"ordinary messages flagged {flagged} / {len(rows) - emergencies}"
        )
        for kind, text in errors:
            print(f"  {kind}: {text[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
